"""The agenda, its .ics export, the aging of unpaid balances, CSV tables and records."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import icalendar
import pytest

import entente_regles as er
from entente_regles.calendar.legal import LegalCalendar
from entente_regles.cli import commands as cli
from entente_regles.outputs.ics import agenda_to_ics, uid, working_days_before
from entente_regles.outputs.text import bundled_example
from entente_regles.query.agenda import KINDS, AgendaItem
from entente_regles.query.aging import BUCKET_CODES, bucket_of
from entente_regles.query.frames import MissingExtraError

AT = date(2026, 7, 15)
QUEBEC = er.RuleBook.bundled().calendar  # the bundled rule book's calendar


@pytest.fixture(scope="module")
def example() -> tuple[er.Agreement, er.Evaluation]:
    agreement_file, journal = bundled_example()
    agreement = attrs.evolve(er.Agreement.from_toml(agreement_file), engine="python")
    return agreement, agreement.evaluate(journal)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main([*argv, "--engine", "python"])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- agenda


def test_agenda_items_are_dated_in_order_and_derived_from_the_rules(example) -> None:
    _, evaluation = example
    agenda = evaluation.agenda(date(2026, 7, 1), date(2027, 4, 30))
    dates = [item.on for item in agenda]
    assert dates == sorted(dates) and all(date(2026, 7, 1) <= d <= date(2027, 4, 30)
                                          for d in dates)
    kinds = {item.kind for item in agenda}
    assert {"echeance", "fin_faculte", "fin_periode", "limite_preavis",
            "renouvellement"} <= kinds <= set(KINDS)
    by = {(i.kind, i.rule, i.key): i for i in agenda}
    f05 = by[("echeance", "paiement-facture", "F-2026-05")]
    assert f05.on == date(2026, 7, 2) and f05.status is er.Status.DUE  # paid late, on 07-20
    assert f05.article == "9.3" and f05.party == "client"
    assert "F-2026-05" in f05.explain() and "Art. 9.3" in f05.explain("en")
    renewal = by[("renouvellement", "actualisation-consommation", "2027-2028")]
    assert renewal.on == date(2027, 4, 1)
    # A faculty (a right with a window) closes: never an obligation, its own status.
    window = by[("fin_faculte", "actualisation-consommation", "2027-2028")]
    assert window.on == date(2027, 3, 31) and window.status is er.OptionStatus.EXERCISED
    assert "actualisation-consommation" in window.explain()
    as_known = {(i.kind, i.rule): i for i in evaluation.agenda(
        date(2027, 3, 1), date(2027, 3, 31), as_of=date(2026, 7, 15))}
    assert as_known[("fin_faculte", "actualisation-consommation")].status is \
        er.OptionStatus.OPEN  # exercised on 2027-03-15, not known on 2026-07-15
    notices = {i.rule: i for i in agenda if i.kind == "limite_preavis"}
    # 90-day minimum after receipt (14.2): received by 2026-12-31 for an end on 2027-04-01.
    assert notices["resiliation"].on == date(2026, 12, 31)
    assert "2027-04-01" in notices["resiliation"].explain()
    # At least 30 days before the effective date, counted by the legal calendar (13.2).
    cal = LegalCalendar(example[0].policy, days=QUEBEC)
    assert notices["modification-service"].on == cal.before(date(2027, 4, 1), 30)
    ends = [i for i in agenda if i.kind == "fin_periode" and i.rule == "facturation-periodique"]
    assert [i.on for i in ends][:2] == [date(2026, 7, 31), date(2026, 8, 31)]


def test_agenda_as_of_knows_only_earlier_acts(example) -> None:
    _, evaluation = example
    full = evaluation.agenda(AT, AT + timedelta(days=60))
    known = evaluation.agenda(AT, AT + timedelta(days=60), as_of=AT)
    keys_full = {(i.kind, i.rule, i.key) for i in full}
    keys_known = {(i.kind, i.rule, i.key) for i in known}
    assert ("echeance", "paiement-facture", "F-2026-06") in keys_full  # issued on 07-16
    assert ("echeance", "paiement-facture", "F-2026-06") not in keys_known
    # A projected period end is known in advance; its status is the one on AT.
    assert ("fin_periode", "facturation-periodique", "2026-07") in keys_known
    assert all(i.status in (None, er.Status.DUE, er.Status.IN_FORCE, er.Status.LATE)
               for i in known)


def test_agenda_termination_effective_date_and_no_notice_limit_after_it() -> None:
    agreement = er.Agreement(client="X", in_force_from=date(2026, 4, 1), engine="python")
    events = [er.Event("avis_resiliation", date(2026, 6, 1), by="client",
                       received=date(2026, 6, 3))]
    agenda = agreement.evaluate(events).agenda(date(2026, 6, 1), date(2027, 6, 1))
    effects = [i for i in agenda if i.kind == "prise_effet"]
    assert [(i.on, i.rule, i.party) for i in effects] == [
        (date(2026, 9, 2), "resiliation", "client")]
    assert "2026-09-02" in effects[0].explain()
    assert not [i for i in agenda if i.kind in ("limite_preavis", "renouvellement")]
    assert max(i.on for i in agenda if i.kind == "fin_periode") <= date(2026, 9, 1)


def test_agenda_extra_effective_date_and_records(example) -> None:
    _, evaluation = example
    agenda = evaluation.agenda(date(2026, 8, 1), date(2026, 12, 31),
                               effective_dates=[date(2026, 12, 1)])
    limits = {(i.rule, i.on) for i in agenda if i.kind == "limite_preavis"}
    assert ("resiliation", date(2026, 12, 1) - timedelta(days=91)) in limits
    records = agenda.to_records()
    assert records and all(isinstance(r["date"], date) for r in records)
    assert json.loads(json.dumps(agenda.to_dict("en")))["elements"][0]["explication"]
    with pytest.raises(ValueError):
        evaluation.agenda(date(2026, 8, 2), date(2026, 8, 1))


# --------------------------------------------------------------------------- ics


def test_ics_parses_back_with_every_field_and_is_byte_identical(example) -> None:
    agreement, evaluation = example
    agenda = evaluation.agenda(date(2026, 7, 1), date(2027, 4, 30))
    cal = agreement.legal_calendar()
    data = agenda_to_ics(agenda, "MSSS", cal, "en", alarm_days=5)
    again = agenda_to_ics(agreement.evaluate(bundled_example()[1])
                          .agenda(date(2026, 7, 1), date(2027, 4, 30)), "MSSS", cal, "en")
    assert data == again
    parsed = icalendar.Calendar.from_ical(data)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == len(agenda)
    uids = set()
    for event, item in zip(events, agenda, strict=True):
        assert str(event["UID"]) == uid(item, "MSSS")
        uids.add(str(event["UID"]))
        assert event.decoded("DTSTART") == item.on
        assert event.decoded("DTEND") == item.on + timedelta(days=1)
        # summary and categories in words (issue 20): the status said, never its code
        status = item.status.label("en") if item.status else None
        assert str(event["SUMMARY"]) == f"MSSS: {item.title('en')}" + (
            f" — {status}" if status else "")
        assert str(event["DESCRIPTION"]) == item.explain("en")
        assert f"Art. {item.article}" in str(event["DESCRIPTION"])
        cats = [str(c) for c in event["CATEGORIES"].cats]
        assert cats == list(dict.fromkeys([item.kind_label("en")] + ([status] if status
                                                                        else [])))
        assert event.decoded("DTSTAMP").date() == date(2026, 7, 1)
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
        before = item.on + alarms[0].decoded("TRIGGER")
        expected = working_days_before(cal, item.on, 5)
        born = date.fromisoformat(item.ident[-1]) if item.status is not None else None
        if born is not None and born > expected:  # never before the instance arose
            assert before == born
            continue
        assert before == expected
        assert sum(1 for n in range((item.on - before).days)
                   if cal.is_working_day(before + timedelta(days=n))) == 5
    assert len(uids) == len(events)
    # The same item keeps its UID when the window moves: a re-import updates it.
    shifted = evaluation.agenda(date(2026, 7, 2), date(2027, 5, 31))
    assert {uid(i, "MSSS") for i in agenda if i.on >= date(2026, 7, 2)} <= \
        {uid(i, "MSSS") for i in shifted}


def test_ics_cli_writes_a_file_and_no_alarm_on_request(capsys, tmp_path: Path) -> None:
    target = tmp_path / "agenda.ics"
    code, _, err = run(capsys, "agenda", "--du", "2026-07-01", "--au", "2026-09-30",
                       "--format", "ics", "--rappel", "0", "-o", str(target))
    assert code == 0, err
    parsed = icalendar.Calendar.from_ical(target.read_bytes())
    events = list(parsed.walk("VEVENT"))
    assert events and not list(parsed.walk("VALARM"))
    assert str(events[0]["SUMMARY"]).startswith("MSSS : ")


def test_working_days_before_skips_holidays() -> None:
    cal = LegalCalendar(er.Policy(), days=QUEBEC)
    # Tuesday 2026-05-19: Monday 05-18 is Journée nationale des patriotes.
    assert working_days_before(cal, date(2026, 5, 19), 1) == date(2026, 5, 15)


# --------------------------------------------------------------------------- aging


def test_aging_buckets_and_totals(example) -> None:
    _, evaluation = example
    aging = evaluation.at(AT).aging()
    lines = {line.key: line for line in aging.lines}
    assert lines["F-2026-04"].days_past == 41 and lines["F-2026-04"].bucket == "31_60"
    assert lines["F-2026-04"].balance == Decimal("2500.00")
    assert lines["F-2026-05"].bucket == "1_30"
    assert aging.total == Decimal("15000.00")
    assert aging.totals["31_60"] == Decimal("2500.00") and aging.counts["a_echoir"] == 0
    assert [bucket_of(d) for d in (0, 1, 30, 31, 60, 61, 90, 91)] == [
        "a_echoir", "1_30", "1_30", "31_60", "31_60", "61_90", "61_90", "plus_90"]
    assert set(aging.totals) == set(BUCKET_CODES)
    data = aging.to_dict()
    assert data["total"] == "15000.00" and {t["tranche"] for t in data["tranches"]} == set(
        BUCKET_CODES)


def test_soldes_cli_formats(capsys) -> None:
    code, out, _ = run(capsys, "soldes", "--at", "2026-07-15", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["cle"]: r["solde"] for r in rows} == {"F-2026-04": "2500.00",
                                                    "F-2026-05": "12500.00"}
    assert ";" not in out
    code, out, _ = run(capsys, "soldes", "--at", "2026-07-15", "--format", "json")
    assert json.loads(out)["total"] == "15000.00"
    code, out, _ = run(capsys, "soldes", "--at", "2026-07-15")
    assert "31 à 60 jours" in out and "15\u00a0000,00\u00a0$" in out


# --------------------------------------------------------------------------- tables


def test_snapshot_records_are_typed_and_csv_exact(example, capsys) -> None:
    _, evaluation = example
    records = evaluation.at(AT).to_records(owed_only=True)
    f04 = next(r for r in records if r["cle"] == "F-2026-04")
    assert f04["echeance"] == date(2026, 6, 4) and f04["solde"] == Decimal("2500.00")
    code, out, _ = run(capsys, "owed", "--at", "2026-07-15", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(records)
    row = next(r for r in rows if r["cle"] == "F-2026-04")
    assert row["echeance"] == "2026-06-04" and row["solde"] == "2500.00"
    _code, out, _ = run(capsys, "agenda", "--du", "2026-07-01", "--au", "2026-08-31",
                       "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and rows[0]["date"] == min(r["date"] for r in rows)


def test_to_frame_with_or_without_pandas(example) -> None:
    _, evaluation = example
    snapshot = evaluation.at(AT)
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(MissingExtraError, match="entente-regles\\[pandas\\]"):
            snapshot.to_frame()
        return
    frame = snapshot.to_frame()
    assert len(frame) == len(snapshot.obligations)


# --------------------------------------------------------------------------- CLI niceties


def test_version_and_explain_listing_and_json(capsys) -> None:
    code = cli.main(["--version"])
    out, _ = capsys.readouterr()
    assert code == 0 and out.startswith("entente-regles ")
    code, out, _ = run(capsys, "explain", "paiement-facture", "--at", "2026-07-15")
    assert code == 0 and "F-2026-04" in out and "F-2026-05" in out and "précisez" in out
    code, out, _ = run(capsys, "explain", "paiement-facture", "F-2026-04", "--at",
                       "2026-07-15", "--format", "json")
    data = json.loads(out)
    assert data["cle"] == "F-2026-04" and "Art. 9.3" in data["explication"]


def test_owed_table_shows_rule_ids(capsys) -> None:
    code, out, _ = run(capsys, "owed", "--at", "2026-07-15")
    assert code == 0
    line = next(line for line in out.splitlines() if "F-2026-04" in line)
    assert "paiement-facture" in line


def test_check_lang_and_missing_directory(capsys, tmp_path: Path) -> None:
    code = cli.main(["check", str(tmp_path / "absent"), "--lang", "en"])
    _, err = capsys.readouterr()
    assert code == cli.EXIT_INPUT and err.startswith("error:") and "absent" in err
    code = cli.main(["check", "--lang", "en"])
    out, _ = capsys.readouterr()
    assert code == 0 and "no findings" in out


def test_agenda_known_on_uses_only_events_recorded_by_then() -> None:
    agreement = er.Agreement(client="X", in_force_from=date(2026, 4, 1), engine="python")
    events = [
        er.Event("facture_emise", date(2026, 5, 1), by="mcn",
                 data={"facture": "F-1", "montant": "100.00", "periode": "2026-04"}),
        er.Event("paiement", date(2026, 5, 20), by="client",
                 data={"facture": "F-1", "montant": "100.00"}, recorded=date(2026, 6, 15)),
    ]
    evaluation = agreement.evaluate(events)

    def deadline(**kwargs: date) -> AgendaItem:
        agenda = evaluation.agenda(date(2026, 5, 1), date(2026, 6, 30), **kwargs)
        return next(i for i in agenda if i.kind == "echeance" and i.key == "F-1")

    assert deadline().status is er.Status.SATISFIED
    assert deadline(known_on=date(2026, 6, 10)).status is er.Status.DUE  # not recorded yet
    assert deadline(known_on=date(2026, 6, 15)).status is er.Status.SATISFIED


# --------------------------------------------------------------------------- one truth (issue 20)


def _evaluate(*raw: dict[str, object]) -> er.Evaluation:
    from entente_regles.core.errors import ErrorLocation
    from entente_regles.events.log import event_from_mapping
    book = er.RuleBook.bundled()
    events = [event_from_mapping(r, book.vocabulary, ErrorLocation("test", i + 1))
              for i, r in enumerate(raw)]
    return er.Agreement(client="X", in_force_from=date(2026, 4, 1),
                        engine="python").evaluate(events)


def _amended(**parameters: int) -> dict[str, object]:
    return {"type": "avenant", "date": "2026-05-01", "par": "mcn", "avenant": "A-1",
            "signe_par": ["mcn", "client"], "parametres": parameters}


def test_notice_limit_follows_an_amended_14_2_delay() -> None:
    """14.2 amended to 60 days: the latest receipt for an end on 2027-04-01 is 2027-01-30
    (the replay accepts it and refuses the next day), not the 90-day 2026-12-31."""
    amendment = _amended(delai_resiliation_jours=60)
    agenda = _evaluate(amendment).agenda(date(2026, 12, 1), date(2027, 3, 31))
    limits = [i.on for i in agenda if (i.kind, i.rule) == ("limite_preavis", "resiliation")]
    assert limits == [date(2027, 1, 30)]
    notice = {"type": "avis_resiliation", "par": "client", "date_effet": "2027-04-01"}
    on_time = _evaluate(amendment, {**notice, "date": "2027-01-30"})
    assert on_time.agreement_end == date(2027, 4, 1) and not [
        d for d in on_time.diagnostics if d.code == "preavis_insuffisant"]
    late = _evaluate(amendment, {**notice, "date": "2027-01-31"})
    assert [d.code for d in late.diagnostics if d.code == "preavis_insuffisant"]


def test_notice_limit_follows_an_amended_13_2_delay() -> None:
    """13.2 amended to 45 days: the agenda's limit for 2027-04-01 is 2027-02-15, so a notice
    received on 2027-02-20, which the replay flags late, is past it (was 2027-03-02)."""
    amendment = _amended(preavis_modification_jours=45)
    evaluation = _evaluate(amendment, {
        "type": "avis_modification_service", "date": "2027-02-20", "par": "mcn",
        "modification": "M-1", "service": "hebergement", "date_effet": "2027-04-01"})
    assert "preavis_tardif" in [d.code for d in evaluation.diagnostics]
    limit = next(i for i in evaluation.agenda(date(2027, 2, 1), date(2027, 3, 31))
                 if (i.kind, i.rule) == ("limite_preavis", "modification-service"))
    assert limit.on == date(2027, 2, 15) < date(2027, 2, 20)
    assert "45" in limit.explain() and "45" in limit.explain("en")
    # drawn up before the amendment was signed, the agenda knows the 30 days only
    before = evaluation.agenda(date(2027, 2, 1), date(2027, 3, 31), as_of=date(2026, 4, 15))
    assert [i.on for i in before if i.kind == "limite_preavis"
            and i.rule == "modification-service"] == [date(2027, 3, 2)]


def test_a_demands_deadline_is_an_echeance_of_its_instance() -> None:
    """A mise en demeure's deadline, which at() reports, is on the agenda (an echeance of
    the same instance, its own uid), known from the demand on."""
    evaluation = _evaluate(
        {"type": "recours", "date": "2026-05-05", "par": "mcn", "recours": "R-1"},
        {"type": "mise_en_demeure", "date": "2026-05-12", "par": "client",
         "recu_le": "2026-05-13", "obligation": "avis-recours", "cle": "R-1",
         "delai_jours": 10})
    reported = evaluation.at(date(2026, 5, 20)).find("avis-recours", "R-1")
    assert reported is not None and reported.deadline == date(2026, 5, 25)
    items = [i for i in evaluation.agenda(date(2026, 5, 1), date(2026, 6, 30))
             if (i.kind, i.rule) == ("echeance", "avis-recours")]
    assert [(i.on, i.key, i.status) for i in items] == [
        (date(2026, 5, 25), "R-1", er.Status.DUE)]
    assert "2026-05-25" in items[0].explain()
    unknown = evaluation.agenda(date(2026, 5, 1), date(2026, 6, 30), as_of=date(2026, 5, 11))
    assert not [i for i in unknown if (i.kind, i.rule) == ("echeance", "avis-recours")]


def test_faculty_windows_close_on_the_eve_of_a_known_end() -> None:
    """After the agreement ends no window is open: drawn up once the termination is known,
    or with the whole log, a faculty closes on the last day in force (decision 48)."""
    evaluation = _evaluate(
        {"type": "avis_resiliation", "date": "2026-05-01", "par": "client"},
        {"type": "avis_modification_service", "date": "2026-05-02", "par": "mcn",
         "modification": "M-1", "service": "hebergement", "date_effet": "2026-12-01"})
    assert evaluation.agreement_end == date(2026, 7, 31)
    for as_of in (None, date(2026, 6, 1)):
        agenda = evaluation.agenda(date(2026, 5, 1), date(2027, 4, 30), as_of=as_of)
        windows = {i.rule: i.on for i in agenda if i.kind == "fin_faculte"}
        assert windows == {"reponse-modification": date(2026, 7, 30),
                           "actualisation-consommation": date(2026, 7, 30)}, as_of
        assert all(i.on < date(2026, 7, 31) for i in agenda if i.kind != "prise_effet")


@pytest.mark.parametrize(("lang", "policy_words", "late_words"), [
    ("fr", "date indicative que la politique", "en retard selon la politique"),
    ("en", "indicative date the policy", "late under the policy")])
def test_owed_table_shows_policy_dates_as_the_json_does(capsys, lang, policy_words,
                                                        late_words) -> None:
    """A vague standard's row shows the policy's indicative date (the JSON's
    echeance_politique), marked † and explained under the table, never as a contractual
    deadline; a row marked * has its passed policy date, and * is explained too."""
    _, table, _ = run(capsys, "owed", "--at", "2026-07-15", "--lang", lang)
    _, raw, _ = run(capsys, "owed", "--at", "2026-07-15", "--format", "json")
    owed = [o for o in json.loads(raw)["obligations"]
            if o["statut"] == "a_echoir" and o["echeance_politique"] is not None]
    assert owed
    lines = table.splitlines()
    for ob in owed:
        row = next(line for line in lines if f" {ob['cle']}" in line
                   and ob["obligation"] in line)
        assert f"{ob['echeance_politique']} †" in row
        assert ("*" in row) is ob["retard_politique"]
    flat = " ".join(table.split())
    assert f"† {policy_words}" in flat and f"* {late_words}" in flat
    assert "plus brefs délais" not in " ".join(lines[:lines.index(next(
        line for line in lines if line.startswith("†")))])  # the wording: in the footnote


def test_readme_known_on_example_shows_a_forecast(capsys) -> None:
    """The README's --connu-le example shows what was known then (issue 20: it showed
    nothing, the agreement not yet in force): four owed, the 14 July incident not known."""
    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.is_file():
        pytest.skip("README.md not beside tests/")
    line = next(line for line in readme.read_text(encoding="utf-8").splitlines()
                if line.startswith("entente-regles owed") and "--connu-le" in line)
    argv = line.split("#")[0].split()[1:]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "Obligations dues : 4 (dont 2 en retard)" in out
    assert "INC-2026-014" not in out and "F-2026-05" in out
    _, today, _ = run(capsys, "owed", "--at", "2026-07-15")
    assert "INC-2026-014" in today  # known once recorded
