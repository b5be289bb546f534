"""Training under Keras's mixed-precision policies (``mixed_bfloat16``, ``mixed_float16``).

The layers compute in the policy's compute dtype, the variables and the
softmax output stay float32, so a tagger trained under a mixed policy keeps
float32 weights and predicts, saves and loads through sktag's numpy path
like any other.
"""

import numpy as np
import pytest

from sktag import TokenTagger, load

POLICIES = ["mixed_bfloat16", "mixed_float16"]

#: Every encoder, with and without characters (and their class table), and
#: what the training step can add: word dropout, dropout, class and sample
#: weights, validation data (not for the BiLSTM: it would double its compile
#: time), Adam's moving average, a kept optimizer.
ARCHITECTURES = {
    "dense": ({"encoder": "dense", "word_dropout": 1.0, "dropout": 0.2,
               "class_weight": "balanced"}, True),
    "conv_char": ({"encoder": "conv", "n_layers": 2, "char_dim": 4, "char_classes": True,
                   "optimizer__use_ema": True, "keep_optimizer": True}, True),
    "bilstm_char": ({"encoder": "bilstm", "char_dim": 4, "char_classes": False,
                     "dropout": 0.1}, False),
}

TINY = {"d_model": 8, "hidden_dim": 8, "epochs": 2, "batch_size": 8,
        "steps_per_execution": 1, "random_state": 0}


@pytest.fixture(params=POLICIES)
def policy(request):
    """Set a global mixed-precision policy for one test; restore the old one after."""
    from sktag._tensorflow import keras

    before = keras.mixed_precision.global_policy().name
    keras.mixed_precision.set_global_policy(request.param)
    try:
        yield request.param
    finally:  # even when the test fails: the next tests train in float32
        keras.mixed_precision.set_global_policy(before)


def _task():
    """20 sentences of 1 to 8 tokens; some words capitalised, a number, plurals."""
    rng = np.random.RandomState(0)
    words = ["The", "cat", "sat", "on", "mat", "Dog", "runs", "42", "fast", "!", "a", "big"]
    tags = ["DET", "NOUN", "VERB", "ADP", "NOUN", "PROPN", "VERB", "NUM", "ADV", "PUNCT",
            "DET", "ADJ"]
    X, y = [], []
    for _ in range(20):
        idx = rng.randint(len(words), size=rng.randint(1, 9))
        X.append([words[j] + ("s" if rng.rand() < 0.2 else "") for j in idx])
        y.append([tags[j] for j in idx])
    return X, y


def _unseen_sentences():
    """Sentences of several lengths, longer than any in training, unseen words too."""
    rng = np.random.RandomState(1)
    words = ["the", "Cat", "sits", "under", "42", "Zebras", "?", "mat"]
    return [[]] + [list(rng.choice(words, size=n)) for n in (1, 3, 9, 17, 40)]


@pytest.mark.parametrize("architecture", sorted(ARCHITECTURES))
def test_fit_predict_save_load(policy, architecture, tmp_path):
    X, y = _task()
    params, validation = ARCHITECTURES[architecture]
    tagger = TokenTagger(**TINY, **params)
    tagger.fit(X, y, sample_weight=np.linspace(0.5, 1.5, len(X)),
               validation_data=(X[:5], y[:5], np.ones(5)) if validation else None)

    keys = ("loss", "accuracy") + (("val_loss", "val_accuracy") if validation else ())
    assert sorted(tagger.history_) == sorted(keys)
    for key in keys:
        assert len(tagger.history_[key]) == 2
        assert np.all(np.isfinite(tagger.history_[key])), (key, tagger.history_[key])

    # The variables are float32 under a mixed policy, so are the kept weights:
    # what the numpy predictor and the model file take.
    for name, arrays in tagger._weights.items():
        for array in arrays:
            assert array.dtype in (np.float32, np.int32), (name, array.dtype)

    sentences = _unseen_sentences() + X[:3]
    labels = tagger.predict(sentences)
    assert [len(s) for s in labels] == [len(s) for s in sentences]
    assert all(label in tagger.classes_ for s in labels for label in s)
    proba = tagger.predict_proba(sentences)
    for s, p in zip(sentences, proba):
        assert p.dtype == np.float32 and p.shape == (len(s), len(tagger.classes_))
        np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)

    # The Keras model computes (in the policy's dtype) what the numpy path does.
    features = tagger.feature_encoder_.transform(X)
    inputs = features["token_ids"] if len(features) == 1 else features
    keras_proba = np.asarray(tagger.model_(inputs, training=False))
    assert keras_proba.dtype == np.float32  # the softmax layer is float32
    for i, p in enumerate(tagger.predict_proba(X)):
        np.testing.assert_allclose(p, keras_proba[i, : len(p)], atol=0.02)

    path = tmp_path / "tagger.sktag"
    tagger.save(path)
    loaded = load(path)
    assert loaded.predict(sentences) == labels
    for p, q in zip(loaded.predict_proba(sentences), proba):
        np.testing.assert_array_equal(p, q)


