"""What the replay says of an event no rule put to use: no rule applies to it, it refers to
no live obligation, or its content is not interpreted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

from entente_regles.core.event import Event
from entente_regles.core.values import Text
from entente_regles.engine.compiled import CompiledRules, Handler
from entente_regles.engine.replay.diagnostics import Diagnostics
from entente_regles.words.replay import MESSAGES, both

_NONE_FR, _NONE_EN = MESSAGES["none"]


def no_rule_applies(compiled: CompiledRules, event: Event, diagnostics: Diagnostics) -> None:
    """No rule matched ``event``: a reference to no live obligation, or no rule at all."""
    acting = event.type in compiled.acting_types
    diagnostics.report("reference_inconnue" if acting else "evenement_sans_effet",
                       compiled.fed_articles.get(event.type, "-"), event.date,
                       both("no_live_obligation" if acting else "no_rule_applies"),
                       severity="avertissement" if acting else "info", event=event)


def unknown_references(compiled: CompiledRules, event: Event, matched_norms: Set[str],
                       keys_by_norm: Mapping[str, Sequence[str]],
                       diagnostics: Diagnostics) -> None:
    """The norms that report their own unknown references, for an act that matched none of
    their instances (``matched_norms``: the norms it acted on)."""
    for norm, act in compiled.unknown_reference_acts.get(event.type, ()):
        if norm.unknown_reference is None or norm.id in matched_norms:
            continue
        ref = event.data.get(act.key_field, "?")
        keys = keys_by_norm.get(norm.id, [])
        shown = ", ".join(keys[-12:]) or _NONE_FR  # the latest ones
        diagnostics.report("reference_inconnue", norm.article, event.date,
                           both("unknown_reference", message=norm.unknown_reference,
                                field=act.key_field, ref=ref,
                                existing=Text(shown, shown.replace(_NONE_FR, _NONE_EN))),
                           severity=norm.unknown_reference_severity, event=event,
                           rule=norm.id)


def uninterpreted(compiled: CompiledRules, event: Event, handled: Sequence[Handler],
                  diagnostics: Diagnostics) -> None:
    """An event that only controls apply to and that passes them: its content is not
    interpreted (say so rather than drop it in silence)."""
    for handler in handled:
        control = handler.control
        if control is not None and control.missing(event):
            return
    diagnostics.report("contenu_non_interprete", compiled.fed_articles.get(event.type, "-"),
                       event.date, both("content_not_interpreted"), severity="info",
                       event=event)
