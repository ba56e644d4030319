"""Run a rule book's worked examples (``[[exemple]]``): they are the specification of its
clauses.

:func:`run_examples` is the documented way (``er.run_examples``, ``entente-regles test``): it
replays each example of a rule book on one engine or several and returns an
:class:`ExamplesReport`, one :class:`ExampleResult` per example and engine, each saying what
differed from the example's expectations, in French and English.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal, get_args

import attrs

from entente_regles.agreement import Agreement, Engine
from entente_regles.core.errors import EngineUnavailable, EntenteError, ErrorLocation
from entente_regles.core.values import Lang, Text
from entente_regles.events.log import event_from_mapping
from entente_regles.query.evaluation import Obligation, Option
from entente_regles.query.snapshot import Snapshot
from entente_regles.rules.metadata import Example
from entente_regles.rules.rulebook import RuleBook
from entente_regles.words.check import EXAMPLES

EXAMPLE_DEFAULT_START = date(2026, 4, 1)
ENGINES: tuple[Engine, ...] = get_args(Engine)
ALL_ENGINES = "tous"  # every engine (``--engine tous``; "all" is accepted too)
EngineChoice = Engine | Literal["tous", "all"]


def example_agreement(book: RuleBook, example: Example, engine: Engine) -> Agreement:
    where = ErrorLocation(example.file, None, f"exemple[{example.index}].entente")
    return Agreement.from_mapping(example.agreement, where, rules=book, engine=engine,
                                  defaults={"client": "EXEMPLE",
                                            "en_vigueur_le": EXAMPLE_DEFAULT_START})


@attrs.frozen
class ExampleResult:
    """One example replayed on one engine: ``failures`` says what differed (empty: it
    passes); ``skipped`` why it did not run (the engine is not available here)."""

    file: str
    name: str
    engine: Engine
    failures: tuple[Text, ...] = ()
    skipped: Text | None = None

    @property
    def passed(self) -> bool:
        """It ran and nothing differed."""
        return not self.failures and self.skipped is None

    def describe(self, lang: Lang = "fr") -> str:
        """One line (then one indented line per difference): status, file, name, engine."""
        status = "skipped" if self.skipped is not None else (
            "passed" if self.passed else "failed")
        head = EXAMPLES.say(f"line.{status}", lang, file=self.file, name=self.name,
                            engine=self.engine)
        details = [self.skipped] if self.skipped is not None else list(self.failures)
        return "\n".join([head, *(f"    {d(lang)}" for d in details)])


@attrs.frozen
class ExamplesReport:
    """Every example of a rule book, on each engine asked for, in file order."""

    results: tuple[ExampleResult, ...]

    @property
    def passed(self) -> tuple[ExampleResult, ...]:
        """The results where nothing differed."""
        return tuple(r for r in self.results if r.passed)

    @property
    def failed(self) -> tuple[ExampleResult, ...]:
        """The results where something differed from the example's expectations."""
        return tuple(r for r in self.results if r.failures)

    @property
    def skipped(self) -> tuple[ExampleResult, ...]:
        """The results of an engine that cannot run here."""
        return tuple(r for r in self.results if r.skipped is not None)

    @property
    def ok(self) -> bool:
        """No example failed (and there was one to run)."""
        return not self.failed and bool(self.passed)

    def summary(self, lang: Lang = "fr") -> str:
        """One line: how many passed, failed, were skipped."""
        return EXAMPLES.say("summary", lang, passed=len(self.passed), failed=len(self.failed),
                            skipped=len(self.skipped))

    def describe(self, lang: Lang = "fr") -> str:
        """One line per result, then the summary."""
        return "\n".join([*(r.describe(lang) for r in self.results), self.summary(lang)])


def engines_of(engine: EngineChoice | Iterable[Engine]) -> tuple[Engine, ...]:
    """The engines ``engine`` names: one, "tous"/"all" (every engine), or several."""
    if isinstance(engine, str):
        if engine in (ALL_ENGINES, "all"):
            return ENGINES
        if engine not in ENGINES:
            raise ValueError(f"engine {engine!r}: one of {', '.join(ENGINES)}, or "
                             f"{ALL_ENGINES}")
        return (engine,)
    chosen = tuple(engine)
    unknown = [e for e in chosen if e not in ENGINES]
    if unknown or not chosen:
        raise ValueError(f"engines {chosen!r}: among {', '.join(ENGINES)}")
    return chosen


def run_examples(rulebook: RuleBook | str | Path | None = None,
                 engine: EngineChoice | Iterable[Engine] = "python",
                 examples: Iterable[Example] | None = None) -> ExamplesReport:
    """Replay every worked example (``[[exemple]]``) of ``rulebook`` and report each.

    ``rulebook``: a :class:`RuleBook`, a rule directory (loaded strictly: a rule book that
    does not load raises :class:`RuleFileError`), or None for the bundled one. ``engine``:
    ``"python"`` (default), ``"durable"``, ``"reference"``, several of them, or ``"tous"``
    (every engine). ``examples``: only these (some of ``rulebook.examples``; default:
    all). An engine that cannot run here (durable_rules on Python 3.13+) gives
    skipped results rather than an error; an example whose agreement or events do not
    validate fails with the error's message.

    >>> report = run_examples(RuleBook.bundled(), engine="python")
    >>> report.ok, len(report.failed)
    (True, 0)
    """
    if rulebook is None:
        book = RuleBook.bundled()
    elif isinstance(rulebook, RuleBook):
        book = rulebook
    else:
        book = RuleBook.from_directory(rulebook)
    results: list[ExampleResult] = []
    chosen_examples = book.examples if examples is None else tuple(examples)
    for chosen in engines_of(engine):
        for example in chosen_examples:
            try:
                failures = tuple(example_failures(book, example, chosen))
            except EngineUnavailable as exc:
                results.append(ExampleResult(example.file, example.name, chosen,
                                             skipped=Text(exc.fr, exc.en)))
                continue
            except EntenteError as exc:
                failures = (_error_text(exc),)
            results.append(ExampleResult(example.file, example.name, chosen, failures))
    order = {f.path: i for i, f in enumerate(book.files)}
    results.sort(key=lambda r: order.get(r.file, len(order)))  # stable: examples in order
    return ExamplesReport(tuple(results))


