"""The .ics export stays right (issue 20): overdue items on the date asked, reminders never
before the item was known, SEQUENCE and LAST-MODIFIED so updates replace, cancellations with
``--precedent``, no path of the machine in any output, words rather than codes, and the
responsables of the agreement file as ORGANIZER and ATTENDEE. Every file is produced by the
command line on the bundled example and read back with ``icalendar``."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import icalendar
import pytest

from entente_regles.cli import commands as cli
from entente_regles.outputs.ics import KIND_PROPERTY, LATE_KIND
from entente_regles.rules.resources import bundled_example
from entente_regles.words.money import format_amount

CURRENCY = "CAD"  # the bundled rule book's ([entente] monnaie)


def agenda_ics(target: Path, *argv: str) -> tuple[int, bytes]:
    """``agenda --format ics -o target`` with ``argv``; the status and the file written."""
    code = cli.main(["agenda", "--format", "ics", "--engine", "python", "-o", str(target),
                     *argv])
    return code, target.read_bytes() if code == 0 else b""


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def by_kind(data: bytes, kind: str) -> list[icalendar.Event]:
    return [e for e in events(data) if str(e.get(KIND_PROPERTY)) == kind]


def key_of(event: icalendar.Event) -> str:
    return str(event["SUMMARY"]).split("(")[1].split(")")[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The files of a manager's weeks: 15 July, then 22 July with the previous one, then the
    same again (a rerun), and 15 July in English."""
    folder = tmp_path_factory.mktemp("ics")
    made: dict[str, bytes] = {}
    code, made["jul15"] = agenda_ics(folder / "jul15.ics", "--at", "2026-07-15")
    assert code == 0
    code, made["jul15_again"] = agenda_ics(folder / "again.ics", "--at", "2026-07-15")
    assert code == 0
    code, made["jul22"] = agenda_ics(folder / "jul22.ics", "--at", "2026-07-22", "--du",
                                     "2026-07-15", "--precedent", str(folder / "jul15.ics"))
    assert code == 0
    code, made["jul22_rerun"] = agenda_ics(folder / "rerun.ics", "--at", "2026-07-22", "--du",
                                           "2026-07-15", "--previous",
                                           str(folder / "jul22.ics"))
    assert code == 0
    code, made["en"] = agenda_ics(folder / "en.ics", "--at", "2026-07-15", "--lang", "en")
    assert code == 0
    return made


def test_overdue_items_appear_on_the_date_asked_with_days_late_and_balance(
        files: dict[str, bytes]) -> None:
    late = {key_of(e): e for e in by_kind(files["jul15"], LATE_KIND)}
    assert set(late) == {"F-2026-04", "F-2026-05"}  # the two late invoices of 15 July
    for key, days, balance in (("F-2026-04", 41, "2500.00"), ("F-2026-05", 13, "12500.00")):
        event = late[key]
        assert event.decoded("DTSTART") == date(2026, 7, 15)
        summary = str(event["SUMMARY"])
        amount = format_amount(Decimal(balance), CURRENCY, "fr_CA")
        assert f"EN RETARD de {days} jours" in summary and amount in summary
        assert f"{days} jours" in str(event["DESCRIPTION"])
        assert [str(c) for c in event["CATEGORIES"].cats] == ["en retard", "échéance"]
    english = {key_of(e): str(e["SUMMARY"]) for e in by_kind(files["en"], LATE_KIND)}
    assert "LATE by 41 days" in english["F-2026-04"]
    assert format_amount(Decimal("2500.00"), CURRENCY, "en_CA") in english["F-2026-04"]


def test_summaries_and_categories_are_words_in_the_language_asked(
        files: dict[str, bytes]) -> None:
    codes = {"echeance", "echeance_politique", "fin_periode", "a_echoir", "en_retard"}
    for name, data in files.items():
        for event in events(data):
            cats = {str(c) for c in event.get("CATEGORIES").cats} if "CATEGORIES" in event \
                else set()
            assert not cats & codes, (name, cats)
    english = events(files["en"])
    assert any("Policy deadline" in str(e["SUMMARY"]) and str(e["SUMMARY"]).endswith("due")
               for e in english)


