"""Split raw text into tokens with character offsets, the way English treebanks do.

A model trained on token lists (CoNLL-U, IOB files) has seen the tokens of
its treebank: ``do n't``, ``Bush 's``, ``U.S.``, ``$ 5``, ``long - term``. It
tags raw text well only if the text is cut into the same kind of tokens.
:func:`tokenize` does that for English, following the tokenization of
Universal Dependencies English EWT (the PTB conventions as UD revised them):

- punctuation is split from words; runs of the same kind stay together
  (``...``, ``?!``, ``--``, ``>>``) and so do emoticons (``:)``, ``;-)``);
- clitics are split off: ``don't`` -> ``do n't``, ``can't`` -> ``ca n't``,
  ``it's`` -> ``it 's``, ``I'm`` -> ``I 'm``, ``Sanders'`` -> ``Sanders '``,
  also without the apostrophe (``dont`` -> ``do nt``, ``im`` -> ``i m``), and
  the PTB splits ``cannot`` -> ``can not``, ``gonna`` -> ``gon na``;
- hyphenated words are split (``long-term`` -> ``long - term``) unless the
  first part is a prefix that is not a word of its own (``e-mail``,
  ``non-profit``, ``re-elect``, ``mid-2004``);
- numbers keep their separators (``1,000.50``, ``7:30``, ``12/31/2025``,
  ``713-853-3989``) but not a unit (``7:30pm`` -> ``7:30 pm``); number
  ranges are split (``5-10`` -> ``5 - 10``);
- URLs, e-mail addresses, file and domain names (``report.doc``,
  ``enron.com``) and abbreviations (``U.S.``, ``e.g.``, ``Mr.``, ``W.``)
  are kept whole, except that the period of an abbreviation that ends the
  text (or a line) is a token of its own, as the treebank has it.

Whatever the pattern does not match is not lost: every character that is not
whitespace belongs to exactly one token, tokens never overlap, come in text
order, and each token's text is exactly ``text[start:end]`` (no
normalisation). :func:`split_sentences` groups the tokens into sentences.

The default pattern splits 95.7% of the sentences of EWT dev exactly into
the treebank's tokens (from their ``# text`` comments), and 97.6% of
Universal NER English-EWT dev (``benchmarks/tokenization.py``). Most of the
rest are words written together that only the meaning splits (``its`` as
``it s``, ``alot`` as ``a lot``, ``cats`` as ``cat s``), and hyphens,
slashes and abbreviations the annotators split in one place and not in
another. Scripts written without spaces (Chinese, Japanese) are not
segmented: a run of their letters is one token.

The pattern is a regular expression, as scikit-learn's ``token_pattern``
is: pass your own to :func:`tokenize` or :class:`RegexTokenizer`.
"""

import functools
import re
import unicodedata
from numbers import Integral
from typing import NamedTuple

from sklearn.base import BaseEstimator

__all__ = [
    "ABBREVIATIONS",
    "TOKEN_PATTERN",
    "RegexTokenizer",
    "Token",
    "align_tokens",
    "split_sentences",
    "tokenize",
]


class Token(NamedTuple):
    """A token of a text and where it is: ``text == source[start:end]``.

    A named tuple, so ``text, start, end = token`` works.

    Parameters
    ----------
    text : str
        The token, exactly as it is written in the source text.
    start : int
        Offset of its first character in the source text.
    end : int
        Offset just past its last character.

    Examples
    --------
    >>> source = "I don't"
    >>> token = Token("do", 2, 4)
    >>> source[token.start:token.end] == token.text
    True
    """

    #: The token, exactly as it is written in the source text.
    text: str
    #: Offset of its first character in the source text.
    start: int
    #: Offset just past its last character.
    end: int


# --------------------------------------------------------------------------
# The default pattern, piece by piece


