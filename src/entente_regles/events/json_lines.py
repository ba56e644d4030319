"""One JSON Lines record, parsed within the format's limits: nesting depth, duplicate keys,
lone UTF-16 surrogates, integers too long to hold, NaN and Infinity (kept as markers the
field holding them refuses by name), fractions kept as text (money is never a float)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from entente_regles.core.errors import ErrorLocation, EventError
from entente_regles.core.input_limits import (
    MAX_JSON_DEPTH,
    MAX_JSON_INTEGER_DIGITS,
    MAX_JSON_LINE_CHARS,
    quoted,
)

SURROGATE = re.compile("[\ud800-\udfff]")
# A string (closed or running to the end of the line, so a match never fails and never
# backtracks: linear on any line) or a bracket outside strings.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|([\[\]{}])', re.DOTALL)
JSON_BLANK = " \t\r"


class _JsonRefused(Exception):
    def __init__(self, fr: str, en: str) -> None:
        super().__init__(en)
        self.fr, self.en = fr, en


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = dict(pairs)
    if len(obj) == len(pairs):  # no key twice (the common case: built in one C call)
        return obj
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _JsonRefused(f"clé en double {quoted(key)} dans un même objet",
                               f"duplicate key {quoted(key)} in one object")
        obj[key] = value
    return obj


class _NotAValue:
    """A JSON number no field can hold (a very long integer, NaN, Infinity), kept as a
    marker so the error names the field that holds it, without converting it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _json_int(text: str) -> int | _NotAValue:
    digits = len(text.lstrip("-"))
    if digits > MAX_JSON_INTEGER_DIGITS:
        return _NotAValue(f"<entier de {digits} chiffres / integer of {digits} digits>")
    return int(text)


def _json_constant(name: str) -> _NotAValue:
    return _NotAValue(f"<{name} : pas du JSON / not JSON>")


def _json_depth(line: str) -> int:
    """The deepest bracket nesting of ``line`` outside strings, up to the first level past
    ``MAX_JSON_DEPTH`` (the scan stops there: the line is refused whatever comes after): one
    pass, one token at a time (no list of tokens), and no pass at all when the line has too
    few brackets to matter."""
    if line.count("[") + line.count("{") <= MAX_JSON_DEPTH:
        return 0
    depth = deepest = 0
    for token in _JSON_TOKEN.finditer(line):
        bracket = token.group(1)
        if bracket:
            depth += 1 if bracket in "[{" else -1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    break
    return deepest


def _surrogate_path(obj: object, path: str = "") -> str | None:
    """The key path of a string holding a lone UTF-16 surrogate, if any."""
    if isinstance(obj, str):
        return path if SURROGATE.search(obj) else None
    items: Iterable[tuple[str, object]] = ()
    if isinstance(obj, dict):
        for key in obj:
            if SURROGATE.search(key):
                return f"{path}.{quoted(key)}" if path else quoted(key)
        items = ((f"{path}.{k}" if path else k, v) for k, v in obj.items())
    elif isinstance(obj, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(obj))
    for where, value in items:
        found = _surrogate_path(value, where)
        if found is not None:
            return found
    return None


