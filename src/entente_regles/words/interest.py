"""The sentences of money arithmetic (issue 19, decisions 66–68): how a computed amount was
computed and how interest on late payment accrued, in French and English."""

from __future__ import annotations

from entente_regles.words.templates import Messages

MESSAGES = Messages({
    "pourcentage": ("Montant calculé : {rate} % de {base} = {result}{rounded}",
                    "Computed amount: {rate}% of {base} = {result}{rounded}"),
    "taux_jour": ("Montant calculé : {rate} par jour × {days} jour{s} = {result}{rounded}",
                  "Computed amount: {rate} a day × {days} day{s} = {result}{rounded}"),
    "prorata": ("Montant calculé : {base} × {days} / {period} jours = {result}{rounded}",
                "Computed amount: {base} × {days} / {period} days = {result}{rounded}"),
    "rounded": (" (arrondi {mode}, {decimals} décimale{s} ; valeur exacte {exact})",
                " (rounded {mode}, {decimals} decimal{s}; exact value {exact})"),
    "interest": ("Intérêt au {on} : {total} — taux annuel {rate} %, base {basis}, {since} "
                 "(non compris dans le solde)",
                 "Interest on {on}: {total} — annual rate {rate}%, basis {basis}, {since} "
                 "(not included in the balance)"),
    "since_deadline": ("depuis le lendemain de l'échéance", "from the day after the deadline"),
    "since_default": ("depuis la demeure", "from the default"),
    "from": (" : court depuis le {start}", ": runs from {start}"),
    "not_yet": (" : ne court pas encore", ": not running yet"),
    "not_yet_default": (" : ne court pas, le débiteur n'étant pas en demeure",
                        ": not running, the debtor not being in default"),
    "segment": ("  du {first} au {last} ({days} jour{s}) : {balance} × {rate} % × {fraction} "
                "= {interest}",
                "  {first} to {last} ({days} day{s}): {balance} × {rate}% × {fraction} "
                "= {interest}"),
    # the rounding rules (« [argent] arrondi »)
    "demi_superieur": ("au demi supérieur", "half up"),
    "demi_pair": ("au demi pair", "half to even"),
    "inferieur": ("vers zéro", "toward zero"),
    "superieur": ("à l'unité supérieure", "away from zero"),
})
say = MESSAGES.say

__all__ = ["MESSAGES", "say"]
