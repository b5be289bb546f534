"""sktag.persistence: model files of format 2, read as hostile bytes.

The states are made here as TokenTagger makes them (fitted encoders, and
weights of the shapes of the model of the parameters), so these tests need
neither Keras nor a trained tagger, except the one that checks those shapes
against real ``build_model`` models.
"""

import importlib.util
import io
import json
import os
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

import sktag
from sktag import persistence
from sktag.onnx_graphs import GraphSpec, expected_weight_shapes
from sktag.persistence import (
    FORMAT_VERSION,
    ModelFileError,
    check_safe_model_file,
    file_kind,
    read_model_file,
    write_model_file,
)

_spec = importlib.util.spec_from_file_location(
    "fuzz_model_files", Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz_model_files.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)
make_state, same_state, rezip, raw_zip = fuzz.make_state, fuzz.same_state, fuzz.rezip, fuzz.raw_zip

FIXTURE = Path(__file__).parents[1] / "data" / "seed_tagger_format1.sktag"
CONFIGS = {
    "dense": {},
    "dense-no-word-dropout": {"word_dropout": 0.0},
    "conv-chars-classes-optimizer": {"encoder": "conv", "char_dim": 2, "char_classes": True,
                                     "optimizer": True, "n_layers": 2},
    "bilstm-chars-int-labels": {"encoder": "bilstm", "char_dim": 3, "labels": "int"},
}


def _write(tmp_path, state, name="m.sktag"):
    return write_model_file(tmp_path / name, state)


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {info.filename: (archive.read(info), info.compress_type)
                for info in archive.infolist()}


def _with_header(path, out, edit):
    """A copy of ``path`` whose header is ``edit(header)`` (re-zipped, fresh CRCs)."""
    members = _members(path)
    header = json.loads(members["sktag.json"][0])
    edit(header)
    out.write_bytes(rezip([("sktag.json", json.dumps(header).encode(), zipfile.ZIP_DEFLATED),
                           ("arrays.bin", members["arrays.bin"][0], zipfile.ZIP_STORED)]))
    return out


def _attr(tagged, name):
    """The JSON of one attribute of a tagged encoder, for edits."""
    return next(pair for pair in tagged["state"]["__dict__"] if pair[0] == name)


@pytest.fixture(scope="module")
def dense(tmp_path_factory):
    state = make_state()
    return state, write_model_file(tmp_path_factory.mktemp("dense") / "m.sktag", state)


# ----------------------------------------------------------------------
# shapes and round trips
# ----------------------------------------------------------------------
@pytest.mark.parametrize("encoder", ["dense", "conv", "bilstm"])
def test_expected_weight_shapes_are_those_of_build_model(encoder):
    keras = pytest.importorskip("keras")  # noqa: F841
    from sktag.models import build_model
    from sktag.keras_reading import keras_weights

    for char_dim, classes, word_dropout, n_layers in [(0, False, True, 1), (2, False, False, 2),
                                                      (3, True, True, 1)]:
        n_vocab, n_classes, n_chars = 9, 3, 7
        model = build_model(
            n_vocab, n_classes, encoder=encoder, d_model=4, n_chars=n_chars, char_dim=char_dim,
            max_chars=20, char_classes=np.zeros((n_chars, 4)) if classes else None,
            hidden_dim=5, n_layers=n_layers,
            word_dropout_rates=np.zeros(n_vocab) if word_dropout else None,
            word_dropout_targets=np.ones(n_vocab) if word_dropout else None,
        )
        got = {layer: [a.shape for a in arrays] for layer, arrays in keras_weights(model).items()}
        spec = GraphSpec(encoder, n_layers, char=bool(char_dim), char_classes=classes)
        want = expected_weight_shapes(spec, n_vocab=n_vocab, n_classes=n_classes, d_model=4,
                                      n_chars=n_chars, char_dim=char_dim, hidden_dim=5,
                                      word_dropout=word_dropout)
        assert got == want, (char_dim, classes, word_dropout, n_layers)
        dtypes = {(layer, i): a.dtype.str for layer, arrays in keras_weights(model).items()
                  for i, a in enumerate(arrays)}
        assert {key for key, dtype in dtypes.items() if dtype != "<f4"} == (
            {("word_dropout", 1)} if word_dropout else set())


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_round_trip_is_exact(tmp_path, config):
    state = make_state(**config)
    path = _write(tmp_path, state)
    assert path == tmp_path / "m.sktag"
    loaded = read_model_file(path)
    assert same_state(loaded, state)
    assert loaded["format_version"] == FORMAT_VERSION
    assert loaded["writer"]["sktag_version"] == sktag.__version__
    assert (loaded["optimizer_state"] is None) == (not config.get("optimizer"))
    for arrays in loaded["weights"].values():
        assert all(a.flags.aligned for a in arrays)


def test_zip64_arrays_read_back(tmp_path, monkeypatch):
    """arrays.bin of 2 GiB and more is written with zip64 sizes (here: from 0 bytes)."""
    monkeypatch.setattr(persistence.format2, "ZIP64_FROM", 0)
    state = make_state()
    path = _write(tmp_path, state)
    with zipfile.ZipFile(path) as archive:
        at = archive.getinfo("arrays.bin").header_offset
    local = path.read_bytes()[at: at + 30]
    assert int.from_bytes(local[28:30], "little") == 20  # the local header's zip64 field
    assert same_state(read_model_file(path), state)


