"""Safe model files: a fitted tagger's state as JSON and raw arrays, no pickle.

A pickle (and so a joblib file) runs code when it is loaded, so a model file
from somebody else is a program from somebody else. An sktag model file
(format :data:`FORMAT_VERSION` = 2) is one zip archive of two members:

``sktag.json`` (deflated)
    The header: the format name and version, the versions that wrote it,
    the tagger's parameters, its fitted vocabularies, labels and
    ``history_`` in a tagged JSON that only rebuilds numbers, strings,
    lists, dicts, numpy arrays and sktag's own encoder classes (each by its
    ``to_state`` and ``from_state``), and the ``arrays`` manifest: the key
    (``weights/<layer>/<i>``, ``optimizer/<i>``), dtype (``<f4``, ``<i4``
    or ``<i8``), shape and byte offset of every array.
``arrays.bin`` (stored)
    The arrays' raw little-endian bytes, in manifest order, each starting
    at a multiple of 16 bytes (zero padding between them).

:func:`read_model_file` treats every byte as hostile. Each member is read
with a bound fixed before reading starts, never from a size the archive
declares: the header at most :data:`MAX_HEADER_BYTES`, and stops early when
it inflates more than :data:`MAX_HEADER_RATIO` times its compressed bytes;
its JSON values are counted against :func:`header_budget` before it is
parsed; the header is validated against one declarative schema (types,
ranges, list lengths, the sizes of the vocabularies and labels consistent
with each other) before anything is built from it; then the manifest must
be exactly the shapes that header's model needs
(:func:`sktag.architecture.expected_weight_shapes`) and ``arrays.bin``
exactly their bytes. Only then are the bytes read, and the arrays are
``np.frombuffer`` views of them. Anything wrong is a :class:`ModelFileError`
(a ``ValueError``) whose message starts with the file's path. Reading
imports neither Keras nor TensorFlow, except to rebuild an optimizer
*instance* given as the ``optimizer`` parameter (Keras's own deserializer,
built-in optimizer classes only).

Format 1 files (``sktag.json`` and a Keras ``model.keras``, sktag 0.1.0)
still load: they are migrated to the state of format 2, reading the Keras
model with Keras in safe mode after bounding it and checking its weights
file.

:func:`write_model_file` runs the same validation on what it writes, so a
file it writes is one it reads, and writes atomically: the archive is
written next to its destination under a temporary name and renamed, so an
interrupted save never leaves half a model.

The modules, in the order a file is read:

=================  ==========================================================
``sniffing``       what a file is, from its name and first bytes
``ziparchive``     bounded reading of zip members
``specs``          the kinds of value a header may hold, each a small checker
``encoders``       sktag's encoders in a header, and tagged JSON
``schema``         the header's schema, and the parameters' part of it
``arrays``         ``arrays.bin`` and its manifest, against the header's model
``format2``        reading and writing format 2; the header's budget
``format1``        format 1, migrated to format 2
``keras_objects``  the Keras objects a file describes (the only Keras import)
``atomic``         atomic writing beside the destination
=================  ==========================================================
"""

from .atomic import check_writable
from .format2 import (
    HEADER_FREE_CONTAINERS,
    HEADER_FREE_VALUES,
    MAX_HEADER_BYTES,
    MAX_HEADER_RATIO,
    header_budget,
    read_model_file,
    write_model_file,
)
from .schema import FORMAT_VERSION
from .sniffing import (
    MODEL_SUFFIX,
    ModelFileError,
    check_safe_model_file,
    file_kind,
    is_model_file_name,
)

__all__ = [
    "FORMAT_VERSION",
    "MAX_HEADER_BYTES",
    "HEADER_FREE_CONTAINERS",
    "HEADER_FREE_VALUES",
    "MAX_HEADER_RATIO",
    "MODEL_SUFFIX",
    "ModelFileError",
    "check_safe_model_file",
    "check_writable",
    "file_kind",
    "header_budget",
    "is_model_file_name",
    "read_model_file",
    "write_model_file",
]
