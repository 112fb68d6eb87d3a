"""Tests for wadesk.engine.secrets: keyring storage, env overrides, the verify token, the
no-backend error, plaintext refusal and redaction."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests.keyrings import MemoryKeyring
from wadesk.engine.logs import RedactingFormatter, SecretRedactor
from wadesk.engine.secrets import (
    FIX_MESSAGE,
    SecretKind,
    SecretStore,
    SecretsUnavailable,
    env_name,
)

TOKEN = "EAAGm0PX4ZCpsBAtesttokenvalue1234567890"
APP_SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def redactor() -> SecretRedactor:
    return SecretRedactor()


@pytest.fixture
def store(redactor: SecretRedactor) -> SecretStore:
    return SecretStore(redactor, environ={})


@pytest.fixture
def no_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The headless default: keyring's fail backend; HOME/XDG point into tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    for var, sub in (("HOME", ""), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")):
        path = home / sub if sub else home
        path.mkdir(exist_ok=True)
        monkeypatch.setenv(var, str(path))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield home
    keyring.set_keyring(previous)


def test_set_get_delete_round_trip(store: SecretStore, memory_keyring: MemoryKeyring) -> None:
    assert store.get(SecretKind.ACCESS_TOKEN, "1234") is None
    store.set(SecretKind.ACCESS_TOKEN, "1234", TOKEN)
    assert store.get(SecretKind.ACCESS_TOKEN, "1234") == TOKEN
    assert memory_keyring.store[("wadesk", "access_token:1234")] == TOKEN
    assert store.get(SecretKind.ACCESS_TOKEN, "9999") is None  # scopes are separate
    store.delete(SecretKind.ACCESS_TOKEN, "1234")
    assert store.get(SecretKind.ACCESS_TOKEN, "1234") is None
    store.delete(SecretKind.ACCESS_TOKEN, "1234")  # missing is fine


def test_custom_service_name(redactor: SecretRedactor, memory_keyring: MemoryKeyring) -> None:
    SecretStore(redactor, service="wadesk-test", environ={}).set(
        SecretKind.NGROK_AUTHTOKEN, "", "2abcdefNgrokToken"
    )
    assert ("wadesk-test", "ngrok_authtoken:") in memory_keyring.store


def test_global_env_override_applies_to_any_scope(
    redactor: SecretRedactor, memory_keyring: MemoryKeyring
) -> None:
    env = {"WADESK_ACCESS_TOKEN": "EAAenvtokenvalue000000000000", "WADESK_APP_SECRET": APP_SECRET}
    store = SecretStore(redactor, environ=env)
    store.set(SecretKind.ACCESS_TOKEN, "1234", TOKEN)  # env wins over the keyring
    assert store.get(SecretKind.ACCESS_TOKEN, "1234") == env["WADESK_ACCESS_TOKEN"]
    assert store.get(SecretKind.ACCESS_TOKEN, "5678") == env["WADESK_ACCESS_TOKEN"]
    assert store.get(SecretKind.APP_SECRET, "5678") == APP_SECRET
    assert store.get(SecretKind.VERIFY_TOKEN) is None


def test_scoped_env_override_beats_global(
    redactor: SecretRedactor, memory_keyring: MemoryKeyring
) -> None:
    env = {
        "WADESK_APP_SECRET": "globalsecret000000",
        "WADESK_APP_SECRET_1234": "scopedsecret111111",
        "WADESK_NGROK_AUTHTOKEN": "2ngroktokenfromenv",
        "WADESK_VERIFY_TOKEN": "verify-from-env",
    }
    store = SecretStore(redactor, environ=env)
    assert store.get(SecretKind.APP_SECRET, "1234") == "scopedsecret111111"
    assert store.get(SecretKind.APP_SECRET, "777") == "globalsecret000000"
    assert store.get(SecretKind.NGROK_AUTHTOKEN) == "2ngroktokenfromenv"
    assert store.verify_token() == "verify-from-env"
    assert memory_keyring.store == {}  # env values are never copied into the keyring
    assert env_name(SecretKind.ACCESS_TOKEN, "12-34") == "WADESK_ACCESS_TOKEN_12_34"


def test_reads_os_environ_by_default(
    redactor: SecretRedactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SecretStore(redactor)
    assert store.get(SecretKind.ACCESS_TOKEN, "1") is None
    monkeypatch.setenv("WADESK_ACCESS_TOKEN_1", "EAAfromosenviron000000000000")
    assert store.get(SecretKind.ACCESS_TOKEN, "1") == "EAAfromosenviron000000000000"


def test_verify_token_created_once_and_stable(
    store: SecretStore, redactor: SecretRedactor, memory_keyring: MemoryKeyring
) -> None:
    first = store.verify_token()
    assert len(first) >= 32
    assert store.verify_token() == first
    assert SecretStore(redactor, environ={}).verify_token() == first  # stored, not cached
    assert memory_keyring.store[("wadesk", "verify_token:")] == first
    memory_keyring.store.clear()
    assert store.verify_token() != first  # a new install gets a new random token


def test_app_secrets_distinct_and_ordered(
    redactor: SecretRedactor, memory_keyring: MemoryKeyring
) -> None:
    store = SecretStore(redactor, environ={"WADESK_APP_SECRET_3": "thirdsecret333"})
    store.set(SecretKind.APP_SECRET, "1", "firstsecret111")
    store.set(SecretKind.APP_SECRET, "2", "firstsecret111")  # same app, two numbers
    assert store.app_secrets(["1", "2", "3", "4"]) == ["firstsecret111", "thirdsecret333"]
    assert store.app_secrets([]) == []


def test_bad_input_is_a_clear_error(store: SecretStore) -> None:
    with pytest.raises(ValueError, match="Unknown secret kind"):
        store.get("password", "1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty"):
        store.set(SecretKind.APP_SECRET, "1", "   ")


def test_status_ok_with_memory_backend(store: SecretStore, memory_keyring: MemoryKeyring) -> None:
    status = store.status()
    assert status.ok
    assert status.backend == "tests.keyrings.MemoryKeyring"
    assert memory_keyring.store == {}  # the probe cleans up after itself


def test_no_backend_status_and_errors_name_the_fix(store: SecretStore, no_keyring: Path) -> None:
    status = store.status()
    assert not status.ok
    assert status.backend == "keyring.backends.fail.Keyring"
    assert "gnome-keyring" in status.message and "WADESK_ACCESS_TOKEN" in status.message
    assert status.message == FIX_MESSAGE

    with pytest.raises(SecretsUnavailable) as got:
        store.set(SecretKind.ACCESS_TOKEN, "1234", TOKEN)
    assert str(got.value) == FIX_MESSAGE
    assert TOKEN not in repr(got.value)
    with pytest.raises(SecretsUnavailable, match="GNOME Keyring"):
        store.get(SecretKind.ACCESS_TOKEN, "1234")
    with pytest.raises(SecretsUnavailable):
        store.verify_token()
    with pytest.raises(SecretsUnavailable):
        store.delete(SecretKind.APP_SECRET, "1234")


def test_no_backend_still_serves_env_overrides(redactor: SecretRedactor, no_keyring: Path) -> None:
    store = SecretStore(redactor, environ={"WADESK_ACCESS_TOKEN": TOKEN})
    assert store.get(SecretKind.ACCESS_TOKEN, "1234") == TOKEN


def test_no_plaintext_fallback_file_is_written(
    store: SecretStore, no_keyring: Path, tmp_path: Path
) -> None:
    with pytest.raises(SecretsUnavailable):
        store.set(SecretKind.APP_SECRET, "1234", APP_SECRET)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == []  # e.g. no ~/.local/share/python_keyring/keyring_pass.cfg


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt.file.PlaintextKeyring."""


