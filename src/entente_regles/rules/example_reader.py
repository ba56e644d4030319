"""Reading a rule file's worked examples (``[[exemple]]``): an agreement, events, and what is
expected on given dates; the examples are run as tests."""

from __future__ import annotations

from datetime import date

from entente_regles.core.values import EITHER_PARTY, OptionStatus, Status
from entente_regles.rules.metadata import Example, Expectation
from entente_regles.rules.money import decimal_value
from entente_regles.rules.reader import RuleReader
from entente_regles.rules.toml_tables import TomlTable

_STATUS_CODES = tuple(status.value for status in Status) + tuple(
    status.value for status in OptionStatus)
_DATE = ("une date", "a date")


class ExampleReader(RuleReader):
    """The worked examples of a rule file."""

    def example(self, t: TomlTable) -> Example:
        index = int(t.path[len("exemple["):-1])
        expected = list(t.each("attendu", self.expectation))
        diagnostics = []
        for d in t.tables("diagnostics"):
            diagnostics.append((d.get("au", (date,), _DATE, False), d.text("code")))
            d.done()
        in_force = []
        for v in t.tables("entente_en_vigueur"):
            in_force.append((v.get("au", (date,), _DATE, True),
                             bool(v.get("valeur", (bool,), ("un booléen", "a boolean"), True))))
            v.done()
        pending = []
        for v in t.tables("resiliation_en_cours"):
            pending.append((v.get("au", (date,), _DATE, True),
                            v.get("dernier_jour", (date,), _DATE, False)))
            v.done()
        agreement = t.get("entente", (dict,), ("une table", "a table"), False, {})
        events = t.get("evenements", (list,), ("une liste d'événements", "a list of events"),
                       False, [])
        ex = Example(t.text("nom"), self.draft.path, index, agreement, tuple(events),
                     tuple(expected), tuple(diagnostics), tuple(in_force), tuple(pending))
        t.done()
        return ex

    def expectation(self, e: TomlTable) -> Expectation:
        on = e.get("au", (date,), _DATE, True)
        status = e.text("statut", required=False)
        if status is not None and status not in _STATUS_CODES:
            raise e.error("statut", f"statut parmi {', '.join(_STATUS_CODES)}",
                          f"status among {', '.join(_STATUS_CODES)}")
        expected = Expectation(
            on=on, norm=e.text("obligation"), key=e.text("cle", required=False),
            status=status,
            deadline=e.get("echeance", (date,), _DATE, False),
            balance=e.text("solde", required=False),
            debtor=self.party(e, "debiteur", EITHER_PARTY, required=False),
            policy_late=e.get("retard_politique", (bool,), ("un booléen", "a boolean"), False),
            absent=e.boolean("absente"),
            known_on=e.get("connu_le", (date,), _DATE, False),
            amount=_decimal_text(e, "montant"), interest=_decimal_text(e, "interet"),
            held=e.text("retenu", required=False))
        e.done()
        return expected


def _decimal_text(e: TomlTable, key: str) -> str | None:
    """An expected amount (``montant``, ``interet``): decimal text such as ``"12.50"``."""
    value = e.text(key, required=False)
    if value is not None and decimal_value(value) is None:
        raise e.error(key, f"un montant décimal en texte attendu (p. ex. \"12.50\"), reçu "
                      f"{value!r}", f"a decimal amount as text expected (e.g. \"12.50\"), "
                      f"got {value!r}")
    return value  # type: ignore[no-any-return]
