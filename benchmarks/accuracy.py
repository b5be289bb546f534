"""Accuracy benchmark: sktag against a most-frequent-tag lookup and sklearn-crfsuite.

Trains and scores every model on every task in one run and prints a Markdown
table: the task's score (token accuracy, or entity F1 for NER), accuracy on
words never seen in training, fit seconds and predict throughput.

Tasks (files from the shared data folder, see ``--data``):

- ``ewt-upos``: English EWT UPOS, train -> dev.
- ``ewt-1k``: the same with the first 1,000 training sentences.
- ``ko-noun``: Korean noun (NOUN/PROPN = 1) vs other (0), Kaist dev -> GSD dev.
- ``ko-upos``: Korean UPOS, Kaist dev -> GSD dev.
- ``uner``: Universal NER English (IOB2 PER/ORG/LOC), first 80% of the dev
  file -> last 20%, scored with seqeval entity F1.
- ``pt-uner``: Universal NER Portuguese (Bosque), train -> dev, entity F1: a
  second entity set, so that no entity configuration is tuned on one.

Run::

    python benchmarks/accuracy.py --data ../shared/data --output docs/benchmarks/accuracy.md

``--random-state 0 1 2 3 4 5`` (the committed table) trains every sktag row
with six seeds and shows the mean score and its range: the differences
between seeds (up to six points of UNER entity F1) are larger than some of
the margins this table is read for.

sklearn-crfsuite is needed for the CRF rows, and the GloVe and cluster wheels
for the rows with pretrained features (English tasks only; ``pip install -e ".[bench]"``,
see benchmarks/pretrained.py).
"""

import argparse
import functools
import os
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from sklearn.base import clone  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pretrained.py beside this file

from sktag import TokenTagger, configurations  # noqa: E402
from sktag.io import read_conllu, read_iob  # noqa: E402
from sktag.metrics import entity_f1, token_accuracy  # noqa: E402

#: The documented configurations, defined once in the package
#: (sktag.configurations): the best for every English task, Korean's own, and
#: the fast context model (the best with two convolutions).
BEST = configurations.best()
ENTITIES = configurations.entities()
KOREAN = configurations.korean()
FAST_CHANGES = configurations.FAST_CHANGES
FAST_CONTEXT = configurations.fast_context()


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


def _shape(word):
    out = []
    for ch in word:
        kind = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def _token_features(tokens, i, affixes):
    word = tokens[i]
    features = {
        "bias": 1.0,
        "lower": word.lower(),
        "suffix3": word[-3:],
        "suffix2": word[-2:],
        "isupper": word.isupper(),
        "istitle": word.istitle(),
        "isdigit": word.isdigit(),
        "shape": _shape(word),
    }
    if affixes:
        for k in (1, 2, 3):
            features[f"prefix{k}"] = word[:k]
            features[f"suffix{k}"] = word[-k:]
    for offset in (-1, 1):
        j = i + offset
        if 0 <= j < len(tokens):
            other = tokens[j]
            features.update({
                f"{offset}:lower": other.lower(),
                f"{offset}:suffix3": other[-3:],
                f"{offset}:istitle": other.istitle(),
                f"{offset}:isupper": other.isupper(),
                f"{offset}:shape": _shape(other),
            })
        else:
            features["BOS" if offset < 0 else "EOS"] = True
    return features


class CRF:
    """sklearn-crfsuite (lbfgs, c1 = c2 = 0.1) with classic word features of
    the word and its neighbours; 1-3 character prefixes and suffixes for Korean."""

    def __init__(self, affixes=False):
        self.affixes = affixes

    def _features(self, X):
        return [[_token_features(s, i, self.affixes) for i in range(len(s))] for s in X]

    def fit(self, X, y):
        import sklearn_crfsuite

        self.crf_ = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=100)
        self._int = isinstance(y[0][0], int)
        self.crf_.fit(self._features(X), [[str(v) for v in s] for s in y])
        return self

    def predict(self, X):
        pred = self.crf_.predict(self._features(X))
        return [[int(v) for v in s] for s in pred] if self._int else pred


def _noun_labels(y):
    return [[int(tag in ("NOUN", "PROPN")) for tag in labels] for labels in y]