def _mark_class():
    """Character-class ranges of the combining marks (Mn, Mc, Me) Python knows."""
    ranges = []
    for planes in (range(0x20000), range(0xE0000, 0xE1000)):
        for code in planes:
            if unicodedata.category(chr(code))[0] == "M":
                if ranges and ranges[-1][1] == code - 1:
                    ranges[-1][1] = code
                else:
                    ranges.append([code, code])
    return "".join(_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in ranges)


def _escape(code):
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


#: A combining mark: an accent written as its own code point (``e`` + U+0301),
#: a vowel sign of an Indic script, a variation selector.
_MARK = _mark_class()
#: A word character: a letter, a digit or ``_``.
_W = r"\w"
#: A run of word characters and the combining marks that ``\w`` leaves out,
#: so that ``"cafe\u0301"`` and ``"nai\u0308ve"`` are words.
_WORD_RUN = rf"\w[\w{_MARK}]*"
#: A letter (no digit, no ``_``).
_L = r"[^\W\d_]"
#: Not followed by a word character.
_END_OF_WORD = rf"(?!{_W})"
#: Not at the end of the text or of a line (closing quotes and brackets
#: aside): a period there ends a sentence, so it is not part of an
#: abbreviation.
_NOT_AT_END = r"(?![)\]}\"'”’»]*[^\S\n]*(?:\n|\Z))"

#: Abbreviations that keep their final period within a sentence.
#:
#: Titles, company words, months and weekdays, addresses, Latin, units, as
#: in EWT and PTB: ``Dr. Smith``, ``apples, pears etc. and more``. One in
#: lowercase matches in any case (``etc``, ``Etc``, ``ETC``); one that is
#: also an English word is written capitalized and matches only so or in
#: capitals (``No.`` and ``NO.``, not ``no.``; ``Sat.``, not ``sat.``).
ABBREVIATIONS = (
    # titles
    "mr", "mrs", "ms", "messrs", "dr", "drs", "prof", "rev", "hon", "gen", "lt", "col",
    "capt", "cpt", "sgt", "cmdr", "adm", "maj", "gov", "sen", "rep", "reps", "pres",
    "jr", "sr", "St", "Sts", "Mt", "ft", "Fr",
    # companies and institutions
    "inc", "corp", "Co", "ltd", "bros", "assn", "dept", "univ", "govt",
    # months and weekdays
    "jan", "feb", "Mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "Mon", "tue", "tues", "Wed", "thu", "thur", "thurs", "fri", "Sat", "Sun",
    # addresses
    "ave", "blvd", "Rd", "ste", "apt", "hwy",
    # Latin and references
    "etc", "vs", "Al", "cf", "eg", "ps", "approx", "viz", "esp", "No", "nos", "vol", "vols",
    "pp", "Ch", "fig", "figs", "Ed", "eds", "Sec", "ext", "attn", "tel", "Ref",
    # units
    "oz", "lb", "lbs", "yrs", "hrs", "mins", "sq",
)

#: Prefixes that are not words of their own: a hyphen after one does not
#: split (``e-mail``, ``non-profit``, ``re-elect``, ``mid-2004``).
_BOUND_PREFIXES = (
    "anti", "bi", "bio", "co", "counter", "cross", "cyber", "de", "e", "eco", "ex",
    "extra", "hyper", "inter", "intra", "macro", "mega", "meta", "micro", "mid", "mini",
    "mis", "mono", "multi", "neo", "non", "over", "para", "post", "pre", "pro", "pseudo",
    "psycho", "quasi", "re", "semi", "socio", "sub", "super", "trans", "tri", "ultra",
    "un", "uni",
)


def _longest_first(words):
    return sorted(words, key=lambda word: (-len(word), word))


def _words(words):
    """An alternation of literal words, longest first (``sept`` before ``sep``)."""
    return "|".join(_longest_first(words))


def _abbreviations(words):
    """An alternation of :data:`ABBREVIATIONS` with their case rule."""
    any_case = [word for word in words if word.islower()]
    capitalized = [word for word in words if not word.islower()]
    capitals = [word.upper() for word in capitalized]
    return f"(?i:{_words(any_case)})|{_words(capitalized + capitals)}"


