"""A linear-chain CRF output for Keras: the transition scores and the sequence loss.

``TokenTagger(output="crf")`` ends its model with :class:`CRF`, whose weights
are the transition scores, and trains it with :class:`CRFLoss`, the negative
log-likelihood of each tag sequence (the forward algorithm in Keras ops, so
any backend runs it). Prediction decodes with the learned scores in numpy
(:class:`sktag.decoding.Lattice`), without Keras.
"""

from ._tensorflow import keras  # TensorFlow imported without its start-up lines

ops = keras.ops

__all__ = ["CRF", "CRFLoss"]


@keras.saving.register_keras_serializable(package="sktag")
class CRF(keras.layers.Layer):
    """The transition scores of a linear-chain CRF over the tags: weights, no computation.

    Holds ``transitions`` ``(n_classes, n_classes)`` (from, to), ``start``
    and ``end`` ``(n_classes,)``, all float32 and zero at first, and returns
    its input (the per-token scores, logits) unchanged: :class:`CRFLoss`
    scores whole tag sequences with them, and prediction
    (:class:`sktag.decoding.Lattice`) decodes with them in numpy.
    """

    def __init__(self, n_classes, **kwargs):
        super().__init__(**kwargs)
        self.n_classes = int(n_classes)
        zeros = keras.initializers.Zeros()
        self.transitions = self.add_weight(shape=(self.n_classes, self.n_classes),
                                           initializer=zeros, dtype="float32", name="transitions")
        self.start = self.add_weight(shape=(self.n_classes,), initializer=zeros,
                                     dtype="float32", name="start")
        self.end = self.add_weight(shape=(self.n_classes,), initializer=zeros, dtype="float32",
                                   name="end")

    def call(self, scores):
        return scores

    def compute_output_spec(self, scores):
        return keras.KerasTensor(scores.shape, dtype=scores.dtype)

    def get_config(self):
        return {**super().get_config(), "n_classes": self.n_classes}


class CRFLoss(keras.losses.Loss):
    """Negative log-likelihood of each tag sequence under a linear-chain CRF.

    ``y_true`` holds the class ids with -1 at padding (the sequence lengths
    the forward algorithm needs); ``y_pred`` the per-token scores (logits)
    ``(batch, length, n_classes)``. The score of a sequence is
    ``start[y_0] + sum_t scores[t, y_t] + sum_t transitions[y_(t-1), y_t] +
    end[y_last]``; its loss ``log Z - score``, with ``log Z`` from the
    forward algorithm in log space (float32 under every dtype policy). Each
    sentence's loss is spread evenly over its tokens, so that Keras's
    per-token sample weights (padding 0, sentence weights, class weights)
    weigh it by their mean over the sentence.
    """

    def __init__(self, crf, name="crf_loss", **kwargs):
        super().__init__(name=name, reduction="mean_with_sample_weight", **kwargs)
        self.crf = crf

    def call(self, y_true, y_pred):
        scores = ops.cast(y_pred, "float32")
        mask = ops.greater_equal(y_true, 0)
        labels = ops.where(mask, ops.cast(y_true, "int32"), 0)
        weights = ops.cast(mask, "float32")
        lengths = ops.sum(weights, axis=1)
        n = self.crf.n_classes
        transitions = ops.cast(self.crf.transitions, "float32")
        start, end = ops.cast(self.crf.start, "float32"), ops.cast(self.crf.end, "float32")
        # the gold sequences' scores
        emitted = ops.squeeze(ops.take_along_axis(scores, labels[..., None], axis=2), axis=2)
        steps = ops.take(ops.reshape(transitions, (-1,)), labels[:, :-1] * n + labels[:, 1:])
        last = ops.cast(lengths, "int32") - 1
        last_label = ops.squeeze(ops.take_along_axis(labels, last[:, None], axis=1), axis=1)
        gold = (ops.sum(emitted * weights, axis=1) + ops.sum(steps * weights[:, 1:], axis=1)
                + ops.take(start, labels[:, 0]) + ops.take(end, last_label))

        # log Z: the forward algorithm; a padded step keeps the message as it is
        def step(t, alpha):
            moved = (ops.logsumexp(alpha[:, :, None] + transitions[None], axis=1)
                     + ops.take(scores, t, axis=1))
            return ops.where(ops.take(mask, t, axis=1)[:, None], moved, alpha)

        alpha = ops.fori_loop(1, ops.shape(scores)[1], step, start[None] + scores[:, 0])
        log_z = ops.logsumexp(alpha + end[None], axis=1)
        per_token = (log_z - gold) / ops.maximum(lengths, 1.0)
        return per_token[:, None] * weights

    def get_config(self):
        return {"name": self.name}
