"""Regenerate the small UD samples shipped in ``sktag/datasets/data/``.

Usage::

    python benchmarks/make_samples.py [DATA_DIR]

``DATA_DIR`` holds the full treebank files (default: ``../shared/data``
relative to the repository root).  The script takes the first sentences of
each source file, keeps the ID, FORM, LEMMA, UPOS and XPOS columns, writes
``_`` in FEATS, HEAD, DEPREL, DEPS and MISC, keeps comment lines except the
Korean ``# translit`` lines, keeps multiword-token lines, drops empty-node
lines (they carry only enhanced-graph information, which is blanked), and
copies the treebanks' licence files.  It only needs the standard library, so
it can run without sktag's dependencies; the output is deterministic.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "sktag" / "datasets" / "data"

# (output file, source file, number of sentences)
SAMPLES = [
    ("en_ewt-ud-sample-train.conllu", "en_ewt-ud-train.conllu", 1500),
    ("en_ewt-ud-sample-test.conllu", "en_ewt-ud-dev.conllu", 500),
    ("ko_kaist-ud-sample-train.conllu", "ko_kaist-ud-dev.conllu", 1500),
    ("ko_gsd-ud-sample-test.conllu", "ko_gsd-ud-dev.conllu", 500),
]
LICENSES = [
    "LICENSE-UD_English-EWT.txt",
    "LICENSE-UD_Korean-Kaist.txt",
    "LICENSE-UD_Korean-GSD.txt",
]
KEPT_COLUMNS = 5  # ID FORM LEMMA UPOS XPOS
DROPPED_COMMENT = re.compile(r"^# translit\s*=")
EMPTY_NODE = re.compile(r"^\d+\.\d+$")


def slice_conllu(src: Path, dst: Path, n_sentences: int) -> tuple[int, int]:
    """Write the first ``n_sentences`` sentences of ``src`` to ``dst``, slimmed.

    Returns the number of sentences and of word tokens written.
    """
    n_sent = n_tok = 0
    block: list[str] = []
    has_words = False
    with (
        open(src, encoding="utf-8-sig") as fin,
        open(dst, "w", encoding="utf-8", newline="\n") as fout,
    ):
        for line in fin:
            line = line.rstrip("\r\n")
            if not line.strip():
                if has_words:
                    fout.write("\n".join(block) + "\n\n")
                    n_sent += 1
                    if n_sent == n_sentences:
                        break
                block, has_words = [], False
                continue
            if line.startswith("#"):
                if not DROPPED_COMMENT.match(line):
                    block.append(line)
                continue
            fields = line.split("\t")
            if len(fields) != 10:
                raise SystemExit(f"{src}: malformed line {line!r}")
            if EMPTY_NODE.match(fields[0]):
                continue
            if fields[0].isdigit():
                n_tok += 1
            has_words = True
            block.append("\t".join(fields[:KEPT_COLUMNS] + ["_"] * (10 - KEPT_COLUMNS)))
        else:
            if has_words and n_sent < n_sentences:
                fout.write("\n".join(block) + "\n\n")
                n_sent += 1
    if n_sent < n_sentences:
        raise SystemExit(f"{src} has only {n_sent} sentences, {n_sentences} requested")
    return n_sent, n_tok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "data_dir",
        nargs="?",
        default=str(REPO / ".." / "shared" / "data"),
        help="folder with the full treebank files (default: ../shared/data from the repo root)",
    )
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    total = 0
    for out_name, src_name, n in SAMPLES:
        dst = OUT_DIR / out_name
        n_sent, n_tok = slice_conllu(data_dir / src_name, dst, n)
        size = dst.stat().st_size
        total += size
        print(f"{out_name}: {n_sent} sentences, {n_tok} tokens, {size:,} bytes (from {src_name})")
    for name in LICENSES:
        shutil.copyfile(data_dir / name, OUT_DIR / name)
        total += (OUT_DIR / name).stat().st_size
    print(f"total with licences: {total:,} bytes in {OUT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