#: URLs: a scheme or ``www.``, then anything up to the whitespace, without
#: the punctuation that ends the sentence or closes a bracket or quote.
_URL = r"""
    (?:(?i:https?|ftp|file)://|(?i:www)\d{0,3}\.)\S+?
    (?=[.,;:!?"'“”‘’)\]}>]{0,16}(?:\s|\Z))
"""
#: E-mail addresses, also redacted (``ab...@gmail.com``), with ``mailto:``,
#: without a domain (``kay.mann@enron``) or without a name (``@enron.com``).
#: The name has at most 64 characters, as the standard says (and so that
#: a long word is not scanned again for an ``@`` at each of its letters).
_EMAIL = r"""
    (?i:mailto:)?\w[\w.%+'-]{0,63}@\w[\w-]*(?:\.\w[\w-]*)*
  | (?<![\w@])@\w[\w-]*(?:\.\w[\w-]*)+
"""
#: Hashtags and handles that start with a letter: ``#audiobooks``, ``@Ryan``
#: (``#1`` is two tokens).
_HASHTAG = rf"""
    (?<![\w@\#])[@\#]{_L}{_W}*
"""
#: Emoticons: ``:)`` ``:-(`` ``;)`` ``=)`` ``:D`` ``:P`` ``^_^`` ``<3``, not
#: before a word character (``see:(1)`` is no emoticon).
_EMOTICON = rf"""
    [:;=][-']?[()\[\]|\\*]{_END_OF_WORD}
  | (?<!{_W})[:;=][-']?[DPpOo]{_END_OF_WORD}
  | \^_*\^
  | <3+{_END_OF_WORD}
"""
#: Numbers. Digits joined by ``.`` ``,`` ``:`` (``1,000.50``, ``7:30``,
#: ``713.853.3989``), dates with slashes (``12/31/2025``, ``9/11``, but a
#: fraction or ratio is three tokens: ``1 / 2``, ``24 / 7``), phone
#: numbers and dates with hyphens (``713-853-3989``, ``853-3989``,
#: ``11-20-2000``) but not a range (``5-10``: three tokens), a leading
#: ``+`` (``+44``) or a leading period (``.04``); then an ordinal or plural
#: suffix (``2nd``, ``1990s``, ``60's``). A unit is a token of its own.
_NUMBER = rf"""
    (?=[\d+.])
    (?:\+(?=\d)|(?<![\w.])\.(?=\d))?
    (?:
        (?:\d+-){{2,}}\d+(?!\d)
      | (?:\d|\d{{3}}|\d{{5}})-\d{{4}}(?!\d)
      | \d+(?:/\d+){{2,}}(?!\d)
      | (?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0[1-9])(?!\d)
      | (?:1[0-2]|0[1-9])/[1-9](?!\d)
      | \d+(?:[.,:]\d+)*
    )
    (?:(?i:st|nd|rd|th|s){_END_OF_WORD}|['’`](?i:s){_END_OF_WORD})?
"""
#: The words a clitic is split from, as EWT splits them:
#: the word before ``n't`` (``do|n't``, ``ca|n't``, ``wo|n't``); a negated
#: auxiliary written without the apostrophe (``do|nt``); a pronoun and its
#: verb written as one word (``i|m``, ``you|re``, ``that|s``); and PTB's
#: ``can|not``, ``gon|na``, ``wan|na``, ``got|ta``, ``out|ta``, ``lem|me``,
#: ``gim|me``.
_CLITIC_HOST = rf"""
    (?={_L})(?:
    {_W}+(?=(?i:n['’`]t){_END_OF_WORD})
  | (?<!{_W})(?i:
        (?:do|does|did|is|are|was|were|has|have|had|wo|ca|could|would|should|must|need|ai)
        (?=nt{_END_OF_WORD})
      | i(?=(?:m|ve){_END_OF_WORD})
      | (?:you|they)(?=re{_END_OF_WORD})
      | (?:that|what|there|he|she|who)(?=s{_END_OF_WORD})
      | can(?=not{_END_OF_WORD})
      | (?:gon|wan)(?=na{_END_OF_WORD})
      | (?:got|out)(?=ta{_END_OF_WORD})
      | (?:lem|gim)(?=me{_END_OF_WORD})
    )
    )
"""
#: Clitics after an apostrophe (straight, curly or a backtick):
#: ``n't`` ``'s`` ``'m`` ``'re`` ``'ve`` ``'ll`` ``'d``.
_CLITIC_SUFFIXES = "s|m|re|ve|ll|d"
_CLITIC = rf"""
    (?i:n['’`]t|['’`](?:{_CLITIC_SUFFIXES})){_END_OF_WORD}
"""
#: Abbreviations: letters each followed by a period (``U.S.``, ``e.g.``,
#: ``p.m.``, ``U.S.A``); a known abbreviation (``Mr.``, ``etc.``, see
#: :data:`ABBREVIATIONS`, also before a word: ``Dr.Smith`` -> ``Dr. Smith``);
#: a single initial (``W.``). The final period stays off when it ends the
#: text or a line (``in the U.S.`` -> ``U.S .``) or when two more periods
#: follow (``etc...`` -> ``etc ...``, but ``Inc..`` -> ``Inc. .``).
_ABBREVIATION = rf"""
    (?={_L})(?:
    (?:{_L}\.)+{_L}{_END_OF_WORD}(?:\.(?!{_W}|\.\.){_NOT_AT_END})?
  | (?<!{_W})(?:{_abbreviations(ABBREVIATIONS)})\.(?!\.\.){_NOT_AT_END}
  | (?<!{_W}){_L}\.(?!{_W}|\.\.){_NOT_AT_END}
    )
"""
#: Words: word characters, joined across a period, ``&`` or an apostrophe
#: when a word character follows (``enron.com``, ``AT&T``, ``O'Brien``, but
#: not the apostrophe of a clitic), and across the hyphen after a bound
#: prefix (``e-mail``); two single letters and a slash (``w/o``, ``I/O``).
_WORD = rf"""
    (?={_W})(?:
    (?<!{_W}){_L}/{_L}{_END_OF_WORD}
  | (?:(?<!{_W})(?i:{_words(_BOUND_PREFIXES)})-(?={_W}))*
    {_WORD_RUN}
    (?:(?:[.&]|['’](?!(?i:{_CLITIC_SUFFIXES}){_END_OF_WORD})){_WORD_RUN})*
    )
"""
#: Punctuation: an ellipsis (``...``, ``…``); a run of ``!`` and ``?``,
#: perhaps after one or two periods (``!!``, ``?!``, ``.?``); two periods; a
#: doubled quote (``''``, ``’’``); a run of symbols (``--``, ``>>``, ``**``,
#: ``->``, ``=====``); a run of ``$``.
_PUNCTUATION = r"""
    \.{3,} | …+
  | \.{0,2}[!?][!?.]*
  | \.\.
  | '' | ‘‘ | ’’ | `` | ‘’ | ""
  | [-=*~+\#<>|\\^]{2,}
  | \$+
"""
#: Anything else is one character per token (``(``, ``"``, ``%``, an emoji),
#: with the combining marks, emoji modifiers and zero-width joiners that
#: extend it (``👍🏽``, ``👩‍💻``); a pair of regional indicators is a flag.
_EXTEND = rf"[{_MARK}\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]"
_OTHER = rf"""
    [\U0001f1e6-\U0001f1ff]{{2}}
  | \S{_EXTEND}*(?:\u200d\S{_EXTEND}*)*
"""

