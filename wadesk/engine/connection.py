"""The public side of the webhook server: the ngrok tunnel (or the user's own public URL) and
the callback registration with Meta, as an Engine component.

`ConnectionManager` owns one `wadesk.engine.tunnel.Tunnel`. It starts with the engine (after
the webhook server, so the port is known) when an ngrok authtoken is configured (keyring entry
``ngrok_authtoken`` or ``WADESK_NGROK_AUTHTOKEN``) or a manual public URL is set, and whenever
the public URL changes it re-registers the callback (``override_callback_uri`` on the WABA)
for every active number. The result per number is part of `ConnectionStatus`, which listeners
get on every change (`add_listener`); permission errors carry the catalogue's manual set-up
instructions.

Settings that are not secrets (reserved ngrok domain, manual public URL, ngrok binary path)
live in ``<data dir>/connection.json``: ``{"domain": str|null, "manual_url": str|null,
"ngrok_path": str|null}``. The ngrok binary path is taken, in order, from
``Settings.extra["ngrok_path"]``, the ``WADESK_NGROK_PATH`` environment variable, then the
file; without one, pyngrok's own managed binary is used (downloaded on first use).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wadesk.core.errors import LocalError, WadeskError
from wadesk.engine.config import WEBHOOK_PATH
from wadesk.engine.secrets import SecretKind, SecretsUnavailable
from wadesk.engine.tunnel import (
    Tunnel,
    TunnelState,
    TunnelStatus,
    _normalise_domain,
    validate_public_url,
)

if TYPE_CHECKING:
    from wadesk.engine.service import Engine

log = logging.getLogger("wadesk.connection")

SETTINGS_FILE = "connection.json"
NGROK_PATH_ENV = "WADESK_NGROK_PATH"
StatusListener = Callable[["ConnectionStatus"], None]


@dataclass(frozen=True)
class ConnectionSettings:
    """The non-secret connection settings kept in ``connection.json``."""

    domain: str | None = None
    manual_url: str | None = None
    ngrok_path: str | None = None

    @classmethod
    def load(cls, path: Path) -> ConnectionSettings:
        """Read the file (blocking); a missing or broken file gives the defaults."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("Ignoring unreadable %s: %s", path.name, type(exc).__name__)
            return cls()
        if not isinstance(data, dict):
            return cls()

        def text(key: str) -> str | None:
            value = data.get(key)
            return value.strip() or None if isinstance(value, str) else None

        return cls(text("domain"), text("manual_url"), text("ngrok_path"))

    def save(self, path: Path) -> None:
        """Write the file atomically (blocking)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        body = {"domain": self.domain, "manual_url": self.manual_url, "ngrok_path": self.ngrok_path}
        tmp.write_text(json.dumps(body, indent=2), encoding="utf-8")
        os.replace(tmp, path)


@dataclass(frozen=True)
class Registration:
    """The result of registering the callback for one number."""

    label: str
    waba_id: str
    ok: bool
    at: datetime
    error: WadeskError | None = None

    def explain(self, lang: str = "en") -> str:
        return "" if self.error is None else self.error.explain(lang)


@dataclass(frozen=True)
class ConnectionStatus:
    """What the UI shows about the public side of the webhook server.

    `mode` is "ngrok", "manual" or "off" (no authtoken and no manual URL configured).
    """

    mode: str
    tunnel: TunnelStatus
    callback_url: str | None
    registrations: tuple[Registration, ...] = ()
    authtoken_set: bool = False
    settings: ConnectionSettings = field(default_factory=ConnectionSettings)

    @property
    def public_url(self) -> str | None:
        return self.tunnel.public_url


class ConnectionManager:
    """Engine component: tunnel lifecycle, connection settings, callback re-registration."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._path = engine.settings.paths.data_dir / SETTINGS_FILE
        self._settings = ConnectionSettings()
        self._tunnel: Tunnel | None = None
        self._listeners: list[StatusListener] = []
        self._registrations: dict[str, Registration] = {}
        self._authtoken_set = False
        self._starting: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        stopped = TunnelStatus(TunnelState.STOPPED, None, None, datetime.now(UTC), None)
        self._tunnel_status = stopped
        self._running = False

    # -- status ---------------------------------------------------------------------------

    @property
    def status(self) -> ConnectionStatus:
        tunnel = self._tunnel_status
        if self._settings.manual_url:
            mode = "manual"
        elif self._authtoken_set:
            mode = "ngrok"
        else:
            mode = "off"
        url = tunnel.public_url
        return ConnectionStatus(
            mode=mode,
            tunnel=tunnel,
            callback_url=url + WEBHOOK_PATH if url else None,
            registrations=tuple(self._registrations.values()),
            authtoken_set=self._authtoken_set,
            settings=self._settings,
        )

    @property
    def settings(self) -> ConnectionSettings:
        return self._settings

    def add_listener(self, listener: StatusListener) -> Callable[[], None]:
        """Call `listener(status)` on the event loop after every change; returns unsubscribe."""
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    def _notify(self) -> None:
        status = self.status
        for listener in list(self._listeners):
            try:
                listener(status)
            except Exception:
                log.exception("A connection status listener failed")

    def _on_tunnel_status(self, status: TunnelStatus) -> None:
        self._tunnel_status = status
        self._notify()

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Load the settings and, when the server listens, bring the tunnel up (background)."""
        self._settings = await self._engine.blocking(ConnectionSettings.load, self._path)
        self._authtoken_set = bool(await self._read_authtoken_quietly())
        self._running = True
        if self._engine.server is None:
            return
        self._starting = asyncio.create_task(self._bring_up(), name="wadesk-connection-start")

    async def stop(self) -> None:
        self._running = False
        task, self._starting = self._starting, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        async with self._lock:
            await self._stop_tunnel()

    async def wait_started(self) -> None:
        """Wait until the background start (first tunnel attempt) has finished."""
        task = self._starting
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)

    async def _bring_up(self) -> None:
        async with self._lock:
            await self._stop_tunnel()
            if not self._running or self._engine.server is None:
                return
            settings = self._settings
            if not settings.manual_url and not self._authtoken_set:
                self._notify()
                return
            extra = self._engine.settings.extra
            first = float(extra.get("tunnel_backoff", "1.0"))
            tunnel = Tunnel(
                port=self._engine.server.port,
                authtoken_provider=self._read_authtoken,
                ngrok_path=self._ngrok_path(),
                config_path=self._engine.settings.paths.data_dir / "ngrok.yml",
                domain=settings.domain,
                on_status=self._on_tunnel_status,
                on_public_url=self._register_all_for,
                backoff=(first, max(first, 60.0)),
                check_interval=float(extra.get("tunnel_check_interval", "5.0")),
            )
            self._tunnel = tunnel
            if settings.manual_url:
                tunnel.use_manual_url(settings.manual_url)
            else:
                await tunnel.start()

    async def _stop_tunnel(self) -> None:
        tunnel, self._tunnel = self._tunnel, None
        if tunnel is not None:
            await tunnel.stop()
        self._on_tunnel_status(
            TunnelStatus(TunnelState.STOPPED, None, None, datetime.now(UTC), None)
        )

    def _ngrok_path(self) -> Path | None:
        chosen = (
            self._engine.settings.extra.get("ngrok_path")
            or os.environ.get(NGROK_PATH_ENV)
            or self._settings.ngrok_path
        )
        return Path(chosen).expanduser() if chosen else None

    def _read_authtoken(self) -> str | None:
        """Blocking (the tunnel calls it in a thread)."""
        return self._engine.secrets.get(SecretKind.NGROK_AUTHTOKEN)

    async def _read_authtoken_quietly(self) -> str | None:
        try:
            return await self._engine.blocking(self._read_authtoken)
        except SecretsUnavailable as exc:
            log.warning("The ngrok authtoken could not be read: %s", exc)
            return None

    # -- commands -------------------------------------------------------------------------

    async def restart(self) -> None:
        """Stop the tunnel and start it again with the current settings; waits for the first
        attempt (never raises for tunnel problems: they show in the status)."""
        if self._starting is not None and not self._starting.done():
            await self.wait_started()
        self._authtoken_set = bool(await self._read_authtoken_quietly())
        self._starting = asyncio.create_task(self._bring_up(), name="wadesk-connection-restart")
        await self.wait_started()

    async def set_authtoken(self, token: str | None) -> None:
        """Store (or with None/"" delete) the ngrok authtoken in the keyring, then restart.

        Raises SecretsUnavailable when there is no usable keyring (nothing is stored)."""
        value = (token or "").strip()
        if value:
            await self._engine.blocking(
                self._engine.secrets.set, SecretKind.NGROK_AUTHTOKEN, "", value
            )
        else:
            await self._engine.blocking(self._engine.secrets.delete, SecretKind.NGROK_AUTHTOKEN)
        await self.restart()

    async def set_domain(self, domain: str | None) -> None:
        """Use a reserved ngrok domain (None/"" for a random URL); ValueError if malformed."""
        normalised = _normalise_domain(domain)
        await self._save(replace(self._settings, domain=normalised))
        await self.restart()

    async def use_manual_url(self, url: str | None) -> None:
        """Use the user's own public URL (https://…) instead of ngrok; None goes back to ngrok.

        Raises ValueError for a URL Meta cannot call."""
        manual = validate_public_url(url) if url and url.strip() else None
        await self._save(replace(self._settings, manual_url=manual))
        await self.restart()

    async def set_ngrok_path(self, path: str | None) -> None:
        await self._save(replace(self._settings, ngrok_path=(path or "").strip() or None))
        await self.restart()

    async def _save(self, settings: ConnectionSettings) -> None:
        await self._engine.blocking(settings.save, self._path)
        self._settings = settings

    # -- callback registration ------------------------------------------------------------

    async def register_all(self) -> list[Registration]:
        """Register the current public URL for every active number (after numbers change)."""
        url = self._tunnel_status.public_url
        if url is None or self._tunnel_status.state not in (TunnelState.UP, TunnelState.MANUAL):
            return []
        await self._register_all_for(url)
        return list(self._registrations.values())

    async def _register_all_for(self, public_url: str) -> str | None:
        """Tunnel callback: register `public_url` for each active number (one call per WABA)."""
        engine = self._engine
        verify_token = engine.verify_token
        numbers = [n for n in await engine.list_numbers() if n.active]
        callback = public_url + WEBHOOK_PATH
        done: dict[str, Registration] = {}
        results: dict[str, Registration] = {}
        for number in numbers:
            now = datetime.now(UTC)
            if number.waba_id in done:
                results[number.label] = replace(done[number.waba_id], label=number.label, at=now)
                continue
            error: WadeskError | None = None
            try:
                if not verify_token:
                    raise LocalError("VERIFY_TOKEN_MISMATCH", "no verify token (keyring)")
                client = await engine.clients.get(number.phone_number_id, number.waba_id)
                await client.register_callback(callback, verify_token)
            except WadeskError as exc:
                error = exc
            except Exception as exc:  # LimitError and surprises: never break the tunnel
                error = LocalError("BAD_RESPONSE", engine.redactor.redact(str(exc))[:200])
            result = Registration(number.label, number.waba_id, error is None, now, error)
            done[number.waba_id] = result
            results[number.label] = result
            if error is None:
                log.info("Callback registered for %s: %s", number.label, callback)
            else:
                log.warning("Callback registration for %s failed: %s", number.label, error)
        self._registrations = results
        self._notify()
        return summarise(results.values())


def summarise(results: Any) -> str | None:
    """One English line about registration results (the tunnel's `registration` field)."""
    items = list(results)
    if not items:
        return "No active numbers to register the callback for."
    ok = [r.label for r in items if r.ok]
    failed = [r for r in items if not r.ok]
    parts = []
    if ok:
        parts.append("Callback registered for " + ", ".join(ok) + ".")
    for result in failed:
        parts.append(f"Registration failed for {result.label}: {result.explain('en')}")
    return " ".join(parts)
