"""The rule book: the rule files of a directory, loaded and validated (:class:`RuleBook`).

Every key is checked: unknown keys, wrong types, unknown event types or fields and dangling
references fail with the file, the key path and the line. :func:`load_each` reports every
problem of every file (the checker); :func:`load_directory` (and
:meth:`RuleBook.from_directory`) raises the first with all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import attrs

from entente_regles.calendar.days import DayCalendar
from entente_regles.core.errors import ErrorLocation, RuleFileError
from entente_regles.core.values import Lang
from entente_regles.rules.calendar_reader import default_calendar
from entente_regles.rules.files import parse_rule_file
from entente_regles.rules.metadata import Example, Parameter, Precedence
from entente_regles.rules.norms import (
    VOCABULARY_FILE,
    Control,
    DemandSpec,
    Effect,
    Norm,
    Power,
    RuleFile,
)
from entente_regles.rules.references import check_references
from entente_regles.rules.resources import EXAMPLE_AGREEMENT as AGREEMENT_FILE
from entente_regles.rules.resources import bundled_rules_dir
from entente_regles.rules.term_reader import term_references
from entente_regles.rules.toml_tables import RuleFileErrors, TomlSource, collecting
from entente_regles.rules.vocabulary import AgreementFacts, MonthDay, VagueStandard, Vocabulary
from entente_regles.rules.vocabulary_reader import read_vocabulary


@attrs.frozen
class RuleBook:
    """The rule files of a directory, loaded and validated: norms, powers, effects,
    controls, parameters, examples, the event vocabulary, and the agreement's parties, vague
    standards and fiscal year (declared in the vocabulary file)."""
    files: tuple[RuleFile, ...]
    vocabulary: Vocabulary
    directory: str

    @property
    def parties(self) -> tuple[str, ...]:
        """The ids of the agreement's parties (two or more), in the rule book's order."""
        return self.vocabulary.party_ids

    def other_party(self, party: str) -> str:
        """The party that is not ``party``: only in a rule book of exactly two parties
        (ValueError otherwise)."""
        return self.vocabulary.other_party(party)

    def party_label(self, party: str, lang: Lang = "fr") -> str:
        """What tables show for a party: its short label (``abrege``) in ``lang``, else its
        id; a word that is not a party's id (« parties »…) unchanged."""
        return self.vocabulary.party_label(party, lang)

    def party_name(self, party: str, lang: Lang = "fr") -> str:
        """A party's name (``nom``) in ``lang``; a word that is not a party's id unchanged."""
        return self.vocabulary.party_name(party, lang)

    @property
    def languages(self) -> tuple[Lang, ...]:
        """The rule book's languages (``[entente] langues``), the first being the default."""
        return self.vocabulary.agreement.languages

    @property
    def agreement(self) -> AgreementFacts:
        """What ``[entente]`` declares: languages, locales, currency, text file."""
        return self.vocabulary.agreement

    @property
    def standards(self) -> Mapping[str, VagueStandard]:
        """The vague standards by id, with their wording."""
        return self.vocabulary.standards

    @property
    def fiscal_year_start(self) -> MonthDay:
        """The first day of the fiscal year (month and day)."""
        return self.vocabulary.fiscal_year_start

    @property
    def calendar(self) -> DayCalendar:
        """The calendar of days the rule book declares (``[calendrier]``); when it declares
        none, the bundled rule book's."""
        declared = self.vocabulary.calendar
        return declared if declared is not None else default_calendar()

    @property
    def norms(self) -> tuple[Norm, ...]:
        """The obligations, continuing obligations included, in file order."""
        return tuple(n for f in self.files for n in f.norms)

    @property
    def powers(self) -> tuple[Power, ...]:
        """The powers a party may exercise (terminate, withdraw, modify)."""
        return tuple(p for f in self.files for p in f.powers)

    @property
    def effects(self) -> tuple[Effect, ...]:
        """The effect rules: events that change the agreement or a service."""
        return tuple(e for f in self.files for e in f.effects)

    @property
    def controls(self) -> tuple[Control, ...]:
        """The content controls on event fields."""
        return tuple(c for f in self.files for c in f.controls)

    @property
    def demands(self) -> tuple[DemandSpec, ...]:
        """The demands (``[[demeure]]``): what a formal demand or a recorded breach does."""
        return tuple(d for f in self.files for d in f.demands)

    @property
    def parameters(self) -> Mapping[str, Parameter]:
        """The parameters by name (``[[parametre]]``), annex-overridable or not."""
        return {p.name: p for f in self.files for p in f.parameters}

    @property
    def examples(self) -> tuple[Example, ...]:
        """The worked examples of every rule file, run as tests."""
        return tuple(e for f in self.files for e in f.examples)

    @property
    def precedence(self) -> Precedence | None:
        """The ``[preseance]`` declaration (art. 2), if any."""
        found = [f.precedence for f in self.files if f.precedence is not None]
        return found[0] if found else None

    @property
    def entry_into_force_article(self) -> str:
        """The article that fixes the entry into force (cited for events before it)."""
        found = [f.article for f in self.files if f.governs_entry_into_force]
        return found[0] if found else "-"

    def norm(self, norm_id: str) -> Norm:
        """The norm with id ``norm_id`` (KeyError when unknown)."""
        for norm in self.norms:
            if norm.id == norm_id:
                return norm
        raise KeyError(norm_id)

    @classmethod
    def from_directory(cls, path: str | Path) -> RuleBook:
        """Load and validate every rule file of ``path`` (errors name file, line, key)."""
        return load_directory(Path(path))

    @classmethod
    def bundled(cls) -> RuleBook:
        """The agreement's rules shipped with the package."""
        return _bundled()


