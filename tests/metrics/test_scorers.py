"""Tests of sktag.metrics.scorers: the scorers in scikit-learn's model selection.

No TensorFlow model is trained here; the tests use a tiny most-frequent-label
estimator defined below.
"""

import pickle
from collections import Counter, defaultdict

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score, cross_validate

from sktag.metrics import (
    entity_f1,
    entity_f1_scorer,
    entity_precision,
    entity_precision_scorer,
    entity_recall,
    entity_recall_scorer,
    get_scorer,
    token_accuracy,
    token_accuracy_scorer,
)

# --------------------------------------------------------------------------
# Scorers
# --------------------------------------------------------------------------


class MostFrequentTagger(BaseEstimator):
    """Tags each token with its most frequent training label."""

    def __init__(self, fallback="O"):
        self.fallback = fallback

    def fit(self, X, y):
        counts = defaultdict(Counter)
        for tokens, labels in zip(X, y):
            for token, label in zip(tokens, labels):
                counts[token][label] += 1
        self.table_ = {t: c.most_common(1)[0][0] for t, c in counts.items()}
        return self

    def predict(self, X):
        return [[self.table_.get(t, self.fallback) for t in tokens] for tokens in X]


@pytest.fixture
def ner_data():
    """Names are B-PER (sometimes I-PER), cities B-LOC; 40 sentences.

    Half of the "O" words and of the cities are rare (seen once), so a test
    fold holds unseen tokens and the estimator's ``fallback`` matters; most
    unseen tokens are "O" words.
    """
    rng = np.random.RandomState(0)
    first = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
    last = ["smith", "jones", "brown"]
    cities = ["paris", "oslo", "lima", "rome", "kyiv", "doha"]
    words = ["went", "to", "the", "and", "saw", "in", "met", "a", "friend"]
    X, y = [], []
    for i in range(40):
        tokens, labels = [], []
        for j in range(rng.randint(3, 9)):
            r = rng.rand()
            rare = rng.rand() < 0.5
            if r < 0.2:
                tokens.append(str(rng.choice(first)))
                labels.append("B-PER")
                if rng.rand() < 0.5:
                    tokens.append(str(rng.choice(last)))
                    labels.append("I-PER")
            elif r < 0.35:
                tokens.append(f"city{i}_{j}" if rare else str(rng.choice(cities)))
                labels.append("B-LOC")
            else:
                tokens.append(f"word{i}_{j}" if rare else str(rng.choice(words)))
                labels.append("O")
        X.append(tokens)
        y.append(labels)
    return X, y


def manual_cv(est, X, y, metric):
    scores = []
    for train, test in KFold(2).split(X):
        est.fit([X[i] for i in train], [y[i] for i in train])
        y_test = [y[i] for i in test]
        scores.append(metric(y_test, est.predict([X[i] for i in test])))
    return np.array(scores)


@pytest.mark.parametrize(
    "scorer, metric",
    [
        (entity_f1_scorer, entity_f1),
        (entity_precision_scorer, entity_precision),
        (entity_recall_scorer, entity_recall),
        (token_accuracy_scorer, token_accuracy),
    ],
)
def test_scorers_in_cross_val_score(ner_data, scorer, metric):
    X, y = ner_data
    est = MostFrequentTagger(fallback="B-LOC")
    scores = cross_val_score(est, X, y, cv=KFold(2), scoring=scorer)
    expected = manual_cv(MostFrequentTagger(fallback="B-LOC"), X, y, metric)
    np.testing.assert_array_equal(scores, expected)
    assert scores.min() < 1 and scores.max() > 0


def test_scorer_called_directly(ner_data):
    X, y = ner_data
    est = MostFrequentTagger(fallback="B-PER").fit(X[:20], y[:20])
    y_pred = est.predict(X[20:])
    assert entity_f1_scorer(est, X[20:], y[20:]) == entity_f1(y[20:], y_pred)
    assert token_accuracy_scorer(est, X[20:], y[20:]) == token_accuracy(y[20:], y_pred)
    assert entity_f1_scorer(est, X[20:], y[20:]) < 1.0


def test_scorers_in_grid_search(ner_data):
    X, y = ner_data
    search = GridSearchCV(
        MostFrequentTagger(),
        {"fallback": ["B-LOC", "O", "B-PER"]},
        scoring=entity_f1_scorer,
        cv=KFold(2),
    )
    search.fit(X, y)
    # unseen tokens are mostly function words: guessing "O" wins
    assert search.best_params_ == {"fallback": "O"}
    for k, fallback in enumerate(search.cv_results_["param_fallback"]):
        expected = manual_cv(MostFrequentTagger(fallback=fallback), X, y, entity_f1)
        assert search.cv_results_["mean_test_score"][k] == pytest.approx(expected.mean())
    assert len(set(search.cv_results_["mean_test_score"])) == 3
    assert search.score(X, y) == entity_f1(y, search.predict(X))


def test_scorers_in_cross_validate_multimetric(ner_data):
    X, y = ner_data
    scoring = {name: get_scorer(name) for name in ["token_accuracy", "entity_f1"]}
    result = cross_validate(MostFrequentTagger(), X, y, cv=KFold(2), scoring=scoring)
    np.testing.assert_array_equal(
        result["test_entity_f1"], manual_cv(MostFrequentTagger(), X, y, entity_f1)
    )
    np.testing.assert_array_equal(
        result["test_token_accuracy"], manual_cv(MostFrequentTagger(), X, y, token_accuracy)
    )


def test_scorers_pickle(ner_data):
    X, y = ner_data
    est = MostFrequentTagger().fit(X, y)
    restored = pickle.loads(pickle.dumps(entity_f1_scorer))
    assert restored(est, X, y) == entity_f1_scorer(est, X, y)


@pytest.mark.parametrize(
    "name, metric",
    [
        ("token_accuracy", token_accuracy),
        ("entity_f1", entity_f1),
        ("entity_precision", entity_precision),
        ("entity_recall", entity_recall),
    ],
)
def test_get_scorer(ner_data, name, metric):
    X, y = ner_data
    est = MostFrequentTagger(fallback="B-PER").fit(X[:25], y[:25])
    scorer = get_scorer(name)
    assert scorer(est, X[25:], y[25:]) == metric(y[25:], est.predict(X[25:]))
    assert get_scorer(name) is not get_scorer(name)  # fresh copies


@pytest.mark.parametrize("name", ["accuracy", "f1", "Entity_F1", "", None])
def test_get_scorer_unknown_name(name):
    with pytest.raises(ValueError) as info:
        get_scorer(name)
    for valid in ("token_accuracy", "entity_f1", "entity_precision", "entity_recall"):
        assert valid in str(info.value)
