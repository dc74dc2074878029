"""Writing files so that each is either the old one or complete, and a command's files all or none.

Every output is written to a temporary file in the target's folder and renamed over the target
only when complete: an interrupted run (Ctrl-C, a kill, a full disk) leaves the previous file whole.
A command that writes several files (a schedule, its JSON record, a workbook, a report) opens one
``OutputTransaction`` for all of them: each is staged to its temporary file, and only when every
one is complete are they renamed, together; if any fails, none is replaced (the ones already
renamed are put back). Two outputs naming one file, and a target that is not a regular file (a
FIFO, a device, a folder), are refused before anything is written. Temporary files a killed run
left behind (their writer's process is gone) are removed by the next write into that folder.
Layer 0: any layer that writes files uses it.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import stat
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterable, Iterator

from selector.errors import Problem, ScenarioError
from selector.i18n import _

_UMASK_LOCK = threading.Lock()
_STALE_AFTER = 24 * 3600  # a temporary file this old is stale whatever its pid says (pids are reused)
_current: contextvars.ContextVar["OutputTransaction | None"] = contextvars.ContextVar("selector_output", default=None)


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


def _temporary(target: Path) -> Path:
    """A new empty temporary file beside ``target``: ``.<name>.<pid>.<random>.tmp`` (the pid tells a
    later run whether its writer is still alive)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(tmp)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but is not ours (EPERM)
        return True
    return True


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` that a killed writer left (its process is gone, or a
    day has passed); a live writer's are kept. Returns what was removed."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)\.[A-Za-z0-9_]+\.tmp$")
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            m = pattern.match(entry.name)
            if not m or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                old = time.time() - entry.stat(follow_symlinks=False).st_mtime > _STALE_AFTER
                if old or (int(m.group(1)) != os.getpid() and not _alive(int(m.group(1)))):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def target_problem(target: Path) -> Problem | None:
    """Why ``target`` cannot be replaced by a regular file (None when it can): a FIFO, a device,
    a socket or a folder is never replaced by an output."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return Problem(str(target), None, None, _("cannot be written ({reason})", reason=exc.strerror or exc),
                       _("choose another output path"))
    if stat.S_ISREG(info.st_mode):
        return None
    kind = _("a folder") if stat.S_ISDIR(info.st_mode) else _("not a regular file (a pipe, a device or a socket)")
    return Problem(str(target), None, None, _("is {kind}: an output never replaces it", kind=kind),
                   _("give the path of a file to write"))


class OutputTransaction:
    """The files one command writes: staged to temporaries, then renamed all together, or none.

    ``with OutputTransaction([a, b]) as tx:`` checks the targets (no two the same file, each a
    regular file or absent) and stages them; inside the block ``atomic_path(a)`` (which every writer
    uses) writes to a's temporary file. When the block ends normally every target is replaced;
    when it raises (or a rename fails) no target is changed and every temporary file is removed.
    """

    def __init__(self, targets: Iterable[str | Path]):
        self.targets = [Path(t) for t in targets]
        problems, seen = [], {}
        for target in self.targets:
            key = self._key(target)
            same = seen.get(key) or next((t for t in seen.values() if _same_file(t, target)), None)
            if same is not None:
                problems.append(Problem(str(target), None, None,
                                        _("is named by two outputs: one would overwrite the other"),
                                        _("give each output (--out, --json, --xlsx, --report...) its own file")))
                continue
            seen[key] = target
            found = target_problem(target)
            if found is not None:
                problems.append(found)
        if problems:
            raise ScenarioError(problems)
        self.staged: dict[str, Path] = {}

    def _key(self, target: str | Path) -> str:
        return os.path.normcase(os.path.realpath(target))  # through links: two names of one file are one

    def staged_path(self, target: str | Path) -> Path | None:
        """The temporary file a target of this transaction is written to (None if not one of them)."""
        return self.staged.get(self._key(target))

    def __enter__(self) -> "OutputTransaction":
        try:
            for target in self.targets:
                remove_stale_temporaries(target)
                self.staged[self._key(target)] = _temporary(target)
        except BaseException:
            self._discard()
            raise
        self._token = _current.set(self)
        return self

    def __exit__(self, kind, exc, tb) -> None:
        _current.reset(self._token)
        if kind is not None:
            self._discard()
            return
        self.commit()

    def _discard(self) -> None:
        for tmp in self.staged.values():
            with contextlib.suppress(OSError):
                tmp.unlink()

    def commit(self) -> None:
        """Rename every staged file over its target; if one rename fails, put back the ones done."""
        done: list[tuple[Path, Path | None]] = []  # (target, hard link to its old file, or None if it is new)
        links: list[Path] = []
        try:
            for target in self.targets:
                tmp = self.staged[self._key(target)]
                with contextlib.suppress(OSError):  # a file system without modes keeps its own
                    os.chmod(tmp, _new_file_mode(target))
                backup = None
                if os.path.exists(target):
                    backup = _temporary(target)
                    backup.unlink()
                    try:
                        os.link(target, backup)
                        links.append(backup)
                    except OSError:  # no hard links here (some network drives): no way back for this one
                        backup = None
                os.replace(tmp, target)
                done.append((target, backup))
        except BaseException:
            for target, backup in reversed(done):
                with contextlib.suppress(OSError):
                    if backup is not None:
                        os.replace(backup, target)
                    else:
                        os.unlink(target)
            self._discard()
            raise
        finally:
            for link in links:
                with contextlib.suppress(OSError):
                    link.unlink()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` only if the block succeeds.

    Inside an ``OutputTransaction`` that names ``target`` the path is the transaction's staged file,
    renamed when the whole transaction commits. The finished file gets the permissions of the file
    it replaces, or the usual ones for a new file."""
    target = Path(target)
    tx = _current.get()
    staged = tx.staged_path(target) if tx is not None else None
    if staged is not None:
        yield staged
        return
    with OutputTransaction([target]) as own:
        yield own.staged_path(target)


def write_text_atomic(target: str | Path, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(target) as tmp:
        with open(tmp, "w", encoding=encoding, newline="") as f:
            f.write(text)
