"""The ``entente-regles`` command's options: one parser, its subcommands and their arguments
(dates in ISO form, counts). Usage errors exit with status 2 (``EXIT_INPUT``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Any, NoReturn

from entente_regles.core.textsafe import visible
from entente_regles.rules.fingerprint import package_version

EXIT_INPUT = 2
# Subcommands defined in their own modules add their parsers here when imported
# (``cli.portfolio``, issue 21): this module imports none of them.
EXTENSIONS: list[Callable[[Any], None]] = []


def _count_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 366:
        raise argparse.ArgumentTypeError(
            f"nombre de jours invalide {text!r} : entier de 0 à 366 attendu / invalid number "
            f"of days {text!r}: expected an integer from 0 to 366")
    return value


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"date invalide {text!r} : format AAAA-MM-JJ attendu, p. ex. 2026-07-15 / "
            f"invalid date {text!r}: expected YYYY-MM-DD, e.g. 2026-07-15") from None


class _Parser(argparse.ArgumentParser):
    """argparse with bilingual errors and exit status 2; the message, which may quote the
    command line's words (« unrecognized arguments: … »), is made visible."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{visible(self.prog)} : erreur / error: {visible(message)}\n")


RAW_CSV_HELP = ("CSV : écrire les valeurs exactes, sans neutraliser les cellules qui "
                "commencent par = + - @, une tabulation ou un retour chariot (voir "
                "docs/limites.md) / CSV: write exact values, without the formula guard")


def _csv_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--csv-brut", "--raw-csv", dest="raw_csv", action="store_true",
                        help=RAW_CSV_HELP)


LANG_HELP = ("langue de sortie, parmi celles que le recueil de règles déclare ([entente] "
             "langues ; défaut : la première ; erreurs en deux langues) / output language, "
             "among those the rule book declares (default: the first; errors in both)")


def _agreement_options(parser: argparse.ArgumentParser, *, dates: bool = True) -> None:
    """The options naming the agreement, its log and rules; ``dates``: with the question's
    dates (``--at``, ``--connu-le``), which ``valider`` does not ask."""
    group = parser.add_argument_group("entente et journal / agreement and event log")
    if dates:
        _date_options(group)
    _file_options(group)


def _date_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--at", type=_date_arg, metavar="DATE",
                       help="date de la question (AAAA-MM-JJ ; défaut : aujourd'hui) / "
                            "date asked about (default: today)")
    group.add_argument("--connu-le", "--known-on", dest="known_on", type=_date_arg,
                       metavar="DATE",
                       help="répondre tel qu'on le savait à cette date : seuls les événements "
                            "enregistrés au plus tard ce jour-là comptent (défaut : --at) / "
                            "answer as known on this date: only events recorded by then count "
                            "(default: --at)")


def _file_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--events", metavar="FILE",
                       help="journal d'événements JSON Lines, - pour l'entrée standard "
                            "(défaut : l'exemple intégré) / JSON Lines event log, - for "
                            "standard input (default: the bundled example)")
    group.add_argument("--agreement", metavar="FILE",
                       help="fichier d'entente TOML (défaut : l'exemple intégré, sauf avec "
                            "--events) / TOML agreement file")
    group.add_argument("--client", metavar="ACRONYM",
                       help="acronyme de l'organisme client (remplace celui du fichier) / "
                            "client body's acronym (overrides the file's)")
    group.add_argument("--in-force-from", type=_date_arg, metavar="DATE",
                       help="date d'entrée en vigueur (remplace celle du fichier) / "
                            "entry-into-force date (overrides the file's)")
    group.add_argument("--rules", metavar="DIR",
                       help="répertoire de règles (défaut : les règles intégrées) / "
                            "rules directory (default: the bundled rules)")
    group.add_argument("--engine", choices=("python", "durable", "reference"), default="python",
                       help="moteur d'appariement (défaut : python ; durable : durable_rules, "
                            "Python 3.11–3.12) / matching engine (default: python)")
    group.add_argument("--lang", choices=("fr", "en"), default=None,
                       help=LANG_HELP)


FAIL_ON = {"erreur": "erreur", "error": "erreur", "avertissement": "avertissement",
           "warning": "avertissement"}  # the option's words, English aliases included


def _fail_on_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--echec-si", "--fail-on", dest="fail_on", choices=tuple(FAIL_ON),
                        help="statut de sortie 1 s'il existe, jusqu'à la date demandée, des "
                             "diagnostics de cette gravité ou plus grave : erreur, "
                             "avertissement (pour une tâche planifiée, voir docs/cli.md) / "
                             "exit status 1 when diagnostics of this severity or worse exist "
                             "up to the date asked: error, warning")


