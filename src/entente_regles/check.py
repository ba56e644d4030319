"""Static analysis of a rule directory, before any event is replayed (``entente-regles check``).

The strict loader (``rulebook``) already refuses what cannot be read; this module looks for
rules that load but cannot work as the agreement says: an event type nobody uses, an
obligation that no event can perform, an article that the agreement does not have, a
deadline that can fall before its trigger, an annex override where the clause does not defer
to the annexes, a deadline form that contradicts the clause's wording, worked examples that
leave a reachable status untested. Each problem is a :class:`Finding` (file, key path, what
is wrong, in French and English, and a stable code). Codes, heuristics and their limits are
documented in ``docs/format-regles.md`` (section « Vérification »).

The checker needs no copy of the agreement at run time: the tables it uses (articles, the
deadline wording and the deferrals to the annexes of each article) are module constants,
derived once from ``entente/entente-globale-de-services.txt`` by
:func:`derive_agreement_tables`; a test re-derives them from the text when it is available.
"""

from __future__ import annotations

import re
import sys
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

import attrs

from .model import ErrorLocation, Lang, RuleFileError, Text, other_party
from .rulebook import (
    VAGUE_STANDARDS,
    VOCABULARY_FILE,
    Norm,
    RuleBook,
    Tests,
    bundled_rules_dir,
    load_each,
)
from .vocabulary import EventType, Vocabulary

# --------------------------------------------------------------------------- the agreement

# Derived once from entente/entente-globale-de-services.txt by derive_agreement_tables()
# (tests/test_check.py re-derives them from the text when it is present and compares).
# Regenerate: python -c "from entente_regles.check import derive_agreement_tables as d;
#   print(d(open('entente-globale-de-services.txt', encoding='utf-8').read()))"
AGREEMENT_ARTICLES: tuple[str, ...] = (
    "1", "2", "3", "3.1", "3.1 a", "3.1 b", "3.1 c", "3.1 d", "3.2", "3.2 a", "3.2 b",
    "3.2 c", "3.2 d", "3.2 e", "3.2 f", "3.2 g", "4", "5", "5.1", "5.1 a", "5.1 b", "5.1 c",
    "5.1 d", "5.1 e", "5.1 f", "5.1 g", "5.2", "5.2 a", "5.2 b", "5.2 c", "5.2 d", "5.2 e",
    "5.2 f", "5.2 g", "5.2 h", "5.2 i", "6", "6.1", "6.1.1", "6.1.2", "6.2", "7", "8", "8.1",
    "8.2", "8.2 a", "8.2 b", "8.2 c", "8.2 d", "8.2 e", "8.2 f", "9", "9.1", "9.2", "9.3",
    "10", "10 a", "10 b", "11", "12", "13", "13.1", "13.1.1", "13.1.2", "13.1.3", "13.2",
    "13.3", "14", "14.1", "14.2", "15",
)
# The deadline wording of each article's own text (sub-articles excluded): a vague standard
# of rulebook.VAGUE_STANDARDS, or "N jours".
ARTICLE_DEADLINES: Mapping[str, tuple[str, ...]] = {
    "3.1 c": ("meilleurs_delais",),
    "3.2 f": ("meilleurs_delais",),
    "5.1 a": ("plus_brefs_delais",),
    "5.2 a": ("plus_brefs_delais",),
    "7": ("immediatement",),
    "8.1": ("meilleurs_delais",),
    "9.3": ("30 jours",),
    "10 a": ("30 jours",),
    "11": ("immediatement",),
    "13.1.1": ("90 jours",),
    "13.1.2": ("plus_brefs_delais", "90 jours"),
    "13.2": ("30 jours",),
    "14.2": ("90 jours",),
}
# Articles whose own text defers to the annexes (see DEFERRAL below).
DEFERRING_ARTICLES: tuple[str, ...] = ("3.2 g", "4", "6.2", "9.1", "9.2", "13.2", "13.3")

# Words by which a clause defers to the annexes. « décrits dans les annexes » (art. 2) and
# « énumérées à l'annexe 2 » (3.1 d) describe or locate, they do not defer.
DEFERRAL = re.compile(
    r"sous r[ée]serve[^.;»]{0,60}annexes|annexes peuvent|(?:pr[ée]vu|pr[ée]cis)\w* aux annexes"
    r"|et aux annexes")
_VAGUE_WORDING = {
    "meilleurs_delais": re.compile(r"meilleurs d[ée]lais"),
    "plus_brefs_delais": re.compile(r"plus brefs d[ée]lais"),
    "immediatement": re.compile(r"imm[ée]diatement"),
}
_DAYS_WORDING = re.compile(r"(\d+) jours")
_HEADING = re.compile(r"^\s*(\d+(?:\.\d+)*)(\.?)\s+\S")
_ITEM = re.compile(r"^\s*([a-z])\)\s")


def normalize(text: str) -> str:
    """Lower case, NFC, typographic apostrophes and spaces made plain, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


@attrs.frozen
class AgreementTables:
    articles: tuple[str, ...]
    deadlines: Mapping[str, tuple[str, ...]]
    deferring: tuple[str, ...]


def split_articles(text: str) -> dict[str, str]:
    """Each article and lettered item of the agreement, with its own text (normalized).

    A heading is a line that starts with the next number in sequence ("3.", "3.1", "6.1.1",
    "13.1.2"), which keeps "90 jours d'un processus…" at the start of a line from passing for
    one; an item is "a) ", "b) "… in order under the current heading.
    """
    own: dict[str, list[str]] = {}
    last_child: dict[str, int] = {"": 0}
    last_item: dict[str, str] = {}
    section: str | None = None
    current: str | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            number, dot = heading.group(1), heading.group(2)
            parts = number.split(".")
            parent = ".".join(parts[:-1])
            if (len(parts) > 1 or dot) and last_child.get(parent, -1) + 1 == int(parts[-1]):
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


def deadline_wording(text: str) -> tuple[str, ...]:
    """The vague standards and "N jours" delays a (normalized) text states, in that order."""
    found = [name for name, pattern in _VAGUE_WORDING.items() if pattern.search(text)]
    for days in _DAYS_WORDING.findall(text):
        if f"{days} jours" not in found:
            found.append(f"{days} jours")
    return tuple(found)


def derive_agreement_tables(text: str) -> AgreementTables:
    """The module's agreement tables, computed from the agreement's text."""
    own = split_articles(text)
    deadlines = {a: w for a, t in own.items() if (w := deadline_wording(t))}
    deferring = tuple(a for a, t in own.items() if DEFERRAL.search(t))
    return AgreementTables(tuple(own), deadlines, deferring)


def _ancestors(article: str) -> list[str]:
    """"3.2 g" -> ["3.2", "3"]; "13.1.2" -> ["13.1", "13"]."""
    out = []
    base = article.split(" ")[0]
    if " " in article:
        out.append(base)
    parts = base.split(".")
    for i in range(len(parts) - 1, 0, -1):
        out.append(".".join(parts[:i]))
    return out


def _descendants(article: str) -> list[str]:
    return [a for a in AGREEMENT_ARTICLES if a.startswith((article + ".", article + " "))]


def wording_of(article: str, with_descendants: bool = True) -> tuple[str, ...]:
    """Deadline wording of ``article`` (and, by default, of its sub-articles)."""
    found = list(ARTICLE_DEADLINES.get(article, ()))
    if with_descendants:
        for sub in _descendants(article):
            found += [w for w in ARTICLE_DEADLINES.get(sub, ()) if w not in found]
    return tuple(found)


def canonical_article(text: str) -> str | None:
    """ "3.1c", "3.1 c)", " 9.3 " -> "3.1 c", "9.3"; None when it does not look like one."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)*)\s*\(?\s*([a-z])?\s*\)?\s*", text)
    if match is None:
        return None
    return match.group(1) + (f" {match.group(2)}" if match.group(2) else "")


