"""`wadesk` as a real subprocess, for the CLI tests: a free loopback port, the environment a CLI
process gets (repo on PYTHONPATH, a test keyring backend, no inherited `WADESK_*`), one-shot
commands (`wadesk(env, …)`, `add_number`), and `wadesk serve` started until it answers
(optionally until a test's own readiness check passes) and stopped with a signal — in a plain
and an asyncio form (the asyncio one lets a sandbox on the test's loop keep answering)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from tests import factories as f
from tests.conftest import REPO_ROOT

START_TIMEOUT = 30.0
POLL = 0.05


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_env(*, keyring: str, keyring_file: Path, **extra: str) -> dict[str, str]:
    """This process's environment without `WADESK_*`, plus the repo, the keyring backend and
    its file (for `tests.keyrings.FileKeyring`), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WADESK_")}
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        PYTHON_KEYRING_BACKEND=keyring,
        WADESK_TEST_KEYRING_FILE=str(keyring_file),
    )
    env.update(extra)
    return env


def wadesk(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `wadesk <args>` to the end (60 s at most)."""
    return subprocess.run(
        [sys.executable, "-m", "wadesk.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def add_number(env: dict[str, str], data: Path) -> None:
    """`wadesk numbers add` the factories' number ("Salon") to `data`, secrets on stdin."""
    r = wadesk(
        env,
        "numbers",
        "add",
        "--data-dir",
        str(data),
        "--label",
        "Salon",
        "--phone",
        "+15550783881",
        "--phone-number-id",
        f.PNID,
        "--waba-id",
        f.WABA,
        stdin=f"{f.ACCESS_TOKEN}\n{f.APP_SECRET}\n",
    )
    assert r.returncode == 0, r.stderr


def serve_argv(port: int, *args: str) -> list[str]:
    return [sys.executable, "-m", "wadesk.cli", "serve", *args, "--port", str(port)]


def health_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api/v1/health"


def answers(port: int) -> bool:
    """The engine on `port` answers its health check."""
    return httpx.get(health_url(port), timeout=1).status_code == 200


def start_serve(
    env: dict[str, str],
    port: int,
    *args: str,
    ready: Callable[[], bool] | None = None,
    what: str = "wadesk serve did not come up",
) -> subprocess.Popen[str]:
    """`wadesk serve <args> --port <port>` (stdout and stderr piped), once `ready()` (by default:
    the health check answers) is true; an exit before that fails with the process's stderr, a
    timeout with `what` (the process is killed)."""
    proc = subprocess.Popen(
        serve_argv(port, *args),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    check = ready if ready is not None else (lambda: answers(port))
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read() if proc.stderr else "serve exited")
        try:
            if check():
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(POLL)
    stop_serve(proc, signal.SIGKILL)
    raise AssertionError(what)


def stop_serve(proc: subprocess.Popen[str], sig: int = signal.SIGTERM, timeout: float = 20) -> str:
    """Send `sig` (if it still runs), wait (kill after `timeout`); returns what it printed."""
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.stdout.read() if proc.stdout is not None else ""


async def astart_serve(
    env: dict[str, str],
    port: int,
    *args: str,
    ready: Callable[[], Awaitable[bool]] | None = None,
) -> asyncio.subprocess.Process:
    """`start_serve` on the running loop (output discarded): once the health check answers and
    `ready()`, if given, is true."""
    proc = await asyncio.create_subprocess_exec(
        *serve_argv(port, *args),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_TIMEOUT
    async with httpx.AsyncClient() as http:
        while time.monotonic() < deadline:
            assert proc.returncode is None, "wadesk serve exited"
            try:
                reply = await http.get(health_url(port), timeout=1)
                if reply.status_code == 200 and (ready is None or await ready()):
                    return proc
            except httpx.HTTPError:
                pass
            await asyncio.sleep(POLL)
    proc.kill()
    await proc.wait()
    raise AssertionError("wadesk serve did not come up")


async def astop_serve(proc: asyncio.subprocess.Process, sig: int = signal.SIGTERM) -> None:
    """Send `sig` (if it still runs) and wait for the exit (30 s at most)."""
    if proc.returncode is None:
        proc.send_signal(sig)
    await asyncio.wait_for(proc.wait(), 30)
