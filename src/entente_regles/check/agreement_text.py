"""The agreement's structure, read from the rule files' quotations of it.

Each rule file quotes its article's text in ``texte`` (headings included). Read in file
order, those quotations give the agreement's articles and lettered items, the deadline
wording of each (a vague standard, or « N jours ») and the articles that defer to the
annexes: the checker compares the rules with these tables. The engine knows no article;
the tables come from whichever rule directory holds the agreement's text (by default the
bundled ``regles/``).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import attrs

from entente_regles.core.errors import RuleFileError
from entente_regles.core.input_limits import MAX_TOML_BYTES
from entente_regles.core.values import Lang
from entente_regles.rules.norms import VOCABULARY_FILE
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.toml_tables import TomlSource, toml_too_deep
from entente_regles.rules.vocabulary import AgreementFacts, VagueStandard
from entente_regles.rules.vocabulary_reader import read_vocabulary
from entente_regles.words.check import FINDINGS

# Words by which a clause defers to the annexes (or, in English, to the Order Form, Cover
# Page, schedules…), by language. « décrits dans les annexes » (art. 2) and « énumérées à
# l'annexe 2 » (3.1 d) describe or locate, they do not defer; nor does "as described in".
_DOCUMENTS = (r"(?:order form|cover page|key terms|schedules?|annex(?:es)?|exhibits?"
              r"|appendix|appendices|statements? of work|sow)")
DEFERRALS: Mapping[str, re.Pattern[str]] = {
    "fr": re.compile(
        r"sous r[ée]serve[^.;»]{0,60}annexes|annexes peuvent|(?:pr[ée]vu|pr[ée]cis)\w* aux annexes"
        r"|et aux annexes"),
    "en": re.compile(
        r"(?:set out|set forth|specified|stated|provided|defined|indicated|agreed) (?:in|on|by)"
        rf" (?:the|an|any|each|its|that|a) (?:applicable |relevant )?{_DOCUMENTS}"
        rf"|unless (?:the|an|any|a) (?:applicable |relevant )?{_DOCUMENTS} (?:specifies|states"
        rf"|provides|says|sets out)|subject to [^.;\"]{{0,60}}{_DOCUMENTS}"
        rf"|(?:according to|in accordance with|under) (?:the|an|any|each) {_DOCUMENTS}"
        rf"|{_DOCUMENTS} (?:may|will) (?:specify|set out|state|provide)"),
}
# Every language's deferral words at once (a text whose languages are unknown).
DEFERRAL = re.compile("|".join(f"(?:{p.pattern})" for p in DEFERRALS.values()))
Standards = Mapping[str, VagueStandard]
# A delay in days, by language: « 30 jours », « trente (30) jours ouvrables », "30 days",
# "thirty (30) days", "within 5 business days", "10 working days". (?<!\d): a run of digits
# is tried from its first digit only (no quadratic backtracking on a label of 100,000 digits).
# Group 1 the number, group 2 a word saying only working days count.
DAYS_WORDINGS: Mapping[str, re.Pattern[str]] = {
    "fr": re.compile(r"(?<![\d.,])(\d{1,6})\)?[ -]?jours?\b(?: (ouvrables|ouvrés))?"),
    "en": re.compile(r"(?<![\d.,])(\d{1,6})\)?[ -]?(?:(business|working|banking)"
                     r" |calendar |clear )?days?\b"),
}
# The French wording alone, as before (kept for callers of the French-only heuristic).
DAYS_WORDING = re.compile(r"(?<!\d)(\d{1,6}) jours")
# What makes a number of days a threshold (a condition) rather than a delay to act within.
_THRESHOLD = re.compile(r"(?:more than|longer than|over|plus de|pendant plus de) (?:[a-z-]+ \()?$")
WORKING_DAYS = "ouvrables"  # how the tables write a delay in working days: « 5 jours ouvrables »
ALL_LANGUAGES: tuple[Lang, ...] = ("fr", "en")
_HEADING = re.compile(r"^\s*(\d{1,4}(?:\.\d{1,4}){0,4})(?:\(([a-z])\)|(\.?))\s+\S")
_ITEM = re.compile(r"^\s*(?:\(([a-z])\)|([a-z])[.)])\s")
_ARTICLE = re.compile(r"\s*(\d{1,4}(?:\.\d{1,4}){0,4})\s*\(?\s*([a-z])?\s*\)?\s*")


def days_said(text: str, languages: Iterable[Lang] = ALL_LANGUAGES) -> list[str]:
    """The delays in days a (normalized) text states in ``languages``, as the tables write
    them: « 30 jours », or « 5 jours ouvrables » when only working days count."""
    found: list[str] = []
    for lang in languages:
        for match in DAYS_WORDINGS[lang].finditer(text):
            if _THRESHOLD.search(text, max(0, match.start() - 40), match.start()):
                continue  # "for more than 30 days": a condition, not a time to act
            token = f"{match.group(1)} jours"
            if match.group(2):
                token += f" {WORKING_DAYS}"
            if token not in found:
                found.append(token)
    return found


def deferral(languages: Iterable[Lang] = ALL_LANGUAGES) -> re.Pattern[str]:
    """The deferral words of ``languages`` as one pattern."""
    chosen = [DEFERRALS[lang].pattern for lang in dict.fromkeys(languages)]
    return _compiled("|".join(f"(?:{p})" for p in chosen))


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def normalize(text: str) -> str:
    """Lower case, NFC, typographic apostrophes and spaces made plain, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


