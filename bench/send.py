"""Benchmark: messages through the outbox against the Cloud API sandbox.

    .venv/bin/python bench/send.py                       # limits 80 and 1000, ~40 s
    .venv/bin/python bench/send.py --limits 80 --seconds 20 --recipients 400

For each throughput limit L (the sandbox enforces L msgs/s like Meta; the outbox is configured
with the same L) the script:

1. starts the sandbox in its own process (Meta is another machine; its CPU is not wadesk's),
   with statuses sent → delivered → read posted back as signed webhooks, so the engine ingests
   three webhooks per message while it sends;
2. starts an Engine on a fresh temp data dir, adds the demo number, registers the engine's
   webhook URL as the callback (Meta's GET challenge included);
3. burst: queues N = L × `--seconds` (at most `--max-messages`) template messages
   (hello_world, so no 24-hour window is needed — a broadcast) spread round-robin over
   `--recipients` recipients at once, and waits until every one is SENT;
4. paced: offers messages at half the limit for `--paced-seconds` and waits again;
5. prints the achieved msgs/s (first to last acceptance) against L, the violations the sandbox
   counted (130429 throughput, 131056 pair rate; must be 0), and p50/p99 queue-to-sent latency
   (MessageAdded → MessageUpdated(SENT) as the engine publishes them), and the engine's CPU per
   message (all threads, and the event loop's share). Secrets live in an in-memory keyring,
   never the machine's. In the burst phase the latency is mostly time spent waiting for the
   bucket (N/L/2 for the median); the paced phase shows the outbox's own overhead;
6. baseline, same run, same sandbox: the burst's messages POSTed by a bare httpx client (one
   AsyncClient, a token bucket at L, at most `max_in_flight` at once; no store, no outbox, no
   webhooks) — the msgs/s this machine can reach right now, and the HTTP client's own CPU per
   message. The outbox's msgs/s and CPU are printed as ratios to it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wadesk.core import outgoing  # noqa: E402
from wadesk.core.enums import MessageStatus  # noqa: E402
from wadesk.core.events import EngineEvent, MessageAdded, MessageUpdated  # noqa: E402
from wadesk.engine.config import Paths, Settings  # noqa: E402
from wadesk.engine.logs import SecretRedactor  # noqa: E402
from wadesk.engine.outbox import OutboxConfig  # noqa: E402
from wadesk.engine.ratelimit import AsyncTokenBucket, TokenBucket  # noqa: E402
from wadesk.engine.secrets import SecretStore  # noqa: E402
from wadesk.engine.service import Engine  # noqa: E402

PRODUCERS = 200


# --- the sandbox process -------------------------------------------------------------------


async def _sandbox_main(limit: float, recipients: int) -> None:
    from wadesk.engine.sandbox import Sandbox, demo_config

    config = demo_config(
        test_number=False,
        allowed_recipients=set(),
        throughput_per_second=limit,
        status_delays=(0.05, 0.3, 1.0),
    )
    box = Sandbox(config)
    await box.start()
    number = config.numbers[0]
    info = {
        "base_url": box.base_url,
        "phone_number_id": number.phone_number_id,
        "waba_id": number.waba_id,
        "phone": number.display_phone_number,
        "access_token": config.access_token,
        "app_secret": config.app_secret,
    }
    print(json.dumps(info), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
    await box.stop()


def _start_sandbox(limit: float, recipients: int) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--sandbox-child", str(limit), str(recipients)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        raise RuntimeError("the sandbox process did not start")
    return proc, json.loads(line)


# --- the engine side ---------------------------------------------------------------------------


@dataclass
class Tracker:
    """Queue-to-sent times from the engine's events."""

    added: dict[int, float] = field(default_factory=dict)
    sent: dict[int, float] = field(default_factory=dict)
    failed: int = 0

    def __call__(self, event: EngineEvent) -> None:
        now = time.perf_counter()
        if isinstance(event, MessageAdded) and event.inbound is None:
            self.added.setdefault(event.message.id, now)
        elif isinstance(event, MessageUpdated):
            message = event.message
            if message.status is MessageStatus.FAILED:
                self.failed += 1
            elif message.status is MessageStatus.SENT and message.id not in self.sent:
                self.sent[message.id] = now

    def latencies_ms(self, ids: list[int]) -> list[float]:
        return sorted((self.sent[i] - self.added[i]) * 1000 for i in ids if i in self.sent)


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


async def _wait_sent(tracker: Tracker, ids: list[int], limit: float) -> None:
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if all(i in tracker.sent for i in ids) or tracker.failed:
            return
        await asyncio.sleep(0.05)


