"""The rulebook checker's words (``check``): what each finding code means, every finding's
message, and the lines ``entente-regles check`` prints, in French and English, as
``str.format`` templates named by a key.

A finding's message is keyed ``<code>.<what>``, its code being the finding's code (French,
as in ``docs/format-regles.md``). Quoted names are quoted by the templates themselves
(« … » in French, '…' in English); a value given as a :class:`Text` is said in each language
(see ``templates``).
"""

from __future__ import annotations

from entente_regles.words.templates import Messages

# What each finding code means (``check.CODES``, the docs' table of codes).
CODES = Messages({
    "chargement": ("le chargeur strict refuse le fichier", "the strict loader rejects the file"),
    "evenement_inconnu": ("type d'événement non déclaré", "undeclared event type"),
    "evenement_inutilise": ("type d'événement déclaré mais inutilisé",
                            "declared event type used by no rule"),
    "execution_impossible": ("obligation qu'aucun événement ne peut exécuter (ou violer)",
                             "obligation no event can perform (or breach)"),
    "declencheur_impossible": ("déclencheur ou acte qui ne peut jamais s'appliquer",
                               "trigger or act that can never apply"),
    "cycle_etat": ("normes qui dépendent d'elles-mêmes par leurs conditions ou déclencheurs",
                   "norms that depend on themselves through their conditions or triggers"),
    "montant_incoherent": ("montant suivi d'un seul côté", "amount tracked on one side only"),
    "identifiant_double": ("identifiant revendiqué deux fois", "id claimed twice"),
    "article_inconnu": ("article absent du texte de l'entente",
                        "article not in the agreement's text"),
    "delai_avant_declencheur": ("échéance qui peut précéder le déclencheur",
                                "deadline that can fall before its trigger"),
    "parametre_invalide": ("paramètre inutilisable là où il sert",
                           "parameter unusable where it is used"),
    "renvoi_annexe": ("renvoi aux annexes incohérent avec la clause (art. 2)",
                      "annex deferral inconsistent with the clause (art. 2)"),
    "citation_introuvable": ("citation absente du texte de l'article",
                             "quotation not in the article's text"),
    "delai_incoherent": ("forme du délai contraire au texte de la clause",
                         "deadline form contrary to the clause's wording"),
    "statuts_non_couverts": ("statut atteignable qu'aucun exemple n'affirme",
                             "reachable status no example asserts"),
    "statut_inatteignable": ("exemple affirmant un statut que la norme ne peut atteindre",
                             "example asserting a status the norm cannot reach"),
    "reference_inconnue": ("exemple nommant une obligation inconnue",
                           "example naming an unknown obligation"),
    "pouvoirs_concurrents": ("deux pouvoirs peuvent répondre au même événement",
                             "two powers can answer the same event"),
    "limites_durable": ("règles au-delà de ce que le moteur durable_rules peut tenir",
                        "rules beyond what the durable_rules engine can hold"),
})

