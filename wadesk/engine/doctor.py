"""`wadesk doctor`: checks of everything wadesk depends on, each `ok`, `problem` (with the fix)
or `not checked` (offline, or nothing to check).

Keyring backend, data dir writable, webhook port free (or already used by a running wadesk),
per number: access token (`debug_token`: valid, type, expiry, scopes), Phone Number ID
(`GET /{phone-number-id}`), callback registration (`GET /{WABA}/subscribed_apps`); the ngrok
binary; clock skew against the HTTP `Date` header of the Graph API. Network calls have a short
timeout; without a network the online checks say "not checked" instead of failing.

The checks run on a started Engine (`start(serve=False, ingest=False)` is enough); blocking work
runs in `engine.blocking`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import httpx

from wadesk.core.errors import NetworkError, WadeskError
from wadesk.core.models import Number
from wadesk.engine.config import DEFAULT_GRAPH_BASE_URL, HEALTH_PATH
from wadesk.engine.secrets import KeyringStatus
from wadesk.engine.service import Engine

T = TypeVar("T")
MAX_SKEW_SECONDS = 60.0
TOKEN_WARN_DAYS = 7


class CheckState(StrEnum):
    OK = "ok"
    PROBLEM = "problem"
    NOT_CHECKED = "not checked"


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the report: what was checked, the outcome, and what to do about it."""

    name: str
    state: CheckState
    detail: str
    fix: str | None = None

    def render(self) -> str:
        line = f"{self.state.value:<12} {self.name}: {self.detail}"
        if self.fix and self.state is not CheckState.OK:
            line += f"\n{'':<12} fix: {self.fix}"
        return line


def _ok(name: str, detail: str) -> Check:
    return Check(name, CheckState.OK, detail)


def _problem(name: str, detail: str, fix: str) -> Check:
    return Check(name, CheckState.PROBLEM, detail, fix)


def _offline(name: str, exc: BaseException) -> Check | None:
    """A "not checked" line when `exc` means the server could not be reached."""
    if isinstance(exc, NetworkError | TimeoutError | httpx.TransportError):
        return Check(name, CheckState.NOT_CHECKED, "the Graph API cannot be reached (offline?)")
    return None


def check_keyring(status: KeyringStatus) -> Check:
    if status.ok:
        return _ok("keyring", status.message)
    return _problem("keyring", f"no usable credential store ({status.backend})", status.message)


