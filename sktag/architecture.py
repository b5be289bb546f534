"""What a tagger's model is, in plain values: no Keras, ONNX or TensorFlow.

The names of the context encoders (the ``encoder`` parameter of
:class:`~sktag.TokenTagger`) and :class:`GraphSpec`, the structure that the
weights alone do not say. The Keras builders (:mod:`sktag.models`), the ONNX
graphs (:mod:`sktag.onnx_graphs`), the tagger's parameter checks and the
model-file schema (:mod:`sktag.persistence`) all take them from here.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["ENCODERS", "OUTPUTS", "GraphSpec"]

#: The values of :class:`~sktag.TokenTagger`'s ``encoder`` parameter.
ENCODERS = ("dense", "conv", "bilstm")
#: The values of its ``output`` parameter: per-token softmax, or a linear-chain CRF.
OUTPUTS = ("softmax", "crf")


@dataclass(frozen=True)
class GraphSpec:
    """The structure of a tagger's model: what the weights alone do not say.

    Parameters
    ----------
    encoder : {"dense", "conv", "bilstm"}
        The model's context encoder (``build_model``'s ``encoder``).
    n_layers : int, default=1
        Number of context layers; ignored, as by ``build_model``, when
        ``encoder="dense"``.
    char : bool, default=False
        Whether the model has the character encoder.
    max_chars : int, default=20
        Width of each token's row of character ids (with ``char``).
    n_affix : int, default=3
        Characters taken from each end of a token (``AffixChars``); 0 for none.
    char_classes : bool, default=False
        Whether the character features end with ``CharClasses``.
    output : {"softmax", "crf"}, default="softmax"
        The output layer: with ``"crf"`` the model also holds the ``crf``
        layer's transition scores (the graphs compute the same per-token
        scores either way; decoding reads the transitions).
    """

    encoder: str
    n_layers: int = 1
    char: bool = False
    max_chars: int = 20
    n_affix: int = 3
    char_classes: bool = False
    output: str = "softmax"

    def __post_init__(self):
        if self.encoder not in ENCODERS:
            raise ValueError(f"encoder must be one of {ENCODERS}, got {self.encoder!r}.")
        if self.output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}, got {self.output!r}.")
        for field, low in (("n_layers", 0), ("max_chars", 1), ("n_affix", 0)):
            value = getattr(self, field)
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < low:
                raise ValueError(f"{field} must be an int >= {low}, got {value!r}.")
        if self.char and self.n_affix > self.max_chars:
            raise ValueError(
                f"n_affix ({self.n_affix}) cannot exceed max_chars ({self.max_chars})."
            )

    @property
    def n_context_layers(self):
        """Number of context layers the graph has: 0 for ``"dense"``."""
        return 0 if self.encoder == "dense" else int(self.n_layers)
