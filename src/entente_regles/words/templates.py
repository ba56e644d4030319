"""Filling a message's French or English template (the tables of ``replay`` and ``annexes``).

A value given as a :class:`Text` is said in the template's own language (a rule's label, a
control's message); any other value is formatted as it is in both.
"""

from __future__ import annotations

from collections.abc import Mapping

from entente_regles.core.values import Lang, Text


def fill(templates: tuple[str, str], lang: Lang, values: Mapping[str, object]) -> str:
    """The French or English template of ``templates``, its ``{names}`` from ``values``."""
    template = templates[0 if lang == "fr" else 1]
    return template.format(**{name: value(lang) if type(value) is Text else value
                              for name, value in values.items()})


def fill_both(templates: tuple[str, str], values: Mapping[str, object]) -> Text:
    """Both templates of ``templates`` filled in, as a :class:`Text`."""
    return Text(fill(templates, "fr", values), fill(templates, "en", values))


__all__ = ["fill", "fill_both"]
