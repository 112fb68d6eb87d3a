"""The public tunnel in front of the local webhook server: ngrok through pyngrok, or the user's
own public URL.

What lives here:

- `TunnelState` / `TunnelStatus`: what the UI shows (starting, up with the public URL, down with
  a plain-language reason, or "my own public URL"), plus the result of the last callback
  registration with Meta. The reason is a `wadesk.core.messages.Message` (`reason_message`,
  which the GUI renders in its language) and its English text (`reason`, for logs and the CLI).
- `Tunnel`: starts the ngrok agent (pyngrok, always in an executor thread), supervises it
  (restarts with capped exponential backoff when the agent dies or the tunnel disappears) and,
  whenever the public URL changes, awaits ``on_public_url(url)`` so the engine can re-register
  the WABA callback (``override_callback_uri``).
- `explain_error` / `explain_error_message`: map pyngrok / ngrok failures to plain language (a
  `Message`) without secrets.

Failures that retrying cannot fix (ngrok missing and not installable, authtoken missing or
rejected) leave the tunnel DOWN until `start()` is called again; everything else is retried.
The webhook server does not depend on this module: it keeps running whatever happens here.
The authtoken never reaches logs, reasons or exceptions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pyngrok import conf, installer, ngrok, process
from pyngrok.exception import PyngrokError, PyngrokNgrokError, PyngrokNgrokInstallError

from wadesk.core.messages import Message, message, template
from wadesk.engine.secrets import SecretsUnavailable

logger = logging.getLogger(__name__)

# English texts of the reasons (their Russian and the GUI's translations follow the codes)
INSTALL_FAILED = template("tunnel.install_failed")
NOT_INSTALLED = template("tunnel.not_installed")
TOKEN_REJECTED = template("tunnel.token_rejected")
TOKEN_MISSING = template("tunnel.token_missing")
AGENT_DIED = template("tunnel.agent_died")
TUNNEL_GONE = template("tunnel.tunnel_gone")
AGENT_SILENT = template("tunnel.agent_silent")
_REDACTED = "[redacted]"
_AUTH_MARKERS = ("ERR_NGROK_4018", "ERR_NGROK_105", "ERR_NGROK_107", "authentication failed")
_TOKEN_ECHO_RE = re.compile(r"(Your authtoken:\s*)\S+", re.IGNORECASE)
_AUTHTOKEN_ARG_RE = re.compile(r"(--authtoken[= ]\s*)\S+")
_NGROK_LOGGER = "pyngrok.process.ngrok"


class TunnelState(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    UP = "up"
    DOWN = "down"
    MANUAL = "manual"  # "use my own public URL": no ngrok


@dataclass(frozen=True)
class TunnelStatus:
    state: TunnelState
    public_url: str | None
    reason: str | None  # plain English, when DOWN (logs, CLI); the UI renders reason_message
    since: datetime
    registration: str | None  # result of the last callback registration (visible to the user)
    reason_message: Message | None = None  # the reason as a translatable message


def scrub(text: str, *secrets: str | None) -> str:
    """Remove the given secrets and anything ngrok echoes as a token from ``text``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, _REDACTED)
    text = _TOKEN_ECHO_RE.sub(rf"\g<1>{_REDACTED}", text)
    return _AUTHTOKEN_ARG_RE.sub(rf"\g<1>{_REDACTED}", text)


def _plain(text: str) -> str:
    """ngrok's error text on one line: literal \\n / \\r escapes and runs of spaces collapsed."""
    text = text.replace("\\r", " ").replace("\\n", " ")
    return " ".join(text.split())[:300].rstrip(". ")


def explain_error(exc: BaseException, authtoken: str | None) -> tuple[str, bool]:
    """A plain-language (English) reason for a failed start, and whether retrying could help."""
    reason, retry = explain_error_message(exc, authtoken)
    return reason.render("en"), retry


