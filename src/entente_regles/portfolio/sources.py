"""Where a portfolio's agreements come from, as plain data (:class:`Entry`: picklable, so
that a worker in another process or on another machine can read it), and the reading of an
agreement file and a log from their bytes.

A directory holds one folder per agreement, named by its id, with ``entente.toml`` and
``journal.jsonl`` (:func:`directory_entries`); a database holds the same texts
(``portfolio.database``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

import attrs

from entente_regles.core.errors import ErrorLocation, EventError
from entente_regles.core.event import Event
from entente_regles.core.textsafe import is_visible, visible
from entente_regles.events.log import events_from_text
from entente_regles.portfolio.errors import PortfolioError
from entente_regles.rules.vocabulary import Vocabulary

AGREEMENT_FILE = "entente.toml"
LOG_FILE = "journal.jsonl"


@attrs.frozen
class Entry:
    """One agreement of a source: its id, the names its files are shown by in errors, and
    their bytes (None: read the named file when evaluating). ``log_lines``: the line number
    each line of ``log_text`` is shown by (a database's ``seq``; None: its position)."""

    id: str
    agreement_file: str
    log_file: str
    agreement_text: bytes | None = None
    log_text: bytes | None = None
    log_lines: tuple[int, ...] | None = None


def sha256(data: bytes) -> str:
    """``sha256:`` and the hex digest of ``data``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def check_id(agreement: str, where: ErrorLocation) -> str:
    """``agreement`` when it can name an agreement: a non-empty text, no surrounding blanks,
    no control or invisible character."""
    if not agreement or agreement.strip() != agreement or not is_visible(agreement):
        raise PortfolioError.of(None, where, "bad_id", id=repr(visible(agreement)))
    return agreement


def directory_entries(path: str | Path) -> list[Entry]:
    """One entry per folder of ``path`` (hidden ones skipped), sorted by id; a folder
    without its agreement file or its log, or whose name is not an agreement id
    (:func:`check_id`), is an entry all the same (reported when evaluated, the others
    answered). Plain files beside the folders are ignored."""
    root = Path(path)
    if not root.is_dir():
        raise PortfolioError.of(None, ErrorLocation(str(path)), "no_directory")
    entries = []
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        entries.append(Entry(folder.name, str(folder / AGREEMENT_FILE), str(folder / LOG_FILE)))
    return entries


def read_bytes(agreement: str, name: str) -> bytes:
    """The bytes of file ``name`` (of agreement ``agreement``); a located error if absent."""
    try:
        return Path(name).read_bytes()
    except FileNotFoundError:
        raise PortfolioError.of(agreement, ErrorLocation(name), "missing_file",
                                name=Path(name).name) from None
    except OSError as exc:
        raise PortfolioError.of(agreement, ErrorLocation(name), "cannot_read",
                                reason=exc.strerror) from None


def log_events(data: bytes, name: str, vocabulary: Vocabulary,
               numbers: Sequence[int] | None = None, first_line: int = 1) -> list[Event]:
    """The events of a JSON Lines log given as bytes, read as ``read_events`` reads a file
    (UTF-8, an optional byte-order mark, blank lines and ``#`` lines skipped, lines split on
    ``\\n`` only), each line validated against ``vocabulary``. Errors name ``name`` and the
    line: ``numbers[i]`` for the i-th line when given (a database's ``seq``), else
    ``first_line + i``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[:exc.start].count(b"\n") + first_line
        raise EventError(ErrorLocation(name, bad_line), "le fichier n'est pas en UTF-8 (octet "
                         f"{exc.start})", f"the file is not UTF-8 (byte {exc.start})") from None
    return events_from_text(text, name, vocabulary, numbers, first_line)




Stamp = Hashable
"""A cheap signature of one agreement's inputs in its source: equal stamps mean unchanged
(not read again by a refresh); None means "read it"."""


class Source(Protocol):
    """Where a portfolio reads its agreements; each call reads the source again."""

    def stamps(self) -> dict[str, Stamp | None]:
        """Every agreement's id (sorted) and the stamp of its inputs, taken before they are
        read (a change after it shows at the next refresh)."""
        ...

    def entries(self, ids: Iterable[str] | None = None) -> list[Entry]:
        """The agreements ``ids`` (None: all), sorted by id."""
        ...


@attrs.frozen
class DirectorySource:
    """A directory with one folder per agreement (see :func:`directory_entries`); a
    folder's stamp is the size, modification time (ns) and inode of its two files."""

    path: str

    def stamps(self) -> dict[str, Stamp | None]:
        return {entry.id: _file_stamp(entry) for entry in directory_entries(self.path)}

    def entries(self, ids: Iterable[str] | None = None) -> list[Entry]:
        entries = directory_entries(self.path)
        if ids is None:
            return entries
        wanted = set(ids)
        return [entry for entry in entries if entry.id in wanted]


def _file_stamp(entry: Entry) -> Stamp | None:
    """Size, modification time and inode of each of the entry's two files (None for a file
    that is missing: still missing is unchanged)."""
    return (_stat(entry.agreement_file), _stat(entry.log_file))


def _stat(name: str) -> tuple[int, int, int] | None:
    try:
        found = os.stat(name)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ino)


__all__ = ["AGREEMENT_FILE", "LOG_FILE", "DirectorySource", "Entry", "Source", "Stamp", "check_id",
           "directory_entries", "log_events", "read_bytes", "sha256"]
