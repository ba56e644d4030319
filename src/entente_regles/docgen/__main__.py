"""``python -m entente_regles.docgen couverture|evenements``."""

import sys

from entente_regles.docgen import main

raise SystemExit(main(sys.argv[1:]))
