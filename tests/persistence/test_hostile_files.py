"""Hostile model files: a pickle planted where a model is expected never runs.

Every entry point that takes a model path is tried with a pickle whose
``__reduce__`` would create a marker file when unpickled: ``sktag.load``,
``open_model`` with and without ``trust_pickle``, and each ``sktag``
command that reads a model, with and without ``--trust-pickle``.
"""

import pickle

import joblib
import pytest

import sktag
from sktag.cli import main
from sktag.io import write_conllu
from sktag.persistence import ModelFileError
from sktag.tagger import open_model


class _Payload:
    """Unpickling this calls ``open(marker, "w")``: it creates the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _plant(path, marker, how):
    if how == "pickle":
        path.write_bytes(pickle.dumps(_Payload(marker), protocol=4))
    elif how == "pickle0":  # protocol 0 starts with an opcode, not PROTO
        path.write_bytes(pickle.dumps(_Payload(marker), protocol=0))
    else:  # joblib, compressed: starts with a zlib header
        joblib.dump(_Payload(marker), path, compress=3)
    return path


HOW = ["pickle", "pickle0", "joblib-compressed"]


@pytest.fixture
def dev(tmp_path):
    path = tmp_path / "dev.conllu"
    write_conllu(path, [["a", "b"]], [["N", "V"]])
    return path


def test_the_payload_really_runs_when_unpickled(tmp_path):
    """The check of the check: the planted file does create the marker."""
    marker = tmp_path / "ran"
    joblib.load(_plant(tmp_path / "evil.joblib", marker, "joblib-compressed"))
    assert marker.exists()


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("name", ["evil.sktag", "evil.joblib", "evil"])
def test_sktag_load_never_unpickles(tmp_path, how, name):
    marker = tmp_path / "ran"
    path = _plant(tmp_path / name, marker, how)
    with pytest.raises(ModelFileError):
        sktag.load(path)
    with pytest.raises(ModelFileError):
        open_model(path)
    assert not marker.exists()


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("name", ["evil.sktag", "evil.SKTAG", "evil.SkTag"])
def test_a_sktag_name_is_never_unpickled_even_when_trusted(tmp_path, how, name):
    # The rule ignores case: on macOS and Windows evil.SKTAG and evil.sktag are
    # one file, and users read either as the safe format.
    marker = tmp_path / "ran"
    path = _plant(tmp_path / name, marker, how)
    with pytest.raises(ModelFileError, match="never unpickles a .sktag file"):
        open_model(path, trust_pickle=True)
    assert not marker.exists()


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("command", ["evaluate", "predict", "export"])
def test_cli_commands_never_unpickle_untrusted_files(tmp_path, dev, capsys, how, command):
    marker = tmp_path / "ran"
    for name in ("evil.sktag", "evil.joblib"):
        path = _plant(tmp_path / name, marker, how)
        assert main([command, str(path), str(dev)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"sktag: error: {path}") and err.count("\n") == 1
        if name == "evil.joblib":
            assert "--trust-pickle" in err
    # --trust-pickle never applies to a .sktag name, in any case.
    for name in ("evil.sktag", "evil.SKTAG"):
        path = _plant(tmp_path / name, marker, how)
        assert main([command, str(path), str(dev), "--trust-pickle"]) == 1
        assert "never unpickles" in capsys.readouterr().err
    assert not marker.exists()


def test_trust_pickle_loads_a_real_joblib_tagger_and_rejects_other_objects(tmp_path, dev,
                                                                           capsys):
    from sktag import TokenTagger

    tagger = TokenTagger(d_model=4, epochs=1, random_state=0).fit([["a", "b"]] * 2,
                                                                  [["N", "V"]] * 2)
    path = tmp_path / "tagger.joblib"
    joblib.dump(tagger, path)
    assert open_model(path, trust_pickle=True).predict([["a"]]) == tagger.predict([["a"]])
    assert main(["evaluate", str(path), str(dev), "--trust-pickle"]) == 0
    assert capsys.readouterr().out.startswith("accuracy: ")
    joblib.dump({"not": "a tagger"}, path)
    with pytest.raises(ModelFileError, match="holds a dict, not a sktag TokenTagger"):
        open_model(path, trust_pickle=True)


@pytest.mark.parametrize("name", ["model.sktag", "model.SKTAG"])
def test_cli_train_writes_the_safe_format_to_a_sktag_name_in_any_case(tmp_path, dev, name):
    out = tmp_path / name
    assert main(["train", str(dev), "-o", str(out), "--epochs", "1", "--d-model", "4",
                 "--quiet"]) == 0
    assert out.read_bytes()[:4] == b"PK\x03\x04"  # a zip, not a pickle
    assert sktag.load(out).predict([["a"]])
