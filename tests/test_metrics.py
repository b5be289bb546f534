"""Tests of sktag.metrics: token and entity scores, reports and scorers.

No TensorFlow model is trained here; the scorer tests use a tiny
most-frequent-label estimator defined below.
"""

import pickle
import re
import warnings
from collections import Counter, defaultdict

import numpy as np
import pytest
import seqeval.metrics as sm
from seqeval.scheme import BILOU, IOB1, IOB2, IOBES, IOE2
from sklearn.base import BaseEstimator
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score, cross_validate

from sktag.metrics import (
    SCHEMES,
    classification_report,
    entity_classification_report,
    entity_f1,
    entity_f1_scorer,
    entity_precision,
    entity_precision_recall_f1,
    entity_precision_scorer,
    entity_recall,
    entity_recall_scorer,
    get_scorer,
    is_bio_tagging,
    token_accuracy,
    token_accuracy_scorer,
)

TYPES = ["PER", "LOC", "ORG"]


def random_tags(rng, prefixes, n_sentences=30, max_len=12, p_outside=0.4):
    """Random, often ill-formed, tag sequences (e.g. I- right after O)."""
    y = []
    for _ in range(n_sentences):
        length = rng.randint(1, max_len + 1)
        seq = []
        for _ in range(length):
            if rng.rand() < p_outside:
                seq.append("O")
            else:
                seq.append(f"{rng.choice(prefixes)}-{rng.choice(TYPES)}")
        y.append(seq)
    return y


def perturb(rng, y, prefixes, p=0.3):
    """Copy of ``y`` with a share ``p`` of tags replaced at random."""
    out = []
    for seq in y:
        new = list(seq)
        for j in range(len(new)):
            if rng.rand() < p:
                new[j] = "O" if rng.rand() < 0.4 else f"{rng.choice(prefixes)}-{rng.choice(TYPES)}"
        out.append(new)
    return out


def random_pair(seed, prefixes):
    rng = np.random.RandomState(seed)
    y_true = random_tags(rng, prefixes)
    return y_true, perturb(rng, y_true, prefixes)


def seqeval_scores(y_true, y_pred, **kwargs):
    return (
        sm.precision_score(y_true, y_pred, **kwargs),
        sm.recall_score(y_true, y_pred, **kwargs),
        sm.f1_score(y_true, y_pred, **kwargs),
    )


# --------------------------------------------------------------------------
# token_accuracy
# --------------------------------------------------------------------------


def test_token_accuracy_hand_computed():
    y_true = [["DET", "NOUN", "VERB"], ["NOUN", "NOUN"]]
    y_pred = [["DET", "VERB", "VERB"], ["DET", "NOUN"]]
    # 3 of 5 tokens right; the per-sentence mean would be (2/3 + 1/2) / 2.
    assert token_accuracy(y_true, y_pred) == pytest.approx(3 / 5)
    assert token_accuracy(y_true, y_true) == 1.0


def test_token_accuracy_int_labels_and_array_sentences():
    y_true = [np.array([0, 1, 1]), (1, 0)]
    y_pred = [[0, 1, 0], [np.int64(1), np.int64(1)]]
    assert token_accuracy(y_true, y_pred) == pytest.approx(3 / 5)


def test_token_accuracy_sample_weight():
    y_true = [["A", "B"], ["A", "A", "A"]]
    y_pred = [["A", "A"], ["B", "B", "B"]]
    # sentence 0: 1 of 2 right, sentence 1: 0 of 3 right.
    assert token_accuracy(y_true, y_pred, sample_weight=[2, 1]) == pytest.approx(2 / 7)
    # a weight applies to every token of its sentence, as in sklearn on the
    # flattened tokens with the weight repeated
    flat_true = [t for s in y_true for t in s]
    flat_pred = [t for s in y_pred for t in s]
    expected = accuracy_score(flat_true, flat_pred, sample_weight=[2, 2, 1, 1, 1])
    assert token_accuracy(y_true, y_pred, sample_weight=np.array([2.0, 1.0])) == pytest.approx(expected)
    # a zero weight removes the sentence
    assert token_accuracy(y_true, y_pred, sample_weight=[1, 0]) == pytest.approx(0.5)
    assert token_accuracy(y_true, y_pred, sample_weight=[0, 1]) == 0.0
    # uniform weights change nothing
    assert token_accuracy(y_true, y_pred, sample_weight=[3, 3]) == pytest.approx(1 / 5)


