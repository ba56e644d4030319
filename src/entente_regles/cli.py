"""The ``entente-regles`` command: what is owed on a date, why, and is the rulebook sound.

``today`` is read here, at the edge, and nowhere in the engine. Bad input (files, dates,
options) never shows a traceback: a message in French and English (or the ``--lang`` one)
goes to stderr and the exit status is 2. See ``docs/cli.md``.

Exit statuses: 0 success; 1 ``explain`` found no such instance (``check``: findings);
2 bad input or usage; 3 the matching engine or the program itself failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from . import check
from .agreement import Agreement, Engine
from .agreement_file import read_agreement_file
from .evaluation import Evaluation
from .limits import EARLIEST_DATE, LATEST_DATE, in_date_range
from .model import EntenteError, ErrorLocation, InputError, Lang
from .provenance import provenance
from .report import owed_json, owed_table
from .resources import bundled_example
from .rulebook import RuleBook

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
DEBUG_ENV = "ENTENTE_REGLES_TRACEBACK"


class CliError(Exception):
    """A usage problem found after parsing, with its French and English wording."""

    def __init__(self, fr: str, en: str) -> None:
        super().__init__(f"{fr} / {en}")
        self.fr = fr
        self.en = en


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"date invalide {text!r} : format AAAA-MM-JJ attendu, p. ex. 2026-07-15 / "
            f"invalid date {text!r}: expected YYYY-MM-DD, e.g. 2026-07-15") from None


class _Parser(argparse.ArgumentParser):
    """argparse with bilingual errors and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog} : erreur / error: {message}\n")


def _agreement_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("entente et journal / agreement and event log")
    group.add_argument("--at", type=_date_arg, metavar="DATE",
                       help="date de la question (AAAA-MM-JJ ; défaut : aujourd'hui) / "
                            "date asked about (default: today)")
    group.add_argument("--connu-le", "--known-on", dest="known_on", type=_date_arg,
                       metavar="DATE",
                       help="répondre tel qu'on le savait à cette date : seuls les événements "
                            "enregistrés au plus tard ce jour-là comptent (défaut : --at) / "
                            "answer as known on this date: only events recorded by then count "
                            "(default: --at)")
    group.add_argument("--events", metavar="FILE",
                       help="journal d'événements JSON Lines (défaut : l'exemple intégré) / "
                            "JSON Lines event log (default: the bundled example)")
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
                       help="langue de sortie (défaut : fr ; erreurs en deux langues) / "
                            "output language (default: fr; errors in both)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="entente-regles",
        description="Ce qui est dû, à une date, selon l'entente globale de services du MCN. / "
                    "What is owed, on a date, under the MCN's global services agreement.",
        epilog="Statuts de sortie / exit status: 0 ok; 1 rien trouvé / nothing found "
               "(explain), constats / findings (check); 2 entrée invalide / bad input; "
               "3 erreur du moteur / engine failure. Voir / see docs/cli.md.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    owed = commands.add_parser(
        "owed", help="obligations dues à une date / obligations owed on a date",
        description="Une ligne par obligation due (à échoir ou en retard), puis les "
                    "diagnostics. / One line per owed obligation, then the diagnostics.")
    _agreement_options(owed)
    owed.add_argument("--format", choices=("table", "json"), default="table",
                      help="tableau lisible ou JSON (défaut : table) / readable table or JSON")
    owed.add_argument("--all-diagnostics", action="store_true",
                      help="montrer aussi les diagnostics d'information / show info ones too")

    explain = commands.add_parser(
        "explain", help="pourquoi une obligation a ce statut / why an obligation has its status",
        description="Explique une instance : article, déclencheur, calcul de l'échéance, "
                    "exécutions. / Explains one instance: article, trigger, deadline, acts.")
    explain.add_argument("rule", metavar="RULE",
                         help="identifiant de la règle, p. ex. paiement-facture / rule id")
    explain.add_argument("key", metavar="KEY", nargs="?", default=None,
                         help="clé de l'instance, p. ex. F-2026-04 / instance key")
    _agreement_options(explain)

    checking = commands.add_parser(
        "check", help="vérifier un répertoire de règles / check a rules directory",
        description="Analyse statique des fichiers de règles, sans événement. / "
                    "Static analysis of the rule files, with no event.")
    checking.add_argument("rules_dir", metavar="RULES_DIR", nargs="?", default=None,
                       help="défaut : les règles intégrées / default: the bundled rules")
    return parser


# --------------------------------------------------------------------------- agreement


