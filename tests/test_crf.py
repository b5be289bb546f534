"""The CRF output: its Keras loss and its numpy decoding against brute-force enumeration.

The loss is the negative log-likelihood of each tag sequence (the forward
algorithm in Keras ops, padding masked); prediction decodes with the learned
transition scores in numpy (Viterbi, forward-backward), with the entity
scheme's impossible steps forbidden. Both are checked against sums over every
label sequence of short sentences; then a tagger with ``output="crf"`` fits,
predicts, and round-trips through a model file, joblib and the ONNX metadata.
"""

import itertools
import json
import pickle

import numpy as np
import pytest

from sktag import TokenTagger
from sktag.decoding import Lattice, transitions
from sktag.metrics import entity_precision_recall_f1
from sktag.schemes import read_entities

CLASSES = ["B-LOC", "B-PER", "I-LOC", "I-PER", "O"]


def _logsumexp(values):
    top = max(values)
    return top + np.log(sum(np.exp(v - top) for v in values))


def _sequence_score(scores, labels, A, start, end):
    return (start[labels[0]] + sum(scores[t, k] for t, k in enumerate(labels))
            + sum(A[a, b] for a, b in itertools.pairwise(labels)) + end[labels[-1]])


def test_the_crf_loss_is_the_brute_force_negative_log_likelihood():
    from sktag.crf_layer import CRF, CRFLoss

    rng = np.random.RandomState(0)
    n, length = 3, 4
    crf = CRF(n)
    A, start, end = rng.normal(size=(n, n)), rng.normal(size=n), rng.normal(size=n)
    crf.set_weights([A.astype(np.float32), start.astype(np.float32), end.astype(np.float32)])
    scores = rng.normal(size=(3, length, n)).astype(np.float32)
    lengths = [4, 2, 1]
    y = np.full((3, length), -1, dtype=np.int32)
    for b, k in enumerate(lengths):
        y[b, :k] = rng.randint(n, size=k)
    per_token = np.asarray(CRFLoss(crf).call(y, scores))
    for b, k in enumerate(lengths):
        log_z = _logsumexp([_sequence_score(scores[b], seq, A, start, end)
                            for seq in itertools.product(range(n), repeat=k)])
        nll = log_z - _sequence_score(scores[b], y[b, :k], A, start, end)
        assert per_token[b, k:].tolist() == [0.0] * (length - k)  # padding adds nothing
        np.testing.assert_allclose(per_token[b, :k].sum(), nll, rtol=1e-5)
        np.testing.assert_allclose(per_token[b, :k], nll / k, rtol=1e-5)  # spread evenly


@pytest.mark.parametrize("scheme", [None, "IOB2"])
def test_the_crf_lattice_is_the_brute_force_distribution(scheme):
    """Viterbi path, token marginals and span marginals of the CRF's numpy
    decoding equal the sums over every allowed label sequence."""
    rng = np.random.RandomState(1)
    n = len(CLASSES)
    A, start, end = rng.normal(size=(n, n)), rng.normal(size=n), rng.normal(size=n)
    lattice = Lattice(CLASSES, scheme, transitions=(A, start, end))
    if scheme is None:
        allowed, can_start, can_end = np.ones((n, n), bool), np.ones(n, bool), np.ones(n, bool)
    else:
        allowed, can_start, can_end = transitions(CLASSES, scheme)
    for length in (1, 2, 3, 4):
        p = rng.dirichlet(np.ones(n), size=length)
        scores = np.log(np.maximum(p, 1e-12))
        weights = {}
        for seq in itertools.product(range(n), repeat=length):
            if (can_start[seq[0]] and can_end[seq[-1]]
                    and all(allowed[a, b] for a, b in itertools.pairwise(seq))):
                weights[seq] = np.exp(_sequence_score(scores, seq, A, start, end))
        total = sum(weights.values())
        marginals = np.zeros((length, n))
        for seq, w in weights.items():
            marginals[np.arange(length), seq] += w / total
        np.testing.assert_allclose(lattice.token_marginals(p), marginals, atol=1e-9)
        assert tuple(lattice.best_path(p)) == max(weights, key=weights.get)
        spans = [(kind, i, j) for kind in ("LOC", "PER")
                 for i in range(length) for j in range(i + 1, length + 1)]
        expected = [sum(w for seq, w in weights.items()
                        if span in read_entities([CLASSES[k] for k in seq])) / total
                    for span in spans]
        np.testing.assert_allclose(lattice.span_marginals(p, spans), expected, atol=1e-9)


