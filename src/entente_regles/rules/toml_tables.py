"""One validation layer for the TOML files people write: rule files, the event vocabulary and
agreement files.

A :class:`TomlSource` is one file read and parsed (UTF-8, nesting bounded, TOML syntax
errors with their line); a :class:`TomlTable` walks one of its tables, ticking off every key
it reads and naming each problem by the file's own key path (``obligation[2].delai.jours``)
and the line where that key is written. Problems are *collected* on the source, so one read
reports every unknown key and every bad value of a file, not just the first; a problem that
makes the rest of an item meaningless raises, and the caller (``collecting``) records it and
goes on with the next item. :class:`RuleFileErrors` carries them all to a strict caller.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from entente_regles.core.errors import ErrorLocation, RuleFileError
from entente_regles.core.input_limits import MAX_TOML_BYTES, MAX_TOML_DEPTH, invisible_character
from entente_regles.core.values import Lang, Text

T = TypeVar("T")

MAX_DEPTH = MAX_TOML_DEPTH
"""Deepest nesting of tables and arrays a file may have (the bundled files use 5)."""
ENGINE_LANGUAGES: tuple[Lang, ...] = ("fr", "en")
"""The languages the engine's own sentences speak; a rule book declares some of them."""

_LINE_BREAKS = str.maketrans("", "", "\t\n\r")  # a multi-line text's own, not invisible
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


class RuleFileErrors(RuleFileError):
    """Every problem found in one or more files; ``where``, ``fr`` and ``en`` are the first's."""

    def __init__(self, errors: tuple[RuleFileError, ...]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.where, first.fr, first.en, first.code)

    def describe(self, lang: Lang = "fr") -> str:
        errors = getattr(self, "errors", ())
        if len(errors) <= 1:
            return super().describe(lang)
        more = (f"({len(errors)} erreurs)" if lang == "fr" else f"({len(errors)} errors)")
        return "\n".join([super().describe(lang), *(e.describe(lang) for e in errors[1:]),
                          more])


class TomlSource:
    """One TOML file: its name, its parsed data, the line of each key, and its problems.

    ``languages`` are the languages its texts (``{ fr = "…", en = "…" }``) are written in:
    the rule book's (``[entente] langues``), set by whoever reads the file once they are
    known (the vocabulary file is read first); by default French and English."""

    def __init__(self, name: str, text: str, data: dict[str, Any],
                 languages: tuple[Lang, ...] = ENGINE_LANGUAGES) -> None:
        self.name = name
        self.text = text
        self.data = data
        self.languages = languages
        self.problems: list[RuleFileError] = []
        self.fallback_line: int | None = None  # where the data sits when it has no text
        self._lines: dict[str, int] | None = None

    @classmethod
    def read(cls, path: Path, name: str | None = None) -> TomlSource:
        """Read and parse ``path``; every reason it cannot be read raises a located error."""
        shown = name if name is not None else path.name
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise RuleFileError(ErrorLocation(shown), f"lecture impossible : {exc.strerror}",
                                f"cannot read: {exc.strerror}") from None
        return cls.parse(raw, shown)

    @classmethod
    def parse(cls, raw: bytes, name: str) -> TomlSource:
        if len(raw) > MAX_TOML_BYTES:
            raise RuleFileError(ErrorLocation(name), f"fichier trop gros ({len(raw)} octets ; "
                                f"au plus {MAX_TOML_BYTES}, voir docs/limites.md)",
                                f"file too large ({len(raw)} bytes; at most {MAX_TOML_BYTES}, "
                                "see docs/limites.md)")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            byte = raw[exc.start:exc.start + 1].hex()
            raise RuleFileError(ErrorLocation(name, line),
                                f"le fichier n'est pas en UTF-8 (octet 0x{byte})",
                                f"the file is not UTF-8 (byte 0x{byte})") from None
        too_deep = toml_too_deep(text)
        if too_deep is not None:
            raise RuleFileError(ErrorLocation(name, too_deep),
                                f"clé trop profonde (au plus {MAX_DEPTH} parties dans une clé "
                                "a.b.c ou un en-tête [a.b.c], voir docs/limites.md)",
                                f"key too deep (at most {MAX_DEPTH} parts in a key a.b.c or a "
                                "header [a.b.c], see docs/limites.md)")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise toml_syntax_error(exc, name, text) from None
        except RecursionError:
            raise RuleFileError(ErrorLocation(name),
                                f"imbrication trop profonde (au plus {MAX_DEPTH} niveaux)",
                                f"nesting too deep (at most {MAX_DEPTH} levels)") from None
        source = cls(name, text, data)
        deep = _too_deep(data)
        if deep is not None:
            raise source.error(deep, f"imbrication trop profonde (au plus {MAX_DEPTH} niveaux)",
                               f"nesting too deep (at most {MAX_DEPTH} levels)")
        return source

    def line(self, key: str | None) -> int | None:
        """The line where ``key`` (or its nearest written ancestor) is written."""
        if not key:
            return self.fallback_line
        if self._lines is None:
            self._lines = _key_lines(self.text)
        parts = _segments(key)
        whole = "".join(parts).lstrip(".")
        if whole not in self._lines:  # a table only its sub-tables write: the first of them
            below = [line for path, line in self._lines.items()
                     if path.startswith((f"{whole}.", f"{whole}["))]
            if below:
                return min(below)
        while parts:
            found = self._lines.get("".join(parts).lstrip("."))
            if found is not None:
                return found
            parts.pop()
        return self.fallback_line

    def error(self, key: str | None, fr: str, en: str, code: str | None = None
              ) -> RuleFileError:
        return RuleFileError(ErrorLocation(self.name, self.line(key), key or None), fr, en, code)

    def add(self, error: RuleFileError) -> None:
        self.problems.append(error)

    def root(self) -> TomlTable:
        return TomlTable(self.data, self, "")


