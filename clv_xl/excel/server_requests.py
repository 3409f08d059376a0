"""Check what Office.js sends to xlwings Server before xlwings dispatches it.

xlwings' dispatch trusts its payload: a missing ``args``, an unknown or dunder function name, one argument
too many, an object (entity) in a cell or a JSON ``NaN`` end deep inside it as a ``KeyError``/``TypeError``
and a 500. :func:`parse_function_call` and :func:`parse_script_call` turn each of these into a
:class:`BadRequest` whose short message says what was wrong; :func:`short` cuts any message to a readable
length, so a 50 MB argument is never echoed back.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

__all__ = [
    "MAX_MESSAGE",
    "BadRequest",
    "FunctionShape",
    "short",
    "parse_json",
    "parse_function_call",
    "parse_script_call",
]

#: Longest message sent back to a caller, in characters.
MAX_MESSAGE = 200

#: What each kind of call must hold besides its own content: field -> type (what xlwings' Office.js client sends).
_FUNCTION_CALL_FIELDS: dict[str, type] = {"client": str, "version": str, "runtime": str}
_SCRIPT_CALL_FIELDS: dict[str, type] = {"client": str, "version": str, "book": dict, "sheets": list}


class BadRequest(ValueError):
    """A malformed request; its message is short and safe to send back (HTTP 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(short(message))


@dataclass(frozen=True)
class FunctionShape:
    """How many arguments an Excel function takes.

    Parameters
    ----------
    name : str
        The function's name, as Office.js sends it (``func_name``).
    arguments : tuple of str
        Argument names, in order.
    required : int
        How many of the first arguments are required.
    varargs : bool, default False
        Whether the last argument repeats.

    Examples
    --------
    >>> FunctionShape("CLV", ("aov", "n", "years", "margin"), 3).describe()
    'CLV takes 3 to 4 arguments (aov, n, years, margin)'
    """

    name: str
    arguments: tuple[str, ...]
    required: int
    varargs: bool = False

    def describe(self) -> str:
        """One line saying how many arguments the function takes."""
        most = "or more" if self.varargs else f"to {len(self.arguments)}"
        count = f"{self.required}" if self.required == len(self.arguments) and not self.varargs else (
            f"{self.required} {most}"
        )
        return f"{self.name} takes {count} arguments ({', '.join(self.arguments)})"


def short(message: object, limit: int = MAX_MESSAGE) -> str:
    """The first line of ``message``, cut to ``limit`` characters.

    Parameters
    ----------
    message : object
        Anything printable.
    limit : int, default MAX_MESSAGE
        Longest result.

    Returns
    -------
    str
        One line of at most ``limit`` characters.

    Examples
    --------
    >>> short("x" * 500)[-5:], len(short("x" * 500))
    ('xx...', 200)
    >>> short("first line\\nTraceback ...")
    'first line'
    """
    lines = str(message).strip().splitlines()
    text = lines[0].strip() if lines else ""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _reject_constant(name: str) -> float:
    raise BadRequest(f"the request holds {name}, which is not a number JSON allows")


def parse_json(body: bytes) -> Any:
    """Decode a JSON request body, refusing ``NaN``/``Infinity`` and numbers too large for a float.

    Parameters
    ----------
    body : bytes
        The raw body.

    Returns
    -------
    object
        The decoded value.

    Raises
    ------
    BadRequest
        Empty body, not UTF-8, not JSON, or a non-finite number.

    Examples
    --------
    >>> parse_json(b'{"a": [1, 2.5]}')
    {'a': [1, 2.5]}
    >>> parse_json(b"{")
    Traceback (most recent call last):
    ...
    clv_xl.excel.server_requests.BadRequest: the request body is not valid JSON (line 1, column 2)
    >>> parse_json(b"[1e999]")
    Traceback (most recent call last):
    ...
    clv_xl.excel.server_requests.BadRequest: the request holds a number too large for a float (1e999)
    """
    if not body.strip():
        raise BadRequest("the request body is empty; send the call as JSON")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not UTF-8 text") from None

    def parse_float(literal: str) -> float:
        value = float(literal)
        if not math.isfinite(value):
            raise BadRequest(f"the request holds a number too large for a float ({short(literal, 30)})")
        return value

    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=parse_float)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"the request body is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise BadRequest("the request body is nested too deeply") from None


def _json_object(body: bytes, what: str) -> dict[str, Any]:
    """The body decoded by :func:`parse_json`, which must be a JSON object (``what`` it should hold)."""
    payload = parse_json(body)
    if not isinstance(payload, dict):
        raise BadRequest(f"the request must be a JSON object {what}")
    return payload


def _check_fields(payload: dict[str, Any], fields: Mapping[str, type], whose: str) -> None:
    """Refuse a payload without one of ``fields`` (or with one of another type), naming them all."""
    missing = [key for key, kind in fields.items() if not isinstance(payload.get(key), kind)]
    if missing:
        raise BadRequest(f"{whose} lacks {', '.join(missing)} (send it from the CLV add-in)")


def _is_grid(value: object) -> TypeGuard[list[list[Any]]]:
    """Whether ``value`` is a 2-D list (a list of rows), as xlwings sends a range."""
    return isinstance(value, list) and all(isinstance(row, list) for row in value)


def _check_cells(value: object, position: int, shape: FunctionShape) -> None:
    name = shape.arguments[min(position, len(shape.arguments) - 1)]
    where = f"argument {position + 1} ({name}) of {shape.name}"
    if not _is_grid(value):
        raise BadRequest(f"{where} must be a 2-D list of cell values")
    for row in value:
        for cell in row:
            if cell is None or isinstance(cell, (str, bool)):
                continue
            if isinstance(cell, (int, float)):
                if not math.isfinite(cell):
                    raise BadRequest(f"{where} holds a number too large for a float")
                continue
            if isinstance(cell, dict):
                raise BadRequest(f"{where} holds an Excel data type (entity); pass plain numbers, text or dates")
            raise BadRequest(f"{where} holds a {type(cell).__name__}; pass plain numbers, text or dates")


