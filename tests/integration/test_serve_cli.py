"""`wadesk` as a person runs it: numbers add/list/remove, serve, export, and crash recovery
(SIGKILL during a burst, restart: every acknowledged event is present and applied)."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import factories as f
from tests.integration import serve_proc
from tests.integration.serve_proc import add_number, free_port, stop_serve, wadesk
from wadesk.engine.cloudapi.signature import sign


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    return serve_proc.cli_env(
        keyring="tests.keyrings.FileKeyring",
        keyring_file=tmp_path / "keyring.json",
        WADESK_VERIFY_TOKEN=f.VERIFY_TOKEN,
    )


@pytest.fixture
def serve(cli_env: dict[str, str], tmp_path: Path) -> Iterator[tuple[Path, callable]]:  # type: ignore[valid-type]
    data = tmp_path / "data"
    add_number(cli_env, data)
    procs: list[subprocess.Popen[str]] = []

    def start(port: int) -> subprocess.Popen[str]:
        proc = serve_proc.start_serve(cli_env, port, "--data-dir", str(data))
        procs.append(proc)
        return proc

    yield data, start
    for proc in procs:
        stop_serve(proc, signal.SIGKILL)


def test_version_and_help_for_every_command(cli_env: dict[str, str]) -> None:
    r = wadesk(cli_env, "--version")
    assert r.returncode == 0 and r.stdout.startswith("wadesk ")
    for args in (
        ["--help"],
        ["serve", "--help"],
        ["numbers", "--help"],
        ["numbers", "add", "--help"],
        ["numbers", "list", "--help"],
        ["numbers", "remove", "--help"],
        ["export", "--help"],
    ):
        r = wadesk(cli_env, *args)
        assert r.returncode == 0, args
        assert "usage:" in r.stdout


def test_numbers_add_list_remove(cli_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "d"
    add_number(cli_env, data)
    r = wadesk(cli_env, "numbers", "list", "--data-dir", str(data), "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout) == [
        {
            "label": "Salon",
            "phone": "+15550783881",
            "phone_number_id": f.PNID,
            "waba_id": f.WABA,
            "active": True,
        }
    ]
    stored = json.loads((tmp_path / "keyring.json").read_text())
    assert stored[f"wadesk/access_token:{f.PNID}"] == f.ACCESS_TOKEN
    assert stored[f"wadesk/app_secret:{f.PNID}"] == f.APP_SECRET
    # no secret in the database file
    db_bytes = b"".join(p.read_bytes() for p in data.glob("wadesk.sqlite3*"))
    assert f.ACCESS_TOKEN.encode() not in db_bytes and f.APP_SECRET.encode() not in db_bytes
    r = wadesk(cli_env, "numbers", "remove", "--data-dir", str(data), "Salon")
    assert r.returncode == 0, r.stderr
    assert f"wadesk/access_token:{f.PNID}" not in json.loads(
        (tmp_path / "keyring.json").read_text()
    )
    r = wadesk(cli_env, "numbers", "list", "--data-dir", str(data))
    assert "No numbers yet." in r.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--phone", "+1 555 01"], "wrong number of digits"),
        (["--phone", "hello"], "not a phone number"),
        (["--phone-number-id", "1065 4035 2242"], "digits only"),
    ],
)
def test_numbers_add_rejects_bad_input_with_exit_2(
    cli_env: dict[str, str], tmp_path: Path, args: list[str], needle: str
) -> None:
    base = {
        "--label": "X",
        "--phone": "+15550783881",
        "--phone-number-id": f.PNID,
        "--waba-id": f.WABA,
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [x for kv in base.items() for x in kv]
    r = wadesk(
        cli_env, "numbers", "add", "--data-dir", str(tmp_path / "d"), *flat, stdin="tok\nsecret\n"
    )
    assert r.returncode == 2
    assert needle in r.stderr
    assert "Traceback" not in r.stderr


def test_numbers_add_without_a_keyring_says_how_to_fix(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = dict(cli_env, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "wadesk.cli",
            "numbers",
            "add",
            "--data-dir",
            str(tmp_path / "d"),
            "--label",
            "S",
            "--phone",
            "+15550783881",
            "--phone-number-id",
            f.PNID,
            "--waba-id",
            f.WABA,
        ],
        input="tok-abcdef\nsecret-abcdef\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert r.returncode == 1
    assert "keyring" in r.stderr.lower()
    assert "tok-abcdef" not in r.stderr and "Traceback" not in r.stderr


def test_serve_applies_signed_events_and_export_lists_them(serve, cli_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    data, start = serve
    port = free_port()
    proc = start(port)
    mid = f.wamid()
    body = f.encode(f.text_message("Можно на завтра?", message_id=mid, name="Анна"))
    r = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/webhooks/whatsapp",
        content=body,
        headers={"X-Hub-Signature-256": sign(body, f.APP_SECRET)},
    )
    assert r.status_code == 200
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    log_text = (data / "logs" / "wadesk.log").read_text()
    assert f"Message processed: {mid} from 16505551234" in log_text
    assert f.APP_SECRET not in log_text and f.ACCESS_TOKEN not in log_text
    r = wadesk(cli_env, "export", "--data-dir", str(data), "--format", "json")
    assert r.returncode == 0, r.stderr
    exported = json.loads(r.stdout)
    messages = [m for c in exported["conversations"] for m in c["messages"]]
    assert [(m["wamid"], m["text"], m["status"]) for m in messages] == [
        (mid, "Можно на завтра?", "received")
    ]
    assert f.APP_SECRET not in r.stdout and f.ACCESS_TOKEN not in r.stdout


async def _burst(
    port: int, bodies: list[tuple[str, bytes]], kill_after: int, proc: subprocess.Popen[str]
) -> set[str]:
    acked: set[str] = set()
    sem = asyncio.Semaphore(16)
    url = f"http://127.0.0.1:{port}/api/v1/webhooks/whatsapp"

    async with httpx.AsyncClient(timeout=5) as client:

        async def one(mid: str, body: bytes) -> None:
            async with sem:
                try:
                    r = await client.post(
                        url, content=body, headers={"X-Hub-Signature-256": sign(body, f.APP_SECRET)}
                    )
                except httpx.HTTPError:
                    return
                if r.status_code == 200:
                    acked.add(mid)
                    if len(acked) == kill_after:
                        proc.send_signal(signal.SIGKILL)

        await asyncio.gather(*(one(mid, body) for mid, body in bodies))
    return acked


def test_sigkill_during_a_burst_loses_no_acknowledged_event(serve, cli_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    data, start = serve
    port = free_port()
    proc = start(port)
    bodies = []
    for i in range(600):
        mid = f.wamid()
        bodies.append(
            (
                mid,
                f.encode(
                    f.text_message(f"burst {i}", message_id=mid, wa_id=f"1650555{i % 50:04d}")
                ),
            )
        )
    acked = asyncio.run(_burst(port, bodies, kill_after=250, proc=proc))
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert len(acked) >= 250
    start(port)  # restart: recovery re-applies what was acknowledged but not applied
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        counts = httpx.get(f"http://127.0.0.1:{port}/api/v1/health").json()["counts"]
        if counts["raw_events_pending"] == 0:
            break
        time.sleep(0.1)
    r = wadesk(cli_env, "export", "--data-dir", str(data), "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    stored = {m["wamid"] for line in r.stdout.splitlines() for m in json.loads(line)["messages"]}
    missing = acked - stored
    assert not missing, f"{len(missing)} acknowledged events were lost"
