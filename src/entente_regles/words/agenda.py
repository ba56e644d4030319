"""The agenda's words (``query.agenda``): the kinds of item and of effect, and the titles and
explanations of the items computed from the rules rather than from an instance, in French
and English, as ``str.format`` templates named by a key (a :class:`Text` value, such as a
rule's label, is said in each language)."""

from __future__ import annotations

from entente_regles.words.templates import Messages

# The kinds of item, by their code (CSV, JSON, .ics), in the order items of a day are listed.
KINDS = Messages({
    "echeance": ("échéance", "deadline"),
    "echeance_politique": ("échéance selon la politique", "policy deadline"),
    "fin_faculte": ("fin de la faculté", "option window closes"),
    "limite_preavis": ("dernier jour de réception de l'avis", "last day to receive notice"),
    "prise_effet": ("prise d'effet", "takes effect"),
    "fin_periode": ("fin de période", "period ends"),
    "renouvellement": ("reconduction", "renewal"),
})

# What an effect does, by its action code.
EFFECTS = Messages({
    "fin_entente": ("fin de l'entente", "the agreement ends"),
    "fin_service": ("retrait du service", "service withdrawn"),
    "debut_service": ("ajout du service", "service added"),
    "journal_service": ("changement du service", "service changed"),
})

MESSAGES = Messages({
    # a renewal
    "new_year": ("nouvelle année {year}", "new year {year}"),
    "renewal": ("Art. {article} — reconduction pour l'année {year} (du {start} au {end}) ; "
                "règle {rule} : {label}", "Art. {article} — renewal for the year {year} "
                "({start} to {end}); rule {rule}: {label}"),
    # the end of a period
    "period_ends": ("Art. {article} — fin de la période {period} (du {start} au {end}) ; "
                    "règle {rule} : {label}", "Art. {article} — period {period} ends ({start} "
                    "to {end}); rule {rule}: {label}"),
    "period_ends_next_day": ("Art. {article} — fin de la période {period} (du {start} au "
                             "{end}) ; le lendemain naît : {label} ({rule})",
                             "Art. {article} — period {period} ends ({start} to {end}); the "
                             "next day arises: {label} ({rule})"),
    # an effect
    "effect_title": ("{effect} : {label}", "{effect}: {label}"),
    "takes_effect": ("Art. {article} — {title}\nPrend effet le {on}, par suite de : {event}",
                     "Art. {article} — {title}\nTakes effect on {on}, following: {event}"),
    # the last day to receive a notice
    # an agreement's term renews (its [terme])
    "term_renewal": ("renouvellement du terme (terme n° {number})",
                     "the term renews (term no. {number})"),
    "term_renewal_explain": ("Art. {article} — le terme n° {previous} prend fin le {last_day} "
                             "et se renouvelle : terme n° {number} du {start} au {end}{unless}.",
                             "Art. {article} — term no. {previous} ends on {last_day} and "
                             "renews: term no. {number} from {start} to {end}{unless}."),
    "term_unless": (", sauf avis de non-renouvellement reçu au plus tard le {limit}",
                    ", unless a notice of non-renewal is received by {limit}"),
    "notice_term": ("au moins {days} jours avant le premier jour après le terme, compté à "
                    "rebours (calendrier légal)", "at least {days} days before the first day "
                    "after the term, counted backward (legal calendar)"),
    "notice_term_strict": ("avant la date qui précède de {days} jours le premier jour après "
                           "le terme, soit au moins {counted} jours avant lui, compté à "
                           "rebours (calendrier légal)", "before the date {days} days before "
                           "the first day after the term, so at least {counted} days before "
                           "it, counted backward (legal calendar)"),
    "renewal_limit_label": ("dernier jour pour renouveler (terme n° {number})",
                            "last day to renew (term no. {number})"),
    "renewal_limit": ("Art. {article} — le terme n° {number} expire après le {last_day} : il "
                      "n'est renouvelé que par un avis ({event}) reçu au plus tard le "
                      "{latest}.", "Art. {article} — term no. {number} expires after "
                      "{last_day}: it is renewed only by a notice ({event}) received by "
                      "{latest}."),
    "notice_label": ("{label} (effet le {effective})", "{label} (effective {effective})"),
    "notice_before": ("au moins {days} jours avant la date d'effet (calendrier légal)",
                      "at least {days} days before the effective date (legal calendar)"),
    "notice_after": ("délai minimum de {days} jours suivant la réception : prise d'effet au "
                     "plus tôt le lendemain du {days}e jour", "minimum of {days} days after "
                     "receipt: takes effect at the earliest the day after the {days}th day"),
    "notice": ("Art. {article} — {label} ({rule}) : pour une prise d'effet le {effective}, "
               "l'avis doit être reçu au plus tard le {latest} ({how}). Titulaire : {holder}.",
               "Art. {article} — {label} ({rule}): to take effect on {effective}, the notice "
               "must be received by {latest} ({how}). Holder: {holder}."),
})

