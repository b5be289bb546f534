"""Training the tutorial's way: validation, early stopping, callbacks, output."""

import csv

import keras
import numpy as np
import pytest

from sktag import TokenTagger


def test_validation_split_reports_validation_metrics(toy_pos):
    X, y = toy_pos
    tagger = TokenTagger(d_model=8, epochs=2, validation_split=0.25, random_state=0)
    tagger.fit(X, y)
    assert set(tagger.history_) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 2 for v in tagger.history_.values())
    # Keras holds out the last 25% of the sentences.
    assert tagger.history_["val_accuracy"][-1] == pytest.approx(tagger.score(X[45:], y[45:]), abs=1e-6)


def test_early_stopping_stops_and_restores_best_weights(toy_pos):
    X, y = toy_pos
    tagger = TokenTagger(
        d_model=8, epochs=40, learning_rate=0.5, early_stopping=True, patience=2,
        random_state=0,
    )
    tagger.fit(X[:45], y[:45], validation_data=(X[45:], y[45:]))
    n_epochs = len(tagger.history_["val_accuracy"])
    assert n_epochs < 40
    best = max(tagger.history_["val_accuracy"])
    assert tagger.score(X[45:], y[45:]) == pytest.approx(best, abs=1e-6)


def test_early_stopping_without_validation_data_holds_out_ten_percent(toy_pos):
    X, y = toy_pos
    tagger = TokenTagger(d_model=4, epochs=2, early_stopping=True, random_state=0).fit(X, y)
    assert "val_accuracy" in tagger.history_


def test_user_callbacks_csv_logger_and_checkpoint(toy_pos, tmp_path):
    X, y = toy_pos
    log = tmp_path / "history.csv"
    ckpt = tmp_path / "best.weights.h5"
    tagger = TokenTagger(
        d_model=8,
        epochs=3,
        random_state=0,
        callbacks=[
            keras.callbacks.CSVLogger(str(log)),
            keras.callbacks.ModelCheckpoint(
                str(ckpt), monitor="val_accuracy", mode="max", save_best_only=True,
                save_weights_only=True,
            ),
        ],
    )
    tagger.fit(X[:45], y[:45], validation_data=(X[45:], y[45:]))
    rows = list(csv.DictReader(log.open()))
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    assert [float(r["val_accuracy"]) for r in rows] == pytest.approx(
        tagger.history_["val_accuracy"], abs=1e-6
    )
    assert ckpt.exists()


def test_callback_class_with_routed_arguments(toy_pos, tmp_path):
    X, y = toy_pos
    log = tmp_path / "routed.csv"
    tagger = TokenTagger(
        d_model=4, epochs=2, random_state=0,
        callbacks=[keras.callbacks.CSVLogger], callbacks__0__filename=str(log),
    )
    tagger.fit(X, y)
    assert len(list(csv.DictReader(log.open()))) == 2


def test_verbose_prints_progress(toy_pos, capsys):
    X, y = toy_pos
    TokenTagger(d_model=4, epochs=2, verbose=2, random_state=0).fit(X, y)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out and "accuracy" in out
    TokenTagger(d_model=4, epochs=2, verbose=0, random_state=0).fit(X, y)
    assert "Epoch" not in capsys.readouterr().out


def test_cosine_learning_rate_schedule(seed_data):
    X, y = seed_data
    tagger = TokenTagger(d_model=4, epochs=4, learning_rate=0.01,
                         learning_rate_schedule="cosine", random_state=0).fit(X, y)
    rates = tagger.history_["learning_rate"]
    np.testing.assert_allclose(rates, [0.01 * 0.5 * (1 + np.cos(np.pi * e / 4)) for e in range(4)],
                               rtol=1e-6)
    # The optimizer really used them: a constant rate trains differently.
    constant = TokenTagger(d_model=4, epochs=4, learning_rate=0.01, random_state=0).fit(X, y)
    assert "learning_rate" not in constant.history_
    assert constant.history_["loss"][-1] != tagger.history_["loss"][-1]
    with pytest.raises(ValueError, match="'learning_rate_schedule' parameter of TokenTagger must be a str among"):
        TokenTagger(learning_rate_schedule="linear").fit(X, y)


