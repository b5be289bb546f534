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


@pytest.fixture
def fitted(tiny_tagger):
    """The session's ``TokenTagger(d_model=4, epochs=1, random_state=0)`` fitted on X_OK, Y_OK."""
    return tiny_tagger


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
                          r"\[1, 8192\]\. Got 0 instead")),
        ({"d_model": True}, r"'d_model' parameter .* Got True instead"),
        ({"epochs": 2.5}, r"'epochs' parameter .* an int in the range \[1, 2147483647\]\. Got 2.5"),
        ({"encoder": "transformer"}, r"'encoder' parameter .* a str among \{.*'bilstm'.*\}"),
        ({"dropout": 1.0}, r"'dropout' parameter .* a float in the range \[0.0, 1.0\)\. Got 1.0"),
        ({"learning_rate": float("nan")}, r"'learning_rate' .* \[0.0, inf\)\. Got nan"),
        ({"learning_rate": float("inf")}, r"'learning_rate' .* \[0.0, inf\)\. Got inf"),
        ({"learning_rate": -1.0}, r"'learning_rate' .* \[0.0, inf\)\. Got -1.0"),
        ({"learning_rate": -1}, r"'learning_rate' .* Got -1 instead"),
        ({"validation_split": 1.5}, "'validation_split' parameter"),
        ({"word_dropout": -1}, "'word_dropout' parameter"),
        ({"char_dim": 2, "char_classes": "yes"}, "'char_classes' parameter .* Got 'yes'"),
        ({"max_steps": 0}, r"'max_steps' parameter .* None or an int in the range \[1, \d+\]"),
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


def test_parameters_set_after_fit_are_checked_when_used(fitted):
    tagger = TokenTagger(d_model=4, epochs=1, random_state=0).fit(X_OK, Y_OK)
    tagger.set_params(decoding="best")
    with pytest.raises(ValueError, match="'decoding' parameter of TokenTagger .* Got 'best'"):
        tagger.predict(X_OK)
    tagger.set_params(decoding="auto", learning_rate=float("nan"), warm_start=True)
    with pytest.raises(ValueError, match="'learning_rate' parameter .* Got nan"):
        tagger.fit(X_OK, Y_OK)  # a warm start
    with pytest.raises(ValueError, match="'learning_rate' parameter .* Got nan"):
        tagger.partial_fit(X_OK, Y_OK)
    assert tagger.predict(X_OK) == fitted.predict(X_OK)  # the failed calls left the model as it was


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


# ----------------------------------------------------------------------
# Weights: one rule (sktag._validation) for sample_weight and class_weight
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "sample_weight, error, message",
    [
        ([1e39, 1.0], ValueError, r"sample_weight\[0\] is 1e\+39, too large for float32"),
        ([1.0, 1e-320], ValueError, r"sample_weight\[1\] is 1e-320, which is 0 in float32"),
        ([1.0, -1.0], ValueError, r"sample_weight\[1\] is -1.0; weights must be finite and >= 0"),
        ([0, 0], ValueError, "sample_weight is zero for every sentence"),
        ([3e38, 3e38], ValueError, r"sample_weight gives the 3 tokens a total weight of 9e\+38"),
        ([[1.0, 1.0], [1.0]], ValueError, r"sample_weight\[0\] is list \[1.0, 1.0\], not a number: "
                                          "sktag weighs whole sentences"),
        ([[1.0, 1.0], [1.0, 1.0]], ValueError, r"sample_weight\[0\] is list .* not a number"),
        (np.ones((2, 2)), ValueError, r"sample_weight\[0\] is ndarray .* not a number"),
        ([1.0, "2"], TypeError, r"sample_weight\[1\] is str '2'; weights must be numbers"),
        ("1", TypeError, "sample_weight must be a number or an array-like of numbers"),
    ],
)
def test_sample_weight_that_cannot_train(sample_weight, error, message):
    for method in ("fit", "partial_fit"):
        with pytest.raises(error, match=message):
            getattr(TokenTagger(d_model=4, epochs=1), method)(X_OK, Y_OK, sample_weight=sample_weight)


