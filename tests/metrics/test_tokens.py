"""Tests of sktag.metrics.tokens: token accuracy and the token-level report, and
the input checks every score of ``y_true`` and ``y_pred`` shares.
"""

import re

import numpy as np
import pytest
from sklearn.metrics import accuracy_score

from sktag.metrics import (
    classification_report,
    entity_classification_report,
    entity_f1,
    entity_precision,
    entity_precision_recall_f1,
    entity_recall,
    token_accuracy,
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
# classification_report
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
