"""The demo: the Engine wired to the built-in Cloud API sandbox (`wadesk demo`, `wadesk serve
--sandbox`).

`DemoEngine` is an `Engine` whose Graph base URL is a local `Sandbox` started by `start()`
before the engine itself. After the webhook server is up it makes sure the demo number row
exists (its Phone Number ID is fixed, so an existing demo data dir is re-used), registers the
engine's webhook URL as the sandbox's callback (the sandbox does Meta's GET verification), and,
on a fresh data dir, lets two demo customers write first so the inbox is not empty.

Secrets are random per run and reach the engine only through the environment-override mapping
of a `DemoSecretStore`, which keeps anything else in memory: the demo never touches the user's
keyring. The sandbox's URL (and its run-only demo token, so `wadesk send` / `wadesk doctor` in
another terminal can talk to it) are written to `<data dir>/sandbox-session.json` (mode 0600)
while it runs; the file is removed on stop.

    runtime = await start_demo(demo_paths(None, os.environ), port=0)
    ...
    await runtime.stop()
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from wadesk.core.models import Number
from wadesk.engine.config import DEFAULT_GRAPH_VERSION, Paths, Settings, resolve_paths
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.sandbox import Sandbox, SandboxConfig, demo_config
from wadesk.engine.secrets import KeyringStatus, SecretKind, SecretStore, env_name
from wadesk.engine.service import Engine
from wadesk.engine.store import repo

log = logging.getLogger("wadesk.demo")

DEMO_PHONE_NUMBER_ID = "109876543210001"
DEMO_WABA_ID = "209876543210001"
DEMO_LABEL = "Demo Salon"
DEMO_PHONE = "+15550100100"
DEFAULT_SANDBOX_PORT = 8790
SESSION_FILE = "sandbox-session.json"
DEMO_SERVICE = "wadesk-demo"

FIRST_MESSAGES: tuple[tuple[str, str], ...] = (
    ("15550101001", "Hi! Do you have a free slot for a manicure tomorrow afternoon?"),
    ("79161234567", "Здравствуйте! Можно записаться на стрижку в субботу?"),
)


def demo_paths(data_dir: str | os.PathLike[str] | None, environ: Mapping[str, str]) -> Paths:
    """`--data-dir` as given, else `<user data dir>/demo` (logs inside it)."""
    if data_dir:
        return resolve_paths(data_dir, environ)
    root = resolve_paths(None, environ).data_dir / "demo"
    return Paths(data_dir=root, log_dir=root / "logs")


def free_port(host: str = "127.0.0.1", preferred: int | None = None) -> int:
    """`preferred` when it can be bound now, else a free port chosen by the OS."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise OSError("no free port")


class _MemoryBackend(KeyringBackend):
    """Where the demo keeps secrets set at run time (e.g. a number added in the wizard)."""

    priority = -1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._data.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class DemoSecretStore(SecretStore):
    """Environment-override mapping first, then memory; never the system keyring."""

    def __init__(self, redactor: SecretRedactor, environ: Mapping[str, str]) -> None:
        super().__init__(redactor, service=DEMO_SERVICE, environ=dict(environ))
        self._memory = _MemoryBackend()

    def status(self) -> KeyringStatus:
        return KeyringStatus(True, "demo (in memory)", "The demo keeps its secrets in memory.")

    def _backend(self) -> KeyringBackend:
        return self._memory


def demo_environ(config: SandboxConfig, verify_token: str) -> dict[str, str]:
    """The secret overrides that connect the engine to this sandbox's demo number."""
    number = config.numbers[0]
    return {
        env_name(SecretKind.ACCESS_TOKEN, number.phone_number_id): config.access_token,
        env_name(SecretKind.APP_SECRET, number.phone_number_id): config.app_secret,
        env_name(SecretKind.VERIFY_TOKEN): verify_token,
    }


@dataclass(frozen=True, slots=True)
class SandboxSession:
    """What `<data dir>/sandbox-session.json` says about a running demo sandbox."""

    url: str
    phone_number_id: str
    waba_id: str
    access_token: str
    app_secret: str

    def environ(self) -> dict[str, str]:
        return {
            env_name(SecretKind.ACCESS_TOKEN, self.phone_number_id): self.access_token,
            env_name(SecretKind.APP_SECRET, self.phone_number_id): self.app_secret,
        }


