"""Datasets that ship with sktag: the tutorial's sentences and small UD samples."""

from importlib import resources

from sklearn.utils import Bunch

from ..io import read_conllu

__all__ = ["load_seed_example"]

_SEED_SENTENCES = [
    "나는 학생 입니다",
    "당신은 수학 선생님 입니다",
    "나는 선생님 입니다",
    "당신은 수학 학생 입니다",
]
_SEED_LABELS = [[0, 1, 0], [0, 1, 1, 0], [0, 1, 0], [0, 1, 1, 0]]
_SEED_LABEL_NAMES = ["기타", "명사"]  # other (0), noun (1)


def load_seed_example(return_X_y=False):
    """Load the four Korean sentences of the token-classification tutorial.

    Each word is labelled 1 if it is a noun (명사) and 0 otherwise (기타),
    exactly as in the tutorial sktag grows from.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data``: list of 4 sentences (str, words separated by spaces);
        ``target``: list of int label lists, one label per word;
        ``target_names``: ``["기타", "명사"]``, the name of label 0 and 1;
        ``DESCR``: a description.
    (X, y) : tuple
        If ``return_X_y`` is True.

    Examples
    --------
    >>> from sktag.datasets import load_seed_example
    >>> X, y = load_seed_example(return_X_y=True)
    >>> X[1], y[1]
    ('당신은 수학 선생님 입니다', [0, 1, 1, 0])
    """
    X = list(_SEED_SENTENCES)
    y = [list(labels) for labels in _SEED_LABELS]
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        target_names=list(_SEED_LABEL_NAMES),
        DESCR=(
            "Four Korean sentences from the token-classification tutorial; each "
            "word is labelled 1 (명사, noun) or 0 (기타, other)."
        ),
    )


# --------------------------------------------------------------------------
# Universal Dependencies samples (see data/README.md for sources and license)

__all__ += ["load_ud_english_sample", "load_ud_korean_sample"]

_SUBSETS = ("train", "test", "all")
_NOUN_UPOS = frozenset({"NOUN", "PROPN"})
_NOUN_LABEL_NAMES = ["기타", "명사"]  # other (0), noun (1), as in load_seed_example
_UD_LICENSE = (
    "License: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/); "
    "the treebanks' licence files and a description of the changes are in "
    "sktag/datasets/data/."
)
_EN_FILES = {
    "train": "en_ewt-ud-sample-train.conllu",
    "test": "en_ewt-ud-sample-test.conllu",
}
_KO_FILES = {
    "train": "ko_kaist-ud-sample-train.conllu",
    "test": "ko_gsd-ud-sample-test.conllu",
}
_EN_DESCR = (
    "English UD sample: the first 1,500 sentences of the train split (train) and "
    "the first 500 sentences of the dev split (test) of Universal Dependencies "
    "English-EWT v2.15 (English Web Treebank; Silveira et al., 2014). Tokens are "
    "syntactic words (FORM); FEATS, HEAD, DEPREL, DEPS and MISC were blanked. "
) + _UD_LICENSE
_KO_DESCR = (
    "Korean UD sample: the first 1,500 sentences of the dev split of Universal "
    "Dependencies Korean-Kaist (train) and the first 500 sentences of the dev "
    "split of UD Korean-GSD (test); Chun et al., 2018. Tokens are space-separated "
    "words (eojeol). With tag='noun', a word is labelled 1 (명사) if its UPOS is "
    "NOUN or PROPN, else 0 (기타). FEATS, HEAD, DEPREL, DEPS and MISC were blanked. "
) + _UD_LICENSE


def _check_subset(subset):
    if not isinstance(subset, str) or subset not in _SUBSETS:
        raise ValueError(
            f"subset must be one of {', '.join(map(repr, _SUBSETS))}; got {subset!r}"
        )