@attrs.frozen
class AgreementTables:
    """The agreement's articles, the deadline wording of each, the articles deferring to the
    annexes."""

    articles: tuple[str, ...]
    deadlines: Mapping[str, tuple[str, ...]]
    deferring: tuple[str, ...]

    def __contains__(self, article: object) -> bool:
        return article in self.articles

    def descendants(self, article: str) -> list[str]:
        return [a for a in self.articles if a.startswith((article + ".", article + " "))]

    def wording_of(self, article: str, with_descendants: bool = True) -> tuple[str, ...]:
        """Deadline wording of ``article`` (and, by default, of its sub-articles)."""
        found = list(self.deadlines.get(article, ()))
        if with_descendants:
            for sub in self.descendants(article):
                found += [w for w in self.deadlines.get(sub, ()) if w not in found]
        return tuple(found)

    def defers(self, article: str) -> bool:
        """The article, or one it belongs to, defers to the annexes."""
        return any(a in self.deferring for a in [article, *ancestors(article)])


def ancestors(article: str) -> list[str]:
    """"3.2 g" -> ["3.2", "3"]; "13.1.2" -> ["13.1", "13"]."""
    out = []
    base = article.split(" ")[0]
    if " " in article:
        out.append(base)
    parts = base.split(".")
    for i in range(len(parts) - 1, 0, -1):
        out.append(".".join(parts[:i]))
    return out


def split_articles(text: str, state: dict[str, int] | None = None) -> dict[str, str]:
    """Each article and lettered item of ``text``, with its own text (normalized).

    A heading is a line that starts with the next number in sequence ("3.", "3.1", "6.1.1",
    "13.1.2"), which keeps "90 jours d'un processus…" at the start of a line from passing for
    one; an item is "a) ", "a. " or "(a) ", "b) "… in order under the current heading, or a
    line starting "5.2(a)" (item a of 5.2). With ``state`` (the
    numbering carried from one quotation to the next), ``text`` is one rule file's quotation:
    its first heading may start anywhere (a file quoting 13.1 without the heading of 13), and
    the articles it belongs to are implied.
    """
    last_child = state if state is not None else {"": 0}
    own: dict[str, list[str]] = {}
    last_item: dict[str, str] = {}
    section: str | None = None
    current: str | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            number, letter, dot = heading.group(1), heading.group(2), heading.group(3)
            parts = number.split(".")
            parent = ".".join(parts[:-1])
            quoted_start = state is not None and section is None
            if letter is not None and number == section:
                pass  # "5.2(a)" under the heading of 5.2: its item, below
            elif (len(parts) > 1 or dot or letter) and (
                    quoted_start or last_child.get(parent, -1) + 1 == int(parts[-1])):
                for depth in range(1, len(parts)):
                    implied = ".".join(parts[:depth])
                    if implied not in last_child:
                        own.setdefault(implied, [])
                        last_child[".".join(parts[:depth - 1])] = int(parts[depth - 1])
                        last_child[implied] = 0
                last_child[parent] = int(parts[-1])
                last_child[number] = 0
                section = current = number
                # the heading line's words are the article's ("1.1 Access. During the…")
                own[number] = [] if letter else [line[heading.end() - 1:]]
                if letter is None:
                    continue
            else:
                heading = None
            if heading is not None and letter is not None and section == number \
                    and letter == chr(ord(last_item.get(number, "`")) + 1):
                last_item[number] = letter
                current = f"{number} {letter}"
                own[current] = [line[heading.end() - 1:]]
                continue
        item = _ITEM.match(line)
        if item and section is not None:
            letter = item.group(1) or item.group(2)
            if letter == chr(ord(last_item.get(section, "`")) + 1):
                last_item[section] = letter
                current = f"{section} {letter}"
                own[current] = [line[item.end():]]
                continue
        if current is not None:
            own[current].append(line)
    return {article: normalize(" ".join(lines)) for article, lines in own.items()}


