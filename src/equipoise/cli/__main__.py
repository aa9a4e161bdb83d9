"""``python -m equipoise.cli ...``: the command line, as the ``equipoise`` script runs it."""

import sys

from equipoise.cli import main

if __name__ == "__main__":
    sys.exit(main())
