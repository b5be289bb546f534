"""Speed benchmark: prediction latency and throughput, cold start, training speed, size.

In one run, with models trained on the EWT train file and measured on the dev
file: one-sentence ``predict`` latency (median and p90 of 500 calls),
whole-set throughput in tokens/s, fit seconds per epoch and training tokens/s,
model file size (joblib, and the safe ``.sktag`` file), ``import sktag``
time, and the cold start of a service: a fresh process that loads a model file
and tags one sentence, timed under ``/usr/bin/time`` against a process that
only imports ``sklearn.base`` (the floor every scikit-learn model pays) and
against sklearn-crfsuite's ``joblib.load`` + ``predict``. Then the serving
targets (issue "Serving at CRF cost"), each with its measured ratio.
Fit seconds per epoch are the median over epochs after the first (set-up,
vocabulary and graph tracing excluded); crfsuite's is its whole fit. Rows: sktag dense, sktag
best context configuration, raw Keras ``Model.predict`` on the dense model,
sklearn-crfsuite. The last column is the ratio of latency to crfsuite's.
Peak RSS of the process is reported after each row (it only grows).

Run::

    python benchmarks/speed.py --data ../shared/data --output docs/benchmarks/speed.md
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accuracy import BEST, CRF, FAST_CHANGES, FAST_CONTEXT  # noqa: E402

from sktag import TokenTagger  # noqa: E402
from sktag.io import read_conllu  # noqa: E402

SENTENCE = "The new tagger reads this sentence from Zurich in 2025 .".split()


def import_time():
    code = "import time; t = time.perf_counter(); import sktag; print(time.perf_counter() - t)"
    runs = [float(subprocess.check_output([sys.executable, "-c", code])) for _ in range(5)]
    return float(np.median(runs))


def latency(predict, n_calls=500):
    for _ in range(20):
        predict([SENTENCE])
    times = []
    for _ in range(n_calls):
        start = time.perf_counter()
        predict([SENTENCE])
        times.append(time.perf_counter() - start)
    return float(np.median(times)) * 1e3, float(np.percentile(times, 90)) * 1e3


def throughput(predict, X, min_seconds=1.0, min_calls=3):
    """Tokens per second of ``predict(X)``: the median over repeated calls.

    One call of the dense model takes about 5 ms on EWT dev, so a single
    timing could be a Python garbage collection (the CRF's objects make one
    cost a tenth of a second): it once read 120k tokens/s for 4M.
    """
    predict(X[:50])
    n_tokens = sum(len(s) for s in X)
    rates, total = [], 0.0
    while len(rates) < min_calls or total < min_seconds:
        start = time.perf_counter()
        predict(X)
        seconds = time.perf_counter() - start
        rates.append(n_tokens / seconds)
        total += seconds
    return float(np.median(rates))


COLD_RUNS = 5


def cold_start(code):
    """Median wall seconds and peak RSS (MiB) of ``python -c code`` in fresh processes."""
    runs = []
    for _ in range(COLD_RUNS):
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", sys.executable, "-c", code],
                                capture_output=True, text=True, check=True)
        seconds, kib = result.stderr.strip().splitlines()[-1].split()
        runs.append((float(seconds), int(kib) / 1024))
    return float(np.median([r[0] for r in runs])), float(np.median([r[1] for r in runs]))


def cold_starts(best, crf, features, folder):
    """Fresh-process cold starts: the floor, a best-configuration .sktag, the CRF."""
    model = best.save(Path(folder) / "best.sktag")
    crf_path = Path(folder) / "crf.joblib"
    import joblib

    joblib.dump(crf.crf_, crf_path)
    return {
        "floor: import sklearn.base": cold_start("import sklearn.base"),
        "sktag: sktag.load(best.sktag).predict": cold_start(
            f"import sktag; sktag.load({str(model)!r}).predict([{SENTENCE!r}])"),
        "sklearn-crfsuite: joblib.load + predict": cold_start(
            f"import joblib; joblib.load({str(crf_path)!r}).predict([{features!r}])"),
    }


def file_size(model):
    """Size of the joblib file, and of the safe .sktag file for sktag models."""
    import joblib

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.joblib"
        joblib.dump(model, path)
        sizes = [path.stat().st_size]
        if isinstance(model, TokenTagger):
            sizes.append(model.save(Path(folder) / "model.sktag").stat().st_size)
        return sizes


def timed_fit(tagger, X, y):
    """Fit; return the median seconds of an epoch (set-up and tracing excluded)."""
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    timer = EpochTimer()
    tagger.set_params(callbacks=[timer])
    tagger.fit(X, y)
    tagger.set_params(callbacks=None)
    # The tagger trains on a copy of each callback: read the copy it used.
    used = next(cb for cb in tagger._trainer._fit_callbacks if isinstance(cb, EpochTimer))
    return float(np.median(used.seconds[1:] or used.seconds))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def keras_predict(tagger):
    """Raw Keras: pad with the fitted vocabulary, then ``Model.predict``."""

    def predict(X):
        ids = tagger.vocabulary_.transform(X)
        return tagger.model_.predict(ids, verbose=0)

    return predict


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--best-epochs", type=int, default=2,
                        help="epochs for the context model (speed only; default 2)")
    parser.add_argument("--output", help="also write the Markdown table to this file")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)

    X_train, y_train = read_conllu(Path(args.data) / "en_ewt-ud-train.conllu")
    X_dev, _ = read_conllu(Path(args.data) / "en_ewt-ud-dev.conllu")
    n_train = sum(len(s) for s in X_train)
    rows = []

    def add(name, fit_s_per_epoch, predict, model=None):
        median, p90 = latency(predict)
        rows.append({
            "name": name,
            "median": median,
            "p90": p90,
            "tps": throughput(predict, X_dev),
            "fit": fit_s_per_epoch,
            "train_tps": n_train / fit_s_per_epoch if fit_s_per_epoch else None,
            "size": file_size(model) if model is not None else None,
            "rss": peak_rss_mb(),
        })
        print(rows[-1], flush=True)

    crf = CRF()
    start = time.perf_counter()
    crf.fit(X_train, y_train)
    crf_fit = time.perf_counter() - start
    add("sklearn-crfsuite (whole fit, not per epoch)", crf_fit, crf.predict, crf.crf_)

    dense = TokenTagger(d_model=64, epochs=3, random_state=0)
    add("sktag dense, TokenTagger(d_model=64)", timed_fit(dense, X_train, y_train),
        dense.predict, dense)

    def for_speed(config):  # a few epochs are enough to time an epoch
        return TokenTagger(**config, random_state=0).set_params(epochs=args.best_epochs,
                                                                 max_steps=None)

    best = for_speed(BEST)
    add("sktag best context configuration", timed_fit(best, X_train, y_train),
        best.predict, best)

    fast = for_speed(FAST_CONTEXT)
    add("sktag fast context configuration (conv)", timed_fit(fast, X_train, y_train),
        fast.predict, fast)

    add("raw Keras Model.predict (dense model)", None, keras_predict(dense))

    with tempfile.TemporaryDirectory() as folder:
        from accuracy import _token_features

        features = [_token_features(SENTENCE, i, False) for i in range(len(SENTENCE))]
        cold = cold_starts(best, crf, features, folder)

    crf_row = rows[0]
    lines = [
        "| model | 1-sentence latency ms, median (p90) | throughput tokens/s | fit s/epoch "
        "| training tokens/s | model file: joblib / .sktag | peak RSS MB | latency / crfsuite | throughput / crfsuite |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        fit = f"{r['fit']:.1f}" if r["fit"] else "-"
        train_tps = f"{r['train_tps']:,.0f}" if r["train_tps"] else "-"
        size = " / ".join(f"{b / 1e6:.1f} MB" for b in r["size"]) if r["size"] else "-"
        lines.append(
            f"| {r['name']} | {r['median']:.3f} ({r['p90']:.3f}) | {r['tps']:,.0f} | {fit} "
            f"| {train_tps} | {size} | {r['rss']:.0f} | {r['median'] / crf_row['median']:.2f}x "
            f"| {r['tps'] / crf_row['tps']:.2f}x |"
        )
    footer = (
        f"\n`import sktag`: {import_time() * 1e3:.0f} ms (median of 5 fresh processes). "
        f"One sentence = {len(SENTENCE)} tokens. Throughput: the median of repeated "
        f"predictions of the whole dev file (at least 3 and 1 s). Best configuration = "
        f"`TokenTagger({', '.join(f'{k}={v!r}' for k, v in BEST.items())})` "
        f"and fast context = the same with "
        f"{', '.join(f'{k}={v!r}' for k, v in FAST_CHANGES.items())} "
        f"(both timed with epochs={args.best_epochs} instead of max_steps). Measured {date.today().isoformat()} with "
        f"`python benchmarks/speed.py {' '.join(argv)}`."
    )
    floor_s, floor_mb = cold["floor: import sklearn.base"]
    cold_lines = ["| fresh process | wall s (median of 5) | peak RSS MiB | above the floor |",
                  "|---|---|---|---|"]
    for name, (seconds, mb) in cold.items():
        above = "-" if name.startswith("floor") else f"+{seconds - floor_s:.2f} s, +{mb - floor_mb:.0f} MiB"
        cold_lines.append(f"| {name} | {seconds:.2f} | {mb:.0f} | {above} |")
    by_name = {r["name"]: r for r in rows}
    best_row = by_name["sktag best context configuration"]
    fast_row = by_name["sktag fast context configuration (conv)"]
    dense_row = by_name["sktag dense, TokenTagger(d_model=64)"]
    sktag_s, sktag_mb = cold["sktag: sktag.load(best.sktag).predict"]
    crf_s, _ = cold["sklearn-crfsuite: joblib.load + predict"]
    targets = [
        ("best: one-sentence latency / CRF", best_row["median"] / crf_row["median"], "<=", 2.0),
        ("fast context: one-sentence latency / CRF", fast_row["median"] / crf_row["median"], "<=", 1.0),
        ("best: throughput / CRF", best_row["tps"] / crf_row["tps"], ">=", 1.5),
        ("fast context: throughput / CRF", fast_row["tps"] / crf_row["tps"], ">=", 2.0),
        ("dense: one-sentence latency / CRF", dense_row["median"] / crf_row["median"], "<=", 0.15),
        ("cold start above the floor, s", sktag_s - floor_s, "<=", 0.3),
        ("cold start above the floor, MiB", sktag_mb - floor_mb, "<=", 60),
        ("cold start / CRF's", sktag_s / crf_s, "<=", 1.3),
    ]
    target_lines = ["| target | measured | needed | met |", "|---|---|---|---|"]
    for name, value, op, bound in targets:
        met = value <= bound if op == "<=" else value >= bound
        target_lines.append(f"| {name} | {value:.2f} | {op} {bound:g} | {'yes' if met else 'no'} |")
    table = ("\n".join(lines) + "\n" + footer + "\n\n" + "\n".join(cold_lines)
             + "\n\n" + "\n".join(target_lines))
    print()
    print(table)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
