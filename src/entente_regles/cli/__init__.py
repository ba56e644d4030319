"""The ``entente-regles`` command: options (``parser``) and commands (``commands``), the edge
where today's date, files and exit statuses are handled; ``portfolio``: the ``portefeuille``
commands, which add themselves to the parser and the command table when imported (here).

Imports: every layer below.
"""

from entente_regles.cli import portfolio  # noqa: F401  adds ``portefeuille`` (issue 21)
from entente_regles.cli.commands import main

__all__ = ["main"]
