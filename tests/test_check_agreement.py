"""The agreement's tables (articles, deadline wording, deferrals to the annexes) the checker
reads from the rule files' quotations of the agreement (``texte``)."""

from __future__ import annotations

from pathlib import Path

from entente_regles.check import (
    agreement_text_of,
    derive_agreement_tables,
    tables_from_texts,
    tables_of_directory,
)
from entente_regles.check.agreement_text import canonical_article, deadline_wording
from entente_regles.rules.resources import bundled_rules_dir

# What the agreement says, article by article, as read once from the agreement's own text
# when the rule files were written: the bundled quotations must give back exactly this.
ARTICLES = (
    "1", "2", "3", "3.1", "3.1 a", "3.1 b", "3.1 c", "3.1 d", "3.2", "3.2 a", "3.2 b",
    "3.2 c", "3.2 d", "3.2 e", "3.2 f", "3.2 g", "4", "5", "5.1", "5.1 a", "5.1 b", "5.1 c",
    "5.1 d", "5.1 e", "5.1 f", "5.1 g", "5.2", "5.2 a", "5.2 b", "5.2 c", "5.2 d", "5.2 e",
    "5.2 f", "5.2 g", "5.2 h", "5.2 i", "6", "6.1", "6.1.1", "6.1.2", "6.2", "7", "8", "8.1",
    "8.2", "8.2 a", "8.2 b", "8.2 c", "8.2 d", "8.2 e", "8.2 f", "9", "9.1", "9.2", "9.3",
    "10", "10 a", "10 b", "11", "12", "13", "13.1", "13.1.1", "13.1.2", "13.1.3", "13.2",
    "13.3", "14", "14.1", "14.2", "15",
)
DEADLINES = {
    "3.1 c": ("meilleurs_delais",), "3.2 f": ("meilleurs_delais",),
    "5.1 a": ("plus_brefs_delais",), "5.2 a": ("plus_brefs_delais",), "7": ("immediatement",),
    "8.1": ("meilleurs_delais",), "9.3": ("30 jours",), "10 a": ("30 jours",),
    "11": ("immediatement",), "13.1.1": ("90 jours",),
    "13.1.2": ("plus_brefs_delais", "90 jours"), "13.2": ("30 jours",), "14.2": ("90 jours",),
}
DEFERRING = ("3.2 g", "4", "6.2", "9.1", "9.2", "13.2", "13.3")


def test_the_bundled_quotations_give_the_agreement_tables() -> None:
    tables = tables_of_directory(bundled_rules_dir())
    assert tables.articles == ARTICLES
    assert dict(tables.deadlines) == DEADLINES
    assert tables.deferring == DEFERRING


def test_agreement_tables_parse_headings_and_items() -> None:
    text = ("1. OBJET\nTexte.\n2. SUITE\n3. TITRE\n3.1 Titre\n"
            "a) informer dans les meilleurs délais ;\nb) payer dans les\n30 jours ;\n"
            "90 jours d'un processus\n3.2 Autre\n"
            "sous réserve de ce qui est inscrit dans les annexes.\n")
    tables = derive_agreement_tables(text)
    assert tables.articles == ("1", "2", "3", "3.1", "3.1 a", "3.1 b", "3.2")
    assert tables.deadlines == {"3.1 a": ("meilleurs_delais",),
                                "3.1 b": ("30 jours", "90 jours")}
    assert tables.deferring == ("3.2",)


def test_a_quotation_may_start_below_its_article() -> None:
    # 9.1 quoted without the heading of 9; 13.1 without that of 13: both are implied
    tables = tables_from_texts(["8. GESTION\nTexte.\n", "9.1 Tarif\nprévues aux annexes.\n",
                                "9.2 Facturation\nTexte.\n", "13.1 Ajout\nTexte.\n"])
    assert tables.articles == ("8", "9", "9.1", "9.2", "13", "13.1")
    assert tables.deferring == ("9.1",)
    assert tables.wording_of("9") == ()
    assert tables.defers("9.1") and not tables.defers("9.2")


