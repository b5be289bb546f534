"""Sentences in batches of similar length, padded per batch: for training and prediction."""

import numpy as np

from .vocabulary import PAD_ID, pad_sequences

__all__ = ["EncodedSentences", "FlatSentences", "SentenceBatches", "model_inputs",
           "prediction_batches"]


def model_inputs(features):
    """The model's input structure: the id array alone, or a dict of inputs."""
    return features["token_ids"] if len(features) == 1 else features


def prediction_batches(lengths, max_positions=512, max_sentences=64):
    """Indices of sentences in batches for prediction, shortest sentences first.

    Sentences are sorted by length and a batch is closed before its padded
    size (sentences x longest length) would exceed ``max_positions`` or it
    would hold more than ``max_sentences``: length-sorted batches pad far
    less than fixed-size ones, and small batches keep a batch's
    intermediate arrays in the CPU's caches (docs/design.md has the
    measurements, from ``benchmarks/predict_profile.py``). Empty sentences
    are left out.

    Parameters
    ----------
    lengths : sequence of int
        Number of tokens of each sentence.
    max_positions : int, default=512
        Largest padded batch, in token positions (a longer sentence still
        gets a batch of its own).
    max_sentences : int, default=64
        Most sentences in one batch.

    Returns
    -------
    batches : list of ndarray of int
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    order = np.argsort(lengths, kind="stable")
    order = order[lengths[order] > 0]
    sorted_lengths = lengths[order].tolist()  # Python ints: a faster loop
    batches, start = [], 0
    for end in range(1, len(order) + 1):
        size = end - start
        if end == len(order) or size == max_sentences or (
            (size + 1) * sorted_lengths[end] > max_positions
        ):
            batches.append(order[start:end])
            start = end
    return batches


class FlatSentences:
    """Sentences as one flat run of tokens, padded per batch by index arithmetic.

    Prediction keeps every per-token array (word ids, character-feature rows,
    label ids) flat, in sentence order; a batch is then one gather from the
    flat array, with no per-sentence Python, and a batch's outputs go back to
    the flat order in one scatter.

    Parameters
    ----------
    lengths : sequence of int
        Number of tokens of each sentence.

    Attributes
    ----------
    lengths : ndarray of int64 of shape (n_sentences,)
    starts : ndarray of int64 of shape (n_sentences,)
        Flat index of each sentence's first token.
    n_tokens : int
        Number of tokens of all sentences, and the index :meth:`positions`
        gives padding.
    """

    def __init__(self, lengths):
        self.lengths = np.asarray(lengths, dtype=np.int64).reshape(-1)
        ends = np.cumsum(self.lengths)
        self.starts = ends - self.lengths
        self.n_tokens = int(ends[-1]) if len(ends) else 0

    def batches(self, max_positions=512, max_sentences=64):
        """Sentence indices per batch: :func:`prediction_batches` of the lengths."""
        return prediction_batches(self.lengths, max_positions, max_sentences)

    def positions(self, batch):
        """Flat index of each position of a padded batch.

        Parameters
        ----------
        batch : ndarray of int
            Sentence indices, as :meth:`batches` gives them.

        Returns
        -------
        index : ndarray of intp of shape (len(batch), longest length)
            Row ``r``, column ``j``: the flat index of token ``j`` of
            sentence ``batch[r]``, or ``n_tokens`` at padding, so that
            ``np.append(values, pad)[index]`` is the padded batch of a flat
            array.
        mask : ndarray of bool, same shape
            True at real tokens.
        """
        lengths = self.lengths[batch]
        columns = np.arange(lengths.max() if len(lengths) else 0)
        mask = columns < lengths[:, None]
        index = np.where(mask, self.starts[batch][:, None] + columns, self.n_tokens)
        return index.astype(np.intp, copy=False), mask

    def split(self, flat):
        """Per-sentence slices of a flat sequence (a list or an array).

        Parameters
        ----------
        flat : sequence of length n_tokens

        Returns
        -------
        list
            One slice per sentence, in sentence order.
        """
        return [flat[start : start + n]
                for start, n in zip(self.starts.tolist(), self.lengths.tolist())]


class EncodedSentences:
    """Encoded data: per-sentence features, label ids and sentence weights."""

    def __init__(self, features, labels, weights):
        self.features = features
        self.labels = labels
        self.weights = weights

    def __len__(self):
        return len(self.labels)

    def split_tail(self, fraction):
        """Split off the last ``fraction`` of sentences, as Keras's validation_split does."""
        n_val = int(round(len(self) * fraction))
        if n_val == 0 or n_val == len(self):
            raise ValueError(
                f"validation_split={fraction} leaves no sentence for "
                f"{'validation' if n_val == 0 else 'training'} out of {len(self)}."
            )
        cut = len(self) - n_val

        def part(sl):
            return EncodedSentences(
                {k: v[sl] for k, v in self.features.items()}, self.labels[sl], self.weights[sl]
            )

        return part(slice(None, cut)), part(slice(cut, None))


class SentenceBatches:
    """Batches of sentences of similar length, padded per batch.

    Sentences are sorted by length (ties broken at random when shuffling)
    and cut into batches, and the batch order is shuffled every epoch, so a
    batch is padded only to its own longest sentence. Each batch is
    ``(inputs, label ids, token weights)`` with weight 0 on padding; with
    ``class_weights`` (one per class id) a token's weight is also multiplied
    by its class's weight. Padded labels are ``label_padding``: 0, or -1 for
    a loss that needs the sentences' lengths (the CRF's).
    """

    def __init__(self, data, batch_size, *, shuffle=False, seed=0, class_weights=None,
                 label_padding=0):
        self.data = data
        self.label_padding = label_padding
        self.class_weights = class_weights
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self._rng = np.random.RandomState(seed)
        self._lengths = np.array([len(ids) for ids in data.features["token_ids"]])
        self._make_batches()

    def _make_batches(self):
        if self.shuffle:
            order = np.lexsort((self._rng.random_sample(len(self._lengths)), self._lengths))
        else:
            order = np.argsort(self._lengths, kind="stable")
        self._batches = [
            order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)
        ]
        if self.shuffle:
            self._rng.shuffle(self._batches)

    def __len__(self):
        return len(self._batches)

    def __getitem__(self, index):
        batch = self._batches[index]
        inputs = {
            name: pad_sequences([seqs[i] for i in batch])
            for name, seqs in self.data.features.items()
        }
        labels = pad_sequences([self.data.labels[i] for i in batch])
        real = inputs["token_ids"] != PAD_ID
        weights = real * self.data.weights[batch][:, None]
        if self.class_weights is not None:
            weights = weights * self.class_weights[labels]
        if self.label_padding:
            labels = np.where(real, labels, self.label_padding)
        return model_inputs(inputs), labels, weights.astype(np.float32)

    def to_dataset(self):
        """A ``tf.data.Dataset`` over the batches, reshuffled every epoch.

        Not a ``keras.utils.PyDataset``: Keras infers a PyDataset's shapes
        from its first batches and then rejects batches of other lengths.
        """
        import tensorflow as tf

        first = self[0][0]
        specs = (
            tf.nest.map_structure(
                lambda array: tf.TensorSpec((None, None) + array.shape[2:], tf.int32), first
            ),
            tf.TensorSpec((None, None), tf.int32),
            tf.TensorSpec((None, None), tf.float32),
        )

        def epoch():
            for index in range(len(self)):
                yield self[index]
            if self.shuffle:
                self._make_batches()

        dataset = tf.data.Dataset.from_generator(epoch, output_signature=specs)
        return dataset.apply(tf.data.experimental.assert_cardinality(len(self))).prefetch(2)