# One TOML token at a time: a string of any of the four kinds (running to the end of the text
# or line when unclosed, so a match never fails: linear on any text), a comment, or a
# character that separates keys or nests. Everything else is skipped between matches.
_TOML_TOKEN = re.compile(r'''"""(?:[^\\]|\\.?)*?(?:"""|\Z)|\'\'\'.*?(?:\'\'\'|\Z)'''
                         r'''|"(?:[^"\\\n]|\\.)*"?|\'[^\'\n]*\'?|#[^\n]*|[.=,\[\]{}\n]''',
                         re.DOTALL)


def toml_too_deep(text: str) -> int | None:
    """The line of the first key with more than ``MAX_DEPTH`` dotted parts (``a.b.c``, in a
    ``[table.header]`` or before ``=``), found in one linear pass without parsing; None when
    there is none. The TOML parser's cost grows with the square of a key's depth: it must
    not see such a key. (Brackets nested too deep are refused once parsed, by key path.)"""
    if text.count(".") < MAX_DEPTH:
        return None
    dots = 0
    for token in _TOML_TOKEN.finditer(text):
        char = token.group()
        if char == ".":
            dots += 1
            if dots >= MAX_DEPTH:
                return text.count("\n", 0, token.start()) + 1
        elif len(char) == 1 or char[0] == "#":
            dots = 0  # a separator, a bracket, a newline or a comment ends a key
    return None


def toml_syntax_error(exc: tomllib.TOMLDecodeError, name: str, text: str) -> RuleFileError:
    found = _POSITION.search(str(exc))
    line = int(found.group(1)) if found else None
    column = f", colonne {found.group(2)}" if found else ""
    detail = _POSITION.sub("", str(exc))
    hint_fr = hint_en = ""
    if "date" in detail.lower() and line is not None:
        lines = text.splitlines()
        shown = lines[line - 1] if line <= len(lines) else ""
        for written in re.findall(r"\d{4}-\d\d-\d\d", shown):
            try:
                date.fromisoformat(written)
            except ValueError:
                hint_fr = f" ; le jour {written} n'existe pas"
                hint_en = f"; the day {written} does not exist"
                break
    return RuleFileError(ErrorLocation(name, line), f"TOML invalide{column} ({detail}){hint_fr}",
                         f"invalid TOML{column.replace('colonne', 'column')}: {detail}{hint_en}")


