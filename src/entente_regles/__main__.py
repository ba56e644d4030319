"""``python -m entente_regles``: the ``entente-regles`` command."""

from entente_regles.cli import main

raise SystemExit(main())
