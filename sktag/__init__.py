"""sktag: neural token classification as a first-class scikit-learn estimator.

>>> from sktag import TokenTagger, Vocabulary

``import sktag`` stays light: scikit-learn loads when a class is first
used, ONNX Runtime when a tagger first predicts, TensorFlow and Keras only
when one trains, so readers, metrics, the vocabulary and serving a saved
model work without paying for them.
"""

__version__ = "0.1.0"

__all__ = ["TokenTagger", "Vocabulary", "load", "__version__"]


def __getattr__(name):
    # Lazy imports: sktag.tagger and sktag.vocabulary load scikit-learn
    # (most of a second).
    if name == "TokenTagger":
        from .tagger import TokenTagger

        return TokenTagger
    if name == "Vocabulary":
        from .vocabulary import Vocabulary

        return Vocabulary
    if name == "load":
        from .tagger import load

        return load
    raise AttributeError(f"module 'sktag' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + ["TokenTagger", "Vocabulary", "load"])
