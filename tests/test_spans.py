"""Entity spans: reading tags, token offsets, and decode_spans (on synthetic probabilities)."""

import dataclasses
import itertools
import json
import re

import numpy as np
import pytest
from seqeval.metrics.sequence_labeling import get_entities

from sktag.decoding import Lattice, best_path, span_marginals, token_marginals, transitions
from sktag.spans import Span, decode_spans, offsets_for_tokens, spans_from_tags

SCHEME_LABELS = {
    "IOB1": ["B-LOC", "B-PER", "I-LOC", "I-PER", "O"],
    "IOB2": ["B-LOC", "B-PER", "I-LOC", "I-PER", "O"],
    "IOBES": ["B-LOC", "B-PER", "E-LOC", "E-PER", "I-LOC", "I-PER", "O", "S-LOC", "S-PER"],
    "BILOU": ["B-LOC", "B-PER", "I-LOC", "I-PER", "L-LOC", "L-PER", "O", "U-LOC", "U-PER"],
}


def _seqeval_spans(tags):
    """seqeval's default reading (BILOU as IOBES), token_end exclusive."""
    as_iobes = [{"L": "E", "U": "S"}.get(tag[0], tag[0]) + tag[1:] for tag in tags]
    return [(kind, first, last + 1) for kind, first, last in get_entities(as_iobes)]


