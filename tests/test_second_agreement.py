"""The second agreement shipped with the project: the Common Paper Cloud Service Agreement
(Standard Terms v2.1, CC BY 4.0), English only, English law, GBP — regles/common-paper-csa.

- the rule book loads, and declares what makes it another agreement (English, en_GB, GBP,
  parties provider and customer);
- every worked example passes on every engine (durable_rules skipped where it cannot be
  imported), as tests/test_regles_exemples.py does for the MCN rule book;
- the year-long log (journal.jsonl) with the agreement file (entente.toml) gives, on a few
  dates, the answers worked out by hand from the text and the England calendar (each one
  commented below);
- what a user reads (owed, explain, agenda, rapport through the CLI) is English, in pounds,
  and cites nothing of Quebec.
"""

from __future__ import annotations

import contextlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from entente_regles.agreement import Agreement, Engine
from entente_regles.check.examples import run_example
from entente_regles.cli import main as cli_main
from entente_regles.core.errors import RuleFileError
from entente_regles.engine.durable.backend import durable_available
from entente_regles.query.evaluation import Evaluation
from entente_regles.rules.metadata import Example
from entente_regles.rules.rulebook import RuleBook

ROOT = Path(__file__).resolve().parent.parent
CSA = ROOT / "regles" / "common-paper-csa"
AGREEMENT = CSA / "entente.toml"
LOG = CSA / "journal.jsonl"
ENGINES: tuple[Engine, ...] = ("python", "durable", "reference")
DURABLE_MISSING = durable_available()
QUEBEC = ("$", "C.c.Q", "CCQ", "Québec", "Quebec", "I-16", "C.p.c", "Fête", "MCN")


def _book() -> tuple[RuleBook | None, str | None]:
    try:
        return RuleBook.from_directory(CSA), None
    except RuleFileError as exc:
        return None, str(exc)


BOOK, LOAD_ERROR = _book()


def _examples() -> list[Any]:
    if BOOK is None:
        return [pytest.param(None, id="chargement-des-regles")]
    return [pytest.param(example, id=f"{example.file}::{example.name}")
            for example in BOOK.examples]


def test_rule_book_loads_and_is_another_agreement() -> None:
    assert BOOK is not None, LOAD_ERROR
    facts = BOOK.agreement
    assert facts.languages == ("en",)
    assert facts.currency == "GBP"
    assert facts.locale("en") == "en_GB"
    assert facts.text_file is not None and facts.text_file.endswith("entente.txt")
    assert BOOK.parties == ("provider", "customer")
    assert BOOK.vocabulary.party_label("provider", "en") == "Provider"
    assert len(BOOK.examples) >= 30


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("example", _examples())
def test_example(example: Example | None, engine: Engine) -> None:
    assert BOOK is not None and example is not None, f"rules unreadable:\n{LOAD_ERROR}"
    if engine == "durable" and DURABLE_MISSING is not None:
        pytest.skip(DURABLE_MISSING)
    failures = run_example(BOOK, example, engine)
    assert not failures, f"{example.file} — {example.name} ({engine}):\n  " + "\n  ".join(failures)


# The checker finds nothing: the refund of 6.4 has no time in the text while its section
# states "45 days" twice, but both are the deadlines of the section's other rules (the
# warranty notice and the restoration), so the refund's silence is not contradicted.
KNOWN_FINDINGS: set[tuple[str, str, str]] = set()


def test_check_compares_the_rule_book_with_its_own_text() -> None:
    from entente_regles.check import check_directory

    findings = check_directory(CSA)
    unexpected = [f.describe("en") for f in findings
                  if not any(f.file.endswith(file) and f.code == code and rule in f.message_en
                             for file, code, rule in KNOWN_FINDINGS)]
    assert not unexpected, "\n".join(unexpected)


def test_documented_runner_and_readers() -> None:
    """The façade's way to run a rule book's examples, and to read its log: with the rule
    book's own vocabulary (the bundled MCN one would refuse these event types)."""
    import entente_regles as er

    assert BOOK is not None, LOAD_ERROR
    report = er.run_examples(CSA, engine="python")
    assert report.ok and len(report.passed) == len(BOOK.examples)
    events = er.read_events(LOG, BOOK)
    assert len(events) == 38
    agreement = Agreement.from_toml(AGREEMENT, rules=BOOK)
    assert len(agreement.read_events(LOG)) == 38


