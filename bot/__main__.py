"""``python -m bot`` runs the dealflow CLI."""

import sys

from bot.cli import main

sys.exit(main())
