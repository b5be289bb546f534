"""Every bad input gets a clear error naming the sentence and the problem."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from sktag import TokenTagger, Vocabulary
from sktag.vocabulary import CharVocabulary

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
        ({"d_model": 0}, (r"The 'd_model' parameter of TokenTagger must be an int in the range "
                          r"\[1, inf\)\. Got 0 instead")),
        ({"d_model": True}, r"'d_model' parameter .* Got True instead"),
        ({"epochs": 2.5}, r"'epochs' parameter .* an int in the range \[1, inf\)\. Got 2.5"),
        ({"encoder": "transformer"}, r"'encoder' parameter .* a str among \{.*'bilstm'.*\}"),
        ({"dropout": 1.0}, r"'dropout' parameter .* a float in the range \[0.0, 1.0\)\. Got 1.0"),
        ({"learning_rate": float("nan")}, r"'learning_rate' .* \[0.0, inf\)\. Got nan"),
        ({"learning_rate": float("inf")}, r"'learning_rate' .* \[0.0, inf\)\. Got inf"),
        ({"learning_rate": -1.0}, r"'learning_rate' .* \[0.0, inf\)\. Got -1.0"),
        ({"learning_rate": -1}, r"'learning_rate' .* Got -1 instead"),
        ({"validation_split": 1.5}, "'validation_split' parameter"),
        ({"word_dropout": -1}, "'word_dropout' parameter"),
        ({"char_dim": 2, "char_classes": "yes"}, "'char_classes' parameter .* Got 'yes'"),
        ({"max_steps": 0}, r"'max_steps' parameter .* None or an int in the range \[1, inf\)"),
        ({"learning_rate_schedule": "linear"}, "'learning_rate_schedule' parameter"),
        ({"decoding": "viterbi"}, "'decoding' parameter"),
        ({"class_weight": "even"}, "'class_weight' parameter"),
        ({"tokenizer": "split"}, "'tokenizer' parameter .* None or a callable"),
        ({"vocabulary": "lower"}, "'vocabulary' parameter .* implementing 'fit' and 'encode'"),
        ({"optimizer": 3}, "'optimizer' parameter"),
        ({"random_state": -1}, "'random_state' parameter"),
        ({"verbose": "loud"}, "'verbose' parameter"),
        ({"steps_per_execution": 0}, "'steps_per_execution' parameter"),
    ],
)
def test_bad_parameters(params, message):
    # scikit-learn's InvalidParameterError: a ValueError and a TypeError.
    for method in ("fit", "partial_fit", "initialize"):
        with pytest.raises(ValueError, match=message):
            getattr(TokenTagger(**params), method)(X_OK, Y_OK)
        with pytest.raises(TypeError, match=message):
            getattr(TokenTagger(**params), method)(X_OK, Y_OK)


def test_every_parameter_has_a_constraint():
    assert set(TokenTagger._parameter_constraints) == set(TokenTagger().get_params())
    assert set(Vocabulary._parameter_constraints) == set(Vocabulary().get_params())
    assert set(CharVocabulary._parameter_constraints) == set(CharVocabulary().get_params())


def test_parameters_set_after_fit_are_checked_when_used():
    tagger = TokenTagger(d_model=4, epochs=1, random_state=0).fit(X_OK, Y_OK)
    tagger.set_params(decoding="best")
    with pytest.raises(ValueError, match="'decoding' parameter of TokenTagger .* Got 'best'"):
        tagger.predict(X_OK)
    tagger.set_params(decoding="auto", learning_rate=float("nan"), warm_start=True)
    with pytest.raises(ValueError, match="'learning_rate' parameter .* Got nan"):
        tagger.fit(X_OK, Y_OK)  # a warm start
    with pytest.raises(ValueError, match="'learning_rate' parameter .* Got nan"):
        tagger.partial_fit(X_OK, Y_OK)
    assert tagger.predict(X_OK) == TokenTagger(d_model=4, epochs=1, random_state=0).fit(
        X_OK, Y_OK).predict(X_OK)  # the failed calls left the model as it was


@pytest.mark.parametrize(
    "estimator, message",
    [
        (Vocabulary(min_freq=0), r"'min_freq' parameter of Vocabulary must be an int in the range"),
        (Vocabulary(max_size=-1), "'max_size' parameter of Vocabulary must be None or an int"),
        (Vocabulary(lowercase="yes"), "'lowercase' parameter of Vocabulary"),
        (CharVocabulary(max_chars=1), r"'max_chars' parameter of CharVocabulary .* \[2, inf\)"),
        (CharVocabulary(min_freq=1.5), "'min_freq' parameter of CharVocabulary"),
    ],
)
def test_bad_vocabulary_parameters(estimator, message):
    with pytest.raises(ValueError, match=message):
        estimator.fit(X_OK)


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
