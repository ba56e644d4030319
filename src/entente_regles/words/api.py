"""The Python API's own sentences: a lookup that finds nothing (``Snapshot.get``), an
optional extra that is not installed (``to_frame``), in French and English."""

from __future__ import annotations

from entente_regles.words.templates import Messages

MESSAGES = Messages({
    "no_such_instance": (
        "aucune instance de l'obligation « {rule} »{key} au {on} (find() rend None au lieu "
        "de lever cette erreur)",
        "no instance of obligation '{rule}'{key} on {on} (find() returns None instead of "
        "raising this error)"),
    "no_such_option": (
        "aucune faculté « {rule} »{key} ouverte au {on} (find_option() rend None au lieu de "
        "lever cette erreur)",
        "no faculty '{rule}'{key} open by {on} (find_option() returns None instead of "
        "raising this error)"),
    "with_key": (" pour la clé « {key} »", " with key '{key}'"),
    "missing_pandas": (
        "{method}() demande pandas, une dépendance facultative : "
        "pip install \"entente-regles[pandas]\"",
        "{method}() needs pandas, an optional dependency: "
        "pip install \"entente-regles[pandas]\""),
})

__all__ = ["MESSAGES"]
