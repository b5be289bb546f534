"""Constrained decoding: the scheme check, the transitions, Viterbi, marginals, the tagger."""

import functools
import itertools

import joblib
import numpy as np
import pytest

from sktag import TokenTagger, decoding, load
from sktag.decoding import (
    _EPSILON,
    best_iob2_path,
    best_path,
    detect_scheme,
    iob2_transitions,
    is_iob2_tagging,
    span_marginals,
    token_marginals,
    transitions,
)

LABELS = ["B-LOC", "B-PER", "I-LOC", "I-PER", "O"]


def _valid(seq):
    """One sentence is valid IOB2 (is_iob2_tagging also wants an entity somewhere:
    a leading B-X of a type no I- label has supplies it without changing the answer)."""
    return is_iob2_tagging([["B-X"] + list(seq)])


@pytest.mark.parametrize("y, expected", [
    ([["B-PER", "I-PER", "O"], ["O", "B-LOC", "B-LOC", "I-LOC"]], True),
    ([["O", "I-PER"]], False),  # IOB1: I- begins an entity
    ([["I-PER", "O"]], False),
    ([["B-PER", "I-LOC"]], False),  # changes type
    ([["B-PER"], ["I-PER"]], False),  # an entity does not cross sentences
    ([["O", "O"]], False),  # no entity at all
    ([["NOUN", "VERB"]], False),
    ([["B-PER", "E-PER"]], False),  # BIOES is not IOB2
    ([[0, 1]], False),
    ([], False),
])
def test_is_iob2_tagging(y, expected):
    assert is_iob2_tagging(y) is expected


def test_iob2_transitions_forbid_only_entities_that_never_began():
    allowed, start = iob2_transitions(LABELS)
    assert start.tolist() == [True, True, False, False, True]
    i = {label: k for k, label in enumerate(LABELS)}
    for a, b in itertools.product(LABELS, repeat=2):
        ok = not b.startswith("I-") or (a != "O" and a[2:] == b[2:])
        assert allowed[i[a], i[b]] == ok, (a, b)


def test_iob2_transitions_reject_other_labels():
    with pytest.raises(ValueError, match=r"\['NOUN'\] are not IOB2"):
        iob2_transitions(["O", "B-PER", "NOUN"])


def test_best_iob2_path_is_the_most_probable_valid_sequence():
    """Viterbi equals a brute-force search over every label sequence."""
    allowed, start = iob2_transitions(LABELS)
    rng = np.random.RandomState(0)
    differs = 0
    for n_tokens in (1, 2, 3, 4):
        for _ in range(25):
            p = rng.dirichlet(np.full(len(LABELS), 0.3), size=n_tokens)
            path = best_iob2_path(p, allowed, start)
            candidates = [
                seq for seq in itertools.product(range(len(LABELS)), repeat=n_tokens)
                if _valid([LABELS[k] for k in seq])
            ]
            best = max(candidates, key=lambda seq: np.log(p[np.arange(n_tokens), seq]).sum())
            assert path.tolist() == list(best)
            differs += path.tolist() != p.argmax(axis=1).tolist()
    assert differs > 0  # the constraint mattered for some inputs


def test_best_iob2_path_keeps_a_valid_argmax_and_handles_edge_cases():
    allowed, start = iob2_transitions(LABELS)
    p = np.eye(5)[[1, 3, 4, 0, 2]] * 0.9 + 0.02  # B-PER I-PER O B-LOC I-LOC
    assert best_iob2_path(p, allowed, start).tolist() == [1, 3, 4, 0, 2]
    assert best_iob2_path(np.zeros((0, 5)), allowed, start).tolist() == []
    # A zero probability is very unlikely, not impossible: a path still exists.
    only_inside = np.zeros((2, 5))
    only_inside[:, 3] = 1.0
    assert _valid([LABELS[k] for k in best_iob2_path(only_inside, allowed, start)])


