"""The values a rule book is made of, frozen: triggers, acts, deadlines, norms, powers,
effects, controls, demands, and one rule file's content (:class:`RuleFile`).

Reading is done by ``reader`` and its kin (one table -> one value), ``files`` (one file),
``vocabulary_reader`` (the vocabulary file), ``references``
(ids, references and parameters across files) and ``rulebook`` (a directory), all through the
one validation layer (``toml_tables``). Nothing in a rule file is executed. The format is
documented in ``docs/format-regles.md``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Literal

import attrs

from entente_regles.core.event import Event
from entente_regles.core.values import Status, Text
from entente_regles.rules.metadata import (
    CrossReference,
    Example,
    Parameter,
    Permission,
    Precedence,
    Unencoded,
)
from entente_regles.rules.money import AmountSpec, InterestSpec


class EffectAction(enum.StrEnum):
    """What an effect does (its value is the rule file's ``action``)."""

    END_AGREEMENT = "fin_entente"
    END_SERVICE = "fin_service"
    START_SERVICE = "debut_service"
    SERVICE_NOTE = "journal_service"  # a dated note in the service's history
    AMEND = "modifier_parametres"  # dated parameters, read before the walk (amendments)
    SUSPEND = "suspendre"  # another norm's instances: their deadline stops (decision 69)
    RESUME = "reprendre"  # and runs again, moved by the days suspended


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


STATE_TRIGGERS = ("echeance", "en_retard", "satisfaite", "eteinte", "violee")
"""What another norm's instance may become to give rise to a norm (``consequence_de``,
``quand``): late (``echeance`` and ``en_retard`` say the same), satisfied, discharged,
breached."""
CONDITION_STATES = ("en_retard", "ouverte", "satisfaite", "eteinte", "violee")
"""The states a condition (``disponible_si``) may ask of another norm's instance."""


@attrs.frozen
class StateTest:
    """One test of a condition: some instance of norm ``norm`` (with the same key when
    ``same_key``; of the debtor ``debtor`` relative to the holder when given) is in
    ``state`` on the day asked, for at least ``min_days`` days (calendar days, or working days
    of the agreement's calendar when ``working_days``); or, with ``norm`` None, the agreement
    is in force (``state`` « en_vigueur ») or has ended (« terminee »)."""

    state: str
    norm: str | None = None
    same_key: bool = False
    debtor: str | None = None  # « auteur » (the holder) or « autre » (the other party)
    min_days: int | str | None = None  # int, or "@parameter"
    more_than: bool = False  # « plus_de_jours »: strictly more than min_days days
    working_days: bool = False


@attrs.frozen
class Condition:
    """A declarative condition on the state of other instances (``disponible_si``): all of
    its tests (``tous``) or one of them (``un_des``); ``key_field``: for a power, the field of
    its act that names the key ``same_key`` tests look for."""

    tests: tuple[StateTest, ...]
    any_of: bool = False
    key_field: str | None = None

    @property
    def norms(self) -> tuple[str, ...]:
        """The norms it reads."""
        return tuple(t.norm for t in self.tests if t.norm is not None)


@attrs.frozen
class Trigger:
    """What creates an instance: an event, a period, another norm's expiry or state, the
    entry into force, the agreement's end, or its term's renewal (decision 76)."""

    kind: Literal["evenement", "periode", "consequence", "entree_en_vigueur", "fin_entente",
                  "renouvellement_terme"]
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
    when: str = "echeance"  # a consequence: the source's state that gives rise to it
    amount: AmountSpec | None = None  # a computed amount (``montant = { … }``, decision 67)

    @property
    def tracks_amount(self) -> bool:
        """Does an instance it gives rise to track an amount (read from a field, or
        computed)?"""
        return self.amount_field is not None or self.amount is not None


@attrs.frozen
class Act:
    """An event that performs, discharges or breaches an instance, joined on its key."""

    event: str
    key_field: str
    by: Literal["debiteur", "parties"] = "debiteur"
    amount_field: str | None = None
    tests: Tests = ()
    reason: Text | None = None
    # a periodic norm's act naming a period that has not begun yet is kept and performs that
    # period's instance when it arises (``avance = true``, decision 72)
    advance: bool = False


@attrs.frozen
class Release:
    """An act that lifts a hold (``retenue.levee``): its event, the field naming the hold
    (the reference the hold's act gave it) and, optionally, the field of the part of the held
    amount it finds payable (the rest is then no longer owed)."""

    event: str
    ref_field: str
    payable_field: str | None = None
    # what becomes of the held amount when the act names no payable part: « exigible »
    # (payable), « annule » (no longer owed)
    rest: Literal["exigible", "annule"] = "exigible"


@attrs.frozen
class Hold:
    """``retenue``: an act naming an amount of an instance's balance (a dispute) holds that
    part back: lateness applies to the rest only (decision 71). ``key_field`` names the
    instance, ``amount_field`` the amount held, ``ref_field`` the hold itself, which the
    ``releases`` name; ``days``: the days after the release to pay what it makes payable
    (never before the instance's own deadline)."""

    event: str
    key_field: str
    amount_field: str
    ref_field: str
    releases: tuple[Release, ...]
    days: int | str = 0  # int, or "@parameter"


@attrs.frozen
class Deadline:
    form: Literal["jours", "norme", "fin_periode", "veille_effet"]
    days: int | str | None = None  # int, or "@parameter"
    since: str = "date"  # "date", "reception", or a date field of the trigger
    standard: str | None = None  # a vague standard's id (form "norme")
    wording: Text | None = None  # and its wording, as the rule book declares it


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
    condition: Condition | None = None  # available only while it holds (disponible_si)
    interest: InterestSpec | None = None  # interest on late payment (``interet``, decision 68)
    hold: Hold | None = None  # a disputed part of the balance held back (retenue)
    # an obligation discharged (no one at fault) when its condition stops holding while it
    # is still due (si_condition_cesse, decision 73): the reason shown; None: checked at
    # birth only (decision 60)
    on_condition_end: Text | None = None

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
    # suspendre / reprendre: the obligation whose instances it suspends or resumes, the
    # field naming their key (None: every open instance), whose they must be (« auteur »:
    # the act's author's own, « autre »: the other party's; None: anyone's), and whether a
    # suspension ends by itself when the power's condition stops holding (decision 69)
    norm: str | None = None
    key_field: str | None = None
    debtor: str | None = None
    resume_on_lapse: bool = False
    working_days: bool = False  # the days suspended counted in working days (« ouvrables »)


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
    holder: str  # one of the rule book's parties, or "parties" (either)
    event: str
    tests: Tests
    effect: EffectSpec
    notice: Notice | None = None
    key: str = ""
    condition: Condition | None = None  # exercisable only while it holds (disponible_si)


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