#: The default token pattern of :func:`tokenize`, a verbose regular expression.
#:
#: Its text starts with the ``(?x)`` flag. Of its alternatives the first that
#: matches at a position wins: URLs, e-mail addresses, hashtags, emoticons,
#: numbers, words before a clitic, clitics, abbreviations, words,
#: punctuation, any other character (the module documentation says what
#: each does; the source has each piece on its own, commented). To add a
#: rule of your own, put it first:
#: ``"(?x) New\ York | " + TOKEN_PATTERN.removeprefix("(?x)")``.
TOKEN_PATTERN = "(?x)" + "|".join(
    f"(?:{piece})"
    for piece in (
        _URL, _EMAIL, _HASHTAG, _EMOTICON, _NUMBER, _CLITIC_HOST, _CLITIC, _ABBREVIATION, _WORD,
        _PUNCTUATION, _OTHER,
    )
)


# --------------------------------------------------------------------------
# Tokenizing


def _compile(token_pattern):
    """The compiled, checked pattern for ``token_pattern`` (None: the default)."""
    if token_pattern is None:
        token_pattern = TOKEN_PATTERN
    elif not isinstance(token_pattern, (str, re.Pattern)):
        raise TypeError(
            "token_pattern must be None, a str or a compiled re.Pattern, "
            f"got {type(token_pattern).__name__}"
        )
    return _checked_pattern(token_pattern)


