"""What a tagger's model is, in plain values: no Keras, ONNX or TensorFlow.

The names of the context encoders (the ``encoder`` parameter of
:class:`~sktag.TokenTagger`), the model's geometry (:data:`MAX_CHARS`,
:data:`N_AFFIX`, :func:`char_filters`), the names of its layers,
:class:`GraphSpec` (the structure that the weights alone do not say) and
:func:`expected_weight_shapes`. The Keras builders (:mod:`sktag.models`),
the ONNX graphs (:mod:`sktag.onnx_graphs`), the tagger's parameter checks and
the model-file schema (:mod:`sktag.persistence`) all take them from here.
"""

from dataclasses import dataclass

import numpy as np

__all__ = [
    "AFFIX_CHARS_LAYER",
    "CHAR_CLASSES_LAYER",
    "CHAR_CONV_LAYER",
    "CHAR_EMBEDDING_LAYER",
    "CHAR_ENCODER_MODEL",
    "CHAR_POOL_LAYER",
    "CLUSTER_EMBEDDING_LAYER",
    "CLUSTER_PREFIXES_LAYER",
    "CLUSTER_PREFIX_LENGTHS",
    "CONTEXT_LAYER_PREFIXES",
    "CRF_LAYER",
    "EMBEDDING_LAYER",
    "ENCODERS",
    "ID_WEIGHTS",
    "KNOWN_IDS_LAYER",
    "LAYER_NAMES",
    "MAX_CHARS",
    "N_AFFIX",
    "OUTPUTS",
    "PRECISIONS",
    "TAGGER_LAYER",
    "UNTRAINED_LAYERS",
    "WORD_DROPOUT_LAYER",
    "WORD_TAGGER_MODEL",
    "WORD_VECTORS_LAYER",
    "GraphSpec",
    "char_filters",
    "check_id_weights",
    "expected_weight_shapes",
    "serving_weights",
    "word_feature_table",
]

#: The values of :class:`~sktag.TokenTagger`'s ``encoder`` parameter.
ENCODERS = ("dense", "conv", "bilstm")
#: The values of its ``output`` parameter: per-token softmax, or a linear-chain CRF.
OUTPUTS = ("softmax", "crf")
#: The values of its ``precision`` parameter: the word tagger graph in float32,
#: or with int8 weights and dynamically quantized products (:mod:`sktag.onnx_graphs`).
PRECISIONS = ("float32", "int8")

#: Default width of a token's row of character ids
#: (:class:`~sktag.vocabulary.CharVocabulary`'s ``max_chars``).
MAX_CHARS = 20
#: Characters taken from each end of a token (``AffixChars``); a character
#: vocabulary's rows hold at least this many characters.
N_AFFIX = 3


def char_filters(char_dim):
    """Filters of the character CNN: ``4 * char_dim``."""
    return 4 * char_dim


# The names of the layers of build_model's models: the keys of the weights
# (sktag.keras_reading.keras_weights), of a model file's arrays and of the graphs' inputs.
#: Word embedding.
EMBEDDING_LAYER = "embedding"
#: The output Dense layer (softmax, or the CRF's per-token scores).
TAGGER_LAYER = "tagger"
#: The CRF's transition, start and end scores (``output="crf"``).
CRF_LAYER = "crf"
#: Word dropout's rates and targets (not trained).
WORD_DROPOUT_LAYER = "word_dropout"
#: With extra words (pretrained vectors' words not in the training data): each
#: word id's row of the trained embedding, its own or its unknown id's (not trained).
KNOWN_IDS_LAYER = "known_ids"
#: Pretrained vectors, a row per word id (frozen unless ``fine_tune_vectors``).
WORD_VECTORS_LAYER = "word_vectors"
#: Each word id's cluster prefix ids, one per :data:`CLUSTER_PREFIX_LENGTHS` (not trained).
CLUSTER_PREFIXES_LAYER = "cluster_prefixes"
#: The embedding of the cluster prefixes.
CLUSTER_EMBEDDING_LAYER = "cluster_embedding"
#: The character embedding, shared by the CNN and the affixes.
CHAR_EMBEDDING_LAYER = "char_embedding"
#: The character CNN's convolution.
CHAR_CONV_LAYER = "char_conv"
#: Its max-pooling over all ``max_chars`` positions.
CHAR_POOL_LAYER = "char_pool"
#: The prefix and suffix character ids (``AffixChars``).
AFFIX_CHARS_LAYER = "affix_chars"
#: The character class table (``CharClasses``; not trained).
CHAR_CLASSES_LAYER = "char_classes"
#: The nested models of a model with characters.
CHAR_ENCODER_MODEL = "char_encoder"
WORD_TAGGER_MODEL = "word_tagger"
#: Layers whose weights are not trained (no optimizer slots); the word vectors
#: too, unless fine-tuned.
UNTRAINED_LAYERS = frozenset({WORD_DROPOUT_LAYER, CHAR_CLASSES_LAYER, KNOWN_IDS_LAYER,
                              CLUSTER_PREFIXES_LAYER})
