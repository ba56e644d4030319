"""The agreement's structure, read from the rule files' quotations of it.

Each rule file quotes its article's text in ``texte`` (headings included). Read in file
order, those quotations give the agreement's articles and lettered items, the deadline
wording of each (a vague standard, or « N jours ») and the articles that defer to the
annexes: the checker compares the rules with these tables. The engine knows no article;
the tables come from whichever rule directory holds the agreement's text (by default the
bundled ``regles/``).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import attrs

from entente_regles.core.errors import RuleFileError
from entente_regles.rules.norms import VOCABULARY_FILE
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.toml_tables import TomlSource
from entente_regles.rules.vocabulary import VagueStandard
from entente_regles.rules.vocabulary_reader import read_vocabulary

# Words by which a clause defers to the annexes. « décrits dans les annexes » (art. 2) and
# « énumérées à l'annexe 2 » (3.1 d) describe or locate, they do not defer.
DEFERRAL = re.compile(
    r"sous r[ée]serve[^.;»]{0,60}annexes|annexes peuvent|(?:pr[ée]vu|pr[ée]cis)\w* aux annexes"
    r"|et aux annexes")
Standards = Mapping[str, VagueStandard]
# (?<!\d): a run of digits is tried from its first digit only (no quadratic backtracking on
# a label of 100,000 digits).
DAYS_WORDING = re.compile(r"(?<!\d)(\d{1,6}) jours")
_HEADING = re.compile(r"^\s*(\d{1,4}(?:\.\d{1,4}){0,4})(\.?)\s+\S")
_ITEM = re.compile(r"^\s*([a-z])\)\s")
_ARTICLE = re.compile(r"\s*(\d{1,4}(?:\.\d{1,4}){0,4})\s*\(?\s*([a-z])?\s*\)?\s*")


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
    one; an item is "a) ", "b) "… in order under the current heading. With ``state`` (the
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
            number, dot = heading.group(1), heading.group(2)
            parts = number.split(".")
            parent = ".".join(parts[:-1])
            quoted_start = state is not None and section is None
            if (len(parts) > 1 or dot) and (
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
                own[number] = []
                continue
        item = _ITEM.match(line)
        if item and section is not None:
            letter = item.group(1)
            if letter == chr(ord(last_item.get(section, "`")) + 1):
                last_item[section] = letter
                current = f"{section} {letter}"
                own[current] = [line[item.end():]]
                continue
        if current is not None:
            own[current].append(line)
    return {article: normalize(" ".join(lines)) for article, lines in own.items()}


def vague_wording(standards: Standards | None = None) -> Mapping[str, re.Pattern[str]]:
    """Each vague standard's own words as a pattern (« dans les X délais » -> "X d[ée]lais"),
    by id; a standard that is the text's silence (``in_text`` false) is never looked for.
    ``standards``: a rule book's (default: the bundled rule book's)."""
    if standards is None:
        standards = RuleBook.bundled().standards
    return _patterns(tuple(standards.values()))


@cache
def _patterns(standards: tuple[VagueStandard, ...]) -> Mapping[str, re.Pattern[str]]:
    return {s.id: re.compile(re.escape(s.wording.fr.removeprefix("dans les ")).replace(
        "é", "[ée]")) for s in standards if s.in_text}


def deadline_wording(text: str, standards: Standards | None = None) -> tuple[str, ...]:
    """The vague standards and "N jours" delays a (normalized) text states, in that order."""
    found = [name for name, pattern in vague_wording(standards).items() if pattern.search(text)]
    for days in DAYS_WORDING.findall(text):
        if f"{days} jours" not in found:
            found.append(f"{days} jours")
    return tuple(found)


def tables_from_texts(quotations: Iterable[str], standards: Standards | None = None
                      ) -> AgreementTables:
    """The tables of the agreement quoted by rule files' ``texte``, in reading order; the
    vague standards looked for are ``standards`` (default: the bundled rule book's)."""
    own: dict[str, str] = {}
    state: dict[str, int] = {"": 0}
    for text in quotations:
        for number, words in split_articles(text, state).items():
            own[number] = f"{own[number]} {words}".strip() if number in own else words
    deadlines = {a: w for a, t in own.items() if (w := deadline_wording(t, standards))}
    deferring = tuple(a for a, t in own.items() if DEFERRAL.search(t))
    return AgreementTables(tuple(own), deadlines, deferring)


def derive_agreement_tables(text: str, standards: Standards | None = None) -> AgreementTables:
    """The tables of one text holding the whole agreement."""
    own = split_articles(text)
    deadlines = {a: w for a, t in own.items() if (w := deadline_wording(t, standards))}
    deferring = tuple(a for a, t in own.items() if DEFERRAL.search(t))
    return AgreementTables(tuple(own), deadlines, deferring)


def quotations(directory: Path) -> list[str]:
    """The ``texte`` of each rule file of ``directory`` that TOML can read, in file order (a
    file that does not read is reported by the loader, not here)."""
    found: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_bytes().decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        text = data.get("texte")
        if isinstance(text, str):
            found.append(text)
    return found


@cache
def tables_of_directory(directory: Path) -> AgreementTables:
    """The agreement tables quoted by the rule files of ``directory``, the vague standards
    those of its vocabulary file."""
    return tables_from_texts(quotations(directory), _standards_of(directory))


def _standards_of(directory: Path) -> Standards | None:
    """The vague standards ``directory``'s vocabulary file declares; None (the bundled rule
    book's) when it does not read (the loader reports why)."""
    try:
        source = TomlSource.read(directory / VOCABULARY_FILE)
    except RuleFileError:
        return None
    vocabulary = read_vocabulary(source)
    return None if source.problems else vocabulary.standards


def canonical_article(text: str) -> str | None:
    """ "3.1c", "3.1 c)", " 9.3 " -> "3.1 c", "9.3"; None when it does not look like one."""
    match = _ARTICLE.fullmatch(text)
    if match is None:
        return None
    return match.group(1) + (f" {match.group(2)}" if match.group(2) else "")
