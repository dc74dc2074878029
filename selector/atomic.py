"""Writing a file so that it is either the old one or complete, never half-written.

Every output is written to a temporary file in the target's folder and renamed over the target
only when complete: an interrupted run (Ctrl-C, a kill, a full disk) leaves the previous file whole.
Layer 0: any layer that writes files uses it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
from pathlib import Path
from typing import Iterator

_UMASK_LOCK = threading.Lock()


def _new_file_mode(target: Path) -> int:
    """The permissions ``target`` should end with: those of the file it replaces, or what a plain
    ``open(target, "w")`` would give (0666 less the umask). A temporary file is created 0600, and a
    schedule meant for colleagues on a shared drive must not stay readable by its writer only."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(os.stat(target).st_mode)
    with _UMASK_LOCK:  # os.umask can only be read by setting it
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` only if the block succeeds.

    The finished file gets the permissions of the file it replaces, or the usual ones for a new file."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with contextlib.suppress(OSError):  # a file system without modes (some network drives) keeps its own
            os.chmod(tmp_path, _new_file_mode(target))
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_text_atomic(target: str | Path, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(target) as tmp:
        with open(tmp, "w", encoding=encoding, newline="") as f:
            f.write(text)
