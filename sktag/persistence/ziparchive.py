"""Bounded reading of zip archives: nothing is read from a size the archive declares.

``zipfile`` trusts an archive's directory: it reads as many members as the
directory lists and inflates a member until it ends. These functions bound
the directory before ``zipfile`` parses it (:func:`check_directory`), check
each member's local header against the directory (:func:`member_data`) and
read a member with a limit fixed by the caller before reading starts, and a
ratio of inflated to compressed bytes (:func:`read_member`). A member that
does not match its declared size and CRC is :class:`Damaged`.
"""

import struct
import zipfile
import zlib

from .sniffing import ModelFileError

__all__ = ["MAX_DIRECTORY_BYTES", "MAX_MEMBERS", "RATIO_FREE_BYTES", "Damaged",
           "check_directory", "member_data", "open_archive", "read_member"]

#: Bounds of the central directory: a model file has two members, short names.
MAX_DIRECTORY_BYTES = 1 << 16
MAX_MEMBERS = 16
#: Inflated bytes of a member that :func:`read_member`'s ratio does not count.
RATIO_FREE_BYTES = 1 << 20
_CHUNK = 1 << 20


class Damaged(Exception):
    """The archive's bytes are not what its directory says (message: what)."""


def check_directory(f, size):
    """Bound the central directory before ``zipfile`` parses it.

    Reads the end-of-central-directory record (and its zip64 record when
    there is one, as ``zipfile`` does) and refuses directories of more than
    :data:`MAX_MEMBERS` members or :data:`MAX_DIRECTORY_BYTES` bytes.

    Raises
    ------
    Damaged
    """
    tail_size = min(size, 22 + 65535)
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise Damaged("no end of central directory")
    n_members, directory_size = struct.unpack("<HI", tail[at + 10: at + 16])
    locator = at - 20
    if locator >= 0 and tail[locator: locator + 4] == b"PK\x06\x07":
        (record_at,) = struct.unpack("<Q", tail[locator + 8: locator + 16])
        if record_at + 56 > size:
            raise Damaged("bad zip64 end of central directory")
        f.seek(record_at)
        record = f.read(56)
        if record[:4] != b"PK\x06\x06":
            raise Damaged("bad zip64 end of central directory")
        n_members, directory_size = struct.unpack("<QQ", record[32:48])
    if n_members > MAX_MEMBERS or directory_size > MAX_DIRECTORY_BYTES:
        raise Damaged(f"a central directory of {n_members} members and {directory_size} "
                      f"bytes, not the two of a model file")


def member_data(f, size, info):
    """The offset of ``info``'s data in the file, after checking its local header.

    Raises
    ------
    Damaged
    """
    if info.flag_bits & 0x1:
        raise Damaged(f"{info.filename} is encrypted")
    if info.header_offset < 0 or info.header_offset + 30 > size:
        raise Damaged(f"{info.filename} starts past the end of the file")
    f.seek(info.header_offset)
    local = f.read(30)
    if local[:4] != b"PK\x03\x04":
        raise Damaged(f"bad local header of {info.filename}")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    name = f.read(name_length)
    if name != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"):
        raise Damaged(f"the local name of {info.filename} differs from the directory's")
    start = info.header_offset + 30 + name_length + extra_length
    if start + info.compress_size > size:
        raise Damaged(f"{info.filename} ends past the end of the file")
    return start


def read_member(f, size, info, limit, ratio=None):
    """The bytes of a stored or deflated member, reading at most ``limit``.

    Inflation stops as soon as the output passes ``limit``, or (with
    ``ratio``) ``ratio`` times the compressed bytes consumed so far beyond
    the first :data:`RATIO_FREE_BYTES`; the output must then be exactly the
    size and CRC the directory declares. Returns a ``bytearray``.

    Raises
    ------
    Damaged
    zlib.error
        Damage inside a deflated member, before its CRC is checked.
    """
    start = member_data(f, size, info)
    if info.file_size > limit:
        raise Damaged(f"{info.filename} declares {info.file_size} bytes, more than the "
                      f"{limit} it may have")
    f.seek(start)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise Damaged(f"{info.filename} is stored, but its sizes differ")
        out = bytearray(info.file_size)
        view = memoryview(out)
        crc, done = 0, 0
        while done < len(out):
            n = f.readinto(view[done: done + _CHUNK])
            if not n:
                raise Damaged(f"{info.filename} is truncated")
            crc = zlib.crc32(view[done: done + n], crc)
            done += n
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        out, crc = _inflate(f, info, limit, ratio)
    else:
        raise Damaged(f"{info.filename} uses compression method {info.compress_type}, "
                      f"which sktag does not write")
    if len(out) != info.file_size or crc != info.CRC:
        raise Damaged(f"{info.filename} does not match its size or CRC")
    return out


def _inflate(f, info, limit, ratio):
    """``(bytes, crc)`` of a deflated member whose data ``f`` is at (see :func:`read_member`)."""
    inflate = zlib.decompressobj(-15)
    out, crc, left = bytearray(), 0, info.compress_size
    consumed = 0
    pending = b""

    def allowed():
        if ratio is None:
            return limit
        return min(limit, RATIO_FREE_BYTES + ratio * consumed)

    while True:
        if not pending and left:
            pending = f.read(min(left, 1 << 16))
            if not pending:
                raise Damaged(f"{info.filename} is truncated")
            left -= len(pending)
        # At most one byte past what is allowed: enough to tell that there is more.
        chunk = inflate.decompress(pending, max(1, min(allowed() - len(out) + 1, _CHUNK)))
        consumed += len(pending) - len(inflate.unconsumed_tail)
        pending = inflate.unconsumed_tail
        out += chunk
        if len(out) > allowed():
            raise Damaged(f"{info.filename} inflates to more than "
                          + (f"{limit} bytes" if len(out) > limit else
                             f"{ratio} times its compressed size"))
        crc = zlib.crc32(chunk, crc)
        if inflate.eof:
            return out, crc
        if not chunk and not pending and not left:
            raise Damaged(f"{info.filename} is truncated")


def open_archive(path, f, size, layouts):
    """The archive's directory, name -> ``ZipInfo``, checked before anything is read.

    Parameters
    ----------
    path : path-like
        For messages.
    f : binary file
        The archive, ``size`` bytes.
    size : int
    layouts : list of tuple of str
        The member names of each format the file may have; the first name of
        each is the header, which every format has.

    Raises
    ------
    Damaged
        A directory ``zipfile`` cannot parse, or a name twice.
    ModelFileError
        Members other than those of one of ``layouts``.
    """
    check_directory(f, size)
    try:
        archive = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError,
            OSError, struct.error, ValueError) as exc:
        raise Damaged(f"zip: {exc}") from None
    infos = archive.infolist()
    members = {info.filename: info for info in infos}
    if len(members) != len(infos):
        raise Damaged("a member name appears twice")
    header = layouts[0][0]
    if header not in members:
        raise ModelFileError(
            f"{path} is a zip archive but not an sktag model file (no {header})."
        )
    for names in layouts:
        if set(members) == set(names):
            return members
    raise ModelFileError(
        f"{path}: the archive holds {sorted(members)[:MAX_MEMBERS]}, not the members of an "
        f"sktag model file ({' or '.join(' and '.join(names) for names in layouts)})."
    )
