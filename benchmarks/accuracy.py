"""Accuracy benchmark: sktag against a most-frequent-tag lookup on real treebanks.

Trains on one file and scores on another, in one run, and prints a Markdown
table: token accuracy, accuracy on words never seen in training, fit seconds
and predict throughput.

Tasks (files from the shared data folder, see ``--data``):

- ``ewt-upos``: English EWT UPOS, train -> dev.
- ``ko-noun``: Korean noun (NOUN/PROPN = 1) vs other (0), Kaist dev -> GSD dev.

Run::

    python benchmarks/accuracy.py --data ../shared/data [--output table.md]
"""

import argparse
import os
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from sktag import TokenTagger  # noqa: E402
from sktag.io import read_conllu  # noqa: E402


class MostFrequentTag:
    """Tag each known word with its most frequent training tag, unknown words
    with the most frequent tag overall."""

    def fit(self, X, y):
        counts = defaultdict(Counter)
        for tokens, labels in zip(X, y):
            for token, label in zip(tokens, labels):
                counts[token][label] += 1
        self.table_ = {token: c.most_common(1)[0][0] for token, c in counts.items()}
        self.default_ = Counter(label for labels in y for label in labels).most_common(1)[0][0]
        return self

    def predict(self, X):
        return [[self.table_.get(token, self.default_) for token in tokens] for tokens in X]


def _noun_labels(y):
    return [[int(tag in ("NOUN", "PROPN")) for tag in labels] for labels in y]


def load_task(name, data):
    data = Path(data)
    if name == "ewt-upos":
        train = read_conllu(data / "en_ewt-ud-train.conllu")
        test = read_conllu(data / "en_ewt-ud-dev.conllu")
        return train, test
    if name == "ko-noun":
        X_train, y_train = read_conllu(data / "ko_kaist-ud-dev.conllu")
        X_test, y_test = read_conllu(data / "ko_gsd-ud-dev.conllu")
        return (X_train, _noun_labels(y_train)), (X_test, _noun_labels(y_test))
    raise ValueError(f"unknown task {name!r}")


def evaluate(model, train, test):
    X_train, y_train = train
    X_test, y_test = test
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    y_pred = model.predict(X_test)
    predict_seconds = time.perf_counter() - start
    seen = {token for tokens in X_train for token in tokens}
    right = unseen = unseen_right = 0
    n_tokens = 0
    for tokens, gold, pred in zip(X_test, y_test, y_pred):
        for token, g, p in zip(tokens, gold, pred):
            n_tokens += 1
            right += g == p
            if token not in seen:
                unseen += 1
                unseen_right += g == p
    return {
        "accuracy": right / n_tokens,
        "unseen": unseen_right / max(unseen, 1),
        "n_unseen": unseen,
        "fit_s": fit_seconds,
        "tokens_per_s": n_tokens / predict_seconds,
    }


def models(random_state):
    return {
        "most-frequent-tag lookup": MostFrequentTag,
        "sktag dense, TokenTagger(d_model=64, epochs=3)": lambda: TokenTagger(
            d_model=64, epochs=3, random_state=random_state
        ),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="folder with the treebank files")
    parser.add_argument("--tasks", nargs="+", default=["ewt-upos", "ko-noun"])
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--output", help="also write the Markdown table to this file")
    args = parser.parse_args(argv)

    lines = [
        "| task | model | accuracy | unseen-word accuracy | fit s | predict tokens/s |",
        "|---|---|---|---|---|---|",
    ]
    for task in args.tasks:
        train, test = load_task(task, args.data)
        for name, make in models(args.random_state).items():
            r = evaluate(make(), train, test)
            lines.append(
                f"| {task} | {name} | {r['accuracy']:.4f} | {r['unseen']:.4f} "
                f"(n={r['n_unseen']}) | {r['fit_s']:.1f} | {r['tokens_per_s']:,.0f} |"
            )
            print(lines[-1], flush=True)
    table = "\n".join(lines)
    print()
    print(table)
    if args.output:
        Path(args.output).write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
