"""``python -m equipoise.cli COMMAND ...``: the command line without its console script."""

import sys

from equipoise.cli import main

if __name__ == "__main__":
    sys.exit(main())