@pytest.fixture
def toy_ner():
    rng = np.random.RandomState(0)
    people, places = ["Ann", "Bob Smith", "Carla Diaz"], ["Paris", "New York", "Rio de Janeiro"]
    X, y = [], []
    for _ in range(60):
        person, place = rng.choice(people).split(), rng.choice(places).split()
        tokens = person + ["went", "to"] + place + ["today"]
        labels = (["B-PER"] + ["I-PER"] * (len(person) - 1) + ["O", "O"]
                  + ["B-LOC"] + ["I-LOC"] * (len(place) - 1) + ["O"])
        X.append(tokens)
        y.append(labels)
    return X, y


def test_tagger_learns_the_scheme_and_predicts_valid_iob2(toy_ner):
    X, y = toy_ner
    tagger = TokenTagger(d_model=8, epochs=3, random_state=0).fit(X, y)
    assert tagger.label_scheme_ == "IOB2"
    # Unseen words in every position: the argmax often spells invalid IOB2.
    rng = np.random.RandomState(1)
    words = ["went", "to", "Paris", "York", "Smith", "de", "zz", "qq", "today", "Diaz"]
    X_new = [list(rng.choice(words, size=rng.randint(1, 8))) for _ in range(200)]
    predicted = tagger.predict(X_new)
    assert [len(p) for p in predicted] == [len(s) for s in X_new]
    assert all(_valid(seq) for seq in predicted)
    proba = tagger.predict_proba(X_new)
    plain = tagger.set_params(decoding="argmax").predict(X_new)  # no refit needed
    assert plain == [tagger.classes_[p.argmax(axis=1)].tolist() for p in proba]
    assert not all(_valid(seq) for seq in plain)  # so the constraint did something


def test_tagger_decodes_the_probabilities_it_computes(toy_ner, monkeypatch):
    X, y = toy_ner
    tagger = TokenTagger(d_model=8, epochs=1, random_state=0).fit(X, y)
    index = {label: k for k, label in enumerate(tagger.classes_)}
    probs = np.full((3, len(tagger.classes_)), 0.01)
    probs[0, index["O"]], probs[1, index["I-PER"]], probs[2, index["I-PER"]] = 0.9, 0.6, 0.9
    probs[1, index["B-PER"]] = 0.3
    monkeypatch.setattr(tagger._prediction_path(), "probabilities", lambda X: [probs])
    # argmax: O I-PER I-PER, which no IOB2 tagging allows
    assert tagger.predict([["a", "b", "c"]]) == [["O", "B-PER", "I-PER"]]


def test_labels_that_are_not_iob2_are_decoded_by_argmax(toy_pos):
    X, y = toy_pos
    tagger = TokenTagger(d_model=8, epochs=2, random_state=0).fit(X, y)
    assert tagger.label_scheme_ is None
    proba = tagger.predict_proba(X)
    assert tagger.predict(X) == [tagger.classes_[p.argmax(axis=1)].tolist() for p in proba]


def test_scheme_survives_saving(toy_ner, tmp_path):
    X, y = toy_ner
    tagger = TokenTagger(d_model=8, epochs=2, random_state=0).fit(X, y)
    joblib.dump(tagger, tmp_path / "t.joblib")
    for loaded in (load(tagger.save(tmp_path / "t.sktag")), joblib.load(tmp_path / "t.joblib")):
        assert loaded.label_scheme_ == "IOB2"
        assert loaded.predict(X[:10]) == tagger.predict(X[:10])


def test_decoding_must_be_known(toy_ner):
    with pytest.raises(ValueError, match="'decoding' parameter of TokenTagger must be a str among .*Got 'viterbi'"):
        TokenTagger(decoding="viterbi").fit(*toy_ner)


# --------------------------------------------------------------------------
# Every scheme: detection, transitions, Viterbi and marginals against brute force
# --------------------------------------------------------------------------

SCHEME_LABELS = {
    "IOB1": ["B-LOC", "B-PER", "I-LOC", "I-PER", "O"],
    "IOB2": ["B-LOC", "B-PER", "I-LOC", "I-PER", "O"],
    "IOBES": ["B-LOC", "B-PER", "E-LOC", "E-PER", "I-LOC", "I-PER", "O", "S-LOC", "S-PER"],
    "BILOU": ["B-LOC", "B-PER", "I-LOC", "I-PER", "L-LOC", "L-PER", "O", "U-LOC", "U-PER"],
}


