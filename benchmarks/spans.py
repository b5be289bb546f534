"""Span scores benchmark: what thresholding ``predict_spans`` scores does on UNER.

Trains the best configuration (``sktag.configurations.best()``) on the first
80% of the Universal NER English dev file, as ``benchmarks/accuracy.py``
does, takes the spans of the last 20% from ``TokenTagger.predict_spans`` and
prints, for thresholds on their ``score``, exact-match (strict) precision,
recall and F1 against the true spans, and how many spans are kept. Each span's
score is its probability under the model restricted to valid IOB2 sequences,
so raising the threshold trades recall for precision. Also prints the scores'
calibration: in bins of score, the share of predicted spans that are right.

Run::

    python benchmarks/spans.py --data ../shared/data --plot docs/benchmarks/span_thresholds.png
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

from sktag import TokenTagger, configurations
from sktag.io import read_iob
from sktag.metrics import precision_recall_by_threshold, span_scores, spans_from_labels

THRESHOLDS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--plot", help="also draw precision and recall against the threshold")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)

    X, y = read_iob(Path(args.data) / "en_ewt-uner-dev.iob2", token_col=1, tag_col=2)
    cut = int(len(X) * 0.8)
    start = time.perf_counter()
    tagger = TokenTagger(**configurations.best(), random_state=args.random_state)
    tagger.fit(X[:cut], y[:cut])
    fit_seconds = time.perf_counter() - start
    X_test, y_test = X[cut:], y[cut:]
    true = spans_from_labels(y_test, scheme="IOB2")
    predicted = tagger.predict_spans(X_test)

    curve = precision_recall_by_threshold(true, predicted, THRESHOLDS, positions="token")
    overall = span_scores(true, predicted, positions="token")
    print(f"UNER English: {cut:,} training sentences, {len(X_test):,} test sentences, "
          f"{sum(map(len, true)):,} true entities; fit {fit_seconds:.0f} s; "
          f"strict F1 at threshold 0: {overall['f1']:.4f}\n")
    lines = ["| min score | spans kept | precision | recall | F1 |", "|---:|---:|---:|---:|---:|"]
    for row in zip(curve["threshold"], curve["n_predicted"], curve["precision"],
                   curve["recall"], curve["f1"]):
        lines.append("| {:.2f} | {:,} | {:.4f} | {:.4f} | {:.4f} |".format(*row))
    truth = [{(s[0], s[1], s[2]) for s in sentence} for sentence in true]
    scores = np.array([span.score for spans in predicted for span in spans])
    right = np.array([(span.token_start, span.token_end, span.label) in truth[i]
                      for i, spans in enumerate(predicted) for span in spans])
    lines += ["", "| score bin | spans | share right | mean score |", "|---|---:|---:|---:|"]
    edges = [0.0, 0.5, 0.7, 0.9, 0.99, 1.0 + 1e-9]
    for low, high in zip(edges, edges[1:]):
        inside = (scores >= low) & (scores < high)
        if inside.any():
            lines.append(f"| [{low:.2f}, {min(high, 1.0):.2f}{']' if high > 1 else ')'} "
                         f"| {inside.sum():,} | {right[inside].mean():.3f} "
                         f"| {scores[inside].mean():.3f} |")
    lines.append(f"\nMeasured {date.today().isoformat()} with "
                 f"`python benchmarks/spans.py {' '.join(argv)}`.")
    print("\n".join(lines))
    if args.plot:
        from sktag.plotting import plot_precision_recall_threshold

        plot_precision_recall_threshold(true, predicted, thresholds=np.linspace(0, 0.99, 34),
                                        positions="token", path=args.plot)
        print(f"plot written to {args.plot}")


if __name__ == "__main__":
    main()
