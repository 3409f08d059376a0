"""The raw parts of an Arrow large-string array: where each string starts in its data buffer, and those bytes.

Arrow keeps a ``large_string`` array as one buffer of UTF-8 bytes, end to end, and one of ``len + 1`` int64
offsets into it (a slice of an array shares both and starts at ``array.offset``). Code that works on the bytes
themselves (hashing short keys, scanning for bytes, handing a built XML chunk on without a copy) reads them here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["large_string_bytes"]


def large_string_bytes(text: Any) -> tuple[np.ndarray, Any]:
    """The offsets of an Arrow large-string array's strings and their UTF-8 bytes end to end (views, no copy).

    Parameters
    ----------
    text : pyarrow.LargeStringArray
        The strings (a slice too); nulls count as empty strings.

    Returns
    -------
    offsets : numpy.ndarray of int64
        ``len(text) + 1`` positions in the array's data buffer: string ``i`` is bytes ``offsets[i]:offsets[i + 1]``.
    data : pyarrow.Buffer
        The bytes from ``offsets[0]`` to ``offsets[-1]``: all the strings' bytes, end to end (empty when none).

    Examples
    --------
    >>> import pyarrow as pa
    >>> offsets, data = large_string_bytes(pa.array(["ab", "", "cé", "d"], pa.large_string()).slice(1, 2))
    >>> offsets.tolist(), data.to_pybytes()
    ([2, 2, 5], b'c\\xc3\\xa9')
    >>> large_string_bytes(pa.array([], pa.large_string()))[1].size
    0
    """
    buffers = text.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[text.offset:text.offset + len(text) + 1]
    data = buffers[2]
    if data is None or len(offsets) < 2:
        import pyarrow as pa

        return offsets, pa.py_buffer(b"")
    return offsets, data[int(offsets[0]):int(offsets[-1])]
