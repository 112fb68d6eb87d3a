"""Inbox at scale: the real app window on 10,000 conversations and 1,000,000 messages.

Generates (or reuses, see `--data-dir`) a data dir with `--conversations` conversations and
`--messages` messages, conversation 1 — the most recent — holding `--big` of them; then runs
the real `WadeskApp` (real Engine, webhook server on loopback) offscreen and prints:

- the time from building the app to the window showing the list with its first rows;
- the time to open the big conversation (select it in the list → its last page painted), next
  to the same for a small conversation (the baseline of the same run);
- the frames while scrolling up through `--scroll` messages of it, one `--step` px scroll per
  frame, each frame the scroll plus a paint of the list (`grab()`): mean / p95 / max, next to a
  paint without scrolling (baseline), and the longest UI-thread stall meanwhile (a 5 ms
  heartbeat timer: history pages arriving, relayouts);
- the peak RSS of the process.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/inbox_scale.py [--data-dir DIR]
    .venv/bin/python bench/inbox_scale.py --conversations 50 --messages 2000 --big 1000 \\
        --scroll 300        # a quick run

Targets (issue 5): open <= 150 ms, no frame > 50 ms, peak RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from bench._gui import Heartbeat, generate, make_engine, start_app, verdict, wait_for
from wadesk.ui.event_loop import EventLoop

OPEN_TARGET_MS = 150.0
FRAME_TARGET_MS = 50.0
RSS_TARGET_MB = 300.0


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else 0.0


async def _open(page: Any, conversation_id: int) -> float:
    """Select a conversation in the list; seconds until its last page is painted."""
    from wadesk.ui.inbox.conversation.roles import Role

    view = page.conversation_view
    model, listview = view.model, view.list
    start = time.perf_counter()
    if not page.select(conversation_id):
        page.open_conversation(conversation_id)

    def shown() -> bool:
        rows = model.rowCount()
        if model.conversation_id != conversation_id or rows == 0:
            return False
        return bool(model.index(rows - 1).data(Role.LOADED)) and listview.at_bottom()

    await wait_for(shown, 30, f"conversation {conversation_id} did not open")
    listview.viewport().grab()
    return time.perf_counter() - start


async def _scroll(view: Any, messages: int, step: int, progress: bool) -> dict[str, Any]:
    from wadesk.ui.inbox.conversation.roles import Role

    model, listview = view.model, view.list
    bar = listview.verticalScrollBar()
    newest = model.ids()[-1]
    base: list[float] = []
    for _ in range(30):
        start = time.perf_counter()
        listview.viewport().grab()
        base.append(_ms(time.perf_counter() - start))
        await asyncio.sleep(0)
    frames: list[float] = []
    waits = 0
    beat = Heartbeat()
    beat.start()
    scrolled = 0
    while True:
        top = listview.indexAt(QPoint(20, 2))
        top_id = top.data(Role.ID) if top.isValid() else None
        scrolled = newest - int(top_id) if top_id is not None else scrolled
        if scrolled >= messages:
            break
        if bar.value() <= 0:
            if not model.has_more:
                break
            waits += 1
            value = bar.value()
            await wait_for(lambda v=value: bar.value() > v or not model.has_more, 30, "history")
            continue
        start = time.perf_counter()
        bar.setValue(bar.value() - step)
        listview.viewport().grab()
        frames.append(_ms(time.perf_counter() - start))
        if progress and len(frames) % 100 == 0:
            print(
                f"    … {scrolled:,} messages, {model.rowCount():,} rows, last 100 frames max "
                f"{max(frames[-100:]):.0f} ms, stall so far {beat.max_gap_ms:.0f} ms",
                file=sys.stderr,
            )
        await asyncio.sleep(0)
    beat.stop()
    return {
        "frames": frames,
        "base": base,
        "scrolled": scrolled,
        "waits": waits,
        "stall": beat.max_gap_ms,
        "rows": model.rowCount(),
        "cached": model.cached_count(),
    }


async def run(args: argparse.Namespace, data: Any, generated_s: float | None) -> int:
    engine = make_engine(data.data_dir)
    settings_dir = Path(tempfile.mkdtemp(prefix="wadesk-bench-ui-"))
    start = time.perf_counter()
    root, task = await start_app(engine, settings_dir)
    from wadesk.ui.inbox.list_model import Role as ListRole

    def listed() -> bool:
        page = root.window.page("inbox")
        if page is None or not hasattr(page, "model"):
            return False
        model = page.model
        return (
            model.rowCount() > 0
            and bool(model.index(0, 0).data(ListRole.LOADED))
            and root.engine_started
        )

    try:
        await wait_for(listed, 120, "the conversation list did not load")
        root.window.grab()
        show_s = time.perf_counter() - start
        page = root.window.page("inbox")
        page.conversation_view.mark_read_on_open = False  # no read receipts to Meta
        # like a person would: start-up is over (including the GC collector's one-time freeze
        # of the start-up objects on its first tick, 5 s after start)
        await asyncio.sleep(max(0.3, args.settle - (time.perf_counter() - start)))
        ids = page.model.ids()
        await _open(page, ids[min(6, len(ids) - 1)])  # warm-up: the first open builds caches
        await page.conversation_view.settle()
        small_id = ids[min(5, len(ids) - 1)]
        small_s = await _open(page, small_id)
        await page.conversation_view.settle()
        await asyncio.sleep(0.2)
        beat = Heartbeat()
        beat.start()
        open_s = await _open(page, data.big_conversation_id)
        beat.stop()
        open_stall = beat.max_gap_ms
        await page.conversation_view.settle()
        scroll = await _scroll(page.conversation_view, args.scroll, args.step, args.progress)
        gc.collect()
        rss = _rss_mb()
    finally:
        root.request_quit()
        await asyncio.wait_for(task, 30)
    frames: list[float] = scroll["frames"]
    base: list[float] = scroll["base"]
    max_frame = max(frames) if frames else 0.0
    open_ms = _ms(open_s)
    print(
        f"inbox scale: {data.conversations:,} conversations, {data.messages:,} messages "
        f"(one with {data.big:,})"
    )
    how = f"generated in {generated_s:.1f} s" if generated_s is not None else "reused"
    print(f"  data dir {data.data_dir} ({how})")
    print(f"  window shown with the list        {_ms(show_s):8.0f} ms")
    print(
        f"  open {data.big:,}-message conversation {open_ms:6.0f} ms   "
        f"target <= {OPEN_TARGET_MS:.0f} ms: {verdict(open_ms <= OPEN_TARGET_MS)}"
    )
    print(
        f"    baseline: open a small conversation {_ms(small_s):.0f} ms "
        f"(ratio {open_s / small_s if small_s else 0:.2f}); longest UI stall while opening "
        f"{open_stall:.0f} ms"
    )
    print(
        f"  scroll {scroll['scrolled']:,} messages, {len(frames)} frames of {args.step} px "
        f"({scroll['waits']} waits for history; {scroll['rows']:,} rows in the model, "
        f"{scroll['cached']:,} cached)"
    )
    if frames:
        slow = sum(1 for f in frames if f > FRAME_TARGET_MS)
        print(
            f"    frame mean {statistics.fmean(frames):.1f} ms, p95 {_p95(frames):.1f} ms, "
            f"max {max_frame:.1f} ms ({slow} of {len(frames)} frames > {FRAME_TARGET_MS:.0f} ms)"
            f"   target no frame > {FRAME_TARGET_MS:.0f} ms: {verdict(max_frame <= FRAME_TARGET_MS)}"
        )
        print(
            f"    baseline paint without scrolling: mean {statistics.fmean(base):.1f} ms "
            f"(frame/paint ratio {statistics.fmean(frames) / max(statistics.fmean(base), 1e-6):.2f})"
        )
    print(
        f"    longest UI-thread stall while scrolling {scroll['stall']:.0f} ms   "
        f"target <= {FRAME_TARGET_MS:.0f} ms: {verdict(scroll['stall'] <= FRAME_TARGET_MS)}"
    )
    print(
        f"  peak RSS {rss:.0f} MB   target <= {RSS_TARGET_MB:.0f} MB: "
        f"{verdict(rss <= RSS_TARGET_MB)}"
    )
    print(f"  machine load (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="generated data (reused)")
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--scroll", type=int, default=10_000, help="messages to scroll through")
    parser.add_argument("--step", type=int, default=300, help="pixels per scroll frame")
    parser.add_argument("--progress", action="store_true", help="progress lines on stderr")
    parser.add_argument(
        "--settle", type=float, default=6.0, help="seconds after start before measuring"
    )
    args = parser.parse_args()
    if args.big > args.messages or args.conversations < 2:
        parser.error("need --big <= --messages and at least 2 conversations")
    data_dir = args.data_dir or Path(tempfile.gettempdir()) / (
        f"wadesk-inbox-scale-{args.conversations}-{args.messages}-{args.big}"
    )
    start = time.perf_counter()
    data = generate(data_dir, args.conversations, args.messages, args.big)
    took = time.perf_counter() - start
    generated = took if took > 1.0 else None
    app = QApplication.instance() or QApplication([])
    from wadesk.ui.app import GcCollector

    collector = GcCollector()
    try:
        with asyncio.Runner(loop_factory=EventLoop) as runner:
            return runner.run(run(args, data, generated))
    finally:
        collector.stop()
        del app


if __name__ == "__main__":
    raise SystemExit(main())
