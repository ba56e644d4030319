"""A portfolio in a database (SQLAlchemy 2 Core): SQLite as the embedded default (a file,
nothing to start), any SQLAlchemy URL (PostgreSQL…) for a shared server.

Schema, version :data:`SCHEMA_VERSION` (docs/portefeuille.md, « Schéma »)::

    schema_version (version INTEGER NOT NULL)            -- one row: the schema's version
    ententes (
        id TEXT PRIMARY KEY,                             -- the agreement's id
        texte TEXT NOT NULL,                             -- its agreement file (TOML), as is
        empreinte_regles TEXT NOT NULL,                  -- the rule book's fingerprint at import
        importe_le DATE NULL)                            -- given by the caller, never the clock
    evenements (
        entente TEXT NOT NULL REFERENCES ententes (id),
        seq INTEGER NOT NULL,                            -- the event's order within the log
        ligne TEXT NOT NULL,                             -- the event's JSON line, as in the log
        date DATE NOT NULL,                              -- its date
        recu_le DATE NULL,                               -- its receipt date, when given
        enregistre_le DATE NULL,                         -- its recording date, when given
        PRIMARY KEY (entente, seq))

An agreement's log is its lines in ``seq`` order; appending an event is a plain ``INSERT``
with the next ``seq``. ``date``, ``recu_le`` and ``enregistre_le`` repeat what the line says,
for queries; the line is what is evaluated. Opening a database of another version is a clear
error (:class:`~entente_regles.portfolio.errors.PortfolioError`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, make_url

from entente_regles.agreement import Agreement
from entente_regles.core.errors import EntenteError, ErrorLocation
from entente_regles.core.event import Event
from entente_regles.events.json_lines import JSON_BLANK
from entente_regles.portfolio.errors import PortfolioError
from entente_regles.portfolio.sources import (
    Entry,
    Stamp,
    check_id,
    directory_entries,
    log_events,
    read_bytes,
    sha256,
)
from entente_regles.portfolio.worker import agreement_errors
from entente_regles.rules.fingerprint import digest
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.toml_tables import TomlSource

SCHEMA_VERSION = 1

metadata = sa.MetaData()
schema_version = sa.Table("schema_version", metadata,
                          sa.Column("version", sa.Integer, nullable=False))
ententes = sa.Table(
    "ententes", metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("texte", sa.Text, nullable=False),
    sa.Column("empreinte_regles", sa.Text, nullable=False),
    sa.Column("importe_le", sa.Date, nullable=True))
evenements = sa.Table(
    "evenements", metadata,
    sa.Column("entente", sa.Text, sa.ForeignKey("ententes.id"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("ligne", sa.Text, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("recu_le", sa.Date, nullable=True),
    sa.Column("enregistre_le", sa.Date, nullable=True))


def database_url(url: str | Path | URL) -> URL:
    """``url`` as a SQLAlchemy URL: a plain path is a SQLite file."""
    if isinstance(url, URL):
        return url
    text = str(url)
    return make_url(text if "://" in text else f"sqlite:///{text}")


def shown(url: URL) -> str:
    """The URL as errors show it (password hidden)."""
    return url.render_as_string(hide_password=True)


def _failed(url: URL, exc: Exception) -> PortfolioError:
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    return PortfolioError.of(None, ErrorLocation(shown(url)), "database", reason=reason)


def _check_version(connection: Connection, url: URL, create: bool) -> None:
    """The schema's version is ours; ``create``: make the tables in a database that has
    none of them."""
    names = set(sa.inspect(connection).get_table_names())
    if create and not names & {"schema_version", "ententes", "evenements"}:
        metadata.create_all(connection)
        connection.execute(schema_version.insert().values(version=SCHEMA_VERSION))
        return
    versions = ([] if "schema_version" not in names
                else connection.execute(sa.select(schema_version.c.version)).scalars().all())
    if len(versions) != 1:
        raise PortfolioError.of(None, ErrorLocation(shown(url)), "no_schema")
    if versions[0] != SCHEMA_VERSION:
        raise PortfolioError.of(None, ErrorLocation(shown(url), key="schema_version"),
                                "schema_version", found=versions[0], expected=SCHEMA_VERSION)


@attrs.frozen
class DatabaseSource:
    """The agreements of a portfolio database (see the module's schema)."""

    url: URL
    engine: sa.Engine = attrs.field(eq=False, repr=False)

    @classmethod
    def open(cls, url: str | Path | URL, create: bool = False) -> DatabaseSource:
        """Connect to ``url`` and check its schema's version (``create``: make the schema
        in an empty database)."""
        parsed = database_url(url)
        try:
            engine = sa.create_engine(parsed)
            with engine.begin() as connection:
                _check_version(connection, parsed, create)
        except PortfolioError:
            raise
        except (sa.exc.SQLAlchemyError, ImportError, ValueError) as exc:
            raise _failed(parsed, exc) from None
        return cls(parsed, engine)

    def _where(self, table: str, agreement: str) -> str:
        return f"{shown(self.url)}#{table}/{agreement}"

    def stamps(self) -> dict[str, Stamp | None]:
        """Every agreement's id and stamp: the hash of its agreement file's text, and the
        count, last ``seq`` and total length of its event lines (one aggregate query; a
        row changed in place to a line of the same length is not seen: see
        docs/portefeuille.md)."""
        length = sa.func.coalesce(sa.func.sum(sa.func.length(evenements.c.ligne)), 0)
        query = (sa.select(ententes.c.id, ententes.c.texte, sa.func.count(evenements.c.seq),
                           sa.func.max(evenements.c.seq), length)
                 .select_from(ententes.outerjoin(evenements,
                                                 evenements.c.entente == ententes.c.id))
                 .group_by(ententes.c.id, ententes.c.texte).order_by(ententes.c.id))
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(query).all()
        except sa.exc.SQLAlchemyError as exc:
            raise _failed(self.url, exc) from None
        return {row[0]: (sha256(row[1].encode("utf-8")), row[2], row[3], int(row[4]))
                for row in rows}

    def entries(self, ids: Iterable[str] | None = None) -> list[Entry]:
        """The agreements ``ids`` (None: all) with their file's text and their log (its
        lines in ``seq`` order; errors name the ``seq`` as the line)."""
        wanted = None if ids is None else sorted(set(ids))
        if wanted == []:
            return []
        agreements = sa.select(ententes.c.id, ententes.c.texte).order_by(ententes.c.id)
        events = (sa.select(evenements.c.entente, evenements.c.seq, evenements.c.ligne)
                  .order_by(evenements.c.entente, evenements.c.seq))
        if wanted is not None:
            agreements = agreements.where(ententes.c.id.in_(wanted))
            events = events.where(evenements.c.entente.in_(wanted))
        try:
            with self.engine.connect() as connection:
                texts = {row[0]: row[1] for row in connection.execute(agreements)}
                logs = {agreement: self._entry(agreement, texts[agreement], log)
                        for agreement, log in groupby(connection.execute(events),
                                                      key=itemgetter(0))
                        if agreement in texts}  # rows of no agreement are not a log
        except sa.exc.SQLAlchemyError as exc:
            raise _failed(self.url, exc) from None
        return [logs.get(agreement) or self._entry(agreement, texts[agreement], ())
                for agreement in sorted(texts)]

    def _entry(self, agreement: str, text: str, rows: Iterable[Sequence[Any]]) -> Entry:
        """One agreement's entry from its rows (entente, seq, ligne) in ``seq`` order, the
        log joined at once (the rows are not kept)."""
        seqs: list[int] = []
        lines: list[str] = []
        for _, seq, line in rows:
            seqs.append(seq)
            lines.append(line)
        log = "\n".join(lines)
        return Entry(agreement, self._where("ententes", agreement),
                     self._where("evenements", agreement),
                     agreement_text=text.encode("utf-8"),
                     log_text=(log + "\n" if lines else "").encode("utf-8"),
                     log_lines=tuple(seqs))


@attrs.frozen
class ImportReport:
    """What an import did: the agreements imported (or whose log was appended to), the
    events written, and the agreements refused, with their errors (nothing of them
    written)."""

    imported: tuple[str, ...]
    events: int
    errors: tuple[PortfolioError, ...]


def _rows(agreement: str, events: Iterable[Event], lines: list[str], first_seq: int
          ) -> list[dict[str, Any]]:
    return [{"entente": agreement, "seq": seq, "ligne": line, "date": event.date,
             "recu_le": event.received, "enregistre_le": event.recorded}
            for seq, (event, line) in enumerate(zip(events, lines, strict=True), start=first_seq)]


def _event_lines(data: bytes) -> list[str]:
    """The event lines of a log (already read by ``log_events``), as they are written but
    for the blanks around them; blank and ``#`` lines left out, as the reader does."""
    stripped = (line.strip(JSON_BLANK) for line in data.decode("utf-8-sig").split("\n"))
    return [line for line in stripped if line and not line.startswith("#")]


def import_directory(path: str | Path, url: str | Path | URL, rules: RuleBook | None = None,
                     imported_on: date | None = None, replace: bool = False) -> ImportReport:
    """Load the portfolio directory ``path`` into the database ``url`` (its schema made if
    it has none). Each agreement is checked first (its agreement file and every line of its
    log): a bad one is reported in ``errors`` and not written, the others are. An agreement
    already in the database is an error, unless ``replace`` (its rows are then replaced).
    ``imported_on``: the date written in ``importe_le`` (None: left empty)."""
    source = DatabaseSource.open(url, create=True)
    book = rules if rules is not None else RuleBook.bundled()
    fingerprint = digest(book)
    imported, errors, count = [], [], 0
    for entry in directory_entries(path):
        try:
            check_id(entry.id, ErrorLocation(str(Path(entry.agreement_file).parent)))
            toml = read_bytes(entry.id, entry.agreement_file)
            log = read_bytes(entry.id, entry.log_file)
            parsed = TomlSource.parse(toml, entry.agreement_file)
            Agreement.from_mapping(parsed.data, ErrorLocation(entry.agreement_file),
                                   rules=rules, source=parsed)
            events = log_events(log, entry.log_file, book.vocabulary)
        except PortfolioError as exc:
            errors.append(exc)
            continue
        except EntenteError as exc:
            errors.extend(agreement_errors(entry.id, exc, ErrorLocation(entry.agreement_file)))
            continue
        try:
            with source.engine.begin() as connection:
                there = connection.execute(sa.select(ententes.c.id).where(
                    ententes.c.id == entry.id)).first() is not None
                if there and not replace:
                    errors.append(PortfolioError.of(entry.id, ErrorLocation(shown(source.url)),
                                                    "already_there", id=entry.id))
                    continue
                if there:
                    connection.execute(evenements.delete().where(
                        evenements.c.entente == entry.id))
                    connection.execute(ententes.delete().where(ententes.c.id == entry.id))
                connection.execute(ententes.insert().values(
                    id=entry.id, texte=parsed.text, empreinte_regles=fingerprint,
                    importe_le=imported_on))
                rows = _rows(entry.id, events, _event_lines(log), 1)
                if rows:
                    connection.execute(evenements.insert(), rows)
        except sa.exc.SQLAlchemyError as exc:
            raise _failed(source.url, exc) from None
        imported.append(entry.id)
        count += len(events)
    source.engine.dispose()
    return ImportReport(tuple(imported), count, tuple(errors))


def import_logs(logs: Mapping[str, str | Path], url: str | Path | URL,
                rules: RuleBook | None = None) -> ImportReport:
    """Append the events of JSON Lines logs to agreements already in the database ``url``
    (``logs``: agreement id → log file), each after the agreement's last event (next
    ``seq``). A log with a bad line is reported in ``errors`` and nothing of it written."""
    source = DatabaseSource.open(url)
    book = rules if rules is not None else RuleBook.bundled()
    imported, errors, count = [], [], 0
    for agreement, path in sorted(logs.items()):
        name = str(path)
        try:
            check_id(agreement, ErrorLocation(name))
            data = read_bytes(agreement, name)
            events = log_events(data, name, book.vocabulary)
        except PortfolioError as exc:
            errors.append(exc)
            continue
        except EntenteError as exc:
            errors.extend(agreement_errors(agreement, exc, ErrorLocation(name)))
            continue
        try:
            with source.engine.begin() as connection:
                if connection.execute(sa.select(ententes.c.id).where(
                        ententes.c.id == agreement)).first() is None:
                    errors.append(PortfolioError.of(agreement, ErrorLocation(name), "not_there",
                                                    id=agreement))
                    continue
                last = connection.execute(sa.select(sa.func.max(evenements.c.seq)).where(
                    evenements.c.entente == agreement)).scalar()
                rows = _rows(agreement, events, _event_lines(data), (last or 0) + 1)
                if rows:
                    connection.execute(evenements.insert(), rows)
        except sa.exc.SQLAlchemyError as exc:
            raise _failed(source.url, exc) from None
        imported.append(agreement)
        count += len(events)
    source.engine.dispose()
    return ImportReport(tuple(imported), count, tuple(errors))


__all__ = ["SCHEMA_VERSION", "DatabaseSource", "ImportReport", "database_url", "ententes",
           "evenements", "import_directory", "import_logs", "metadata", "schema_version"]