# --------------------------------------------------------------------------- findings

CODES: Mapping[str, Text] = {
    "chargement": Text("le chargeur strict refuse le fichier",
                       "the strict loader rejects the file"),
    "evenement_inconnu": Text("type d'événement non déclaré", "undeclared event type"),
    "evenement_inutilise": Text("type d'événement déclaré mais inutilisé",
                                "declared event type used by no rule"),
    "execution_impossible": Text("obligation qu'aucun événement ne peut exécuter (ou violer)",
                                 "obligation no event can perform (or breach)"),
    "declencheur_impossible": Text("déclencheur ou acte qui ne peut jamais s'appliquer",
                                   "trigger or act that can never apply"),
    "montant_incoherent": Text("montant suivi d'un seul côté", "amount tracked on one side only"),
    "identifiant_double": Text("identifiant revendiqué deux fois", "id claimed twice"),
    "article_inconnu": Text("article absent du texte de l'entente",
                            "article not in the agreement's text"),
    "delai_avant_declencheur": Text("échéance qui peut précéder le déclencheur",
                                    "deadline that can fall before its trigger"),
    "parametre_invalide": Text("paramètre inutilisable là où il sert",
                               "parameter unusable where it is used"),
    "renvoi_annexe": Text("renvoi aux annexes incohérent avec la clause (art. 2)",
                          "annex deferral inconsistent with the clause (art. 2)"),
    "citation_introuvable": Text("citation absente du texte de l'article",
                                 "quotation not in the article's text"),
    "delai_incoherent": Text("forme du délai contraire au texte de la clause",
                             "deadline form contrary to the clause's wording"),
    "statuts_non_couverts": Text("statut atteignable qu'aucun exemple n'affirme",
                                 "reachable status no example asserts"),
    "statut_inatteignable": Text("exemple affirmant un statut que la norme ne peut atteindre",
                                 "example asserting a status the norm cannot reach"),
    "reference_inconnue": Text("exemple nommant une obligation inconnue",
                               "example naming an unknown obligation"),
}


@attrs.frozen
class Finding:
    """One problem of a rule directory: where (file, key path), what, and its code."""

    file: str
    key: str
    message_fr: str
    message_en: str
    code: str

    def describe(self, lang: Lang = "fr") -> str:
        if lang == "fr":
            where = f"{self.file}, clé {self.key}" if self.key else self.file
            return f"{where} : {self.message_fr} [{self.code}]"
        where = f"{self.file} [{self.key}]" if self.key else self.file
        return f"{where}: {self.message_en} [{self.code}]"


_DATED_FORMS = ("jours", "fin_periode", "veille_effet")
# Codes of problems the loader's reference checks may also reject (then not repeated).
_LOADER_ENFORCED = ("parametre_invalide", "delai_avant_declencheur")
_LABEL_DAYS = re.compile(r"(\d+) jours")


def _q(value: object) -> str:
    return f"« {value} »"


def _qe(value: object) -> str:
    return f"'{value}'"