def test_sample_weight_checked_on_a_fitted_model_and_in_validation_data(fitted):
    with pytest.raises(ValueError, match=r"sample_weight\[0\] is 1e\+39"):
        fitted.partial_fit(X_OK, Y_OK, sample_weight=[1e39, 1.0])
    with pytest.raises(ValueError, match=r"sample_weight_val\[1\] is inf"):
        TokenTagger(d_model=4, epochs=1).fit(X_OK, Y_OK,
                                             validation_data=(X_OK, Y_OK, [1.0, np.inf]))
    with pytest.raises(ValueError, match=r"sample_weight \(of the validation_split sentences\) "
                                         "gives every token the weight 0"):
        TokenTagger(d_model=4, epochs=1, validation_split=0.5).fit(X_OK, Y_OK,
                                                                   sample_weight=[1.0, 0.0])
    # Large but summable weights train: only their ratios matter.
    tagger = TokenTagger(d_model=4, epochs=1, random_state=0).fit(X_OK, Y_OK,
                                                                  sample_weight=[1e30, 1e30])
    assert np.isfinite(tagger.history_["loss"]).all()


@pytest.mark.parametrize(
    "class_weight, error, message",
    [
        ({"N": float("nan")}, ValueError, r"class_weight\['N'\] is nan; weights must be finite"),
        ({"N": float("inf")}, ValueError, r"class_weight\['N'\] is inf; weights must be finite"),
        ({"N": -1}, ValueError, r"class_weight\['N'\] is -1.0; weights must be finite and >= 0"),
        ({"N": 1e39}, ValueError, r"class_weight\['N'\] is 1e\+39, too large for float32"),
        ({"N": 1e-320}, ValueError, r"class_weight\['N'\] is 1e-320, which is 0 in float32"),
        ({"N": 0, "V": 0}, ValueError, "class_weight is 0 for every label"),
        ({"N": "2"}, TypeError, r"class_weight\['N'\] is str '2'; weights must be numbers"),
        ({"ADJ": 2, 3: 1}, ValueError, r"class_weight names labels not in the training data: "
                                       r"\['ADJ', 3\]"),
        ({"N": 1e37}, ValueError, "sample_weight and class_weight give the 3 tokens a total weight"),
    ],
)
def test_class_weight_that_cannot_train(class_weight, error, message):
    with pytest.raises(error, match=message):
        TokenTagger(d_model=4, epochs=1, class_weight=class_weight).fit(X_OK, Y_OK)


def test_class_weight_zero_leaves_a_label_out_of_the_loss():
    tagger = TokenTagger(d_model=4, epochs=1, random_state=0, class_weight={"V": 0}).fit(X_OK, Y_OK)
    assert np.isfinite(tagger.history_["loss"]).all()
    with pytest.raises(ValueError, match="give every token the weight 0"):
        TokenTagger(d_model=4, epochs=1, class_weight={"N": 0}).fit(
            X_OK, Y_OK, sample_weight=[0.0, 1.0])  # the one weighted sentence is all N


# ----------------------------------------------------------------------
# Unordered containers and data frames
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "X, message",
    [
        ({"a b", "c"}, "X is a set, which has no order; pass the sentences as a list"),
        ({"a b": 1}, "X is a dict, whose iteration gives only its keys"),
        (frozenset({"a"}), "X is a frozenset, which has no order"),
        ({"k": "a b"}.keys(), "X is a dict_keys, which has no order"),
        ([["a"], {"a", "b"}], "X: sentence 1 is a set, which has no order; give its tokens as a list"),
        ([{"a": 1}], "X: sentence 0 is a dict, whose iteration gives only its keys"),
    ],
)
def test_unordered_sentences_are_rejected(fitted, X, message):
    for method in (fitted.predict, fitted.predict_proba, fitted.annotate):
        with pytest.raises(TypeError, match=message):
            method(X)


def test_unordered_labels_are_rejected():
    with pytest.raises(TypeError, match="y: labels of sentence 1 are a set, which has no order"):
        TokenTagger(epochs=1).fit(X_OK, [["N", "V"], {"N"}])
    with pytest.raises(TypeError, match="y is a set, which has no order; pass the label sequences"):
        TokenTagger(epochs=1).fit(X_OK, {("N", "V"), ("N",)})