def test_crf_scores_that_did_not_train_are_refused():
    n = len(CLASSES)
    with pytest.raises(ValueError, match="hold NaN or inf"):
        Lattice(CLASSES, "IOB2", transitions=(np.full((n, n), np.nan), np.zeros(n), np.zeros(n)))
    with pytest.raises(ValueError, match=r"expected \(5, 5\)"):
        Lattice(CLASSES, "IOB2", transitions=(np.zeros((4, 4)), np.zeros(n), np.zeros(n)))


@pytest.fixture(scope="module")
def crf_tagger(entity_corpus):
    X, y = entity_corpus
    tagger = TokenTagger(encoder="conv", d_model=16, char_dim=4, hidden_dim=32, epochs=10,
                         batch_size=8, learning_rate=0.01, word_dropout=0.0, output="crf",
                         random_state=0).fit(X, y)
    return X, y, tagger


def test_a_crf_tagger_learns_entities_and_predicts_from_its_transitions(crf_tagger):
    X, y, tagger = crf_tagger
    transitions_, start, end = tagger._weights["crf"]
    assert transitions_.shape == (5, 5) and np.abs(transitions_).max() > 0.05  # learned
    assert entity_precision_recall_f1(y, tagger.predict(X))[2] == 1.0
    lattice = Lattice(tagger.classes_, "IOB2", transitions=(transitions_, start, end))
    softmax = tagger._prediction_path().probabilities(X[:5])
    proba = tagger.predict_proba(X[:5])
    for p, marginals, sentence in zip(softmax, proba, tagger.predict(X[:5])):
        np.testing.assert_allclose(marginals, lattice.token_marginals(p), atol=1e-6)
        np.testing.assert_allclose(marginals.sum(axis=1), 1.0, atol=1e-6)
        assert sentence == tagger.classes_[lattice.best_path(p)].tolist()
    (spans,) = tagger.predict_spans(["Ann visited New York ."])
    assert [(s.label, s.text) for s in spans] == [("PER", "Ann"), ("LOC", "New York")]


def test_a_crf_tagger_round_trips_through_files_and_its_onnx_metadata(crf_tagger, tmp_path):
    import sktag

    X, _, tagger = crf_tagger
    loaded = sktag.load(tagger.save(tmp_path / "crf.sktag"))
    unpickled = pickle.loads(pickle.dumps(tagger))
    for other in (loaded, unpickled):
        assert other.predict(X) == tagger.predict(X)
        for a, b in zip(other.predict_proba(X[:5]), tagger.predict_proba(X[:5])):
            np.testing.assert_array_equal(a, b)
    props = {prop.key: prop.value for prop in tagger.to_onnx().metadata_props}
    meta = json.loads(props["sktag.preprocessing"])
    np.testing.assert_array_equal(np.array(meta["crf"]["transitions"], np.float32),
                                  tagger._weights["crf"][0])
    assert meta["crf"]["allowed"][4][2] is False  # O -> I-LOC: IOB2 forbids it


def test_output_is_a_parameter_that_shapes_the_weights():
    X, y = [["a", "b"], ["c"]], [["N", "V"], ["N"]]
    tagger = TokenTagger(d_model=4, epochs=1, output="crf", random_state=0).fit(X, y)
    assert tagger.predict(X)[0] in (["N", "V"], ["N", "N"], ["V", "V"], ["V", "N"])
    with pytest.raises(ValueError, match="output"):
        tagger.set_params(output="softmax").partial_fit(X, y)
