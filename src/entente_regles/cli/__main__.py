"""``python -m entente_regles.cli``: the ``entente-regles`` command."""

from entente_regles.cli import main

raise SystemExit(main())