class _Checker:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.findings: list[Finding] = []
        self.explained: set[tuple[str, str]] = set()  # (file, loader key) already reported
        self.raw: dict[str, dict[str, Any]] = {}
        self.book: RuleBook | None = None
        self.partial = False
        self.keys: dict[int, str] = {}  # id(norm/power/...) -> key path in its file
        self.norm_ids: dict[tuple[str, str], str] = {}  # (file, "obligation[0]") -> norm id

    # ------------------------------------------------------------------ plumbing
    def add(self, file: str, key: str, code: str, fr: str, en: str) -> None:
        finding = Finding(file, key, fr, en, code)
        if finding not in self.findings:
            self.findings.append(finding)
        if code in _LOADER_ENFORCED:
            # the loader's reference checks name a norm "obligation[<id>]…": same finding
            head, _, rest = key.partition(".")
            norm_id = self.norm_ids.get((file, head))
            if norm_id is not None:
                alias = f"obligation[{norm_id}]"
                self.explained.add((file, alias))
                for part in rest.split(".") if rest else ():
                    alias += f".{part}"
                    self.explained.add((file, alias))

    def run(self) -> list[Finding]:
        errors = self.load()
        self.read_raw()
        if self.book is not None:
            self.raw_event_types(self.book.vocabulary)
        self.raw_ids()
        if self.book is not None:
            self.index(self.book)
            self.semantic(self.book)
        for error in errors:  # after the checks: a load error they explain is not repeated
            file = Path(error.where.file).name
            key = error.where.key or ""
            found_here = {(f.file, f.key) for f in self.findings}
            if (file, key) not in self.explained and (file, key) not in found_here:
                self.add(file, key, "chargement", error.fr, error.en)
        order = {f: i for i, f in enumerate(sorted({f.file for f in self.findings}))}
        return sorted(self.findings, key=lambda f: order[f.file])

    def load(self) -> list[RuleFileError]:
        """Load every file that loads, and report each file's first error."""
        try:
            report = load_each(self.directory)
        except OSError as exc:
            return [RuleFileError(_where(self.directory), f"lecture impossible : {exc}",
                                  f"cannot read: {exc}")]
        self.book = report.book
        self.partial = bool(report.file_errors)
        return list(report.errors)

    def read_raw(self) -> None:
        for path in sorted(self.directory.glob("*.toml")):
            if path.name == VOCABULARY_FILE:
                continue
            try:
                with path.open("rb") as handle:
                    self.raw[path.name] = tomllib.load(handle)
            except (OSError, tomllib.TOMLDecodeError):
                continue

    # ------------------------------------------------------------------ raw pre-pass
    def raw_event_types(self, vocabulary: Vocabulary) -> None:
        """Every event type a rule names is declared (all of them, not just the first)."""
        for file, data in self.raw.items():
            for key, name in _raw_event_refs(data):
                if not isinstance(name, str) or name in vocabulary:
                    continue
                self.explained.add((file, key))
                self.add(file, key, "evenement_inconnu",
                         f"type d'événement {_q(name)} non déclaré dans {VOCABULARY_FILE}",
                         f"event type {_qe(name)} is not declared in {VOCABULARY_FILE}")

    def raw_ids(self) -> None:
        """No two rules claim the same id; no two parameters the same name."""
        # The loader's order: norms (file by file), powers, effects, controls. Permissions
        # come last: the loader does not check their ids, this checker does.
        groups: tuple[tuple[str | None, tuple[str, ...]], ...] = (
            ("obligation", ("obligation", "obligation_continue", "faculte")),
            ("pouvoir", ("pouvoir",)), ("effet", ("effet",)), ("controle", ("controle",)),
            ("demeure", ("demeure",)), (None, ("permission",)))
        claims: list[tuple[str, str, str, str | None]] = []
        for loader_kind, sections in groups:
            for file, data in self.raw.items():
                for section in sections:
                    for i, table in enumerate(_raw_tables(data.get(section))):
                        ident = table.get("id")
                        if isinstance(ident, str):
                            claims.append((ident, file, f"{section}[{i}].id", loader_kind))
        self._duplicates(claims, "identifiant", "id")
        params: list[tuple[str, str, str, str | None]] = [
            (t["nom"], file, f"parametre[{i}].nom", None)
            for file, data in self.raw.items()
            for i, t in enumerate(_raw_tables(data.get("parametre")))
            if isinstance(t.get("nom"), str)]
        self._duplicates(params, "paramètre", "parameter")

    def _duplicates(self, claims: list[tuple[str, str, str, str | None]], fr: str,
                    en: str) -> None:
        first: dict[str, tuple[str, str]] = {}
        for ident, file, key, loader_kind in claims:
            if ident not in first:
                first[ident] = (file, key)
                continue
            where = first[ident]
            if loader_kind is not None:
                self.explained.add((file, f"{loader_kind}.id"))
            self.add(file, key, "identifiant_double",
                     f"{fr} {_q(ident)} déjà revendiqué par {where[0]} [{where[1]}]",
                     f"{en} {_qe(ident)} already claimed by {where[0]} [{where[1]}]")

    # ------------------------------------------------------------------ semantic checks
    def index(self, book: RuleBook) -> None:
        for f in book.files:
            counts = {"obligation": 0, "continue": 0, "faculte": 0}
            sections = {"obligation": "obligation", "continue": "obligation_continue",
                        "faculte": "faculte"}
            for norm in f.norms:
                section = sections[norm.kind]
                self.keys[id(norm)] = f"{section}[{counts[norm.kind]}]"
                self.norm_ids[(f.path, self.keys[id(norm)])] = norm.id
                counts[norm.kind] += 1
            for i, power in enumerate(f.powers):
                self.keys[id(power)] = f"pouvoir[{i}]"
            for i, effect in enumerate(f.effects):
                self.keys[id(effect)] = f"effet[{i}]"
            for i, control in enumerate(f.controls):
                self.keys[id(control)] = f"controle[{i}]"

    def semantic(self, book: RuleBook) -> None:
        if not self.partial:
            self.unused_events(book)
        self.articles(book)
        self.parameters(book)
        for norm in book.norms:
            self.performable(book, norm)
            self.triggerable(book, norm)
            self.deadline_after_trigger(book, norm)
            self.deadline_wording(book, norm)
        self.acts_of_powers(book)
        self.annex_deferral(book)
        self.examples(book)

    def unused_events(self, book: RuleBook) -> None:
        used = set(_used_events(book))
        for name in book.vocabulary.types:
            if name not in used:
                self.add(VOCABULARY_FILE, f"evenement.{name}", "evenement_inutilise",
                         f"type d'événement {_q(name)} déclaré mais utilisé par aucune règle "
                         "(déclencheur, exécution, extinction, violation, pouvoir, effet, "
                         "contrôle)",
                         f"event type {_qe(name)} is declared but no rule uses it (trigger, "
                         "performance, extinction, breach, power, effect, control)")

    # -- articles
    def articles(self, book: RuleBook) -> None:
        for f in book.files:
            self.article(f.path, "article", f.article)
            cited: list[tuple[str, str]] = []
            cited += [(f"{self.keys[id(n)]}.article", n.article) for n in f.norms]
            cited += [(f"{self.keys[id(p)]}.article", p.article) for p in f.powers]
            cited += [(f"{self.keys[id(e)]}.article", e.article) for e in f.effects]
            cited += [(f"{self.keys[id(c)]}.article", c.article) for c in f.controls]
            cited += [(f"permission[{i}].article", p.article)
                      for i, p in enumerate(f.permissions)]
            cited += [(f"parametre[{i}].article", p.article) for i, p in enumerate(f.parameters)]
            cited += [(f"non_encode[{i}].article", u.article) for i, u in enumerate(f.unencoded)]
            cited += [(f"renvoi[{i}].article", r.article)
                      for i, r in enumerate(getattr(f, "cross_references", ()))]
            if f.precedence is not None:
                cited.append(("preseance.article", f.precedence.article))
            for key, article in cited:
                if article != f.article:  # the file's own article is checked once above
                    self.article(f.path, key, article)
        for name, spec in book.vocabulary.types.items():
            for i, article in enumerate(spec.articles):
                self.article(VOCABULARY_FILE, f"evenement.{name}.articles[{i}]", article)

    def article(self, file: str, key: str, article: str) -> None:
        if article in AGREEMENT_ARTICLES:
            return
        canonical = canonical_article(article)
        if canonical is not None and canonical in AGREEMENT_ARTICLES:
            fr_hint, en_hint = f" : écrire {_q(canonical)}", f": write {_qe(canonical)}"
        else:
            fr_hint = en_hint = ""
        self.add(file, key, "article_inconnu",
                 f"l'article {_q(article)} n'existe pas dans le texte de l'entente{fr_hint}",
                 f"article {_qe(article)} does not exist in the agreement's text{en_hint}")

    # -- parameters
    def param(self, book: RuleBook, value: int | str | None) -> int | None:
        """The integer a deadline, period or notice uses (None: unknown or not an integer)."""
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            param = book.parameters.get(value[1:])
            if param is not None and isinstance(param.value, int) \
                    and not isinstance(param.value, bool):
                return param.value
        return None

    def parameters(self, book: RuleBook) -> None:
        sites: list[tuple[str, str, int | str | None, str]] = []
        for norm in book.norms:
            key = self.keys[id(norm)]
            if norm.deadline is not None and norm.deadline.form == "jours":
                sites.append((norm.file, f"{key}.delai.jours", norm.deadline.days, "jours"))
            if norm.trigger.kind == "periode" and not norm.trigger.period_year:
                sites.append((norm.file, f"{key}.declencheur.periode.mois",
                              norm.trigger.period_months, "mois"))
        for power in book.powers:
            if power.notice is not None:
                sites.append((power.file, f"{self.keys[id(power)]}.preavis.jours",
                              power.notice.days, "jours"))
        for file, key, value, unit in sites:
            if isinstance(value, str):
                param = book.parameters.get(value[1:])
                if param is None:
                    continue  # the loader reports unknown parameters
                if not isinstance(param.value, int) or isinstance(param.value, bool):
                    self.add(file, key, "parametre_invalide",
                             f"le paramètre {value} vaut {param.value!r} ({param.file}) : un "
                             "nombre entier est attendu ici",
                             f"parameter {value} is {param.value!r} ({param.file}): an integer "
                             "is expected here")
                    continue
            number = self.param(book, value)
            if number is None:
                continue
            if unit == "jours" and number < 0:
                self.add(file, key, "delai_avant_declencheur",
                         f"{number} jours : un délai négatif tombe avant son point de départ",
                         f"{number} days: a negative delay falls before its starting point")
            if unit == "mois" and number < 1:
                self.add(file, key, "parametre_invalide",
                         f"une période de {number} mois ne se termine jamais (au moins 1)",
                         f"a period of {number} months never ends (at least 1)")

    # -- performance
    def key_kind(self, book: RuleBook, norm: Norm, seen: frozenset[str] = frozenset()
                 ) -> str | None:
        """What an instance's key is: a field kind, "partie", None (no key) or "?"."""
        trig = norm.trigger
        if trig.kind == "evenement":
            if trig.key_field is None or trig.event is None:
                return None
            spec = book.vocabulary.types[trig.event].fields.get(trig.key_field)
            return spec.kind if spec is not None else "?"
        if trig.kind == "periode":
            return "exercice" if trig.period_year else "periode"
        if trig.kind == "consequence":
            source = _norm(book, trig.source_norm)
            if source is None or source.id in seen:
                return "?"
            return self.key_kind(book, source, seen | {norm.id})
        if trig.per_party or norm.debtor in ("mcn", "client"):
            return "partie"
        return None

    def debtors(self, book: RuleBook, norm: Norm) -> set[str] | None:
        """The parties that can be this norm's debtor (None: any, or both together)."""
        trig = norm.trigger
        if trig.kind == "entree_en_vigueur" and trig.per_party:
            return {"mcn", "client"}
        if norm.debtor in ("mcn", "client"):
            return {norm.debtor}
        if norm.debtor == "parties" or trig.event is None:
            return None
        actors = _actors(book.vocabulary.types[trig.event], trig.party, trig.tests)
        return actors if norm.debtor == "auteur" else {other_party(a) for a in actors}

    def performable(self, book: RuleBook, norm: Norm) -> None:
        key = self.keys[id(norm)]
        if norm.kind == "obligation" and not norm.performances and norm.on_expiry is None:
            self.add(norm.file, f"{key}.execution", "execution_impossible",
                     f"{_q(norm.id)} : aucune exécution ; l'obligation ne peut jamais être "
                     "satisfaite (sans exécution, seule une norme avec a_echeance est admise)",
                     f"'{norm.id}': no performance; the obligation can never be satisfied "
                     "(only a norm with a_echeance may have none)")
        if norm.kind == "continue" and not norm.violations:
            self.add(norm.file, f"{key}.violation", "execution_impossible",
                     f"{_q(norm.id)} : obligation continue sans violation ; elle ne peut jamais "
                     "être violée (p. ex. violation = [{ evenement = \"manquement\", si = { "
                     "norme = \"…\" } }])",
                     f"'{norm.id}': continuing obligation with no violation; it can never be "
                     "breached (e.g. violation = [{ evenement = \"manquement\", … }])")
        instance_kind = self.key_kind(book, norm)
        debtors = self.debtors(book, norm)
        for section, acts in (("execution", norm.performances), ("extinction", norm.extinctions),
                              ("violation", norm.violations)):
            for i, act in enumerate(acts):
                where = f"{key}.{section}[{i}]"
                spec = book.vocabulary.types.get(act.event)
                if spec is None:
                    continue
                self.act_tests(norm.file, where, spec, act.tests)
                act_kind = "partie" if act.key_field == "par" else \
                    (spec.fields[act.key_field].kind if act.key_field in spec.fields else "?")
                if instance_kind is None:
                    self.add(norm.file, where, "execution_impossible",
                             f"{_q(norm.id)} : l'instance n'a pas de clé (déclencheur sans "
                             f"« cle », ou débiteur « parties » à l'entrée en vigueur sans "
                             f"pour_chaque_partie) : {_q(act.event)} ne peut jamais s'y "
                             "rattacher",
                             f"'{norm.id}': the instance has no key (trigger without 'cle', or "
                             "debtor 'parties' at entry into force without pour_chaque_partie): "
                             f"'{act.event}' can never be joined to it")
                elif "?" not in (instance_kind, act_kind) and instance_kind != act_kind:
                    field = "par" if act.key_field == "par" else f"cle = {act.key_field!r}"
                    self.add(norm.file, where, "execution_impossible",
                             f"{_q(norm.id)} : la clé de l'instance est de nature "
                             f"{_q(instance_kind)}, mais {act.event} la cherche dans {field} "
                             f"(nature {_q(act_kind)}) : les valeurs ne se rencontrent jamais",
                             f"'{norm.id}': the instance key is of kind '{instance_kind}', but "
                             f"{act.event} looks for it in {field} (kind '{act_kind}'): the "
                             "values never meet")
                if act.by == "debiteur" and norm.debtor != "parties" and debtors is not None:
                    can_act = _actors(spec, None, act.tests)
                    if not debtors & can_act:
                        self.add(norm.file, where, "execution_impossible",
                                 f"{_q(norm.id)} : le débiteur ({', '.join(sorted(debtors))}) "
                                 f"ne peut pas produire {_q(act.event)} (par : "
                                 f"{', '.join(sorted(can_act)) or 'personne'}) ; "
                                 "par = \"parties\" si l'autre partie peut l'accomplir",
                                 f"'{norm.id}': the debtor ({', '.join(sorted(debtors))}) cannot "
                                 f"produce '{act.event}' (by: "
                                 f"{', '.join(sorted(can_act)) or 'nobody'}); use "
                                 "par = \"parties\" if the other party may do it")
        self.amounts(book, norm, key)

    def amounts(self, book: RuleBook, norm: Norm, key: str) -> None:
        tracked = norm.trigger.amount_field is not None
        if norm.trigger.kind != "evenement":
            return
        for i, act in enumerate(norm.performances):
            where = f"{key}.execution[{i}].montant"
            if act.amount_field is not None and not tracked:
                self.add(norm.file, where, "montant_incoherent",
                         f"{_q(norm.id)} : l'exécution porte un montant, mais le déclencheur "
                         "n'en porte pas : un paiement partiel exécuterait toute l'obligation",
                         f"'{norm.id}': the performance carries an amount but the trigger does "
                         "not: a partial payment would perform the whole obligation")
            if act.amount_field is None and tracked:
                self.add(norm.file, where, "montant_incoherent",
                         f"{_q(norm.id)} : le déclencheur porte un montant, mais {act.event} "
                         "l'exécute sans montant : le solde ne baisserait jamais",
                         f"'{norm.id}': the trigger carries an amount but {act.event} performs "
                         "it without one: the balance would never go down")

    def act_tests(self, file: str, where: str, spec: EventType,
                  tests: Tests) -> None:
        for name, value in tests:
            if name == "par":
                ok = value in spec.parties
                expected_fr = f"une partie parmi {', '.join(spec.parties)}"
                expected_en = f"a party among {', '.join(spec.parties)}"
            else:
                field = spec.fields.get(name)
                if field is None:
                    continue
                ok = isinstance(value, bool) == (field.kind == "booleen")
                expected_fr = "true ou false" if field.kind == "booleen" else "un texte"
                expected_en = "true or false" if field.kind == "booleen" else "a string"
            if not ok:
                self.add(file, f"{where}.si.{name}", "declencheur_impossible",
                         f"le test {name} = {value!r} ne peut jamais être vrai pour "
                         f"{_q(spec.name)} ({expected_fr} attendu)",
                         f"the test {name} = {value!r} can never hold for '{spec.name}' "
                         f"(expected {expected_en})")

    # -- triggers
    def triggerable(self, book: RuleBook, norm: Norm) -> None:
        key = self.keys[id(norm)]
        trig = norm.trigger
        if trig.kind == "evenement" and trig.event is not None:
            spec = book.vocabulary.types[trig.event]
            self.act_tests(norm.file, f"{key}.declencheur", spec, trig.tests)
            if trig.party is not None and trig.party not in spec.parties:
                self.add(norm.file, f"{key}.declencheur.par", "declencheur_impossible",
                         f"{_q(norm.id)} : par = {trig.party!r}, mais {_q(spec.name)} n'est "
                         f"produit que par {', '.join(spec.parties)} : elle ne naît jamais",
                         f"'{norm.id}': par = {trig.party!r}, but '{spec.name}' is only "
                         f"produced by {', '.join(spec.parties)}: it never arises")
        if trig.kind == "consequence":
            source = _norm(book, trig.source_norm)
            if source is not None and (source.deadline is None
                                       or source.deadline.form not in _DATED_FORMS):
                self.add(norm.file, f"{key}.declencheur.consequence_de",
                         "declencheur_impossible",
                         f"{_q(norm.id)} naît à l'échéance de {_q(source.id)}, qui n'a pas "
                         "d'échéance datée : elle ne naît jamais",
                         f"'{norm.id}' arises when '{source.id}' expires, which has no dated "
                         "deadline: it never arises")

    def acts_of_powers(self, book: RuleBook) -> None:
        for power in book.powers:
            key = self.keys[id(power)]
            spec = book.vocabulary.types.get(power.event)
            if spec is None:
                continue
            self.act_tests(power.file, f"{key}.acte", spec, power.tests)
            if power.holder != "parties" and power.holder not in spec.parties:
                self.add(power.file, f"{key}.titulaire", "declencheur_impossible",
                         f"{_q(power.id)} : le titulaire {power.holder} ne peut pas produire "
                         f"{_q(power.event)} (par : {', '.join(spec.parties)})",
                         f"'{power.id}': the holder {power.holder} cannot produce "
                         f"'{power.event}' (by: {', '.join(spec.parties)})")
        for effect in book.effects:
            spec = book.vocabulary.types.get(effect.event)
            if spec is not None:
                self.act_tests(effect.file, self.keys[id(effect)], spec, effect.tests)

    # -- deadlines and their trigger
    def deadline_after_trigger(self, book: RuleBook, norm: Norm) -> None:
        spec = norm.deadline
        if spec is None:
            return
        key = self.keys[id(norm)]
        trig = norm.trigger
        where = f"{key}.delai"
        if spec.form == "jours" and spec.since not in ("date", "reception") \
                and trig.kind == "evenement":
            self.add(norm.file, f"{where}.depuis", "delai_avant_declencheur",
                     f"{_q(norm.id)} : compté depuis le champ {_q(spec.since)}, l'échéance "
                     "précède le déclencheur dès que cette date est plus ancienne que "
                     "l'événement de plus du délai ; le moteur ne l'empêche pas",
                     f"'{norm.id}': counted from the field '{spec.since}', the deadline falls "
                     "before the trigger whenever that date is older than the event by more "
                     "than the delay; the engine does not prevent it")
        if spec.form == "jours" and spec.since != "date" and trig.kind == "consequence":
            self.add(norm.file, f"{where}.depuis", "delai_avant_declencheur",
                     f"{_q(norm.id)} naît à l'échéance d'une autre norme, mais son délai court "
                     f"depuis {_q(spec.since)} de l'événement d'origine : il peut être expiré "
                     "avant même qu'elle naisse (depuis = \"date\" : sa naissance)",
                     f"'{norm.id}' arises when another norm expires, but its delay runs from "
                     f"the original event's '{spec.since}': it may run out before it even "
                     "arises (depuis = \"date\": its birth)")
        if spec.form == "fin_periode":
            if trig.kind != "periode":
                self.add(norm.file, where, "delai_avant_declencheur",
                         f"{_q(norm.id)} : fin_periode exige un déclencheur périodique "
                         f"(déclencheur : {trig.kind})",
                         f"'{norm.id}': fin_periode needs a periodic trigger "
                         f"(trigger: {trig.kind})")
            elif trig.birth != "debut":
                self.add(norm.file, where, "delai_avant_declencheur",
                         f"{_q(norm.id)} : naît le lendemain de la fin de sa période mais "
                         "échoit le dernier jour de celle-ci, la veille de sa naissance "
                         "(naissance = \"debut\")",
                         f"'{norm.id}': arises the day after its period ends but is due on the "
                         "period's last day, the day before it arises (naissance = \"debut\")")
        if spec.form == "veille_effet":
            self.day_before_effect(book, norm, where)
        if norm.on_expiry is not None and spec.form not in _DATED_FORMS:
            self.add(norm.file, f"{key}.a_echeance", "delai_incoherent",
                     f"{_q(norm.id)} : a_echeance sans échéance datée (délai {spec.form}) : "
                     "l'instance ne s'éteint jamais à échéance",
                     f"'{norm.id}': a_echeance without a dated deadline ({spec.form}): the "
                     "instance never lapses")

    def day_before_effect(self, book: RuleBook, norm: Norm, where: str) -> None:
        trig = norm.trigger
        powers = [p for p in book.powers if p.event == trig.event]
        if not powers:
            return  # the loader reports it
        tests = set(trig.tests) | ({("par", trig.party)} if trig.party else set())
        covering = [p for p in powers if set(p.tests) <= tests]
        if not covering:
            self.add(norm.file, where, "delai_avant_declencheur",
                     f"{_q(norm.id)} : veille_effet, mais le déclencheur peut naître d'un "
                     f"{_q(trig.event)} qu'aucun pouvoir n'exerce (ses tests « si » doivent "
                     "inclure ceux du pouvoir) : pas de date d'effet",
                     f"'{norm.id}': veille_effet, but the trigger can arise from a "
                     f"'{trig.event}' that no power exercises (its 'si' tests must include the "
                     "power's): no effective date")
        for power in covering:
            days = None if power.notice is None else self.param(book, power.notice.days)
            if power.notice is None or (days is not None and days < 1):
                self.add(norm.file, where, "delai_avant_declencheur",
                         f"{_q(norm.id)} : veille_effet sur le pouvoir {_q(power.id)}, sans "
                         "préavis d'au moins un jour : la prise d'effet peut être le jour même, "
                         "et l'échéance la veille du déclencheur",
                         f"'{norm.id}': veille_effet on power '{power.id}', with no notice of "
                         "at least one day: it may take effect the same day, and the deadline "
                         "fall the day before the trigger")

    # -- vague standards and numeric delays against the clause's words
    def deadline_wording(self, book: RuleBook, norm: Norm) -> None:
        if norm.kind != "obligation" or norm.article not in AGREEMENT_ARTICLES:
            return
        key = self.keys[id(norm)]
        spec = norm.deadline
        form = spec.form if spec is not None else None
        words = wording_of(norm.article)
        own = wording_of(norm.article, with_descendants=False)
        said_fr = ", ".join(_show_wording(w) for w in words) or "aucun délai"
        where = f"{key}.delai"
        if spec is not None and form == "norme" and spec.standard != "sans_delai":
            if spec.standard not in words:
                self.add(norm.file, where, "delai_incoherent",
                         f"{_q(norm.id)} : norme {_q(spec.standard)}, mais l'art. "
                         f"{norm.article} dit : {said_fr}",
                         f"'{norm.id}': standard '{spec.standard}', but art. {norm.article} "
                         f"says: {said_fr}")
        elif form in (None, "norme") and own:
            chosen = "norme sans_delai" if form else "aucun délai"
            self.add(norm.file, where, "delai_incoherent",
                     f"{_q(norm.id)} : {chosen}, mais l'art. {norm.article} dit : {said_fr}",
                     f"'{norm.id}': no time limit stipulated, but art. {norm.article} says: "
                     f"{said_fr}")
        elif spec is not None and form == "jours":
            days = self.param(book, spec.days)
            if days is not None and f"{days} jours" not in words:
                self.add(norm.file, where, "delai_incoherent",
                         f"{_q(norm.id)} : délai de {days} jours, mais l'art. {norm.article} "
                         f"dit : {said_fr}",
                         f"'{norm.id}': a {days}-day delay, but art. {norm.article} says: "
                         f"{said_fr}")
        label = normalize(norm.label.fr)
        vague_in_label = [n for n, p in _VAGUE_WORDING.items() if p.search(label)]
        days_in_label = _LABEL_DAYS.findall(label)
        if vague_in_label and (form != "norme" or spec is None
                               or spec.standard not in vague_in_label):
            self.add(norm.file, f"{key}.libelle", "delai_incoherent",
                     f"{_q(norm.id)} : le libellé dit {_show_wording(vague_in_label[0])}, le "
                     f"délai est {_describe_deadline(book, self, norm)}",
                     f"'{norm.id}': the label says {vague_in_label[0]}, the deadline is "
                     f"{_describe_deadline(book, self, norm)}")
        if days_in_label and (form != "jours" or spec is None
                              or str(self.param(book, spec.days)) not in days_in_label):
            self.add(norm.file, f"{key}.libelle", "delai_incoherent",
                     f"{_q(norm.id)} : le libellé dit {days_in_label[0]} jours, le délai est "
                     f"{_describe_deadline(book, self, norm)}",
                     f"'{norm.id}': the label says {days_in_label[0]} days, the deadline is "
                     f"{_describe_deadline(book, self, norm)}")

    # -- annexes (art. 2)
    def annex_deferral(self, book: RuleBook) -> None:
        texts = {f.path: normalize(f.text) for f in book.files}
        for f in book.files:
            for i, param in enumerate(f.parameters):
                key = f"parametre[{i}]"
                source = normalize(param.source)
                defers = DEFERRAL.search(source) is not None
                if param.annex_may_override and not defers:
                    self.add(f.path, f"{key}.source", "renvoi_annexe",
                             f"{_q(param.name)} : annexe_peut_preciser = true, mais la source ne "
                             "cite aucun renvoi aux annexes (« sous réserve de … annexes », "
                             "« prévues aux annexes »…)",
                             f"'{param.name}': annexe_peut_preciser = true, but the source "
                             "quotes no deferral to the annexes")
                if param.annex_may_override and param.article in AGREEMENT_ARTICLES and not any(
                        a in DEFERRING_ARTICLES for a in [param.article, *_ancestors(
                            param.article)]):
                    subs = [a for a in _descendants(param.article) if a in DEFERRING_ARTICLES]
                    hint_fr = hint_en = ""
                    if subs:
                        verb = "y renvoient" if len(subs) > 1 else "y renvoie"
                        hint_fr = (f" (l'art. {', '.join(subs)} {verb} : préciser "
                                   f"article = {_q(subs[0])} ?)")
                        hint_en = (f" (art. {', '.join(subs)} does: set "
                                   f"article = '{subs[0]}'?)")
                    self.add(f.path, f"{key}.annexe_peut_preciser", "renvoi_annexe",
                             f"{_q(param.name)} : l'art. {param.article} ne renvoie pas aux "
                             f"annexes ; une annexe ne peut pas y déroger (art. 2){hint_fr}",
                             f"'{param.name}': art. {param.article} does not defer to the "
                             f"annexes; an annex cannot override it (art. 2){hint_en}")
                if not param.annex_may_override and defers:
                    self.add(f.path, f"{key}.annexe_peut_preciser", "renvoi_annexe",
                             f"{_q(param.name)} : la source cite un renvoi aux annexes, mais "
                             "annexe_peut_preciser = false",
                             f"'{param.name}': the source quotes a deferral to the annexes, but "
                             "annexe_peut_preciser = false")
                for quote in _quotes(param.source):
                    if quote not in texts[f.path]:
                        self.add(f.path, f"{key}.source", "citation_introuvable",
                                 f"{_q(param.name)} : {_q(quote)} ne figure pas dans le texte "
                                 "cité du fichier (clé texte)",
                                 f"'{param.name}': '{quote}' is not in the file's quoted text "
                                 "(key texte)")
        strict = [p for p in book.parameters.values() if not p.annex_may_override]
        if strict and book.precedence is None and not self.partial:
            self.add(strict[0].file, "preseance", "renvoi_annexe",
                     "des paramètres ne renvoient pas aux annexes, mais aucun fichier ne "
                     "déclare [preseance] : une annexe contraire serait écartée sans citer "
                     "l'article qui le veut",
                     "some parameters do not defer to the annexes, but no file declares "
                     "[preseance]: a contrary annex would be set aside without citing why")

    # -- examples
    def reachable(self, book: RuleBook, norm: Norm) -> dict[str, str]:
        """Each status the norm can reach, with how (for messages)."""
        ends = _ending_actions(book)
        dated = norm.deadline is not None and norm.deadline.form in _DATED_FORMS
        out: dict[str, str] = {}
        if norm.kind == "faculte":
            out["ouverte"] = "ouverture de la fenêtre"
            if norm.performances:
                out["exercee"] = "exercice"
            closes = [w for w, ok in (("fenêtre close", dated),
                                      ("résiliation", "fin_entente" in ends),
                                      ("retrait du service", norm.service_field is not None
                                       and "fin_service" in ends)) if ok]
            if closes:
                out["expiree"] = " ou ".join(closes)
            return out
        if norm.kind == "continue":
            out["en_vigueur"] = "naissance"
            if norm.violations:
                out["violee"] = "violation"
        else:
            out["a_echoir"] = "naissance"
            if norm.performances:
                out["satisfaite"] = "exécution à temps"
            if dated and norm.on_expiry is None:
                out["en_retard"] = "échéance passée"
                if norm.performances:
                    out["satisfaite_en_retard"] = "exécution après l'échéance"
            elif book.demands:  # only a demand or a recorded breach can make it late
                out["en_retard"] = _BY_DEMAND
                if norm.performances:
                    out["satisfaite_en_retard"] = _BY_DEMAND
        ways = []
        if norm.extinctions:
            ways.append("extinction")
        if dated and norm.lapses:
            ways.append("a_echeance")
        if not norm.survives_termination and "fin_entente" in ends:
            ways.append("résiliation")
        if norm.service_field is not None and not norm.survives_withdrawal \
                and "fin_service" in ends:
            ways.append("retrait du service")
        if ways:
            out["eteinte"] = " ou ".join(ways)
        return out

    def examples(self, book: RuleBook) -> None:
        norms = {n.id: n for n in book.norms}
        for f in book.files:
            asserted: dict[str, set[str]] = {}
            for ex in f.examples:
                for j, exp in enumerate(ex.expected):
                    where = f"exemple[{ex.index}].attendu[{j}]"
                    norm = norms.get(exp.norm)
                    if norm is None and self.partial:
                        continue  # it may be declared in a file that did not load
                    if norm is None:
                        self.add(f.path, f"{where}.obligation", "reference_inconnue",
                                 f"exemple {_q(ex.name)} : obligation inconnue {_q(exp.norm)}",
                                 f"example '{ex.name}': unknown obligation '{exp.norm}'")
                        continue
                    if exp.status is not None:
                        asserted.setdefault(norm.id, set()).add(exp.status)
                        can = self.reachable(book, norm)
                        shown = ", ".join(s for s in _ORDER if s in can)
                        if exp.status not in can and not self.partial:
                            self.add(f.path, f"{where}.statut", "statut_inatteignable",
                                     f"exemple {_q(ex.name)} : {_q(norm.id)} ne peut pas être "
                                     f"{_q(exp.status)} (atteignables : {shown})",
                                     f"example '{ex.name}': '{norm.id}' cannot be "
                                     f"'{exp.status}' (reachable: {shown})")
                    dated = norm.deadline is not None and norm.deadline.form in _DATED_FORMS
                    if norm.kind == "obligation" and book.demands:
                        dated = True  # a demand fixes a deadline on any obligation to act
                    if exp.deadline is not None and not dated:
                        self.add(f.path, f"{where}.echeance", "delai_incoherent",
                                 f"exemple {_q(ex.name)} : {_q(norm.id)} n'a pas d'échéance "
                                 "datée",
                                 f"example '{ex.name}': '{norm.id}' has no dated deadline")
                    vague = norm.deadline is not None and norm.deadline.form == "norme"
                    if exp.policy_late is not None and not vague:
                        self.add(f.path, f"{where}.retard_politique", "delai_incoherent",
                                 f"exemple {_q(ex.name)} : {_q(norm.id)} n'a pas de norme vague "
                                 "à laquelle une politique attacherait un délai",
                                 f"example '{ex.name}': '{norm.id}' has no vague standard for "
                                 "a policy to attach a deadline to")
            for norm in f.norms:
                reach = self.reachable(book, norm)
                missing = [s for s in _ORDER if s in reach and reach[s] != _BY_DEMAND
                           and s not in asserted.get(norm.id, set())]
                if missing:
                    how_fr = ", ".join(f"{s} ({reach[s]})" for s in missing)
                    self.add(f.path, self.keys[id(norm)], "statuts_non_couverts",
                             f"{_q(norm.id)} peut être {how_fr}, mais aucun exemple de "
                             f"{f.path} ne l'affirme",
                             f"'{norm.id}' can be {', '.join(missing)}, but no example of "
                             f"{f.path} asserts it")


