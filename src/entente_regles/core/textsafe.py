"""Make user text safe to show to people: control characters, bidirectional overrides and
invisible format characters become visible escapes.

Keys, labels and file names come from event logs and agreement files. Printed raw, a key
holding ``ESC [ 2 J`` clears the terminal, and a right-to-left override (U+202E) makes
``F-1\u202e00.001`` read as another amount; a zero-width space (U+200B), a word joiner
(U+2060) or a byte-order mark (U+FEFF) makes ``F-1`` and ``F-1\u200b`` print alike. Every
human-readable output (tables, explanations, the agenda, printed errors, the HTML page,
calendar summaries and descriptions) passes user text through :func:`visible`; JSON keeps
the exact values, CSV too but for the formula guard of ``outputs.csv``.
"""

from __future__ import annotations

import re

# Bidirectional embedding, override and isolate controls, and the implicit marks.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
# Invisible format characters (Unicode category Cf that draws nothing): soft hyphen, Mongolian
# vowel separator, zero-width space, non-joiner and joiner, word joiner and invisible
# operators, deprecated format controls, byte-order mark, interlinear annotation marks, and
# the tag characters.
INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064"
                      "\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufff9\ufffa\ufffb")
# Every character of category Cf is escaped (the same set the input layer refuses in event
# text, core.input_limits), with the C0 and C1 controls and the line separators.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
                     "\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064"
                     "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
                     "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                     "\U000e0001\U000e0020-\U000e007f]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if char == "\r":
        return "\\r"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character, bidi control and invisible format character
    shown as an escape.

    ``ESC`` becomes ``\\x1b``, U+202E becomes ``\\u202e``, U+200B ``\\u200b``, a newline
    ``\\n`` (kept as a line break when ``keep_newlines``, for text whose lines are the
    program's own). One linear pass; printable text, accents and non-Latin scripts are
    left as they are.
    """
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_escape, line) for line in text.split("\n"))
    return _UNSAFE.sub(_escape, text)


def is_visible(text: str) -> bool:
    """True when :func:`visible` would leave ``text`` unchanged."""
    return _UNSAFE.search(text) is None


__all__ = ["BIDI_CONTROLS", "INVISIBLE", "is_visible", "visible"]
