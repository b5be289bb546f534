"""Keras callbacks that training uses: the interrupt guard, copies, the cosine schedule.

Imported by :mod:`sktag.training` only, so it may import Keras.
"""

import copy

import numpy as np

from ._tensorflow import keras  # TensorFlow imported without its start-up lines

__all__ = ["InterruptGuard", "cosine_schedule", "fresh_copy"]


class InterruptGuard(keras.callbacks.Callback):
    """Keep the best weights so far and the history, for a fit that is interrupted.

    Keras lets a ``KeyboardInterrupt`` escape ``Model.fit`` with the weights
    of whichever batch was running and no history. This callback copies the
    weights after each epoch that is the best so far (by ``val_accuracy``
    when validating, else the latest), so training can leave a usable
    tagger behind.
    """

    def __init__(self):
        super().__init__()
        self.best_weights = None
        self.best_score = None
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))
        score = logs.get("val_accuracy")
        if score is None or self.best_score is None or score > self.best_score:
            self.best_score = score
            self.best_weights = self.model.get_weights()


def fresh_copy(callback):
    """A deep copy of a callback, or the callback itself if it cannot be copied."""
    try:
        return copy.deepcopy(callback)
    except Exception:
        return callback


def cosine_schedule(learning_rate, initial_epoch, epochs):
    """A ``LearningRateScheduler`` along a half cosine over ``epochs`` epochs.

    From ``learning_rate`` in the first epoch (``initial_epoch``) towards 0
    in the last.
    """
    base = float(learning_rate)

    def cosine(epoch, current_rate=None):
        progress = (epoch - initial_epoch) / max(epochs, 1)
        return base * 0.5 * (1.0 + np.cos(np.pi * progress))

    return keras.callbacks.LearningRateScheduler(cosine)
