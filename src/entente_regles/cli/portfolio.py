"""``entente-regles portefeuille`` (English alias ``portfolio``): every agreement of a
directory or a database asked at once (docs/portefeuille.md).

Subcommands: ``owed`` (one line per client body: owed by each party, late, next deadline,
pending termination; totals by debtor), ``soldes`` (unpaid balances by age, per client
body), ``agenda`` (the merged agenda), ``changements`` (the merged weekly digest),
``rapport`` (a page for the portfolio and one per
agreement), ``importer`` (a directory into a database) and ``exemple`` (a generated
portfolio to try the others on).

An agreement whose file or log is bad is reported on stderr (agreement, file, line, key,
what was expected) while the others are answered; the exit status is then 1. A source
that cannot be read at all (no such directory, a database of another schema version) is
bad input: exit status 2. The clock is never read here: ``--at``'s default (today) is given
by ``cli.commands``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from rich.table import Table

from entente_regles.agreement import Engine
from entente_regles.cli import commands
from entente_regles.cli.commands import (
    COMMANDS,
    EXIT_OK,
    CliError,
    _check_question_dates,
    _lang,
    _since,
    _write,
    write_atomically,
)
from entente_regles.cli.parser import (
    EXTENSIONS,
    LANG_HELP,
    RAW_CSV_HELP,
    _date_arg,
    _Parser,
    since_option,
)
from entente_regles.core.textsafe import visible
from entente_regles.core.values import DUE, Lang
from entente_regles.outputs.csv import to_csv
from entente_regles.outputs.portfolio_html import (
    Money,
    client_rows,
    page_name,
    render_portfolio,
)
from entente_regles.outputs.provenance import provenance
from entente_regles.outputs.text import cell, new_table, render
from entente_regles.portfolio import Portfolio, PortfolioError, PortfolioEvaluation
from entente_regles.portfolio.generate import DEFAULT_START
from entente_regles.portfolio.snapshot import PortfolioSnapshot
from entente_regles.query.aging import BUCKETS, bucket_label
from entente_regles.query.evaluation import Evaluation
from entente_regles.query.serialization import RECORD_COLUMNS, plain
from entente_regles.rules.rulebook import RuleBook
from entente_regles.words.changes import MESSAGES as CHANGE_WORDS
from entente_regles.words.changes import WORDS as CHANGE_COLUMN_WORDS
from entente_regles.words.portfolio_reports import MESSAGES, WORDS
from entente_regles.words.reports import WORDS as REPORT_WORDS

EXIT_SOME_FAILED = 1
NAMES = ("portefeuille", "portfolio")
AGREEMENT_COLUMNS = ("entente", "organisme")  # before each record's own columns (CSV)
MAX_CLIENTS = 100_000
MAX_YEARS = 50
MAX_WORKERS = 1024
MESSAGE_LANG = ("langue des messages (défaut : français ; erreurs en deux langues) / language "
                "of the messages (default: French; errors in both)")

__all__ = ["EXIT_SOME_FAILED", "NAMES", "add_portfolio_parser", "run"]


# --------------------------------------------------------------------------- parser


def _source_options(parser: argparse.ArgumentParser, required: bool = True) -> None:
    group = parser.add_argument_group("portefeuille / portfolio")
    source = group.add_mutually_exclusive_group(required=required)
    source.add_argument("--dir", metavar="DIR",
                        help="répertoire : un dossier par entente (entente.toml, "
                             "journal.jsonl) / directory: one folder per agreement")
    source.add_argument("--db", metavar="URL",
                        help="base de données : fichier SQLite ou URL SQLAlchemy / database: "
                             "an SQLite file or an SQLAlchemy URL")


def _question_options(parser: argparse.ArgumentParser) -> None:
    _source_options(parser)
    group = parser.add_argument_group("question")
    group.add_argument("--at", type=_date_arg, metavar="DATE",
                       help="date de la question (AAAA-MM-JJ ; défaut : aujourd'hui) / "
                            "date asked about (default: today)")
    group.add_argument("--connu-le", "--known-on", dest="known_on", type=_date_arg,
                       metavar="DATE",
                       help="tel qu'on le savait à cette date (défaut : --at) / as known on "
                            "this date (default: --at)")
    group.add_argument("--rules", metavar="DIR",
                       help="répertoire de règles de toutes les ententes (défaut : les règles "
                            "intégrées) / rules directory of every agreement")
    group.add_argument("--engine", choices=("python", "durable", "reference"),
                       default="python", help="moteur (défaut : python) / engine")
    group.add_argument("--lang", choices=("fr", "en"), default=None, help=LANG_HELP)
    group.add_argument("--travailleurs", "--workers", dest="workers",
                       type=_bounded("--travailleurs", "--workers", 0, MAX_WORKERS),
                       default=None, metavar="N",
                       help="processus de calcul (0 : ce processus ; défaut : un par cœur, ou "
                            "ce processus pour un petit portefeuille) / worker processes "
                            "(0: this process; default: one per core, or this process for a "
                            "small portfolio)")
    group.add_argument("--progres", "--progress", dest="progress", action="store_true",
                       help="afficher l'avancement sur stderr même hors terminal (ententes "
                            "faites / total, événements par seconde) / show progress on "
                            "stderr even when it is not a terminal")


def _bounded(option: str, english: str, low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                MESSAGES.say("bad_count", "fr", option=option, low=low, high=high,
                             value=text) + " / " +
                MESSAGES.say("bad_count", "en", option=english, low=low, high=high,
                             value=text))
        return value
    return parse


def _output_options(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    parser.add_argument("--format", choices=formats, default=formats[0],
                        help="tableau lisible, CSV ou JSON / readable table, CSV or JSON")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="écrire dans FICHIER (défaut : sortie standard) / write to FILE")
    parser.add_argument("--csv-brut", "--raw-csv", dest="raw_csv", action="store_true",
                        help=RAW_CSV_HELP)


def add_portfolio_parser(commands: Any) -> None:
    """Add ``portefeuille`` (alias ``portfolio``) and its subcommands to the ``commands`` of
    the ``entente-regles`` parser (``argparse`` subparsers)."""
    parser = commands.add_parser(
        NAMES[0], aliases=list(NAMES[1:]),
        help="toutes les ententes d'un répertoire ou d'une base / every agreement of a "
             "directory or a database",
        description="Toutes les ententes d'un portefeuille à la fois : ce qui est dû, les "
                    "soldes, l'agenda, une page de rapport. / Every agreement of a portfolio "
                    "at once: what is owed, balances, agenda, a report page.",
        epilog="Statuts de sortie / exit status: 0 ok; 1 une entente ou plus en erreur "
               "(les autres répondues) / one agreement or more in error (the others "
               "answered); 2 entrée invalide / bad input; 3 erreur interne / internal "
               "failure. Voir / see docs/portefeuille.md.")
    sub = parser.add_subparsers(dest="portfolio_command", metavar="SUBCOMMAND",
                                parser_class=_Parser)
    sub.required = True

    owed = sub.add_parser(
        "owed", help="ce que chaque organisme doit et se fait devoir / owed, by client body",
        description="Une ligne par entente : dû par chaque partie, en retard, prochaine "
                    "échéance, résiliation en cours ; puis les totaux par débiteur. CSV et "
                    "JSON : chaque obligation due. / One line per agreement, then totals by "
                    "debtor; CSV and JSON: every owed obligation.")
    _question_options(owed)
    _output_options(owed, ("table", "csv", "json"))

    soldes = sub.add_parser(
        "soldes", help="soldes impayés par ancienneté / unpaid balances by age",
        description="Une ligne par entente et par tranche d'ancienneté, puis les totaux. CSV "
                    "et JSON : chaque solde. / One line per agreement by age bucket, then "
                    "totals; CSV and JSON: every balance.")
    _question_options(soldes)
    _output_options(soldes, ("table", "csv", "json"))

    agenda = sub.add_parser(
        "agenda", help="l'agenda de toutes les ententes / the merged agenda",
        description="Ce qui tombe dans une période, toutes ententes confondues, en ordre de "
                    "date. / What falls due in a period, across agreements, in date order.")
    _question_options(agenda)
    agenda.add_argument("--du", "--from", dest="start", type=_date_arg, metavar="DATE",
                        help="premier jour (défaut : --at) / first day (default: --at)")
    agenda.add_argument("--au", "--to", dest="end", type=_date_arg, metavar="DATE",
                        help="dernier jour (défaut : premier jour + 30) / last day "
                             "(default: first day + 30)")
    _output_options(agenda, ("table", "csv", "json"))

    changes = sub.add_parser(
        "changements", aliases=["changes"],
        help="ce qui a changé dans toutes les ententes / what changed across agreements",
        description="Le résumé de la semaine de toutes les ententes, en ordre de date : "
                    "obligations apparues, paiements, retards, changements de statut, "
                    "diagnostics, de --depuis (exclu) à --at (inclus). / The weekly digest of "
                    "every agreement, in date order, from --since (excluded) to --at "
                    "(included).")
    _question_options(changes)
    since_option(changes)
    _output_options(changes, ("table", "csv", "json"))

    rapport = sub.add_parser(
        "rapport", help="pages HTML autonomes / self-contained HTML pages",
        description="Écrit DIR/index.html (une ligne par organisme, triable, totaux) et une "
                    "page par entente à côté. / Writes DIR/index.html and one page per "
                    "agreement beside it.")
    _question_options(rapport)
    since_option(rapport, report=True)
    rapport.add_argument("-o", "--output", metavar="DIR", default="portefeuille",
                         help="répertoire des pages (défaut : portefeuille) / folder of the "
                              "pages (default: portefeuille)")

    importer = sub.add_parser(
        "importer", aliases=["import"],
        help="charger un répertoire ou des journaux dans une base / load a directory or "
             "logs into a database",
        description="Charge chaque dossier d'entente de DIR (entente.toml, journal.jsonl) "
                    "dans la base --db (créée au besoin), et/ou ajoute des journaux JSON "
                    "Lines à des ententes qui y sont déjà (--journal ID=FICHIER). Une entente "
                    "refusée n'est pas écrite, les autres le sont (statut 1). / Loads every "
                    "agreement folder of DIR into the database --db (created when needed), "
                    "and/or appends JSON Lines logs to agreements already there.")
    importer.add_argument("source", metavar="DIR", nargs="?", default=None,
                          help="répertoire du portefeuille / portfolio directory")
    importer.add_argument("--db", required=True, metavar="URL",
                          help="fichier SQLite ou URL SQLAlchemy / SQLite file or URL")
    importer.add_argument("--journal", "--log", dest="logs", action="append", default=[],
                          metavar="ID=FILE",
                          help="ajouter les événements de FICHIER à l'entente ID (répétable) "
                               "/ append the events of FILE to agreement ID (repeatable)")
    importer.add_argument("--remplacer", "--replace", dest="replace", action="store_true",
                          help="remplacer une entente déjà dans la base / replace an "
                               "agreement already in the database")
    importer.add_argument("--importe-le", "--imported-on", dest="imported_on",
                          type=_date_arg, metavar="DATE",
                          help="date d'import enregistrée (défaut : aucune) / import date "
                               "recorded (default: none)")
    importer.add_argument("--rules", metavar="DIR",
                          help="répertoire de règles (défaut : les règles intégrées) / rules "
                               "directory")
    importer.add_argument("--lang", choices=("fr", "en"), default=None, help=MESSAGE_LANG)

    example = sub.add_parser(
        "exemple", aliases=["example"],
        help="écrire un portefeuille d'exemple / write an example portfolio",
        description="Écrit un portefeuille généré (déterministe) pour essayer les autres "
                    "commandes. / Writes a generated (deterministic) portfolio to try the "
                    "other commands on.")
    example.add_argument("target", metavar="DIR",
                         help="répertoire à créer (neuf ou vide) / folder to create (new or "
                              "empty)")
    example.add_argument("--clients", type=_bounded("--clients", "--clients", 1, MAX_CLIENTS),
                         default=300, metavar="N",
                         help="nombre d'organismes (défaut : 300) / client bodies")
    example.add_argument("--annees", "--years", dest="years",
                         type=_bounded("--annees", "--years", 1, MAX_YEARS), default=3,
                         metavar="N", help="années de journal (défaut : 3) / years of events")
    example.add_argument("--graine", "--seed", dest="seed",
                         type=_bounded("--graine", "--seed", 0, 2**31 - 1), default=0,
                         metavar="N", help="graine (défaut : 0) / seed")
    example.add_argument("--lourd", "--heavy", dest="heavy", action="store_true",
                         help="journaux lourds (~1 100 événements par an et par entente) / "
                              "heavy logs (~1,100 events a year per agreement)")
    example.add_argument("--debut", "--start", dest="start", type=_date_arg,
                         metavar="DATE", help=f"début des journaux (défaut : {DEFAULT_START}) "
                                              "/ first day of the logs")
    example.add_argument("--lang", choices=("fr", "en"), default=None, help=MESSAGE_LANG)


# --------------------------------------------------------------------------- evaluating


PLAIN_PROGRESS_EVERY = 1.0  # seconds between two progress lines when stderr is no terminal


@contextmanager
def _progress_display(show: bool, lang: Lang, err: TextIO
                      ) -> Iterator[Callable[[int, int, int], None] | None]:
    """Progress on ``err`` (agreements done / total, events per second), or None when not
    shown: a rich progress bar on a terminal, which leaves nothing behind; elsewhere (a log
    file, ``--progres``) a plain line at most every second and one at the end."""
    if not show:
        yield None
        return
    began = time.perf_counter()

    def rate(events: int) -> str:
        elapsed = max(time.perf_counter() - began, 1e-6)
        return MESSAGES.say("per_second", lang, rate=f"{events / elapsed:,.0f}")

    if not err.isatty():
        last = [began - PLAIN_PROGRESS_EVERY]

        def line(done: int, total: int, events: int) -> None:
            now = time.perf_counter()
            if done == total or now - last[0] >= PLAIN_PROGRESS_EVERY:
                last[0] = now
                err.write(MESSAGES.say("progress_line", lang, done=done, total=total,
                                       rate=rate(events)) + "\n")
                err.flush()
        yield line
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )
    display = Progress(TextColumn(MESSAGES.say("progress", lang)), BarColumn(),
                       MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                       TimeElapsedColumn(), console=Console(file=err), transient=True)
    task = display.add_task("", total=None, rate="")

    def told(done: int, total: int, events: int) -> None:
        display.update(task, completed=done, total=total, rate=rate(events))

    with display:
        yield told


def _executor(workers: int | None, stack: ExitStack) -> Executor | None:
    """``--travailleurs``: None for the library's default (its resident workers, as many
    as asked); 0 for this process."""
    if workers == 0:
        return stack.enter_context(ThreadPoolExecutor(max_workers=1))
    return None


def _rulebook(args: argparse.Namespace) -> RuleBook | None:
    if not args.rules:
        return None
    if not Path(args.rules).is_dir():
        raise CliError(f"--rules : {args.rules} n'est pas un répertoire",
                       f"--rules: {args.rules} is not a directory")
    return RuleBook.from_directory(args.rules)


def open_portfolio(args: argparse.Namespace) -> Portfolio:
    """The portfolio ``--dir`` or ``--db`` names."""
    rules = _rulebook(args)
    engine: Engine = args.engine
    if args.dir is not None:
        return Portfolio.from_directory(args.dir, rules=rules, engine=engine)
    if args.db is not None:
        return Portfolio.from_database(args.db, rules=rules, engine=engine)
    raise CliError(MESSAGES.say("source_needed", "fr"), MESSAGES.say("source_needed", "en"))


def evaluate(args: argparse.Namespace, today: date
             ) -> tuple[PortfolioEvaluation, PortfolioSnapshot, Lang]:
    """The portfolio evaluated and asked about ``--at`` (default ``today``) as known on
    ``--connu-le``, in the ``--lang`` its rule book allows."""
    _check_question_dates(args)
    portfolio = open_portfolio(args)
    lang = _lang(args, portfolio.rulebook.agreement.languages)
    on: date = args.at if args.at is not None else today
    known: date = args.known_on if args.known_on is not None else on
    show = bool(args.progress) or sys.stderr.isatty()
    with ExitStack() as stack:
        executor = _executor(args.workers, stack)
        with _progress_display(show, lang, sys.stderr) as told:
            evaluation = portfolio.evaluate(executor, progress=told,
                                            workers=args.workers or None)
    return evaluation, evaluation.at(on, known, lang), lang


def report_errors(errors: Sequence[PortfolioError], lang: Lang | None, err: TextIO) -> int:
    """The agreements in error on ``err`` (each: agreement, file, line, key, message), in
    ``lang`` (None: both languages); the exit status (1 when any)."""
    if not errors:
        return EXIT_OK
    langs: tuple[Lang, ...] = (lang,) if lang is not None else ("fr", "en")
    for shown in langs:
        err.write(MESSAGES.say("failed_head", shown, count=len(errors)) + "\n")
        for error in errors:
            err.write("  " + visible(error.describe(shown)) + "\n")
    return EXIT_SOME_FAILED


def _error_records(errors: Sequence[PortfolioError], lang: Lang) -> list[dict[str, Any]]:
    return [{"entente": e.agreement, "fichier": e.where.file, "ligne": e.where.line,
             "cle": e.where.key, "message": e.fr if lang == "fr" else e.en,
             "message_en": e.en} for e in errors]


# --------------------------------------------------------------------------- commands


def _amount(value: Decimal) -> str:
    return str(plain(value))


def cmd_owed(args: argparse.Namespace, out: TextIO, today: date) -> int:
    _, snapshot, lang = evaluate(args, today)
    if args.format == "json":
        _write(args, json.dumps(_owed_json(snapshot, lang), ensure_ascii=False, indent=2)
               + "\n", out)
    elif args.format == "csv":
        records = [{"entente": agreement, "organisme": snapshot.client(agreement), **record}
                   for agreement, owed in snapshot.owed_records().items()
                   for record in owed]
        _write(args, to_csv(records, (*AGREEMENT_COLUMNS, *RECORD_COLUMNS),
                            raw=args.raw_csv), out)
    else:
        _write(args, owed_table(snapshot, lang), out)
    return report_errors(snapshot.errors, args.lang, sys.stderr)


def _owed_json(snapshot: PortfolioSnapshot, lang: Lang) -> dict[str, Any]:
    agreements = []
    owed = snapshot.owed_dicts()
    for line in snapshot.by_client():
        agreements.append({
            "entente": line.agreement, "organisme": line.client, "monnaie": line.currency,
            "en_vigueur": line.in_force,
            "du_par": {party: _amount(value) for party, value in line.owed.items()},
            "en_retard": _amount(line.late), "nombre_dues": line.owed_count,
            "nombre_en_retard": line.late_count,
            "interet": _amount(line.interest),  # accrued, never in the balances (dec. 68)
            "prochaine_echeance": (None if line.next_deadline is None
                                   else line.next_deadline.isoformat()),
            "resiliation_en_cours": (None if line.termination_pending is None
                                     else line.termination_pending.to_dict()),
            "obligations": owed[line.agreement],
        })
    return {
        "au": snapshot.on.isoformat(),
        "connu_le": (snapshot.known_on or snapshot.on).isoformat(),
        "ententes": agreements,
        "totaux": [{"debiteur": t.debtor, "monnaie": t.currency, "du": _amount(t.owed),
                    "nombre_dues": t.owed_count, "en_retard": _amount(t.late),
                    "nombre_en_retard": t.late_count, "ententes": t.agreements,
                    "interet": _amount(t.interest)}
                   for t in snapshot.owed_totals()],
        "erreurs": _error_records(snapshot.errors, lang),
    }


def _head(snapshot: PortfolioSnapshot, lang: Lang) -> str:
    return visible(MESSAGES.say("head", lang, on=snapshot.on,
                                known=snapshot.known_on or snapshot.on, count=len(snapshot),
                                failed=len(snapshot.errors)))


def owed_table(snapshot: PortfolioSnapshot, lang: Lang) -> str:
    """One line per agreement (owed by each party, late, next deadline, pending
    termination or not in force), then the totals by debtor and currency. A party that owes
    no amount in any agreement gets no column here (its instances are counted; JSON and the
    page show every party)."""
    money = Money(snapshot, lang)
    parties, rows = client_rows(snapshot, lang, money)
    shown = [i for i, _ in enumerate(parties)
             if any(Decimal(row["owed"][i]["value"]) for row in rows)]
    lines = [_head(snapshot, lang), ""]
    columns = [WORDS.say("agreement", lang), WORDS.say("body", lang),
               *(MESSAGES.say("owed_by", lang, party=money.party(parties[i])) for i in shown),
               WORDS.say("late", lang), WORDS.say("owed_count", lang),
               WORDS.say("next_deadline", lang), WORDS.say("termination", lang)]
    right = frozenset(range(2, 2 + len(shown) + 2))
    table = new_table(columns, right=right, fold=frozenset({0, 1}))
    for row in rows:
        count = str(row["owed_count"]) + (f" ({row['late_count']})" if row["late_count"]
                                          else "")
        end = row["termination"] or ("" if row["in_force"] else
                                     WORDS.say("not_in_force", lang))
        table.add_row(cell(row["agreement"]), cell(row["body"]),
                      *(row["owed"][i]["text"] for i in shown), row["late"], count,
                      row["next_deadline"], end)
    if rows:
        lines += render(table).splitlines()
        lines.append("")
    lines += _totals_lines(snapshot, lang, money)
    return "\n".join(lines) + "\n"


def _totals_lines(snapshot: PortfolioSnapshot, lang: Lang, money: Money) -> list[str]:
    totals = snapshot.owed_totals()
    if not totals:
        return [REPORT_WORDS.say("nothing_owed", lang)]
    interest = any(t.interest for t in totals)  # a column only when some accrued (dec. 68)
    table = new_table([WORDS.say("debtor", lang), WORDS.say("currency", lang),
                       WORDS.say("owed", lang), WORDS.say("owed_count", lang),
                       WORDS.say("late", lang), WORDS.say("late_count", lang),
                       WORDS.say("agreements", lang),
                       *([WORDS.say("interest", lang)] if interest else [])],
                      right=frozenset({2, 3, 4, 5, 6, 7}))
    for t in totals:
        table.add_row(money.party(t.debtor), t.currency or "", money(t.owed, t.currency),
                      str(t.owed_count), money(t.late, t.currency), str(t.late_count),
                      str(t.agreements), *([money(t.interest, t.currency)] if interest else []))
    return [MESSAGES.say("totals_head", lang), *render(table).splitlines()]


def cmd_soldes(args: argparse.Namespace, out: TextIO, today: date) -> int:
    _, snapshot, lang = evaluate(args, today)
    agings = snapshot.aging()
    if args.format == "json":
        report = {
            "au": snapshot.on.isoformat(),
            "connu_le": (snapshot.known_on or snapshot.on).isoformat(),
            "monnaies": [{
                "monnaie": aging.currency,
                "totaux": {code: _amount(v) for code, v in aging.totals.items()},
                "nombres": aging.counts, "total": _amount(aging.total),
                "soldes": [{"entente": e.agreement, "organisme": e.client,
                            **{k: (v if isinstance(v, int) else plain(v))
                               for k, v in e.line.to_record().items()}}
                           for e in aging.lines],
            } for aging in agings],
            "erreurs": _error_records(snapshot.errors, lang),
        }
        _write(args, json.dumps(report, ensure_ascii=False, indent=2) + "\n", out)
    elif args.format == "csv":
        from entente_regles.query.aging import RECORD_COLUMNS as AGING_COLUMNS
        records = [{"entente": e.agreement, "organisme": e.client, **e.line.to_record()}
                   for aging in agings for e in aging.lines]
        _write(args, to_csv(records, (*AGREEMENT_COLUMNS, *AGING_COLUMNS), raw=args.raw_csv),
               out)
    else:
        _write(args, aging_table(snapshot, lang), out)
    return report_errors(snapshot.errors, args.lang, sys.stderr)


def aging_table(snapshot: PortfolioSnapshot, lang: Lang) -> str:
    """Per currency: one line per agreement with an unpaid balance, its balances by age
    bucket and their total, then the totals of the buckets."""
    money = Money(snapshot, lang)
    lines = [_head(snapshot, lang)]
    agings = snapshot.aging()
    if not agings:
        lines += ["", REPORT_WORDS.say("no_balance", lang)]
    for aging in agings:
        per: dict[str, dict[str, Decimal]] = {}
        clients: dict[str, str] = {}
        for entry in aging.lines:
            sums = per.setdefault(entry.agreement, {})
            line = entry.line  # a held part is not yet due (decision 71), as the totals
            sums[line.bucket] = sums.get(line.bucket, Decimal(0)) + line.past_due
            if line.past_due != line.balance:
                sums[DUE.value] = sums.get(DUE.value, Decimal(0)) + line.balance - line.past_due
            clients[entry.agreement] = entry.client
        codes = [code for code, _, _ in BUCKETS]
        table = new_table([WORDS.say("agreement", lang), WORDS.say("body", lang),
                           *(bucket_label(code, lang) for code in codes),
                           REPORT_WORDS.say("total", lang)],
                          right=frozenset(range(2, 3 + len(codes))), fold=frozenset({0, 1}))
        for agreement in sorted(per):
            sums = per[agreement]
            table.add_row(cell(agreement), cell(clients[agreement]),
                          *(money(sums.get(code, Decimal(0)), aging.currency) for code in codes),
                          money(sum(sums.values(), Decimal(0)), aging.currency))
        totals = aging.totals
        table.add_row(REPORT_WORDS.say("total", lang), "",
                      *(money(totals[code], aging.currency) for code in codes),
                      money(aging.total, aging.currency))
        lines += ["", MESSAGES.say("aging_head", lang, currency=aging.currency or "—"),
                  *render(table).splitlines()]
    return "\n".join(lines) + "\n"


def _listing(args: argparse.Namespace, out: TextIO, snapshot: PortfolioSnapshot,
             head: dict[str, Any], key: str, items: Sequence[tuple[str, str, Any]],
             as_dict: Callable[[Any], dict[str, Any]], columns: Sequence[str],
             table: Callable[[], Table], title: str, empty: str) -> int:
    """Write a merged listing (agenda items, changes): ``items`` are (agreement, client,
    element); JSON (``head``, each element's ``as_dict`` under ``key``, the errors), CSV
    (its ``to_record()``, ``columns`` after the agreement's), or the ``table`` under
    ``title`` (``empty`` when there is nothing)."""
    lang = snapshot.lang
    if args.format == "json":
        report = {**head, key: [{"entente": agreement, "organisme": client,
                                 **as_dict(element)}
                                for agreement, client, element in items],
                  "erreurs": _error_records(snapshot.errors, lang)}
        _write(args, json.dumps(report, ensure_ascii=False, indent=2) + "\n", out)
    elif args.format == "csv":
        records = [{"entente": agreement, "organisme": client, **element.to_record()}
                   for agreement, client, element in items]
        _write(args, to_csv(records, (*AGREEMENT_COLUMNS, *columns), raw=args.raw_csv), out)
    else:
        drawn = table() if items else None
        lines = [visible(title), *(render(drawn).splitlines() if drawn is not None
                                   else [empty])]
        _write(args, "\n".join(lines) + "\n", out)
    return report_errors(snapshot.errors, args.lang, sys.stderr)


def cmd_agenda(args: argparse.Namespace, out: TextIO, today: date) -> int:
    from entente_regles.query.agenda import RECORD_COLUMNS as AGENDA_COLUMNS
    _, snapshot, lang = evaluate(args, today)
    start: date = args.start if args.start is not None else snapshot.on
    end: date = args.end if args.end is not None else start + timedelta(days=30)
    if end < start:
        raise CliError(f"--au {end} précède --du {start}", f"--to {end} is before --from {start}")
    items = snapshot.agenda(start, end)

    def table() -> Table:
        money = Money(snapshot, lang)
        drawn = new_table([REPORT_WORDS.say("date", lang), WORDS.say("agreement", lang)]
                          + [REPORT_WORDS.say(k, lang) for k in
                             ("kind", "art", "rule", "party", "key", "status")],
                          fold=frozenset({1, 2, 4, 6}))
        for e in items:
            item = e.item
            drawn.add_row(item.on.isoformat(), cell(e.agreement), item.kind_label(lang),
                          item.article, item.rule, cell(money.party(item.party or "")),
                          cell(item.key), "" if item.status is None else item.status.label(lang))
        return drawn

    return _listing(args, out, snapshot, {"du": start.isoformat(), "au": end.isoformat()},
                    "elements", [(e.agreement, e.client, e.item) for e in items],
                    lambda item: item.to_dict(lang), AGENDA_COLUMNS, table,
                    MESSAGES.say("agenda_head", lang, start=start, end=end, count=len(items)),
                    REPORT_WORDS.say("empty_agenda", lang))


def cmd_changes(args: argparse.Namespace, out: TextIO, today: date) -> int:
    from entente_regles.query.changes import RECORD_COLUMNS as CHANGE_COLUMNS
    _, snapshot, lang = evaluate(args, today)
    since = _since(args, snapshot.on)
    items = snapshot.changes(since)

    def table() -> Table:
        words = CHANGE_COLUMN_WORDS.in_language(lang)
        drawn = new_table([words["date"], WORDS.say("agreement", lang)]
                          + [words[k] for k in ("kind", "art", "party", "key", "what", "amount")],
                          right=frozenset({7}), fold=frozenset({1, 5, 6}))
        for e in items:
            change = e.change
            drawn.add_row(change.on.isoformat(), cell(e.agreement), change.kind_label,
                          change.article, change.party_text, cell(change.key),
                          cell(change.text), change.amount_text)
        return drawn

    head = {"depuis": since.isoformat(), "au": snapshot.on.isoformat(),
            "connu_le": (snapshot.known_on or snapshot.on).isoformat()}
    return _listing(args, out, snapshot, head, "changements",
                    [(e.agreement, e.client, e.change) for e in items],
                    lambda change: change.to_dict(), CHANGE_COLUMNS, table,
                    MESSAGES.say("changes_head", lang, since=since, on=snapshot.on,
                                 count=len(items)),
                    CHANGE_WORDS.say("nothing", lang))


def agreement_page(agreement: str, evaluation: Evaluation,
                   own: Mapping[str, tuple[str, str, dict[str, Any]]], since: date, on: date,
                   known: date, lang: Lang) -> str:
    """The report page of one agreement (``own``: its client, policy name and provenance
    by agreement id), made where its evaluation is kept (``PortfolioEvaluation.map``)."""
    from entente_regles.outputs.html import render_report
    client, policy, reproduction = own[agreement]
    changes = evaluation.changes(since, on, lang, known_on=known)
    return render_report(evaluation, client, on, lang, policy, known_on=known,
                         reproduction=reproduction, changes=changes)


def cmd_rapport(args: argparse.Namespace, out: TextIO, today: date) -> int:
    evaluation, snapshot, lang = evaluate(args, today)
    folder = Path(args.output)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"{folder} : {exc.strerror}", f"{folder}: {exc.strerror}") from exc
    pages = {agreement: page_name(agreement) for agreement in snapshot}
    on, known = snapshot.on, snapshot.known_on or snapshot.on
    own = {}
    for agreement in pages:
        held = evaluation.agreement(agreement)
        own[agreement] = (held.client, held.policy.name, provenance(held, on, known))
    # each page made where its evaluation is kept (a resident worker, or here)
    made = evaluation.map(agreement_page, own, _since(args, on), on, known, lang)
    for agreement, name in pages.items():
        write_atomically(folder / name, made[agreement].encode("utf-8"))
    index = folder / "index.html"
    write_atomically(index, render_portfolio(snapshot, lang, pages).encode("utf-8"))
    print(visible(MESSAGES.say("report_written", lang, index=index, count=len(pages))),
          file=sys.stderr)
    return report_errors(snapshot.errors, args.lang, sys.stderr)


def cmd_importer(args: argparse.Namespace, out: TextIO, today: date) -> int:
    from entente_regles.portfolio.database import (
        database_url,
        import_directory,
        import_logs,
        shown,
    )
    lang: Lang = "en" if args.lang == "en" else "fr"
    logs: dict[str, str] = {}
    for given in args.logs:
        agreement, equal, name = given.partition("=")
        if not equal or not agreement or not name:
            raise CliError(MESSAGES.say("bad_log_option", "fr", value=given),
                           MESSAGES.say("bad_log_option", "en", value=given))
        logs[agreement] = name
    if args.source is None and not logs:
        raise CliError(MESSAGES.say("nothing_to_import", "fr"),
                       MESSAGES.say("nothing_to_import", "en"))
    rules = _rulebook(args)
    url = shown(database_url(args.db))  # a password in the URL is not shown
    errors: list[PortfolioError] = []
    if args.source is not None:
        report = import_directory(args.source, args.db, rules=rules,
                                  imported_on=args.imported_on, replace=args.replace)
        errors += report.errors
        out.write(visible(MESSAGES.say("imported", lang, count=len(report.imported),
                                       events=report.events, url=url)) + "\n")
    if logs:
        report = import_logs(logs, args.db, rules=rules)
        errors += report.errors
        out.write(visible(MESSAGES.say("appended", lang, count=len(report.imported),
                                       events=report.events, url=url)) + "\n")
    return report_errors(errors, args.lang, sys.stderr)


def cmd_exemple(args: argparse.Namespace, out: TextIO, today: date) -> int:
    from entente_regles.portfolio.generate import LOG_FILE, generate_portfolio
    lang: Lang = "en" if args.lang == "en" else "fr"
    target = Path(args.target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CliError(MESSAGES.say("not_empty", "fr", folder=target),
                       MESSAGES.say("not_empty", "en", folder=target))
    start: date = args.start if args.start is not None else DEFAULT_START
    try:
        folders = generate_portfolio(target, clients=args.clients, years=args.years,
                                     seed=args.seed, heavy=args.heavy, start=start)
    except OSError as exc:
        raise CliError(f"{target} : {exc.strerror}", f"{target}: {exc.strerror}") from exc
    events = 0
    for folder in folders:
        with (folder / LOG_FILE).open("rb") as log:
            events += sum(1 for line in log if line.startswith(b"{"))
    last = date(start.year + args.years, start.month, 1) - timedelta(days=1)
    command = f"entente-regles portefeuille owed --dir {target} --at {last.isoformat()}"
    out.write(visible(MESSAGES.say("example_written", lang, count=len(folders),
                                   folder=target, events=f"{events:,}".replace(",", " "),
                                   command=command)) + "\n")
    return EXIT_OK


_SUBCOMMANDS: Mapping[str, Callable[[argparse.Namespace, TextIO, date], int]] = {
    "owed": cmd_owed, "soldes": cmd_soldes, "agenda": cmd_agenda, "rapport": cmd_rapport,
    "changements": cmd_changes, "changes": cmd_changes,
    "importer": cmd_importer, "import": cmd_importer, "exemple": cmd_exemple,
    "example": cmd_exemple,
}


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run the ``portefeuille`` subcommand ``args`` names (``--at``'s default: the date
    ``cli.commands`` reads at the edge)."""
    return _SUBCOMMANDS[args.portfolio_command](args, out, commands.today())


EXTENSIONS.append(add_portfolio_parser)
COMMANDS.update(dict.fromkeys(NAMES, run))