_ORDER = ("a_echoir", "en_retard", "satisfaite", "satisfaite_en_retard", "en_vigueur",
          "violee", "eteinte", "ouverte", "exercee", "expiree")
# Statuses every obligation to act can reach through the rulebook's [[demeure]] rules: the
# demeure's own examples cover them, each norm's file need not.
_BY_DEMAND = "mise en demeure ou manquement constaté"


def _where(path: Path) -> ErrorLocation:
    return ErrorLocation(str(path))


def _raw_tables(value: object) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def _raw_event_refs(data: Mapping[str, Any]) -> Iterator[tuple[str, object]]:
    """(loader key path, event type name) of every event type a raw rule file names."""
    for section in ("obligation", "obligation_continue"):
        for i, norm in enumerate(_raw_tables(data.get(section))):
            trig = norm.get("declencheur")
            if isinstance(trig, dict) and "evenement" in trig:
                yield f"{section}[{i}].declencheur.evenement", trig["evenement"]
            for act_key in ("execution", "extinction", "violation"):
                for j, act in enumerate(_raw_tables(norm.get(act_key))):
                    if "evenement" in act:
                        yield f"{section}[{i}].{act_key}[{j}].evenement", act["evenement"]
    for i, power in enumerate(_raw_tables(data.get("pouvoir"))):
        deed = power.get("acte")
        if isinstance(deed, dict) and "evenement" in deed:
            yield f"pouvoir[{i}].acte.evenement", deed["evenement"]
    for section in ("effet", "controle"):
        for i, table in enumerate(_raw_tables(data.get(section))):
            if "evenement" in table:
                yield f"{section}[{i}].evenement", table["evenement"]