def test_max_steps_sets_whole_epochs_from_the_number_of_batches(toy_pos):
    X, y = toy_pos  # 60 sentences: 8 batches of 8
    counted = []

    class CountBatches(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            counted.append(batch)

    def fit(max_steps, X=X, **kwargs):
        counted.clear()
        return TokenTagger(d_model=4, epochs=50, max_steps=max_steps, batch_size=8,
                           steps_per_execution=1, callbacks=[CountBatches()],
                           learning_rate_schedule="cosine", random_state=0).fit(X, y[:len(X)],
                                                                                **kwargs)

    tagger = fit(20)  # 20 // 8 = 2 epochs, never more steps than max_steps
    assert len(tagger.history_["loss"]) == 2 and len(counted) == 16
    # The schedule spans the epochs that max_steps gives, not ``epochs``.
    np.testing.assert_allclose(tagger.history_["learning_rate"], [0.005, 0.0025], rtol=1e-6)
    assert len(fit(20, X=X[:16]).history_["loss"]) == 10  # less data, more epochs
    assert len(fit(3).history_["loss"]) == 1  # at least one epoch
    assert len(fit(20, epochs=3).history_["loss"]) == 3  # fit(epochs=...) overrides both
    assert len(fit(None).history_["loss"]) == 50
    tagger = fit(20)
    tagger.partial_fit(X, y)
    assert len(tagger.history_["loss"]) == 3  # partial_fit: one epoch
    for bad in (0, 2.5, True, "100"):
        with pytest.raises(ValueError, match="'max_steps' parameter of TokenTagger must be None or an int"):
            TokenTagger(max_steps=bad).fit(X, y)


def test_min_steps_adds_whole_epochs_to_small_training_sets(toy_pos):
    X, y = toy_pos  # 60 sentences: 8 batches of 8

    def epochs(n_sentences, **params):
        tagger = TokenTagger(d_model=4, batch_size=8, steps_per_execution=4, random_state=0,
                             **{"epochs": 2, **params})
        return len(tagger.fit(X[:n_sentences], y[:n_sentences]).history_["loss"])

    assert epochs(60, min_steps=12) == 2  # 2 epochs are 16 steps already
    assert epochs(60, min_steps=20) == 3  # ceil(20 / 8)
    assert epochs(16, min_steps=20) == 10  # 2 batches an epoch
    assert epochs(16, min_steps=20, max_steps=8) == 10  # at least min_steps, also then
    for bad in (0, 1.5, False):
        with pytest.raises(ValueError, match="'min_steps' parameter of TokenTagger"):
            TokenTagger(min_steps=bad).fit(X, y)


@pytest.mark.parametrize("max_positions, max_sentences", [(1, 1), (16, 3), (64, 256), (4096, 256)])
def test_prediction_batches_cover_each_sentence_once_within_the_budget(
    max_positions, max_sentences
):
    from sktag.batching import prediction_batches

    rng = np.random.RandomState(0)
    lengths = list(rng.randint(0, 40, size=300)) + [100]  # 100 is over some budgets
    batches = prediction_batches(lengths, max_positions, max_sentences)
    seen = np.concatenate(batches)
    assert sorted(seen.tolist()) == [i for i, n in enumerate(lengths) if n > 0]
    assert [lengths[i] for i in seen] == sorted(n for n in lengths if n > 0)
    for batch in batches:
        padded = len(batch) * max(lengths[i] for i in batch)
        assert len(batch) <= max_sentences
        assert padded <= max_positions or len(batch) == 1


def test_train_step_is_traced_once_per_fit(toy_pos, monkeypatch):
    # The optimizer is built before training; built inside the first update,
    # its variables make TensorFlow trace the train step a second time.
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    traces = []
    original = TensorFlowTrainer.train_step

    def counting(self, data):
        traces.append(1)
        return original(self, data)

    monkeypatch.setattr(TensorFlowTrainer, "train_step", counting)
    X, y = toy_pos
    TokenTagger(d_model=4, char_dim=4, encoder="bilstm", hidden_dim=4, epochs=2,
                random_state=0).fit(X, y)
    assert len(traces) == 1
