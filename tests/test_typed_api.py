"""The typed API (issue 20): ``Snapshot.get``/``get_option`` return or raise
``NoSuchInstance`` (a ``KeyError``) naming rule, key and date; records are
``ObligationRecord`` (a TypedDict whose keys are the output's columns); ``to_frame`` types
dates and amounts (decision 55)."""

from __future__ import annotations

import sys
import typing
from datetime import date
from decimal import Decimal

import pytest

import entente_regles as er
from entente_regles.query.frames import AMOUNT_COLUMNS, DATE_COLUMNS, frame
from entente_regles.query.serialization import RECORD_COLUMNS

AT = date(2026, 7, 15)


@pytest.fixture(scope="module")
def snapshot() -> er.Snapshot:
    agreement_file, journal = er.bundled_example()
    evaluation = er.Agreement.from_toml(agreement_file).evaluate(er.read_events(journal))
    return evaluation.at(AT)


def test_get_returns_the_instance_find_returns(snapshot: er.Snapshot) -> None:
    late = snapshot.get("paiement-facture", "F-2026-05")
    assert late == snapshot.find("paiement-facture", "F-2026-05")
    assert late.status is er.Status.LATE and late.key == "F-2026-05"
    assert snapshot.get("paiement-facture") == snapshot.find("paiement-facture")


def test_get_raises_a_key_error_naming_rule_key_and_date(snapshot: er.Snapshot) -> None:
    with pytest.raises(KeyError) as caught:
        snapshot.get("paiement-facture", "F-1999-01")
    error = caught.value
    assert isinstance(error, er.NoSuchInstance) and isinstance(error, er.EntenteError)
    assert (error.rule, error.key, error.on) == ("paiement-facture", "F-1999-01", AT)
    for said in (error.fr, error.en, str(error)):
        assert "paiement-facture" in said and "F-1999-01" in said and "2026-07-15" in said
    assert "clé" in error.fr and "key" in error.en and not str(error).startswith("'")
    with pytest.raises(er.NoSuchInstance, match="no instance of obligation 'nulle-part' on"):
        snapshot.get("nulle-part")


def test_get_option_returns_or_raises(snapshot: er.Snapshot) -> None:
    with pytest.raises(er.NoSuchInstance, match="faculté « reponse-modification »") as caught:
        snapshot.get_option("reponse-modification", "nulle")
    assert "faculty 'reponse-modification' with key 'nulle'" in caught.value.en
    for option in snapshot.options:
        assert snapshot.get_option(option.rule, option.key) == option


def test_get_names_hostile_keys_visibly(snapshot: er.Snapshot) -> None:
    with pytest.raises(er.NoSuchInstance) as caught:
        snapshot.get("paiement-facture", "F\x1b[2J")
    assert "\x1b" not in str(caught.value)


def test_records_are_obligation_records(snapshot: er.Snapshot) -> None:
    hints = typing.get_type_hints(er.ObligationRecord)
    assert tuple(hints) == RECORD_COLUMNS
    records = snapshot.to_records()
    assert len(records) == len(snapshot.obligations)
    for record in records:
        assert tuple(record) == RECORD_COLUMNS
        for column, value in record.items():
            expected = typing.get_args(hints[column]) or (hints[column],)
            assert isinstance(value, tuple(t for t in expected if isinstance(t, type))), column
    paid = next(r for r in records if r["cle"] == "F-2026-05")
    assert paid["solde"] == Decimal("12500.00") and paid["echeance"] == date(2026, 7, 2)


def test_frames_type_dates_and_amounts(snapshot: er.Snapshot) -> None:
    pandas = pytest.importorskip("pandas")
    table = snapshot.to_frame()
    for column in DATE_COLUMNS & set(table.columns):
        assert str(table[column].dtype) == "datetime64[ns]", column
    row = table[table["cle"] == "F-2026-05"].iloc[0]
    assert row["echeance"] == pandas.Timestamp(2026, 7, 2)
    assert row["solde"] == Decimal("12500.00")  # exact, never a float
    assert table["retard_politique"].dtype == bool
    aging = snapshot.aging().to_frame()
    assert str(aging["echeance"].dtype) == "datetime64[ns]"
    assert aging["jours_de_retard"].dtype == "int64"
    assert sum(aging["solde"], Decimal(0)) == snapshot.aging().total


def test_amount_columns_exact_with_or_without_pyarrow(snapshot: er.Snapshot) -> None:
    pytest.importorskip("pandas")
    records = [{"montant": Decimal("999999999999.99"), "au": date(2026, 1, 1)},
               {"montant": None, "au": None}]
    table = frame(records, ["montant", "au"])
    assert table["montant"].iloc[0] == Decimal("999999999999.99")
    assert table["au"].isna().tolist() == [False, True]
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert table["montant"].dtype == object
        return
    assert str(table["montant"].dtype) == "decimal128(38, 2)[pyarrow]"
    wider = frame([{"solde": Decimal("1.125")}], ["solde"])  # never rounded to fit
    assert list(wider["solde"]) == [Decimal("1.125")]


def test_empty_frames_keep_their_types() -> None:
    pytest.importorskip("pandas")
    table = frame([], ["echeance", "solde", "cle"])
    assert str(table["echeance"].dtype) == "datetime64[ns]" and len(table) == 0
    assert "float" not in str(table["solde"].dtype) and "solde" in AMOUNT_COLUMNS


def test_a_missing_durable_engine_says_which_extra_to_install(monkeypatch) -> None:
    from entente_regles.engine.durable import backend

    monkeypatch.setattr(backend, "_durable_pair", None)
    monkeypatch.setitem(sys.modules, "durable", None)  # its import fails, as on Python 3.13
    with pytest.raises(er.EngineUnavailable) as caught:
        er.Agreement(client="MSSS", in_force_from=date(2026, 4, 1), engine="durable").evaluate([])
    for said in (caught.value.fr, caught.value.en):
        assert 'pip install "entente-regles[durable]"' in said
