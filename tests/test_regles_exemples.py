"""Every worked example (``[[exemple]]``) of the bundled rule files runs as a test, on every
matching engine, through the public :func:`entente_regles.run_examples` (what
``entente-regles test`` runs): the examples are the specification of their clause.

One test per example and engine, named ``file::example name-engine`` (pytest shows accents
escaped); a failure lists
every expectation that disagrees. The durable_rules backend is skipped (with its import
error) where it cannot be imported.
"""

from __future__ import annotations

from typing import Any

import pytest

import entente_regles as er
from entente_regles.agreement import Engine
from entente_regles.core.errors import RuleFileError
from entente_regles.engine.durable.backend import durable_available
from entente_regles.rules.metadata import Example
from entente_regles.rules.rulebook import RuleBook

ENGINES: tuple[Engine, ...] = ("python", "durable", "reference")


def _book() -> tuple[RuleBook | None, str | None]:
    try:
        return RuleBook.bundled(), None
    except RuleFileError as exc:
        return None, str(exc)


BOOK, LOAD_ERROR = _book()
DURABLE_MISSING = durable_available()


def _examples() -> list[Any]:
    if BOOK is None:
        return [pytest.param(None, id="chargement-des-regles")]
    return [pytest.param(example, id=f"{example.file}::{example.name}")
            for example in BOOK.examples]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("example", _examples())
def test_rule_file_example(example: Example | None, engine: Engine) -> None:
    assert BOOK is not None and example is not None, f"règles illisibles :\n{LOAD_ERROR}"
    if engine == "durable" and DURABLE_MISSING is not None:
        pytest.skip(DURABLE_MISSING)
    report = er.run_examples(BOOK, engine, examples=[example])
    assert report.ok, report.describe("fr")


def test_there_are_examples() -> None:
    assert BOOK is not None, LOAD_ERROR
    assert BOOK.examples, "no [[exemple]] in the bundled rule files"
