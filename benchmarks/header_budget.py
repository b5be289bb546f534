"""The cost of loading a model file whose header is a JSON bomb, against a normal load.

Builds a normal tiny model file and the payload of the bad-input issue (a
``sktag.json`` of 16 million empty lists, ``[[],[],...]``, with sparse
spaces so that it deflates about 26 times, under every size cap), then loads
each with ``sktag.load`` in a fresh process and prints the seconds and the
peak resident memory (``ru_maxrss``) of that process.

Run::

    python benchmarks/header_budget.py
"""

import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LOAD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from sktag.tagger import load
start = time.perf_counter()
try:
    load(sys.argv[1]); outcome = "loaded"
except Exception as exc:
    outcome = type(exc).__name__
print(f"{{time.perf_counter() - start:.2f}} s, peak {{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}} MB, {{outcome}}")
"""


def payload(path, n=16_000_000, seed=0):
    rng = random.Random(seed)
    pieces = rng.choices([b"[],", b"[], "], weights=[9, 1], k=n - 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sktag.json", b"[" + b"".join(pieces) + b"[]]")
        info = zipfile.ZipInfo("arrays.bin")
        archive.writestr(info, b"\0" * 16)
    return path


FIT = """
import sys
sys.path.insert(0, {root!r})
from sktag import TokenTagger
TokenTagger(d_model=8, epochs=1, random_state=0).fit(
    [["a", "b", "c"], ["d", "e"]] * 20, [["N", "V", "N"], ["N", "V"]] * 20).save(sys.argv[1])
"""


def main():
    # Every step that loads sktag runs in a child process: a child's ru_maxrss
    # starts from its parent's at fork, so this process stays small.
    with tempfile.TemporaryDirectory() as tmp:
        normal = Path(tmp) / "normal.sktag"
        subprocess.run([sys.executable, "-c", FIT.format(root=str(ROOT)), str(normal)],
                       capture_output=True, check=True)
        bomb = Path(tmp) / "bomb.sktag"
        subprocess.run([sys.executable, __file__, "--payload", str(bomb)], check=True)
        print("| file | size | load |\n|---|---:|---|")
        for name, path in (("normal model", normal), ("16M empty lists", bomb)):
            out = subprocess.run([sys.executable, "-c", LOAD.format(root=str(ROOT)), str(path)],
                                 capture_output=True, text=True, check=True).stdout.strip()
            print(f"| {name} | {path.stat().st_size:,} B | {out} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--payload"]:
        payload(Path(sys.argv[2]))
    else:
        main()
