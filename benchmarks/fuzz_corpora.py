"""Fuzz the corpus readers and the CLI's reading path: a DataFormatError or a clean result, never a crash.

Small valid corpora -- CoNLL-U (comments, multiword tokens, empty nodes),
IOB (tab-separated with ``#`` comments and ``#hashtag`` tokens, and
CoNLL-2003 style space-separated with ``-DOCSTART-``), plain text, and each
of them gzip-compressed -- are mutated at random, one to three mutations per
case, written to a file and read with :mod:`sktag.io` (``read_conllu`` with
and without labels, then :func:`~sktag.io.fill_conllu` with the tokens it
read; ``read_iob`` with the last and the second column as tags; ``read_text``). Every
``--cli-every``-th case also runs ``sktag evaluate`` and ``sktag predict``
(``sktag.cli.main`` in this process, with a tiny model trained once at the
start) on the file, unless the file reads without error and holds over 1 MiB.

Mutations of the bytes: ``flip`` (1-4 bytes XORed), ``truncate``,
``insert`` (a tab, newline, carriage return, ``#``, ``_``, ``-DOCSTART-``,
an ID such as ``3-4`` or ``5.1``, a NUL or a BOM at a random place),
``delete`` (a run of bytes), ``lines`` (a line dropped, repeated or moved),
``huge`` (a line just under, at or over :data:`sktag.io.MAX_LINE_CHARS`),
``utf8`` (invalid UTF-8: a stray continuation byte, a cut sequence, an
encoded surrogate, an overlong form, part of the file in Latin-1 or UTF-16).
The gzip files get the same mutations before compression, or one of the
compressed bytes: ``gzip`` (bytes flipped, the file cut, garbage or a second
member appended, the header or trailer changed, not compressed at all, an
empty file, a 40 KB member that inflates to one 20 MiB line).

Outcomes of a case's reads: ``read`` (every call returned), ``DataFormatError``
(the message starts with the file's path and a line number), ``other`` (any
other exception, or a DataFormatError without ``path:line:``; a bug, the
case is printed), ``hang`` (a read took over ``--time-limit`` seconds).
Outcomes of a CLI run: exit 0, exit 1 with one line ``sktag: error: ...``
naming the file, exit 1 whose message does not name the file (``unnamed``),
exit 2, and ``traceback`` (an exception escaped ``main``, which a shell
would print as a traceback). Peak memory is the process's maximum resident
set size (``ru_maxrss``) and its largest growth during one case.

Run::

    python benchmarks/fuzz_corpora.py                    # 10,000 cases per format
    python benchmarks/fuzz_corpora.py --cases 500 --formats conllu gzip
"""

import argparse
import contextlib
import gzip
import io
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sktag.io import (
    MAX_LINE_CHARS,
    DataFormatError,
    fill_conllu,
    read_conllu,
    read_iob,
    read_text,
)

FORMATS = ("conllu", "iob", "text", "gzip")
KINDS = ("flip", "truncate", "insert", "delete", "lines", "huge", "utf8")
#: How often each kind is drawn: a huge line (4 MiB on disk) one case in 15.
WEIGHTS = (3, 2, 3, 2, 2, 1, 2)
GZIP_KINDS, GZIP_WEIGHTS = KINDS + ("gzip",), WEIGHTS + (7,)
#: Files that read without error and hold more bytes than this skip the CLI:
#: tagging them costs the model's time on a sentence of up to 2 million
#: tokens (16 s for a 4 MiB line of text), which is no matter of reading.
CLI_MAX_BYTES = 1 << 20
READ_OUTCOMES = ("read", "DataFormatError", "other", "hang")
CLI_OUTCOMES = ("exit 0", "exit 1", "unnamed", "exit 2", "traceback")
SUFFIXES = {"conllu": ".conllu", "iob": ".iob", "text": ".txt"}
SAMPLE = Path(__file__).resolve().parents[1] / "sktag" / "datasets" / "data"
INSERTS = (b"\t", b"\n", b"\r", b"\r\n", b"#", b"# ", b"_", b"\t\t", b" ", b"\n\n", b"-DOCSTART-",
           b"1", b"3-4", b"5.1", b"0", b"\x00", b"\xef\xbb\xbf", b"\n#", b"\n1\t", b"\x0b",
           b"\n\t", b"\t\n")


class Hang(Exception):
    """A case ran past --time-limit."""


