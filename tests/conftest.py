"""What the tests share: small data sets, and taggers trained once per session.

A session's taggers are shared by every test that asks for them: tests
predict, score, save and pickle them, and never change them (a test that
changes a tagger trains its own).
"""

import os

# Quiet TensorFlow's C++ start-up logging in test output; set before TF loads.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import random  # noqa: E402

import pytest  # noqa: E402

PEOPLE = [["Ann"], ["Bob", "Smith"], ["Carla", "Diaz"], ["Dev"], ["Eve", "Moor", "Lee"]]
PLACES = [["Rome"], ["New", "York"], ["Oslo"], ["Lima"], ["San", "Jose"]]
TEMPLATES = [
    ["{PER}", "visited", "{LOC}", "."],
    ["In", "{LOC}", ",", "{PER}", "met", "{PER}", "."],
    ["{PER}", "{PER}", "moved", "to", "{LOC}", "."],  # two people, side by side
    ["Nobody", "went", "to", "{LOC}", "today", "."],
]


@pytest.fixture
def seed_data():
    from sktag.datasets import load_seed_example

    return load_seed_example(return_X_y=True)


@pytest.fixture
def toy_pos():
    """A small synthetic POS-like task with a clear rule and rare nouns.

    Determiners and verbs are frequent; every noun is a distinct rare word, so
    an unseen word is most likely a noun.
    """
    import numpy as np

    rng = np.random.RandomState(0)
    dets, verbs = ["the", "a", "this"], ["runs", "eats", "sees", "likes"]
    X, y = [], []
    for i in range(60):
        n_words = rng.randint(1, 4)
        tokens, labels = [], []
        for _ in range(n_words):
            noun = "n" + "".join(chr(ord("a") + int(d)) for d in f"{i}x{len(tokens)}" if d != "x")
            tokens += [str(rng.choice(dets)), noun + "z", str(rng.choice(verbs))]
            labels += ["DET", "NOUN", "VERB"]
        X.append(tokens)
        y.append(labels)
    return X, y


@pytest.fixture(scope="session")
def entity_corpus():
    """60 sentences of people and places in IOB2 (PER, LOC), from 4 templates.

    Entities of one to three tokens, two people side by side in every fourth
    sentence; a tagger can learn them by heart. Its first ``n`` sentences are
    the corpus of ``n`` sentences. Shared by the session: never change it.
    """
    rng = random.Random(0)
    X, y = [], []
    for i in range(60):
        tokens, labels = [], []
        for slot in TEMPLATES[i % len(TEMPLATES)]:
            if slot in ("{PER}", "{LOC}"):
                words = rng.choice(PEOPLE if slot == "{PER}" else PLACES)
                kind = slot[1:-1]
                tokens += words
                labels += [f"B-{kind}"] + [f"I-{kind}"] * (len(words) - 1)
            else:
                tokens.append(slot)
                labels.append("O")
        X.append(tokens)
        y.append(labels)
    return X, y


@pytest.fixture(scope="session")
def tiny_tagger():
    """``TokenTagger(d_model=4, epochs=1, random_state=0)`` fitted on the
    sentences ``[["a", "b"], ["c"]]`` tagged ``[["N", "V"], ["N"]]``.

    Shared by the session: use it, never change it.
    """
    from sktag import TokenTagger

    return TokenTagger(d_model=4, epochs=1, random_state=0).fit([["a", "b"], ["c"]],
                                                                [["N", "V"], ["N"]])