def test_plaintext_backend_is_refused(store: SecretStore) -> None:
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    try:
        status = store.status()
        assert not status.ok
        assert "plaintext" in status.message and "keyrings.alt" in status.message
        with pytest.raises(SecretsUnavailable, match="plaintext"):
            store.set(SecretKind.APP_SECRET, "1", APP_SECRET)
        assert backend.store == {}
    finally:
        keyring.set_keyring(previous)


class BrokenKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked("Failed to unlock the collection")


def test_locked_backend_reported_without_raising(store: SecretStore) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring())
    try:
        status = store.status()
        assert not status.ok
        assert "KeyringLocked" in status.message and "gnome-keyring" in status.message
        with pytest.raises(SecretsUnavailable) as got:
            store.set(SecretKind.APP_SECRET, "1", APP_SECRET)
        assert APP_SECRET not in str(got.value)
    finally:
        keyring.set_keyring(previous)


def test_read_and_written_secrets_are_redacted_in_logs(
    redactor: SecretRedactor, memory_keyring: MemoryKeyring
) -> None:
    ngrok_token = "2Xy9ngrokAuthTokenValue_abc"
    env_secret = "envappsecretvalue42"
    store = SecretStore(redactor, environ={"WADESK_APP_SECRET": env_secret})
    store.set(SecretKind.NGROK_AUTHTOKEN, "", ngrok_token)  # written
    memory_keyring.store[("wadesk", "access_token:1")] = "plainshapedtoken999"
    assert store.get(SecretKind.ACCESS_TOKEN, "1") == "plainshapedtoken999"  # read
    assert store.get(SecretKind.APP_SECRET, "1") == env_secret  # from env
    verify = store.verify_token()

    formatter = RedactingFormatter(redactor, "%(message)s")
    for secret in (ngrok_token, "plainshapedtoken999", env_secret, verify):
        record = logging.LogRecord(
            "wadesk.test", logging.INFO, __file__, 1, "value=%s", (secret,), None
        )
        text = formatter.format(record)
        assert secret not in text
        assert "[redacted]" in text


def test_repr_has_no_secrets(store: SecretStore) -> None:
    store.set(SecretKind.APP_SECRET, "1", APP_SECRET)
    assert APP_SECRET not in repr(store)
    assert os.environ.get("WADESK_APP_SECRET") is None  # conftest keeps the env clean
