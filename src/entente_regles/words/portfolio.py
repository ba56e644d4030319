"""The portfolio's words (``portfolio``): its errors, in French and English, as
``str.format`` templates named by a key."""

from __future__ import annotations

from entente_regles.words.templates import Messages

MESSAGES = Messages({
    # the source: a directory of agreements
    "no_directory": ("répertoire de portefeuille introuvable", "portfolio directory not found"),
    "missing_file": ("fichier {name} absent du dossier de l'entente",
                     "file {name} missing from the agreement's folder"),
    "bad_id": ("identifiant d'entente invalide {id} (texte non vide, sans caractère de "
               "contrôle)", "invalid agreement id {id} (a non-empty text without control "
               "characters)"),
    "cannot_read": ("lecture impossible : {reason}", "cannot read: {reason}"),
    # the source: a database
    "schema_version": ("base de portefeuille de version {found} ; cette version de "
                       "entente-regles lit la version {expected}",
                       "portfolio database of version {found}; this version of "
                       "entente-regles reads version {expected}"),
    "no_schema": ("pas une base de portefeuille (table schema_version absente ou vide) ; "
                  "créez-la avec import_directory ou « portefeuille importer »",
                  "not a portfolio database (table schema_version missing or empty); create "
                  "it with import_directory or « portefeuille importer »"),
    "database": ("base de données : {reason}", "database: {reason}"),
    "already_there": ("l'entente {id} est déjà dans la base", "agreement {id} is already in "
                      "the database"),
    "not_there": ("l'entente {id} n'est pas dans la base", "agreement {id} is not in the "
                  "database"),
    # an agreement that could not be evaluated
    "not_sent": ("l'évaluation ne peut pas être envoyée à un autre processus ({reason}) ; "
                 "un ThreadPoolExecutor l'évalue dans ce processus",
                 "the evaluation cannot be sent to another process ({reason}); a "
                 "ThreadPoolExecutor evaluates it in this process"),
    "agreement": ("entente {id}", "agreement {id}"),
})

__all__ = ["MESSAGES"]
