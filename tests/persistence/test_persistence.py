"""joblib/pickle round trips give the same predictions, also in a fresh process.

``fitted_dense``, ``fitted_kept`` and ``toy_data`` are the session's (conftest.py).
"""

import pickle
import subprocess
import sys
import textwrap

import joblib
import numpy as np
import pytest

from sktag import TokenTagger


def test_joblib_round_trip_in_a_fresh_process(toy_data, fitted_dense, tmp_path):
    X, _ = toy_data
    tagger = fitted_dense
    model_path = tmp_path / "tagger.joblib"
    joblib.dump(tagger, model_path)
    sentences = X[:10] + [["unseen", "words", "here"], []]
    expected = tagger.predict_proba(sentences)

    script = textwrap.dedent(
        f"""
        import os, pickle, sys
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
        import joblib
        assert "sktag" not in sys.modules and "scikeras" not in sys.modules
        tagger = joblib.load({str(model_path)!r})
        with open({str(tmp_path / "out.pkl")!r}, "wb") as f:
            pickle.dump((tagger.predict_proba({sentences!r}), tagger.predict({sentences!r})), f)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=300)
    with open(tmp_path / "out.pkl", "rb") as f:
        proba, labels = pickle.load(f)
    assert len(proba) == len(expected)
    for got, want in zip(proba, expected):
        np.testing.assert_array_equal(got, want)
    assert labels == tagger.predict(sentences)


def test_pickle_keeps_fitted_state_and_can_keep_training(toy_data, fitted_dense):
    X, y = toy_data
    tagger = fitted_dense
    copy = pickle.loads(pickle.dumps(tagger))
    assert copy.history_ == tagger.history_
    assert list(copy.classes_) == list(tagger.classes_)
    assert copy.vocabulary_.vocabulary_ == tagger.vocabulary_.vocabulary_
    copy.partial_fit(X, y)
    assert len(copy.history_["loss"]) == 3


def test_fitted_with_callback_instances_still_pickles(toy_pos, tmp_path):
    import keras

    X, y = toy_pos
    logger = keras.callbacks.CSVLogger(str(tmp_path / "h.csv"))
    tagger = TokenTagger(d_model=4, epochs=1, random_state=0, callbacks=[logger]).fit(X, y)
    assert (tmp_path / "h.csv").exists()
    # fit trains with a copy: the parameter object is left as it was given.
    assert logger.csv_file is None
    copy = pickle.loads(pickle.dumps(tagger))
    np.testing.assert_array_equal(copy.predict_proba(X[:1])[0], tagger.predict_proba(X[:1])[0])


def test_pickles_hold_no_optimizer_state_unless_asked(toy_data, fitted_dense, fitted_kept):
    X, y = toy_data
    lean, kept = fitted_dense, fitted_kept
    lean_bytes, kept_bytes = pickle.dumps(lean), pickle.dumps(kept)
    assert len(lean_bytes) < len(kept_bytes)
    lean_copy, kept_copy = pickle.loads(lean_bytes), pickle.loads(kept_bytes)
    assert not lean_copy.model_.compiled
    assert int(kept_copy.model_.optimizer.iterations) == int(kept.model_.optimizer.iterations) > 0
    np.testing.assert_array_equal(lean_copy.predict_proba(X[:3])[1], lean.predict_proba(X[:3])[1])
    # Training resumes: a fresh optimizer is compiled with the same loss and metric.
    lean_copy.partial_fit(X, y)
    assert lean_copy.model_.compiled
    assert set(lean_copy.history_) == {"loss", "accuracy"}
    assert len(lean_copy.history_["loss"]) == len(lean.history_["loss"]) + 1


def test_pickle_from_before_char_classes_loads_without_them(toy_pos):
    # A tagger pickled before the parameter existed has no such attribute;
    # its character model has no class features, and get_params, clone and
    # a refit must describe and rebuild that model.
    from sklearn.base import clone

    from sktag.models import find_layer

    X, y = toy_pos
    tagger = TokenTagger(char_dim=4, char_classes=False, d_model=4, epochs=1, random_state=0)
    tagger.fit(X, y)
    state = tagger.__getstate__()
    del state["char_classes"]
    old = TokenTagger.__new__(TokenTagger)
    old.__setstate__(state)
    assert old.get_params()["char_classes"] is False
    np.testing.assert_array_equal(old.predict_proba(X[:2])[0], tagger.predict_proba(X[:2])[0])
    refit = clone(old).fit(X, y)
    with pytest.raises(ValueError, match="No layer named 'char_classes'"):
        find_layer(refit.model_, "char_classes")


def test_a_pickle_of_sktag_0_1_0_still_loads_and_predicts_the_same(seed_data, tmp_path):
    # Written when TokenTagger was a scikeras wrapper holding a Keras model
    # (tests/data/README.md); unpickling migrates the model to weights.
    from pathlib import Path

    path = Path(__file__).parents[1] / "data" / "seed_tagger_pickle_0.1.0.pkl"
    old = joblib.load(path)
    sentences = ["당신은 수학 선생님 입니다", "나는 학생 입니다"]
    assert old.predict(sentences) == [[0, 1, 1, 0], [0, 1, 0]]
    proba = np.concatenate(old.predict_proba(sentences))
    np.testing.assert_allclose(proba[:3, 1], [0.0, 0.888422, 0.888422], atol=1e-5)
    assert "model_" not in vars(old) and set(old._weights) >= {"embedding", "char_conv", "tagger"}
    # It trains on, saves as a safe file and pickles in today's layout.
    X, y = seed_data
    old.partial_fit(X, y)
    assert len(old.history_["loss"]) == 31
    assert sktag_load(old.save(tmp_path / "m.sktag")).predict(sentences) == old.predict(sentences)


def sktag_load(path):
    import sktag

    return sktag.load(path)