def test_data_frame_as_X_names_its_column(fitted):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"text": ["a b", "c"]})
    for method in (fitted.predict, fitted.annotate):
        with pytest.raises(TypeError, match=r"X is a DataFrame \(columns \['text'\]\), whose "
                                            r"iteration gives its column names; pass one of its "
                                            r"columns, such as X\['text'\]"):
            method(frame)
    with pytest.raises(TypeError, match=r"y is a DataFrame .* such as y\['tag'\]"):
        TokenTagger(epochs=1).fit(X_OK, pd.DataFrame({"tag": Y_OK}))
    # A column is a Series of sentences: tagged as a list of them.
    assert fitted.predict(frame["text"]) == fitted.predict(["a b", "c"])


def test_int_labels_must_fit_in_int64():
    with pytest.raises(ValueError, match=r"y: sentence 1, token 0 has label 1180591620717411303424, "
                                         "which does not fit in int64"):
        TokenTagger(epochs=1).fit(X_OK, [[1, 2], [2**70]])
    with pytest.raises(ValueError, match="has label -9223372036854775809, which does not fit"):
        TokenTagger(epochs=1).fit(X_OK, [[1, 2], [-(2**63) - 1]])
    tagger = TokenTagger(d_model=4, epochs=1).fit(X_OK, [[2**63 - 1, -(2**63)], [1]])
    assert tagger.classes_.tolist() == [-(2**63), 1, 2**63 - 1]


# ----------------------------------------------------------------------
# Parameters that decide the weights' shapes, changed after fit
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "param, value, fitted_value",
    [("d_model", 8, 4), ("encoder", "conv", "dense"), ("char_dim", 2, 0), ("word_dropout", 0, 0.25)],
)
def test_shape_parameter_changed_after_fit(tmp_path, param, value, fitted_value):
    tagger = TokenTagger(d_model=4, epochs=1, random_state=0).fit(X_OK, Y_OK)
    before = tagger.predict_proba(X_OK)
    tagger.set_params(**{param: value})
    message = (rf"^{param}={value!r}, but this tagger was fitted with {param}={fitted_value!r}, "
               rf"which decides the shapes of its weights, so {{}} cannot use them\. Call fit "
               rf"\(warm_start=False\) to train a new model with {param}={value!r}, or set "
               rf"{param} back to {fitted_value!r}\.$")
    with pytest.raises(ValueError, match=message.format("partial_fit")):
        tagger.partial_fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match=message.format("save")):
        tagger.save(tmp_path / "m.sktag")
    with pytest.raises(ValueError, match=message.format("model_")):
        tagger.model_  # noqa: B018
    tagger.set_params(warm_start=True)
    with pytest.raises(ValueError, match=message.format("fit with warm_start=True")):
        tagger.fit(X_OK, Y_OK)
    # Predictions are the fitted model's, as in scikit-learn, and the failed calls left it alone.
    np.testing.assert_array_equal(np.concatenate(tagger.predict_proba(X_OK)), np.concatenate(before))
    tagger.set_params(warm_start=False).fit(X_OK, Y_OK)  # a new model with the new value
    assert tagger.partial_fit(X_OK, Y_OK).predict([["a"]])


def test_parameters_that_do_not_shape_this_model_may_change():
    tagger = TokenTagger(d_model=4, epochs=1, random_state=0).fit(X_OK, Y_OK)
    # A dense model has no context layers, no characters; word_dropout stays on.
    tagger.set_params(hidden_dim=3, n_layers=2, char_classes=False, word_dropout=0.5)
    tagger.partial_fit(X_OK, Y_OK)


