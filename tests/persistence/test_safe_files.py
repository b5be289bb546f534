"""Safe model files: tagger.save / sktag.load, with no pickle anywhere.

The file format itself (its schema, bounds and fuzzing, on state dicts) is
tested in tests/persistence/test_model_files.py; these tests go through
TokenTagger. ``fitted_dense``, ``fitted_kept`` and ``toy_data`` are the
session's (conftest.py).
"""

import json
import os
import pickle
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import joblib
import keras
import numpy as np
import pytest

import sktag
from sktag import TokenTagger
from sktag.persistence import FORMAT_VERSION, ModelFileError

SENTENCES = [["the", "cat", "sat"], ["unseen", "wordz", "!"], [], ["a"] * 70]
FIXTURE = Path(__file__).parents[1] / "data" / "seed_tagger_format1.sktag"


def _assert_same_predictions(a, b, sentences=SENTENCES):
    for got, want in zip(b.predict_proba(sentences), a.predict_proba(sentences)):
        np.testing.assert_array_equal(got, want)
    assert b.predict(sentences) == a.predict(sentences)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"encoder": "conv", "char_dim": 4, "hidden_dim": 8},
        {"encoder": "bilstm", "hidden_dim": 8, "dropout": 0.1},
    ],
)
def test_round_trip_predicts_identically(params, tmp_path, toy_data, fitted_dense):
    X, y = toy_data
    tagger = (TokenTagger(d_model=8, epochs=2, random_state=0, **params).fit(X, y) if params
              else fitted_dense)  # the same tagger: trained once
    path = tagger.save(tmp_path / "m.sktag")
    loaded = sktag.load(path)
    _assert_same_predictions(tagger, loaded)
    assert loaded.get_params() == tagger.get_params()
    assert loaded.history_ == tagger.history_
    assert loaded.classes_.tolist() == tagger.classes_.tolist()
    assert loaded.vocabulary_.vocabulary_ == tagger.vocabulary_.vocabulary_
    np.testing.assert_array_equal(loaded.vocabulary_.counts_, tagger.vocabulary_.counts_)
    # A loaded tagger trains on: fit starts over, warm start continues.
    loaded.set_params(warm_start=True).fit(X, y)
    assert len(loaded.history_["loss"]) == 2


def test_int_labels_keep_their_type(tmp_path, toy_data):
    X, _ = toy_data
    y = [[3 if t in ("the", "a") else 7 for t in s] for s in X]
    tagger = TokenTagger(d_model=4, epochs=1, random_state=0).fit(X, y)
    loaded = sktag.load(tagger.save(tmp_path / "m.sktag"))
    assert loaded.predict([["the", "x"]]) == tagger.predict([["the", "x"]])
    assert all(type(label) is int for label in loaded.predict([["the", "x"]])[0])


