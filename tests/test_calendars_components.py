"""Calendars as declared components (issue 18; docs/calendrier.md): the Quebec legal calendar
declared as data gives the days the hand-coded one gave; a `holidays` library calendar (England)
rolls over Christmas and explains it in English without a Quebec citation; plain days never
roll; a user's own calendar through the protocol; the policy's ``working_days``; and every bad
``[calendrier]`` named by file, key and line, in French and English."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import attrs
import pytest
from dateutil.easter import easter
from dateutil.relativedelta import MO, relativedelta
from hypothesis import given
from hypothesis import strategies as st

import entente_regles as er
from entente_regles.calendar.days import Citations, DayCalendar, DayOff, PlainDays
from entente_regles.calendar.legal import LegalCalendar
from entente_regles.calendar.library import LibraryCalendar
from entente_regles.calendar.policy import Policy
from entente_regles.core.errors import RuleFileError
from entente_regles.core.values import Text
from entente_regles.rules.calendar_reader import CalendarContext, read_calendar_table
from entente_regles.rules.toml_tables import RuleFileErrors, TomlSource

D = date
ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "regles"
QUEBEC = er.RuleBook.bundled().calendar
QUEBEC_WORDS = ("C.c.Q", "I-16", "C.p.c", "Québec", "Quebec", "interprétation", "Fête", "Noël")


# --------------------------------------------------------------------------- Quebec, as data

@cache  # asked for each of the 40,000 days of 1990-2100: computed once a year (read only)
def _old_holidays(year: int) -> Mapping[date, str]:
    """The I-16 art. 61 (23°) holidays as src/ computed them before they became data."""
    july1 = D(year, 7, 1)
    return {
        D(year, 1, 1): "jour de l'An",
        easter(year) - timedelta(days=2): "Vendredi saint",
        easter(year) + timedelta(days=1): "lundi de Pâques",
        D(year, 5, 24) + relativedelta(weekday=MO(-1)): "Journée nationale des patriotes",
        D(year, 6, 24): "Fête nationale",
        july1 + timedelta(days=1) if july1.weekday() == 6 else july1: "fête du Canada",
        D(year, 9, 1) + relativedelta(weekday=MO(+1)): "fête du Travail",
        D(year, 10, 1) + relativedelta(weekday=MO(+2)): "Action de grâces",
        D(year, 12, 25): "Noël",
    }


def _old_reason(d: date, policy: Policy) -> str | None:
    name = _old_holidays(d.year).get(d)
    if name is not None:
        return name
    if d.weekday() == 6:
        return "dimanche"
    if policy.saturday_non_working and d.weekday() == 5:
        return "samedi (politique)"
    if policy.dec26_jan2_non_working and (d.month, d.day) in ((12, 26), (1, 2)):
        return ("26 décembre (C.p.c. art. 82, politique)" if d.month == 12
                else "2 janvier (C.p.c. art. 82, politique)")
    return None


@pytest.mark.parametrize("policy", [Policy(), Policy.strict_interpretation_act()],
                         ids=["defaut", "stricte"])
def test_declared_quebec_gives_the_same_days_1990_2100(policy: Policy) -> None:
    cal = LegalCalendar(policy, days=QUEBEC)
    d = D(1990, 1, 1)
    while d <= D(2100, 12, 31):
        assert cal.non_working_reason(d) == _old_reason(d, policy), d
        d += timedelta(days=1)
    for year in range(1990, 2101):
        assert cal.holidays(year) == dict(sorted(_old_holidays(year).items()))


def test_declared_quebec_names_and_cites_in_both_languages() -> None:
    cal = LegalCalendar(days=QUEBEC)
    comp = cal.explain_after(D(2026, 5, 25), 30)
    assert comp.skipped == ((D(2026, 6, 24), "Fête nationale"),)
    assert "(Fête nationale du Québec)" in comp.describe("en")
    assert comp.law == ("Loi d'interprétation, RLRQ c. I-16, art. 52",
                        "Loi d'interprétation, RLRQ c. I-16, art. 61 (23°)",
                        "C.c.Q. art. 1425–1426")


def test_the_engine_names_no_holiday_and_cites_no_quebec_law() -> None:
    source = ROOT / "src" / "entente_regles" / "calendar"
    assert not (source / "holidays.py").exists()
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(source.glob("*.py")))
    text = text.replace('"stricte-I-16"', "")  # a policy's name, which explanations show
    for word in ("I-16", "C.c.Q", "C.p.c", "1425", "Noël", "Fête nationale", "patriotes"):
        assert word not in text, word


# --------------------------------------------------------------------------- England (library)

ENGLAND = LibraryCalendar("GB", "ENG", (("fr", "en_GB"), ("en", "en_GB")))


def test_england_rolls_over_christmas_and_boxing_day_in_english() -> None:
    cal = LegalCalendar(days=ENGLAND)
    comp = cal.explain_after(D(2026, 11, 25), 30)  # 25 December 2026 is a Friday
    assert comp.raw == D(2026, 12, 25)
    assert comp.deadline == D(2026, 12, 29)  # 25 Christmas, 26 Boxing Day (Sat), 27, 28 (observed)
    assert [d for d, _ in comp.skipped] == [D(2026, 12, 25), D(2026, 12, 26), D(2026, 12, 27),
                                            D(2026, 12, 28)]
    text = comp.describe("en")
    assert "Christmas Day" in text and "Boxing Day" in text and "Boxing Day (observed)" in text
    assert "public holidays of GB-ENG (python-holidays " in text
    assert not any(word in text for word in QUEBEC_WORDS), text
    assert "jours fériés de GB-ENG" in comp.describe("fr")
    assert cal.after(D(2026, 1, 16), 30) == D(2026, 2, 16)  # a Sunday, then Monday


def test_the_england_rule_book_declares_its_calendar() -> None:
    book = er.RuleBook.from_directory(RULES / "common-paper-csa")
    assert isinstance(book.calendar, LibraryCalendar)
    assert book.calendar.code == "GB-ENG"
    assert book.calendar.citation is not None and "Zoan v Rouamba" in book.calendar.citation.en
    comp = LegalCalendar(days=book.calendar).explain_after(D(2026, 11, 25), 30)
    assert comp.law[-1] == book.calendar.citation.en
    assert not any(word in comp.describe("en") for word in QUEBEC_WORDS)


def test_library_names_in_the_agreements_languages() -> None:
    both = LibraryCalendar("CA", "QC", (("fr", "fr"), ("en", "en_CA")))
    day = both.holidays(2026)[D(2026, 12, 25)]
    assert (day.name.fr, day.name.en) == ("Jour de Noël", "Christmas Day")
    source = TomlSource.parse(b'[calendrier]\npays = "DE"\nsubdivision = "BY"\n', "e.toml")
    german = read_calendar_table(source.root(), CalendarContext(("fr", "en")))
    assert isinstance(german, LibraryCalendar)
    # the library has no French for Germany: its own default names, in German
    assert german.holidays(2026)[D(2026, 1, 1)].name.fr == "Neujahr"
    assert german.holidays(2026)[D(2026, 1, 1)].name.en == "New Year's Day"


# --------------------------------------------------------------------------- plain days

@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2150, 12, 31)),
       st.integers(min_value=0, max_value=800))
def test_plain_days_never_roll(start: date, days: int) -> None:
    cal = LegalCalendar(days=PlainDays())
    comp = cal.explain_after(start, days)
    assert comp.deadline == comp.raw == start + timedelta(days=days)
    assert comp.skipped == () and comp.law == ()
    assert cal.is_working_day(comp.raw)
    assert cal.add_working_days(start, days) == start + timedelta(days=days)


def test_plain_days_cite_what_the_rule_book_declares() -> None:
    source = TomlSource.parse(b'[calendrier]\njours_civils = true\ncitation = { en = "cl. 1.2" '
                              b'}\n', "e.toml")
    cal = read_calendar_table(source.root(), CalendarContext(("en",)))
    assert cal == PlainDays(Text("cl. 1.2", "cl. 1.2"))
    assert LegalCalendar(days=cal).explain_after(D(2026, 1, 16), 30).law == ("cl. 1.2",)


# --------------------------------------------------------------------------- a user's calendar

@attrs.frozen
class FridaysOff:
    """A user's calendar: every Friday off, and 1 January; no roll rule cited."""

    def holidays(self, year: int) -> Mapping[date, DayOff]:
        return {D(year, 1, 1): DayOff(Text("an neuf", "new year"), Text("règle 1", "rule 1"))}

    def rest_day(self, d: date, policy: Policy) -> DayOff | None:
        return DayOff(Text("vendredi", "Friday")) if d.weekday() == 4 else None

    @property
    def rolls(self) -> bool:
        return True

    @property
    def citations(self) -> Citations:
        return Citations(counting=Text("contrat, art. 1", "contract, s. 1"))


