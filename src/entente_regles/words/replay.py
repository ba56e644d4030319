"""The engine's message table: every sentence the replay, the amendments and the compiled
rules put in a diagnostic, an origin, a deadline note or an end reason, in French and
English, as ``str.format`` templates named by a key (a :class:`Text` value is said in each
language: see ``templates``)."""

from __future__ import annotations

from typing import NamedTuple

from entente_regles.words.templates import Messages, fill

_MESSAGES: dict[str, tuple[str, str]] = {
    # an instance arises, or does not
    "not_in_force": ("l'entente n'est pas en vigueur le {on} : l'obligation « {label} » ne "
                     "naît pas", "the agreement is not in force on {on}: the obligation "
                     "'{label}' does not arise"),
    "zero_amount": ("« {label} » ({key}) : le montant calculé est nul, rien n'est dû",
                    "'{label}' ({key}): the computed amount is zero, nothing is owed"),
    "amount_fields_missing": ("« {label} » ({key}) : le montant ne peut être calculé, "
                              "l'événement ne donne pas {fields} ; l'instance ne suit aucun "
                              "montant", "'{label}' ({key}): the amount cannot be computed, "
                              "the event does not give {fields}; the instance tracks no "
                              "amount"),
    "amount_empty_period": ("« {label} » ({key}) : le montant ne peut être calculé, la "
                            "période finit avant de commencer ; l'instance ne suit aucun "
                            "montant", "'{label}' ({key}): the amount cannot be computed, "
                            "the period ends before it starts; the instance tracks no "
                            "amount"),
    "service_not_in_force": ("le service {service!r} n'est pas en vigueur le {on}",
                             "service {service!r} is not in force on {on}"),
    "duplicate": ("« {label} » existe déjà pour la clé {key!r} : ignoré",
                  "'{label}' already exists for key {key!r}: ignored"),
    "entry_origin": ("entrée en vigueur de l'entente ({on})",
                     "entry into force of the agreement ({on})"),
    "period_origin": ("période {label} ({start} au {end})", "period {label} ({start} to {end})"),
    "expiry_origin": ("délai de « {label} » (art. {article}) expiré le {deadline} sans "
                      "exécution", "time for '{label}' (art. {article}) ran out on {deadline} "
                      "without performance"),
    "fiscal_year": ("exercice {year}", "fiscal year {year}"),
    # its deadline
    "beyond_calendar": ("au-delà du calendrier : l'échéance tomberait après le {last}",
                        "beyond the calendar: the deadline would fall after {last}"),
    "last_day_of_period": ("dernier jour de la période ({end})", "last day of the period ({end})"),
    "day_before_effect": ("veille de la prise d'effet ({effect})",
                          "day before it takes effect ({effect})"),
    "notice_received_presumed": ("avis reçu le {received} (réception présumée le jour de "
                                 "l'envoi)", "notice received on {received} (receipt presumed "
                                 "on the day it was sent)"),
    # acts on an instance
    "window_closed": ("« {label} » ({key}) : fenêtre close le {window}",
                      "'{label}' ({key}): window closed on {window}"),
    "payment_on_closed": ("paiement de {amount} sur « {key} » déjà acquittée ou éteinte",
                          "payment of {amount} on '{key}', already settled or discharged"),
    "no_longer_owed": ("« {label} » ({key}) n'était plus due",
                       "'{label}' ({key}) was no longer owed"),
    "overpayment": ("trop-payé de {excess} sur « {key} »", "overpayment of {excess} on '{key}'"),
    "renewal_void": ("renouvellement sans effet : aucun terme n'est en cours d'expiration "
                     "(l'entente finit autrement, ou est déjà finie)",
                     "renewal without effect: no term is about to expire (the agreement ends "
                     "otherwise, or has ended)"),
    "renewal_again": ("terme déjà renouvelé : le suivant commence le {renewal}",
                      "term already renewed: the next one begins on {renewal}"),
    "renewal_late": ("renouvellement reçu le {received}, après la limite du {limit} : le "
                     "terme n'est pas renouvelé, l'entente expire après le {last_day}",
                     "renewal received on {received}, after the limit of {limit}: the term "
                     "is not renewed, the agreement expires after {last_day}"),
    "renewal_exhausted": ("renouvellement sans effet : plus aucun renouvellement permis, "
                          "l'entente expire après le {last_day}",
                          "renewal without effect: no renewal left, the agreement expires "
                          "after {last_day}"),
    "condition_ceased": ("{reason} — condition plus remplie le {on} : {condition}",
                         "{reason} — condition no longer met on {on}: {condition}"),
    "performed_in_advance": ("« {label} » (« {key} ») : acte fait d'avance, gardé pour la "
                             "période qui naîtra le {on}, qu'il exécutera",
                             "'{label}' ('{key}'): act done in advance, kept for the period "
                             "arising on {on}, which it will perform"),
    "period_never_arises": ("« {label} » : la période « {key} », visée par un acte fait "
                            "d'avance, ne naîtra pas (fin de l'entente le {on})",
                            "'{label}': period '{key}', named by an act done in advance, "
                            "will never arise (the agreement ends on {on})"),
    "hold_too_late": ("« {label} » (« {key} ») : montant contesté après l'échéance du "
                      "{deadline} ; rien n'est retenu, le solde reste exigible",
                      "'{label}' ('{key}'): amount disputed after the deadline of {deadline}; "
                      "nothing is held back, the balance stays payable"),
    "hold_nothing_owed": ("aucune instance de « {label} » de clé {key} n'est due le {on} : "
                          "rien n'est retenu", "no instance of '{label}' with key {key} is "
                          "owed on {on}: nothing is held"),
    "release_exceeds": ("la levée rend exigible {named}, plus que les {held} retenus pour "
                        "{key} : {held} deviennent exigibles", "the release makes {named} "
                        "payable, more than the {held} held for {key}: {held} become "
                        "payable"),
    "hold_exceeds": ("montant contesté {asked} supérieur au solde non retenu de « {key} » : "
                     "{held} retenu", "disputed amount {asked} exceeds the balance of '{key}' "
                     "not already held: {held} held back"),
    "further_breach": ("nouveau manquement à « {label} »", "further breach of '{label}'"),
    # demands
    "no_live_obligation": ("aucune obligation ouverte ne correspond à cet événement (clé, règle "
                           "ou partie)", "no live obligation matches this event (key, rule or "
                           "party)"),
    "not_an_obligation": ("{rule!r} n'est pas une obligation de l'entente : sans effet",
                          "{rule!r} is not an obligation of the agreement: no effect"),
    "nothing_owed": ("aucune instance due de {rule} pour la clé {key!r} le {on} : sans effet",
                     "no owed instance of {rule} for key {key!r} on {on}: no effect"),
    "not_the_party": ("{by} n'est pas {role} de {rule} ({key}) ({role} : {who}) : sans effet",
                      "{by} is not the {role} of {rule} ({key}) ({who}): no effect"),
    "creditor": ("creancier", "creditor"),
    "debtor": ("debiteur", "debtor"),
    "either_party": ("parties", "both parties"),
    "key_required": ("plusieurs instances dues de {rule} ({keys}) : la clé est requise ; sans "
                     "effet", "several owed instances of {rule} ({keys}): the key is required; "
                     "no effect"),
    # powers and effects
    "power_not_held": ("{by} ne détient pas le pouvoir « {label} » (titulaire : {holder}) : "
                       "acte sans effet", "{by} does not hold the power '{label}' (holder: "
                       "{holder}): the act has no effect"),
    "effect_beyond_calendar": ("« {label} » prendrait effet au-delà du calendrier (après le "
                               "{last}) : sans effet avant", "'{label}' would take effect beyond "
                               "the calendar (after {last}): no effect before"),
    "late_notice": ("avis reçu le {received}, après le {latest} (au moins {days} jours avant le "
                    "{proposed}) : prise d'effet reportée au {effective}",
                    "notice received on {received}, after {latest} (at least {days} days "
                    "before {proposed}): takes effect on {effective} instead"),
    "late_non_renewal": ("avis de non-renouvellement reçu le {received}, après le {latest} "
                         "(au moins {days} jours avant la fin du terme) : le terme se "
                         "renouvelle le {renewed} ; l'avis prend effet à la fin du terme "
                         "suivant, le {last_day} (fin de l'entente le {effective})",
                         "notice of non-renewal received on {received}, after {latest} (at "
                         "least {days} days before the end of the term): the term renews on "
                         "{renewed}; the notice takes effect at the end of the next term, on "
                         "{last_day} (the agreement ends on {effective})"),
    "short_notice": ("date d'effet demandée {proposed} avant le délai minimum de {days} jours "
                     "suivant la réception ({received}) : prend effet le {earliest}",
                     "requested effective date {proposed} is before the {days}-day minimum "
                     "after receipt ({received}): takes effect on {earliest}"),
    "retroactive_effect": ("date d'effet convenue {on} antérieure à l'événement : l'effet est "
                           "rétroactif au {on} ; ce qui était accompli le {event_date} demeure",
                           "agreed effective date {on} is before the event: the effect is "
                           "retroactive to {on}; what was done by {event_date} stands"),
    "service_note": ("{note} (art. {article})", "{note} (art. {article})"),
    "end_already_set": ("la fin de l'entente est déjà fixée au {end}",
                        "the agreement already ends on {end}"),
    "control_failed": ("{message} (manque : {missing})", "{message} (missing: {missing})"),
    "agreement_ended": ("fin de l'entente le {on} (art. {article})",
                        "agreement ended on {on} (art. {article})"),
    "service_withdrawn": ("retrait du service (art. {article})",
                          "service withdrawn (art. {article})"),
    "service_withdrawn_on": ("retrait du service {service} le {on} (art. {article})",
                             "service {service} withdrawn on {on} (art. {article})"),
    "service_added": ("ajout du service", "service added"),
    # events
    "before_entry_into_force": ("événement antérieur à l'entrée en vigueur ({start}) : sans "
                                "effet", "event before entry into force ({start}): no effect"),
    "no_rule_applies": ("aucune règle ne s'applique à cet événement",
                        "no rule applies to this event"),
    "unknown_reference": ("{message} ({field} = {ref} ; existantes : {existing})",
                          "{message} ({field} = {ref}; existing: {existing})"),
    "none": ("aucune", "none"),
    "content_not_interpreted": ("acte conforme, mais son contenu n'est pas interprété : les "
                                "règles encodées n'en sont pas modifiées", "a conforming act, "
                                "but its content is not interpreted: the encoded rules are "
                                "unchanged"),
    # amendments
    "amendment_unknown_parameter": ("paramètre inconnu {name!r} (modifiables : {known})",
                                    "unknown parameter {name!r} (amendable: {known})"),
    "amendment_not_amendable": ("le paramètre {name} (art. {article}) n'est pas modifiable par "
                                "avenant", "parameter {name} (art. {article}) may not be "
                                "changed by an amendment"),
    "amendment_invalid_value": ("{name} : {problem}", "{name}: {problem}"),
    "amendment_rejected": ("{problem} : l'avenant ne change rien",
                           "{problem}: the amendment changes nothing"),
    "amendment_applied": ("avenant : {listed} à compter du {effective} ; les instances nées "
                          "avant gardent leur valeur", "amendment: {listed} from {effective}; "
                          "instances born earlier keep their value"),
    "amendment_applied_retroactive": ("avenant : {listed} à compter du {effective} (date "
                                      "convenue antérieure à l'avenant : effet rétroactif) ; "
                                      "les instances nées avant gardent leur valeur",
                                      "amendment: {listed} from {effective} (agreed date "
                                      "before the amendment: retroactive); instances born "
                                      "earlier keep their value"),
    "amendment": ("{name} = {value!r} à compter du {effective} (avenant du {event_date}, art. "
                  "{article}{where})", "{name} = {value!r} from {effective} (amendment of "
                  "{event_date}, art. {article}{where})"),
    # conditions on state and triggers on state or at the end (decisions 60-62)
    "state_origin": ("« {label} » ({key}, art. {article}) devenue {state} le {on}",
                     "'{label}' ({key}, art. {article}) became {state} on {on}"),
    "end_origin": ("fin de l'entente, le {on}", "end of the agreement on {on}"),
    # a norm arising when the term renews (decision 76)
    "renewal_origin": ("renouvellement du terme le {on} (terme n° {number}, art. {article})",
                       "the term renewed on {on} (term no. {number}, art. {article})"),
    "condition_not_met": ("« {label} » exercé le {on} alors que sa condition n'est pas "
                          "remplie ({condition}) : l'acte est sans effet",
                          "'{label}' exercised on {on} while its condition does not hold "
                          "({condition}): the act has no effect"),
    "cond_in_force": ("entente en vigueur", "agreement in force"),
    "cond_ended": ("entente terminée", "agreement ended"),
    "cond_state": ("« {label} » {state}", "'{label}' {state}"),
    "cond_open": ("ouverte", "open"),
    "cond_same_key": ("{test} (même clé)", "{test} (same key)"),
    "cond_other": ("{test} (de l'autre partie)", "{test} (of the other party)"),
    "cond_holder": ("{test} (du titulaire)", "{test} (of the holder)"),
    "cond_more_than": ("{test} depuis plus de {days} jours", "{test} for more than {days} days"),
    "cond_at_least": ("{test} depuis au moins {days} jours", "{test} for at least {days} days"),
    "cond_more_than_working": ("{test} depuis plus de {days} jours ouvrables",
                               "{test} for more than {days} working days"),
    "cond_at_least_working": ("{test} depuis au moins {days} jours ouvrables",
                              "{test} for at least {days} working days"),
    "cond_all": ("{first} et {rest}", "{first} and {rest}"),
    "cond_any": ("{first} ou {rest}", "{first} or {rest}"),
    "faculty_condition_not_met": ("« {label} » ({key}) : condition non remplie le {on} "
                                  "({condition})", "'{label}' ({key}): condition not met on "
                                  "{on} ({condition})"),
    # suspension and resumption (decision 69)
    "suspension_void": ("aucune instance ouverte, à temps et non suspendue de {norm} (clé "
                        "{key}) : la suspension est sans effet", "no open, timely, unsuspended "
                        "instance of {norm} (key {key}): the suspension has no effect"),
    "resumption_void": ("aucune instance suspendue de {norm} (clé {key}) : la reprise est sans "
                        "effet", "no suspended instance of {norm} (key {key}): the resumption "
                        "has no effect"),
}

MESSAGES = Messages(_MESSAGES)
say = MESSAGES.say
text = MESSAGES.text


class InEach(NamedTuple):
    """A value written differently in each language (an amount in its locale)."""

    fr: str
    en: str


def both(message: str, /, **values: object) -> tuple[str, str]:
    """The ``message`` of the table in French and in English; an :class:`InEach` value is
    said in each language's own form."""
    templates = MESSAGES[message]
    if not any(isinstance(v, InEach) for v in values.values()):
        return fill(templates, "fr", values), fill(templates, "en", values)
    fr = {k: v.fr if isinstance(v, InEach) else v for k, v in values.items()}
    en = {k: v.en if isinstance(v, InEach) else v for k, v in values.items()}
    return fill(templates, "fr", fr), fill(templates, "en", en)


__all__ = ["MESSAGES", "InEach", "both", "say", "text"]
