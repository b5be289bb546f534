"""Tests of sktag.metrics.spans, the span-level scores, and of spans_from_labels.

``span_scores`` reproduces nervaluate's four schemes (hand-computed cases
here, and nervaluate itself, which the ``test`` extra installs); its strict
scheme on spans from tags equals seqeval's entity scores, and the spans
``spans_from_labels`` reads in the default mode are seqeval's entities.
"""

import random
from collections import namedtuple
from dataclasses import dataclass

import numpy as np
import pytest
import seqeval.metrics as sm
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import IOB2

from sktag.metrics import (
    SPAN_SCHEMES,
    entity_precision_recall_f1,
    precision_recall_by_threshold,
    span_error_table,
    span_scores,
    spans_from_labels,
)

TYPES = ["PER", "LOC", "ORG"]

# The six scenarios of nervaluate's README, as token spans of one sentence:
# III missed BRAND, II spurious BRAND, V same type overlapping, IV same
# boundaries other type, I exact, VI other type overlapping.
README_TRUE = [[(0, 1, "BRAND"), (4, 5, "DRUG"), (6, 7, "DRUG"), (8, 9, "DRUG"),
                (10, 11, "GROUP")]]
README_PRED = [[(2, 3, "BRAND"), (3, 5, "DRUG"), (6, 7, "BRAND"), (8, 9, "DRUG"),
                (9, 11, "DRUG")]]
# Scheme: (COR, INC, PAR, MIS, SPU), from the README's table.
README_COUNTS = {
    "ent_type": (2, 2, 0, 1, 1),
    "partial": (2, 0, 2, 1, 1),
    "exact": (2, 2, 0, 1, 1),
    "strict": (1, 3, 0, 1, 1),
}
COUNT_KEYS = ("correct", "incorrect", "partial", "missed", "spurious")


def random_tags(rng, n_sentences=40, max_len=12, p_outside=0.4, prefixes="BI"):
    y = []
    for _ in range(n_sentences):
        seq = []
        for _ in range(rng.randint(1, max_len + 1)):
            if rng.rand() < p_outside:
                seq.append("O")
            else:
                seq.append(f"{rng.choice(list(prefixes))}-{rng.choice(TYPES)}")
        y.append(seq)
    return y


def perturb(rng, y, p=0.3):
    out = []
    for seq in y:
        new = list(seq)
        for j in range(len(new)):
            if rng.rand() < p:
                new[j] = "O" if rng.rand() < 0.4 else f"{rng.choice(['B', 'I'])}-{rng.choice(TYPES)}"
        out.append(new)
    return out


def random_spans(rng, n_sentences=6, max_spans=5, length=14, types="ABC"):
    """Random spans that may overlap each other."""
    docs = []
    for _ in range(n_sentences):
        doc = []
        for _ in range(rng.randrange(0, max_spans + 1)):
            start = rng.randrange(0, length)
            end = rng.randrange(start + 1, min(length, start + 5) + 1)
            doc.append((start, end, rng.choice(types)))
        docs.append(doc)
    return docs


# --------------------------------------------------------------------------
# span_scores: nervaluate's schemes
# --------------------------------------------------------------------------


def test_readme_scenarios_hand_computed():
    scores = span_scores(README_TRUE, README_PRED)
    for scheme, counts in README_COUNTS.items():
        got = scores[scheme]
        assert tuple(got[k] for k in COUNT_KEYS) == counts, scheme
        cor, inc, par, mis, spu = counts
        assert got["possible"] == cor + inc + par + mis == 5
        assert got["actual"] == cor + inc + par + spu == 5
        hits = cor + 0.5 * par if scheme in ("partial", "ent_type") else cor
        assert got["precision"] == pytest.approx(hits / 5)
        assert got["recall"] == pytest.approx(hits / 5)
        assert got["f1"] == pytest.approx(hits / 5)
    # The headline figures are the strict scheme's.
    assert (scores["precision"], scores["recall"], scores["f1"]) == (
        scores["strict"]["precision"], scores["strict"]["recall"], scores["strict"]["f1"])
    assert scores["partial"]["precision"] == pytest.approx(0.6)


