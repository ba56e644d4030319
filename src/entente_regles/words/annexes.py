"""The messages of the annex's and the amendments' parameter values, in French and English,
as ``str.format`` templates named by a key (see ``rules.annexes``)."""

from __future__ import annotations

from entente_regles.words.templates import Messages

_MESSAGES: dict[str, tuple[str, str]] = {
    # the kind of value a parameter takes
    "bool": ("true ou false", "true or false"),
    "int": ("un entier", "an integer"),
    "str": ("un texte", "a string"),
    "wrong_type": ("{kind} attendu, reçu {shown}", "expected {kind}, got {shown}"),
    "out_of_bounds": ("entier de 1 à {most} attendu, reçu {value!r}",
                      "expected an integer from 1 to {most}, got {value!r}"),
    "not_a_rate": ("un nombre décimal positif en texte attendu (p. ex. \"5\" : chiffres, au "
                   "plus 13 avant le point et 10 après, sans exposant), reçu {shown}",
                   "a non-negative decimal number as text expected (e.g. \"5\": digits, at most "
                   "13 before the point and 10 after, no exponent), got {shown}"),
    "unknown_parameter": ("paramètre d'annexe inconnu (connus : {known})",
                          "unknown annex parameter (known: {known})"),
    "precedence": ("{clause} L'annexe fixe {name} = {value!r}, contraire à l'art. {article} "
                   "({source}) qui ne renvoie pas aux annexes ; la valeur de l'entente, "
                   "{agreed!r}, s'applique.", "{clause} The annex sets {name} = {value!r}, "
                   "contrary to art. {article} ({source}), which does not defer to the "
                   "annexes; the agreement's value, {agreed!r}, applies."),
}

MESSAGES = Messages(_MESSAGES)
text = MESSAGES.text


__all__ = ["MESSAGES", "text"]
