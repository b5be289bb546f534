import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from sktag import Vocabulary


def test_special_ids_and_frequency_order():
    vocab = Vocabulary(unknown_shapes=False).fit([["b", "a", "b"], ["c", "a", "b"]])
    assert vocab.vocabulary_ == {"[PAD]": 0, "[UNK]": 1, "b": 2, "a": 3, "c": 4}
    assert list(vocab.tokens_) == ["[PAD]", "[UNK]", "b", "a", "c"]
    assert list(vocab.counts_) == [0, 0, 3, 2, 1]
    assert len(vocab) == 5
    assert vocab.n_special_ == 2


def test_unknown_shapes_get_their_own_ids():
    vocab = Vocabulary().fit([["b", "a", "b"]])
    assert list(vocab.tokens_) == ["[PAD]", "[UNK]", "[UNK:Aa]", "[UNK:0]", "[UNK:.]", "b", "a"]
    assert vocab.n_special_ == 5
    ids = vocab.transform([["a", "zebra", "Zurich", "NASA", "3rd", "1,000", "--", "€", "서울"]])
    np.testing.assert_array_equal(ids, [[6, 1, 2, 2, 3, 3, 4, 4, 1]])
    # Each known token falls back to the unknown id of its own shape.
    vocab = Vocabulary().fit([["b", "Bob", "42", "!"]])
    assert dict(zip(vocab.tokens_, vocab.unknown_ids())) == {
        "[PAD]": 0, "[UNK]": 1, "[UNK:Aa]": 2, "[UNK:0]": 3, "[UNK:.]": 4,
        "b": 1, "Bob": 2, "42": 3, "!": 4,
    }


def test_unknown_counts_follow_shapes():
    vocab = Vocabulary(min_freq=2).fit([["a", "a", "Rare", "7", "x"]])
    counts = dict(zip(vocab.tokens_, vocab.counts_))
    assert counts == {"[PAD]": 0, "[UNK]": 1, "[UNK:Aa]": 1, "[UNK:0]": 1, "[UNK:.]": 0, "a": 2}


def test_transform_pads_and_maps_unknown_to_unk():
    vocab = Vocabulary(unknown_shapes=False).fit([["x", "y"]])
    ids = vocab.transform([["x"], ["y", "zzz", "x"]])
    assert ids.dtype == np.int32
    np.testing.assert_array_equal(ids, [[2, 0, 0], [3, 1, 2]])
    assert vocab.inverse_transform(ids) == [["x"], ["y", "[UNK]", "x"]]


def test_str_sentences_are_split_on_whitespace():
    vocab = Vocabulary(unknown_shapes=False).fit(["나는 학생 입니다", "나는 선생님"])
    np.testing.assert_array_equal(vocab.transform(["나는  선생님"]), [[2, 5]])


def test_min_freq_and_max_size_send_rare_tokens_to_unk():
    X = [["a", "a", "a", "b", "b", "c"]]
    vocab = Vocabulary(min_freq=2, unknown_shapes=False).fit(X)
    assert set(vocab.vocabulary_) == {"[PAD]", "[UNK]", "a", "b"}
    assert vocab.counts_[1] == 1  # "c" became [UNK]
    vocab = Vocabulary(max_size=1, unknown_shapes=False).fit(X)
    assert set(vocab.vocabulary_) == {"[PAD]", "[UNK]", "a"}
    assert vocab.counts_[1] == 3


def test_lowercase():
    vocab = Vocabulary(lowercase=True).fit([["The", "the", "Cat"]])
    np.testing.assert_array_equal(vocab.transform([["THE", "cat", "Dog"]]), [[5, 6, 2]])


def test_word_dropout_targets_follow_the_spelling_seen_in_training():
    """A lowercased entry stands for its spellings: "google" seen as "Google" must
    train [UNK:Aa], the id an unseen capitalised word gets at prediction."""
    X = [["Google", "said", "the"], ["The", "the", "42", "!", "GOOGLE"], ["[UNK]"]]
    vocab = Vocabulary(lowercase=True).fit(X)
    shape = dict(zip(vocab.tokens_.tolist(), vocab.unknown_ids().tolist()))
    assert shape["google"] == 2 and vocab.transform([["Yahoo"]])[0, 0] == 2
    assert (shape["the"], shape["said"], shape["42"], shape["!"]) == (1, 1, 3, 4)
    assert [shape[t] for t in vocab.tokens_[:5]] == [0, 1, 2, 3, 4]  # reserved ids: themselves
    cased = Vocabulary().fit(X)  # each entry is its own spelling
    assert dict(zip(cased.tokens_.tolist(), cased.unknown_ids().tolist()))["Google"] == 2
    no_shapes = Vocabulary(lowercase=True, unknown_shapes=False).fit(X)
    assert set(no_shapes.unknown_ids()[no_shapes.n_special_:].tolist()) == {1}
    # A vocabulary fitted before unknown_ids_ existed: the entry's own shape.
    old = Vocabulary(lowercase=True).fit(X)
    del old.unknown_ids_
    assert dict(zip(old.tokens_.tolist(), old.unknown_ids().tolist()))["google"] == 1