def test_a_reminder_never_fires_before_the_item_was_known(files: dict[str, bytes]) -> None:
    # The incident recorded on 14 July: its policy deadline (15 July) gets its reminder on
    # 14 July, not five working days earlier (8 July).
    incident = next(e for e in events(files["jul15"]) if "INC-2026-014" in str(e["SUMMARY"]))
    (alarm,) = list(incident.walk("VALARM"))
    assert incident.decoded("DTSTART") + alarm.decoded("TRIGGER") == date(2026, 7, 14)
    # A periodic instance born 1 August (billing July): never reminded before it arose.
    billing = next(e for e in events(files["jul15"])
                   if "(2026-07)" in str(e["SUMMARY"]) and "politique" in str(e["SUMMARY"]))
    (alarm,) = list(billing.walk("VALARM"))
    assert billing.decoded("DTSTART") + alarm.decoded("TRIGGER") == date(2026, 8, 1)
    # An overdue item is reminded on the day it is shown, never earlier.
    for event in by_kind(files["jul15"], LATE_KIND):
        (alarm,) = list(event.walk("VALARM"))
        assert alarm.decoded("TRIGGER") == timedelta(0)


def test_sequence_and_last_modified_come_from_the_data(files: dict[str, bytes]) -> None:
    assert files["jul15"] == files["jul15_again"]  # reruns are byte-identical
    first = {str(e["UID"]): e for e in events(files["jul15"])}
    later = {str(e["UID"]): e for e in events(files["jul22"])}
    for event in [*first.values(), *later.values()]:
        assert isinstance(event.decoded("SEQUENCE"), int)
        assert event.decoded("LAST-MODIFIED") <= event.decoded("DTSTAMP")
    # F-2026-04: one payment (3 June) and 41 days late on 15 July, 48 on 22 July; the same
    # UID moves from day to day, its SEQUENCE going up each time.
    (late_04,) = [e for e in by_kind(files["jul15"], LATE_KIND) if key_of(e) == "F-2026-04"]
    assert int(late_04["SEQUENCE"]) == 41 + 1
    moved = later[str(late_04["UID"])]
    assert moved.decoded("DTSTART") == date(2026, 7, 22) and int(moved["SEQUENCE"]) == 48 + 1
    assert moved.decoded("LAST-MODIFIED").date() == date(2026, 7, 22)
    # The incident, notified on 16 July: one change, modified when it was recorded.
    uid = next(u for u, e in first.items() if "INC-2026-014" in str(e["SUMMARY"]))
    assert int(first[uid]["SEQUENCE"]) == 0
    assert first[uid].decoded("LAST-MODIFIED").date() == date(2026, 7, 14)
    assert int(later[uid]["SEQUENCE"]) == 1
    assert later[uid].decoded("LAST-MODIFIED").date() == date(2026, 7, 16)


def test_precedent_cancels_what_no_longer_applies(files: dict[str, bytes]) -> None:
    first = {str(e["UID"]): e for e in events(files["jul15"])}
    later = {str(e["UID"]): e for e in events(files["jul22"])}
    cancelled = {u: e for u, e in later.items() if str(e.get("STATUS")) == "CANCELLED"}
    # F-2026-05 was paid on 20 July: its overdue item is cancelled, SEQUENCE + 1.
    (uid,) = cancelled
    assert "F-2026-05" in str(cancelled[uid]["SUMMARY"])
    assert int(cancelled[uid]["SEQUENCE"]) == int(first[uid]["SEQUENCE"]) + 1
    assert not list(cancelled[uid].walk("VALARM"))
    # Every event of the earlier file is in the later one, updated or cancelled.
    assert set(first) <= set(later)
    for key, event in first.items():
        assert int(later[key]["SEQUENCE"]) >= int(event["SEQUENCE"])
    # Rerun with the file just written: the cancellation is sent again unchanged, the rest
    # keeps its SEQUENCE (nothing changed).
    rerun = {str(e["UID"]): e for e in events(files["jul22_rerun"])}
    assert set(rerun) == set(later)
    assert all(int(rerun[u]["SEQUENCE"]) == int(e["SEQUENCE"]) for u, e in later.items())
    assert str(rerun[uid]["STATUS"]) == "CANCELLED"


