"""The data dir's instance lock: one holder at a time, the instance file names it, and a dead
holder's leftover file does not count (the OS dropped its lock)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from wadesk.engine.instance import (
    INSTANCE_FILE,
    LOCK_FILE,
    InstanceLock,
    is_running,
    read_instance,
)


def test_one_holder_at_a_time_and_the_file_names_it(tmp_path: Path) -> None:
    assert not is_running(tmp_path) and read_instance(tmp_path) is None
    first, second = InstanceLock(tmp_path), InstanceLock(tmp_path)
    assert first.acquire() and first.held
    assert first.acquire()  # re-entrant for its holder
    assert not second.acquire() and not second.held  # even in the same process
    assert is_running(tmp_path)
    info = read_instance(tmp_path)
    assert info is not None and info.pid == os.getpid() and info.started_at
    first.release()
    assert not first.held and not (tmp_path / INSTANCE_FILE).exists()
    assert (tmp_path / LOCK_FILE).exists()  # never deleted (see the module docstring)
    assert not is_running(tmp_path)
    assert second.acquire()
    second.release()
    second.release()  # harmless when not held


def test_a_killed_holder_leaves_a_file_but_no_lock(tmp_path: Path) -> None:
    code = (
        "import sys, time; from pathlib import Path; from wadesk.engine.instance import "
        "InstanceLock; assert InstanceLock(Path(sys.argv[1])).acquire(); print('held', "
        "flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        assert is_running(tmp_path)
        assert not InstanceLock(tmp_path).acquire()
        info = read_instance(tmp_path)
        assert info is not None and info.pid == proc.pid
    finally:
        proc.kill()
        proc.wait()
    assert json.loads((tmp_path / INSTANCE_FILE).read_text())["pid"] == proc.pid  # stale file
    assert not is_running(tmp_path)
    lock = InstanceLock(tmp_path)
    assert lock.acquire()
    info = read_instance(tmp_path)
    assert info is not None and info.pid == os.getpid()  # the stale file was replaced
    lock.release()


def test_unreadable_instance_file_is_none(tmp_path: Path) -> None:
    (tmp_path / INSTANCE_FILE).write_text("{not json")
    assert read_instance(tmp_path) is None
    (tmp_path / INSTANCE_FILE).write_text(json.dumps({"started_at": "x"}))
    assert read_instance(tmp_path) is None