def vague_wording(standards: Standards | None = None,
                  languages: Iterable[Lang] = ALL_LANGUAGES) -> Mapping[str, re.Pattern[str]]:
    """Each vague standard's own words in ``languages`` as one pattern by id (« dans les X
    délais » -> "X d[ée]lais", "within a reasonable time" -> "a reasonable time"); a standard
    that is the text's silence (``in_text`` false) is never looked for. ``standards``: a rule
    book's (default: the bundled rule book's)."""
    if standards is None:
        standards = RuleBook.bundled().standards
    return _patterns(tuple(standards.values()), tuple(dict.fromkeys(languages)))


_LEADS = ("dans les ", "within ")  # the words before a standard that the text may vary


@cache
def _patterns(standards: tuple[VagueStandard, ...],
              languages: tuple[Lang, ...]) -> Mapping[str, re.Pattern[str]]:
    out: dict[str, re.Pattern[str]] = {}
    for standard in standards:
        if not standard.in_text:
            continue
        words = []
        for lang in languages:
            said = normalize(standard.wording(lang))
            for lead in _LEADS:
                said = said.removeprefix(lead)
            pattern = re.escape(said).replace("é", "[ée]")
            if said and pattern not in words:
                words.append(pattern)
        if words:
            out[standard.id] = re.compile("|".join(words))
    return out


def deadline_wording(text: str, standards: Standards | None = None,
                     languages: Iterable[Lang] = ALL_LANGUAGES) -> tuple[str, ...]:
    """The vague standards and delays in days (« N jours », « N jours ouvrables ») a
    (normalized) text states in ``languages``, in that order."""
    languages = tuple(languages)
    found = [name for name, pattern in vague_wording(standards, languages).items()
             if pattern.search(text)]
    found += [days for days in days_said(text, languages) if days not in found]
    return tuple(found)


def tables_from_texts(quotations: Iterable[str], standards: Standards | None = None,
                      languages: Iterable[Lang] = ALL_LANGUAGES) -> AgreementTables:
    """The tables of the agreement quoted by rule files' ``texte``, in reading order; the
    vague standards looked for are ``standards`` (default: the bundled rule book's), the
    wording that of ``languages``."""
    own: dict[str, str] = {}
    state: dict[str, int] = {"": 0}
    for text in quotations:
        for number, words in split_articles(text, state).items():
            own[number] = f"{own[number]} {words}".strip() if number in own else words
    return _tables(own, standards, tuple(languages))


def derive_agreement_tables(text: str, standards: Standards | None = None,
                            languages: Iterable[Lang] = ALL_LANGUAGES) -> AgreementTables:
    """The tables of one text holding the whole agreement."""
    return _tables(split_articles(text), standards, tuple(languages))


def _tables(own: Mapping[str, str], standards: Standards | None,
            languages: tuple[Lang, ...]) -> AgreementTables:
    deadlines = {a: w for a, t in own.items()
                 if (w := deadline_wording(t, standards, languages))}
    defers = deferral(languages)
    deferring = tuple(a for a, t in own.items() if defers.search(t))
    return AgreementTables(tuple(own), deadlines, deferring)


def merge_tables(first: AgreementTables, second: AgreementTables) -> AgreementTables:
    """Both tables' articles (``first``'s order, then those only ``second`` has), the deadline
    wording of each from both, and both deferring lists."""
    articles = tuple(dict.fromkeys((*first.articles, *second.articles)))
    deadlines = {a: tuple(dict.fromkeys((*first.deadlines.get(a, ()),
                                         *second.deadlines.get(a, ()))))
                 for a in articles if a in first.deadlines or a in second.deadlines}
    deferring = tuple(a for a in articles if a in first.deferring or a in second.deferring)
    return AgreementTables(articles, deadlines, deferring)