def test_a_users_calendar_through_the_protocol() -> None:
    mine = FridaysOff()
    assert isinstance(mine, DayCalendar)
    cal = LegalCalendar(days=mine)
    comp = cal.explain_after(D(2026, 1, 15), 1)  # Friday 16 January -> Saturday 17
    assert comp.deadline == D(2026, 1, 17)
    assert comp.describe("en").endswith('(Friday), moved to 2026-01-17 (next working day) — '
                                        'contract, s. 1 (policy "defaut").')
    assert cal.explain_after(D(2025, 12, 31), 1).law == ("règle 1", "contrat, art. 1")
    agreement = er.Agreement(client="X", in_force_from=D(2026, 4, 1), calendar=mine)
    assert agreement.legal_calendar().days is mine
    bundled = er.Agreement(client="X", in_force_from=D(2026, 4, 1))
    assert agreement.fingerprint().agreement != bundled.fingerprint().agreement


def test_a_users_calendar_changes_the_agreements_deadlines(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    line = ('{{"type": "facture_emise", "date": "{}", "par": "mcn", "facture": "F-1", '
            '"montant": "10.00", "periode": "2026-04"}}\n')
    path.write_text(line.format("2026-05-11"), encoding="utf-8")

    def deadline(calendar: DayCalendar | None) -> date | None:
        agreement = er.Agreement(client="X", in_force_from=D(2026, 4, 1), calendar=calendar)
        ob = agreement.evaluate(path).at(D(2026, 5, 20)).find("paiement-facture", "F-1")
        assert ob is not None
        return ob.deadline

    # 11 May + 30 days = Wednesday 10 June, a working day for all three calendars
    assert deadline(None) == deadline(PlainDays()) == deadline(FridaysOff()) == D(2026, 6, 10)
    for issued, bundled, plain, fridays in (
            ("2026-05-13", D(2026, 6, 12), D(2026, 6, 12), D(2026, 6, 13)),  # raw: a Friday
            ("2026-05-15", D(2026, 6, 15), D(2026, 6, 14), D(2026, 6, 14))):  # raw: a Sunday
        path.write_text(line.format(issued), encoding="utf-8")
        assert (deadline(None), deadline(PlainDays()), deadline(FridaysOff())) == (
            bundled, plain, fridays), issued


def test_not_a_calendar_is_refused() -> None:
    with pytest.raises(TypeError, match="DayCalendar"):
        er.Agreement(client="X", in_force_from=D(2026, 4, 1),
                     calendar=object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="DayCalendar"):
        LegalCalendar(days="quebec")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- working_days

def test_policy_working_days_remove_a_calendars_days() -> None:
    kept = Policy(working_days={D(2026, 6, 24), "2026-02-15"}, name="ouvert")
    cal = LegalCalendar(kept, days=QUEBEC)
    assert cal.is_working_day(D(2026, 6, 24)) and cal.is_working_day(D(2026, 2, 15))
    assert cal.after(D(2026, 5, 25), 30) == D(2026, 6, 24)
    assert LegalCalendar(days=QUEBEC).after(D(2026, 5, 25), 30) == D(2026, 6, 25)
    england = LegalCalendar(Policy(working_days={D(2026, 12, 28)}), days=ENGLAND)
    assert england.after(D(2026, 11, 25), 30) == D(2026, 12, 28)
    with pytest.raises(ValueError, match="also a closure"):
        Policy(working_days={D(2026, 12, 24)}, extra_closure_days={D(2026, 12, 24)})
    with pytest.raises(ValueError, match="invalid ISO date"):
        Policy(working_days={"24 juin"})


def test_working_days_from_the_agreement_file(tmp_path: Path) -> None:
    path = tmp_path / "entente.toml"
    path.write_text('client = "X"\nen_vigueur_le = 2026-04-01\n[politique]\n'
                    'working_days = [2026-06-24]\n', encoding="utf-8")
    agreement = er.Agreement.from_toml(path)
    assert agreement.policy.working_days == frozenset({D(2026, 6, 24)})
    assert agreement.legal_calendar().is_working_day(D(2026, 6, 24))
    path.write_text('client = "X"\nen_vigueur_le = 2026-04-01\n[politique]\n'
                    'extra_closure_days = [2026-06-23]\nworking_days = [2026-06-23]\n',
                    encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        er.Agreement.from_toml(path)
    assert (info.value.where.key, info.value.where.line) == ("politique.working_days", 5)
    assert "ouvrable et fermé" in info.value.fr and "both a working day" in info.value.en


# --------------------------------------------------------------------------- the agreement file

def test_the_agreement_file_overrides_the_rule_books_calendar(tmp_path: Path) -> None:
    path = tmp_path / "entente.toml"
    path.write_text('client = "X"\nen_vigueur_le = 2026-04-01\n[calendrier]\npays = "GB"\n'
                    'subdivision = "ENG"\ncitation = { fr = "loi anglaise", en = "English law" }'
                    '\n', encoding="utf-8")
    agreement = er.Agreement.from_toml(path)
    assert isinstance(agreement.calendar, LibraryCalendar)
    cal = agreement.legal_calendar()
    assert cal.after(D(2026, 5, 25), 30) == D(2026, 6, 24)  # no Quebec holiday any more
    assert cal.explain_after(D(2026, 11, 25), 30).law[-1] == "loi anglaise"
    plain = tmp_path / "plain.toml"
    plain.write_text('client = "X"\nen_vigueur_le = 2026-04-01\n[calendrier]\n'
                     'jours_civils = true\n', encoding="utf-8")
    assert er.Agreement.from_toml(plain).legal_calendar().after(D(2026, 1, 16), 30) == \
        D(2026, 2, 15)


def test_a_rule_book_with_its_own_calendar_file(tmp_path: Path) -> None:
    rules = tmp_path / "regles"
    shutil.copytree(RULES, rules, ignore=shutil.ignore_patterns("common-paper-csa"))
    (rules / "calendriers" / "simple.toml").write_text('''
[calendrier]
libelle = { fr = "Simple", en = "Simple" }
report = false
citation_decompte = "c"

[citations]
c = { fr = "contrat", en = "contract" }

[[repos]]
jour = "dimanche"
libelle = { fr = "dimanche", en = "Sunday" }

[[ferie]]
nom = { fr = "fête", en = "feast" }
regle = "nieme"
jour_semaine = "mardi"
mois = 3
rang = -1
''', encoding="utf-8")
    vocabulary = rules / "evenements.toml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace(
        'fichier = "calendriers/quebec.toml"', 'fichier = "calendriers/simple.toml"'),
        encoding="utf-8")
    book = er.RuleBook.from_directory(rules)
    cal = LegalCalendar(days=book.calendar)
    assert cal.holidays(2026) == {D(2026, 3, 31): "fête"}  # the last Tuesday of March
    comp = cal.explain_after(D(2026, 1, 16), 30)
    assert comp.deadline == D(2026, 2, 15)
    assert comp.describe("en") == ("30 days following 2026-01-16 (start day not counted): "
                                   "last day 2026-02-15 (Sunday), not moved (calendar without "
                                   'roll-forward) — contract (policy "defaut").')


