"""Behaviour of TokenTagger: fitting, predicting, padding, unknown words."""

import numpy as np
import pytest
from sklearn.base import clone

from sktag import TokenTagger

FAST = dict(d_model=8, epochs=30, learning_rate=0.05, random_state=0)


@pytest.fixture(scope="module")
def seed_tagger():
    """``TokenTagger(**FAST)`` fitted on the seed example; the tests only read it."""
    from sktag.datasets import load_seed_example

    return TokenTagger(**FAST).fit(*load_seed_example(return_X_y=True))


def test_fit_predict_seed_example(seed_data, seed_tagger):
    X, y = seed_data
    tagger = seed_tagger
    assert tagger.predict(X) == y
    assert tagger.score(X, y) == 1.0
    assert list(tagger.classes_) == [0, 1]
    assert all(type(label) is int for seq in tagger.predict(X) for label in seq)


def test_str_labels_come_back_as_str(seed_data):
    X, y = seed_data
    names = {0: "기타", 1: "명사"}
    y_str = [[names[v] for v in seq] for seq in y]
    tagger = TokenTagger(**FAST).fit(X, y_str)
    pred = tagger.predict(["당신은 수학 학생 입니다"])
    assert pred == [["기타", "명사", "명사", "기타"]]
    assert all(type(label) is str for label in pred[0])


def test_predict_any_length_unknown_words_single_and_empty_sentence(seed_data, seed_tagger):
    X, y = seed_data
    tagger = seed_tagger
    longest = max(len(s.split()) for s in X)
    long_sentence = ("수학 입니다 처음보는단어 " * 10).split()
    assert len(long_sentence) > longest
    pred = tagger.predict([long_sentence, [], ["완전히", "새로운"], "나는 학생 입니다"])
    assert [len(p) for p in pred] == [len(long_sentence), 0, 2, 3]
    assert pred[0][:2] == [1, 0]
    single = tagger.predict([["선생님"]])
    assert single == [[1]]


def test_predict_proba_rows_sum_to_one_in_classes_order(toy_pos):
    X, y = toy_pos
    tagger = TokenTagger(d_model=8, epochs=5, learning_rate=0.05, random_state=0).fit(X, y)
    proba = tagger.predict_proba(X[:5] + [[]])
    assert [p.shape for p in proba] == [(len(s), 3) for s in X[:5]] + [(0, 3)]
    for p in proba:
        np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)
    pred = tagger.predict(X[:5])
    assert pred == [[tagger.classes_[i] for i in p.argmax(axis=1)] for p in proba[:5]]
    assert list(tagger.classes_) == ["DET", "NOUN", "VERB"]


def _padded_accuracy(tagger, X, y):
    """Accuracy if padding positions (label id 0) were counted as tokens."""
    ids = tagger.vocabulary_.transform(X)
    labels = tagger.target_encoder_.transform(y)
    pred = np.asarray(tagger.model_(ids)).argmax(axis=-1)
    return float(np.mean(pred == labels))


def test_history_accuracy_and_loss_count_real_tokens_only():
    # Sentences of very different lengths: most positions of the padded batch
    # are padding, so counting padding would move the accuracy a lot.
    X = [["a"], ["b"], ["a"], ["a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b"]]
    y = [["Y"], ["X"], ["Y"], ["Y", "X"] * 6]
    tagger = TokenTagger(
        d_model=4, epochs=1, learning_rate=0.0, word_dropout=0.0, batch_size=8,
        random_state=3,
    )
    # One batch: the loss below is the mean over its real tokens.
    tagger.fit(X, y, validation_data=(X, y))
    real = tagger.score(X, y)
    assert tagger.history_["accuracy"] == pytest.approx([real], abs=1e-6)
    assert tagger.history_["val_accuracy"] == pytest.approx([real], abs=1e-6)
    assert abs(_padded_accuracy(tagger, X, y) - real) > 0.05
    proba = tagger.predict_proba(X)
    index = {label: i for i, label in enumerate(tagger.classes_)}
    nll = [-np.log(p[t, index[label]]) for p, seq in zip(proba, y) for t, label in enumerate(seq)]
    assert tagger.history_["loss"] == pytest.approx([np.mean(nll)], rel=1e-4)


