"""How an agreement's own values are shown to people (:class:`Presentation`): its amounts in
its currency, written in the locale of each language (``words.money.format_amount``), and
its parties by their short labels — both as its rule book declares them (``[entente]
monnaie`` and ``locales``; ``[parties.<id>] abrege``).

An evaluation holds one and hands it to every answer that shows an amount or a party (a
snapshot and its views, the aging, the agenda), so the outputs need nothing else. Data
keeps the ids and the exact amounts: JSON and CSV carry the party ids, the amounts as
decimal text and the currency code (``monnaie``).
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from entente_regles.core.values import EITHER_PARTY, Lang, Text
from entente_regles.rules.vocabulary import Vocabulary
from entente_regles.words.money import format_amount


@attrs.frozen
class Presentation:
    """The rule book's currency, locales and party labels (``vocabulary``); without one,
    amounts are plain numbers in the language's own locale (``fr``, ``en``) and parties
    their ids."""

    vocabulary: Vocabulary | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def currency(self) -> str | None:
        """The agreement's currency (ISO 4217), None when it declares none."""
        return None if self.vocabulary is None else self.vocabulary.agreement.currency

    def locale(self, lang: Lang) -> str:
        """The Babel locale amounts are written in, in ``lang``."""
        return lang if self.vocabulary is None else self.vocabulary.agreement.locale(lang)

    def amount(self, value: Decimal, lang: Lang) -> str:
        """``value`` in the agreement's currency, written for ``lang`` (exact: never rounded)."""
        return format_amount(value, self.currency, self.locale(lang))

    def title(self, lang: Lang) -> str | None:
        """The agreement's name in ``lang`` (``[entente] titre``), None when undeclared."""
        title = None if self.vocabulary is None else self.vocabulary.agreement.title
        return None if title is None else title(lang)

    def party(self, party: str | None, lang: Lang) -> str:
        """What people read for a party: its short label in ``lang`` (``abrege``, else its
        id); ``parties`` (None: either or both parties) as it is."""
        if party is None:
            return EITHER_PARTY
        return party if self.vocabulary is None else self.vocabulary.party_label(party, lang)

    def party_text(self, party: str | None) -> Text:
        """:meth:`party` in both languages (for a sentence said later in either)."""
        return Text(self.party(party, "fr"), self.party(party, "en"))


PLAIN = Presentation()
"""No rule book: plain numbers, party ids."""


__all__ = ["PLAIN", "Presentation"]
