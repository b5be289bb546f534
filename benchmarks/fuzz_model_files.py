"""Fuzz sktag model files: every mutation reads back identically or is a ModelFileError.

Small valid model files are mutated at random, one mutation per case, and
read back with :func:`sktag.persistence.read_model_file` (and, with
``--load``, loaded with :func:`sktag.load` and asked to predict). Each case
ends in one of:

``identical``
    The file reads back to exactly the original state (and predicts
    exactly as the original): the mutation hit bytes nothing reads, such
    as a zip timestamp, or changed nothing (members in another order).
``valid, different``
    Only for header edits, which re-zip the edited JSON with a fresh CRC
    as an attacker would: the edit made another valid model (another
    ``verbose``, ``epochs``, history value). Such a file must itself
    write and read back identically (and predict without error).
``ModelFileError``
    Refused, with a message that starts with the file's path.
``other``
    Anything else: another exception, or a refused message without the
    path. Never expected; the case is printed.

Mutation kinds: ``flip`` (1-4 bytes XORed), ``truncate``, ``members``
(swapped contents, names or order, a member dropped, duplicated, added,
compressed or stored), ``header`` (one random edit of the JSON tree:
a value replaced by one of another type, a huge, negative or NaN number, a
long string or list; a key deleted or added), ``sizes`` (a size or CRC
field of the zip directory or local header, a manifest shape or offset, or
``sktag.json`` replaced by a deflate bomb that declares a small size),
``structure`` (a node of the header replaced by a costly shape: deep
nesting, many small values, a long string, a huge number; these reads run
under ``tracemalloc``, and a read whose peak passes the bound that
:func:`sktag.persistence.header_budget` states is counted ``other``).

Run::

    python benchmarks/fuzz_model_files.py --cases 10000
    python benchmarks/fuzz_model_files.py --cases 10000 --load   # also sktag.load + predict

``tests/persistence/test_model_files.py`` runs the same cases for a few seconds.
"""

import argparse
import io
import json
import math
import os
import random
import struct
import sys
import tempfile
import time
import tracemalloc
import warnings
import zipfile
import zlib
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sktag.persistence import (  # noqa: E402
    MAX_HEADER_RATIO,
    ModelFileError,
    header_budget,
    read_model_file,
    write_model_file,
)

KINDS = ("flip", "truncate", "members", "header", "structure", "sizes")
OUTCOMES = ("identical", "valid, different", "ModelFileError", "other")

X = [["The", "cat", "sat", "."], ["a", "dog", "ran", "2024"], ["Seoul", "sat"]]
Y = [["B-X", "O", "O", "O"], ["O", "B-X", "I-X", "O"], ["B-Y", "O"]]


# ----------------------------------------------------------------------
# valid states
# ----------------------------------------------------------------------
def make_state(encoder="dense", char_dim=0, char_classes=False, n_layers=1, word_dropout=0.25,
               d_model=4, hidden_dim=3, optimizer=False, labels="str", seed=0, **params):
    """A valid state as TokenTagger gives write_model_file, with random weights.

    The encoders are fitted on a few sentences; the weights have the
    shapes the model of these parameters has
    (:func:`sktag.architecture.expected_weight_shapes`), so no Keras is needed.
    """
    from sktag.architecture import GraphSpec, expected_weight_shapes
    from sktag.features import SentenceEncoder
    from sktag.labels import SequenceLabelEncoder
    from sktag.vocabulary import CharVocabulary

    y = Y if labels == "str" else [[len(t) % 3 for t in s] for s in X]
    feature_encoder = SentenceEncoder(
        char_vocabulary=CharVocabulary() if char_dim else None).fit(X)
    target_encoder = SequenceLabelEncoder().fit(y)
    spec = GraphSpec(encoder, n_layers, char=bool(char_dim), n_affix=3,
                     char_classes=bool(char_dim) and char_classes,
                     output=params.get("output", "softmax"))
    shapes = expected_weight_shapes(
        spec, n_vocab=len(feature_encoder.vocabulary_), n_classes=target_encoder.n_classes_,
        d_model=d_model, n_chars=len(feature_encoder.char_vocabulary_) if char_dim else 0,
        char_dim=char_dim, hidden_dim=hidden_dim, word_dropout=word_dropout > 0)
    rng = np.random.RandomState(seed)
    weights = {
        layer: [rng.randint(0, 5, shape).astype(np.int32) if layer == "word_dropout" and i
                else rng.standard_normal(shape).astype(np.float32)
                for i, shape in enumerate(layer_shapes)]
        for layer, layer_shapes in shapes.items()
    }
    optimizer_state = None
    if optimizer:
        trainable = [a for layer, arrays in weights.items()
                     if layer not in ("word_dropout", "char_classes") for a in arrays]
        optimizer_state = ([np.array(7, np.int64), np.array(0.005, np.float32)]
                           + [rng.standard_normal(a.shape).astype(np.float32)
                              for a in trainable + trainable])
    return {
        "params": {"encoder": encoder, "d_model": d_model, "char_dim": char_dim,
                   "char_classes": char_classes, "hidden_dim": hidden_dim,
                   "n_layers": n_layers, "word_dropout": word_dropout, "epochs": 2,
                   "verbose": 0, "random_state": seed, **params},
        "fitted": {"target_encoder_": target_encoder, "feature_encoder_": feature_encoder,
                   "history_": {"loss": [0.9, 0.5], "accuracy": [0.25, 0.75]},
                   "_random_state": seed},
        "weights": weights,
        "optimizer_state": optimizer_state,
    }


