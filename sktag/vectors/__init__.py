"""Pretrained word vectors and Brown word clusters, read offline.

:class:`WordVectors` holds words and a float32 matrix, one row per word;
:class:`WordClusters` holds words and their Brown cluster bit-string paths.
Both are immutable values: their arrays are read-only, ``copy.deepcopy``
(and so :func:`sklearn.base.clone`) returns the object itself, and they
pickle whole.

Readers:

- :func:`read_word_vectors` reads GloVe ``.txt`` (no header),
  word2vec / fastText ``.vec`` text (a header line ``"<n_words> <dim>"``),
  either gzip-compressed (``.gz``), and word2vec binary files, streamed in
  bounded memory;
- :func:`read_word_clusters` reads Percy Liang's ``brown-cluster`` ``paths``
  file and spaCy v2's ``<lang>_lexeme_cluster.json(.gz)`` tables
  (``spacy-lookups-data``);
- :func:`as_word_vectors` and :func:`as_word_clusters` turn what a user
  holds (a path, a gensim ``KeyedVectors``, a ``(words, array)`` pair, a
  dict) into these classes.

A malformed file raises :class:`sktag.io.DataFormatError`, whose message
starts with ``"<file>:<line>: "``, as the corpus readers' do; a word2vec
binary file numbers its header as line 1 and each word's row as one line.

Lookup convention: a token is looked up under ``lookup_key(token)``.
Vectors (or clusters) none of whose words changes under ``str.lower`` are
lowercased, as GloVe 6B's are, and tokens are lowercased before lookup
(:attr:`WordVectors.lowercase`); vectors whose words hold the digit 0 and no
other digit were trained on text whose digits were all replaced by 0, and
tokens get the same replacement (:attr:`WordVectors.zero_digits`).
Otherwise tokens are looked up as they are.

One module per concept: :mod:`~sktag.vectors.lexicon` (what both classes
share), :mod:`~sktag.vectors.word_vectors`,
:mod:`~sktag.vectors.vector_files` (reading vectors),
:mod:`~sktag.vectors.clusters` (Brown paths and :class:`WordClusters`),
:mod:`~sktag.vectors.cluster_files` (reading clusters) and
:mod:`~sktag.vectors.sources` (opening files as bytes). Every public name
is imported from here.
"""

from .cluster_files import MAX_JSON_BYTES, as_word_clusters, read_word_clusters
from .clusters import WordClusters, brown_paths_from_ints, path_prefix
from .vector_files import as_word_vectors, read_word_vectors
from .word_vectors import MAX_DIM, WordVectors

__all__ = [
    "MAX_DIM",
    "MAX_JSON_BYTES",
    "WordClusters",
    "WordVectors",
    "as_word_clusters",
    "as_word_vectors",
    "brown_paths_from_ints",
    "path_prefix",
    "read_word_clusters",
    "read_word_vectors",
]
