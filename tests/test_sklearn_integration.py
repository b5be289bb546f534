"""TokenTagger inside scikit-learn: clone, params, Pipeline, search, CV, tags."""

import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from sktag import TokenTagger, Vocabulary

SMALL = dict(d_model=8, epochs=3, learning_rate=0.05, random_state=0)


def _lowercase(X):
    return [[token.lower() for token in sentence] for sentence in X]


def test_clone_keeps_params_and_drops_state(toy_pos):
    X, y = toy_pos
    tagger = TokenTagger(**SMALL, vocabulary=Vocabulary(min_freq=2), optimizer__beta_1=0.8)
    tagger.fit(X, y)
    copy = clone(tagger)
    assert not hasattr(copy, "model_")
    assert copy.get_params()["vocabulary__min_freq"] == 2
    assert copy.get_params()["optimizer__beta_1"] == 0.8
    assert copy.vocabulary is not tagger.vocabulary
    assert repr(copy) == repr(tagger)
    assert "optimizer__beta_1=0.8" in repr(copy)


def test_scikit_learn_checks_that_apply():
    tagger = TokenTagger()
    check_no_attributes_set_in_init("TokenTagger", tagger)
    check_get_params_invariance("TokenTagger", tagger)
    check_set_params("TokenTagger", tagger)
    check_parameters_default_constructible("TokenTagger", TokenTagger())


def test_tags():
    tags = get_tags(TokenTagger())
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    assert tags.target_tags.required
    assert not is_classifier(TokenTagger())


def test_nested_params_reach_the_vocabulary_and_optimizer(toy_pos):
    X, y = toy_pos
    tagger = TokenTagger(**SMALL).set_params(
        vocabulary=Vocabulary(), vocabulary__max_size=3, optimizer__beta_1=0.5
    )
    tagger.fit(X, y)
    assert len(tagger.vocabulary_) == tagger.vocabulary_.n_special_ + 3
    assert tagger.model_.optimizer.beta_1 == 0.5
    assert float(tagger.model_.optimizer.learning_rate) == pytest.approx(0.05)


def test_pipeline_with_text_normalizer(toy_pos):
    X, y = toy_pos
    upper = [[token.upper() for token in sentence] for sentence in X]
    pipe = Pipeline(
        [("lower", FunctionTransformer(_lowercase)), ("tagger", TokenTagger(**SMALL))]
    )
    pipe.fit(X, y)
    assert pipe.predict(upper) == pipe.predict(X)
    assert pipe.score(upper, y) == pipe.score(X, y) > 0.9


def test_grid_search_over_tagger_and_pipeline_params(toy_pos):
    X, y = toy_pos
    pipe = Pipeline(
        [("lower", FunctionTransformer(_lowercase)), ("tagger", TokenTagger(**SMALL))]
    )
    # Three candidates vary the tagger's shape, its training and a pipeline step.
    grid = GridSearchCV(
        pipe,
        [
            {"tagger__d_model": [4, 8], "tagger__epochs": [1]},
            {"tagger__epochs": [3], "lower": ["passthrough"]},
        ],
        cv=2,
        refit=True,
    )
    grid.fit(X, y)
    assert len(grid.cv_results_["params"]) == 3
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))
    best = grid.best_estimator_
    chosen = {"tagger__d_model": SMALL["d_model"], **grid.best_params_}  # SMALL where not searched
    assert best.named_steps["tagger"].d_model == chosen["tagger__d_model"]
    assert len(best.named_steps["tagger"].history_["loss"]) == chosen["tagger__epochs"]
    assert (best.named_steps["lower"] == "passthrough") == ("lower" in chosen)
    assert grid.predict(X[:2]) == best.predict(X[:2])
    assert grid.score(X, y) == best.score(X, y)


def test_grid_search_on_tagger_alone_with_nested_vocabulary_param(toy_pos):
    X, y = toy_pos
    grid = GridSearchCV(
        TokenTagger(**SMALL, vocabulary=Vocabulary()),
        {"vocabulary__min_freq": [1, 50]},
        cv=KFold(2),
    ).fit(X, y)
    scores = grid.cv_results_["mean_test_score"]
    # min_freq=50 turns every noun into [UNK]: it must score differently.
    assert scores[0] != scores[1]
    assert grid.best_estimator_.vocabulary_.min_freq == grid.best_params_["vocabulary__min_freq"]


def test_cross_val_score(toy_pos):
    X, y = toy_pos
    scores = cross_val_score(TokenTagger(**SMALL), X, y, cv=3)
    assert scores.shape == (3,)
    assert np.all((scores > 0.5) & (scores <= 1.0))