@pytest.mark.parametrize(
    "weights, match",
    [
        ([1.0, np.nan], r"sample_weight\[1\] is nan"),
        ([-1.0, 1.0], r"sample_weight\[0\] is -1.0"),
        ([1.0, np.inf], r"sample_weight\[1\] is inf"),
        ([1.0], r"one weight per sentence"),
        ([[1.0, 1.0]], r"one weight per sentence"),
        ([0, 0], r"zero for every sentence"),
    ],
)
def test_token_accuracy_bad_sample_weight(weights, match):
    with pytest.raises(ValueError, match=match):
        token_accuracy([["A"], ["B"]], [["A"], ["A"]], sample_weight=weights)


# --------------------------------------------------------------------------
# Shared input checks
# --------------------------------------------------------------------------

ALL_FUNCTIONS = [
    token_accuracy,
    entity_precision_recall_f1,
    entity_f1,
    entity_precision,
    entity_recall,
    classification_report,
    entity_classification_report,
]


@pytest.mark.parametrize("func", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_length_mismatch_names_sentence(func):
    y_true = [["O"], ["O", "O"], ["B-X"], ["O", "B-X", "I-X", "O", "O"]]
    y_pred = [["O"], ["O", "O"], ["B-X"], ["O", "B-X", "I-X", "O"]]
    # y_pred is checked against y_true: the message gives y_true's length.
    message = "sentence 3 has 5 tokens but 4 labels in y_pred; give exactly one label per token."
    with pytest.raises(ValueError, match=re.escape(message)):
        func(y_true, y_pred)
    with pytest.raises(ValueError, match=re.escape("sentence 3 has 4 tokens but 5 labels in y_pred")):
        func(y_pred, y_true)


@pytest.mark.parametrize("func", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_sentence_count_mismatch(func):
    with pytest.raises(ValueError, match="y_true has 2 sentences but y_pred has 1 label sequences"):
        func([["O"], ["B-X"]], [["O"]])


@pytest.mark.parametrize("func", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_empty_input(func):
    with pytest.raises(ValueError, match="y_true is empty"):
        func([], [])
    with pytest.raises(ValueError, match="y_pred is empty"):
        func([["O"]], [])
    with pytest.raises(ValueError, match="hold no label"):
        func([[], []], [[], []])


@pytest.mark.parametrize("func", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_bad_types(func):
    # a flat list of labels is not a list of sentences
    with pytest.raises(TypeError, match="y_true: labels of sentence 0 are str 'O'"):
        func(["O", "B-X"], [["O"], ["B-X"]])
    with pytest.raises(TypeError, match="y_pred is None; expected a list of label sequences"):
        func([["O"]], None)
    with pytest.raises(TypeError, match="y_pred must be a list of label sequences"):
        func([["O"]], 3)
    with pytest.raises(TypeError, match="y_pred is a single str"):
        func([["O"]], "O")
    with pytest.raises(TypeError, match="y_pred: sentence 1, token 0 has label float 1.5"):
        func([["O"], ["O"]], [["O"], [1.5]])
    with pytest.raises(TypeError, match="y_true: sentence 0, token 0 has label bool True; labels must be str or int"):
        func([[True]], [[False]])
    with pytest.raises(TypeError, match="y_true: sentence 0, token 1 has int label 1 but earlier labels are str"):
        func([["O", 1]], [["O", "O"]])
    # str labels in y_true against int labels in y_pred would silently score 0
    with pytest.raises(TypeError, match="y_pred: sentence 0, token 0 has int label 0 but y_true labels are str; use one label type"):
        func([["O", "B-X"]], [[0, 1]])
    # ... and so would they when y_true's first labels are in a later sentence
    with pytest.raises(TypeError, match="y_pred: sentence 1, token 0 has str label 'O' but y_true labels are int"):
        func([[], [0]], [[], ["O"]])


def test_empty_sentences_are_allowed_among_others():
    assert token_accuracy([[], ["A", "B"]], [[], ["A", "C"]]) == 0.5


# --------------------------------------------------------------------------
# Entity-level scores equal seqeval's
# --------------------------------------------------------------------------


def test_random_iob2_sequences_are_ill_formed():
    """The generator does produce the ill-formed cases the tests rely on."""
    y_true, y_pred = random_pair(0, ["B", "I"])
    flat = [t for s in y_true + y_pred for t in s]
    pairs = [(s[j - 1], s[j]) for s in y_true + y_pred for j in range(1, len(s))]
    assert any(a == "O" and b.startswith("I-") for a, b in pairs)
    assert any(a[2:] != b[2:] and a != "O" and b.startswith("I-") for a, b in pairs)
    assert any(s[0].startswith("I-") for s in y_true)
    assert {"O"} < set(flat)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("average", ["micro", "macro", "weighted"])
def test_entity_scores_equal_seqeval_default_mode(seed, average):
    y_true, y_pred = random_pair(seed, ["B", "I"])
    ours = entity_precision_recall_f1(y_true, y_pred, average=average)
    assert ours == seqeval_scores(y_true, y_pred, average=average)
    assert all(isinstance(v, float) for v in ours)
    assert 0 < ours[2] < 1


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("average", ["micro", "macro", "weighted"])
def test_entity_scores_equal_seqeval_strict_iob2(seed, average):
    y_true, y_pred = random_pair(seed, ["B", "I"])
    ours = entity_precision_recall_f1(y_true, y_pred, mode="strict", average=average)
    assert ours == seqeval_scores(y_true, y_pred, mode="strict", scheme=IOB2, average=average)
    assert 0 < ours[2] < 1


def test_strict_and_default_modes_differ_on_ill_formed_tags():
    differ = 0
    for seed in range(6):
        y_true, y_pred = random_pair(seed, ["B", "I"])
        differ += entity_precision_recall_f1(y_true, y_pred) != entity_precision_recall_f1(
            y_true, y_pred, mode="strict"
        )
    assert differ > 0


def test_strict_mode_hand_example():
    y_true = [["B-PER", "I-PER", "O"]]
    y_pred = [["I-PER", "I-PER", "O"]]
    # conlleval mode: the I- after the sentence start opens a PER entity
    assert entity_precision_recall_f1(y_true, y_pred) == (1.0, 1.0, 1.0)
    # strict IOB2: an entity must open with B-, so nothing was predicted
    with pytest.warns(UndefinedMetricWarning):
        assert entity_precision_recall_f1(y_true, y_pred, mode="strict") == (0.0, 0.0, 0.0)
    assert entity_precision_recall_f1(
        y_true, y_pred, mode="strict", zero_division=0
    ) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("seed", range(6))
def test_entity_scores_equal_seqeval_strict_iobes(seed):
    y_true, y_pred = random_pair(seed, ["B", "I", "E", "S"])
    ours = entity_precision_recall_f1(y_true, y_pred, scheme="IOBES", mode="strict")
    assert ours == seqeval_scores(y_true, y_pred, mode="strict", scheme=IOBES)
    assert 0 < ours[2] < 1
    # the IOBES reading is not the IOB2 one (which rejects E- and S-)
    with pytest.raises(ValueError, match="Invalid token"):
        entity_precision_recall_f1(y_true, y_pred, scheme="IOB2", mode="strict")


@pytest.mark.parametrize(
    "name, cls, prefixes",
    [("IOB1", IOB1, ["B", "I"]), ("IOE2", IOE2, ["I", "E"]), ("BILOU", BILOU, ["B", "I", "L", "U"])],
)
def test_other_schemes_equal_seqeval_strict(name, cls, prefixes):
    y_true, y_pred = random_pair(7, prefixes)
    expected = seqeval_scores(y_true, y_pred, mode="strict", scheme=cls)
    assert entity_precision_recall_f1(y_true, y_pred, scheme=name, mode="strict") == expected
    assert entity_precision_recall_f1(y_true, y_pred, scheme=name.lower(), mode="strict") == expected
    assert entity_precision_recall_f1(y_true, y_pred, scheme=cls, mode="strict") == expected
    assert SCHEMES[name] is cls


def test_bilou_hand_example_and_default_mode_refused():
    y_true = [["B-PER", "L-PER", "O", "U-LOC"]]
    y_pred = [["B-PER", "L-PER", "O", "O"]]
    assert entity_precision_recall_f1(y_true, y_pred, scheme="BILOU", mode="strict") == pytest.approx(
        (1.0, 0.5, 2 / 3)
    )
    with pytest.raises(ValueError, match="BILOU.*mode='strict'"):
        entity_f1(y_true, y_pred, scheme="BILOU")


def test_entity_f1_precision_recall_are_tuple_parts():
    y_true, y_pred = random_pair(0, ["B", "I"])
    for kwargs in [{}, {"mode": "strict", "average": "macro"}]:
        p, r, f = entity_precision_recall_f1(y_true, y_pred, **kwargs)
        assert entity_precision(y_true, y_pred, **kwargs) == p
        assert entity_recall(y_true, y_pred, **kwargs) == r
        assert entity_f1(y_true, y_pred, **kwargs) == f
        assert p != r


def test_entity_scores_accept_int_labels():
    y_true = [[0, 1, 1], [2, 0]]
    y_pred = [[0, 1, 2], [2, 2]]
    str_true = [[str(v) for v in s] for s in y_true]
    str_pred = [[str(v) for v in s] for s in y_pred]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # seqeval: "1 seems not to be NE tag."
        ours = entity_precision_recall_f1(y_true, y_pred)
        expected = seqeval_scores(str_true, str_pred)
    assert ours == expected


def test_entity_scores_accept_tuples_and_arrays():
    y_true = [("B-PER", "I-PER", "O"), np.array(["O", "B-LOC"])]
    y_pred = [np.array(["B-PER", "I-PER", "O"]), ["O", "O"]]
    assert entity_precision_recall_f1(y_true, y_pred) == pytest.approx((1.0, 0.5, 2 / 3))


def test_perfect_and_empty_predictions():
    y_true = [["B-PER", "I-PER", "O"], ["B-LOC"]]
    assert entity_precision_recall_f1(y_true, y_true) == (1.0, 1.0, 1.0)
    with pytest.warns(UndefinedMetricWarning):
        assert entity_f1(y_true, [["O", "O", "O"], ["O"]]) == 0.0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"scheme": "IOB3"}, "scheme must be one of"),
        ({"scheme": None}, "scheme must be one of"),
        ({"mode": "lenient"}, "mode must be one of"),
        ({"average": "samples"}, "average must be one of"),
        ({"average": None}, "average must be one of"),
    ],
)
def test_entity_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        entity_precision_recall_f1([["B-X"]], [["B-X"]], **kwargs)


