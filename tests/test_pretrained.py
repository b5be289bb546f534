"""Pretrained word vectors and clusters inside the tagger (sktag.pretrained).

The toy task: a word's tag is the sign of the first coordinate of its vector
(N for +, V for -). Training sees a few words; the test words are known only
to the vectors (and to the clusters, whose paths split the two groups), so
only a model that reads them can tag them.
"""

import gzip
import os

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

import sktag
from sktag import TokenTagger, Vocabulary
from sktag.architecture import (
    CLUSTER_PREFIXES_LAYER,
    EMBEDDING_LAYER,
    KNOWN_IDS_LAYER,
    WORD_VECTORS_LAYER,
    word_feature_table,
)
from sktag.persistence import ModelFileError
from sktag.pretrained import extra_words, word_tables
from sktag.vectors import WordClusters, WordVectors

NOUNS = ["cat", "dog", "tree", "house", "river", "stone", "lamp", "chair", "bird", "cloud"]
VERBS = ["ran", "sat", "ate", "sang", "fell", "slept", "swam", "flew", "hid", "lost"]
TRAIN_NOUNS, TEST_NOUNS = NOUNS[:4], NOUNS[4:]
TRAIN_VERBS, TEST_VERBS = VERBS[:4], VERBS[4:]


def _vectors():
    rng = np.random.default_rng(0)
    words = ["the"] + NOUNS + VERBS
    matrix = rng.normal(0, 0.1, size=(len(words), 6)).astype(np.float32)
    for i, word in enumerate(words):
        matrix[i, 0] = 1.0 if word in NOUNS else -1.0 if word in VERBS else 0.0
    return WordVectors(words, matrix)


def _clusters():
    words = NOUNS + VERBS
    # nouns share the prefix 0000, verbs 1111: training sees both prefixes
    paths = ["0000" + format(i, "04b") for i in range(len(NOUNS))] + \
            ["1111" + format(i, "04b") for i in range(len(VERBS))]
    return WordClusters(words, paths)


def _corpus(nouns, verbs, n=60, seed=0):
    rng = np.random.default_rng(seed)
    X, y = [], []
    for _ in range(n):
        noun, verb = rng.choice(nouns), rng.choice(verbs)
        X.append(["the", str(noun), str(verb)])
        y.append(["D", "N", "V"])
    return X, y


X_TRAIN, Y_TRAIN = _corpus(TRAIN_NOUNS, TRAIN_VERBS)
X_TEST, Y_TEST = _corpus(TEST_NOUNS, TEST_VERBS, n=30, seed=1)
FAST = {"d_model": 4, "epochs": 12, "learning_rate": 0.05, "random_state": 0}


@pytest.fixture(scope="module")
def with_vectors():
    return TokenTagger(word_vectors=_vectors(), **FAST).fit(X_TRAIN, Y_TRAIN)


@pytest.fixture(scope="module")
def with_both():
    return TokenTagger(encoder="conv", hidden_dim=8, word_vectors=_vectors(),
                       word_clusters=_clusters(), cluster_dim=3, **FAST).fit(X_TRAIN, Y_TRAIN)


def _noun_verb_accuracy(tagger, X, y):
    predicted = tagger.predict(X)
    pairs = [(p, t) for ps, ts in zip(predicted, y) for p, t in zip(ps[1:], ts[1:])]
    return np.mean([p == t for p, t in pairs])


def test_words_never_seen_in_training_are_tagged_from_their_vectors(with_vectors):
    without = TokenTagger(**FAST).fit(X_TRAIN, Y_TRAIN)
    assert _noun_verb_accuracy(with_vectors, X_TEST, Y_TEST) == 1.0
    # Unseen words all look alike ([UNK]) without vectors: at most one of the two tags.
    assert _noun_verb_accuracy(without, X_TEST, Y_TEST) <= 0.6
    assert with_vectors.vectors_dim_ == 6
    assert with_vectors.vocabulary_.n_extra_ > 0


def test_clusters_alone_tag_unseen_words():
    tagger = TokenTagger(word_clusters=_clusters(), cluster_dim=3, **FAST).fit(X_TRAIN, Y_TRAIN)
    assert tagger.vectors_dim_ == 0 and tagger.n_cluster_prefixes_ > 1
    assert _noun_verb_accuracy(tagger, X_TEST, Y_TEST) == 1.0


