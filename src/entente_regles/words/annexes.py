"""The messages of the annex's and the amendments' parameter values, in French and English,
as ``str.format`` templates named by a key (see ``rules.annexes``)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from entente_regles.core.values import Text
from entente_regles.words.templates import fill_both

_MESSAGES: dict[str, tuple[str, str]] = {
    # the kind of value a parameter takes
    "bool": ("true ou false", "true or false"),
    "int": ("un entier", "an integer"),
    "str": ("un texte", "a string"),
    "wrong_type": ("{kind} attendu, reçu {shown}", "expected {kind}, got {shown}"),
    "out_of_bounds": ("entier de 1 à {most} attendu, reçu {value!r}",
                      "expected an integer from 1 to {most}, got {value!r}"),
    "unknown_parameter": ("paramètre d'annexe inconnu (connus : {known})",
                          "unknown annex parameter (known: {known})"),
    "precedence": ("{clause} L'annexe fixe {name} = {value!r}, contraire à l'art. {article} "
                   "({source}) qui ne renvoie pas aux annexes ; la valeur de l'entente, "
                   "{agreed!r}, s'applique.", "{clause} The annex sets {name} = {value!r}, "
                   "contrary to art. {article} ({source}), which does not defer to the "
                   "annexes; the agreement's value, {agreed!r}, applies."),
}

MESSAGES: Mapping[str, tuple[str, str]] = MappingProxyType(_MESSAGES)


def text(message: str, /, **values: object) -> Text:
    """The ``message`` of the table in French and English, its ``{names}`` from ``values``."""
    return fill_both(MESSAGES[message], values)


__all__ = ["MESSAGES", "text"]
