"""A norm arising when the agreement's term renews (``declencheur = { renouvellement_terme =
true }``, decision 76), on tests/regles_terme (``tarifs``: the updated price list, due within
30 days of each new term's first day):

- automatic renewal unless a notice of non-renewal, or renewal only by an act (generated):
  an instance exists on a date exactly for each renewal that took effect by then (never for
  the initial term, never once the agreement has ended, not when a timely notice of
  non-renewal prevented it), keyed by the new term's first day;
- no look-ahead: before the notice, the answers are those of the log without it;
- the engines agree (python, reference, durable where it is installed);
- the explanation names the renewal; a rule book without ``[terme]`` is rejected.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from entente_regles import Agreement
from entente_regles.core.event import Event
from entente_regles.engine.durable.backend import durable_available
from entente_regles.engine.replay.terms import TermPlan
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.vocabulary import Term

ROOT = Path(__file__).resolve().parent / "regles_terme"
BOOK = RuleBook.from_directory(ROOT)
ENGINES = ("python", "reference") + (("durable",) if durable_available() is None else ())


@st.composite
def terms(draw: st.DrawFn) -> Term:
    """Automatic renewal unless a notice of non-renewal, or renewal only by an act."""
    months = draw(st.integers(1, 6))
    term = Term(article="5", months=months,
                renewal_months=draw(st.sampled_from((months, 1, 3))),
                renewals=draw(st.one_of(st.none(), st.integers(0, 3))),
                month_rounding=draw(st.sampled_from(("end_of_month", "next_day"))))
    if draw(st.booleans()):
        return attrs.evolve(term, renewal_event="renouvellement",
                            renewal_days=draw(st.integers(0, 20)))
    return attrs.evolve(term, notice_days=draw(st.integers(1, 40)),
                        notice_power="non_renouvellement")


def _agreement(term: Term, start: date, engine: str = "python") -> Agreement:
    return Agreement(client="X", in_force_from=start, rules=BOOK, engine=engine,  # type: ignore[arg-type]
                     term=term)


def _keys(agreement: Agreement, events: list[Event], on: date) -> list[str | None]:
    snapshot = agreement.evaluate(events).at(on)
    return sorted((o.key for o in snapshot.obligations if o.rule == "tarifs"),
                  key=lambda k: k or "")


@given(term=terms(), start=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
       notice=st.one_of(st.none(), st.integers(0, 500)), ask=st.integers(0, 600))
def test_one_instance_per_renewal_that_took_effect(term: Term, start: date,
                                                   notice: int | None, ask: int) -> None:
    on = start + timedelta(days=ask)
    kind = "non_renouvellement" if term.renewal_event is None else "renouvellement"
    events = [] if notice is None else [
        Event(kind, start + timedelta(days=notice), "acheteur", data={"avis": "N"})]
    agreement = _agreement(term, start)
    evaluation = agreement.evaluate(events)
    end = evaluation.agreement_end
    plan = TermPlan(term, start, agreement.legal_calendar())
    wanted, k = [], 1
    while (plan.last is None or k <= plan.last) and plan.start_of(k) <= on \
            and (end is None or plan.start_of(k) < end):
        wanted.append(plan.start_of(k).isoformat())
        k += 1
    keys = {engine: _keys(_agreement(term, start, engine), events, on) for engine in ENGINES}
    assert keys["python"] == wanted, (keys, end)
    assert all(found == wanted for found in keys.values()), keys  # the engines agree
    if events and on < events[0].date:  # no look-ahead
        assert _keys(agreement, [], on) == wanted


def test_the_explanation_names_the_renewal() -> None:
    agreement = Agreement(client="X", in_force_from=date(2026, 3, 2), rules=BOOK)
    evaluation = agreement.evaluate([Event("renouvellement", date(2027, 1, 15), "acheteur",
                                           data={"avis": "R-1"})])
    fr = evaluation.explain("tarifs", "2027-03-02", date(2027, 3, 10), "fr")
    en = evaluation.explain("tarifs", "2027-03-02", date(2027, 3, 10), "en")
    assert "renouvellement du terme le 2027-03-02 (terme n° 2" in fr or \
        "renouvellement du terme le 2 mars 2027 (terme n° 2" in fr, fr
    assert "the term renewed on" in en and "term no. 2" in en, en


def test_a_rule_book_without_a_term_is_rejected(tmp_path: Path) -> None:
    vocabulary = (ROOT / "evenements.toml").read_text(encoding="utf-8")
    start = vocabulary.index("[terme]")
    stop = vocabulary.index("[evenement.", start)
    (tmp_path / "evenements.toml").write_text(vocabulary[:start] + vocabulary[stop:],
                                              encoding="utf-8")
    shutil.copy(ROOT / "03-renouvellement.toml", tmp_path / "03-renouvellement.toml")
    with pytest.raises(Exception) as raised:
        RuleBook.from_directory(tmp_path)
    message = str(raised.value)
    assert "03-renouvellement.toml" in message and "renouvellement_terme" in message, message
    assert "[terme]" in message, message


def test_each_party_has_its_own_instance(tmp_path: Path) -> None:
    shutil.copytree(ROOT, tmp_path / "livre")
    (tmp_path / "livre" / "04-chaque-partie.toml").write_text('''article = "6"
titre = "Coordonnées"
texte = "6. Chaque partie confirme ses coordonnées à chaque renouvellement."
[[obligation]]
id = "confirmer"
article = "6"
libelle = { fr = "Confirmer ses coordonnées", en = "Confirm one's contact details" }
debiteur = "chaque_partie"
creancier = "autre"
declencheur = { renouvellement_terme = true }
execution = [{ evenement = "non_renouvellement", cle = "avis" }]
delai = { jours = 10 }
''', encoding="utf-8")
    book = RuleBook.from_directory(tmp_path / "livre")
    agreement = Agreement(client="X", in_force_from=date(2026, 3, 2), rules=book)
    events = [Event("renouvellement", date(2027, 1, 15), "acheteur", data={"avis": "R-1"})]
    for engine in ENGINES:
        evaluation = Agreement(client="X", in_force_from=date(2026, 3, 2), rules=book,
                               engine=engine).evaluate(events)  # type: ignore[arg-type]
        found = sorted((o.debtor, o.creditor, o.key) for o in
                       evaluation.at(date(2027, 3, 2)).obligations if o.rule == "confirmer")
        assert found == [("acheteur", "vendeur", "2027-03-02"),
                         ("vendeur", "acheteur", "2027-03-02")], (engine, found)
    before = agreement.evaluate(events).at(date(2027, 3, 1))
    assert not [o for o in before.obligations if o.rule == "confirmer"]