def test_tagger_word_dropout_uses_the_spelling_shapes():
    from sktag import TokenTagger
    from sktag.models import find_layer

    X = [["Alice", "met", "Bob"], ["Bob", "ran"], ["Carol", "met", "Bob"]] * 4 + [["alice", "ran"]]
    y = [["B-PER", "O", "B-PER"], ["B-PER", "O"], ["B-PER", "O", "B-PER"]] * 4 + [["B-PER", "O"]]
    tagger = TokenTagger(vocabulary=Vocabulary(lowercase=True), d_model=4, epochs=1,
                         random_state=0).fit(X, y)
    targets = find_layer(tagger.model_, "word_dropout").targets.numpy()
    ids = tagger.vocabulary_.vocabulary_
    assert targets[ids["bob"]] == 2 and targets[ids["alice"]] == 2  # "alice" once, "Alice" 4x
    assert targets[ids["met"]] == 1


def test_empty_sentence_transforms_to_padding_only():
    vocab = Vocabulary().fit([["a"]])
    np.testing.assert_array_equal(vocab.transform([[], ["a"]]), [[0], [5]])


@pytest.mark.parametrize(
    "params, message",
    [({"min_freq": 0}, "min_freq"), ({"max_size": -1}, "max_size")],
)
def test_bad_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        Vocabulary(**params).fit([["a"]])


def test_unfitted_and_bad_input():
    with pytest.raises(NotFittedError):
        Vocabulary().transform([["a"]])
    with pytest.raises(TypeError, match="sentence 1, token 0"):
        Vocabulary().fit([["a"], [3]])
    with pytest.raises(ValueError, match="sentence 1 is empty"):
        Vocabulary().fit([["a"], []])


def test_clone_and_params():
    vocab = Vocabulary(min_freq=3, lowercase=True)
    copy = clone(vocab)
    assert copy.get_params() == {
        "min_freq": 3, "max_size": None, "lowercase": True, "unknown_shapes": True
    }
    assert not hasattr(copy, "vocabulary_")


def test_text_spelled_like_a_special_token_is_an_unknown_word_not_padding():
    # Found by tests/test_fuzz.py: "[PAD]" in the data took a second id and
    # broke fit; encoded as id 0 it would have been treated as padding.
    vocab = Vocabulary().fit([["[PAD]", "a", "[UNK]"], ["[PAD]"]])
    assert vocab.vocabulary_ == {"[PAD]": 0, "[UNK]": 1, "[UNK:Aa]": 2, "[UNK:0]": 3,
                                 "[UNK:.]": 4, "a": 5}
    ids = vocab.encode([["[PAD]", "a", "[UNK]"]])[0]
    assert ids[1] == 5
    assert ids[0] == vocab.unknown_id("[PAD]") != 0
    assert ids[2] == vocab.unknown_id("[UNK]") != 0


def test_char_vocabulary_distinct_rows_rebuild_every_sentence():
    from sktag.vocabulary import CharVocabulary

    X = [["ab", "b", "ab"], [], ["b", "abcdefgh", "ab"]]
    chars = CharVocabulary(max_chars=4).fit([s for s in X if s])
    rows, types = chars.encode_distinct(X)
    assert len(rows) == 3  # ab, b, abcdefgh
    assert [t.tolist() for t in types] == [[0, 1, 0], [], [1, 2, 0]]
    for sentence_rows, encoded in zip((rows[t] for t in types), chars.encode(X)):
        np.testing.assert_array_equal(sentence_rows, encoded)


def test_char_classes_flag_case_digits_and_symbols():
    from sktag.vocabulary import CHAR_CLASSES, CharVocabulary

    chars = CharVocabulary().fit([["Ab", "9-", "한"]])
    classes = chars.char_classes()
    assert classes.shape == (len(chars), len(CHAR_CLASSES)) and classes.dtype == np.float32
    expected = {"A": [1, 0, 0, 0], "b": [0, 1, 0, 0], "9": [0, 0, 1, 0], "-": [0, 0, 0, 1],
                "한": [0, 0, 0, 0]}  # Hangul: a letter without case
    for ch, row in expected.items():
        assert classes[chars.chars_[ch]].tolist() == row, ch
    assert not classes[:2].any()  # padding and unknown characters have no class
