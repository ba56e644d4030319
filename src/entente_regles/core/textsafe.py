"""Make user text safe to show to people: control characters and bidirectional overrides
become visible escapes.

Keys, labels and file names come from event logs and agreement files. Printed raw, a key
holding ``ESC [ 2 J`` clears the terminal, and a right-to-left override (U+202E) makes
``F-1\u202e00.001`` read as another amount. Every human-readable output (tables,
explanations, the agenda, printed errors, the HTML page, calendar summaries) passes user
text through :func:`visible`; JSON and CSV keep the exact values.
"""

from __future__ import annotations

import re

# Bidirectional embedding, override and isolate controls, and the implicit marks.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029"
                     "\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if char == "\r":
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character and bidi control shown as an escape.

    ``ESC`` becomes ``\\x1b``, U+202E becomes ``\\u202e``, a newline ``\\n`` (kept as a line
    break when ``keep_newlines``, for text whose lines are the program's own). One linear
    pass; printable text, accents and non-Latin scripts are left as they are.
    """
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_escape, line) for line in text.split("\n"))
    return _UNSAFE.sub(_escape, text)


def is_visible(text: str) -> bool:
    """True when :func:`visible` would leave ``text`` unchanged."""
    return _UNSAFE.search(text) is None


__all__ = ["BIDI_CONTROLS", "is_visible", "visible"]