def test_a_capitalised_token_finds_a_lowercased_vector(with_vectors):
    vocabulary = with_vectors.vocabulary_
    assert "River" in vocabulary.vocabulary_ and "river" in vocabulary.vocabulary_
    table = with_vectors._weights[WORD_VECTORS_LAYER][0]
    assert np.array_equal(table[vocabulary.vocabulary_["River"]],
                          table[vocabulary.vocabulary_["river"]])
    # ... but it keeps the unknown row of its own shape in the trained embedding.
    known = with_vectors._weights[KNOWN_IDS_LAYER][0]
    assert known[vocabulary.vocabulary_["River"]] == vocabulary.vocabulary_["[UNK:Aa]"]
    assert known[vocabulary.vocabulary_["river"]] == vocabulary.vocabulary_["[UNK]"]
    assert with_vectors.predict([["the", "River", "Swam"]])[0][1:] == ["N", "V"]


def test_max_vector_words_caps_the_extra_words():
    tagger = TokenTagger(word_vectors=_vectors(), max_vector_words=3, **FAST).fit(X_TRAIN, Y_TRAIN)
    # "the", "cat", "dog": the first three words, which training has; capitalised, they are new.
    assert tagger.vocabulary_.tokens_[-3:].tolist() == ["The", "Cat", "Dog"]
    zero = TokenTagger(word_vectors=_vectors(), max_vector_words=0, **FAST).fit(X_TRAIN, Y_TRAIN)
    assert zero.vocabulary_.n_extra_ == 0 and KNOWN_IDS_LAYER not in zero._weights
    # training words still get their vectors
    table = zero._weights[WORD_VECTORS_LAYER][0]
    assert table[zero.vocabulary_.vocabulary_["cat"], 0] == 1.0


def test_extra_words_order_and_capitals():
    vectors, clusters = _vectors(), WordClusters(["Zurich", "cat"], ["01", "10"])
    assert extra_words(vectors, None, 3) == ["the", "The", "cat", "Cat", "dog", "Dog"]
    assert extra_words(vectors, None, 2, lowercase_vocabulary=True) == ["the", "cat"]
    # the clusters are cased: their words are taken as written, after the vectors'
    assert extra_words(vectors, clusters, 22)[-1:] == ["Zurich"]


def test_vocabulary_extra_words_get_the_last_ids_and_their_shapes():
    vocabulary = Vocabulary().fit([["a", "b"]], extra_words=["b", "Zed", "42", "zed"])
    assert vocabulary.n_extra_ == 3
    assert vocabulary.tokens_[-3:].tolist() == ["Zed", "42", "zed"]
    shapes = vocabulary.unknown_ids()[-3:].tolist()
    assert shapes == [vocabulary.vocabulary_[s] for s in ("[UNK:Aa]", "[UNK:0]", "[UNK]")]
    assert vocabulary.counts_[-3:].tolist() == [0, 0, 0]
    restored = Vocabulary.from_state(vocabulary.to_state())
    assert restored.n_extra_ == 3 and restored.vocabulary_ == vocabulary.vocabulary_
    with pytest.raises(TypeError, match=r"extra_words\[1\] is 3"):
        Vocabulary().fit([["a"]], extra_words=["x", 3])


def test_the_model_keeps_only_the_rows_it_uses(with_vectors):
    tables, _ = word_tables(with_vectors.vocabulary_, _vectors(), None)
    assert with_vectors._weights[WORD_VECTORS_LAYER][0].shape == (len(with_vectors.vocabulary_), 6)
    assert np.array_equal(with_vectors._weights[WORD_VECTORS_LAYER][0],
                          tables[WORD_VECTORS_LAYER])  # frozen: unchanged by training
    n_trained = len(with_vectors.vocabulary_) - with_vectors.vocabulary_.n_extra_
    assert with_vectors._weights[EMBEDDING_LAYER][0].shape == (n_trained, 4)


def test_fine_tuned_vectors_move_for_training_words_only():
    tagger = TokenTagger(word_vectors=_vectors(), fine_tune_vectors=True, **FAST)
    tagger.fit(X_TRAIN, Y_TRAIN)
    start, _ = word_tables(tagger.vocabulary_, _vectors(), None)
    trained = tagger._weights[WORD_VECTORS_LAYER][0]
    ids = tagger.vocabulary_.vocabulary_
    assert not np.allclose(trained[ids["cat"]], start[WORD_VECTORS_LAYER][ids["cat"]])
    assert np.array_equal(trained[ids["river"]], start[WORD_VECTORS_LAYER][ids["river"]])