def _used_events(book: RuleBook) -> Iterable[str]:
    for norm in book.norms:
        if norm.trigger.event is not None:
            yield norm.trigger.event
        for act in (*norm.performances, *norm.extinctions, *norm.violations):
            yield act.event
    yield from (p.event for p in book.powers)
    yield from (e.event for e in book.effects)
    yield from (c.event for c in book.controls)
    yield from (d.event for d in book.demands)


def _ending_actions(book: RuleBook) -> set[str]:
    return {p.effect.action for p in book.powers} | {e.effect.action for e in book.effects}


def _norm(book: RuleBook, norm_id: str | None) -> Norm | None:
    return next((n for n in book.norms if n.id == norm_id), None)


def _actors(spec: EventType, party: str | None,
            tests: Tests) -> set[str]:
    actors = set(spec.parties)
    if party is not None:
        actors &= {party}
    for name, value in tests:
        if name == "par":
            actors &= {str(value)}
    return actors


def _quotes(source: str) -> list[str]:
    """The fragments quoted « … » in a source, split at ellipses, normalized."""
    out = []
    for quoted in re.findall(r"«([^»]*)»", source):
        for fragment in re.split(r"…|\.\.\.|\[…\]|\[\.\.\.\]", quoted):
            text = normalize(fragment).strip(" ,;:.")
            if len(text) >= 3:
                out.append(text)
    return out


