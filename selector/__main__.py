"""`python -m selector ...` runs the command line, like the `selector` script."""

from .cli import main

main()