def explain_error_message(exc: BaseException, authtoken: str | None) -> tuple[Message, bool]:
    """The reason for a failed start as a translatable `Message`, and whether to retry."""
    if isinstance(exc, PyngrokNgrokInstallError):
        return message("tunnel.install_failed"), False
    if isinstance(exc, PyngrokNgrokError):
        raw = exc.ngrok_error or str(exc)
        if any(marker.lower() in raw.lower() for marker in _AUTH_MARKERS):
            code = "tunnel.token_rejected" if authtoken else "tunnel.token_missing"
            return message(code), False
        if "binary was not found" in raw:
            return message("tunnel.install_failed"), False
        return message("tunnel.ngrok_failed", detail=_plain(scrub(raw, authtoken))), True
    if isinstance(exc, PyngrokError):
        return message("tunnel.ngrok_failed", detail=_plain(scrub(str(exc), authtoken))), True
    if isinstance(exc, OSError):
        detail = _plain(scrub(exc.strerror or type(exc).__name__, authtoken))
        return message("tunnel.start_failed", detail=detail), True
    detail = _plain(scrub(str(exc), authtoken))
    return message("tunnel.unexpected", kind=type(exc).__name__, detail=detail), True


def validate_public_url(url: str) -> str:
    """A usable public base URL (https, a host, no query/fragment), without a trailing slash."""
    if not isinstance(url, str):
        raise ValueError("The public URL must be text, e.g. https://example.com")
    candidate = url.strip()
    parts = urllib.parse.urlsplit(candidate)
    if parts.scheme.lower() != "https":
        raise ValueError(
            "The public URL must start with https:// (Meta only calls HTTPS callbacks with a "
            "valid certificate)."
        )
    if not parts.hostname or any(c.isspace() for c in candidate):
        raise ValueError("The public URL needs a host name, e.g. https://hooks.example.com")
    if parts.query or parts.fragment:
        raise ValueError("The public URL must not contain '?' or '#'.")
    return candidate.rstrip("/")


def _normalise_domain(domain: str | None) -> str | None:
    if domain is None or not domain.strip():
        return None
    text = domain.strip()
    host = urllib.parse.urlsplit(text if "://" in text else f"//{text}").hostname
    if not host or "." not in host:
        raise ValueError(f"{domain!r} is not a domain name (expected e.g. myname.ngrok.app).")
    return host


class _ScrubFilter(logging.Filter):
    """Scrubs the authtoken from pyngrok's copy of the agent's log lines."""

    def __init__(self, token: Callable[[], str | None]) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message, self._token())
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


@dataclass(frozen=True)
class _Connected:
    public_url: str
    api_url: str


_UP, _RETRY, _FATAL = "up", "retry", "fatal"


