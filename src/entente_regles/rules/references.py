"""Checks across the rule files of a directory: ids unique, references resolved, parameters
declared and usable where they are used (day and month counts within bounds)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from entente_regles.core.errors import ErrorLocation, RuleFileError
from entente_regles.core.values import Text
from entente_regles.rules.metadata import Parameter
from entente_regles.rules.money import decimal_value
from entente_regles.rules.norms import DAYS as _DAYS
from entente_regles.rules.norms import (
    MAX_DAYS,
    MAX_MONTHS,
    Condition,
    Effect,
    Norm,
    Power,
    RuleFile,
)
from entente_regles.rules.norms import MONTHS as _MONTHS
from entente_regles.rules.toml_tables import TomlSource


def check_references(files: Sequence[RuleFile], sources: Mapping[str, TomlSource]
                      ) -> tuple[RuleFileError, ...]:
    """Ids unique, references resolved, parameters declared and usable, join fields present
    across ``files`` (the rule book's): every problem, in file order."""
    seen: dict[str, str] = {}
    params = {p.name: p for f in files for p in f.parameters}
    norms = [n for f in files for n in f.norms]
    powers = [p for f in files for p in f.powers]
    errors: list[RuleFileError] = []

    def fail(file: str, key: str, fr: str, en: str, code: str | None = None) -> None:
        source = sources.get(file)
        line = source.line(key) if source is not None else None
        errors.append(RuleFileError(ErrorLocation(file, line, key), fr, en, code))

    items: list[tuple[str, str, str]] = [(n.id, n.file, n.key) for n in norms]
    items += [(p.id, p.file, p.key) for p in powers]
    items += [(e.id, e.file, e.key) for e in (e for f in files for e in f.effects)]
    items += [(c.id, c.file, c.key) for c in (c for f in files for c in f.controls)]
    items += [(d.id, d.file, d.key) for d in (d for f in files for d in f.demands)]
    items += [(p.id, f.path, f"permission[{i}]") for f in files
              for i, p in enumerate(f.permissions)]
    for ident, file, key in items:
        if ident in seen:
            fail(file, f"{key}.id", f"identifiant {ident!r} déjà utilisé dans {seen[ident]}",
                 f"id {ident!r} already used in {seen[ident]}", "identifiant_double")
        else:
            seen[ident] = file
    names: dict[str, str] = {}
    for rule_file in files:
        for i, param in enumerate(rule_file.parameters):
            if param.name in names:
                fail(rule_file.path, f"parametre[{i}].nom", f"paramètre {param.name!r} déjà "
                     f"déclaré dans {names[param.name]}", f"parameter {param.name!r} already "
                     f"declared in {names[param.name]}", "identifiant_double")
            names.setdefault(param.name, rule_file.path)
    norm_ids = {n.id for n in norms}
    with_precedence = [f.path for f in files if f.precedence is not None]
    for extra in with_precedence[1:]:
        fail(extra, "preseance", f"[preseance] déjà déclarée dans {with_precedence[0]} : une "
             f"seule est permise", f"[preseance] already declared in {with_precedence[0]}: "
             "only one is allowed")
    for rule_file in files:
        for example in rule_file.examples:
            for j, exp in enumerate(example.expected):
                if exp.norm not in norm_ids:
                    fail(rule_file.path, f"exemple[{example.index}].attendu[{j}].obligation",
                         f"obligation inconnue {exp.norm!r}", f"unknown obligation {exp.norm!r}",
                         "reference_inconnue")
        for i, ref in enumerate(rule_file.cross_references):
            for rule_id in ref.rules:
                if rule_id not in seen:
                    fail(rule_file.path, f"renvoi[{i}].regles", f"règle inconnue {rule_id!r}",
                         f"unknown rule {rule_id!r}")
    for norm in norms:
        _norm_references(params, powers, norm, norm_ids, fail)
    controls = {c.id: c for c in (c for f in files for c in f.controls)}
    for effect in (e for f in files for e in f.effects):
        wanted = effect.requires_control
        if wanted is not None and (wanted not in controls
                                   or controls[wanted].event != effect.event):
            fail(effect.file, f"{effect.key}.exige_controle",
                 f"contrôle inconnu {wanted!r} pour l'événement {effect.event}",
                 f"unknown control {wanted!r} for event {effect.event}", "reference_inconnue")
    for norm in norms:
        months = norm.trigger.period_months
        period = params.get(months[1:]) if isinstance(months, str) else None
        if period is not None and period.amendable:
            fail(period.file, f"{period.key}.avenant_peut_modifier", "une durée de période ne "
                 "peut pas être modifiée par avenant : la k-ième période se compte depuis "
                 "l'entrée en vigueur", "a period length cannot be amended: the k-th period "
                 "is counted from the entry into force")
    holders: list[Norm | Power] = [*norms, *powers]
    for holder in holders:
        _condition_references(params, holder.condition, holder.file, holder.key, norm_ids,
                              fail)
    _suspension_references(norms, powers, [e for f in files for e in f.effects], fail)
    for power in powers:
        days = power.notice.days if power.notice else None
        if isinstance(days, str):
            problem = _parameter_bounds(params, days, 0, MAX_DAYS, _DAYS)
            if problem is not None:
                fail(power.file, f"{power.key}.preavis.jours", *problem)
    return tuple(errors)


def _parameter_bounds(params: Mapping[str, Parameter], name: str, low: int, high: int,
                      unit: Text) -> tuple[str, str] | None:
    """What is wrong with a « @paramètre » used as a count of days or months (None: it is
    declared, an integer, within bounds)."""
    param = params.get(name[1:])
    if param is None:
        return f"paramètre inconnu {name}", f"unknown parameter {name}"
    value = param.value
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return (f"le paramètre {name} vaut {value!r} ({param.file}) : un nombre entier de "
                f"{unit.fr} entre {low} et {high} est attendu",
                f"parameter {name} is {value!r} ({param.file}): an integer number of "
                f"{unit.en} between {low} and {high} is expected")
    return None


def _suspension_references(norms: Sequence[Norm], powers: Sequence[Power],
                           effects: Sequence[Effect], fail: Callable[..., None]) -> None:
    """``suspendre`` / ``reprendre`` name an obligation to act with a dated deadline; a
    suspension that ends by itself (``reprise = "condition"``) is a power's with a
    condition (decision 69)."""
    kinds = {n.id: n for n in norms}
    holders: list[Power | Effect] = [*powers, *effects]
    for holder in holders:
        spec = holder.effect
        if spec.norm is None:
            continue
        norm = kinds.get(spec.norm)
        if norm is None or norm.kind != "obligation" or norm.deadline is None \
                or norm.deadline.form == "norme":
            fail(holder.file, f"{holder.key}.effet.norme",
                 f"obligation d'agir à échéance datée inconnue {spec.norm!r}",
                 f"unknown obligation to act with a dated deadline {spec.norm!r}",
                 "reference_inconnue")
        if spec.resume_on_lapse and (not isinstance(holder, Power)
                                     or holder.condition is None):
            fail(holder.file, f"{holder.key}.effet.reprise", "reprise = \"condition\" exige "
                 "un pouvoir avec disponible_si", "reprise = \"condition\" needs a power "
                 "with disponible_si")


def _rate_parameter(params: Mapping[str, Parameter], rate: str) -> tuple[str, str] | None:
    """What is wrong with a « @paramètre » used as a rate or an amount (None: a literal, or
    declared with a non-negative decimal value such as ``"5"`` or ``"12.5"``)."""
    if not rate.startswith("@"):
        return None
    param = params.get(rate[1:])
    if param is None:
        return f"paramètre inconnu {rate}", f"unknown parameter {rate}"
    found = decimal_value(param.value)
    if found is None or found < 0:
        return (f"le paramètre {rate} vaut {param.value!r} ({param.file}) : un nombre décimal "
                f"positif est attendu (texte, p. ex. \"5\" ou \"12.5\" : chiffres, au plus 13 "
                f"avant le point et 10 après, sans exposant)",
                f"parameter {rate} is {param.value!r} ({param.file}): a non-negative decimal "
                f"number is expected (text, e.g. \"5\" or \"12.5\": digits, at most 13 before "
                f"the point and 10 after, no exponent)")
    return None


def _condition_references(params: Mapping[str, Parameter], condition: Condition | None,
                          file: str, where: str, norm_ids: set[str],
                          fail: Callable[..., None]) -> None:
    """A condition's norms exist; its durations' parameters are usable."""
    if condition is None:
        return
    for test in condition.tests:
        if test.norm is not None and test.norm not in norm_ids:
            fail(file, f"{where}.disponible_si", f"norme inconnue {test.norm!r}",
                 f"unknown norm {test.norm!r}", "reference_inconnue")
        if isinstance(test.min_days, str):
            problem = _parameter_bounds(params, test.min_days, 0, MAX_DAYS, _DAYS)
            if problem is not None:
                fail(file, f"{where}.disponible_si", *problem)


def _norm_references(params: Mapping[str, Parameter], powers: Sequence[Power], norm: Norm,
                     norm_ids: set[str], fail: Callable[..., None]) -> None:
    where = norm.key
    for path, value, unit, high in (
            (f"{where}.declencheur.periode.mois", norm.trigger.period_months, _MONTHS,
             MAX_MONTHS),
            (f"{where}.delai.jours", norm.deadline.days if norm.deadline else None, _DAYS,
             MAX_DAYS)):
        problem = _parameter_bounds(params, value, 1, high, unit) \
            if isinstance(value, str) else None
        if problem is not None:
            fail(norm.file, path, *problem)
    for path, rate in ((f"{where}.declencheur.montant", norm.trigger.amount and
                        norm.trigger.amount.rate),
                       (f"{where}.interet.taux_annuel", norm.interest and norm.interest.rate)):
        problem = _rate_parameter(params, rate) if isinstance(rate, str) else None
        if problem is not None:
            fail(norm.file, path, *problem)
    if norm.deadline and norm.deadline.form == "fin_periode" and norm.trigger.kind != "periode":
        fail(norm.file, f"{where}.delai", "fin_periode exige un déclencheur périodique",
             "fin_periode needs a periodic trigger")
    if norm.deadline and norm.deadline.form == "veille_effet":
        acts = [p for p in powers if p.event == norm.trigger.event]
        if not any(set(p.tests) <= set(norm.trigger.tests) for p in acts):
            fail(norm.file, f"{where}.delai", "veille_effet : chaque déclenchement doit être "
                 "l'acte d'un pouvoir (mêmes conditions si)", "veille_effet: every trigger must "
                 "be a power's act (same si conditions)")
    if norm.trigger.kind == "consequence" and norm.trigger.source_norm not in norm_ids:
        fail(norm.file, f"{where}.declencheur.consequence_de",
             f"obligation inconnue {norm.trigger.source_norm!r}",
             f"unknown obligation {norm.trigger.source_norm!r}")
    if norm.kind == "obligation" and norm.trigger.kind == "evenement" and \
            norm.trigger.key_field is None and (norm.performances or norm.extinctions):
        fail(norm.file, f"{where}.declencheur.cle", "une clé est nécessaire pour rattacher "
             "l'exécution", "a key is needed to correlate the performance")
    if norm.debtor in ("auteur", "autre") and norm.trigger.kind != "evenement":
        fail(norm.file, f"{where}.debiteur", "auteur/autre exige un déclencheur événement",
             "auteur/autre needs an event trigger")