@pytest.mark.parametrize("fixture", ["with_vectors", "with_both"])
def test_model_files_joblib_and_onnx_predict_alike_without_the_vectors(fixture, request,
                                                                       tmp_path):
    tagger = request.getfixturevalue(fixture)
    X = X_TEST[:5] + [["The", "Unheard", "x"]]
    expected = tagger.predict_proba(X)
    tagger.save(tmp_path / "m.sktag")
    loaded = sktag.load(tmp_path / "m.sktag")
    assert loaded.word_vectors is None  # a parameter of code: the file keeps only the rows
    joblib.dump(loaded, tmp_path / "m.joblib")
    for other in (loaded, joblib.load(tmp_path / "m.joblib")):
        for a, b in zip(other.predict_proba(X), expected):
            np.testing.assert_allclose(a, b, atol=1e-6)
    import onnxruntime as ort

    model = tagger.to_onnx()
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    ids = tagger.vocabulary_.transform(X).astype(np.int64)
    onnx_proba = session.run(None, {"token_ids": ids})[0]
    for i, sentence in enumerate(expected):
        np.testing.assert_allclose(onnx_proba[i, : len(sentence)], sentence, atol=1e-5)


def test_keras_model_and_served_table_agree(with_both):
    import keras

    ids = with_both.vocabulary_.transform(X_TEST[:4])
    keras_proba = with_both.model_.predict(ids, verbose=0)
    for i, sentence in enumerate(with_both.predict_proba(X_TEST[:4])):
        np.testing.assert_allclose(keras_proba[i, : len(sentence)], sentence, atol=1e-5)
    assert keras.backend.backend() == "tensorflow"


def test_partial_fit_after_load_keeps_the_word_features(with_both, tmp_path):
    with_both.save(tmp_path / "m.sktag")
    loaded = sktag.load(tmp_path / "m.sktag")
    before = loaded._weights[WORD_VECTORS_LAYER][0].copy()
    loaded.partial_fit(X_TRAIN, Y_TRAIN)
    assert np.array_equal(loaded._weights[WORD_VECTORS_LAYER][0], before)
    assert _noun_verb_accuracy(loaded, X_TEST, Y_TEST) == 1.0


def test_a_file_whose_id_table_points_outside_its_embedding_is_refused(with_both, tmp_path):
    weights = dict(with_both._weights)
    prefixes = weights[CLUSTER_PREFIXES_LAYER][0].copy()
    prefixes[5, 0] = -3
    bad = clone(with_both)
    vars(bad).update({k: v for k, v in vars(with_both).items() if k.endswith("_")
                      or k.startswith("_")})
    bad._weights = {**weights, CLUSTER_PREFIXES_LAYER: [prefixes]}
    bad.save(tmp_path / "bad.sktag")
    with pytest.raises(ModelFileError, match=r"bad.sktag: the ids of cluster_prefixes must be "
                                             r"in \[0, \d+\)"):
        sktag.load(tmp_path / "bad.sktag")


def test_parameters_clone_and_grid_search_over_vectors_or_none():
    vectors = _vectors()
    tagger = TokenTagger(word_vectors=vectors, **FAST)
    assert clone(tagger).get_params()["word_vectors"] is vectors  # immutable: not copied
    search = GridSearchCV(TokenTagger(**FAST), {"word_vectors": [None, vectors]}, cv=2,
                          refit=False).fit(X_TRAIN + X_TEST, Y_TRAIN + Y_TEST)
    scores = search.cv_results_["mean_test_score"]
    assert scores[1] > scores[0]


def test_word_vectors_of_a_type_it_cannot_read_is_a_type_error():
    with pytest.raises(TypeError, match="word vectors|WordVectors"):
        TokenTagger(word_vectors=42, **FAST).fit(X_TRAIN, Y_TRAIN)


def test_a_vectors_file_path_and_the_command_line(tmp_path):
    vectors = _vectors()
    path = tmp_path / "vectors.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for word, row in zip(vectors.words, vectors.vectors):
            f.write(word + " " + " ".join(f"{v:.6f}" for v in row) + "\n")
    tagger = TokenTagger(word_vectors=str(path), **FAST).fit(X_TRAIN, Y_TRAIN)
    assert _noun_verb_accuracy(tagger, X_TEST, Y_TEST) == 1.0

    from sktag.cli import main

    train = tmp_path / "train.iob"
    train.write_text("\n\n".join("\n".join(f"{t}\t{g}" for t, g in zip(x, y))
                                 for x, y in zip(X_TRAIN, Y_TRAIN)) + "\n", encoding="utf-8")
    model = tmp_path / "m.sktag"
    assert main(["train", str(train), "-o", str(model), "--word-vectors", str(path),
                 "--d-model", "4", "--epochs", "12", "--learning-rate", "0.05"]) in (0, None)
    assert sktag.load(model).vectors_dim_ == 6
    assert os.path.getsize(model) > 0


def test_word_feature_table_is_the_keras_concatenation(with_both):
    table = word_feature_table(with_both._weights)
    assert table.shape == (len(with_both.vocabulary_), 4 + 6 + 4 * 3)