#: ``(layer, index)`` of the weights that are int32 ids; all others are float32.
ID_WEIGHTS = frozenset({(WORD_DROPOUT_LAYER, 1), (KNOWN_IDS_LAYER, 0), (CLUSTER_PREFIXES_LAYER, 0)})
#: Lengths of the Brown-cluster path prefixes a word's cluster features are
#: made of (Ratinov & Roth 2009; Turian et al. 2010).
CLUSTER_PREFIX_LENGTHS = (4, 6, 10, 20)
#: Every fixed layer name of build_model's models (the context layers aside).
LAYER_NAMES = frozenset({
    "token_ids", "char_ids", "token_chars", CHAR_ENCODER_MODEL, WORD_TAGGER_MODEL,
    CHAR_EMBEDDING_LAYER, CHAR_CONV_LAYER, CHAR_POOL_LAYER, "char_cnn", AFFIX_CHARS_LAYER,
    "affix_features", CHAR_CLASSES_LAYER, "char_features", WORD_DROPOUT_LAYER,
    EMBEDDING_LAYER, "word_and_chars", "token_mask", "feature_dropout", TAGGER_LAYER,
    "distinct_tokens", "token_rows", CRF_LAYER, KNOWN_IDS_LAYER, WORD_VECTORS_LAYER,
    CLUSTER_PREFIXES_LAYER, CLUSTER_EMBEDDING_LAYER, "cluster_features", "word_features",
})
#: Prefixes of the context layers, numbered from 0 (``conv_0``, ``bilstm_1`` ...).
CONTEXT_LAYER_PREFIXES = ("conv_", "zero_padding_", "bilstm_", "dropout_")


@dataclass(frozen=True)
class GraphSpec:
    """The structure of a tagger's model: what the weights alone do not say.

    Parameters
    ----------
    encoder : {"dense", "conv", "bilstm"}
        The model's context encoder (``build_model``'s ``encoder``).
    n_layers : int, default=1
        Number of context layers; ignored, as by ``build_model``, when
        ``encoder="dense"``.
    char : bool, default=False
        Whether the model has the character encoder.
    max_chars : int, default=MAX_CHARS
        Width of each token's row of character ids (with ``char``).
    n_affix : int, default=N_AFFIX
        Characters taken from each end of a token (``AffixChars``); 0 for none.
    char_classes : bool, default=False
        Whether the character features end with ``CharClasses``.
    output : {"softmax", "crf"}, default="softmax"
        The output layer: with ``"crf"`` the model also holds the ``crf``
        layer's transition scores (the graphs compute the same per-token
        scores either way; decoding reads the transitions).
    """

    encoder: str
    n_layers: int = 1
    char: bool = False
    max_chars: int = MAX_CHARS
    n_affix: int = N_AFFIX
    char_classes: bool = False
    output: str = "softmax"

    def __post_init__(self):
        if self.encoder not in ENCODERS:
            raise ValueError(f"encoder must be one of {ENCODERS}, got {self.encoder!r}.")
        if self.output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}, got {self.output!r}.")
        for field, low in (("n_layers", 0), ("max_chars", 1), ("n_affix", 0)):
            value = getattr(self, field)
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < low:
                raise ValueError(f"{field} must be an int >= {low}, got {value!r}.")
        if self.char and self.n_affix > self.max_chars:
            raise ValueError(
                f"n_affix ({self.n_affix}) cannot exceed max_chars ({self.max_chars})."
            )

    @property
    def n_context_layers(self):
        """Number of context layers the graph has: 0 for ``"dense"``."""
        return 0 if self.encoder == "dense" else int(self.n_layers)

    @classmethod
    def from_params(cls, params, *, char_vocabulary=None):
        """The spec of the model a tagger's parameters build.

        Parameters
        ----------
        params : mapping
            ``encoder``, ``n_layers``, ``char_dim``, ``char_classes`` and,
            optionally, ``output`` (default ``"softmax"``: files and pickles
            that predate it), as :class:`~sktag.TokenTagger` takes them.
        char_vocabulary : CharVocabulary, default=None
            The fitted character vocabulary; its ``max_chars`` is the
            graph's. Needed when ``char_dim > 0``.

        Returns
        -------
        spec : GraphSpec
            With characters only when ``char_dim > 0`` (``char_classes``
            counts only then) and :data:`N_AFFIX` affix characters.

        Raises
        ------
        ValueError
            ``char_dim > 0`` without a character vocabulary, or values
            :class:`GraphSpec` refuses.
        """
        char = bool(params["char_dim"])
        if char and char_vocabulary is None:
            raise ValueError("char_dim > 0 needs a character vocabulary.")
        return cls(
            encoder=params["encoder"], n_layers=params["n_layers"], char=char,
            max_chars=char_vocabulary.max_chars if char else MAX_CHARS, n_affix=N_AFFIX,
            char_classes=bool(char and params["char_classes"]),
            output=params.get("output") or "softmax",
        )


