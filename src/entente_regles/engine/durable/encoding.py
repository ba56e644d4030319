"""How the durable_rules adapter writes rules and values for durable (no import of ``durable``).

Logical field names become fixed names (``FIELD_NAMES``), values type-tagged strings
(``encode_value``), and a list of :class:`~entente_regles.matching.MatchRule` one durable
ruleset definition (``compile_rules``). The measured limits of durable_rules 2.0.28 live here
too, so that the limit check (``durable_limits``) and the adapter read one copy.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from typing import Any

from entente_regles.engine.matching import MatchRule, Scalar

SID = "0"
MAX_FIELDS = 240  # durable allows 255 properties per fact, the adapter's own names included
FIELD_NAMES = tuple(f"f{i}" for i in range(MAX_FIELDS))
FIXED_NAMES = ("sid", "k", "t", "p", "key", "q", "m", "x", *FIELD_NAMES)
PLAIN_MAX = 512  # longer strings are sent as a digest: durable compares only len % 65536 bytes
_KINDS = {"evenement": "e", "signal": "g", "instance": "i"}
_NONE = "n:"  # None: no encoded Scalar equals it
_DECIMAL_LIMIT = 10**400  # str() refuses ints past 4,300 digits: hex beyond this
_SENTINEL_RULE = "sentinel"
# Limits of durable_rules 2.0.28 measured on this adapter's own patterns (each probe in its
# own process): 512 distinct values tested on one field loop forever inside the C code (511
# work); 65 join rules on the instances of one norm fail with error 303 "could not assert
# fact" (64 work). A margin is kept below the first.
MAX_VALUES_PER_FIELD = 500
MAX_JOINS_PER_NORM = 64
MAX_SAFE_ID = 797_185  # ids "1".."797185": no two hashes clash (searched exhaustively)

Definition = dict[str, dict[str, Any]]


class BackendError(RuntimeError):
    """durable_rules failed, or an action raised, while matching."""


def _tagged(tag: str, text: str) -> str:
    try:
        raw: bytes | None = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: never sent as text
        raw = None
    if raw is not None and len(raw) <= PLAIN_MAX:
        return f"{tag}:{text}"
    return f"{tag}#" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def encode_value(value: Scalar | None) -> str:
    """Type-tagged string: equal encodings iff equal values of the same type."""
    if value is None:  # a party or key of None
        return _NONE
    if isinstance(value, bool):
        return "b:1" if value else "b:0"
    if isinstance(value, int):
        return _tagged("i", str(value) if abs(value) < _DECIMAL_LIMIT else f"x{value:x}")
    if isinstance(value, str):
        return _tagged("s", unicodedata.normalize("NFC", value))
    raise TypeError(f"not a str, int or bool: {value!r}")


def field_table(rules: Sequence[MatchRule]) -> dict[str, str]:
    """Logical field name -> fixed name, in order of first use by the rules."""
    table: dict[str, str] = {}
    for rule in rules:
        names = [test.field for test in rule.tests]
        names += [rule.join.key_field] if rule.join is not None else []
        for name in names:
            if name not in table:
                if len(table) == MAX_FIELDS:
                    raise BackendError(f"more than {MAX_FIELDS} distinct fields in the rules")
                table[name] = FIELD_NAMES[len(table)]
    return table


def compile_rules(rules: Sequence[MatchRule], table: dict[str, str]) -> Definition:
    """durable_rules definition (without actions) of ``rules``; rule i is named ``r{i}``."""
    definition: Definition = {_SENTINEL_RULE: {"all": [{"m": {"$and": [{"k": "z"}, {"t": "z"}]}}]}}
    for index, rule in enumerate(rules):
        tests = {(table[t.field], encode_value(t.value)) for t in rule.tests}
        fact_tests: list[dict[str, Any]] = [{"k": _KINDS[rule.kind]}]
        fact_tests.append({"t": encode_value(rule.type)})
        fact_tests += [{name: value} for name, value in sorted(tests)]
        if rule.join is None:
            patterns = [{"m": {"$and": fact_tests}}]
        else:
            fact_tests.append({table[rule.join.key_field]: {"x": "key"}})
            if rule.join.same_party:
                fact_tests.append({"p": {"x": "p"}})
            instance = {"$and": [{"k": "i"}, {"t": encode_value(rule.join.norm)}]}
            patterns = [{"x": instance}, {"m": {"$and": fact_tests}}]
        definition[f"r{index}"] = {"all": patterns}
    return definition
