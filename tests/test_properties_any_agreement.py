"""Any agreement, rule files only (issue 18): for a generated rule book — generated party
ids and names, languages, a currency, a calendar from a set of `holidays` countries (or
plain calendar days) — the two principles still hold: no look-ahead (an answer about X
depends only on the events dated X or earlier) and every engine gives the reference's
answers."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
from agreeing import assert_engines_agree, assert_no_lookahead
from hypothesis import given
from hypothesis import strategies as st

from entente_regles import Agreement, Event, RuleBook
from entente_regles.agreement import Engine

RESERVED = {"parties", "auteur", "autre", "debiteur", "creancier", "chaque_partie"}
CURRENCIES = ("GBP", "EUR", "USD", "CHF", "JPY", "CAD", "AUD", "NZD")
# (country, subdivision) of the holidays library; None: plain calendar days.
CALENDARS: tuple[tuple[str, str | None] | None, ...] = (
    ("GB", "ENG"), ("GB", "SCT"), ("FR", None), ("DE", "BY"), ("US", "NY"), ("AU", "NSW"),
    ("NZ", None), ("IE", None), None)
START = date(2026, 1, 5)


@attrs.frozen
class Book:
    """A generated rule book: its declarations and the text of its files."""

    parties: tuple[str, str]
    names: tuple[str, str]
    languages: tuple[str, ...]
    currency: str
    calendar: tuple[str, str | None] | None
    pay_days: int
    notice_days: int

    def text(self, fr: str, en: str) -> str:
        words = {"fr": fr, "en": en}
        return "{ " + ", ".join(f'{lang} = "{words[lang]}"' for lang in self.languages) + " }"

    def vocabulary(self) -> str:
        seller, buyer = self.parties
        langs = ", ".join(f'"{lang}"' for lang in self.languages)
        if self.calendar is None:
            calendar = "jours_civils = true"
        else:
            country, subdivision = self.calendar
            calendar = f'pays = "{country}"' + (
                f'\nsubdivision = "{subdivision}"' if subdivision else "")
        return f'''
[entente]
langues = [{langs}]
monnaie = "{self.currency}"

[calendrier]
{calendar}

[parties.{seller}]
nom = {self.text(self.names[0], self.names[0])}

[parties.{buyer}]
nom = {self.text(self.names[1], self.names[1])}

[normes_vagues.promptement]
libelle = {self.text("promptement", "promptly")}

[exercice_financier]
premier_jour = "01-01"

[evenement.facture]
libelle = {self.text("Facture", "Invoice")}
par = ["{seller}"]
champs = {{ numero = "texte", montant = "montant" }}
articles = ["1"]

[evenement.paiement]
libelle = {self.text("Paiement", "Payment")}
par = ["{buyer}"]
champs = {{ numero = "texte", montant = "montant" }}
articles = ["1"]

[evenement.avis]
libelle = {self.text("Avis", "Notice")}
champs = {{ objet = "texte" }}
articles = ["2"]
'''

    def rules(self) -> str:
        seller, buyer = self.parties
        return f"""
article = "1"
titre = "Payment"
texte = '''
1. Payment. Each invoice is payable within {self.pay_days} days of its date. Each party
gives the other a notice within {self.notice_days} days of the start of the agreement.
'''

[[obligation]]
id = "payer"
libelle = {self.text("Payer la facture", "Pay the invoice")}
debiteur = "{buyer}"
creancier = "{seller}"
declencheur = {{ evenement = "facture", cle = "numero", montant = "montant" }}
execution = [{{ evenement = "paiement", cle = "numero", montant = "montant" }}]
delai = {{ jours = {self.pay_days} }}
survit_resiliation = true

[[obligation]]
id = "aviser"
libelle = {self.text("Aviser l'autre partie", "Notify the other party")}
debiteur = "chaque_partie"
creancier = "autre"
declencheur = {{ entree_en_vigueur = true }}
execution = [{{ evenement = "avis" }}]
delai = {{ jours = {self.notice_days} }}
"""

    def write(self, directory: Path) -> RuleBook:
        (directory / "evenements.toml").write_text(self.vocabulary(), encoding="utf-8")
        (directory / "01-paiement.toml").write_text(self.rules(), encoding="utf-8")
        return RuleBook.from_directory(directory)


identifiers = st.from_regex(r"[a-z][a-z0-9_]{1,12}", fullmatch=True).filter(
    lambda s: s not in RESERVED)
names = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs")),
                min_size=1, max_size=20).map(str.strip).filter(bool)


@st.composite
def books(draw: st.DrawFn) -> Book:
    parties = draw(st.lists(identifiers, min_size=2, max_size=2, unique=True))
    return Book((parties[0], parties[1]), (draw(names), draw(names)),
                draw(st.sampled_from((("en",), ("fr",), ("fr", "en"), ("en", "fr")))),
                draw(st.sampled_from(CURRENCIES)), draw(st.sampled_from(CALENDARS)),
                draw(st.integers(1, 60)), draw(st.integers(0, 30)))


@st.composite
def logs(draw: st.DrawFn, book: Book) -> list[Event]:
    seller, buyer = book.parties
    events: list[tuple[date, Event]] = []
    for n in range(draw(st.integers(0, 6))):
        issued = START + timedelta(days=draw(st.integers(0, 300)))
        amount = Decimal(draw(st.integers(2, 10**7))) / 100  # half of it is still a payment
        number = f"N-{n}"
        events.append((issued, Event("facture", issued, seller,
                                     data={"numero": number, "montant": amount})))
        for _ in range(draw(st.integers(0, 2))):
            paid = issued + timedelta(days=draw(st.integers(0, 120)))
            part = amount if draw(st.booleans()) else (amount / 2).quantize(Decimal("0.01"))
            events.append((paid, Event("paiement", paid, buyer,
                                       data={"numero": number, "montant": part})))
    for party in draw(st.lists(st.sampled_from(book.parties), max_size=3)):
        on = START + timedelta(days=draw(st.integers(0, 90)))
        events.append((on, Event("avis", on, party, data={"objet": "avis"})))
    events.sort(key=lambda pair: pair[0])
    return [event for _, event in events]


def _dates(events: Sequence[Event], book: Book) -> list[date]:
    """Each event's date, the day before it, and the days deadlines can fall on."""
    found = {START, START + timedelta(days=book.notice_days + 10)}
    for event in events:
        found |= {event.date, event.date - timedelta(days=1),
                  event.date + timedelta(days=book.pay_days + 1),
                  event.date + timedelta(days=book.pay_days + 5)}
    return sorted(d for d in found if d >= START)


@given(books(), st.data())
def test_any_generated_agreement_has_no_lookahead_and_engines_agree(
        book: Book, data: st.DataObject) -> None:
    events = data.draw(logs(book), label="log")
    with tempfile.TemporaryDirectory() as tmp:
        rules = book.write(Path(tmp))
        assert rules.parties == book.parties
        assert rules.agreement.currency == book.currency

        def build(engine: Engine) -> Agreement:
            return Agreement(client=book.names[1], in_force_from=START, rules=rules,
                             engine=engine)

        full = build("python").evaluate(events)
        dates = _dates(events, book)
        assert_no_lookahead(lambda: build("python"), full, events,
                            data.draw(st.lists(st.sampled_from(dates), min_size=1, max_size=4,
                                               unique=True), label="X"))
        assert_engines_agree(build, full, events, dates)
