"""The sentences of an agreement's term and end (``Snapshot.term``, ``Snapshot.ending``), in
French and English: the current term, the last day to give notice of non-renewal, how the
agreement ended (or will end) and on which date."""

from __future__ import annotations

from entente_regles.words.templates import Messages

MESSAGES = Messages({
    "term_current": ("terme n° {number} du {start} au {end} (art. {article})",
                     "term no. {number} from {start} to {end} (art. {article})"),
    "term_renews_unless": ("se renouvelle le {renewal} sauf avis de non-renouvellement reçu "
                           "au plus tard le {limit}",
                           "renews on {renewal} unless a notice of non-renewal is received by "
                           "{limit}"),
    "term_renews_if": ("se renouvelle seulement sur avis de renouvellement reçu au plus tard "
                       "le {limit}", "renews only if a notice of renewal is received by "
                       "{limit}"),
    "term_renews": ("se renouvelle le {renewal}", "renews on {renewal}"),
    "term_ends": ("l'entente prend fin après le {last_day} ({how}, art. {article})",
                  "the agreement ends after {last_day} ({how}, art. {article})"),
    "agreement_ended": ("entente terminée : dernier jour le {last_day} ({how}, art. {article})",
                        "agreement ended: last day {last_day} ({how}, art. {article})"),
    "execution": ("par exécution de ses obligations", "by performance of its obligations"),
    "resiliation": ("par résiliation", "by termination"),
    "expiration": ("par expiration de son terme", "by expiry of its term"),
})

__all__ = ["MESSAGES"]