def test_precision_and_recall_differ_with_partial_credit():
    true = [[(0, 3, "PER"), (5, 6, "LOC")]]
    pred = [[(0, 2, "PER")]]
    scores = span_scores(true, pred)
    # partial: 1 partial of 1 predicted and 2 true.
    assert scores["partial"]["precision"] == pytest.approx(0.5)
    assert scores["partial"]["recall"] == pytest.approx(0.25)
    assert scores["partial"]["f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    # ent_type: overlap of the same type is correct.
    assert scores["ent_type"]["precision"] == 1.0
    assert scores["ent_type"]["recall"] == 0.5
    # strict and exact: an inexact boundary is incorrect.
    assert scores["strict"]["incorrect"] == scores["exact"]["incorrect"] == 1
    assert scores["f1"] == 0.0


def test_per_type_scores_each_type_on_its_own_spans():
    scores = span_scores(README_TRUE, README_PRED)
    assert sorted(scores["per_type"]) == ["BRAND", "DRUG", "GROUP"]
    drug = scores["per_type"]["DRUG"]["strict"]
    # DRUG alone: true warfarin, propranolol, phenytoin; predicted "of
    # warfarin", phenytoin, "oral contraceptives" (overlaps no DRUG).
    assert tuple(drug[k] for k in COUNT_KEYS) == (1, 1, 0, 1, 1)
    group = scores["per_type"]["GROUP"]["ent_type"]
    assert tuple(group[k] for k in COUNT_KEYS) == (0, 0, 0, 1, 0)
    assert group["precision"] == 0.0 and group["recall"] == 0.0
    brand = scores["per_type"]["BRAND"]["exact"]
    # "propranolol" as BRAND has no true BRAND at its place: spurious here.
    assert tuple(brand[k] for k in COUNT_KEYS) == (0, 0, 0, 1, 2)
    for scheme in SPAN_SCHEMES:
        assert set(scores["per_type"]["DRUG"][scheme]) == set(scores[scheme])


def test_labels_keep_only_those_types():
    scores = span_scores(README_TRUE, README_PRED, labels=["DRUG"])
    assert list(scores["per_type"]) == ["DRUG"]
    assert scores["strict"] == scores["per_type"]["DRUG"]["strict"]
    # A requested type that never occurs is reported with zeros.
    assert span_scores([[]], [[]], labels=["PER"])["per_type"]["PER"]["strict"]["possible"] == 0


@pytest.mark.parametrize("zero_division", [0.0, 1.0])
def test_zero_division(zero_division):
    none_predicted = span_scores([[(0, 1, "PER")]], [[]], zero_division=zero_division)
    assert none_predicted["precision"] == zero_division
    assert none_predicted["recall"] == 0.0
    none_true = span_scores([[]], [[(0, 1, "PER")]], zero_division=zero_division)
    assert none_true["recall"] == zero_division
    assert none_true["precision"] == 0.0
    empty = span_scores([[]], [[]], zero_division=zero_division)
    assert empty["f1"] == zero_division


def test_zero_division_nan_and_bad_value():
    assert np.isnan(span_scores([[]], [[]], zero_division=np.nan)["f1"])
    with pytest.raises(ValueError, match="zero_division must be 0.0, 1.0 or np.nan"):
        span_scores([[]], [[]], zero_division="warn")


def test_order_of_spans_in_a_sentence_does_not_matter():
    rng = random.Random(0)
    for _ in range(50):
        true, pred = random_spans(rng), random_spans(rng)
        shuffled = [rng.sample(doc, len(doc)) for doc in pred]
        assert span_scores(true, shuffled) == span_scores(true, pred)


def test_any_overlap_of_at_least_one_percent_of_the_true_span():
    # One character of a 150-character true span is under 1%: no overlap for
    # nervaluate, so the prediction is spurious and the true span missed.
    scores = span_scores([[(0, 150, "X")]], [[(149, 151, "X")]])
    assert scores["partial"]["spurious"] == 1 and scores["partial"]["missed"] == 1
    scores = span_scores([[(0, 100, "X")]], [[(99, 101, "X")]])
    assert scores["partial"]["partial"] == 1
    # Ends are exclusive: spans that only touch do not overlap.
    assert span_scores([[(0, 2, "X")]], [[(2, 4, "X")]])["ent_type"]["spurious"] == 1


def test_nervaluate_itself_agrees_when_installed():
    nervaluate = pytest.importorskip("nervaluate")
    rng = random.Random(1)
    for _ in range(100):
        true, pred = random_spans(rng), random_spans(rng)
        tags = sorted({s[2] for doc in true + pred for s in doc}) or ["A"]

        def inclusive(docs):
            return [[{"label": lab, "start": s, "end": e - 1} for s, e, lab in
                     sorted(doc, key=lambda x: (x[0], x[1]))] for doc in docs]

        theirs = nervaluate.Evaluator(inclusive(true), inclusive(pred), tags=tags,
                                      loader="dict").evaluate()
        ours = span_scores(true, pred)
        for scheme in SPAN_SCHEMES:
            result = theirs["overall"][scheme]
            for key in COUNT_KEYS + ("precision", "recall", "f1"):
                assert ours[scheme][key] == pytest.approx(getattr(result, key))
            for tag, by_scheme in theirs["entities"].items():
                for key in COUNT_KEYS + ("f1",):
                    assert ours["per_type"][tag][scheme][key] == pytest.approx(
                        getattr(by_scheme[scheme], key))


# --------------------------------------------------------------------------
# span_scores: the forms of a span
# --------------------------------------------------------------------------

SpanTuple = namedtuple("SpanTuple", "start end label text score")


@dataclass
class SpanObject:
    start: int
    end: int
    label: str
    text: str = ""
    score: float = 1.0
    token_start: int = None
    token_end: int = None


def test_mappings_objects_and_tuples_score_alike():
    true = [[(0, 5, "PER"), (10, 16, "LOC")], []]
    pred = [[(0, 5, "PER"), (9, 16, "LOC")], [(3, 4, "ORG")]]
    expected = span_scores(true, pred)

    def as_dicts(docs):
        return [[{"start": s, "end": e, "label": lab, "text": "x", "score": 0.5}
                 for s, e, lab in doc] for doc in docs]

    def as_objects(docs, cls):
        return [[cls(start=s, end=e, label=lab, text="x", score=0.5) for s, e, lab in doc]
                for doc in docs]

    assert span_scores(as_dicts(true), as_dicts(pred)) == expected
    assert span_scores(as_objects(true, SpanObject), as_objects(pred, SpanObject)) == expected
    assert span_scores(as_objects(true, SpanTuple), as_dicts(pred)) == expected
    # numpy ints are ints
    assert span_scores([[(np.int64(0), np.int64(5), "PER")]], [[(0, 5, "PER")]])["f1"] == 1.0


def test_positions_token_reads_token_start_and_token_end():
    gold = spans_from_labels([["B-PER", "I-PER", "O", "B-LOC"]])
    pred = [[SpanObject(0, 10, "PER", token_start=0, token_end=2),
             {"start": 14, "end": 20, "label": "LOC", "token_start": 3, "token_end": 4}]]
    assert span_scores(gold, pred, positions="token")["f1"] == 1.0
    # character offsets are not token indices
    assert span_scores(gold, pred, positions="char")["f1"] == 0.0


def test_tuples_and_span_objects_need_positions():
    pred = [[SpanObject(0, 10, "PER", token_start=0, token_end=2)]]
    with pytest.raises(ValueError, match=r"true_spans holds \(start, end, label\) tuples and "
                                         r"pred_spans span objects; .*positions='token'"):
        span_scores([[(0, 2, "PER")]], pred)
    with pytest.raises(TypeError, match="pred_spans: sentence 0, span 0 has no token_start or "
                                        "token_end. positions='token' reads"):
        span_scores([[(0, 2, "PER")]], [[{"start": 0, "end": 10, "label": "PER"}]],
                    positions="token")
    # a token_start of None is no token_start
    with pytest.raises(TypeError, match="pred_spans: sentence 0, span 0 has no token_start or "
                                        "token_end"):
        span_scores([[(0, 2, "PER")]], [[SpanObject(0, 10, "PER")]], positions="token")
    with pytest.raises(ValueError, match="has token_start 3 and token_end 1; expected 0 <= "
                                         "token_start <= token_end"):
        span_scores([[(0, 2, "PER")]], [[SpanObject(0, 10, "PER", token_start=3, token_end=1)]],
                    positions="token")
    with pytest.raises(ValueError, match=r"positions must be one of \[None, 'char', 'token'\]"):
        span_scores([[]], [[]], positions="chars")


@pytest.mark.parametrize(
    "true, pred, error, message",
    [
        ([[(0, 1, "A")]], [[], []], ValueError,
         "true_spans has 1 sentences but pred_spans has 2; they must match one to one"),
        ([], [], ValueError, "true_spans is empty"),
        (None, [[]], TypeError, "true_spans is None"),
        ([(0, 1, "A")], [[]], TypeError,
         r"true_spans: sentence 0 is one span, tuple \(0, 1, 'A'\), not a list of spans"),
        ([[]], [{"start": 0, "end": 1, "label": "A"}], TypeError,
         "pred_spans: sentence 0 is one span"),
        ([[]], [5], TypeError, "pred_spans: spans of sentence 0 are int 5; expected a list"),
        ([[]], [[(0, 1, "A"), "B-PER"]], TypeError,
         "pred_spans: sentence 0, span 1 is str 'B-PER'; expected a .start, end, label. tuple"),
        ([[(3, 1, "A")]], [[]], ValueError,
         "true_spans: sentence 0, span 0 has start 3 and end 1; expected 0 <= start <= end"),
        ([[(0.0, 1, "A")]], [[]], TypeError,
         "true_spans: sentence 0, span 0 has start float 0.0 and end int 1; both must be ints"),
        ([[(0, 1, 7)]], [[]], TypeError,
         "true_spans: sentence 0, span 0 has label int 7; the label must be a str"),
        ([[{"start": 0, "label": "A"}]], [[]], TypeError,
         "true_spans: sentence 0, span 0 has no end"),
        ([[]], [[(0, 1, "A", float("nan"))]], ValueError,
         "pred_spans: sentence 0, span 0 has score float nan; expected a finite number"),
    ],
)
def test_bad_spans_name_the_sentence_and_span(true, pred, error, message):
    with pytest.raises(error, match=message):
        span_scores(true, pred)


# --------------------------------------------------------------------------
# spans_from_labels, and strict span scores equal seqeval's
# --------------------------------------------------------------------------


def test_spans_from_labels_hand_computed():
    y = [["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"], ["O", "O"], ["I-ORG", "I-ORG", "O"]]
    assert spans_from_labels(y) == [
        [(0, 2, "PER"), (3, 4, "LOC"), (4, 6, "LOC")], [], [(0, 2, "ORG")]]
    # strict IOB2 drops the ill-formed entity that begins with I-
    assert spans_from_labels(y, mode="strict")[2] == []
    assert spans_from_labels([["S-PER", "B-LOC", "E-LOC"]], scheme="IOBES", mode="strict") == [
        [(0, 1, "PER"), (1, 3, "LOC")]]


def test_spans_from_labels_with_character_offsets():
    y = [["B-PER", "I-PER", "O", "B-LOC"]]
    offsets = [[(0, 4), (5, 10), (11, 16), (17, 23)]]  # "John Smith lives Berlin"
    assert spans_from_labels(y, offsets=offsets) == [[(0, 10, "PER"), (17, 23, "LOC")]]
    with pytest.raises(ValueError, match="sentence 0 has 4 tags but 3 offsets"):
        spans_from_labels(y, offsets=[offsets[0][:3]])
    with pytest.raises(ValueError, match="y has 1 sentences but offsets has 2"):
        spans_from_labels(y, offsets=offsets * 2)
    with pytest.raises(TypeError, match="offsets must be a list with one list of"):
        spans_from_labels(y, offsets=5)
    with pytest.raises(TypeError, match=r"offsets: sentence 0, token 1 is int 5; expected a "
                                        r"\(start, end\) pair of ints"):
        spans_from_labels(y, offsets=[[(0, 4), 5, (11, 16), (17, 23)]])


def test_spans_from_labels_bad_input():
    with pytest.raises(ValueError, match="scheme must be one of"):
        spans_from_labels([["B-PER"]], scheme="BIO")
    with pytest.raises(TypeError, match="y: labels of sentence 0 are str"):
        spans_from_labels(["B-PER", "O"])


@pytest.mark.parametrize("prefixes", ["BI", "BIES"])
def test_default_mode_spans_are_seqevals_entities(prefixes):
    # The default mode reads entities with sktag.schemes.read_entities; they are
    # seqeval's default-mode entities (its ends inclusive), ill-formed tags included.
    rng = np.random.RandomState(7)
    y = random_tags(rng, n_sentences=400, prefixes=prefixes)
    expected = [sorted((start, end + 1, tag) for tag, start, end in get_entities(seq))
                for seq in y]
    assert spans_from_labels(y) == expected
    assert spans_from_labels(y, scheme="IOBES") == expected  # the scheme is for strict mode


@pytest.mark.parametrize("tag", ["NOUN", "B-", "L-PER", "U-PER"])
def test_default_mode_refuses_tags_it_cannot_read(tag):
    with pytest.raises(ValueError, match=rf"y: sentence 1, token 1 has tag '{tag}'; the default "
                                         "mode reads 'O' and B-, I-, E-, S-<type> tags"):
        spans_from_labels([["O"], ["B-PER", tag]])
    with pytest.raises(ValueError, match="sentence 0, token 0 has tag '0'"):  # int labels
        spans_from_labels([[0, 1]])


@pytest.mark.parametrize("seed", range(10))
def test_strict_scheme_on_iob2_spans_equals_seqeval_strict(seed):
    rng = np.random.RandomState(seed)
    y_true = random_tags(rng)
    y_pred = perturb(rng, y_true)
    scores = span_scores(
        spans_from_labels(y_true, mode="strict"), spans_from_labels(y_pred, mode="strict"))
    kwargs = {"mode": "strict", "scheme": IOB2, "zero_division": 0}
    assert scores["precision"] == pytest.approx(sm.precision_score(y_true, y_pred, **kwargs))
    assert scores["recall"] == pytest.approx(sm.recall_score(y_true, y_pred, **kwargs))
    assert scores["f1"] == pytest.approx(sm.f1_score(y_true, y_pred, **kwargs))
    # and per type, as seqeval's report
    report = sm.classification_report(y_true, y_pred, output_dict=True, **kwargs)
    for label, by_scheme in scores["per_type"].items():
        if label in report:
            assert by_scheme["strict"]["f1"] == pytest.approx(report[label]["f1-score"])


@pytest.mark.parametrize("seed", range(5))
def test_default_mode_spans_equal_the_default_entity_scores(seed):
    rng = np.random.RandomState(100 + seed)
    y_true = random_tags(rng)
    y_pred = perturb(rng, y_true)
    scores = span_scores(spans_from_labels(y_true), spans_from_labels(y_pred))
    expected = entity_precision_recall_f1(y_true, y_pred, zero_division=0)
    assert (scores["precision"], scores["recall"], scores["f1"]) == pytest.approx(expected)


# --------------------------------------------------------------------------
# span_error_table
# --------------------------------------------------------------------------


def test_error_table_hand_computed():
    true = [[(0, 2, "PER"), (3, 4, "LOC"), (6, 8, "ORG"), (10, 12, "PER")], [(0, 1, "LOC")]]
    pred = [[(0, 2, "PER"), (3, 4, "ORG"), (6, 7, "ORG"), (9, 12, "LOC"), (13, 14, "PER")], []]
    table = span_error_table(true, pred, output_dict=True)
    assert table["PER"] == {"correct": 1, "wrong_type": 0, "wrong_boundary": 0,
                            "wrong_type_and_boundary": 1, "missed": 0, "spurious": 1,
                            "support": 2}
    assert table["LOC"] == {"correct": 0, "wrong_type": 1, "wrong_boundary": 0,
                            "wrong_type_and_boundary": 0, "missed": 1, "spurious": 0,
                            "support": 2}
    assert table["ORG"]["wrong_boundary"] == 1 and table["ORG"]["support"] == 1
    assert table["total"] == {"correct": 1, "wrong_type": 1, "wrong_boundary": 1,
                              "wrong_type_and_boundary": 1, "missed": 1, "spurious": 1,
                              "support": 5}
    assert list(table) == ["LOC", "ORG", "PER", "total"]


def test_error_table_text_report():
    text = span_error_table([[(0, 2, "PER")]], [[(0, 2, "LOC")]])
    lines = text.splitlines()
    assert lines[0].split() == ["correct", "wrong", "type", "wrong", "boundary", "wrong",
                                "type", "and", "boundary", "missed", "spurious", "support"]
    # A wrong type counts for the true span's type; LOC only was predicted.
    assert lines[2].split() == ["LOC", "0", "0", "0", "0", "0", "0", "0"]
    assert lines[3].split() == ["PER", "0", "1", "0", "0", "0", "0", "1"]
    assert lines[-1].split() == ["total", "0", "1", "0", "0", "0", "0", "1"]


def test_error_table_breaks_down_the_strict_scheme():
    rng = random.Random(2)
    for _ in range(100):
        true, pred = random_spans(rng), random_spans(rng)
        strict = span_scores(true, pred)["strict"]
        table = span_error_table(true, pred, output_dict=True)
        total = table.pop("total")
        assert total["correct"] == strict["correct"]
        assert (total["wrong_type"] + total["wrong_boundary"]
                + total["wrong_type_and_boundary"]) == strict["incorrect"]
        assert total["missed"] == strict["missed"]
        assert total["spurious"] == strict["spurious"]
        assert total["support"] == sum(len(doc) for doc in true)
        for row in table.values():
            assert row["support"] == sum(row[k] for k in (
                "correct", "wrong_type", "wrong_boundary", "wrong_type_and_boundary", "missed"))


# --------------------------------------------------------------------------
# precision_recall_by_threshold
# --------------------------------------------------------------------------


def scored(spans, rng):
    return [[(s, e, lab, round(rng.random(), 2)) for s, e, lab in doc] for doc in spans]


def filtered(pred, threshold):
    return [[span for span in doc if span[3] >= threshold] for doc in pred]


@pytest.mark.parametrize("seed", range(5))
def test_curve_is_monotone_and_equals_span_scores(seed):
    rng_np = np.random.RandomState(seed)
    y_true = random_tags(rng_np)
    y_pred = perturb(rng_np, y_true)
    true = spans_from_labels(y_true)
    pred = scored(spans_from_labels(y_pred), random.Random(seed))
    curve = precision_recall_by_threshold(true, pred)
    assert set(curve) == {"threshold", "precision", "recall", "f1", "n_predicted"}
    np.testing.assert_array_equal(curve["threshold"], np.unique([s[3] for d in pred for s in d]))
    assert curve["n_predicted"][0] == sum(len(doc) for doc in pred)
    assert np.all(np.diff(curve["n_predicted"]) <= 0)
    assert np.all(np.diff(curve["recall"]) <= 1e-12)
    for i, threshold in enumerate(curve["threshold"]):
        expected = span_scores(true, filtered(pred, threshold))
        assert curve["n_predicted"][i] == expected["strict"]["actual"]
        assert curve["precision"][i] == pytest.approx(expected["precision"])
        assert curve["recall"][i] == pytest.approx(expected["recall"])
        assert curve["f1"][i] == pytest.approx(expected["f1"])


def test_curve_with_overlapping_predictions_equals_span_scores():
    rng = random.Random(3)
    for _ in range(30):
        true, pred = random_spans(rng), scored(random_spans(rng), rng)
        thresholds = [0.9, 0.0, 0.5, 0.25]  # reported in the order given
        curve = precision_recall_by_threshold(true, pred, thresholds)
        np.testing.assert_array_equal(curve["threshold"], thresholds)
        for i, threshold in enumerate(thresholds):
            expected = span_scores(true, filtered(pred, threshold))
            assert curve["n_predicted"][i] == expected["strict"]["actual"]
            assert curve["precision"][i] == pytest.approx(expected["precision"])
            assert curve["recall"][i] == pytest.approx(expected["recall"])


def test_curve_reads_scores_of_span_objects():
    true = [[(0, 2, "PER"), (3, 4, "LOC")]]
    pred = [[SpanObject(0, 9, "PER", score=0.8, token_start=0, token_end=2),
             SpanObject(12, 15, "LOC", score=0.3, token_start=3, token_end=4)]]
    curve = precision_recall_by_threshold(true, pred, positions="token")
    assert curve["threshold"].tolist() == [0.3, 0.8]
    assert curve["recall"].tolist() == [1.0, 0.5]
    assert curve["precision"].tolist() == [1.0, 1.0]
    # above every score nothing is kept: precision is zero_division
    above = precision_recall_by_threshold(true, pred, [0.9], positions="token")
    assert above["n_predicted"].tolist() == [0] and above["precision"].tolist() == [0.0]


def test_curve_bad_input():
    with pytest.raises(ValueError, match=r"pred_spans: sentence 0 has a span without a score, "
                                         r"\(0, 2, 'PER'\)"):
        precision_recall_by_threshold([[(0, 2, "PER")]], [[(0, 2, "PER")]])
    with pytest.raises(ValueError, match="pred_spans holds no span, so there is no score"):
        precision_recall_by_threshold([[(0, 2, "PER")]], [[]])
    with pytest.raises(ValueError, match="thresholds must be a flat list of finite numbers"):
        precision_recall_by_threshold([[]], [[]], [[0.5]])
    with pytest.raises(ValueError, match="thresholds must be a list of numbers"):
        precision_recall_by_threshold([[]], [[]], ["high"])