def test_layout_is_json_and_raw_arrays(dense):
    state, path = dense
    with zipfile.ZipFile(path) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        header = json.loads(archive.read("sktag.json"))
        raw = archive.read("arrays.bin")
    assert sorted(infos) == ["arrays.bin", "sktag.json"]
    assert infos["sktag.json"].compress_type == zipfile.ZIP_DEFLATED
    assert infos["arrays.bin"].compress_type == zipfile.ZIP_STORED
    assert header["format_version"] == FORMAT_VERSION == 2
    assert set(header) == {"format", "format_version", "writer", "params", "left_out_params",
                           "fitted", "optimizer_state", "arrays"}
    first = header["arrays"][0]
    assert first == {"key": "weights/word_dropout/0", "dtype": "<f4", "shape": [14], "offset": 0}
    assert all(entry["offset"] % 16 == 0 for entry in header["arrays"])
    last = header["arrays"][-1]
    assert len(raw) == last["offset"] + 4 * int(np.prod(last["shape"]))
    embedding = next(e for e in header["arrays"] if e["key"] == "weights/embedding/0")
    np.testing.assert_array_equal(
        np.frombuffer(raw, "<f4", 14 * 4, embedding["offset"]).reshape(14, 4),
        state["weights"]["embedding"][0])


def test_parameters_that_are_code_are_left_out(tmp_path):
    state = make_state(tokenizer=str.split, callbacks=[print],
                       random_state=np.random.RandomState(0), optimizer__beta_1=0.8,
                       class_weight={"O": 0.5}, learning_rate_schedule="cosine")
    loaded = read_model_file(_write(tmp_path, state))
    assert loaded["left_out_params"] == {"tokenizer": "builtins.str.split",
                                         "callbacks": ["builtins.print"],
                                         "random_state": "numpy.random.mtrand.RandomState"}
    assert loaded["params"]["optimizer__beta_1"] == 0.8
    assert loaded["params"]["class_weight"] == {"O": 0.5}
    assert "tokenizer" not in loaded["params"]


def test_templates_are_stored_by_their_parameters(tmp_path):
    from sktag.vocabulary import Vocabulary

    fitted_template = Vocabulary(min_freq=2, lowercase=True).fit([["a", "b", "a"]])
    state = make_state(vocabulary=fitted_template)
    state["fitted"]["feature_encoder_"].vocabulary = fitted_template
    loaded = read_model_file(_write(tmp_path, state))
    for template in (loaded["params"]["vocabulary"],
                     loaded["fitted"]["feature_encoder_"].vocabulary):
        assert vars(template) == {"min_freq": 2, "max_size": None, "lowercase": True,
                                  "unknown_shapes": True}


def test_tokenizer_of_the_feature_encoder_is_never_written(tmp_path):
    state = make_state()
    state["fitted"]["feature_encoder_"].tokenizer = str.split
    loaded = read_model_file(_write(tmp_path, state))
    assert loaded["fitted"]["feature_encoder_"].tokenizer is None
    assert state["fitted"]["feature_encoder_"].tokenizer is str.split  # the caller's is kept


def test_tokens_with_lone_surrogates_round_trip(tmp_path):
    state = make_state()
    vocab = state["fitted"]["feature_encoder_"].vocabulary_
    vocab.tokens_[-1] = "\ud800x"
    vocab.vocabulary_ = {t: i for i, t in enumerate(vocab.tokens_.tolist())}
    loaded = read_model_file(_write(tmp_path, state))
    assert loaded["fitted"]["feature_encoder_"].vocabulary_.tokens_[-1] == "\ud800x"