# --------------------------------------------------------------------------- bad [calendrier]

def _calendar_error(text: str, languages: tuple[str, ...] = ("fr", "en"),
                    directory: Path = RULES) -> RuleFileError:
    source = TomlSource.parse(text.encode(), "evenements.toml")
    with pytest.raises(RuleFileError) as info:
        read_calendar_table(source.root(), CalendarContext(languages, {}, directory))
        if source.problems:
            raise RuleFileErrors(tuple(source.problems))
    return info.value


BAD: list[tuple[str, str | None, int, str, str]] = [
    ('[calendrier]\npays = "Germny"\n', "calendrier.pays", 2, "DE (Germany)",
     "country unknown to the holidays library"),
    ('[calendrier]\npays = "GB"\nsubdivision = "ENGL"\n', "calendrier.subdivision", 3, "ENG",
     "unknown subdivision of GB"),
    ('[calendrier]\npays = "GB"\njours_civils = true\n', "calendrier", 1, "exactement une clé",
     "exactly one key among fichier, pays, jours_civils"),
    ('[calendrier]\nreport = true\n', "calendrier", 1, "exactement une clé", "got 0"),
    ('[calendrier]\njours_civils = true\nreport = true\n', "calendrier.report", 3,
     "sans objet", "meaningless for plain calendar days"),
    ('[calendrier]\njours_civils = false\n', "calendrier.jours_civils", 2, "true attendu",
     "true expected"),
    ('[calendrier]\npays = "FR"\njours_de_repos = ["sunday"]\n', "calendrier.jours_de_repos[0]",
     3, "un jour de la semaine", "a weekday among lundi"),
    ('[calendrier]\nfichier = "calendriers/absent.toml"\n', "calendrier.fichier", 2,
     "introuvable", "calendar file not found"),
    ('[calendrier]\npays = "GB"\ncitation = { de = "x", en = "y" }\n', "calendrier.citation.de",
     3, "langue non déclarée", "language not declared"),
    ('[calendrier]\npays = "GB"\npays_bas = true\n', "calendrier.pays_bas", 3, "clé inconnue",
     "unknown key"),
]