# --------------------------------------------------------------------------- the year's log


@pytest.fixture(scope="module", params=ENGINES)
def year(request: pytest.FixtureRequest) -> Evaluation:
    assert BOOK is not None, LOAD_ERROR
    if request.param == "durable" and DURABLE_MISSING is not None:
        pytest.skip(DURABLE_MISSING)
    agreement = Agreement.from_toml(AGREEMENT, rules=BOOK, engine=request.param)
    return agreement.evaluate(LOG)


def _owed(evaluation: Evaluation, on: date) -> set[tuple[str, str | None, str, str, date | None]]:
    return {(o.rule, o.key, o.debtor, o.status.value, o.deadline)
            for o in evaluation.at(on).owed}


def test_year_30_june_2027_last_day_in_force(year: Evaluation) -> None:
    snap = year.at(date(2027, 6, 30))
    assert snap.agreement_in_force
    # Customer's notice of non-renewal received 20 April 2027, before the Non-Renewal Notice
    # Date (1 June): the first Subscription Period is the last; last day 30 June 2027.
    assert snap.termination_pending is not None
    assert snap.termination_pending.last_day == date(2027, 6, 30)
    # June's invoice (1 June + 30 days = Thursday 1 July, a working day) is still to pay;
    # nothing is late. The return of information (each party) and the final invoice arise
    # when the end takes effect, on 1 July (5.5 c, d: "upon any expiration or termination").
    assert _owed(year, date(2027, 6, 30)) == {
        ("pay-invoice", "INV-2027-06", "customer", "a_echoir", date(2027, 7, 1)),
    }
    assert not snap.late
    assert year.at(date(2027, 7, 1)).agreement_in_force is False
    assert _owed(year, date(2027, 7, 1)) == {  # June's invoice paid on its last day
        ("return-confidential-information", "provider", "provider", "a_echoir", None),
        ("return-confidential-information", "customer", "customer", "a_echoir", None),
        ("final-invoice", "provider", "provider", "a_echoir", None),
    }
    origin = year.explain("final-invoice", "provider", date(2027, 7, 1), "en")
    assert "end of the agreement on 2027-07-01" in origin


def test_year_15_march_2027_breach_notice(year: Evaluation) -> None:
    # February's invoice: 1 February + 30 days = Wednesday 3 March, unpaid: late since 4 March.
    # March's: due Wednesday 31 March. Breach notified 10 March: cure by Friday 9 April.
    assert _owed(year, date(2027, 3, 15)) == {
        ("pay-invoice", "INV-2027-02", "customer", "en_retard", date(2027, 3, 3)),
        ("pay-invoice", "INV-2027-03", "customer", "a_echoir", date(2027, 3, 31)),
        ("cure-material-breach", "B-2027-01", "customer", "a_echoir", date(2027, 4, 9)),
    }
    late = year.at(date(2027, 3, 15)).find("pay-invoice", "INV-2027-02")
    assert late is not None and late.balance == Decimal("2400.00")
    cured = year.at(date(2027, 3, 26)).find("cure-material-breach", "B-2027-01")
    assert cured is not None and cured.status.value == "satisfaite"


