"""Rewrite the VBA of an Office file's ``vbaProject.bin`` from source ([MS-OVBA]).

A VBA project is a compound file (:mod:`clv_xl.excel.compound_file`) holding a ``PROJECT`` text stream, a
``PROJECTwm`` stream of module names, and a ``VBA`` storage with the compressed ``dir`` stream (project and
module records) and one stream per module: an optional p-code cache (``MODULEOFFSET`` bytes) followed by the
module's compressed source. :func:`rewrite_project` replaces module sources, renames modules and the
project, writes every changed module without a p-code cache (offset 0) and keeps ``_VBA_PROJECT``'s version
at ``0xFFFF``, which [MS-OVBA] 1.6 and 2.3.4.1 prescribe on write so that Office ignores every cache and
compiles the project from its source text.

The compression is [MS-OVBA] 2.4.1: chunks of up to 4,096 bytes, each a header and groups of eight tokens
(a literal byte or a back-reference whose offset/length split depends on the position in the chunk).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass

from clv_xl.excel.compound_file import read_streams, write_streams

__all__ = ["VbaProjectError", "compress", "decompress", "module_sources", "rewrite_project"]

_CHUNK = 4096
_CODEPAGE = "cp1252"  # the text encoding of xlwings' templates (PROJECTCODEPAGE 1252), the only one handled


class VbaProjectError(ValueError):
    """The VBA project cannot be read or rewritten."""


# --------------------------------------------------------------------------------------------------
# [MS-OVBA] 2.4.1 compression
# --------------------------------------------------------------------------------------------------


def _split(position: int) -> tuple[int, int]:
    """Bit count of a copy token's offset and the largest length, at ``position`` in a chunk (2.4.1.3.19.1)."""
    bits = max((position - 1).bit_length(), 4)
    return bits, (0xFFFF >> bits) + 3


def decompress(data: bytes) -> bytes:
    """Decompress a [MS-OVBA] compressed container.

    Examples
    --------
    >>> decompress(compress(b"abcabcabcabc" * 3)) == b"abcabcabcabc" * 3
    True
    """
    if not data or data[0] != 1:
        raise VbaProjectError("not a compressed VBA container")
    try:
        return _decompress_chunks(data)
    except (struct.error, IndexError) as exc:
        raise VbaProjectError("truncated compressed VBA container") from exc


def _decompress_chunks(data: bytes) -> bytes:
    """The chunks of a compressed container (after its signature byte), decompressed one after the other."""
    out = bytearray()
    i = 1
    while i < len(data):
        header = struct.unpack_from("<H", data, i)[0]
        size, compressed = (header & 0x0FFF) + 3, header & 0x8000
        end, start = min(i + size, len(data)), len(out)
        i += 2
        if not compressed:
            out += data[i : i + _CHUNK]
            i += _CHUNK
            continue
        while i < end:
            flags = data[i]
            i += 1
            for bit in range(8):
                if i >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[i])
                    i += 1
                    continue
                token = struct.unpack_from("<H", data, i)[0]
                i += 2
                bits, _ = _split(len(out) - start)
                offset, length = (token >> (16 - bits)) + 1, (token & (0xFFFF >> bits)) + 3
                if offset > len(out) - start:
                    raise VbaProjectError("bad copy token in a compressed VBA container")
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    """One compressed chunk (header included) of at most 4,096 bytes; raw when compression does not pay."""
    out = bytearray()
    positions: dict[bytes, list[int]] = {}
    i = 0
    while i < len(chunk):
        flags, tokens = 0, bytearray()
        for bit in range(8):
            if i >= len(chunk):
                break
            bits, longest = _split(i)
            best_length, best_offset = 0, 0
            for candidate in reversed(positions.get(chunk[i : i + 3], [])[-64:]):
                length = 0
                while length < longest and i + length < len(chunk) and chunk[candidate + length] == chunk[i + length]:
                    length += 1
                if length > best_length:
                    best_length, best_offset = length, i - candidate
            step = best_length if best_length >= 3 else 1
            if best_length >= 3:
                flags |= 1 << bit
                tokens += struct.pack("<H", ((best_offset - 1) << (16 - bits)) | (best_length - 3))
            else:
                tokens.append(chunk[i])
            for j in range(i, i + step):
                positions.setdefault(chunk[j : j + 3], []).append(j)
            i += step
        out.append(flags)
        out += tokens
    if len(out) > _CHUNK:  # a raw chunk holds 4,096 bytes exactly (2.4.1.3.10 pads a short one with zeros)
        if len(chunk) < _CHUNK:
            raise VbaProjectError("the end of this text does not compress; it cannot be stored in a VBA project")
        return struct.pack("<H", 0x3FFF) + chunk
    return struct.pack("<H", 0xB000 | (len(out) - 1)) + bytes(out)


