"""Every row of docs/bad_input.md: the documented call raises the documented error."""

import copy
import re
import zipfile
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

import sktag
from sktag import TokenTagger, Vocabulary
from sktag.io import DataFormatError
from sktag.persistence import ModelFileError

PAGE = Path(__file__).parent.parent / "docs" / "bad_input.md"
ERRORS = {cls.__name__: cls for cls in (ValueError, TypeError, NotFittedError, ModelFileError,
                                         DataFormatError, InvalidParameterError,
                                         FileNotFoundError)}


def _rows():
    rows = []
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) == 4 and cells[1].startswith("`"):
            case, call, raises, outcome = cells
            rows.append(pytest.param(call.strip("`"), raises.strip("`"), outcome, id=case))
    return rows


ROWS = _rows()


def test_the_page_has_every_documented_case():
    cases = {row.id for row in ROWS}
    assert len(ROWS) >= 20
    for needed in ("X and y of different lengths", "Empty sentence in `fit`", "Unfitted estimator",
                   "NaN in `sample_weight`", "Corrupted model file", "Numpy array of floats",
                   "Non-string token", "Label never seen in training, at score time"):
        assert needed in cases


@pytest.fixture(scope="module")
def namespace(tmp_path_factory, tiny_tagger):
    fitted = tiny_tagger
    directory = tmp_path_factory.mktemp("bad_input")
    (directory / "model.sktag").write_bytes(b"not a model")
    joblib.dump(fitted, directory / "model.joblib")
    joblib.dump({"a": "pickle"}, directory / "evil.sktag")
    joblib.dump({"a": "pickle"}, directory / "evil.SKTAG")
    with zipfile.ZipFile(directory / "lists.sktag", "w") as archive:  # stored: sizes are exact
        for name, data in (("sktag.json", b"[" + b"[]," * 300_000 + b"[]]"), ("arrays.bin", b"")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    (directory / "latin1.conllu").write_bytes(
        "1\tcaf\u00e9\t_\tNOUN\t_\t_\t0\troot\t_\t_\n\n".encode("latin-1"))
    return {"TokenTagger": TokenTagger, "Vocabulary": Vocabulary, "np": np, "sktag": sktag, "fitted": fitted,
            "directory": directory}


@pytest.mark.parametrize("call, raises, outcome", ROWS)
def test_documented_outcome(namespace, monkeypatch, call, raises, outcome):
    monkeypatch.chdir(namespace["directory"])
    namespace = dict(namespace, fitted=copy.deepcopy(namespace["fitted"]))  # a row may change it
    if raises == "nothing":
        expected = re.match(r"`([^`]*)`", outcome).group(1)
        assert repr(eval(call, dict(namespace))) == expected
        return
    with pytest.raises(ERRORS[raises]) as info:
        eval(call, dict(namespace))
    assert type(info.value) is ERRORS[raises]
    assert str(info.value) == outcome
