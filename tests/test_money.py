"""Money with a currency (issue 18): one formatting (``words.money.format_amount``, Babel),
in the rule book's currency and locales, in every output; data keeps the exact amount and
the currency code; parties shown by their short labels.

The rule books here are the bundled one copied to a temporary directory with its
``[entente]`` (currency, locales) or a party's ``abrege`` changed.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import entente_regles as er
from entente_regles.cli import commands as cli
from entente_regles.core.input_limits import CENT, MAX_AMOUNT
from entente_regles.outputs.text import bundled_example
from entente_regles.query.presentation import PLAIN, Presentation
from entente_regles.rules.resources import bundled_rules_dir
from entente_regles.rules.rulebook import RuleBook
from entente_regles.words.money import format_amount

AT = "2026-07-15"
NNBSP, NBSP = "\u202f", "\u00a0"


# --------------------------------------------------------------------------- format_amount


@pytest.mark.parametrize(("amount", "currency", "locale", "expected"), [
    ("12500.00", "CAD", "fr_CA", f"12{NBSP}500,00{NBSP}$"),
    ("12500.00", "CAD", "en_CA", "$12,500.00"),
    ("12500.00", "GBP", "en_GB", "£12,500.00"),
    ("12500.00", "EUR", "fr_FR", f"12{NNBSP}500,00{NBSP}€"),
    ("-20", "GBP", "en_GB", "-£20.00"),
    ("12500.00", None, "fr_CA", f"12{NBSP}500,00"),
    ("12500", None, "en_GB", "12,500.00"),          # two decimals without a currency
    ("999999999999.99", None, "en_IN", "9,99,99,99,99,999.99"),  # the locale's grouping
    ("0.125", "GBP", "en_GB", "£0.125"),            # never rounded
    ("1234.5", "JPY", "ja_JP", "￥1,234.5"),         # not even to a currency without cents
    ("999999999999.99", "JPY", "ja_JP", "￥999,999,999,999.99"),  # Babel would print 1,000,…
    ("1234.567", "KWD", "en_GB", "KWD1,234.567"),   # three-decimal currency
    ("-0.00", "GBP", "en_GB", "£0.00"),             # no negative zero
])
def test_format_amount(amount: str, currency: str | None, locale: str, expected: str) -> None:
    assert format_amount(Decimal(amount), currency, locale) == expected


@pytest.mark.parametrize("amount", ["1E+30", "123456789012345678901234567890123.45",
                                    "1E-30", "1E+100", "-1E-100", "NaN", "-Infinity",
                                    "sNaN"])
@pytest.mark.parametrize(("currency", "locale"), [("GBP", "en_GB"), (None, "fr_CA")])
def test_format_amount_never_fails_beyond_the_input_limits(amount: str, currency: str | None,
                                                           locale: str) -> None:
    """Huge amounts (past Decimal's default 28 digits, where Babel's quantize raised
    InvalidOperation), tiny ones, non-finite ones: text, never an exception."""
    text = format_amount(Decimal(amount), currency, locale)
    assert text
    value = Decimal(amount)
    if value.is_finite() and abs(value.adjusted()) <= 40:  # written out in full: every digit
        digits = re.sub(r"\D", "", text)
        assert digits.strip("0") == "".join(map(str, value.as_tuple().digits)).strip("0")


LOCALES = ["fr_CA", "en_CA", "en_GB", "fr_FR", "de_CH", "en_IN", "es_ES", "nl_NL"]


@given(cents=st.integers(-int(MAX_AMOUNT / CENT) * 1000, int(MAX_AMOUNT / CENT) * 1000),
       currency=st.sampled_from([None, "CAD", "GBP", "EUR", "CHF", "USD", "INR"]),
       locale=st.sampled_from(LOCALES))
def test_every_digit_is_shown(cents: int, currency: str | None, locale: str) -> None:
    """Any amount in cents (up to a thousand times the accepted maximum, as totals can be)
    shows exactly its digits, its sign, and no other currency's symbol."""
    amount = Decimal(cents) * CENT
    text = format_amount(amount, currency, locale)
    assert re.sub(r"\D", "", text).lstrip("0") == str(abs(cents)).lstrip("0")
    assert ("-" in text) == (cents < 0)
    if currency != "CAD" and currency != "USD":
        assert "$" not in text


def test_presentation_without_a_rule_book() -> None:
    assert PLAIN.currency is None
    assert PLAIN.amount(Decimal("12500.00"), "en") == "12,500.00"
    assert PLAIN.party("client", "fr") == "client"
    assert PLAIN.party(None, "en") == "parties"


# --------------------------------------------------------------------------- rule books