# ----------------------------------------------------------------------
# valid corpora
# ----------------------------------------------------------------------
def base_corpora(n_sentences=12):
    """Small valid files of each format, as bytes, and the sentences they hold."""
    text = (SAMPLE / "en_ewt-ud-sample-test.conllu").read_text(encoding="utf-8")
    blocks = text.split("\n\n")[:n_sentences]
    X, y = read_conllu(("\n\n".join(blocks) + "\n\n").splitlines())
    # CoNLL-U with the features of real files: a multiword token, an empty node, MISC.
    first = blocks[0].split("\n")
    first.insert(len(first) - 2, "6-7\tstory:\t_\t_\t_\t_\t_\t_\t_\t_")
    first.insert(len(first) - 1, "6.1\tstory\tstory\tNOUN\tNN\t_\t_\t_\t6:dep\tSpaceAfter=No")
    conllu = "\n".join(first) + "\n\n" + "\n\n".join(blocks[1:]) + "\n\n"
    X[0][0] = "#From"  # a token that starts with '#'
    iob_tab = "".join(
        f"# sent_id = s{i}\n# text = {' '.join(s)}\n"
        + "".join(f"{tok}\t{tag}\n" for tok, tag in zip(s, t)) + "\n"
        for i, (s, t) in enumerate(zip(X, y)))
    iob_space = "-DOCSTART- -X- -X- O\n\n" + "".join(
        "".join(f"{tok} NN O {tag}\n" for tok, tag in zip(s, t)) + "\n" for s, t in zip(X, y))
    plain = "".join(" ".join(s) + "\n" for s in X) + "\n#MeToo is a tag .\n"
    return {"conllu": [conllu.encode()], "iob": [iob_tab.encode(), iob_space.encode()],
            "text": [plain.encode()]}, (X, y)


# ----------------------------------------------------------------------
# mutations
# ----------------------------------------------------------------------
def _line_spans(data):
    spans, start = [], 0
    for k, byte in enumerate(data):
        if byte == 10:
            spans.append((start, k + 1))
            start = k + 1
    if start < len(data):
        spans.append((start, len(data)))
    return spans or [(0, len(data))]