BASES = {
    "dense": dict(),
    "conv-chars": dict(encoder="conv", char_dim=2, char_classes=True, optimizer=True,
                       labels="int"),
    "bilstm": dict(encoder="bilstm", n_layers=2, word_dropout=0.0, hidden_dim=2),
}


def same(a, b):
    """Exact equality of states: types, dtypes, shapes, bytes, dict order."""
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
                and (a.tolist() == b.tolist() if a.dtype == object else a.tobytes() == b.tobytes()))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if hasattr(a, "__dict__") and not isinstance(a, type):
        return type(a) is type(b) and same(vars(a), vars(b))
    return type(a) is type(b) and a == b


def same_state(a, b):
    return all(same(a[key], b[key]) for key in ("params", "fitted", "weights", "optimizer_state"))


# ----------------------------------------------------------------------
# zip surgery
# ----------------------------------------------------------------------
def members_of(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info), info.compress_type)
                for info in archive.infolist()]


def rezip(members):
    """A zip of ``(name, bytes, compress_type)`` members, in that order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name
        for name, payload, method in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, payload)
    return out.getvalue()


def raw_zip(members):
    """A zip built byte by byte from ``(name, method, raw, crc, declared_size)``:
    whatever the sizes and CRCs say, the data is ``raw``."""
    out, directory = bytearray(), bytearray()
    for name, method, raw, crc, declared in members:
        name = name.encode()
        offset = len(out)
        fields = (20, 0, method, 0, 0x21, crc, len(raw), declared, len(name), 0)
        out += b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + name + raw
        directory += (b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0, 0,
                                                  offset) + name)
    end = struct.pack("<4s4HIIH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      len(directory), len(out), 0)
    return bytes(out + directory + end)


def deflate_bomb(size_mib):
    """Raw deflate data that inflates to ``size_mib`` MiB of zeros, about 1 KB a MiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * size_mib + b"\x03\x00"  # the last: an empty final block


