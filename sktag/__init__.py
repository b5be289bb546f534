"""sktag: neural token classification as a first-class scikit-learn estimator.

>>> from sktag import TokenTagger, Vocabulary

``import sktag`` stays light: TensorFlow and Keras load when
:class:`TokenTagger` is first used, so readers, metrics and the vocabulary
work without paying for them.
"""

from .vocabulary import Vocabulary

__version__ = "0.1.0"

__all__ = ["TokenTagger", "Vocabulary", "__version__"]


def __getattr__(name):
    # Lazy import: sktag.tagger imports Keras/TensorFlow (seconds to load).
    if name == "TokenTagger":
        from .tagger import TokenTagger

        return TokenTagger
    raise AttributeError(f"module 'sktag' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + ["TokenTagger"])
