"""The engine knows no agreement: the parties, the vague standards and the fiscal year are
the rule book's (``regles/evenements.toml``), never named in the package's code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import entente_regles
from entente_regles import RuleBook

SOURCE = Path(entente_regles.__file__).resolve().parent
BOOK = RuleBook.bundled()
# The agreement file's key ``client`` (the client body's name) is a file key, not a party.
FILE_KEY = "client"
FILE_KEY_MODULES = frozenset({"agreement.py", "rules/agreement_file.py", "cli/commands.py",
                              "outputs/text.py", "outputs/html.py", "outputs/ics.py",
                              "check/examples.py"})
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def _modules() -> list[tuple[str, str]]:
    found = [(path.relative_to(SOURCE).as_posix(), path.read_text(encoding="utf-8"))
             for path in sorted(SOURCE.rglob("*.py"))]
    assert len(found) > 50
    return found


def _strings(text: str) -> list[tuple[int, str]]:
    """Every string constant of a module (f-string parts and docstrings included)."""
    return [(node.lineno, node.value) for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_the_bundled_rule_book_declares_the_agreement() -> None:
    assert BOOK.parties == ("mcn", "client")
    assert {k: (v.wording.fr, v.wording.en, v.in_text) for k, v in BOOK.standards.items()} == {
        "immediatement": ("immédiatement", "immediately", True),
        "plus_brefs_delais": ("dans les plus brefs délais", "as soon as possible", True),
        "meilleurs_delais": ("dans les meilleurs délais", "as promptly as possible", True),
        "sans_delai": ("aucun délai stipulé", "no time limit stipulated", False),
    }
    assert (BOOK.fiscal_year_start.month, BOOK.fiscal_year_start.day) == (4, 1)


def test_no_party_is_named_in_the_code() -> None:
    """No string is a party's id, or quotes one ("par": "…", ``…``); the agreement file's key
    ``client`` only where agreement files are read or shown."""
    found = []
    for name, text in _modules():
        for line, value in _strings(text):
            for party in BOOK.parties:
                quoted = re.search(rf"""["'`]{re.escape(party)}["'`]""", value)
                named = value == party or quoted is not None
                if named and not (party == FILE_KEY and name in FILE_KEY_MODULES):
                    found.append(f"{name}:{line}: {value[:60]!r}")
        found += [f"{name}: {m.group(0)!r}" for m in re.finditer(r"\bmcn\b", text)]
    assert not found, "\n".join(found)


def test_no_vague_standard_is_named_in_the_code() -> None:
    words = [re.escape(s) for s in BOOK.standards]
    words += [re.escape(s.wording.fr) for s in BOOK.standards.values()]
    pattern = re.compile(rf"\b(?:{'|'.join(words)})\b", re.IGNORECASE)
    found = [f"{name}: {m.group(0)!r}" for name, text in _modules()
             for m in pattern.finditer(text)]
    assert not found, "\n".join(found)


def test_no_fiscal_year_is_named_in_the_code() -> None:
    month, day = BOOK.fiscal_year_start.month, BOOK.fiscal_year_start.day
    day_fr = "1er" if day == 1 else str(day)
    pattern = re.compile(
        rf"{day_fr} {MONTHS_FR[month - 1]}|\b{day} {MONTHS_EN[month - 1]}"
        rf"|\b{month:02d}-{day:02d}\b|month\s*>=\s*{month}\b"
        # that day of any year (a date of one given year, an example's start, is not)
        rf"|date\((?![0-9]{{4}}\s*,)[^()]*,\s*{month},\s*{day}\)")
    found = [f"{name}: {m.group(0)!r}" for name, text in _modules()
             for m in pattern.finditer(text)]
    assert not found, "\n".join(found)


# --------------------------------------------------------------------------- every rule book

REPOSITORY_RULES = Path(__file__).resolve().parents[1] / "regles"


def _rule_books() -> list[RuleBook]:
    """The bundled MCN rule book and every other one shipped in ``regles/<folder>/``."""
    books = [BOOK]
    for vocabulary in sorted(REPOSITORY_RULES.glob("*/evenements.toml")):
        books.append(RuleBook.from_directory(vocabulary.parent))
    return books


def _names_in(value: object) -> list[str]:
    """Every string under a key ``nom`` of a parsed TOML document, at any depth."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "nom":
                found += [item] if isinstance(item, str) else [
                    v for v in (item.values() if isinstance(item, dict) else ())
                    if isinstance(v, str)]
            else:
                found += _names_in(item)
    elif isinstance(value, list):
        for item in value:
            found += _names_in(item)
    return found


def _holiday_names() -> set[str]:
    """The names of the holidays of every shipped calendar: the ones declared as data
    (``calendriers/*.toml``) and those the `holidays` library gives the shipped rule books'
    countries."""
    import tomllib

    import holidays

    names: set[str] = set()
    for path in REPOSITORY_RULES.rglob("calendriers/*.toml"):
        names.update(_names_in(tomllib.loads(path.read_text(encoding="utf-8"))))
    for path in REPOSITORY_RULES.rglob("*.toml"):
        calendar = tomllib.loads(path.read_text(encoding="utf-8")).get("calendrier")
        if isinstance(calendar, dict) and "pays" in calendar:
            found = holidays.country_holidays(calendar["pays"], calendar.get("subdivision"),
                                              years=range(2024, 2030))
            names.update(name for day in found for name in found.get_list(day))
    return {n for n in names if len(n) > 3}


def test_every_shipped_rule_book_is_seen() -> None:
    books = _rule_books()
    assert len(books) >= 2, "the second agreement ships in regles/<folder>/"
    assert len({book.agreement.currency for book in books}) >= 2


def test_no_party_currency_holiday_or_standard_of_any_shipped_agreement_in_the_code() -> None:
    """Issue 18: no module names a party, a currency, a holiday or a vague standard of either
    shipped agreement. Party ids and standards are words of their own; currencies are their
    ISO code or symbol next to a number; holidays are their declared or library names."""
    from babel.numbers import get_currency_symbol

    words: set[str] = set()
    currencies: set[str] = set()
    for book in _rule_books():
        words.update(p for p in book.parties if p != FILE_KEY)
        words.update(book.standards)
        for standard in book.standards.values():
            words.update({standard.wording.fr, standard.wording.en})
        if book.agreement.currency is not None:
            currencies.add(book.agreement.currency)
            for locale in ("en", "fr", *book.agreement.locales.values()):
                currencies.add(get_currency_symbol(book.agreement.currency, locale))
    found = []
    word = re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in sorted(words))})\b")
    holiday = re.compile("|".join(re.escape(n) for n in sorted(_holiday_names())),
                         re.IGNORECASE)
    code = re.compile(rf"\b(?:{'|'.join(c for c in currencies if c.isalpha() and c.isupper())})"
                      r"\b")
    symbols = [s for s in currencies if not s.isalpha()]
    money = re.compile(rf"(?:{'|'.join(re.escape(s) for s in symbols)})\s?\d"
                       rf"|\d\s?(?:{'|'.join(re.escape(s) for s in symbols)})")
    for name, text in _modules():
        for line, value in _strings(text):
            for pattern, what in ((word, "party/standard"), (holiday, "holiday"),
                                  (code, "currency"), (money, "amount with a symbol")):
                match = pattern.search(value)
                if match and not (match.group(0) == FILE_KEY and name in FILE_KEY_MODULES):
                    found.append(f"{name}:{line}: {what} {match.group(0)!r} in "
                                 f"{value[:60]!r}")
    assert not found, "\n".join(found)
