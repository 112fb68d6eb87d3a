"""Sandbox endpoint ``GET /{WABA}/phone_numbers``: the numbers of a WhatsApp Business Account
as Meta lists them (``data`` + ``paging``, honouring ``fields=``). The setup checks use it to
see that a Phone Number ID belongs to the WABA the user typed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from wadesk.engine.sandbox.rules import GraphError, unknown_object
from wadesk.engine.sandbox.state import SCOPE_MANAGEMENT, SandboxState

Guard = Callable[[web.Request, str | None], GraphError | None]
Handler = Callable[[web.Request], Awaitable[web.Response]]


def phone_numbers_handler(
    state: SandboxState, guard: Guard, fail: Callable[[GraphError], web.Response]
) -> Handler:
    """The aiohttp handler, bound to the sandbox's state, token guard and error response."""

    async def phone_numbers(request: web.Request) -> web.Response:
        waba = request.match_info["obj"]
        if err := guard(request, SCOPE_MANAGEMENT):
            return fail(err)
        if waba not in state.waba_ids():
            return fail(unknown_object(waba, "get"))
        numbers = [n for n in state.config.numbers if n.waba_id == waba]
        data = [_select(state.phone_info(n), request.query.get("fields")) for n in numbers]
        return web.json_response({"data": data, "paging": {"cursors": {"before": "", "after": ""}}})

    return phone_numbers


def _select(obj: Mapping[str, Any], fields: str | None) -> dict[str, Any]:
    if not fields:
        return dict(obj)
    wanted = {f.strip() for f in fields.split(",") if f.strip()} | {"id"}
    return {k: v for k, v in obj.items() if k in wanted}