FINDINGS = Messages({
    # the loader
    "chargement.unreadable": ("lecture impossible : {error}", "cannot read: {error}"),
    "chargement.text_unreadable": (
        "[entente] texte : lecture impossible de {path} ({reason}) ; le texte de l'entente est "
        "alors celui que citent les fichiers de règles",
        "[entente] texte: cannot read {path} ({reason}); the agreement's text is then what "
        "the rule files quote"),
    # references
    "evenement_inutilise.unused": (
        "type d'événement « {event} » déclaré mais qu'aucune règle n'utilise (déclencheur, "
        "exécution, extinction, violation, pouvoir, effet, contrôle)",
        "event type '{event}' is declared but no rule uses it (trigger, performance, "
        "extinction, breach, power, effect, control)"),
    "article_inconnu.absent": (
        "l'article « {article} » n'existe pas dans le texte de l'entente{hint}",
        "article '{article}' does not exist in the agreement's text{hint}"),
    "article_inconnu.hint": (" : écrire « {article} »", ": write '{article}'"),
    "parametre_invalide.not_integer": (
        "le paramètre {name} vaut {value!r} ({file}) : un nombre entier est attendu ici",
        "parameter {name} is {value!r} ({file}): an integer is expected here"),
    "parametre_invalide.months": (
        "une période de {months} mois ne se termine jamais (au moins 1)",
        "a period of {months} months never ends (at least 1)"),
    "delai_avant_declencheur.negative": (
        "{days} jours : un délai négatif tombe avant son point de départ",
        "{days} days: a negative delay falls before its starting point"),
    # mechanics: performance, keys, debtors, amounts
    "execution_impossible.no_performance": (
        "« {norm} » : aucune exécution ; l'obligation ne peut jamais être satisfaite (sans "
        "exécution, seule une norme avec a_echeance est admise)",
        "'{norm}': no performance; the obligation can never be satisfied (only a norm with "
        "a_echeance may have none)"),
    "execution_impossible.no_breach": (
        "« {norm} » : obligation continue sans violation ; elle ne peut jamais être violée "
        "(p. ex. violation = [{{ evenement = \"manquement\", si = {{ norme = \"…\" }} }}])",
        "'{norm}': continuing obligation with no violation; it can never be breached (e.g. "
        "violation = [{{ evenement = \"manquement\", … }}])"),
    "execution_impossible.no_key": (
        "« {norm} » : l'instance n'a pas de clé (déclencheur sans « cle », ou débiteur "
        "« parties » à l'entrée en vigueur sans pour_chaque_partie) : « {event} » ne peut "
        "jamais s'y rattacher",
        "'{norm}': the instance has no key (trigger without 'cle', or debtor 'parties' at "
        "entry into force without pour_chaque_partie): '{event}' can never be joined to it"),
    "execution_impossible.key_kinds": (
        "« {norm} » : la clé de l'instance est de nature « {kind} », mais {event} la cherche "
        "dans {field} (nature « {act_kind} ») : les valeurs ne se rencontrent jamais",
        "'{norm}': the instance key is of kind '{kind}', but {event} looks for it in {field} "
        "(kind '{act_kind}'): the values never meet"),
    "execution_impossible.debtor_cannot": (
        "« {norm} » : le débiteur ({debtors}) ne peut pas produire « {event} » (par : "
        "{actors}) ; par = \"parties\" si l'autre partie peut l'accomplir",
        "'{norm}': the debtor ({debtors}) cannot produce '{event}' (by: {actors}); use "
        "par = \"parties\" if the other party may do it"),
    "execution_impossible.nobody": ("personne", "nobody"),
    "montant_incoherent.performance_only": (
        "« {norm} » : l'exécution porte un montant, mais le déclencheur n'en porte pas : un "
        "paiement partiel exécuterait toute l'obligation",
        "'{norm}': the performance carries an amount but the trigger does not: a partial "
        "payment would perform the whole obligation"),
    "montant_incoherent.trigger_only": (
        "« {norm} » : le déclencheur porte un montant, mais {event} l'exécute sans montant : "
        "le solde ne baisserait jamais",
        "'{norm}': the trigger carries an amount but {event} performs it without one: the "
        "balance would never go down"),
    "declencheur_impossible.no_default": (
        "« {norm} » : l'intérêt court depuis la demeure, mais aucune règle [[demeure]] ne peut "
        "mettre un débiteur en demeure : il ne courrait jamais",
        "'{norm}': interest runs from the default, but no [[demeure]] rule can put a debtor "
        "in default: it would never run"),
    # mechanics: triggers and acts that never apply
    "declencheur_impossible.test": (
        "le test {name} = {value!r} ne peut jamais être vrai pour « {event} » ({expected})",
        "the test {name} = {value!r} can never hold for '{event}' (expected {expected})"),
    "declencheur_impossible.a_party_among": ("une partie parmi {parties}",
                                             "a party among {parties}"),
    "declencheur_impossible.party": (
        "« {norm} » : par = {party!r}, mais « {event} » n'est produit que par {parties} : "
        "elle ne naît jamais",
        "'{norm}': par = {party!r}, but '{event}' is only produced by {parties}: it never "
        "arises"),
    "declencheur_impossible.undated_source": (
        "« {norm} » naît à l'échéance de « {source} », qui n'a pas d'échéance datée : elle ne "
        "naît jamais",
        "'{norm}' arises when '{source}' expires, which has no dated deadline: it never "
        "arises"),
    "declencheur_impossible.state": (
        "« {rule} » attend que « {norm} » soit {state}, ce qu'elle ne peut jamais être : sa "
        "condition ne tient jamais, ou elle ne naît jamais",
        "'{rule}' waits for '{norm}' to be {state}, which it can never be: its condition never "
        "holds, or it never arises"),
    "declencheur_impossible.holder": (
        "« {power} » : le titulaire {holder} ne peut pas produire « {event} » (par : "
        "{parties})",
        "'{power}': the holder {holder} cannot produce '{event}' (by: {parties})"),
    "cycle_etat.cycle": (
        "cycle de conditions ou de déclencheurs sur l'état : {cycle} ; chaque norme y "
        "attend l'état d'une autre qui l'attend à son tour",
        "cycle of conditions or triggers on state: {cycle}; each norm in it waits for the "
        "state of another that waits for it in turn"),
    # deadlines against their trigger
    "delai_avant_declencheur.since_field": (
        "« {norm} » : compté depuis le champ « {field} », l'échéance précède le déclencheur "
        "dès que cette date est plus ancienne que l'événement de plus du délai ; le moteur ne "
        "l'empêche pas",
        "'{norm}': counted from the field '{field}', the deadline falls before the trigger "
        "whenever that date is older than the event by more than the delay; the engine does "
        "not prevent it"),
    "delai_avant_declencheur.original_event": (
        "« {norm} » naît à l'échéance d'une autre norme, mais son délai court depuis "
        "« {field} » de l'événement d'origine : il peut être expiré avant même qu'elle naisse "
        "(depuis = \"date\" : sa naissance)",
        "'{norm}' arises when another norm expires, but its delay runs from the original "
        "event's '{field}': it may run out before it even arises (depuis = \"date\": its "
        "birth)"),
    "delai_avant_declencheur.not_periodic": (
        "« {norm} » : fin_periode exige un déclencheur périodique (déclencheur : {trigger})",
        "'{norm}': fin_periode needs a periodic trigger (trigger: {trigger})"),
    "delai_avant_declencheur.born_after_period": (
        "« {norm} » : naît le lendemain de la fin de sa période mais échoit le dernier jour "
        "de celle-ci, la veille de sa naissance (naissance = \"debut\")",
        "'{norm}': arises the day after its period ends but is due on the period's last day, "
        "the day before it arises (naissance = \"debut\")"),
    "delai_avant_declencheur.no_power": (
        "« {norm} » : veille_effet, mais le déclencheur peut naître d'un « {event} » "
        "qu'aucun pouvoir n'exerce (ses tests « si » doivent inclure ceux du pouvoir) : pas "
        "de date d'effet",
        "'{norm}': veille_effet, but the trigger can arise from a '{event}' that no power "
        "exercises (its 'si' tests must include the power's): no effective date"),
    "delai_avant_declencheur.no_notice": (
        "« {norm} » : veille_effet sur le pouvoir « {power} », sans préavis d'au moins un "
        "jour : la prise d'effet peut être le jour même, et l'échéance la veille du "
        "déclencheur",
        "'{norm}': veille_effet on power '{power}', with no notice of at least one day: it "
        "may take effect the same day, and the deadline fall the day before the trigger"),
    # deadlines against the clause's words
    "delai_incoherent.undated_lapse": (
        "« {norm} » : a_echeance sans échéance datée (délai {form}) : l'instance ne s'éteint "
        "jamais à échéance",
        "'{norm}': a_echeance without a dated deadline ({form}): the instance never lapses"),
    "delai_incoherent.quoted": ("« {words} »", "'{words}'"),
    "delai_incoherent.days": ("{days} jours", "{days} days"),
    "delai_incoherent.working_days": ("{days} jours ouvrables", "{days} working days"),
    "delai_incoherent.standard": ("norme {standard}", "standard {standard}"),
    "delai_incoherent.none": ("aucun délai", "no time limit"),
    "delai_incoherent.absent": ("absent", "none"),
    "delai_incoherent.other_standard": (
        "« {norm} » : norme « {standard} », mais l'art. {article} dit : {said}",
        "'{norm}': standard '{standard}', but art. {article} says: {said}"),
    "delai_incoherent.no_time_limit": (
        "« {norm} » : {chosen}, mais l'art. {article} dit : {said}",
        "'{norm}': {chosen}, but art. {article} says: {said}"),
    "delai_incoherent.other_days": (
        "« {norm} » : délai de {days} jours, mais l'art. {article} dit : {said}",
        "'{norm}': a {days}-day delay, but art. {article} says: {said}"),
    "delai_incoherent.label_standard": (
        "« {norm} » : le libellé dit {standard}, le délai est {deadline}",
        "'{norm}': the label says {standard}, the deadline is {deadline}"),
    "delai_incoherent.label_days": (
        "« {norm} » : le libellé dit {days} jours, le délai est {deadline}",
        "'{norm}': the label says {days} days, the deadline is {deadline}"),
    "delai_incoherent.example_undated": (
        "exemple « {example} » : « {norm} » n'a pas d'échéance datée",
        "example '{example}': '{norm}' has no dated deadline"),
    "delai_incoherent.example_not_vague": (
        "exemple « {example} » : « {norm} » n'a pas de norme vague à laquelle une politique "
        "attacherait un délai",
        "example '{example}': '{norm}' has no vague standard for a policy to attach a "
        "deadline to"),
    # annexes (art. 2)
    "renvoi_annexe.no_deferral_quoted": (
        "« {name} » : annexe_peut_preciser = true, mais la source ne cite aucun renvoi aux "
        "annexes (« sous réserve de … annexes », « prévues aux annexes »…)",
        "'{name}': annexe_peut_preciser = true, but the source quotes no deferral to the "
        "annexes"),
    "renvoi_annexe.clause_does_not_defer": (
        "« {name} » : l'art. {article} ne renvoie pas aux annexes ; une annexe ne peut pas y "
        "déroger (art. 2){hint}",
        "'{name}': art. {article} does not defer to the annexes; an annex cannot override it "
        "(art. 2){hint}"),
    "renvoi_annexe.hint_one": (" (l'art. {articles} y renvoie : préciser article = "
                               "« {first} » ?)", " (art. {articles} does: set article = "
                               "'{first}'?)"),
    "renvoi_annexe.hint_many": (" (l'art. {articles} y renvoient : préciser article = "
                                "« {first} » ?)", " (art. {articles} does: set article = "
                                "'{first}'?)"),
    "renvoi_annexe.not_declared": (
        "« {name} » : la source cite un renvoi aux annexes, mais annexe_peut_preciser = false",
        "'{name}': the source quotes a deferral to the annexes, but annexe_peut_preciser = "
        "false"),
    "renvoi_annexe.no_precedence": (
        "des paramètres ne renvoient pas aux annexes, mais aucun fichier ne déclare "
        "[preseance] : une annexe contraire serait écartée sans citer l'article qui le veut",
        "some parameters do not defer to the annexes, but no file declares [preseance]: a "
        "contrary annex would be set aside without citing why"),
    "citation_introuvable.quote": (
        "« {name} » : « {quote} » ne figure pas dans le texte cité du fichier (clé texte)",
        "'{name}': '{quote}' is not in the file's quoted text (key texte)"),
    # statuses and examples
    "reference_inconnue.norm": ("exemple « {example} » : obligation inconnue « {norm} »",
                                "example '{example}': unknown obligation '{norm}'"),
    "statuts_non_couverts.statuses": (
        "« {norm} » peut être {statuses}, mais aucun exemple de {file} ne l'affirme",
        "'{norm}' can be {statuses}, but no example of {file} asserts it"),
    "statut_inatteignable.status": (
        "exemple « {example} » : « {norm} » ne peut pas être « {status} » (atteignables : "
        "{reachable})",
        "example '{example}': '{norm}' cannot be '{status}' (reachable: {reachable})"),
    # the engines
    "pouvoirs_concurrents.same_event": (
        "« {power} » et « {other} » ({file}) répondent tous deux à « {event} » : un même "
        "événement exercerait deux pouvoirs (distinguer leurs tests « si » ou leurs "
        "titulaires)",
        "'{power}' and '{other}' ({file}) both answer '{event}': one event would exercise "
        "two powers (tell their 'si' tests or holders apart)"),
    "limites_durable.crossing": (
        "{crossing} : le moteur durable refusera ce recueil ; le moteur python le tient",
        "{crossing}: the durable engine will refuse this rulebook; the python engine holds it"),
})