def check_data_dir(data_dir: Path) -> Check:
    """Blocking: the data dir can be created and written."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe = data_dir / f".doctor-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return _problem(
            "data dir",
            f"{data_dir} is not writable ({exc.strerror or exc})",
            "Choose another directory with --data-dir, or fix its permissions.",
        )
    return _ok("data dir", f"{data_dir} is writable")


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


async def check_port(host: str, port: int, limit: float) -> Check:
    if await asyncio.to_thread(_port_free, host, port):
        return _ok("port", f"{host}:{port} is free for the webhook server")
    try:
        async with httpx.AsyncClient(timeout=limit) as http:
            response = await http.get(f"http://{host}:{port}{HEALTH_PATH}")
        if response.status_code == 200 and "version" in response.json():
            return _ok("port", f"{host}:{port} is used by a running wadesk")
    except (httpx.HTTPError, ValueError, TypeError):
        pass
    return _problem(
        "port",
        f"{host}:{port} is used by another program",
        "Stop that program, or run wadesk on another port with --port.",
    )


def check_ngrok(ngrok_path: Path | None, sandbox: bool) -> Check:
    """Blocking: whether the ngrok agent binary is installed."""
    if sandbox:
        return Check("tunnel", CheckState.NOT_CHECKED, "not needed on the sandbox")
    candidates: list[Path] = []
    if ngrok_path is not None:
        candidates.append(ngrok_path)
    else:
        from pyngrok import conf

        candidates.append(Path(conf.get_default().ngrok_path))
        found = shutil.which("ngrok")
        if found:
            candidates.append(Path(found))
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return _ok("tunnel", f"ngrok found at {path}")
    return _problem(
        "tunnel",
        "the ngrok program is not installed",
        "wadesk downloads it the first time the tunnel starts (needs internet); or install "
        "ngrok yourself, or use your own public URL in Settings.",
    )


async def _guard(name: str, limit: float, call: Callable[[], Awaitable[T]]) -> T | Check:
    try:
        async with asyncio.timeout(limit):
            return await call()
    except (WadeskError, TimeoutError, httpx.TransportError) as exc:
        offline = _offline(name, exc)
        if offline is not None:
            return offline
        explain = exc.explain("en") if isinstance(exc, WadeskError) else str(exc)
        return _problem(name, explain.split("\n")[0], explain)


async def check_number(engine: Engine, number: Number, limit: float) -> list[Check]:
    """Token, Phone Number ID and callback registration of one number."""
    label = f"{number.label} ({number.phone_number_id})"
    client = await _guard(
        f"credentials {label}",
        limit,
        lambda: engine.clients.get(number.phone_number_id, number.waba_id),
    )
    if isinstance(client, Check):
        return [client]
    results: list[Check] = []
    name = f"credentials {label}"
    info = await _guard(name, limit, client.debug_token)
    if isinstance(info, Check):
        results.append(info)
    elif not info.is_valid:
        results.append(
            _problem(
                name,
                "the access token is not valid",
                "Create a permanent system-user token in Meta Business settings and paste it "
                "in Numbers.",
            )
        )
    elif info.missing_scopes:
        results.append(
            _problem(
                name,
                "the token lacks " + ", ".join(info.missing_scopes),
                "Generate the system-user token again with both whatsapp_business_messaging "
                "and whatsapp_business_management.",
            )
        )
    elif info.expires_at is not None and (
        (info.expires_at - datetime.now(UTC)).days < TOKEN_WARN_DAYS
    ):
        results.append(
            _problem(
                name,
                f"the {info.type or ''} token expires {info.expires_at:%Y-%m-%d %H:%M} UTC",
                "Temporary tokens last 24 hours: create a permanent system-user token in Meta "
                "Business settings and paste it in Numbers.",
            )
        )
    else:
        expiry = "never expires" if info.expires_at is None else f"until {info.expires_at:%Y-%m-%d}"
        results.append(_ok(name, f"valid {info.type or ''} token, {expiry}, both permissions"))

    name = f"phone id {label}"
    phone = await _guard(name, limit, client.phone_number_info)
    if isinstance(phone, Check):
        results.append(phone)
    else:
        shown = phone.display_phone_number or "?"
        quality = phone.quality_rating or "unknown"
        results.append(
            _ok(name, f"{shown} '{phone.verified_name or ''}', quality rating {quality}")
        )

    name = f"callback {label}"
    apps = await _guard(name, limit, client.subscribed_apps)
    if isinstance(apps, Check):
        results.append(apps)
    elif not apps:
        results.append(
            _problem(
                name,
                "no app is subscribed to this WhatsApp Business Account's webhooks",
                "Start the tunnel in wadesk (it registers the callback), or in Meta's dashboard "
                "set WhatsApp → Configuration → Webhook and subscribe to 'messages'.",
            )
        )
    else:
        target = next((a.override_callback_uri for a in apps if a.override_callback_uri), None)
        where = f"webhooks go to {target}" if target else "the app's callback URL is used"
        results.append(_ok(name, f"app subscribed; {where}"))
    return results


async def check_clock(base_url: str, limit: float) -> Check:
    name = "clock"
    try:
        async with httpx.AsyncClient(timeout=limit) as http:
            response = await http.get(base_url.rstrip("/") + "/")
    except httpx.TransportError as exc:
        offline = _offline(name, exc)
        assert offline is not None
        return offline
    header = response.headers.get("date")
    try:
        server_time = parsedate_to_datetime(header) if header else None
    except (TypeError, ValueError):
        server_time = None
    if server_time is None:
        return Check(name, CheckState.NOT_CHECKED, "the Graph API sent no Date header")
    skew = (datetime.now(UTC) - server_time).total_seconds()
    if abs(skew) > MAX_SKEW_SECONDS:
        direction = "ahead of" if skew > 0 else "behind"
        return _problem(
            name,
            f"this computer's clock is {abs(skew):.0f} s {direction} the Graph API's",
            "Turn on automatic time synchronisation (Linux: timedatectl set-ntp true).",
        )
    return _ok(name, f"within {MAX_SKEW_SECONDS:.0f} s of the Graph API ({skew:+.0f} s)")


async def run_doctor(
    engine: Engine,
    *,
    keyring_status: KeyringStatus,
    host: str,
    port: int,
    limit: float = 5.0,
    ngrok_path: Path | None = None,
) -> list[Check]:
    """Every check, in a stable order."""
    settings = engine.settings
    sandbox = settings.graph_base_url.rstrip("/") != DEFAULT_GRAPH_BASE_URL
    results = [
        check_keyring(keyring_status),
        await engine.blocking(check_data_dir, settings.paths.data_dir),
        await check_port(host, port, limit),
    ]
    numbers = await engine.list_numbers()
    if not numbers:
        results.append(
            Check(
                "numbers",
                CheckState.NOT_CHECKED,
                "no number yet",
                "Add one with `wadesk numbers add --help` or in the app.",
            )
        )
    for number in numbers:
        results.extend(await check_number(engine, number, limit))
    results.append(await engine.blocking(check_ngrok, ngrok_path, sandbox))
    results.append(await check_clock(settings.graph_base_url, limit))
    return results