@functools.lru_cache(maxsize=32)
def _checked_pattern(token_pattern):
    if isinstance(token_pattern, re.Pattern):
        pattern = token_pattern
    else:
        try:
            pattern = re.compile(token_pattern)
        except re.error as error:
            raise ValueError(
                f"token_pattern {token_pattern!r} is not a valid regular expression: {error}"
            ) from None
    if not isinstance(pattern.pattern, str):
        raise TypeError("token_pattern must be a str pattern, not a bytes pattern; decode it")
    if pattern.groups > 1:
        raise ValueError(
            f"token_pattern {pattern.pattern!r} has {pattern.groups} capturing groups; at "
            "most one is allowed (its match is the token): write the others as (?:...)"
        )
    if pattern.match("") is not None:
        raise ValueError(
            f"token_pattern {pattern.pattern!r} matches the empty string; a token must "
            "have at least one character: use + instead of * (e.g. r'\\w+', not r'\\w*')"
        )
    return pattern


def _check_text(text, name="text"):
    if not isinstance(text, str):
        hint = "; decode it first" if isinstance(text, (bytes, bytearray)) else ""
        raise TypeError(f"{name} must be a str, got {type(text).__name__}{hint}")


def _strip(text, start, end):
    """``(start, end)`` without the whitespace at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_NON_SPACE = re.compile(r"\S+")


def _add_left_over(tokens, text, start, end):
    """Append each run of non-whitespace in ``text[start:end]`` as a token."""
    if start < end and not text[start:end].isspace():
        tokens.extend(
            Token(run.group(), run.start(), run.end())
            for run in _NON_SPACE.finditer(text, start, end)
        )


def _tokens(pattern, text):
    """The tokens of ``text``: the pattern's matches and the runs it left."""
    group = 1 if pattern.groups else 0
    tokens = []
    done = 0
    for match in pattern.finditer(text):
        start, end = match.span(group)
        if start == end:  # empty, or the group did not take part (-1, -1)
            continue
        if text[start].isspace() or text[end - 1].isspace():
            start, end = _strip(text, start, end)
            if start == end:
                continue
        _add_left_over(tokens, text, done, start)
        tokens.append(Token(text[start:end], start, end))
        done = end
    _add_left_over(tokens, text, done, len(text))
    return tokens


