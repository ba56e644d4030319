"""Static analysis of a rule directory, before any event is replayed (``entente-regles check``).

The loader (``rulebook``) refuses what cannot be read, and reports every such problem; the
checks here look for rules that load but cannot work as the agreement says. Each concern has
its module, each check is a function of a :class:`~.base.Context`:

- ``references``: event types used, articles that exist, parameters usable where used;
- ``mechanics``: norms that can arise and be performed or breached, powers that can act;
- ``deadlines``: deadlines after their trigger, and as the clause words them;
- ``annexes``: annex deferral (art. 2) and the quotations of parameter sources;
- ``statuses``: statuses each norm can reach, and the examples that assert them;
- ``engines``: competing powers, and the durable_rules engine's limits.

The agreement's articles, deadline wording and deferrals (``agreement_text``) are read from
the checked directory's own agreement text: its rule files' quotations (``texte``) and the text
file its ``[entente] texte`` declares, in the languages its ``[entente] langues`` declares —
never another rule book's text. Codes, heuristics and their limits are documented in
``docs/format-regles.md`` (« Vérification »).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from entente_regles.check import annexes, deadlines, engines, mechanics, references, statuses
from entente_regles.check.agreement_text import (
    AgreementTables,
    agreement_text_of,
    derive_agreement_tables,
    split_articles,
    tables_from_texts,
    tables_of_directory,
)
from entente_regles.check.base import Context
from entente_regles.check.findings import CODES, Finding, Findings
from entente_regles.core.errors import ErrorLocation, RuleFileError
from entente_regles.core.textsafe import visible
from entente_regles.core.values import Lang
from entente_regles.rules.norms import VOCABULARY_FILE
from entente_regles.rules.resources import bundled_rules_dir
from entente_regles.rules.rulebook import LoadReport, load_each
from entente_regles.words.check import FINDINGS, LINES

_LOADER_CODES = ("evenement_inconnu", "identifiant_double", "reference_inconnue")


def check_directory(path: str | Path, agreement: str | Path | None = None) -> list[Finding]:
    """Every finding of the rule directory ``path`` (empty: nothing to report).

    The rules are compared with ``path``'s own agreement text: the texts its rule files
    quote (``texte``) and the file its ``[entente] texte`` declares, if any. ``agreement``:
    another rule directory whose text to compare with instead (e.g. a partial rule book
    checked against the full one it was cut from).
    """
    directory = Path(path)
    out = Findings()
    try:
        report = load_each(directory)
    except OSError as exc:
        unreadable = FINDINGS.text("chargement.unreadable", error=exc)
        report = LoadReport(None, (RuleFileError(ErrorLocation(str(directory)),
                                                 unreadable.fr, unreadable.en),), ())
    text = agreement_text_of(Path(agreement) if agreement else directory)
    if text.text_problem is not None and agreement is None:
        source = report.sources.get(VOCABULARY_FILE)
        out.add(VOCABULARY_FILE, "entente.texte", "chargement", *text.text_problem,
                source.line("entente.texte") if source is not None else None)
    if report.book is not None:
        ctx = Context(report.book, text.tables, bool(report.file_errors), out,
                      dict(report.sources))
        # a file that does not load may quote articles the others cite: with the text made
        # of quotations only, articles are checked once every file loads
        _semantic(ctx, articles=agreement is not None or text.from_file
                  or not report.file_errors)
    for error in report.errors:  # after the checks: a problem they explain is not repeated
        file = Path(error.where.file).name
        key = error.where.key or ""
        if (file, key) not in out.places:
            code = error.code if error.code in _LOADER_CODES else "chargement"
            out.add(file, key, code, error.fr, error.en, error.where.line)
    order = {f: i for i, f in enumerate(sorted({f.file for f in out.items}))}
    return sorted(out.items, key=lambda f: order[f.file])


def _semantic(ctx: Context, articles: bool = True) -> None:
    if not ctx.partial:
        references.unused_events(ctx)
    if articles:
        references.articles(ctx)
    references.parameters(ctx)
    for norm in ctx.book.norms:
        mechanics.performable(ctx, norm)
        mechanics.triggerable(ctx, norm)
        deadlines.deadline_after_trigger(ctx, norm)
        deadlines.deadline_wording(ctx, norm)
    mechanics.acts_of_powers(ctx)
    mechanics.dependencies(ctx)
    statuses.states_read(ctx)
    engines.competing_powers(ctx)
    annexes.annex_deferral(ctx)
    statuses.examples(ctx)
    engines.durable_limits(ctx)


def main(path: str | None = None, lang: Lang | None = None, out: TextIO | None = None) -> int:
    """Print one line per finding; 1 if there is any, else 0. ``None``: the bundled rules.
    ``lang``: default, the first language the rule book declares."""
    stream = out if out is not None else sys.stdout
    directory = Path(path) if path is not None else bundled_rules_dir()
    if lang is None:
        lang = agreement_text_of(directory).languages[0]
    findings = check_directory(directory)
    for finding in findings:
        stream.write(finding.describe(lang) + "\n")
    summary = (LINES.say("findings", lang, count=len(findings), directory=directory)
               if findings else LINES.say("no_findings", lang, directory=directory))
    stream.write(visible(summary) + "\n")
    return 1 if findings else 0


__all__ = [
    "CODES", "AgreementTables", "Finding", "agreement_text_of", "check_directory",
    "derive_agreement_tables", "main", "split_articles", "tables_from_texts",
    "tables_of_directory",
]