def _error_text(exc: EntenteError) -> Text:
    describe = getattr(exc, "describe", None)
    if callable(describe):
        return Text(str(describe("fr")), str(describe("en")))
    fr, en = getattr(exc, "fr", None), getattr(exc, "en", None)
    if isinstance(fr, str) and isinstance(en, str):
        return Text(fr, en)
    return Text(str(exc), str(exc))


def run_example(book: RuleBook, example: Example, engine: Engine = "python") -> list[str]:
    """Replay one example; return what disagrees with its expectations, in French (empty:
    it passes). See :func:`run_examples` for a whole rule book, in both languages."""
    return [failure.fr for failure in example_failures(book, example, engine)]


def example_failures(book: RuleBook, example: Example, engine: Engine = "python"
                     ) -> list[Text]:
    """Replay one example; return what disagrees with its expectations (empty: it passes).
    Raises what the agreement or the events raise when they do not validate."""
    agreement = example_agreement(book, example, engine)
    events = [
        event_from_mapping(raw, book.vocabulary,
                           ErrorLocation(example.file, None,
                                         f"exemple[{example.index}].evenements[{i}]"))
        for i, raw in enumerate(example.events)
    ]
    evaluation = agreement.evaluate(events)
    failures: list[Text] = []
    faculties = {n.id for n in book.norms if n.kind == "faculte"}
    for exp in example.expected:
        snap = evaluation.at(exp.on, known_on=exp.known_on)
        found: Obligation | Option | None = (snap.find_option(exp.norm, exp.key)
                                             if exp.norm in faculties
                                             else snap.find(exp.norm, exp.key))
        if exp.debtor is not None and found is not None and exp.debtor != (
                found.holder if isinstance(found, Option) else found.debtor):
            found = _of_party(snap, exp.norm, exp.key, exp.debtor) or found
        where = EXAMPLES.text("where", on=exp.on, norm=exp.norm, key=exp.key)
        if exp.known_on is not None:
            where = EXAMPLES.text("where_known", where=where, known=exp.known_on)
        if exp.absent:
            if found is not None:
                failures.append(EXAMPLES.text("absent_expected", where=where,
                                              status=found.status.value))
            continue
        if found is None:
            failures.append(EXAMPLES.text("no_instance", where=where))
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
                ("montant", None if exp.amount is None else Decimal(exp.amount), found.amount),
                ("interet", None if exp.interest is None else Decimal(exp.interest),
                 found.interest),
                ("retenu", None if exp.held is None else Decimal(exp.held), found.held),
            ]
        for name, wanted, got in checks:
            if wanted is not None and wanted != got:
                failures.append(EXAMPLES.text("differs", where=where, name=name,
                                              wanted=wanted, got=got))
    for on, wanted_in_force in example.in_force:
        got_in_force = evaluation.at(on).agreement_in_force
        if got_in_force != wanted_in_force:
            failures.append(EXAMPLES.text("in_force", on=on, wanted=wanted_in_force,
                                          got=got_in_force))
    none = EXAMPLES.text("none")
    for on, wanted_last in example.pending:
        pending = evaluation.at(on).termination_pending
        got_last = None if pending is None else pending.last_day
        if got_last != wanted_last:
            failures.append(EXAMPLES.text("pending", on=on, wanted=wanted_last or none,
                                          got=got_last or none))
    dates = [e.on for e in example.expected] + [d for d, _ in example.in_force]
    dates += [d for d, _ in example.pending]
    dates += [d for d, _ in example.diagnostics if d is not None]
    last = max([*dates, *(e.recorded_on for e in events), agreement.in_force_from])
    diagnostics = evaluation.at(last).diagnostics
    for when, code in example.diagnostics:
        if not any(d.code == code and (when is None or d.on == when) for d in diagnostics):
            got = ", ".join(d.code for d in diagnostics)
            failures.append(EXAMPLES.text(
                "diagnostic_missing", code=code,
                when=EXAMPLES.text("on", on=when) if when else "",
                got=got or none))
    listed = {code for _, code in example.diagnostics}
    for diag in diagnostics:
        if diag.severity != "info" and diag.code not in listed:
            failures.append(EXAMPLES.text("diagnostic_unexpected",
                                          diagnostic=Text(diag.describe("fr"),
                                                          diag.describe("en"))))
    return failures


def _of_party(snap: Snapshot, norm: str, key: str | None, party: str
              ) -> Obligation | Option | None:
    """The latest instance of ``norm`` under ``key`` owed (or held) by ``party``: each
    party's instance of a « chaque_partie » norm shares its key with the others'."""
    found: list[Obligation | Option] = [
        o for o in snap.options if o.rule == norm and o.holder == party
        and (key is None or o.key == key)]
    found += [o for o in snap.obligations if o.rule == norm and o.debtor == party
              and (key is None or o.key == key)]
    return found[-1] if found else None


__all__ = ["ALL_ENGINES", "ENGINES", "ExampleResult", "ExamplesReport", "example_failures",
           "run_example", "run_examples"]