def parse_function_call(body: bytes, functions: Mapping[str, FunctionShape]) -> dict[str, Any]:
    """Decode and check the body of ``POST /xlwings/custom-functions-call``.

    Parameters
    ----------
    body : bytes
        The raw body Office.js sent.
    functions : mapping of str to FunctionShape
        The functions the server offers, by name.

    Returns
    -------
    dict
        The payload, safe to hand to ``xlwings.server.custom_functions_call``.

    Raises
    ------
    BadRequest
        With a short message naming what is wrong.

    Examples
    --------
    >>> shapes = {"LIFESPAN": FunctionShape("LIFESPAN", ("churn_rate",), 1)}
    >>> call = b'{"func_name": "LIFESPAN", "args": [[[0.2]]], "client": "Office.js", "version": "1", "runtime": "1.4"}'
    >>> parse_function_call(call, shapes)["args"]
    [[[0.2]]]
    >>> parse_function_call(call.replace(b"LIFESPAN", b"__class__"), shapes)
    Traceback (most recent call last):
    ...
    clv_xl.excel.server_requests.BadRequest: unknown function '__class__'
    >>> parse_function_call(call.replace(b"[[[0.2]]]", b"[[[0.2]], [[1]]]"), shapes)
    Traceback (most recent call last):
    ...
    clv_xl.excel.server_requests.BadRequest: LIFESPAN got 2 arguments; LIFESPAN takes 1 arguments (churn_rate)
    >>> parse_function_call(call.replace(b"0.2", b'{"type": "Entity"}'), shapes)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    clv_xl.excel.server_requests.BadRequest: argument 1 (churn_rate) of LIFESPAN holds an Excel data type (entity)...
    """
    payload = _json_object(body, "with func_name and args")
    name = payload.get("func_name")
    if not isinstance(name, str) or not name:
        raise BadRequest("the request names no function (func_name)")
    shape = functions.get(name)
    if shape is None:
        raise BadRequest(f"unknown function {short(name, 40)!r}")
    _check_fields(payload, _FUNCTION_CALL_FIELDS, "the request")
    args = payload.get("args")
    if not isinstance(args, list):
        raise BadRequest(f"the call to {name} has no argument list (args)")
    too_many = not shape.varargs and len(args) > len(shape.arguments)
    if len(args) < shape.required or too_many:
        raise BadRequest(f"{name} got {len(args)} arguments; {shape.describe()}")
    for position, value in enumerate(args):
        if value is None:  # an omitted optional argument
            if position < shape.required:
                raise BadRequest(f"argument {position + 1} ({shape.arguments[position]}) of {name} is required")
            continue
        if shape.varargs and position >= len(shape.arguments) - 1 and isinstance(value, list) and value and all(
            isinstance(item, list) and item and isinstance(item[0], list) for item in value
        ):
            for item in value:
                _check_cells(item, position, shape)
            continue
        _check_cells(value, position, shape)
    return payload


def parse_script_call(name: str, body: bytes, scripts: frozenset[str] | set[str]) -> dict[str, Any]:
    """Decode and check the body of ``POST /xlwings/custom-scripts-call/<name>``.

    Parameters
    ----------
    name : str
        The script named in the path.
    body : bytes
        The raw body: the calling workbook as xlwings' Office.js client sends it.
    scripts : set of str
        The scripts the server offers.

    Returns
    -------
    dict
        The workbook payload.

    Raises
    ------
    BadRequest
        With a short message naming what is wrong.

    Examples
    --------
    >>> parse_script_call("rm_rf", b"{}", {"generate_report"})
    Traceback (most recent call last):
    ...
    clv_xl.excel.server_requests.BadRequest: unknown script 'rm_rf'; this server offers: generate_report
    >>> parse_script_call("generate_report", b'{"client": "Office.js"}', {"generate_report"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    clv_xl.excel.server_requests.BadRequest: the workbook sent lacks version, book, sheets...
    """
    if name not in scripts:
        raise BadRequest(f"unknown script {short(name, 40)!r}; this server offers: {', '.join(sorted(scripts))}")
    payload = _json_object(body, "describing the workbook")
    _check_fields(payload, _SCRIPT_CALL_FIELDS, "the workbook sent")
    book = payload["book"]
    if not isinstance(book.get("name"), str) or not isinstance(book.get("active_sheet_index"), int):
        raise BadRequest("the workbook sent lacks its name or active sheet")
    if not 0 <= book["active_sheet_index"] < len(payload["sheets"]):
        raise BadRequest("the workbook sent has no sheet at its active sheet index")
    for position, sheet in enumerate(payload["sheets"]):
        if not isinstance(sheet, dict) or not isinstance(sheet.get("name"), str):
            raise BadRequest(f"sheet {position + 1} of the workbook sent has no name")
        if not _is_grid(sheet.get("values")):
            raise BadRequest(f"sheet {short(sheet['name'], 40)!r} of the workbook sent has no 2-D values")
        for key in ("pictures", "tables"):
            if not isinstance(sheet.setdefault(key, []), list):
                raise BadRequest(f"sheet {short(sheet['name'], 40)!r}: {key} must be a list")
    args = payload.get("args", [])
    if not isinstance(args, list):
        raise BadRequest("'args' must be a JSON array")
    payload.setdefault("names", [])
    return payload
