"""`python -m weeknote_gen` runs the command line, for environments without the script."""

from __future__ import annotations

import sys

from weeknote_gen.cli import main

sys.exit(main())
