"""One `CloudApiClient` per configured number, created on demand from the keyring.

The pool reads the access token in an executor (keyring calls block), builds the client with
the Graph base URL and version from the settings (the sandbox and tests stand in for
graph.facebook.com by changing the base URL), and closes every client on shutdown.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from wadesk.core.error_catalogue import TOKEN_MISSING
from wadesk.core.errors import LocalError
from wadesk.engine.cloudapi.client import CloudApiClient
from wadesk.engine.config import Settings
from wadesk.engine.secrets import SecretKind, SecretStore

T = TypeVar("T")
Blocking = Callable[..., Awaitable[Any]]


class MissingCredentials(LocalError):
    """No access token for a number (neither in the keyring nor in the environment)."""

    def __init__(self, phone_number_id: str) -> None:
        super().__init__(TOKEN_MISSING, detail=f"Phone Number ID {phone_number_id}")
        self.phone_number_id = phone_number_id


class ClientPool:
    """Cache of `CloudApiClient`s keyed by Phone Number ID."""

    def __init__(
        self,
        settings: Settings,
        secrets: SecretStore,
        blocking: Blocking,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20.0,
    ) -> None:
        self._settings = settings
        self._secrets = secrets
        self._blocking = blocking
        self._transport = transport
        self._timeout = timeout
        self._clients: dict[str, CloudApiClient] = {}
        self._lock = asyncio.Lock()

    async def get(self, phone_number_id: str, waba_id: str | None = None) -> CloudApiClient:
        """The client for a number; raises MissingCredentials when it has no token."""
        client = self._clients.get(phone_number_id)
        if client is not None:
            return client
        async with self._lock:
            client = self._clients.get(phone_number_id)
            if client is not None:
                return client
            token = await self._blocking(
                self._secrets.get, SecretKind.ACCESS_TOKEN, phone_number_id
            )
            if not token:
                raise MissingCredentials(phone_number_id)
            client = CloudApiClient(
                phone_number_id=phone_number_id,
                access_token=token,
                waba_id=waba_id,
                base_url=self._settings.graph_base_url,
                version=self._settings.graph_version,
                timeout=self._timeout,
                transport=self._transport,
            )
            self._clients[phone_number_id] = client
            return client

    async def invalidate(self, phone_number_id: str) -> None:
        """Forget a number's client (its token changed or the number was removed)."""
        client = self._clients.pop(phone_number_id, None)
        if client is not None:
            await client.aclose()

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()