def test_kept_optimizer_resumes_under_another_policy(tmp_path):
    from sktag._tensorflow import keras

    X, y = _task()
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        tagger = TokenTagger(**TINY, keep_optimizer=True).fit(X, y)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    tagger.save(tmp_path / "tagger.sktag")
    loaded = load(tmp_path / "tagger.sktag")
    loaded.partial_fit(X, y)
    assert np.all(np.isfinite(loaded.history_["loss"]))


def test_the_dtype_policy_parameter_sets_the_models_policy_only(tmp_path):
    from sktag._tensorflow import keras

    X, y = _task()
    tagger = TokenTagger(**TINY, dtype_policy="mixed_bfloat16", keep_optimizer=True).fit(X, y)
    assert keras.config.dtype_policy().name == "float32"  # the global policy is left alone
    assert tagger.model_.dtype_policy.name == "mixed_bfloat16"
    assert tagger.model_.get_layer("embedding").output.dtype == "bfloat16"
    assert np.all(np.isfinite(tagger.history_["loss"]))
    assert all(w.dtype == np.float32 for arrays in tagger._weights.values() for w in arrays
               if w.dtype.kind == "f")
    tagger.save(tmp_path / "tagger.sktag")
    loaded = load(tmp_path / "tagger.sktag")
    assert loaded.dtype_policy == "mixed_bfloat16"
    assert loaded.model_.dtype_policy.name == "mixed_bfloat16"  # rebuilt under it
    loaded.partial_fit(X, y)
    assert np.all(np.isfinite(loaded.history_["loss"]))


# ----------------------------------------------------------------------
# the layers, without training
# ----------------------------------------------------------------------
def test_model_dtypes(policy):
    from sktag._tensorflow import keras
    from sktag.models import build_model

    compute = keras.mixed_precision.Policy(policy).compute_dtype
    model = build_model(
        30, 4, encoder="bilstm", d_model=4, n_chars=12, char_dim=2, max_chars=5,
        char_classes=np.eye(12, 4, dtype=np.float32), hidden_dim=4, dropout=0.1,
        word_dropout_rates=np.full(30, 0.5, np.float32),
        word_dropout_targets=np.ones(30, np.int32), seed=0,
    )
    assert all(w.dtype in ("float32", "int32") for w in model.weights)
    char_encoder, word_tagger = model.get_layer("char_encoder"), model.get_layer("word_tagger")
    assert char_encoder.get_layer("char_classes").output.dtype == compute
    assert char_encoder.output.dtype == compute
    assert word_tagger.get_layer("embedding").output.dtype == compute
    assert word_tagger.get_layer("bilstm_0").output.dtype == compute
    assert word_tagger.get_layer("word_dropout").output.dtype == "int32"
    assert word_tagger.get_layer("token_mask").output.dtype == "bool"
    assert model.output.dtype == "float32"

    rng = np.random.RandomState(0)
    ids = np.array([[5, 6, 7, 0, 0], [8, 9, 10, 11, 12]], dtype=np.int32)
    chars = rng.randint(1, 12, size=(2, 5, 5)).astype(np.int32)
    proba = np.asarray(model({"token_ids": ids, "char_ids": chars}, training=True))
    assert proba.dtype == np.float32 and np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=-1), 1.0, atol=1e-5)


def test_word_dropout_replaces_by_rate(policy):
    from sktag.models import WordDropout

    layer = WordDropout(6, seed=0)
    layer.rates.assign(np.array([0, 0, 1, 1, 0, 0], dtype=np.float32))
    layer.targets.assign(np.array([0, 1, 1, 1, 1, 1], dtype=np.int32))
    ids = np.array([[2, 3, 4, 5, 0]], dtype=np.int32)
    out = np.asarray(layer(ids, training=True))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[1, 1, 4, 5, 0]])
    np.testing.assert_array_equal(np.asarray(layer(ids, training=False)), ids)
