"""Keras model builders for token taggers.

A builder takes sizes and hyperparameters and returns an uncompiled Keras
model mapping a batch of padded token ids, shape ``(batch, length)``, to class
probabilities, shape ``(batch, length, n_classes)``. Padding is handled by the
tagger through per-token sample weights, not by Keras masks, so no layer can
silently drop or corrupt it.

The models train under Keras's mixed-precision policies
(``keras.mixed_precision.set_global_policy("mixed_bfloat16")`` or
``"mixed_float16"``): every layer computes in its compute dtype, the
variables stay float32 (so the weights sktag keeps and saves are float32),
and the softmax output is float32, so the loss is computed in float32 and
predicted probabilities are float32 whatever the policy.
"""

import contextlib
import random
import threading

import numpy as np

from ._tensorflow import keras  # TensorFlow imported without its start-up lines
from .architecture import (
    AFFIX_CHARS_LAYER,
    CHAR_CLASSES_LAYER,
    CHAR_CONV_LAYER,
    CHAR_EMBEDDING_LAYER,
    CHAR_ENCODER_MODEL,
    CHAR_POOL_LAYER,
    CLUSTER_EMBEDDING_LAYER,
    CLUSTER_PREFIX_LENGTHS,
    CLUSTER_PREFIXES_LAYER,
    CRF_LAYER,
    EMBEDDING_LAYER,
    ENCODERS,
    KNOWN_IDS_LAYER,
    MAX_CHARS,
    N_AFFIX,
    TAGGER_LAYER,
    WORD_DROPOUT_LAYER,
    WORD_TAGGER_MODEL,
    WORD_VECTORS_LAYER,
    char_filters,
)
from .crf_layer import CRF
from .vocabulary import CHAR_CLASSES

ops = keras.ops

try:  # where Keras 3 draws the seeds of layers created without one
    from keras.src.random import seed_generator as _keras_seed_generator
except ImportError:  # pragma: no cover
    _keras_seed_generator = None

__all__ = [
    "ENCODERS",
    "WordDropout",
    "AffixChars",
    "CharClasses",
    "DistinctTokens",
    "IdTable",
    "TokenRows",
    "TokenMask",
    "TokenAccuracy",
    "ZeroPadding",
    "build_model",
    "build_dense_model",
    "find_layer",
    "split_at_characters",
    "word_dropout_probabilities",
]

#: Columns of a character class table.
N_CHAR_CLASSES = len(CHAR_CLASSES)


_KERAS_SEEDS_LOCK = threading.RLock()


def _integer_spec(shape, dtype):
    """The symbolic output of a layer whose output is ids or a mask, not floats.

    Keras's default ``compute_output_spec`` gives a layer's output the
    layer's compute dtype: float32, or bfloat16 under a mixed policy, for
    what are int32 ids or a boolean mask at run time.
    """
    return keras.KerasTensor(shape, dtype=dtype)


@contextlib.contextmanager
def _keras_default_seeds(seed):
    """Let Keras draw the seeds of layers built here from ``random.Random(seed)``.

    Keras gives every initializer and random layer created without a seed
    one drawn from Python's global :mod:`random` generator. Seeding that
    generator is not enough where other threads draw from it at the same
    time: a Dask worker's event loop does, so the same ``random_state``
    gave different weights from one fit to the next there. Inside this
    context Keras draws from a private generator instead; the seeds are
    the ones ``random.seed(seed)`` would give. Builds in several threads
    take turns (a lock). ``seed=None`` changes nothing.
    """
    module = _keras_seed_generator
    if seed is None or not hasattr(module, "python_random"):
        if seed is not None:  # an unknown Keras layout: seed the global generator
            random.seed(seed)
        yield
        return
    with _KERAS_SEEDS_LOCK:
        saved = module.python_random
        module.python_random = random.Random(seed)
        try:
            yield
        finally:
            module.python_random = saved


