"""The report layer's message table: every sentence of an explanation, in French and
English, as ``str.format`` templates named by a key. The query layer (``evaluation``) knows
no language; what it answers is put into words here and in ``explanation``."""

from __future__ import annotations

from entente_regles.words.templates import Messages

MESSAGES = Messages({
    # an instance
    "key": (", clé {key}", ", key {key}"),
    "parties": ("Débiteur : {debtor} → créancier : {creditor}",
                "Debtor: {debtor} → creditor: {creditor}"),
    "status": ("Statut au {on} : {status}{reason}", "Status on {on}: {status}{reason}"),
    "arose_from": ("Née le {on} de : {event}", "Arose on {on} from: {event}"),
    "arose": ("Née le {on} : {origin}", "Arose on {on}: {origin}"),
    "deadline": ("Échéance : {deadline}", "Deadline: {deadline}"),
    "deadline_how": ("Échéance : {deadline} — {how}", "Deadline: {deadline} — {how}"),
    "deadline_note": ("Échéance : {note}", "Deadline: {note}"),
    "amended": ("  Délai modifié par avenant : {amendment}",
                "  Delay set by amendment: {amendment}"),
    "amended_ident": ("  Avenant : {ident}", "  Amendment: {ident}"),
    "time_ran_out": ("Délai expiré le {deadline} : {consequence}",
                     "Time ran out on {deadline}: {consequence}"),
    "standard": ("Délai : « {wording} » — aucun délai contractuel chiffré ; en retard "
                 "seulement après une mise en demeure ou un manquement constaté",
                 "Time limit: \"{wording}\" — no contractual deadline; late only after a "
                 "formal demand or a recorded breach"),
    "policy": ("Politique : délai indicatif au {deadline}",
               "Policy: indicative deadline {deadline}"),
    "policy_passed": (" — dépassé : retard selon la politique, pas un retard contractuel",
                      " — passed: late under the policy, not contractually late"),
    "amount": ("Montant : {amount} ; payé : {paid} ; solde : {balance}",
               "Amount: {amount}; paid: {paid}; balance: {balance}"),
    "held": ("  Retenu le {on} : {amount} contesté — {event}",
             "  Held on {on}: {amount} disputed — {event}"),
    "held_note": ("Montant retenu : {amount} ; le retard ne vise que le reste (retenue)",
                  "Amount held back: {amount}; lateness applies to the rest only (hold)"),
    "released": ("  Levée le {on} : {payable} exigible au plus tard le {due}, {credit} n'est "
                 "plus dû — {event}", "  Released on {on}: {payable} payable by {due}, "
                 "{credit} no longer owed — {event}"),
    "performed_in_advance": ("  (acte fait d'avance, avant la naissance de l'instance le "
                             "{on} : il l'exécute à temps, à sa propre date)",
                             "  (act done in advance, before the instance arose on {on}: it "
                             "performs it on time, on its own date)"),
    "credit": ("  Plus dû le {on} : {amount} (levée d'une retenue) — {event}",
               "  No longer owed on {on}: {amount} (a hold released) — {event}"),
    "held_not_late": (" (échéance du {deadline} passée, mais ce qui reste est retenu ou pas "
                      "encore exigible : pas en retard)", " (deadline {deadline} passed, but "
                      "what remains is held back or not yet payable: not late)"),
    "payment": ("  Paiement {on} : {amount} — {event}", "  Payment {on}: {amount} — {event}"),
    "performed": ("Exécutée le {on} par : {event}", "Performed on {on} by: {event}"),
    "discharged": ("Éteinte le {on} : {reason}", "Discharged on {on}: {reason}"),
    "breached": ("Violée le {on} par : {event}", "Breached on {on} by: {event}"),
    "outlived": ("Fin : {reason} — pour l'avenir seulement (C.c.Q., art. 1606) : le défaut "
                 "était acquis avant le {ended} ; il subsiste, débiteur en faute, et la "
                 "responsabilité qui en découle survit",
                 "End: {reason} — for the future only (C.c.Q., art. 1606): the default was "
                 "acquired before {ended}; it stands, the debtor at fault, and liability for "
                 "it survives"),
    "survives": ("Survit à la résiliation de l'entente.",
                 "Survives termination of the agreement."),
    "source": ("Source : {file}", "Source: {file}"),
    # why a status
    "late_by": (" (échéance du {deadline} dépassée de {days} jour{plural} ; en faute : "
                "{debtor})", " (deadline {deadline} passed by {days} day{plural}; at fault: "
                "{debtor})"),
    "days_left": (" ({days} jour{plural} avant l'échéance)",
                  " ({days} day{plural} before the deadline)"),
    "at_fault": (" (en faute : {debtor})", " (at fault: {debtor})"),
    "no_fault": (" (personne n'est en faute)", " (no one is at fault)"),
    # demands
    "demand": ("{label} (art. {article} ; {source}) : {event}",
               "{label} (art. {article}; {source}): {event}"),
    "demand_received": ("  reçue le {received} ; délai au {deadline} — {how}",
                        "  received on {received}; time limit {deadline} — {how}"),
    "receipt_presumed": ("  réception présumée le jour de l'envoi",
                         "  receipt presumed on the day it was sent"),
    "already_late": ("  débiteur déjà en retard depuis le {since} : statut inchangé ; en "
                     "demeure au plus tard le {default}", "  debtor already late since "
                     "{since}: status unchanged; in default no later than {default}"),
    "term_kept": ("  le terme contractuel du {term} n'est pas devancé (C.c.Q., art. 1508) : "
                  "en demeure à compter du {default}", "  the contractual term of {term} is "
                  "not brought forward (C.c.Q., art. 1508): in default from {default}"),
    "in_default": ("  débiteur en demeure à compter du {default}",
                   "  debtor in default from {default}"),
    # a faculty
    "faculty_of": ("Faculté de {holder} — jamais due, jamais en retard",
                   "Faculty of {holder} — never owed, never late"),
    "opened_by": ("Ouverte le {on} par : {event}", "Opened on {on} by: {event}"),
    "opened": ("Ouverte le {on} : {origin}", "Opened on {on}: {origin}"),
    "window": ("Fenêtre jusqu'au {deadline} inclus", "Window until {deadline} included"),
    "window_note": ("Fenêtre : {note}", "Window: {note}"),
    "exercised": ("Exercée le {on} par : {event}", "Exercised on {on} by: {event}"),
    "effect": ("Effet : {effect}", "Effect: {effect}"),
    "expired": ("Expirée sans exercice{reason} — personne n'est en faute",
                "Expired unexercised{reason} — no one is at fault"),
    "expired_reason": (" : {reason}", ": {reason}"),
    # conditions on state (decision 60)
    "available_while": ("Disponible seulement si : {condition}",
                        "Available only while: {condition}"),
    "condition_fails": ("condition plus remplie ({condition})",
                        "condition no longer holds ({condition})"),
    # the agreement, queries
    "termination_pending": ("résiliation en cours (art. {article}) : avis de {by} reçu le "
                            "{received}, dernier jour en vigueur le {last_day}",
                            "termination pending (art. {article}): notice by {by} received "
                            "on {received}, last day in force {last_day}"),
    "no_instance": ("aucune instance de {rule} ({key}) au {on}",
                    "no instance of {rule} ({key}) on {on}"),
    "no_instance_any": ("aucune instance de {rule} au {on}", "no instance of {rule} on {on}"),
    # suspension and resumption (decision 69)
    "suspended_since": (" (suspendue depuis le {start} : le délai ne court pas)",
                        " (suspended since {start}: the deadline does not run)"),
    "suspended": ("Suspendue le {start} par « {label} » (art. {article}) : {event} ; "
                  "l'échéance du {base} ne court plus, {days} jour{plural} restai{verb}",
                  "Suspended on {start} by '{label}' (art. {article}): {event}; the "
                  "deadline of {base} stopped, {days} day{plural} left"),
    "suspended_undated": ("Suspendue le {start} par « {label} » (art. {article}) : {event}",
                          "Suspended on {start} by '{label}' (art. {article}): {event}"),
    "resumed": ("Reprise le {end} ({how}) après {days} jour{plural} de suspension : "
                "échéance reportée au {moved} — {computation}",
                "Resumed on {end} ({how}) after {days} day{plural} suspended: deadline "
                "moved to {moved} — {computation}"),
    "resumed_working": ("Reprise le {end} ({how}) après {days} jour{plural} de suspension : "
                        "échéance reportée au {moved}, {counted} jour{counted_plural} "
                        "ouvrable{counted_plural} après le {base} (les jours ouvrables "
                        "suspendus en tout)",
                        "Resumed on {end} ({how}) after {days} day{plural} suspended: "
                        "deadline moved to {moved}, {counted} working day{counted_plural} "
                        "after {base} (the working days suspended in all)"),
    "resumed_undated": ("Reprise le {end} ({how}) après {days} jour{plural} de suspension",
                        "Resumed on {end} ({how}) after {days} day{plural} suspended"),
    "resumed_by_act": ("{event}, art. {article}", "{event}, art. {article}"),
    "resumed_by_lapse": ("la condition de la suspension a cessé de tenir",
                         "the suspension's condition stopped holding"),
})
say = MESSAGES.say


def plural(count: int) -> str:
    """The plural mark after ``count`` (the same in both languages)."""
    return "s" * (count > 1)


__all__ = ["MESSAGES", "plural", "say"]