def quotations(directory: Path) -> list[str]:
    """The ``texte`` of each rule file of ``directory`` that TOML can read, in file order (a
    file that does not read is reported by the loader, not here). A quotation that does not
    start with a heading starts with its file's ``article``: its first words are that
    article's."""
    found: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        if len(raw) > MAX_TOML_BYTES:
            continue  # beyond the bounds: the loader reports it
        quoted = _quotation(raw)
        if quoted is not None:
            found.append(quoted)
    return found


# A rule file's quotation by its content's SHA-256: the checker reads the agreement's rule
# book for every rule book it checks, and parsing its TOML again was most of a check. Keyed by
# the digest, not the bytes, so that no file is held; the oldest entry goes past the bound.
_QUOTATIONS: dict[bytes, str | None] = {}
_QUOTATIONS_SIZE = 256


def _quotation(raw: bytes) -> str | None:
    """The quotation of the rule file ``raw`` (None: none, or it does not read)."""
    content = hashlib.sha256(raw).digest()
    if content in _QUOTATIONS:
        return _QUOTATIONS[content]
    quoted = _read_quotation(raw)
    if len(_QUOTATIONS) >= _QUOTATIONS_SIZE:
        _QUOTATIONS.pop(next(iter(_QUOTATIONS)), None)
    _QUOTATIONS[content] = quoted
    return quoted


def _read_quotation(raw: bytes) -> str | None:
    try:
        written = raw.decode("utf-8")
        if toml_too_deep(written) is not None:
            return None  # beyond the bounds: the loader reports it
        data = tomllib.loads(written)
    except (ValueError, RecursionError):
        return None
    text = data.get("texte")
    if not isinstance(text, str):
        return None
    article = data.get("article")
    return _headed(text, article) if isinstance(article, str) else text


def _headed(text: str, article: str) -> str:
    """``text`` with the heading of ``article`` before its first line, unless that line is
    already a heading."""
    number = canonical_article(article)
    lines = text.strip("\n").split("\n")
    if number is None or not lines or _HEADING.match(lines[0]) or not lines[0].strip():
        return text
    base, _, letter = number.partition(" ")
    heading = f"{base}({letter})" if letter else (base if "." in base else f"{base}.")
    return "\n".join([f"{heading} {lines[0].strip()}", *lines[1:]])


@attrs.frozen
class AgreementText:
    """A rule directory's own agreement text as the checker reads it: the tables, the
    languages its heuristics read, and the problem met reading the text file it declares
    (``[entente] texte``), if any (French, English)."""

    tables: AgreementTables
    languages: tuple[Lang, ...]
    text_problem: tuple[str, str] | None = None
    from_file: bool = False  # the tables hold a whole text file, not only quotations


def agreement_text_of(directory: Path) -> AgreementText:
    """The agreement ``directory``'s rule files are checked against: the texts they quote
    (``texte``) and, when its vocabulary file declares one, the text file ``[entente]
    texte`` (relative to the directory), read with the vague standards and the languages
    that file declares. Never another rule book's text."""
    facts, standards = _declared(directory)
    languages = facts.languages
    tables = tables_from_texts(quotations(directory), standards, languages)
    problem = None
    if facts.text_file is not None:
        path = directory / facts.text_file
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "UTF-8"
            said = FINDINGS.text("chargement.text_unreadable", path=path, reason=reason)
            problem = (said.fr, said.en)
        else:
            whole = derive_agreement_tables(text, standards, languages)
            return AgreementText(merge_tables(whole, tables), languages, None, True)
    return AgreementText(tables, languages, problem)


@cache
def tables_of_directory(directory: Path) -> AgreementTables:
    """The agreement tables of ``directory``'s own text (see :func:`agreement_text_of`)."""
    return agreement_text_of(directory).tables


def _declared(directory: Path) -> tuple[AgreementFacts, Standards | None]:
    """What ``directory``'s vocabulary file declares of the agreement, and its vague
    standards (None: the bundled rule book's) — defaults when it does not read (the loader
    reports why)."""
    try:
        source = TomlSource.read(directory / VOCABULARY_FILE)
    except RuleFileError:
        return AgreementFacts(), None
    vocabulary = read_vocabulary(source, directory)
    standards = None if source.problems else vocabulary.standards
    return vocabulary.agreement, standards


def canonical_article(text: str) -> str | None:
    """ "3.1c", "3.1 c)", " 9.3 " -> "3.1 c", "9.3"; None when it does not look like one."""
    match = _ARTICLE.fullmatch(text)
    if match is None:
        return None
    return match.group(1) + (f" {match.group(2)}" if match.group(2) else "")
