"""Context and character encoders: masking, padding invariance, what they learn."""

import numpy as np
import pytest

from sktag import TokenTagger

COMBINATIONS = [
    (encoder, char_dim) for encoder in ("dense", "conv", "bilstm") for char_dim in (0, 4)
]


def _ragged_task():
    rng = np.random.RandomState(0)
    words = ["a", "b", "c", "d", "e"]
    X = [list(rng.choice(words, size=n)) for n in range(1, 13)]
    y = [[w.upper() for w in s] for s in X]
    return X, y


@pytest.mark.parametrize("encoder, char_dim", COMBINATIONS)
def test_reported_accuracy_is_real_token_accuracy(encoder, char_dim):
    # learning_rate=0: weights stay as initialized, so history_ must report the
    # initial model's real-token accuracy, over many batches of different
    # lengths, whatever the layers do with masks.
    X, y = _ragged_task()
    tagger = TokenTagger(
        encoder=encoder, char_dim=char_dim, d_model=4, hidden_dim=4, epochs=1,
        learning_rate=0.0, word_dropout=0.0, batch_size=2, random_state=2,
    )
    tagger.fit(X, y, validation_data=(X, y))
    real = tagger.score(X, y)
    assert tagger.history_["accuracy"] == pytest.approx([real], abs=1e-6)
    assert tagger.history_["val_accuracy"] == pytest.approx([real], abs=1e-6)


@pytest.fixture(scope="module")
def fitted_models():
    X, y = _ragged_task()
    models = {}
    for encoder, char_dim in COMBINATIONS:
        models[encoder, char_dim] = TokenTagger(
            encoder=encoder, char_dim=char_dim, d_model=4, hidden_dim=4, epochs=2,
            learning_rate=0.05, dropout=0.1, random_state=0,
        ).fit(X, y)
    return models


@pytest.mark.parametrize("encoder, char_dim", COMBINATIONS)
def test_fast_predict_equals_keras_forward_pass(fitted_models, encoder, char_dim):
    tagger = fitted_models[encoder, char_dim]
    rng = np.random.RandomState(1)
    vocabulary = ["a", "b", "c", "d", "e", "unseen", "Zed", "42", "!"]
    X = [list(rng.choice(vocabulary, size=n)) for n in rng.randint(1, 30, size=20)]
    features = tagger.feature_encoder_.transform(X)
    inputs = features["token_ids"] if len(features) == 1 else features
    keras_proba = np.asarray(tagger.model_(inputs, training=False))
    proba = tagger.predict_proba(X)
    for i, p in enumerate(proba):
        np.testing.assert_allclose(p, keras_proba[i, : len(X[i])], rtol=1e-5, atol=1e-6)
        # One sentence alone, unpadded.
        alone = tagger.predict_proba([X[i]])[0]
        np.testing.assert_allclose(alone, keras_proba[i, : len(X[i])], rtol=1e-5, atol=1e-6)
        assert tagger.predict([X[i]])[0] == [tagger.classes_[k] for k in p.argmax(axis=1)]


@pytest.mark.parametrize("encoder", ["dense", "conv", "bilstm"])
def test_batched_prediction_computes_character_features_once_per_distinct_token(
    fitted_models, encoder, tmp_path
):
    import joblib

    import sktag

    tagger = fitted_models[encoder, 4]
    tagger.save(tmp_path / "m.sktag")
    joblib.dump(tagger, tmp_path / "m.joblib")
    X = [["a", "b", "a"], ["b", "unseen", "a", "a"], ["Zed"]]
    expected = tagger.predict_proba(X)
    for model in (tagger, sktag.load(tmp_path / "m.sktag"), joblib.load(tmp_path / "m.joblib")):
        model._predictor = None  # a new predictor: nothing cached
        path = model._prediction_path()
        calls = []
        original = path._run_char_encoder
        path._run_char_encoder = lambda rows: calls.append(len(rows)) or original(rows)
        try:
            got = model.predict_proba(X)
            again = model.predict_proba(X + [["a", "new"]])
        finally:
            path._run_char_encoder = original
        assert calls == [4, 1]  # a, b, unseen, Zed; then only "new": the rest is cached
        for g, e in zip(got + again[:3], expected + expected):
            np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("encoder, char_dim", COMBINATIONS)
def test_padding_does_not_change_a_sentence(fitted_models, encoder, char_dim):
    tagger = fitted_models[encoder, char_dim]
    short = ["a", "b", "c"]
    alone = tagger.predict_proba([short])[0]
    with_long = tagger.predict_proba([short, ["d"] * 50])[0]
    np.testing.assert_allclose(alone, with_long, rtol=1e-5, atol=1e-6)


def _context_task():
    # "x" is tagged A after "p" and B after "q": only context can tell.
    rng = np.random.RandomState(0)
    X, y = [], []
    for _ in range(80):
        tokens, labels = [], []
        for _ in range(rng.randint(1, 4)):
            left = str(rng.choice(["p", "q"]))
            tokens += [left, "x"]
            labels += ["L", "A" if left == "p" else "B"]
        X.append(tokens)
        y.append(labels)
    return X, y


@pytest.mark.parametrize("encoder", ["conv", "bilstm"])
def test_context_encoders_use_the_neighbours(encoder):
    X, y = _context_task()
    params = dict(d_model=8, hidden_dim=16, epochs=15, learning_rate=0.02, random_state=0)
    context = TokenTagger(encoder=encoder, **params).fit(X[:60], y[:60])
    dense = TokenTagger(encoder="dense", **params).fit(X[:60], y[:60])
    assert context.score(X[60:], y[60:]) == 1.0
    assert dense.score(X[60:], y[60:]) < 0.9