def test_a_rule_directory_gives_the_tables_of_its_own_quotations(tmp_path: Path) -> None:
    (tmp_path / "evenements.toml").write_text("[evenement]\n", encoding="utf-8")
    (tmp_path / "a.toml").write_text(
        'article = "2"\ntexte = """2. DÉLAIS\\nPayer dans les 45 jours."""\n', encoding="utf-8")
    (tmp_path / "b.toml").write_bytes(b"texte = '\xff'\n")  # not UTF-8: left to the loader
    tables = tables_of_directory(tmp_path)
    assert tables.articles == ("2",)
    assert dict(tables.deadlines) == {"2": ("45 jours",)}


def test_long_digit_runs_are_read_in_linear_time() -> None:
    # a label of 100,000 digits: found once, never retried from every digit
    digits = "1" * 100_000
    assert deadline_wording(digits + " jours") == ()  # more than six digits: not a delay
    assert deadline_wording("dans les 30 jours " + digits) == ("30 jours",)
    assert canonical_article(digits) is None
    assert canonical_article("3.1c") == "3.1 c"


# --------------------------------------------------------------------------- any agreement

ENGLISH = """Cloud Services Terms

Fees: 2,000.00 per month. Payment: within 30 days of the invoice date.

1. Service

1.1 Access. Provider will give access as set out in the Order Form.
1.2 Support. Provider will answer within 5 business days.

2. Payment
2.1 Customer will pay each invoice within thirty (30) days.
a. A disputed invoice is notified within 10 working days.
b. Refunds are paid promptly.
2.2(a) Either party may end the Agreement on sixty (60) days' notice.
2.2(b) Unless the Cover Page specifies otherwise, notices are in writing.
"""


def test_english_headings_items_delays_and_deferrals_are_read() -> None:
    tables = derive_agreement_tables(ENGLISH, {}, ("en",))
    assert tables.articles == ("1", "1.1", "1.2", "2", "2.1", "2.1 a", "2.1 b", "2.2",
                               "2.2 a", "2.2 b")
    assert dict(tables.deadlines) == {"1.2": ("5 jours ouvrables",), "2.1": ("30 jours",),
                                      "2.1 a": ("10 jours ouvrables",), "2.2 a": ("60 jours",)}
    assert tables.deferring == ("1.1", "2.2 b")


def test_the_heuristics_read_only_the_declared_languages() -> None:
    text = "1. A\n1.1 Payer dans les 30 jours, or within 45 days.\n"
    assert derive_agreement_tables(text, {}, ("fr",)).deadlines == {"1.1": ("30 jours",)}
    assert derive_agreement_tables(text, {}, ("en",)).deadlines == {"1.1": ("45 jours",)}
    assert deadline_wording("dans les trente (30) jours ouvrables", {}) == (
        "30 jours ouvrables",)
    assert deadline_wording("a 15-day period", {}, ("en",)) == ("15 jours",)
    # a threshold is a condition, not a time to act within
    assert deadline_wording("a balance unpaid for more than 30 days", {}, ("en",)) == ()
    assert deadline_wording("impayé depuis plus de trente (30) jours", {}, ("fr",)) == ()


def test_a_declared_text_file_is_the_agreement_text(tmp_path: Path) -> None:
    (tmp_path / "evenements.toml").write_text(
        '[entente]\nlangues = ["fr", "en"]\ntexte = "terms.txt"\n[evenement]\n',
        encoding="utf-8")
    (tmp_path / "terms.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "a.toml").write_text('article = "2.1"\ntexte = "Pay within 30 days."\n',
                                     encoding="utf-8")
    text = agreement_text_of(tmp_path)
    assert text.from_file and text.text_problem is None and text.languages == ("fr", "en")
    assert "2.2 b" in text.tables and text.tables.wording_of("2.1", False) == ("30 jours",)
    (tmp_path / "terms.txt").unlink()
    missing = agreement_text_of(tmp_path)
    assert missing.text_problem is not None and "terms.txt" in missing.text_problem[1]
    assert missing.tables.articles == ("2", "2.1")  # the quotation, headed by its article
