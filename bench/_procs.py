"""Server processes for the ingest benchmark: start, wait ready, check, stop; and CPU accounting.

`start_reference` runs bench/_servers.py (bare aiohttp or pywa) and `start_wadesk` registers a
number in a fresh data dir and runs `wadesk serve` — each as its own process, optionally pinned
to one core. `WadeskCheck.after_run` waits for the background apply to drain and compares the
rows added to `raw_event` with the requests wrk saw answered 200. `CpuMeter` tells how much CPU
other processes on the machine used while wrk ran (this machine is shared).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _servers import HEALTH_PATH, SECRET_ENV, WEBHOOK_PATH
from _wrk import WrkResult

HERE = Path(__file__).resolve().parent
DB_FILE_NAME = "wadesk.sqlite3"


class BenchError(RuntimeError):
    """A server could not be started or checked; the message says why."""


@dataclass
class Running:
    """A started server process and what the bench knows about it."""

    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path
    notes: list[str] = field(default_factory=list)
    check: WadeskCheck | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{WEBHOOK_PATH}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pinner(core: int | None) -> Callable[[], None] | None:
    """A `preexec_fn` pinning the child (and every thread it starts) to `core`."""
    if core is None:
        return None

    def pin() -> None:
        os.sched_setaffinity(0, {core})

    return pin


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return int(resp.status), resp.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()


def tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_ready(run: Running, path: str, need_200: bool, timeout: float = 60.0) -> None:
    url = f"http://127.0.0.1:{run.port}{path}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if run.proc.poll() is not None:
            raise BenchError(
                f"{run.name} exited with {run.proc.returncode} before answering:\n{tail(run.log)}"
            )
        try:
            status, _ = http_get(url, timeout=1.0)
        except OSError:
            time.sleep(0.1)
            continue
        if status == 200 or not need_200:
            return
        time.sleep(0.1)
    raise BenchError(f"{run.name} did not answer {url} within {timeout:.0f} s:\n{tail(run.log)}")


def _spawn(
    name: str, cmd: list[str], env: dict[str, str], log: Path, core: int | None, port: int
) -> Running:
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=fh,
            stderr=subprocess.STDOUT,
            preexec_fn=pinner(core),
        )
    return Running(name=name, port=port, proc=proc, log=log)


def stop(run: Running) -> None:
    """SIGTERM and wait for exit (SIGKILL after 20 s, noted)."""
    if run.proc.poll() is not None:
        run.notes.append(f"server had already exited with {run.proc.returncode}")
        return
    run.proc.send_signal(signal.SIGTERM)
    try:
        run.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        run.proc.kill()
        run.proc.wait()
        run.notes.append("server ignored SIGTERM for 20 s and was killed")


def start_reference(
    kind: str, python: str, workdir: Path, core: int | None, secret: str
) -> Running:
    """bench/_servers.py `kind` (bare or pywa) under `python`, answering on a free port."""
    port = free_port()
    env = dict(os.environ)
    env[SECRET_ENV] = secret
    cmd = [python, str(HERE / "_servers.py"), kind, "--port", str(port)]
    run = _spawn(kind, cmd, env, workdir / f"{kind}.log", core, port)
    try:
        # pywa serves only the webhook path: any HTTP answer there means it is up.
        if kind == "bare":
            _wait_ready(run, HEALTH_PATH, need_200=True)
        else:
            _wait_ready(run, WEBHOOK_PATH, need_200=False)
    except BaseException:
        stop(run)
        raise
    return run


# --------------------------------------------------------------------------- wadesk


def find_wadesk(explicit: str | None) -> list[str] | None:
    """The `wadesk` command, if it exists and knows `serve`."""
    candidates: list[list[str]] = []
    if explicit:
        candidates.append([explicit])
    local = Path(sys.executable).with_name("wadesk")
    if local.exists():
        candidates.append([str(local)])
    candidates.append([sys.executable, "-m", "wadesk"])
    for cmd in candidates:
        try:
            proc = subprocess.run(
                [*cmd, "serve", "--help"], capture_output=True, timeout=60, check=False
            )
        except OSError:
            continue
        if proc.returncode == 0:
            return cmd
    return None


@dataclass(frozen=True)
class WadeskSetup:
    """What `wadesk numbers add` needs; the secrets go through the environment only."""

    cmd: list[str]
    access_token: str
    app_secret: str
    phone: str
    phone_number_id: str
    waba_id: str


def _redact(text: str, setup: WadeskSetup) -> str:
    return text.replace(setup.app_secret, "***").replace(setup.access_token, "***")


def start_wadesk(setup: WadeskSetup, data_dir: Path, core: int | None) -> Running:
    """Register the bench number in a fresh `data_dir`, then `wadesk serve` on a free port."""
    data_dir.mkdir()
    env = dict(os.environ)
    env.update(
        WADESK_DATA_DIR=str(data_dir),
        WADESK_ACCESS_TOKEN=setup.access_token,
        WADESK_APP_SECRET=setup.app_secret,
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    add = [
        *setup.cmd,
        *("numbers", "add", "--data-dir", str(data_dir), "--label", "bench"),
        *("--phone", setup.phone, "--phone-number-id", setup.phone_number_id),
        *("--waba-id", setup.waba_id),
    ]
    proc = subprocess.run(
        add,
        input=f"{setup.access_token}\n{setup.app_secret}\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if proc.returncode != 0:
        out = _redact(proc.stdout + proc.stderr, setup)
        raise BenchError(f"`wadesk numbers add` exited with {proc.returncode}:\n{out[-1500:]}")
    port = free_port()
    serve = [*setup.cmd, "serve", "--data-dir", str(data_dir)]
    serve += ["--host", "127.0.0.1", "--port", str(port)]
    run = _spawn("wadesk", serve, env, data_dir.parent / "wadesk.log", core, port)
    try:
        _wait_ready(run, HEALTH_PATH, need_200=True)
    except BaseException:
        stop(run)
        raise
    return run


def health(port: int) -> dict[str, Any]:
    status, body = http_get(f"http://127.0.0.1:{port}{HEALTH_PATH}", timeout=10)
    if status != 200:
        raise BenchError(f"/health answered {status}")
    data = json.loads(body)
    if not isinstance(data, dict):
        raise BenchError("/health did not answer a JSON object")
    return data


def raw_event_counts(db: Path) -> dict[str, int] | None:
    """`raw_event` rows by `result`, through a read-only connection (WAL: never blocks)."""
    if not db.exists():
        return None
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        rows = con.execute("SELECT result, count(*) FROM raw_event GROUP BY result").fetchall()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return {str(k): int(v) for k, v in rows}


class WadeskCheck:
    """After each wrk run: wait for the apply backlog to drain, then check storage."""

    def __init__(self, run: Running, db: Path, connections: int) -> None:
        self.run = run
        self.db = db
        self.connections = connections
        before = raw_event_counts(self.db) or {}
        self.rows_before = sum(before.values())
        self.ok: list[bool] = []

    def drain(self, timeout: float = 90.0) -> tuple[float, dict[str, Any]]:
        """Poll /health until `raw_events_pending` is 0 (or counts stop moving)."""
        start = time.monotonic()
        last: Any = None
        stable = 0
        counts: dict[str, Any] = {}
        while time.monotonic() - start < timeout:
            counts = health(self.run.port).get("counts") or {}
            pending = counts.get("raw_events_pending")
            if pending == 0:
                return time.monotonic() - start, counts
            stable = stable + 1 if pending is None and counts == last else 0
            if stable >= 5:
                return time.monotonic() - start, counts
            last = counts
            time.sleep(0.2)
        self.run.notes.append(f"apply backlog not drained after {timeout:.0f} s")
        return time.monotonic() - start, counts

    def after_run(self, result: WrkResult) -> None:
        seconds, counts = self.drain()
        notes = self.run.notes
        notes.append(f"background apply finished {seconds:.1f} s after wrk stopped")
        keys = ("raw_events", "messages", "contacts", "conversations", "pending_statuses")
        shown = {k: counts[k] for k in keys if k in counts}
        shown |= {k: v for k, v in counts.items() if k.startswith("raw_events_") and v}
        notes.append("/health counts: " + json.dumps(shown, separators=(",", ":")))
        by_result = raw_event_counts(self.db)
        if by_result is None:
            notes.append(f"could not read raw_event from {self.db}")
            self.ok.append(False)
            return
        rows = sum(by_result.values())
        stored, self.rows_before = rows - self.rows_before, rows
        # wrk stops with up to C requests in flight: the server may have committed those
        # although wrk never read their 200, so stored may exceed answered by at most C.
        extra = stored - result.ok
        ok = 0 <= extra <= self.connections
        self.ok.append(ok)
        notes.append(
            f"raw_event +{stored:,} rows for {result.ok:,} answered 200 ({extra:+d}: in flight "
            f"when wrk stopped, allowed 0..{self.connections}) -> {'PASS' if ok else 'MISS'}"
        )


# --------------------------------------------------------------------------- CPU accounting


def _proc_ticks(pid: int) -> int:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _total_ticks() -> int:
    with open("/proc/stat") as fh:
        parts = fh.readline().split()
    return int(parts[1]) + int(parts[2]) + int(parts[3])  # user + nice + system


class CpuMeter:
    """CPU seconds used by the server, by wrk, and by everything else while wrk ran."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.hz = os.sysconf("SC_CLK_TCK")
        self.t0 = time.monotonic()
        self.total0 = _total_ticks()
        self.server0 = _proc_ticks(server_pid)
        self.self0 = _proc_ticks(os.getpid())
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.children0 = ru.ru_utime + ru.ru_stime

    def stop(self) -> tuple[float, float, float]:
        """(server, wrk, others) in cores (CPU seconds per wall second)."""
        wall = max(time.monotonic() - self.t0, 1e-6)
        total = (_total_ticks() - self.total0) / self.hz
        server = (_proc_ticks(self.server_pid) - self.server0) / self.hz
        me = (_proc_ticks(os.getpid()) - self.self0) / self.hz
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        wrk = ru.ru_utime + ru.ru_stime - self.children0
        others = max(0.0, total - server - wrk - me)
        return server / wall, wrk / wall, others / wall


def wait_quiet(
    pids: list[int], *, below: float = 0.05, window: float = 0.5, timeout: float = 120.0
) -> float:
    """Wait until the processes `pids` together use less than `below` cores over `window`
    seconds (a server still working off its backlog — pywa runs its handlers after the 200 —
    would share the pinned core with the next server's run); returns the seconds waited."""
    hz = os.sysconf("SC_CLK_TCK")
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        before = sum(_proc_ticks(pid) for pid in pids)
        time.sleep(window)
        used = (sum(_proc_ticks(pid) for pid in pids) - before) / hz / window
        if used < below:
            break
    return time.monotonic() - start
