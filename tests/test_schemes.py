"""Entity schemes read from the evidence, and decoding that keeps what the model found.

The fitted taggers here learn a small entity set by heart (the
``entity_corpus`` of conftest.py), so their decoded
predictions on it can be compared exactly: the scheme a few noisy entities
cannot change, IOB1 data, a forced scheme, and the ConvergenceWarning of a
fit that learned nothing but the majority label.
"""

import random
import warnings

import pytest
from sklearn.exceptions import ConvergenceWarning

from sktag import TokenTagger
from sktag.metrics import entity_precision_recall_f1
from sktag.schemes import LabelSchemeWarning, read_entities


def _as_iob1(y):
    """CoNLL-2003 style: I- begins an entity, B- only right after one of its type."""
    out = []
    for labels in y:
        new, previous_end = list(labels), {}
        for kind, first, stop in read_entities(labels, "IOB2"):
            if previous_end.get(kind) != first:
                new[first] = f"I-{kind}"
            previous_end[kind] = stop
        out.append(new)
    return out


def _tagger(**params):
    return TokenTagger(encoder="conv", d_model=16, char_dim=4, hidden_dim=32, epochs=12,
                       batch_size=8, learning_rate=0.01, word_dropout=0.0,
                       random_state=0, **params)


def _f1(y_true, y_pred):
    return entity_precision_recall_f1(y_true, y_pred)[2]


@pytest.fixture(scope="module")
def clean(entity_corpus):
    X, y = entity_corpus
    return X, y, _tagger().fit(X, y)


def test_a_few_entities_begun_with_i_leave_the_scheme_iob2_and_decode_as_the_clean_model(clean):
    X, y, clean_model = clean
    noisy = [list(labels) for labels in y]
    injected = [3, 17, 29, 41]
    for i in injected:  # the first entity of these sentences begins with I-
        first = next(t for t, label in enumerate(noisy[i]) if label.startswith("B-"))
        noisy[i][first] = "I-" + noisy[i][first][2:]
    with pytest.warns(LabelSchemeWarning) as record:
        model = _tagger().fit(X, noisy)
    assert model.label_scheme_ == "IOB2"
    message = str(record[0].message)
    n_entities = sum(len(read_entities(labels)) for labels in y)
    assert f"4 of {n_entities} entities begin with I- instead of B-" in message
    assert "sentences 3, 17, 29, 41" in message
    clean_f1 = _f1(y, clean_model.predict(X))
    decoded = model.predict(X)
    assert _f1(y, decoded) == clean_f1 == 1.0
    assert _f1(y, decoded) >= _f1(y, model.set_params(decoding="argmax").predict(X))


def test_iob1_data_is_read_as_iob1_and_decoding_never_scores_below_argmax(entity_corpus):
    X, y = entity_corpus
    y1 = _as_iob1(y)
    assert any("B-" in label for labels in y1 for label in labels)  # side by side
    with warnings.catch_warnings():
        warnings.simplefilter("error", LabelSchemeWarning)  # clean IOB1: no warning
        model = _tagger().fit(X, y1)
    assert model.label_scheme_ == "IOB1"
    decoded = model.predict(X)
    assert all(label.startswith(("I-", "O")) or labels[t - 1][2:] == label[2:]
               for labels in decoded for t, label in enumerate(labels))  # valid IOB1
    argmax = model.set_params(decoding="argmax").predict(X)
    assert _f1(y1, decoded) >= _f1(y1, argmax)
    assert _f1(y1, decoded) == 1.0


def test_label_scheme_forces_the_scheme_and_counts_what_breaks_it(clean):
    X, y, _ = clean
    with pytest.warns(LabelSchemeWarning, match=r"entities begin with B- though no entity "
                                                r"of their type precedes them"):
        model = TokenTagger(d_model=4, epochs=1, label_scheme="IOB1").fit(X, y)
    assert model.label_scheme_ == "IOB1"
    with pytest.raises(ValueError, match="y is not an entity tagging in IOB2"):
        TokenTagger(d_model=4, epochs=1, label_scheme="IOB2").fit([["a", "b"]], [["N", "V"]])


def test_a_fit_that_learned_only_the_majority_label_warns():
    # The last token is a PER, but a word-by-word model cannot see where a token
    # stands, and every word is O far more often: it learns O for every word.
    rng = random.Random(0)
    X = [[f"w{rng.randrange(10)}" for _ in range(9)] for _ in range(40)]
    y = [["O"] * 8 + ["B-PER"] for _ in X]
    with pytest.warns(ConvergenceWarning, match=r"100% of the training tokens not labelled 'O' "
                                                r"are predicted 'O'.*entities\(\)"):
        TokenTagger(d_model=4, epochs=3, random_state=0).fit(X, y)


def test_a_fit_that_ends_with_a_nan_loss_warns(entity_corpus):
    X, y = entity_corpus[0][:20], entity_corpus[1][:20]
    with pytest.warns(ConvergenceWarning, match=r"the training loss is nan after epoch 2.*"
                                                r"Lower learning_rate"):
        TokenTagger(d_model=8, epochs=2, learning_rate=1e30, random_state=0).fit(X, y)
