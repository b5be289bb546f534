"""sktag.tokenization: treebank tokens with offsets, sentences, and the tokenizer object.

The conventions are English UD EWT's (``benchmarks/tokenization.py`` measures
them on the treebank); here each rule is pinned on literal strings, and the
offsets are checked as properties on any text: tokens in order, never
overlapping, inside the text, and every non-whitespace character in exactly
one token. Run a long fuzzing session with
``SKTAG_FUZZ_EXAMPLES=5000 pytest tests/test_tokenization.py``.
"""

import doctest
import os
import pickle
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

import sktag.tokenization
from sktag.tokenization import (
    ABBREVIATIONS,
    TOKEN_PATTERN,
    RegexTokenizer,
    Token,
    align_tokens,
    split_sentences,
    tokenize,
)

EXAMPLES = int(os.environ.get("SKTAG_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def texts(text, **kwargs):
    return [token.text for token in tokenize(text, **kwargs)]


def check_offsets(text, tokens):
    """The invariants every tokenization must satisfy."""
    end = 0
    covered = []
    for token in tokens:
        assert isinstance(token, Token)
        assert 0 <= end <= token.start < token.end <= len(text), (token, end)
        assert text[token.start:token.end] == token.text
        assert not token.text[0].isspace() and not token.text[-1].isspace(), token
        covered.extend(range(token.start, token.end))
        end = token.end
    non_space = [i for i, char in enumerate(text) if not char.isspace()]
    in_tokens = [i for i in covered if not text[i].isspace()]
    assert in_tokens == non_space  # each non-whitespace character once, in order


# --------------------------------------------------------------------------
# The conventions, rule by rule

EWT = [
    # clitics after an apostrophe, split as EWT's multiword tokens are
    ("I don't know", ["I", "do", "n't", "know"]),
    ("can't won't ain't", ["ca", "n't", "wo", "n't", "ai", "n't"]),
    ("DON'T Don’t", ["DO", "N'T", "Do", "n’t"]),
    ("it's I'm they're we've I'll you'd", ["it", "'s", "I", "'m", "they", "'re", "we", "'ve",
                                           "I", "'ll", "you", "'d"]),
    ("Bush's plan, mama`s car", ["Bush", "'s", "plan", ",", "mama", "`s", "car"]),
    ("the parents' house", ["the", "parents", "'", "house"]),
    ("O'Brien and Shi'ite, rock'n'roll", ["O'Brien", "and", "Shi'ite", ",", "rock'n'roll"]),
    # the same clitics without the apostrophe, and PTB's contractions
    ("dont cant wont didnt", ["do", "nt", "ca", "nt", "wo", "nt", "did", "nt"]),
    ("im ive youre thats", ["i", "m", "i", "ve", "you", "re", "that", "s"]),
    ("cannot gonna wanna gotta", ["can", "not", "gon", "na", "wan", "na", "got", "ta"]),
    ("want parent decant its", ["want", "parent", "decant", "its"]),
    # hyphens: split, except after a prefix that is not a word
    ("a long-term, so-called plan", ["a", "long", "-", "term", ",", "so", "-", "called",
                                     "plan"]),
    ("e-mail non-profit re-elect mid-2004", ["e-mail", "non-profit", "re-elect", "mid-2004"]),
    ("Anti-war E-Mail", ["Anti-war", "E-Mail"]),
    ("well-being", ["well", "-", "being"]),
    # numbers
    ("1,000.50 3.5 7:30 .04 +44", ["1,000.50", "3.5", "7:30", ".04", "+44"]),
    ("on 12/31/2025 and 9/11", ["on", "12/31/2025", "and", "9/11"]),
    ("1/2 of 24/7", ["1", "/", "2", "of", "24", "/", "7"]),
    ("call 713-853-3989 or 853-3989", ["call", "713-853-3989", "or", "853-3989"]),
    ("5-10 days, 2003-2004", ["5", "-", "10", "days", ",", "2003", "-", "2004"]),
    ("the 2nd in the 1990s or 60's", ["the", "2nd", "in", "the", "1990s", "or", "60's"]),
    ("$5.50, 20% at 7:30pm 35mm", ["$", "5.50", ",", "20", "%", "at", "7:30", "pm", "35",
                                   "mm"]),
    ("(713) 853-3989.", ["(", "713", ")", "853-3989", "."]),
    # URLs, e-mail addresses, hashtags, file and domain names
    ("see http://en.wikipedia.org/wiki/X_(y)?a=1&b=2.", [
        "see", "http://en.wikipedia.org/wiki/X_(y)?a=1&b=2", "."]),
    ("(www.enron.com)", ["(", "www.enron.com", ")"]),
    ("mail kay.mann@enron.com, jo...@gmail.com!", [
        "mail", "kay.mann@enron.com", ",", "jo...@gmail.com", "!"]),
    ("mailto:a.b@c.org", ["mailto:a.b@c.org"]),
    ("#audiobooks @Ryan #1", ["#audiobooks", "@Ryan", "#", "1"]),
    ("open report.doc on enron.com", ["open", "report.doc", "on", "enron.com"]),
    ("AT&T and PG&E", ["AT&T", "and", "PG&E"]),
    ("w/o and/or", ["w/o", "and", "/", "or"]),
    # abbreviations
    ("the U.S. and e.g. p.m. times", ["the", "U.S.", "and", "e.g.", "p.m.", "times"]),
    ("in the U.S.", ["in", "the", "U.S", "."]),
    ('said "in the U.S."', ["said", '"', "in", "the", "U.S", ".", '"']),
    ("Mr. Smith and Dr.Jones", ["Mr.", "Smith", "and", "Dr.", "Jones"]),
    ("apples, pears etc. and more etc.", ["apples", ",", "pears", "etc.", "and", "more",
                                          "etc", "."]),
    ("fine etc...", ["fine", "etc", "..."]),
    ("George W. Bush", ["George", "W.", "Bush"]),
    ("No. 5 and no. 5", ["No.", "5", "and", "no", ".", "5"]),
    ("Acme Inc.\nNext", ["Acme", "Inc", ".", "Next"]),
    # punctuation
    ("Wait... what?! Really?? Yes.", ["Wait", "...", "what", "?!", "Really", "??", "Yes",
                                      "."]),
    ("so -- or not--maybe", ["so", "--", "or", "not", "--", "maybe"]),
    ('"Hi," she said (twice).', ['"', "Hi", ",", '"', "she", "said", "(", "twice", ")",
                                 "."]),
    ("``quoted'' >> ***", ["``", "quoted", "''", ">>", "***"]),
    ("nice :) sad :-( ;) ^_^ <3", ["nice", ":)", "sad", ":-(", ";)", "^_^", "<3"]),
    ("note:(1)", ["note", ":", "(", "1", ")"]),
]


@pytest.mark.parametrize("text, expected", EWT, ids=[text for text, _ in EWT])
def test_treebank_conventions(text, expected):
    tokens = tokenize(text)
    assert [token.text for token in tokens] == expected
    check_offsets(text, tokens)


def test_tokens_are_exact_substrings_with_offsets():
    text = "  Dr. Kim's\tcafé\n"
    assert tokenize(text) == [
        Token("Dr.", 2, 5), Token("Kim", 6, 9), Token("'s", 9, 11), Token("café", 12, 16),
    ]


def test_abbreviations_follow_their_case_rule():
    assert "etc" in ABBREVIATIONS and "No" in ABBREVIATIONS
    assert texts("ETC. Etc. etc. x") == ["ETC.", "Etc.", "etc.", "x"]
    assert texts("NO. 7 No. 7 no. 7") == ["NO.", "7", "No.", "7", "no", ".", "7"]
    assert texts("Sat. 5 or sat. 5") == ["Sat.", "5", "or", "sat", ".", "5"]


# --------------------------------------------------------------------------
# Edge cases


@pytest.mark.parametrize("text", ["", " ", "   ", "\t", "\n\n", " \t\r\n\u00a0\u3000 "])
def test_empty_and_whitespace_only(text):
    assert tokenize(text) == []
    assert split_sentences(text) == []


def test_tabs_and_newlines_separate_tokens():
    text = "one\ttwo\nthree\r\nfour  \t five"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["one", "two", "three", "four", "five"]
    assert [(t.start, t.end) for t in tokens] == [(0, 3), (4, 7), (8, 13), (15, 19), (23, 27)]


def test_korean():
    text = "나는 학생 입니다. 수학(數學)을 좋아해요!"
    assert texts(text) == ["나는", "학생", "입니다", ".", "수학", "(", "數學", ")", "을",
                           "좋아해요", "!"]


def test_combining_accents_stay_in_their_word():
    text = "nai\u0308ve cafe\u0301's e\u0301te\u0301"
    assert texts(text) == ["nai\u0308ve", "cafe\u0301", "'s", "e\u0301te\u0301"]
    assert texts("\u0301 alone") == ["\u0301", "alone"]  # a mark with no base is kept too


def test_emoji_stay_whole():
    text = "great👍🏽 👩\u200d💻 team🇰🇷! ❤️"
    assert texts(text) == ["great", "👍🏽", "👩\u200d💻", "team", "🇰🇷", "!", "❤️"]


def test_scripts_without_spaces_are_one_token_per_run():
    assert texts("我爱北京。") == ["我爱北京", "。"]


def test_a_long_text():
    sentence = ("Mr. O'Neil didn't pay $1,000.50 on 12/31/2025 -- see http://x.org/a?b=1 :) "
                "or e-mail jo@x.org. Then the U.S. team won 3-1 at 7:30pm! ")
    text = sentence * (100_000 // len(sentence) + 1)
    assert len(text) >= 100_000
    start = time.perf_counter()
    tokens = tokenize(text)
    seconds = time.perf_counter() - start
    per_sentence = len(tokenize(sentence))
    assert len(tokens) == per_sentence * (len(text) // len(sentence))
    check_offsets(text, tokens)
    assert len(split_sentences(text, tokens)) == 2 * (len(text) // len(sentence))
    assert seconds < 10  # a hang guard, with room for a loaded machine (about 0.3 s)


PATHOLOGICAL = {
    "letters and hyphens": "a-" * 100_000,
    "repeated abbreviation": "etc." * 50_000,
    "apostrophes": "'" * 200_000,
    "at signs": "a@" * 100_000,
    "a URL and periods": "http://" + ("." * 1000 + "a") * 200,
    "one long word": "a" * 200_000 + "n't",
    "spaces": " " * 200_000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_texts_take_linear_time(text):
    # Patterns that backtrack over the rest of a long run at each of its
    # characters took 10 s and more here at half this size.
    start = time.perf_counter()
    tokens = tokenize(text)
    assert time.perf_counter() - start < 15  # about 1-2 s; quadratic would be 40 s
    check_offsets(text, tokens)


# --------------------------------------------------------------------------
# Properties on any text

ALPHABET = list("aZé\u0301'’`-./:@#,!?$%()\"“”<>=*_ntsmd0129 \t\n한😀🏽\u200d\u00a0") + [
    "n't", "'s", "http://", "www.", "U.S.", "Mr.", "e-", "...", "\r\n", "🇰", "🇷",
]
FUZZED = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join),
)
PATTERNS = [None, r"\w+", r"\S+", r"[^,]+", r"(\w+)'s", r"x|(y)", r"(?=a)a\b", r"\w(?=\s)",
            re.compile(r"[a-z]+", re.IGNORECASE)]


@FUZZ
@given(FUZZED)
def test_every_non_space_character_is_in_exactly_one_token(text):
    check_offsets(text, tokenize(text))


@FUZZ
@given(FUZZED, st.sampled_from(PATTERNS))
def test_the_property_holds_for_any_pattern(text, pattern):
    check_offsets(text, tokenize(text, token_pattern=pattern))


@FUZZ
@given(FUZZED)
def test_sentences_partition_the_tokens(text):
    tokens = tokenize(text)
    sentences = split_sentences(text)
    assert all(sentences)
    assert [token for sentence in sentences for token in sentence] == tokens
    assert split_sentences(text, tokens) == sentences


@FUZZ
@given(FUZZED)
def test_default_tokens_never_hold_whitespace(text):
    assert not any(re.search(r"\s", token.text) for token in tokenize(text))


# --------------------------------------------------------------------------
# token_pattern


def test_a_pattern_of_your_own_replaces_the_default():
    assert texts("isn't it", token_pattern=r"\S+") == ["isn't", "it"]
    assert texts("a,b;c", token_pattern=re.compile(r"[a-z]")) == ["a", ",", "b", ";", "c"]
    assert texts("ABC def", token_pattern=re.compile("[a-z]+", re.IGNORECASE)) == ["ABC", "def"]


def test_what_the_pattern_leaves_becomes_tokens():
    # sklearn's token_pattern drops what it does not match; here nothing is lost.
    tokens = tokenize("state-of-the-art!! ok", token_pattern=r"\w\w+")
    assert [t.text for t in tokens] == ["state", "-", "of", "-", "the", "-", "art", "!!", "ok"]


def test_a_capturing_group_is_the_token():
    assert texts("John's and Mary's", token_pattern=r"(\w+)'s") == [
        "John", "'s", "and", "Mary", "'s"]


def test_whitespace_at_the_ends_of_a_match_is_left_out():
    tokens = tokenize(" New York , LA ", token_pattern=r"[^,]+")
    assert tokens == [Token("New York", 1, 9), Token(",", 10, 11), Token("LA", 12, 14)]


def test_the_default_pattern_is_a_str_you_can_extend():
    assert isinstance(TOKEN_PATTERN, str) and TOKEN_PATTERN.startswith("(?x)")
    text = "I'm in New York, U.S."
    assert tokenize(text, token_pattern=TOKEN_PATTERN) == tokenize(text)
    extended = r"(?x) New\ York | " + TOKEN_PATTERN.removeprefix("(?x)")
    assert texts(text, token_pattern=extended) == ["I", "'m", "in", "New York", ",", "U.S",
                                                     "."]


@pytest.mark.parametrize("pattern", [r"\w*", "", r"a?", r"(?:x)*", r"x|"])
def test_a_pattern_that_matches_the_empty_string_is_refused(pattern):
    with pytest.raises(ValueError, match=r"matches the empty string.*use \+ instead of \*"):
        tokenize("text", token_pattern=pattern)


def test_a_pattern_that_only_matches_empty_strings_somewhere_is_fine():
    # \b never matches "" on its own, so it passes the check; its empty
    # matches make no token and every word is left over whole.
    assert texts("ab cd", token_pattern=r"\b") == ["ab", "cd"]


@pytest.mark.parametrize("pattern, error, message", [
    (r"(", ValueError, "not a valid regular expression"),
    (r"(\w)(\w)", ValueError, r"2 capturing groups.*\(\?:\.\.\.\)"),
    (re.compile(rb"\w+"), TypeError, "bytes pattern"),
    (rb"\w+", TypeError, "got bytes"),
    (42, TypeError, "must be None, a str or a compiled re.Pattern, got int"),
])
def test_bad_patterns_say_what_to_do(pattern, error, message):
    with pytest.raises(error, match=message):
        tokenize("text", token_pattern=pattern)


@pytest.mark.parametrize("text, hint", [(b"bytes", "decode it first"), (None, "NoneType"),
                                        (["a", "list"], "list")])
def test_text_must_be_str(text, hint):
    with pytest.raises(TypeError, match=hint):
        tokenize(text)
    with pytest.raises(TypeError, match=hint):
        split_sentences(text)


# --------------------------------------------------------------------------
# Sentences


def sentence_texts(text, **kwargs):
    return [[token.text for token in sentence] for sentence in split_sentences(text, **kwargs)]


@pytest.mark.parametrize("text, expected", [
    ("Hi there. How are you? Fine!", [["Hi", "there", "."], ["How", "are", "you", "?"],
                                       ["Fine", "!"]]),
    ("Mr. Smith met Dr. J. Doe. Then he left.", [
        ["Mr.", "Smith", "met", "Dr.", "J.", "Doe", "."], ["Then", "he", "left", "."]]),
    ("See e.g. Fig. 3 and No. 5 vs. Sept. 11.", [
        ["See", "e.g.", "Fig.", "3", "and", "No.", "5", "vs.", "Sept.", "11", "."]]),
    ("He lives in the U.S. He likes it.", [["He", "lives", "in", "the", "U.S."],
                                           ["He", "likes", "it", "."]]),
    ("apples etc. Then pears.", [["apples", "etc."], ["Then", "pears", "."]]),
    ("version 2.0 is out. 3 bugs remain.", [["version", "2.0", "is", "out", "."],
                                             ["3", "bugs", "remain", "."]]),
    ('He said "Stop!" Then "Go." (Really.) Yes.', [
        ["He", "said", '"', "Stop", "!", '"'], ["Then", '"', "Go", ".", '"'],
        ["(", "Really", ".", ")"], ["Yes", "."]]),
    ("no capital. after this", [["no", "capital", ".", "after", "this"]]),
    ("Wait...What", [["Wait", "...", "What"]]),  # no space, no boundary
    ("one line\nnext line", [["one", "line", "next", "line"]]),
    ("a title\n\nbody text\n \nmore", [["a", "title"], ["body", "text"], ["more"]]),
    ("나는 학생 입니다. 당신은 선생님 입니다.", [["나는", "학생", "입니다", "."],
                                              ["당신은", "선생님", "입니다", "."]]),
])
def test_sentence_boundaries(text, expected):
    assert sentence_texts(text) == expected


def test_sentence_offsets_stay_relative_to_the_text():
    text = "  Hi.\n\n  Bye now.  "
    sentences = split_sentences(text)
    assert sentences == [[Token("Hi", 2, 4), Token(".", 4, 5)],
                         [Token("Bye", 9, 12), Token("now", 13, 16), Token(".", 16, 17)]]
    assert text[sentences[1][0].start:sentences[1][-1].end] == "Bye now."


def test_sentences_from_given_tokens_or_another_pattern():
    text = "Hi there. Bye."
    tokens = tokenize(text, token_pattern=r"\S+")
    assert [[t.text for t in s] for s in split_sentences(text, tokens)] == [
        ["Hi", "there."], ["Bye."]]
    assert sentence_texts(text, token_pattern=r"\S+") == [["Hi", "there."], ["Bye."]]
    as_tuples = [tuple(token) for token in tokens]
    assert split_sentences(text, as_tuples) == split_sentences(text, tokens)
    numpy = pytest.importorskip("numpy")
    as_arrays = [(t.text, numpy.int64(t.start), numpy.int64(t.end)) for t in tokens]
    assert split_sentences(text, as_arrays) == split_sentences(text, tokens)


@pytest.mark.parametrize("tokens, message", [
    ([Token("Hi", 0, 3)], "not a token of the text"),
    ([Token("Hi", 0, 2), Token("Hi", 0, 2)], "not a token of the text"),
    ([Token("there", 3, 8), Token("Hi", 0, 2)], "in order"),
    ([Token("Hi", 0, 2), Token("x", 40, 41)], "not a token of the text"),
])
def test_tokens_that_do_not_belong_to_the_text_are_refused(tokens, message):
    with pytest.raises(ValueError, match=message):
        split_sentences("Hi there", tokens)


def test_tokens_must_be_triples():
    with pytest.raises(TypeError, match=r"tokens\[0\] is 'Hi'.*\(text, start, end\)"):
        split_sentences("Hi there", ["Hi", "there"])


def test_tokens_and_token_pattern_together_are_refused():
    with pytest.raises(ValueError, match="not both"):
        split_sentences("Hi.", tokenize("Hi."), token_pattern=r"\S+")


# --------------------------------------------------------------------------
# Offsets of the tokens of another tokenizer


def test_align_tokens_finds_the_offsets_of_token_strings():
    text = "New York, NY 10001 -- New York!"
    tokens = ["New York", ",", "NY", "10001", "--", "New", "York", "!"]
    aligned = align_tokens(text, tokens)
    assert [t.text for t in aligned] == tokens
    assert [(t.start, t.end) for t in aligned] == [(0, 8), (8, 9), (10, 12), (13, 18),
                                                  (19, 21), (22, 25), (26, 30), (30, 31)]
    assert align_tokens(text, []) == []


@FUZZ
@given(FUZZED, st.sampled_from(PATTERNS))
def test_align_tokens_inverts_any_tokenization(text, pattern):
    tokens = tokenize(text, token_pattern=pattern)
    assert align_tokens(text, [t.text for t in tokens]) == tokens


@pytest.mark.parametrize("tokens, error, message", [
    (["hello", "WORLD"], ValueError, r"tokens\[1\] = 'WORLD' is not in the text after offset 5"),
    (["world", "hello"], ValueError, "after offset 11"),
    (["hello", ""], ValueError, "is not in the text"),
    (["hello", 3], TypeError, r"tokens\[1\] is int"),
    ("hello", TypeError, "not a single str"),
])
def test_align_tokens_says_what_is_wrong(tokens, error, message):
    with pytest.raises(error, match=message):
        align_tokens("hello world", tokens)


# --------------------------------------------------------------------------
# RegexTokenizer


def test_tokenizer_is_a_callable_for_token_taggers():
    tokenizer = RegexTokenizer()
    assert tokenizer("You can't be serious.") == ["You", "ca", "n't", "be", "serious", "."]
    assert tokenizer.tokenize("I'm") == [Token("I", 0, 1), Token("'m", 1, 3)]
    assert tokenizer.split_sentences("Hi. Bye.") == split_sentences("Hi. Bye.")
    assert RegexTokenizer(token_pattern=r"\S+")("isn't it") == ["isn't", "it"]


def test_tokenizer_feeds_the_sentence_checks_of_the_tagger():
    from sktag.validation import check_sentences

    sentences = check_sentences(["I don't know.", ["kept", "as", "is"]],
                                tokenizer=RegexTokenizer())
    assert sentences == [["I", "do", "n't", "know", "."], ["kept", "as", "is"]]


def test_tokenizer_is_a_scikit_learn_style_object():
    from sktag import TokenTagger

    pattern = re.compile(r"\w+")
    tokenizer = RegexTokenizer(token_pattern=pattern)
    assert tokenizer.token_pattern is pattern  # stored unchanged
    assert tokenizer.get_params() == {"token_pattern": pattern}
    assert repr(RegexTokenizer()) == "RegexTokenizer()"
    assert repr(RegexTokenizer(r"\S+")) == "RegexTokenizer(token_pattern='\\\\S+')"
    assert clone(tokenizer).get_params() == {"token_pattern": pattern}
    tagger = clone(TokenTagger(tokenizer=RegexTokenizer(r"\S+")))
    assert tagger.tokenizer.token_pattern == r"\S+"
    assert tagger.get_params()["tokenizer__token_pattern"] == r"\S+"


def test_tokenizer_checks_its_pattern_when_used():
    tokenizer = RegexTokenizer(token_pattern=r"\w*")  # constructing never fails
    with pytest.raises(ValueError, match="matches the empty string"):
        tokenizer("text")


@pytest.mark.parametrize("pattern", [None, r"\S+", re.compile(r"\w+|[^\w\s]")])
def test_tokenizer_pickles(pattern):
    tokenizer = RegexTokenizer(token_pattern=pattern)
    text = "Dr. Kim's e-mail: kim@x.org!"
    before = tokenizer.tokenize(text)
    restored = pickle.loads(pickle.dumps(tokenizer))
    assert restored.tokenize(text) == before
    assert repr(restored) == repr(tokenizer)


# --------------------------------------------------------------------------
# The examples in the docstrings


def test_docstring_examples():
    result = doctest.testmod(sktag.tokenization, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
