"""The errors raised on bad input, each naming where and what, in French and English."""

from __future__ import annotations

import attrs

from entente_regles.core.values import Lang


class EntenteError(Exception):
    """Base class of the errors this library raises on bad input."""


@attrs.frozen
class ErrorLocation:
    file: str
    line: int | None = None
    key: str | None = None


class InputError(EntenteError):
    """Bad input: names the file, the line or key path, and what was expected, fr and en."""

    def __init__(self, where: ErrorLocation, fr: str, en: str) -> None:
        self.where = where
        self.fr = fr
        self.en = en
        super().__init__(self.describe("fr") + "\n" + self.describe("en"))

    def describe(self, lang: Lang = "fr") -> str:
        """Where and what, in one line: file, line, key, message in ``lang``."""
        place = self.where.file
        if self.where.line is not None:
            place += f":{self.where.line}" if lang == "en" else f", ligne {self.where.line}"
        if self.where.key:
            place += f" [{self.where.key}]" if lang == "en" else f", clé {self.where.key}"
        return f"{place} : {self.fr}" if lang == "fr" else f"{place}: {self.en}"


class RuleFileError(InputError):
    """A rule file (or agreement file) that does not validate; ``code`` classifies the problem
    for the rulebook checker (e.g. ``evenement_inconnu``), None when it has no class of its own.
    """

    def __init__(self, where: ErrorLocation, fr: str, en: str, code: str | None = None) -> None:
        self.code = code
        super().__init__(where, fr, en)


class EventError(InputError):
    """An event (log line or Python object) that does not validate."""


class EngineUnavailable(EntenteError):
    """The engine asked for cannot run here (e.g. durable_rules on Python 3.13+)."""

    def __init__(self, fr: str, en: str) -> None:
        self.fr, self.en = fr, en
        super().__init__(f"{fr}\n{en}")


class EngineLimitError(EntenteError):
    """The rules exceed a limit of the engine asked for; refused before it starts."""

    def __init__(self, limits: list[str]) -> None:
        self.limits = limits  # each "French / English"
        halves = [limit.split(" / ", 1) for limit in limits]
        self.fr = "\n".join(h[0] for h in halves)
        self.en = "\n".join(h[-1] for h in halves)
        super().__init__("\n".join(limits))
