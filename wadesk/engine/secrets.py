"""Credentials: the OS keyring (service ``wadesk``) with environment-variable overrides.

What lives here:

- `SecretKind`: the four kinds of secret wadesk keeps (access token, app secret, verify token,
  ngrok authtoken).
- `SecretStore`: get / set / delete secrets, the per-install verify token, and a `status()`
  probe that tells the UI (and `wadesk doctor`) whether a usable credential store exists.
- `SecretsUnavailable`: raised when there is no usable keyring; its text is the fix, never a
  secret.

Rules: secrets live only in the keyring or in environment variables (for headless use,
``WADESK_ACCESS_TOKEN``, ``WADESK_APP_SECRET``, ``WADESK_VERIFY_TOKEN``,
``WADESK_NGROK_AUTHTOKEN``, optionally suffixed with ``_<PHONE_NUMBER_ID>``). There is never a
plaintext fallback. Every value read or written is registered with the log redactor.

Every method blocks (keyring backends talk D-Bus / system APIs): async callers run them in an
executor (``await asyncio.to_thread(store.get, kind, scope)``), never on the event loop.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from wadesk.engine.logs import SecretRedactor

SERVICE = "wadesk"
ENV_PREFIX = "WADESK_"
_PROBE_USERNAME = "wadesk-probe"
_SCOPE_RE = re.compile(r"[^A-Za-z0-9]+")

FIX_MESSAGE = (
    "No secure credential store is available. On Linux install and unlock GNOME Keyring or "
    "KWallet (package gnome-keyring), or set WADESK_ACCESS_TOKEN / WADESK_APP_SECRET for "
    "headless use."
)
PLAINTEXT_MESSAGE = (
    "The selected credential store ({backend}) keeps secrets in a plaintext file, which wadesk "
    "refuses to use. Uninstall keyrings.alt (or unset PYTHON_KEYRING_BACKEND) and install and "
    "unlock GNOME Keyring or KWallet (package gnome-keyring), or set WADESK_ACCESS_TOKEN / "
    "WADESK_APP_SECRET for headless use."
)


class SecretKind(StrEnum):
    ACCESS_TOKEN = "access_token"
    APP_SECRET = "app_secret"
    VERIFY_TOKEN = "verify_token"
    NGROK_AUTHTOKEN = "ngrok_authtoken"

    @property
    def env_name(self) -> str:
        """The environment variable that overrides this kind, e.g. ``WADESK_APP_SECRET``."""
        return ENV_PREFIX + self.value.upper()


@dataclass(frozen=True)
class KeyringStatus:
    ok: bool
    backend: str
    message: str  # names the fix when not ok


class SecretsUnavailable(RuntimeError):
    """No usable credential store. ``str()`` is the fix message; it never contains a secret."""


def env_name(kind: SecretKind, scope: str = "") -> str:
    """Environment variable for a kind and scope: ``WADESK_ACCESS_TOKEN_<SCOPE>`` (or unscoped)."""
    if not scope:
        return kind.env_name
    return f"{kind.env_name}_{_SCOPE_RE.sub('_', scope).strip('_').upper()}"


def _backend_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_plaintext(backend: KeyringBackend) -> bool:
    cls = type(backend)
    return cls.__module__.startswith("keyrings.alt") or "plaintext" in cls.__name__.lower()


def _unusable_reason(backend: KeyringBackend) -> str | None:
    """Why this backend cannot hold wadesk's secrets, judged without touching it (or None)."""
    if isinstance(backend, fail.Keyring):
        return FIX_MESSAGE
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        if not chained:
            return FIX_MESSAGE
        plain = [b for b in chained if _is_plaintext(b)]
        if plain:
            return PLAINTEXT_MESSAGE.format(backend=_backend_name(plain[0]))
        return None
    if _is_plaintext(backend):
        return PLAINTEXT_MESSAGE.format(backend=_backend_name(backend))
    return None


