"""What changed between two dates (``query.changes``) in words: the kinds of change, the
sentence that says each one, the digest's head and column names, and the severities of a
diagnostic, in French and English, as ``str.format`` templates named by a key."""

from __future__ import annotations

from entente_regles.words.templates import Messages

# The kinds of change, by their code (CSV, JSON), in the order the changes of a day are listed.
KINDS = Messages({
    "apparue": ("apparue", "arose"),
    "paiement": ("paiement", "payment"),
    "en_retard": ("en retard", "fell late"),
    "statut": ("changement de statut", "status changed"),
    "diagnostic": ("diagnostic", "diagnostic"),
})

# A diagnostic's severity, by its code.
SEVERITIES = Messages({
    "erreur": ("erreur", "error"),
    "avertissement": ("avertissement", "warning"),
    "info": ("information", "information"),
})

MESSAGES = Messages({
    # one sentence per change ({label}: the rule's label; {key}: « (KEY) » or nothing)
    "apparue": ("{label}{key} : née le {on}, {after}", "{label}{key}: arose on {on}, {after}"),
    "apparue_amount": ("{label}{key} : née le {on}, {after}, montant {amount}",
                       "{label}{key}: arose on {on}, {after}, amount {amount}"),
    "paiement": ("{label}{key} : paiement de {amount}, solde {balance}",
                 "{label}{key}: payment of {amount}, balance {balance}"),
    "en_retard": ("{label}{key} : en retard depuis le {on} (échéance du {deadline})",
                  "{label}{key}: late since {on} (deadline {deadline})"),
    "en_retard_balance": ("{label}{key} : en retard depuis le {on} (échéance du {deadline}), "
                          "solde {balance}", "{label}{key}: late since {on} (deadline "
                          "{deadline}), balance {balance}"),
    "statut": ("{label}{key} : {before} → {after}", "{label}{key}: {before} → {after}"),
    "diagnostic": ("[{severity}] art. {article} : {message}",
                   "[{severity}] art. {article}: {message}"),
    # the digest
    "head": ("{client} — changements du {since} (exclu) au {on} (inclus) : {count} "
             "changement(s), dont {diagnostics} diagnostic(s)",
             "{client} — changes from {since} (excluded) to {on} (included): {count} "
             "change(s), {diagnostics} of them diagnostic(s)"),
    "known_on": (", tel que connu le {known}", ", as known on {known}"),
    "nothing": ("Aucun changement dans cette période.", "No change in this period."),
    "since_after_on": ("--depuis {since} ne précède pas --at {on}",
                       "--since {since} is not before --at {on}"),
    "details": ("Pour le détail d'une ligne : entente-regles explain RÈGLE CLÉ --at DATE",
                "For a line's details: entente-regles explain RULE KEY --at DATE"),
})

# Plain words: the columns of the digest's table.
WORDS = Messages({
    "date": ("Date", "Date"), "kind": ("Changement", "Change"), "art": ("Art.", "Art."),
    "rule": ("Règle", "Rule"), "party": ("Débiteur", "Debtor"), "key": ("Clé", "Key"),
    "what": ("Détail", "Details"), "amount": ("Montant", "Amount"),
    "title": ("Ce qui a changé", "What changed"),
})

# The command line's words for scheduled jobs: ``--echec-si`` and ``valider``.
JOBS = Messages({
    "fail_on": ("{count} diagnostic(s) de gravité « {severity} » ou plus grave jusqu'au {on} "
                "(--echec-si {severity}) : statut de sortie 1",
                "{count} diagnostic(s) of severity '{severity}' or worse up to {on} "
                "(--fail-on {severity}): exit status 1"),
    "valid": ("Aucun problème : {what}.", "No problem: {what}."),
    "valid_agreement": ("fichier d'entente {file} valide", "agreement file {file} valid"),
    "valid_rules": ("règles {file} valides", "rules {file} valid"),
    "valid_log": ("journal {file} valide ({count} événement(s))",
                  "event log {file} valid ({count} event(s))"),
    "problems": ("{count} problème(s) : corrigez-les, puis relancez entente-regles valider",
                 "{count} problem(s): fix them, then run entente-regles validate again"),
    "log_not_checked": ("journal {file} non vérifié : les règles ne se chargent pas",
                        "event log {file} not checked: the rules do not load"),
})

__all__ = ["JOBS", "KINDS", "MESSAGES", "SEVERITIES", "WORDS"]