def load_task(name, data):
    """Return ``(train, test, metric_name)`` for a task."""
    data = Path(data)
    if name in ("ewt-upos", "ewt-1k"):
        X, y = read_conllu(data / "en_ewt-ud-train.conllu")
        if name == "ewt-1k":  # a small training set of the same language and tags
            X, y = X[:1000], y[:1000]
        return (X, y), read_conllu(data / "en_ewt-ud-dev.conllu"), "accuracy"
    if name in ("ko-noun", "ko-upos"):
        train = read_conllu(data / "ko_kaist-ud-dev.conllu")
        test = read_conllu(data / "ko_gsd-ud-dev.conllu")
        if name == "ko-noun":
            train = (train[0], _noun_labels(train[1]))
            test = (test[0], _noun_labels(test[1]))
        return train, test, "accuracy"
    if name == "uner":
        X, y = read_iob(data / "en_ewt-uner-dev.iob2", token_col=1, tag_col=2)
        cut = int(len(X) * 0.8)
        return (X[:cut], y[:cut]), (X[cut:], y[cut:]), "entity F1"
    if name == "pt-uner":
        train = read_iob(data / "pt_bosque-ud-train.iob2", token_col=1, tag_col=2)
        return train, read_iob(data / "pt_bosque-ud-dev.iob2", token_col=1, tag_col=2), \
            "entity F1"
    raise ValueError(f"unknown task {name!r}")


class DevScores:
    """A Keras callback: after each epoch, the test score of the weights so far.

    It predicts through an initialized copy of the tagger (``initialize`` on
    the same data learns the same vocabulary and labels), given the Keras
    model's weights, so every point is what ``predict`` would score had
    training stopped there. Its own time and Keras's validation time are not
    training time: each point's seconds exclude them, and ``evaluate``
    subtracts them from the fit seconds. (With ``optimizer__use_ema``, the
    points score the raw weights, not the average ``fit`` ends with.)

    Training deep-copies callbacks (see ``sktag.callbacks.fresh_copy``), so
    the points live in the class-level ``runs``, under this callback's key.
    """

    runs = {}

    def __new__(cls, *args, **kwargs):
        import keras

        class _Callback(keras.callbacks.Callback):
            def __init__(self, key, tagger, X, y, metric):
                super().__init__()
                self.key, self.tagger, self.X, self.y, self.metric = key, tagger, X, y, metric

            def on_train_begin(self, logs=None):
                DevScores.runs[self.key] = {"points": [], "excluded": 0.0}
                self._start = time.perf_counter()

            def on_test_begin(self, logs=None):
                self._test_start = time.perf_counter()

            def on_test_end(self, logs=None):
                DevScores.runs[self.key]["excluded"] += time.perf_counter() - self._test_start

            def on_epoch_end(self, epoch, logs=None):
                from sktag.keras_reading import keras_weights

                begin = time.perf_counter()
                run = DevScores.runs[self.key]
                self.tagger._weights = keras_weights(self.model)
                self.tagger._predictor = None
                score = _score(self.metric, self.y, self.tagger.predict(self.X))
                run["points"].append((begin - self._start - run["excluded"], score))
                run["excluded"] += time.perf_counter() - begin

        return _Callback(*args, **kwargs)


def _score(metric, y_true, y_pred):
    return token_accuracy(y_true, y_pred) if metric == "accuracy" else entity_f1(y_true, y_pred)


def evaluate(model, train, test, metric, trace=False):
    """Fit and score one model; ``trace``: also the per-epoch test scores (a TokenTagger)."""
    X_train, y_train = train
    X_test, y_test = test
    key = None
    if trace and isinstance(model, TokenTagger):
        key = f"run-{len(DevScores.runs)}"
        copy = clone(model).initialize(X_train, y_train)  # same vocabulary and labels
        model.set_params(callbacks=[*(model.callbacks or []),
                                    DevScores(key, copy, X_test, y_test, metric)])
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    points = []
    if key is not None:
        fit_seconds -= DevScores.runs[key]["excluded"]
        points = DevScores.runs[key]["points"]
    start = time.perf_counter()
    y_pred = model.predict(X_test)
    predict_seconds = time.perf_counter() - start
    seen = {token for tokens in X_train for token in tokens}
    hits = [g == p for tokens, gold, pred in zip(X_test, y_test, y_pred)
            for token, g, p in zip(tokens, gold, pred) if token not in seen]
    n_tokens = sum(len(s) for s in X_test)
    return {
        "score": _score(metric, y_test, y_pred),
        "unseen": sum(hits) / max(len(hits), 1),
        "n_unseen": len(hits),
        "fit_s": fit_seconds,
        "tokens_per_s": n_tokens / predict_seconds,
        "points": points,
        "epochs": len(model.history_["loss"]) if hasattr(model, "history_") else None,
    }


