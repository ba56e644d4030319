"""A generated example portfolio: one folder per client body, each with its agreement file
(``entente.toml``) and its event log (``journal.jsonl``), written in the format of the
bundled example, so a new user can try the portfolio commands in one line
(``entente-regles portefeuille exemple DIR``) and the benchmarks have a fixture.

The logs tell three years (by default) of the bundled agreement's life, client by client:
monthly invoices and their payments (most on time, some late, some partly paid, a few
disputed and settled, a few still unpaid), incidents and their notices, replaced managers,
changes of needs, the yearly consumption update, a few amendments (a longer payment delay)
and a few terminations (some effective, some pending). ``heavy=True`` adds usage invoices
and security events (each with its notice) every working day: about 3,250 events for an
agreement in force the three years, fewer for one signed later or terminated (918,703 for
the 300 agreements of seed 0).

Deterministic: the same ``seed`` and ``start`` give byte-identical files, and client *i*'s
folder does not depend on how many clients are asked for. No clock is read.

The vocabulary written (event types, fields, parties, services, the policy) is the bundled
rule book's: the parties come from the rule book and the agreement file's keys and policy
from the bundled example, never spelt here.
"""

from __future__ import annotations

import json
import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from entente_regles.rules.agreement_file import AGREEMENT_KEYS
from entente_regles.rules.resources import bundled_example
from entente_regles.rules.rulebook import RuleBook

__all__ = ["AGREEMENT_FILE", "DEFAULT_START", "LOG_FILE", "generate_portfolio"]

AGREEMENT_FILE = "entente.toml"
LOG_FILE = "journal.jsonl"
DEFAULT_START = date(2026, 4, 1)
CENT = Decimal("0.01")

# The agreement file's keys, as its reader declares them (rules/agreement_file.py).
_NAME_KEY, _IN_FORCE_KEY, _SERVICES_KEY, _ANNEX_KEY, _POLICY_KEY = AGREEMENT_KEYS[:5]

# Ministries and bodies first, then regional bodies: fictitious client bodies.
_BODIES = (
    "MSSS", "MEQ", "MTMD", "MFQ", "MAPAQ", "MELCCFP", "MCC", "MIFI", "MJQ", "MSP", "MRNF",
    "MES", "MTESS", "MAMH", "MEIE", "MTO", "SCT", "RAMQ", "SAAQ", "CNESST", "RQ", "BAnQ",
    "ITHQ", "OPHQ", "CPTAQ", "RBQ", "SHQ", "TAQ", "CDPDJ", "ISQ",
)
_REGIONAL = ("CISSS", "CIUSSS", "CSS", "CEGEP", "OMH")
_SERVICES = ("hebergement", "courriel", "teletravail", "sauvegarde", "reseau", "telephonie")


def generate_portfolio(path: str | Path, clients: int = 300, years: int = 3, seed: int = 0,
                       *, heavy: bool = False, start: date = DEFAULT_START) -> list[Path]:
    """Write ``clients`` folders under ``path`` (created if needed) and return them, sorted.

    Each folder, named ``NNN-name`` (the agreement's id in a portfolio), holds an
    ``entente.toml`` in force from ``start`` (or a few months later) and a ``journal.jsonl``
    covering ``years`` years from ``start``. Existing files of the same names are replaced.
    """
    if clients < 0 or years < 1:
        raise ValueError(f"clients >= 0 and years >= 1 expected, got {clients}, {years}")
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    template = _Template.bundled()
    written = []
    for index in range(clients):
        story = _ClientStory(template, index, seed, start, years, heavy)
        folder = root / story.folder
        folder.mkdir(exist_ok=True)
        (folder / AGREEMENT_FILE).write_text(story.agreement_text(), encoding="utf-8")
        with (folder / LOG_FILE).open("w", encoding="utf-8", newline="\n") as log:
            log.write(f"# {story.name}: {years} an(s) / year(s), graine / seed {seed}\n")
            for line in story.log_lines():
                log.write(line)
                log.write("\n")
        written.append(folder)
    return sorted(written)