def mutate(data, kind, rng):
    """One mutation of ``kind`` applied to ``data`` (bytes)."""
    pos = rng.randrange(len(data) + 1) if data else 0
    if kind == "flip":
        data = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            if data:
                data[rng.randrange(len(data))] ^= rng.randrange(1, 256)
        return bytes(data)
    if kind == "truncate":
        return data[:pos]
    if kind == "insert":
        return data[:pos] + rng.choice(INSERTS) * rng.choice((1, 1, 2, 5)) + data[pos:]
    if kind == "delete":
        return data[:pos] + data[pos + rng.randint(1, 20):]
    if kind == "lines":
        lines = [data[a:b] for a, b in _line_spans(data)]
        k = rng.randrange(len(lines))
        action = rng.choice(("drop", "repeat", "move"))
        if action == "drop":
            del lines[k]
        elif action == "repeat":
            lines.insert(k, lines[k])
        else:
            lines.insert(rng.randrange(len(lines) + 1), lines.pop(k))
        return b"".join(lines)
    if kind == "huge":
        size = rng.choice((MAX_LINE_CHARS - 2, MAX_LINE_CHARS, MAX_LINE_CHARS + 1,
                           MAX_LINE_CHARS + rng.randint(2, 1000), 100_000))
        fill = rng.choice((b"a", b"\t", b"1\t", b"# ", "\u00e9".encode()))
        line = (fill * (size // len(fill) + 1))[:size]
        at = rng.choice(_line_spans(data))[0] if data else 0
        return data[:at] + line + b"\n" + data[at:]
    if kind == "utf8":
        choice = rng.randrange(4)
        if choice == 0:
            bad = rng.choice((b"\xff", b"\x80", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf",
                              b"\xf4\x90\x80\x80", b"\xe2\x82"))
            return data[:pos] + bad + data[pos:]
        if choice == 1:  # cut in the middle of a multibyte character
            text = data.decode("utf-8", "replace") + "\u00e9\u4e2d"
            encoded = text.encode("utf-8")
            return encoded[:-1]
        if choice == 2:
            text = data.decode("utf-8", "replace")
            k = rng.randrange(len(text) + 1)
            return text[:k].encode("utf-8") + text[k:].encode("latin-1", "replace")
        return data.decode("utf-8", "replace").encode(rng.choice(("utf-16", "utf-16-le")))
    raise ValueError(kind)


def mutate_gzip(data, rng):
    """One mutation of the compressed bytes of ``data``."""
    packed = gzip.compress(data, mtime=0)
    choice = rng.randrange(9)
    if choice == 0:
        return mutate(packed, "flip", rng)
    if choice == 1:
        return packed[:rng.randrange(len(packed))]
    if choice == 2:
        return packed + bytes(rng.randrange(256) for _ in range(rng.randint(1, 30)))
    if choice == 3:
        return packed + gzip.compress(data[: rng.randrange(len(data) + 1)], mtime=0)
    if choice == 4:  # header: magic, method, flags
        packed = bytearray(packed)
        packed[rng.randrange(10)] ^= rng.randrange(1, 256)
        return bytes(packed)
    if choice == 5:  # trailer: CRC or size
        packed = bytearray(packed)
        packed[len(packed) - rng.randint(1, 8)] ^= rng.randrange(1, 256)
        return bytes(packed)
    if choice == 6:
        return data  # not compressed, named .gz
    if choice == 7:
        return b""
    return gzip.compress(b"1\t" + b"a" * (5 * MAX_LINE_CHARS) + b"\n", compresslevel=1,
                         mtime=0)


def make_case(fmt, bases, rng):
    """``(inner format, suffix, bytes, kinds)`` of one mutated file."""
    inner = rng.choice(("conllu", "iob", "text")) if fmt == "gzip" else fmt
    data = rng.choice(bases[inner])
    kinds = rng.choices(GZIP_KINDS if fmt == "gzip" else KINDS,
                        GZIP_WEIGHTS if fmt == "gzip" else WEIGHTS, k=rng.randint(1, 3))
    if "huge" in kinds:  # one huge line is enough
        kinds = ["huge"] + [k for k in kinds if k != "huge"][:1]
    compressed = "gzip" in kinds
    for kind in kinds:
        if kind != "gzip":
            data = mutate(data, kind, rng)
    suffix = SUFFIXES[inner]
    if fmt == "gzip":
        data = mutate_gzip(data, rng) if compressed else gzip.compress(data, mtime=0)
        suffix += rng.choice((".gz", ".GZ"))
    return inner, suffix, data, "+".join(kinds)


# ----------------------------------------------------------------------
# running a case
# ----------------------------------------------------------------------
def _on_alarm(signum, frame):
    raise Hang()


@contextlib.contextmanager
def time_limit(seconds):
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def read_all(inner, path):
    """Every reader call for a file of format ``inner``."""
    if inner == "conllu":
        read_conllu(path)
        X = read_conllu(path, tag=None)
        fill_conllu(path, io.StringIO(), [["X"] * len(s) for s in X], tag="xpos")
    elif inner == "iob":
        read_iob(path)
        read_iob(path, token_col=0, tag_col=1)
    else:
        read_text(path)


def read_outcome(inner, path, limit):
    """``(outcome, problem)`` of reading the file."""
    try:
        with time_limit(limit):
            read_all(inner, path)
    except Hang:
        return "hang", f"over {limit} s"
    except DataFormatError as exc:
        if str(exc).startswith(f"{path}:{exc.lineno}: ") and exc.lineno >= 1:
            return "DataFormatError", None
        return "other", f"DataFormatError without path:line: {exc}"
    except Exception as exc:  # noqa: BLE001 - the point of the fuzz
        return "other", "".join(traceback.format_exception_only(exc)).strip()[:300] + (
            "\n" + "".join(traceback.format_tb(exc.__traceback__)[-2:]))
    return "read", None


def _inflated_size(path):
    if str(path).lower().endswith(".gz"):
        with gzip.open(path, "rb") as f:
            return sum(len(chunk) for chunk in iter(lambda: f.read(1 << 20), b""))
    return os.path.getsize(path)


def cli_outcomes(inner, path, model, scratch, limit):
    """``[(command, outcome, problem)]`` of ``sktag evaluate`` and ``sktag predict``."""
    from sktag.cli import main

    commands = [["predict", model, str(path), "-o", str(scratch / f"out{Path(path).suffix}")]]
    if inner != "text":
        commands.insert(0, ["evaluate", model, str(path)])
    results = []
    for argv in commands:
        out, err = io.StringIO(), io.StringIO()
        try:
            with time_limit(limit), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        except SystemExit as exc:
            code = exc.code
        except Hang:
            results.append((argv[0], "traceback", f"hang over {limit} s"))
            continue
        except BaseException as exc:  # noqa: BLE001 - what a shell prints as a traceback
            results.append((argv[0], "traceback",
                            "".join(traceback.format_exception(exc)[-3:])[-600:]))
            continue
        message = err.getvalue()
        if "Traceback" in message:
            results.append((argv[0], "traceback", message[-600:]))
        elif code == 0:
            results.append((argv[0], "exit 0", None))
        elif code == 1:
            lines = [line for line in message.splitlines() if line.startswith("sktag: error: ")]
            named = len(lines) == 1 and lines[0].startswith(f"sktag: error: {path}")
            results.append((argv[0], "exit 1" if named else "unnamed", None if named else message))
        else:
            results.append((argv[0], f"exit {code}" if code == 2 else "traceback", message))
    return results


def train_model(scratch, sentences):
    """A tiny model on the corpora's sentences, saved as a .sktag file."""
    from sktag import TokenTagger

    X, y = sentences
    tagger = TokenTagger(d_model=4, epochs=1, random_state=0).fit(X, y)
    path = scratch / "tiny.sktag"
    tagger.save(path)
    return str(path)


def maxrss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fuzz(cases, formats=FORMATS, seed=0, cli_every=20, limit=10.0, keep=None, on_problem=None):
    """Run the cases; returns counts, problems, per-format slowest case and memory."""
    rng = random.Random(seed)
    bases, sentences = base_corpora()
    reads = defaultdict(Counter)
    clis = defaultdict(Counter)
    problems = []
    slowest = defaultdict(float)
    growth = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        model = train_model(scratch, sentences) if cli_every else None
        start_rss = maxrss_mib()
        for fmt in formats:
            for case in range(cases):
                inner, suffix, data, kinds = make_case(fmt, bases, rng)
                path = scratch / f"case{suffix}"
                path.write_bytes(data)
                before = maxrss_mib()
                start = time.perf_counter()
                outcome, problem = read_outcome(inner, path, limit)
                reads[fmt][outcome] += 1
                if problem:
                    problems.append((fmt, case, kinds, "read", problem))
                big = outcome == "read" and _inflated_size(path) > CLI_MAX_BYTES
                if cli_every and case % cli_every == 0 and not big:
                    for command, cli, problem in cli_outcomes(inner, path, model, scratch, limit):
                        clis[fmt][cli] += 1
                        if cli in ("unnamed", "traceback"):
                            problems.append((fmt, case, kinds, command, problem))
                slowest[fmt] = max(slowest[fmt], time.perf_counter() - start)
                growth = max(growth, maxrss_mib() - before)
                if keep and problems and problems[-1][:2] == (fmt, case):
                    Path(keep).mkdir(parents=True, exist_ok=True)
                    (Path(keep) / f"{fmt}-{case}{suffix}").write_bytes(data)
                if on_problem and problems and problems[-1][:2] == (fmt, case):
                    on_problem(problems[-1])
    return reads, clis, problems, slowest, (start_rss, maxrss_mib(), growth)


def table(reads, clis, slowest, cases):
    rows = [("| Format | Cases | Read | `DataFormatError` | Other | Hang | CLI runs | "
             "Exit 0 | Exit 1, names the file | Exit 1, unnamed | Exit 2 | Traceback | "
             "Slowest case |"),
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    total_r, total_c = Counter(), Counter()
    for fmt in reads:
        r, c = reads[fmt], clis[fmt]
        total_r.update(r)
        total_c.update(c)
        rows.append(_row(fmt, cases, r, c, f"{slowest[fmt]:.2f} s"))
    if len(reads) > 1:
        rows.append(_row("all", cases * len(reads), total_r, total_c,
                         f"{max(slowest.values()):.2f} s"))
    return "\n".join(rows)


def _row(name, cases, r, c, slow):
    cells = [name, f"{cases:,}"] + [f"{r[o]:,}" for o in READ_OUTCOMES]
    cells += [f"{sum(c.values()):,}"] + [f"{c[o]:,}" for o in CLI_OUTCOMES] + [slow]
    return "| " + " | ".join(cells) + " |"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases per format")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cli-every", type=int, default=20,
                        help="run sktag evaluate and predict on every N-th case (0: never)")
    parser.add_argument("--time-limit", type=float, default=10.0,
                        help="seconds a case may take before it counts as a hang")
    parser.add_argument("--keep", metavar="DIR", help="save the files of failing cases here")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    reads, clis, problems, slowest, (start_rss, peak, growth) = fuzz(
        args.cases, args.formats, args.seed, args.cli_every, args.time_limit, args.keep,
        on_problem=lambda p: print("problem:", *p, file=sys.stderr, flush=True))
    elapsed = time.perf_counter() - start
    print(table(reads, clis, slowest, args.cases))
    print(f"\n{args.cases:,} cases per format (seed {args.seed}, CLI on every "
          f"{args.cli_every}th case) in {elapsed:.0f} s; peak RSS {peak:.0f} MiB "
          f"({start_rss:.0f} MiB after training the model; the largest growth during one case: "
          f"{growth:.0f} MiB)")
    for problem in problems[:20]:
        print("problem:", *problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
