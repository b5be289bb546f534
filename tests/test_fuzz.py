"""Property-based tests: any text through fit / predict / predict_proba.

Run a long session with ``SKTAG_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py``
(the fit properties get a tenth of that number).
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sktag import TokenTagger

EXAMPLES = int(os.environ.get("SKTAG_FUZZ_EXAMPLES", "40"))
PREDICT_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck)
)
FIT_SETTINGS = settings(
    max_examples=max(EXAMPLES // 10, 3), deadline=None, suppress_health_check=list(HealthCheck)
)

SAMPLES = [
    "수학", "선생님입니다", "🙂", "👩‍👩‍👧", "e\u0301", "\u0301", "\u200b", " ", "\t\n",
    "", "A" * 5000, "ǅ", "İ", "ß", "\U0010fffd", "[PAD]", "[UNK]", "ﬁ", "١٢٣", "x\x00y",
]
# Any Unicode text (lone surrogates excluded: they are not valid text), with a
# bias towards the cases that break tokenizers and embeddings.
TOKENS = st.one_of(
    st.text(min_size=0, max_size=30),
    st.sampled_from(SAMPLES),
    st.text(alphabet=st.characters(categories=["Mn", "Zs", "Cc", "So"]), max_size=5),
    st.text(min_size=200, max_size=2000),
)
SENTENCES = st.one_of(
    st.lists(TOKENS, min_size=0, max_size=12),
    st.tuples(TOKENS, st.integers(1000, 4000)).map(lambda pair: [pair[0]] * pair[1]),
    st.lists(TOKENS, min_size=1, max_size=3).map(lambda tokens: " ".join(tokens)),
)
CORPORA = st.lists(SENTENCES, min_size=1, max_size=6)

TRAIN_X = [["수학", "당신은", "🙂"], ["the", "cat", "e\u0301"], ["A" * 300]] * 3
TRAIN_Y = [["N", "O", "X"], ["O", "N", "X"], ["N"]] * 3


@pytest.fixture(scope="module", params=["dense", "conv-char", "bilstm"])
def tagger(request):
    params = {
        "dense": {},
        "conv-char": {"encoder": "conv", "char_dim": 4, "hidden_dim": 8},
        "bilstm": {"encoder": "bilstm", "hidden_dim": 8},
    }[request.param]
    return TokenTagger(d_model=8, epochs=2, random_state=0, **params).fit(TRAIN_X, TRAIN_Y)


def _n_tokens(sentence):
    return len(sentence.split()) if isinstance(sentence, str) else len(sentence)


def _check_outputs(tagger, X):
    labels = tagger.predict(X)
    proba = tagger.predict_proba(X)
    assert len(labels) == len(proba) == len(X)
    classes = set(tagger.classes_.tolist())
    for sentence, sentence_labels, p in zip(X, labels, proba):
        n = _n_tokens(sentence)
        assert len(sentence_labels) == n
        assert set(sentence_labels) <= classes
        assert p.shape == (n, len(classes))
        assert np.isfinite(p).all()
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-5)
        assert sentence_labels == tagger.classes_[p.argmax(axis=1)].tolist()


@PREDICT_SETTINGS
@given(X=CORPORA)
def test_predict_any_text(tagger, X):
    if all(_n_tokens(s) == 0 for s in X) and len(X) == 0:
        return
    _check_outputs(tagger, X)


@FIT_SETTINGS
@given(
    X=st.lists(st.lists(TOKENS, min_size=1, max_size=8), min_size=1, max_size=8),
    data=st.data(),
)
def test_fit_any_text(X, data):
    y = [data.draw(st.lists(st.sampled_from(["B", "I", "O"]), min_size=len(s), max_size=len(s)))
         for s in X]
    tagger = TokenTagger(d_model=4, epochs=1, batch_size=4, random_state=0)
    if len({label for labels in y for label in labels}) < 2:
        with pytest.raises(ValueError, match="y has a single distinct label"):
            tagger.fit(X, y)
        return
    tagger.fit(X, y)
    _check_outputs(tagger, X)
    assert 0.0 <= tagger.score(X, y) <= 1.0
    assert all(np.isfinite(v).all() for v in tagger.history_.values())


JUNK = st.one_of(
    st.none(), st.integers(), st.floats(), st.binary(max_size=5),
    st.lists(st.one_of(st.none(), st.integers(), st.floats(), st.binary(max_size=3)),
             min_size=1, max_size=3),
)


@PREDICT_SETTINGS
@given(X=st.lists(st.one_of(st.lists(TOKENS, max_size=3), JUNK), min_size=0, max_size=4))
def test_junk_gets_only_documented_errors(tagger, X):
    try:
        _check_outputs(tagger, X)
    except TypeError as exc:
        assert "sentence" in str(exc) or str(exc).startswith("X ")
    except ValueError as exc:
        assert str(exc) == "X is empty: expected at least one sentence."
