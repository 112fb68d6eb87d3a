"""The engine's ConnectionManager: real pyngrok driving the fake ngrok agent, the sandbox as Meta
(verification GET and webhooks really go through the fake tunnel's forwarder), manual URLs."""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.integration.checks_env import (
    MANUAL_URL,
    PublicNet,
    make_engine,
    ngrok_resolver,
    sandbox_config,
    token_of,
    wait_for,
)
from tests.tools.ngrok_fixture import FakeNgrok, clean_ngrok_env, install_fake_ngrok
from wadesk.engine.config import WEBHOOK_PATH
from wadesk.engine.connection import SETTINGS_FILE, ConnectionSettings, ConnectionStatus
from wadesk.engine.sandbox import Sandbox
from wadesk.engine.secrets import SecretKind
from wadesk.engine.service import Engine
from wadesk.engine.tunnel import TunnelState

AUTHTOKEN = "2abcDEFghiJKLmnoPQRstuVWXyz_0123456789"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ", 1)[1][0] not in "ZX"
    except (FileNotFoundError, ProcessLookupError):
        return False


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNgrok]:
    clean_ngrok_env(monkeypatch)
    fake = install_fake_ngrok(tmp_path / "bin")
    monkeypatch.setenv("WADESK_NGROK_PATH", str(fake.ngrok_path))
    yield fake
    fake.kill()
    left = [run["pid"] for run in fake.runs() if _alive(run["pid"])]
    assert left == [], f"fake ngrok processes left behind: {left}"


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    box = Sandbox(sandbox_config())
    await box.start()
    yield box
    await box.stop()


@pytest.fixture
async def engine(
    tmp_path: Path, sandbox: Sandbox, fake: FakeNgrok, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Engine]:
    eng = make_engine(tmp_path / "data", sandbox.base_url)
    number = sandbox.config.numbers[0]
    await eng.start(serve=False)  # add the number first, then start for real
    await eng.add_number(
        label="Salon",
        phone="+1 555 010 0100",
        phone_number_id=number.phone_number_id,
        waba_id=number.waba_id,
        access_token=token_of(sandbox, "system"),
        app_secret=sandbox.config.app_secret,
    )
    await eng.stop()
    eng = make_engine(tmp_path / "data", sandbox.base_url)
    net = PublicNet(resolvers=[ngrok_resolver(fake)])
    assert eng.server is None
    net.install(monkeypatch, sandbox)
    yield eng
    await eng.stop()


def waba(sandbox: Sandbox) -> str:
    return sandbox.config.numbers[0].waba_id


async def test_tunnel_up_registers_the_callback_through_the_tunnel(
    engine: Engine, sandbox: Sandbox, fake: FakeNgrok
) -> None:
    engine.secrets.set(SecretKind.NGROK_AUTHTOKEN, "", AUTHTOKEN)
    seen: list[ConnectionStatus] = []
    engine.connection.add_listener(seen.append)
    await engine.start()
    await engine.connection.wait_started()
    status = engine.connection.status
    assert status.mode == "ngrok" and status.tunnel.state is TunnelState.UP
    url = status.public_url
    assert url is not None and url.endswith(".ngrok-free.app")
    await wait_for(lambda: bool(engine.connection.status.registrations))
    [reg] = engine.connection.status.registrations
    assert reg.ok and reg.label == "Salon", reg.explain("en")
    assert sandbox.state.waba_callbacks[waba(sandbox)].url == url + WEBHOOK_PATH
    assert engine.verification_requests and engine.verification_requests[-1][1] is True
    assert status.callback_url == url + WEBHOOK_PATH
    assert "Callback registered for Salon" in (engine.connection.status.tunnel.registration or "")
    assert any(s.tunnel.state is TunnelState.STARTING for s in seen)
    # the authtoken went to the agent's argv, never to the settings file or the database
    assert any(AUTHTOKEN in " ".join(run["argv"]) for run in fake.runs())
    data_dir = engine.settings.paths.data_dir
    for path in data_dir.rglob("*"):
        if path.is_file() and path.suffix != ".yml":
            assert AUTHTOKEN.encode() not in path.read_bytes(), path
    # and a customer's message now reaches the engine through the tunnel
    await sandbox.customer(next(iter(sandbox.config.allowed_recipients))).say("Hi!")
    await wait_for(lambda: sandbox.counters.webhook_deliveries >= 1)


async def test_agent_dies_new_url_is_registered_again(
    engine: Engine, sandbox: Sandbox, fake: FakeNgrok
) -> None:
    engine.secrets.set(SecretKind.NGROK_AUTHTOKEN, "", AUTHTOKEN)
    await engine.start()
    await engine.connection.wait_started()
    first = engine.connection.status.public_url
    assert first is not None
    await wait_for(lambda: bool(engine.connection.status.registrations))
    (run,) = fake.runs()
    os.kill(run["pid"], signal.SIGKILL)
    await wait_for(
        lambda: (
            engine.connection.status.public_url not in (None, first)
            and engine.connection.status.tunnel.state is TunnelState.UP
        )
    )
    second = engine.connection.status.public_url
    assert second is not None
    await wait_for(lambda: sandbox.state.waba_callbacks[waba(sandbox)].url == second + WEBHOOK_PATH)
    assert [r.ok for r in engine.connection.status.registrations] == [True]
    assert sum(ok for _at, ok in engine.verification_requests) >= 2