def _reference_valid(seq, scheme):
    """The schemes' rules, spelled out label by label (independent of transitions())."""
    prev = "O"
    for label in seq:
        kind, entity = label[0], label[2:]
        open_same = prev[0] in "BI" and prev[2:] == entity  # goes on with the open entity
        if scheme == "IOB2":
            ok = kind != "I" or open_same
        elif scheme == "IOB1":
            ok = kind != "B" or open_same
        elif kind in "IEL":
            ok = open_same
        else:  # B, S, U, O in IOBES / BILOU: nothing may be left open
            ok = prev[0] not in "BI"
        if not ok:
            return False
        prev = label
    return scheme in ("IOB1", "IOB2") or prev[0] not in "BI"


def _reference_entities(seq):
    """seqeval's reading (default mode), as (type, token_start, token_end exclusive)."""
    from seqeval.metrics.sequence_labeling import get_entities

    as_iobes = [{"L": "E", "U": "S"}.get(label[0], label[0]) + label[1:] for label in seq]
    return {(kind, first, last + 1) for kind, first, last in get_entities(as_iobes)}


@functools.cache
def _valid_sequences(scheme, n_tokens):
    """Every valid sequence of n_tokens labels: index array and the entities of each."""
    labels = SCHEME_LABELS[scheme]
    seqs = [seq for seq in itertools.product(range(len(labels)), repeat=n_tokens)
            if _reference_valid([labels[k] for k in seq], scheme)]
    entities = [_reference_entities([labels[k] for k in seq]) for seq in seqs]
    return np.array(seqs, dtype=np.intp).reshape(len(seqs), n_tokens), entities


def _brute_force(p, scheme):
    """Probabilities of the valid sequences (normalized), the sequences, their entities."""
    seqs, entities = _valid_sequences(scheme, len(p))
    floored = np.maximum(p, _EPSILON)
    weight = floored[np.arange(len(p)), seqs].prod(axis=1)
    return weight / weight.sum(), seqs, entities


def _random_probabilities(rng, n_tokens, n_classes, zeros=False):
    p = rng.dirichlet(np.full(n_classes, 0.4), size=n_tokens)
    if zeros:
        p[rng.rand(*p.shape) < 0.3] = 0.0
    return p


@pytest.mark.parametrize("y, expected", [
    ([["B-PER", "I-PER", "O"], ["O", "B-LOC", "B-LOC", "I-LOC"]], "IOB2"),
    ([["B-PER", "O", "B-LOC"]], "IOB2"),  # only B-: every entity begins with B-
    ([["I-PER", "I-PER", "B-PER", "O"]], "IOB1"),
    ([["O", "I-PER", "O"]], "IOB1"),  # only I-
    ([["B-PER"], ["O", "I-PER"]], "IOB2"),  # one entity breaks each: a tie is IOB2
    ([["B-PER", "I-LOC"]], "IOB2"),  # I- of another type begins an entity: the same tie
    ([["B-PER"], ["B-LOC"], ["O", "I-PER"]], "IOB2"),  # the majority begin with B-
    ([["I-PER"], ["I-LOC", "B-LOC"], ["B-PER"]], "IOB1"),  # the majority begin with I-
    ([["B-PER", "E-PER", "S-LOC", "O"]], "IOBES"),
    ([["S-PER"]], "IOBES"),
    ([["B-PER", "I-PER", "O"], ["B-LOC", "E-LOC"]], "IOBES"),
    ([["B-PER", "O"], ["B-LOC", "E-LOC"]], "IOBES"),  # a malformed entity keeps the scheme
    ([["U-PER", "B-LOC", "I-LOC", "L-LOC"]], "BILOU"),
    ([["U-PER", "O"]], "BILOU"),
    ([["S-PER", "U-LOC"]], None),  # IOBES and BILOU mixed
    ([["O", "O"], ["O"]], None),  # no entity at all
    ([["NOUN", "VERB"]], None),
    ([["B-PER", "NOUN"]], None),
    ([["B", "I", "O"]], None),  # prefixes without types
    ([[0, 1]], None),
    ([], None),
])
def test_detect_scheme(y, expected):
    assert detect_scheme(y) == expected


