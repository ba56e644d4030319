"""The ``entente-regles`` command: what is owed on a date, why, and is the rulebook sound.

``today`` is read here, at the edge, and nowhere in the engine. Bad input (files, dates,
options) never shows a traceback: a message in French and English (or the ``--lang`` one)
goes to stderr and the exit status is 2. See ``docs/cli.md``.

Exit statuses: 0 success; 1 ``explain`` found no such instance (``check``: findings;
``test``: an example failed); 2 bad input or usage (a rule book that does not load, a
``--lang`` the rule book does not declare); 3 the matching engine or the program itself
failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from entente_regles import check
from entente_regles.agreement import Agreement, Engine
from entente_regles.check.agreement_text import agreement_text_of
from entente_regles.check.examples import run_examples
from entente_regles.cli.parser import EXIT_INPUT, EXTENSIONS, FAIL_ON, build_parser
from entente_regles.core.errors import EntenteError, ErrorLocation, InputError
from entente_regles.core.input_limits import EARLIEST_DATE, LATEST_DATE, in_date_range
from entente_regles.core.textsafe import visible
from entente_regles.core.values import Lang
from entente_regles.events.log import read_events
from entente_regles.outputs.csv import to_csv
from entente_regles.outputs.provenance import provenance
from entente_regles.outputs.text import (
    agenda_table,
    aging_table,
    cell,
    new_table,
    owed_json,
    owed_table,
    render,
)
from entente_regles.query.agenda import Agenda
from entente_regles.query.changes import Changes
from entente_regles.query.evaluation import Evaluation, Obligation, Option
from entente_regles.query.serialization import RECORD_COLUMNS
from entente_regles.rules.agreement_file import read_agreement_file, responsables_of
from entente_regles.rules.resources import bundled_example, bundled_rules_dir
from entente_regles.rules.rulebook import RuleBook
from entente_regles.words.changes import JOBS, SEVERITIES
from entente_regles.words.changes import MESSAGES as CHANGE_WORDS
from entente_regles.words.check import EXAMPLES
from entente_regles.words.command import COMMAND
from entente_regles.words.reports import MESSAGES

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_INTERNAL = 3
DEBUG_ENV = "ENTENTE_REGLES_TRACEBACK"


class CliError(Exception):
    """A usage problem found after parsing, with its French and English wording."""

    def __init__(self, fr: str, en: str) -> None:
        super().__init__(f"{fr} / {en}")
        self.fr = fr
        self.en = en


def load_agreement(args: argparse.Namespace) -> tuple[Agreement, Path]:
    """The agreement and the event log the options designate (see docs/cli.md)."""
    if args.events is None or args.agreement is None:
        example_agreement, example_events = bundled_example()
    events = STDIN if args.events == "-" else (
        Path(args.events) if args.events else example_events)
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


STDIN = Path("/dev/stdin")  # read like any file, so errors and sources say /dev/stdin:LINE
PROGRESS_DELAY = 1.0  # seconds before a progress display appears


@contextmanager
def progress(message: str) -> Iterator[None]:
    """A spinner with the elapsed time on stderr, shown only when stderr is a terminal and
    the work takes more than ``PROGRESS_DELAY`` seconds; it leaves nothing behind."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    display = Progress(SpinnerColumn(), TextColumn(visible(message)), TimeElapsedColumn(),
                       console=Console(file=sys.stderr), transient=True)
    display.add_task(message, total=None)
    timer = threading.Timer(PROGRESS_DELAY, display.start)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        display.stop()


# The date options of a question, each with its French and English names.
_QUESTION_DATES = (("at", "--at", "--at"), ("known_on", "--connu-le", "--known-on"),
                   ("start", "--du", "--from"), ("end", "--au", "--to"),
                   ("effective", "--effet", "--effective"))


def _check_question_dates(args: argparse.Namespace) -> None:
    """A question's dates lie in the documented range (docs/limites.md): far from year 9999,
    every window, deadline and .ics day computed from them stays in the calendar."""
    for attr, fr_name, en_name in _QUESTION_DATES:
        value = getattr(args, attr, None)
        for day in (value if isinstance(value, (list, tuple)) else [value]):
            if isinstance(day, date) and not in_date_range(day):
                raise CliError(f"{fr_name} : date {day} hors de la plage acceptée "
                               f"({EARLIEST_DATE} au {LATEST_DATE}, voir docs/limites.md)",
                               f"{en_name}: date {day} outside the accepted range "
                               f"({EARLIEST_DATE} to {LATEST_DATE}, see docs/limites.md)")


