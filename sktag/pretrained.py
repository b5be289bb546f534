"""Pretrained word vectors and word clusters as part of a tagger's model.

What :class:`~sktag.TokenTagger` does with its ``word_vectors`` and
``word_clusters`` (read by :mod:`sktag.vectors`):

* **Extra words** (:func:`extra_words`). The first ``max_vector_words``
  words of the vectors, then of the clusters, get ids in the vocabulary
  although the training data may not have them, so that a word never seen in
  training is tagged from its vector and clusters. When the vectors are
  lowercased (GloVe) and the vocabulary is not, each word also gets an id
  capitalised (``paris`` and ``Paris``): a token finds an extra word spelled
  as the word or, for lowercased vectors, capitalised; other spellings are
  unknown words (their vector row is zero). Extra words share the trained
  embedding's row of their unknown id (``[UNK]``, ``[UNK:Aa]`` ...): the
  ``known_ids`` table.
* **Tables** (:func:`word_tables`). Every vocabulary id's vector (the row of
  its ``lookup_key``, zero when the vectors do not have it) and its Brown
  cluster path prefixes of :data:`~sktag.architecture.CLUSTER_PREFIX_LENGTHS`
  (an id per distinct prefix, 0 when the word has no cluster). The fitted
  model keeps these rows only: a model file, a joblib file or an ONNX export
  needs no vectors file.
* **Shapes** (:class:`WordFeatureShapes`): what the Keras model and the model
  file need to know of them.

At prediction the trained embedding, the vectors and the cluster embeddings
are one table (:func:`sktag.architecture.word_feature_table`): serving costs
a wider embedding, nothing more.
"""

from dataclasses import dataclass

import numpy as np

from .architecture import (
    CLUSTER_PREFIX_LENGTHS,
    CLUSTER_PREFIXES_LAYER,
    KNOWN_IDS_LAYER,
    WORD_VECTORS_LAYER,
)

__all__ = ["WordFeatureShapes", "extra_words", "load_word_features", "word_tables"]


@dataclass(frozen=True)
class WordFeatureShapes:
    """The sizes of a model's pretrained word features.

    Attributes
    ----------
    n_extra : int, default=0
        Extra words: the last ids of the vocabulary.
    vectors_dim : int, default=0
        Width of the word vectors; 0 without.
    n_cluster_prefixes : int, default=0
        Rows of the cluster prefix embedding (distinct prefixes and the 0 of
        "no cluster"); 0 without clusters.
    cluster_dim : int, default=0
        Width of each prefix's embedding.
    fine_tune_vectors : bool, default=False
        Whether training updates the vectors.
    """

    n_extra: int = 0
    vectors_dim: int = 0
    n_cluster_prefixes: int = 0
    cluster_dim: int = 0
    fine_tune_vectors: bool = False

    def __bool__(self):
        return bool(self.n_extra or self.vectors_dim or self.n_cluster_prefixes)


def load_word_features(word_vectors, word_clusters):
    """``(WordVectors or None, WordClusters or None)`` of a tagger's parameters.

    Paths are read (:func:`sktag.vectors.read_word_vectors`,
    :func:`~sktag.vectors.read_word_clusters`); other values are turned into
    those classes by :func:`~sktag.vectors.as_word_vectors` and
    :func:`~sktag.vectors.as_word_clusters`, which say what to pass instead
    of a value they cannot use.
    """
    from .vectors import as_word_clusters, as_word_vectors

    vectors = None if word_vectors is None else as_word_vectors(word_vectors)
    clusters = None if word_clusters is None else as_word_clusters(word_clusters)
    return vectors, clusters


def extra_words(vectors, clusters, max_words, *, lowercase_vocabulary=False):
    """The words pretrained features add to the vocabulary, most frequent first.

    Parameters
    ----------
    vectors : WordVectors or None
    clusters : WordClusters or None
    max_words : int
        Take the first ``max_words`` words of the vectors, then as many of
        the clusters' as the vectors leave room for (file order: most
        frequent first), each once.
    lowercase_vocabulary : bool, default=False
        Whether the vocabulary lowercases tokens. If not, the words of a
        lowercased source are also given capitalised.

    Returns
    -------
    words : list of str
        For :meth:`Vocabulary.fit <sktag.Vocabulary.fit>`'s ``extra_words``
        (it skips the words it already has).
    """
    words, seen = [], set()
    for source in (vectors, clusters):
        if source is None:
            continue
        capitalise = source.lowercase and not lowercase_vocabulary
        for word in source.words:
            if len(seen) >= max_words:
                return words
            if word in seen:
                continue
            seen.add(word)
            words.append(word)
            title = word[:1].upper() + word[1:]
            if capitalise and title != word:
                words.append(title)
    return words


def word_tables(vocabulary, vectors, clusters):
    """The fixed tables of a model's pretrained features, for a fitted vocabulary.

    Parameters
    ----------
    vocabulary : Vocabulary
        Fitted, with its extra words (``n_extra_``).
    vectors : WordVectors or None
    clusters : WordClusters or None

    Returns
    -------
    tables : dict of str to ndarray
        Layer name -> its table: ``known_ids`` (int32, with extra words:
        each id's row of the trained embedding, its own or, for an extra
        word, its unknown id's), ``word_vectors`` (float32, each id's
        vector) and ``cluster_prefixes`` (int32 ``(n_ids, n_lengths)``).
    n_cluster_prefixes : int
        The rows the cluster prefix embedding needs; 0 without clusters.
    """
    tokens = vocabulary.tokens_.tolist()
    n_special = vocabulary.n_special_
    tables = {}
    n_extra = getattr(vocabulary, "n_extra_", 0)
    if n_extra:
        known = np.arange(len(tokens), dtype=np.int32)
        known[len(tokens) - n_extra:] = vocabulary.unknown_ids()[len(tokens) - n_extra:]
        tables[KNOWN_IDS_LAYER] = known
    if vectors is not None:
        table = np.zeros((len(tokens), vectors.dim), dtype=np.float32)
        index = vectors.index
        rows = [(i, index.get(vectors.lookup_key(token)))
                for i, token in enumerate(tokens[n_special:], n_special)]
        found = [(i, row) for i, row in rows if row is not None]
        if found:
            ids, source_rows = map(list, zip(*found))
            table[ids] = vectors.vectors[source_rows]
        tables[WORD_VECTORS_LAYER] = table
    n_prefixes = 0
    if clusters is not None:
        prefix_ids = {}  # (length, prefix) -> id; 0 is "no cluster"
        table = np.zeros((len(tokens), len(CLUSTER_PREFIX_LENGTHS)), dtype=np.int32)
        for i, token in enumerate(tokens[n_special:], n_special):
            path = clusters.path(clusters.lookup_key(token))
            if path is None:
                continue
            for j, length in enumerate(CLUSTER_PREFIX_LENGTHS):
                key = (length, path[:length])
                table[i, j] = prefix_ids.setdefault(key, len(prefix_ids) + 1)
        tables[CLUSTER_PREFIXES_LAYER] = table
        n_prefixes = len(prefix_ids) + 1
    return tables, n_prefixes