# A finding as ``check`` prints it, and the summary line after the findings.
LINES = Messages({
    "finding": ("{where} : {message} [{code}]", "{where}: {message} [{code}]"),
    "line": (", ligne {line}", ":{line}"),
    "key": (", clé {key}", " [{key}]"),
    "findings": ("{count} constat(s) dans {directory}", "{count} finding(s) in {directory}"),
    "no_findings": ("aucun constat dans {directory}", "no findings in {directory}"),
})

# A rule book's worked examples replayed (``check.examples``, ``entente-regles test``): what
# differed from an example's expectations, one line per example, the summary.
EXAMPLES = Messages({
    "where": ("au {on}, {norm} ({key})", "on {on}, {norm} ({key})"),
    "where_known": ("{where} connu le {known}", "{where} known on {known}"),
    "absent_expected": ("{where} : absente attendue, trouvée {status}",
                        "{where}: expected absent, found {status}"),
    "no_instance": ("{where} : instance absente", "{where}: no such instance"),
    "differs": ("{where} : {name} attendu {wanted}, obtenu {got}",
                "{where}: {name} expected {wanted}, got {got}"),
    "in_force": ("au {on} : entente_en_vigueur attendu {wanted}, obtenu {got}",
                 "on {on}: entente_en_vigueur expected {wanted}, got {got}"),
    "pending": ("au {on} : resiliation_en_cours (dernier jour en vigueur) attendu {wanted}, "
                "obtenu {got}",
                "on {on}: resiliation_en_cours (last day in force) expected {wanted}, got "
                "{got}"),
    "none": ("aucune", "none"),
    "on": (" au {on}", " on {on}"),
    "diagnostic_missing": ("diagnostic {code} attendu{when}, absent (obtenus : {got})",
                           "diagnostic {code} expected{when}, missing (got: {got})"),
    "diagnostic_unexpected": ("diagnostic inattendu : {diagnostic}",
                              "unexpected diagnostic: {diagnostic}"),
    "line.passed": ("RÉUSSI  {file} — {name} [{engine}]", "PASSED  {file} — {name} [{engine}]"),
    "line.failed": ("ÉCHEC   {file} — {name} [{engine}]", "FAILED  {file} — {name} [{engine}]"),
    "line.skipped": ("IGNORÉ  {file} — {name} [{engine}]",
                     "SKIPPED {file} — {name} [{engine}]"),
    "summary": ("{passed} exemple(s) réussi(s), {failed} en échec, {skipped} ignoré(s)",
                "{passed} example(s) passed, {failed} failed, {skipped} skipped"),
    "no_examples": ("aucun exemple [[exemple]] dans {directory}",
                    "no [[exemple]] example in {directory}"),
})

__all__ = ["CODES", "EXAMPLES", "FINDINGS", "LINES"]
