"""The sandbox server: an aiohttp app that answers Graph API endpoints like Meta (messages,
media, templates, phone number info, a WABA's phone numbers, debug_token, subscribed_apps),
sends signed webhooks to the registered callback, and exposes `/_sandbox/...` control
endpoints for the CLI.

`Sandbox` is also the Python control surface for tests and the demo (customers, counters,
outages, `wait_idle`).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from aiohttp import web
from yarl import URL

from wadesk.engine.sandbox import rules
from wadesk.engine.sandbox.customers import Customer, SandboxUsageError, run_action
from wadesk.engine.sandbox.rules import GraphError, TokenBucket, error, unknown_object
from wadesk.engine.sandbox.state import (
    SCOPE_MANAGEMENT,
    SCOPE_MESSAGING,
    Callback,
    Counters,
    InboundRecord,
    JSONDict,
    SandboxConfig,
    SandboxCustomer,
    SandboxNumber,
    SandboxState,
    SentMessage,
    digits_of,
)
from wadesk.engine.sandbox.waba import phone_numbers_handler
from wadesk.engine.sandbox.webhooks import (
    WebhookDispatcher,
    inbound_value,
    status_value,
    verify_callback,
)

log = logging.getLogger("wadesk.sandbox")
V = r"{version:v\d+\.\d+}"
MEDIA_URL_SECONDS = 300
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Sandbox:
    """A local Cloud API. `await start()` returns the base URL (`http://127.0.0.1:PORT`)."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.state = SandboxState(config)
        self.base_url = ""
        self.marked_read: list[str] = []
        self._throughput: dict[str, TokenBucket] = {}
        self._pairs: dict[tuple[str, str], TokenBucket] = {}
        self._failures: list[GraphError] = []
        self._url_key = secrets.token_bytes(16)
        self._down = False
        self._host = "127.0.0.1"
        self._port = 0
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._http: aiohttp.ClientSession | None = None
        self._dispatcher = WebhookDispatcher(
            config.app_secret,
            self.state.callback_for,
            self.state.counters,
            backoff=config.webhook_retry_backoff,
            cap=config.webhook_retry_cap,
            max_attempts=config.webhook_max_attempts,
            timeout=config.webhook_timeout,
        )

    # --- lifecycle -------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        app = web.Application(client_max_size=110 * 1024 * 1024, middlewares=[self._outage])
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, host, port)
        await self._site.start()
        self._host = host
        self._port = int(self._runner.addresses[0][1])
        self.base_url = f"http://{host}:{self._port}"
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        await self._dispatcher.start()
        return self.base_url

    async def stop(self) -> None:
        await self._dispatcher.stop()
        if self._http is not None:
            await self._http.close()
            self._http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._site = None

    async def set_down(self, down: bool) -> None:
        """Simulate an outage: stop listening (connections refused), or listen again on the
        same port."""
        if self._runner is None or down == self._down:
            return
        self._down = down
        if down:
            if self._site is not None:
                await self._site.stop()
                self._site = None
            if self._runner.server is not None:
                await self._runner.server.shutdown(0.1)
        else:
            self._site = web.TCPSite(self._runner, self._host, self._port, reuse_address=True)
            await self._site.start()

    def fail_next(self, code: int, details: str | None = None, *, count: int = 1) -> None:
        """The next `count` Graph calls answer Meta's error `code` (e.g. 131000, 131016)."""
        self._failures.extend([error(code, details)] * count)

    async def wait_idle(self, limit: float = 10.0) -> None:
        """Wait until every scheduled status and webhook (with its retries) is done."""
        async with asyncio.timeout(limit):
            await self._dispatcher.wait_idle()

    # --- introspection / control -----------------------------------------------------
    @property
    def sent_messages(self) -> list[SentMessage]:
        return self.state.sent

    @property
    def counters(self) -> Counters:
        return self.state.counters

    def customer(self, wa_id: str, phone_number_id: str | None = None) -> Customer:
        profile = self.state.customers.get(digits_of(wa_id))
        if profile is None:
            known = ", ".join(self.state.customers) or "none"
            raise SandboxUsageError(f"unknown customer {wa_id} (known: {known})")
        pid = phone_number_id or self.config.numbers[0].phone_number_id
        if self.state.number(pid) is None:
            raise SandboxUsageError(f"unknown phone number id {pid}")
        return Customer(self, profile, pid)

    def add_customer(self, wa_id: str, name: str) -> Customer:
        self.state.customers[digits_of(wa_id)] = SandboxCustomer(digits_of(wa_id), name)
        return self.customer(wa_id)

    async def set_callback(self, url: str, verify_token: str) -> None:
        """Register the app callback like the API does: Meta's GET challenge must pass."""
        err = await self._verify_callback(url, verify_token)
        if err is not None:
            raise SandboxUsageError(err.full_message)
        self.state.app_callback = Callback(url, verify_token)

    def deliver_inbound(self, phone_number_id: str, wa_id: str, message: JSONDict) -> str:
        """Record a customer's message, open the window, and queue its webhook."""
        number = self.state.number(phone_number_id)
        if number is None:
            raise SandboxUsageError(f"unknown phone number id {phone_number_id}")
        profile = self.state.customers[wa_id]
        now = self.config.clock()
        wamid = self.state.new_wamid(wa_id)
        full = {"from": wa_id, "id": wamid, "timestamp": str(int(now)), **message}
        profile.last_inbound_at = now
        self.state.inbound.append(InboundRecord(wamid, phone_number_id, wa_id, full))
        self._dispatcher.send(number, inbound_value(wa_id, profile.name, full))
        return wamid

    # --- plumbing ----------------------------------------------------------------------
    def _add_routes(self, app: web.Application) -> None:
        r = app.router
        r.add_get(f"/{V}/debug_token", self._debug_token)
        r.add_post(f"/{V}/{{obj}}/messages", self._messages)
        r.add_post(f"/{V}/{{obj}}/media", self._upload)
        r.add_get(f"/{V}/{{obj}}/message_templates", self._templates)
        r.add_route("*", f"/{V}/{{obj}}/subscribed_apps", self._subscribed_apps)
        r.add_route("*", f"/{V}/{{obj}}/subscriptions", self._app_subscriptions)
        r.add_get(
            f"/{V}/{{obj}}/phone_numbers",
            phone_numbers_handler(self.state, self._guard, self._error),
        )
        r.add_get(f"/{V}/{{obj}}", self._get_object)
        r.add_delete(f"/{V}/{{obj}}", self._delete_object)
        r.add_get("/media-download/{media_id}", self._download)
        r.add_get("/_sandbox/state", self._control_state)
        r.add_get("/_sandbox/counters", self._control_counters)
        r.add_post("/_sandbox/customers/{wa_id}/{action}", self._control_customer)

    @web.middleware
    async def _outage(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self._down and request.transport is not None:
            request.transport.abort()
            raise web.HTTPServiceUnavailable()
        return await handler(request)

    def _error(self, err: GraphError) -> web.Response:
        self.state.counters.errors[err.code] += 1
        return web.json_response(err.response_body(), status=err.http_status)

    def _violation(self, err: GraphError) -> web.Response:
        self.state.counters.violations[err.code] += 1
        return self._error(err)

    def _guard(self, request: web.Request, scope: str | None) -> GraphError | None:
        """Injected failures first, then the access token (190) and its scope (10)."""
        if self._failures:
            return self._failures.pop(0)
        token = rules.bearer_token(
            request.headers.get("Authorization"), request.query.get("access_token")
        )
        return rules.check_token(self.config.access_tokens, token, self.config.clock(), scope)

    # --- messages ------------------------------------------------------------------------
    async def _messages(self, request: web.Request) -> web.Response:
        pid = request.match_info["obj"]
        if err := self._guard(request, SCOPE_MESSAGING):
            return self._error(err)
        number = self.state.number(pid)
        if number is None:
            return self._error(unknown_object(pid))
        body = await _json_body(request)
        if body is None:
            return self._error(error(100, "The request body is not a valid JSON object."))
        if body.get("status") == "read" and "message_id" in body:
            return self._mark_read(body)
        now = self.config.clock()
        bucket = self._throughput.setdefault(
            pid, TokenBucket(self.config.throughput_per_second, self.config.throughput_per_second)
        )
        if not bucket.take(asyncio.get_running_loop().time()):
            return self._violation(rules.throughput_error(self.config.throughput_per_second))
        if err := rules.validate_message(body):
            return self._error(err)
        wa_id = digits_of(str(body["to"]))
        kind = str(body.get("type", "text"))
        template: Mapping[str, Any] | None = None
        if kind == "template":
            template, err = rules.check_template(self.state.templates, body["template"])
            if err:
                return self._error(err)
        if err := rules.check_allowed_recipient(
            self.config.test_number, self.config.allowed_recipients, wa_id
        ):
            return self._violation(err)
        pair = self._pairs.setdefault(
            (pid, wa_id),
            TokenBucket(self.config.pair_rate_per_6s / 6.0, self.config.pair_rate_burst),
        )
        if not pair.take(asyncio.get_running_loop().time()):
            return self._violation(rules.pair_rate_error())
        wamid = self.state.new_wamid(wa_id)
        sent = SentMessage(wamid, pid, wa_id, kind, body, now)
        self.state.sent.append(sent)
        self.state.counters.accepted[wa_id] += 1
        customer = self.state.customers.get(wa_id)
        failure: GraphError | None = None
        if kind != "template" and not rules.window_open(
            customer.last_inbound_at if customer else None, now
        ):
            failure = rules.window_error()
            sent.failed_code = failure.code
            self.state.counters.violations[failure.code] += 1
        category = str(template.get("category", "utility")).lower() if template else "service"
        self._dispatcher.spawn(self._statuses(number, sent, failure, category))
        result: JSONDict = {"id": wamid}
        if kind == "template":
            result["message_status"] = "accepted"
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": wa_id}],
                "messages": [result],
            }
        )

    def _mark_read(self, body: Mapping[str, Any]) -> web.Response:
        wamid = str(body.get("message_id"))
        if not any(r.wamid == wamid for r in self.state.inbound):
            return self._error(error(100, f"Invalid parameter: message_id {wamid} is unknown."))
        self.marked_read.append(wamid)
        return web.json_response({"success": True})

    async def _statuses(
        self, number: SandboxNumber, sent: SentMessage, failure: GraphError | None, category: str
    ) -> None:
        delays = self.config.status_delays
        tracker = sent.body.get("biz_opaque_callback_data")
        steps = ["sent"] if sent.type == "reaction" else ["sent", "delivered", "read"]
        for delay, status in zip(delays, steps, strict=False):
            await asyncio.sleep(delay)
            if failure is not None:
                value = status_value(
                    sent.wamid,
                    "failed",
                    sent.to,
                    self.config.clock(),
                    errors=[failure.webhook_error()],
                    biz_opaque_callback_data=tracker,
                )
                self._dispatcher.send(number, value)
                return
            value = status_value(
                sent.wamid,
                status,
                sent.to,
                self.config.clock(),
                category=category,
                biz_opaque_callback_data=tracker,
            )
            self._dispatcher.send(number, value)

    # --- media ---------------------------------------------------------------------------
    async def _upload(self, request: web.Request) -> web.Response:
        pid = request.match_info["obj"]
        if err := self._guard(request, SCOPE_MESSAGING):
            return self._error(err)
        if self.state.number(pid) is None:
            return self._error(unknown_object(pid))
        try:
            form = await request.post()
        except (ValueError, aiohttp.ClientError):
            return self._error(error(100, "The request must be multipart/form-data."))
        if form.get("messaging_product") != "whatsapp":
            return self._error(error(100, "The parameter messaging_product is required."))
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            return self._error(error(100, "The parameter file is required."))
        mime = str(form.get("type") or upload.content_type or "").split(";")[0].strip()
        if mime not in rules.MEDIA_LIMITS:
            kinds = ", ".join(sorted(rules.MEDIA_LIMITS))
            return self._error(error(100, f"Param file must be a file of one of: {kinds}"))
        data = upload.file.read()
        if len(data) > rules.MEDIA_LIMITS[mime] * 1024 * 1024:
            return self._error(
                error(131053, f"{mime} files are limited to {rules.MEDIA_LIMITS[mime]} MB")
            )
        item = self.state.add_media(data, mime, upload.filename, pid)
        return web.json_response({"id": item.id})

    def _media_url(self, media_id: str) -> str:
        expires = str(int(self.config.clock()) + MEDIA_URL_SECONDS)
        digest = hmac.new(self._url_key, f"{media_id}:{expires}".encode(), hashlib.sha256)
        query = {"mid": media_id, "ext": expires, "hash": digest.hexdigest()[:32]}
        return str(URL(self.base_url).with_path(f"/media-download/{media_id}").with_query(query))

    async def _download(self, request: web.Request) -> web.Response:
        token = rules.bearer_token(request.headers.get("Authorization"))
        if err := rules.check_token(self.config.access_tokens, token, self.config.clock()):
            return self._error(err)
        media_id = request.match_info["media_id"]
        expires = request.query.get("ext", "0")
        digest = hmac.new(self._url_key, f"{media_id}:{expires}".encode(), hashlib.sha256)
        item = self.state.media.get(media_id)
        valid = hmac.compare_digest(digest.hexdigest()[:32], request.query.get("hash", ""))
        if item is None or not valid or not expires.isdigit():
            return self._error(error(100, "The media URL is invalid; fetch a fresh one."))
        if int(expires) < self.config.clock():
            return self._error(error(100, "The media URL has expired; fetch a fresh one."))
        return web.Response(body=item.data, content_type=item.mime_type)

    # --- objects: phone numbers, WABAs, media ---------------------------------------------
    async def _get_object(self, request: web.Request) -> web.Response:
        obj = request.match_info["obj"]
        item = self.state.media.get(obj)
        if err := self._guard(request, SCOPE_MESSAGING if item else SCOPE_MANAGEMENT):
            return self._error(err)
        if item is not None:
            return web.json_response(
                {
                    "messaging_product": "whatsapp",
                    "url": self._media_url(item.id),
                    "mime_type": item.mime_type,
                    "sha256": item.sha256,
                    "file_size": len(item.data),
                    "id": item.id,
                }
            )
        number = self.state.number(obj)
        if number is not None:
            return web.json_response(_select(self.state.phone_info(number), request))
        if obj in self.state.waba_ids():
            info = {
                "id": obj,
                "name": self.config.numbers[0].verified_name,
                "currency": "USD",
                "timezone_id": "1",
                "message_template_namespace": hashlib.md5(obj.encode()).hexdigest(),
            }
            return web.json_response(_select(info, request))
        return self._error(unknown_object(obj, "get"))

    async def _delete_object(self, request: web.Request) -> web.Response:
        obj = request.match_info["obj"]
        if err := self._guard(request, SCOPE_MESSAGING):
            return self._error(err)
        if self.state.media.pop(obj, None) is None:
            return self._error(unknown_object(obj, "delete"))
        return web.json_response({"success": True})

    # --- templates -----------------------------------------------------------------------
    async def _templates(self, request: web.Request) -> web.Response:
        waba = request.match_info["obj"]
        if err := self._guard(request, SCOPE_MANAGEMENT):
            return self._error(err)
        if waba not in self.state.waba_ids():
            return self._error(unknown_object(waba, "get"))
        q = request.query
        items = [
            t
            for t in self.state.templates
            if all(
                str(t.get(key, "")).lower() == q[key].lower()
                for key in ("status", "category", "language", "name")
                if key in q
            )
        ]
        try:
            limit = max(1, min(int(q.get("limit", "25")), 1000))
            start = int(base64.b64decode(q["after"]).decode()) + 1 if "after" in q else 0
        except (ValueError, binascii.Error):
            return self._error(error(100, "Invalid limit or after cursor."))
        page = [_select(t, request) for t in items[start : start + limit]]
        result: JSONDict = {"data": page}
        if page:
            end = start + len(page) - 1
            cursors = {"before": _cursor(start), "after": _cursor(end)}
            result["paging"] = {"cursors": cursors}
            if end + 1 < len(items):
                query = dict(q)
                query.update({"after": cursors["after"], "limit": str(limit)})
                next_url = URL(self.base_url).with_path(request.path).with_query(query)
                result["paging"]["next"] = str(next_url)
        return web.json_response(result)

    # --- subscriptions and debug_token -----------------------------------------------------
    async def _subscribed_apps(self, request: web.Request) -> web.Response:
        waba = request.match_info["obj"]
        if err := self._guard(request, SCOPE_MANAGEMENT):
            return self._error(err)
        if waba not in self.state.waba_ids():
            return self._error(unknown_object(waba, request.method.lower()))
        if request.method == "GET":
            if waba not in self.state.subscribed_wabas:
                return web.json_response({"data": []})
            app: JSONDict = {
                "whatsapp_business_api_data": {
                    "id": self.config.app_id,
                    "name": "wadesk sandbox",
                    "link": f"https://www.facebook.com/games/?app_id={self.config.app_id}",
                }
            }
            if waba in self.state.waba_callbacks:
                app["override_callback_uri"] = self.state.waba_callbacks[waba].url
            return web.json_response({"data": [app]})
        if request.method == "DELETE":
            self.state.subscribed_wabas.discard(waba)
            self.state.waba_callbacks.pop(waba, None)
            return web.json_response({"success": True})
        if request.method != "POST":
            return self._error(error(100, f"Unsupported method {request.method}"))
        params = await _params(request)
        uri = params.get("override_callback_uri")
        if uri:
            token = params.get("verify_token")
            if not token:
                return self._error(error(100, "The parameter verify_token is required."))
            if len(uri) > 200:
                return self._error(error(100, "override_callback_uri must be ≤ 200 characters."))
            if err := await self._verify_callback(uri, token):
                return self._error(err)
            self.state.waba_callbacks[waba] = Callback(uri, token)
        else:
            self.state.waba_callbacks.pop(waba, None)
        self.state.subscribed_wabas.add(waba)
        return web.json_response({"success": True})

    async def _app_subscriptions(self, request: web.Request) -> web.Response:
        if request.match_info["obj"] != self.config.app_id:
            return self._error(unknown_object(request.match_info["obj"], request.method.lower()))
        token = rules.bearer_token(
            request.headers.get("Authorization"), request.query.get("access_token")
        )
        if token != f"{self.config.app_id}|{self.config.app_secret}":
            if err := self._guard(request, SCOPE_MANAGEMENT):
                return self._error(err)
        callback = self.state.app_callback
        if request.method == "GET":
            data = []
            if callback:
                data.append(
                    {
                        "object": "whatsapp_business_account",
                        "callback_url": callback.url,
                        "active": True,
                        "fields": [{"name": "messages", "version": "v23.0"}],
                    }
                )
            return web.json_response({"data": data})
        params = await _params(request)
        url, verify = params.get("callback_url"), params.get("verify_token")
        if not url or not verify:
            return self._error(error(100, "callback_url and verify_token are required."))
        if err := await self._verify_callback(url, verify):
            return self._error(err)
        self.state.app_callback = Callback(url, verify)
        return web.json_response({"success": True})

    async def _verify_callback(self, url: str, verify_token: str) -> GraphError | None:
        if self._http is None:
            return error(2200, "the sandbox is not running")
        return await verify_callback(self._http, url, verify_token)

    async def _debug_token(self, request: web.Request) -> web.Response:
        token = rules.bearer_token(
            request.headers.get("Authorization"), request.query.get("access_token")
        )
        if token != f"{self.config.app_id}|{self.config.app_secret}":
            if err := self._guard(request, None):
                return self._error(err)
        input_token = request.query.get("input_token")
        if not input_token:
            return self._error(error(100, "The parameter input_token is required"))
        spec = self.config.access_tokens.get(input_token)
        if spec is None or not spec.valid:
            invalid = {
                "code": 190,
                "message": "Invalid OAuth access token - Cannot parse access token",
            }
            return web.json_response({"data": {"error": invalid, "is_valid": False, "scopes": []}})
        data = rules.debug_token_data(
            spec, input_token, self.config.clock(), self.config.app_id, self.state.waba_ids()
        )
        return web.json_response({"data": data})

    # --- control endpoints (CLI) -------------------------------------------------------------
    async def _control_state(self, request: web.Request) -> web.Response:
        return web.json_response(self.state.dump())

    async def _control_counters(self, request: web.Request) -> web.Response:
        return web.json_response(self.state.counters.as_json())

    async def _control_customer(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        if body is None:
            return web.json_response({"error": "the body must be a JSON object"}, status=400)
        try:
            customer = self.customer(request.match_info["wa_id"], body.get("phone_number_id"))
            wamid = await run_action(customer, request.match_info["action"], body)
        except SandboxUsageError as exc:
            return web.json_response({"error": str(exc)}, status=400)
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            return web.json_response({"error": f"bad parameters: {exc}"}, status=400)
        return web.json_response({"wamid": wamid})


def _cursor(index: int) -> str:
    return base64.b64encode(str(index).encode()).decode()


def _select(obj: Mapping[str, Any], request: web.Request) -> JSONDict:
    """Keep only the `fields=` the caller asked for (plus `id`), like Graph does."""
    fields = request.query.get("fields")
    if not fields:
        return dict(obj)
    wanted = {f.strip() for f in fields.split(",") if f.strip()} | {"id"}
    return {k: v for k, v in obj.items() if k in wanted}


async def _json_body(request: web.Request) -> JSONDict | None:
    with contextlib.suppress(ValueError, UnicodeDecodeError):
        body = await request.json()
        if isinstance(body, dict):
            return body
    return None


async def _params(request: web.Request) -> dict[str, str]:
    """Parameters from the query, a form or a JSON body (Graph accepts all three)."""
    params = {k: v for k, v in request.query.items()}
    if request.content_type == "application/json":
        body = await _json_body(request) or {}
        params.update({k: str(v) for k, v in body.items()})
    elif request.can_read_body:
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return params