def test_mode_none_is_default():
    y_true, y_pred = random_pair(1, ["B", "I"])
    assert entity_f1(y_true, y_pred, mode=None) == entity_f1(y_true, y_pred)


# --------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------


def test_classification_report_token_level():
    y_true = [["DET", "NOUN", "VERB"], ["NOUN", "NOUN"]]
    y_pred = [["DET", "VERB", "VERB"], ["DET", "NOUN"]]
    report = classification_report(y_true, y_pred, output_dict=True)
    assert set(report) == {"DET", "NOUN", "VERB", "accuracy", "macro avg", "weighted avg"}
    assert report["accuracy"] == pytest.approx(3 / 5)
    # DET: predicted twice, right once; NOUN: 3 true, 1 found; VERB: 1 of 2
    assert report["DET"]["precision"] == pytest.approx(0.5)
    assert report["DET"]["recall"] == pytest.approx(1.0)
    assert report["NOUN"]["precision"] == pytest.approx(1.0)
    assert report["NOUN"]["recall"] == pytest.approx(1 / 3)
    assert report["NOUN"]["support"] == 3
    assert report["VERB"]["precision"] == pytest.approx(0.5)

    text = classification_report(y_true, y_pred, digits=3)
    assert isinstance(text, str)
    for name in ("DET", "NOUN", "VERB", "accuracy", "macro avg"):
        assert name in text
    assert "0.333" in text  # NOUN recall with 3 digits

    subset = classification_report(y_true, y_pred, labels=["NOUN"], output_dict=True)
    assert "DET" not in subset and "NOUN" in subset


