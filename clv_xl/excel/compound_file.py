"""Read and write OLE compound files ([MS-CFB]), the container of an add-in's ``xl/vbaProject.bin``.

Only what the add-in build needs: :func:`read_streams` returns every stream of a file by path
(``"VBA/dir"``), and :func:`write_streams` writes a new version 3 file (512-byte sectors) holding the given
streams, with the storages their paths imply. Streams shorter than 4,096 bytes go to the mini stream, as
[MS-CFB] 2.6.3 requires. Each storage's children form a binary search tree in the order of [MS-CFB] 2.6.4
(shorter names first, then by upper-cased name) with every node black, which the specification allows.

Reading is bounded: a sector chain longer than the file, or a loop in it, is refused.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

__all__ = ["CompoundFileError", "read_streams", "write_streams"]

_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
_SECTOR = 512
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096
_FREE, _END, _FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NO_STREAM = 0xFFFFFFFF
_ENTRY = 128
_STORAGE, _STREAM, _ROOT = 1, 2, 5


class CompoundFileError(ValueError):
    """The bytes are not a compound file this module can read."""


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


def _chain(table: list[int], start: int, limit: int) -> list[int]:
    """Sector numbers of the chain starting at ``start`` (at most ``limit`` sectors, no loops)."""
    out: list[int] = []
    sector = start
    while sector != _END:
        if sector >= len(table) or len(out) >= limit:
            raise CompoundFileError("broken sector chain")
        out.append(sector)
        sector = table[sector]
    return out


def read_streams(data: bytes) -> dict[str, bytes]:
    """Every stream of a compound file, keyed by its path (storage names joined with ``/``).

    Examples
    --------
    >>> blob = write_streams({"VBA/dir": b"x" * 5000, "PROJECT": b"ID=1"})
    >>> streams = read_streams(blob)
    >>> sorted(streams), len(streams["VBA/dir"]), streams["PROJECT"]
    (['PROJECT', 'VBA/dir'], 5000, b'ID=1')
    """
    if data[:8] != _SIGNATURE or len(data) < _SECTOR:
        raise CompoundFileError("not an OLE compound file")
    try:
        return _read(data)
    except (struct.error, IndexError, UnicodeDecodeError, RecursionError) as exc:
        raise CompoundFileError("damaged OLE compound file") from exc


def _read(data: bytes) -> dict[str, bytes]:
    """The streams of a compound file whose signature is checked (errors of damaged files escape as is)."""
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        raise CompoundFileError(f"unsupported sector size 2**{shift}")
    size = 1 << shift
    n_sectors = (len(data) - size) // size + 1
    first_dir, = struct.unpack_from("<I", data, 48)
    first_minifat, _n_minifat, first_difat, n_difat = struct.unpack_from("<IIII", data, 60)

    def sector(n: int) -> bytes:
        return data[size + n * size : size + (n + 1) * size]

    difat = list(struct.unpack_from("<109I", data, 76))
    next_difat = first_difat
    for _ in range(n_difat):
        if next_difat >= n_sectors:
            raise CompoundFileError("broken DIFAT")
        values = struct.unpack(f"<{size // 4}I", sector(next_difat))
        difat.extend(values[:-1])
        next_difat = values[-1]
    fat: list[int] = []
    for n in difat:
        if n < n_sectors:
            fat.extend(struct.unpack(f"<{size // 4}I", sector(n)))

    def read_chain(start: int) -> bytes:
        return b"".join(sector(n) for n in _chain(fat, start, n_sectors))

    directory = read_chain(first_dir)
    entries = [directory[i : i + _ENTRY] for i in range(0, len(directory), _ENTRY)]
    minifat_bytes = read_chain(first_minifat) if first_minifat != _END else b""
    minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes))
    root = entries[0]
    mini_stream = read_chain(struct.unpack_from("<I", root, 116)[0]) if struct.unpack_from("<Q", root, 120)[0] else b""

    streams: dict[str, bytes] = {}

    def walk(index: int, prefix: str, depth: int) -> None:
        if index == _NO_STREAM:
            return
        if index >= len(entries) or depth > len(entries):
            raise CompoundFileError("broken directory tree")
        entry = entries[index]
        name_length, kind = struct.unpack_from("<HB", entry, 64)
        name = entry[: max(name_length - 2, 0)].decode("utf-16-le")
        left, right, child = struct.unpack_from("<III", entry, 68)
        start, length = struct.unpack_from("<IQ", entry, 116)
        path = prefix + name
        if kind == _STREAM:
            if length < _MINI_CUTOFF:
                chunks = _chain(minifat, start, len(minifat)) if length else []
                body = b"".join(mini_stream[n * _MINI_SECTOR : (n + 1) * _MINI_SECTOR] for n in chunks)
            else:
                body = read_chain(start)
            streams[path] = body[:length]
        elif kind == _STORAGE:
            walk(child, path + "/", depth + 1)
        walk(left, prefix, depth + 1)
        walk(right, prefix, depth + 1)

    walk(struct.unpack_from("<I", root, 76)[0], "", 0)
    return streams


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


def _sort_key(name: str) -> tuple[int, str]:
    """[MS-CFB] 2.6.4 order of siblings: shorter names first, then by upper-cased name."""
    return len(name), name.upper()


class _Node:
    """A directory entry being laid out."""

    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data
        self.children: dict[str, _Node] = {}
        self.index = 0
        self.left = self.right = self.child = _NO_STREAM
        self.start, self.length = _END, len(data)


def _tree(nodes: list[_Node]) -> int:
    """Link sorted siblings as a balanced binary search tree; return the index of its root."""
    if not nodes:
        return _NO_STREAM
    middle = len(nodes) // 2
    top = nodes[middle]
    top.left, top.right = _tree(nodes[:middle]), _tree(nodes[middle + 1 :])
    return top.index


def write_streams(streams: Mapping[str, bytes]) -> bytes:
    """A version 3 compound file holding ``streams`` (paths like ``"VBA/dir"``; storages are implied).

    Examples
    --------
    >>> blob = write_streams({"a": b"1", "S/b": b"2" * 4096})
    >>> blob[:8].hex(), len(blob) % 512
    ('d0cf11e0a1b11ae1', 0)
    """
    root = _Node("Root Entry", _ROOT)
    for path, body in streams.items():
        *folders, name = path.split("/")
        node = root
        for folder in folders:
            node = node.children.setdefault(folder, _Node(folder, _STORAGE))
        node.children[name] = _Node(name, _STREAM, bytes(body))

    ordered: list[_Node] = []

    def number(node: _Node) -> None:
        node.index = len(ordered)
        ordered.append(node)
        for child in sorted(node.children.values(), key=lambda n: _sort_key(n.name)):
            number(child)

    number(root)
    for node in ordered:
        node.child = _tree(sorted(node.children.values(), key=lambda n: _sort_key(n.name)))

    # mini stream: the short streams, 64 bytes a sector
    mini = bytearray()
    minifat: list[int] = []
    for node in ordered:
        if node.kind == _STREAM and 0 < node.length < _MINI_CUTOFF:
            first, count = len(minifat), -(-node.length // _MINI_SECTOR)
            node.start = first
            minifat.extend(list(range(first + 1, first + count)) + [_END])
            mini += node.data.ljust(count * _MINI_SECTOR, b"\0")
    root.data, root.length = bytes(mini), len(mini)

    # regular sectors: the mini stream (root's data), the long streams, then directory and mini FAT
    sectors = bytearray()
    fat: list[int] = []

    def place(blob: bytes) -> int:
        if not blob:
            return _END
        first, count = len(fat), -(-len(blob) // _SECTOR)
        fat.extend(list(range(first + 1, first + count)) + [_END])
        sectors.extend(blob.ljust(count * _SECTOR, b"\0"))
        return first

    root.start = place(root.data)
    for node in ordered:
        if node.kind == _STREAM and node.length >= _MINI_CUTOFF:
            node.start = place(node.data)
    minifat_blob = b"".join(struct.pack("<I", v) for v in minifat)
    minifat_blob += struct.pack("<I", _FREE) * (-len(minifat) % (_SECTOR // 4))
    first_minifat = place(minifat_blob) if minifat else _END
    n_minifat = len(minifat_blob) // _SECTOR if minifat else 0
    directory = b"".join(_entry(node) for node in ordered)
    directory += _unused_entry() * (-len(ordered) % (_SECTOR // _ENTRY))
    first_dir = place(directory)

    # the FAT covers every sector, its own included
    n_fat = 1
    while (len(fat) + n_fat) > n_fat * (_SECTOR // 4):
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for a header-only DIFAT")
    fat_sectors = list(range(len(fat), len(fat) + n_fat))
    fat.extend([_FAT_SECTOR] * n_fat)
    fat.extend([_FREE] * (n_fat * (_SECTOR // 4) - len(fat)))
    sectors.extend(b"".join(struct.pack("<I", v) for v in fat))

    header = bytearray(_SECTOR)
    header[0:8] = _SIGNATURE
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, n_fat, first_dir, 0, _MINI_CUTOFF, first_minifat, n_minifat,
                     _END, 0)
    difat = fat_sectors + [_FREE] * (109 - n_fat)
    struct.pack_into("<109I", header, 76, *difat)
    return bytes(header) + bytes(sectors)


def _entry(node: _Node) -> bytes:
    """The 128-byte directory entry of a node (black, no CLSID, no timestamps)."""
    name = node.name.encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"stream name too long: {node.name}")
    start = node.start if node.kind != _STORAGE else 0
    return (
        name.ljust(64, b"\0")
        + struct.pack("<HBB", len(name) + 2, node.kind, 1)
        + struct.pack("<III", node.left, node.right, node.child)
        + bytes(16 + 4 + 16)
        + struct.pack("<IQ", start, node.length if node.kind != _STORAGE else 0)
    )


def _unused_entry() -> bytes:
    """An empty directory entry filling the last directory sector."""
    return bytes(64) + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", _NO_STREAM, _NO_STREAM, _NO_STREAM) + bytes(
        16 + 4 + 16 + 12
    )
