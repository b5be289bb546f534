import os

# Quiet TensorFlow's C++ start-up logging in test output; set before TF loads.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402


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
