"""`CloudApiClient`: the Graph API calls one WhatsApp business number needs, over one
`httpx.AsyncClient`.

Sending (every kind, built and limit-checked by `wadesk.core.outgoing`), mark-as-read and typing,
media upload / info / streamed download, template listing (all pages), phone-number info,
`/debug_token`, and webhook callback registration on the WABA.

Errors: an HTTP error response becomes a `GraphError` from the catalogue (with `http_status`);
a transport failure becomes a `NetworkError` that says whether the request may have reached the
server (`reached_server`). The access token only ever travels in the Authorization header; it
is scrubbed from anything that could end up in an exception or a log line.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from wadesk.core import outgoing
from wadesk.core.errors import (
    BAD_RESPONSE,
    CALLBACK_MANUAL_SETUP,
    LOCAL_CATALOGUE,
    MEDIA_TOO_LARGE,
    WABA_ID_MISSING,
    ErrorCategory,
    Explanation,
    GraphError,
    LocalError,
    NetworkError,
    graph_error_from_json,
)
from wadesk.engine.cloudapi.client_types import (
    REQUIRED_SCOPES,
    DownloadResult,
    GranularScope,
    MediaInfo,
    PhoneNumberInfo,
    SendResult,
    SubscribedApp,
    Template,
    TokenInfo,
)

__all__ = [
    "REQUIRED_SCOPES",
    "CloudApiClient",
    "DownloadResult",
    "GranularScope",
    "MediaInfo",
    "NetworkError",
    "PhoneNumberInfo",
    "Progress",
    "SendResult",
    "SubscribedApp",
    "Template",
    "TokenInfo",
]

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
"""Progress callback: (bytes done, total bytes or None when unknown)."""

DEFAULT_BASE_URL = "https://graph.facebook.com"
DEFAULT_VERSION = "v23.0"
CHUNK = 64 * 1024
MAX_TEMPLATE_PAGES = 200
CALLBACK_URL_MAX = 200

TEMPLATE_FIELDS = (
    "id,name,status,category,language,components,parameter_format,quality_score,rejected_reason"
)
PHONE_FIELDS = (
    "id,display_phone_number,verified_name,quality_rating,status,name_status,"
    "code_verification_status,platform_type,throughput,account_mode,messaging_limit_tier"
)

# Transport failures where the request certainly never reached the server.
_NOT_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)
_PERMISSION_CODES = frozenset({3, 10, 131005})


class CloudApiClient:
    """Graph API client for one business phone number (and its WABA)."""

    def __init__(
        self,
        *,
        phone_number_id: str,
        access_token: str,
        waba_id: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        version: str = DEFAULT_VERSION,
        timeout: float = 20.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not phone_number_id or not phone_number_id.strip():
            raise ValueError("phone_number_id must not be empty")
        if not access_token or not access_token.strip():
            raise ValueError("access_token must not be empty")
        if not version.strip("/"):
            raise ValueError("version must not be empty (e.g. v23.0)")
        self.phone_number_id = phone_number_id.strip()
        self.waba_id = waba_id.strip() if waba_id else None
        self.base_url = base_url.rstrip("/")
        self.version = version.strip("/")
        self._token = access_token.strip()
        self._secrets: set[str] = {self._token}
        self._http = httpx.AsyncClient(
            base_url=f"{self.base_url}/{self.version}/",
            headers={"Authorization": f"Bearer {self._token}"},
            timeout=timeout,
            transport=transport,
        )

    def __repr__(self) -> str:
        return (
            f"CloudApiClient(phone_number_id={self.phone_number_id!r}, waba_id={self.waba_id!r}, "
            f"base_url={self.base_url!r}, version={self.version!r})"
        )

    async def __aenter__(self) -> CloudApiClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # ------------------------------------------------------------------ plumbing

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def _network_error(self, exc: httpx.TransportError) -> NetworkError:
        detail = self._scrub(f"{type(exc).__name__}: {exc}".rstrip(": "))
        return NetworkError(reached_server=not isinstance(exc, _NOT_SENT), detail=detail)

    def _error_from_response(self, status: int, raw: bytes) -> GraphError:
        text = self._scrub(raw.decode("utf-8", "replace"))
        try:
            data: object = json.loads(text)
        except ValueError:
            snippet = text.strip()[:200] or "empty body"
            data = {"message": f"HTTP {status}: {snippet}"}
        return graph_error_from_json(data, http_status=status)

    def _decode(self, response: httpx.Response) -> dict[str, Any]:
        log.debug(
            "%s %s -> %s", response.request.method, response.request.url.path, response.status_code
        )
        if response.status_code >= 400:
            raise self._error_from_response(response.status_code, response.content)
        try:
            data = response.json()
        except ValueError:
            raise LocalError(BAD_RESPONSE, f"HTTP {response.status_code}: not JSON") from None
        if not isinstance(data, dict):
            raise LocalError(BAD_RESPONSE, "the response is not a JSON object")
        return data

    async def _request(
        self,
        method: str,
        url: str,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        content: AsyncIterator[bytes] | None = None,
    ) -> dict[str, Any]:
        try:
            response = await self._http.request(
                method, url, json=json, params=params, headers=headers, content=content
            )
        except httpx.TransportError as exc:
            raise self._network_error(exc) from None
        return self._decode(response)

    def _same_origin(self, url: str) -> bool:
        a, b = urlsplit(url), urlsplit(self.base_url)
        return (a.scheme, a.netloc) == (b.scheme, b.netloc)

    def _require_waba(self) -> str:
        if not self.waba_id:
            raise LocalError(WABA_ID_MISSING)
        return self.waba_id

    # ------------------------------------------------------------------ sending

    async def send(self, body: Mapping[str, Any]) -> SendResult:
        """POST a message body (from `wadesk.core.outgoing`) to /{phone-number-id}/messages."""
        data = await self._request("POST", f"{self.phone_number_id}/messages", json=body)
        return SendResult.from_json(data)

    async def send_text(
        self,
        to: str,
        body: str,
        *,
        preview_url: bool = False,
        reply_to: str | None = None,
        tracker: str | None = None,
    ) -> SendResult:
        return await self.send(
            outgoing.text(to, body, preview_url, reply_to=reply_to, tracker=tracker)
        )

    async def send_media(
        self,
        to: str,
        kind: str,
        *,
        media_id: str | None = None,
        link: str | None = None,
        caption: str | None = None,
        filename: str | None = None,
        voice: bool = False,
        reply_to: str | None = None,
        tracker: str | None = None,
    ) -> SendResult:
        body = outgoing.media(
            to, kind, media_id, link, caption, filename, voice, reply_to, tracker=tracker
        )
        return await self.send(body)

    async def send_location(
        self,
        to: str,
        latitude: float,
        longitude: float,
        *,
        name: str | None = None,
        address: str | None = None,
        reply_to: str | None = None,
    ) -> SendResult:
        return await self.send(
            outgoing.location(to, latitude, longitude, name, address, reply_to=reply_to)
        )

    async def send_contacts(
        self, to: str, cards: Sequence[Mapping[str, Any]], *, reply_to: str | None = None
    ) -> SendResult:
        return await self.send(outgoing.contacts(to, cards, reply_to=reply_to))

    async def send_reply_buttons(
        self,
        to: str,
        body: str,
        buttons: Sequence[tuple[str, str]],
        *,
        header: str | Mapping[str, Any] | None = None,
        footer: str | None = None,
        reply_to: str | None = None,
    ) -> SendResult:
        return await self.send(
            outgoing.reply_buttons(to, body, buttons, header, footer, reply_to=reply_to)
        )

    async def send_list(
        self,
        to: str,
        body: str,
        button: str,
        sections: Sequence[outgoing.ListSection],
        *,
        header: str | None = None,
        footer: str | None = None,
        reply_to: str | None = None,
    ) -> SendResult:
        return await self.send(
            outgoing.list_message(to, body, button, sections, header, footer, reply_to=reply_to)
        )

    async def send_cta_url(
        self,
        to: str,
        body: str,
        display_text: str,
        url: str,
        *,
        header: str | Mapping[str, Any] | None = None,
        footer: str | None = None,
        reply_to: str | None = None,
    ) -> SendResult:
        return await self.send(
            outgoing.cta_url(to, body, display_text, url, header, footer, reply_to=reply_to)
        )

    async def send_template(
        self,
        to: str,
        name: str,
        language: str,
        *,
        header: str | Mapping[str, Any] | None = None,
        body_params: Sequence[str | Mapping[str, Any]] = (),
        button_params: Sequence[outgoing.TemplateButton | Mapping[str, Any]] = (),
        reply_to: str | None = None,
    ) -> SendResult:
        body = outgoing.template(
            to, name, language, header, body_params, button_params, reply_to=reply_to
        )
        return await self.send(body)

    async def send_reaction(self, to: str, message_id: str, emoji: str) -> SendResult:
        return await self.send(outgoing.reaction(to, message_id, emoji))

    async def mark_read(self, message_id: str, typing: bool = False) -> None:
        """Mark an inbound message read; `typing=True` also shows the typing indicator."""
        body = outgoing.mark_read(message_id, typing)
        data = await self._request("POST", f"{self.phone_number_id}/messages", json=body)
        if data.get("success") is not True:
            raise LocalError(BAD_RESPONSE, "mark as read did not return success")

    # ------------------------------------------------------------------ media

    async def upload_media(
        self,
        source: Path | bytes,
        mime: str,
        filename: str | None = None,
        progress: Progress | None = None,
    ) -> str:
        """Upload a file (multipart) to /{phone-number-id}/media and return the media id.

        The MIME type and size are checked against `outgoing.MEDIA_LIMITS` first.
        """
        if isinstance(source, Path):
            size = (await asyncio.to_thread(source.stat)).st_size
            name = filename or source.name
        else:
            size = len(source)
            name = filename or "file"
        clean_mime = mime.strip()
        outgoing.check_media(outgoing.kind_for_mime(clean_mime) or "document", clean_mime, size)
        boundary = secrets.token_hex(16)
        safe_name = name.replace('"', "'").replace("\r", " ").replace("\n", " ")
        head = (
            _form_field(boundary, "messaging_product", "whatsapp")
            + _form_field(boundary, "type", clean_mime)
            + (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="file"; filename="{safe_name}"\r\n'
                f"Content-Type: {clean_mime}\r\n\r\n"
            ).encode()
        )
        tail = f"\r\n--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + size + len(tail)),
        }
        stream = _multipart_stream(head, source, tail, size, progress)
        data = await self._request(
            "POST", f"{self.phone_number_id}/media", headers=headers, content=stream
        )
        media_id = data.get("id")
        if not isinstance(media_id, str | int) or not str(media_id):
            raise LocalError(BAD_RESPONSE, "upload returned no media id")
        return str(media_id)

    async def media_info(self, media_id: str) -> MediaInfo:
        """GET /{media-id}: a short-lived download URL (5 min), MIME type, sha256 and size."""
        if not media_id or "/" in media_id:
            raise ValueError(f"not a media id: {media_id!r}")
        data = await self._request(
            "GET", media_id, params={"phone_number_id": self.phone_number_id}
        )
        return MediaInfo.from_json(data, media_id)

    async def download(
        self, url: str, dest: Path, max_size: int, progress: Progress | None = None
    ) -> DownloadResult:
        """Stream `url` (with the bearer token) into the file `dest`; at most `max_size` bytes.

        File I/O runs in a thread. On any failure the partial file is removed.
        """
        if not (urlsplit(url).scheme == "https" or self._same_origin(url)):
            raise LocalError(BAD_RESPONSE, "media URL is not https")
        digest = hashlib.sha256()
        done = 0
        handle: IO[bytes] = await asyncio.to_thread(dest.open, "wb")
        try:
            async with self._http.stream("GET", url, follow_redirects=True) as response:
                if response.status_code >= 400:
                    raise self._error_from_response(response.status_code, await response.aread())
                total = _content_length(response)
                if total is not None and total > max_size:
                    raise LocalError(MEDIA_TOO_LARGE, f"{total} bytes > {max_size}")
                async for chunk in response.aiter_bytes(CHUNK):
                    done += len(chunk)
                    if done > max_size:
                        raise LocalError(MEDIA_TOO_LARGE, f"more than {max_size} bytes")
                    digest.update(chunk)
                    await asyncio.to_thread(handle.write, chunk)
                    if progress is not None:
                        progress(done, total)
                content_type = response.headers.get("content-type")
        except httpx.TransportError as exc:
            await _close_and_remove(handle, dest)
            raise self._network_error(exc) from None
        except BaseException:
            await _close_and_remove(handle, dest)
            raise
        await asyncio.to_thread(handle.close)
        return DownloadResult(size=done, sha256=digest.hexdigest(), content_type=content_type)

    # ------------------------------------------------------------------ account

    async def templates(self) -> list[Template]:
        """All message templates of the WABA, following `paging.next` across pages."""
        waba = self._require_waba()
        params = {"fields": TEMPLATE_FIELDS, "limit": "100"}
        data = await self._request("GET", f"{waba}/message_templates", params=params)
        result: list[Template] = []
        seen: set[str] = set()
        for _ in range(MAX_TEMPLATE_PAGES):
            items = data.get("data")
            if isinstance(items, list):
                result.extend(Template.from_json(item) for item in items if isinstance(item, dict))
            paging = data.get("paging")
            next_url = paging.get("next") if isinstance(paging, dict) else None
            if not isinstance(next_url, str) or not next_url:
                return result
            if not self._same_origin(next_url):
                raise LocalError(BAD_RESPONSE, "template paging points to another server")
            next_url = _without_access_token(next_url)
            if next_url in seen:
                return result
            seen.add(next_url)
            data = await self._request("GET", next_url)
        raise LocalError(BAD_RESPONSE, f"more than {MAX_TEMPLATE_PAGES} pages of templates")

    async def phone_number_info(self) -> PhoneNumberInfo:
        """GET /{phone-number-id}: display number, verified name, quality, limit tier, …"""
        data = await self._request("GET", self.phone_number_id, params={"fields": PHONE_FIELDS})
        return PhoneNumberInfo.from_json(data)

    async def debug_token(self, app_token: str | None = None) -> TokenInfo:
        """GET /debug_token for this client's token (inspected with `app_token` if given)."""
        headers = None
        if app_token:
            self._secrets.add(app_token)
            headers = {"Authorization": f"Bearer {app_token}"}
        data = await self._request(
            "GET", "debug_token", params={"input_token": self._token}, headers=headers
        )
        inner = data.get("data")
        if not isinstance(inner, dict):
            raise LocalError(BAD_RESPONSE, "debug_token returned no data")
        return TokenInfo.from_json(inner)

    async def register_callback(self, callback_url: str, verify_token: str) -> None:
        """Point the WABA's webhooks at `callback_url` (POST /{WABA}/subscribed_apps).

        Meta checks the URL with a GET challenge during this call, so the webhook server and the
        tunnel must already be up. If the token may not do this, the raised `GraphError`
        explains how to set the webhook by hand in Meta's dashboard.
        """
        waba = self._require_waba()
        url = callback_url.strip()
        if not url.startswith("https://") or len(url) > CALLBACK_URL_MAX:
            raise outgoing.LimitError(
                "callback_url",
                f"callback_url must be an https:// URL of at most {CALLBACK_URL_MAX} characters",
                f"callback_url: нужен адрес https:// не длиннее {CALLBACK_URL_MAX} символов",
            )
        if not verify_token or not verify_token.strip():
            raise outgoing.LimitError(
                "verify_token",
                "verify_token must not be empty",
                "verify_token не может быть пустым",
            )
        body = {"override_callback_uri": url, "verify_token": verify_token}
        try:
            data = await self._request("POST", f"{waba}/subscribed_apps", json=body)
        except GraphError as err:
            if _is_permission_error(err):
                raise err.with_explanation(_manual_setup(url)) from err
            raise
        if data.get("success") is not True:
            raise LocalError(BAD_RESPONSE, "subscribed_apps did not return success")

    async def waba_phone_number_ids(self) -> list[str]:
        """GET /{WABA}/phone_numbers: the Phone Number IDs of this WhatsApp Business Account."""
        data = await self._request(
            "GET", f"{self._require_waba()}/phone_numbers", params={"fields": "id", "limit": "200"}
        )
        items = data.get("data")
        if not isinstance(items, list):
            return []
        return [str(i["id"]) for i in items if isinstance(i, dict) and i.get("id") is not None]

    async def subscribed_apps(self) -> list[SubscribedApp]:
        """GET /{WABA}/subscribed_apps: the apps receiving this WABA's webhooks."""
        data = await self._request("GET", f"{self._require_waba()}/subscribed_apps")
        items = data.get("data")
        if not isinstance(items, list):
            return []
        return [SubscribedApp.from_json(item) for item in items if isinstance(item, dict)]