def load_agreement(args: argparse.Namespace) -> tuple[Agreement, Path]:
    """The agreement and the event log the options designate (see docs/cli.md)."""
    if args.events is None or args.agreement is None:
        example_agreement, example_events = bundled_example()
    events = Path(args.events) if args.events else example_events
    if args.agreement:
        source: Path | None = Path(args.agreement)
    elif args.events is None:
        source = example_agreement
    else:
        source = None
    read = read_agreement_file(str(source)) if source is not None else None
    spec: dict[str, Any] = dict(read.data) if read is not None else {}
    # An option's value is checked here, so that an error names the option, not the line of
    # the file whose key it replaces.
    if args.client is not None:
        if not args.client.strip():
            raise CliError("--client : texte vide", "--client: empty string")
        spec["client"] = args.client
    if args.in_force_from is not None:
        if not in_date_range(args.in_force_from):
            raise CliError(f"--in-force-from : date {args.in_force_from} hors de la plage "
                           f"acceptée ({EARLIEST_DATE} au {LATEST_DATE}, voir docs/limites.md)",
                           f"--in-force-from: date {args.in_force_from} outside the accepted "
                           f"range ({EARLIEST_DATE} to {LATEST_DATE}, see docs/limites.md)")
        spec["en_vigueur_le"] = args.in_force_from
    if source is None and not {"client", "en_vigueur_le"} <= spec.keys():
        raise CliError("avec --events, donnez aussi --agreement FICHIER, ou --client et "
                       "--in-force-from",
                       "with --events, also give --agreement FILE, or --client and "
                       "--in-force-from")
    if args.rules and not Path(args.rules).is_dir():
        raise CliError(f"--rules : {args.rules} n'est pas un répertoire",
                       f"--rules: {args.rules} is not a directory")
    rules = RuleBook.from_directory(args.rules) if args.rules else None
    where = ErrorLocation(str(source) if source is not None else "<ligne de commande>")
    engine: Engine = args.engine
    return Agreement.from_mapping(spec, where, rules=rules, engine=engine, source=read), events


def _evaluate(args: argparse.Namespace) -> tuple[Agreement, Evaluation, date, date]:
    """The agreement, its evaluation, the date asked about and the knowledge date."""
    agreement, events = load_agreement(args)
    on: date = args.at if args.at is not None else date.today()  # the CLI's edge: only here
    known: date = args.known_on if args.known_on is not None else on
    return agreement, agreement.evaluate(events), on, known


# --------------------------------------------------------------------------- commands


def _lang(args: argparse.Namespace) -> Lang:
    return "en" if getattr(args, "lang", None) == "en" else "fr"


def cmd_owed(args: argparse.Namespace, out: TextIO) -> int:
    agreement, evaluation, on, known = _evaluate(args)
    lang = _lang(args)
    snapshot = evaluation.at(on, lang, known_on=known)
    if args.format == "json":
        report = owed_json(snapshot, agreement.client, provenance(agreement, on, known))
        json.dump(report, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(owed_table(snapshot, agreement.client, lang, policy=agreement.policy.name,
                             all_diagnostics=args.all_diagnostics))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    _, evaluation, on, known = _evaluate(args)
    lang = _lang(args)
    snapshot = evaluation.at(on, lang, known_on=known)
    found = snapshot.find(args.rule, args.key) or snapshot.find_option(args.rule, args.key)
    if found is None:
        print(evaluation.explain(args.rule, args.key, on, lang, known_on=known),
              file=sys.stderr)
        keys = [o.key or "-" for o in snapshot.obligations if o.rule == args.rule]
        if keys:
            print((f"instances de {args.rule} au {on} : " if lang == "fr" else
                   f"instances of {args.rule} on {on}: ") + ", ".join(keys), file=sys.stderr)
        else:
            rules = sorted({o.rule for o in snapshot.obligations})
            print((f"règles ayant des instances au {on} : " if lang == "fr" else
                   f"rules with instances on {on}: ") + (", ".join(rules) or "-"),
                  file=sys.stderr)
        return EXIT_NOT_FOUND
    if known != on:
        out.write((f"Au {on}, tel que connu le {known} (événements enregistrés au plus tard "
                   "ce jour-là)\n") if lang == "fr" else
                  f"On {on}, as known on {known} (events recorded by then)\n")
    out.write(evaluation.explain(args.rule, args.key, on, lang, known_on=known) + "\n")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    return check.main(args.rules_dir)


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "owed": cmd_owed, "explain": cmd_explain, "check": cmd_check,
}


# --------------------------------------------------------------------------- main


def _say(fr: str, en: str, lang: str | None) -> None:
    if lang == "fr":
        print(f"erreur : {fr}", file=sys.stderr)
    elif lang == "en":
        print(f"error: {en}", file=sys.stderr)
    else:
        print(f"erreur : {fr}\nerror: {en}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (never raises on bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    lang: str | None = getattr(args, "lang", None)
    try:
        return COMMANDS[args.command](args, sys.stdout)
    except InputError as exc:
        _say(exc.describe("fr"), exc.describe("en"), lang)
    except CliError as exc:
        _say(exc.fr, exc.en, lang)
    except EntenteError as exc:
        _say(str(exc), str(exc), lang)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # e.g. `| head`: not an error
            _quiet_stdout()
            return EXIT_OK
        where = f"{exc.filename} : " if exc.filename else ""
        _say(f"{where}{exc.strerror or exc}", f"{where}{exc.strerror or exc}", lang)
    except ValueError as exc:
        _say(f"valeur invalide : {exc}", f"invalid value: {exc}", lang)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        name = type(exc).__name__
        hint = "--engine python" if name == "BackendError" else f"{DEBUG_ENV}=1"
        _say(f"échec interne ({name}) : {exc} — réessayez avec {hint}",
             f"internal failure ({name}): {exc} — retry with {hint}", lang)
        return EXIT_INTERNAL
    return EXIT_INPUT


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
