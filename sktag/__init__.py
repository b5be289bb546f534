"""sktag: neural token classification as a first-class scikit-learn estimator.

>>> from sktag import TokenTagger, Vocabulary

``import sktag`` stays light: scikit-learn loads when a class is first
used, ONNX Runtime when a tagger first predicts, TensorFlow and Keras only
when one trains, so readers, metrics, the vocabulary and serving a saved
model work without paying for them. The public submodules (``configurations``,
``datasets``, ``io``, ``metrics``, ``persistence``, ``tokenization``,
``spans``, ``plotting``, ``parallel``, ``cli`` ...: every module of the
package whose name has no leading underscore) load on first use too:
``import sktag`` then ``sktag.configurations.best()`` imports
``sktag.configurations`` at that point.
"""

from importlib import import_module as _import_module
from importlib.util import find_spec as _find_spec

from ._version import __version__

__all__ = ["TokenTagger", "Vocabulary", "get_threads", "load", "set_threads", "__version__"]


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
    if name in ("set_threads", "get_threads"):  # ONNX Runtime's threads for serving
        from . import inference

        return getattr(inference, name)
    # A public submodule, found in the package's folder rather than in a list
    # that a new module would have to join. Importing it also binds it in this
    # module's namespace, so this runs once per name. Submodules are not in
    # __dir__: help(sktag) and inspect.getmembers read every name dir() gives,
    # and sktag.training would import TensorFlow for them.
    if name.isidentifier() and not name.startswith("_") and _find_spec(f"{__name__}.{name}"):
        return _import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'sktag' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + ["TokenTagger", "Vocabulary", "get_threads", "load",
                                     "set_threads"])
