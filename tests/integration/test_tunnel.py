"""Tests for wadesk.engine.tunnel: real pyngrok driving the fake ngrok agent
(tests/tools/fake_ngrok.py) over loopback; never the network."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import threading
import time
import urllib.error
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest
from aiohttp import web
from keyring.backends import fail
from pyngrok import installer, ngrok
from pyngrok.exception import PyngrokNgrokError, PyngrokNgrokInstallError

from tests.tools.ngrok_fixture import FakeNgrok, clean_ngrok_env, install_fake_ngrok
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.secrets import FIX_MESSAGE, SecretKind, SecretStore
from wadesk.engine.tunnel import (
    INSTALL_FAILED,
    TOKEN_MISSING,
    TOKEN_REJECTED,
    Tunnel,
    TunnelState,
    TunnelStatus,
    explain_error,
    validate_public_url,
)

FREE_URL = re.compile(r"^https://[0-9a-f]{12}\.ngrok-free\.app$")
AUTHTOKEN = "2abcDEFghiJKLmnoPQRstuVWXyz_0123456789"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ", 1)[1][0] not in "ZX"
    except (FileNotFoundError, ProcessLookupError):
        return False


async def wait_for(predicate: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNgrok]:
    clean_ngrok_env(monkeypatch)
    fake = install_fake_ngrok(tmp_path / "bin")
    yield fake
    fake.kill()
    left = [run["pid"] for run in fake.runs() if _alive(run["pid"])]
    assert left == [], f"fake ngrok processes left behind: {left}"


class Upstream:
    """The local webhook server stand-in (aiohttp on 127.0.0.1)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(
            {"path": request.path, "headers": dict(request.headers), "body": await request.read()}
        )
        return web.json_response({"ok": True})


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    up = Upstream()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", up.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    up.port = runner.addresses[0][1]
    yield up
    await runner.cleanup()


class Recorder:
    def __init__(self, result: str | None = "Callback registered with Meta") -> None:
        self.calls: list[str] = []
        self.statuses: list[TunnelStatus] = []
        self.result = result
        self.error: Exception | None = None

    async def on_public_url(self, url: str) -> str | None:
        self.calls.append(url)
        if self.error is not None:
            raise self.error
        return self.result


def make_tunnel(
    fake: FakeNgrok,
    rec: Recorder,
    *,
    port: int = 8765,
    token: str | None = AUTHTOKEN,
    **kwargs: Any,
) -> Tunnel:
    kwargs.setdefault("ngrok_path", fake.ngrok_path)
    kwargs.setdefault("backoff", (0.05, 0.2))
    kwargs.setdefault("check_interval", 0.05)
    return Tunnel(
        port=port,
        authtoken_provider=lambda: token,
        config_path=fake.config_path,
        on_status=rec.statuses.append,
        on_public_url=rec.on_public_url,
        **kwargs,
    )


async def test_start_up_registers_once_forwards_traffic_and_stop_kills(
    fake: FakeNgrok, upstream: Upstream
) -> None:
    rec = Recorder()
    tunnel = make_tunnel(fake, rec, port=upstream.port)
    await tunnel.start()
    try:
        status = tunnel.status
        assert status.state is TunnelState.UP
        assert status.public_url is not None and FREE_URL.match(status.public_url)
        assert status.reason is None
        assert status.registration == "Callback registered with Meta"
        assert rec.calls == [status.public_url]
        assert [s.state for s in rec.statuses][:2] == [TunnelState.STARTING, TunnelState.UP]

        (run,) = fake.runs()
        assert run["argv"] == [
            "start",
            "--none",
            "--log",
            "stdout",
            "--config",
            str(fake.config_path),
            "--authtoken",
            AUTHTOKEN,
        ]

        await asyncio.sleep(0.4)  # several health checks: no restart, no re-registration
        assert tunnel.status.state is TunnelState.UP
        assert tunnel.status.public_url == status.public_url
        assert rec.calls == [status.public_url]
        assert len(fake.runs()) == 1

        tunnels = await asyncio.to_thread(ngrok.get_tunnels, fake.pyngrok_config())
        (endpoint,) = [t for t in tunnels if t.public_url == status.public_url]
        assert endpoint.upstream["url"] == f"http://127.0.0.1:{upstream.port}"
        async with httpx.AsyncClient() as client:
            resp = await client.post(
                endpoint.data["x_fake_forward_url"] + "/api/v1/webhooks/whatsapp",
                content=b'{"object":"whatsapp_business_account"}',
            )
        assert resp.status_code == 200 and resp.json() == {"ok": True}
        (seen,) = upstream.requests
        assert seen["path"] == "/api/v1/webhooks/whatsapp"
        assert seen["body"] == b'{"object":"whatsapp_business_account"}'
        assert seen["headers"]["X-Forwarded-Proto"] == "https"
        assert seen["headers"]["X-Forwarded-Host"] == status.public_url.removeprefix("https://")
    finally:
        await tunnel.stop()
    assert tunnel.status.state is TunnelState.STOPPED
    assert tunnel.status.public_url is None
    assert not _alive(run["pid"])
    await asyncio.sleep(0.2)
    assert len(fake.runs()) == 1  # stopped means stopped: the supervisor is gone


