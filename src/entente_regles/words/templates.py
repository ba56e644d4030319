"""Filling a message's French or English template, and :class:`Messages`, the one kind of
table every module of ``words`` keeps its sentences in.

A value given as a :class:`Text` is said in the template's own language (a rule's label, a
control's message); any other value is formatted as it is in both.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from entente_regles.core.values import Lang, Text


def fill(templates: tuple[str, str], lang: Lang, values: Mapping[str, object]) -> str:
    """The French or English template of ``templates``, its ``{names}`` from ``values``."""
    template = templates[0 if lang == "fr" else 1]
    return template.format(**{name: value(lang) if type(value) is Text else value
                              for name, value in values.items()})


def fill_both(templates: tuple[str, str], values: Mapping[str, object]) -> Text:
    """Both templates of ``templates`` filled in, as a :class:`Text`."""
    return Text(fill(templates, "fr", values), fill(templates, "en", values))


class Messages(Mapping[str, tuple[str, str]]):
    """A message table: each key's French and English ``str.format`` templates."""

    __slots__ = ("_templates",)

    def __init__(self, templates: Mapping[str, tuple[str, str]]) -> None:
        self._templates = dict(templates)

    def __getitem__(self, key: str) -> tuple[str, str]:
        return self._templates[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._templates)

    def __len__(self) -> int:
        return len(self._templates)

    def say(self, key: str, lang: Lang, /, **values: object) -> str:
        """The ``key`` entry in ``lang``, its ``{names}`` filled in from ``values``."""
        return fill(self._templates[key], lang, values)

    def text(self, key: str, /, **values: object) -> Text:
        """The ``key`` entry in both languages, its ``{names}`` filled in from ``values``."""
        return fill_both(self._templates[key], values)

    def in_language(self, lang: Lang) -> dict[str, str]:
        """Every entry's template in ``lang`` as it is (for a table of plain words)."""
        index = 0 if lang == "fr" else 1
        return {key: pair[index] for key, pair in self._templates.items()}


__all__ = ["Messages", "fill", "fill_both"]
