"""Ingest benchmark: `wadesk serve` against a bare aiohttp handler and pywa, driven by wrk.

    .venv/bin/python bench/ingest.py [--duration 10] [--connections 50] [--runs 2]
                                     [--only wadesk,bare,pywa] [--corpus 50000] [--json out.json]

Generates a corpus of distinct signed ~2 KB webhook bodies (bench/_bodies.py) and starts, each
as its own process: a bare aiohttp handler returning 200, pywa's built-in webhook server
(starlette + uvicorn, signature check, no persistence) and `wadesk serve` on a fresh temporary
data dir. Then, run after run, it drives each server in turn with wrk (`-t1 -cC -dDs
--latency`, a Lua script cycling through the corpus; runs interleaved so a noisy neighbour
hurts all servers alike) and prints req/s, ack latency p50/p99, non-2xx and socket errors, the
ratios wadesk/bare and wadesk/pywa, and PASS/MISS against the targets. After each wadesk run
it waits for the background apply to drain and checks that every acknowledged event is in
`raw_event`. By default each server is pinned to one core and wrk to the other.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _bodies
import _procs
import _wrk
from _servers import WEBHOOK_PATH

from wadesk.engine.cloudapi.signature import sign

SERVERS = ("bare", "pywa", "wadesk")
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
BUSY_WARNING = 0.25  # cores used by other processes during a run that make figures suspect
# Fixed, fake credentials: they only sign bench bodies, and are never printed.
BENCH_SECRET = "wadesk-bench-app-secret"
BENCH_TOKEN = "wadesk-bench-access-token-not-used"


@dataclass
class ServerFigures:
    """All runs of one server, plus notes (store check, drain time, ...)."""

    name: str
    runs: list[_wrk.WrkResult] = field(default_factory=list)
    others_load: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stored_ok: bool | None = None
    skipped: str | None = None

    @property
    def measured(self) -> bool:
        return not self.skipped and bool(self.runs)

    @property
    def rps(self) -> float:
        return median(r.rps for r in self.runs) if self.runs else 0.0

    @property
    def p50(self) -> float:
        return median(r.p50_ms for r in self.runs) if self.runs else 0.0

    @property
    def p99(self) -> float:
        return max(r.p99_ms for r in self.runs) if self.runs else 0.0

    @property
    def non_2xx(self) -> int:
        return sum(r.non_2xx for r in self.runs)

    @property
    def socket_errors(self) -> int:
        return sum(r.socket_errors for r in self.runs)


@dataclass(frozen=True)
class Plan:
    wrk: str
    script: Path
    workdir: Path
    duration: int
    connections: int
    threads: int
    runs: int
    server_core: int | None
    wrk_core: int | None


# --------------------------------------------------------------------------- servers


def _pywa_python(explicit: str | None) -> tuple[str | None, str]:
    """An interpreter that can import pywa, uvicorn and starlette, and a note about it."""
    candidates = [c for c in (explicit, os.environ.get("WADESK_BENCH_PYWA_PYTHON")) if c]
    candidates.append(sys.executable)
    probe = "import pywa, uvicorn, starlette; print(pywa.__version__, uvicorn.__version__)"
    for py in candidates:
        try:
            proc = subprocess.run(
                [py, "-c", probe], capture_output=True, text=True, timeout=60, check=False
            )
        except OSError:
            continue
        if proc.returncode == 0:
            pywa_v, uvicorn_v = proc.stdout.split()
            return py, f"pywa {pywa_v}, uvicorn {uvicorn_v} ({py})"
    return None, (
        "pywa + uvicorn + starlette are not importable (a bench-only dependency): make a "
        "scratch venv with `pip install 'pywa[server]'` and pass --pywa-python PATH"
    )


def start_servers(
    args: argparse.Namespace, plan: Plan, results: dict[str, ServerFigures]
) -> dict[str, _procs.Running]:
    """Start every selected server; a server that cannot start is reported as skipped."""
    running: dict[str, _procs.Running] = {}
    for name in SERVERS:
        if name not in args.only:
            continue
        try:
            if name == "bare":
                run = _procs.start_reference(
                    "bare", sys.executable, plan.workdir, plan.server_core, BENCH_SECRET
                )
            elif name == "pywa":
                py, note = _pywa_python(args.pywa_python)
                print(f"pywa: {note}")
                if py is None:
                    results[name] = ServerFigures(name, skipped=note)
                    continue
                run = _procs.start_reference(
                    "pywa", py, plan.workdir, plan.server_core, BENCH_SECRET
                )
            else:
                run = _start_wadesk(args, plan)
        except (_procs.BenchError, subprocess.TimeoutExpired) as exc:
            print(f"{name} could not start: {exc}")
            results[name] = ServerFigures(name, skipped=f"failed: {str(exc).splitlines()[0]}")
            continue
        results[name] = ServerFigures(name, notes=run.notes)
        running[name] = run
    return running


def _start_wadesk(args: argparse.Namespace, plan: Plan) -> _procs.Running:
    cmd = _procs.find_wadesk(args.wadesk)
    if cmd is None:
        raise _procs.BenchError("`wadesk serve --help` does not run (CLI not available yet)")
    setup = _procs.WadeskSetup(
        cmd=cmd,
        access_token=BENCH_TOKEN,
        app_secret=BENCH_SECRET,
        phone="+" + _bodies.DISPLAY_PHONE,
        phone_number_id=_bodies.PHONE_NUMBER_ID,
        waba_id=_bodies.WABA_ID,
    )
    data_dir = plan.workdir / "wadesk-data"
    run = _procs.start_wadesk(setup, data_dir, plan.server_core)
    run.check = _procs.WadeskCheck(run, data_dir / _procs.DB_FILE_NAME, plan.connections)
    return run


def measure(
    plan: Plan, running: dict[str, _procs.Running], results: dict[str, ServerFigures]
) -> None:
    """Interleaved runs: run 1 of every server, then run 2 of every server, ..."""
    offsets = dict.fromkeys(running, 0)
    for i in range(plan.runs):
        for name, run in running.items():
            fig = results[name]
            if fig.skipped:
                continue
            others = [r.proc.pid for n, r in running.items() if n != name]
            waited = _procs.wait_quiet(others)
            if waited > 1.0:
                fig.notes.append(f"run {i + 1} waited {waited:.1f} s for the other servers to idle")
            meter = _procs.CpuMeter(run.proc.pid)
            try:
                result, _ = _wrk.run_wrk(
                    plan.wrk,
                    run.url,
                    plan.script,
                    duration_s=plan.duration,
                    connections=plan.connections,
                    threads=plan.threads,
                    offset=offsets[name],
                    preexec=_procs.pinner(plan.wrk_core),
                )
            except (_wrk.WrkError, subprocess.TimeoutExpired) as exc:
                print(f"  {name} run {i + 1}: wrk failed: {exc}")
                fig.skipped = f"wrk failed: {str(exc).splitlines()[0]}"
                continue
            server_load, wrk_load, others = meter.stop()
            offsets[name] += result.requests + plan.connections
            fig.runs.append(result)
            fig.others_load.append(others)
            busy = "  <- machine busy, figures suspect" if others > BUSY_WARNING else ""
            print(
                f"  {name:<6} run {i + 1}/{plan.runs}: {result.rps:>8,.0f} req/s  "
                f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:7.2f} ms  "
                f"non-2xx {result.non_2xx}  sock err {result.socket_errors}  "
                f"cpu: server {server_load:.2f} wrk {wrk_load:.2f} others {others:.2f}{busy}",
                flush=True,
            )
            if run.check is not None:
                try:
                    run.check.after_run(result)
                except (_procs.BenchError, OSError, ValueError) as exc:
                    run.notes.append(f"store check failed: {exc}")


# --------------------------------------------------------------------------- report


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(results: dict[str, ServerFigures], plan: Plan, corpus: int) -> dict[str, Any]:
    print()
    head = f"{'server':<8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'sock err':>8}"
    print(head)
    print("-" * len(head))
    for name in SERVERS:
        fig = results.get(name)
        if fig is None:
            continue
        if not fig.measured:
            print(f"{name:<8} skipped: {fig.skipped or 'no run'}")
            continue
        print(
            f"{name:<8} {fig.rps:>9,.0f} {fig.p50:>8.2f} {fig.p99:>8.2f} "
            f"{fig.non_2xx:>8} {fig.socket_errors:>8}"
        )
    if plan.runs > 1:
        print(f"(req/s and p50: median of {plan.runs} runs; p99: worst run; errors: all runs)")
    summary: dict[str, Any] = {n: round(f.rps) for n, f in results.items() if f.measured}
    w = results.get("wadesk")
    print()
    if w is None or not w.measured:
        print("wadesk was not measured: no ratios")
        return summary
    for ref in ("bare", "pywa"):
        r = results.get(ref)
        if r is not None and r.measured and r.rps > 0:
            summary[f"wadesk/{ref}"] = round(w.rps / r.rps, 3)
    if "wadesk/bare" in summary:
        ratio = summary["wadesk/bare"]
        print(f"wadesk/bare = {ratio:.2f}      target >= {TARGET_RATIO}: "
              f"{_verdict(ratio >= TARGET_RATIO)}")  # fmt: skip
    if "wadesk/pywa" in summary:
        ratio = summary["wadesk/pywa"]
        print(f"wadesk/pywa = {ratio:.2f}      target > 1 (faster while persisting): "
              f"{_verdict(ratio > 1)}")  # fmt: skip
    print(f"wadesk p99  = {w.p99:.1f} ms   target <= {TARGET_P99_MS:.0f} ms: "
          f"{_verdict(w.p99 <= TARGET_P99_MS)}")  # fmt: skip
    all_ok = w.non_2xx == 0 and w.socket_errors == 0
    print(f"wadesk answered every request 200: {_verdict(all_ok)}")
    stored_ok = w.stored_ok
    if stored_ok is not None:
        print(f"wadesk stored every acknowledged event: {_verdict(stored_ok)}")
    total = sum(r.requests for r in w.runs)
    if total > corpus:
        print(
            f"note: wadesk got {total:,} requests from {corpus:,} distinct bodies, so "
            f"{total - corpus:,} were repeats: each repeat is acknowledged and stored as a raw "
            "event, but its messages/statuses are deduplicated (applied once, by wamid)."
        )
    summary.update(p99_ms=w.p99, all_200=all_ok, stored_ok=stored_ok, repeats=total - corpus)
    return summary


def _print_notes(results: dict[str, ServerFigures]) -> None:
    for name in SERVERS:
        fig = results.get(name)
        if fig is not None and fig.notes:
            print(f"{name}:\n  " + "\n  ".join(fig.notes))
        if fig is not None and fig.others_load and max(fig.others_load) > BUSY_WARNING:
            print(
                f"{name}: other processes used up to {max(fig.others_load):.2f} cores during "
                "its runs (shared machine): its figures are pessimistic"
            )


# --------------------------------------------------------------------------- main


def _parse_only(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    bad = [n for n in names if n not in SERVERS]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"--only takes a comma list of {', '.join(SERVERS)}")
    return names


def _cores(no_pin: bool) -> tuple[int | None, int | None]:
    cores = sorted(os.sched_getaffinity(0))
    if no_pin or len(cores) < 2:
        return None, None
    return cores[-1], cores[0]


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description="wadesk webhook ingest benchmark (wrk-driven)")
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    ap.add_argument("--connections", type=int, default=50, help="wrk connections (50)")
    ap.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    ap.add_argument("--runs", type=int, default=2, help="wrk runs per server (2)")
    ap.add_argument(
        "--only", type=_parse_only, default=list(SERVERS), help="comma list, e.g. wadesk,bare"
    )
    ap.add_argument("--corpus", type=int, default=50_000, help="distinct bodies (50000)")
    ap.add_argument("--no-pin", action="store_true", help="do not pin server and wrk to cores")
    ap.add_argument("--wrk", help="path to wrk (default: wrk on PATH)")
    ap.add_argument("--wadesk", help="path to the wadesk command (default: next to python)")
    ap.add_argument("--pywa-python", help="an interpreter with pywa[server] installed")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary dir (logs, db)")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    if min(args.duration, args.connections, args.threads, args.runs, args.corpus) < 1:
        ap.error("--duration, --connections, --threads, --runs and --corpus must be positive")
    wrk = _wrk.find_wrk(args.wrk)
    if wrk is None:
        print(_wrk.WRK_MISSING, file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="wadesk-bench-"))
    try:
        return _run(args, wrk, workdir)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _make_corpus(workdir: Path, n: int) -> Path:
    t0 = time.monotonic()
    bodies = _bodies.make_bodies(n)
    corpus = workdir / "corpus.tsv"
    _bodies.write_corpus(corpus, bodies, [sign(b, BENCH_SECRET) for b in bodies])
    avg = sum(map(len, bodies)) / len(bodies)
    n_status = sum(1 for b in bodies if b'"statuses":' in b)
    print(f"corpus: {len(bodies):,} distinct signed bodies, avg {avg:,.0f} B "
          f"({len(bodies) - n_status:,} inbound-message webhooks, {n_status:,} status batches; "
          f"built in {time.monotonic() - t0:.1f} s)")  # fmt: skip
    return corpus


def _run(args: argparse.Namespace, wrk: str, workdir: Path) -> int:
    t0 = time.monotonic()
    server_core, wrk_core = _cores(args.no_pin)
    print(f"wadesk ingest bench: {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {_wrk.wrk_version(wrk)}")  # fmt: skip
    if server_core is not None:
        print(f"pinning: every server process on CPU {server_core}, wrk on CPU {wrk_core} "
              "(one core each, so the load generator never competes with the server)")  # fmt: skip
    else:
        print("pinning: off")
    print(f"load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, "
          f"{args.runs} interleaved run(s) per server, POST {WEBHOOK_PATH}")  # fmt: skip
    corpus = _make_corpus(workdir, args.corpus)
    script = workdir / "post.lua"
    script.write_text(_wrk.lua_script(corpus, WEBHOOK_PATH))
    plan = Plan(
        wrk=wrk, script=script, workdir=workdir, duration=args.duration,
        connections=args.connections, threads=args.threads, runs=args.runs,
        server_core=server_core, wrk_core=wrk_core,
    )  # fmt: skip
    results: dict[str, ServerFigures] = {}
    running = start_servers(args, plan, results)
    try:
        measure(plan, running, results)
    finally:
        for name, run in running.items():
            _procs.stop(run)
            if run.proc.returncode not in (0, -15):
                print(
                    f"{name} exited with {run.proc.returncode}; log tail:\n{_procs.tail(run.log)}"
                )
    wadesk_check = running["wadesk"].check if "wadesk" in running else None
    if wadesk_check is not None and wadesk_check.ok:
        results["wadesk"].stored_ok = all(wadesk_check.ok)
    summary = report(results, plan, args.corpus)
    _print_notes(results)
    print(f"\ntotal bench time {time.monotonic() - t0:.0f} s")
    if args.json:
        payload = {
            "servers": {
                k: {
                    "runs": [asdict(r) | {"rps": r.rps} for r in v.runs],
                    "others_load": v.others_load,
                    "notes": v.notes,
                    "skipped": v.skipped,
                }
                for k, v in results.items()
            },
            "summary": summary,
        }
        args.json.write_text(json.dumps(payload, indent=2))
    return 0 if all(f.measured for f in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