def tokenize(text, *, token_pattern=None):
    """Split a text into tokens with their character offsets.

    Parameters
    ----------
    text : str
        The text. It may hold several sentences and lines; offsets are
        always relative to it.
    token_pattern : str or re.Pattern, default=None
        Regular expression whose matches are the tokens, found left to
        right without overlap (as :func:`re.finditer` does); with one
        capturing group, the group is the token. None means
        :data:`TOKEN_PATTERN`, the English treebank tokenization. Whitespace
        at the ends of a match is left out of the token. Characters no match
        covers are not dropped: each run of them between whitespace is a
        token of its own.

    Returns
    -------
    tokens : list of Token
        In text order, not overlapping, each with ``text[start:end] ==
        token.text``; every character of ``text`` that is not whitespace is
        in exactly one of them. Empty for a text of only whitespace.

    Raises
    ------
    TypeError
        If ``text`` is not a str, or ``token_pattern`` is not None, a str
        or a compiled str pattern.
    ValueError
        If ``token_pattern`` is not a valid regular expression, matches the
        empty string, or has more than one capturing group.

    See Also
    --------
    split_sentences : Group the tokens into sentences.
    RegexTokenizer : The same as a callable for ``TokenTagger(tokenizer=...)``.

    Examples
    --------
    >>> [t.text for t in tokenize("I don't think it's $5.50 -- it's 7:30pm!")]
    ['I', 'do', "n't", 'think', 'it', "'s", '$', '5.50', '--', 'it', "'s", '7:30', 'pm', '!']
    >>> tokenize("Dr. Smith e-mailed me.")
    [Token(text='Dr.', start=0, end=3), Token(text='Smith', start=4, end=9), \
Token(text='e-mailed', start=10, end=18), Token(text='me', start=19, end=21), \
Token(text='.', start=21, end=22)]
    >>> [t.text for t in tokenize("see http://x.org/a?b=1, or mail jo@x.org.")]
    ['see', 'http://x.org/a?b=1', ',', 'or', 'mail', 'jo@x.org', '.']

    A pattern of your own; what it leaves out still becomes tokens:

    >>> [t.text for t in tokenize("state-of-the-art, isn't it?", token_pattern=r"\\w+")]
    ['state', '-', 'of', '-', 'the', '-', 'art', ',', 'isn', "'", 't', 'it', '?']
    """
    _check_text(text)
    return _tokens(_compile(token_pattern), text)


# --------------------------------------------------------------------------
# Sentences

#: Tokens after which a sentence does not end although they end in a period:
#: titles, months, abbreviations that something follows, a single initial.
_NOT_FINAL = re.compile(
    r"(?:(?i:mr|mrs|ms|messrs|dr|drs|prof|rev|hon|gen|lt|col|capt|cpt|sgt|cmdr|adm|maj|gov|"
    r"sen|rep|reps|pres|vs|cf|approx|viz|e\.g|i\.e|nos|vol|vols|pp|fig|figs|ext|attn|tel|"
    r"jan|feb|apr|jun|jul|aug|sep|sept|oct|nov|dec)|St|Sts|Mt|Fr|No|NO|Mar)\.|[^\W\d_]\."
)
#: Closing quotes and brackets, which stay with the sentence they close.
_CLOSING = ")]}\"'”’»"
#: Opening quotes and brackets, which may begin a sentence.
_OPENING = "\"'“‘«([{"
#: A token that ends a sentence when one can begin after it: it ends in
#: ``.`` ``!`` ``?`` or ``…`` (closing quotes and brackets aside).
_FINAL = re.compile(rf".*[.!?…][{re.escape(_CLOSING)}]*", re.DOTALL)
#: A blank line: always a sentence boundary.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def _begins_sentence(text, position):
    """Whether a sentence can begin at ``position``: an opening quote or bracket
    or nothing, then an uppercase letter, a letter without case (Hangul) or a digit."""
    end = len(text)
    while position < end and text[position] in _OPENING:
        position += 1
    if position == end:
        return False
    char = text[position]
    return char.isdigit() or (char.isalpha() and not char.islower())


def _sentence_ends(text, tokens):
    """Yield the indices ``i`` such that a sentence ends after ``tokens[i]``."""
    last = len(tokens) - 1
    i = 0
    while i < last:
        token = tokens[i]
        if _FINAL.fullmatch(token.text) and not _NOT_FINAL.fullmatch(token.text):
            while (
                i < last
                and tokens[i + 1].start == tokens[i].end
                and tokens[i + 1].text.strip(_CLOSING) == ""
            ):
                i += 1  # closing quotes and brackets belong to the sentence
            if i < last and (
                (tokens[i + 1].start > tokens[i].end
                 and _begins_sentence(text, tokens[i + 1].start))
                or _BLANK_LINE.search(text, tokens[i].end, tokens[i + 1].start)
            ):
                yield i
        elif _BLANK_LINE.search(text, token.end, tokens[i + 1].start):
            yield i
        i += 1


