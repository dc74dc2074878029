"""`python -m selector ...` runs the command line, like the `selector` script."""

import sys

try:
    from selector.cli import main
except KeyboardInterrupt:  # Ctrl-C while the commands are still being imported
    sys.stderr.write("Interrupted.\n")
    sys.exit(130)

main()
