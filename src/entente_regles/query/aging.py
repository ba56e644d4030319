"""Aging of unpaid balances: each unpaid amount by how long it is past its deadline.

An instance counts when it carries an amount (an invoice), is owed on the date (``a_echoir``
or ``en_retard``) and still has a positive balance. Buckets, by days past the deadline on
the date asked about: not yet due (deadline not passed, or none), 1–30, 31–60, 61–90, over
90. A deadline D is passed from D + 1: on D + 1 the balance is 1 day past due.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from entente_regles.core.values import DUE, Lang, Text
from entente_regles.query.obligations import Obligation
from entente_regles.query.presentation import PLAIN, Presentation
from entente_regles.query.serialization import plain

if TYPE_CHECKING:
    import pandas


BUCKETS: tuple[tuple[str, int | None, Text], ...] = (
    (DUE.value, 0, Text("non échu", "not yet due")),
    ("1_30", 30, Text("1 à 30 jours", "1–30 days")),
    ("31_60", 60, Text("31 à 60 jours", "31–60 days")),
    ("61_90", 90, Text("61 à 90 jours", "61–90 days")),
    ("plus_90", None, Text("plus de 90 jours", "over 90 days")),
)
BUCKET_CODES = tuple(code for code, _, _ in BUCKETS)
RECORD_COLUMNS = ("obligation", "article", "cle", "debiteur", "creancier", "echeance",
                  "jours_de_retard", "tranche", "montant", "solde", "monnaie", "interet")


def bucket_of(days_past: int) -> str:
    """The bucket code for a balance ``days_past`` days past its deadline (≤ 0: not due)."""
    for code, limit, _ in BUCKETS:
        if limit is None or days_past <= limit:
            return code
    raise AssertionError("unreachable")


def bucket_label(code: str, lang: Lang = "fr") -> str:
    """The bucket's words (``1 à 30 jours``, ``1–30 days``…)."""
    return next(text for c, _, text in BUCKETS if c == code)(lang)


@attrs.frozen
class AgingLine:
    """One unpaid balance: its instance, deadline, days past it and bucket."""

    rule: str
    article: str
    key: str | None
    debtor: str
    creditor: str
    deadline: date | None
    days_past: int
    bucket: str
    amount: Decimal
    balance: Decimal
    currency: str | None = None  # of amount and balance (ISO 4217; None: none declared)
    interest: Decimal | None = None  # accrued on the date (decision 68); None: none stated
    # the part of balance held back by a dispute (decision 71): never past due, whatever the
    # line's bucket; None: the rule has no hold. Shown by the tables, not in the records.
    held: Decimal | None = attrs.field(default=None, eq=False)

    @property
    def past_due(self) -> Decimal:
        """The part of ``balance`` in the line's bucket: all of it but a held part, which
        is not yet due (decision 71)."""
        return self.balance - self.held if self.held else self.balance

    def to_record(self) -> dict[str, Any]:
        """Typed values (``date``, ``Decimal``, ``int``)."""
        return {"obligation": self.rule, "article": self.article, "cle": self.key,
                "debiteur": self.debtor, "creancier": self.creditor,
                "echeance": self.deadline, "jours_de_retard": self.days_past,
                "tranche": self.bucket, "montant": self.amount, "solde": self.balance,
                "monnaie": self.currency, "interet": self.interest}


@attrs.frozen
class Aging:
    """The unpaid balances on ``on``, oldest bucket last, with totals per bucket;
    ``presentation``: the agreement's currency, locales and party labels."""

    on: date
    lines: tuple[AgingLine, ...]
    presentation: Presentation = attrs.field(default=PLAIN, repr=False, eq=False)

    @property
    def currency(self) -> str | None:
        """The currency of every amount and total (ISO 4217; None: none declared)."""
        return self.presentation.currency

    @property
    def totals(self) -> dict[str, Decimal]:
        """The balance per bucket code, every bucket present (zero when empty); a part held
        back by a dispute counts as not yet due, whatever its line's bucket (decision 71)."""
        totals = {code: Decimal("0.00") for code in BUCKET_CODES}
        for line in self.lines:
            past_due = line.past_due
            totals[line.bucket] += past_due
            if past_due != line.balance:
                totals[DUE.value] += line.balance - past_due
        return totals

    @property
    def counts(self) -> dict[str, int]:
        """How many balances per bucket code."""
        counts = dict.fromkeys(BUCKET_CODES, 0)
        for line in self.lines:
            counts[line.bucket] += 1
        return counts

    @property
    def total(self) -> Decimal:
        """Every unpaid balance added up."""
        return sum((line.balance for line in self.lines), Decimal("0.00"))

    def to_records(self) -> list[dict[str, Any]]:
        """One typed dict per balance: ``pandas.DataFrame(aging.to_records())``."""
        return [line.to_record() for line in self.lines]

    def to_frame(self) -> pandas.DataFrame:
        """A ``pandas.DataFrame`` of :meth:`to_records` (pandas is an optional extra)."""
        from entente_regles.query.frames import frame
        return frame(self.to_records(), list(RECORD_COLUMNS))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ISO dates, amounts as decimal strings, totals per bucket, the
        currency code (``monnaie``)."""
        totals = self.totals
        counts = self.counts
        return {
            "au": self.on.isoformat(),
            "monnaie": self.currency,
            "soldes": [{k: (v if isinstance(v, int) else plain(v))
                        for k, v in line.to_record().items()} for line in self.lines],
            "tranches": [{"tranche": code, "libelle": text.fr, "libelle_en": text.en,
                          "nombre": counts[code], "total": str(totals[code])}
                         for code, _, text in BUCKETS],
            "total": str(self.total),
        }


def aging(on: date, owed: Iterable[Obligation], presentation: Presentation = PLAIN) -> Aging:
    """The aging on ``on`` of the unpaid balances among ``owed`` (a snapshot's owed
    obligations); ``presentation``: the agreement's currency, locales and party labels."""
    currency = presentation.currency
    lines = [_line(ob, currency) for ob in owed
             if ob.balance is not None and ob.amount is not None and ob.balance > 0]
    lines.sort(key=lambda line: (BUCKET_CODES.index(line.bucket), -line.days_past,
                                 line.rule, line.key or ""))
    return Aging(on, tuple(lines), presentation)


def _line(ob: Obligation, currency: str | None) -> AgingLine:
    assert ob.amount is not None and ob.balance is not None
    # still due past its deadline: only a part held back by a dispute remains (decision 71)
    days_past = 0 if ob.deadline is None or ob.status is DUE \
        else max(0, (ob.on - ob.deadline).days)
    return AgingLine(ob.rule, ob.article, ob.key, ob.debtor, ob.creditor, ob.deadline,
                     days_past, bucket_of(days_past), ob.amount, ob.balance, currency,
                     ob.interest, ob.held)


__all__ = ["BUCKETS", "RECORD_COLUMNS", "Aging", "AgingLine", "aging", "bucket_label",
           "bucket_of"]
