"""The index of a replay's instances that makes a snapshot's queries fast (``owed``,
``late``, ``find``), and their display order."""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date
from typing import Any, overload

from entente_regles.core.event import Diagnostic
from entente_regles.engine.replay import Instance

_BLOCK = 32  # instances per block of the owed index


class InstanceIndex:
    """Instances of one replay state in display order, with what makes queries fast: the
    birth dates (a date's instances are a prefix), a (rule, key) index for ``find``, and for
    ``owed``/``late`` the instances that can be owed, split into those never closed so far
    and blocks of closed ones with the latest closing date of each block (a block closed
    entirely by X is skipped). The index only narrows the candidates: every status is still
    computed by :func:`status_at`."""

    def __init__(self, ordered: list[Instance]) -> None:
        # a faculty is never an obligation: kept apart, for ``options``
        self.faculties = [i for i in ordered if i.norm.kind == "faculte"]
        self._faculty_births = [i.triggered_on for i in self.faculties]
        self.ordered = [i for i in ordered if i.norm.kind != "faculte"] \
            if self.faculties else ordered
        self.births = [i.triggered_on for i in self.ordered]
        # Built lazily, each published as ONE tuple: a thread sees a complete index or none
        # (two threads may build at once, from instances another thread's extension of the
        # replay is closing; parts of two builds must never be mixed).
        self._keys: tuple[dict[tuple[str, str | None], list[int]],
                          dict[str, list[int]]] | None = None
        self._owed: tuple[list[int], list[int], list[date], list[date]] | None = None

    def born(self, on: date) -> int:
        return bisect_right(self.births, on)

    def faculties_by(self, on: date) -> list[Instance]:
        """The faculties whose window has opened by ``on``, in display order."""
        return self.faculties[:bisect_right(self._faculty_births, on)]

    def find(self, rule: str, key: str | None, born: int) -> Instance | None:
        keys = self._keys
        if keys is None:
            by_key: dict[tuple[str, str | None], list[int]] = {}
            by_rule: dict[str, list[int]] = {}
            for pos, inst in enumerate(self.ordered):
                by_key.setdefault((inst.norm.id, inst.key), []).append(pos)
                by_rule.setdefault(inst.norm.id, []).append(pos)
            keys = self._keys = (by_key, by_rule)
        by_key, by_rule = keys
        positions = by_rule.get(rule, []) if key is None else by_key.get((rule, key), [])
        last = bisect_left(positions, born) - 1
        return self.ordered[positions[last]] if last >= 0 else None

    def _build_owed(self) -> tuple[list[int], list[int], list[date], list[date]]:
        """Positions of the instances never closed; of the closed ones, with their closing
        dates (parallel lists of ints and dates: nothing for the cyclic collector to walk);
        the latest closing date of each block."""
        open_: list[int] = []
        closed: list[int] = []
        ends: list[date] = []
        for pos, inst in enumerate(self.ordered):
            if inst.norm.kind == "continue":
                continue  # in force or breached, never owed
            performed, ended = inst.performed_on, inst.ended_on
            end = performed if ended is None or (performed is not None and performed <= ended) \
                else ended
            if end is None:
                open_.append(pos)
            else:
                closed.append(pos)
                ends.append(end)
        block_end = [max(ends[b:b + _BLOCK]) for b in range(0, len(ends), _BLOCK)]
        return open_, closed, ends, block_end

    def prepare(self) -> None:
        """Build now the part every ``owed`` and ``late`` question needs (which instances
        were never closed, and when the others closed): date-independent, made from the
        instances alone. A portfolio's workers build it before shipping the index, so
        that the first answer in the parent does not."""
        if self._owed is None:
            self._owed = self._build_owed()

    def owed_candidates(self, on: date, born: int) -> list[int]:
        """Positions of the instances born by ``on`` that may be owed on ``on``."""
        owed = self._owed
        if owed is None:
            owed = self._owed = self._build_owed()
        open_, closed, ends, block_ends = owed
        found = open_[:bisect_left(open_, born)]
        for b, block_end in enumerate(block_ends):
            first = b * _BLOCK
            if closed[first] >= born:
                break
            if block_end > on:
                found += [pos for pos, end in zip(closed[first:first + _BLOCK],
                                                  ends[first:first + _BLOCK], strict=True)
                          if pos < born and end > on]
        found.sort()
        return found


class Prefix(Sequence[Instance]):
    """The first ``n`` items of a list, without copying it."""

    __slots__ = ("_items", "_n")

    def __init__(self, items: list[Instance], n: int) -> None:
        self._items, self._n = items, n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> Instance: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Instance]: ...

    def __getitem__(self, index: int | slice) -> Instance | Sequence[Instance]:
        if isinstance(index, slice):
            return self._items[:self._n][index]
        if not 0 <= index < self._n:
            raise IndexError(index)
        return self._items[index]


_ARTICLE_KEYS: dict[str, tuple[Any, ...]] = {}


def display_key(inst: Instance) -> tuple[Any, ...]:
    article = inst.norm.article
    key = _ARTICLE_KEYS.get(article)
    if key is None:
        key = _ARTICLE_KEYS[article] = _article_key(article)
    return (inst.triggered_on, key, inst.norm.id, inst.key or "", inst.seq)


def _article_key(article: str) -> tuple[Any, ...]:
    parts: list[Any] = []
    for piece in article.replace(" ", ".").split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)



def with_new_instances(ordered: list[Instance], new: Sequence[Instance]) -> list[Instance]:
    """``ordered`` (in display order) with ``new`` instances, born on or after the previous
    horizon: only the tail re-sorts."""
    births = [i.triggered_on for i in ordered]
    cut = bisect_left(births, min((i.triggered_on for i in new), default=date.max))
    return [*ordered[:cut], *sorted([*ordered[cut:], *new], key=display_key)]


def with_new_diagnostics(known: list[Diagnostic], fresh: Sequence[Diagnostic]
                         ) -> list[Diagnostic]:
    """``known`` (in date order) with ``fresh`` diagnostics, in date order (stable)."""
    if known and min(d.on for d in fresh) < known[-1].on:
        return list(heapq.merge(known, sorted(fresh, key=_on), key=_on))
    return [*known, *sorted(fresh, key=_on)]


def _on(diagnostic: Diagnostic) -> date:
    return diagnostic.on


__all__ = ["InstanceIndex", "Prefix", "display_key", "with_new_diagnostics",
           "with_new_instances"]
