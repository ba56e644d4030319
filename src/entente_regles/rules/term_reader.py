"""Reading an agreement's term (``[terme]``, in the vocabulary file or, key by key over the
rule book's, in an agreement file) and its end by performance (``[fin_par_execution]``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs

from entente_regles.core.errors import RuleFileError
from entente_regles.core.values import Text
from entente_regles.rules.norms import EffectAction, Norm, Power
from entente_regles.rules.toml_tables import TomlSource, TomlTable
from entente_regles.rules.vocabulary import MONTH_ROUNDINGS, PerformanceEnd, Term, Vocabulary

TERM_KEY = "terme"
PERFORMANCE_KEY = "fin_par_execution"
UNLIMITED = "illimite"
MAX_TERM_MONTHS = 1200  # a hundred years: beyond any term of a services agreement
_MONTHS = Text("mois", "months")


def read_term(root: TomlTable, base: Term | None = None) -> Term | None:
    """``[terme]`` of ``root`` (None when absent). ``base``: the rule book's term, which an
    agreement file's keys override one by one (then every key is optional)."""
    table = root.table(TERM_KEY, required=False)
    if table is None:
        return base
    need = base is None
    found: dict[str, Any] = {}
    if "article" in table.data or need:
        found["article"] = str(table.text("article"))
    if "duree" in table.data or need:
        found["months"] = _length(table, "duree")
    if "renouvellement" in table.data:
        found["renewal_months"] = _length(table, "renouvellement")
    elif need:
        found["renewal_months"] = found["months"]
    if "renouvellements" in table.data or need:
        found["renewals"] = _renewals(table)
    if "quantieme_absent" in table.data or need:
        found["month_rounding"] = MONTH_ROUNDINGS[table.choice(
            "quantieme_absent", tuple(MONTH_ROUNDINGS))]
    if "debut" in table.data:
        found["start"] = table.get("debut", (date,), ("une date AAAA-MM-JJ",
                                                      "a date YYYY-MM-DD"), True)
    notice = table.table("preavis", required=False)
    if notice is not None:
        days = notice.bounded("jours", 1, 3660, Text("jours", "days"))
        if isinstance(days, str):
            raise notice.error("jours", "un nombre de jours (pas de « @paramètre » : "
                               "l'entente peut réécrire [terme])", "a number of days (no "
                               "'@parameter': the agreement file may rewrite [terme])")
        found["notice_days"] = days
        found["notice_power"] = str(notice.text("pouvoir"))
        found["notice_strict"] = notice.boolean("strictement_avant")
        notice.done()
    option = table.table("renouvellement_sur_avis", required=False)
    if option is not None:
        found["renewal_event"] = str(option.text("evenement"))
        days = option.bounded("jours", 0, 3660, Text("jours", "days"), required=False)
        if isinstance(days, str):
            raise option.error("jours", "un nombre de jours (pas de « @paramètre »)",
                               "a number of days (no '@parameter')")
        found["renewal_days"] = days or 0
        option.done()
    if "renouvellement_sur_avis" in table.data and "preavis" in table.data:
        raise table.error("renouvellement_sur_avis", "« renouvellement_sur_avis » ou "
                          "« preavis » (de non-renouvellement), pas les deux",
                          "'renouvellement_sur_avis' or 'preavis' (of non-renewal), not both")
    source = table.localized("source", required=False)
    if source is not None:
        found["source"] = source
    table.done()
    if base is not None:
        # the agreement file chooses how its term renews: a notice of non-renewal replaces
        # the rule book's renewal by an act, and the other way round (decision 76)
        if notice is not None:
            found.setdefault("renewal_event", None)
            found.setdefault("renewal_days", 0)
        if option is not None:
            found.update(notice_days=None, notice_power=None, notice_strict=False)
        return attrs.evolve(base, **found)
    return Term(**found)


def _length(table: TomlTable, key: str) -> int:
    """``{ mois = N }`` or ``{ ans = N }``, in months."""
    spec = table.table(key)
    assert spec is not None
    units = [u for u in ("mois", "ans") if u in spec.data]
    if len(units) != 1:
        spec.seen.update(("mois", "ans"))
        spec.done()
        raise table.error(key, "une table { mois = N } ou { ans = N } (une seule des deux)",
                          "a table { mois = N } or { ans = N } (only one of them)")
    years = units[0] == "ans"
    value = spec.bounded(units[0], 1, MAX_TERM_MONTHS // 12 if years else MAX_TERM_MONTHS,
                         Text("ans", "years") if years else _MONTHS)
    if isinstance(value, str):
        raise spec.error(units[0], "un nombre entier (pas de « @paramètre »)",
                         "a whole number (no '@parameter')")
    spec.done()
    assert isinstance(value, int)
    return 12 * value if years else value