def directory_entries(data):
    """Offsets of the central directory headers and of the local headers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        start = archive.start_dir
        locals_ = [info.header_offset for info in archive.infolist()]
    entries, at = [], start
    for _ in locals_:
        entries.append(at)
        n, m, k = struct.unpack("<HHH", data[at + 28: at + 34])
        at += 46 + n + m + k
    return entries, locals_


# ----------------------------------------------------------------------
# mutations
# ----------------------------------------------------------------------
def _random_value(rng, old):
    pool = [None, True, False, 0, 1, -1, 2, 3, 2 ** 31, 2 ** 63, 10 ** 30, -(10 ** 9), 0.5,
            1e308, float("nan"), float("inf"), "", "x", "dense", "<f8", "O", "iob2",
            "a" * 100_000, [], [0], [0] * 50_000, [[]] * 1000, {}, {"__dict__": []},
            {"__ndarray__": [], "dtype": "<i8", "shape": [0]}, {"__tuple__": [1]},
            {"__estimator__": "sktag.vocabulary.Vocabulary", "state": {"__dict__": []}}]
    if type(old) is int:
        pool += [old + 1, old - 1, old * 1000, -old, old * 10 ** 6]
    if type(old) is float:
        pool += [old * 2, -old, old + 1e-7]
    if isinstance(old, str):
        pool += [old + "x", old[:-1], old.upper(), old * 2]
    if isinstance(old, list):
        pool += [old[:-1], old + old[-1:], old[::-1], old * 3]
    return rng.choice(pool)


def _edit_json(header, rng):
    """One random edit somewhere in the JSON tree (in place); returns a description.

    Walks down from the root, stopping at each level with some probability
    (always at a leaf), then replaces, deletes or duplicates the node there.
    """
    parent, key, node, path = None, None, header, []
    while True:
        children = (list(node.items()) if isinstance(node, dict) else
                    list(enumerate(node)) if isinstance(node, list) else [])
        if parent is not None and (not children or rng.random() < 0.2):
            break
        if not children:
            return "no edit"
        key, child = rng.choice(children)
        parent, node, path = node, child, path + [key]
    where = "/".join(map(str, path))
    action = rng.random()
    if action < 0.7:
        parent[key] = _random_value(rng, node)
        return f"replace {where}"
    if action < 0.85:
        del parent[key]
        return f"delete {where}"
    if isinstance(parent, dict):
        parent[f"unknown_{rng.randint(0, 9)}"] = node
    else:
        parent.insert(key, node)
    return f"insert next to {where}"


def _costly_node(rng):
    """``(JSON text, description)`` of a value that is costly to parse."""
    shape = rng.randrange(5)
    if shape == 0:
        depth = rng.choice([100, 1_000, 10_000, 100_000])
        return "[" * depth + "]" * depth, f"nesting {depth} deep"
    if shape == 1:
        n = rng.choice([1_000, 100_000, 1_000_000])
        item = rng.choice(["[]", "{}", "0", "1.5", '"ab"', "null"])
        # sparse spaces keep the deflate ratio under the header's cap
        pieces = rng.choices([item + ",", item + ", "], weights=[9, 1], k=n)
        return "[" + "".join(pieces) + item + "]", f"{n:,} values {item}"
    if shape == 2:
        n = rng.choice([100_000, 10_000_000])
        return json.dumps("".join(rng.choices("abcdefgh", k=n))), f"a string of {n:,} characters"
    if shape == 3:
        digits = rng.choice([20, 400, 5_000, 100_000])
        return "9" * digits, f"an int of {digits:,} digits"
    return rng.choice(["1e400", "-1e400", "1e-400", "123456789e999999"]), "a huge float"


def _with_costly_node(header, rng):
    """The header's JSON text with one node (anywhere) replaced by a costly value."""
    marker = "\u0000costly\u0000"
    paths = []

    def walk(node, path):
        paths.append(path)
        children = (node.items() if isinstance(node, dict) else
                    enumerate(node) if isinstance(node, list) else ())
        for key, child in children:
            walk(child, path + [key])

    walk(header, [])
    path = rng.choice(paths[1:])
    parent = header
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = marker
    text, what = _costly_node(rng)
    return json.dumps(header).replace(json.dumps(marker), text, 1), \
        f"{'/'.join(map(str, path))} -> {what}"