@pytest.mark.parametrize(("text", "key", "line", "fr", "en"), BAD,
                         ids=[b[1] or "?" for b in BAD])
def test_bad_calendar_table(text: str, key: str, line: int, fr: str, en: str) -> None:
    error = _calendar_error(text, ("en",) if "de =" in text else ("fr", "en"))
    assert error.where.file == "evenements.toml"
    assert (error.where.key, error.where.line) == (key, line)
    assert fr in error.fr, error.fr
    assert en in error.en, error.en


BAD_FILE = [
    ('regle = "pâques"', "ferie[0].regle", "une valeur parmi fixe, paques", "expected one of"),
    ('regle = "fixe"\nmois = 2\njour = 30', "ferie[0].jour", "aucune année", "no year has"),
    ('regle = "fixe"\nmois = 13\njour = 1', "ferie[0].mois", "de 1 à 12", "from 1 to 12"),
    ('regle = "fixe"\nmois = 1\njour = 1\ncitation = "absente"', "ferie[0].citation",
     "citation inconnue", "unknown citation"),
    ('regle = "fixe"\nmois = 1\njour = 1\npolitique = "saturday_non_working"',
     "ferie[0].politique", "clé inconnue", "unknown key"),
    ('regle = "paques"\ndecalage = 1\ndeplacement = { sunday = 1 }', "ferie[0].deplacement.sunday",
     "un jour de la semaine", "a weekday among"),
]