@pytest.mark.parametrize("scheme", sorted(SCHEME_LABELS))
def test_transitions_allow_exactly_the_valid_sequences(scheme):
    labels = SCHEME_LABELS[scheme]
    allowed, start, end = transitions(labels, scheme)
    for n_tokens in (1, 2, 3):
        for seq in itertools.product(range(len(labels)), repeat=n_tokens):
            by_matrices = (start[seq[0]] and end[seq[-1]]
                           and all(allowed[a, b] for a, b in itertools.pairwise(seq)))
            assert by_matrices == _reference_valid([labels[k] for k in seq], scheme), seq


def test_transitions_of_each_scheme_by_example():
    allowed, start, end = transitions(["B-PER", "E-PER", "I-PER", "O", "S-PER"], "iobes")
    assert start.tolist() == [True, False, False, True, True]
    assert end.tolist() == [False, True, False, True, True]
    assert allowed[0].tolist() == [False, True, True, False, False]  # B- only goes on
    assert allowed[:, 1].tolist() == [True, False, True, False, False]  # E- only after B-, I-
    assert transitions(["B-PER", "E-PER", "O"], "BIOES")[0].tolist() == \
        transitions(["B-PER", "E-PER", "O"], "IOBES")[0].tolist()
    allowed, start, end = transitions(["B-PER", "I-PER", "O"], "IOB1")
    assert start.tolist() == [False, True, True] and end.all()
    assert allowed[:, 0].tolist() == [True, True, False]  # B- only after the same type
    # The IOB2 names are thin wrappers over the general ones.
    labels = SCHEME_LABELS["IOB2"]
    old_allowed, old_start = iob2_transitions(labels)
    allowed, start, end = transitions(np.array(labels, dtype=object), "IOB2")
    assert (old_allowed == allowed).all() and (old_start == start).all() and end.all()


def test_transitions_returns_arrays_the_caller_may_change():
    allowed, _, _ = transitions(SCHEME_LABELS["IOB2"], "IOB2")
    allowed[:] = False
    assert transitions(SCHEME_LABELS["IOB2"], "IOB2")[0].any()


@pytest.mark.parametrize("classes, scheme, message", [
    (["O", "B-PER", "S-PER"], "IOB2", r"\['S-PER'\] are not IOB2 \('O', 'B-<type>' or 'I-<type>'\)"),
    (["O", "B-PER", "L-PER"], "IOBES", r"\['L-PER'\] are not IOBES"),
    (["O", "B-PER", "E-PER", "NOUN"], "BILOU", r"\['E-PER', 'NOUN'\] are not BILOU"),
    (["O", "B-PER"], "IOE2", r"scheme must be one of \['BILOU', 'IOB1', 'IOB2', 'IOBES'\]"),
    (["O", "B-PER"], None, "got None. The labels are not an entity tagging"),
    (["B-PER", "E-PER"], "IOBES", r"no valid IOBES sentence .* need 'O' or .*'S-<type>'"),
    (["I-PER"], "IOB2", r"no valid IOB2 sentence .*'B-<type>'"),
])
def test_transitions_say_what_is_wrong(classes, scheme, message):
    with pytest.raises(ValueError, match=message):
        transitions(classes, scheme)


@pytest.mark.parametrize("scheme", sorted(SCHEME_LABELS))
def test_best_path_is_the_most_probable_valid_sequence_in_every_scheme(scheme):
    labels = SCHEME_LABELS[scheme]
    allowed, start, end = transitions(labels, scheme)
    rng = np.random.RandomState(1)
    differs = 0
    for n_tokens in (1, 2, 3, 4):
        for trial in range(12):
            p = _random_probabilities(rng, n_tokens, len(labels), zeros=trial % 3 == 0)
            probability, seqs, _ = _brute_force(p, scheme)
            path = best_path(p, allowed, start, end)
            assert path.tolist() == seqs[probability.argmax()].tolist()
            differs += path.tolist() != p.argmax(axis=1).tolist()
    assert differs > 0