# --------------------------------------------------------------------------- template


@dataclass(frozen=True)
class _Template:
    """What the generated files borrow from the bundled agreement: its parties (supplier
    first, then the client body) and the bundled example's policy table."""

    provider: str
    customer: str
    policy: dict[str, Any]

    @staticmethod
    def bundled() -> _Template:
        agreement_file, _ = bundled_example()
        example = tomllib.loads(Path(agreement_file).read_text(encoding="utf-8"))
        provider, customer = RuleBook.bundled().parties[:2]
        return _Template(provider, customer, dict(example.get(_POLICY_KEY, {})))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


# --------------------------------------------------------------------------- one client


def _working_day(day: date) -> date:
    """``day``, or the Monday after when it falls on a weekend (holidays are the engine's
    business: an act on a holiday is still an act)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _month_start(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


@dataclass
class _ClientStory:
    template: _Template
    index: int
    seed: int
    start: date
    years: int
    heavy: bool
    rng: random.Random = field(init=False)
    name: str = field(init=False)
    folder: str = field(init=False)
    in_force: date = field(init=False)
    services: dict[str, date] = field(init=False)
    end: date = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"entente-regles:{self.seed}:{self.index}")
        self.name = _client_name(self.index)
        self.folder = f"{self.index + 1:03d}-{self.name.lower()}"
        # Most agreements are in force from the start; some sign a few months later.
        delay = 0 if self.rng.random() < 0.7 else self.rng.randint(1, 9)
        self.in_force = _month_start(self.start, delay)
        chosen = self.rng.sample(_SERVICES, self.rng.randint(2, 4))
        self.services = {s: self.in_force for s in sorted(chosen)}
        self.end = _month_start(self.start, 12 * self.years)  # first day not told

    def agreement_text(self) -> str:
        lines = [
            "# Entente générée (entente-regles portefeuille exemple) / generated agreement",
            f"{_NAME_KEY} = {_toml_value(self.name)}",
            f"{_IN_FORCE_KEY} = {self.in_force.isoformat()}",
            "",
            f"[{_SERVICES_KEY}]",
            *(f"{name} = {on.isoformat()}" for name, on in self.services.items()),
            "",
            f"[{_ANNEX_KEY}]",
            "frequence_facturation_mois = 1",
        ]
        if self.template.policy:
            policy = dict(self.template.policy)
            if "name" in policy:  # each client body's own policy, the example's standards
                policy["name"] = f"politique-{self.name.lower()}"
            lines += ["", f"[{_POLICY_KEY}]"]
            lines += [f"{k} = {_toml_value(v)}" for k, v in policy.items()]
        return "\n".join(lines) + "\n"

    # ----------------------------------------------------------------------- the log

    def log_lines(self) -> Iterator[str]:
        events = self._events()
        # A log is written in date order; a stable sort keeps each story's same-day order.
        events.sort(key=lambda e: e["date"])
        for event in events:
            yield json.dumps(event, ensure_ascii=False)

    def _event(self, kind: str, on: date, by: str, **fields: Any) -> dict[str, Any]:
        event: dict[str, Any] = {"type": kind, "date": on.isoformat(), "par": by}
        for key, value in fields.items():
            if isinstance(value, Decimal):
                value = f"{value:.2f}"
            elif isinstance(value, date):
                value = value.isoformat()
            event[key] = value
        return event

    def _events(self) -> list[dict[str, Any]]:
        rng, provider, body = self.rng, self.template.provider, self.template.customer
        events: list[dict[str, Any]] = []
        last_day = self.end - timedelta(days=1)
        termination = self._termination(events, last_day)
        # the first day without the agreement, or the end of the story
        stop = termination if termination is not None else self.end
        # Payment habits: a reliable payer, an ordinary one, or a late one.
        habit = rng.choice((0.95, 0.85, 0.85, 0.6))
        delay = 30
        amendment = self._amendment(events, stop)
        fee = Decimal(rng.randrange(300_000, 6_000_000)) / 100
        dispute_count = 0
        month = self.in_force
        while month < stop:
            following = _month_start(month, 1)
            issued = _working_day(following + timedelta(days=rng.randint(1, 5)))
            if issued > last_day:
                break
            if amendment is not None and issued >= amendment:
                delay = 45
            period = month.strftime("%Y-%m")
            invoice = f"F-{period}"
            amount = (fee * Decimal(rng.randint(95, 110)) / 100).quantize(CENT)
            events.append(self._event("facture_emise", issued, provider, facture=invoice,
                                      montant=amount, periode=period))
            roll = rng.random()
            if roll < habit:  # on time
                self._pay(events, issued + timedelta(days=rng.randint(5, delay - 2)), invoice,
                          amount, last_day)
            elif roll < habit + (1 - habit) * 0.6:  # late
                self._pay(events, issued + timedelta(days=rng.randint(delay + 3, delay + 75)),
                          invoice, amount, last_day)
            elif roll < habit + (1 - habit) * 0.85:  # partly paid, the rest disputed
                dispute_count += 1
                dispute = f"D-{period}-{dispute_count}"
                part = (amount * Decimal(rng.choice(("0.5", "0.75", "0.9")))).quantize(CENT)
                paid_on = issued + timedelta(days=rng.randint(10, delay - 2))
                self._pay(events, paid_on, invoice, part, last_day)
                received = paid_on + timedelta(days=1)
                if paid_on <= last_day:
                    events.append(self._event("differend_soumis", paid_on, body,
                                              differend=dispute, recu_le=received))
                settled = received + timedelta(days=rng.randint(5, 29))
                if rng.random() < 0.4:  # not settled within 30 days: to the signatories
                    escalated = received + timedelta(days=rng.randint(36, 40))
                    events.append(self._event("differend_soumis_signataires", escalated, body,
                                              differend=dispute))
                    settled = escalated + timedelta(days=rng.randint(3, 30))
                if rng.random() < 0.8 and settled <= last_day:
                    events.append(self._event("reglement_differend", settled, provider,
                                              differend=dispute))
                    self._pay(events, settled + timedelta(days=rng.randint(1, 10)), invoice,
                              amount - part, last_day)
            # else: unpaid, to this day
            if self.heavy:
                self._usage(events, month, following, last_day, delay)
            if month.month == 3:  # the consumption update for the next fiscal year (15)
                on = _working_day(month + timedelta(days=rng.randint(5, 25)))
                if on <= last_day:
                    events.append(self._event("actualisation_consommation", on, provider,
                                              exercice=f"{month.year}-{month.year + 1}"))
            self._incidents(events, month)
            month = following
        return [e for e in events if e["date"] <= last_day.isoformat()]

    def _pay(self, events: list[dict[str, Any]], on: date, invoice: str, amount: Decimal,
             last_day: date) -> None:
        if amount > 0 and on <= last_day:
            events.append(self._event("paiement", on, self.template.customer, facture=invoice,
                                      montant=amount))

    def _usage(self, events: list[dict[str, Any]], month: date, following: date,
               last_day: date, delay: int) -> None:
        """Heavy logs: every working day of the month after ``month``, a usage invoice for
        ``month``'s period (paid on time, late, or not yet) and one or two security events
        detected by the supplier's monitoring, each notified to the client body the same day
        or the next."""
        rng, provider = self.rng, self.template.provider
        period = month.strftime("%Y-%m")
        day = following
        while day < _month_start(following, 1) and day <= last_day:
            if day.weekday() < 5:
                invoice = f"U-{day.isoformat()}"
                amount = Decimal(rng.randrange(5_000, 250_000)) / 100
                events.append(self._event("facture_emise", day, provider, facture=invoice,
                                          montant=amount, periode=period))
                roll = rng.random()
                if roll < 0.93:
                    self._pay(events, day + timedelta(days=rng.randint(3, delay - 2)),
                              invoice, amount, last_day)
                elif roll < 0.99:
                    self._pay(events, day + timedelta(days=rng.randint(delay + 2, delay + 60)),
                              invoice, amount, last_day)
                for n in range(1 if rng.random() < 0.9 else 2):
                    key = f"SEC-{day.isoformat()}-{n + 1}"
                    events.append(self._event("incident", day, provider, incident=key,
                                              nature="securite"))
                    events.append(self._event("avis_incident",
                                              day + timedelta(days=rng.randint(0, 1)), provider,
                                              incident=key))
            day += timedelta(days=1)

    def _incidents(self, events: list[dict[str, Any]], month: date) -> None:
        rng, provider, body = self.rng, self.template.provider, self.template.customer
        if rng.random() < 0.12:  # an incident detected by one party, and its notice
            by = provider if rng.random() < 0.7 else body
            on = month + timedelta(days=rng.randint(0, 27))
            key = f"INC-{on.isoformat()}"
            events.append(self._event("incident", on, by, incident=key,
                                      nature=rng.choice(("securite", "confidentialite"))))
            if rng.random() < 0.9:
                events.append(self._event("avis_incident",
                                          on + timedelta(days=rng.choice((0, 1, 1, 2, 6))),
                                          by, incident=key))
        if rng.random() < 0.04:  # a manager replaced, and the written notice
            by = provider if rng.random() < 0.5 else body
            on = _working_day(month + timedelta(days=rng.randint(0, 20)))
            key = f"R-{by}-{on.isoformat()}"
            events.append(self._event("remplacement_responsable", on, by, responsable=key,
                                      annexe=1))
            if rng.random() < 0.85:
                events.append(self._event("avis_remplacement_responsable",
                                          on + timedelta(days=rng.randint(2, 12)), by,
                                          responsable=key))
        if rng.random() < 0.03:  # the client body's needs change
            on = _working_day(month + timedelta(days=rng.randint(0, 20)))
            key = f"CB-{on.isoformat()}"
            events.append(self._event("changement_besoins", on, body, changement=key))
            if rng.random() < 0.8:
                events.append(self._event("avis_changement_besoins",
                                          on + timedelta(days=rng.randint(1, 15)), body,
                                          changement=key))

    def _amendment(self, events: list[dict[str, Any]], stop: date) -> date | None:
        """Some agreements are amended once: a longer payment delay for invoices from the
        amendment's effective date (14.1). Returns that date."""
        rng, provider, body = self.rng, self.template.provider, self.template.customer
        if rng.random() >= 0.15:
            return None
        signed = _working_day(self.in_force + timedelta(days=rng.randint(200, 700)))
        effective = _month_start(signed, 1)
        if effective >= stop:
            return None
        events.append(self._event("avenant", signed, provider, avenant=f"A-{signed.year}-1",
                                  signe_par=[provider, body],
                                  parametres={"delai_paiement_jours": 45},
                                  date_effet=effective))
        return effective

    def _termination(self, events: list[dict[str, Any]], last_day: date) -> date | None:
        """About one agreement in twelve is terminated by a written notice (14.2): effective
        on the first day of a month at least 90 days after receipt, sometimes after the story
        ends (a pending termination). Returns the first day without the agreement when it
        falls within the story."""
        rng = self.rng
        if rng.random() >= 1 / 12:
            return None
        by = rng.choice((self.template.provider, self.template.customer))
        span = (last_day - self.in_force).days
        if rng.random() < 0.4:  # notified near the story's end: still pending at its end
            notice = _working_day(last_day - timedelta(days=rng.randint(25, 80)))
        else:
            notice = _working_day(self.in_force + timedelta(days=rng.randint(span // 3,
                                                                              span - 30)))
        received = notice + timedelta(days=rng.randint(0, 3))
        effective = _month_start(received + timedelta(days=90), 1)
        if notice > last_day:
            return None
        events.append(self._event("avis_resiliation", notice, by, recu_le=received,
                                  date_effet=effective))
        return effective if effective <= last_day else None


def _client_name(index: int) -> str:
    if index < len(_BODIES):
        return _BODIES[index]
    rest = index - len(_BODIES)
    return f"{_REGIONAL[rest % len(_REGIONAL)]}{rest // len(_REGIONAL) + 1:02d}"
