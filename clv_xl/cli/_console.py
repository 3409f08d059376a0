"""Console output that never fails on the terminal's encoding.

A Windows console or redirect (``clv-xl functions > f.txt``) encodes stdout as cp1252 or cp850, which have no
minus sign, arrow or dash of Unicode typography. Characters the stream cannot encode are written as their
plain-text equivalent from :data:`PLAIN_TEXT` (``−`` → ``-``, ``→`` → ``->``), else as ``?``; nothing raises.
"""

from __future__ import annotations

import codecs
import io
import sys

__all__ = ["PLAIN_TEXT", "ERROR_HANDLER", "make_streams_safe", "plain_text"]

#: Typographic characters and the ASCII text that stands for them where a console lacks them.
PLAIN_TEXT: dict[str, str] = {
    "\u2212": "-",  # minus sign
    "\u2013": "-",  # en dash
    "\u2014": "--",  # em dash
    "\u2192": "->",  # rightwards arrow
    "\u2190": "<-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2260": "!=",
    "\u00d7": "x",  # multiplication sign
    "\u00b7": ".",  # middle dot
    "\u2026": "...",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space (French thousands separator)
    "\u20ac": "EUR",
    "\u2248": "~",
}

#: Name of the codec error handler registered by this module.
ERROR_HANDLER = "clv_xl_plain"


def plain_text(text: str) -> str:
    """Replace each character of ``text`` listed in :data:`PLAIN_TEXT` by its ASCII stand-in.

    Examples
    --------
    >>> plain_text("a − b → c")
    'a - b -> c'
    """
    return "".join(PLAIN_TEXT.get(char, char) for char in text)


def _replace_unencodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    stand_in = "".join(PLAIN_TEXT.get(char, "?") for char in chunk)
    try:  # the stand-in itself may not exist in a rare codec; then a question mark
        stand_in.encode(error.encoding)
    except (UnicodeEncodeError, LookupError):
        stand_in = "?" * len(chunk)
    return stand_in, error.end


codecs.register_error(ERROR_HANDLER, _replace_unencodable)


def make_streams_safe() -> None:
    """Make ``sys.stdout`` and ``sys.stderr`` write unencodable characters as plain text instead of raising.

    Streams that are not text files with ``reconfigure`` (test runners' captures) are left as they are.

    Examples
    --------
    >>> "1 \u2212 2 \u2192 \u4e2d".encode("cp1252", errors=ERROR_HANDLER)
    b'1 - 2 -> ?'
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if reconfigure is None or encoding in {"utf8", "utf16", "utf32"}:
            continue
        try:
            reconfigure(errors=ERROR_HANDLER)
        except (ValueError, io.UnsupportedOperation):  # a detached or closed stream
            continue
