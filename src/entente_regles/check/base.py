"""What every check function receives: the rulebook, the agreement's tables, whether some
files did not load, and the findings to add to."""

from __future__ import annotations

import attrs

from entente_regles.check.agreement_text import AgreementTables
from entente_regles.check.findings import Findings
from entente_regles.core.values import OptionStatus, Status
from entente_regles.rules.norms import Norm, Tests
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.toml_tables import TomlSource
from entente_regles.rules.vocabulary import EventType
from entente_regles.words.check import FINDINGS

DATED_FORMS = ("jours", "fin_periode", "veille_effet")
# The statuses in the order messages list them.
STATUS_ORDER: tuple[Status | OptionStatus, ...] = (
    Status.DUE, Status.LATE, Status.SUSPENDED, Status.SATISFIED, Status.SATISFIED_LATE,
    Status.IN_FORCE,
    Status.BREACHED, Status.DISCHARGED, OptionStatus.OPEN, OptionStatus.EXERCISED,
    OptionStatus.EXPIRED)


@attrs.frozen
class Context:
    """``partial``: a file did not load, so checks that need the whole book stay silent."""

    book: RuleBook
    tables: AgreementTables
    partial: bool
    out: Findings
    sources: dict[str, TomlSource] = attrs.field(factory=dict)

    def add(self, file: str, key: str, code: str, fr: str, en: str) -> None:
        source = self.sources.get(file)
        self.out.add(file, key, code, fr, en, source.line(key) if source else None)

    def report(self, file: str, key: str, message: str, /, **values: object) -> None:
        """Add the finding ``message`` of ``words.check.FINDINGS`` (``<code>.<what>``), its
        ``{names}`` filled in from ``values``."""
        said = FINDINGS.text(message, **values)
        self.add(file, key, message.partition(".")[0], said.fr, said.en)

    def param(self, value: int | str | None) -> int | None:
        """The integer a deadline, period or notice uses (None: unknown or not an integer)."""
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            param = self.book.parameters.get(value[1:])
            if param is not None and isinstance(param.value, int) \
                    and not isinstance(param.value, bool):
                return param.value
        return None

    def norm(self, norm_id: str | None) -> Norm | None:
        return next((n for n in self.book.norms if n.id == norm_id), None)

    def dated(self, norm: Norm) -> bool:
        return norm.deadline is not None and norm.deadline.form in DATED_FORMS


def actors(spec: EventType, party: str | None,
           tests: Tests) -> set[str]:
    """The parties that can produce an event of ``spec`` passing ``party`` and ``tests``."""
    found = set(spec.parties)
    if party is not None:
        found &= {party}
    for name, value in tests:
        if name == "par":
            found &= {str(value)}
    return found