def test_year_november_dispute(year: Evaluation) -> None:
    # £400 disputed on 16 November, before the due date (2 November + 30 = Wednesday 2
    # December): £400 of the £2,400 is held back (decision 71), £2,000 remains payable on
    # time; the parties have 15 days from receipt (Tuesday 1 December) to resolve it.
    snap = year.at(date(2026, 11, 20))
    invoice = snap.find("pay-invoice", "INV-2026-11")
    assert invoice is not None
    assert (invoice.status.value, invoice.balance, invoice.held, invoice.deadline) == (
        "a_echoir", Decimal("2400.00"), Decimal("400.00"), date(2026, 12, 2))
    # the resolution of 27 November names nothing payable on the invoice (the £200 agreed is
    # invoiced anew): the £400 is no longer owed on it; the £2,000 paid on 30 November
    paid = year.at(date(2026, 11, 30)).find("pay-invoice", "INV-2026-11")
    assert paid is not None
    assert (paid.status.value, paid.balance, paid.held) == (
        "satisfaite", Decimal("0.00"), Decimal("0.00"))
    dispute = snap.find("resolve-payment-dispute", "D-2026-01")
    assert dispute is not None
    assert (dispute.status.value, dispute.deadline) == ("a_echoir", date(2026, 12, 1))
    resolved = year.at(date(2026, 11, 27)).find("resolve-payment-dispute", "D-2026-01")
    assert resolved is not None and resolved.status.value == "satisfaite"
    # the £200 agreed on resolution, invoiced 27 November: + 30 days = Sunday 27 December,
    # Monday 28 is Boxing Day (observed): due Tuesday 29 December
    extra = year.at(date(2026, 12, 1)).find("pay-invoice", "INV-2026-11A")
    assert extra is not None and extra.deadline == date(2026, 12, 29)


def test_year_after_the_end(year: Evaluation) -> None:
    # Deletion requested 2 July 2027: + 60 days = Tuesday 31 August (the bank holiday is the
    # 30th); the final invoice of 5 July: + 30 days = Wednesday 4 August.
    assert _owed(year, date(2027, 7, 15)) == {
        ("delete-customer-content", "DEL-2027-01", "provider", "a_echoir", date(2027, 8, 31)),
        ("pay-invoice", "INV-2027-FINAL", "customer", "a_echoir", date(2027, 8, 4)),
    }
    assert _owed(year, date(2027, 8, 31)) == {
        ("pay-invoice", "INV-2027-FINAL", "customer", "en_retard", date(2027, 8, 4)),
    }


def test_year_has_no_error_diagnostic(year: Evaluation) -> None:
    snap = year.at(date(2027, 8, 31))
    serious = [d for d in snap.diagnostics if d.severity != "info"]
    assert not serious, serious


# --------------------------------------------------------------------------- what users read


def _cli(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli_main(list(argv))
    assert code == 0, out.getvalue()
    return out.getvalue()


FILES = ("--rules", str(CSA), "--agreement", str(AGREEMENT), "--events", str(LOG))


def _english_sterling(text: str) -> None:
    for word in QUEBEC:
        assert word not in text, f"{word!r} in:\n{text}"


def test_cli_owed_in_english_and_pounds() -> None:
    text = _cli("owed", *FILES, "--at", "2027-06-30", "--lang", "en")
    assert "£2,400.00" in text
    assert "INV-2027-06" in text and "2027-07-01" in text
    _english_sterling(text)


def test_cli_owed_defaults_to_the_rule_books_language() -> None:
    text = _cli("owed", *FILES, "--at", "2027-03-15")
    assert "£2,400.00" in text
    _english_sterling(text)


def test_cli_explain_cites_the_england_calendar() -> None:
    text = _cli("explain", "pay-invoice", "INV-2026-11A", *FILES, "--at", "2026-12-22",
                "--lang", "en")
    assert "2026-12-29" in text
    assert "Boxing Day" in text
    assert "£200.00" in text
    _english_sterling(text)


def test_cli_agenda_and_report() -> None:
    agenda = _cli("agenda", *FILES, "--du", "2027-06-01", "--au", "2027-07-31", "--lang", "en")
    assert "2027-07-01" in agenda
    _english_sterling(agenda)


def test_cli_report_page(tmp_path: Path) -> None:
    page = tmp_path / "rapport.html"
    _cli("rapport", *FILES, "--at", "2027-03-15", "--lang", "en", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert "£2,400.00" in html
    _english_sterling(html)


def test_report_page_does_not_carry_the_mcn_agreements_name(tmp_path: Path) -> None:
    page = tmp_path / "rapport.html"
    _cli("rapport", *FILES, "--at", "2027-03-15", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert "Global services agreement" not in html
    assert "Cloud Service Agreement (Common Paper Standard Terms 2.1)" in html