def test_load_cannot_change_shape_parameters(fitted, tmp_path):
    path = fitted.save(tmp_path / "m.sktag")
    import sktag

    for param, value in (("encoder", "bilstm"), ("char_dim", 4), ("d_model", 8)):
        with pytest.raises(ValueError, match=rf"load\(\) cannot change {param} \({value!r}\): "
                                             rf".*m.sktag holds weights of {param}=.* Parameters "
                                             r"that do \(encoder, d_model, .*\) stay as saved; the "
                                             r"others can be given: batch_size, callbacks, "):
            sktag.load(path, **{param: value})
    with pytest.raises(TypeError, match=r"load\(\) got parameters the model does not have: "
                                        r"\['n_layer'\]; did you mean n_layers\?"):
        sktag.load(path, n_layer=2)
    # The saved value, parameters that do not shape this model, and the others load.
    loaded = sktag.load(path, d_model=4, hidden_dim=3, verbose=1)
    assert loaded.predict(X_OK) == fitted.predict(X_OK) and loaded.verbose == 1
    loaded.partial_fit(X_OK, Y_OK)


def test_pickle_of_an_older_sktag_keeps_its_parameters_as_the_fitted_ones(fitted):
    state = fitted.__getstate__()
    del state["_fitted_shape_params"]  # pickled before sktag kept them
    tagger = TokenTagger.__new__(TokenTagger)
    tagger.__setstate__(state)
    assert tagger.predict(X_OK) == fitted.predict(X_OK)
    with pytest.raises(ValueError, match="d_model=8, but this tagger was fitted with d_model=4"):
        tagger.set_params(d_model=8).partial_fit(X_OK, Y_OK)


# ----------------------------------------------------------------------
# Keyword arguments of fit and partial_fit
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "method, kwargs, message",
    [
        ("fit", {"foo": 1}, r"^fit\(\) got an unexpected keyword argument 'foo'\. It takes X, y, "
                            r"sample_weight, validation_data and epochs, initial_epoch, "
                            r"steps_per_epoch, validation_steps, validation_freq "
                            r"\(keras.Model.fit's\)\.$"),
        ("fit", {"epoch": 1}, r"unexpected keyword argument 'epoch'\. .* Did you mean epochs\?$"),
        ("fit", {"batch_size": 1}, r"^fit\(\) got the keyword argument 'batch_size', a parameter "
                                   r"of TokenTagger: set it on the estimator, "
                                   r"TokenTagger\(batch_size=\.\.\.\) or set_params"),
        ("fit", {"validation_split": 0.5}, "'validation_split', a parameter of TokenTagger"),
        ("partial_fit", {"foo": 1}, r"^partial_fit\(\) got an unexpected keyword argument 'foo'\. "
                                    r"It takes X, y, sample_weight and validation_data, "
                                    r"steps_per_epoch"),
        ("partial_fit", {"epochs": 2}, r"^partial_fit\(\) got the keyword argument 'epochs', but "
                                       r"it trains one epoch"),
    ],
)
def test_unknown_fit_keyword_arguments(method, kwargs, message):
    with pytest.raises(TypeError, match=message):
        getattr(TokenTagger(d_model=4, epochs=1), method)(X_OK, Y_OK, **kwargs)


def test_fit_keyword_arguments_and_routed_fit_parameters():
    tagger = TokenTagger(d_model=4, epochs=3, batch_size=1, fit__validation_freq=2, random_state=0)
    tagger.fit(X_OK, Y_OK, steps_per_epoch=1, validation_data=(X_OK, Y_OK))
    assert len(tagger.history_["loss"]) == 3 and len(tagger.history_["val_loss"]) == 1
    tagger.fit(X_OK, Y_OK, epochs=1)
    assert len(tagger.history_["loss"]) == 1
    tagger.partial_fit(X_OK, Y_OK, validation_data=(X_OK, Y_OK), validation_steps=1)
    for name, hint in (("fit__epochs", "; set epochs itself, not through fit__"),
                       ("fit__foo", "")):
        with pytest.raises(TypeError, match=rf"^TokenTagger got the routed parameter '{name}', "
                                            r"which keras.Model.fit cannot take from sktag .*; "
                                            r"fit__ parameters are fit__steps_per_epoch, "
                                            rf"fit__validation_steps, fit__validation_freq{hint}\.$"):
            TokenTagger(epochs=1, **{name: 1}).fit(X_OK, Y_OK)
