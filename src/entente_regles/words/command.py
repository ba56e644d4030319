"""The command line's own words outside the reports: a file written, what a progress
display says, how an operating-system error and a diagnostic's severity are shown, in
French and English (one language per run: ``--lang``, or the rule book's first)."""

from __future__ import annotations

from entente_regles.words.templates import Messages

COMMAND = Messages({
    "written": ("{file} écrit", "{file} written"),
    "replaying": ("lecture et rejeu du journal", "reading and replaying the log"),
    "examples": ("exemples", "examples"),
    # an operating-system error on a file (French typography: a space before the colon)
    "file_error": ("{file} : {reason}", "{file}: {reason}"),
})

# A diagnostic's severity as people read it; the code (``erreur``, ``avertissement``,
# ``info``) stays French in JSON and CSV.
SEVERITIES = Messages({
    "erreur": ("erreur", "error"),
    "avertissement": ("avertissement", "warning"),
    "info": ("info", "info"),
})


def severity_label(code: str, lang: str) -> str:
    """``code``'s words in ``lang`` (``warning`` for ``avertissement``); an unknown code as
    it is."""
    return SEVERITIES.say(code, "en" if lang == "en" else "fr") if code in SEVERITIES else code


__all__ = ["COMMAND", "SEVERITIES", "severity_label"]