def test_best_path_respects_the_end_of_the_sentence():
    labels = SCHEME_LABELS["BILOU"]
    allowed, start, end = transitions(labels, "BILOU")
    p = np.full((2, len(labels)), 0.01)
    p[0, labels.index("O")] = p[1, labels.index("B-PER")] = 0.9  # argmax: O B-PER
    path = [labels[k] for k in best_path(p, allowed, start, end)]
    assert path[0] == "O" and path[1] in ("U-PER", "O", "U-LOC")
    assert [labels[k] for k in best_path(p, allowed, start)] == ["O", "B-PER"]  # end=None


def test_best_path_checks_its_input():
    allowed, start, end = transitions(SCHEME_LABELS["IOB2"], "IOB2")
    with pytest.raises(ValueError, match=r"shape \(n_tokens, 5\).*got shape \(3, 4\)"):
        best_path(np.ones((3, 4)), allowed, start, end)
    with pytest.raises(ValueError, match="finite and non-negative"):
        best_path(np.full((2, 5), np.nan), allowed, start, end)
    never = np.zeros(5, dtype=bool)
    with pytest.raises(ValueError, match="No sequence of 2 labels is valid"):
        best_path(np.full((2, 5), 0.2), allowed, start, never)


@pytest.fixture(params=["scaled", "rescaled-every-token", "log-space"])
def forward_backward_mode(request, monkeypatch):
    """The scaled messages as used, rescaled at every token, or the log-space fallback."""
    if request.param == "rescaled-every-token":
        monkeypatch.setattr(decoding, "_RESCALE_EVERY", 1)
    elif request.param == "log-space":
        monkeypatch.setattr(decoding, "_SCALED_TOLERANCE", -1.0)
    return request.param


@pytest.mark.parametrize("scheme", sorted(SCHEME_LABELS))
def test_marginals_equal_the_brute_force_sums(scheme, forward_backward_mode):
    """Every span of every small lattice, and every token's label, to 1e-9."""
    labels = SCHEME_LABELS[scheme]
    allowed, start, end = transitions(labels, scheme)
    rng = np.random.RandomState(2)
    for n_tokens in (1, 2, 3, 4, 5):
        for trial in range(3 if n_tokens < 5 else 1):
            p = _random_probabilities(rng, n_tokens, len(labels), zeros=trial == 1)
            probability, seqs, entities = _brute_force(p, scheme)
            spans = [(kind, i, j) for kind in ("LOC", "PER")
                     for i in range(n_tokens) for j in range(i + 1, n_tokens + 1)]
            expected = [sum(q for q, found in zip(probability, entities) if span in found)
                        for span in spans]
            scores, marginals = span_marginals(p, spans, labels, scheme,
                                               return_token_marginals=True)
            np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-9)
            by_label = np.zeros((n_tokens, len(labels)))
            for t in range(n_tokens):
                np.add.at(by_label[t], seqs[:, t], probability)
            np.testing.assert_allclose(marginals, by_label, rtol=0, atol=1e-9)
            np.testing.assert_allclose(token_marginals(p, allowed, start, end), by_label,
                                       rtol=0, atol=1e-9)