def align_tokens(text, tokens):
    """Find token strings in the text they came from: their offsets.

    For a tokenizer that returns only strings (``TokenTagger(tokenizer=...)``
    takes any function from a str to a list of str): each token is looked
    up in ``text`` left to right, after the end of the one before.

    Parameters
    ----------
    text : str
        The text that was tokenized.
    tokens : list of str
        Its tokens, in order, each written exactly as in ``text``.

    Returns
    -------
    tokens : list of Token
        The same tokens with their offsets.

    Raises
    ------
    TypeError
        If ``text`` or a token is not a str.
    ValueError
        If a token is empty or not in the rest of ``text`` (a tokenizer that
        changes the text, for instance one that lowercases it).

    Examples
    --------
    >>> align_tokens("I don't", ["I", "do", "n't"])
    [Token(text='I', start=0, end=1), Token(text='do', start=2, end=4), \
Token(text="n't", start=4, end=7)]
    """
    _check_text(text)
    if isinstance(tokens, str):
        raise TypeError("tokens must be a list of str, not a single str")
    aligned = []
    end = 0
    for k, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(f"tokens[{k}] is {type(token).__name__}; tokens must be str")
        start = text.find(token, end) if token else -1
        if start < 0:
            raise ValueError(
                f"tokens[{k}] = {token!r} is not in the text after offset {end}; offsets "
                "need tokens written exactly as in the text, in order (a tokenizer that "
                "lowercases or normalises the text cannot give them)"
            )
        end = start + len(token)
        aligned.append(Token(token, start, end))
    return aligned


def _check_tokens(text, tokens):
    """``tokens`` as a list of Token, checked to be tokens of ``text`` in order."""
    tokens = list(tokens)
    end = 0
    for k, token in enumerate(tokens):
        try:
            token_text, start, stop = token
        except (TypeError, ValueError):
            raise TypeError(
                f"tokens[{k}] is {token!r}; tokens must be (text, start, end) triples "
                "such as tokenize(text) returns"
            ) from None
        if not (isinstance(start, Integral) and isinstance(stop, Integral)) or not (
            end <= start < stop <= len(text)
        ) or text[start:stop] != token_text:
            raise ValueError(
                f"tokens[{k}] = {tuple(token)!r} is not a token of the text in order: its "
                "offsets must follow the previous token's and text[start:end] must be its "
                "text; pass the tokens tokenize(text) returned for this text"
            )
        end = stop
    return [Token(token_text, int(start), int(stop)) for token_text, start, stop in tokens]