async def _phase(
    engine: Engine,
    tracker: Tracker,
    number_id: int,
    wa_ids: list[str],
    count: int,
    rate: float | None,
) -> list[int]:
    """Queue `count` messages: all at once (`rate` None; like a bot answering many customers,
    up to `PRODUCERS` sends awaited concurrently) or one every 1/rate s; wait until sent."""
    gate = asyncio.Semaphore(PRODUCERS)

    async def one(n: int) -> int:
        to = wa_ids[n % len(wa_ids)]
        body = outgoing.template(to, "hello_world", "en_US")
        async with gate:
            message = await engine.send(number_id=number_id, to=to, body=body, origin="cli")
        return message.id

    tasks: list[asyncio.Task[int]] = []
    started = time.perf_counter()
    for n in range(count):
        if rate is not None:
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(n)))
    ids = list(await asyncio.gather(*tasks))
    await _wait_sent(tracker, ids, limit=count / (rate or 1.0) + 60)
    return ids


def _report(name: str, limit: float, tracker: Tracker, ids: list[int]) -> dict[str, Any]:
    times = sorted(tracker.sent[i] for i in ids if i in tracker.sent)
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else float("nan")
    lat = tracker.latencies_ms(ids)
    print(
        f"  {name:<6} {len(times):>6}/{len(ids):<6} sent  {rate:8.1f} msgs/s "
        f"({rate / limit:5.1%} of {limit:g})  queue→sent p50 {_pct(lat, 0.5):8.1f} ms  "
        f"p99 {_pct(lat, 0.99):8.1f} ms"
    )
    return {"sent": len(times), "queued": len(ids), "rate": rate, "p50_ms": _pct(lat, 0.5),
            "p99_ms": _pct(lat, 0.99)}  # fmt: skip


async def bare_baseline(
    info: dict[str, Any], limit: float, wa_ids: list[str], count: int
) -> tuple[float, float]:
    """The same template sends by a bare httpx client at `limit` (no store, no outbox):
    (msgs/s first to last answer, CPU ms per message)."""
    config = OutboxConfig(throughput_per_second=limit)
    bucket = AsyncTokenBucket(TokenBucket(limit, max(1.0, limit * 0.5), tokens=0.0))
    slots = asyncio.Semaphore(config.max_in_flight)
    done: list[float] = []
    headers = {"Authorization": f"Bearer {info['access_token']}"}
    url = f"{info['phone_number_id']}/messages"
    async with httpx.AsyncClient(base_url=f"{info['base_url']}/v23.0/", headers=headers) as http:

        async def one(n: int) -> None:
            body = outgoing.template(wa_ids[n % len(wa_ids)], "hello_world", "en_US")
            async with slots:
                await bucket.acquire()
                reply = await http.post(url, json=body)
            reply.raise_for_status()
            done.append(time.perf_counter())

        before = _cpu(resource.getrusage(resource.RUSAGE_SELF))
        await asyncio.gather(*(one(n) for n in range(count)))
        cpu = _cpu(resource.getrusage(resource.RUSAGE_SELF)) - before
    done.sort()
    rate = (len(done) - 1) / (done[-1] - done[0]) if len(done) > 1 else float("nan")
    return rate, cpu / max(1, count) * 1000


