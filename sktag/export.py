"""A fitted tagger as one standalone ONNX model, with its preprocessing metadata.

:func:`export_onnx` builds the whole model's graph from its weights
(:func:`sktag.onnx_graphs.build_tagger`) and stores, in the model's metadata
entry ``sktag.preprocessing``, the JSON object of
:func:`preprocessing_metadata`: what a service in any language needs to turn
tokens into the model's inputs and its outputs into labels. It is what
:meth:`TokenTagger.to_onnx <sktag.TokenTagger.to_onnx>` does.
"""

import json
from pathlib import Path

__all__ = ["export_onnx", "preprocessing_metadata"]

#: The metadata entry of an exported model that holds :func:`preprocessing_metadata`.
METADATA_KEY = "sktag.preprocessing"


def preprocessing_metadata(classes, label_scheme, vocabulary, char_vocabulary=None, *,
                           crf_transitions=None, crf_lattice=None):
    """How tokens become the ONNX model's inputs, as plain JSON data.

    Parameters
    ----------
    classes : ndarray of shape (n_classes,)
        The labels of the output's columns, a tagger's ``classes_``.
    label_scheme : str or None
        The labels' entity scheme, a tagger's ``label_scheme_``.
    vocabulary : sktag.Vocabulary
        The fitted word vocabulary, a tagger's ``vocabulary_``.
    char_vocabulary : object, default=None
        The fitted character table, a tagger's ``char_vocabulary_``; None
        for a model without characters.
    crf_transitions : tuple of ndarray, default=None
        A CRF's learned ``(transitions, start, end)`` scores; None for a
        softmax model.
    crf_lattice : sktag.decoding.Lattice, default=None
        The CRF's lattice, whose allowed steps are written beside the
        scores; given with ``crf_transitions``.

    Returns
    -------
    metadata : dict
        ``format`` (``"sktag.preprocessing/1"``), ``labels``,
        ``label_scheme``, ``tokens``, ``n_special``, ``lowercase``,
        ``unknown_shapes``, ``pad_id``, ``unk_id``; with characters
        ``chars`` (id = 2 + position) and ``max_chars``; with a CRF, ``crf``.
    """
    out = {
        "format": "sktag.preprocessing/1",
        "labels": classes.tolist(),
        "label_scheme": label_scheme,
        "tokens": vocabulary.tokens_.tolist(),
        "n_special": int(vocabulary.n_special_),
        "lowercase": bool(vocabulary.lowercase),
        "unknown_shapes": bool(vocabulary.unknown_shapes),
        "pad_id": 0,
        "unk_id": 1,
    }
    if char_vocabulary is not None:
        chars = sorted(char_vocabulary.chars_.items(), key=lambda item: item[1])
        out["chars"] = [ch for ch, _ in chars]  # id = 2 + position
        out["max_chars"] = int(char_vocabulary.max_chars)
    if crf_lattice is not None:
        transitions, start, end = crf_transitions
        allowed = crf_lattice.allowed_steps()
        out["crf"] = {"transitions": transitions.tolist(), "start": start.tolist(),
                      "end": end.tolist(), "allowed": allowed[0].tolist(),
                      "allowed_start": allowed[1].tolist(), "allowed_end": allowed[2].tolist()}
    return out


def export_onnx(spec, weights, metadata, path=None, *, precision="float32"):
    """The ONNX model of a fitted tagger's weights, with its preprocessing metadata.

    Parameters
    ----------
    spec : sktag.onnx_graphs.GraphSpec
        The fitted model's structure.
    weights : dict
        The fitted model's weights as numpy arrays, by layer.
    metadata : dict
        :func:`preprocessing_metadata`, stored as JSON in the metadata entry
        ``sktag.preprocessing``.
    path : str or path-like, default=None
        Also write the model there.
    precision : {"float32", "int8"}, default="float32"
        The word tagger's precision (see :func:`sktag.onnx_graphs.build_tagger`).

    Returns
    -------
    model : onnx.ModelProto
    """
    from .onnx_graphs import build_tagger

    model = build_tagger(spec, weights, precision=precision)
    model.metadata[METADATA_KEY] = json.dumps(metadata, ensure_ascii=False)
    if path is not None:
        Path(path).write_bytes(model.SerializeToString())
    return model.to_onnx()
