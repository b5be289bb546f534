"""Tests of sktag.metrics.entities: entity scores and reports equal seqeval's, and
is_bio_tagging.
"""

import warnings

import numpy as np
import pytest
import seqeval.metrics as sm
from seqeval.scheme import BILOU, IOB1, IOB2, IOBES, IOE2
from sklearn.exceptions import UndefinedMetricWarning

from sktag.metrics import (
    SCHEMES,
    entity_classification_report,
    entity_f1,
    entity_precision,
    entity_precision_recall_f1,
    entity_recall,
    is_bio_tagging,
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
