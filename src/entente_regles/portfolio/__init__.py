"""A portfolio: every agreement of a directory or a database, evaluated at once, on this
machine's cores or a cluster, kept fresh without redoing, and asked across all of them
(docs/portefeuille.md).

Modules: ``sources`` (the entries of a directory, logs read from bytes), ``database`` (the
SQL schema, SQLite or any SQLAlchemy URL), ``worker`` (one agreement's job: plain data in
and out), ``shipping`` (an evaluation across a process boundary), ``evaluation``
(:class:`PortfolioEvaluation`, running and refreshing), ``snapshot``
(:class:`PortfolioSnapshot`, the answers across agreements), ``portfolio``
(:class:`Portfolio`).

The database names (``import_directory``, ``import_logs``, ``ImportReport``,
``SCHEMA_VERSION``) are imported when first used: SQLAlchemy is not loaded by a program that
reads no database.
"""

from typing import TYPE_CHECKING, Any

from entente_regles.portfolio.errors import PortfolioError
from entente_regles.portfolio.evaluation import INLINE_BYTES, PortfolioEvaluation, RefreshStats
from entente_regles.portfolio.portfolio import Portfolio
from entente_regles.portfolio.snapshot import (
    ClientLine,
    OwedTotal,
    PortfolioAgendaItem,
    PortfolioAging,
    PortfolioAgingLine,
    PortfolioSnapshot,
)

__all__ = ["INLINE_BYTES", "SCHEMA_VERSION", "ClientLine", "ImportReport", "OwedTotal",
           "Portfolio", "PortfolioAgendaItem", "PortfolioAging", "PortfolioAgingLine",
           "PortfolioError", "PortfolioEvaluation", "PortfolioSnapshot", "RefreshStats",
           "import_directory", "import_logs"]

_DATABASE = ("SCHEMA_VERSION", "ImportReport", "import_directory", "import_logs")

if TYPE_CHECKING:
    from entente_regles.portfolio.database import (
        SCHEMA_VERSION,
        ImportReport,
        import_directory,
        import_logs,
    )


def __getattr__(name: str) -> Any:
    if name in _DATABASE:
        from entente_regles.portfolio import database

        return getattr(database, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
