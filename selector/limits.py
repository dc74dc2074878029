"""Reading an input file within a size limit, so that a huge file is refused before it is read whole.

A scenario of 100,000 units is about 10 MiB of CSV; anything over ``MAX_INPUT_BYTES`` is certainly a
wrong file (a database dump, a disk image...) and would exhaust memory long before validation.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Problem

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""Largest scenario CSV or settings TOML that is read (256 MiB: some 2.5 million units)."""


def read_input_bytes(path: Path, name: str, limit: int = MAX_INPUT_BYTES) -> tuple[bytes | None, list[Problem]]:
    """The bytes of ``path``, or (None, [problem]) when it cannot be read or is larger than ``limit``.

    The size is taken from ``os.stat`` first, so an oversized file is never loaded into memory.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a device or pipe has no size to check and may never end
            return None, [Problem(name, None, None, "is not a regular file", "give the path of a CSV or TOML file")]
        size = info.st_size
        if size <= limit:
            with open(path, "rb") as f:
                data = f.read(limit + 1)  # the file may have grown since stat
            if len(data) <= limit:
                return data, []
            size = len(data)
    except OSError as exc:
        return None, [Problem(name, None, None, f"cannot be read ({exc.strerror or exc})", "check the path")]
    return None, [Problem(name, None, None,
                          f"is {size / 2**20:,.0f} MiB, over the limit of {limit / 2**20:,.0f} MiB for an input file",
                          "check that this is the right file; split a scenario this large into several")]