def _load_ud_sample(files, subset, tag, return_X_y, descr, noun=False):
    _check_subset(subset)
    names = ["train", "test"] if subset == "all" else [subset]
    column = "upos" if noun else tag
    X, y, paths = [], [], []
    for name in names:
        # importlib.resources finds the file inside an installed package (also
        # a zipped one); reading through .open() needs no real file path.
        resource = resources.files(__name__).joinpath("data", files[name])
        with resource.open("r", encoding="utf-8") as f:
            X_part, y_part = read_conllu(f, tag=column)
        X += X_part
        y += y_part
        paths.append(str(resource))
    if noun:
        y = [[int(label in _NOUN_UPOS) for label in labels] for labels in y]
    if return_X_y:
        return X, y
    target_names = (
        list(_NOUN_LABEL_NAMES) if noun else sorted({label for labels in y for label in labels})
    )
    return Bunch(
        data=X,
        target=y,
        target_names=target_names,
        DESCR=descr,
        filename=paths[0] if len(paths) == 1 else paths,
    )


def load_ud_english_sample(subset="train", tag="upos", return_X_y=False):
    """Load the English Universal Dependencies sample (UD English-EWT).

    A slice of UD English-EWT v2.15 shipped with sktag: ``"train"`` is the
    first 1,500 sentences of the treebank's train split, ``"test"`` the first
    500 sentences of its dev split.  Licensed CC BY-SA 4.0; see
    ``sktag/datasets/data/README.md``.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part to load; ``"all"`` is train followed by test.
    tag : str, default="upos"
        The CoNLL-U column to use as labels, case-insensitive: ``"upos"``
        (17 universal POS tags), ``"xpos"`` (Penn Treebank tags),
        ``"lemma"``, ...
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data``: list of sentences, each a list of str tokens;
        ``target``: list of str label lists, one label per token;
        ``target_names``: sorted list of the labels that occur;
        ``DESCR``: description with attribution;
        ``filename``: path of the file read (a list of two paths for
        ``subset="all"``).
    (X, y) : tuple
        If ``return_X_y`` is True.

    Raises
    ------
    ValueError
        If ``subset`` is not one of ``"train"``, ``"test"``, ``"all"``, or
        ``tag`` is not a CoNLL-U column name.

    Examples
    --------
    >>> from sktag.datasets import load_ud_english_sample
    >>> X, y = load_ud_english_sample(subset="test", return_X_y=True)
    >>> len(X), X[0][:4], y[0][:4]
    (500, ['From', 'the', 'AP', 'comes'], ['ADP', 'DET', 'PROPN', 'VERB'])
    """
    return _load_ud_sample(_EN_FILES, subset, tag, return_X_y, _EN_DESCR)


def load_ud_korean_sample(subset="train", tag="upos", return_X_y=False):
    """Load the Korean Universal Dependencies sample (UD Korean-Kaist / -GSD).

    ``"train"`` is the first 1,500 sentences of the dev split of UD
    Korean-Kaist, ``"test"`` the first 500 sentences of the dev split of UD
    Korean-GSD (a different treebank, so also a shift of domain).  Tokens are
    space-separated words (eojeol).  Licensed CC BY-SA 4.0; see
    ``sktag/datasets/data/README.md``.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part to load; ``"all"`` is train followed by test.
    tag : str, default="upos"
        ``"noun"`` for the tutorial's task: int label 1 where UPOS is NOUN or
        PROPN, else 0.  Otherwise a CoNLL-U column name, case-insensitive
        (``"upos"``, ``"xpos"``, ...), whose str values are the labels.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data``: list of sentences, each a list of str tokens;
        ``target``: list of label lists, one label per token (str, or int
        0/1 for ``tag="noun"``);
        ``target_names``: sorted list of the labels that occur, or
        ``["기타", "명사"]`` (names of 0 and 1) for ``tag="noun"``;
        ``DESCR``: description with attribution;
        ``filename``: path of the file read (a list of two paths for
        ``subset="all"``).
    (X, y) : tuple
        If ``return_X_y`` is True.

    Raises
    ------
    ValueError
        If ``subset`` is not one of ``"train"``, ``"test"``, ``"all"``, or
        ``tag`` is neither ``"noun"`` nor a CoNLL-U column name.

    Examples
    --------
    >>> from sktag.datasets import load_ud_korean_sample
    >>> X, y = load_ud_korean_sample(tag="noun", return_X_y=True)
    >>> X[0], y[0]
    (['내', '고향은', '서울입니다', '.'], [0, 1, 0, 0])
    """
    noun = isinstance(tag, str) and tag.strip().lower() == "noun"
    return _load_ud_sample(_KO_FILES, subset, tag, return_X_y, _KO_DESCR, noun=noun)
