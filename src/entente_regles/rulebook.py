"""The rulebook: what the rule files (TOML) declare, as frozen values (:class:`RuleBook`).

Reading is done by ``rule_reader`` (one table -> one value), ``rule_files`` (files and
directories: every problem of every file) and ``rule_references`` (ids, references and
parameters across files), all through the one validation layer (``validation``). Every key
is checked: unknown keys, wrong types, unknown event types or fields and dangling references
fail with the file, the key path and the line. Nothing in a rule file is executed. The format
is documented in ``docs/format-regles.md``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

import attrs

from .model import EITHER_PARTY, PARTIES, Event, Status, Text
from .model import VAGUE_STANDARDS as VAGUE_STANDARDS  # defined there, for evaluation
from .resources import bundled_rules_dir
from .rule_metadata import CrossReference as CrossReference
from .rule_metadata import Example as Example
from .rule_metadata import Expectation as Expectation
from .rule_metadata import Parameter as Parameter
from .rule_metadata import Permission as Permission
from .rule_metadata import Precedence as Precedence
from .rule_metadata import Unencoded as Unencoded
from .vocabulary import Vocabulary

DEBTORS = (*PARTIES, EITHER_PARTY, "auteur", "autre")


class EffectAction(enum.StrEnum):
    """What an effect does (its value is the rule file's ``action``)."""

    END_AGREEMENT = "fin_entente"
    END_SERVICE = "fin_service"
    START_SERVICE = "debut_service"
    SERVICE_NOTE = "journal_service"  # a dated note in the service's history
    AMEND = "modifier_parametres"  # dated parameters, read before the walk (amendments)


EFFECT_ACTIONS = tuple(action.value for action in EffectAction)
VOCABULARY_FILE = "evenements.toml"
MAX_DAYS = 3660
"""Largest day count a rule file may state (``jours`` of a deadline or a notice): ten years."""
MAX_MONTHS = 120
"""Largest period a rule file may state in months (``periode.mois``): ten years."""
DAYS = Text("jours", "days")
MONTHS = Text("mois", "months")

Tests = tuple[tuple[str, str | bool | int], ...]
"""Equality tests on event fields (``si``, ``sauf``, ``survit_resiliation_si``)."""


# --------------------------------------------------------------------------- model


@attrs.frozen
class Trigger:
    """What creates an instance: an event, a period, another norm's expiry, or entry into force."""

    kind: Literal["evenement", "periode", "consequence", "entree_en_vigueur"]
    event: str | None = None
    key_field: str | None = None
    tests: Tests = ()
    party: str | None = None
    period_months: int | str | None = None  # int, or "@parameter"
    period_year: bool = False
    birth: Literal["debut", "lendemain_fin"] = "lendemain_fin"
    key_of: Literal["periode", "periode_suivante"] = "periode"
    source_norm: str | None = None
    per_party: bool = False
    amount_field: str | None = None
    excluded: Tests = ()  # "sauf": no instance when the event passes all these tests


@attrs.frozen
class Act:
    """An event that performs, discharges or breaches an instance, joined on its key."""

    event: str
    key_field: str
    by: Literal["debiteur", "parties"] = "debiteur"
    amount_field: str | None = None
    tests: Tests = ()
    reason: Text | None = None


@attrs.frozen
class Deadline:
    form: Literal["jours", "norme", "fin_periode", "veille_effet"]
    days: int | str | None = None  # int, or "@parameter"
    since: str = "date"  # "date", "reception", or a date field of the trigger
    standard: str | None = None


_DUE, _DISCHARGED = Status.DUE, Status.DISCHARGED  # read per instance: see views.py


@attrs.frozen
class Norm:
    """An obligation to act (``kind="obligation"``), a continuing one (``"continue"``), or a
    faculty (``"faculte"``: a right with a window, never owed; its ``debtor`` is the holder,
    its ``performances`` the acts that exercise it, its ``deadline`` the window's last day).
    """

    id: str
    article: str
    file: str
    label: Text
    kind: Literal["obligation", "continue", "faculte"]
    debtor: str
    creditor: str
    trigger: Trigger
    performances: tuple[Act, ...] = ()
    extinctions: tuple[Act, ...] = ()
    violations: tuple[Act, ...] = ()
    deadline: Deadline | None = None
    on_expiry: Text | None = None
    # at the deadline, instead of lateness: "eteinte" (lapses) or "a_echoir" (stays owed,
    # no one at fault, until a demand or a recorded breach establishes the default)
    on_expiry_status: Status = Status.DISCHARGED
    survives_termination: bool = False
    survival_tests: Tests = ()  # survives only when its trigger event passes these tests
    service_field: str | None = None
    survives_withdrawal: bool = False
    duplicates: Literal["diagnostic", "permis"] = "diagnostic"
    unknown_reference: Text | None = None
    unknown_reference_severity: Literal["erreur", "avertissement"] = "erreur"
    key: str = ""  # its TOML path in its file, e.g. "obligation_continue[2]"
    on_exercise: Text | None = None  # a faculty: what its exercise brings about

    @property
    def lapses(self) -> bool:
        """Discharged without fault at its deadline (``a_echeance`` with ``eteinte``)."""
        return self.on_expiry is not None and self.on_expiry_status is _DISCHARGED

    @property
    def window_only(self) -> bool:
        """Its deadline ends a window, not a term: passing it puts no one at fault."""
        return self.on_expiry is not None and self.on_expiry_status is _DUE

    def survives(self, data: Mapping[str, object] | None) -> bool:
        """Does an instance born of an event with ``data`` survive termination?"""
        if self.survives_termination:
            return True
        return bool(self.survival_tests) and data is not None and all(
            data.get(name) == value for name, value in self.survival_tests)


@attrs.frozen
class EffectSpec:
    action: EffectAction
    date_field: str | None = None
    service_field: str | None = None
    parameters_field: str | None = None  # modifier_parametres: the field naming new values


@attrs.frozen
class Notice:
    days: int | str
    before_field: str | None = None  # "au moins N jours avant <field>"; else minimum from receipt


@attrs.frozen
class Power:
    id: str
    article: str
    file: str
    label: Text
    holder: str  # "mcn", "client" or "parties" (either)
    event: str
    tests: Tests
    effect: EffectSpec
    notice: Notice | None = None
    key: str = ""


@attrs.frozen
class Effect:
    id: str
    article: str
    file: str
    event: str
    tests: Tests
    effect: EffectSpec
    label: Text | None = None
    key: str = ""
    requires_control: str | None = None  # the effect applies only if this control passes


@attrs.frozen
class Control:
    """A field that must contain some parties (``contains``) or, with ``present``, an
    optional field that should be given; otherwise the diagnostic ``code``."""

    id: str
    article: str
    file: str
    event: str
    field: str
    contains: tuple[str, ...]
    code: str
    message: Text
    key: str = ""
    present: bool = False
    severity: Literal["erreur", "avertissement", "info"] = "erreur"

    def missing(self, event: Event) -> list[str]:
        """What ``event`` lacks to pass (empty: it passes): the field itself (``present``),
        or the values the field should contain."""
        if self.present:
            return [] if self.field in event.data else [self.field]
        value = event.data.get(self.field, ())
        return [p for p in self.contains if p not in value]


@attrs.frozen
class DemandSpec:
    """An act that puts the debtor of an owed instance in default (``[[demeure]]``).

    The event names the rule (``rule_field``) and the instance (``key_field``, optional
    where the rule has one instance per debtor); ``by`` says who acts (the instance's
    creditor, or its debtor when the act records the debtor's own breach); with
    ``delay_field`` the debtor is in default the day after receipt + that many days
    (counted by the legal calendar); without it, from the event's date.
    """

    id: str
    article: str
    file: str
    label: Text
    source: str
    event: str
    rule_field: str
    key_field: str | None
    by: Literal["creancier", "debiteur"]
    delay_field: str | None = None
    key: str = ""


@attrs.frozen
class RuleFile:
    path: str
    article: str
    title: str
    text: str
    norms: tuple[Norm, ...] = ()
    powers: tuple[Power, ...] = ()
    effects: tuple[Effect, ...] = ()
    controls: tuple[Control, ...] = ()
    demands: tuple[DemandSpec, ...] = ()
    permissions: tuple[Permission, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    unencoded: tuple[Unencoded, ...] = ()
    cross_references: tuple[CrossReference, ...] = ()
    examples: tuple[Example, ...] = ()
    precedence: Precedence | None = None
    governs_entry_into_force: bool = False


@attrs.frozen
class RuleBook:
    """The rule files of a directory, loaded and validated: norms, powers, effects,
    controls, parameters, examples and the event vocabulary."""
    files: tuple[RuleFile, ...]
    vocabulary: Vocabulary
    directory: str

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
        from .rule_files import load_directory

        return load_directory(Path(path))

    @classmethod
    def bundled(cls) -> RuleBook:
        """The agreement's rules shipped with the package."""
        return _bundled()


@cache
def _bundled() -> RuleBook:
    return RuleBook.from_directory(bundled_rules_dir())


# --------------------------------------------------------------------------- reading


__all__ = [
    "DEBTORS",
    "EFFECT_ACTIONS",
    "MAX_DAYS",
    "MAX_MONTHS",
    "VAGUE_STANDARDS",
    "VOCABULARY_FILE",
    "Act",
    "Control",
    "CrossReference",
    "Deadline",
    "DemandSpec",
    "Effect",
    "EffectAction",
    "EffectSpec",
    "Example",
    "Expectation",
    "Norm",
    "Notice",
    "Parameter",
    "Permission",
    "Power",
    "Precedence",
    "RuleBook",
    "RuleFile",
    "Tests",
    "Trigger",
    "Unencoded",
    "bundled_rules_dir",
]