def test_classification_report_int_labels():
    report = classification_report([[0, 1], [1]], [[0, 0], [1]], output_dict=True)
    assert report["0"]["precision"] == pytest.approx(0.5)
    assert report["1"]["recall"] == pytest.approx(0.5)
    assert report["accuracy"] == pytest.approx(2 / 3)


def test_entity_classification_report_equals_seqeval():
    y_true, y_pred = random_pair(2, ["B", "I"])
    ours = entity_classification_report(y_true, y_pred, output_dict=True)
    assert ours == sm.classification_report(y_true, y_pred, output_dict=True)
    assert set(TYPES) <= set(ours)
    assert "micro avg" in ours
    text = entity_classification_report(y_true, y_pred, digits=4)
    assert text == sm.classification_report(y_true, y_pred, digits=4)
    strict = entity_classification_report(y_true, y_pred, mode="strict", output_dict=True)
    assert strict == sm.classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True)
    assert strict != ours


def test_entity_classification_report_iobes_strict():
    y_true, y_pred = random_pair(4, ["B", "I", "E", "S"])
    ours = entity_classification_report(y_true, y_pred, scheme="IOBES", mode="strict")
    assert ours == sm.classification_report(y_true, y_pred, mode="strict", scheme=IOBES)


def test_entity_classification_report_without_entities():
    with pytest.raises(ValueError, match="neither y_true nor y_pred holds an entity"):
        entity_classification_report([["O", "O"]], [["O", "O"]])
    # I- after O is no entity in strict IOB2
    with pytest.raises(ValueError, match="neither y_true nor y_pred holds an entity"):
        entity_classification_report([["O", "I-X"]], [["O", "O"]], mode="strict")
    report = entity_classification_report(
        [["O", "I-X"]], [["O", "O"]], output_dict=True, zero_division=0
    )
    assert report["X"]["recall"] == 0.0


# --------------------------------------------------------------------------
# is_bio_tagging
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "labels",
    [
        ["O", "B-PER", "I-PER"],
        ["B-LOC", "I-LOC"],
        ["O", "S-X", "E-X", "B-X", "I-X"],
        ["U-ORG", "L-ORG", "O"],
        np.array(["O", "B-MISC"]),
        [["O", "B-PER"], ["I-PER"]],
        ("O", "B-GEO-LOC"),
    ],
)
def test_is_bio_tagging_true(labels):
    assert is_bio_tagging(labels) is True


@pytest.mark.parametrize(
    "labels",
    [
        ["NOUN", "VERB", "DET"],
        ["O", "B-PER", "NOUN"],
        ["O", "B-"],
        ["O", "X-PER"],
        ["o", "b-per"],
        ["B_PER", "O"],
        [0, 1, 2],
        ["명사", "기타"],
        [["O", "B-PER"], ["PUNCT"]],
        [],
        "O",
        None,
    ],
)
def test_is_bio_tagging_false(labels):
    assert is_bio_tagging(labels) is False


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