def test_accuracy_over_many_batches_of_different_lengths_is_per_token():
    # With learning_rate=0 the weights never change, so every reported
    # accuracy must equal the real-token accuracy of the initial model. Batches
    # of 2 sentences of lengths 1..12: an average per sentence, or per batch
    # weighted by padded length (Keras's weighted SparseCategoricalAccuracy),
    # gives another number.
    rng = np.random.RandomState(0)
    words = ["a", "b", "c", "d", "e"]
    X = [list(rng.choice(words, size=n)) for n in range(1, 13)]
    y = [[w.upper() for w in s] for s in X]
    tagger = TokenTagger(d_model=4, epochs=1, learning_rate=0.0, word_dropout=0.0,
                         batch_size=2, random_state=2)
    tagger.fit(X, y, validation_data=(X, y))
    real = tagger.score(X, y)
    per_sentence = np.mean([tagger.score([s], [t]) for s, t in zip(X, y)])
    assert abs(per_sentence - real) > 0.01
    assert tagger.history_["accuracy"] == pytest.approx([real], abs=1e-6)
    assert tagger.history_["val_accuracy"] == pytest.approx([real], abs=1e-6)


def test_validation_accuracy_is_real_token_accuracy_after_training(toy_pos):
    # Small batches of sentences of different lengths: Keras's own weighted
    # accuracy would weigh each batch by its padded length and be off.
    X, y = toy_pos
    tagger = TokenTagger(d_model=8, epochs=3, learning_rate=0.05, batch_size=3, random_state=0)
    tagger.fit(X[:40], y[:40], validation_data=(X[40:], y[40:]))
    assert tagger.history_["val_accuracy"][-1] == pytest.approx(
        tagger.score(X[40:], y[40:]), abs=1e-6
    )


def test_word_dropout_trains_the_unk_embedding(toy_pos):
    X, y = toy_pos

    def unk_row(tagger):
        return tagger.model_.get_layer("embedding").get_weights()[0][1].copy()

    params = dict(d_model=8, epochs=10, batch_size=8, learning_rate=0.05, random_state=0)
    no_dropout = TokenTagger(**params, word_dropout=0.0)
    initial = unk_row(clone(no_dropout).initialize(X, y))
    np.testing.assert_array_equal(unk_row(no_dropout.fit(X, y)), initial)
    tagger = TokenTagger(**params)
    initial = unk_row(clone(tagger).initialize(X, y))
    assert not np.allclose(unk_row(tagger.fit(X, y)), initial)
    # Unseen words in a noun slot, and alone, are tagged like the rare words
    # of training: nouns.
    assert tagger.predict([["the", "zebra", "runs"], ["qwerty"]]) == [
        ["DET", "NOUN", "VERB"], ["NOUN"]
    ]


def test_sample_weight_zero_sentences_do_not_train(seed_data):
    X, y = seed_data
    flipped = [[1 - v for v in seq] for seq in y]
    weights = [1, 1, 1, 1, 0, 0, 0, 0]
    tagger = TokenTagger(**FAST).fit(X + X, y + flipped, sample_weight=weights)
    assert tagger.predict(X) == y
    assert tagger.score(X + X, y + flipped, sample_weight=weights) == 1.0


def test_tokenizer_parameter(seed_data):
    X, y = seed_data
    comma_X = [s.replace(" ", ",") for s in X]
    tagger = TokenTagger(**FAST, tokenizer=lambda s: s.split(",")).fit(comma_X, y)
    assert tagger.predict(["당신은,수학,학생,입니다"]) == [[0, 1, 1, 0]]


def test_partial_fit_and_warm_start_continue_training(seed_data):
    X, y = seed_data
    tagger = TokenTagger(d_model=4, learning_rate=0.05, random_state=0)
    for _ in range(3):
        tagger.partial_fit(X, y)
    assert len(tagger.history_["loss"]) == 3
    warm = TokenTagger(d_model=4, epochs=2, warm_start=True, random_state=0)
    warm.fit(X, y)
    first_model, first_loss = warm.model_, warm.history_["loss"]
    warm.fit(X, y)
    assert warm.model_ is first_model
    # Training went on from the trained weights: the new run starts lower.
    assert warm.history_["loss"][0] < first_loss[0]


def test_class_weight_shifts_ambiguous_words_to_the_weighted_label():
    # "w" is A 70% of the time: unweighted, the tagger says A; weighing B 5x
    # makes B the better bet. "z" is always A, so A is 170 of 200 tokens and
    # "balanced" weighs B 17/3 times A: 30 * 17/3 > 70 for "w".
    X = [["w"]] * 100 + [["z"]] * 100
    y = [["A"]] * 70 + [["B"]] * 30 + [["A"]] * 100
    params = dict(d_model=4, epochs=20, learning_rate=0.05, word_dropout=0.0, random_state=0)
    assert TokenTagger(**params).fit(X, y).predict([["w"]]) == [["A"]]
    assert TokenTagger(**params, class_weight={"B": 5}).fit(X, y).predict([["w"]]) == [["B"]]
    assert TokenTagger(**params, class_weight="balanced").fit(X, y).predict([["w"]]) == [["B"]]
    with pytest.raises(ValueError, match=r"class_weight names labels not in the training data: \['C'\]"):
        TokenTagger(**params, class_weight={"C": 2}).fit(X, y)