async def test_manual_url_is_saved_and_registered(engine: Engine, sandbox: Sandbox) -> None:
    await engine.start()
    await engine.connection.wait_started()
    assert engine.connection.status.mode == "off"
    assert engine.connection.status.tunnel.state is TunnelState.STOPPED
    # the user's own reverse proxy, here routed to the engine's server
    assert engine.server is not None
    from tests.integration.checks_env import PublicNet as Net

    with pytest.MonkeyPatch.context() as mp:
        Net(routes={MANUAL_URL: f"http://127.0.0.1:{engine.server.port}"}).install(mp, sandbox)
        with pytest.raises(ValueError, match="https"):
            await engine.connection.use_manual_url("http://plain.example.test")
        await engine.connection.use_manual_url(MANUAL_URL + "/")
        status = engine.connection.status
        assert status.mode == "manual" and status.tunnel.state is TunnelState.MANUAL
        assert status.callback_url == MANUAL_URL + WEBHOOK_PATH
        await wait_for(lambda: bool(engine.connection.status.registrations))
        assert engine.connection.status.registrations[0].ok
        assert sandbox.state.waba_callbacks[waba(sandbox)].url == MANUAL_URL + WEBHOOK_PATH
    saved = ConnectionSettings.load(engine.settings.paths.data_dir / SETTINGS_FILE)
    assert saved.manual_url == MANUAL_URL


async def test_deactivated_number_is_not_registered_and_domain_is_saved(
    engine: Engine, sandbox: Sandbox, fake: FakeNgrok
) -> None:
    engine.secrets.set(SecretKind.NGROK_AUTHTOKEN, "", AUTHTOKEN)
    await engine.start()
    await engine.connection.wait_started()
    await engine.set_number_active("Salon", False)
    await engine.connection.set_domain("wadesk-test.ngrok.app")
    status = engine.connection.status
    assert status.public_url == "https://wadesk-test.ngrok.app"
    assert status.registrations == ()
    assert "No active numbers" in (status.tunnel.registration or "")
    await engine.set_number_active("Salon", True)  # activation registers right away
    assert [r.ok for r in engine.connection.status.registrations] == [True]


async def test_missing_binary_leaves_the_server_running(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WADESK_NGROK_PATH", str(tmp_path / "nowhere" / "ngrok"))
    engine.secrets.set(SecretKind.NGROK_AUTHTOKEN, "", AUTHTOKEN)
    await engine.start()
    await engine.connection.wait_started()
    status = engine.connection.status
    assert status.tunnel.state is TunnelState.DOWN
    assert "ngrok is not installed" in (status.tunnel.reason or "")
    assert engine.server is not None  # the webhook server keeps running


async def test_add_number_registers_the_callback_by_itself(
    engine: Engine, sandbox: Sandbox
) -> None:
    await engine.start()
    await engine.connection.wait_started()
    assert engine.server is not None
    with pytest.MonkeyPatch.context() as mp:
        PublicNet(routes={MANUAL_URL: f"http://127.0.0.1:{engine.server.port}"}).install(
            mp, sandbox
        )
        await engine.connection.use_manual_url(MANUAL_URL)
        await wait_for(lambda: bool(engine.connection.status.registrations))
        await engine.remove_number("Salon")
        sandbox.state.waba_callbacks.clear()
        verifications = len(engine.verification_requests)
        number = sandbox.config.numbers[0]
        await engine.add_number(  # no register_all() from the caller: the engine does it
            label="Salon again",
            phone="+1 555 010 0100",
            phone_number_id=number.phone_number_id,
            waba_id=number.waba_id,
            access_token=token_of(sandbox, "system"),
            app_secret=sandbox.config.app_secret,
        )
        assert sandbox.state.waba_callbacks[waba(sandbox)].url == MANUAL_URL + WEBHOOK_PATH
        [reg] = engine.connection.status.registrations
        assert reg.ok and reg.label == "Salon again", reg.explain("en")
        # Meta's verification GET for the new callback reached the server through the route
        await wait_for(lambda: len(engine.verification_requests) > verifications)
        assert engine.verification_requests[-1][1] is True


async def test_add_number_without_a_public_url_registers_nothing(
    engine: Engine, sandbox: Sandbox
) -> None:
    await engine.start()
    await engine.connection.wait_started()
    await engine.remove_number("Salon")
    sandbox.state.waba_callbacks.clear()
    number = sandbox.config.numbers[0]
    await engine.add_number(
        label="Offline",
        phone="+1 555 010 0100",
        phone_number_id=number.phone_number_id,
        waba_id=number.waba_id,
        access_token=token_of(sandbox, "system"),
        app_secret=sandbox.config.app_secret,
    )
    assert engine.connection.status.tunnel.state is TunnelState.STOPPED
    assert engine.connection.status.registrations == ()
    assert waba(sandbox) not in sandbox.state.waba_callbacks
