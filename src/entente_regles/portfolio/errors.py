"""What goes wrong in a portfolio (:class:`PortfolioError`): a source that cannot be read
(raised), or one agreement whose file or log is bad (kept in ``errors``, the others being
answered)."""

from __future__ import annotations

from typing import Any

from entente_regles.core.errors import ErrorLocation, InputError
from entente_regles.core.values import Lang
from entente_regles.words.portfolio import MESSAGES


class PortfolioError(InputError):
    """A portfolio problem, naming the agreement (``agreement``: its id; None for the source
    as a whole), the file, line and key, and what was expected, in French and English.

    Raised when the source itself cannot be read (no such directory, a database of another
    schema version); for one agreement, kept in ``PortfolioEvaluation.errors`` instead.
    """

    def __init__(self, agreement: str | None, where: ErrorLocation, fr: str, en: str) -> None:
        self.agreement = agreement
        super().__init__(where, fr, en)

    def describe(self, lang: Lang = "fr") -> str:
        """The agreement, then where and what (see ``InputError.describe``)."""
        text = super().describe(lang)
        if self.agreement is None:
            return text
        return f"{MESSAGES.say('agreement', lang, id=self.agreement)} — {text}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PortfolioError, (self.agreement, self.where, self.fr, self.en))

    @classmethod
    def of(cls, agreement: str | None, where: ErrorLocation, key: str,
           **values: object) -> PortfolioError:
        """The error of message ``key`` (``words.portfolio``), its values filled in."""
        return cls(agreement, where, MESSAGES.say(key, "fr", **values),
                   MESSAGES.say(key, "en", **values))

    @classmethod
    def from_input(cls, agreement: str, error: InputError) -> PortfolioError:
        """An agreement's own error (its agreement file, its log), as the portfolio keeps it."""
        return cls(agreement, error.where, error.fr, error.en)


__all__ = ["PortfolioError"]