class SecretStore:
    """Reads and writes wadesk's secrets. All methods block: call them from an executor."""

    def __init__(
        self,
        redactor: SecretRedactor,
        *,
        service: str = SERVICE,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._redactor = redactor
        self._service = service
        self._environ: Mapping[str, str] = os.environ if environ is None else environ
        self._verify_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SecretStore(service={self._service!r})"

    # -- status ---------------------------------------------------------------------------

    def status(self) -> KeyringStatus:
        """Whether a usable credential store exists. Never raises."""
        try:
            backend = keyring.get_keyring()
        except Exception as exc:
            return KeyringStatus(False, "unknown", f"{FIX_MESSAGE} ({type(exc).__name__})")
        name = _backend_name(backend)
        reason = _unusable_reason(backend)
        if reason is not None:
            return KeyringStatus(False, name, reason)
        probe = secrets.token_hex(8)
        try:
            backend.set_password(self._service, _PROBE_USERNAME, probe)
            read_back = backend.get_password(self._service, _PROBE_USERNAME)
            backend.delete_password(self._service, _PROBE_USERNAME)
        except Exception as exc:  # KeyringError, but also D-Bus errors from odd backends
            detail = self._redactor.redact(str(exc))[:200]
            return KeyringStatus(
                False,
                name,
                f"The credential store ({name}) cannot be used: {type(exc).__name__}: {detail}. "
                f"{FIX_MESSAGE}",
            )
        if read_back != probe:
            return KeyringStatus(
                False,
                name,
                f"The credential store ({name}) does not keep what is stored in it. {FIX_MESSAGE}",
            )
        return KeyringStatus(True, name, f"Secrets are kept in {name}.")

    # -- access ---------------------------------------------------------------------------

    def get(self, kind: SecretKind, scope: str = "") -> str | None:
        """The secret for ``kind`` and ``scope`` (a phone number id, or "" for global ones).

        Order: ``WADESK_<KIND>_<SCOPE>``, ``WADESK_<KIND>``, then the keyring entry
        ``"<kind>:<scope>"``. Returns None when none is set.
        """
        kind, scope = _check(kind, scope)
        for name in (env_name(kind, scope), env_name(kind)) if scope else (env_name(kind),):
            value = self._environ.get(name)
            if value:
                self._redactor.add(value)
                return value
        backend = self._backend()
        try:
            value = backend.get_password(self._service, _username(kind, scope))
        except (KeyringError, RuntimeError, OSError) as exc:
            raise self._unavailable(exc) from None
        if value:
            self._redactor.add(value)
            return value
        return None

    def set(self, kind: SecretKind, scope: str, value: str) -> None:
        """Store a secret in the keyring (environment variables are never written)."""
        kind, scope = _check(kind, scope)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"The {kind.value.replace('_', ' ')} must be a non-empty string.")
        self._redactor.add(value)
        backend = self._backend()
        try:
            backend.set_password(self._service, _username(kind, scope), value)
        except (KeyringError, RuntimeError, OSError) as exc:
            raise self._unavailable(exc) from None

    def delete(self, kind: SecretKind, scope: str = "") -> None:
        """Remove a secret from the keyring; a missing entry is fine."""
        kind, scope = _check(kind, scope)
        backend = self._backend()
        try:
            backend.delete_password(self._service, _username(kind, scope))
        except PasswordDeleteError:
            return
        except (KeyringError, RuntimeError, OSError) as exc:
            raise self._unavailable(exc) from None

    def verify_token(self) -> str:
        """The per-install webhook verify token; created (random) and stored on first use."""
        with self._verify_lock:
            existing = self.get(SecretKind.VERIFY_TOKEN)
            if existing:
                return existing
            token = secrets.token_urlsafe(24)
            self.set(SecretKind.VERIFY_TOKEN, "", token)
            return token

    def app_secrets(self, scopes: Iterable[str]) -> list[str]:
        """The distinct app secrets configured for these phone number ids (signature check)."""
        found: list[str] = []
        for scope in scopes:
            value = self.get(SecretKind.APP_SECRET, scope)
            if value and value not in found:
                found.append(value)
        return found

    # -- helpers --------------------------------------------------------------------------

    def _backend(self) -> KeyringBackend:
        try:
            backend = keyring.get_keyring()
        except Exception as exc:
            raise SecretsUnavailable(f"{FIX_MESSAGE} ({type(exc).__name__})") from None
        reason = _unusable_reason(backend)
        if reason is not None:
            raise SecretsUnavailable(reason)
        return backend

    def _unavailable(self, exc: BaseException) -> SecretsUnavailable:
        if isinstance(exc, NoKeyringError):
            return SecretsUnavailable(FIX_MESSAGE)
        detail = self._redactor.redact(str(exc))[:200]
        return SecretsUnavailable(
            f"The credential store could not be used ({type(exc).__name__}: {detail}). "
            f"{FIX_MESSAGE}"
        )


def _username(kind: SecretKind, scope: str) -> str:
    return f"{kind.value}:{scope}"


def _check(kind: SecretKind | str, scope: str) -> tuple[SecretKind, str]:
    try:
        checked = SecretKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in SecretKind)
        raise ValueError(f"Unknown secret kind {kind!r}; expected one of: {known}.") from None
    if not isinstance(scope, str):
        raise ValueError("The secret scope must be a string (a phone number id, or '').")
    return checked, scope.strip()