def test_reading_imports_no_keras_and_unpickles_nothing(dense, tmp_path):
    _, path = dense
    script = textwrap.dedent(f"""
        import sys
        def refuse(event, args):
            if event == "pickle.find_class":
                raise AssertionError(f"unpickled {{args}}")
        sys.addaudithook(refuse)
        from sktag.persistence import read_model_file
        state = read_model_file({str(path)!r})
        assert state["weights"]["embedding"][0].shape == (14, 4)
        loaded = [m for m in ("keras", "tensorflow", "h5py") if m in sys.modules]
        assert not loaded, loaded
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


# ----------------------------------------------------------------------
# writing
# ----------------------------------------------------------------------
def test_write_model_file_is_atomic(check_interrupted_save):
    check_interrupted_save(lambda path: write_model_file(path, make_state()))


def test_written_file_has_ordinary_permissions(dense, tmp_path):
    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    assert dense[1].stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_saving_never_touches_the_process_umask(tmp_path, monkeypatch):
    # os.umask(0) for a moment would let another thread's new files be 0666.
    def umask(mask):
        raise AssertionError("os.umask was called")

    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    monkeypatch.setattr(os, "umask", umask)
    path = write_model_file(tmp_path / "m.sktag", make_state())
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    assert sorted(os.listdir(tmp_path)) == ["m.sktag", "plain"]


def test_the_longest_legal_name_saves(tmp_path):
    # The temporary file's name is short; it used to be ".<name>.<random>.tmp".
    name = "m" * (255 - len(".sktag")) + ".sktag"
    path = write_model_file(tmp_path / name, make_state())
    assert read_model_file(path)["params"]["d_model"] == 4


def test_save_errors_name_the_destination_not_the_temporary_file(tmp_path):
    path = tmp_path / "missing" / "m.sktag"
    with pytest.raises(FileNotFoundError) as info:
        write_model_file(path, make_state())
    assert str(info.value).startswith(f"cannot save the model to {path}: ")
    assert ".tmp" not in str(info.value)
    with pytest.raises(FileNotFoundError, match="cannot save the model to .*missing"):
        persistence.check_writable(path)
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        persistence.check_writable(tmp_path)
    persistence.check_writable(tmp_path / "m.sktag")
    assert os.listdir(tmp_path) == []  # the check leaves nothing behind


def test_a_large_vocabulary_with_the_smallest_embedding_fits_the_header_budget(tmp_path,
                                                                               monkeypatch):
    # The legal extreme the budget must admit: d_model=1, a word costs the file
    # four bytes of weights and about six JSON values of header.
    monkeypatch.setattr(fuzz, "X", [[f"w{i}" for i in range(k, k + 1000)]
                                    for k in range(0, 150_000, 1000)])
    state = make_state(d_model=1, hidden_dim=1)
    path = write_model_file(tmp_path / "m.sktag", state)
    raw = _members(path)["sktag.json"][0]
    values, _ = persistence.header_budget(path.stat().st_size)
    assert raw.count(b",") > persistence.HEADER_FREE_VALUES  # the per-byte part is needed
    assert raw.count(b",") + raw.count(b"[") + raw.count(b"{") < values
    assert same_state(read_model_file(path), state)


@pytest.mark.parametrize("change, message", [
    (lambda s: s["params"].update(d_model=0), r"params\.d_model: must be an int in the range \[1, 8192\]"),
    (lambda s: s["params"].update(colour="red"), r"params: unknown key 'colour'"),
    (lambda s: s["weights"]["embedding"].append(np.zeros(3, np.float32)),
     r"weights/embedding/1.*no such weight"),
    (lambda s: s["weights"].update(embedding=[np.zeros((14, 5), np.float32)]),
     r"weights/embedding/0 is <f4 of shape \[14, 5\].*need <f4 of shape \[14, 4\]"),
    (lambda s: s["weights"]["tagger"].__setitem__(1, np.zeros(3, np.float64)),
     r"weights/tagger/1 has dtype float64"),
    (lambda s: s["fitted"].update(history_={"loss": "low"}), r"history_"),
], ids=["out-of-range", "unknown-param", "extra-array", "wrong-shape", "float64", "history"])
def test_states_it_could_not_read_are_not_written(tmp_path, change, message):
    state = make_state()
    change(state)
    with pytest.raises(ValueError, match=message):
        write_model_file(tmp_path / "m.sktag", state)
    assert os.listdir(tmp_path) == []


# ----------------------------------------------------------------------
# the encoders' states
# ----------------------------------------------------------------------
def _same(a, b):
    """Equal states: arrays of one dtype and values, encoders of one class and state."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if hasattr(a, "to_state"):
        return type(a) is type(b) and _same(a.to_state(), b.to_state())
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def test_each_encoder_gives_its_state_and_takes_it_back():
    from sktag.vocabulary import CharVocabulary, Vocabulary

    fitted = make_state(char_dim=2)["fitted"]
    features = fitted["feature_encoder_"]
    features.vocabulary = Vocabulary(min_freq=2)
    encoders = [fitted["target_encoder_"], features, features.vocabulary_,
                features.char_vocabulary_, Vocabulary(lowercase=True), CharVocabulary(9)]
    for encoder in encoders:
        state = encoder.to_state()
        again = type(encoder).from_state(state)
        assert _same(again.to_state(), state), type(encoder).__name__
    with pytest.raises(ValueError, match="has no key 'colour'"):
        Vocabulary.from_state({"colour": "red"})
    with pytest.raises(ValueError, match="is missing 'counts_'"):
        Vocabulary.from_state({k: v for k, v in features.vocabulary_.to_state().items()
                               if k != "counts_"})


def test_the_label_encoder_rebuilds_its_ids_and_checks_a_given_copy():
    from sktag.labels import SequenceLabelEncoder

    encoder = SequenceLabelEncoder().fit([["B-X", "I-X"], ["O"]])
    state = encoder.to_state()
    assert state["_index"] == {"B-X": 0, "I-X": 1, "O": 2}
    again = SequenceLabelEncoder.from_state({k: v for k, v in state.items() if k != "_index"})
    assert again.transform([["O", "I-X", "B-X"]]).tolist() == [[2, 1, 0]]
    with pytest.raises(ValueError, match="_index is not the id of each of classes_"):
        SequenceLabelEncoder.from_state({**state, "_index": {"B-X": 1, "I-X": 0, "O": 2}})
    with pytest.raises(ValueError, match="n_classes_ is 2, but there are 3 classes_"):
        SequenceLabelEncoder.from_state({**state, "n_classes_": 2})


def test_the_encoders_states_are_format_2s_fields(dense):
    """The names a file holds are the encoders' to_state names: renaming an
    attribute must not change them (files written since format 2 must load)."""
    with zipfile.ZipFile(dense[1]) as archive:
        fitted = json.loads(archive.read("sktag.json"))["fitted"]

    def names(tagged):
        return [pair[0] for pair in tagged["state"]["__dict__"]]

    features = fitted["feature_encoder_"]
    assert names(fitted["target_encoder_"]) == ["scheme", "classes_", "n_classes_", "scheme_",
                                                "_index"]
    assert names(features) == ["vocabulary", "char_vocabulary", "tokenizer", "vocabulary_",
                               "char_vocabulary_"]
    assert names(_attr(features, "vocabulary_")[1]) == [
        "min_freq", "max_size", "lowercase", "unknown_shapes", "n_special_", "vocabulary_",
        "tokens_", "counts_", "unknown_ids_"]


# ----------------------------------------------------------------------
# the kind of file
# ----------------------------------------------------------------------
def test_file_kind_and_check_safe_model_file(dense, tmp_path):
    import pickle

    pickled = tmp_path / "m.pkl"
    pickled.write_bytes(pickle.dumps({"a": 1}))
    other = tmp_path / "m.txt"
    other.write_bytes(b"hello")
    assert [file_kind(p) for p in (dense[1], pickled, other)] == ["zip", "pickle", "other"]
    check_safe_model_file(dense[1])
    with pytest.raises(ModelFileError, match="is a pickle"):
        check_safe_model_file(pickled)
    with pytest.raises(ModelFileError, match="does not start like a zip"):
        check_safe_model_file(other)
    with pytest.raises(ModelFileError, match="no such model file"):
        check_safe_model_file(tmp_path / "missing.sktag")
    with pytest.raises(ModelFileError, match="cannot read the file"):
        file_kind(tmp_path / "missing.sktag")


# ----------------------------------------------------------------------
# bombs and declared sizes
# ----------------------------------------------------------------------
@pytest.mark.parametrize("declared", [100, 2 << 30], ids=["declares-100-bytes", "declares-2GiB"])
def test_deflate_bomb_header_fails_fast_in_little_memory(tmp_path, declared):
    bomb = fuzz.deflate_bomb(2048)  # 2 GiB of zeros
    assert len(bomb) < 2.5e6
    path = tmp_path / "bomb.sktag"
    path.write_bytes(raw_zip([("sktag.json", 8, bomb, 0, declared),
                              ("arrays.bin", 0, b"", 0, 0)]))
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ModelFileError, match="bomb.sktag is truncated or corrupted "
                                                 r"\(sktag.json (inflates to more than 50|"
                                                 r"declares 2147483648 bytes)"):
            read_model_file(path)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Fails fast and small: reading the whole bomb took 13 s and 4 GB. The bound
    # on time only guards against a hang (a loaded CI machine is slow).
    assert seconds < 5
    assert peak < 8 << 20


