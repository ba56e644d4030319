"""Every article of the project's scope is encoded, and the generated docs are current."""

from __future__ import annotations

from pathlib import Path

import pytest

from entente_regles.docgen.pages import coverage_markdown, encoded_articles, events_markdown
from entente_regles.rules.rulebook import RuleBook

# The scope: the articles that create, change or end a duty (README, docs/couverture.md).
SCOPE = (
    ["3.1 c", "3.1 d"] + [f"3.2 {x}" for x in "abcdefg"] + ["4"]
    + [f"5.1 {x}" for x in "abcdefg"] + [f"5.2 {x}" for x in "abcdefghi"]
    + ["6.2", "7", "8.1", "8.2 e", "9.1", "9.2", "9.3", "10 a", "10 b", "11", "12", "13.1",
       "13.1.1", "13.1.2", "13.1.3", "13.2", "13.3", "14.1", "14.2", "15"]
)
DOC = Path(__file__).resolve().parents[1] / "docs" / "couverture.md"


@pytest.mark.parametrize("article", SCOPE)
def test_every_article_in_scope_is_encoded(article: str) -> None:
    encoded = encoded_articles(RuleBook.bundled())
    unencoded = {u.article for f in RuleBook.bundled().files for u in f.unencoded}
    assert article in encoded or (
        # a lettered item left out on purpose must say why (3.2 g: carried by 9.3)
        article in unencoded and any(a.startswith(article.split()[0]) for a in encoded)
    ), f"art. {article}: no rule encodes it"


def test_coverage_doc_is_generated_from_the_rules() -> None:
    assert DOC.read_text(encoding="utf-8") == coverage_markdown(RuleBook.bundled()), (
        "docs/couverture.md is stale: run `python -m entente_regles.docgen couverture > "
        "docs/couverture.md`")


def test_event_vocabulary_doc_is_generated_from_the_vocabulary() -> None:
    doc = DOC.parent / "evenements.md"
    assert doc.read_text(encoding="utf-8") == events_markdown(RuleBook.bundled()), (
        "docs/evenements.md is stale: run `python -m entente_regles.docgen evenements > "
        "docs/evenements.md`")
