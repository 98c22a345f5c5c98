"""``python -m stratpolicy``: the command line."""

import sys

from stratpolicy.cli import main

sys.exit(main())
