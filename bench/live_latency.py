"""Live latency: webhook POST → row in the inbox's Qt models, with the real app up offscreen.

Runs the real `WadeskApp` (real Engine on a temp data dir, webhook server on 127.0.0.1, one
number whose app secret comes from the environment), opens one conversation, then a separate
process (`_live_sender.py`, an aiohttp client) sends signed inbound-message webhooks at
`--rate` per second for `--duration` seconds: every tenth from the customer whose conversation
is open, the rest from 199 others. Each message's text starts with `live <seq>`.

A message counts as present when
- the open conversation's message model inserts its row (`rowsInserted`, by wamid), or
- the conversation list model shows its conversation with this message or a later one as the
  last message (`dataChanged` / `rowsInserted`, by the preview text) — the list shows one line
  per conversation, so that line is what "present" means there.
The latency is the present time minus the sender's `time.monotonic()` just before its POST
(CLOCK_MONOTONIC is shared by processes). A 5 ms heartbeat timer measures the longest gap on
the UI thread. A short run at `--baseline-rate` first gives the same-run baseline.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/live_latency.py [--rate 1000] [--duration 30]

Diagnostics printed with the figures: how often the store was in busy mode, the ingest's apply
bites (count, size, request → result time: POST → MessageAdded is mostly waiting for the next
bite plus one bite) and the garbage collections. To try settings without editing code:
`--bridge-interval MS`, `--frame-ms MS` (the inbox's paint pacing, 0 = off),
`--switch-interval MS` (the GIL switch interval; the app sets 1 ms); `--dump FILE` writes the
raw timelines;
`--screenshot FILE` saves the window after the flood.

Targets (issue 5): p95 <= 100 ms, longest UI stall <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication

from bench import _live_sender as sender
from bench._gui import Heartbeat, generate, make_engine, start_app, verdict, wait_for
from wadesk.ui.event_loop import EventLoop

P95_TARGET_MS = 100.0
STALL_TARGET_MS = 50.0
_SEQ = re.compile(r"^live (\d+)\b")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * q) - 1))] if ordered else 0.0


class GcClock:
    """How long the cyclic garbage collections take (`gc.callbacks`), per generation."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []
        self._start = 0.0
        self.recording = False
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif self.recording:
            self.pauses.append((info["generation"], (time.perf_counter() - self._start) * 1e3))

    def close(self) -> None:
        gc.callbacks.remove(self._on_gc)

    def summary(self) -> str:
        if not self.pauses:
            return "no garbage collection"
        longest = max(self.pauses, key=lambda p: p[1])
        return (
            f"{len(self.pauses)} garbage collections, {sum(p for _, p in self.pauses):.0f} ms "
            f"in all, the longest {longest[1]:.1f} ms (generation {longest[0]})"
        )


class BiteClock:
    """Times the ingest's apply bites (the store writes of `_apply_pending`): how many, how
    big, and how long from the request to the result (a diagnostic; wraps
    `store.write_nowait`). The ingest keeps two bites queued while events keep coming, so a
    bite's time from request to result includes the one before it."""

    def __init__(self, store: Any) -> None:
        self.bites: list[tuple[float, int]] = []  # (ms from write() to its result, events)
        self.starts: list[float] = []
        self.phases: list[tuple[float, float, float, float]] = []
        """Per bite (s): queued before the writer ran it, run (wall), run (writer CPU), and
        from its end to its result on the loop (commit + hand-back)."""
        self.recording = False
        original = store.write_nowait

        def write_nowait(fn: Any, *args: Any, **kwargs: Any) -> Any:
            if (
                not self.recording
                or getattr(getattr(fn, "func", None), "__name__", "") != "_apply_pending"
            ):
                return original(fn, *args, **kwargs)
            start = time.monotonic()
            inside: list[float] = []

            def timed(conn: Any) -> Any:
                began, cpu = time.monotonic(), time.thread_time()
                try:
                    return fn(conn)
                finally:
                    inside.extend((began, time.monotonic(), time.thread_time() - cpu))

            def done(future: Any) -> None:
                if future.cancelled() or future.exception() is not None:
                    return
                end = time.monotonic()
                self.bites.append(((end - start) * 1000.0, len(future.result()[0])))
                self.starts.append(start)
                if inside:
                    began, finished, cpu = inside
                    self.phases.append((began - start, finished - began, cpu, end - finished))

            future = original(timed, *args, **kwargs)
            future.add_done_callback(done)
            return future

        store.write_nowait = write_nowait

    def summary(self) -> str:
        full = [(ms, n) for ms, n in self.bites if n]
        if not full:
            return "no apply bites"
        times = [ms for ms, _ in full]
        sizes = [n for _, n in full]
        return (
            f"{len(full):,} apply bites, {sum(sizes) / len(full):.0f} events each on average "
            f"(max {max(sizes)}); write → result p50 {_pct(times, 0.5):.1f} ms, "
            f"p95 {_pct(times, 0.95):.1f} ms, max {max(times):.1f} ms"
            + self._phase_summary(sum(sizes))
        )

    def _phase_summary(self, events: int) -> str:
        if not self.phases:
            return ""
        queued, run, cpu, back = (sum(p[i] for p in self.phases) * 1000.0 for i in range(4))
        per = max(1, events)
        return (
            f"\n  per event: queued behind other writes {queued / per:.2f} ms, applying"
            f" {run / per:.2f} ms (writer CPU {cpu / per:.2f} ms), commit and hand-back to the"
            f" loop {back / per:.2f} ms; the writer spent {run / 1000.0:.1f} s applying"
        )