def mutate(data, kind, rng):
    """``(mutated bytes, description)`` for a mutation of ``kind``."""
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(len(out))] ^= rng.randint(1, 255)
        return bytes(out), "flip"
    if kind == "truncate":
        n = rng.randrange(len(data))
        return data[:n], f"truncate to {n}"
    members = members_of(data)
    if kind == "members":
        choice = rng.randrange(8)
        if choice == 0:  # contents swapped
            (a, pa, ca), (b, pb, cb) = members
            return rezip([(a, pb, ca), (b, pa, cb)]), "contents swapped"
        if choice == 1:  # names swapped
            (a, pa, ca), (b, pb, cb) = members
            return rezip([(b, pa, ca), (a, pb, cb)]), "names swapped"
        if choice == 2:
            return rezip(members[::-1]), "order swapped"
        if choice == 3:
            return rezip([rng.choice(members)]), "one member only"
        if choice == 4:
            return rezip(members + [rng.choice(members)]), "a member twice"
        if choice == 5:
            return rezip(members + [("extra.pkl", b"\x80\x04N.", 0)]), "an extra member"
        if choice == 6:
            return rezip([(n, p, zipfile.ZIP_DEFLATED) for n, p, _ in members]), "all deflated"
        return rezip([(n, p, zipfile.ZIP_STORED) for n, p, _ in members]), "all stored"
    if kind == "structure":
        names = [n for n, _, _ in members]
        text, what = _with_costly_node(json.loads(members[names.index("sktag.json")][1]), rng)
        text = text.encode()
        return rezip([(n, text if n == "sktag.json" else p, c) for n, p, c in members]), what
    if kind == "header":
        names = [n for n, _, _ in members]
        header = json.loads(members[names.index("sktag.json")][1])
        what = _edit_json(header, rng)
        text = json.dumps(header).encode()
        return rezip([(n, text if n == "sktag.json" else p, c) for n, p, c in members]), what
    # sizes
    choice = rng.randrange(4)
    if choice == 0:  # a size or CRC field of the directory or a local header
        entries, locals_ = directory_entries(data)
        i = rng.randrange(len(entries))
        field = rng.choice([("central", entries[i] + 16), ("central", entries[i] + 20),
                            ("central", entries[i] + 24), ("local", locals_[i] + 14),
                            ("local", locals_[i] + 18), ("local", locals_[i] + 22)])
        (old,) = struct.unpack("<I", data[field[1]: field[1] + 4])
        new = rng.choice([0, 1, old + 1, max(old - 1, 0), old * 2, 1 << 31, 0xFFFFFFFF,
                          old * 1000]) & 0xFFFFFFFF
        out = bytearray(data)
        out[field[1]: field[1] + 4] = struct.pack("<I", new)
        return bytes(out), f"{field[0]} field at {field[1]}: {old} -> {new}"
    if choice in (1, 2):  # a manifest shape or offset
        names = [n for n, _, _ in members]
        header = json.loads(members[names.index("sktag.json")][1])
        entry = rng.choice(header["arrays"])
        if choice == 1 and entry["shape"]:
            axis = rng.randrange(len(entry["shape"]))
            entry["shape"][axis] *= rng.choice([2, 1000, 10 ** 6, 10 ** 9])
            what = f"shape of {entry['key']} -> {entry['shape']}"
        else:
            entry["offset"] += rng.choice([1, 16, -16, 10 ** 9, 2 ** 40])
            what = f"offset of {entry['key']} -> {entry['offset']}"
        text = json.dumps(header).encode()
        return rezip([(n, text if n == "sktag.json" else p, c) for n, p, c in members]), what
    # sktag.json a deflate bomb that declares a small size
    size = rng.choice([4, 64, 300])
    rest = [(n, 0, p, zlib.crc32(p), len(p)) for n, p, _ in members if n != "sktag.json"]
    bomb = ("sktag.json", 8, deflate_bomb(size), 0, rng.choice([100, 1 << 20, 0xFFFFFFFF]))
    return raw_zip([bomb] + rest), f"deflate bomb of {size} MiB"


# ----------------------------------------------------------------------
# one case
# ----------------------------------------------------------------------
def run_case(base, kind, rng, scratch, load=None):
    """``(outcome, description, seconds)`` of one mutated file of ``base``
    (``(name, state, bytes, path)``)."""
    _, base_state, base_bytes, base_path = base
    data, what = mutate(base_bytes, kind, rng)
    path = Path(scratch) / "case.sktag"
    path.write_bytes(data)
    measure = kind == "structure"
    if measure:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        state = read_model_file(path)
    except ModelFileError as exc:
        ok = str(exc).startswith(str(path))
        outcome, what = ("ModelFileError" if ok else "other"), f"{what}: {exc}"
    except Exception as exc:  # noqa: BLE001 - the point of the fuzz
        outcome, what = "other", f"{what}: {type(exc).__name__}: {exc}"
    else:
        outcome = None
    seconds = time.perf_counter() - start
    if measure:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        PEAKS.append((peak, len(data)))
        if peak > memory_bound(len(data)):
            return "other", f"{what}: peak {peak / 2**20:.0f} MiB over the bound", seconds
    if outcome is not None:
        return outcome, what, seconds
    if same_state(state, base_state):
        outcome = "identical"
    elif kind in ("header", "structure"):  # an edit that made another valid model
        again = Path(scratch) / "again.sktag"
        try:
            write_model_file(again, {key: state[key] for key in
                                     ("params", "fitted", "weights", "optimizer_state")})
            ok = same_state(read_model_file(again), state)
        except Exception as exc:  # noqa: BLE001
            return "other", f"{what}: rewriting fails: {type(exc).__name__}: {exc}", seconds
        outcome = "valid, different" if ok else "other"
    else:
        return "other", f"{what}: reads back a different state", seconds
    if load is not None:
        outcome, problem = load(path, outcome, base_path)
        if problem:
            return outcome, f"{what}: {problem}", seconds
    return outcome, what, seconds


#: ``(peak bytes, file bytes)`` of every read measured (the structure cases).
PEAKS = []