async def test_missing_authtoken_is_down_with_plain_reason(fake: FakeNgrok) -> None:
    fake.configure(require_authtoken="1")
    rec = Recorder()
    tunnel = make_tunnel(fake, rec, token=None)
    await tunnel.start()
    try:
        assert tunnel.status.state is TunnelState.DOWN
        assert tunnel.status.reason == TOKEN_MISSING
        await asyncio.sleep(0.3)
        assert len(fake.runs()) == 1  # retrying cannot fix a missing token
        assert "--authtoken" not in fake.runs()[0]["argv"]
        assert rec.calls == []
    finally:
        await tunnel.stop()


async def test_rejected_authtoken_never_shows_the_token(
    fake: FakeNgrok, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    fake.configure(valid_authtoken="2theRightTokenXXXXXXXXXXXXXXXX")
    rec = Recorder()
    tunnel = make_tunnel(fake, rec)
    await tunnel.start()
    try:
        status = tunnel.status
        assert status.state is TunnelState.DOWN
        assert status.reason == TOKEN_REJECTED
        assert AUTHTOKEN not in repr(status)
        # the fake echoes the token like the real agent (ERR_NGROK_105); pyngrok logs that line
        assert "ERR_NGROK_105" in caplog.text
        assert "Your authtoken: [redacted]" in caplog.text
        assert AUTHTOKEN not in caplog.text
    finally:
        await tunnel.stop()


async def test_missing_binary_is_down_without_download(fake: FakeNgrok, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "ngrok"
    rec = Recorder()
    tunnel = make_tunnel(fake, rec, ngrok_path=missing)
    await tunnel.start()
    assert tunnel.status.state is TunnelState.DOWN
    assert tunnel.status.reason is not None
    assert "not installed" in tunnel.status.reason
    assert "use your own public URL" in tunnel.status.reason
    assert not missing.parent.exists()  # pyngrok's installer was never called
    await tunnel.stop()


async def test_failed_download_maps_to_could_not_be_installed(
    fake: FakeNgrok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYNGROK_NGROK_PATH", str(tmp_path / "dl" / "ngrok"))
    downloads: list[str] = []

    def offline(url: str, **kwargs: Any) -> str:
        downloads.append(url)
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    monkeypatch.setattr(installer, "_download_file", offline)
    rec = Recorder()
    tunnel = make_tunnel(fake, rec, ngrok_path=None)
    await tunnel.start()
    assert downloads and downloads[0].startswith("https://bin.ngrok.com/")
    assert tunnel.status.state is TunnelState.DOWN
    assert tunnel.status.reason == INSTALL_FAILED
    await tunnel.stop()


async def test_agent_death_restarts_with_new_url_and_reregisters(fake: FakeNgrok) -> None:
    fake.configure(die_after="0.3")
    rec = Recorder()
    tunnel = make_tunnel(fake, rec)
    await tunnel.start()
    try:
        first = tunnel.status.public_url
        assert tunnel.status.state is TunnelState.UP and first is not None
        fake.configure(die_after=None)  # the restarted agent stays up
        await wait_for(
            lambda: tunnel.status.state is TunnelState.UP and tunnel.status.public_url != first
        )
        second = tunnel.status.public_url
        assert second is not None and FREE_URL.match(second)
        downs = [s for s in rec.statuses if s.state is TunnelState.DOWN]
        assert downs and downs[0].public_url is None
        assert downs[0].reason is not None
        assert "stopped unexpectedly" in downs[0].reason and "Retrying" in downs[0].reason
        assert rec.calls == [first, second]
        runs = fake.runs()
        assert len(runs) == 2 and not _alive(runs[0]["pid"])
    finally:
        await tunnel.stop()


async def test_killed_agent_with_reserved_domain_keeps_url_and_registration(
    fake: FakeNgrok,
) -> None:
    rec = Recorder()
    tunnel = make_tunnel(fake, rec, domain="https://wadesk-test.ngrok.app/")
    await tunnel.start()
    try:
        assert tunnel.status.public_url == "https://wadesk-test.ngrok.app"
        (run,) = fake.runs()
        os.kill(run["pid"], signal.SIGKILL)
        await wait_for(lambda: len(fake.runs()) == 2 and tunnel.status.state is TunnelState.UP)
        assert any(s.state is TunnelState.DOWN for s in rec.statuses)
        assert tunnel.status.public_url == "https://wadesk-test.ngrok.app"
        assert rec.calls == ["https://wadesk-test.ngrok.app"]  # same URL: not registered again
    finally:
        await tunnel.stop()


async def test_agent_that_cannot_start_is_retried_with_backoff(fake: FakeNgrok) -> None:
    fake.configure(exit_early="1")
    rec = Recorder()
    tunnel = make_tunnel(fake, rec, backoff=(0.05, 0.1))
    await tunnel.start()
    try:
        assert tunnel.status.state is TunnelState.DOWN
        assert tunnel.status.reason is not None
        assert tunnel.status.reason.startswith(
            "ngrok failed: The ngrok process was unable to start"
        )
        assert "Retrying in 0.05 s." in tunnel.status.reason
        await wait_for(lambda: len(fake.runs()) >= 3)
        reasons = [s.reason for s in rec.statuses if s.state is TunnelState.DOWN]
        assert any(r is not None and "Retrying in 0.1 s." in r for r in reasons)  # capped
        fake.configure(exit_early=None)
        await wait_for(lambda: tunnel.status.state is TunnelState.UP)
        assert rec.calls == [tunnel.status.public_url]
    finally:
        await tunnel.stop()


async def test_registration_failure_is_visible_and_tunnel_stays_up(fake: FakeNgrok) -> None:
    rec = Recorder()
    rec.error = RuntimeError("(#100) Invalid parameter: override_callback_uri")
    tunnel = make_tunnel(fake, rec)
    await tunnel.start()
    try:
        assert tunnel.status.state is TunnelState.UP
        assert tunnel.status.registration == (
            "Callback registration failed: (#100) Invalid parameter: override_callback_uri"
        )
    finally:
        await tunnel.stop()


async def test_manual_url_mode(fake: FakeNgrok) -> None:
    rec = Recorder("Callback registered with Meta")
    tunnel = make_tunnel(fake, rec)
    tunnel.use_manual_url("  https://hooks.example.com/ ")
    assert tunnel.status.state is TunnelState.MANUAL
    assert tunnel.status.public_url == "https://hooks.example.com"
    await wait_for(lambda: tunnel.status.registration is not None)
    assert tunnel.status.registration == "Callback registered with Meta"
    assert rec.calls == ["https://hooks.example.com"]
    assert fake.runs() == []  # no ngrok at all
    for bad in ("http://hooks.example.com", "https://", "hooks.example.com", "https://x/?a=1"):
        with pytest.raises(ValueError):
            tunnel.use_manual_url(bad)
    assert tunnel.status.state is TunnelState.MANUAL
    await tunnel.stop()
    assert tunnel.status.state is TunnelState.STOPPED


async def test_switching_to_manual_stops_ngrok(fake: FakeNgrok) -> None:
    rec = Recorder()
    tunnel = make_tunnel(fake, rec)
    await tunnel.start()
    assert tunnel.status.state is TunnelState.UP
    (run,) = fake.runs()
    tunnel.use_manual_url("https://proxy.example.org")
    await wait_for(lambda: not _alive(run["pid"]) and len(rec.calls) == 2)
    assert rec.calls[1] == "https://proxy.example.org"
    await asyncio.sleep(0.3)
    assert tunnel.status.state is TunnelState.MANUAL  # the supervisor did not bring ngrok back
    assert len(fake.runs()) == 1
    await tunnel.start()  # and back to ngrok
    assert tunnel.status.state is TunnelState.UP
    assert len(rec.calls) == 3 and FREE_URL.match(rec.calls[2])
    await tunnel.stop()


def test_explain_error_is_plain_and_secret_free() -> None:
    assert explain_error(PyngrokNgrokInstallError("download failed"), "tok") == (
        INSTALL_FAILED,
        False,
    )
    echoed = PyngrokNgrokError(
        "The ngrok process errored on start: authentication failed: Your authtoken: SECRET123",
        ngrok_error="authentication failed: Your authtoken: SECRET123\\r\\n\\r\\nERR_NGROK_105",
    )
    assert explain_error(echoed, "SECRET123") == (TOKEN_REJECTED, False)
    other = PyngrokNgrokError("boom --authtoken SECRET123", ngrok_error="bad SECRET123\\n thing")
    reason, retry = explain_error(other, "SECRET123")
    assert retry and "SECRET123" not in reason and reason == "ngrok failed: bad [redacted] thing."
    assert validate_public_url("https://a.example.com/hook/") == "https://a.example.com/hook"
    with pytest.raises(ValueError, match="port"):
        Tunnel(port=0, authtoken_provider=lambda: None, config_path=Path("x"))
    with pytest.raises(ValueError, match="domain"):
        Tunnel(port=1, authtoken_provider=lambda: None, config_path=Path("x"), domain="nodots")


async def test_authtoken_from_secret_store_and_unavailable_keyring(
    fake: FakeNgrok, tmp_path: Path
) -> None:
    store = SecretStore(SecretRedactor(), environ={})
    store.set(SecretKind.NGROK_AUTHTOKEN, "", AUTHTOKEN)
    rec = Recorder()
    tunnel = Tunnel(
        port=8765,
        authtoken_provider=lambda: store.get(SecretKind.NGROK_AUTHTOKEN),
        ngrok_path=fake.ngrok_path,
        config_path=fake.config_path,
        on_public_url=rec.on_public_url,
    )
    await tunnel.start()
    assert tunnel.status.state is TunnelState.UP
    assert fake.runs()[0]["argv"][-2:] == ["--authtoken", AUTHTOKEN]
    await tunnel.stop()

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        await tunnel.start()
    finally:
        keyring.set_keyring(previous)
    assert tunnel.status.state is TunnelState.DOWN
    assert tunnel.status.reason == f"The ngrok authtoken could not be read: {FIX_MESSAGE}"
    assert len(fake.runs()) == 1
    await tunnel.stop()


async def test_keyring_and_pyngrok_run_off_the_event_loop(
    fake: FakeNgrok, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The authtoken read (keyring) and every pyngrok call (start, health check, kill) run in
    worker threads, never on the event loop's thread."""
    calls: list[tuple[str, bool]] = []

    def on_loop_thread() -> bool:
        return threading.current_thread() is threading.main_thread()

    for name in ("_connect_blocking", "_check_blocking", "_kill_blocking"):
        original = getattr(Tunnel, name)

        def wrapper(self: Tunnel, *args: Any, _original: Any = original, _name: str = name) -> Any:
            calls.append((_name, on_loop_thread()))
            return _original(self, *args)

        monkeypatch.setattr(Tunnel, name, wrapper)

    def authtoken() -> str:
        calls.append(("authtoken", on_loop_thread()))
        return AUTHTOKEN

    assert on_loop_thread()  # the test itself runs on the loop's thread
    rec = Recorder()
    tunnel = Tunnel(
        port=upstream.port,
        authtoken_provider=authtoken,
        ngrok_path=fake.ngrok_path,
        config_path=fake.config_path,
        on_public_url=rec.on_public_url,
        check_interval=0.05,
    )
    await tunnel.start()
    try:
        assert tunnel.status.state is TunnelState.UP
        await wait_for(lambda: any(n == "_check_blocking" for n, _ in calls))
    finally:
        await tunnel.stop()
    assert {n for n, _ in calls} == {"authtoken", "_connect_blocking", "_check_blocking"} | {
        "_kill_blocking"
    }
    assert [n for n, on_loop in calls if on_loop] == []
