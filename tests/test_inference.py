"""The batch path of prediction (flat encoding, gathered batches) and ONNX Runtime's threads."""

import numpy as np
import pytest

from sktag import TokenTagger
from sktag.batching import FlatSentences
from sktag.inference import get_threads, set_threads

X = [["the", "cat", "sat"], ["a", "dog", "ran"], ["the", "dog", "sat", "down"]] * 6
Y = [["D", "N", "V"], ["D", "N", "V"], ["D", "N", "V", "R"]] * 6
# Lengths 0 to 70, repeated and unseen spellings, in no order: several batches.
SENTENCES = [["the", "cat", "sat"], [], ["Unseen", "wordz", "the"], ["a"] * 70, ["dog"],
             ["down", "the", "cat"] * 5, [], ["ran"]]


@pytest.fixture(scope="module")
def bilstm():
    return TokenTagger(encoder="bilstm", char_dim=4, hidden_dim=8, d_model=8, epochs=2,
                       learning_rate=0.05, random_state=0).fit(X, Y)


@pytest.fixture
def restore_threads():
    previous = get_threads()
    yield
    set_threads(previous)


def test_flat_sentences_pad_by_gathering_and_split_back():
    flat = FlatSentences([2, 0, 3, 1])
    assert flat.n_tokens == 6 and flat.starts.tolist() == [0, 2, 2, 5]
    assert [b.tolist() for b in flat.batches(max_positions=4)] == [[3, 0], [2]]
    index, mask = flat.positions(np.array([3, 0]))
    assert index.tolist() == [[5, 6], [0, 1]]  # 6 = n_tokens: padding
    assert mask.tolist() == [[True, False], [True, True]]
    values = np.array([10, 11, 20, 21, 22, 30])
    assert np.append(values, -1)[index].tolist() == [[30, -1], [10, 11]]
    assert flat.split(list("abcdef")) == [["a", "b"], [], ["c", "d", "e"], ["f"]]
    assert FlatSentences([]).split([]) == []


def test_batched_probabilities_are_each_sentences_own(bilstm):
    batched = bilstm.predict_proba(SENTENCES)
    assert [p.shape for p in batched] == [(len(s), len(bilstm.classes_)) for s in SENTENCES]
    for sentence, got in zip(SENTENCES, batched, strict=True):
        alone = bilstm.predict_proba([sentence, []])[0]  # a batch of its own, no padding
        np.testing.assert_allclose(got, alone, atol=1e-6)


def test_batched_labels_are_the_argmax_of_the_batched_probabilities(bilstm):
    labels = bilstm.predict(SENTENCES)
    expected = [bilstm.classes_[p.argmax(axis=1)].tolist() for p in bilstm.predict_proba(SENTENCES)]
    assert labels == expected
    assert all(isinstance(label, str) for sentence in labels for label in sentence)
    assert bilstm.predict([[], []]) == [[], []]


def test_set_threads_reaches_predictors_that_exist_already(bilstm, restore_threads):
    before = bilstm.predict_proba(SENTENCES)
    predictor = bilstm._prediction_path()
    for n in (2, None, 1):
        set_threads(n)
        assert predictor.threads == n  # sessions remade at the next call
        options = predictor._current_sessions()[1].get_session_options()
        assert options.intra_op_num_threads == (0 if n is None else n)
        for got, want in zip(bilstm.predict_proba(SENTENCES), before, strict=True):
            np.testing.assert_allclose(got, want, atol=1e-6)


def test_set_threads_returns_the_previous_setting_and_refuses_bad_values(restore_threads):
    set_threads(3)
    assert set_threads(None) == 3 and get_threads() is None
    for bad in (0, -1, 1.5, "2", True):
        with pytest.raises(ValueError, match="positive int or None"):
            set_threads(bad)
    assert get_threads() is None


@pytest.mark.parametrize("cache_size", [100_000, 2])
def test_dense_one_sentence_calls_label_like_a_batch(cache_size):
    tagger = TokenTagger(d_model=8, epochs=2, learning_rate=0.05, random_state=0).fit(X, Y)
    predictor = tagger._prediction_path()
    predictor.cache_size = cache_size  # 2: most spellings are never cached
    batched = tagger.predict(SENTENCES)
    for _ in range(2):  # the second round reads what the first one cached
        assert [tagger.predict([sentence])[0] for sentence in SENTENCES] == batched
    assert tagger.predict([["the", "Unseen", "cat"]]) == tagger.predict([["the", "Unseen", "cat"], []])[:1]


def test_the_thread_setting_is_reachable_from_the_package():
    import sktag
    from sktag import inference

    assert sktag.set_threads is inference.set_threads
    assert sktag.get_threads is inference.get_threads
    assert {"set_threads", "get_threads"} <= set(sktag.__all__) & set(dir(sktag))