def seconds_to(points, target):
    """Training seconds until the per-epoch test score first reaches ``target``, or None."""
    return next((seconds for seconds, score in points if score >= target), None)


def models(task, random_state, only=None):
    entities = task.endswith("uner")
    best = KOREAN if task.startswith("ko") else ENTITIES if entities else BEST
    fast = dict(best, **FAST_CHANGES)
    english = not task.startswith(("ko", "pt"))
    rows = {
        "most-frequent-tag lookup": lambda: MostFrequentTag(),
        "sklearn-crfsuite": lambda: CRF(affixes=task.startswith("ko")),
        "sktag dense (default)": lambda: TokenTagger(d_model=64, epochs=3, random_state=random_state),
        "sktag best": lambda: TokenTagger(**best, random_state=random_state),
        # Training-length and precision candidates (the frontier of issue 16):
        "sktag best, 1,400 steps": lambda: TokenTagger(
            **dict(best, min_steps=None, max_steps=1400), random_state=random_state),
        "sktag best, 300 steps at least": lambda: TokenTagger(
            **dict(best, min_steps=300), random_state=random_state),
        "sktag best, 600 steps at least": lambda: TokenTagger(
            **dict(best, min_steps=600), random_state=random_state),
        "sktag best, mixed_bfloat16": lambda: TokenTagger(
            **dict(best, dtype_policy="mixed_bfloat16"), random_state=random_state),
        "sktag fast context (conv)": lambda: TokenTagger(**fast, random_state=random_state),
        "sktag fast context, 700 steps at least": lambda: TokenTagger(
            **dict(fast, min_steps=700), random_state=random_state),
        # The output layer (issue 26): the task's best with a CRF over the tags.
        "sktag best, CRF output": lambda: TokenTagger(
            **dict(best, output="crf"), random_state=random_state),
        "sktag best, CRF output, 300 steps at least": lambda: TokenTagger(
            **dict(best, output="crf", min_steps=300), random_state=random_state),
    }
    if english:  # pretrained vectors and clusters (issue 27): English resources only
        both = dict(best, word_vectors=glove(), word_clusters=clusters())
        rows.update({
            "sktag best + GloVe": lambda: TokenTagger(
                **dict(best, word_vectors=glove()), random_state=random_state),
            "sktag best + clusters": lambda: TokenTagger(
                **dict(best, word_clusters=clusters()), random_state=random_state),
            "sktag best + GloVe + clusters": lambda: TokenTagger(
                **both, random_state=random_state),
            # the frontier (issue 28): cheaper to serve, the accuracy kept?
            "sktag best + GloVe + clusters, hidden 64": lambda: TokenTagger(
                **dict(both, hidden_dim=64), random_state=random_state),
            "sktag fast context + GloVe + clusters": lambda: TokenTagger(
                **dict(both, **FAST_CHANGES), random_state=random_state),
        })
        if entities:
            rows["sktag best + GloVe + clusters, 800 steps at least"] = lambda: TokenTagger(
                **dict(both, min_steps=800), random_state=random_state)
    # Candidates equal to the task's best are not run twice.
    del rows["sktag best, 1,400 steps" if entities else "sktag best, 300 steps at least"]
    if not entities:  # the fast entity candidates: on UNER, 10x the CRF's time
        del rows["sktag fast context, 700 steps at least"]
        del rows["sktag best, CRF output, 300 steps at least"]
    if fast == best:  # Korean: the best is the conv model already; its length is epochs
        for name in ("sktag fast context (conv)", "sktag best, 1,400 steps",
                     "sktag best, 600 steps at least"):
            del rows[name]
    return {k: v for k, v in rows.items() if only is None or k in only}


