"""Which process runs the outbox of a data dir: an OS-level lock plus an instance file.

The engine's outbox (`wadesk serve`, the GUI, `wadesk demo`) takes `InstanceLock` when it
starts and gives it back when it stops. The lock is the truth: an exclusive, non-blocking
`flock` (`msvcrt.locking` on Windows) on `<data dir>/engine.lock`, which the OS drops when the
process dies — so a crashed or killed engine is never mistaken for a live one, whatever its
leftover instance file says. The instance file `<data dir>/engine.json` only tells a person (and
`wadesk send`) which process holds it: `{"pid": …, "started_at": …}`, written after the lock was
taken and removed at release. The lock file itself is never deleted (deleting it while another
process opens it would let two processes hold "the" lock).

    lock = InstanceLock(data_dir)
    if lock.acquire():      # no engine runs on data_dir: we are it
        ...
        lock.release()
    else:
        info = read_instance(data_dir)   # who runs it (pid), or None if it just stopped

All methods do file I/O: call them from an executor (`asyncio.to_thread`), not on the loop.
Nothing here is secret.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = "engine.lock"
INSTANCE_FILE = "engine.json"


@dataclass(frozen=True, slots=True)
class InstanceInfo:
    """What the instance file says about the process that holds the lock."""

    pid: int
    started_at: str


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


class InstanceLock:
    """The lock of one data dir's running engine (see the module docstring)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock without waiting and write the instance file; False when another
        process (or another `InstanceLock` in this one) holds it. True if already held."""
        if self._fd is not None:
            return True
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            return False
        self._fd = fd
        info = {"pid": os.getpid(), "started_at": datetime.now(UTC).isoformat()}
        target = self.data_dir / INSTANCE_FILE
        temp = target.with_suffix(".tmp")
        temp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(temp, target)
        return True

    def release(self) -> None:
        """Remove the instance file and give the lock back (nothing when not held)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            (self.data_dir / INSTANCE_FILE).unlink(missing_ok=True)
        finally:
            try:
                _unlock(fd)
            finally:
                os.close(fd)


def is_running(data_dir: Path) -> bool:
    """True when some process holds the data dir's lock (an engine's outbox runs there)."""
    try:
        fd = os.open(data_dir / LOCK_FILE, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        if _try_lock(fd):
            _unlock(fd)
            return False
        return True
    finally:
        os.close(fd)


def read_instance(data_dir: Path) -> InstanceInfo | None:
    """The instance file's contents, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((data_dir / INSTANCE_FILE).read_text(encoding="utf-8"))
        return InstanceInfo(int(data["pid"]), str(data.get("started_at", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
