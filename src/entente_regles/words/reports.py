"""The reports' words (``outputs``): the plain words of the report page and of the text
tables (titles, states, column names), and the sentences of the text reports and the .ics
file, in French and English, as ``str.format`` templates named by a key."""

from __future__ import annotations

from entente_regles.words.templates import Messages

# Plain words, no placeholder: the report page gets all of them (``w.<key>`` in
# ``rapport.html.j2``); the text tables take their column names and states from here too.
WORDS = Messages({
    "title": ("Entente globale de services", "Global services agreement"),
    # before a colon: French typography puts a space, English none (``{{ w.colon }}``)
    "colon": (" :", ":"),
    "on": ("au", "on"),
    "known_on": ("connu le", "as known on"),
    "reproduction": ("Pour reproduire ce rapport (version, empreintes des règles, de la "
                     "politique et de l'entente, moteur, dates)",
                     "To reproduce this report (version, fingerprints of the rules, the policy "
                     "and the agreement, engine, dates)"),
    "in_force": ("entente en vigueur", "agreement in force"),
    "not_in_force": ("entente PAS en vigueur", "agreement NOT in force"),
    "services": ("services en vigueur", "services in force"),
    "none": ("aucun", "none"),
    "pending": ("Effets annoncés", "Pending effects"),
    "owed": ("Obligations dues", "Obligations owed"),
    "nothing_owed": ("Rien n'est dû à cette date.", "Nothing is owed on this date."),
    "aging": ("Soldes impayés par ancienneté", "Unpaid balances by age"),
    "no_balance": ("Aucun solde impayé.", "No unpaid balance."),
    "agenda": ("Agenda des 90 prochains jours", "Agenda of the next 90 days"),
    "empty_agenda": ("Rien à l'agenda.", "Nothing on the agenda."),
    "timelines": ("Frises par obligation", "Timeline per obligation"),
    "explanations": ("Explications", "Explanations"),
    "diagnostics": ("Diagnostics", "Diagnostics"),
    "legend": ("Légende : ● née, ◆ échéance, ■ exécutée, ✕ éteinte ou violée ; la barre "
               "verticale marque la date du rapport.",
               "Legend: ● arose, ◆ deadline, ■ performed, ✕ ended or breached; the vertical "
               "bar marks the report's date."),
    # column names
    "art": ("Art.", "Art."), "rule": ("Règle", "Rule"), "parties": ("Dû par → à", "Owed by → to"),
    "status": ("Statut", "Status"), "deadline": ("Échéance", "Deadline"),
    "days": ("Jours", "Days"), "key": ("Clé", "Key"), "balance": ("Solde", "Balance"),
    "interest": ("Intérêt", "Interest"),
    "held": ("Retenu", "Held"),
    "amount": ("Montant", "Amount"), "bucket": ("Tranche", "Bucket"),
    "count": ("Nombre", "Count"), "total": ("Total", "Total"), "date": ("Date", "Date"),
    "kind": ("Type", "Kind"), "party": ("Partie", "Party"), "debtor": ("Débiteur", "Debtor"),
    "days_past": ("Jours de retard", "Days past due"),
    "generated": ("Produit par entente-regles à partir des règles et du journal ; aucune "
                  "ressource externe.",
                  "Made by entente-regles from the rules and the event log; no external "
                  "resource."),
    "explain_link": ("explication", "explanation"),
    "late_count": ("en retard", "late"),
})