def _too_deep(data: object) -> str | None:
    """The key path of the first value nested deeper than MAX_DEPTH (iteratively)."""
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return path
        if isinstance(value, dict):
            stack += [(v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    return None


def _segments(key: str) -> list[str]:
    """"a[1].b.c" -> [".a", "[1]", ".b", ".c"] (joined back, minus the first dot)."""
    return [f".{name}" if name else f"[{index}]"
            for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", key)]


def _key_lines(text: str) -> dict[str, int]:
    """Key path -> line, for table headers, ``key =`` lines and the inline tables that start a
    line inside a multi-line array (``attendu = [`` then ``{ au = … }`` lines)."""
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    table = ""
    array: str | None = None  # key path of an open multi-line array
    index = 0
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if array is not None:
            if line.lstrip().startswith("{"):
                lines.setdefault(f"{array}[{index}]", number)
                index += 1
            if line.strip().startswith("]") or line.rstrip().endswith("]"):
                array = None
            continue
        header = _HEADER.match(line)
        if header is not None and not _KEY.match(line):
            name = ".".join(p.strip().strip('"') for p in header.group(2).split("."))
            if header.group(1) == "[[":
                counts[name] = counts.get(name, -1) + 1
                table = f"{name}[{counts[name]}]"
            else:
                table = name
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key is None:
            continue
        name = key.group(1).strip().strip('"')
        path = f"{table}.{name}" if table else name
        lines.setdefault(path, number)
        rest = line[key.end():].strip()
        for quote in ("'''", '"""'):
            if rest.startswith(quote) and rest.count(quote) == 1:
                in_string = quote
        if rest.startswith("[") and not _balanced(rest):
            array, index = path, 0
            if rest[1:].lstrip().startswith("{"):
                lines.setdefault(f"{path}[0]", number)
                index = 1
    return lines


def _balanced(text: str) -> bool:
    depth = 0
    for char in re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', "", text.split("#")[0]):
        depth += {"[": 1, "]": -1}.get(char, 0)
    return depth <= 0


class TomlTable:
    """A TOML table with its source and key path; every key read is ticked off."""

    def __init__(self, data: Mapping[str, Any], source: TomlSource, path: str) -> None:
        self.data = data
        self.source = source
        self.file = source.name
        self.path = path
        self.seen: set[str] = set()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str | None, fr: str, en: str, code: str | None = None
              ) -> RuleFileError:
        return self.source.error(self.at(key) if key else self.path, fr, en, code)

    def get(self, key: str, kinds: tuple[type, ...], what: tuple[str, str], required: bool,
            default: Any = None) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:
                raise self.error(key, f"clé obligatoire manquante ({what[0]})",
                                 f"missing required key ({what[1]})")
            return default
        value = self.data[key]
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)) \
                or (datetime not in kinds and isinstance(value, datetime)):
            fr, en = _mismatch(value, kinds)
            raise self.error(key, f"{expected_fr(what[0])}, reçu {_shown(value)}{fr}",
                             f"expected {what[1]}, got {_shown(value)}{en}")
        return value

    def text(self, key: str, required: bool = True, default: str | None = None) -> Any:
        value = self.get(key, (str,), ("un texte", "a string"), required, default)
        if isinstance(value, str) and not value.strip():
            raise self.error(key, "texte vide", "empty string")
        if isinstance(value, str):
            char = invisible_character(value.translate(_LINE_BREAKS))
            if char is not None:
                raise self.error(key, f"caractère invisible ou de contrôle {char} refusé (deux "
                                 "identifiants s'afficheraient pareil ; voir docs/limites.md)",
                                 f"invisible or control character {char} refused (two "
                                 "identifiers would print alike; see docs/limites.md)")
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        return bool(self.get(key, (bool,), ("true ou false", "true or false"), False, default))

    def bounded(self, key: str, low: int, high: int, unit: Text, required: bool = True
                ) -> int | str | None:
        """An integer in [low, high] or a « @paramètre » (checked where it is declared)."""
        value = self.get(key, (int, str), ("un entier ou « @paramètre »",
                                           "an integer or '@parameter'"), required)
        if isinstance(value, int) and not low <= value <= high:
            raise self.error(key, f"{value} {unit.fr} : hors des bornes [{low}, {high}]",
                             f"{value} {unit.en}: outside the bounds [{low}, {high}]")
        if isinstance(value, str) and not value.startswith("@"):
            raise self.error(key, f"un nombre de {unit.fr} attendu, reçu le texte "
                             f"{_shown(value)} ; un paramètre s'écrit « @nom »",
                             f"a number of {unit.en} expected, got the text {_shown(value)}; "
                             "a parameter is written '@name'")
        return value  # type: ignore[no-any-return]

    def choice(self, key: str, choices: tuple[str, ...], required: bool = True,
               default: str | None = None) -> Any:
        value = self.text(key, required, default)
        if value is not None and value not in choices:
            raise self.error(key, f"une valeur parmi {', '.join(choices)} attendue, reçu "
                             f"{_shown(value)}",
                             f"expected one of {', '.join(choices)}, got {_shown(value)}")
        return value

    def table(self, key: str, required: bool = True) -> TomlTable | None:
        value = self.get(key, (dict,), ("une table { ... }", "a table { ... }"), required)
        return None if value is None else TomlTable(value, self.source, self.at(key))

    def tables(self, key: str) -> list[TomlTable]:
        self.seen.add(key)
        value = self.data.get(key, [])
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(key, "une liste de tables [[...]] attendue",
                             "expected an array of tables [[...]]")
        return [TomlTable(v, self.source, f"{self.at(key)}[{i}]") for i, v in enumerate(value)]

    def localized(self, key: str, required: bool = True,
                  languages: Sequence[Lang] | None = None) -> Text | None:
        """The text ``key = { <language> = "…" }``, written in each of the rule book's
        languages and no other (:meth:`texts`)."""
        table = self.table(key, required)
        if table is None:
            return None
        text = table.texts(languages=languages)
        table.done()
        return text

    def texts(self, *others: str, languages: Sequence[Lang] | None = None) -> Text:
        """This table as a text in the source's languages (or ``languages``, when the file
        is written for a rule book other than its reader's: a calendar file): one non-empty
        string per declared language (a missing one raises); a key of a language the rule
        book does not declare is recorded as a problem (``others``: the table's other keys,
        read by the caller). A language slot the rule book does not declare holds its first
        language's text."""
        if languages is None:
            languages = self.source.languages
        declared = ", ".join(languages)
        for key in self.data:
            if key not in languages and key not in others:
                self.seen.add(key)
                self.source.add(self.error(
                    key, f"langue non déclarée dans [entente] langues : {_shown(key)} "
                    f"(langues déclarées : {declared})", f"language not declared in [entente] "
                    f"langues: {_shown(key)} (declared languages: {declared})",
                    "langue_non_declaree"))
        written: dict[str, str] = {}
        for lang in languages:
            if lang not in self.data:
                self.seen.add(lang)
                raise self.error(lang, f"texte manquant dans la langue « {lang} », déclarée "
                                 f"dans [entente] langues ({declared})", f"missing text in "
                                 f"the language '{lang}', declared in [entente] langues "
                                 f"({declared})", "langue_manquante")
            written[lang] = str(self.text(lang))
        first = written[languages[0]]
        return Text(written.get("fr", first), written.get("en", first))

    def raw(self, key: str) -> Any:
        self.seen.add(key)
        return self.data.get(key)

    def done(self) -> None:
        """Record every key nobody read (each one a problem of its own)."""
        allowed = ", ".join(sorted(self.seen))
        for unknown in sorted(set(self.data) - self.seen):
            self.source.add(self.error(unknown, f"clé inconnue (clés permises : {allowed})",
                                       f"unknown key (allowed keys: {allowed})"))

    def each(self, key: str, build: Callable[[TomlTable], T]) -> Iterator[T]:
        """``build`` on each table of the array ``key``; one that fails is recorded, and the
        others are still read."""
        try:
            items = self.tables(key)
        except RuleFileError as exc:
            self.source.add(exc)
            return
        for item in items:
            built = collecting(self.source, lambda item=item: build(item))  # type: ignore[misc]
            if built is not None:
                yield built


