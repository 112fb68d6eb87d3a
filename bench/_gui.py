"""Helpers for the GUI benches (`inbox_scale.py`, `live_latency.py`).

- `generate(data_dir, ...)`: a wadesk data dir with many conversations and messages, written
  fast (the store's own schema via `store.sqlite.connect`, then `executemany` straight into SQLite);
  a marker file lets a later run reuse the directory.
- `make_engine(data_dir)`: a real Engine on that dir, webhook server on 127.0.0.1 port 0, the
  secrets from environment variables (a null keyring: nothing touches the machine's keyring).
- `start_app(engine)`: the real `WadeskApp` (main window, inbox, bridge) running on the qasync
  loop, offscreen; `Heartbeat`: the longest gap between 5 ms timer ticks (UI-thread stalls),
  and how many ticks found a `probe()` true (e.g. the store in busy mode).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QSettings, QTimer

PNID = "106540352242922"
WABA = "102290129340398"
APP_SECRET = "bench-app-secret-0123456789"
ACCESS_TOKEN = "EAAbenchtoken" + "x" * 40
VERIFY_TOKEN = "bench-verify-token"
MARKER = "bench-inbox.json"

_WORDS = (
    "hello hi thanks booking appointment tomorrow today price how much open sunday monday "
    "haircut colour nails massage please confirm address parking card cash yes no maybe "
    "great perfect see you later morning evening afternoon available slot cancel change"
).split()


def bench_environ() -> None:
    """Secrets from the environment and a keyring that stores nothing."""
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    os.environ["WADESK_ACCESS_TOKEN"] = ACCESS_TOKEN
    os.environ["WADESK_APP_SECRET"] = APP_SECRET
    os.environ["WADESK_VERIFY_TOKEN"] = VERIFY_TOKEN


def _ts(value: datetime) -> str:
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _text(rng: random.Random, n: int) -> str:
    kind = n % 10
    words = rng.choices(_WORDS, k=rng.randint(2, 14) if kind < 8 else rng.randint(20, 60))
    text = " ".join(words).capitalize()
    if kind == 3:
        text = f"*{words[0]}* {text}"
    if kind == 9:
        text = text + "\n" + " ".join(rng.choices(_WORDS, k=8)) + "\nhttps://example.com/info"
    return f"{text} ({n})"


@dataclass(frozen=True, slots=True)
class Dataset:
    data_dir: Path
    conversations: int
    messages: int
    big: int
    big_conversation_id: int = 1

    def spec(self) -> dict[str, int]:
        return {"conversations": self.conversations, "messages": self.messages, "big": self.big}


def _message_rows(
    conv_id: int, count: int, first_id: int, end: datetime, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    step = timedelta(minutes=7)
    start = end - step * count
    for k in range(count):
        mid = first_id + k
        inbound = (k // 3) % 2 == 0
        ts = _ts(start + step * k)
        yield (
            mid,
            conv_id,
            f"wamid.bench.{mid}",
            "inbound" if inbound else "outbound",
            "text",
            "received" if inbound else "read",
            _text(rng, mid),
            "{}",
            ts,
            ts,
            ts,
            "webhook" if inbound else "user",
        )


def _db_file(data_dir: Path) -> Path:
    from wadesk.engine.config import Paths

    return Paths(data_dir, data_dir / "logs").db_file


def generate(data_dir: Path, conversations: int, messages: int, big: int) -> Dataset:
    """Write (or reuse) a data dir: `conversations` conversations, `messages` messages in all,
    conversation 1 (the most recent) holding `big` of them with consecutive ids."""
    from wadesk.engine.store.sqlite import connect

    data = Dataset(data_dir, conversations, messages, big)
    marker = data_dir / MARKER
    if marker.is_file() and json.loads(marker.read_text()) == data.spec():
        connect(_db_file(data_dir)).dispose()  # migrated to this wadesk's schema
        return data
    data_dir.mkdir(parents=True, exist_ok=True)
    db = _db_file(data_dir)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    marker.unlink(missing_ok=True)
    connect(db).dispose()  # the store's schema at the latest version
    rng = random.Random(5)
    now = datetime.now(UTC)
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA journal_mode = MEMORY")
    con.execute(
        "INSERT INTO number (id, label, phone, phone_number_id, waba_id, active, created_at,"
        " settings_json) VALUES (1, 'Bench', '+15550783881', ?, ?, 1, ?, '{}')",
        (PNID, WABA, _ts(now)),
    )
    con.executemany(
        "INSERT INTO contact (id, wa_id, profile_name, custom_fields_json, created_at, updated_at)"
        " VALUES (?, ?, ?, '{}', ?, ?)",
        (
            (i, f"3460{i:07d}", f"{rng.choice(_WORDS).title()} Customer {i}", _ts(now), _ts(now))
            for i in range(1, conversations + 1)
        ),
    )
    rest = messages - big
    per = rest // max(1, conversations - 1)
    extra = rest - per * max(0, conversations - 1)
    next_id = 1
    convs: list[tuple[Any, ...]] = []
    msg_sql = (
        "INSERT INTO message (id, conversation_id, wamid, direction, type, status, text,"
        " payload_json, timestamp, created_at, updated_at, origin)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    for conv_id in range(1, conversations + 1):
        count = big if conv_id == 1 else per + (1 if conv_id - 2 < extra else 0)
        end = now - timedelta(minutes=3 * (conv_id - 1))
        last_text = _text(rng, next_id + count - 1) if count else None
        convs.append(
            (
                conv_id,
                1,
                conv_id,
                _ts(end - timedelta(minutes=7)) if count else None,
                _ts(end - timedelta(minutes=7)) if count else None,
                (last_text or "")[:100] or None,
                conv_id % 5 if conv_id % 3 == 0 else 0,
                "open" if conv_id % 4 else "resolved",
                "bot" if conv_id % 2 else "human",
                _ts(now),
            )
        )
        if count:
            con.executemany(msg_sql, _message_rows(conv_id, count, next_id, end, rng))
        next_id += count
    con.executemany(
        "INSERT INTO conversation (id, number_id, contact_id, last_inbound_at, last_message_at,"
        " last_message_preview, unread_count, state, mode, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        convs,
    )
    con.commit()
    con.execute("PRAGMA journal_mode = WAL")
    con.close()
    marker.write_text(json.dumps(data.spec()))
    return data


def make_engine(data_dir: Path) -> Any:
    """A real Engine on `data_dir` (webhook server on 127.0.0.1, a free port)."""
    from wadesk.engine.config import Paths, Settings
    from wadesk.engine.logs import SecretRedactor
    from wadesk.engine.secrets import SecretStore
    from wadesk.engine.service import Engine

    bench_environ()
    redactor = SecretRedactor()
    settings = Settings(paths=Paths(data_dir, data_dir / "logs"), port=0)
    return Engine(settings, secrets=SecretStore(redactor), redactor=redactor)


class Heartbeat(QObject):
    """A 5 ms timer on the GUI thread; `max_gap_ms` is the longest time between two ticks."""

    def __init__(self, interval_ms: int = 5, probe: Any = None) -> None:
        super().__init__()
        self.interval_ms = interval_ms
        self.probe = probe
        """Optional `() -> bool` asked on every tick; `probed` counts the ticks it was true."""
        self.probed = 0
        self.max_gap_ms = 0.0
        self.gaps: list[float] = []
        self.long_gaps: list[tuple[float, float]] = []
        """(gap, GUI-thread CPU time in it) in ms, for gaps over 30 ms: a gap with little CPU
        was spent waiting (for the GIL, or the kernel), not computing."""
        self._cpu = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.max_gap_ms = 0.0
        self.probed = 0
        self.gaps.clear()
        self.long_gaps.clear()
        self._cpu = time.thread_time()
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        gap = self._clock.nsecsElapsed() / 1e6
        self._clock.restart()
        cpu, self._cpu = self._cpu, time.thread_time()
        if gap > 30.0:
            self.long_gaps.append((gap, (self._cpu - cpu) * 1000.0))
        self.gaps.append(gap)
        self.max_gap_ms = max(self.max_gap_ms, gap)
        if self.probe is not None and self.probe():
            self.probed += 1


async def start_app(engine: Any, settings_dir: Path) -> tuple[Any, asyncio.Task[int]]:
    """The real app (window, inbox, bridge) around `engine`, started on the running loop."""
    from PySide6.QtWidgets import QApplication

    from wadesk.ui.app import WadeskApp, configure_application

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    configure_application(app)
    settings = QSettings(str(settings_dir / "wadesk-ui.ini"), QSettings.Format.IniFormat)
    root = WadeskApp(app, lambda: engine, settings=settings, tray_available=False)
    root.window.resize(1280, 860)
    task = asyncio.ensure_future(root.run())
    return root, task


async def wait_for(predicate: Any, limit: float, what: str) -> float:
    """Poll `predicate` on the loop; returns the seconds it took (raises after `limit` s)."""
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > limit:
            raise TimeoutError(what)
        await asyncio.sleep(0.001)
    return time.perf_counter() - start


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"