def read_session(data_dir: Path) -> SandboxSession | None:
    """The running sandbox of a demo data dir, or None (blocking: call in an executor)."""
    try:
        data = json.loads((data_dir / SESSION_FILE).read_text(encoding="utf-8"))
        return SandboxSession(
            url=str(data["url"]),
            phone_number_id=str(data["phone_number_id"]),
            waba_id=str(data["waba_id"]),
            access_token=str(data["access_token"]),
            app_secret=str(data["app_secret"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_session(data_dir: Path, session: SandboxSession) -> None:
    path = data_dir / SESSION_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "url": session.url,
                "phone_number_id": session.phone_number_id,
                "waba_id": session.waba_id,
                "access_token": session.access_token,
                "app_secret": session.app_secret,
                "pid": os.getpid(),
            },
            handle,
        )


def _remove_session(data_dir: Path, url: str) -> None:
    current = read_session(data_dir)
    if current is not None and current.url == url:
        (data_dir / SESSION_FILE).unlink(missing_ok=True)


class DemoEngine(Engine):
    """An Engine on the built-in sandbox. Attributes: `sandbox`, `demo_number` (after start)."""

    def __init__(
        self,
        paths: Paths,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        sandbox_port: int | None = None,
        config: SandboxConfig | None = None,
        greet: bool = True,
        redactor: SecretRedactor | None = None,
    ) -> None:
        redactor = redactor or SecretRedactor()
        self.sandbox_config = config or demo_config(
            phone_number_id=DEMO_PHONE_NUMBER_ID, waba_id=DEMO_WABA_ID
        )
        self.sandbox_host = host
        self.sandbox_port = sandbox_port if sandbox_port else free_port(host, DEFAULT_SANDBOX_PORT)
        verify_token = secrets.token_urlsafe(24)
        for value in (
            self.sandbox_config.app_secret,
            verify_token,
            self.sandbox_config.access_token,
        ):
            redactor.add(value)
        settings = Settings(
            paths=paths,
            host=host,
            port=port,
            graph_base_url=f"http://{host}:{self.sandbox_port}",
            graph_version=DEFAULT_GRAPH_VERSION,
        )
        store = DemoSecretStore(redactor, demo_environ(self.sandbox_config, verify_token))
        super().__init__(settings, secrets=store, redactor=redactor)
        self.sandbox = Sandbox(self.sandbox_config)
        self.demo_number: Number | None = None
        self._greet = greet
        self._sandbox_started = False

    @property
    def sandbox_url(self) -> str:
        return self.sandbox.base_url

    async def start(self, *, serve: bool = True, ingest: bool = True) -> None:
        """Start the sandbox, then the engine; with `serve`, connect them (see module doc)."""
        await self.sandbox.start(self.sandbox_host, self.sandbox_port)
        self._sandbox_started = True
        await super().start(serve=serve, ingest=ingest)
        self.demo_number = await self._ensure_demo_number()
        await self.reload_numbers()
        fresh = await self._seed_windows()
        if not serve or self.server is None:
            return
        assert self.verify_token is not None
        number = self.sandbox_config.numbers[0]
        await self._register_callback(number.waba_id, self.server.url, self.verify_token)
        session = SandboxSession(
            url=self.sandbox.base_url,
            phone_number_id=number.phone_number_id,
            waba_id=number.waba_id,
            access_token=self.sandbox_config.access_token,
            app_secret=self.sandbox_config.app_secret,
        )
        await self.blocking(_write_session, self.settings.paths.data_dir, session)
        log.info("Demo sandbox at %s; webhooks go to %s", self.sandbox.base_url, self.server.url)
        if fresh and self._greet:
            for wa_id, text in FIRST_MESSAGES:
                await self.sandbox.customer(wa_id).say(text)

    async def stop(self) -> None:
        try:
            await super().stop()
        finally:
            if self._sandbox_started:
                self._sandbox_started = False
                url = self.sandbox.base_url
                await self.sandbox.stop()
                await asyncio.to_thread(_remove_session, self.settings.paths.data_dir, url)

    async def _register_callback(self, waba_id: str, url: str, verify_token: str) -> None:
        """Like the tunnel does with Meta: POST /{WABA}/subscribed_apps with the callback
        override; the sandbox answers only after its GET verification reached our server.
        (`CloudApiClient.register_callback` insists on https, which a loopback demo lacks.)"""
        endpoint = (
            f"{self.sandbox.base_url}/{self.settings.graph_version}/{waba_id}/subscribed_apps"
        )
        headers = {"Authorization": f"Bearer {self.sandbox_config.access_token}"}
        body = {"override_callback_uri": url, "verify_token": verify_token}
        async with httpx.AsyncClient(timeout=10.0) as http:
            response = await http.post(endpoint, json=body, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"the sandbox refused the callback: {response.text[:300]}")

    async def _ensure_demo_number(self) -> Number:
        number = self.sandbox_config.numbers[0]
        for existing in await self.list_numbers():
            if existing.phone_number_id == number.phone_number_id:
                return existing
        label = DEMO_LABEL
        taken = {n.label for n in await self.list_numbers()}
        while label in taken:
            label += "+"
        add = partial(
            repo.add_number,
            label=label,
            phone="+" + number.digits,
            phone_number_id=number.phone_number_id,
            waba_id=number.waba_id,
        )
        return await self.store.write(add)

    async def _seed_windows(self) -> bool:
        """Carry the stored 24-hour windows into the fresh sandbox (so the sandbox and the store
        agree); True when the demo number has no conversation yet."""
        assert self.demo_number is not None
        number_id = self.demo_number.id

        def windows(conn: Any) -> list[tuple[str | None, Any]]:
            result = []
            for conversation in repo.list_conversations(conn, number_id, limit=1000):
                contact = repo.get_contact(conn, conversation.contact_id)
                result.append((contact.wa_id if contact else None, conversation.last_inbound_at))
            return result

        found = await self.store.read(windows)
        for wa_id, last_inbound in found:
            profile = self.sandbox.state.customers.get(wa_id or "")
            if profile is not None and last_inbound is not None:
                profile.last_inbound_at = last_inbound.timestamp()
        return not found


@dataclass
class DemoRuntime:
    """A started demo: the engine and its sandbox. `stop()` stops both."""

    engine: DemoEngine

    @property
    def sandbox(self) -> Sandbox:
        return self.engine.sandbox

    async def stop(self) -> None:
        await self.engine.stop()


async def start_demo(
    paths: Paths,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    sandbox_port: int | None = None,
    config: SandboxConfig | None = None,
    greet: bool = True,
    redactor: SecretRedactor | None = None,
) -> DemoRuntime:
    """Build and start a `DemoEngine` (engine + sandbox, connected); stops both on failure."""
    engine = DemoEngine(
        paths,
        host=host,
        port=port,
        sandbox_port=sandbox_port,
        config=config,
        greet=greet,
        redactor=redactor,
    )
    try:
        await engine.start()
    except BaseException:
        await engine.stop()
        raise
    return DemoRuntime(engine)