def test_precedent_leaves_items_outside_the_new_window_alone(tmp_path: Path) -> None:
    code, _ = agenda_ics(tmp_path / "old.ics", "--at", "2026-07-15", "--au", "2026-09-30")
    assert code == 0
    code, data = agenda_ics(tmp_path / "new.ics", "--at", "2026-07-15", "--au", "2026-07-31",
                            "--precedent", str(tmp_path / "old.ics"))
    assert code == 0
    assert not [e for e in events(data) if str(e.get("STATUS")) == "CANCELLED"]
    # A content change with the same computed SEQUENCE still goes above the previous one.
    old = {str(e["UID"]): e for e in events((tmp_path / "old.ics").read_bytes())}
    code, english = agenda_ics(tmp_path / "en.ics", "--at", "2026-07-15", "--au",
                               "2026-07-31", "--lang", "en", "--precedent",
                               str(tmp_path / "old.ics"))
    assert code == 0
    for event in events(english):
        assert int(event["SEQUENCE"]) == int(old[str(event["UID"])]["SEQUENCE"]) + 1


@pytest.mark.parametrize(("content", "expected"), [
    (b"not a calendar", "VCALENDAR"),
    (b"BEGIN:VEVENT\r\nUID:x@entente-regles\r\nEND:VEVENT\r\n", "VCALENDAR"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "UID"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x@entente-regles\r\nSEQUENCE:deux\r\n"
     b"END:VEVENT\r\nEND:VCALENDAR\r\n", "SEQUENCE"),
])
def test_a_bad_previous_file_is_a_clear_input_error(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes,
        expected: str) -> None:
    old = tmp_path / "old.ics"
    old.write_bytes(content)
    code, _ = agenda_ics(tmp_path / "new.ics", "--at", "2026-07-15", "--precedent", str(old))
    err = capsys.readouterr().err
    assert code == 2 and str(old) in err and expected in err
    assert "erreur :" in err and "error:" in err and "Traceback" not in err
    assert not (tmp_path / "new.ics").exists()


