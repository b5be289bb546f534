"""sktag.parameters: one table makes the estimator's checks, the model file's and the CLI's."""

import importlib.util
import inspect
import json
import math
import zipfile
from numbers import Integral
from pathlib import Path

import numpy as np
import pytest
from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions

from sktag import TokenTagger
from sktag.cli import main
from sktag.parameters import CODE, PARAMETERS, SHAPE, defaults
from sktag.persistence import ModelFileError, read_model_file, write_model_file

_spec = importlib.util.spec_from_file_location(
    "fuzz_model_files", Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz_model_files.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)

X, Y = [["a", "b"], ["c"]], [["N", "V"], ["N"]]


def extremes(parameter):
    """The legal values at the edges of each of ``parameter``'s constraints."""
    values = []
    for constraint in parameter.constraints:
        if constraint is None:
            values.append(None)
        elif constraint == "boolean":
            values += [False, True]
        elif isinstance(constraint, StrOptions):
            values += sorted(constraint.options)
        elif isinstance(constraint, Interval):
            integral = constraint.type is Integral
            for edge, closed, step in ((constraint.left, constraint.closed in ("left", "both"), 1),
                                       (constraint.right, constraint.closed in ("right", "both"),
                                        -1)):
                if integral:
                    values.append(edge if closed else edge + step)
                elif math.isfinite(edge):
                    values.append(float(edge) if closed else
                                  float(np.nextafter(edge, edge + step)))
                else:  # an open infinite end: the largest finite float
                    values.append(float(np.finfo(np.float64).max))
        elif constraint == "random_state":
            values += [0, (1 << 32) - 1]
    return values


def test_the_signature_has_the_table_s_parameters_and_defaults():
    signature = inspect.signature(TokenTagger.__init__).parameters
    named = {name: p.default for name, p in signature.items()
             if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert list(named) == [p.name for p in PARAMETERS]
    assert named == defaults()
    assert TokenTagger._parameter_constraints.keys() == named.keys()


@pytest.mark.parametrize("parameter", [p for p in PARAMETERS if p.file != CODE],
                         ids=lambda p: p.name)
def test_every_legal_extreme_value_is_one_a_model_file_holds(tmp_path, parameter):
    # The estimator's constraints and the file's schema are one: whatever
    # value fits also saves and reads back.
    values = extremes(parameter)
    if parameter.name == "optimizer":
        values = ["adam", "sgd"]
    elif parameter.name == "class_weight":
        values = [None, "balanced", {"N": 1e-300, "V": 1e300}]
    elif parameter.name == "vocabulary":
        from sktag import Vocabulary

        values = [None, Vocabulary(lowercase=True)]
    assert values
    for value in values:
        base = {"encoder": "conv"} if parameter.name == "n_layers" else {}
        state = fuzz.make_state(**{**base, parameter.name: value})
        path = write_model_file(tmp_path / "m.sktag", state)
        read = read_model_file(path)
        if parameter.name == "vocabulary" and value is not None:  # a template: its parameters
            assert read["params"].pop("vocabulary").get_params() == value.get_params()
            state["params"].pop("vocabulary")
        assert fuzz.same_state(read, state), (parameter.name, value)


@pytest.mark.parametrize("name, value", [("d_model", 8193), ("n_layers", 65), ("char_dim", 1025),
                                         ("hidden_dim", 0), ("verbose", 4),
                                         ("dropout", 1.0), ("learning_rate", math.inf)])
def test_a_value_the_estimator_refuses_a_model_file_refuses_with_the_same_words(
        tmp_path, name, value):
    with pytest.raises(InvalidParameterError) as estimator:
        TokenTagger(**{name: value}).fit(X, Y)
    path = write_model_file(tmp_path / "m.sktag", fuzz.make_state())
    with zipfile.ZipFile(path) as archive:
        text = json.loads(archive.read("sktag.json"))
        arrays = archive.read("arrays.bin")
    text["params"][name] = value if math.isfinite(value) else 1e400
    bad = tmp_path / "bad.sktag"
    bad.write_bytes(fuzz.rezip([("sktag.json", json.dumps(text).encode(), zipfile.ZIP_DEFLATED),
                                ("arrays.bin", arrays, zipfile.ZIP_STORED)]))
    with pytest.raises(ModelFileError, match=rf"params\.{name}: ") as in_file:
        read_model_file(bad)
    if math.isfinite(value) and name not in ("d_model", "n_layers", "char_dim", "hidden_dim"):
        # the shape parameters may first disagree with the weights' shapes
        assert str(estimator.value).split(" must be ")[1].rstrip(".") in str(in_file.value)


def test_the_largest_legal_model_sizes_fit_and_save(tmp_path):
    # The bounds protect the machine, yet every value inside them trains:
    # the widest embedding, the most layers, the longest training settings.
    import sktag

    tagger = TokenTagger(d_model=8192, encoder="conv", n_layers=64, hidden_dim=1, epochs=1,
                         batch_size=(1 << 31) - 1, steps_per_execution=(1 << 31) - 1,
                         patience=(1 << 31) - 1, random_state=(1 << 32) - 1, verbose=0,
                         dropout=float(np.nextafter(1.0, 0.0)), learning_rate=0.0,
                         word_dropout=0.0).fit(X, Y)
    loaded = sktag.load(tagger.save(tmp_path / "m.sktag"))
    assert loaded.predict(X) == tagger.predict(X)
    assert loaded.get_params()["n_layers"] == 64


@pytest.mark.parametrize("option, value, message", [
    ("--epochs", "-1", "argument --epochs: must be an int in the range [1, 2147483647]. Got -1"),
    ("--d-model", "0", "argument --d-model: must be an int in the range [1, 8192]. Got 0"),
    ("--n-layers", "100000", "argument --n-layers: must be an int in the range [1, 64]"),
    ("--dropout", "1.5", "argument --dropout: must be a float in the range [0.0, 1.0)"),
    ("--learning-rate", "nan", "argument --learning-rate: must be a float in the range"),
    ("--batch-size", "ten", "argument --batch-size: expected an int, got 'ten'"),
])
def test_an_option_value_the_table_refuses_is_a_usage_error(tmp_path, capsys, option, value,
                                                             message):
    with pytest.raises(SystemExit) as info:
        main(["train", str(tmp_path / "t.conllu"), "-o", str(tmp_path / "m.sktag"), option, value])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_every_option_of_sktag_train_comes_from_the_table(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = capsys.readouterr().out
    for parameter in PARAMETERS:
        if parameter.flag is not None:
            assert f"{parameter.flag} " in text or f"{parameter.flag}," in text
    assert "--d-model D_MODEL     word embedding size (default: 64; --best: 100)" in text
    shape = {p.name for p in PARAMETERS if p.file == SHAPE}
    assert {"encoder", "d_model", "char_dim", "hidden_dim", "n_layers", "word_dropout"} <= shape
