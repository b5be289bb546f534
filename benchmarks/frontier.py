"""Accuracy against serving cost: the frontier of sktag's configurations and the CRF.

For each configuration, trained on English EWT train with each seed and
scored on EWT dev (UPOS accuracy): the mean accuracy, the one-sentence
``predict`` latency (median of 500 calls) and the whole-dev throughput of the
first seed's model, all in one run on one machine. Writes a Markdown table and
a figure with two panels, accuracy against latency and against throughput,
every configuration a labelled point.

Run::

    python benchmarks/frontier.py --data ../shared/data --random-state 0 1 \\
        --output docs/benchmarks/frontier.md --figure docs/benchmarks/frontier.png

The measurements are also written beside the table (``frontier.json``);
``--redraw docs/benchmarks/frontier.json --figure ...`` draws the figure from
them again without measuring.
"""

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accuracy import BEST, CRF, FAST_CONTEXT, clusters, glove, load_task
from speed import latency, throughput

from sktag import TokenTagger
from sktag.metrics import token_accuracy

#: The points of the frontier: name -> TokenTagger parameters (None: the CRF).
CONFIGURATIONS = {
    "sklearn-crfsuite": None,
    "dense (default)": {"d_model": 64, "epochs": 3},
    "fast context (conv, 128 filters)": FAST_CONTEXT,
    "conv, 64 filters": dict(FAST_CONTEXT, hidden_dim=64),
    "best (BiLSTM 128)": BEST,
    "BiLSTM 64": dict(BEST, hidden_dim=64),
    # int8 prediction graphs (precision="int8", issue 28)
    "fast context, int8": dict(FAST_CONTEXT, precision="int8"),
    "best, int8": dict(BEST, precision="int8"),
    # with GloVe 6B 50d and English Brown clusters (issue 27; read when measured)
    "fast context + GloVe + clusters": lambda: dict(FAST_CONTEXT, **_pretrained()),
    "BiLSTM 64 + GloVe + clusters": lambda: dict(BEST, hidden_dim=64, **_pretrained()),
    "best + GloVe + clusters": lambda: dict(BEST, **_pretrained()),
    "BiLSTM 64 + GloVe + clusters, int8": lambda: dict(BEST, hidden_dim=64, precision="int8",
                                                      **_pretrained()),
}


def _pretrained():
    return {"word_vectors": glove(), "word_clusters": clusters()}


def measure(name, params, seeds, train, test):
    X_train, y_train = train
    X_test, y_test = test
    params = params() if callable(params) else params
    scores, model, fit_s = [], None, []
    for seed in seeds if params is not None else seeds[:1]:
        candidate = CRF() if params is None else TokenTagger(**params, random_state=seed)
        start = time.perf_counter()
        candidate.fit(X_train, y_train)
        fit_s.append(time.perf_counter() - start)
        scores.append(token_accuracy(y_test, candidate.predict(X_test)))
        model = model or candidate
    median = float(np.median(latency(model.predict, 500))) * 1e3
    tps = float(np.median(throughput(model.predict, X_test, 3)))
    row = {"name": name, "accuracy": sum(scores) / len(scores), "min": min(scores),
           "max": max(scores), "latency_ms": median, "tps": tps,
           "fit_s": sum(fit_s) / len(fit_s)}
    print(row, flush=True)
    return row


def draw(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
    numbers = {r["name"]: k + 1 for k, r in enumerate(rows)}  # points are numbered: no overlaps
    for ax, key, label in ((axes[0], "latency_ms", "one-sentence latency, ms (log)"),
                           (axes[1], "tps", "throughput on EWT dev, tokens/s (log)")):
        placed = []
        for r in rows:
            crf = r["name"] == "sklearn-crfsuite"
            near = any(abs(r[key] / x - 1) < 0.08 and abs(r["accuracy"] - a) < 0.002
                       for x, a in placed)  # a label already there: put this one below
            placed.append((r[key], r["accuracy"]))
            ax.scatter(r[key], r["accuracy"], marker="s" if crf else "o",
                       color="tab:red" if crf else "tab:blue", zorder=3)
            ax.errorbar(r[key], r["accuracy"], yerr=[[r["accuracy"] - r["min"]],
                                                     [r["max"] - r["accuracy"]]],
                        color="gray", lw=1, zorder=2)
            ax.annotate(str(numbers[r["name"]]), (r[key], r["accuracy"]),
                        textcoords="offset points", xytext=(4, -12 if near else 4), fontsize=9)
        ax.set_xscale("log")
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("EWT UPOS accuracy (dev)")
    fig.suptitle("sktag configurations and sklearn-crfsuite: accuracy against serving cost")
    fig.text(0.5, 0.01, "   ".join(f"{n}: {name}" for name, n in numbers.items()), ha="center",
             fontsize=8.5)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(path, dpi=110)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--random-state", type=int, nargs="+", default=[0])
    parser.add_argument("--only", nargs="+", help="subset of configuration names")
    parser.add_argument("--output", help="also write the Markdown table to this file")
    parser.add_argument("--figure", help="draw the frontier to this PNG file")
    parser.add_argument("--redraw", metavar="JSON",
                        help="draw --figure from the measurements an earlier run wrote "
                             "beside its --output (NAME.json) instead of measuring")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    if args.redraw:
        draw(json.loads(Path(args.redraw).read_text(encoding="utf-8")), args.figure)
        return
    train, test, _ = load_task("ewt-upos", args.data)
    rows = [measure(name, params, args.random_state, train, test)
            for name, params in CONFIGURATIONS.items() if not args.only or name in args.only]
    crf = next((r for r in rows if r["name"] == "sklearn-crfsuite"), None)
    lines = [("| configuration | EWT UPOS accuracy (min-max) | 1-sentence latency ms | "
              "throughput tokens/s | latency / CRF | throughput / CRF | fit s |"),
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        ratios = (f"{r['latency_ms'] / crf['latency_ms']:.2f}x | {r['tps'] / crf['tps']:.2f}x"
                  if crf else "- | -")
        lines.append(f"| {r['name']} | {r['accuracy']:.4f} ({r['min']:.4f}-{r['max']:.4f}) "
                     f"| {r['latency_ms']:.3f} | {r['tps']:,.0f} | {ratios} | {r['fit_s']:.1f} |")
    footer = (f"\nAccuracy: mean over random_state {args.random_state} (the CRF has no seed). "
              f"Latency and throughput: the first seed's model. Measured "
              f"{date.today().isoformat()} with `python benchmarks/frontier.py {' '.join(argv)}`.")
    table = "\n".join(lines) + "\n" + footer
    print()
    print(table)
    if args.output:
        Path(args.output).write_text(table + "\n", encoding="utf-8")
        Path(args.output).with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n",
                                                          encoding="utf-8")
    if args.figure:
        draw(rows, args.figure)


if __name__ == "__main__":
    main()