def collecting(source: TomlSource, build: Callable[[], T]) -> T | None:
    """``build()``, or None with its error recorded on ``source``."""
    try:
        return build()
    except RuleFileError as exc:
        source.add(exc)
        return None


def expected_fr(what: str) -> str:
    """« {what} attendu », the participle agreeing with the article ``what`` opens with: « une
    date AAAA-MM-JJ attendue », « un texte attendu », « des dates attendues »; a bare value
    (« true ou false ») or a coordination opened by a masculine noun stays masculine."""
    article = what.split(" ", 1)[0]
    ending = {"une": "e", "la": "e", "des": "s", "les": "s"}.get(article, "")
    if ending == "s" and " " in what:
        noun = what.split(" ", 2)[1]
        ending = "es" if noun in _FEMININE_PLURALS else "s"
    return f"{what} attendu{ending}"


_FEMININE_PLURALS = frozenset({"dates", "valeurs", "listes", "tables", "parties", "clés"})


def _shown(value: object) -> str:
    """A value as the file wrote it: TOML's true/false and dates, Python's repr otherwise."""
    if isinstance(value, bool):
        return str(value).lower()
    text = value.isoformat() if isinstance(value, date | time) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _mismatch(value: object, kinds: tuple[type, ...]) -> tuple[str, str]:
    """A hint for the usual slips: a quoted date, a date with a time of day."""
    if date in kinds and isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return (f" ; le jour {value} n'existe pas", f"; the day {value} does not exist")
        return (" ; retirer les guillemets : une date TOML s'écrit sans guillemets",
                "; remove the quotes: a TOML date is written without quotes")
    if date in kinds and isinstance(value, datetime):
        return (" ; une date seule (AAAA-MM-JJ), sans heure",
                "; a plain date (YYYY-MM-DD), without a time of day")
    if isinstance(value, time):
        return (" ; une heure seule n'est pas une date", "; a time of day is not a date")
    return "", ""