class Tunnel:
    """ngrok tunnel to ``http://127.0.0.1:<port>``, supervised, with callback re-registration.

    All methods are called on the event loop; pyngrok runs in executor threads.
    """

    def __init__(
        self,
        *,
        port: int,
        authtoken_provider: Callable[[], str | None],
        ngrok_path: Path | None = None,
        config_path: Path,
        domain: str | None = None,
        on_status: Callable[[TunnelStatus], None] | None = None,
        on_public_url: Callable[[str], Awaitable[str | None]] | None = None,
        backoff: tuple[float, float] = (1.0, 60.0),
        check_interval: float = 5.0,
    ) -> None:
        if not isinstance(port, int) or not 0 < port < 65536:
            raise ValueError(f"The webhook port must be between 1 and 65535, not {port!r}.")
        if backoff[0] <= 0 or backoff[1] < backoff[0]:
            raise ValueError("backoff must be (first delay > 0, cap >= first delay).")
        if check_interval <= 0:
            raise ValueError("check_interval must be > 0 seconds.")
        self._port = port
        self._authtoken_provider = authtoken_provider
        self._ngrok_path = ngrok_path
        self._config_path = config_path
        self._domain = _normalise_domain(domain)
        self._on_status = on_status
        self._on_public_url = on_public_url
        self._backoff = backoff
        self._check_interval = check_interval
        self._status = TunnelStatus(TunnelState.STOPPED, None, None, _now(), None)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._side_task: asyncio.Task[None] | None = None
        self._lifecycle = asyncio.Lock()
        self._agent_lock = threading.Lock()  # one connect / kill at a time (executor threads)
        self._wake = asyncio.Event()
        self._generation = 0
        self._cfg: conf.PyngrokConfig | None = None
        self._token: str | None = None
        self._connected: _Connected | None = None
        self._registered_url: str | None = None
        self._agent_error: str | None = None
        self._log_filter = _ScrubFilter(lambda: self._token)

    def __repr__(self) -> str:
        return f"Tunnel(port={self._port}, state={self._status.state.value})"

    @property
    def status(self) -> TunnelStatus:
        return self._status

    # -- public API -----------------------------------------------------------------------

    async def start(self) -> None:
        """Start ngrok (no-op if already supervised) and wait for the first attempt's outcome.

        Never raises for ngrok problems: they show up as a DOWN status with a reason.
        """
        async with self._lifecycle:
            if self._supervisor is not None and not self._supervisor.done():
                return
            await self._cancel_side_task()
            self._loop = asyncio.get_running_loop()
            self._generation += 1
            self._wake = asyncio.Event()
            logging.getLogger(_NGROK_LOGGER).addFilter(self._log_filter)
            generation = self._generation
            outcome, delay = await self._attempt(self._backoff[0])
            if outcome != _FATAL and generation == self._generation:
                self._supervisor = asyncio.create_task(
                    self._supervise(outcome, delay), name=f"wadesk-tunnel-{self._port}"
                )
                self._supervisor.add_done_callback(self._supervisor_done)

    async def stop(self) -> None:
        """Close the tunnel, kill the agent process and stop supervising."""
        async with self._lifecycle:
            self._generation += 1
            task, self._supervisor = self._supervisor, None
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await self._cancel_side_task()
            await self._shutdown_agent()
            logging.getLogger(_NGROK_LOGGER).removeFilter(self._log_filter)
            self._set(TunnelState.STOPPED, public_url=None, reason=None)

    def use_manual_url(self, url: str) -> None:
        """Use the user's own public URL instead of ngrok (e.g. a reverse proxy).

        Raises ValueError for a URL Meta cannot call. Stops ngrok if it runs; the callback is
        re-registered in the background (the result appears in ``status.registration``).
        Call it on the event loop.
        """
        public_url = validate_public_url(url)
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._generation += 1
        task, self._supervisor = self._supervisor, None
        if task is not None:
            task.cancel()
        previous_side = self._side_task
        self._set(TunnelState.MANUAL, public_url=public_url, reason=None)
        self._side_task = loop.create_task(
            self._switch_to_manual(task, previous_side, public_url), name="wadesk-tunnel-manual"
        )

    # -- supervision ----------------------------------------------------------------------

    async def _supervise(self, outcome: str, delay: float) -> None:
        while True:
            if outcome == _UP:
                began = asyncio.get_running_loop().time()
                reason = await self._watch()
                if asyncio.get_running_loop().time() - began >= self._backoff[1]:
                    delay = self._backoff[0]  # it was healthy for a while: start over
                await self._shutdown_agent()
                self._set_down(reason, delay)
            await asyncio.sleep(delay)
            outcome, delay = await self._attempt(delay)
            if outcome == _FATAL:
                return

    async def _attempt(self, delay: float) -> tuple[str, float]:
        """One start attempt. Returns the outcome and the delay before the next attempt.

        If `stop()` / `use_manual_url()` happened meanwhile (new generation), the result is
        dropped and the attempt reports FATAL so nothing is restarted.
        """
        generation = self._generation
        self._set(TunnelState.STARTING, public_url=None, reason=None)
        self._agent_error = None
        if self._ngrok_path is not None and not self._ngrok_path.exists():
            self._set(
                TunnelState.DOWN, None, message("tunnel.not_installed", path=self._ngrok_path)
            )
            return _FATAL, delay
        try:
            token = await asyncio.to_thread(self._authtoken_provider)
        except Exception as exc:
            # SecretsUnavailable's text is the fix (never a secret); other errors: type only
            detail = str(exc) if isinstance(exc, SecretsUnavailable) else type(exc).__name__
            if generation == self._generation:
                self._set(TunnelState.DOWN, None, message("tunnel.token_unreadable", detail=detail))
            return _FATAL, delay
        if generation != self._generation:
            return _FATAL, delay
        self._token = token or None
        cfg = conf.PyngrokConfig(
            ngrok_path=str(self._ngrok_path) if self._ngrok_path is not None else None,
            config_path=str(self._config_path),
            auth_token=self._token,
            log_event_callback=self._make_log_callback(self._generation),
        )
        self._token = cfg.auth_token or None  # pyngrok falls back to $NGROK_AUTHTOKEN
        self._cfg = cfg
        try:
            connected = await asyncio.to_thread(self._connect_blocking, cfg)
        except Exception as exc:
            if generation != self._generation:
                return _FATAL, delay
            reason, retry = explain_error_message(exc, self._token)
            logger.info("ngrok did not start: %s", reason.render("en"))
            if not retry:
                self._set(TunnelState.DOWN, None, reason)
                return _FATAL, delay
            self._set_down(reason, delay)
            return _RETRY, min(delay * 2, self._backoff[1])
        if generation != self._generation:
            return _FATAL, delay
        self._connected = connected
        logger.info("ngrok tunnel up: %s", connected.public_url)
        self._set(TunnelState.UP, public_url=connected.public_url, reason=None)
        await self._register(connected.public_url)
        return _UP, delay

    async def _watch(self) -> Message:
        """Wait until the agent or its tunnel is gone; return why."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._check_interval)
            self._wake.clear()
            try:
                problem = await asyncio.to_thread(self._check_blocking)
            except Exception as exc:  # never let the supervisor die of a surprise
                problem = message("tunnel.agent_check_failed", kind=type(exc).__name__)
            if problem is not None:
                return problem

    async def _register(self, url: str) -> None:
        if self._on_public_url is None or url == self._registered_url:
            return
        try:
            result = await self._on_public_url(url)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            detail = _plain(scrub(str(exc), self._token)) or type(exc).__name__
            self._set_registration(f"Callback registration failed: {detail}")
            logger.warning("callback registration for %s failed: %s", url, detail)
            return
        self._registered_url = url
        self._set_registration(result)

    async def _switch_to_manual(
        self,
        supervisor: asyncio.Task[None] | None,
        previous: asyncio.Task[None] | None,
        url: str,
    ) -> None:
        for task in (supervisor, previous):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._shutdown_agent()
        await self._register(url)

    async def _cancel_side_task(self) -> None:
        task, self._side_task = self._side_task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _shutdown_agent(self) -> None:
        cfg, connected = self._cfg, self._connected
        self._connected = None
        if cfg is not None:
            await asyncio.to_thread(self._kill_blocking, cfg, connected)

    # -- executor-side (blocking) ---------------------------------------------------------

    def _connect_blocking(self, cfg: conf.PyngrokConfig) -> _Connected:
        installer._print_progress_enabled = False  # pyngrok would print download progress
        options: dict[str, Any] = {}
        if self._domain is not None:
            options["url"] = f"https://{self._domain}"  # v3 endpoints take the domain as url
        with self._agent_lock:
            ngrok.kill(cfg)  # a fresh agent, with the current authtoken
            tunnel = ngrok.connect(
                f"http://127.0.0.1:{self._port}",
                "http",
                name=f"wadesk-http-{self._port}",
                pyngrok_config=cfg,
                **options,
            )
        if not tunnel.public_url or not tunnel.api_url:
            raise PyngrokError("the ngrok agent returned no public URL")
        public_url = str(tunnel.public_url)
        if public_url.startswith("http://"):
            public_url = "https://" + public_url[len("http://") :]
        return _Connected(public_url=public_url, api_url=str(tunnel.api_url))

    def _check_blocking(self) -> Message | None:
        cfg, connected = self._cfg, self._connected
        if cfg is None or connected is None:
            return message("tunnel.agent_died")
        if not process.is_process_running(cfg.ngrok_path):
            return self._with_agent_error("tunnel.agent_died")
        try:
            listing = ngrok.api_request(
                f"{connected.api_url}/api/endpoints", method="GET", timeout=2
            )
        except (PyngrokError, OSError, ValueError):
            # an agent on its way out stops answering first: give it a moment to exit
            for _ in range(10):
                if not process.is_process_running(cfg.ngrok_path):
                    return self._with_agent_error("tunnel.agent_died")
                time.sleep(0.05)
            return self._with_agent_error("tunnel.agent_silent")
        items = listing.get("endpoints") or listing.get("tunnels") or []
        urls = {str(i.get("public_url") or i.get("url") or "") for i in items}
        https_urls = {u.replace("http://", "https://", 1) for u in urls}
        if connected.public_url not in urls | https_urls:
            return self._with_agent_error("tunnel.tunnel_gone")
        return None

    def _kill_blocking(self, cfg: conf.PyngrokConfig, connected: _Connected | None) -> None:
        try:
            self._kill_locked(cfg, connected)
        except Exception as exc:  # a kill that fails must not break stop() or the supervisor
            logger.warning("stopping the ngrok agent failed: %s", type(exc).__name__)

    def _kill_locked(self, cfg: conf.PyngrokConfig, connected: _Connected | None) -> None:
        with self._agent_lock:
            if connected is not None and process.is_process_running(cfg.ngrok_path):
                with contextlib.suppress(PyngrokError, OSError):
                    ngrok.api_request(
                        f"{connected.api_url}/api/endpoints/wadesk-http-{self._port}",
                        method="DELETE",
                        timeout=2,
                    )
            ngrok.kill(cfg)

    def _make_log_callback(self, generation: int) -> Callable[[Any], None]:
        """pyngrok calls this from its threads for every agent log line."""

        def on_log(log: Any) -> None:
            if getattr(log, "lvl", "") not in ("ERROR", "CRITICAL"):
                return
            message = _plain(scrub(str(log.err or log.msg or ""), self._token))
            loop = self._loop
            if loop is None or loop.is_closed():
                return
            with contextlib.suppress(RuntimeError):  # loop closed meanwhile
                loop.call_soon_threadsafe(self._on_agent_error, generation, message)

        return on_log

    # -- loop-side helpers ----------------------------------------------------------------

    def _supervisor_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or task.exception() is None:
            return
        exc = task.exception()
        logger.error("tunnel supervisor failed: %s", type(exc).__name__)
        if task is self._supervisor:
            self._set(
                TunnelState.DOWN,
                None,
                message("tunnel.supervisor_stopped", kind=type(exc).__name__),
            )

    def _on_agent_error(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._agent_error = message or None
        self._wake.set()

    def _with_agent_error(self, code: str) -> Message:
        reason = message(code)
        detail = self._agent_error
        if detail and not any(m.lower() in detail.lower() for m in _AUTH_MARKERS):
            return replace(reason, more=(message("tunnel.agent_said", detail=detail),))
        return reason

    def _set_down(self, reason: Message, delay: float) -> None:
        retry = message("tunnel.retrying", delay=f"{delay:g}")
        self._set(TunnelState.DOWN, None, replace(reason, more=(*reason.more, retry)))

    def _set(self, state: TunnelState, public_url: str | None, reason: Message | None) -> None:
        old = self._status
        since = old.since if (old.state == state and old.public_url == public_url) else _now()
        text = reason.render("en") if reason is not None else None
        self._publish(
            replace(
                old,
                state=state,
                public_url=public_url,
                reason=text,
                reason_message=reason,
                since=since,
            )
        )

    def _set_registration(self, registration: str | None) -> None:
        self._publish(replace(self._status, registration=registration))

    def _publish(self, status: TunnelStatus) -> None:
        if status == self._status:
            return
        self._status = status
        if status.state is TunnelState.DOWN:
            logger.info("tunnel down: %s", status.reason)
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:
                logger.exception("tunnel status listener failed")


def _now() -> datetime:
    return datetime.now(UTC)
