"""Run a rule file's worked examples: they are the specification of its clause."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from entente_regles.agreement import Agreement, Engine
from entente_regles.core.errors import ErrorLocation
from entente_regles.events.log import event_from_mapping
from entente_regles.query.evaluation import Obligation, Option
from entente_regles.rules.metadata import Example
from entente_regles.rules.rulebook import RuleBook

EXAMPLE_DEFAULT_START = date(2026, 4, 1)


def example_agreement(book: RuleBook, example: Example, engine: Engine) -> Agreement:
    where = ErrorLocation(example.file, None, f"exemple[{example.index}].entente")
    return Agreement.from_mapping(example.agreement, where, rules=book, engine=engine,
                                  defaults={"client": "EXEMPLE",
                                            "en_vigueur_le": EXAMPLE_DEFAULT_START})


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
    faculties = {n.id for n in book.norms if n.kind == "faculte"}
    for exp in example.expected:
        snap = evaluation.at(exp.on, known_on=exp.known_on)
        found: Obligation | Option | None = (snap.find_option(exp.norm, exp.key)
                                             if exp.norm in faculties
                                             else snap.find(exp.norm, exp.key))
        where = f"au {exp.on}, {exp.norm} ({exp.key})"
        if exp.known_on is not None:
            where += f" connu le {exp.known_on}"
        if exp.absent:
            if found is not None:
                failures.append(f"{where} : absente attendue, trouvée {found.status.value}")
            continue
        if found is None:
            failures.append(f"{where} : instance absente")
            continue
        checks: list[tuple[str, object, object]]
        if isinstance(found, Option):  # a faculty: its window's last day, its holder
            checks = [("statut", exp.status, found.status.value),
                      ("echeance", exp.deadline, found.closes_on),
                      ("debiteur", exp.debtor, found.holder)]
        else:
            checks = [
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
    for on, wanted_last in example.pending:
        pending = evaluation.at(on).termination_pending
        got_last = None if pending is None else pending.last_day
        if got_last != wanted_last:
            failures.append(f"au {on} : resiliation_en_cours (dernier jour en vigueur) attendu "
                            f"{wanted_last or 'aucune'}, obtenu {got_last or 'aucune'}")
    dates = [e.on for e in example.expected] + [d for d, _ in example.in_force]
    dates += [d for d, _ in example.pending]
    dates += [d for d, _ in example.diagnostics if d is not None]
    last = max([*dates, *(e.recorded_on for e in events), agreement.in_force_from])
    diagnostics = evaluation.at(last).diagnostics
    for when, code in example.diagnostics:
        if not any(d.code == code and (when is None or d.on == when) for d in diagnostics):
            failures.append(f"diagnostic {code} attendu{f' au {when}' if when else ''}, absent "
                            f"(obtenus : {', '.join(d.code for d in diagnostics) or 'aucun'})")
    listed = {code for _, code in example.diagnostics}
    for diag in diagnostics:
        if diag.severity != "info" and diag.code not in listed:
            failures.append(f"diagnostic inattendu : {diag.describe()}")
    return failures