# --------------------------------------------------------------------------- the .ics file
# (outputs.ics): summaries, categories and reminders in words; kept apart from the agenda's
# own words above.
ICS = Messages({
    "summary": ("{client} : {title}", "{client}: {title}"),
    "summary_status": ("{client} : {title} — {status}", "{client}: {title} — {status}"),
    "summary_amount": ("{client} : {title} — {amount} — {status}",
                       "{client}: {title} — {amount} — {status}"),
    "balance": ("solde {amount}", "balance {amount}"),
    # an instance late on the date asked
    "late": ("en retard", "late"),
    "late_days_one": ("EN RETARD de 1 jour", "LATE by 1 day"),
    "late_days_many": ("EN RETARD de {days} jours", "LATE by {days} days"),
    "late_no_days": ("EN RETARD", "LATE"),
    "late_summary": ("{client} : {late} — {label}{key}", "{client}: {late} — {label}{key}"),
    "late_summary_amount": ("{client} : {late} — {label}{key} — solde {balance}",
                            "{client}: {late} — {label}{key} — balance {balance}"),
    "late_description": ("En retard au {on} : {late_days} ; échéance : {deadline} ; solde : "
                         "{balance}.\n{explanation}",
                         "Late on {on}: {late_days}; deadline: {deadline}; balance: "
                         "{balance}.\n{explanation}"),
    "late_count_one": ("1 jour", "1 day"),
    "late_count_many": ("{days} jours", "{days} days"),
    "none": ("aucune", "none"),
    "no_amount": ("sans montant", "no amount"),
    # the file given with --precedent
    "previous_unreadable": ("fichier .ics précédent illisible ({reason}) : un fichier "
                            "iCalendar (BEGIN:VCALENDAR … END:VCALENDAR) attendu, tel que "
                            "« agenda --format ics » l'écrit",
                            "previous .ics file unreadable ({reason}): an iCalendar file "
                            "(BEGIN:VCALENDAR … END:VCALENDAR) expected, as \"agenda --format "
                            "ics\" writes it"),
    "previous_not_calendar": ("fichier .ics précédent : un calendrier (VCALENDAR) attendu, "
                              "reçu {found}", "previous .ics file: a calendar (VCALENDAR) "
                              "expected, got {found}"),
    "previous_no_uid": ("fichier .ics précédent : l'événement n° {index} n'a pas d'UID (chaque "
                        "VEVENT doit en avoir un)", "previous .ics file: event no. {index} "
                        "has no UID (every VEVENT must have one)"),
    "previous_bad_value": ("fichier .ics précédent : l'événement {uid} a un {name} invalide "
                           "({reason})", "previous .ics file: event {uid} has an invalid "
                           "{name} ({reason})"),
})

__all__ = ["EFFECTS", "ICS", "KINDS", "MESSAGES"]