def memory_bound(file_size):
    """The most a read of a file of ``file_size`` bytes may allocate: the
    parse bound of :func:`sktag.persistence.header_budget` (19 MB + 50 bytes
    a file byte, rounded up to 72 bytes a value), plus the inflated header
    twice (its bytes and their text), at most 1 MiB + MAX_HEADER_RATIO times
    the file's size."""
    values, _ = header_budget(file_size)
    inflated = (1 << 20) + MAX_HEADER_RATIO * file_size
    return 72 * values + 2 * inflated + (4 << 20)


def base_files(scratch):
    """``[(name, state, bytes, path)]`` of the valid files the cases mutate."""
    bases = []
    for name, config in BASES.items():
        state = make_state(**config)
        path = write_model_file(Path(scratch) / f"{name}.sktag", state)
        bases.append((name, state, path.read_bytes(), path))
    return bases


def fuzz(cases=None, seconds=None, seed=0, load=None, on_case=None):
    """Run cases (``cases`` of them, or for ``seconds``); returns the counts and
    the cases that ended in ``other``."""
    rng = random.Random(seed)
    counts = defaultdict(Counter)
    failures = []
    slowest = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        bases = base_files(scratch)
        start = time.perf_counter()
        i = 0
        while (cases is None or i < cases) and (
                seconds is None or time.perf_counter() - start < seconds):
            base = bases[i % len(bases)]
            name = base[0]
            kind = KINDS[rng.randrange(len(KINDS))]
            outcome, what, took = run_case(base, kind, rng, scratch, load)
            slowest = max(slowest, took)
            counts[kind][outcome] += 1
            if outcome == "other":
                failures.append((name, kind, what))
            if on_case is not None:
                on_case(i, kind, outcome, what)
            i += 1
    return counts, failures, slowest


def table(counts):
    lines = ["| Mutation | Cases | " + " | ".join(OUTCOMES) + " |",
             "|---|---:|" + "---:|" * len(OUTCOMES)]
    total = Counter()
    for kind in KINDS:
        row = counts.get(kind, Counter())
        total.update(row)
        lines.append(f"| {kind} | {sum(row.values()):,} | "
                     + " | ".join(f"{row[o]:,}" for o in OUTCOMES) + " |")
    lines.append(f"| all | {sum(total.values()):,} | "
                 + " | ".join(f"{total[o]:,}" for o in OUTCOMES) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--load", action="store_true",
                        help="also sktag.load each file that reads, and predict with it")
    args = parser.parse_args(argv)
    load = make_loader() if args.load else None
    start = time.perf_counter()
    counts, failures, slowest = fuzz(cases=args.cases, seed=args.seed, load=load)
    elapsed = time.perf_counter() - start
    print(table(counts))
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{args.cases:,} cases (seed {args.seed}) in {elapsed:.0f} s; slowest read "
          f"{slowest * 1e3:.0f} ms; peak RSS {peak:.0f} MiB")
    if PEAKS:
        top, size = max(PEAKS)
        print(f"structure cases: largest traced peak of a read {top / 2**20:.1f} MiB "
              f"(a file of {size:,} bytes; its bound {memory_bound(size) / 2**20:.0f} MiB)")
    for failure in failures[:20]:
        print("other:", *failure)
    return 1 if failures else 0


SENTENCES = X + [[], ["unseen", "Words", "9"], ["a"] * 40]


def make_loader():
    """``load(path, outcome, base_path) -> (outcome, problem)``: ``sktag.load``
    the file and predict; an identical file must predict exactly as its base,
    any other file that loads must predict without error."""
    import sktag

    originals = {}

    def predictions(path):
        tagger = sktag.load(path)
        return tagger.predict_proba(SENTENCES), tagger.predict(SENTENCES), len(tagger.classes_)

    def load(path, outcome, base_path):
        if base_path not in originals:
            originals[base_path] = predictions(base_path)
        try:
            proba, labels, n_classes = predictions(path)
        except ModelFileError as exc:  # read, but refused by load (a tokenizer to give...)
            return "ModelFileError", (None if str(exc).startswith(str(path)) else str(exc))
        except Exception as exc:  # noqa: BLE001 - the point of the fuzz
            return "other", f"sktag.load or predict: {type(exc).__name__}: {exc}"
        if outcome == "identical":
            want_proba, want_labels, _ = originals[base_path]
            if labels != want_labels or not all(
                    np.array_equal(a, b) for a, b in zip(proba, want_proba, strict=True)):
                return "other", "predicts differently from the original"
        elif [p.shape for p in proba] != [(len(s), n_classes) for s in SENTENCES]:
            return "other", "probabilities of the wrong shape"
        return outcome, None

    return load


if __name__ == "__main__":
    sys.exit(main())
