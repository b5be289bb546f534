"""Entities of a sentence as character spans, with their probabilities.

:func:`decode_spans` turns one sentence's per-token probabilities into the
entities of its best valid tagging (:class:`sktag.decoding.Lattice`), each a
:class:`Span` with character offsets into the source text, token indices and
a score: the marginal probability of that exact entity. :func:`spans_from_tags` reads the
entities of a label sequence; :func:`offsets_for_tokens` gives pre-tokenized
input the offsets of its tokens in their space-joined text.
:func:`texts_with_tokens` and :func:`annotate_texts` are what
:meth:`TokenTagger.predict_spans <sktag.TokenTagger.predict_spans>` and
:meth:`TokenTagger.annotate <sktag.TokenTagger.annotate>` do with texts:
tokenize them with offsets, tag them, and assemble tokens and spans.

Examples
--------
>>> import numpy as np
>>> from sktag.spans import decode_spans, offsets_for_tokens
>>> tokens = ["Ann", "Lee", "saw", "Rome"]
>>> text = " ".join(tokens)
>>> p = np.array([[0.0, 0.8, 0.0, 0.1, 0.1],    # classes: B-LOC B-PER I-LOC I-PER O
...               [0.0, 0.1, 0.0, 0.8, 0.1],
...               [0.0, 0.0, 0.0, 0.0, 1.0],
...               [0.6, 0.0, 0.3, 0.0, 0.1]])
>>> classes = ["B-LOC", "B-PER", "I-LOC", "I-PER", "O"]
>>> for span in decode_spans(text, offsets_for_tokens(tokens), p, classes, "IOB2"):
...     print(span.label, repr(span.text), span.start, span.end, round(span.score, 3))
PER 'Ann Lee' 0 7 0.78
LOC 'Rome' 12 16 0.857
"""

import dataclasses
import operator
from dataclasses import asdict, dataclass

import numpy as np

from .decoding import Lattice
from .schemes import read_entities

__all__ = ["Span", "annotate_texts", "decode_spans", "offsets_for_tokens", "spans_from_tags",
           "texts_with_tokens"]


@dataclass(frozen=True)
class Span:
    """One entity of a text: where it is, its type and its probability.

    Attributes
    ----------
    start, end : int
        Character offsets into the source text, end exclusive:
        ``source[start:end] == text``.
    label : str
        The entity type, without prefix (``"PER"`` for ``B-PER I-PER``).
    text : str
        The entity's text, from the source (what lies between its tokens
        included).
    score : float
        The probability, under the model's per-token distributions restricted
        to valid sequences of the scheme, that the sentence contains exactly
        this entity: this type, beginning at this token and ending at that
        token (see :func:`sktag.decoding.span_marginals`). Not calibrated
        unless the model is.
    token_start, token_end : int
        The entity's tokens, end exclusive.

    Examples
    --------
    >>> Span(0, 3, "PER", "Ann", 0.9, 0, 1).to_dict()
    {'start': 0, 'end': 3, 'label': 'PER', 'text': 'Ann', 'score': 0.9, 'token_start': 0, 'token_end': 1}
    """

    start: int
    end: int
    label: str
    text: str
    score: float
    token_start: int
    token_end: int

    def to_dict(self):
        """The span as a dict of JSON types, fields in order.

        Returns
        -------
        dict
        """
        return asdict(self)


def spans_from_tags(tags, scheme):
    """The entities of a label sequence, as ``(type, token_start, token_end)``.

    Read as conlleval and seqeval's default mode read them: ``B-``, ``S-`` and
    ``U-`` begin an entity; ``I-``, ``E-`` and ``L-`` continue the entity of
    their type that a ``B-`` or ``I-`` on the previous token left open, and
    otherwise begin one; ``E-``, ``L-``, ``S-``, ``U-`` and ``O`` close it.
    For a valid sequence of the scheme (what :func:`sktag.decoding.best_path`
    returns) this is the scheme's reading; an invalid one (e.g. from
    ``decoding="argmax"``) is read leniently, never dropping a token
    (:func:`sktag.schemes.read_entities`, the one reader of entities):
    ``O I-PER`` holds a PER at token 1, ``B-PER I-LOC`` a PER and a LOC, and in
    IOBES ``B-PER O`` a PER at token 0.

    Parameters
    ----------
    tags : sequence of str
        One label per token.
    scheme : {"IOB1", "IOB2", "IOBES", "BILOU"}
        The scheme the labels are in (see :func:`sktag.decoding.detect_scheme`).

    Returns
    -------
    spans : list of (str, int, int)
        Entity type, first token and the token after the last, in order; the
        spans never overlap.

    Raises
    ------
    ValueError
        The scheme is unknown, or a label is not of the scheme.

    Examples
    --------
    >>> spans_from_tags(["B-PER", "I-PER", "O", "B-LOC"], "IOB2")
    [('PER', 0, 2), ('LOC', 3, 4)]
    >>> spans_from_tags(["I-PER", "B-PER", "I-LOC"], "IOB1")
    [('PER', 0, 1), ('PER', 1, 2), ('LOC', 2, 3)]
    >>> spans_from_tags(["S-PER", "B-LOC", "E-LOC"], "IOBES")
    [('PER', 0, 1), ('LOC', 1, 3)]
    """
    return read_entities(tags, scheme)


