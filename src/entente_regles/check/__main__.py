"""``python -m entente_regles.check [RULES_DIR]``."""

import sys

from entente_regles.check import main

raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else None))
