"""The legal calendar's words (``calendar.legal``): how a deadline was computed, in French
and English, as ``str.format`` templates named by a key.

An explanation is three entries said one after the other: the kind of computation
(``apres``, ``avant``, ``fin_periode``, ``jours_ouvrables``), its variant (``<kind>.<variant>``)
and ``end`` (the citations and the policy). The names of the holidays and the citations are
data (a rule book's calendar), not words of this table: ``DAYS`` only has the policy's own
days and the words of the calendars that are not declared as data (``LIBRARY``)."""

from __future__ import annotations

from entente_regles.words.templates import Messages

DEADLINES = Messages({
    "apres": (
        "{n} jour{pl} suivant le {s} (jour de départ non compté) : ",
        "{n} day{pl} following {s} (start day not counted): "),
    "apres.ok": (
        "dernier jour {raw} (jour ouvrable)",
        "last day {raw} (working day)"),
    "apres.report": (
        "dernier jour brut {raw}{why}, reporté au {dl} (prochain jour ouvrable{gap})",
        "raw last day {raw}{why}, moved to {dl} (next working day{gap})"),
    "apres.sans_report": (
        "dernier jour {raw}{why}, non reporté (politique sans report)",
        "last day {raw}{why}, not moved (policy without roll-forward)"),
    "apres.calendrier_sans_report": (
        "dernier jour {raw}{why}, non reporté (calendrier sans report)",
        "last day {raw}{why}, not moved (calendar without roll-forward)"),
    "avant": (
        "au moins {n} jour{pl} avant le {s} : ",
        "at least {n} day{pl} before {s}: "),
    "avant.calendar": (
        "date limite {dl}{why}, jamais reportée en avant",
        "latest date {dl}{why}, never moved forward"),
    "avant.clear_days": (
        "date limite {dl}{why} ({n} jour{pl} franc{pl} : ni ce jour ni le {s} ne sont comptés)",
        "latest date {dl}{why} ({n} clear day{pl}: neither that day nor {s} is counted)"),
    "avant.corps": (
        "{raw}{why} ramené au {dl} (jour ouvrable précédent{gap})",
        "{raw}{why} brought back to {dl} (previous working day{gap})"),
    "fin_periode": (
        "période minimale de {n} jour{pl} à compter du {s} : ",
        "minimum period of {n} day{pl} from {s}: "),
    "fin_periode.corps": (
        "dernier jour {dl}{why}, effet à la fin de ce jour ; date fixe, jamais reportée",
        "last day {dl}{why}, effective at the end of that day; a fixed date, never moved"),
    "jours_ouvrables": (
        "{n} jour{pl} ouvrable{pl} suivant le {s} : ",
        "{n} working day{pl} following {s}: "),
    "jours_ouvrables.corps": (
        "{dl} (délai indicatif de politique, sans fondement contractuel{gap})",
        "{dl} (indicative policy deadline, no contractual basis{gap})"),
    "gap": (
        " ; jours écartés : {gap}",
        "; days skipped: {gap}"),
    "sep": (
        " ; ",
        "; "),
    "no_law": (
        "aucune citation",
        "no citation"),
    "end": (
        " — {law} (politique « {pol} »).",
        " — {law} (policy \"{pol}\")."),
})

# The days a policy adds, whatever the calendar.
DAYS = Messages({
    "closure": (
        "fermeture (politique)",
        "closure (policy)"),
})

# A calendar of the `holidays` library: what it cites, and its weekly rest days' names.
LIBRARY = Messages({
    "source": (
        "jours fériés de {code} (python-holidays {version})",
        "public holidays of {code} (python-holidays {version})"),
    "weekday.0": ("lundi", "Monday"),
    "weekday.1": ("mardi", "Tuesday"),
    "weekday.2": ("mercredi", "Wednesday"),
    "weekday.3": ("jeudi", "Thursday"),
    "weekday.4": ("vendredi", "Friday"),
    "weekday.5": ("samedi", "Saturday"),
    "weekday.6": ("dimanche", "Sunday"),
})

__all__ = ["DAYS", "DEADLINES", "LIBRARY"]