async def run_limit(limit: float, args: argparse.Namespace) -> dict[str, Any]:
    recipients = args.recipients or max(100, int(limit * args.seconds / 8))
    wa_ids = [f"4479{n:08d}" for n in range(recipients)]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc, info = _start_sandbox(limit, recipients)
    tracker = Tracker()
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    loop_before = time.thread_time()
    try:
        with tempfile.TemporaryDirectory(prefix="wadesk-bench-send-") as tmp:
            data = Path(tmp)
            redactor = SecretRedactor()
            settings = Settings(
                paths=Paths(data, data / "logs"), port=0, graph_base_url=info["base_url"]
            )
            engine = Engine(settings, secrets=SecretStore(redactor), redactor=redactor)
            engine.outbox.config = OutboxConfig(throughput_per_second=limit)
            engine.subscribe(tracker)
            await engine.start()
            try:
                number = await engine.add_number(
                    label="Bench", phone=info["phone"], phone_number_id=info["phone_number_id"],
                    waba_id=info["waba_id"], access_token=info["access_token"],
                    app_secret=info["app_secret"],
                )  # fmt: skip
                assert engine.server is not None and engine.verify_token is not None
                headers = {"Authorization": f"Bearer {info['access_token']}"}
                async with httpx.AsyncClient(base_url=info["base_url"], headers=headers) as http:
                    reply = await http.post(
                        f"/v23.0/{info['waba_id']}/subscribed_apps",
                        json={
                            "override_callback_uri": engine.server.url,
                            "verify_token": engine.verify_token,
                        },
                    )
                    reply.raise_for_status()
                    if args.no_webhooks:
                        await http.post(f"/v23.0/{info['waba_id']}/subscribed_apps", json={})
                    burst_n = min(int(limit * args.seconds), args.max_messages)
                    paced_n = min(int(limit / 2 * args.paced_seconds), args.max_messages // 2)
                    print(f"limit {limit:g} msgs/s: {burst_n} burst + {paced_n} paced messages"
                          f" to {recipients} recipients")  # fmt: skip
                    burst = await _phase(engine, tracker, number.id, wa_ids, burst_n, None)
                    burst_figures = _report("burst", limit, tracker, burst)
                    await asyncio.sleep(1.2)  # let the bucket refill
                    paced = await _phase(engine, tracker, number.id, wa_ids, paced_n, limit / 2)
                    paced_figures = _report("paced", limit / 2, tracker, paced)
                    counters = (await http.get("/_sandbox/counters")).json()
            finally:
                await engine.stop()
                self_after = resource.getrusage(resource.RUSAGE_SELF)
                loop_cpu = time.thread_time() - loop_before
        # the baseline waits until the sandbox's pair buckets are full again (≤ 8 per recipient)
        await asyncio.sleep(1.0)
        bare_rate, bare_cpu = await bare_baseline(info, limit, wa_ids, len(burst))
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = max(1, len(burst) + len(paced))
    engine_cpu = _cpu(self_after) - _cpu(self_before)
    cpu_ms = engine_cpu / total * 1000
    sandbox_cpu = _cpu(children_after) - _cpu(children_before)
    load = os.getloadavg()[0]
    meta_ms = sandbox_cpu / (total + len(burst)) * 1000
    print(
        f"  CPU per message: engine {cpu_ms:.2f} ms (event loop {loop_cpu / total * 1000:.2f}), "
        f"sandbox (Meta, baseline too) {meta_ms:.2f} ms; load average {load:.1f} on "
        f"{os.cpu_count()} CPUs (a busy machine lowers msgs/s, not the CPU per message)"
    )
    print(
        f"  baseline (bare httpx, same run): {bare_rate:8.1f} msgs/s ({bare_rate / limit:5.1%} "
        f"of {limit:g}), {bare_cpu:.2f} ms CPU per message; outbox burst / baseline: "
        f"{burst_figures['rate'] / bare_rate:.2f}× the rate, {cpu_ms / bare_cpu:.1f}× the CPU"
    )
    violations = counters["violations"]
    print(f"  sandbox violations: {counters['violations_total']} {violations or ''}  "
          f"errors: {counters['errors'] or 0}  failed: {tracker.failed}  "
          f"{'OK' if counters['violations_total'] == 0 else 'MISS'}")  # fmt: skip
    return {"limit": limit, "burst": burst_figures, "paced": paced_figures, "counters": counters,
            "engine_cpu_ms_per_message": cpu_ms, "loop_cpu_ms_per_message": loop_cpu / total * 1000,
            "baseline_rate": bare_rate, "baseline_cpu_ms_per_message": bare_cpu,
            "sandbox_cpu_ms_per_message": meta_ms}  # fmt: skip


async def main_async(args: argparse.Namespace) -> None:
    results = []
    for limit in args.limits:
        results.append(await run_limit(limit, args))
    if args.json:
        await asyncio.to_thread(Path(args.json).write_text, json.dumps(results, indent=2))


def main() -> None:
    if len(sys.argv) >= 2 and sys.argv[1] == "--sandbox-child":
        asyncio.run(_sandbox_main(float(sys.argv[2]), int(sys.argv[3])))
        return
    import keyring

    from tests.keyrings import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # the bench's secrets never reach the real keyring
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--limits",
        type=lambda s: [float(x) for x in s.split(",")],
        default=[80.0, 1000.0],
        help="comma-separated throughput limits in msgs/s (default 80,1000)",
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="burst size in seconds")
    parser.add_argument("--paced-seconds", type=float, default=4.0)
    parser.add_argument(
        "--max-messages", type=int, default=2000, help="cap of the burst (paced: half of it)"
    )
    parser.add_argument("--recipients", type=int, default=0, help="default: ≤8 msgs each")
    parser.add_argument(
        "--no-webhooks", action="store_true", help="status webhooks are not posted back"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
