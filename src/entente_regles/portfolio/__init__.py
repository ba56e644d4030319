"""A portfolio: every agreement of a directory or a database, evaluated at once, on this
machine's cores or a cluster, kept fresh without redoing, and asked across all of them
(docs/portefeuille.md).

Modules: ``sources`` (the entries of a directory, logs read from bytes), ``database`` (the
SQL schema, SQLite or any SQLAlchemy URL), ``worker`` (one agreement's job: plain data in
and out), ``shipping`` (an evaluation across a process boundary), ``evaluation``
(:class:`PortfolioEvaluation`, running and refreshing), ``snapshot``
(:class:`PortfolioSnapshot`, the answers across agreements), ``portfolio``
(:class:`Portfolio`).
"""

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

__all__ = ["INLINE_BYTES", "ClientLine", "OwedTotal", "Portfolio", "PortfolioAgendaItem",
           "PortfolioAging", "PortfolioAgingLine", "PortfolioError", "PortfolioEvaluation",
           "PortfolioSnapshot", "RefreshStats"]
