"""The compound-file writer and [MS-OVBA] compression behind the add-in build, checked against outside truth.

Truth: the compressed bytes printed in [MS-OVBA] 3.2.2 (Normal Compression Example), and independent readers
(olefile for compound files, oletools' ``decompress_stream`` for compressed containers).
"""

from __future__ import annotations

import random
import warnings

import olefile
import pytest

from clv_xl.excel.compound_file import CompoundFileError, read_streams, write_streams
from clv_xl.excel.vba_project import VbaProjectError, compress, decompress

with warnings.catch_warnings():  # oletools still calls pyparsing's deprecated camelCase names
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import decompress_stream

#: [MS-OVBA] 3.2.2: the example string and its compressed container, as the specification prints them.
SPEC_TEXT = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
SPEC_COMPRESSED = bytes.fromhex(
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20 6D 6E 6F 70 06 71 02 "
    "70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"
)


def test_compression_matches_the_specification_example() -> None:
    assert decompress(SPEC_COMPRESSED) == SPEC_TEXT
    assert compress(SPEC_TEXT) == SPEC_COMPRESSED


@pytest.mark.parametrize("size", [1, 7, 4095, 4096, 4097, 9000, 30000])
def test_compressed_containers_are_read_back_by_oletools(size: int) -> None:
    rng = random.Random(size)
    texts = [bytes(rng.choice(b"ab c\r\n") for _ in range(size)), rng.randbytes(size)]  # repetitive, incompressible
    if 3640 < size % 4096:  # an incompressible short last chunk has no lossless form: refused, never padded
        with pytest.raises(VbaProjectError):
            compress(texts.pop())
    for text in texts:
        packed = compress(text)
        assert bytes(decompress_stream(bytearray(packed))) == text
        assert decompress(packed) == text


def test_compound_files_are_read_back_by_olefile() -> None:
    rng = random.Random(1)
    # around the mini-stream cutoff (4,096) and the sector sizes (64, 512), nested storages, many siblings
    streams = {f"S{i % 3}/T{i}/s{i}": rng.randbytes(n)
               for i, n in enumerate([1, 63, 64, 65, 511, 512, 513, 4095, 4096, 4097, 70000])}
    streams |= {f"top{i}": rng.randbytes(i * 100 + 1) for i in range(12)}
    blob = write_streams(streams)
    ole = olefile.OleFileIO(blob, raise_defects=olefile.DEFECT_POTENTIAL)
    assert {"/".join(e) for e in ole.listdir()} == set(streams)
    for path, data in streams.items():
        assert ole.openstream(path).read() == data
    assert read_streams(blob) == streams


def test_a_broken_compound_file_is_refused() -> None:
    with pytest.raises(CompoundFileError):
        read_streams(b"not a compound file" * 40)
    blob = bytearray(write_streams({"a": b"x" * 5000}))
    blob[-512:-508] = (0).to_bytes(4, "little")  # the FAT sends the stream's first sector back to itself
    with pytest.raises(CompoundFileError):
        read_streams(bytes(blob))
    good = write_streams({"VBA/dir": b"d" * 100, "PROJECT": b"p" * 5000})
    rng = random.Random(3)
    for _ in range(200):  # random damage after the signature: read or refused, never another error
        damaged = bytearray(good)
        for _ in range(rng.randint(1, 20)):
            damaged[rng.randrange(8, len(damaged))] = rng.randrange(256)
        try:
            read_streams(bytes(damaged))
        except CompoundFileError:
            pass


def test_garbage_is_refused_in_one_line_not_a_crash() -> None:
    rng = random.Random(7)
    packed = compress(b"Attribute VB_Name = \"x\"\r\n" * 300)
    for cut in range(1, len(packed), 7):  # every truncation of a real container
        try:
            decompress(packed[:cut])
        except VbaProjectError:
            pass
    for _ in range(300):  # random bytes after the signature
        try:
            decompress(b"\x01" + rng.randbytes(rng.randint(1, 600)))
        except VbaProjectError:
            pass