def _renewals(table: TomlTable) -> int | None:
    value = table.get("renouvellements", (int, str), (
        f"un entier ≥ 0 ou \"{UNLIMITED}\"", f"an integer ≥ 0 or \"{UNLIMITED}\""), True)
    if value == UNLIMITED:
        return None
    if not isinstance(value, int) or not 0 <= value <= MAX_TERM_MONTHS:
        raise table.error("renouvellements", f"un entier de 0 à {MAX_TERM_MONTHS} ou "
                          f"\"{UNLIMITED}\", reçu {value!r}", f"an integer from 0 to "
                          f"{MAX_TERM_MONTHS} or \"{UNLIMITED}\", got {value!r}")
    return value


def read_performance_end(root: TomlTable) -> PerformanceEnd | None:
    """``[fin_par_execution]``: ``article`` and ``obligations`` (a non-empty list of rule
    ids, checked against the rule files by the rule book), or ``toutes = true`` (every
    obligation of the agreement, decision 74)."""
    table = root.table(PERFORMANCE_KEY, required=False)
    if table is None:
        return None
    article = str(table.text("article"))
    if "toutes" in table.data:
        if table.boolean("toutes") is not True or "obligations" in table.data:
            raise table.error("toutes", "« toutes = true », sans liste « obligations »",
                              "'toutes = true', without an 'obligations' list")
        table.done()
        return PerformanceEnd(article, (), every=True)
    ids = table.get("obligations", (list,), ("une liste d'identifiants de règles",
                                             "a list of rule ids"), True)
    if not ids or not all(isinstance(i, str) and i.strip() for i in ids) \
            or len(set(ids)) != len(ids):
        raise table.error("obligations", "une liste non vide, sans doublon, d'identifiants "
                          "d'obligations", "a non-empty list of obligation ids, without "
                          "duplicates")
    table.done()
    return PerformanceEnd(article, tuple(ids))


NOTICE_POWER_KEY = f"{TERM_KEY}.preavis.pouvoir"


def notice_power_problem(term: Term, powers: Sequence[Power]) -> tuple[str, str] | None:
    """What is wrong with the power ``term`` names as its notice of non-renewal, in French
    and English (None: nothing, or no notice): it must be a power of the rule files that
    ends the agreement, without a ``preavis`` of its own (the term gives it)."""
    if term.notice_power is None:
        return None
    power = next((p for p in powers if p.id == term.notice_power), None)
    if power is not None and power.effect.action is EffectAction.END_AGREEMENT \
            and power.notice is None:
        return None
    return (f"un [[pouvoir]] dont l'effet est « fin_entente » sans « preavis » propre, reçu "
            f"{term.notice_power!r}", f"a [[pouvoir]] whose effect is 'fin_entente' without "
            f"a 'preavis' of its own, got {term.notice_power!r}")


def term_references(vocabulary: Vocabulary, norms: Sequence[Norm], powers: Sequence[Power],
                    source: TomlSource) -> tuple[RuleFileError, ...]:
    """The rules ``[terme]`` and ``[fin_par_execution]`` name, checked against the rule
    files: the notice's power ends the agreement, and needs no notice of its own (the term
    gives it); each obligation of the end by performance is an obligation to act."""
    found: list[RuleFileError] = []
    term = vocabulary.term
    problem = None if term is None else notice_power_problem(term, powers)
    if problem is not None:
        found.append(source.error(NOTICE_POWER_KEY, *problem))
    if term is not None and term.renewal_event is not None \
            and term.renewal_event not in vocabulary.types:
        found.append(source.error(
            f"{TERM_KEY}.renouvellement_sur_avis.evenement", f"un type d'événement déclaré "
            f"attendu, reçu {term.renewal_event!r}", f"a declared event type expected, got "
            f"{term.renewal_event!r}"))
    ending = vocabulary.performance_end
    if ending is not None:
        acts = {n.id for n in norms if n.kind == "obligation"}
        for ident in ending.obligations:
            if ident not in acts:
                found.append(source.error(
                    f"{PERFORMANCE_KEY}.obligations", f"{ident!r} : une [[obligation]] d'agir "
                    "des fichiers de règles attendue", f"{ident!r}: an [[obligation]] to act "
                    "of the rule files expected"))
    return tuple(found)