def _evaluate(args: argparse.Namespace) -> tuple[Agreement, Evaluation, date, date]:
    """The agreement, its evaluation, the date asked about and the knowledge date."""
    _check_question_dates(args)
    agreement, events = load_agreement(args)
    on: date = args.at if args.at is not None else today()
    known: date = args.known_on if args.known_on is not None else on
    lang = _book_lang(args, agreement)  # a --lang the rule book does not declare: before the work
    with progress(COMMAND.say("replaying", lang)):
        evaluation = agreement.evaluate(events)
    args.evaluated = (evaluation, on, known)  # what --echec-si looks at (_fail_on)
    return agreement, evaluation, on, known


# --------------------------------------------------------------------------- commands


class LanguageError(CliError):
    """``--lang`` names a language the rule book does not declare: said in both languages,
    whatever ``--lang`` asked for."""


def _lang(args: argparse.Namespace, declared: Sequence[Lang]) -> Lang:
    """``--lang``, among the languages the rule book declares (``[entente] langues``); by
    default the first of them."""
    asked: str | None = getattr(args, "lang", None)
    if asked is None:
        return declared[0] if declared else "fr"
    if asked not in declared:
        among = ", ".join(declared)
        raise LanguageError(
            f"--lang {asked} : langue non déclarée par le recueil de règles ([entente] langues "
            f"= {among}) ; choisissez parmi : {among}",
            f"--lang {asked}: a language the rule book does not declare ([entente] langues = "
            f"{among}); choose among: {among}")
    return "en" if asked == "en" else "fr"


def _book_lang(args: argparse.Namespace, agreement: Agreement) -> Lang:
    return _lang(args, agreement.rulebook.agreement.languages)