@pytest.mark.parametrize("scheme", sorted(SCHEME_LABELS))
def test_span_marginals_add_up_to_the_token_marginals(scheme):
    """Entities are disjoint and cover the tokens not labelled O, one entity begins at
    each B-/S-/U- label (and at each I- that begins one, in IOB1)."""
    labels = SCHEME_LABELS[scheme]
    allowed, start, end = transitions(labels, scheme)
    rng = np.random.RandomState(3)
    n_tokens = 9
    p = _random_probabilities(rng, n_tokens, len(labels))
    spans = [(kind, i, j) for kind in ("LOC", "PER")
             for i in range(n_tokens) for j in range(i + 1, n_tokens + 1)]
    scores = span_marginals(p, spans, labels, scheme)
    marginals = token_marginals(p, allowed, start, end)
    covering = np.zeros(n_tokens)
    beginning = np.zeros(n_tokens)
    for (_, i, j), score in zip(spans, scores):
        covering[i:j] += score
        beginning[i] += score
    np.testing.assert_allclose(covering, 1 - marginals[:, labels.index("O")], atol=1e-9)
    if scheme != "IOB1":
        first = [k for k, label in enumerate(labels) if label[0] in "BSU"]
        np.testing.assert_allclose(beginning, marginals[:, first].sum(axis=1), atol=1e-9)
    np.testing.assert_allclose(marginals.sum(axis=1), 1.0, atol=1e-12)


def test_a_sure_model_gives_its_entities_probability_one():
    labels = SCHEME_LABELS["IOBES"]
    tags = ["B-PER", "I-PER", "E-PER", "O", "S-LOC", "S-LOC", "O"]
    p = np.full((len(tags), len(labels)), 1e-9)
    p[np.arange(len(tags)), [labels.index(t) for t in tags]] = 1.0
    scores = span_marginals(p, [("PER", 0, 3), ("LOC", 4, 5), ("LOC", 5, 6)], labels, "IOBES")
    np.testing.assert_allclose(scores, 1.0, atol=1e-6)
    wrong = span_marginals(p, [("PER", 0, 2), ("LOC", 4, 6), ("PER", 4, 5)], labels, "IOBES")
    np.testing.assert_allclose(wrong, 0.0, atol=1e-6)


def test_an_impossible_entity_scores_zero():
    labels = SCHEME_LABELS["IOBES"]
    p = np.full((3, len(labels)), 1 / len(labels))
    # PER 0..1 then a continuation I-PER is required to go on; E-LOC cannot follow B-PER
    scores = span_marginals(p, [("PER", 0, 3), ("LOC", 1, 3)], labels, "IOBES")
    assert (scores > 0).all()
    only_o = np.zeros((3, len(labels)))
    only_o[:, labels.index("O")] = 1.0  # the others are floored at 1e-12, not impossible
    assert span_marginals(only_o, [("PER", 1, 2)], labels, "IOBES")[0] < 1e-10


def test_marginals_survive_long_sentences_and_zero_probabilities():
    """Log space: thousands of tokens, rows of zeros, no underflow and no NaN."""
    import tracemalloc

    rng = np.random.RandomState(4)
    for scheme in ("IOB1", "BILOU"):
        labels = SCHEME_LABELS[scheme]
        allowed, start, end = transitions(labels, scheme)
        n_tokens = 10_000
        p = _random_probabilities(rng, n_tokens, len(labels), zeros=True)
        p[100:200] = 0.0
        p[500:3000] = 0.0
        p[500:3000, labels.index("I-PER")] = 1.0  # a very long entity
        path = best_path(p, allowed, start, end)
        marginals = token_marginals(p, allowed, start, end)
        tracemalloc.start()  # slows numpy down: measure on a part
        best_path(p[:4000], allowed, start, end)
        span_marginals(p[:4000], [("PER", 0, 4000)], labels, scheme, return_token_marginals=True)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 12 * p[:4000].nbytes  # O(n_tokens * n_classes), not n_classes**2 times
        assert np.isfinite(marginals).all()
        np.testing.assert_allclose(marginals.sum(axis=1), 1.0, atol=1e-9)
        tags = [labels[k] for k in path]
        assert _reference_valid(tags, scheme)
        found = sorted(_reference_entities(tags), key=lambda span: span[1])
        assert any(i <= 500 and 3000 <= j for kind, i, j in found if kind == "PER")
        scores = span_marginals(p, found, labels, scheme)
        assert ((scores >= 0) & (scores <= 1)).all() and scores.max() > 0.5