def expected_weight_shapes(spec, *, n_vocab, n_classes, d_model, n_chars=0, char_dim=0,
                           hidden_dim=128, word_dropout=False, n_extra=0, vectors_dim=0,
                           n_cluster_prefixes=0, cluster_dim=0):
    """The weight shapes of the model :func:`sktag.models.build_model` makes.

    What :func:`sktag.keras_reading.keras_weights` of that model gives, shapes
    only, computed from the sizes alone: a model file's header says how big
    every array must be before any of them is read.

    Parameters
    ----------
    spec : GraphSpec
        The model's structure (``spec.char`` gives the character encoder,
        with ``spec.n_affix`` prefix and suffix characters and, with
        ``spec.char_classes``, the class table).
    n_vocab, n_classes, d_model, n_chars, char_dim, hidden_dim
        As given to ``build_model``; ``n_chars`` and ``char_dim`` only count
        with ``spec.char``.
    word_dropout : bool, default=False
        Whether the model has the ``word_dropout`` layer (``build_model``
        was given ``word_dropout_rates``).
    n_extra, vectors_dim, n_cluster_prefixes, cluster_dim : int, default=0
        The vocabulary's extra words (the last ``n_extra`` of the
        ``n_vocab`` ids, which the trained embedding has no row for), the
        width of the pretrained vectors and the rows and width of the
        cluster prefix embedding; 0 for none (see :mod:`sktag.pretrained`).

    Returns
    -------
    shapes : dict of str to list of tuple of int
        Layer name -> the shape of each of its weight arrays, in
        ``layer.get_weights()`` order. All are float32 except those of
        :data:`ID_WEIGHTS` (int32 ids).
    """
    from .vocabulary import CHAR_CLASSES

    shapes = {}
    if word_dropout:
        shapes[WORD_DROPOUT_LAYER] = [(n_vocab,), (n_vocab,)]  # rates, targets
    if n_extra:
        shapes[KNOWN_IDS_LAYER] = [(n_vocab,)]
    shapes[EMBEDDING_LAYER] = [(n_vocab - n_extra, d_model)]
    width = d_model
    if vectors_dim:
        shapes[WORD_VECTORS_LAYER] = [(n_vocab, vectors_dim)]
        width += vectors_dim
    if n_cluster_prefixes:
        shapes[CLUSTER_PREFIXES_LAYER] = [(n_vocab, len(CLUSTER_PREFIX_LENGTHS))]
        shapes[CLUSTER_EMBEDDING_LAYER] = [(n_cluster_prefixes, cluster_dim)]
        width += len(CLUSTER_PREFIX_LENGTHS) * cluster_dim
    if spec.char:
        filters = char_filters(char_dim)
        shapes[CHAR_EMBEDDING_LAYER] = [(n_chars, char_dim)]
        shapes[CHAR_CONV_LAYER] = [(1, 3, char_dim, filters), (filters,)]
        width += filters + 2 * spec.n_affix * char_dim
        if spec.char_classes:
            shapes[CHAR_CLASSES_LAYER] = [(n_chars, len(CHAR_CLASSES))]
            width += 2 * len(CHAR_CLASSES)
    for i in range(spec.n_context_layers):
        if spec.encoder == "conv":
            shapes[f"conv_{i}"] = [(3, width, hidden_dim), (hidden_dim,)]
            width = hidden_dim
        else:
            direction = [(width, 4 * hidden_dim), (hidden_dim, 4 * hidden_dim), (4 * hidden_dim,)]
            shapes[f"bilstm_{i}"] = direction + direction  # forward, then backward
            width = 2 * hidden_dim
    shapes[TAGGER_LAYER] = [(width, n_classes), (n_classes,)]
    if spec.output == "crf":
        # from-to transitions, start and end scores
        shapes[CRF_LAYER] = [(n_classes, n_classes), (n_classes,), (n_classes,)]
    return shapes


