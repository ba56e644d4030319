"""What the checker reports: a :class:`Finding` (file, key path, line, message, code), the
codes it may carry, and :class:`Findings`, the list the check functions add to."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from entente_regles.core.textsafe import visible
from entente_regles.core.values import Lang, Text
from entente_regles.words.check import CODES as WORDS
from entente_regles.words.check import LINES

CODES: Mapping[str, Text] = {code: WORDS.text(code) for code in WORDS}


@attrs.frozen
class Finding:
    """One problem of a rule directory: where (file, key path, line), what, and its code."""

    file: str
    key: str
    message_fr: str
    message_en: str
    code: str
    line: int | None = attrs.field(default=None, eq=False)

    def describe(self, lang: Lang = "fr") -> str:
        where = self.file
        if self.line is not None:
            where += LINES.say("line", lang, line=self.line)
        if self.key:
            where += LINES.say("key", lang, key=self.key)
        message = self.message_fr if lang == "fr" else self.message_en
        # the file name, the TOML key path and the quoted values are the rule files' own
        # text: made visible (control, bidi and invisible characters as escapes)
        return visible(LINES.say("finding", lang, where=where, message=message,
                                 code=self.code), keep_newlines=True)


class Findings:
    """The findings of one run, without repeats, in the order they were found."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self._seen: set[Finding] = set()
        self.places: set[tuple[str, str]] = set()

    def add(self, file: str, key: str, code: str, fr: str, en: str,
            line: int | None = None) -> None:
        finding = Finding(file, key, fr, en, code, line)
        if finding not in self._seen:
            self._seen.add(finding)
            self.items.append(finding)
            self.places.add((file, key))


def q(value: object) -> str:
    """A value quoted in French (cut short past 80 characters)."""
    return f"« {short(value)} »"


def shown(value: object) -> Text:
    """A value for a message to quote: cut short past 80 characters in French, whole in
    English (as the messages have always shown it)."""
    return Text(short(value), str(value))


def short(value: object) -> str:
    """A value cut short past 80 characters."""
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"