class Arrivals:
    """Watches the list model and the open conversation's model; records when each seq shows."""

    def __init__(self, page: Any) -> None:
        from wadesk.ui.inbox.conversation.roles import Role as MsgRole
        from wadesk.ui.inbox.list_model import Role as ListRole

        self._msg_role = MsgRole
        self._list_role = ListRole
        self.seen: dict[int, float] = {}
        self.best: dict[int, int] = {}  # customer → highest seq shown in the list
        self.list_model = page.model
        self.msg_model = page.conversation_view.model
        self.list_model.dataChanged.connect(self._on_list_changed)
        self.list_model.rowsInserted.connect(self._on_list_inserted)
        self.msg_model.rowsInserted.connect(self._on_messages_inserted)
        self.published: dict[int, float] = {}  # seq → when the engine published MessageAdded
        page.engine.subscribe(self._on_engine_event)

    def _on_engine_event(self, event: Any) -> None:
        wamid = getattr(getattr(event, "message", None), "wamid", None) or ""
        if type(event).__name__ == "MessageAdded" and wamid.startswith("wamid.live."):
            self.published.setdefault(int(wamid.rsplit(".", 1)[1]), time.monotonic())

    def _on_list_changed(self, top: QModelIndex, bottom: QModelIndex, _roles: Any = None) -> None:
        self._scan_list(top.row(), bottom.row())

    def _on_list_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._scan_list(first, last)

    def _scan_list(self, first: int, last: int) -> None:
        now = time.monotonic()
        model = self.list_model
        for row in range(first, min(last, model.rowCount() - 1) + 1):
            conv_id = model.index(row, 0).data(self._list_role.ID)
            cached = model.cached(conv_id) if conv_id is not None else None
            if cached is None:
                continue
            found = _SEQ.match(cached.conversation.last_message_preview or "")
            if found:
                seq = int(found.group(1))
                customer = sender.customer_of(seq)
                if seq > self.best.get(customer, -1):
                    self.best[customer] = seq
                    self.seen.setdefault(-1 - seq, now)  # list marks: negative keys

    def _on_messages_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        now = time.monotonic()
        for row in range(first, last + 1):
            message = self.msg_model.index(row).data(self._msg_role.MESSAGE)
            wamid = getattr(message, "wamid", None) or ""
            if wamid.startswith("wamid.live."):
                self.seen.setdefault(int(wamid.rsplit(".", 1)[1]), now)

    def published_subset(self, sent: dict[int, float]) -> dict[int, float]:
        return {seq: self.published[seq] for seq in sent if seq in self.published}

    def latencies(self, sent: dict[int, float]) -> tuple[list[float], int]:
        """Per sent seq: first time it was present (its own row, or its list line showing it or
        a later message of the same customer)."""
        marks: dict[int, list[tuple[int, float]]] = {}
        for key, at in self.seen.items():
            if key < 0:
                seq = -1 - key
                marks.setdefault(sender.customer_of(seq), []).append((seq, at))
        for items in marks.values():
            items.sort()
        result: list[float] = []
        missing = 0
        for seq, t_sent in sent.items():
            times = []
            if seq in self.seen:
                times.append(self.seen[seq])
            for mark_seq, at in marks.get(sender.customer_of(seq), ()):
                if mark_seq >= seq and at >= t_sent:
                    times.append(at)
                    break
            if times:
                result.append((min(times) - t_sent) * 1000.0)
            else:
                missing += 1
        return result, missing


