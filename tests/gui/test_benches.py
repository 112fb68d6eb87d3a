"""Smoke runs of the inbox benches with tiny sizes: they start the real app offscreen, measure,
and print every figure with its target and a PASS/MISS verdict (the figures themselves are
not judged here; bench/README.md says how to run them at full size)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, *args: str) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"))
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_inbox_scale_prints_its_figures(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "bench/inbox_scale.py",
        "--data-dir",
        str(tmp_path / "data"),
        "--conversations",
        "30",
        "--messages",
        "500",
        "--big",
        "300",
        "--scroll",
        "120",
        "--settle",
        "0",
    )
    assert "30 conversations, 500 messages (one with 300)" in out
    for needle in (
        "window shown with the list",
        "open 300-message conversation",
        "target <= 150 ms",
        "frame mean",
        "target no frame > 50 ms",
        "longest UI-thread stall while scrolling",
        "peak RSS",
        "target <= 300 MB",
    ):
        assert needle in out, out
    assert out.count("PASS") + out.count("MISS") == 4
    assert (tmp_path / "data" / "bench-inbox.json").is_file()  # reused by the next run


def test_live_latency_prints_its_figures(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        "bench/live_latency.py",
        "--rate",
        "40",
        "--duration",
        "1",
        "--baseline-rate",
        "10",
        "--baseline-duration",
        "0.5",
    )
    assert "40 webhooks at 40/s" in out and "40 answered 200, 0 not" in out
    for needle in ("baseline: POST → row in model p50", "load    : POST → row in model p50"):
        assert needle in out, out
    assert "target <= 100 ms" in out and "target <= 50 ms" in out
    assert out.count("PASS") + out.count("MISS") == 2
    assert "0 never" in out
    # the diagnostics: busy share, apply bites (every message went through one, timed in the
    # writer), GC pauses
    assert "store in busy mode" in out and "apply bites" in out, out
    assert "per event: queued behind other writes" in out and "the writer spent" in out, out
    assert "garbage collection" in out, out