def test_no_path_of_the_machine_in_any_output(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    agreement, log = bundled_example()
    folder = tmp_path / "dossier-secret"
    folder.mkdir()
    shutil.copy(agreement, folder / "entente.toml")
    shutil.copy(log, folder / "journal.jsonl")
    files = ["--agreement", str(folder / "entente.toml"), "--events",
             str(folder / "journal.jsonl"), "--engine", "python", "--at", "2026-07-15"]
    window = ["--du", "2026-05-01", "--au", "2026-08-31"]
    commands = [["owed"], ["owed", "--format", "json"], ["owed", "--format", "csv"],
                ["agenda", *window], ["agenda", *window, "--format", "json"],
                ["agenda", *window, "--format", "csv"], ["agenda", *window, "--format", "ics"],
                ["soldes"], ["soldes", "--format", "json"], ["soldes", "--format", "csv"],
                ["explain", "paiement-facture", "F-2026-04"],
                ["explain", "paiement-facture", "F-2026-04", "--format", "json"],
                ["rapport", "-o", str(tmp_path / "rapport.html")]]
    for command in commands:
        assert cli.main([*command, *files]) == 0, command
        out = capsys.readouterr().out
        if command[0] == "rapport":
            out = (tmp_path / "rapport.html").read_text(encoding="utf-8")
        unfolded = out.replace("\r\n ", "")  # .ics lines unfolded
        assert str(folder) not in unfolded and str(tmp_path) not in unfolded, command
        if command[0] in ("explain", "rapport") or (command[0] == "agenda" and (
                "json" in command or "ics" in command)):
            assert "journal.jsonl:6" in unfolded, command  # the explanations name the file


def test_responsables_become_organizer_and_attendees(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    agreement, _ = bundled_example()
    text = Path(agreement).read_text(encoding="utf-8")
    good = tmp_path / "entente.toml"
    good.write_text(text + '\n[responsables.mcn]\nnom = "Élise Tremblay"\n'
                    'courriel = "elise.tremblay@mcn.example"\n\n[responsables.client]\n'
                    'nom = "Marc Gagnon"\ncourriel = "marc.gagnon@msss.example"\n',
                    encoding="utf-8")
    code, data = agenda_ics(tmp_path / "a.ics", "--at", "2026-07-15", "--agreement",
                            str(good))
    assert code == 0, capsys.readouterr().err
    for event in events(data):
        organizer = event["ORGANIZER"]
        assert str(organizer) == "mailto:elise.tremblay@mcn.example"
        assert str(organizer.params["CN"]) == "Élise Tremblay"
    late = by_kind(data, LATE_KIND)[0]  # owed by the client
    assert str(late["ATTENDEE"]) == "mailto:marc.gagnon@msss.example"
    # the same question with its own file as the previous one: nothing changed, same bytes
    code, again = agenda_ics(tmp_path / "a2.ics", "--at", "2026-07-15", "--agreement",
                             str(good), "--precedent", str(tmp_path / "a.ics"))
    assert code == 0 and again == data
    code, plain = agenda_ics(tmp_path / "b.ics", "--at", "2026-07-15")
    assert code == 0 and all("ATTENDEE" not in e and "ORGANIZER" not in e
                             for e in events(plain))
    # Checked at the edge: a bad address and a party the rule book does not know.
    bad = tmp_path / "mauvaise.toml"
    bad.write_text(text + '\n[responsables.client]\nnom = "Marc"\ncourriel = "marc@"\n\n'
                   '[responsables.inconnu]\nnom = "X"\ncourriel = "x@y.example"\n',
                   encoding="utf-8")
    code, _ = agenda_ics(tmp_path / "c.ics", "--at", "2026-07-15", "--agreement", str(bad))
    err = capsys.readouterr().err
    assert code == 2 and "responsables.client.courriel" in err and str(bad) in err
    bad.write_text(text + '\n[responsables.inconnu]\nnom = "X"\ncourriel = "x@y.example"\n',
                   encoding="utf-8")
    code, _ = agenda_ics(tmp_path / "c.ics", "--at", "2026-07-15", "--agreement", str(bad))
    err = capsys.readouterr().err
    assert code == 2 and "responsables.inconnu" in err and "mcn" in err


def test_precedent_needs_the_ics_format(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    code = cli.main(["agenda", "--at", "2026-07-15", "--precedent", str(tmp_path / "x.ics")])
    err = capsys.readouterr().err
    assert code == 2 and "--format ics" in err


def test_a_cancelled_event_keeps_the_old_words_made_visible(tmp_path: Path) -> None:
    old = tmp_path / "old.ics"
    old.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n"
                    b"UID:abc@entente-regles\r\nDTSTART;VALUE=DATE:20260720\r\n"
                    b"SEQUENCE:3\r\nSUMMARY:effac\x1b[2Je\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n"
                    b"UID:someone-else@example.org\r\nDTSTART;VALUE=DATE:20260720\r\n"
                    b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    code, data = agenda_ics(tmp_path / "new.ics", "--at", "2026-07-15", "--precedent",
                            str(old))
    assert code == 0 and b"\x1b" not in data
    # one cancellation: another program's UID is left alone
    (cancelled,) = [e for e in events(data) if str(e.get("STATUS")) == "CANCELLED"]
    assert str(cancelled["UID"]) == "abc@entente-regles" and int(cancelled["SEQUENCE"]) == 4
    assert str(cancelled["SUMMARY"]) == "effac\\x1b[2Je"


def test_a_reminder_waits_for_the_recording_and_is_dropped_when_it_came_too_late(
        tmp_path: Path) -> None:
    agreement, log = bundled_example()
    late_log = tmp_path / "journal.jsonl"
    late_log.write_text(Path(log).read_text(encoding="utf-8") + "\n".join((
        '{"type": "incident", "date": "2026-07-20", "par": "mcn", "incident": "INC-A", '
        '"nature": "securite", "enregistre_le": "2026-07-21"}',
        '{"type": "incident", "date": "2026-07-20", "par": "mcn", "incident": "INC-B", '
        '"nature": "securite", "enregistre_le": "2026-07-24"}')) + "\n", encoding="utf-8")
    code, data = agenda_ics(tmp_path / "a.ics", "--du", "2026-07-15", "--au", "2026-08-15",
                            "--agreement", str(agreement), "--events", str(late_log))
    assert code == 0
    found = {key: e for e in events(data) if (key := key_of(e)) in ("INC-A", "INC-B")}
    # both policy deadlines fall on 21 July (one working day after the incident)
    assert {e.decoded("DTSTART") for e in found.values()} == {date(2026, 7, 21)}
    (alarm,) = list(found["INC-A"].walk("VALARM"))  # recorded on its day: reminded that day
    assert alarm.decoded("TRIGGER") == timedelta(0)
    assert not list(found["INC-B"].walk("VALARM"))  # recorded after its day: no reminder