def test_bomb_of_valid_looking_json_stops_at_the_ratio(tmp_path):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = compressor.compress(b'{"format": "sktag.TokenTagger", "pad": "' + b" " * (64 << 20))
    raw += compressor.flush()
    path = tmp_path / "bomb.sktag"
    path.write_bytes(raw_zip([("sktag.json", 8, raw, 0, 64 << 20), ("arrays.bin", 0, b"", 0, 0)]))
    with pytest.raises(ModelFileError, match="inflates to more than 50 times"):
        read_model_file(path)


def _many_empty_lists(n, seed=0):
    """``[[],[], ...]`` of ``n`` lists, with sparse random spaces: it deflates
    about 25 times, under MAX_HEADER_RATIO, as the issue's 1.2 MB payload did."""
    import random

    pieces = random.Random(seed).choices([b"[],", b"[], "], weights=[9, 1], k=n - 1)
    return b"[" + b"".join(pieces) + b"[]]"


def _zipped_header(path, raw):
    path.write_bytes(rezip([("sktag.json", raw, zipfile.ZIP_DEFLATED), ("arrays.bin", b"", 0)]))
    return path


def test_many_json_values_are_refused_before_parsing_in_little_memory(tmp_path, monkeypatch):
    # The payload at an eighth of its size (16 million lists there made
    # a load run 6.3 s and peak at 1.4 GB before it failed).
    raw = _many_empty_lists(2_000_000)
    path = _zipped_header(tmp_path / "m.sktag", raw)
    assert path.stat().st_size * persistence.MAX_HEADER_RATIO > len(raw)  # not the ratio's case

    def never(*args, **kwargs):
        raise AssertionError("the header was parsed")

    monkeypatch.setattr(json, "loads", never)
    tracemalloc.start()
    try:
        start = time.perf_counter()
        with pytest.raises(ModelFileError, match=r"sktag.json has 4000001 JSON values \(2000001 "
                                                 r"lists and objects\); a model file of \d+ "
                                                 r"bytes may have at most"):
            read_model_file(path)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * len(raw) + (4 << 20)  # the inflated bytes, nothing built from them
    assert seconds < 5  # a guard against a hang, not a timing (CI machines are slow)