MESSAGES = Messages({
    # days to a deadline, in a cell
    "today": ("aujourd'hui", "today"),
    "days_left": ("dans {days} j", "in {days} d"),
    "days_late": ("retard {days} j", "{days} d late"),
    # a suspended instance: no deadline while suspended, since when (decision 69)
    "suspended_since": ("depuis le {since}", "since {since}"),
    # the owed report
    "owed_head": ("{client} au {on}, connu le {known} — {state} — services en vigueur : "
                  "{services}", "{client} on {on}, as known on {known} — {state} — services "
                  "in force: {services}"),
    "owed_count": ("Obligations dues : {count} (dont {late} en retard)",
                   "Obligations owed: {count} ({late} late)"),
    # the report page: a long table is cut, the rest is in CSV or JSON (docs/limites.md)
    "rows_cut": ("Les {shown} premières lignes sur {total} sont affichées ({more} de plus) ; "
                 "la liste complète : entente-regles {command} --format csv (ou json).",
                 "The first {shown} of {total} rows are shown ({more} more); the full list: "
                 "entente-regles {command} --format csv (or json)."),
    "timelines_cut": ("Frises et explications des {shown} premières obligations sur {total} "
                      "({more} de plus) ; les autres : entente-regles explain RÈGLE CLÉ.",
                      "Timelines and explanations of the first {shown} of {total} "
                      "obligations ({more} more); the others: entente-regles explain RULE "
                      "KEY."),
    "policy_name": (" « {policy} »", " '{policy}'"),
    "policy_late": ("{mark} en retard selon la politique{name} seulement (délai indicatif "
                    "dépassé) : pas un retard contractuel.", "{mark} late under the "
                    "policy{name} only (indicative deadline passed): not contractually late."),
    "policy_date": ("{mark} date indicative que la politique{name} attache à une norme "
                    "vague ({standards}) : un repère d'organisation, jamais une échéance "
                    "contractuelle.", "{mark} indicative date the policy{name} attaches to a "
                    "vague standard ({standards}): an organisational target, never a "
                    "contractual deadline."),
    "quoted": ("« {text} »", "'{text}'"),
    # a part of a balance held back by a dispute (decision 71), under a table
    "held_note": ("Retenu : la part du solde retenue par une contestation ; elle n'est pas "
                  "en retard et ne porte pas intérêt tant qu'elle est retenue.",
                  "Held: the part of the balance held back by a dispute; it is not late and "
                  "bears no interest while held."),
    "suspended_note": ("Suspendue : pas d'échéance ni de retard pendant la suspension ; à la "
                       "reprise, l'échéance est reportée des jours suspendus.",
                       "Suspended: no deadline and no lateness while suspended; on "
                       "resumption, the deadline is put back by the days suspended."),
    "line_details": ("Détail d'une ligne : {command}", "Details of a line: {command}"),
    "diagnostics_on": ("Diagnostics au {on} : {count}", "Diagnostics up to {on}: {count}"),
    "hidden_diagnostics": ("  (+ {hidden} diagnostic(s) d'information : --all-diagnostics)",
                           "  (+ {hidden} informational diagnostic(s): --all-diagnostics)"),
    # the agenda report
    "agenda_head": ("{client} — agenda du {start} au {end} : {count} élément(s)",
                    "{client} — agenda from {start} to {end}: {count} item(s)"),
    "agenda_empty": ("Rien à l'agenda pour cette période.",
                     "Nothing on the agenda for this period."),
    "agenda_details": ("Détail : entente-regles agenda … --format json (explications), ou "
                       "explain RÈGLE CLÉ --at DATE", "Details: entente-regles agenda … "
                       "--format json (explanations), or explain RULE KEY --at DATE"),
    # the aging report
    "aging_head": ("{client} — soldes impayés au {on}", "{client} — unpaid balances on {on}"),
    "aging_none": ("Aucun solde impayé à cette date.", "No unpaid balance on this date."),
    "aging_held": ("Retenu : la part du solde retenue par une contestation ; elle n'est pas "
                   "en retard : les totaux la comptent comme non échue (décision 71).",
                   "Held: the part of the balance held back by a dispute; it is not late: "
                   "the totals count it as not yet due (decision 71)."),
    # the .ics file
    "calendar_name": ("{client} — {title}", "{client} — {title}"),
    "event_summary": ("{client} : {title}", "{client}: {title}"),
    # writing an output file (-o)
    "write_failed": ("{file} : écriture impossible ({reason}) ; le fichier précédent, s'il "
                     "existait, est intact et aucun fichier temporaire ne reste",
                     "{file}: could not write ({reason}); the previous file, if any, is "
                     "untouched and no temporary file is left"),
})

# The report page leads with what matters (issue 20): the summary band, late items first,
# policy dates explained, timelines with a date axis, obligations with one state grouped.
PAGE_WORDS = {
    "summary": ("En bref", "At a glance"),
    "owed_by": ("Dû par", "Owed by"),
    "late_box": ("En retard", "Late"),
    "week": ("Les 7 prochains jours", "The next 7 days"),
    "today_box": ("Aujourd'hui", "Today"),
    "termination_box": ("Résiliation notifiée", "Termination notified"),
    "nothing": ("rien", "nothing"),
    "late_items": ("En retard", "Late"),
    "other_owed": ("Autres obligations dues", "Other obligations owed"),
    "obligation": ("Obligation", "Obligation"),
    "policy_short": ("politique", "policy"),
    "single_list": ("La liste", "The list"),
    "sort_hint": ("Cliquer sur l'en-tête d'une colonne pour trier le tableau.",
                  "Click a column's heading to sort the table."),
    "axis": ("Axe des dates", "Date axis"),
    "explanations_print": ("Les explications sont toutes dépliées à l'impression.",
                           "Every explanation is expanded when printed."),
}

PAGE_MESSAGES = {
    "summary_party": ("{count} obligation(s), dont {late} en retard",
                      "{count} obligation(s), {late} late"),
    "summary_late": ("{count} obligation(s) en retard", "{count} obligation(s) late"),
    "summary_until": ("jusqu'au {end}", "up to {end}"),
    # a held part is not late (decision 71); interest is never added to a balance (68)
    "held_part": ("dont {amount} retenus", "of which {amount} held"),
    "summary_held": ("hors {amount} retenus par une contestation",
                     "not counting {amount} held by a dispute"),
    "summary_interest": ("plus {amount} d'intérêt couru", "plus {amount} interest accrued"),
    "policy_note": ("{mark} Date indicative fixée par la politique{name} de l'organisation "
                    "pour un délai que l'entente ne chiffre pas (une norme vague) : ce n'est "
                    "pas une échéance contractuelle. Un statut « à échoir{mark} » dit que "
                    "cette date est passée : en retard selon la politique seulement, pas "
                    "selon l'entente.",
                    "{mark} Indicative date set by the organisation's policy{name} for a "
                    "delay the agreement does not state in days (a vague standard): not a "
                    "contractual deadline. A status \"due{mark}\" means that date "
                    "has passed: late under the policy only, not under the agreement."),
    "single_state": ("{count} obligation(s) sans autre état depuis leur naissance ({detail}) "
                     ": pas de frise, leurs explications sont plus bas.",
                     "{count} obligation(s) with no other state since they arose ({detail}): "
                     "no timeline, their explanations are below."),
}
WORDS = Messages({**WORDS, **PAGE_WORDS})
MESSAGES = Messages({**MESSAGES, **PAGE_MESSAGES})

__all__ = ["MESSAGES", "WORDS"]
