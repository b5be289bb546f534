"""The documented configurations of :class:`~sktag.TokenTagger`, defined once.

The README, ``sktag train --best`` and the benchmarks (``benchmarks/``) all
take them from here; a test checks that the README's constructor calls say
the same. Each function returns new keyword arguments (a fresh
:class:`~sktag.Vocabulary` each time), so ``TokenTagger(**best())`` can be
changed without touching the next one.
"""

from .vocabulary import Vocabulary

__all__ = ["ENTITY_CHANGES", "FAST_CHANGES", "KOREAN_CHANGES", "best", "entities",
           "fast_context", "korean", "for_labels"]

#: What the fast context configuration changes in the best one: convolutions
#: instead of the BiLSTM.
FAST_CHANGES = {"encoder": "conv", "n_layers": 2}

#: What the Korean configuration changes in the best one (and it trains 7
#: epochs with no ``min_steps``): two convolutions, dropout 0.5, lighter
#: word dropout, the weights averaged over the last steps (Adam's
#: exponential moving average) and no character classes (Hangul has no
#: case). On Kaist -> GSD, more epochs or no averaging cost Korean UPOS 1-2
#: points, word_dropout=2.0 half a point, the BiLSTM or dropout 0.15 Korean
#: nouns half a point, character classes 0.1-0.5 points.
KOREAN_CHANGES = {"encoder": "conv", "n_layers": 2, "dropout": 0.5, "min_steps": None,
                  "epochs": 7, "word_dropout": 1.0, "optimizer__use_ema": True,
                  "char_classes": False}


#: What the entity configuration changes in the best one: at least 1,400
#: updates instead of 300. Entity F1 on small sets keeps rising long after
#: token accuracy has stopped: on the 1,600 UNER sentences (six seeds) 300
#: updates gave F1 0.336, below sklearn-crfsuite's 0.365, 600 gave 0.395
#: and 1,400 (56 epochs) 0.417. Sets of 10,000 sentences and more train 7
#: epochs either way.
ENTITY_CHANGES = {"min_steps": 1400}


def best():
    """The best configuration for English part-of-speech tags (and, as :func:`entities`, entity tags).

    A BiLSTM over lowercased word embeddings and character features, word
    dropout, a cosine learning-rate schedule and a training length that
    follows the data: 7 epochs, and at least 300 updates (7 epochs of English
    EWT, 19 of a 1,000-sentence set); entity tags use :func:`entities`; see
    the table in docs/design.md for how it was chosen.

    Returns
    -------
    params : dict
        Keyword arguments of :class:`~sktag.TokenTagger`.
    """
    return dict(
        encoder="bilstm", d_model=100, char_dim=16, hidden_dim=128, dropout=0.15,
        word_dropout=2.0, vocabulary=Vocabulary(lowercase=True), epochs=7, min_steps=300,
        batch_size=64, learning_rate=0.005, learning_rate_schedule="cosine",
    )


def fast_context():
    """The best configuration with two convolutions instead of the BiLSTM.

    Returns
    -------
    params : dict
    """
    return dict(best(), **FAST_CHANGES)


def korean():
    """The configuration for Korean words (eojeol): see :data:`KOREAN_CHANGES`.

    Returns
    -------
    params : dict
    """
    params = dict(best(), **KOREAN_CHANGES)
    del params["min_steps"]  # None is the default: epochs decide
    return params


def entities():
    """The best configuration for entity tags (IOB1, IOB2, IOBES, BILOU): see :data:`ENTITY_CHANGES`.

    Returns
    -------
    params : dict
    """
    return dict(best(), **ENTITY_CHANGES)


def for_labels(y):
    """The best configuration for these training labels: :func:`entities` or :func:`best`.

    Parameters
    ----------
    y : list of list of labels
        Training labels, one list per sentence.

    Returns
    -------
    params : dict
    """
    from .schemes import detect_scheme

    return entities() if detect_scheme(y) is not None else best()
