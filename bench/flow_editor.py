"""Editor frame time while panning a generated 500-node flow.

Builds a `FlowEditor` offscreen on a generated flow (`--nodes`, default 500; chains of texts and
buttons in a grid), zooms to 1:1 (or `--zoom`), then pans step by step and renders the view into
a QImage per frame (what the screen would repaint). Prints mean / p95 / max frame ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/flow_editor.py [--nodes 500] [--frames 120]
"""

from __future__ import annotations

import argparse
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--zoom", type=float, default=1.0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    flow = big_flow(args.nodes)
    t0 = time.perf_counter()
    editor = FlowEditor(flow, lang="en")
    editor.resize(1600, 900)
    editor.show()
    app.processEvents()
    build_ms = (time.perf_counter() - t0) * 1000
    view = editor.view
    view.set_zoom(args.zoom)
    view.centerOn(QPointF(0, 0))
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    frames: list[float] = []
    for i in range(args.frames):
        start = time.perf_counter()
        view.pan_by(-40.0, -12.0 if (i // 30) % 2 == 0 else 12.0)
        painter = QPainter(image)
        view.render(painter)
        painter.end()
        app.processEvents()
        frames.append((time.perf_counter() - start) * 1000)
    frames.sort()
    p95 = frames[int(len(frames) * 0.95) - 1]
    mean = statistics.fmean(frames)
    print(f"flow editor: {len(flow.nodes)} nodes, {len(flow.edges)} edges, zoom {args.zoom}")
    print(f"  build {build_ms:.0f} ms")
    print(f"  pan frame: mean {mean:.1f} ms, p95 {p95:.1f} ms, max {frames[-1]:.1f} ms")
    verdict = "OK" if mean <= TARGET_MS else "MISS"
    print(f"  target mean <= {TARGET_MS} ms (60 fps): {verdict}")
    editor.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
