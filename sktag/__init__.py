"""sktag: neural token classification as a first-class scikit-learn estimator.

>>> from sktag import TokenTagger, Vocabulary

``import sktag`` stays light: scikit-learn loads when a class is first
used, TensorFlow and Keras when :class:`TokenTagger` is, so readers, metrics
and the vocabulary work without paying for them.
"""

__version__ = "0.1.0"

__all__ = ["TokenTagger", "Vocabulary", "load", "__version__"]


def __getattr__(name):
    # Lazy imports: sktag.tagger loads Keras/TensorFlow (seconds) and
    # sktag.vocabulary scikit-learn (most of a second).
    if name == "TokenTagger":
        from .tagger import TokenTagger

        return TokenTagger
    if name == "Vocabulary":
        from .vocabulary import Vocabulary

        return Vocabulary
    if name == "load":
        from .persistence import load

        return load
    raise AttributeError(f"module 'sktag' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + ["TokenTagger", "Vocabulary", "load"])
