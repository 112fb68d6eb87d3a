"""Keyring backends for the test-suite: in memory, and a JSON file shared across processes.

Both have a priority below zero so keyring never auto-selects them; tests install them
explicitly (`keyring.set_keyring`, or `PYTHON_KEYRING_BACKEND=tests.keyrings.FileKeyring` with
`WADESK_TEST_KEYRING_FILE` for subprocesses).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.store[(service, username)]
        except KeyError as exc:
            raise PasswordDeleteError(username) from exc


class FileKeyring(KeyringBackend):
    """Stores secrets in the JSON file named by WADESK_TEST_KEYRING_FILE (tests only)."""

    priority = -1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ["WADESK_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        p = self._path()
        return json.loads(p.read_text()) if p.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self._path().write_text(json.dumps(data))
