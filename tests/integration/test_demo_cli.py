"""`wadesk serve --sandbox`, `wadesk sandbox …`, `wadesk send` and `wadesk doctor` as a person
runs them: real subprocesses, the sandbox and the engine on loopback, and no keyring at all
(the demo keeps its secrets out of the keyring; the fail backend proves it)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests import factories as f
from tests.integration.serve_proc import (
    add_number,
    cli_env,
    free_port,
    start_serve,
    stop_serve,
    wadesk,
)

ANNA, JAMES = "79161234567", "447700900123"


def base_env(tmp: Path, keyring: str = "keyring.backends.fail.Keyring") -> dict[str, str]:
    return cli_env(
        keyring=keyring,
        keyring_file=tmp / "keyring.json",
        WADESK_DATA_DIR=str(tmp / "user-data"),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )


@dataclass
class Served:
    env: dict[str, str]
    data: Path
    port: int
    proc: subprocess.Popen[str] | None  # set once it serves
    banner: str

    def health(self) -> dict[str, object]:
        return httpx.get(f"http://127.0.0.1:{self.port}/api/v1/health", timeout=2).json()  # type: ignore[no-any-return]

    def messages(self) -> int:
        return int(self.health()["counts"]["messages"])  # type: ignore[index]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("demo-cli")
    env = base_env(tmp)
    port, sandbox_port = free_port(), free_port()
    # no --data-dir: the demo data dir is <user data dir>/demo
    data = tmp / "user-data" / "demo"
    served = Served(env, data, port, None, "")

    def greeted() -> bool:
        return served.messages() >= 2 and (data / "sandbox-session.json").exists()

    proc = start_serve(
        env,
        port,
        "--sandbox",
        "--sandbox-port",
        str(sandbox_port),
        ready=greeted,
        what="wadesk serve --sandbox did not come up with its greetings",
    )
    served.proc = proc
    try:
        yield served
    finally:
        served.banner = stop_serve(proc)


def test_serve_sandbox_greets_and_prints_how_to_play(served: Served) -> None:
    assert served.messages() == 2  # Maria and Анна wrote first
    session = json.loads((served.data / "sandbox-session.json").read_text())
    assert session["url"].startswith("http://127.0.0.1:")
    assert oct((served.data / "sandbox-session.json").stat().st_mode & 0o777) == "0o600"


def test_a_scripted_customer_message_arrives(served: Served) -> None:
    before = served.messages()
    r = wadesk(served.env, "sandbox", "say", ANNA, "Можно", "на", "10:00?")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("wamid.")
    deadline = time.monotonic() + 10
    while served.messages() < before + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.messages() == before + 1
    db = sqlite3.connect(f"file:{served.data / 'wadesk.sqlite3'}?mode=ro", uri=True)
    try:
        texts = {row[0] for row in db.execute("SELECT text FROM message")}
    finally:
        db.close()
    assert "Можно на 10:00?" in texts
    assert "Здравствуйте! Можно записаться на стрижку в субботу?" in texts


def test_send_prints_the_wamid_and_the_sandbox_received_it(served: Served) -> None:
    r = wadesk(
        served.env, "send", "--sandbox", "--number", "Demo Salon", "--to", ANNA, "--text", "Да!"
    )
    assert r.returncode == 0, r.stderr
    wamid = r.stdout.strip()
    assert wamid.startswith("wamid.")
    session = json.loads((served.data / "sandbox-session.json").read_text())
    state = httpx.get(session["url"] + "/_sandbox/state", timeout=5).json()
    assert any(m["wamid"] == wamid and m["body"]["text"]["body"] == "Да!" for m in state["sent"])
    # a template goes out even without an open window
    r = wadesk(
        served.env,
        "send",
        "--data-dir",
        str(served.data),
        "--number",
        "Demo Salon",
        "--to",
        JAMES,
        "--template",
        "appointment_reminder",
        "--param",
        "James",
        "--param",
        "Friday 10:00",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("wamid.")


def test_send_outside_the_window_explains_and_fails(served: Served) -> None:
    r = wadesk(
        served.env, "send", "--sandbox", "--number", "Demo Salon", "--to", JAMES, "--text", "Hi"
    )
    assert r.returncode == 1
    assert "24-hour customer service window is closed" in r.stderr
    assert "Send an approved template" in r.stderr
    assert "Traceback" not in r.stderr and not r.stdout


def test_doctor_against_the_sandbox(served: Served) -> None:
    r = wadesk(served.env, "doctor", "--sandbox", "--port", str(served.port))
    out = r.stdout
    assert r.returncode == 1, out  # the fail keyring is a problem
    lines = out.splitlines()
    assert any(line.startswith("problem      keyring") for line in lines)
    assert "fix: No secure credential store" in out
    assert any(line.startswith("ok           data dir") for line in lines)
    assert any(line.startswith("ok           port") and "running wadesk" in line for line in lines)
    assert any(line.startswith("ok           credentials Demo Salon") for line in lines)
    assert any(line.startswith("ok           phone id Demo Salon") for line in lines)
    assert any(
        line.startswith("ok           callback Demo Salon") and "/api/v1/webhooks/" in line
        for line in lines
    )
    assert any(line.startswith("not checked  tunnel") for line in lines)
    assert any(line.startswith("ok           clock") for line in lines)
    assert "Traceback" not in r.stderr


def test_doctor_offline_says_not_checked(tmp_path: Path) -> None:
    env = base_env(tmp_path, keyring="tests.keyrings.FileKeyring")
    env["WADESK_GRAPH_BASE_URL"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    data = tmp_path / "d"
    add_number(env, data)
    r = wadesk(env, "doctor", "--data-dir", str(data), "--port", str(free_port()))
    lines = r.stdout.splitlines()
    assert any(line.startswith("ok           keyring") for line in lines)
    assert any(line.startswith("ok           port") for line in lines)
    for name in ("credentials Salon", "clock"):
        assert any(line.startswith(f"not checked  {name}") for line in lines), r.stdout
    tunnel = next(line for line in lines if "tunnel:" in line)
    assert r.returncode == (1 if tunnel.startswith("problem") else 0), r.stdout
    assert f.ACCESS_TOKEN not in r.stdout + r.stderr


def test_help_for_the_new_commands(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    r = wadesk(env, "--help")
    assert r.returncode == 0
    for command in ("demo", "sandbox", "send", "doctor"):
        assert command in r.stdout
    r = wadesk(env, "sandbox", "--help")
    assert r.returncode == 0 and "wadesk sandbox" in r.stdout