@cache
def _bundled() -> RuleBook:
    return RuleBook.from_directory(bundled_rules_dir())


@attrs.frozen
class LoadReport:
    """What a lenient load found: the book of the files that loaded (None when the vocabulary
    itself does not), one error per file that does not, then the whole book's reference
    errors."""

    book: RuleBook | None
    file_errors: tuple[RuleFileError, ...]
    reference_errors: tuple[RuleFileError, ...]
    sources: Mapping[str, TomlSource] = attrs.field(factory=dict)  # by file name, for lines

    @property
    def errors(self) -> tuple[RuleFileError, ...]:
        return self.file_errors + self.reference_errors


def load_each(directory: Path) -> LoadReport:
    """Load every rule file that loads, for tools that report every problem at once (the
    checker); :func:`load_directory` is the strict form used to evaluate. Every problem of
    every file is reported (a file with one is left out of the book)."""
    if not directory.is_dir():
        return LoadReport(None, (RuleFileError(ErrorLocation(str(directory)),
                                               "répertoire de règles introuvable",
                                               "rules directory not found"),), ())
    vocab_path = directory / VOCABULARY_FILE
    if not vocab_path.is_file():
        return LoadReport(None, (RuleFileError(ErrorLocation(str(vocab_path)),
                                               "vocabulaire des événements absent",
                                               "event vocabulary missing"),), ())
    try:
        vocab_source = TomlSource.read(vocab_path)
    except RuleFileError as exc:
        return LoadReport(None, (exc,), ())
    vocabulary = read_vocabulary(vocab_source, directory)
    if vocab_source.problems:
        return LoadReport(None, tuple(vocab_source.problems), ())
    sources: dict[str, TomlSource] = {vocab_path.name: vocab_source}
    files: list[RuleFile] = []
    file_errors: list[RuleFileError] = []
    for path in sorted(directory.glob("*.toml")):
        if path.name in (VOCABULARY_FILE, AGREEMENT_FILE):
            continue  # the vocabulary, read first; an agreement file kept with its rules
        try:
            source = TomlSource.read(path)
        except RuleFileError as exc:
            file_errors.append(exc)
            continue
        source.languages = vocabulary.agreement.languages  # its texts: in the book's languages
        rule_file = collecting(source, lambda source=source: parse_rule_file(  # type: ignore[misc]
            vocabulary, source))
        if source.problems:
            file_errors += source.problems
        elif rule_file is not None:
            files.append(rule_file)
            sources[path.name] = source
    book = RuleBook(tuple(files), vocabulary, str(directory))
    references = check_references(book.files, sources)
    if not file_errors:  # a rule left out with its file would be reported as unknown
        references += term_references(vocabulary, book.norms, book.powers,
                                      vocab_source)
    return LoadReport(book, tuple(file_errors), references, sources)


def load_directory(directory: Path) -> RuleBook:
    """Load strictly: any problem raises :class:`RuleFileErrors` (a :class:`RuleFileError`
    naming the first, and carrying them all in ``errors``)."""
    report = load_each(directory)
    if report.errors:
        raise RuleFileErrors(report.errors)
    assert report.book is not None
    return report.book



__all__ = ["LoadReport", "RuleBook", "load_directory", "load_each"]