def test_fresh_process_loads_without_unpickling(fitted_dense, tmp_path):
    path = fitted_dense.save(tmp_path / "m.sktag")
    expected = fitted_dense.predict_proba(SENTENCES)
    script = textwrap.dedent(
        f"""
        import os, pickle, sys
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
        import numpy as np, sktag
        def refuse(event, args):
            # Every unpickling that can run code looks a global up first.
            if event == "pickle.find_class":
                raise AssertionError(f"sktag.load unpickled {{args}}")
        sys.addaudithook(refuse)
        proba = sktag.load({str(path)!r}).predict_proba({SENTENCES!r})
        np.savez({str(tmp_path / "out.npz")!r}, *proba)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=300)
    with np.load(tmp_path / "out.npz") as out:
        for i, want in enumerate(expected):
            np.testing.assert_array_equal(out[f"arr_{i}"], want)


def test_archive_holds_json_and_raw_arrays_only(fitted_dense, tmp_path):
    path = fitted_dense.save(tmp_path / "m.sktag")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["arrays.bin", "sktag.json"]
        header = json.loads(archive.read("sktag.json"))
    assert header["format_version"] == FORMAT_VERSION == 2
    assert header["writer"]["sktag_version"] == sktag.__version__
    assert header["writer"]["keras_version"] == keras.__version__  # Keras trained it here
    assert header["optimizer_state"] is False
    assert {entry["key"] for entry in header["arrays"]} == {
        "weights/word_dropout/0", "weights/word_dropout/1", "weights/embedding/0",
        "weights/tagger/0", "weights/tagger/1"}


def test_optimizer_state_only_when_asked(tmp_path, fitted_dense, fitted_kept):
    lean, kept = fitted_dense, fitted_kept
    lean_path, kept_path = lean.save(tmp_path / "lean.sktag"), kept.save(tmp_path / "kept.sktag")
    assert os.path.getsize(kept_path) > os.path.getsize(lean_path)
    assert not sktag.load(lean_path).model_.compiled
    restored = sktag.load(kept_path).model_.optimizer
    assert int(restored.iterations.numpy()) == int(kept.model_.optimizer.iterations.numpy()) > 0
    for got, want in zip(restored.variables, kept.model_.optimizer.variables):
        np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_optimizer_classes_and_instances_are_stored_by_name(tmp_path, toy_data):
    X, y = toy_data
    for optimizer, stored in ((keras.optimizers.SGD, "SGD"),
                              (keras.optimizers.RMSprop(rho=0.8), "RMSprop")):
        tagger = TokenTagger(d_model=4, epochs=1, optimizer=optimizer, random_state=0).fit(X, y)
        path = tagger.save(tmp_path / "m.sktag")
        with zipfile.ZipFile(path) as archive:
            header = json.loads(archive.read("sktag.json"))
        assert stored in json.dumps(header["params"]["optimizer"])
        loaded = sktag.load(path).fit(X, y)  # trains with the same optimizer
        assert type(loaded.model_.optimizer) is type(tagger.model_.optimizer)
    assert isinstance(loaded.optimizer, keras.optimizers.RMSprop)
    assert loaded.model_.optimizer.get_config()["rho"] == pytest.approx(0.8)


def test_code_parameters_must_be_given_again(tmp_path, toy_data):
    X, y = toy_data
    tagger = TokenTagger(
        d_model=4, epochs=1, random_state=0, tokenizer=str.split,
        callbacks=[keras.callbacks.TerminateOnNaN()],
    ).fit([" ".join(s) for s in X], y)
    path = tagger.save(tmp_path / "m.sktag")
    with pytest.raises(ModelFileError, match=r"trained with tokenizer=builtins\.str\.split"):
        sktag.load(path)
    loaded = sktag.load(path, tokenizer=str.split)
    assert loaded.callbacks is None
    assert loaded.predict(["the cat"]) == tagger.predict(["the cat"])
    with pytest.raises(TypeError, match="parameters the model does not have"):
        sktag.load(path, tokenizer=str.split, colour="red")
    assert sktag.load(path, tokenizer=str.split, verbose=1).verbose == 1


def test_save_is_atomic(fitted_dense, check_interrupted_save):
    check_interrupted_save(fitted_dense.save)


def test_saved_file_has_ordinary_permissions(fitted_dense, tmp_path):
    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    saved = fitted_dense.save(tmp_path / "m.sktag")
    assert saved.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_save_needs_a_fitted_tagger(tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        TokenTagger().save(tmp_path / "m.sktag")
    assert not (tmp_path / "m.sktag").exists()


def _rewrite(path, out, header=None, arrays=None):
    with zipfile.ZipFile(path) as archive:
        old_header = json.loads(archive.read("sktag.json"))
        old_arrays = archive.read("arrays.bin")
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("sktag.json", json.dumps(header(old_header) if header else old_header))
        archive.writestr("arrays.bin", arrays if arrays is not None else old_arrays)
    return out


def _write(path, data):
    path.write_bytes(data)
    return path


def _bump_version(h):
    return {**h, "format_version": FORMAT_VERSION + 1, "writer": {"sktag_version": "9.0"}}


def _shrink_vocabulary(h):
    state = h["fitted"]["feature_encoder_"]["state"]["__dict__"]
    vocab = dict(state)["vocabulary_"]["state"]["__dict__"]
    for entry in vocab:
        if entry[0] == "vocabulary_":
            entry[1]["__dict__"] = entry[1]["__dict__"][:-1]
    return h


def _widen_embedding(h):
    h["params"]["d_model"] += 1
    return h


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda src, p: p, r"no such model file"),
        (lambda src, p: _write(p, b""), r"not an sktag model file, or it is truncated"),
        (lambda src, p: _write(p, b"hello\n"), r"not an sktag model file, or it is truncated"),
        (lambda src, p: _write(p, b"\x00" + os.urandom(5000)), r"truncated or corrupted"),
        (lambda src, p: _write(p, src.read_bytes()[: len(src.read_bytes()) // 2]),
         r"truncated or corrupted"),
        (lambda src, p: zipfile.ZipFile(p, "w").close() or p, r"zip archive but not an sktag model"),
        (lambda src, p: _rewrite(src, p, header=lambda h: {**h, "format": "other"}),
         r"not an sktag model file \(format"),
        (lambda src, p: _rewrite(src, p, header=_bump_version),
         rf"written by sktag 9\.0 in model file format {FORMAT_VERSION + 1}; this sktag "
         rf"\(0\.1\.0\) reads formats up to {FORMAT_VERSION}\. Upgrade sktag"),
        (lambda src, p: _rewrite(src, p, arrays=b"not arrays"),
         r"arrays\.bin is 10 bytes; the header's arrays are \d+ bytes, stored"),
        (lambda src, p: _rewrite(src, p, header=_widen_embedding),
         r"weights/embedding/0 is <f4 of shape \[\d+, 8\]; the header's vocabulary, labels and "
         r"parameters need <f4 of shape \[\d+, 9\]"),
        (lambda src, p: _rewrite(src, p, header=_shrink_vocabulary),
         r"field fitted\.feature_encoder_\.vocabulary_\.vocabulary_: is not the id of each"),
        (lambda src, p: _rewrite(src, p, header=lambda h: {**h, "fitted": {}}),
         r"field fitted: missing key 'target_encoder_'"),
    ],
    ids=["missing", "empty", "text", "random", "truncated", "empty-zip", "foreign-format",
         "newer-format", "bad-arrays", "mismatched-weights", "inconsistent-vocabulary",
         "missing-state"],
)
def test_bad_files_raise_model_file_error(fitted_dense, tmp_path, make, message):
    source = fitted_dense.save(tmp_path / "good.sktag")
    path = make(source, tmp_path / "bad.sktag")
    with pytest.raises(ModelFileError, match=message) as info:
        sktag.load(path)
    assert isinstance(info.value, ValueError)
    assert str(path) in str(info.value)


def test_flipped_bytes_are_detected(fitted_dense, tmp_path):
    data = bytearray(fitted_dense.save(tmp_path / "good.sktag").read_bytes())
    rng = np.random.RandomState(0)
    for trial in range(20):
        corrupted = bytearray(data)
        for i in rng.randint(0, len(data), size=3):
            corrupted[i] ^= 0xFF
        path = tmp_path / f"bad{trial}.sktag"
        path.write_bytes(bytes(corrupted))
        try:
            loaded = sktag.load(path)
        except ModelFileError:
            continue
        # Bytes in unused zip fields change nothing; the model must then be intact.
        _assert_same_predictions(fitted_dense, loaded)


def test_corrupted_compressed_header_is_a_model_file_error(fitted_dense, tmp_path):
    """Damage inside the deflated header makes zlib fail (not only the CRC check)."""
    good = fitted_dense.save(tmp_path / "good.sktag")
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("sktag.json")
    data = good.read_bytes()
    name_length = int.from_bytes(data[info.header_offset + 26: info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28: info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    failures = 0
    for k, offset in enumerate(np.linspace(0, info.compress_size - 1, 12).astype(int)):
        corrupted = bytearray(data)
        corrupted[start + offset] ^= 0x5A
        path = tmp_path / f"bad{k}.sktag"
        path.write_bytes(bytes(corrupted))
        try:
            loaded = sktag.load(path)
        except ModelFileError as exc:
            assert "corrupted" in str(exc) or "not valid JSON" in str(exc)
            failures += 1
            continue
        _assert_same_predictions(fitted_dense, loaded)  # e.g. unused bits after the last block
    assert failures >= 10


def test_joblib_file_gets_a_pointer_to_joblib(fitted_dense, tmp_path):
    path = tmp_path / "m.joblib"
    joblib.dump(fitted_dense, path)
    with pytest.raises(ModelFileError, match=r"is a pickle \(joblib\) file.*joblib.load"):
        sktag.load(path)


def test_file_written_by_sktag_0_1_still_loads():
    """A model file committed when format 1 was written must load in every later sktag."""
    tagger = sktag.load(FIXTURE)
    assert tagger.predict(["수학 당신은 선생님 입니다"]) == [[1, 0, 1, 0]]
    # Written before label schemes, max_steps and character classes: argmax
    # decoding, epochs as saved, no character classes; the newer parameters
    # can still be given to load.
    assert tagger.label_scheme_ is None and tagger.decoding == "auto"
    assert tagger.max_steps is None
    assert tagger.char_classes is False
    newer = sktag.load(FIXTURE, max_steps=10, char_classes=True)
    assert (newer.max_steps, newer.char_classes) == (10, True)
    proba = tagger.predict_proba(["수학 당신은"])[0]
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


def test_file_of_sktag_0_1_saves_again_in_todays_format(tmp_path):
    tagger = sktag.load(FIXTURE)
    again = sktag.load(tagger.save(tmp_path / "m.sktag"))
    with zipfile.ZipFile(tmp_path / "m.sktag") as archive:
        assert sorted(archive.namelist()) == ["arrays.bin", "sktag.json"]
    _assert_same_predictions(tagger, again, ["수학 당신은 선생님 입니다", "모르는 말"])
    assert again.char_classes is False and again.get_params() == tagger.get_params()


def test_loading_needs_no_tensorflow(fitted_dense, tmp_path, toy_data):
    """A model file loads and predicts where TensorFlow, Keras and h5py cannot be imported."""
    path = fitted_dense.save(tmp_path / "m.sktag")
    conv = TokenTagger(encoder="conv", char_dim=2, hidden_dim=4, d_model=4, epochs=1,
                       random_state=0).fit(*toy_data)
    conv_path = conv.save(tmp_path / "conv.sktag")
    expected = [t.predict_proba(SENTENCES) for t in (fitted_dense, conv)]
    script = textwrap.dedent(f"""
        import sys
        class Refuse:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("tensorflow", "keras", "h5py", "scikeras"):
                    raise ImportError(f"{{name}} must not be imported")
        sys.meta_path.insert(0, Refuse())
        import numpy as np, sktag
        for i, p in enumerate(({str(path)!r}, {str(conv_path)!r})):
            np.savez({str(tmp_path)!r} + f"/out{{i}}.npz", *sktag.load(p).predict_proba({SENTENCES!r}))
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=300)
    for i, want in enumerate(expected):
        with np.load(tmp_path / f"out{i}.npz") as out:
            for j, proba in enumerate(want):
                np.testing.assert_array_equal(out[f"arr_{j}"], proba)


def test_pickle_of_a_loaded_tagger_still_works(fitted_dense, tmp_path):
    loaded = sktag.load(fitted_dense.save(tmp_path / "m.sktag"))
    _assert_same_predictions(fitted_dense, pickle.loads(pickle.dumps(loaded)))


@pytest.mark.parametrize("output", ["missing/m.sktag", "missing/m.joblib", "."])
def test_cli_train_checks_where_it_saves_before_it_trains(tmp_path, monkeypatch, capsys, output):
    from sktag.cli import main
    from sktag.io import write_conllu

    def fit(*args, **kwargs):
        raise AssertionError("trained before checking the output")

    monkeypatch.setattr(TokenTagger, "fit", fit)
    train = tmp_path / "train.conllu"
    write_conllu(train, [["a", "b"]], [["N", "V"]])
    out = tmp_path / output
    assert main(["train", str(train), "-o", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"sktag: error: cannot save the model to {out}: ")
    assert ".tmp" not in err and err.count("\n") == 1
