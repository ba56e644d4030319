"""An agreement's evaluation sent across a process boundary, as bytes.

What crosses is the agreement (its attributes) and the replay state of its evaluation
(``Evaluation.replayed``: the replay, its instances, diagnostics and query index; no lock,
no closure): the receiving side rebuilds the evaluation around it with
``Agreement.resume``, without replaying. Two things need help to pickle:

- read-only mappings (``types.MappingProxyType``, in events and records) are not picklable:
  this module's picklers copy them into a fresh proxy (a private dispatch table: nothing
  changes for other pickling in the process);
- the rule book is not sent: every agreement of a portfolio shares one, which the
  receiving side already holds (a persistent id stands for it).
"""

from __future__ import annotations

import copyreg
import io
import pickle
from types import MappingProxyType
from typing import Any

from entente_regles.agreement import Agreement
from entente_regles.query.resumable import ResumableReplay
from entente_regles.rules.rulebook import RuleBook

_RULES = "regles"


def _proxy(data: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(data)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return (_proxy, (dict(proxy),))


_DISPATCH = {**copyreg.dispatch_table, MappingProxyType: _reduce_proxy}


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, rules: RuleBook | None) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.dispatch_table = _DISPATCH
        self._rules = rules

    def persistent_id(self, obj: Any) -> str | None:
        return _RULES if obj is self._rules and obj is not None else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, rules: RuleBook | None) -> None:
        super().__init__(file)
        self._rules = rules

    def persistent_load(self, pid: Any) -> Any:
        if pid != _RULES or self._rules is None:
            raise pickle.UnpicklingError(f"persistent id {pid!r}")
        return self._rules


def pack(agreement: Agreement, replayed: ResumableReplay) -> bytes:
    """``agreement`` and its replay state as bytes (its rule book left out)."""
    buffer = io.BytesIO()
    _Pickler(buffer, agreement.rules).dump((agreement, replayed))
    return buffer.getvalue()


def unpack(data: bytes, rules: RuleBook | None) -> tuple[Agreement, ResumableReplay]:
    """What :func:`pack` packed, the rule book ``rules`` put back in."""
    agreement, replayed = _Unpickler(io.BytesIO(data), rules).load()
    if not isinstance(agreement, Agreement) or not isinstance(replayed, ResumableReplay):
        raise pickle.UnpicklingError("not a packed evaluation")
    return agreement, replayed


__all__ = ["pack", "unpack"]
