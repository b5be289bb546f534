"""Reproducible training, and fits interrupted with Ctrl-C."""

import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from sktag import TokenTagger

CONFIGS = {
    "dense": {},
    "conv-char": {"encoder": "conv", "char_dim": 4, "hidden_dim": 8, "dropout": 0.2},
    "bilstm-validated": {"encoder": "bilstm", "hidden_dim": 8, "dropout": 0.2,
                         "validation_split": 0.2, "early_stopping": True, "patience": 1},
}


def _weights(tagger):
    return [w.copy() for w in tagger.model_.get_weights()]


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_random_state_gives_identical_weights_and_history(toy_pos, config):
    X, y = toy_pos
    params = dict(d_model=8, epochs=3, batch_size=8, random_state=3, **config)
    a, b = TokenTagger(**params).fit(X, y), TokenTagger(**params).fit(X, y)
    assert a.history_ == b.history_
    for wa, wb in zip(_weights(a), _weights(b), strict=True):
        np.testing.assert_array_equal(wa, wb)
    other = TokenTagger(**{**params, "random_state": 4}).fit(X, y)
    assert any(not np.array_equal(wa, wo) for wa, wo in zip(_weights(a), _weights(other)))


def test_same_random_state_in_another_process(toy_pos, tmp_path):
    X, y = toy_pos
    params = dict(d_model=8, epochs=2, encoder="conv", char_dim=4, hidden_dim=8, random_state=5)
    here = TokenTagger(**params).fit(X, y)
    script = textwrap.dedent(
        f"""
        import os
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
        import numpy as np
        from sktag import TokenTagger
        tagger = TokenTagger(**{params!r}).fit({X!r}, {y!r})
        np.savez({str(tmp_path / "w.npz")!r}, *tagger.model_.get_weights())
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=300)
    with np.load(tmp_path / "w.npz") as there:
        for i, w in enumerate(here.model_.get_weights()):
            np.testing.assert_array_equal(there[f"arr_{i}"], w)


class _CtrlC(keras.callbacks.Callback):
    """Raise KeyboardInterrupt in the given epoch, after the given batch."""

    def __init__(self, epoch, batch=0):
        super().__init__()
        self.epoch, self.batch, self.current = epoch, batch, None

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.current == self.epoch and batch == self.batch:
            raise KeyboardInterrupt


def _interrupted_fit(tagger, X, y, **fit_kwargs):
    ctrl_c = _CtrlC(**fit_kwargs)
    # One batch per call into TensorFlow, so that batch hooks see every batch.
    tagger.set_params(callbacks=[ctrl_c], steps_per_execution=1)
    with pytest.raises(KeyboardInterrupt):
        tagger.fit(X, y)
    return tagger


def test_interrupt_in_first_epoch_leaves_the_tagger_unfitted(toy_pos):
    X, y = toy_pos
    tagger = _interrupted_fit(TokenTagger(d_model=8, epochs=3, batch_size=8), X, y, epoch=0)
    with pytest.raises(NotFittedError):
        tagger.predict(X)
    fitted_attributes = [k for k in vars(tagger) if k.endswith("_") and not k.startswith("__")]
    assert fitted_attributes == []
    tagger.set_params(callbacks=None).fit(X, y)  # and it can still be fitted
    assert len(tagger.history_["loss"]) == 3


def test_interrupt_later_keeps_the_last_complete_epoch(toy_pos):
    X, y = toy_pos
    params = dict(d_model=8, epochs=5, batch_size=8, random_state=0)
    tagger = _interrupted_fit(TokenTagger(**params), X, y, epoch=2, batch=1)
    assert len(tagger.history_["loss"]) == 2
    # The weights are exactly those after epoch 2 of an uninterrupted fit.
    reference = TokenTagger(**{**params, "epochs": 2, "steps_per_execution": 1}).fit(X, y)
    for got, want in zip(_weights(tagger), _weights(reference)):
        np.testing.assert_array_equal(got, want)
    assert tagger.history_ == reference.history_
    assert tagger.predict(X) == reference.predict(X)


def test_interrupt_with_validation_keeps_the_best_epoch(toy_pos):
    X, y = toy_pos
    params = dict(d_model=8, epochs=6, batch_size=8, random_state=0, validation_split=0.3,
                  learning_rate=0.05)
    tagger = _interrupted_fit(TokenTagger(**params), X, y, epoch=4)
    history = tagger.history_
    assert len(history["val_accuracy"]) == 4
    best = int(np.argmax(history["val_accuracy"]))
    reference = TokenTagger(**{**params, "epochs": best + 1, "steps_per_execution": 1}).fit(X, y)
    for got, want in zip(_weights(tagger), _weights(reference)):
        np.testing.assert_array_equal(got, want)


def test_interrupted_warm_start_keeps_the_previous_model(toy_pos):
    X, y = toy_pos
    tagger = TokenTagger(d_model=8, epochs=2, batch_size=8, random_state=0).fit(X, y)
    before, history = _weights(tagger), dict(tagger.history_)
    tagger.set_params(warm_start=True)
    _interrupted_fit(tagger, X, y, epoch=0, batch=2)  # within the first new epoch
    for got, want in zip(_weights(tagger), before):
        np.testing.assert_array_equal(got, want)
    assert tagger.history_ == history
