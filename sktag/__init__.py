"""sktag: neural token classification as a first-class scikit-learn estimator.

>>> from sktag import TokenTagger, Vocabulary
"""

from .tagger import TokenTagger
from .vocabulary import Vocabulary

__version__ = "0.1.0"

__all__ = ["TokenTagger", "Vocabulary", "__version__"]
