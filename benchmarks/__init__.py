"""Benchmarks: scripts that measure selector (not part of the test suite). Run e.g. `python -m benchmarks.scale`."""