def since_option(parser: argparse.ArgumentParser, report: bool = False) -> None:
    """``--depuis`` (``--since``): the last day already seen, excluded, of a weekly digest
    (``report``: of a report page's "what changed" section); by default ``--at`` minus 7
    days (``commands._since``)."""
    parser.add_argument(
        "--depuis", "--since", dest="since", type=_date_arg, metavar="DATE",
        help="la section « ce qui a changé » part du lendemain de DATE (défaut : --at moins 7 "
             "jours) / the 'what changed' section starts the day after DATE (default: --at "
             "minus 7 days)" if report else
             "dernier jour déjà vu, exclu (défaut : --at moins 7 jours) / last day already "
             "seen, excluded (default: --at minus 7 days)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="entente-regles",
        description="Ce qui est dû, à une date, selon une entente écrite en fichiers de règles "
                    "(par défaut : l'entente globale de services du MCN). / What is owed, on a "
                    "date, under an agreement written as rule files (default: the MCN's global "
                    "services agreement).",
        epilog="Statuts de sortie / exit status: 0 ok; 1 rien trouvé / nothing found "
               "(explain), constats / findings (check), exemple en échec / failed example "
               "(test), diagnostics avec / with --echec-si; 2 entrée invalide / bad input; "
               "3 erreur du moteur / engine failure. Voir / see docs/cli.md.")
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {package_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    owed = commands.add_parser(
        "owed", help="obligations dues à une date / obligations owed on a date",
        description="Une ligne par obligation due (à échoir ou en retard), puis les "
                    "diagnostics. / One line per owed obligation, then the diagnostics.")
    _agreement_options(owed)
    owed.add_argument("--format", choices=("table", "csv", "json"), default="table",
                      help="tableau lisible, CSV ou JSON (défaut : table) / readable table, "
                           "CSV or JSON")
    owed.add_argument("--all-diagnostics", action="store_true",
                      help="montrer aussi les diagnostics d'information / show info ones too")
    _csv_options(owed)

    explain = commands.add_parser(
        "explain", help="pourquoi une obligation a ce statut / why an obligation has its status",
        description="Explique une instance : article, déclencheur, calcul de l'échéance, "
                    "exécutions. / Explains one instance: article, trigger, deadline, acts.")
    explain.add_argument("rule", metavar="RULE",
                         help="identifiant de la règle, p. ex. paiement-facture / rule id")
    explain.add_argument("key", metavar="KEY", nargs="?", default=None,
                         help="clé de l'instance, p. ex. F-2026-04 (omise : liste des "
                              "instances s'il y en a plusieurs) / instance key (omitted: "
                              "lists the instances when there are several)")
    _agreement_options(explain)
    explain.add_argument("--format", choices=("text", "json"), default="text",
                         help="texte ou JSON (défaut : text) / text or JSON")

    agenda = commands.add_parser(
        "agenda", help="ce qui tombe dans une période / what falls due in a period",
        description="Échéances, fins de période, limites de préavis, prises d'effet, "
                    "reconductions, en ordre de date. / Deadlines, period ends, notice "
                    "limits, effective dates, renewals, in date order.")
    _agreement_options(agenda)
    agenda.add_argument("--du", "--from", dest="start", type=_date_arg, metavar="DATE",
                        help="premier jour (défaut : --at, ou aujourd'hui) / first day "
                             "(default: --at, or today)")
    agenda.add_argument("--au", "--to", dest="end", type=_date_arg, metavar="DATE",
                        help="dernier jour (défaut : premier jour + 30) / last day "
                             "(default: first day + 30)")
    agenda.add_argument("--effet", "--effective", dest="effective", type=_date_arg,
                        action="append", default=[], metavar="DATE",
                        help="date d'effet proposée pour les limites de préavis (répétable) "
                             "/ proposed effective date for notice limits (repeatable)")
    agenda.add_argument("--format", choices=("table", "csv", "json", "ics"), default="table",
                        help="table, CSV, JSON ou iCalendar (.ics) / table, CSV, JSON or "
                             "iCalendar")
    agenda.add_argument("--rappel", "--alarm-days", dest="alarm_days", type=_count_arg,
                        default=5, metavar="N",
                        help="ics : rappel N jours ouvrables avant (défaut : 5 ; 0 : aucun) "
                             "/ ics: alarm N working days before (default 5; 0: none)")
    agenda.add_argument("--precedent", "--previous", dest="previous", metavar="FILE",
                        help="ics : le fichier .ics précédent ; ses événements qui ne "
                             "s'appliquent plus sont envoyés annulés (STATUS:CANCELLED) / "
                             "ics: the previous .ics file; its events that no longer apply "
                             "are sent as cancelled")
    agenda.add_argument("-o", "--output", metavar="FILE",
                        help="écrire dans FICHIER (défaut : sortie standard) / write to FILE")
    _csv_options(agenda)

    soldes = commands.add_parser(
        "soldes", help="soldes impayés par ancienneté / unpaid balances by age",
        description="Chaque solde impayé selon son retard (non échu, 1-30, 31-60, 61-90, "
                    "plus de 90 jours), avec les totaux. / Each unpaid balance by days past "
                    "its deadline, with totals.")
    _agreement_options(soldes)
    soldes.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="table, CSV ou JSON / table, CSV or JSON")
    _csv_options(soldes)

    rapport = commands.add_parser(
        "rapport", help="page HTML autonome / self-contained HTML page",
        description="Une page HTML autonome : en-tête, obligations dues, soldes, agenda des "
                    "90 jours, frise par obligation. / One self-contained HTML page.")
    _agreement_options(rapport)
    rapport.add_argument("-o", "--output", metavar="FILE", default="rapport.html",
                         help="fichier HTML (défaut : rapport.html ; - : sortie standard) / "
                              "HTML file (default: rapport.html; -: standard output)")
    since_option(rapport, report=True)

    changes = commands.add_parser(
        "changements", aliases=["changes"],
        help="ce qui a changé entre deux dates / what changed between two dates",
        description="Le résumé de la semaine : obligations apparues, paiements, retards, "
                    "changements de statut et nouveaux diagnostics, de --depuis (exclu) à --at "
                    "(inclus). / The weekly digest: obligations that arose, payments, late "
                    "ones, status changes and new diagnostics, from --since (excluded) to --at "
                    "(included).")
    _agreement_options(changes)
    since_option(changes)
    changes.add_argument("--format", choices=("table", "csv", "json"), default="table",
                         help="table, CSV ou JSON (défaut : table) / table, CSV or JSON")
    _csv_options(changes)

    # The commands that print diagnostics can fail a scheduled job (exit status 1).
    for command in (owed, explain, agenda, soldes, rapport, changes):
        _fail_on_option(command)

    validating = commands.add_parser(
        "valider", aliases=["validate"],
        help="vérifier un fichier d'entente et un journal : tous les problèmes d'un coup / "
             "check an agreement file and an event log: every problem at once",
        description="Lit le fichier d'entente et le journal et énumère chaque problème "
                    "(fichier, ligne, clé, ce qui était attendu) ; statut 2 s'il y en a, 0 "
                    "sinon. / Reads the agreement file and the event log and lists every "
                    "problem (file, line, key, what was expected); status 2 if any, else 0.")
    _agreement_options(validating, dates=False)

    checking = commands.add_parser(
        "check", help="vérifier un répertoire de règles / check a rules directory",
        description="Analyse statique des fichiers de règles, sans événement. / "
                    "Static analysis of the rule files, with no event.")
    checking.add_argument("rules_dir", metavar="RULES_DIR", nargs="?", default=None,
                          help="défaut : les règles intégrées / default: the bundled rules")
    checking.add_argument("--lang", choices=("fr", "en"), default=None, help=LANG_HELP)

    testing = commands.add_parser(
        "test", help="rejouer les exemples d'un répertoire de règles / run a rules "
                     "directory's worked examples",
        description="Rejoue chaque [[exemple]] des fichiers de règles et dit, pour chacun, "
                    "s'il réussit et ce qui diffère. / Replays every [[exemple]] of the rule "
                    "files and says, for each, whether it passes and what differs.")
    testing.add_argument("rules_dir", metavar="RULES_DIR", nargs="?", default=None,
                         help="défaut : les règles intégrées / default: the bundled rules")
    testing.add_argument("--engine", choices=("python", "durable", "reference", "tous", "all"),
                         default="python",
                         help="moteur (défaut : python ; tous : chacun des trois) / engine "
                              "(default: python; tous/all: each of the three)")
    testing.add_argument("--lang", choices=("fr", "en"), default=None, help=LANG_HELP)
    for extend in EXTENSIONS:  # subcommands of their own modules (cli.portfolio)
        extend(commands)
    return parser


# --------------------------------------------------------------------------- agreement


__all__ = ["EXIT_INPUT", "EXTENSIONS", "FAIL_ON", "build_parser", "since_option"]