def offsets_for_tokens(tokens, sep=" "):
    """Tokens with their character offsets in ``sep.join(tokens)``.

    Gives pre-tokenized input what :func:`decode_spans` needs: a text and
    where each token lies in it.

    Parameters
    ----------
    tokens : sequence of str
        One sentence's tokens.
    sep : str, default=" "
        What the tokens are joined with.

    Returns
    -------
    tokens : list of (str, int, int)
        Each token, its first character and the one after its last.

    Examples
    --------
    >>> offsets_for_tokens(["New", "York", "!"])
    [('New', 0, 3), ('York', 4, 8), ('!', 9, 10)]
    """
    if not isinstance(sep, str):
        raise TypeError(f"sep must be a str, got {type(sep).__name__} {sep!r}.")
    out, position = [], 0
    for k, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(f"Token {k} is {type(token).__name__} {token!r:.40}; tokens "
                            "must be str.")
        out.append((token, position, position + len(token)))
        position += len(token) + len(sep)
    return out


def _check_tokens(text, tokens):
    """Validate tokens with offsets into ``text``; return ``(starts, ends)`` as int lists."""
    if not isinstance(text, str):
        raise TypeError(f"text must be the source str the token offsets point into, got "
                        f"{type(text).__name__}.")
    starts, ends, previous_end = [], [], 0
    for k, token in enumerate(tokens):
        try:
            if isinstance(token, (str, bytes)):
                raise TypeError
            _, first, last = token
        except (TypeError, ValueError):
            raise TypeError(f"Token {k} is {token!r:.60}; expected (text, start, end) with "
                            "character offsets (see offsets_for_tokens).") from None
        try:
            first, last = operator.index(first), operator.index(last)
        except TypeError:
            raise TypeError(f"Token {k} has offsets ({first!r}, {last!r}); they must be "
                            "ints.") from None
        if not 0 <= first <= last <= len(text):
            raise ValueError(f"Token {k} has offsets ({first}, {last}), outside the text of "
                             f"{len(text)} characters (need 0 <= start <= end <= len(text)).")
        if first < previous_end:
            raise ValueError(f"Token {k} starts at {first}, before token {k - 1} ends at "
                             f"{previous_end}: tokens must be in text order and not overlap.")
        starts.append(first)
        ends.append(last)
        previous_end = last
    return starts, ends