def test_character_encoder_tags_unseen_words_from_their_spelling():
    rng = np.random.RandomState(0)
    stems = ["walk", "talk", "jump", "read", "sing", "play", "cook", "swim", "kind", "dark",
             "good", "weak", "sad", "bold", "calm", "cold"]
    X, y = [], []
    for _ in range(120):
        stem = str(rng.choice(stems[:12]))
        if rng.rand() < 0.5:
            X.append([stem + "ing"])
            y.append(["VERB"])
        else:
            X.append([stem + "ness"])
            y.append(["NOUN"])
    test_X = [[s + "ing"] for s in stems[12:]] + [[s + "ness"] for s in stems[12:]]
    test_y = [["VERB"]] * 4 + [["NOUN"]] * 4
    chars = TokenTagger(char_dim=8, d_model=4, epochs=20, learning_rate=0.02, random_state=0)
    chars.fit(X, y)
    assert chars.score(test_X, test_y) == 1.0
    assert chars.char_vocabulary_ is not None and len(chars.char_vocabulary_) > 2


def test_char_classes_layer_reads_first_and_any_character():
    from sktag.models import CharClasses

    layer = CharClasses(5)
    #          pad  unk  "A"  "b"  "7"   (upper, lower, digit, symbol)
    table = [[0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]
    layer.table.assign(np.array(table, dtype=np.float32))
    ids = np.array([[[2, 3, 3, 0], [3, 4, 0, 0], [0, 0, 0, 0]]], dtype=np.int32)  # Ab, b7, pad
    out = np.asarray(layer(ids))
    assert out.shape == (1, 3, 8)
    np.testing.assert_array_equal(out[0, 0], [1, 0, 0, 0, 1, 1, 0, 0])
    np.testing.assert_array_equal(out[0, 1], [0, 1, 0, 0, 0, 1, 1, 0])
    np.testing.assert_array_equal(out[0, 2], np.zeros(8))


def test_char_classes_reach_the_character_features_of_a_fitted_tagger():
    from sktag import Vocabulary
    from sktag.models import find_layer, split_at_characters

    X = [["Ab", "cd", "e9"], ["cd", "-", "AB"]] * 5
    y = [["N", "V", "N"], ["V", "P", "N"]] * 5
    params = dict(char_dim=4, d_model=4, epochs=1, vocabulary=Vocabulary(lowercase=True),
                  random_state=0)
    tagger = TokenTagger(**params).fit(X, y)
    table = find_layer(tagger.model_, "char_classes").table.numpy()
    np.testing.assert_array_equal(table, tagger.char_vocabulary_.char_classes())
    char_encoder, _ = split_at_characters(tagger.model_)
    rows = tagger.char_vocabulary_.encode([["Ab", "cd", "e9", "-", "AB"]])[0]
    classes = np.asarray(char_encoder(rows[None]))[0, :, -8:]  # the last 8 features
    np.testing.assert_array_equal(classes, [
        [1, 0, 0, 0, 1, 1, 0, 0],  # Ab: first upper; any upper, any lower
        [0, 1, 0, 0, 0, 1, 0, 0],  # cd
        [0, 1, 0, 0, 0, 1, 1, 0],  # e9: a digit
        [0, 0, 0, 1, 0, 0, 0, 1],  # -: a symbol
        [1, 0, 0, 0, 1, 0, 0, 0],  # AB: no lowercase letter
    ])

    without = TokenTagger(char_classes=False, **params).fit(X, y)
    with pytest.raises(ValueError, match="No layer named 'char_classes'"):
        find_layer(without.model_, "char_classes")
    width = split_at_characters(without.model_)[0].output.shape[-1]
    assert char_encoder.output.shape[-1] == width + 8


def test_character_encoder_runs_once_per_distinct_token_in_training():
    # The training model computes character features for the distinct rows
    # of a batch and hands them to every position: the same probabilities
    # as the character encoder run on every position.
    import keras

    from sktag.models import DistinctTokens, build_model, split_at_characters

    model = build_model(12, 3, encoder="bilstm", d_model=4, n_chars=9, char_dim=3,
                        max_chars=5, hidden_dim=4, seed=0)
    rng = np.random.RandomState(0)
    words = rng.randint(1, 9, size=(4, 5))  # four spellings...
    words[:, 3:] = 0
    choice = rng.randint(0, 4, size=(3, 7))  # ...in 21 positions
    chars = words[choice].astype("int32")
    chars[2, 5:] = 0  # padding positions: the all-zero row
    ids = rng.randint(1, 12, size=(3, 7)).astype("int32")
    ids[2, 5:] = 0
    rows, index = DistinctTokens()(chars)
    assert rows.shape[1] == len({tuple(r) for r in chars.reshape(-1, 5)}) <= 5
    np.testing.assert_array_equal(np.asarray(rows)[0][np.asarray(index)], chars)
    char_encoder, word_tagger = split_at_characters(model)
    every_position = word_tagger([keras.ops.convert_to_tensor(ids), char_encoder(chars)])
    np.testing.assert_allclose(model({"token_ids": ids, "char_ids": chars}),
                               every_position, rtol=1e-6, atol=1e-7)