@pytest.mark.parametrize("kind", ["lists", "numbers"])
def test_a_header_at_its_budget_parses_in_the_stated_memory(tmp_path, kind):
    # The bound header_budget states: parsing a header costs at most about
    # 19 MB + 50 bytes per byte of the file, whatever the values are.
    path = tmp_path / "m.sktag"
    if kind == "lists":
        raw = _many_empty_lists(60_000)  # the containers budget: 2**16 + size // 4
    else:  # floats, not interned: 24 bytes and a list slot each
        raw = b"[" + b",".join(b"%d.5" % i for i in range(300_000)) + b"]"
    _zipped_header(path, raw)
    values, containers = persistence.header_budget(path.stat().st_size)
    assert raw.count(b",") + raw.count(b"[") <= values and raw.count(b"[") <= containers
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match="is not an sktag model file"):
            read_model_file(path)  # parsed, then refused by its format
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(raw) + (19 << 20) + 50 * path.stat().st_size


def test_the_budget_grows_with_the_bytes_of_the_file_not_with_what_it_declares():
    small, large = persistence.header_budget(0), persistence.header_budget(4 << 20)
    assert small == (persistence.HEADER_FREE_VALUES, persistence.HEADER_FREE_CONTAINERS)
    assert large == (small[0] + (4 << 20), small[1] + (1 << 20))


def test_deep_nesting_is_a_model_file_error(tmp_path):
    path = tmp_path / "m.sktag"
    path.write_bytes(rezip([("sktag.json", b"[" * 50_000 + b"]" * 50_000, 8),
                            ("arrays.bin", b"", 0)]))
    with pytest.raises(ModelFileError, match="not valid JSON"):
        read_model_file(path)


@pytest.mark.parametrize("scale", [2, 1000, 10 ** 9])
def test_declared_shapes_beyond_what_the_header_needs_are_refused(dense, tmp_path, scale):
    def grow(header):
        entry = next(e for e in header["arrays"] if e["key"] == "weights/embedding/0")
        entry["shape"][0] *= scale

    path = _with_header(dense[1], tmp_path / "m.sktag", grow)
    with pytest.raises(ModelFileError, match=rf"weights/embedding/0 is <f4 of shape "
                                             rf"\[{14 * scale}, 4\]; the header's vocabulary"):
        read_model_file(path)


def test_arrays_member_of_another_size_than_declared_is_refused(dense, tmp_path):
    members = _members(dense[1])
    for payload in (members["arrays.bin"][0][:-4], members["arrays.bin"][0] + bytes(16)):
        path = tmp_path / "m.sktag"
        path.write_bytes(rezip([("sktag.json", members["sktag.json"][0], 8),
                                ("arrays.bin", payload, 0)]))
        with pytest.raises(ModelFileError, match=r"arrays.bin is \d+ bytes; the header's "
                                                 r"arrays are \d+ bytes, stored"):
            read_model_file(path)


def test_lying_directory_sizes_are_refused(dense, tmp_path):
    data = dense[1].read_bytes()
    entries, _ = fuzz.directory_entries(data)
    for entry in entries:
        for field in (16, 20, 24):  # CRC, compressed size, size
            corrupted = bytearray(data)
            corrupted[entry + field: entry + field + 4] = (0xFFFFFFF0).to_bytes(4, "little")
            path = tmp_path / "m.sktag"
            path.write_bytes(bytes(corrupted))
            with pytest.raises(ModelFileError, match="m.sktag"):
                read_model_file(path)


def test_many_members_are_refused_before_zipfile_parses_them(tmp_path):
    path = tmp_path / "m.sktag"
    path.write_bytes(rezip([(f"m{i}", b"", 0) for i in range(100)]))
    with pytest.raises(ModelFileError, match="a central directory of 100 members"):
        read_model_file(path)


