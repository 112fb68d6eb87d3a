"""`wadesk send` goes through the outbox: handed to the running engine (`wadesk serve` in another
process) when there is one, sent by the CLI's own outbox when there is none; refused locally
outside the 24-hour window; a killed engine's leftover instance file is not a running engine.

The sandbox (Meta) runs in the test's loop on 127.0.0.1; the CLI and `wadesk serve` are real
subprocesses on one data dir, started with asyncio so the sandbox keeps answering meanwhile."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest

from tests import factories as f
from tests.integration.sandbox_engine import FAST_SANDBOX, _make_engine
from tests.integration.serve_proc import astart_serve, astop_serve, cli_env, free_port
from tests.keyrings import MemoryKeyring
from wadesk.core.errors import WINDOW_CLOSED, GraphError, LocalError
from wadesk.engine.config import DB_FILE_NAME
from wadesk.engine.instance import INSTANCE_FILE, is_running, read_instance
from wadesk.engine.sandbox import Sandbox, demo_config


@dataclass
class Env:
    sandbox: Sandbox
    data: Path
    env: dict[str, str]
    label: str

    def wa_id(self, n: int) -> str:
        return self.sandbox.config.customers[n].wa_id


async def run(
    env: dict[str, str], *args: str, stdin: str = "", limit: float = 60
) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "wadesk.cli",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin.encode()), limit)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    """A running sandbox, and a data dir with its number (secrets in a keyring file that the
    subprocesses read; adding it in-process saves a CLI start-up)."""
    config = demo_config(**FAST_SANDBOX)
    sandbox = Sandbox(config)
    await sandbox.start()
    data = tmp_path / "data"
    engine = _make_engine(data, sandbox.base_url)
    await engine.start(serve=False, ingest=False)
    number = config.numbers[0]
    try:
        await engine.add_number(
            label="Salon",
            phone=number.display_phone_number,
            phone_number_id=number.phone_number_id,
            waba_id=number.waba_id,
            access_token=config.access_token,
            app_secret=config.app_secret,
        )
    finally:
        await engine.stop()
    memory = keyring.get_keyring()
    assert isinstance(memory, MemoryKeyring)
    keyring_file = tmp_path / "keyring.json"
    keyring_file.write_text(json.dumps({f"{s}/{u}": p for (s, u), p in memory.store.items()}))
    base = cli_env(
        keyring="tests.keyrings.FileKeyring",
        keyring_file=keyring_file,
        WADESK_VERIFY_TOKEN=f.VERIFY_TOKEN,
        WADESK_GRAPH_BASE_URL=sandbox.base_url,
        LANG="C.UTF-8",
    )
    try:
        yield Env(sandbox, data, base, "Salon")
    finally:
        await sandbox.stop()


async def start_serve(env: Env) -> asyncio.subprocess.Process:
    async def registered() -> bool:
        return await asyncio.to_thread(is_running, env.data)

    return await astart_serve(env.env, free_port(), "--data-dir", str(env.data), ready=registered)


async def stop(proc: asyncio.subprocess.Process, sig: int = signal.SIGTERM) -> None:
    await astop_serve(proc, sig)


def rows(data: Path) -> list[tuple[str, str | None, str]]:
    with sqlite3.connect(f"file:{data / DB_FILE_NAME}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT status, wamid, origin FROM message WHERE direction = 'outbound' ORDER BY id"
        ).fetchall()


def send_args(env: Env, to: str, *what: str) -> list[str]:
    return ["send", "--data-dir", str(env.data), "--number", env.label, "--to", to, *what]


def log_text(data: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(data.glob("logs/*.log*")))


async def test_send_is_handed_to_the_running_engine(env: Env, tmp_path: Path) -> None:
    serve = await start_serve(env)
    try:
        info = read_instance(env.data)
        assert info is not None and info.pid == serve.pid
        # the CLI gets an empty keyring: had it called Graph itself, it would have no token
        cli_env = dict(env.env, WADESK_TEST_KEYRING_FILE=str(tmp_path / "empty.json"))
        code, out, err = await run(
            cli_env, *send_args(env, env.wa_id(0), "--template", "hello_world")
        )
        assert code == 0, err
        sent = env.sandbox.sent_messages
        assert [m.wamid for m in sent] == [out.strip()]  # exactly one send, by the engine
        assert sent[0].to == env.wa_id(0) and sent[0].type == "template"
        assert rows(env.data) == [("sent", out.strip(), "cli")]
        handed = f"Handing the message to the running wadesk (pid {serve.pid})"
        assert handed in log_text(env.data)

        # outside the 24-hour window: refused locally, nothing stored, Meta never asked
        code, out, err = await run(cli_env, *send_args(env, env.wa_id(1), "--text", "Hello"))
        assert code == 1 and out == ""
        assert LocalError(WINDOW_CLOSED).explain("en") in err
        assert len(env.sandbox.sent_messages) == 1 and len(rows(env.data)) == 1

        # Meta unreachable: the CLI gives up after --timeout and says who will send it …
        await env.sandbox.set_down(True)
        code, out, err = await run(
            cli_env,
            *send_args(env, env.wa_id(2), "--template", "hello_world", "--timeout", "1"),
        )
        assert code == 1 and out == ""
        assert f"running wadesk (pid {serve.pid}) sends it" in err
        assert [r[0] for r in rows(env.data)] == ["sent", "queued"]
        # … and it does, once Meta is back
        await env.sandbox.set_down(False)
        deadline = time.monotonic() + 10
        while rows(env.data)[1][0] == "queued" and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        assert rows(env.data)[1][0] == "sent"
        assert [m.to for m in env.sandbox.sent_messages] == [env.wa_id(0), env.wa_id(2)]
    finally:
        await stop(serve)
    assert not (env.data / INSTANCE_FILE).exists()  # removed at a graceful stop
    assert not await asyncio.to_thread(is_running, env.data)


async def test_send_without_an_engine_runs_the_outbox_itself(env: Env) -> None:
    assert not await asyncio.to_thread(is_running, env.data)
    # Meta refuses (template parameters): the catalogue's explanation, exit 1, the row failed
    code, out, err = await run(
        env.env,
        *send_args(env, env.wa_id(0), "--template", "appointment_reminder", "--param", "Anna"),
    )
    assert code == 1 and out == ""
    assert GraphError(code=132000).explain("en") in err
    assert [r[0] for r in rows(env.data)] == ["failed"]
    # outside the 24-hour window, in Russian: refused before anything is stored or sent
    ru_env = dict(env.env, LANG="ru_RU.UTF-8")
    code, out, err = await run(ru_env, *send_args(env, env.wa_id(1), "--text", "Привет"))
    assert code == 1 and out == ""
    assert LocalError(WINDOW_CLOSED).explain("ru") in err
    assert len(rows(env.data)) == 1
    # and a good one: sent by the CLI's own outbox
    template = ("--template", "appointment_reminder", "--param", "Anna", "--param", "10:00")
    code, out, err = await run(env.env, *send_args(env, env.wa_id(0), *template))
    assert code == 0, err
    sent = env.sandbox.sent_messages
    assert [m.wamid for m in sent] == [out.strip()]  # the refused one was never accepted
    params = sent[-1].body["template"]["components"][0]["parameters"]
    assert params == [{"type": "text", "text": "Anna"}, {"type": "text", "text": "10:00"}]
    assert rows(env.data)[-1] == ("sent", out.strip(), "cli")
    assert "Handing the message" not in log_text(env.data)
    assert not (env.data / INSTANCE_FILE).exists()
    assert not await asyncio.to_thread(is_running, env.data)


async def test_a_killed_engine_is_not_mistaken_for_a_running_one(env: Env) -> None:
    serve = await start_serve(env)
    await stop(serve, signal.SIGKILL)
    stale = json.loads((env.data / INSTANCE_FILE).read_text())
    assert stale["pid"] == serve.pid  # the dead process's instance file is still there
    assert not await asyncio.to_thread(is_running, env.data)  # but its lock died with it
    code, out, err = await run(
        env.env, *send_args(env, env.wa_id(2), "--template", "hello_world"), limit=30
    )
    assert code == 0, err
    assert [m.wamid for m in env.sandbox.sent_messages] == [out.strip()]
    assert "Handing the message" not in log_text(env.data)
    assert not await asyncio.to_thread(is_running, env.data)
