"""Legal calendar tests (specification and guide: docs/calendrier.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entente_regles import Agreement, RuleBook
from entente_regles.calendar.declared import DeclaredCalendar
from entente_regles.calendar.legal import (
    CLOSURE,
    AmbiguousDateError,
    LegalCalendar,
    MonthDay,
    Policy,
    add_months,
    fiscal_year_label,
    fiscal_year_start,
    normalise_standard,
)

D = date
FISCAL = RuleBook.bundled().fiscal_year_start  # the rule book's first day of a fiscal year
QUEBEC = RuleBook.bundled().calendar  # regles/calendriers/quebec.toml
assert isinstance(QUEBEC, DeclaredCalendar)
# What the Quebec calendar's explanations cite and call its days (the calendar file's data).
LI_52 = "Loi d'interprétation, RLRQ c. I-16, art. 52"
LI_61_23 = "Loi d'interprétation, RLRQ c. I-16, art. 61 (23°)"
CPC_82_83 = "C.p.c. art. 82–83 (par analogie)"
CCQ_1425 = "C.c.Q. art. 1425–1426"
SUNDAY = "dimanche"
SATURDAY = "samedi (politique)"
DEC26 = "26 décembre (C.p.c. art. 82, politique)"
JAN2 = "2 janvier (C.p.c. art. 82, politique)"
DEFAULT = LegalCalendar(days=QUEBEC)
STRICT = LegalCalendar(Policy.strict_interpretation_act(), days=QUEBEC)


# --- the notes' three worked examples -------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "raw", "deadline"),
    [
        (D(2026, 2, 10), D(2026, 3, 12), D(2026, 3, 12)),  # Tue -> Thu, a working day
        (D(2026, 1, 16), D(2026, 2, 15), D(2026, 2, 16)),  # Fri -> Sun -> Mon
        (D(2026, 5, 25), D(2026, 6, 24), D(2026, 6, 25)),  # Mon -> Fête nationale -> Thu
    ],
)
def test_worked_examples(start: date, raw: date, deadline: date) -> None:
    comp = DEFAULT.explain_after(start, 30)
    assert (comp.raw, comp.deadline) == (raw, deadline)
    assert DEFAULT.after(start, 30) == deadline


def test_worked_example_explanations() -> None:
    first = DEFAULT.explain_after(D(2026, 2, 10), 30)
    assert first.skipped == ()
    assert first.law == (CCQ_1425,)
    assert first.raw_reason is None
    second = DEFAULT.explain_after(D(2026, 1, 16), 30)
    assert second.skipped == ((D(2026, 2, 15), SUNDAY),)
    assert second.law == (LI_52, LI_61_23, CCQ_1425)
    assert second.describe() == (
        "30 jours suivant le 2026-01-16 (jour de départ non compté) : dernier jour brut "
        "2026-02-15 (dimanche), reporté au 2026-02-16 (prochain jour ouvrable) — "
        "Loi d'interprétation, RLRQ c. I-16, art. 52 ; Loi d'interprétation, RLRQ c. I-16, "
        f"art. 61 (23°) ; {CCQ_1425} (politique « defaut »)."
    )
    assert second.describe("en") == (
        "30 days following 2026-01-16 (start day not counted): raw last day 2026-02-15 "
        "(Sunday), moved to 2026-02-16 (next working day) — Loi d'interprétation, RLRQ c. I-16, "
        f"art. 52; Loi d'interprétation, RLRQ c. I-16, art. 61 (23°); {CCQ_1425} "
        '(policy "defaut").'
    )
    third = DEFAULT.explain_after(D(2026, 5, 25), 30)
    assert third.skipped == ((D(2026, 6, 24), "Fête nationale"),)
    assert "Fête nationale" in third.describe()
    assert "2026-06-25" in third.describe("en")


# --- holidays ---------------------------------------------------------------------------------


def test_holidays_2026() -> None:
    assert DEFAULT.holidays(2026) == {
        D(2026, 1, 1): "jour de l'An",
        D(2026, 4, 3): "Vendredi saint",
        D(2026, 4, 6): "lundi de Pâques",
        D(2026, 5, 18): "Journée nationale des patriotes",  # 25 May 2026 is itself a Monday
        D(2026, 6, 24): "Fête nationale",
        D(2026, 7, 1): "fête du Canada",
        D(2026, 9, 7): "fête du Travail",
        D(2026, 10, 12): "Action de grâces",
        D(2026, 12, 25): "Noël",
    }


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 1 July is a Sunday in 2018 and 2029: the holiday is 2 July.
        (2018, ["01-01", "03-30", "04-02", "05-21", "06-24", "07-02", "09-03", "10-08", "12-25"]),
        (2029, ["01-01", "03-30", "04-02", "05-21", "06-24", "07-02", "09-03", "10-08", "12-25"]),
        # 25 May 2020 is a Monday: the Monday *preceding* it is 18 May.
        (2020, ["01-01", "04-10", "04-13", "05-18", "06-24", "07-01", "09-07", "10-12", "12-25"]),
        (2027, ["01-01", "03-26", "03-29", "05-24", "06-24", "07-01", "09-06", "10-11", "12-25"]),
        (2028, ["01-01", "04-14", "04-17", "05-22", "06-24", "07-01", "09-04", "10-09", "12-25"]),
    ],
)
def test_holidays_by_year(year: int, expected: list[str]) -> None:
    assert [d.strftime("%m-%d") for d in DEFAULT.holidays(year)] == expected


def test_holiday_rules_are_cited_data() -> None:
    assert len(QUEBEC.holiday_days) == 9
    assert all(r.citation is not None and r.citation.fr == r.citation.en == LI_61_23
               for r in QUEBEC.holiday_days)
    assert [r.reference for r in QUEBEC.holiday_days] == ["b", "c", "d", "i", "e", "f", "g",
                                                          "g.1", "h"]
    assert D(2029, 7, 1) not in DEFAULT.holidays(2029)  # a Sunday: non-working by rule anyway
    assert DEFAULT.non_working_reason(D(2029, 7, 1)) == SUNDAY


def test_holidays_are_a_copy() -> None:
    DEFAULT.holidays(2026).clear()
    assert len(DEFAULT.holidays(2026)) == 9


# --- non-working days under the two policies -------------------------------------------------


@pytest.mark.parametrize(
    ("day", "default", "strict"),
    [
        (D(2026, 2, 15), SUNDAY, SUNDAY),
        (D(2026, 2, 14), SATURDAY, None),
        (D(2025, 12, 26), DEC26, None),  # a Friday
        (D(2025, 1, 2), JAN2, None),  # a Thursday
        (D(2026, 12, 26), SATURDAY, None),  # a Saturday: the Saturday reason comes first
        (D(2026, 4, 6), "lundi de Pâques", "lundi de Pâques"),
        (D(2022, 12, 25), "Noël", "Noël"),  # a Sunday: the holiday name is more telling
        (D(2026, 3, 12), None, None),
    ],
)
def test_non_working_reason(day: date, default: str | None, strict: str | None) -> None:
    assert DEFAULT.non_working_reason(day) == default
    assert STRICT.non_working_reason(day) == strict
    assert DEFAULT.is_working_day(day) is (default is None)


def test_strict_policy() -> None:
    strict = Policy.strict_interpretation_act()
    assert not strict.saturday_non_working
    assert not strict.dec26_jan2_non_working
    assert (
        attrs.evolve(strict, saturday_non_working=True, dec26_jan2_non_working=True, name="defaut")
        == Policy()
    )


# --- deadlines around holidays -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "default", "strict"),
    [
        (D(2026, 3, 4), 30, D(2026, 4, 7), D(2026, 4, 4)),  # Good Friday, Sat, Sun, Easter Monday
        (D(2026, 3, 7), 30, D(2026, 4, 7), D(2026, 4, 7)),  # Easter Monday
        (D(2026, 5, 8), 10, D(2026, 5, 19), D(2026, 5, 19)),  # Journée nationale des patriotes
        (D(2029, 6, 23), 1, D(2029, 6, 25), D(2029, 6, 25)),  # 24 June a Sunday: no "observed" day
        (D(2026, 6, 30), 1, D(2026, 7, 2), D(2026, 7, 2)),  # 1 July
        (D(2029, 6, 30), 1, D(2029, 7, 3), D(2029, 7, 3)),  # 1 July Sunday, 2 July holiday
        (D(2026, 12, 24), 1, D(2026, 12, 28), D(2026, 12, 26)),  # 25 Dec Fri, 26 Sat, 27 Sun
        (D(2025, 12, 24), 1, D(2025, 12, 29), D(2025, 12, 26)),  # 25 Thu, 26 Fri, 27 Sat, 28 Sun
        (D(2025, 12, 31), 1, D(2026, 1, 5), D(2026, 1, 2)),  # 1 Jan Thu, 2 Fri, 3 Sat, 4 Sun
        (D(2028, 1, 30), 30, D(2028, 2, 29), D(2028, 2, 29)),  # leap day, a Tuesday
        (D(2028, 2, 28), 1, D(2028, 2, 29), D(2028, 2, 29)),
        (D(2026, 12, 25), 0, D(2026, 12, 28), D(2026, 12, 26)),  # 0 days: start itself, rolled
    ],
)
def test_deadlines_default_and_strict(start: date, days: int, default: date, strict: date) -> None:
    assert DEFAULT.after(start, days) == default
    assert STRICT.after(start, days) == strict


def test_christmas_run_explained() -> None:
    comp = DEFAULT.explain_after(D(2025, 12, 24), 1)
    assert comp.skipped == (
        (D(2025, 12, 25), "Noël"),
        (D(2025, 12, 26), DEC26),
        (D(2025, 12, 27), SATURDAY),
        (D(2025, 12, 28), SUNDAY),
    )
    assert comp.law == (LI_52, LI_61_23, CPC_82_83, CCQ_1425)
    assert "jours écartés" in comp.describe()
    assert "26 December" in comp.describe("en")
    strict = STRICT.explain_after(D(2025, 12, 24), 1)
    assert strict.law == (LI_52, LI_61_23, CCQ_1425)
    assert strict.policy == "stricte-I-16"


def test_start_day_is_never_shifted() -> None:
    # Starting on a holiday: counting still begins the next day.
    assert DEFAULT.after(D(2026, 12, 25), 5) == D(2026, 12, 30)


def test_no_roll_forward_gives_raw_days() -> None:
    cal = LegalCalendar(Policy(roll_forward=False, name="brut"), days=QUEBEC)
    comp = cal.explain_after(D(2026, 1, 16), 30)
    assert comp.deadline == comp.raw == D(2026, 2, 15)
    assert comp.skipped == ()
    assert comp.raw_reason == SUNDAY
    assert comp.mode == "sans_report"
    assert "non reporté" in comp.describe()
    assert "not moved" in comp.describe("en")


def test_extra_closure_days() -> None:
    policy = Policy(extra_closure_days={D(2026, 12, 24), D(2026, 12, 31)}, name="fermetures")
    cal = LegalCalendar(policy, days=QUEBEC)
    assert cal.non_working_reason(D(2026, 12, 24)) == CLOSURE == "fermeture (politique)"
    assert cal.after(D(2026, 12, 23), 1) == D(2026, 12, 28)
    assert cal.after(D(2026, 12, 30), 1) == D(2027, 1, 4)  # 31 closure, 1 Jan, 2 Sat, 3 Sun
    assert DEFAULT.after(D(2026, 12, 30), 1) == D(2026, 12, 31)
    assert cal.explain_after(D(2026, 12, 30), 1).law[-1] == CCQ_1425


def test_proclaimed_holidays() -> None:
    policy = Policy(
        proclaimed_holidays={D(2026, 3, 12): "jour de deuil national", D(2026, 12, 25): "X"}
    )
    cal = LegalCalendar(policy, days=QUEBEC)
    assert cal.holidays(2026)[D(2026, 3, 12)] == "jour de deuil national"
    assert cal.holidays(2026)[D(2026, 12, 25)] == "Noël / X"
    assert D(2026, 3, 12) not in cal.holidays(2027)
    comp = cal.explain_after(D(2026, 2, 10), 30)
    assert comp.deadline == D(2026, 3, 13)
    assert comp.law == (LI_52, LI_61_23, CCQ_1425)


# --- before -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "anchor", "expected"),
    [
        ("calendar", D(2026, 6, 25), D(2026, 5, 26)),
        ("clear_days", D(2026, 6, 25), D(2026, 5, 25)),
        ("roll_back", D(2026, 6, 25), D(2026, 5, 26)),
        ("calendar", D(2026, 6, 17), D(2026, 5, 18)),  # a holiday, but never moved forward
        ("clear_days", D(2026, 6, 17), D(2026, 5, 17)),  # a Sunday, left as is
        ("roll_back", D(2026, 6, 17), D(2026, 5, 15)),  # Patriotes, Sun, Sat -> Fri
    ],
)
def test_before_modes(mode: str, anchor: date, expected: date) -> None:
    cal = LegalCalendar(Policy(before_mode=mode), days=QUEBEC)  # type: ignore[arg-type]
    comp = cal.explain_before(anchor, 30)
    assert comp.deadline == cal.before(anchor, 30) == expected
    assert comp.kind == "avant"
    assert comp.mode == mode
    assert comp.describe()
    assert comp.describe("en")


def test_before_roll_back_explained_and_strict() -> None:
    roll_back = LegalCalendar(Policy(before_mode="roll_back"), days=QUEBEC)
    comp = roll_back.explain_before(D(2026, 6, 17), 30)
    assert [d for d, _ in comp.skipped] == [D(2026, 5, 18), D(2026, 5, 17), D(2026, 5, 16)]
    assert comp.law == (LI_61_23, CPC_82_83, CCQ_1425)
    assert "ramené au 2026-05-15" in comp.describe()
    strict = attrs.evolve(Policy.strict_interpretation_act(), before_mode="roll_back")
    assert LegalCalendar(strict, days=QUEBEC).before(D(2026, 6, 17), 30) == D(2026, 5, 16)


# --- period end, working days, vague standards --------------------------------------------------


def test_period_end_is_a_fixed_date() -> None:
    assert DEFAULT.period_end(D(2026, 3, 28), 90) == D(2026, 6, 26)
    comp = DEFAULT.explain_period_end(D(2026, 3, 26), 90)
    assert comp.deadline == D(2026, 6, 24)
    assert comp.raw_reason == "Fête nationale"
    assert "jamais reportée" in comp.describe()


def test_add_working_days() -> None:
    assert DEFAULT.add_working_days(D(2026, 12, 24), 3) == D(2026, 12, 30)
    assert STRICT.add_working_days(D(2026, 12, 24), 3) == D(2026, 12, 29)
    assert DEFAULT.add_working_days(D(2026, 12, 25), 0) == D(2026, 12, 25)
    assert DEFAULT.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 16)
    comp = DEFAULT.explain_working_days(D(2026, 2, 13), 1)
    assert comp.law == ()
    assert "sans fondement contractuel" in comp.describe()


def test_vague_deadlines() -> None:
    assert Policy().vague_deadline("immediatement") is None
    assert DEFAULT.explain_vague("dans les meilleurs délais", D(2026, 1, 1)) is None
    policy = Policy(vague_deadlines={"immédiatement": 0, "Dans les plus brefs délais": 2})
    assert policy.vague_deadlines == (("immediatement", 0), ("plus_brefs_delais", 2))
    assert policy.vague_deadline("plus_brefs_delais") == 2
    assert policy.vague_deadline("meilleurs_delais") is None
    comp = LegalCalendar(policy, days=QUEBEC).explain_vague("plus brefs délais", D(2026, 2, 13))
    assert comp is not None
    assert comp.deadline == D(2026, 2, 17)
    assert normalise_standard("Sans délai") == "sans_delai"
    # which standards exist is the rule book's: a policy checks only their shape
    assert policy.vague_deadline("bientôt") is None
    with pytest.raises(ValueError, match="unknown vague standard"):
        policy.vague_deadline("?!")
    with pytest.raises(ValueError, match="unknown vague standard"):
        Agreement(client="X", in_force_from=D(2026, 4, 1),
                  policy=Policy(vague_deadlines={"tout de suite": 1}))


# --- policy construction -------------------------------------------------------------------------


def test_policy_accepts_iso_strings() -> None:
    # Rule and agreement files are TOML, whose table keys cannot be dates.
    policy = Policy(
        extra_closure_days=["2026-12-24", D(2026, 12, 31)],
        proclaimed_holidays={"2026-03-12": "jour de deuil national"},
    )
    assert policy.extra_closure_days == frozenset({D(2026, 12, 24), D(2026, 12, 31)})
    assert policy.proclaimed_holidays == ((D(2026, 3, 12), "jour de deuil national"),)
    with pytest.raises(ValueError, match="invalid ISO date"):
        Policy(extra_closure_days=["24 décembre"])


def test_policy_is_hashable_and_canonical() -> None:
    a = Policy(proclaimed_holidays={D(2026, 3, 12): "x"}, vague_deadlines={"sans_delai": 1})
    b = Policy(proclaimed_holidays=[(D(2026, 3, 12), "x")], vague_deadlines=[("sans délai", 1)])
    assert a == b
    assert hash(a) == hash(b)
    assert isinstance(a.extra_closure_days, frozenset)
    assert hash(LegalCalendar(a, days=QUEBEC)) == hash(LegalCalendar(b, days=QUEBEC))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"before_mode": "whenever"}, ValueError, "before_mode"),
        ({"renewal_year": "lunar"}, ValueError, "renewal_year"),
        ({"vague_deadlines": {"immediatement": -1}}, ValueError, "negative number of days"),
        ({"vague_deadlines": {"immediatement": 1.5}}, TypeError, "must be an int"),
        ({"vague_deadlines": {"tout de suite !": 1}}, ValueError, "unknown vague standard"),
        (
            {"vague_deadlines": [("immediatement", 1), ("immédiatement", 2)]},
            ValueError,
            "duplicate",
        ),
        ({"roll_forward": "no"}, TypeError, "must be a bool"),
        ({"extra_closure_days": {datetime(2026, 12, 24, 0, 0)}}, TypeError, "datetime.date"),
        ({"proclaimed_holidays": {D(2026, 3, 12): ""}}, ValueError, "without a name"),
        (
            {"proclaimed_holidays": [(D(2026, 3, 12), "a"), (D(2026, 3, 12), "b")]},
            ValueError,
            "duplicate",
        ),
        ({"name": " "}, ValueError, "needs a name"),
    ],
)
def test_policy_validation(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        Policy(**kwargs)  # type: ignore[arg-type]


def test_argument_checks() -> None:
    with pytest.raises(ValueError, match="negative"):
        DEFAULT.after(D(2026, 1, 1), -1)
    with pytest.raises(TypeError):
        DEFAULT.after(D(2026, 1, 1), True)
    with pytest.raises(TypeError):
        DEFAULT.is_working_day(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="unsupported language"):
        DEFAULT.explain_after(D(2026, 1, 1), 1).describe("de")


# --- months and fiscal years --------------------------------------------------------------------


def test_add_months() -> None:
    with pytest.raises(AmbiguousDateError, match=r"n'existe pas.*does not exist"):
        add_months(D(2028, 1, 31), 1)
    assert issubclass(AmbiguousDateError, ValueError)
    assert add_months(D(2028, 1, 31), 1, "end_of_month") == D(2028, 2, 29)
    assert add_months(D(2027, 1, 31), 1, "end_of_month") == D(2027, 2, 28)
    assert add_months(D(2027, 1, 31), 1, "next_day") == D(2027, 3, 1)
    assert add_months(D(2028, 1, 31), 1, "next_day") == D(2028, 3, 1)
    assert add_months(D(2028, 2, 29), 12, "end_of_month") == D(2029, 2, 28)
    assert add_months(D(2026, 3, 31), -1, "end_of_month") == D(2026, 2, 28)
    assert add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)
    assert add_months(D(2026, 1, 31), 2) == D(2026, 3, 31)
    assert DEFAULT.add_months(D(2028, 1, 31), 1, "end_of_month") == D(2028, 2, 29)
    with pytest.raises(ValueError, match="rounding"):
        add_months(D(2026, 1, 1), 1, "clamp")  # type: ignore[arg-type]


def test_fiscal_year() -> None:
    assert MonthDay(4, 1) == FISCAL
    assert fiscal_year_start(D(2026, 4, 1), FISCAL) == D(2026, 4, 1)
    assert fiscal_year_start(D(2027, 3, 31), FISCAL) == D(2026, 4, 1)
    assert fiscal_year_label(D(2026, 4, 1), FISCAL) == "2026-2027"
    assert fiscal_year_label(D(2027, 3, 31), FISCAL) == "2026-2027"
    assert fiscal_year_label(D(2026, 3, 31), FISCAL) == "2025-2026"
    assert DEFAULT.fiscal_year_start(D(2026, 1, 5), FISCAL) == D(2025, 4, 1)
    assert DEFAULT.fiscal_year_label(D(2026, 1, 5), FISCAL) == "2025-2026"
    assert FISCAL.words() == ("1er avril au 31 mars", "1 April to 31 March")
    assert MonthDay(1, 1).words() == ("1er janvier au 31 décembre", "1 January to 31 December")
    assert MonthDay.parse("07-01") == MonthDay(7, 1)
    for bad in ("7-01", "02-29", "13-01", "04-31"):
        with pytest.raises(ValueError):
            MonthDay.parse(bad)


def test_renewal_period() -> None:
    start = D(2026, 6, 15)
    assert DEFAULT.renewal_period(D(2026, 9, 1), start, FISCAL) == (start, D(2027, 3, 31))
    assert DEFAULT.renewal_period(D(2027, 5, 1), start, FISCAL) == (D(2027, 4, 1),
                                                                    D(2028, 3, 31))
    anniversary = LegalCalendar(Policy(renewal_year="anniversary"), days=QUEBEC)
    assert anniversary.renewal_period(D(2027, 6, 14), start, FISCAL) == (start, D(2027, 6, 14))
    assert anniversary.renewal_period(D(2027, 6, 15), start, FISCAL) == (D(2027, 6, 15),
                                                                         D(2028, 6, 14))
    leap = D(2028, 2, 29)
    assert anniversary.renewal_period(D(2029, 3, 1), leap, FISCAL) == (D(2029, 2, 28),
                                                                       D(2030, 2, 27))
    with pytest.raises(ValueError, match="precedes entry into force"):
        DEFAULT.renewal_period(D(2026, 1, 1), start, FISCAL)


# --- properties -----------------------------------------------------------------------------------

dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2150, 12, 31))
day_counts = st.integers(min_value=0, max_value=800)
policies = st.builds(
    Policy,
    saturday_non_working=st.booleans(),
    dec26_jan2_non_working=st.booleans(),
    extra_closure_days=st.frozensets(dates, max_size=5),
    proclaimed_holidays=st.dictionaries(dates, st.just("proclamé"), max_size=3),
    before_mode=st.sampled_from(["calendar", "clear_days", "roll_back"]),
)


@given(policies, dates, day_counts)
def test_rolled_deadline_properties(policy: Policy, start: date, days: int) -> None:
    cal = LegalCalendar(policy, days=QUEBEC)
    comp = cal.explain_after(start, days)
    assert comp.deadline == cal.after(start, days)
    assert comp.raw == start + timedelta(days=days) <= comp.deadline
    assert cal.is_working_day(comp.deadline)
    between = [comp.raw + timedelta(days=i) for i in range((comp.deadline - comp.raw).days)]
    assert not any(cal.is_working_day(d) for d in between)
    assert [d for d, _ in comp.skipped] == between
    assert all(reason == cal.non_working_reason(d) for d, reason in comp.skipped)


@given(policies, dates, day_counts)
def test_no_roll_forward_property(policy: Policy, start: date, days: int) -> None:
    cal = LegalCalendar(attrs.evolve(policy, roll_forward=False), days=QUEBEC)
    assert cal.after(start, days) == start + timedelta(days=days)


@given(policies, dates, day_counts)
def test_before_properties(policy: Policy, anchor: date, days: int) -> None:
    cal = LegalCalendar(policy, days=QUEBEC)
    comp = cal.explain_before(anchor, days)
    limit = anchor - timedelta(days=days)
    assert comp.deadline == cal.before(anchor, days) <= limit
    if policy.before_mode == "calendar":
        assert comp.deadline == limit
    elif policy.before_mode == "clear_days":
        assert comp.deadline == limit - timedelta(days=1)
    else:
        assert cal.is_working_day(comp.deadline)
        gap = (limit - comp.deadline).days
        assert not any(cal.is_working_day(limit - timedelta(days=i)) for i in range(gap))


@given(dates, day_counts, st.frozensets(dates, max_size=5))
def test_strict_deadline_never_later(start: date, days: int, closures: frozenset[date]) -> None:
    default = LegalCalendar(Policy(extra_closure_days=closures), days=QUEBEC)
    strict = LegalCalendar(
        attrs.evolve(Policy.strict_interpretation_act(), extra_closure_days=closures),
        days=QUEBEC)
    assert strict.after(start, days) <= default.after(start, days)


@given(policies, dates, st.integers(min_value=0, max_value=60))
def test_working_days_property(policy: Policy, start: date, n: int) -> None:
    cal = LegalCalendar(policy, days=QUEBEC)
    end = cal.add_working_days(start, n)
    span = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(cal.is_working_day(d) for d in span) == n
    assert n == 0 or cal.is_working_day(end)


@given(dates, st.integers(min_value=-240, max_value=240))
def test_add_months_properties(d: date, months: int) -> None:
    end = add_months(d, months, "end_of_month")
    nxt = add_months(d, months, "next_day")
    target = add_months(d.replace(day=1), months)
    assert (end.year, end.month) == (target.year, target.month)
    try:
        same = add_months(d, months)
    except AmbiguousDateError:
        assert end.day < d.day
        assert nxt == end + timedelta(days=1)
        assert nxt.day == 1
    else:
        assert same == end == nxt
        assert same.day == d.day
        assert add_months(same, -months) == d


@given(dates)
def test_fiscal_year_property(d: date) -> None:
    start = fiscal_year_start(d, FISCAL)
    assert (start.month, start.day) == (4, 1)
    assert start <= d < start.replace(year=start.year + 1)
    assert fiscal_year_label(d, FISCAL) == f"{start.year}-{start.year + 1}"


@settings(max_examples=50)
@given(st.integers(min_value=1990, max_value=2150))
def test_holiday_rules_property(year: int) -> None:
    by_name = {name: d for d, name in DEFAULT.holidays(year).items()}
    assert len(by_name) == 9
    assert all(d.year == year for d in by_name.values())
    good_friday, easter_monday = by_name["Vendredi saint"], by_name["lundi de Pâques"]
    assert good_friday.weekday() == 4
    assert easter_monday - good_friday == timedelta(days=3)
    patriotes = by_name["Journée nationale des patriotes"]
    assert patriotes.weekday() == 0
    assert D(year, 5, 18) <= patriotes <= D(year, 5, 24)
    canada = by_name["fête du Canada"]
    assert canada == (D(year, 7, 2) if D(year, 7, 1).weekday() == 6 else D(year, 7, 1))
    labour, thanks = by_name["fête du Travail"], by_name["Action de grâces"]
    assert labour.weekday() == 0
    assert labour.month == 9
    assert labour.day <= 7
    assert thanks.weekday() == 0
    assert thanks.month == 10
    assert 8 <= thanks.day <= 14


# --- cross-check with the `holidays` package ------------------------------------------------------


def test_cross_check_with_holidays_package() -> None:
    """The `holidays` package's Canada/QC public calendar against the I-16 list, 2000-2100.

    Known, documented differences (docs/calendrier.md):
    - Easter Monday (I-16 61 (23°) d) is only in the package's optional category: ours only.
    - Journée nationale des patriotes before 2003 (the day existed under I-16 as the Sovereign's
      birthday, but the package starts in 2003): ours only.
    - "(observed)" Mondays for 1 January, 24 June and 25 December (e.g. Monday 2 or 3 January,
      Monday 26 or 27 December, Monday 25 June): unknown to Quebec law, theirs only. 2 January
      and 26 December are non-working under our default policy by C.p.c. art. 82, not as
      holidays, so they are not in `holidays()` either.
    - 1 July when it is a Sunday: the package lists it; I-16 moves the holiday to 2 July (which
      both list), and the Sunday is non-working anyway.
    """
    holidays = pytest.importorskip("holidays")
    for year in range(2000, 2101):
        ours = DEFAULT.holidays(year)
        theirs = holidays.country_holidays("CA", subdiv="QC", years=year)
        only_ours = {d: ours[d] for d in set(ours) - set(theirs)}
        only_theirs = {d: theirs[d] for d in set(theirs) - set(ours)}
        for d, name in only_ours.items():
            assert name == "lundi de Pâques" or (
                name == "Journée nationale des patriotes" and year < 2003
            ), (d, name)
        for d, name in only_theirs.items():
            assert "(observed)" in name or (d == D(year, 7, 1) and d.weekday() == 6), (d, name)
            assert d.weekday() in (0, 6), (d, name)
        assert DEFAULT.holidays(year).keys() - only_ours.keys() <= set(theirs)