# ----------------------------------------------------------------------
# damaged archives
# ----------------------------------------------------------------------
def test_every_truncation_is_a_model_file_error(dense, tmp_path):
    data = dense[1].read_bytes()
    path = tmp_path / "m.sktag"
    for n in list(range(0, len(data), max(1, len(data) // 200))) + [len(data) - 1]:
        path.write_bytes(data[:n])
        with pytest.raises(ModelFileError) as info:
            read_model_file(path)
        assert str(info.value).startswith(str(path))


@pytest.mark.parametrize("make, message", [
    (lambda m: [("sktag.json", m["arrays.bin"][0], 8), ("arrays.bin", m["sktag.json"][0], 0)],
     "sktag.json is not valid JSON"),
    (lambda m: [("arrays.bin", m["arrays.bin"][0], 0)], r"zip archive but not an sktag model"),
    (lambda m: [("sktag.json", m["sktag.json"][0], 8)], r"holds \['sktag.json'\], not the "),
    (lambda m: [("sktag.json", m["sktag.json"][0], 8), ("arrays.bin", m["arrays.bin"][0], 0),
                ("extra.pkl", b"\x80\x04N.", 0)], r"holds \['arrays.bin', 'extra.pkl'"),
    (lambda m: [("sktag.json", m["sktag.json"][0], 8), ("arrays.bin", m["arrays.bin"][0], 0),
                ("sktag.json", b"{}", 8)], "a member name appears twice"),
    (lambda m: [("sktag.json", m["sktag.json"][0], 8), ("arrays.bin", m["arrays.bin"][0], 8)],
     "arrays.bin is .* bytes, compressed"),
    (lambda m: [("sktag.json", m["sktag.json"][0], 12), ("arrays.bin", m["arrays.bin"][0], 0)],
     "compression method 12"),
    (lambda m: [("sktag.json", m["sktag.json"][0], 8), ("model.keras", m["arrays.bin"][0], 0)],
     "a format-2 file without arrays.bin"),
], ids=["contents-swapped", "no-header", "no-arrays", "extra-member", "duplicate-member",
        "compressed-arrays", "bzip2-header", "keras-member"])
def test_wrong_members_are_refused(dense, tmp_path, make, message):
    path = tmp_path / "m.sktag"
    path.write_bytes(rezip(make(_members(dense[1]))))
    with pytest.raises(ModelFileError, match=message) as info:
        read_model_file(path)
    assert str(info.value).startswith(str(path))


def test_members_in_either_order_and_either_compression_read_identically(dense, tmp_path):
    state, source = dense
    members = _members(source)
    path = tmp_path / "m.sktag"
    path.write_bytes(rezip([("arrays.bin", members["arrays.bin"][0], 0),
                            ("sktag.json", members["sktag.json"][0], 0)]))
    assert same_state(read_model_file(path), state)


def test_encrypted_member_is_refused(dense, tmp_path):
    data = bytearray(dense[1].read_bytes())
    entries, locals_ = fuzz.directory_entries(bytes(data))
    for at in entries:
        data[at + 8] |= 1
    path = tmp_path / "m.sktag"
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="is encrypted"):
        read_model_file(path)


# ----------------------------------------------------------------------
# the header's schema
# ----------------------------------------------------------------------
def _vocab_state(h):
    return _attr(h["fitted"]["feature_encoder_"], "vocabulary_")[1]


def _drop_last_token(h):
    tokens = _attr(_vocab_state(h), "tokens_")[1]
    tokens["__ndarray__"].pop()
    tokens["shape"] = [len(tokens["__ndarray__"])]


def _grow_vocabulary(h):
    vocab = _vocab_state(h)
    for name in ("tokens_", "counts_", "unknown_ids_"):
        array = _attr(vocab, name)[1]
        extra = [f"w{i}" for i in range(50)] if name == "tokens_" else [1] * 50
        array["__ndarray__"] += extra
        array["shape"] = [len(array["__ndarray__"])]
    pairs = _attr(vocab, "vocabulary_")[1]["__dict__"]
    pairs += [[f"w{i}", len(pairs) + i] for i in range(50)]


SCHEMA_CASES = {
    "foreign-format": (lambda h: h.update(format="other"),
                       r"m.sktag is not an sktag model file \(format is not"),
    "newer-format": (lambda h: h.update(format_version=FORMAT_VERSION + 1,
                                        writer={"sktag_version": "9.0"}),
                     rf"m.sktag was written by sktag 9\.0 in model file format "
                     rf"{FORMAT_VERSION + 1}; this sktag \(0\.1\.0\) reads formats up to "
                     rf"{FORMAT_VERSION}\. Upgrade sktag"),
    "bool-version": (lambda h: h.update(format_version=True), "invalid format_version True"),
    "unknown-section": (lambda h: h.update(extras={}), r"field header: unknown key 'extras'"),
    "missing-section": (lambda h: h.pop("fitted"), r"field header: missing key 'fitted'"),
    "missing-structural-param": (lambda h: h["params"].pop("d_model"),
                                 r"field params: missing key 'd_model'"),
    "zero-d_model": (lambda h: h["params"].update(d_model=0),
                     r"field params\.d_model: must be an int in the range \[1, 8192\]\. Got 0 instead"),
    "bool-d_model": (lambda h: h["params"].update(d_model=True),
                     r"field params\.d_model: must be an int in the range \[1, 8192\]\. Got True"),
    "huge-int": (lambda h: h["params"].update(epochs=10 ** 30), r"field params\.epochs"),
    "nan-rate": (lambda h: h["params"].update(learning_rate=float("nan")),
                 r"field params\.learning_rate: expected null or true or false or a finite number .*got nan"),
    "nan-word-dropout": (lambda h: h["params"].update(word_dropout=float("inf")),
                         r"field params\.word_dropout"),
    "string-encoder": (lambda h: h["params"].update(encoder="transformer"),
                       r"field params\.encoder: must be a str among .*Got 'transformer' instead"),
    "unknown-param": (lambda h: h["params"].update(colour="red"),
                      r"field params: unknown key 'colour'"),
    "routed-param-object": (lambda h: h["params"].update(optimizer__beta_1={"a": 1}),
                            r"field params\.optimizer__beta_1"),
    "keras-optimizer-class": (lambda h: h["params"].update(optimizer={"__keras_optimizer__": {
        "__dict__": [["module", "os"], ["class_name", "system"], ["config", {"__dict__": []}]]}}),
        r"field params\.optimizer"),
    "left-out-and-stored": (lambda h: h["left_out_params"].update(epochs="x"),
                            r"field left_out_params: 'epochs' is also in params"),
    "wrong-history": (lambda h: h["fitted"]["history_"]["__dict__"][0].__setitem__(
        1, ["x"]), r"field fitted\.history_\['loss'\]\[0\]: expected a number, got 'x'"),
    "history-of-many-keys": (lambda h: h["fitted"]["history_"].update(
        __dict__=[[f"k{i}", []] for i in range(65)]),
        r"field fitted\.history_: expected a dict of at most 64 entries"),
    "unknown-encoder-class": (lambda h: h["fitted"]["target_encoder_"].update(
        __estimator__="os.system"), r"field fitted\.target_encoder_: expected a "
                                    r"SequenceLabelEncoder"),
    "unknown-attribute": (lambda h: h["fitted"]["target_encoder_"]["state"]["__dict__"].append(
        ["__class__", None]), r"field fitted\.target_encoder_: unknown key '__class__'"),
    "attribute-twice": (lambda h: h["fitted"]["target_encoder_"]["state"]["__dict__"].append(
        ["scheme_", None]), r"an attribute appears twice"),
    "one-class": (lambda h: _attr(h["fitted"]["target_encoder_"], "n_classes_").__setitem__(
        1, 1), r"n_classes_: expected an int in \[2, 65536\], got 1"),
    "vocabulary-and-tokens-differ": (_drop_last_token,
                                     r"vocabulary_\.vocabulary_: is not the id of each of tokens_"),
    "vocabulary-larger-than-weights": (_grow_vocabulary,
                                       r"weights/word_dropout/0 is <f4 of shape \[14\]; the "
                                       r"header's vocabulary, labels and parameters need <f4 of "
                                       r"shape \[64\]"),
    "negative-count": (lambda h: _attr(_vocab_state(h), "counts_")[1]["__ndarray__"].__setitem__(
        3, -1), r"vocabulary_\.counts_\[3\]: expected an int in \[0, 4611686018427387904\], got -1"),
    "bool-count": (lambda h: _attr(_vocab_state(h), "counts_")[1]["__ndarray__"].__setitem__(
        5, True), r"vocabulary_\.counts_\[5\]: expected an int in .*, got True"),
    "token-of-another-type": (lambda h: _attr(_vocab_state(h), "tokens_")[1][
        "__ndarray__"].__setitem__(6, 6), r"vocabulary_\.tokens_\[6\]: expected a string"),
    "char-dim-without-chars": (lambda h: h["params"].update(char_dim=2),
                               r"params\.char_dim: is 2, but the feature encoder has no "
                               r"character vocabulary"),
    "array-dtype-f8": (lambda h: h["arrays"][1].update(dtype="<f8"), r"arrays\[1\]\.dtype"),
    "array-object-dtype": (lambda h: h["arrays"][1].update(dtype="O"), r"arrays\[1\]\.dtype"),
    "gap-between-arrays": (lambda h: [e.update(offset=e["offset"] + 16) for e in h["arrays"][1:]],
                           r"arrays\[1\]\.offset: expected \d+, got"),
    "array-twice": (lambda h: h["arrays"].append(dict(h["arrays"][0])),
                    r"key 'weights/word_dropout/0' appears twice"),
    "array-missing": (lambda h: h["arrays"].pop(), r"missing 'weights/tagger/1'"),
    "optimizer-flag": (lambda h: h.update(optimizer_state=True),
                       r"0 optimizer arrays, but optimizer_state is true"),
    "duplicate-json-key": (None, r"not valid JSON \(a key appears twice"),
}


@pytest.mark.parametrize("edit, message", SCHEMA_CASES.values(), ids=SCHEMA_CASES.keys())
def test_header_edits_are_refused_naming_the_field(dense, tmp_path, edit, message):
    if edit is None:
        members = _members(dense[1])
        text = members["sktag.json"][0].replace(b'"d_model": 4', b'"d_model": 4, "d_model": 4')
        path = tmp_path / "m.sktag"
        path.write_bytes(rezip([("sktag.json", text, 8),
                                ("arrays.bin", members["arrays.bin"][0], 0)]))
    else:
        path = _with_header(dense[1], tmp_path / "m.sktag", edit)
    with pytest.raises(ModelFileError, match=message) as info:
        read_model_file(path)
    assert str(info.value).startswith(str(path))
    assert type(info.value) is ModelFileError and isinstance(info.value, ValueError)


def test_header_may_omit_parameters_newer_than_its_writer(dense, tmp_path):
    path = _with_header(dense[1], tmp_path / "m.sktag", lambda h: h["params"].pop("epochs"))
    assert "epochs" not in read_model_file(path)["params"]


# ----------------------------------------------------------------------
# format 1
# ----------------------------------------------------------------------
def test_format_1_file_migrates_to_the_state_of_format_2():
    state = read_model_file(FIXTURE)
    assert state["format_version"] == 1
    assert state["params"]["char_classes"] is False  # written before character classes
    assert state["writer"] == {"sktag_version": "0.1.0", "numpy_version": "unknown",
                               "keras_version": "3.15.1", "tensorflow_version": "2.21.0"}
    vocab = state["fitted"]["feature_encoder_"].vocabulary_
    np.testing.assert_array_equal(vocab.unknown_ids_, [0, 1, 2, 3, 4, 1, 1, 1, 1, 1, 1])
    assert state["fitted"]["target_encoder_"].scheme_ is None
    assert {k: [a.shape for a in v] for k, v in state["weights"].items()} == {
        "word_dropout": [(11,), (11,)], "embedding": [(11, 4)], "tagger": [(4, 2), (2,)]}
    assert state["optimizer_state"] is None
    # ... and writes as format 2, which reads back identically.


def test_format_1_file_rewrites_as_format_2(tmp_path):
    state = read_model_file(FIXTURE)
    keys = ("params", "fitted", "weights", "optimizer_state")
    again = read_model_file(write_model_file(tmp_path / "m.sktag", {k: state[k] for k in keys}))
    assert same_state(again, state) and again["format_version"] == 2


def _format1(tmp_path, header=None, keras=None):
    with zipfile.ZipFile(FIXTURE) as archive:
        old_header = json.loads(archive.read("sktag.json"))
        old_keras = archive.read("model.keras")
    path = tmp_path / "old.sktag"
    path.write_bytes(rezip([
        ("sktag.json", json.dumps(header(old_header) if header else old_header).encode(), 8),
        ("model.keras", old_keras if keras is None else keras(old_keras), 0)]))
    return path


def _rebuild_keras(data, change_h5):
    """model.keras with its weights file changed by ``change_h5(h5py.File)``."""
    import h5py

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(i.filename, archive.read(i), i.compress_type) for i in archive.infolist()]
    out = []
    for name, payload, method in members:
        if name == "model.weights.h5":
            buffer = io.BytesIO(payload)
            with h5py.File(buffer, "r+") as h5:
                change_h5(h5)
            payload = buffer.getvalue()
        out.append((name, payload, method))
    return rezip(out)


def _compress_a_dataset(h5):
    name = "layers/embedding/vars/0"
    data = h5[name][()]
    del h5[name]
    h5.create_dataset(name, data=data, compression="gzip")


def _external_link(h5):
    del h5["layers/embedding/vars/0"]
    h5["layers/embedding/vars/0"] = __import__("h5py").ExternalLink("/etc/passwd", "/x")


@pytest.mark.parametrize("header, keras, message", [
    (None, lambda k: b"not keras", r"model.keras is not a Keras model file sktag wrote"),
    (None, lambda k: k[: len(k) // 2], r"model.keras is not a Keras model file sktag wrote"),
    (lambda h: {**h, "fitted": {}}, None, r"field fitted: missing key"),
    (lambda h: {**h, "extra": 1}, None, r"sktag.json: unknown key 'extra'"),
    (lambda h: (h["params"].update(d_model=5), h)[1], None,
     r"the Keras model does not match the stored vocabulary, labels and parameters "
     r"\(arrays\[\d\]: weights/embedding/0 is <f4 of shape \[11, 4\]"),
    (None, lambda k: _rebuild_keras(k, _compress_a_dataset), "is compressed or stored outside"),
    (None, lambda k: _rebuild_keras(k, _external_link), "ExternalLink at"),
], ids=["junk-keras", "truncated-keras", "missing-state", "unknown-key", "mismatched-weights",
        "compressed-h5", "external-link"])
def test_bad_format_1_files_are_model_file_errors(tmp_path, header, keras, message):
    path = _format1(tmp_path, header, keras)
    with pytest.raises(ModelFileError, match=message) as info:
        read_model_file(path)
    assert str(info.value).startswith(str(path))


def test_format_1_keras_bomb_stops_at_the_bound_from_the_header(tmp_path):
    bomb = fuzz.deflate_bomb(1024)  # 1 GiB; the header's model has 304 bytes of weights
    path = tmp_path / "old.sktag"
    with zipfile.ZipFile(FIXTURE) as archive:
        header = archive.read("sktag.json")
    path.write_bytes(raw_zip([("sktag.json", 0, header, zlib.crc32(header), len(header)),
                              ("model.keras", 8, bomb, 0, 1000)]))
    start = time.perf_counter()
    with pytest.raises(ModelFileError, match=r"model.keras inflates to more than \d+ bytes"):
        read_model_file(path)
    assert time.perf_counter() - start < 5  # a hang guard, not a speed target


# ----------------------------------------------------------------------
# fuzz
# ----------------------------------------------------------------------
def test_fuzz_mutated_files_read_identically_or_raise_model_file_error():
    """A few seconds of benchmarks/fuzz_model_files.py (which runs 10,000 cases)."""
    counts, failures, slowest = fuzz.fuzz(cases=60, seed=0)  # cases, not seconds: a
    assert not failures, failures[:5]                         # loaded machine runs fewer
    assert all(counts[kind]["ModelFileError"] for kind in fuzz.KINDS)
    assert slowest < 5  # no case hangs (each takes milliseconds)


def test_fuzz_mutated_files_load_and_predict_identically_or_raise_model_file_error():
    """The same fuzz through sktag.load: a file that reads either predicts exactly
    as the original or, for a header edit that made another valid model, predicts
    without error; loading refuses the rest with ModelFileError."""
    counts, failures, slowest = fuzz.fuzz(seconds=4, seed=1, load=fuzz.make_loader())
    assert not failures, failures[:5]
    assert sum(counts[kind]["identical"] for kind in fuzz.KINDS) > 0


def test_the_schema_knows_every_parameter_of_token_tagger():
    """A new TokenTagger parameter needs its row in persistence.schema.PARAMS (or
    write_model_file refuses every tagger: a file it could not read)."""
    from sktag.persistence import schema
    from sktag.parameters import ROUTED_PREFIXES
    from sktag.tagger import TokenTagger

    assert set(TokenTagger().get_params(deep=False)) == set(schema.PARAMS)
    assert schema.ROUTED.startswith("(" + "|".join(ROUTED_PREFIXES) + ")__")
