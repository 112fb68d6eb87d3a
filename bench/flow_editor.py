"""Editor frame time while panning a generated 500-node flow.

Builds a `FlowEditor` offscreen on a generated flow (`--nodes`, default 500; chains of texts and
buttons in a grid) and, as a baseline measured in the same run, one on a 10-node flow; zooms both
to 1:1 (or `--zoom`), then pans them step by step, alternating frames between the two so both
see the same machine load. A frame pans, renders the whole view into a QImage (a full repaint)
and lets Qt repaint the window (the exposed strip, the minimap). A second pass measures the
window's own repaint after a pan alone (what the user waits for).

Prints per frame mean / p50 / p95 / max of the wall time and of the main thread's CPU time (on
a loaded machine the wall clock mostly measures waiting for a core), the big / baseline ratio,
the minimap repaints, and the load average; the verdict judges the CPU p95 and the wall mean
against a 60 fps budget (16.7 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/flow_editor.py [--nodes 500] [--frames 120]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from tests.gui.flow_samples import big_flow
from wadesk.ui.flows.editor import FlowEditor

TARGET_MS = 16.7


class Run:
    def __init__(self, app: QApplication, nodes: int, zoom: float) -> None:
        self.app = app
        self.flow = big_flow(nodes)
        t0 = time.perf_counter()
        self.editor = FlowEditor(self.flow, lang="en")
        self.editor.resize(1600, 900)
        self.editor.show()
        app.processEvents()
        self.build_ms = (time.perf_counter() - t0) * 1000
        self.view = self.editor.view
        self.view.set_zoom(zoom)
        self.view.centerOn(QPointF(0, 0))
        app.processEvents()
        size = self.view.viewport().size()
        self.image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.minimap_start = getattr(self.view.minimap, "paints", 0)

        self.window_cpu: list[float] = []

    def frame(self, i: int) -> None:
        t0, c0 = time.perf_counter(), time.thread_time()
        self.view.pan_by(-40.0, -12.0 if (i // 30) % 2 == 0 else 12.0)
        painter = QPainter(self.image)
        self.view.render(painter)
        painter.end()
        self.app.processEvents()
        self.cpu.append((time.thread_time() - c0) * 1000)
        self.wall.append((time.perf_counter() - t0) * 1000)

    def window_frame(self, i: int) -> None:
        """Only what the window repaints after a pan (no full render)."""
        c0 = time.thread_time()
        self.view.pan_by(-40.0, -12.0 if (i // 30) % 2 == 0 else 12.0)
        self.app.processEvents()
        self.window_cpu.append((time.thread_time() - c0) * 1000)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def line(name: str, values: list[float]) -> str:
    return (
        f"  {name:<9} mean {statistics.fmean(values):6.1f}  p50 {pct(values, 0.5):6.1f}  "
        f"p95 {pct(values, 0.95):6.1f}  max {max(values):6.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--zoom", type=float, default=1.0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    load_before = os.getloadavg()
    big = Run(app, args.nodes, args.zoom)
    base = Run(app, 10, args.zoom)
    for _ in range(5):  # warm-up: caches, fonts
        big.frame(0)
        base.frame(0)
    big.wall.clear(), big.cpu.clear(), base.wall.clear(), base.cpu.clear()
    big.minimap_start = getattr(big.view.minimap, "paints", 0)
    pauses: list[float] = []
    gc_start: list[float] = []

    def on_gc(phase: str, _info: dict[str, object]) -> None:
        if phase == "start":
            gc_start.append(time.perf_counter())
        elif gc_start:
            pauses.append((time.perf_counter() - gc_start.pop()) * 1000)

    gc.callbacks.append(on_gc)
    try:
        for i in range(args.frames):
            big.frame(i)
            base.frame(i)
        for i in range(args.frames):
            big.window_frame(i)
            base.window_frame(i)
    finally:
        gc.callbacks.remove(on_gc)
    load_after = os.getloadavg()
    cores = os.cpu_count() or 1
    flow = big.flow
    print(
        f"flow editor: {len(flow.nodes)} nodes, {len(flow.edges)} edges, zoom {args.zoom}, "
        f"{args.frames} frames; baseline {len(base.flow.nodes)} nodes, interleaved"
    )
    print(
        f"  machine load (1/5/15 min) before {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f} on {cores} cores"
    )
    print(f"  build {big.build_ms:.0f} ms (baseline {base.build_ms:.0f} ms)")
    print(line("wall", big.wall))
    print(line("cpu", big.cpu))
    print(line("base wall", base.wall))
    print(line("base cpu", base.cpu))
    print(line("window", big.window_cpu) + "  (CPU; pan + window repaint, no full render)")
    print(line("base win", base.window_cpu))
    ratio = statistics.fmean(big.cpu) / max(statistics.fmean(base.cpu), 1e-9)
    print(f"  ratio {len(flow.nodes)}-node / baseline (mean CPU per frame): {ratio:.2f}x")
    minimap = getattr(big.view.minimap, "paints", 0) - big.minimap_start
    print(f"  minimap repaints: {minimap} in {2 * args.frames} frames (both passes)")
    gc_max = max(pauses) if pauses else 0.0
    print(f"  GC pauses: {len(pauses)}, total {sum(pauses):.1f} ms, max {gc_max:.1f} ms")
    cpu_p95, wall_mean = pct(big.cpu, 0.95), statistics.fmean(big.wall)
    verdict = "OK" if cpu_p95 <= TARGET_MS else "MISS"
    print(f"  CPU p95 {cpu_p95:.1f} ms (target ≤ {TARGET_MS} ms, 60 fps): {verdict}")
    if wall_mean > TARGET_MS:
        print(
            f"  wall mean {wall_mean:.1f} ms is over: with load {load_after[0]:.1f} on "
            f"{cores} cores the process waits for a core (compare the CPU figures)"
        )
    big.editor.shutdown()
    base.editor.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