def _rule_book(tmp_path: Path, entente: str, parties: dict[str, str] | None = None) -> Path:
    """The bundled rule book copied to ``tmp_path``, its ``[entente]`` replaced by
    ``entente``, and each party of ``parties`` given that ``abrege`` (TOML text)."""
    source = bundled_rules_dir()
    target = tmp_path / "regles"
    shutil.copytree(source, target, ignore=lambda folder, names: [
        n for n in names if (Path(folder) / n / "evenements.toml").is_file()])  # other books
    vocabulary = target / "evenements.toml"
    text = vocabulary.read_text(encoding="utf-8")
    text, count = re.subn(r"^\[entente\]\n(?:[^\[\n].*\n)*", f"[entente]\n{entente}\n", text,
                          count=1, flags=re.M)
    assert count == 1
    for party, short in (parties or {}).items():
        text, count = re.subn(rf"^(\[parties\.{party}\]\n)", rf"\1abrege = {short}\n", text,
                              count=1, flags=re.M)
        assert count == 1
    vocabulary.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(autouse=True)
def rule_books_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each rule book directory is read once per test: the dozens of command runs of a test
    read the same unchanged files, and reading them (``RuleBook.from_directory``) was four
    fifths of a run. Every run still goes through the command line, its options and outputs;
    what is checked is what those show."""
    read = RuleBook.from_directory
    loaded: dict[Path, RuleBook] = {}

    def from_directory(path: str | Path) -> RuleBook:
        where = Path(path).resolve()
        if where not in loaded:
            loaded[where] = read(path)
        return loaded[where]

    monkeypatch.setattr(RuleBook, "from_directory", staticmethod(from_directory))


GBP = 'langues = ["fr", "en"]\nlocales = { fr = "fr_FR", en = "en_GB" }\nmonnaie = "GBP"'
EUR = 'langues = ["fr", "en"]\nlocales = { fr = "fr_FR", en = "en_IE" }\nmonnaie = "EUR"'
NONE = 'langues = ["fr", "en"]\nlocales = { fr = "fr_CA", en = "en_CA" }'


def _outputs(capsys: pytest.CaptureFixture[str], rules: Path, lang: str,
             tmp_path: Path) -> dict[str, str]:
    """Every output of every command on the bundled example, with ``rules``."""
    common = ["--at", AT, "--rules", str(rules), "--lang", lang]
    runs = {
        "owed": ["owed"], "owed.json": ["owed", "--format", "json"],
        "owed.csv": ["owed", "--format", "csv"],
        "explain": ["explain", "paiement-facture", "F-2026-04"],
        "explain.json": ["explain", "paiement-facture", "F-2026-04", "--format", "json"],
        "soldes": ["soldes"], "soldes.json": ["soldes", "--format", "json"],
        "soldes.csv": ["soldes", "--format", "csv"],
        "agenda": ["agenda", "--du", "2026-06-01", "--au", "2026-07-31"],
        "agenda.ics": ["agenda", "--du", "2026-06-01", "--au", "2026-07-31", "--format", "ics"],
    }
    found = {}
    for name, argv in runs.items():
        code = cli.main([*argv, *common])
        out, err = capsys.readouterr()
        assert code == 0, (name, err)
        found[name] = out
    # .ics: lines unfolded, TEXT escapes undone (RFC 5545 3.1 and 3.3.11)
    found["agenda.ics"] = (found["agenda.ics"].replace("\r\n ", "").replace("\\,", ",")
                           .replace("\\;", ";"))
    page = tmp_path / f"rapport-{lang}.html"
    assert cli.main(["rapport", *common, "-o", str(page)]) == 0
    capsys.readouterr()
    found["rapport"] = page.read_text(encoding="utf-8")
    return found


def _check_data(found: dict[str, str], currency: str | None) -> None:
    """JSON: exact amounts as text with the currency code; CSV: plain amounts and a
    ``monnaie`` column."""
    owed = json.loads(found["owed.json"])
    f04 = next(o for o in owed["obligations"] if o["cle"] == "F-2026-04")
    assert (f04["montant"], f04["solde"], f04["monnaie"]) == ("12500.00", "2500.00", currency)
    assert all(o["monnaie"] is None for o in owed["obligations"] if o["montant"] is None)
    explained = json.loads(found["explain.json"])
    assert (explained["solde"], explained["monnaie"]) == ("2500.00", currency)
    soldes = json.loads(found["soldes.json"])
    assert soldes["monnaie"] == currency and soldes["total"] == "15000.00"
    assert {line["monnaie"] for line in soldes["soldes"]} == {currency}
    for name in ("owed.csv", "soldes.csv"):
        header, *rows = found[name].splitlines()
        columns = header.split(",")
        assert "monnaie" in columns and "solde" in columns
        f04_row = next(r.split(",") for r in rows if "F-2026-04" in r)
        assert f04_row[columns.index("solde")] == "2500.00"
        assert f04_row[columns.index("monnaie")] == (currency or "")


def test_gbp_en_gb_in_every_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = _rule_book(tmp_path, GBP)
    for lang in ("en", "fr"):
        found = _outputs(capsys, rules, lang, tmp_path)
        for name, text in found.items():
            assert "$" not in text, (lang, name)
        _check_data(found, "GBP")
        if lang == "en":
            assert "£2,500.00" in found["owed"] and "£12,500.00" in found["owed"]
            assert "Amount: £12,500.00; paid: £10,000.00; balance: £2,500.00" \
                in found["explain"]
            assert "Payment 2026-06-03: £10,000.00" in found["explain"]
            assert "£12,500.00" in json.loads(found["explain.json"])["explication"]
            assert "£15,000.00" in found["soldes"]  # the total
            assert "Amount: £12,500.00; paid: £0.00; balance: £12,500.00" \
                in found["agenda.ics"]  # F-2026-05's deadline, 2026-07-02, in the window
            assert "£2,500.00" in found["rapport"] and "£15,000.00" in found["rapport"]
        else:  # French CLDR writes the pound « £GB »
            assert f"Montant : 12{NNBSP}500,00{NBSP}£GB ; payé : 10{NNBSP}000,00{NBSP}£GB" \
                in found["explain"]
            assert f"2{NNBSP}500,00{NBSP}£GB" in found["owed"]


def test_eur_fr_fr(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = _rule_book(tmp_path, EUR)
    found = _outputs(capsys, rules, "fr", tmp_path)
    for name, text in found.items():
        assert "$" not in text, name
    _check_data(found, "EUR")
    amount = f"12{NNBSP}500,00{NBSP}€"
    for name in ("owed", "explain", "soldes", "agenda.ics", "rapport"):
        assert amount in found[name], name
    english = _outputs(capsys, rules, "en", tmp_path)
    assert "€12,500.00" in english["explain"] and "$" not in english["rapport"]


def test_no_currency_plain_numbers(capsys: pytest.CaptureFixture[str],
                                   tmp_path: Path) -> None:
    rules = _rule_book(tmp_path, NONE)
    assert er.RuleBook.from_directory(rules).agreement.currency is None
    for lang, amount in (("fr", f"12{NBSP}500,00"), ("en", "12,500.00")):
        found = _outputs(capsys, rules, lang, tmp_path)
        for name, text in found.items():
            assert "$" not in text, (lang, name)
        _check_data(found, None)
        assert amount in found["explain"] and amount in found["owed"]


def test_bundled_rule_book_writes_its_currency(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    """The MCN rule book (CAD; fr_CA, en_CA): the tables as before, explanations in money."""
    found = _outputs(capsys, bundled_rules_dir(), "fr", tmp_path)
    assert f"Montant : 12{NBSP}500,00{NBSP}$ ; payé : 10{NBSP}000,00{NBSP}$ ; solde : " \
        f"2{NBSP}500,00{NBSP}$" in found["explain"]
    _check_data(found, "CAD")
    english = _outputs(capsys, bundled_rules_dir(), "en", tmp_path)
    assert "Amount: $12,500.00; paid: $10,000.00; balance: $2,500.00" in english["explain"]


# --------------------------------------------------------------------------- party labels


def test_party_labels_in_outputs_ids_in_data(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    rules = _rule_book(tmp_path, GBP, {"client": '{ fr = "Organisme", en = "Body" }'})
    found = _outputs(capsys, rules, "en", tmp_path)
    f04 = next(line for line in found["owed"].splitlines() if "F-2026-04" in line)
    assert "Body → mcn" in f04
    assert "Debtor: Body → creditor: mcn" in found["explain"]
    assert "at fault: Body" in found["explain"]
    assert "Body" in next(line for line in found["soldes"].splitlines() if "F-2026-04" in line)
    assert "<td>Body → mcn</td>" in found["rapport"]
    owed = json.loads(found["owed.json"])  # data: the ids
    assert {o["debiteur"] for o in owed["obligations"]} <= {"mcn", "client", "parties"}
    assert ",client,mcn," in found["owed.csv"]
    french = _outputs(capsys, rules, "fr", tmp_path)
    assert "Débiteur : Organisme → créancier : mcn" in french["explain"]


def test_python_api_carries_the_presentation(tmp_path: Path) -> None:
    rules = er.RuleBook.from_directory(_rule_book(tmp_path, GBP))
    agreement_file, journal = bundled_example()
    evaluation = er.Agreement.from_toml(agreement_file, rules=rules).evaluate(journal)
    snapshot = evaluation.at(__import__("datetime").date(2026, 7, 15), "en")
    assert isinstance(snapshot.presentation, Presentation)
    assert snapshot.presentation.currency == "GBP"
    found = snapshot.find("paiement-facture", "F-2026-04")
    assert found is not None and found.currency == "GBP"
    assert found.to_record()["monnaie"] == "GBP" and found.to_record()["solde"] == Decimal(
        "2500.00")
    assert snapshot.aging().currency == "GBP"
    assert "£2,500.00" in found.explain("en")