def check_id_weights(weights):
    """Raise if a table of ids (:data:`ID_WEIGHTS`) holds an id outside what it indexes.

    Parameters
    ----------
    weights : dict of str to list of ndarray
        Layer name -> weights, with the shapes of
        :func:`expected_weight_shapes`.

    Raises
    ------
    ValueError
        Naming the layer and the range its ids must be in.
    """
    # (layer, index of its id array, the layer whose rows the ids index)
    tables = ((WORD_DROPOUT_LAYER, 1, WORD_DROPOUT_LAYER), (KNOWN_IDS_LAYER, 0, EMBEDDING_LAYER),
              (CLUSTER_PREFIXES_LAYER, 0, CLUSTER_EMBEDDING_LAYER))
    for layer, index, indexed in tables:
        if layer not in weights:
            continue
        ids, n = np.asarray(weights[layer][index]), len(weights[indexed][0])
        if ids.size and (ids.min() < 0 or ids.max() >= n):
            raise ValueError(f"the ids of {layer} must be in [0, {n}); they range over "
                             f"[{ids.min()}, {ids.max()}].")


def word_feature_table(weights):
    """Each word id's features, one row: what the graphs and predictors gather.

    The trained embedding's row (with extra words, the row
    ``known_ids`` gives), then the pretrained vector and the embeddings of
    the cluster prefixes when the model has them: the concatenation the
    Keras model computes per token, done once per id. Without pretrained
    features it is the embedding itself.

    Parameters
    ----------
    weights : dict of str to list of ndarray
        Layer name -> weights of a fitted model, their ids checked
        (:func:`check_id_weights`).

    Returns
    -------
    table : ndarray of float32 of shape (n_vocab, n_features)
    """
    table = weights[EMBEDDING_LAYER][0]
    if KNOWN_IDS_LAYER in weights:
        table = table[weights[KNOWN_IDS_LAYER][0]]
    parts = [table]
    if WORD_VECTORS_LAYER in weights:
        parts.append(weights[WORD_VECTORS_LAYER][0])
    if CLUSTER_PREFIXES_LAYER in weights:
        prefixes = weights[CLUSTER_PREFIXES_LAYER][0]
        parts.append(weights[CLUSTER_EMBEDDING_LAYER][0][prefixes].reshape(len(prefixes), -1))
    if len(parts) == 1:
        return table
    return np.ascontiguousarray(np.concatenate(parts, axis=1), dtype=np.float32)


def serving_weights(weights):
    """``weights`` with the word features merged into one embedding (:func:`word_feature_table`).

    The graphs and predictors take a model's word features from
    :data:`EMBEDDING_LAYER` alone; the layers merged into it are left out.
    """
    merged = (KNOWN_IDS_LAYER, WORD_VECTORS_LAYER, CLUSTER_PREFIXES_LAYER, CLUSTER_EMBEDDING_LAYER)
    if not any(name in weights for name in merged):
        return weights
    served = {name: arrays for name, arrays in weights.items() if name not in merged}
    served[EMBEDDING_LAYER] = [word_feature_table(weights)]
    return served
