"""Event logs: validation errors name the file, the line and the field, in French and English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import entente_regles as er
from entente_regles.core.errors import ErrorLocation
from entente_regles.events import log as events_log
from entente_regles.events.log import read_events


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "journal.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_typed_events_and_skips_comments(tmp_path: Path) -> None:
    path = write(tmp_path,
                 "# un commentaire",
                 '{"type": "facture_emise", "date": "2026-05-01", "par": "mcn", '
                 '"facture": "F-1", "montant": "12500.00", "periode": "2026-04"}',
                 "",
                 '{"type": "avis_resiliation", "date": "2026-06-01", "par": "client", '
                 '"recu_le": "2026-06-03"}')
    first, second = read_events(path)
    assert first.data["montant"] == Decimal("12500.00")
    assert first.source == f"{path.name}:2"  # the name, never a path of the machine
    assert second.received == date(2026, 6, 3) and "date_effet" not in second.data


@pytest.mark.parametrize(("line", "field", "fr", "en"), [
    ('{"type": "paiement", "date": "2026-05-01", "par": "client", "facture": "F"}',
     "montant", "champ obligatoire manquant", "missing required field"),
    ('{"type": "pay", "date": "2026-05-01", "par": "client"}',
     "type", "type d'événement inconnu", "unknown event type"),
    ('{"type": "paiement", "date": "2026-13-01", "par": "client", "facture": "F", '
     '"montant": "1.00"}', "date", "AAAA-MM-JJ", "YYYY-MM-DD"),
    ('{"type": "paiement", "date": "2026-05-01", "par": "client", "facture": "F", '
     '"montant": 1.5}', "montant", "virgule flottante", "float"),
    ('{"type": "paiement", "date": "2026-05-01", "par": "client", "facture": "F", '
     '"montant": "-3.00"}', "montant", "positif", "positive"),
    ('{"type": "paiement", "date": "2026-05-01", "par": "tiers", "facture": "F", '
     '"montant": "1.00"}', "par", "doit être parmi", "must be one of"),
    ('{"type": "paiement", "date": "2026-05-01", "par": "client", "facture": "F", '
     '"montant": "1.00", "id": "x"}', "id", "champ inconnu", "unknown field"),
    ('{"type": "avis_resiliation", "date": "2026-05-03", "par": "client", '
     '"recu_le": "2026-05-01"}', "recu_le", "avant son envoi", "before it was sent"),
    ('{"type": "facture_emise", "date": "2026-05-03", "par": "mcn", "facture": "F", '
     '"montant": "1.00", "periode": "2026-5"}', "periode", "AAAA-MM", "YYYY-MM"),
    ('{"type": "incident", "date": "2026-05-03", "par": "mcn", "incident": "I-1", '
     '"nature": "panne"}', "nature", "valeur parmi confidentialite, securite",
     "expected one of confidentialite, securite"),
])
def test_bad_line_names_file_line_and_field(tmp_path: Path, line: str, field: str, fr: str,
                                            en: str) -> None:
    path = write(tmp_path, '{"type": "avis_resiliation", "date": "2026-05-01", "par": "mcn"}',
                 line)
    with pytest.raises(er.EventError) as caught:
        read_events(path)
    error = caught.value
    assert error.where.line == 2 and error.where.key == field
    assert fr in error.describe("fr") and f"{path}, ligne 2" in error.describe("fr")
    assert en in error.describe("en") and f"{path}:2 [{field}]" in error.describe("en")


def test_invalid_json_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(er.EventError, match="JSON"):
        read_events(write(tmp_path, "{not json"))
    with pytest.raises(er.EventError, match="cannot read"):
        read_events(tmp_path / "absent.jsonl")


def test_python_events_are_validated_like_files() -> None:
    agreement = er.Agreement(client="MSSS", in_force_from=date(2026, 4, 1), engine="python")
    with pytest.raises(er.EventError, match="montant"):
        agreement.evaluate([er.Event("paiement", date(2026, 5, 1), by="client",
                                     data={"facture": "F", "montant": 1.5})])
    evaluation = agreement.evaluate([er.Event(
        "facture_emise", date(2026, 5, 1), by="mcn",
        data={"facture": "F", "montant": Decimal("10.00"), "periode": "2026-04"})])
    found = evaluation.at(date(2026, 5, 1)).find("paiement-facture", "F")
    assert found is not None and found.balance == Decimal("10.00")


@pytest.mark.parametrize("amount", ["1234.5", "500", "1E+2", "0.1", "999999999999.9",
                                    "12.345", "0", "-1", "0.00", "NaN", "Infinity",
                                    "1000000000000", "1E+12"])
def test_a_python_amount_is_read_as_a_file_would_read_it(amount: str) -> None:
    """An amount given as a Decimal with fewer decimals than cents is converted to cents on
    a quick path; the answer (or the error) is the one the same amount gets the mapping's
    way, the way of a log line."""
    vocabulary = er.RuleBook.bundled().vocabulary
    event = er.Event("paiement", date(2026, 5, 1), by="client", received=date(2026, 5, 2),
                     data={"facture": "F-1", "montant": Decimal(amount)}, source="mine:3",
                     recorded=date(2026, 5, 3))
    where = ErrorLocation("mine", 3)
    raw = {"type": "paiement", "date": "2026-05-01", "par": "client", "recu_le": "2026-05-02",
           "enregistre_le": "2026-05-03", "facture": "F-1", "montant": Decimal(amount)}
    try:
        expected = events_log.event_from_mapping(raw, vocabulary, where)
    except er.EventError as refused:
        with pytest.raises(er.EventError) as caught:
            events_log.validate_event(event, vocabulary, where)
        assert (caught.value.fr, caught.value.en) == (refused.fr, refused.en)
        return
    checked = events_log.validate_event(event, vocabulary, where)
    assert checked.data == expected.data
    assert str(checked.data["montant"]) == str(expected.data["montant"])
    assert (checked.type, checked.date, checked.by, checked.received, checked.recorded,
            checked.source) == (event.type, event.date, event.by, event.received,
                                event.recorded, "mine:3")
    assert dict(event.data) == {"facture": "F-1", "montant": Decimal(amount)}  # untouched
