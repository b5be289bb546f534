"""Every bad input gets a clear error naming the sentence and the problem."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from sktag import TokenTagger

X_OK = [["a", "b"], ["c"]]
Y_OK = [["N", "V"], ["N"]]


@pytest.mark.parametrize(
    "X, y, error, message",
    [
        (X_OK, [["N", "V"]], ValueError, "X has 2 sentences but y has 1 label sequences"),
        (X_OK, [["N"], ["N"]], ValueError, "sentence 0 has 2 tokens but 1 labels"),
        ([], [], ValueError, "X is empty"),
        ([["a"], []], [["N"], []], ValueError, "sentence 1 is empty"),
        ([["a", 3]], [["N", "V"]], TypeError, r"sentence 0, token 1 is int 3"),
        ([["a"], ["b", None]], [["N"], ["N", "V"]], TypeError, "sentence 1, token 1 is NoneType"),
        (None, Y_OK, TypeError, "X is None"),
        ([["a"], None], Y_OK, TypeError, "sentence 1 is None"),
        (X_OK, None, TypeError, "y is None"),
        (np.zeros((2, 3)), Y_OK, TypeError, "numpy array of float64 numbers"),
        ("a b", Y_OK, TypeError, "single str"),
        ([["a"], [b"c"]], Y_OK, TypeError, "sentence 1, token 0 is bytes"),
        (X_OK, [["N", "V"], [1]], TypeError, "sentence 1, token 0 has int label 1 but earlier labels are str"),
        (X_OK, [["N", 2.5], ["N"]], TypeError, "sentence 0, token 1 has label float 2.5"),
        (X_OK, [["N", None], ["N"]], TypeError, "sentence 0, token 1 has label NoneType"),
        (X_OK, [["N", "V"], "N"], TypeError, "labels of sentence 1 are str"),
    ],
)
def test_fit_rejects_bad_input(X, y, error, message):
    with pytest.raises(error, match=message):
        TokenTagger(epochs=1).fit(X, y)


def test_bad_sample_weight():
    with pytest.raises(ValueError, match=r"sample_weight\[1\] is nan"):
        TokenTagger(epochs=1).fit(X_OK, Y_OK, sample_weight=[1.0, np.nan])
    with pytest.raises(ValueError, match="one weight per sentence"):
        TokenTagger(epochs=1).fit(X_OK, Y_OK, sample_weight=[1.0])


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_unfitted_estimator(method):
    with pytest.raises(NotFittedError, match="not fitted yet"):
        getattr(TokenTagger(), method)(X_OK)
    with pytest.raises(NotFittedError):
        TokenTagger().score(X_OK, Y_OK)


@pytest.fixture(scope="module")
def fitted():
    return TokenTagger(d_model=4, epochs=1, random_state=0).fit(X_OK, Y_OK)


def test_predict_errors_and_empty_sentence(fitted):
    assert fitted.predict([[], ["a"]])[0] == []
    with pytest.raises(TypeError, match="sentence 1, token 0 is int 5"):
        fitted.predict([["a"], [5]])
    with pytest.raises(ValueError, match="X is empty"):
        fitted.predict([])


def test_score_errors(fitted):
    with pytest.raises(TypeError, match="trained on str labels"):
        fitted.score(X_OK, [[1, 2], [1]])
    with pytest.raises(ValueError, match="sentence 1 has 1 tokens but 2 labels"):
        fitted.score(X_OK, [["N", "V"], ["N", "V"]])
    # A label never seen in training is simply never predicted: it counts wrong.
    assert fitted.score([["c"]], [["NEW"]]) == 0.0


def test_validation_data_errors():
    with pytest.raises(ValueError, match="validation_data must be a tuple"):
        TokenTagger(epochs=1).fit(X_OK, Y_OK, validation_data=X_OK)
    with pytest.raises(ValueError, match="y_val: sentence 0 has label 'ADJ', which was not seen"):
        TokenTagger(epochs=1).fit(X_OK, Y_OK, validation_data=([["a"]], [["ADJ"]]))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"d_model": 0}, "d_model must be an int >= 1"),
        ({"epochs": 2.5}, "epochs must be an int >= 1"),
        ({"encoder": "transformer"}, "encoder must be one of"),
        ({"dropout": 1.0}, r"dropout must be a float in \[0, 1\), got 1.0"),
        ({"learning_rate": float("nan")}, "learning_rate must be a finite float >= 0, got nan"),
        ({"learning_rate": -1.0}, "learning_rate must be a finite float >= 0, got -1.0"),
        ({"validation_split": 1.5}, "validation_split"),
        ({"word_dropout": -1}, "word_dropout"),
        ({"char_dim": 2, "char_classes": "yes"}, "char_classes must be True or False"),
    ],
)
def test_bad_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        TokenTagger(**params).fit(X_OK, Y_OK)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"n_layer": 2}, "unknown parameter 'n_layer'; did you mean n_layers?"),
        ({"loss__x": 1}, r"unknown parameter 'loss__x'; routed parameters start with one of"),
    ],
)
def test_unknown_parameters_are_rejected_in_fit_and_partial_fit(params, message):
    for method in ("fit", "partial_fit"):
        with pytest.raises(TypeError, match=message):
            getattr(TokenTagger(**params), method)(X_OK, Y_OK)
    # Routed parameters of the training engine are accepted.
    TokenTagger(epochs=1, optimizer__beta_1=0.8, fit__validation_freq=1).fit(X_OK, Y_OK)
