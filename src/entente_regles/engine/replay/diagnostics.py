"""The replay's diagnostics: what it rejected or found non-conforming, in the order reported.

Every step reports through :class:`Diagnostics`, the one owner of their list. A message is
said in both languages from the engine's message table (``words.replay``): the caller names
it by its key (``both(key, ...)``) and the list shares one :class:`Text` per distinct message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Literal

from entente_regles.core.event import Diagnostic, Event
from entente_regles.core.values import Text
from entente_regles.rules.vocabulary import AgreementFacts
from entente_regles.words.money import format_amount
from entente_regles.words.replay import InEach

Severity = Literal["erreur", "avertissement", "info"]
_MESSAGES_KEPT = 4096  # distinct diagnostic messages shared at a time


class Diagnostics:
    """The diagnostics recorded so far (:attr:`records`, the compiled rules' first)."""

    def __init__(self, first: Iterable[Diagnostic],
                 agreement: AgreementFacts | None = None) -> None:
        self.records: list[Diagnostic] = list(first)
        self._agreement = AgreementFacts() if agreement is None else agreement
        # Messages shared by diagnostics: by (fr, en), and by what a message is made of.
        self._messages: dict[tuple[str, ...], Text] = {}

    def amount(self, value: Decimal) -> InEach:
        """``value`` written in the agreement's currency, in each language's locale (the one
        formatting every output uses: ``words.money.format_amount``)."""
        facts = self._agreement
        return InEach(format_amount(value, facts.currency, facts.locale("fr")),
                      format_amount(value, facts.currency, facts.locale("en")))

    def report(self, code: str, article: str, on: date, message: tuple[str, str],
               severity: Severity = "avertissement", event: Event | None = None,
               rule: str | None = None, memo: tuple[str, ...] | None = None) -> None:
        """Record a diagnostic; ``message``: its (fr, en) sentences. ``memo``, when given,
        names the message by what it is made of (see :meth:`report_again`)."""
        text = self._messages.get(message)  # one Text per distinct message (memory)
        if text is None:
            if len(self._messages) >= _MESSAGES_KEPT:
                self._messages.clear()
            text = self._messages[message] = Text(*message)
        if memo is not None:
            self._messages[memo] = text
        self.records.append(Diagnostic(code, article, on, text, severity, event, rule))

    def report_again(self, memo: tuple[str, ...], code: str, article: str, on: date,
                     severity: Severity, event: Event | None, rule: str | None) -> bool:
        """Record a diagnostic whose message was recorded under ``memo`` (a tuple of three
        or more parts: never a (fr, en) pair), without saying it again; False when it is no
        longer known (the caller then says it and calls :meth:`report`)."""
        text = self._messages.get(memo)
        if text is None:
            return False
        self.records.append(Diagnostic(code, article, on, text, severity, event, rule))
        return True

    def extend(self, found: Iterable[Diagnostic]) -> None:
        """Record diagnostics found before the walk (an amendment's)."""
        self.records += found