def _dump(path: Path, arrivals: Arrivals, sent: dict[int, Any], bites: Any, beat: Any) -> None:
    """Raw timelines for a closer look: per message (sent, present, published) and per bite."""
    ok = {seq: at for seq, (at, status) in sent.items() if status == 200}
    lines = []
    for seq, at in sorted(ok.items(), key=lambda kv: kv[1]):
        lat, _ = arrivals.latencies({seq: at})
        pub = arrivals.published.get(seq)
        lines.append(
            f"m {at:.4f} {lat[0] if lat else -1:.1f} {(pub - at) * 1000 if pub else -1:.1f}"
        )
    for start, (ms, n) in zip(bites.starts, bites.bites, strict=True):
        lines.append(f"b {start:.4f} {ms:.1f} {n}")
    path.write_text("\n".join(lines) + "\n")


async def _phase(url: str, rate: int, duration: float, first: int, out_dir: Path) -> dict[int, Any]:
    out = out_dir / f"sent-{first}.txt"
    script = Path(__file__).with_name("_live_sender.py")
    command = [sys.executable, str(script), url, str(rate), str(duration), str(first), str(out)]
    loop = asyncio.get_running_loop()
    proc = await loop.run_in_executor(None, subprocess.run, command)
    if proc.returncode != 0:
        raise RuntimeError(f"the sender failed with exit status {proc.returncode}")
    sent: dict[int, Any] = {}
    for line in out.read_text().splitlines():
        seq, at, status = line.split()
        sent[int(seq)] = (float(at), int(status))
    return sent


async def _measure(arrivals: Arrivals, sent: dict[int, Any], drain: float) -> dict[str, Any]:
    ok = {seq: at for seq, (at, status) in sent.items() if status == 200}
    deadline = time.monotonic() + drain
    lat, missing = arrivals.latencies(ok)
    while missing and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        lat, missing = arrivals.latencies(ok)
    # the UI's share: engine publishes MessageAdded → present in the model
    ui_lat, _ = arrivals.latencies(arrivals.published_subset(ok))
    engine = [
        (arrivals.published[seq] - at) * 1000.0
        for seq, at in ok.items()
        if seq in arrivals.published
    ]
    return {
        "engine": engine,
        "ui": ui_lat,
        "sent": len(sent),
        "ok": len(ok),
        "bad": len(sent) - len(ok),
        "lat": lat,
        "missing": missing,
    }