def compress(data: bytes) -> bytes:
    """Compress bytes into a [MS-OVBA] 2.4.1 compressed container.

    Examples
    --------
    >>> packed = compress(b"Attribute VB_Name = " * 50)
    >>> packed[0], len(packed) < 200
    (1, True)
    """
    return b"\x01" + b"".join(_compress_chunk(data[i : i + _CHUNK]) for i in range(0, len(data), _CHUNK))


# --------------------------------------------------------------------------------------------------
# The dir stream: records (id, size, data)
# --------------------------------------------------------------------------------------------------

_PROJECTCODEPAGE, _PROJECTNAME, _PROJECTVERSION = 0x0003, 0x0004, 0x0009
_MODULENAME, _MODULENAMEUNICODE, _MODULESTREAMNAME, _MODULESTREAMNAMEUNICODE = 0x0019, 0x0047, 0x001A, 0x0032
_MODULEOFFSET, _MODULE_END = 0x0031, 0x002B


@dataclass
class _Record:
    ident: int
    data: bytes

    def pack(self) -> bytes:
        size = 4 if self.ident == _PROJECTVERSION else len(self.data)  # 2.3.4.2.1.11: Reserved=4, 6 bytes follow
        return struct.pack("<HI", self.ident, size) + self.data


def _records(dir_stream: bytes) -> list[_Record]:
    """The records of a decompressed dir stream, in order."""
    out: list[_Record] = []
    i = 0
    while i + 6 <= len(dir_stream):
        ident, size = struct.unpack_from("<HI", dir_stream, i)
        length = 6 if ident == _PROJECTVERSION else size
        out.append(_Record(ident, dir_stream[i + 6 : i + 6 + length]))
        i += 6 + length
    return out


@dataclass
class _Module:
    name: str
    stream: str
    offset: int


def _modules(records: list[_Record]) -> list[_Module]:
    """Each module's name, stream name and source offset, from the dir records."""
    modules: list[_Module] = []
    name = stream = ""
    offset = 0
    for record in records:
        if record.ident == _MODULENAME:
            name = record.data.decode(_CODEPAGE)
        elif record.ident == _MODULESTREAMNAMEUNICODE:
            stream = record.data.decode("utf-16-le")
        elif record.ident == _MODULEOFFSET:
            offset = struct.unpack("<I", record.data)[0]
        elif record.ident == _MODULE_END:
            modules.append(_Module(name, stream or name, offset))
            name = stream = ""
    return modules


def _read(vba_project: bytes) -> tuple[dict[str, bytes], list[_Record], list[_Module]]:
    streams = read_streams(vba_project)
    try:
        records = _records(decompress(streams["VBA/dir"]))
    except KeyError as exc:
        raise VbaProjectError("the VBA project has no VBA/dir stream") from exc
    pages = [struct.unpack("<H", r.data)[0] for r in records if r.ident == _PROJECTCODEPAGE]
    if pages != [1252]:
        raise VbaProjectError(f"the VBA project's code page is {pages[:1] or 'missing'}; only 1252 is handled")
    return streams, records, _modules(records)


def module_sources(vba_project: bytes) -> dict[str, str]:
    """Each module's source text (``Attribute`` lines included), by module name.

    Examples
    --------
    >>> import zipfile, xlwings, pathlib
    >>> template = pathlib.Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    >>> sources = module_sources(zipfile.ZipFile(template).read("xl/vbaProject.bin"))
    >>> "RunPython" in sources["xlwings"], sorted(sources)[:2]
    (True, ['Dictionary', 'RibbonMyAddin'])
    """
    streams, _, modules = _read(vba_project)
    return {m.name: decompress(streams[f"VBA/{m.stream}"][m.offset :]).decode(_CODEPAGE) for m in modules}


