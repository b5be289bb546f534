"""Serving: a fitted tagger predicts without TensorFlow, from any number of threads."""

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pytest

from sktag import TokenTagger

# Imported in a fresh process before anything else: every import of TensorFlow,
# Keras or scikeras fails there, so a prediction that needs one fails loudly.
# The onnx package is not blocked but must not be imported either: it costs
# most of a second at start-up (sktag writes its graphs' bytes itself).
BLOCK_TENSORFLOW = textwrap.dedent(
    """
    import sys

    class _Blocked:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("tensorflow", "keras", "scikeras"):
                raise ImportError(f"{name} is blocked in this test")

    sys.meta_path.insert(0, _Blocked())
    """
)
CONFIGS = {
    "dense": dict(d_model=8),
    "dense-chars": dict(d_model=8, char_dim=4),
    "conv": dict(encoder="conv", n_layers=2, char_dim=4, hidden_dim=8, d_model=8),
    "bilstm": dict(encoder="bilstm", char_dim=4, hidden_dim=8, d_model=8, dropout=0.1),
}
SENTENCES = [["the", "cat", "sat"], ["unseen", "Wordz", "!"], [], ["a"] * 70, ["dog"]]


@pytest.fixture(scope="module")
def fitted(toy_pos_module):
    X, y = toy_pos_module
    return {name: TokenTagger(**params, epochs=2, learning_rate=0.05, random_state=0).fit(X, y)
            for name, params in CONFIGS.items()}


@pytest.fixture(scope="module")
def toy_pos_module():
    X = [["the", "cat", "sat"], ["a", "dog", "ran"], ["the", "dog", "sat", "down"]] * 6
    y = [["D", "N", "V"], ["D", "N", "V"], ["D", "N", "V", "R"]] * 6
    return X, y


def _run_without_tensorflow(code, tmp_path):
    script = BLOCK_TENSORFLOW + textwrap.dedent(code)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_the_blocker_blocks(tmp_path):
    result = subprocess.run([sys.executable, "-c", BLOCK_TENSORFLOW + "import keras"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "keras is blocked" in result.stderr


@pytest.mark.parametrize("name", CONFIGS)
def test_an_unpickled_tagger_predicts_without_tensorflow(fitted, name, tmp_path):
    tagger = fitted[name]
    joblib.dump(tagger, tmp_path / "m.joblib")
    expected = tagger.predict_proba(SENTENCES)
    _run_without_tensorflow(
        f"""
        import joblib, numpy as np
        tagger = joblib.load("m.joblib")
        np.savez("out.npz", *tagger.predict_proba({SENTENCES!r}))
        labels = tagger.predict({SENTENCES!r})
        assert labels == {tagger.predict(SENTENCES)!r}, labels
        assert tagger.score([["the", "cat", "sat"]], [["D", "N", "V"]]) >= 0
        assert not [m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "onnx")]
        """,
        tmp_path,
    )
    with np.load(tmp_path / "out.npz") as got:
        for i, want in enumerate(expected):
            np.testing.assert_array_equal(got[f"arr_{i}"], want)


@pytest.mark.parametrize("name", ["dense", "bilstm"])
def test_a_saved_model_file_loads_and_predicts_without_tensorflow(fitted, name, tmp_path):
    tagger = fitted[name]
    tagger.save(tmp_path / "m.sktag")
    _run_without_tensorflow(
        f"""
        import sktag
        tagger = sktag.load("m.sktag")
        assert tagger.predict({SENTENCES!r}) == {tagger.predict(SENTENCES)!r}
        assert not [m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "onnx")]
        """,
        tmp_path,
    )


@pytest.mark.parametrize("name", ["dense", "conv", "bilstm"])
def test_eight_threads_predict_what_one_does(fitted, name):
    tagger = fitted[name]
    rng = np.random.RandomState(0)
    words = ["the", "cat", "sat", "a", "dog", "ran", "down", "unseen", "Zed", "!"]
    batches = [[list(rng.choice(words, size=n)) for n in rng.randint(0, 12, size=rng.randint(1, 6))]
               for _ in range(64)]
    sequential = [tagger.predict_proba(batch) for batch in batches]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(tagger.predict_proba, batches))
    for got, want in zip(concurrent, sequential, strict=True):
        for g, w in zip(got, want, strict=True):
            np.testing.assert_array_equal(g, w)


def test_training_again_imports_keras_and_continues(fitted, toy_pos_module, tmp_path):
    X, y = toy_pos_module
    copy = joblib.load(_dump(fitted["conv"], tmp_path))
    assert "_trainer" not in vars(copy)
    copy.partial_fit(X, y)
    assert len(copy.history_["loss"]) == 3
    assert copy.model_.count_params() == fitted["conv"].model_.count_params()


def _dump(tagger, tmp_path):
    joblib.dump(tagger, tmp_path / "t.joblib")
    return tmp_path / "t.joblib"


@pytest.mark.parametrize("name", CONFIGS)
def test_to_onnx_is_one_standalone_model_that_predicts_like_the_tagger(fitted, name, tmp_path):
    import json

    import onnxruntime

    tagger = fitted[name]
    tagger.to_onnx(tmp_path / "m.onnx")
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"),
                                           providers=["CPUExecutionProvider"])
    meta = json.loads(session.get_modelmeta().custom_metadata_map["sktag.preprocessing"])
    assert meta["labels"] == tagger.classes_.tolist()
    assert meta["tokens"] == tagger.vocabulary_.tokens_.tolist()
    sentences = [s for s in SENTENCES if s]
    features = tagger.feature_encoder_.transform(sentences)
    inputs = {"token_ids": features["token_ids"].astype(np.int64)}
    if "char_ids" in features:
        assert [i.name for i in session.get_inputs()] == ["token_ids", "char_ids"]
        inputs["char_ids"] = features["char_ids"].astype(np.int64)
        assert len(meta["chars"]) + 2 == len(tagger.char_vocabulary_)
    else:
        assert [i.name for i in session.get_inputs()] == ["token_ids"]
    probabilities = session.run(None, inputs)[0]
    for i, want in enumerate(tagger.predict_proba(sentences)):
        np.testing.assert_allclose(probabilities[i, : len(sentences[i])], want, atol=1e-6)


def test_sktag_export_writes_the_onnx_model(fitted, tmp_path, capsys):
    from sktag.cli import main

    joblib.dump(fitted["bilstm"], tmp_path / "m.joblib")
    assert main(["export", str(tmp_path / "m.joblib"), str(tmp_path / "m.onnx"),
                 "--trust-pickle"]) == 0
    assert "ONNX model written to" in capsys.readouterr().out
    assert (tmp_path / "m.onnx").read_bytes() == fitted["bilstm"].to_onnx().SerializeToString()


def test_feature_cache_appends_rows_and_stops_at_its_size():
    from sktag.inference import FeatureCache

    cache = FeatureCache(width=3, size=300)
    first = np.arange(600, dtype=np.float32).reshape(200, 3)
    cache.add([f"w{i}" for i in range(200)], first)
    cache.add(["w0", "w1"], np.full((2, 3), -1.0, np.float32))  # known: unchanged
    second = np.ones((200, 3), np.float32)
    cache.add([f"v{i}" for i in range(200)], second)  # grows past 256 rows, stops at 300
    rows = cache.lookup(["w0", "w199", "v0", "v99", "v100", "new"])
    assert rows == [0, 199, 200, 299, None, None]
    np.testing.assert_array_equal(cache.table[rows[:4]], [first[0], first[199], second[0], second[99]])