async def run(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="wadesk-bench-live-"))
    generate(work / "data", 0, 0, 0)  # an empty store with the bench number
    engine = make_engine(work / "data")
    root, task = await start_app(engine, work)
    if args.switch_interval is not None:  # after the app set its own
        sys.setswitchinterval(args.switch_interval / 1000.0)
    switch_ms = sys.getswitchinterval() * 1000.0
    try:
        await wait_for(lambda: root.engine_started and root.window.page("inbox"), 60, "start")
        page = root.window.page("inbox")
        if args.frame_ms is not None:
            page.paint_pacer.interval_ms = args.frame_ms
        if args.bridge_interval is not None:
            root.bridge.set_interval(args.bridge_interval)
        page.conversation_view.mark_read_on_open = False
        url = engine.server.url
        arrivals = Arrivals(page)
        # the open conversation: the first message of customer 0
        await _phase(url, 1, 1.0, 0, work)
        await wait_for(lambda: page.model.rowCount() > 0, 30, "first conversation")
        page.select(page.model.ids()[0])
        await wait_for(lambda: arrivals.msg_model.rowCount() > 0, 30, "open conversation")
        await asyncio.sleep(0.5)
        beat = Heartbeat(probe=lambda: engine.store.busy)
        bites = BiteClock(engine.store)
        gcs = GcClock()
        beat.start()
        base_sent = await _phase(url, args.baseline_rate, args.baseline_duration, 1, work)
        beat.stop()
        base = await _measure(arrivals, base_sent, 10.0)
        base_stall = beat.max_gap_ms
        await asyncio.sleep(0.5)
        beat.start()
        bites.recording = gcs.recording = True
        main_sent = await _phase(url, args.rate, args.duration, 1_000_000, work)
        bites.recording = gcs.recording = False
        gcs.close()
        beat.stop()
        main = await _measure(arrivals, main_sent, 30.0)
        stall = beat.max_gap_ms
        if args.dump:
            _dump(Path(args.dump), arrivals, main_sent, bites, beat)
        gaps = sorted(beat.gaps)
        long_gaps = sorted(beat.long_gaps, reverse=True)[:5]
        busy_share = beat.probed / max(1, len(beat.gaps))
        pending = page.model.rowCount()
        if args.screenshot:
            await asyncio.sleep(0.2)  # the last held frame is painted
            root.window.grab().save(args.screenshot)
    finally:
        root.request_quit()
        await asyncio.wait_for(task, 60)
    span = max(a for a, _ in main_sent.values()) - min(a for a, _ in main_sent.values())
    print(
        f"live latency: {main['sent']:,} webhooks at {args.rate}/s for {args.duration:.0f} s "
        f"(achieved {main['sent'] / max(span, 1e-6):,.0f}/s); {main['ok']:,} answered 200, "
        f"{main['bad']} not; {pending} conversations listed"
    )
    for name, result in (("baseline", base), ("load", main)):
        lat = result["lat"]
        if not lat:
            print(f"  {name}: nothing arrived")
            continue
        print(
            f"  {name:8}: POST → row in model p50 {_pct(lat, 0.5):6.1f} ms  "
            f"p95 {_pct(lat, 0.95):6.1f} ms  max {max(lat):7.1f} ms  "
            f"({len(lat):,} present, {result['missing']} never)"
        )
        eng = result["engine"]
        if eng:
            print(
                f"            of which POST → engine publishes MessageAdded: "
                f"p50 {_pct(eng, 0.5):6.1f} ms  p95 {_pct(eng, 0.95):6.1f} ms  max {max(eng):7.1f} ms"
            )
        ui = result["ui"]
        if ui:
            print(
                f"            and MessageAdded → row in model (the UI's share):     "
                f"p50 {_pct(ui, 0.5):6.1f} ms  p95 {_pct(ui, 0.95):6.1f} ms  max {max(ui):7.1f} ms"
            )
    lat = main["lat"]
    p95 = _pct(lat, 0.95) if lat else float("inf")
    ratio = p95 / max(_pct(base["lat"], 0.95), 1e-6) if base["lat"] else 0.0
    print(
        f"  p95 {p95:.1f} ms   target <= {P95_TARGET_MS:.0f} ms: "
        f"{verdict(p95 <= P95_TARGET_MS and main['missing'] == 0)}   "
        f"(load/baseline ratio {ratio:.2f})"
    )
    print(
        f"  longest UI-thread stall {stall:.0f} ms (baseline {base_stall:.0f} ms, "
        f"p99 gap {_pct(gaps, 0.99):.0f} ms)   target <= {STALL_TARGET_MS:.0f} ms: "
        f"{verdict(stall <= STALL_TARGET_MS)}"
    )
    if long_gaps:
        shown = ", ".join(f"{gap:.0f} ms (CPU {cpu:.0f})" for gap, cpu in long_gaps)
        print(
            f"  gaps over 30 ms: {len(beat.long_gaps)}; the longest, with the GUI thread's CPU time: {shown}"
        )
    print(
        f"  store in busy mode (apply throttled to small bites) on {100 * busy_share:.0f} % "
        f"of the heartbeat ticks under load"
    )
    print(f"  {bites.summary()}")
    print(f"  {gcs.summary()}")
    print(
        f"  machine load (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"GIL switch interval {switch_ms:g} ms"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, default=1000, help="webhooks per second")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds")
    parser.add_argument(
        "--bridge-interval", type=int, default=None, help="ms (default: the app's own)"
    )
    parser.add_argument(
        "--frame-ms", type=int, default=None, help="paint pacing under load, ms (0: off)"
    )
    parser.add_argument(
        "--switch-interval", type=float, default=None, help="GIL switch interval, ms"
    )
    parser.add_argument("--dump", default=None, help="write raw timelines to this file")
    parser.add_argument("--screenshot", default=None, help="save the window here (PNG)")
    parser.add_argument("--baseline-rate", type=int, default=20)
    parser.add_argument("--baseline-duration", type=float, default=2.0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from wadesk.ui.app import GcCollector

    collector = GcCollector()
    try:
        with asyncio.Runner(loop_factory=EventLoop) as runner:
            return runner.run(run(args))
    finally:
        collector.stop()
        del app


if __name__ == "__main__":
    raise SystemExit(main())