@keras.saving.register_keras_serializable(package="sktag")
class WordDropout(keras.layers.Layer):
    """Replace token ids by their unknown id at random during training.

    Each id ``i`` is replaced by ``targets[i]`` (``[UNK]`` or the unknown id
    of its shape, see :meth:`sktag.Vocabulary.unknown_ids`) with probability
    ``rates[i]`` (see :func:`word_dropout_probabilities`); both are
    non-trainable weights, kept in float32 under any dtype policy. This is
    what trains the unknown embeddings:
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
        # float32 and never cast to a mixed policy's compute dtype: a rate is
        # compared with a float32 draw, and bfloat16's 8-bit mantissa would
        # move small rates (a frequent word's 1e-3) by up to 0.4%.
        self.rates = self.add_weight(
            shape=(self.n_vocab,), initializer="zeros", dtype="float32", trainable=False,
            autocast=False, name="rates",
        )
        self.targets = self.add_weight(
            shape=(self.n_vocab,), initializer="ones", dtype="int32", trainable=False,
            name="targets",
        )

    def call(self, ids, training=False):
        if not training:
            return ids
        # The draw and the comparison are float32 under any dtype policy; the
        # ids in and out are integers, so the compute dtype plays no part.
        rates = ops.cast(ops.take(self.rates, ids), "float32")
        draw = keras.random.uniform(ops.shape(ids), dtype="float32", seed=self.seed_generator)
        drop = draw < rates
        return ops.where(drop, ops.take(self.targets, ids), ids)

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, ids, training=False):
        return _integer_spec(ids.shape, ids.dtype)

    def get_config(self):
        return {**super().get_config(), "n_vocab": self.n_vocab, "seed": self.seed}


@keras.saving.register_keras_serializable(package="sktag")
class IdTable(keras.layers.Layer):
    """Look ids up in a fixed table of ids: ``table[ids]``.

    The table is a non-trainable int32 weight of shape ``(n_rows,)`` or
    ``(n_rows, width)``, set after the model is built (as the pretrained
    features' tables of :mod:`sktag.pretrained` are): the trained
    embedding's row of each word id (``known_ids``), or each word id's
    cluster prefix ids (``cluster_prefixes``).

    Parameters
    ----------
    n_rows : int
        Rows of the table: the ids it takes.
    width : int, default=None
        Ids per row; None for one (the output has the input's shape).
    """

    def __init__(self, n_rows, width=None, **kwargs):
        super().__init__(**kwargs)
        self.n_rows = int(n_rows)
        self.width = None if width is None else int(width)
        shape = (self.n_rows,) if self.width is None else (self.n_rows, self.width)
        self.table = self.add_weight(shape=shape, initializer="zeros", dtype="int32",
                                     trainable=False, name="table")

    def call(self, ids):
        return ops.take(self.table, ids, axis=0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (() if self.width is None else (self.width,))

    def compute_output_spec(self, ids):
        return _integer_spec(self.compute_output_shape(ids.shape), "int32")

    def get_config(self):
        return {**super().get_config(), "n_rows": self.n_rows, "width": self.width}


@keras.saving.register_keras_serializable(package="sktag")
class TokenMask(keras.layers.Layer):
    """Boolean mask of real tokens: ``ids != 0`` (``[PAD]`` is 0)."""

    def call(self, ids):
        return ops.not_equal(ids, 0)

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, ids):
        return _integer_spec(ids.shape, "bool")


@keras.saving.register_keras_serializable(package="sktag")
class ZeroPadding(keras.layers.Layer):
    """Zero the vectors of padding positions.

    Called as ``ZeroPadding()([x, mask])``. Before a convolution this makes a
    sentence's result independent of how much padding its batch adds: the
    padding looks exactly like the convolution's own zero border.
    """

    def call(self, inputs):
        x, mask = inputs
        # The mask in x's dtype: the layer's compute dtype under a mixed policy.
        return x * ops.expand_dims(ops.cast(mask, x.dtype), -1)

    def compute_output_shape(self, input_shapes):
        return input_shapes[0]


@keras.saving.register_keras_serializable(package="sktag")
class AffixChars(keras.layers.Layer):
    """The ids of the first and last ``n`` characters of each token.

    Maps character rows ``(..., max_chars)`` (left-aligned, 0-padded, as
    :class:`~sktag.vocabulary.CharVocabulary` writes them) to
    ``(..., 2 * n)``: ``n`` prefix ids then ``n`` suffix ids, 0 where the
    token is shorter. A max-pooled character CNN forgets *where* a character
    is; a suffix ("-ing", a Korean particle) is a position, so the tagger
    embeds these ids by position, as a CRF's prefix and suffix features do.

    Parameters
    ----------
    n : int, default=N_AFFIX
        Characters taken from each end.
    """

    def __init__(self, n=N_AFFIX, **kwargs):
        super().__init__(**kwargs)
        self.n = int(n)

    def call(self, char_ids):
        n = self.n
        lengths = ops.sum(ops.cast(ops.not_equal(char_ids, 0), "int32"), axis=-1, keepdims=True)
        positions = lengths - n + ops.arange(n, dtype="int32")  # last n positions, may be < 0
        suffix = ops.take_along_axis(char_ids, ops.maximum(positions, 0), axis=-1)
        suffix = ops.where(positions >= 0, suffix, ops.zeros_like(suffix))
        prefix = char_ids[..., :n]
        return ops.concatenate([prefix, suffix], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], 2 * self.n)

    def compute_output_spec(self, char_ids):
        return _integer_spec(self.compute_output_shape(char_ids.shape), char_ids.dtype)

    def get_config(self):
        return {**super().get_config(), "n": self.n}


@keras.saving.register_keras_serializable(package="sktag")
class CharClasses(keras.layers.Layer):
    """Case and kind of a token's characters: ``(..., max_chars) -> (..., 8)``.

    The classes (upper case, lower case, digit, symbol; see
    :meth:`sktag.vocabulary.CharVocabulary.char_classes`) of the first
    character, then of any character (their maximum over the token). The
    table is a non-trainable weight, so it travels with the model. A
    lowercased vocabulary gives "Apple" and "apple" one embedding, and the
    character embeddings learn case one letter at a time; these eight
    numbers say "capitalised", "all capitals" or "has a digit" for every
    letter at once, as the capitalisation features of classic taggers do.
    A character unseen in training is the unknown id, which has no class.
    The features are in the layer's compute dtype (0 and 1, exact in any).

    Parameters
    ----------
    n_chars : int
        Character vocabulary size, padding and unknown ids included.
    """

    def __init__(self, n_chars, **kwargs):
        super().__init__(**kwargs)
        self.n_chars = int(n_chars)
        self.table = self.add_weight(
            shape=(self.n_chars, N_CHAR_CLASSES), initializer="zeros", trainable=False,
            name="table",
        )

    def call(self, char_ids):
        classes = ops.take(self.table, char_ids, axis=0)  # (..., max_chars, 4); padding: 0
        # The table is a float32 variable even where the layer computes in
        # bfloat16 or float16; the CNN features it joins are in the compute dtype.
        classes = ops.cast(classes, self.compute_dtype)
        return ops.concatenate([classes[..., 0, :], ops.max(classes, axis=-2)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], 2 * N_CHAR_CLASSES)

    def get_config(self):
        return {**super().get_config(), "n_chars": self.n_chars}


@keras.saving.register_keras_serializable(package="sktag")
class DistinctTokens(keras.layers.Layer):
    """The distinct character rows of a batch, and which one each token has.

    Maps character ids ``(batch, length, max_chars)`` to ``[rows, index]``:
    ``rows`` ``(1, n_distinct, max_chars)`` holds each distinct row once
    (padding positions share the all-zero row), ``index`` ``(batch,
    length)`` the row of every position. A token's character features
    depend on its spelling alone, so the character encoder runs on ``rows``
    and :class:`TokenRows` hands the result back to every position: the same
    features and gradients as running it on every position, for the
    distinct tokens of a batch only (48% of the positions, padding
    included, of EWT's and UNER's batches of 64 sentences). It is TensorFlow's ``UniqueV2`` over rows, so
    this layer needs the TensorFlow backend, which sktag trains with.
    """

    def call(self, char_ids):
        import tensorflow as tf

        shape = ops.shape(char_ids)
        rows, index = tf.raw_ops.UniqueV2(
            x=ops.reshape(char_ids, (-1, shape[-1])), axis=[0], out_idx="int32"
        )
        return [ops.expand_dims(rows, 0), ops.reshape(index, (shape[0], shape[1]))]

    def compute_output_shape(self, input_shape):
        return [(1, None, input_shape[-1]), tuple(input_shape[:2])]

    def compute_output_spec(self, char_ids):
        rows, index = self.compute_output_shape(char_ids.shape)
        return [_integer_spec(rows, char_ids.dtype), _integer_spec(index, "int32")]


@keras.saving.register_keras_serializable(package="sktag")
class TokenRows(keras.layers.Layer):
    """The features of each position from those of the distinct rows.

    Called as ``TokenRows()([features, index])`` with ``features`` ``(1,
    n_distinct, n_features)`` and ``index`` ``(batch, length)`` from
    :class:`DistinctTokens`; returns ``(batch, length, n_features)``, in
    the features' dtype. The gradient of a row sums over the positions
    that share it.
    """

    def call(self, inputs):
        features, index = inputs
        return ops.take(features[0], index, axis=0)

    def compute_output_shape(self, input_shapes):
        features, index = input_shapes
        return (*index, features[-1])

    def compute_output_spec(self, inputs):
        features, index = inputs
        return keras.KerasTensor((*index.shape, features.shape[-1]), dtype=features.dtype)


@keras.saving.register_keras_serializable(package="sktag")
class TokenAccuracy(keras.metrics.Metric):
    """Share of correctly tagged tokens, weighted by per-token sample weights.

    Keras's ``SparseCategoricalAccuracy`` as a weighted metric first averages
    each sentence over the batch's padded length and so weighs batches of
    different lengths differently: across length-bucketed batches it is not
    the real-token accuracy. This metric sums ``weight * correct`` and
    ``weight`` over all tokens of all batches, so padding (weight 0) never
    counts and every real token counts once. The sums are float32 under any
    dtype policy (a metric's dtype is ``keras.config.floatx()``).
    """

    def __init__(self, name="accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.correct = self.add_variable(shape=(), initializer="zeros", name="correct")
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(y_true, "int32")
        hit = ops.cast(ops.equal(y_true, ops.cast(ops.argmax(y_pred, axis=-1), "int32")), self.dtype)
        weight = ops.ones_like(hit) if sample_weight is None else ops.cast(sample_weight, self.dtype)
        self.correct.assign_add(ops.sum(hit * weight))
        self.total.assign_add(ops.sum(weight))

    def result(self):
        return ops.divide_no_nan(self.correct, self.total)

    def reset_state(self):
        self.correct.assign(0.0)
        self.total.assign(0.0)


#: sktag's own Keras objects, the only custom code a safe model file may name.
CUSTOM_OBJECTS = {
    "sktag>CRF": CRF,
    "sktag>WordDropout": WordDropout,
    "sktag>TokenMask": TokenMask,
    "sktag>ZeroPadding": ZeroPadding,
    "sktag>AffixChars": AffixChars,
    "sktag>CharClasses": CharClasses,
    "sktag>TokenAccuracy": TokenAccuracy,
}


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


def build_dense_model(n_vocab, n_classes, *, d_model=64, word_dropout_rates=None,
                      word_dropout_targets=None):
    """Embedding + Dense: the tutorial's token classifier (``build_model`` with
    ``encoder="dense"`` and no characters).

    Parameters
    ----------
    n_vocab, n_classes, d_model, word_dropout_rates, word_dropout_targets
        See :func:`build_model`.

    Returns
    -------
    model : keras.Model
    """
    return build_model(
        n_vocab, n_classes, encoder="dense", d_model=d_model,
        word_dropout_rates=word_dropout_rates, word_dropout_targets=word_dropout_targets,
    )


def _char_features(char_ids, n_chars, char_dim, max_chars, n_affix=N_AFFIX, char_classes=None):
    """Character features of each token: ``(batch, length, n_features)``.

    A CNN over the characters, max-pooled (``4 * char_dim`` filters), the
    embeddings of the first and last ``n_affix`` characters by position
    (see :class:`AffixChars`), which share the CNN's character embedding,
    and with a ``char_classes`` table the 8 :class:`CharClasses` features.
    """
    filters = char_filters(char_dim)
    embedding = keras.layers.Embedding(n_chars, char_dim, name=CHAR_EMBEDDING_LAYER)
    x = embedding(char_ids)
    # (batch, length, max_chars, char_dim): a (1, 3) Conv2D is a 1-D convolution
    # over the characters of every token at once.
    x = keras.layers.Conv2D(filters, (1, 3), padding="same", activation="relu",
                            name=CHAR_CONV_LAYER)(x)
    x = keras.layers.MaxPooling2D((1, max_chars), name=CHAR_POOL_LAYER)(x)
    x = keras.layers.Reshape((-1, filters), name="char_cnn")(x)
    parts = [x]
    if n_affix:
        affixes = embedding(AffixChars(n_affix, name=AFFIX_CHARS_LAYER)(char_ids))
        parts.append(keras.layers.Reshape((-1, 2 * n_affix * char_dim),
                                          name="affix_features")(affixes))
    if char_classes is not None:
        classes = CharClasses(n_chars, name=CHAR_CLASSES_LAYER)
        parts.append(classes(char_ids))
        classes.table.assign(np.asarray(char_classes, dtype=np.float32))
    return parts[0] if len(parts) == 1 else keras.layers.Concatenate(name="char_features")(parts)


def build_model(
    n_vocab,
    n_classes,
    *,
    encoder="dense",
    d_model=64,
    n_chars=0,
    char_dim=0,
    max_chars=MAX_CHARS,
    char_classes=None,
    hidden_dim=128,
    n_layers=1,
    dropout=0.0,
    word_dropout_rates=None,
    word_dropout_targets=None,
    output="softmax",
    word_features=None,
    seed=None,
):
    """Build a token tagger: word (and character) features, an encoder, softmax or a CRF.

    Parameters
    ----------
    n_vocab : int
        Vocabulary size, padding and unknown ids included.
    n_classes : int
        Number of labels.
    encoder : {"dense", "conv", "bilstm"}, default="dense"
        ``"dense"`` tags each token from its own features (the tutorial's
        model); ``"conv"`` stacks ``n_layers`` 1-D convolutions (width 3) over
        the sentence; ``"bilstm"`` stacks ``n_layers`` bidirectional LSTMs.
    d_model : int, default=64
        Word embedding size.
    n_chars : int, default=0
        Character vocabulary size (used when ``char_dim > 0``).
    char_dim : int, default=0
        Character embedding size; 0 disables the character CNN. The CNN has
        ``4 * char_dim`` filters of width 3, max-pooled over the token.
    max_chars : int, default=MAX_CHARS
        Width of the character input of each token.
    char_classes : ndarray of shape (n_chars, 4), default=None
        The class table of the character ids
        (:meth:`~sktag.vocabulary.CharVocabulary.char_classes`); when given,
        the character features include :class:`CharClasses`.
    hidden_dim : int, default=128
        Filters of each convolution, or units of each LSTM direction.
    n_layers : int, default=1
        Number of context layers (ignored by ``"dense"``).
    dropout : float, default=0.0
        Dropout rate on the features and between layers.
    word_dropout_rates, word_dropout_targets : ndarray, default=None
        See :class:`WordDropout`; None disables word dropout.
    output : {"softmax", "crf"}, default="softmax"
        ``"crf"``: the model outputs the per-token scores (logits) through a
        :class:`CRF` layer, to train with :class:`CRFLoss`.
    word_features : sktag.pretrained.WordFeatureShapes, default=None
        Pretrained word features beside the trained embedding: ``n_extra``
        extra words (the last ids of ``n_vocab``, which the embedding has no
        rows for: a ``known_ids`` :class:`IdTable` maps them to unknown
        ids), a ``word_vectors`` embedding of ``vectors_dim`` (trained only
        with ``fine_tune_vectors``), and a ``cluster_prefixes``
        :class:`IdTable` with a ``cluster_embedding`` of ``cluster_dim``.
        Their tables start at zero: set them with
        :func:`sktag.pretrained.set_word_feature_tables`. None: none.
    seed : int, default=None
        Seed of the initial weights and of the dropout layers' generators,
        drawn from a private ``random.Random(seed)``: the same as after
        ``random.seed(seed)``, but safe from other threads that use
        :mod:`random` meanwhile (a Dask worker's event loop does). None
        draws them from Python's global :mod:`random`, as Keras does.

    Returns
    -------
    model : keras.Model
        Uncompiled. Inputs ``token_ids`` ``(batch, length)`` and, with
        characters, ``char_ids`` ``(batch, length, max_chars)``; output
        softmax probabilities ``(batch, length, n_classes)``. Padding
        positions never influence real tokens. With characters, the model
        is two nested models, ``char_encoder`` and ``word_tagger`` (see
        :func:`split_at_characters`).
    """
    with _keras_default_seeds(seed):
        if encoder not in ENCODERS:
            raise ValueError(f"encoder must be one of {ENCODERS}, got {encoder!r}.")
        name = encoder + ("_char" if char_dim else "") + "_tagger"

        def tag_words(ids, chars):
            return _tag_words(
                ids, chars, n_vocab, n_classes, encoder=encoder, d_model=d_model,
                hidden_dim=hidden_dim, n_layers=n_layers, dropout=dropout,
                word_dropout_rates=word_dropout_rates, word_dropout_targets=word_dropout_targets,
                output=output, word_features=word_features,
            )

        ids = keras.Input(shape=(None,), dtype="int32", name="token_ids")
        if not char_dim:
            return keras.Model(ids, tag_words(ids, None), name=name)
        # Two nested models, so that prediction can run the character encoder
        # once per distinct token (see split_at_characters).
        char_ids = keras.Input(shape=(None, max_chars), dtype="int32", name="char_ids")
        char_encoder = keras.Model(
            char_ids,
            _char_features(char_ids, n_chars, char_dim, max_chars, char_classes=char_classes),
            name=CHAR_ENCODER_MODEL,
        )
        word_ids = keras.Input(shape=(None,), dtype="int32", name="token_ids")
        # The features in the dtype the character encoder computes them in
        # (float32, or bfloat16/float16 under a mixed policy): no cast between.
        features = keras.Input(shape=(None, char_encoder.output.shape[-1]),
                               dtype=char_encoder.output.dtype, name="token_chars")
        word_tagger = keras.Model(
            [word_ids, features], tag_words(word_ids, features), name=WORD_TAGGER_MODEL
        )
        outer_chars = keras.Input(shape=(None, max_chars), dtype="int32", name="char_ids")
        # The character encoder runs once per distinct token of a batch.
        rows, index = DistinctTokens(name="distinct_tokens")(outer_chars)
        chars = TokenRows(name="token_rows")([char_encoder(rows), index])
        probs = word_tagger([ids, chars])
        return keras.Model({"token_ids": ids, "char_ids": outer_chars}, probs, name=name)


def _tag_words(ids, chars, n_vocab, n_classes, *, encoder, d_model, hidden_dim, n_layers,
               dropout, word_dropout_rates, word_dropout_targets, output, word_features):
    """Probabilities from token ids and, if not None, each token's character features."""
    mask = TokenMask(name="token_mask")(ids)
    x = ids
    if word_dropout_rates is not None:
        dropout_layer = WordDropout(n_vocab, name=WORD_DROPOUT_LAYER)
        x = dropout_layer(x)
        dropout_layer.rates.assign(np.asarray(word_dropout_rates, dtype=np.float32))
        if word_dropout_targets is not None:
            dropout_layer.targets.assign(np.asarray(word_dropout_targets, dtype=np.int32))
    x = _word_features(ids, x, n_vocab, d_model, word_features)
    if chars is not None:
        x = keras.layers.Concatenate(name="word_and_chars")([x, chars])
    if dropout:
        x = keras.layers.Dropout(dropout, name="feature_dropout")(x)
    for i in range(n_layers if encoder != "dense" else 0):
        if encoder == "conv":
            x = ZeroPadding(name=f"zero_padding_{i}")([x, mask])
            x = keras.layers.Conv1D(
                hidden_dim, 3, padding="same", activation="relu", name=f"conv_{i}"
            )(x)
        else:
            lstm = keras.layers.LSTM(hidden_dim, return_sequences=True)
            x = keras.layers.Bidirectional(lstm, name=f"bilstm_{i}")(x, mask=mask)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    # float32 under any dtype policy, as Keras's mixed-precision guide asks of
    # an output layer: the softmax and the loss are float32 (float16 would
    # round small probabilities to 0), predictions are float32 probabilities,
    # and the Keras loss finds the float32 logits under the softmax. It stays
    # one layer, so the layer names (and the weights) are those of float32.
    if output == "crf":  # logits for the CRF's sequence loss; the graphs add the softmax
        scores = keras.layers.Dense(n_classes, dtype="float32", name=TAGGER_LAYER)(x)
        return CRF(n_classes, name=CRF_LAYER)(scores)
    return keras.layers.Dense(n_classes, activation="softmax", dtype="float32",
                              name=TAGGER_LAYER)(x)


def _word_features(ids, dropped, n_vocab, d_model, shapes):
    """The trained embedding of the (word-dropped) ids, then the pretrained features of the ids.

    Word dropout reaches only the trained embedding: a dropped word keeps
    its vector and clusters, as a word unseen in training has them.
    """
    if shapes is None:
        return keras.layers.Embedding(n_vocab, d_model, name=EMBEDDING_LAYER)(dropped)
    if shapes.n_extra:
        dropped = IdTable(n_vocab, name=KNOWN_IDS_LAYER)(dropped)
    parts = [keras.layers.Embedding(n_vocab - shapes.n_extra, d_model,
                                    name=EMBEDDING_LAYER)(dropped)]
    if shapes.vectors_dim:
        parts.append(keras.layers.Embedding(
            n_vocab, shapes.vectors_dim, trainable=shapes.fine_tune_vectors,
            name=WORD_VECTORS_LAYER)(ids))
    if shapes.n_cluster_prefixes:
        prefixes = IdTable(n_vocab, len(CLUSTER_PREFIX_LENGTHS), name=CLUSTER_PREFIXES_LAYER)(ids)
        clusters = keras.layers.Embedding(shapes.n_cluster_prefixes, shapes.cluster_dim,
                                          name=CLUSTER_EMBEDDING_LAYER)(prefixes)
        parts.append(keras.layers.Reshape(
            (-1, len(CLUSTER_PREFIX_LENGTHS) * shapes.cluster_dim),
            name="cluster_features")(clusters))
    return parts[0] if len(parts) == 1 else keras.layers.Concatenate(name="word_features")(parts)


def find_layer(model, name):
    """The layer called ``name`` in ``model`` or in a model nested in it.

    Raises
    ------
    ValueError
        No such layer.
    """
    for layer in model.layers:
        if layer.name == name:
            return layer
        if isinstance(layer, keras.Model):
            try:
                return find_layer(layer, name)
            except ValueError:
                pass
    raise ValueError(f"No layer named {name!r} in model {model.name!r}.")


def split_at_characters(model):
    """``(char_encoder, word_tagger)`` of a model with characters, else None.

    ``char_encoder`` maps character ids ``(batch, length, max_chars)`` to
    features ``(batch, length, n_features)``; ``word_tagger`` maps
    ``[token_ids, features]`` to probabilities. A token's character features
    depend on its spelling alone, so batched prediction computes them once per
    distinct token. Models saved before the split (one flat graph) give None.
    """
    names = {layer.name for layer in model.layers}
    if not {CHAR_ENCODER_MODEL, WORD_TAGGER_MODEL} <= names:
        return None
    return model.get_layer(CHAR_ENCODER_MODEL), model.get_layer(WORD_TAGGER_MODEL)