def parse_json_line(line: str, where: ErrorLocation) -> Any:
    """One JSON Lines record, refused (naming file and line) beyond the format's limits:
    nesting deeper than ``MAX_JSON_DEPTH``, duplicate keys, lone UTF-16 surrogates. Integers
    longer than ``MAX_JSON_INTEGER_DIGITS``, NaN and Infinity are never converted: they stay
    markers that the field holding them refuses, by name. A line longer than
    ``MAX_JSON_LINE_CHARS`` is refused before anything else."""
    if len(line) > MAX_JSON_LINE_CHARS:
        raise EventError(where, f"ligne trop longue ({len(line)} caractères ; au plus "
                         f"{MAX_JSON_LINE_CHARS} par événement, voir docs/limites.md)",
                         f"line too long ({len(line)} characters; at most "
                         f"{MAX_JSON_LINE_CHARS} per event, see docs/limites.md)")
    if _json_depth(line) > MAX_JSON_DEPTH:
        raise EventError(where, f"JSON imbriqué trop profondément (au plus {MAX_JSON_DEPTH} "
                         "niveaux)", f"JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)")
    try:
        if line.startswith("\ufeff"):  # as json.loads says it, the decoder being made once
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)",
                                       line, 0)
        obj = _decoded(line)
    except json.JSONDecodeError as exc:
        raise EventError(where, f"JSON invalide : {exc.msg} (colonne {exc.colno})",
                         f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except _JsonRefused as exc:
        raise EventError(where, f"JSON refusé : {exc.fr}", f"JSON refused: {exc.en}") from None
    except RecursionError:
        raise EventError(where, "JSON imbriqué trop profondément",
                         "JSON nested too deeply") from None
    # A line's values can hold a lone surrogate only if the line holds one, or a \u escape
    # (of one, or not: any escape costs a closer look); any other line is not walked.
    may_hold = "\\u" in line or (not line.isascii() and SURROGATE.search(line) is not None)
    bad = _surrogate_path(obj) if may_hold else None
    if bad is not None:
        raise EventError(ErrorLocation(where.file, where.line, bad or None),
                         "texte invalide : demi-paire de substitution UTF-16 (\\ud800 à "
                         "\\udfff) isolée", "invalid text: a lone UTF-16 surrogate "
                         "(\\ud800 to \\udfff)")
    return obj


class FloatLiteral(str):
    """A JSON number with a fraction, kept as text so the field that holds it is named in the
    error (money is never a float)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _decoded(line: str) -> Any:
    """``_DECODER.decode(line)``, without its two passes for blanks when the line has none
    at either end (``read_events`` strips them): any other line, and any line with more
    after its value, goes to ``decode``, which accepts it or names the error as always."""
    if not line or line[0] in _JSON_WHITESPACE or line[-1] in _JSON_WHITESPACE:
        return _DECODER.decode(line)
    obj, end = _DECODER.raw_decode(line)
    return obj if end == len(line) else _DECODER.decode(line)


_JSON_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder(parse_float=FloatLiteral, parse_int=_json_int,
                            parse_constant=_json_constant, object_pairs_hook=_unique_keys)
# no hook: one C call builds the dict
_PLAIN_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def plain_object(line: str) -> dict[str, str] | None:
    """What :func:`parse_json_line` returns for ``line`` (stripped of blanks at both ends)
    when it is the common log line, an object whose values are all text, with no escape
    and no lone surrogate; None for any other line, or one this check is not sure of
    (:func:`parse_json_line` then reads it, or refuses it naming why).

    Without an escape every ``"`` opens or closes a string, so an object of ``n`` text
    values read from a line of ``4 n`` quotes was written with ``n`` keys: none twice
    (a key given twice leaves fewer values in the dict than the line has pairs). Nothing
    here calls back into Python: no hook for keys, numbers or constants (a line holding a
    number, NaN or Infinity has a value that is not text, and is not this check's)."""
    if line[:1] != "{" or not _quick(line):
        return None
    try:  # raw_decode's own call, without its frame; nesting is not text: refused below
        obj, end = _PLAIN_SCAN(line, 0)
    except (StopIteration, ValueError, RecursionError):  # parse_json_line names the error
        return None
    if end != len(line) or type(obj) is not dict or line.count('"') != 4 * len(obj):
        return None
    for value in obj.values():
        if type(value) is not str:
            return None
    return obj


def plain_objects(lines: list[str]) -> tuple[list[dict[str, Any] | None], int] | None:
    """Per line of ``lines`` (log lines stripped of blanks at both ends, each starting with
    ``{``), the object the plain decoder (no hook) reads from that line alone, or None for a
    line not read here (one holding a ``[``, a second ``{``, a backslash, a lone surrogate,
    or longer than ``MAX_JSON_LINE_CHARS``: the general way reads it). All the lines read
    here are decoded in one C call (orjson's, when installed); with them, the number of
    quotes these lines hold. None when that fails, or when its result is not one object per
    line (the caller then reads every line on its own).

    What an object is not checked for here: duplicate keys (the last value kept), values
    that are not text (numbers as ``int`` and ``float``). The caller takes a line's object
    for what :func:`parse_json_line` returns only when its values are all text and the line
    holds four quotes per key, as :func:`plain_object` does.

    Why each object is its own line's: the lines read here are joined as
    ``[L1,L2,...,Ln]`` and decoded as one array. Each ``Li`` starts with ``{`` and holds no
    other ``{`` and no ``[``, so the text holds exactly ``n`` ``{`` and one ``[`` (the
    array's). The array decoded holds ``n`` objects (checked), each opened by a ``{`` outside
    strings: so every ``{`` is outside strings and opens one of them, the i-th the first
    character of ``Li`` (a ``{`` preceded by ``[`` or ``,`` can only open an element of the
    array: inside an object a ``,`` is followed by a key). No object holds another object or
    an array (no ``{`` or ``[`` is left for one). The i-th object ends before the
    (i+1)-th starts, so within ``Li`` (whose last comma, the one we put, lies before the
    next ``{``); what follows it up to the next element is blanks and that one comma, so the
    rest of ``Li`` after it is blank: empty, ``Li`` being stripped (and holding no ``\\n``).
    Hence the i-th object is read from exactly ``Li``, whatever the lines hold inside
    strings (quotes, brackets, commas)."""
    if not lines:
        return [], 0
    count = len(lines)
    joined = "[" + ",".join(lines) + "]"
    if joined.count("{") != count or joined.count("[") != 1 or not _quick(joined):
        read = [_read_at_once(line) for line in lines]
        joined = "[" + ",".join(line for line, wanted in zip(lines, read, strict=True)
                                   if wanted) + "]"
    else:
        read = None
    try:
        objects = _DECODE_ARRAY(joined)
    except (StopIteration, ValueError, RecursionError):
        return None
    if type(objects) is not list:
        return None
    if objects and set(map(type, objects)) != {dict}:
        return None
    quotes = joined.count('"')  # the lines' own: "[", "," and "]" were put
    if read is None:
        return (objects, quotes) if len(objects) == count else None
    if len(objects) != sum(read):
        return None
    found = iter(objects)
    return [next(found) if wanted else None for wanted in read], quotes


def _decoded_array(text: str) -> Any:
    """``text`` decoded by the plain decoder (no hook), all of it (else ValueError)."""
    obj, end = _PLAIN_SCAN(text, 0)
    if end != len(text):
        raise ValueError("extra data")
    return obj


# The lines are decoded together by orjson when it is installed (pip install
# "entente-regles[rapide]"), twice as fast: the same objects for the lines read from them
# (objects of text values without escapes, which any decoder that follows the standard reads
# alike; what is not checked, as a key given twice, is checked by the caller on the line's
# text); a text it refuses (NaN, an integer beyond 64 bits) is read line by line, as is any
# text the plain decoder refuses.
try:
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - the extra is installed for the tests
    _DECODE_ARRAY: Callable[[str], Any] = _decoded_array
else:
    _DECODE_ARRAY = _orjson_loads


def _read_at_once(line: str) -> bool:
    """Can ``line`` (stripped, starting with ``{``) be decoded with others by
    :func:`plain_objects`? Lines that cannot go the general way."""
    return line.count("{") == 1 and "[" not in line and _quick(line)


def _quick(text: str) -> bool:
    """Can ``text`` be read by a plain decoder as the general way reads it? Not with an
    escape or a lone surrogate (the general way names them), nor beyond
    ``MAX_JSON_LINE_CHARS`` (refused before anything else)."""
    return ("\\" not in text and len(text) <= MAX_JSON_LINE_CHARS
            and (text.isascii() or SURROGATE.search(text) is None))


__all__ = ["JSON_BLANK", "SURROGATE", "FloatLiteral", "parse_json_line", "plain_object",
           "plain_objects"]
