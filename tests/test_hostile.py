"""Hostile input: no internal failure, no silent acceptance, no hang, one answer per input.

Hand-written edges first (dates, money, JSON, the Python constructor, the calendar's end),
then generated hostile logs (hypothesis): whatever a log holds, only the documented input
errors escape the API, each naming file, line and field, and the command line never exits 3.
The accepted ranges are those of ``entente_regles.limits`` and docs/limites.md.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import entente_regles as er
from entente_regles.calendar.legal import Policy
from entente_regles.cli import commands as cli
from entente_regles.core.errors import ErrorLocation
from entente_regles.core.input_limits import MAX_AMOUNT, MAX_JSON_DEPTH
from entente_regles.outputs.text import bundled_example, owed_table
from entente_regles.rules.resources import bundled_rules_dir

START = date(2026, 4, 1)
INVOICE = {"type": "facture_emise", "date": "2026-05-01", "par": "mcn", "facture": "F-1",
           "montant": "100.00", "periode": "2026-04"}
PAYMENT = {"type": "paiement", "date": "2026-05-10", "par": "client", "facture": "F-1",
           "montant": "40.00"}


def agreement(**changes: Any) -> er.Agreement:
    return er.Agreement(**{"client": "X", "in_force_from": START, "engine": "python",
                           **changes})


def write_log(tmp_path: Path, *lines: str, name: str = "journal.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def refusal(path: Path) -> er.EventError:
    with pytest.raises(er.EventError) as caught:
        er.read_events(path)
    return caught.value


def line_with(base: dict[str, Any], **fields: Any) -> str:
    return json.dumps({**base, **fields}, ensure_ascii=False)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(("value", "fr"), [
    ("20260801", "AAAA-MM-JJ"),
    ("2026-W31-3", "AAAA-MM-JJ"),
    ("2026-8-1", "AAAA-MM-JJ"),
    ("2026-02-30", "n'existe pas"),
    ("２０２６-０５-０１", "AAAA-MM-JJ"),
    ("1899-12-31", "hors de la plage"),
    ("2200-01-01", "hors de la plage"),
    ("9998-11-27", "hors de la plage"),
    ("9999-12-31", "hors de la plage"),
    ("0001-01-01", "hors de la plage"),
])
@pytest.mark.parametrize("key", ["date", "recu_le"])
def test_event_dates_outside_format_or_range_name_the_field(tmp_path: Path, value: str,
                                                             fr: str, key: str) -> None:
    path = write_log(tmp_path, line_with(INVOICE), line_with(PAYMENT, **{key: value}))
    error = refusal(path)
    assert (error.where.file, error.where.line, error.where.key) == (str(path), 2, key)
    assert fr in error.describe("fr") and error.describe("en")


def test_date_fields_are_held_to_the_same_range(tmp_path: Path) -> None:
    path = write_log(tmp_path, json.dumps({"type": "avis_resiliation", "date": "2026-05-01",
                                           "par": "client", "date_effet": "9999-12-31"}))
    assert refusal(path).where.key == "date_effet"


def test_edge_dates_inside_the_range_are_accepted(tmp_path: Path) -> None:
    path = write_log(tmp_path, line_with(INVOICE, date="2199-12-31", periode="2199-11"),
                     line_with(PAYMENT, date="2199-12-31", recu_le="2199-12-31"))
    evaluation = agreement(in_force_from=date(2199, 1, 1)).evaluate(path)
    found = evaluation.at(date(2199, 12, 31)).find("paiement-facture", "F-1")
    assert found is not None and found.balance == Decimal("60.00")


def test_a_datetime_is_not_a_date() -> None:
    event = er.Event("paiement", datetime(2026, 5, 10, 12), by="client",
                     data={"facture": "F-1", "montant": "1.00"})
    with pytest.raises(er.EventError) as caught:
        agreement().evaluate([event])
    assert caught.value.where.key == "date" and "heure" in caught.value.describe("fr")


def test_a_quoted_date_in_a_toml_example_says_to_remove_the_quotes() -> None:
    from entente_regles.events.log import event_from_mapping

    with pytest.raises(er.EventError) as caught:
        event_from_mapping({**PAYMENT}, er.RuleBook.bundled().vocabulary,
                           ErrorLocation("09-3.toml", None, "exemple[0].evenements[0]"))
    assert caught.value.where.key == "exemple[0].evenements[0].date"
    assert "guillemets" in caught.value.describe("fr") and "quotes" in caught.value.describe("en")


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(("amount", "fr"), [
    ("0.0000001", "deux décimales"),
    ("100.001", "deux décimales"),
    ("1" * 32, "maximum"),
    ("1" * 28, "maximum"),
    ("1000000000000.00", "maximum"),
    ("0.00", "positif"),
    ("١٠٠", "montant décimal"),       # Arabic-Indic digits
    ("１００", "montant décimal"),    # full-width digits
    ("1e3", "montant décimal"),
    ("NaN", "montant décimal"),
    ("-5.00", "montant décimal"),
])
def test_money_is_refused_the_same_way_on_every_path(tmp_path: Path, amount: str,
                                                     fr: str) -> None:
    path = write_log(tmp_path, line_with(INVOICE, montant=amount))
    from_file = refusal(path)
    assert (from_file.where.line, from_file.where.key) == (1, "montant")
    assert fr in from_file.describe("fr")
    values: list[object] = [amount]
    if fr in ("deux décimales", "maximum", "positif"):  # the same number as a Decimal
        values.append(Decimal(amount))
    for value in values:
        event = er.Event("facture_emise", date(2026, 5, 1), by="mcn",
                         data={"facture": "F-1", "montant": value, "periode": "2026-04"})
        with pytest.raises(er.EventError) as caught:
            agreement().evaluate([event])
        assert caught.value.where.key == "montant"


def test_money_at_the_maximum_is_exact_and_shown() -> None:
    biggest = str(MAX_AMOUNT)
    events = [er.Event("facture_emise", date(2026, 5, 1), by="mcn",
                       data={"facture": "F-1", "montant": biggest, "periode": "2026-04"}),
              er.Event("paiement", date(2026, 5, 2), by="client",
                       data={"facture": "F-1", "montant": Decimal(biggest)})]
    snapshot = agreement().evaluate(events).at(date(2026, 7, 1))
    found = snapshot.find("paiement-facture", "F-1")
    assert found is not None and found.balance == 0 and found.status is er.Status.SATISFIED
    unpaid = agreement().evaluate(events[:1]).at(date(2026, 7, 1))
    assert "999" in owed_table(unpaid, "X")


def test_equal_amounts_from_every_path_are_equal() -> None:
    written = ["100", "100.0", "100.00", Decimal("1E+2"), Decimal("100.000")]
    amounts = set()
    for value in written:
        event = er.Event("facture_emise", date(2026, 5, 1), by="mcn",
                         data={"facture": "F-1", "montant": value, "periode": "2026-04"})
        found = agreement().evaluate([event]).at(date(2026, 5, 1)).find("paiement-facture")
        assert found is not None
        amounts.add(found.to_dict()["montant"])
    assert amounts == {"100.00"}


# --------------------------------------------------------------------------- JSON Lines


def test_deep_nesting_is_refused_with_its_line(tmp_path: Path) -> None:
    for depth in (MAX_JSON_DEPTH + 1, 1_000, 100_000):
        path = write_log(tmp_path, line_with(INVOICE),
                         '{"type": "paiement", "x": ' + "[" * depth + "]" * depth + "}")
        error = refusal(path)
        assert error.where.line == 2 and "imbriqué" in error.describe("fr")


def test_escaped_quotes_are_scanned_once(tmp_path: Path) -> None:
    """The nesting check reads each character once: a line of 100,000 escaped quotes (the
    shape that makes a naive string pattern quadratic) is refused as invalid JSON."""
    error = refusal(write_log(tmp_path, '"' + '\\"' * 100_000))
    assert error.where.line == 1 and "JSON invalide" in error.describe("fr")


def test_long_integers_nan_and_duplicate_keys_are_refused(tmp_path: Path) -> None:
    def payment(raw: str) -> str:
        return ('{"type": "paiement", "date": "2026-05-10", "par": "client", "facture": "F-1", '
                f'"montant": {raw}}}')

    cases = {
        payment("9" * 4_400): ("montant", "4400 chiffres"),
        payment("[-" + "9" * 31 + "]"): ("montant", "31 chiffres"),
        payment("NaN"): ("montant", "NaN"),
        payment("-Infinity"): ("montant", "Infinity"),
        '{"type": "paiement", "type": "facture_emise"}': (None, "double"),
    }
    for line, (key, fr) in cases.items():
        error = refusal(write_log(tmp_path, line))
        assert error.where.line == 1 and error.where.key == key, line[:80]
        assert fr in error.describe("fr"), error


def test_lone_surrogates_are_refused_naming_the_key(tmp_path: Path) -> None:
    in_value = line_with(PAYMENT)[:-1] + ', "facture": "F\\ud800"}'
    assert "double" in refusal(write_log(tmp_path, in_value)).describe("fr")
    value = json.dumps({**PAYMENT, "facture": "F\ud800"})
    error = refusal(write_log(tmp_path, value))
    assert (error.where.line, error.where.key) == (1, "facture")
    key = json.dumps({**PAYMENT, "\udc00": 1})
    error = refusal(write_log(tmp_path, key))
    assert error.where.line == 1 and error.describe("en").encode("utf-8")


def test_lines_split_on_newline_only_with_bom_and_crlf(tmp_path: Path) -> None:
    text = ("\ufeff" + line_with(INVOICE) + "\r\n"
            + line_with(PAYMENT, facture="F-\u2028-\x85-1") + "\r\n")
    path = tmp_path / "journal.jsonl"
    path.write_bytes(text.encode("utf-8"))
    # one line each: U+2028 stays inside the string (no JSON error), where the field refuses
    # it as invisible (issue 22); the line after a BOM and a CRLF is line 2
    error = refusal(path)
    assert error.where.line == 2 and error.where.key == "facture" and "U+2028" in error.en
    path.write_bytes(text.replace("F-\u2028-\x85-1", "F-1").encode("utf-8"))
    assert [e.source for e in er.read_events(path)] == ["journal.jsonl:1", "journal.jsonl:2"]


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(line_with(INVOICE).encode() + b"\n" + b'{"type": "\xff"}\n')
    error = refusal(path)
    assert error.where.line == 2 and "UTF-8" in error.describe("fr")


def test_a_huge_value_is_quoted_short_in_the_message(tmp_path: Path) -> None:
    error = refusal(write_log(tmp_path, line_with(PAYMENT, type="x" * 1_000_000)))
    assert len(error.describe("fr")) < 2_000 and error.where.key == "type"


# --------------------------------------------------------------------------- constructor


@pytest.mark.parametrize(("changes", "exception", "word"), [
    ({"rules": "regles"}, TypeError, "RuleBook.from_directory"),
    ({"rules": Path("regles")}, TypeError, "RuleBook"),
    ({"client": ["X"]}, TypeError, "client"),
    ({"client": "  "}, ValueError, "client"),
    ({"services": "hebergement"}, TypeError, "services"),
    ({"services": [1, "a"]}, TypeError, "services"),
    ({"services": {"a": "2026-04-01"}}, TypeError, "services"),
    ({"services": {"a": date(9999, 1, 1)}}, ValueError, "services"),
    ({"in_force_from": datetime(2026, 4, 1)}, TypeError, "in_force_from"),
    ({"in_force_from": "2026-04-01"}, TypeError, "in_force_from"),
    ({"in_force_from": date(9999, 6, 1)}, ValueError, "in_force_from"),
    ({"in_force_from": date(1, 1, 1)}, ValueError, "in_force_from"),
    ({"annex": [("a", 1)]}, TypeError, "annex"),
    ({"annex": {1: 2}}, TypeError, "annex"),
    ({"policy": {"vague_deadlines": {}}}, TypeError, "Policy"),
    ({"engine": "rete"}, ValueError, "rete"),
])
def test_agreement_refuses_wrong_arguments_at_construction(changes: dict[str, Any],
                                                           exception: type[Exception],
                                                           word: str) -> None:
    with pytest.raises(exception) as caught:
        agreement(**changes)
    message = str(caught.value)
    assert word in message and " / " in message  # French, then English


def test_policy_bounds_vague_deadlines() -> None:
    with pytest.raises(ValueError, match="365"):
        Policy(vague_deadlines={"plus_brefs_delais": 1_000_000})
    with pytest.raises(ValueError):
        Policy(vague_deadlines={"plus_brefs_delais": 10 ** 5_000})
    Policy(vague_deadlines={"plus_brefs_delais": 365})


@pytest.mark.parametrize("content", [
    'client = "X"\nen_vigueur_le = 2026-04-01T00:00:00\n',
    'client = "X"\nen_vigueur_le = 2026-04-01\nservices = [1, "a"]\n',
    'client = "X"\nen_vigueur_le = 9999-06-01\n',
    'client = "X"\nen_vigueur_le = 0001-01-01\n',
    'client = "X"\nen_vigueur_le = 2026-04-01\n[politique]\nvague_deadlines = '
    "{ plus_brefs_delais = 1000000 }\n",
])
def test_agreement_files_never_end_in_an_internal_failure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    file = tmp_path / "entente.toml"
    file.write_text(content, encoding="utf-8")
    log = write_log(tmp_path, line_with(INVOICE))
    code = cli.main(["owed", "--agreement", str(file), "--events", str(log), "--at",
                     "2026-07-01", "--engine", "python"])
    assert code == 2, capsys.readouterr().err
    assert str(file) in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--in-force-from", "--at"])
@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "9999-06-01", "9999-12-31"])
def test_edge_dates_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                        option: str, value: str) -> None:
    log = write_log(tmp_path, line_with(INVOICE))
    file = tmp_path / "entente.toml"  # billing every 305 years: a short report in year 9999
    file.write_text('client = "X"\nen_vigueur_le = 2026-04-01\n'
                    "[annexe]\nfrequence_facturation_mois = 3660\n", encoding="utf-8")
    argv = ["owed", "--events", str(log), "--agreement", str(file), "--in-force-from",
            "2026-04-01", "--at", "2026-07-01", "--engine", "python", "--format", "json"]
    argv[argv.index(option) + 1] = value
    code = cli.main(argv)
    _, err = capsys.readouterr()
    # a question's date too lies from 1900-01-01 to 2199-12-31 on the command line (issue 22)
    assert code == 2, err
    assert f"{option} : date {value} hors de la plage acceptée" in err


# --------------------------------------------------------------------------- the calendar's end


def test_any_at_date_and_beyond_the_calendar() -> None:
    evaluation = agreement(in_force_from=date(2199, 12, 1),
                           annex={"frequence_facturation_mois": 3660}).evaluate([])
    assert not evaluation.at(date.min).agreement_in_force
    evaluation.at(date(7000, 1, 1))
    evaluation.at(date(7000, 1, 2))  # extends the horizon past year 9999: capped
    last = evaluation.at(date.max)
    assert last.agreement_in_force
    billing = [o for o in last.obligations if o.rule == "facturation-periodique"]
    assert billing and billing[-1].explain()
    renewal = [o for o in last.options if o.article == "15"]  # a faculty (issue 7)
    beyond = renewal[-1].explain("en")
    assert renewal[-1].closes_on is None and "beyond the calendar" in beyond, beyond
    json.dumps(last.to_dict())


def test_both_engines_agree_at_the_range_end() -> None:
    pytest.importorskip("durable")
    log = [er.Event("facture_emise", date(2199, 12, 20), by="mcn",
                    data={"facture": "F-1", "montant": "10.00", "periode": "2199-11"}),
           er.Event("avis_resiliation", date(2199, 12, 31), by="client",
                    received=date(2199, 12, 31))]
    answers = []
    for engine in ("python", "durable"):
        evaluation = agreement(in_force_from=date(2199, 1, 1), engine=engine).evaluate(log)
        answers.append([evaluation.at(on).to_dict()
                        for on in (date(2199, 12, 31), date(2200, 6, 1), date(2300, 1, 1))])
    assert answers[0] == answers[1]


# --------------------------------------------------------------------------- one answer


COMPETING_POWER = """
[[pouvoir]]
id = "resiliation-par-le-mcn"
article = "14.2"
libelle = { fr = "Résiliation réservée au MCN", en = "Termination reserved to the MCN" }
titulaire = "mcn"
acte = { evenement = "avis_resiliation" }
preavis = { jours = 10 }
effet = { action = "fin_entente", date = "date_effet" }
"""


def competing_rules(tmp_path: Path) -> Path:
    """The bundled rules plus a second power on the termination notice: a notice from the
    client is void under one and valid under the other, so their order decides."""
    rules = tmp_path / "regles"
    rules.mkdir()
    for source in bundled_rules_dir().glob("*.toml"):
        (rules / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (rules / "calendriers").mkdir()  # the calendar file evenements.toml names
    for source in (bundled_rules_dir() / "calendriers").glob("*.toml"):
        (rules / "calendriers" / source.name).write_text(source.read_text(encoding="utf-8"),
                                                         encoding="utf-8")
    termination = next(rules.glob("14-*.toml"))
    text = termination.read_text(encoding="utf-8")
    head, tail = text.split("[[non_encode]]", 1)
    termination.write_text(head + COMPETING_POWER + "\n[[non_encode]]" + tail, encoding="utf-8")
    return rules


def test_same_output_under_every_hash_seed(tmp_path: Path) -> None:
    rules = competing_rules(tmp_path)
    log = write_log(tmp_path, line_with(INVOICE),
                    json.dumps({"type": "avis_resiliation", "date": "2026-06-01",
                                "par": "client"}))
    outputs = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        proc = subprocess.run(
            [sys.executable, "-m", "entente_regles.cli", "owed", "--rules", str(rules),
             "--events", str(log), "--client", "X", "--in-force-from", "2026-04-01",
             "--at", "2026-12-01", "--engine", "python", "--format", "json"],
            capture_output=True, check=False, env={**os.environ, "PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr.decode()
        outputs.add(proc.stdout)
    assert len(outputs) == 1


def test_one_evaluation_queried_from_many_threads() -> None:
    """Many dates (more than the snapshot memo holds, and far enough to extend the replay)
    asked from several threads at once give the answers one thread gets."""
    agreement_file, journal = bundled_example()
    shared = er.Agreement.from_toml(agreement_file, engine="python").evaluate(journal)
    dates = [date(2026, 3, 1) + timedelta(days=d) for d in range(0, 12 * 365, 7)]
    fresh = er.Agreement.from_toml(agreement_file, engine="python").evaluate(journal)

    def answer(evaluation: er.Evaluation, on: date) -> list[tuple[Any, ...]]:
        snapshot = evaluation.at(on)
        return [(o.rule, o.key, o.status, o.balance) for o in snapshot.owed] + [
            (snapshot.agreement_in_force, len(snapshot.diagnostics))]

    expected = {on: answer(fresh, on) for on in dates}
    failures: list[BaseException] = []
    wrong: list[date] = []

    def work(worker: int) -> None:
        order = dates[:]
        random.Random(worker).shuffle(order)
        try:
            for on in order:
                if answer(shared, on) != expected[on]:
                    wrong.append(on)
        except BaseException as exc:
            failures.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not failures and not wrong, (failures[:3], wrong[:3])


# --------------------------------------------------------------------------- generated


HOSTILE_TEXT = st.sampled_from([
    "", " ", "\x00", "\x1b[2J", "\u202e", "\u2028", "\x85", "\ufeff", "é", "e\u0301", "١٠٠",
    "１００", "𝟙𝟘𝟘", "x" * 5_000, "\\", '"', "F-1",
])
HOSTILE_DATE = st.sampled_from([
    "2026-05-01", "1900-01-01", "2199-12-31", "1899-12-31", "2200-01-01", "9998-11-27",
    "9999-12-31", "0001-01-01", "20260801", "2026-W31-3", "2026-02-30", "2026-13-01",
    "2026-05-01T00:00:00", "２０２６-０５-０１", "",
]) | st.dates().map(date.isoformat)
HOSTILE_AMOUNT = st.sampled_from([
    "100.00", "0.01", "0.0000001", "1" * 32, "1" * 28, str(MAX_AMOUNT), "999999999999.999",
    "0", "-1", "1e3", "NaN", "Infinity", "١٠٠", "１００", " 5 ", "5.", ".5",
]) | st.decimals(allow_nan=False, allow_infinity=False).map(str)
HOSTILE_VALUE = st.one_of(
    HOSTILE_TEXT, HOSTILE_DATE, HOSTILE_AMOUNT, st.integers(), st.booleans(), st.none(),
    st.floats(allow_nan=False, allow_infinity=False), st.lists(HOSTILE_TEXT, max_size=3),
    st.dictionaries(HOSTILE_TEXT, st.integers(), max_size=2),
    st.lists(st.sampled_from(["mcn", "client", "x"]), max_size=3))
RAW_LINES = st.sampled_from([
    "{", "[]", "null", "1", '"x"', "{}", '{"type": 1}', "{'type': 'paiement'}",
    '{"type": "paiement", "montant": ' + "9" * 5_000 + "}", "[" * 50_000,
    '{"type": "paiement", "a": 1, "a": 2}', '{"type": "paiement", "x": NaN}',
    '{"type": "paiement", "x": "\\ud800"}', '{"\\udfff": 1}', "\x00", "\ufeff{}",
    '{"type": "paiement"}\u2028', "#" + "\u202e" * 10, "\x1b[2J ALL PAID",
])
TEMPLATES = [INVOICE, PAYMENT,
             {"type": "avis_resiliation", "date": "2026-06-01", "par": "client",
              "date_effet": "2026-12-01"},
             {"type": "incident", "date": "2026-06-01", "par": "mcn", "incident": "I-1",
              "nature": "confidentialite"},
             {"type": "avenant", "date": "2026-06-01", "par": "mcn", "avenant": "A-1",
              "signe_par": ["mcn", "client"]}]


@st.composite
def hostile_line(draw: st.DrawFn) -> tuple[str, str | None]:
    """A log line and, for a well-formed object with one altered field, that field."""
    kind = draw(st.sampled_from(["value", "extra", "raw"]))
    if kind == "raw":
        return draw(RAW_LINES), None
    base = dict(draw(st.sampled_from(TEMPLATES)))
    field = draw(st.sampled_from(sorted(base)) if kind == "value"
                 else HOSTILE_TEXT.filter(lambda k: k not in base))
    base[field] = draw(HOSTILE_VALUE)
    return json.dumps(base, ensure_ascii=draw(st.booleans())), field


def good_lines() -> list[str]:
    return [line_with(INVOICE), line_with(PAYMENT)]


@given(st.lists(hostile_line(), min_size=1, max_size=4), st.sampled_from([
    date(2026, 7, 1), date(1900, 1, 1), date(2199, 12, 31)]))
def test_hostile_logs_end_in_an_answer_or_a_located_error(
        tmp_path_factory: pytest.TempPathFactory,
        lines: list[tuple[str, str | None]], at: date) -> None:
    path = tmp_path_factory.mktemp("hostile") / "journal.jsonl"
    text = "\n".join(good_lines() + [line for line, _ in lines]) + "\n"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        evaluation = agreement().evaluate(path)
    except er.InputError as error:
        assert error.where.file == str(path)
        assert error.where.line is not None and error.where.line > 2
        _, field = lines[error.where.line - 3]
        if field is not None:
            assert error.where.key is not None
        error.describe("fr").encode("utf-8")
        error.describe("en").encode("utf-8")
        return
    snapshot = evaluation.at(at)
    json.dumps(snapshot.to_dict(), ensure_ascii=False).encode("utf-8")
    for ob in snapshot.obligations[-20:]:
        ob.explain().encode("utf-8")


@given(st.lists(hostile_line(), min_size=1, max_size=3),
       st.sampled_from(["table", "json"]),
       st.sampled_from(["2026-07-01", "2199-12-31", "0001-01-01"]))
def test_the_command_line_never_fails_internally(
        tmp_path_factory: pytest.TempPathFactory, lines: list[tuple[str, str | None]],
        output: str, at: str) -> None:
    path = tmp_path_factory.mktemp("hostile") / "journal.jsonl"
    text = "\n".join(good_lines() + [line for line, _ in lines]) + "\n"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    argv = ["owed", "--events", str(path), "--client", "X", "--in-force-from", "2026-04-01",
            "--at", at, "--engine", "python", "--format", output]
    code = cli.main(argv)
    assert code in (0, 2)


@given(st.sampled_from(TEMPLATES), st.data())
def test_hostile_python_events_raise_only_located_input_errors(template: dict[str, Any],
                                                               data: st.DataObject) -> None:
    fields = {k: v for k, v in template.items() if k not in ("type", "date", "par")}
    name = data.draw(st.sampled_from(sorted(fields)))
    fields[name] = data.draw(HOSTILE_VALUE | st.decimals(allow_nan=True))
    when = data.draw(st.dates() | HOSTILE_DATE)
    received = data.draw(st.none() | st.dates())
    event = er.Event(template["type"], when, by=template["par"], received=received,
                     data=fields)
    try:
        evaluation = agreement().evaluate([event])
    except er.EventError as error:
        assert error.where.key in (name, "date", "recu_le"), error
        error.describe("en").encode("utf-8")
        return
    json.dumps(evaluation.at(date(2199, 12, 31)).to_dict(), ensure_ascii=False).encode("utf-8")
