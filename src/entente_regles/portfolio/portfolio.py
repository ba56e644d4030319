"""A portfolio (:class:`Portfolio`): a set of agreements, each with its agreement file and
its event log, read from a directory or a database, evaluated together."""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path

from entente_regles.agreement import ENGINES, Engine
from entente_regles.core.input_limits import quoted
from entente_regles.portfolio.evaluation import PortfolioEvaluation, Progress
from entente_regles.portfolio.sources import DirectorySource, Entry, Source
from entente_regles.rules.rulebook import RuleBook


class Portfolio:
    """Every agreement of ``source``, evaluated with the rule book ``rules`` (None: the
    bundled one) on the engine ``engine``. Build one with :meth:`from_directory` or
    :meth:`from_database`."""

    def __init__(self, source: Source, rules: RuleBook | None = None,
                 engine: Engine = "python") -> None:
        if rules is not None and not isinstance(rules, RuleBook):
            raise TypeError(f"rules : un RuleBook attendu, reçu {quoted(rules)} / rules: "
                            f"expected a RuleBook, got {quoted(rules)}")
        if engine not in ENGINES:
            raise ValueError(f"moteur inconnu {quoted(engine)} / unknown engine "
                             f"{quoted(engine)}")
        self.source = source
        self.rules = rules
        self.engine: Engine = engine

    @classmethod
    def from_directory(cls, path: str | Path, rules: RuleBook | None = None,
                       engine: Engine = "python") -> Portfolio:
        """The agreements of directory ``path``: one folder per agreement, named by its id,
        holding ``entente.toml`` (its agreement file) and ``journal.jsonl`` (its log)."""
        source = DirectorySource(str(path))
        source.stamps()  # a missing directory is said now
        return cls(source, rules, engine)

    @classmethod
    def from_database(cls, url: str | Path, rules: RuleBook | None = None,
                      engine: Engine = "python") -> Portfolio:
        """The agreements of the database ``url``: a SQLite file's path, or any SQLAlchemy
        URL (``sqlite:///portefeuille.db``, ``postgresql+psycopg://…``); see
        ``portfolio.database`` for the schema. A database of another schema version is
        refused (``PortfolioError``)."""
        from entente_regles.portfolio.database import DatabaseSource

        return cls(DatabaseSource.open(url), rules, engine)

    def entries(self) -> list[Entry]:
        """The agreements of the source, as read now, sorted by id."""
        return self.source.entries()

    @property
    def ids(self) -> tuple[str, ...]:
        """The agreement ids of the source, as read now, sorted."""
        return tuple(entry.id for entry in self.entries())

    @property
    def rulebook(self) -> RuleBook:
        """The rule book every agreement is evaluated with."""
        return self.rules if self.rules is not None else RuleBook.bundled()

    def evaluate(self, executor: Executor | None = None, *,
                 progress: Progress | None = None,
                 workers: int | None = None) -> PortfolioEvaluation:
        """Evaluate every agreement, each as one job given to ``executor`` (None: resident
        worker processes, one per core or ``workers``, that keep the evaluations they make,
        or this process for a small portfolio when ``workers`` is not given; see
        ``portfolio.evaluation``). An agreement whose file or log is bad is reported in
        ``errors``, the others are evaluated. ``progress`` is told after each agreement.
        Use the evaluation as a context manager, or call its ``close()``, to stop the
        resident workers before the program ends."""
        evaluation = PortfolioEvaluation(self.source, self.rules, self.engine, workers)
        return evaluation.refresh(executor, progress=progress)


__all__ = ["Portfolio"]