def _tokenize(text):
    return [(m.group(), m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]


def _confident(tags, classes, sure=0.97):
    """Probabilities that put ``sure`` on each tag and share the rest."""
    p = np.full((len(tags), len(classes)), (1 - sure) / (len(classes) - 1))
    p[np.arange(len(tags)), [classes.index(tag) for tag in tags]] = sure
    return p


# --------------------------------------------------------------------------
# Span
# --------------------------------------------------------------------------


def test_span_is_a_frozen_record_with_a_json_dict():
    span = Span(start=4, end=12, label="LOC", text="New York", score=0.75,
                token_start=1, token_end=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.score = 1.0
    record = span.to_dict()
    assert list(record) == ["start", "end", "label", "text", "score", "token_start", "token_end"]
    assert json.loads(json.dumps(record)) == record
    assert Span(**record) == span


# --------------------------------------------------------------------------
# spans_from_tags
# --------------------------------------------------------------------------


@pytest.mark.parametrize("tags, scheme, expected", [
    (["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"], "IOB2",
     [("PER", 0, 2), ("LOC", 3, 4), ("LOC", 4, 6)]),
    (["I-PER", "I-PER", "B-PER", "O", "I-LOC"], "IOB1",
     [("PER", 0, 2), ("PER", 2, 3), ("LOC", 4, 5)]),
    (["B-PER", "I-PER", "E-PER", "S-LOC", "S-LOC", "O"], "IOBES",
     [("PER", 0, 3), ("LOC", 3, 4), ("LOC", 4, 5)]),
    (["U-PER", "B-LOC", "L-LOC"], "bilou", [("PER", 0, 1), ("LOC", 1, 3)]),
    ([], "IOB2", []),
    (["O", "O"], "IOBES", []),
    # Invalid sequences (decoding="argmax") are read leniently, as conlleval does:
    (["O", "I-PER", "I-PER"], "IOB2", [("PER", 1, 3)]),
    (["B-PER", "I-LOC"], "IOB2", [("PER", 0, 1), ("LOC", 1, 2)]),
    (["B-PER", "O"], "IOBES", [("PER", 0, 1)]),
    (["B-PER", "I-PER"], "BIOES", [("PER", 0, 2)]),
    (["E-PER", "E-PER", "I-PER"], "IOBES", [("PER", 0, 1), ("PER", 1, 2), ("PER", 2, 3)]),
    (["S-PER", "E-PER"], "IOBES", [("PER", 0, 1), ("PER", 1, 2)]),
])
def test_spans_from_tags(tags, scheme, expected):
    assert spans_from_tags(tags, scheme) == expected


@pytest.mark.parametrize("scheme", sorted(SCHEME_LABELS))
def test_spans_from_tags_reads_every_sequence_as_seqeval_does(scheme):
    """Valid or not, every short sequence; spans in order, never overlapping."""
    labels = SCHEME_LABELS[scheme]
    for n_tokens in (1, 2, 3):
        for tags in itertools.product(labels, repeat=n_tokens):
            spans = spans_from_tags(list(tags), scheme)
            assert spans == _seqeval_spans(tags), tags
            assert all(a[2] <= b[1] for a, b in itertools.pairwise(spans))
    rng = np.random.RandomState(0)
    for _ in range(200):
        tags = list(rng.choice(labels, size=rng.randint(4, 30)))
        assert spans_from_tags(tags, scheme) == _seqeval_spans(tags)


def test_spans_from_tags_rejects_labels_outside_the_scheme():
    with pytest.raises(ValueError, match=r"Label 'S-PER' at token 1 is not IOB2"):
        spans_from_tags(["O", "S-PER"], "IOB2")
    with pytest.raises(ValueError, match=r"Label 'NOUN' at token 0 is not BILOU"):
        spans_from_tags(["NOUN"], "BILOU")
    with pytest.raises(ValueError, match=r"scheme must be one of .*got 'IOE1'"):
        spans_from_tags(["O"], "IOE1")


# --------------------------------------------------------------------------
# offsets_for_tokens
# --------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [" ", "", "\n", " | "])
def test_offsets_for_tokens_point_into_the_joined_text(sep):
    tokens = ["New", "York", "", "ünïcödé", "!"]
    text = sep.join(tokens)
    found = offsets_for_tokens(tokens, sep=sep)
    assert [t for t, _, _ in found] == tokens
    assert [text[start:end] for _, start, end in found] == tokens
    assert offsets_for_tokens([]) == []


def test_offsets_for_tokens_want_str():
    with pytest.raises(TypeError, match="Token 1 is int 3; tokens must be str"):
        offsets_for_tokens(["a", 3])
    with pytest.raises(TypeError, match="sep must be a str"):
        offsets_for_tokens(["a"], sep=None)


# --------------------------------------------------------------------------
# decode_spans
# --------------------------------------------------------------------------


def test_decode_spans_of_raw_text():
    text = "  Ann   Lee-Smith visited\tNew York , then left."
    tokens = _tokenize(text)
    words = [t for t, _, _ in tokens]
    assert words[:5] == ["Ann", "Lee", "-", "Smith", "visited"]
    classes = SCHEME_LABELS["IOBES"]
    tags = ["B-PER", "I-PER", "I-PER", "E-PER", "O", "B-LOC", "E-LOC", "O", "O", "O", "O"]
    p = _confident(tags, classes, sure=0.8)
    spans, marginals = decode_spans(text, tokens, p, classes, "IOBES", return_marginals=True)
    assert [(s.label, s.text, s.token_start, s.token_end) for s in spans] == [
        ("PER", "Ann   Lee-Smith", 0, 4), ("LOC", "New York", 5, 7)]
    for span in spans:
        assert text[span.start:span.end] == span.text
        assert 0.0 < span.score < 1.0
    expected = span_marginals(p, [("PER", 0, 4), ("LOC", 5, 7)], classes, "IOBES")
    np.testing.assert_allclose([s.score for s in spans], expected, rtol=1e-12)
    np.testing.assert_allclose(marginals, token_marginals(p, *transitions(classes, "IOBES")))


def test_decode_spans_of_pre_tokenized_input():
    words = ["Ann", "Lee", "saw", "Rome", "and", "Paris"]
    text = " ".join(words)
    classes = SCHEME_LABELS["IOB1"]
    p = _confident(["I-PER", "I-PER", "O", "I-LOC", "O", "I-LOC"], classes)
    spans = decode_spans(text, offsets_for_tokens(words), p, classes, "IOB1")
    assert [(s.text, s.label, s.token_start, s.token_end, s.start, s.end) for s in spans] == [
        ("Ann Lee", "PER", 0, 2, 0, 7), ("Rome", "LOC", 3, 4, 12, 16),
        ("Paris", "LOC", 5, 6, 21, 26)]
    for span in spans:
        assert span.text == " ".join(words[span.token_start:span.token_end])


def test_decode_spans_decodes_the_best_valid_path_not_the_argmax():
    classes = SCHEME_LABELS["IOB2"]
    words = ["a", "b", "c"]
    p = np.full((3, 5), 0.01)
    p[0, classes.index("O")] = 0.9
    p[1, classes.index("I-PER")], p[1, classes.index("B-PER")] = 0.6, 0.3
    p[2, classes.index("I-PER")] = 0.9  # argmax: O I-PER I-PER
    spans = decode_spans(" ".join(words), offsets_for_tokens(words), p, classes, "IOB2")
    assert [(s.label, s.token_start, s.token_end) for s in spans] == [("PER", 1, 3)]
    path = best_path(p, *transitions(classes, "IOB2"))
    assert [classes[k] for k in path] == ["O", "B-PER", "I-PER"]


def test_a_sure_model_scores_its_spans_one():
    words = ["Ann", "Lee", "went", "to", "New", "York"]
    classes = SCHEME_LABELS["BILOU"]
    p = _confident(["B-PER", "L-PER", "O", "O", "B-LOC", "L-LOC"], classes, sure=1 - 1e-9)
    spans = decode_spans(" ".join(words), offsets_for_tokens(words), p, classes, "BILOU")
    assert [s.text for s in spans] == ["Ann Lee", "New York"]
    np.testing.assert_allclose([s.score for s in spans], 1.0, atol=1e-6)


@pytest.mark.parametrize("scheme", sorted(SCHEME_LABELS))
def test_spans_never_overlap_and_lie_inside_the_text(scheme):
    classes = SCHEME_LABELS[scheme]
    allowed, start, end = transitions(classes, scheme)
    rng = np.random.RandomState(7)
    alphabet = list("ab c.\t-é")
    for _ in range(40):
        text = "".join(rng.choice(alphabet, size=rng.randint(0, 60)))
        tokens = _tokenize(text)
        p = rng.dirichlet(np.full(len(classes), 0.3), size=len(tokens))
        if rng.rand() < 0.3:
            p[rng.rand(*p.shape) < 0.5] = 0.0
        spans, marginals = decode_spans(text, tokens, p, np.array(classes, dtype=object),
                                        scheme, return_marginals=True)
        assert marginals.shape == (len(tokens), len(classes))
        path = Lattice(classes, scheme).best_path(p)
        assert [(s.label, s.token_start, s.token_end) for s in spans] == \
            spans_from_tags([classes[k] for k in path], scheme)
        assert (path == best_path(p, allowed, start, end)).all()  # the label lattice
        previous_end = 0
        for span in spans:
            assert previous_end <= span.start < span.end <= len(text)
            assert text[span.start:span.end] == span.text
            assert span.start == tokens[span.token_start][1]
            assert span.end == tokens[span.token_end - 1][2]
            assert 0.0 <= span.score <= 1.0
            assert json.loads(json.dumps(span.to_dict())) == span.to_dict()  # plain types
            assert [type(v) for v in span.to_dict().values()] == [int, int, str, str, float,
                                                                  int, int]
            previous_end = span.end


def test_decode_spans_of_an_empty_sentence():
    classes = SCHEME_LABELS["IOB2"]
    assert decode_spans("", [], np.zeros((0, 5)), classes, "IOB2") == []
    spans, marginals = decode_spans("  ", [], np.zeros((0, 5)), classes, "IOB2",
                                    return_marginals=True)
    assert spans == [] and marginals.shape == (0, 5)


@pytest.mark.parametrize("text, tokens, shape, scheme, error, message", [
    ("Ann", [("Ann", 0, 3)], (1, 5), None, ValueError,
     r"got None\. The labels are not an entity tagging"),
    ("Ann", [("Ann", 0, 4)], (1, 5), "IOB2", ValueError,
     r"Token 0 has offsets \(0, 4\), outside the text of 3 characters"),
    ("Ann Lee", [("Ann", 0, 3), ("n", 2, 3)], (2, 5), "IOB2", ValueError,
     r"Token 1 starts at 2, before token 0 ends at 3: tokens must be in text order"),
    ("Ann", [("Ann", 0.0, 3)], (1, 5), "IOB2", TypeError,
     r"Token 0 has offsets \(0\.0, 3\); they must be ints"),
    ("Ann", ["Ann"], (1, 5), "IOB2", TypeError,
     r"Token 0 is 'Ann'; expected \(text, start, end\) .*offsets_for_tokens"),
    ("Ann", [("Ann", 0, 3)], (2, 5), "IOB2", ValueError,
     r"shape \(n_tokens, n_classes\) = \(1, 5\).* got shape \(2, 5\)"),
])
def test_decode_spans_says_what_is_wrong(text, tokens, shape, scheme, error, message):
    with pytest.raises(error, match=message):
        decode_spans(text, tokens, np.full(shape, 0.2), SCHEME_LABELS["IOB2"], scheme)


def test_decode_spans_wants_classes_of_the_scheme():
    with pytest.raises(ValueError, match=r"\['E-LOC', 'E-PER', 'S-LOC', 'S-PER'\] are not IOB2"):
        decode_spans("Ann", [("Ann", 0, 3)], np.full((1, 9), 0.2), SCHEME_LABELS["IOBES"],
                     "IOB2")


def test_decode_spans_wants_a_str_text():
    with pytest.raises(TypeError, match="text must be the source str"):
        decode_spans(["Ann"], [("Ann", 0, 3)], np.full((1, 5), 0.2), SCHEME_LABELS["IOB2"],
                     "IOB2")
