"""`python -m selector ...` runs the command line, like the `selector` script."""

from selector.cli import main

main()
