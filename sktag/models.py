"""Keras model builders for token taggers.

A builder takes sizes and hyperparameters and returns an uncompiled Keras
model mapping a batch of padded token ids, shape ``(batch, length)``, to class
probabilities, shape ``(batch, length, n_classes)``. Padding is handled by the
tagger through per-token sample weights, not by Keras masks, so no layer can
silently drop or corrupt it.
"""

import keras
import numpy as np
from keras import ops

__all__ = ["WordDropout", "build_dense_model", "word_dropout_probabilities"]


@keras.saving.register_keras_serializable(package="sktag")
class WordDropout(keras.layers.Layer):
    """Replace token ids by their unknown id at random during training.

    Each id ``i`` is replaced by ``targets[i]`` (``[UNK]`` or the unknown id
    of its shape, see :meth:`sktag.Vocabulary.unknown_ids`) with probability
    ``rates[i]`` (see :func:`word_dropout_probabilities`); both are
    non-trainable weights. This is what trains the unknown embeddings:
    without it, when every training word is in the vocabulary, the ``[UNK]``
    row keeps its random initial value and unseen words get an arbitrary
    tag. At inference the layer is the identity.

    Parameters
    ----------
    n_vocab : int
        Vocabulary size, ``[PAD]`` and ``[UNK]`` included.
    seed : int, default=None
        Seed of the layer's random generator.
    """

    def __init__(self, n_vocab, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.n_vocab = int(n_vocab)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.rates = self.add_weight(
            shape=(self.n_vocab,), initializer="zeros", trainable=False, name="rates"
        )
        self.targets = self.add_weight(
            shape=(self.n_vocab,), initializer="ones", dtype="int32", trainable=False,
            name="targets",
        )

    def call(self, ids, training=False):
        if not training:
            return ids
        rates = ops.take(self.rates, ids)
        drop = keras.random.uniform(ops.shape(ids), seed=self.seed_generator) < rates
        return ops.where(drop, ops.take(self.targets, ids), ids)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "n_vocab": self.n_vocab, "seed": self.seed}


def word_dropout_probabilities(counts, alpha, n_special=2):
    """Frequency-based word-dropout rates: ``alpha / (alpha + count)``.

    Rare words are dropped often and frequent words almost never, so the
    ``[UNK]`` embedding learns what rare words look like, which is what an
    unseen word most likely is (Kiperwasser and Goldberg, 2016).

    Parameters
    ----------
    counts : ndarray of int of shape (n_vocab,)
        Training frequency of each id (``Vocabulary.counts_``).
    alpha : float
        Strength; 0 disables word dropout.
    n_special : int, default=2
        Number of reserved ids (``[PAD]`` and the unknown ids), never dropped.

    Returns
    -------
    rates : ndarray of float32 of shape (n_vocab,)
    """
    counts = np.asarray(counts, dtype=np.float64)
    rates = np.zeros_like(counts)
    if alpha > 0:
        rates = alpha / (alpha + counts)
    rates[:n_special] = 0.0
    return rates.astype(np.float32)


def build_dense_model(
    n_vocab, n_classes, *, d_model=64, word_dropout_rates=None, word_dropout_targets=None
):
    """Embedding + Dense: the tutorial's token classifier.

    Each token is tagged from its own embedding alone; it learns one tag
    distribution per word.

    Parameters
    ----------
    n_vocab : int
        Vocabulary size, ``[PAD]`` and ``[UNK]`` included.
    n_classes : int
        Number of labels.
    d_model : int, default=64
        Embedding size.
    word_dropout_rates : ndarray of shape (n_vocab,), default=None
        Per-id probability of being replaced by its unknown id in training;
        None disables word dropout.
    word_dropout_targets : ndarray of int of shape (n_vocab,), default=None
        Per-id unknown id to replace it with; None means ``[UNK]`` (1).

    Returns
    -------
    model : keras.Model
        Uncompiled; input int32 ids ``(batch, length)``, output softmax
        probabilities ``(batch, length, n_classes)``.
    """
    ids = keras.Input(shape=(None,), dtype="int32", name="token_ids")
    x = ids
    if word_dropout_rates is not None:
        dropout = WordDropout(n_vocab, name="word_dropout")
        x = dropout(x)
        dropout.rates.assign(np.asarray(word_dropout_rates, dtype=np.float32))
        if word_dropout_targets is not None:
            dropout.targets.assign(np.asarray(word_dropout_targets, dtype=np.int32))
    x = keras.layers.Embedding(n_vocab, d_model, name="embedding")(x)
    probs = keras.layers.Dense(n_classes, activation="softmax", name="tagger")(x)
    return keras.Model(ids, probs, name="dense_tagger")
