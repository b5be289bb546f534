"""Constrained IOB2 decoding: the scheme check, the transitions, Viterbi, the tagger."""

import itertools

import joblib
import numpy as np
import pytest

from sktag import TokenTagger, load
from sktag.decoding import best_iob2_path, iob2_transitions, is_iob2_tagging

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
    assert tagger.label_scheme_ == "iob2"
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
        assert loaded.label_scheme_ == "iob2"
        assert loaded.predict(X[:10]) == tagger.predict(X[:10])


def test_decoding_must_be_known(toy_ner):
    with pytest.raises(ValueError, match="'decoding' parameter of TokenTagger must be a str among .*Got 'viterbi'"):
        TokenTagger(decoding="viterbi").fit(*toy_ner)
