"""Read and write token-tagging corpora: CoNLL-U, IOB / CoNLL-2003, data frames.

Every reader returns data in sktag's convention: ``X`` is a list of
sentences, each a list of ``str`` tokens, and ``y`` is a list of label lists
with one label per token.  The ``iter_*`` variants are generators yielding one
``(tokens, labels)`` pair per sentence, so corpora far larger than memory can
be streamed.

Readers accept a path (``str`` or :class:`os.PathLike`), an already-open text
file object, or any iterable of lines.  Files are decoded as UTF-8 (a leading
byte-order mark is ignored) and read line by line; ``\\n`` and ``\\r\\n``
line endings both work.  Paths ending in ``.gz`` (any case) are read and
written gzip-compressed.  A malformed line raises :class:`DataFormatError`
whose message starts with ``"<file>:<line>: "``; so do damaged gzip data
(truncated or corrupted) and a line longer than :data:`MAX_LINE_CHARS`
characters, which is refused after reading at most that many characters,
so that a small compressed file cannot fill the memory with one line.

Writers accept a path or a writable text file object and produce files the
readers read back unchanged: ``read_conllu(write_conllu(X, y)) == (X, y)``
for string labels.  They check ``X`` and ``y`` as the estimator does (lists
of str tokens; str or int labels, one per token) before writing anything.

:func:`read_frame` and :func:`to_frame` convert between ``(X, y)`` and a
pandas DataFrame with one row per token (pandas is optional: ``pip install
"sktag[pandas]"``), including the layout of the Kaggle NER CSV, where only
the first row of a sentence carries its id.

One module per format: :mod:`sktag.io.conllu`, :mod:`sktag.io.iob` and
:mod:`sktag.io.frames`; :mod:`sktag.io.lines` reads and writes the lines they
share (paths, gzip, bounded lines, encoding errors) and reads plain text.
Every public name is imported from here.
"""

from .conllu import CONLLU_COLUMNS, fill_conllu, iter_conllu, read_conllu, write_conllu
from .frames import read_frame, to_frame
from .iob import iter_iob, read_iob, write_iob
from .lines import MAX_LINE_CHARS, DataFormatError, read_text

__all__ = [
    "CONLLU_COLUMNS",
    "MAX_LINE_CHARS",
    "DataFormatError",
    "fill_conllu",
    "iter_conllu",
    "iter_iob",
    "read_conllu",
    "read_frame",
    "read_iob",
    "read_text",
    "to_frame",
    "write_conllu",
    "write_iob",
]
