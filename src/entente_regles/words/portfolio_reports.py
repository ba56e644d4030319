"""The portfolio's report words (``cli.portfolio``, ``outputs.portfolio_html``): the plain
words of the portfolio tables and page, and the sentences of the ``portefeuille`` commands,
in French and English, as ``str.format`` templates named by a key."""

from __future__ import annotations

from entente_regles.words.templates import Messages

# Plain words, no placeholder: the portfolio page gets all of them (``w.<key>`` in
# ``portefeuille.html.j2``); the text tables take their column names from here too.
WORDS = Messages({
    "title": ("Portefeuille d'ententes", "Portfolio of agreements"),
    "agreement": ("Entente", "Agreement"),
    "body": ("Organisme", "Client body"),
    "owed": ("Dû", "Owed"),
    "late": ("En retard", "Late"),
    "late_count": ("Nb en retard", "No. late"),
    # interest on late payment accrued (decision 68): beside the balances, never in them
    "interest": ("Intérêt couru", "Interest accrued"),
    "owed_count": ("Nb dues", "No. owed"),
    "next_deadline": ("Prochaine échéance", "Next deadline"),
    "termination": ("Résiliation", "Termination"),
    "not_in_force": ("PAS en vigueur", "NOT in force"),
    "currency": ("Monnaie", "Currency"),
    "debtor": ("Débiteur", "Debtor"),
    "agreements": ("Ententes", "Agreements"),
    "totals": ("Totaux", "Totals"),
    "clients": ("Par organisme", "By client body"),
    "errors": ("Ententes en erreur", "Agreements in error"),
    "file": ("Fichier", "File"), "line": ("Ligne", "Line"), "key": ("Clé", "Key"),
    "message": ("Message", "Message"),
    "sort_hint": ("Cliquez un en-tête de colonne pour trier (le tableau est dans l'ordre des "
                  "ententes sans script).",
                  "Click a column heading to sort (without scripts the table is in agreement "
                  "order)."),
    "own_page": ("page de l'entente", "agreement's page"),
    "none": ("aucun", "none"),
    "generated": ("Produit par entente-regles à partir des ententes et de leurs journaux ; "
                  "aucune ressource externe.",
                  "Made by entente-regles from the agreements and their event logs; no "
                  "external resource."),
})

MESSAGES = Messages({
    "head": ("Portefeuille au {on}, connu le {known} : {count} entente(s) répondue(s), "
             "{failed} en erreur",
             "Portfolio on {on}, as known on {known}: {count} agreement(s) answered, "
             "{failed} in error"),
    "owed_by": ("Dû par {party}", "Owed by {party}"),
    "total": ("Total {currency}", "Total {currency}"),
    "totals_head": ("Totaux par débiteur", "Totals by debtor"),
    "agreements_owing": ("{count} entente(s)", "{count} agreement(s)"),
    "aging_head": ("Soldes impayés par ancienneté, {currency}", "Unpaid balances by age, "
                   "{currency}"),
    "agenda_head": ("Agenda du portefeuille du {start} au {end} : {count} élément(s)",
                    "Portfolio agenda from {start} to {end}: {count} item(s)"),
    "changes_head": ("Portefeuille — changements du {since} (exclu) au {on} (inclus) : "
                     "{count} changement(s)", "Portfolio — changes from {since} (excluded) "
                     "to {on} (included): {count} change(s)"),
    "terminating": ("fin le {last_day}", "ends {last_day}"),
    "failed_head": ("{count} entente(s) en erreur, laissée(s) de côté (statut de sortie 1) :",
                    "{count} agreement(s) in error, left out (exit status 1):"),
    "progress": ("ententes évaluées", "agreements evaluated"),
    "per_second": ("{rate} év./s", "{rate} ev./s"),
    "progress_line": ("ententes évaluées : {done}/{total}, {rate}",
                      "agreements evaluated: {done}/{total}, {rate}"),
    "example_written": ("{count} ententes écrites dans {folder} ({events} événements). "
                        "Essayez : {command}",
                        "{count} agreements written in {folder} ({events} events). "
                        "Try: {command}"),
    "imported": ("{count} entente(s) importée(s) dans {url} ({events} événements)",
                 "{count} agreement(s) imported into {url} ({events} events)"),
    "appended": ("{events} événement(s) ajouté(s) au journal de {count} entente(s) dans {url}",
                 "{events} event(s) appended to the logs of {count} agreement(s) in {url}"),
    "bad_log_option": ("--journal {value} : ID=FICHIER attendu",
                       "--log {value}: ID=FILE expected"),
    "nothing_to_import": ("rien à importer : donnez un répertoire DIR ou --journal "
                          "ID=FICHIER", "nothing to import: give a directory DIR or --log "
                          "ID=FILE"),
    "report_written": ("{index} et {count} page(s) d'entente écrites",
                       "{index} and {count} agreement page(s) written"),
    "source_needed": ("indiquez la source du portefeuille : --dir RÉPERTOIRE ou --db URL",
                      "give the portfolio's source: --dir DIRECTORY or --db URL"),
    "not_empty": ("{folder} existe et n'est pas vide : choisissez un répertoire neuf ou vide",
                  "{folder} exists and is not empty: choose a new or empty directory"),
    "bad_count": ("{option} : entier de {low} à {high} attendu, reçu {value}",
                  "{option}: an integer from {low} to {high} expected, got {value}"),
})

__all__ = ["MESSAGES", "WORDS"]
