"""Run a rule file's worked examples: they are the specification of its clause."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .agreement import Agreement, Engine
from .calendar import Policy
from .events import event_from_mapping
from .model import ErrorLocation, RuleFileError
from .rulebook import Example, RuleBook

EXAMPLE_DEFAULT_START = date(2026, 4, 1)
_AGREEMENT_KEYS = ("en_vigueur_le", "client", "services", "annexe", "politique")


def example_agreement(book: RuleBook, example: Example, engine: Engine) -> Agreement:
    spec: Mapping[str, Any] = example.agreement
    where = ErrorLocation(example.file, None, f"exemple[{example.index}].entente")
    unknown = sorted(set(spec) - set(_AGREEMENT_KEYS))
    if unknown:
        raise RuleFileError(where, f"clé inconnue {unknown[0]!r} (permises : "
                            f"{', '.join(_AGREEMENT_KEYS)})", f"unknown key {unknown[0]!r} "
                            f"(allowed: {', '.join(_AGREEMENT_KEYS)})")
    try:
        policy = Policy(**dict(spec.get("politique", {})))
        return Agreement(client=str(spec.get("client", "EXEMPLE")),
                         in_force_from=spec.get("en_vigueur_le", EXAMPLE_DEFAULT_START),
                         services=spec.get("services"), annex=spec.get("annexe"),
                         policy=policy, rules=book, engine=engine)
    except (TypeError, ValueError) as exc:
        raise RuleFileError(where, f"entente d'exemple invalide : {exc}",
                            f"invalid example agreement: {exc}") from None


def run_example(book: RuleBook, example: Example, engine: Engine = "python") -> list[str]:
    """Replay one example; return what disagrees with its expectations (empty: it passes)."""
    agreement = example_agreement(book, example, engine)
    events = [
        event_from_mapping(raw, book.vocabulary,
                           ErrorLocation(example.file, None,
                                         f"exemple[{example.index}].evenements[{i}]"))
        for i, raw in enumerate(example.events)
    ]
    evaluation = agreement.evaluate(events)
    failures: list[str] = []
    for exp in example.expected:
        snap = evaluation.at(exp.on)
        found = snap.find(exp.norm, exp.key)
        where = f"au {exp.on}, {exp.norm} ({exp.key})"
        if exp.absent:
            if found is not None:
                failures.append(f"{where} : absente attendue, trouvée {found.status.value}")
            continue
        if found is None:
            failures.append(f"{where} : instance absente")
            continue
        checks: list[tuple[str, object, object]] = [
            ("statut", exp.status, found.status.value),
            ("echeance", exp.deadline, found.deadline),
            ("solde", None if exp.balance is None else Decimal(exp.balance), found.balance),
            ("debiteur", exp.debtor, found.debtor),
            ("retard_politique", exp.policy_late, found.policy_late),
        ]
        for name, wanted, got in checks:
            if wanted is not None and wanted != got:
                failures.append(f"{where} : {name} attendu {wanted}, obtenu {got}")
    for on, wanted_in_force in example.in_force:
        got_in_force = evaluation.at(on).agreement_in_force
        if got_in_force != wanted_in_force:
            failures.append(f"au {on} : entente_en_vigueur attendu {wanted_in_force}, "
                            f"obtenu {got_in_force}")
    last = max([e.on for e in example.expected] + [d for d, _ in example.diagnostics if d]
               + [d for d, _ in example.in_force] + [e.date for e in events]
               + [agreement.in_force_from])
    diagnostics = evaluation.at(last).diagnostics
    for on, code in example.diagnostics:
        if not any(d.code == code and (on is None or d.on == on) for d in diagnostics):
            failures.append(f"diagnostic {code} attendu{f' au {on}' if on else ''}, absent "
                            f"(obtenus : {', '.join(d.code for d in diagnostics) or 'aucun'})")
    listed = {code for _, code in example.diagnostics}
    for diag in diagnostics:
        if diag.severity != "info" and diag.code not in listed:
            failures.append(f"diagnostic inattendu : {diag.describe()}")
    return failures