def test_span_marginals_check_their_spans():
    labels = SCHEME_LABELS["IOB2"]
    p = np.full((3, 5), 0.2)
    with pytest.raises(ValueError, match=r"\('PER', 2, 4\) is not inside the sentence of 3"):
        span_marginals(p, [("PER", 2, 4)], labels, "IOB2")
    with pytest.raises(ValueError, match=r"\('PER', 1, 1\) is not inside"):
        span_marginals(p, [("PER", 1, 1)], labels, "IOB2")
    with pytest.raises(ValueError, match=r"type 'ORG' has no label .* \['LOC', 'PER'\]"):
        span_marginals(p, [("ORG", 0, 1)], labels, "IOB2")
    with pytest.raises(ValueError, match=r"\['S-PER'\] are not IOB2"):
        span_marginals(np.full((3, 6), 0.2), [], labels + ["S-PER"], "IOB2")
    assert span_marginals(np.zeros((0, 5)), [], labels, "IOB2").shape == (0,)
    assert token_marginals(np.zeros((0, 5)), *transitions(labels, "IOB2")).shape == (0, 5)


def test_transitions_forbid_labels_no_valid_sentence_holds():
    """IOBES without E-PER: B-PER and I-PER could never be closed."""
    classes = ["B-LOC", "B-PER", "E-LOC", "I-PER", "O", "S-PER"]
    allowed, start, end = transitions(classes, "IOBES")
    dead = [classes.index("B-PER"), classes.index("I-PER")]
    assert not allowed[:, dead].any() and not allowed[dead].any()
    assert not start[dead].any() and not end[dead].any()
    p = np.full((3, len(classes)), 0.01)
    p[:, classes.index("I-PER")] = 0.9
    p[0, classes.index("B-PER")] = 0.9
    path = [classes[k] for k in best_path(p, allowed, start, end)]
    assert "B-PER" not in path and "I-PER" not in path
    marginals = token_marginals(p, allowed, start, end)
    assert marginals[:, dead].max() == 0.0


def test_token_marginals_of_a_lattice_with_a_trap_fall_back_to_log_space():
    """A label that can follow itself but never end the sentence soaks up the scaled
    forward message until the valid label underflows; log space gets it right."""
    allowed = np.array([[True, True], [False, True]])
    start, end = np.array([True, True]), np.array([True, False])
    p = np.tile([1e-12, 1.0], (300, 1))  # only "all label 0" is valid
    np.testing.assert_allclose(token_marginals(p, allowed, start, end), [[1.0, 0.0]] * 300)
    assert best_path(p, allowed, start, end).tolist() == [0] * 300


def test_scaling_a_tokens_probabilities_changes_nothing():
    labels = SCHEME_LABELS["IOBES"]
    allowed, start, end = transitions(labels, "IOBES")
    rng = np.random.RandomState(5)
    p = _random_probabilities(rng, 12, len(labels))
    spans = [("PER", 2, 4), ("LOC", 0, 1), ("PER", 5, 12)]
    scaled = p * rng.uniform(0.5, 50.0, size=(12, 1))
    np.testing.assert_allclose(span_marginals(scaled, spans, labels, "IOBES"),
                               span_marginals(p, spans, labels, "IOBES"), rtol=1e-9)
    np.testing.assert_allclose(token_marginals(scaled, allowed, start, end),
                               token_marginals(p, allowed, start, end), rtol=1e-9, atol=1e-15)
    assert (best_path(scaled, allowed, start, end) == best_path(p, allowed, start, end)).all()


# --------------------------------------------------------------------------
# the lattice of readings (IOB1, IOB2): labels decoded as seqeval reads them
# --------------------------------------------------------------------------
def _as_read(seq, scheme):
    """A label sequence rewritten in the valid labels of its reading: the label
    that begins an entity is the scheme's (B- in IOB2, I- in IOB1), the others
    as they are."""
    out, previous = [], ("O", None)
    for label in seq:
        kind, entity = label[0], label[2:] or None
        begins = kind == "B" or previous[1] != entity or previous[0] == "O"
        if kind == "O":
            out.append("O")
        elif begins and not (kind == "B" and previous[1] == entity):
            out.append(("B-" if scheme == "IOB2" else "I-") + entity)
        else:
            out.append(label)
        previous = (kind, entity)
    return tuple(out)


