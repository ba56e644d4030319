"""The ``reproduction`` block of a JSON report: the package version and the agreement's
fingerprints (see ``rules.fingerprint``), with the question's dates."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from entente_regles.agreement import Agreement


def provenance(agreement: Agreement, at: date | None = None,
               known_on: date | None = None) -> dict[str, Any]:
    """The ``reproduction`` block of a JSON report."""
    return agreement.fingerprint().to_dict(at, known_on)


__all__ = ["provenance"]
