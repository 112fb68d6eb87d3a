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