def cmd_owed(args: argparse.Namespace, out: TextIO) -> int:
    agreement, evaluation, on, known = _evaluate(args)
    lang = _book_lang(args, agreement)
    snapshot = evaluation.at(on, lang, known_on=known)
    if args.format == "json":
        report = owed_json(snapshot, agreement.client, provenance(agreement, on, known))
        json.dump(report, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "csv":
        out.write(to_csv(snapshot.to_records(owed_only=True), RECORD_COLUMNS,
                         raw=args.raw_csv))
    else:
        out.write(owed_table(snapshot, agreement.client, lang, policy=agreement.policy.name,
                             all_diagnostics=args.all_diagnostics))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    agreement, evaluation, on, known = _evaluate(args)
    lang = _book_lang(args, agreement)
    snapshot = evaluation.at(on, lang, known_on=known)
    candidates: list[Obligation | Option] = [*snapshot.obligations, *snapshot.options]
    instances = [o for o in candidates if o.rule == args.rule]
    if args.key is None and len(instances) > 1:
        return _list_instances(args, instances, on, lang, out,
                               lambda: provenance(agreement, on, known))
    found = snapshot.find(args.rule, args.key) or snapshot.find_option(args.rule, args.key)
    if found is not None and args.format == "json":
        json.dump({**found.to_dict(), "explication": found.explain(lang),
                   "reproduction": provenance(agreement, on, known)}, out, ensure_ascii=False,
                  indent=2)
        out.write("\n")
        return EXIT_OK
    if found is None:
        print(evaluation.explain(args.rule, args.key, on, lang, known_on=known),
              file=sys.stderr)
        keys = [visible(o.key or "-") for o in instances]
        rule = visible(args.rule)  # the command line's words, echoed
        if keys:
            print((f"instances de {rule} au {on} : " if lang == "fr" else
                   f"instances of {rule} on {on}: ") + ", ".join(keys), file=sys.stderr)
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
    out.write(found.explain(lang) + "\n")  # the instance already found, not looked up again
    for line in snapshot.term_lines(lang):  # the term, or how the agreement ended (issue 19)
        out.write(line[:1].upper() + line[1:] + "\n")
    return EXIT_OK


def _list_instances(args: argparse.Namespace, instances: Sequence[Obligation | Option],
                    on: date, lang: Lang, out: TextIO,
                    reproduction: Callable[[], dict[str, Any]]) -> int:
    """``explain RULE`` without a key, for a rule with several instances: list them."""
    if args.format == "json":
        json.dump({"obligation": args.rule, "au": on.isoformat(),
                   "instances": [o.to_dict() for o in instances],
                   "reproduction": reproduction()}, out,
                  ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    fr = lang == "fr"
    out.write(f"{len(instances)} instances de {args.rule} au {on} ; précisez la clé :\n"
               if fr else
               f"{len(instances)} instances of {args.rule} on {on}; give the key:\n")
    table = new_table(["Clé", "Statut", "Échéance", "Née le"] if fr else
                      ["Key", "Status", "Deadline", "Arose on"], fold=frozenset({0}))
    for o in instances:
        deadline, born = ((o.deadline, o.triggered_on) if isinstance(o, Obligation)
                          else (o.closes_on, o.opens_on))
        table.add_row(cell(o.key or "-"), o.status.label(lang),
                      deadline.isoformat() if deadline else "", born.isoformat())
    out.write(render(table) + "\n")
    return EXIT_OK


def _write(args: argparse.Namespace, data: str | bytes, out: TextIO) -> None:
    target = getattr(args, "output", None)
    if target is None or target == "-":
        buffer = getattr(out, "buffer", None)
        if isinstance(data, bytes) and buffer is not None:
            out.flush()
            buffer.write(data)
            buffer.flush()
        else:
            out.write(data.decode("utf-8") if isinstance(data, bytes) else data)
        return
    write_atomically(Path(target), data.encode("utf-8") if isinstance(data, str) else data)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: into a temporary file of the same
    folder, flushed to disk, then renamed over ``path`` (``os.replace``, atomic on one file
    system). When anything fails (a full disk, a file-size limit, a folder that does not
    exist), the previous file stays as it was, the temporary file is removed, and the error
    names ``path`` (exit status 2). A target that exists and is not a regular file (a
    device such as ``/dev/stdout``, a named pipe) is written directly: it cannot be
    renamed over."""
    import stat
    import tempfile
    temporary: str | None = None
    try:
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            with path.open("wb") as device:
                device.write(data)
            return
        folder = path.parent if str(path.parent) else Path(".")
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():  # keep the permissions of the file replaced
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CliError(MESSAGES.say("write_failed", "fr", file=path, reason=reason),
                       MESSAGES.say("write_failed", "en", file=path, reason=reason)) from exc
    finally:
        if temporary is not None:
            with suppress(OSError):
                os.unlink(temporary)


def cmd_agenda(args: argparse.Namespace, out: TextIO) -> int:
    agreement, evaluation, today, _ = _evaluate(args)
    lang = _book_lang(args, agreement)
    start: date = args.start if args.start is not None else today
    end: date = args.end if args.end is not None else start + timedelta(days=30)
    if end < start:
        raise CliError(f"--au {end} précède --du {start}", f"--to {end} is before --from {start}")
    if args.previous is not None and args.format != "ics":
        raise CliError("--precedent ne sert qu'avec --format ics",
                       "--previous only applies with --format ics")
    agenda = evaluation.agenda(start, end, as_of=args.at, known_on=args.known_on,
                               effective_dates=args.effective)
    if args.format == "ics":
        _write(args, _ics(args, agreement, evaluation, agenda, lang, today), out)
    elif args.format == "json":
        _write(args, json.dumps({"client": agreement.client, **agenda.to_dict(lang),
                                 "reproduction": provenance(agreement, args.at, args.known_on)},
                                ensure_ascii=False, indent=2) + "\n", out)
    elif args.format == "csv":
        from entente_regles.query.agenda import RECORD_COLUMNS as AGENDA_COLUMNS
        _write(args, to_csv(agenda.to_records(), AGENDA_COLUMNS, raw=args.raw_csv), out)
    else:
        _write(args, agenda_table(agenda, agreement.client, lang), out)
    return EXIT_OK


def _ics(args: argparse.Namespace, agreement: Agreement, evaluation: Evaluation,
         agenda: Agenda, lang: Lang, today: date) -> bytes:
    """The .ics of ``agenda``: with the instances late on the date asked, the responsables
    the agreement file names and, with ``--precedent``, the cancellations."""
    from entente_regles.outputs.ics import IcsQuestion, agenda_to_ics, read_previous
    previous = {}
    if args.previous is not None:
        path = Path(args.previous)
        previous = read_previous(path.read_bytes(), str(path))
    # the agreement file the options designate (load_agreement's choice), read again for
    # its [responsables] (checked there already, but for the rule book's parties)
    chosen = Path(args.agreement) if args.agreement else (
        bundled_example()[0] if args.events is None else None)
    source = None if chosen is None else read_agreement_file(str(chosen))
    responsables = {} if source is None else responsables_of(
        source.data, ErrorLocation(str(chosen)), source,
        parties=agreement.rulebook.vocabulary.party_ids)
    question = IcsQuestion(evaluation, today, args.at, args.known_on, previous, responsables,
                           agreement.in_force_from)
    return agenda_to_ics(agenda, agreement.client, agreement.legal_calendar(), lang,
                         args.alarm_days, question)


def cmd_soldes(args: argparse.Namespace, out: TextIO) -> int:
    agreement, evaluation, on, known = _evaluate(args)
    lang = _book_lang(args, agreement)
    aging = evaluation.at(on, lang, known_on=known).aging()
    if args.format == "json":
        json.dump({"client": agreement.client, **aging.to_dict(),
                   "reproduction": provenance(agreement, on, known)}, out, ensure_ascii=False,
                  indent=2)
        out.write("\n")
    elif args.format == "csv":
        from entente_regles.query.aging import RECORD_COLUMNS as AGING_COLUMNS
        out.write(to_csv(aging.to_records(), AGING_COLUMNS, raw=args.raw_csv))
    else:
        out.write(aging_table(aging, agreement.client, lang))
    return EXIT_OK


def cmd_rapport(args: argparse.Namespace, out: TextIO) -> int:
    from entente_regles.outputs.html import render_report
    agreement, evaluation, on, known = _evaluate(args)
    lang = _book_lang(args, agreement)
    changes = evaluation.changes(_since(args, on), on, lang, known_on=known)
    html = render_report(evaluation, agreement.client, on, lang, agreement.policy.name,
                         known_on=known, reproduction=provenance(agreement, on, known),
                         changes=changes)
    _write(args, html, out)
    if args.output != "-":
        print(visible(COMMAND.say("written", lang, file=args.output)), file=sys.stderr)
    return EXIT_OK


def cmd_changes(args: argparse.Namespace, out: TextIO) -> int:
    agreement, evaluation, on, known = _evaluate(args)
    lang = _book_lang(args, agreement)
    changes = evaluation.changes(_since(args, on), on, lang, known_on=known)
    if args.format == "json":
        json.dump({"client": agreement.client, **changes.to_dict(),
                   "reproduction": provenance(agreement, on, known)}, out, ensure_ascii=False,
                  indent=2)
        out.write("\n")
    elif args.format == "csv":
        from entente_regles.query.changes import RECORD_COLUMNS as CHANGE_COLUMNS
        out.write(to_csv(changes.to_records(), CHANGE_COLUMNS, raw=args.raw_csv))
    else:
        out.write(changes_table(changes, agreement.client))
    return EXIT_OK


def _since(args: argparse.Namespace, on: date) -> date:
    """``--depuis``: the last day already seen (excluded); by default a week before ``on``."""
    since: date = args.since if args.since is not None else on - timedelta(days=7)
    if since > on:
        raise CliError(CHANGE_WORDS.say("since_after_on", "fr", since=since, on=on),
                       CHANGE_WORDS.say("since_after_on", "en", since=since, on=on))
    return since


def changes_table(changes: Changes, client: str) -> str:
    """The ``changements`` report: a head line, one line per change, in date order."""
    lang = changes.lang
    lines = [changes.head(client), ""]
    if not len(changes):
        lines.append(CHANGE_WORDS.say("nothing", lang))
        return "\n".join(lines) + "\n"
    words = changes.words
    table = new_table([words[name] for name in ("date", "kind", "art", "party", "key", "what",
                                                "amount")],
                      right=frozenset({6}), fold=frozenset({4, 5}))
    for change in changes:
        table.add_row(change.on.isoformat(), change.kind_label, change.article,
                      change.party_text, cell(change.key), cell(change.text),
                      change.amount_text)
    lines += render(table).splitlines()
    lines.append(CHANGE_WORDS.say("details", lang))
    return "\n".join(lines) + "\n"


def _as_given(path: object, given: object) -> object:
    """A file as the user named it; the bundled example's by its name only (no path of this
    machine in an output)."""
    return path if given is not None else Path(str(path)).name


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    """Every problem of the agreement file, the rules and the event log, in one run."""
    problems: list[InputError] = []
    said: list[tuple[str, dict[str, object]]] = []  # what was found valid, to say so
    rules: RuleBook | None = None
    if args.rules:
        try:
            rules = RuleBook.from_directory(args.rules)
            said.append(("valid_rules", {"file": args.rules}))
        except InputError as exc:
            problems += _each(exc)
    example_agreement, example_events = (bundled_example() if args.events is None
                                         or args.agreement is None else (None, None))
    agreement_file = args.agreement or (example_agreement if args.events is None else None)
    if agreement_file is not None:
        try:
            read = read_agreement_file(str(agreement_file))
            spec: dict[str, Any] = dict(read.data)
            if args.client is not None:
                spec["client"] = args.client
            if args.in_force_from is not None:
                spec["en_vigueur_le"] = args.in_force_from
            Agreement.from_mapping(spec, ErrorLocation(str(agreement_file)), rules=rules,
                                   engine=args.engine, source=read)
            said.append(("valid_agreement", {"file": _as_given(agreement_file, args.agreement)}))
        except InputError as exc:
            problems += _each(exc)
    events = STDIN if args.events == "-" else Path(args.events or str(example_events))
    unchecked: dict[str, object] | None = None  # the log, when its rules do not load
    if rules is None and args.rules:
        unchecked = {"file": events}
    else:
        book = rules if rules is not None else RuleBook.bundled()
        try:
            read_log = read_events(events, book.vocabulary, errors="collect")
            problems += read_log.problems
            if read_log.ok:
                said.append(("valid_log", {"file": _as_given(events, args.events),
                                           "count": len(read_log.events)}))
        except InputError as exc:
            problems += _each(exc)
    lang: Lang = "en" if args.lang == "en" else "fr"
    langs: tuple[Lang, ...] = (lang,) if args.lang is not None else ("fr", "en")
    if problems:
        for shown in langs:
            for problem in problems:
                print(visible(problem.describe(shown)), file=out)
            if unchecked is not None:
                print(visible(JOBS.say("log_not_checked", shown, **unchecked)), file=out)
            print(JOBS.say("problems", shown, count=len(problems)), file=out)
        return EXIT_INPUT
    for shown in langs:
        what = " ; " if shown == "fr" else "; "
        out.write(visible(JOBS.say("valid", shown, what=what.join(
            JOBS.say(key, shown, **values) for key, values in said))) + "\n")
    return EXIT_OK


def _each(error: InputError) -> list[InputError]:
    """The problems an error carries: each one of a collection (an agreement file's in line
    order), or the error itself."""
    inner = getattr(error, "problems", None) or getattr(error, "errors", None)
    if isinstance(inner, tuple) and inner:
        return [e for e in inner if isinstance(e, InputError)]
    return [error]


_SEVERITY_RANK = {"info": 0, "avertissement": 1, "erreur": 2}


def _fail_on(args: argparse.Namespace, status: int, lang: str | None) -> int:
    """``--echec-si``: exit status 1 when the answer's diagnostics (up to the date asked,
    as known then) hold one of the severity asked or worse; said on stderr."""
    asked: str | None = getattr(args, "fail_on", None)
    evaluated = getattr(args, "evaluated", None)
    if asked is None or evaluated is None or status not in (EXIT_OK, EXIT_NOT_FOUND):
        return status
    evaluation, on, known = evaluated
    severity = FAIL_ON[asked]
    worst = _SEVERITY_RANK[severity]
    found = [d for d in evaluation.at(on, known_on=known).diagnostics
             if _SEVERITY_RANK.get(d.severity, 0) >= worst]
    if not found:
        return status
    for shown in (("fr", "en") if lang is None else (lang,)):
        word = SEVERITIES.say(severity, "en" if shown == "en" else "fr")
        print(JOBS.say("fail_on", "en" if shown == "en" else "fr", count=len(found),
                       severity=word if shown == "en" else severity, on=on), file=sys.stderr)
    return EXIT_NOT_FOUND


def _rules_dir(args: argparse.Namespace) -> Path:
    """The rule directory ``check`` and ``test`` read (default: the bundled rules)."""
    if args.rules_dir is None:
        return bundled_rules_dir()
    if not Path(args.rules_dir).is_dir():
        raise CliError(f"{args.rules_dir} : répertoire de règles introuvable",
                       f"{args.rules_dir}: rules directory not found")
    return Path(args.rules_dir)


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    directory = _rules_dir(args)
    lang = _lang(args, agreement_text_of(directory).languages)
    return check.main(str(directory), lang, out)


def cmd_test(args: argparse.Namespace, out: TextIO) -> int:
    directory = _rules_dir(args)
    book = RuleBook.from_directory(directory)  # a rule book that does not load: status 2
    lang = _lang(args, book.agreement.languages)
    if not book.examples:
        out.write(EXAMPLES.say("no_examples", lang, directory=directory) + "\n")
        return EXIT_NOT_FOUND
    with progress(COMMAND.say("examples", lang)):
        report = run_examples(book, args.engine)
    for result in report.results:
        out.write(visible(result.describe(lang), keep_newlines=True) + "\n")
    out.write(report.summary(lang) + "\n")
    return EXIT_OK if report.ok else EXIT_NOT_FOUND


def today() -> date:
    """``--at``'s default, for every command (``cli.portfolio``'s too): the clock is read
    here, at the edge, and nowhere else."""
    return date.today()


# Commands of their own modules add themselves here (``cli.portfolio``, issue 21: it
# imports this module, so this one cannot import it).
COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "owed": cmd_owed, "explain": cmd_explain, "agenda": cmd_agenda, "soldes": cmd_soldes,
    "rapport": cmd_rapport, "check": cmd_check, "test": cmd_test,
    "changements": cmd_changes, "changes": cmd_changes,
    "valider": cmd_validate, "validate": cmd_validate,
}


# --------------------------------------------------------------------------- main


def _say(fr: str, en: str, lang: str | None) -> None:
    fr, en = visible(fr, keep_newlines=True), visible(en, keep_newlines=True)
    if lang == "fr":
        print(f"erreur : {fr}", file=sys.stderr)
    elif lang == "en":
        print(f"error: {en}", file=sys.stderr)
    else:
        print(f"erreur : {fr}\nerror: {en}", file=sys.stderr)


# The parser, built once per set of extensions (``parser.EXTENSIONS``): parsing never changes
# it, and building it (a dozen subcommands, hundreds of options) took about 10 ms, paid by
# every run of a program that runs the command line many times (an embedding, the tests).
_PARSERS: dict[tuple[object, ...], argparse.ArgumentParser] = {}


def _parser() -> argparse.ArgumentParser:
    key = tuple(EXTENSIONS)
    found = _PARSERS.get(key)
    if found is None:
        found = build_parser()
        _PARSERS.clear()
        _PARSERS[key] = found
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (never raises on bad input)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    lang: str | None = getattr(args, "lang", None)
    return _run(args, lang)


def _run(args: argparse.Namespace, lang: str | None) -> int:
    try:
        return _fail_on(args, COMMANDS[args.command](args, sys.stdout), lang)
    except InputError as exc:
        _say(exc.describe("fr"), exc.describe("en"), lang)
    except LanguageError as exc:  # the language asked for is not one to answer in
        _say(exc.fr, exc.en, None)
    except CliError as exc:
        _say(exc.fr, exc.en, lang)
    except EntenteError as exc:  # each language once when the error carries both
        fr, en = getattr(exc, "fr", None), getattr(exc, "en", None)
        if isinstance(fr, str) and isinstance(en, str):
            _say(fr, en, lang)
        else:
            _say(str(exc), str(exc), lang)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # e.g. `| head`: not an error
            _quiet_stdout()
            return EXIT_OK
        reason = str(exc.strerror or exc)
        fr, en = ((COMMAND.say("file_error", "fr", file=exc.filename, reason=reason),
                   COMMAND.say("file_error", "en", file=exc.filename, reason=reason))
                  if exc.filename else (reason, reason))
        _say(fr, en, lang)
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
