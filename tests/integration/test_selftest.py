"""`wadesk --self-test` from source: a real process runs the app offscreen on a temporary
sandbox, receives and sends one message, quits cleanly and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_self_test_from_source_passes(tmp_path: Path) -> None:
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # no display: the self-test must choose offscreen itself
    done = subprocess.run(
        [sys.executable, "-m", "wadesk.cli", "--self-test"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=150,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "from source" in out
    assert "main window shown (offscreen)" in out
    assert "signed webhook" in out
    assert "accepted by the sandbox" in out
    assert "app closed cleanly" in out
    assert out.rstrip().splitlines()[-1].startswith("self-test: OK in")
    assert not list(tmp_path.glob("**/*.db")), "the self-test must not leave data behind"


BROKEN_SEND = """
import sys
import wadesk.selftest as selftest
from wadesk.engine.service import Engine

async def broken(self, *args, **kwargs):
    raise RuntimeError("outbox broken on purpose")

Engine.send = broken
sys.exit(selftest.run_self_test())
"""


def test_self_test_that_fails_says_which_step_and_exits_1(tmp_path: Path) -> None:
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, "-c", BROKEN_SEND],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=150,
    )
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert "customer message received through the signed webhook" in out  # steps before it ran
    assert out.rstrip().splitlines()[-1] == (
        "self-test: FAILED: RuntimeError: outbox broken on purpose"
    )
    assert "OK in" not in out
    assert "Traceback" not in out + done.stderr
    assert not list(tmp_path.glob("**/*.db")), "the self-test must not leave data behind"