@pytest.mark.parametrize(("rule", "key", "fr", "en"), BAD_FILE, ids=[b[1] for b in BAD_FILE])
def test_bad_calendar_file(tmp_path: Path, rule: str, key: str, fr: str, en: str) -> None:
    (tmp_path / "cal.toml").write_text(
        '[calendrier]\nlibelle = { fr = "c", en = "c" }\n[citations]\nc = { fr = "c", en = "c" }'
        f'\n[[ferie]]\nnom = {{ fr = "f", en = "f" }}\n{rule}\n', encoding="utf-8")
    error = _calendar_error('[calendrier]\nfichier = "cal.toml"\n', directory=tmp_path)
    found = error.errors if isinstance(error, RuleFileErrors) else (error,)
    first = found[0]
    assert first.where.file == "cal.toml" and first.where.key == key, first.where
    assert first.where.line is not None and first.where.line >= 6
    assert fr in first.fr and en in first.en, (first.fr, first.en)


def test_a_bad_calendar_fails_the_rule_book_with_its_location(tmp_path: Path) -> None:
    rules = tmp_path / "regles"
    shutil.copytree(RULES, rules, ignore=shutil.ignore_patterns("common-paper-csa"))
    vocabulary = rules / "evenements.toml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace('fichier = "calendriers/quebec.toml"', 'pays = "QC"'),
                          encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        er.RuleBook.from_directory(rules)
    where = info.value.where
    assert (where.file, where.key) == ("evenements.toml", "calendrier.pays")
    assert where.line == text.splitlines().index('fichier = "calendriers/quebec.toml"') + 1
    assert "pays inconnu" in info.value.fr and "country unknown" in info.value.en


def test_a_rule_book_without_calendar_counts_on_the_bundled_one() -> None:
    seeds = ROOT / "tests" / "regles_defectueuses" / "aucune"
    book = er.RuleBook.from_directory(seeds)
    assert book.vocabulary.calendar is None
    assert book.calendar == QUEBEC