@functools.cache
def glove():
    """GloVe 6B 50d from the bench extra's wheel (benchmarks/pretrained.py), read once."""
    from pretrained import glove_6b_50d

    return glove_6b_50d()


@functools.cache
def clusters():
    """English Brown clusters from spacy-lookups-data (benchmarks/pretrained.py), read once."""
    from pretrained import brown_clusters

    return brown_clusters("en")


def _summary(runs, crf_score=None):
    """The table cells after the model name: one run as it is, several as means."""
    mean = {key: sum(r[key] for r in runs) / len(runs)
            for key in ("score", "unseen", "fit_s", "tokens_per_s")}
    score = f"{mean['score']:.4f}"
    if len(runs) > 1:
        scores = [r["score"] for r in runs]
        score += f" ({min(scores):.4f}-{max(scores):.4f})"
    epochs = "" if runs[0]["epochs"] is None else f"{runs[0]['epochs']}"
    to_crf = ""
    if crf_score is not None and runs[0]["points"]:
        reached = [seconds_to(r["points"], crf_score) for r in runs]
        to_crf = ("never" if None in reached
                  else f"{sum(reached) / len(reached):.1f}")
    return (f"{score} | {mean['unseen']:.4f} (n={runs[0]['n_unseen']}) | {mean['fit_s']:.1f} "
            f"| {epochs} | {to_crf} | {mean['tokens_per_s']:,.0f} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="folder with the treebank files")
    parser.add_argument("--tasks", nargs="+",
                        default=["ewt-upos", "ewt-1k", "ko-noun", "ko-upos", "uner", "pt-uner"])
    parser.add_argument("--models", nargs="+", help="subset of row names to run")
    parser.add_argument("--random-state", type=int, nargs="+", default=[0],
                        help="seeds of the sktag rows; with several, each sktag row shows "
                             "the mean and the range over them")
    parser.add_argument("--output", help="also write the Markdown table to this file")
    parser.add_argument("--trace", action="store_true",
                        help="score the test data after every epoch of each sktag row (not "
                             "counted as training time) and print the training seconds until "
                             "the score first reached the CRF's ('s to CRF score')")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)

    best = ", ".join(f"{k}={v!r}" for k, v in BEST.items())
    lines = [
        "| task | metric | model | score | unseen-word accuracy | fit s | epochs "
        "| s to CRF score | predict tokens/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for task in args.tasks:
        train, test, metric = load_task(task, args.data)
        rows = models(task, 0, args.models)
        for name in sorted(set(args.models or []) - set(rows)):
            print(f"{task}: no row {name!r} (rows of this task: {sorted(models(task, 0))}; "
                  f"on Korean the best is the fast context model)", file=sys.stderr)
        crf_score = None
        for name in rows:
            # The lookup and the CRF have no seed: one run each.
            seeds = args.random_state if name.startswith("sktag") else args.random_state[:1]
            runs = [evaluate(models(task, seed, [name])[name](), train, test, metric,
                             trace=args.trace) for seed in seeds]
            if name == "sklearn-crfsuite":
                crf_score = runs[0]["score"]
            lines.append(f"| {task} | {metric} | {name} | {_summary(runs, crf_score)}")
            print(lines[-1], flush=True)
    table = "\n".join(lines)
    fast = ", ".join(f"{k}={v!r}" for k, v in FAST_CHANGES.items())
    korean = ", ".join(f"{k}={v!r}" for k, v in KOREAN.items() if BEST.get(k) != v)
    footer = (f"\nsktag best = `TokenTagger({best})`; on uner (entity tags) the same with "
              f"`min_steps=1400` (`sktag.configurations.entities()`); on the Korean tasks the "
              f"same without "
              f"`min_steps` and with `{korean}`; sktag fast context = the best of the task with "
              f"`{fast}` (on Korean the best already is). Predictions of IOB2 entity tags are valid IOB2 sequences "
              f"(`decoding='auto'`, the default). "
              + (f"sktag rows: mean over random_state {args.random_state} (min-max). "
                 if len(args.random_state) > 1 else "")
              + f"Measured {date.today().isoformat()} "
              f"with `python benchmarks/accuracy.py {' '.join(argv)}`.")
    print()
    print(table + "\n" + footer)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(table + "\n" + footer + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