@pytest.mark.parametrize("scheme", ["IOB1", "IOB2"])
def test_the_reading_lattice_is_the_model_s_distribution_over_readings(scheme,
                                                                        forward_backward_mode):
    """Every label sequence, unrestricted, counts for its reading: span scores,
    token marginals and the best path equal the brute-force sums to 1e-9."""
    labels = SCHEME_LABELS[scheme]
    lattice = decoding.Lattice(labels, scheme, reading=True)
    rng = np.random.RandomState(5)
    for n_tokens in (1, 2, 3, 4):
        for trial in range(3):
            p = _random_probabilities(rng, n_tokens, len(labels), zeros=trial == 1)
            floored = np.maximum(p, _EPSILON)
            readings = {}
            for seq in itertools.product(range(len(labels)), repeat=n_tokens):
                weight = floored[np.arange(n_tokens), seq].prod()
                read = _as_read([labels[k] for k in seq], scheme)
                readings[read] = readings.get(read, 0.0) + weight
            total = sum(readings.values())
            spans = [(kind, i, j) for kind in ("LOC", "PER")
                     for i in range(n_tokens) for j in range(i + 1, n_tokens + 1)]
            expected = [sum(w for read, w in readings.items()
                            if span in _reference_entities(read)) / total for span in spans]
            scores, marginals = lattice.span_marginals(p, spans, return_token_marginals=True)
            np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-9)
            by_label = np.zeros((n_tokens, len(labels)))
            for read, w in readings.items():
                for t, label in enumerate(read):
                    by_label[t, labels.index(label)] += w / total
            np.testing.assert_allclose(marginals, by_label, rtol=0, atol=1e-9)
            np.testing.assert_allclose(lattice.token_marginals(p), by_label, rtol=0, atol=1e-9)
            best = max(readings, key=readings.get)
            if sorted(readings.values())[-2:] != [readings[best]] * 2:  # no tie
                assert tuple(labels[k] for k in lattice.best_path(p)) == best
                assert _reference_valid(best, scheme)


@pytest.mark.parametrize("scheme", ["IOB1", "IOB2"])
def test_the_reading_lattice_never_drops_an_entity_the_argmax_holds(scheme):
    """A confident entity begun with the other prefix (I-PER after O in IOB2)
    is kept, written in the scheme's labels; the label lattice drops it."""
    labels = SCHEME_LABELS[scheme]
    other = {"IOB2": "I", "IOB1": "B"}[scheme]
    rows = [{"O": 0.9}, {f"{other}-PER": 0.6, "O": 0.3}, {"I-PER": 0.5, "O": 0.45}]
    p = np.full((3, len(labels)), 0.01)
    for t, row in enumerate(rows):
        for label, value in row.items():
            p[t, labels.index(label)] = value
    p /= p.sum(axis=1, keepdims=True)
    path = [labels[k] for k in decoding.Lattice(labels, scheme, reading=True).best_path(p)]
    assert _reference_entities(path) == {("PER", 1, 3)}
    assert _reference_valid(path, scheme)
    if scheme == "IOB2":
        label_path = [labels[k] for k in best_path(p, *transitions(labels, "IOB2"))]
        assert ("PER", 1, 3) not in _reference_entities(label_path)  # what it used to do


def test_iobes_and_bilou_decode_on_their_label_lattice():
    for scheme in ("IOBES", "BILOU"):
        labels = SCHEME_LABELS[scheme]
        p = _random_probabilities(np.random.RandomState(0), 6, len(labels))
        lattice = decoding.Lattice(labels, scheme)
        assert (lattice.best_path(p) == best_path(p, *transitions(labels, scheme))).all()
        np.testing.assert_allclose(lattice.token_marginals(p),
                                   token_marginals(p, *transitions(labels, scheme)), atol=1e-12)
