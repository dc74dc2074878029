"""One module per command; each defines a click command registered on ``selector.cli.app``."""