def decode_spans(text, tokens, probabilities, classes, scheme, *, return_marginals=False,
                 path=None, lattice=None):
    """The entities of one sentence's best valid tagging, with their probabilities.

    Decodes the most probable path of a :class:`sktag.decoding.Lattice` (by
    default the scheme's label lattice: the most probable valid sequence),
    reads its entities (:func:`spans_from_tags`) and scores each
    with the probability, under the same lattice's distribution, that the
    sentence contains exactly this entity: this type, beginning at this token
    and ending at that token (forward-backward). The scores are not
    calibrated unless the model is.

    Parameters
    ----------
    text : str
        The source the token offsets point into.
    tokens : sequence of (str, int, int)
        The sentence's tokens with their character offsets in ``text``, end
        exclusive, in order and not overlapping (e.g. from
        :func:`offsets_for_tokens` for ``" ".join(words)``). The token
        strings are not compared with ``text``, so a tokenizer may normalize
        them.
    probabilities : ndarray of shape (n_tokens, n_classes)
        The sentence's per-token probabilities.
    classes : sequence of str
        The labels of the columns, e.g. a tagger's ``classes_``.
    scheme : {"IOB1", "IOB2", "IOBES", "BILOU"}
        The labels' entity scheme, e.g. a tagger's ``label_scheme_``.
    return_marginals : bool, default=False
        Also return the per-token posteriors of the same lattice
        (:meth:`sktag.decoding.Lattice.token_marginals`), consistent with the
        scores.
    path : ndarray of int of shape (n_tokens,), default=None
        The best path (:meth:`sktag.decoding.Lattice.best_path`), for a
        caller that has decoded it already; None decodes it.
    lattice : sktag.decoding.Lattice, default=None
        The lattice to decode on, e.g. a CRF's with its learned transition
        scores; None: ``Lattice(classes, scheme)``.

    Returns
    -------
    spans : list of Span
        In text order; they never overlap, lie inside ``text``, and
        ``text[span.start:span.end] == span.text``.
    marginals : ndarray of shape (n_tokens, n_classes)
        Only with ``return_marginals=True``.

    Raises
    ------
    ValueError
        The scheme is None or unknown (the labels are no entity tagging), a
        class is not of the scheme, the offsets are not inside ``text`` and in
        order, or the probabilities do not have one row per token and one
        column per class.

    Examples
    --------
    >>> import numpy as np
    >>> text = "Visit New York."
    >>> tokens = [("Visit", 0, 5), ("New", 6, 9), ("York", 10, 14), (".", 14, 15)]
    >>> classes = ["B-LOC", "E-LOC", "O", "S-LOC"]
    >>> p = np.array([[0.1, 0.0, 0.9, 0.0],
    ...               [0.6, 0.0, 0.1, 0.3],
    ...               [0.0, 0.5, 0.4, 0.1],
    ...               [0.0, 0.0, 1.0, 0.0]])
    >>> spans, marginals = decode_spans(text, tokens, p, classes, "IOBES",
    ...                                 return_marginals=True)
    >>> [(s.text, s.label, s.start, s.end, round(s.score, 3)) for s in spans]
    [('New York', 'LOC', 6, 14, 0.6)]
    >>> marginals.sum(axis=1).round(6).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    classes = np.asarray(classes, dtype=object)
    starts, ends = _check_tokens(text, tokens)
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if probabilities.ndim != 2 or probabilities.shape != (len(starts), len(classes)):
        raise ValueError(
            f"probabilities must have shape (n_tokens, n_classes) = ({len(starts)}, "
            f"{len(classes)}), one row per token and one column per class; got shape "
            f"{probabilities.shape}."
        )
    if lattice is None:
        lattice = Lattice(classes, scheme)
    if path is None:
        path = lattice.best_path(probabilities)
    found = read_entities(classes[path], scheme)
    scores, marginals = lattice.span_marginals(probabilities, found, return_token_marginals=True)
    spans = [
        Span(start=starts[first], end=ends[stop - 1], label=entity_type,
             text=text[starts[first]:ends[stop - 1]], score=float(score),
             token_start=first, token_end=stop)
        for (entity_type, first, stop), score in zip(found, scores)
    ]
    if return_marginals:
        return spans, marginals
    return spans


def _no_tokens(text):
    """A tokenizer for checking token lists only: texts are tokenized elsewhere."""
    return []


def texts_with_tokens(X, tokenizer=None, *, split_sentences=False):
    """The sentences to tag in texts or token lists, with character offsets.

    A str is tokenized with offsets: by ``tokenizer`` when there is one (its
    ``tokenize`` method if it has one, such as
    :class:`~sktag.tokenization.RegexTokenizer`, else its tokens are found in
    the text), otherwise by :func:`sktag.tokenization.tokenize`. A list of
    tokens is kept as it is; its offsets point into ``" ".join(tokens)``.

    Parameters
    ----------
    X : list of (str or list of str)
        Texts, or sentences already split into tokens.
    tokenizer : callable, default=None
        A tagger's ``tokenizer``.
    split_sentences : bool, default=False
        Split each str into sentences (:func:`sktag.tokenization.split_sentences`);
        offsets still point into the whole text.

    Returns
    -------
    sentences : list of tuple
        ``(index, text, tokens)`` per sentence to tag, in order: the index of
        its text in ``X``, that text (a token list's space-joined tokens),
        and its :class:`~sktag.tokenization.Token` list. A text yields at
        least one sentence, perhaps empty.

    Raises
    ------
    TypeError
        ``X`` is a single str, or not a list of texts and token lists.
    ValueError
        A tokenizer's tokens are not found in their text.
    """
    from .tokenization import Token, align_tokens, tokenize
    from .tokenization import split_sentences as sentences_of
    from .validation import check_sentences

    if isinstance(X, str):
        raise TypeError(
            f"X is a single str; expected a list of texts. Wrap one text in a list: [{X!r:.40}].")
    # X and its token lists are checked as predict checks them (a data frame,
    # a set, ... is rejected); a str is tokenized with offsets below.
    words_of = check_sentences(X, tokenizer=_no_tokens, allow_empty=True)
    out = []
    for i, item in enumerate(X):
        if isinstance(item, str):
            if tokenizer is None:
                tokens = tokenize(item)
            elif hasattr(tokenizer, "tokenize"):
                tokens = tokenizer.tokenize(item)
            else:
                try:
                    tokens = align_tokens(item, tokenizer(item))
                except ValueError as exc:
                    raise ValueError(f"X: text {i}: {exc}") from None
            groups = sentences_of(item, tokens) if split_sentences else [tokens]
            out.extend((i, item, group) for group in (groups or [[]]))
        else:
            words = words_of[i]
            out.append((i, " ".join(words), [Token(*t) for t in offsets_for_tokens(words)]))
    return out


def annotate_texts(X, probabilities, classes, *, tokenizer=None, lattice=None, scheme=None,
                   split_sentences=False):
    """Tag texts: their tokens with offsets, tags and probabilities, and their entities.

    What :meth:`TokenTagger.annotate <sktag.TokenTagger.annotate>` and
    :meth:`TokenTagger.predict_spans <sktag.TokenTagger.predict_spans>`
    assemble, from a tagger's pieces.

    Parameters
    ----------
    X : list of (str or list of str)
        Texts, or sentences already split into tokens (see
        :func:`texts_with_tokens`).
    probabilities : callable
        Takes a list of token lists and returns one array of shape
        ``(n_tokens_i, n_classes)`` per sentence, such as the ``probabilities``
        method of a tagger's prediction path.
    classes : ndarray of shape (n_classes,)
        The labels of the columns, a tagger's ``classes_``.
    tokenizer : callable, default=None
        A tagger's ``tokenizer`` (see :func:`texts_with_tokens`).
    lattice : sktag.decoding.Lattice, default=None
        Decode each sentence's best path on this lattice and read its
        entities (:func:`decode_spans`); None: each token's argmax, no spans.
    scheme : {"IOB1", "IOB2", "IOBES", "BILOU"}, default=None
        The labels' entity scheme; needed with ``lattice``.
    split_sentences : bool, default=False
        See :func:`texts_with_tokens`.

    Returns
    -------
    results : list of dict
        For each text: ``text``; ``tokens``, a list of dicts with ``text``,
        ``start``, ``end``, ``tag`` and ``probability`` (with a lattice, the
        probability of that tag at that token under the lattice's
        distribution; otherwise the given one); and ``spans``, a list of
        :class:`Span` (empty without a lattice), token indices counted over
        the whole text.
    """
    classes = np.asarray(classes)
    texts = texts_with_tokens(X, tokenizer, split_sentences=split_sentences)
    sentences = [[token.text for token in tokens] for _, _, tokens in texts]
    results = []
    for (i, text, tokens), p in zip(texts, probabilities(sentences)):
        if len(results) == i:  # the first sentence of text i
            results.append({"text": text, "tokens": [], "spans": []})
        if lattice is not None and len(tokens):
            ids = lattice.best_path(p)
            spans, marginals = decode_spans(text, tokens, p, classes, scheme,
                                            return_marginals=True, path=ids, lattice=lattice)
            chosen = marginals[np.arange(len(ids)), ids]
            offset = len(results[-1]["tokens"])
            results[-1]["spans"].extend(
                dataclasses.replace(span, token_start=span.token_start + offset,
                                    token_end=span.token_end + offset) for span in spans)
        else:
            ids = p.argmax(axis=1)
            chosen = p[np.arange(len(ids)), ids]
        tags = classes[ids].tolist()
        results[-1]["tokens"].extend(
            {"text": token.text, "start": int(token.start), "end": int(token.end),
             "tag": tag, "probability": float(prob)}
            for token, tag, prob in zip(tokens, tags, chosen))
    return results