def _show_wording(word: str) -> str:
    if word in VAGUE_STANDARDS:
        return _q(VAGUE_STANDARDS[word].fr)
    return _q(word)


def _describe_deadline(book: RuleBook, checker: _Checker, norm: Norm) -> str:
    spec = norm.deadline
    if spec is None:
        return "absent"
    if spec.form == "jours":
        return f"{checker.param(book, spec.days)} jours"
    if spec.form == "norme":
        return f"norme {spec.standard}"
    return spec.form


# --------------------------------------------------------------------------- entry points


def check_directory(path: str | Path) -> list[Finding]:
    """Every finding of the rule directory ``path`` (empty: nothing to report)."""
    return _Checker(Path(path)).run()


def main(path: str | None = None, lang: Lang = "fr", out: TextIO | None = None) -> int:
    """Print one line per finding; 1 if there is any, else 0. ``None``: the bundled rules."""
    stream = out if out is not None else sys.stdout
    directory = Path(path) if path is not None else bundled_rules_dir()
    findings = check_directory(directory)
    for finding in findings:
        stream.write(finding.describe(lang) + "\n")
    if lang == "fr":
        summary = (f"{len(findings)} constat(s) dans {directory}" if findings
                   else f"aucun constat dans {directory}")
    else:
        summary = (f"{len(findings)} finding(s) in {directory}" if findings
                   else f"no findings in {directory}")
    stream.write(summary + "\n")
    return 1 if findings else 0


if __name__ == "__main__":  # python -m entente_regles.check [RULES_DIR]
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else None))

__all__ = [
    "AGREEMENT_ARTICLES", "ARTICLE_DEADLINES", "CODES", "DEFERRING_ARTICLES", "AgreementTables",
    "Finding", "check_directory", "derive_agreement_tables", "main", "split_articles",
]