def _is_permission_error(err: GraphError) -> bool:
    if err.category is ErrorCategory.PERMISSION or err.code in _PERMISSION_CODES:
        return True
    return err.code is not None and 200 <= err.code <= 299


def _manual_setup(callback_url: str) -> Explanation:
    base = LOCAL_CATALOGUE[CALLBACK_MANUAL_SETUP].explanation
    return replace(
        base,
        what_to_do_en=f"{base.what_to_do_en} Callback URL: {callback_url}",
        what_to_do_ru=f"{base.what_to_do_ru} Адрес обратного вызова: {callback_url}",
    )


def _form_field(boundary: str, name: str, value: str) -> bytes:
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
    ).encode()


async def _multipart_stream(
    head: bytes, source: Path | bytes, tail: bytes, size: int, progress: Progress | None
) -> AsyncIterator[bytes]:
    yield head
    done = 0
    if isinstance(source, bytes):
        for start in range(0, len(source), CHUNK):
            chunk = source[start : start + CHUNK]
            done += len(chunk)
            yield chunk
            if progress is not None:
                progress(done, size)
    else:
        handle: IO[bytes] = await asyncio.to_thread(source.open, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                done += len(chunk)
                yield chunk
                if progress is not None:
                    progress(done, size)
        finally:
            await asyncio.to_thread(handle.close)
    if progress is not None and size == 0:
        progress(0, 0)
    yield tail


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    if value and value.strip().isdigit():
        return int(value)
    return None


def _without_access_token(url: str) -> str:
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "access_token"
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


async def _close_and_remove(handle: IO[bytes], path: Path) -> None:
    def work() -> None:
        handle.close()
        path.unlink(missing_ok=True)

    await asyncio.to_thread(work)