def rewrite_project(
    vba_project: bytes,
    *,
    sources: Mapping[str, str],
    renames: Mapping[str, str] | None = None,
    project_name: str | None = None,
) -> bytes:
    """A copy of a ``vbaProject.bin`` with new module sources, module names and project name.

    Parameters
    ----------
    vba_project : bytes
        The compound file.
    sources : mapping of str to str
        Module name (after renaming) to its whole new source, ``Attribute VB_Name`` line included.
    renames : mapping of str to str, optional
        Old module name to new; the module's stream, dir records, ``PROJECT`` and ``PROJECTwm`` entries follow.
    project_name : str, optional
        New VBA project name (the ``Name=`` of ``PROJECT`` and the dir stream's PROJECTNAME).

    Returns
    -------
    bytes
        The new compound file. Changed modules have no p-code cache; ``_VBA_PROJECT`` is reset to the
        cache-less 7 bytes with version ``0xFFFF``, so Office compiles from the source.

    Examples
    --------
    >>> import zipfile, xlwings, pathlib
    >>> template = pathlib.Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    >>> old = zipfile.ZipFile(template).read("xl/vbaProject.bin")
    >>> new = rewrite_project(old, renames={"RibbonMyAddin": "Ribbon"},
    ...                       sources={"Ribbon": 'Attribute VB_Name = "Ribbon"\\r\\nSub Go()\\r\\nEnd Sub\\r\\n'})
    >>> module_sources(new)["Ribbon"].splitlines()[1]
    'Sub Go()'
    """
    renames = dict(renames or {})
    streams, records, modules = _read(vba_project)
    known = {renames.get(m.name, m.name) for m in modules}
    unknown = sorted(set(sources) - known) + sorted(set(renames) - {m.name for m in modules})
    if unknown:
        raise VbaProjectError(f"the VBA project has no module {unknown[0]}")
    if set(renames.values()) - set(sources):  # its Attribute VB_Name line must change with it
        raise VbaProjectError("a renamed module needs its new source")

    out_records: list[_Record] = []
    current = ""
    for record in records:
        data = record.data
        if record.ident == _MODULENAME:
            current = renames.get(data.decode(_CODEPAGE), data.decode(_CODEPAGE))
        if record.ident in (_MODULENAME, _MODULESTREAMNAME):
            data = current.encode(_CODEPAGE)
        elif record.ident in (_MODULENAMEUNICODE, _MODULESTREAMNAMEUNICODE):
            data = current.encode("utf-16-le")
        elif record.ident == _MODULEOFFSET and current in sources:
            data = struct.pack("<I", 0)
        elif record.ident == _PROJECTNAME and project_name is not None:
            data = project_name.encode(_CODEPAGE)
        out_records.append(_Record(record.ident, data))

    # outside the VBA storage, streams are kept; inside, the modules are (the optional SRP caches are not)
    new_streams = {path: body for path, body in streams.items() if not path.startswith("VBA/")}
    by_stream = {m.stream: m for m in modules}
    for path, body in streams.items():
        module = by_stream.get(path.removeprefix("VBA/")) if path.startswith("VBA/") else None
        if module is None:
            continue
        name = renames.get(module.name, module.name)
        if name in sources:
            body = compress(sources[name].encode(_CODEPAGE))
        new_streams[f"VBA/{name}"] = body
    new_streams["VBA/dir"] = compress(b"".join(r.pack() for r in out_records))
    new_streams["VBA/_VBA_PROJECT"] = bytes.fromhex("cc61ffff000100")
    new_streams["PROJECT"] = _rename_lines(streams["PROJECT"].decode(_CODEPAGE), renames, project_name).encode(
        _CODEPAGE
    )
    if "PROJECTwm" in streams:
        new_streams["PROJECTwm"] = b"".join(
            renames.get(m.name, m.name).encode(_CODEPAGE) + b"\0" + renames.get(m.name, m.name).encode("utf-16-le")
            + b"\0\0"
            for m in modules
        ) + b"\0\0"
    return write_streams(new_streams)


def _rename_lines(text: str, renames: Mapping[str, str], project_name: str | None) -> str:
    """The PROJECT stream's text with module names (``Module=``, ``[Workspace]``) and ``Name=`` replaced.

    Examples
    --------
    >>> _rename_lines('Module=A\\r\\nName="P"\\r\\n[Workspace]\\r\\nA=0, 0, 0, 0, C\\r\\n', {"A": "B"}, "Q")
    'Module=B\\r\\nName="Q"\\r\\n[Workspace]\\r\\nB=0, 0, 0, 0, C\\r\\n'
    """
    lines = text.split("\r\n")
    for i, line in enumerate(lines):
        key, sep, value = line.partition("=")
        if not sep:
            continue
        if key in ("Module", "Class", "BaseClass") and value in renames:
            lines[i] = f"{key}={renames[value]}"
        elif key == "Name" and project_name is not None:
            lines[i] = f'Name="{project_name}"'
        elif key in renames:
            lines[i] = f"{renames[key]}={value}"
    return "\r\n".join(lines)
