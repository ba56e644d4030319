"""The report layer's records: a snapshot and its views as plain JSON-ready dicts.

The keys are the output's own, in French like the rule files' (``echeance``, ``statut``…);
each table below maps an output key to the attribute of the view it shows. Dates are ISO
text, amounts exact decimal text with their currency code beside them (``monnaie``: the
agreement's, ISO 4217), statuses their codes, parties their ids."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from entente_regles.core.event import Diagnostic

OBLIGATION_KEYS = (
    ("au", "on"), ("obligation", "rule"), ("article", "article"), ("libelle", "label"),
    ("debiteur", "debtor"), ("creancier", "creditor"), ("cle", "key"), ("statut", "status"),
    ("echeance", "deadline"), ("nee_le", "triggered_on"), ("executee_le", "performed_on"),
    ("eteinte_le", "ended_on"), ("montant", "amount"), ("solde", "balance"),
    ("monnaie", "currency"), ("norme", "standard"), ("echeance_politique", "policy_deadline"),
    ("retard_politique", "policy_late"), ("service", "service"), ("en_faute", "at_fault"),
    ("suspendue_depuis", "suspended_since"), ("jours_suspendus", "days_suspended"),
    ("interet", "interest"), ("retenu", "held"))
OPTION_KEYS = (
    ("au", "on"), ("faculte", "rule"), ("article", "article"), ("libelle", "label"),
    ("titulaire", "holder"), ("cle", "key"), ("ouverte_le", "opens_on"),
    ("close_le", "closes_on"), ("statut", "status"), ("exercee_le", "exercised_on"))
RECORD_COLUMNS = tuple(out for out, _ in OBLIGATION_KEYS)  # an obligation's columns, in order


class ObligationRecord(TypedDict):
    """One obligation instance on one date as typed values (``Obligation.to_record()``,
    ``Snapshot.to_records()``): the keys of :data:`RECORD_COLUMNS`, in that order, French
    like the JSON output's. Codes (``statut``) are text; dates are ``date``, amounts exact
    ``Decimal`` in the agreement's currency (``monnaie``, ISO 4217)."""

    au: date
    obligation: str
    article: str
    libelle: str
    debiteur: str
    creancier: str
    cle: str | None
    statut: str
    echeance: date | None
    nee_le: date
    executee_le: date | None
    eteinte_le: date | None
    montant: Decimal | None
    solde: Decimal | None
    monnaie: str | None
    norme: str | None
    echeance_politique: date | None
    retard_politique: bool
    service: str | None
    en_faute: str | None
    suspendue_depuis: date | None  # decision 69
    jours_suspendus: int | None
    interet: Decimal | None  # interest accrued (decision 68); None: its rule states none
    retenu: Decimal | None  # held back by a dispute (decision 71); None: its rule has no hold


TERMINATION_KEYS = (
    ("avis_le", "notice_on"), ("recu_le", "received_on"), ("par", "by"),
    ("article", "article"), ("dernier_jour", "last_day"), ("fin_le", "effective"))


def plain(value: object) -> object:
    """A value as JSON shows it: dates in ISO form, amounts as exact text, codes as text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def record(view: object, keys: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """``view``'s attributes named in ``keys``, under their output keys."""
    return {out: plain(getattr(view, attribute)) for out, attribute in keys}


def typed_record(view: object, keys: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """``view``'s attributes named in ``keys``, under their output keys, as typed values
    (``date``, ``Decimal``, ``bool``; codes as text): for tables and data frames."""
    return {out: _code(getattr(view, attribute)) for out, attribute in keys}


def _code(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def diagnostic_record(diagnostic: Diagnostic) -> dict[str, Any]:
    return {"date": diagnostic.on.isoformat(), "code": diagnostic.code,
            "article": diagnostic.article, "gravite": diagnostic.severity,
            "message": diagnostic.message.fr, "message_en": diagnostic.message.en,
            "evenement": diagnostic.event.source if diagnostic.event else None}


def snapshot_record(on: date, known_on: date, in_force: bool, services: Iterable[str],
                    pending: object | None, obligations: Iterable[object],
                    options: Iterable[object],
                    diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    """What exists on one date, as the snapshot's ``to_dict`` shows it."""
    return {
        "au": on.isoformat(),
        "connu_le": known_on.isoformat(),
        "entente_en_vigueur": in_force,
        "services_en_vigueur": list(services),
        "resiliation_en_cours": None if pending is None else record(pending, TERMINATION_KEYS),
        "obligations": [record(o, OBLIGATION_KEYS) for o in obligations],
        "facultes": [record(o, OPTION_KEYS) for o in options],
        "diagnostics": [diagnostic_record(d) for d in diagnostics],
    }


__all__ = ["OBLIGATION_KEYS", "OPTION_KEYS", "RECORD_COLUMNS", "TERMINATION_KEYS",
           "ObligationRecord", "diagnostic_record", "plain", "record", "snapshot_record",
           "typed_record"]
