"""The generated documentation pages: ``python -m entente_regles.docgen couverture|evenements``
(``pages``).

Imports: ``core``, ``words``, ``rules``.
"""

from entente_regles.docgen.pages import main

__all__ = ["main"]