def split_sentences(text, tokens=None, *, token_pattern=None):
    """Split a text into sentences of tokens.

    A sentence ends after ``.``, ``!``, ``?`` or ``…`` (or a run of them,
    or an abbreviation that can end one, such as ``etc.``) and any closing
    quotes and brackets, when whitespace and a token that starts with an
    uppercase letter, a letter without case (Hangul), a digit or an opening
    quote or bracket follow. It does not end after a title (``Mr.``,
    ``Dr.``), a month (``Sept. 11``), a single initial (``J.``) or an
    abbreviation that something follows (``e.g.``, ``No.``, ``vs.``). A
    blank line always ends a sentence; a single line break does not.

    Parameters
    ----------
    text : str
        The text.
    tokens : list of Token, default=None
        Its tokens, if you have them (from :func:`tokenize`, in order, with
        offsets into ``text``); None tokenizes ``text`` with
        ``token_pattern``.
    token_pattern : str or re.Pattern, default=None
        The token pattern when ``tokens`` is None; see :func:`tokenize`.

    Returns
    -------
    sentences : list of list of Token
        The tokens, grouped; no sentence is empty, offsets stay relative to
        ``text``. Empty for a text of only whitespace.

    Raises
    ------
    TypeError
        If ``text`` is not a str or a token is not a ``(text, start, end)``
        triple.
    ValueError
        If both ``tokens`` and ``token_pattern`` are given, or ``tokens``
        are not tokens of ``text`` in order.

    Examples
    --------
    >>> text = 'Mr. Kim arrived at 5 p.m. "Hi!" he said.\\n\\nno capital here'
    >>> [[t.text for t in s] for s in split_sentences(text)]
    [['Mr.', 'Kim', 'arrived', 'at', '5', 'p.m.'], ['"', 'Hi', '!', '"', 'he', 'said', '.'], \
['no', 'capital', 'here']]
    >>> split_sentences("Hi. Bye.")[1]
    [Token(text='Bye', start=4, end=7), Token(text='.', start=7, end=8)]
    """
    _check_text(text)
    if tokens is None:
        tokens = tokenize(text, token_pattern=token_pattern)
    elif token_pattern is not None:
        raise ValueError(
            "pass tokens or token_pattern, not both: token_pattern is only used to "
            "tokenize the text when tokens is None"
        )
    else:
        tokens = _check_tokens(text, tokens)
    sentences = []
    start = 0
    for end in _sentence_ends(text, tokens):
        sentences.append(tokens[start : end + 1])
        start = end + 1
    if start < len(tokens):
        sentences.append(tokens[start:])
    return sentences


# --------------------------------------------------------------------------
# The tokenizer object


class RegexTokenizer(BaseEstimator):
    """A tokenizer for :class:`~sktag.TokenTagger`: a str sentence to its tokens.

    Calling it returns the token texts, as ``TokenTagger(tokenizer=...)``
    expects; :meth:`tokenize` and :meth:`split_sentences` keep the offsets.
    It holds nothing but its parameter, so it pickles, clones and prints
    like any scikit-learn object.

    Parameters
    ----------
    token_pattern : str or re.Pattern, default=None
        Regular expression whose matches are the tokens; None means
        :data:`TOKEN_PATTERN`, the English treebank tokenization. See
        :func:`tokenize`. Checked on first use.

    See Also
    --------
    tokenize : The function behind it.

    Examples
    --------
    >>> tokenizer = RegexTokenizer()
    >>> tokenizer("You can't be serious.")
    ['You', 'ca', "n't", 'be', 'serious', '.']
    >>> tokenizer.tokenize("I'm")
    [Token(text='I', start=0, end=1), Token(text="'m", start=1, end=3)]
    >>> RegexTokenizer(token_pattern=r"\\S+")
    RegexTokenizer(token_pattern='\\\\S+')

    It goes into a tagger for sentences given as str:

    >>> from sktag import TokenTagger
    >>> TokenTagger(tokenizer=RegexTokenizer()).get_params()["tokenizer"]
    RegexTokenizer()
    """

    def __init__(self, token_pattern=None):
        self.token_pattern = token_pattern

    def __call__(self, text):
        """Return the tokens of ``text`` as a list of str.

        Parameters
        ----------
        text : str
            A sentence or any text.

        Returns
        -------
        tokens : list of str
            The token texts of :meth:`tokenize`.
        """
        return [token.text for token in self.tokenize(text)]

    def tokenize(self, text):
        """Return the tokens of ``text`` with their offsets.

        Parameters
        ----------
        text : str
            A sentence or any text.

        Returns
        -------
        tokens : list of Token
            See :func:`tokenize`.
        """
        return tokenize(text, token_pattern=self.token_pattern)

    def split_sentences(self, text):
        """Return the sentences of ``text``, each a list of tokens with offsets.

        Parameters
        ----------
        text : str
            Any text.

        Returns
        -------
        sentences : list of list of Token
            See :func:`split_sentences`.
        """
        return split_sentences(text, token_pattern=self.token_pattern)
