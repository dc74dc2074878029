"""Layer 8, the command line: a thin click layer over the Python API (``selector.cli.app``)."""

from selector.cli.app import main

__all__ = ["main"]
