"""Reference webhook servers for the ingest benchmark, each run as its own process.

    python bench/_servers.py bare --port P   # aiohttp; POST reads the body and answers 200
    python bench/_servers.py pywa --port P   # pywa 4.x built-in server (starlette + uvicorn)

Both listen on 127.0.0.1 and serve `POST /api/v1/webhooks/whatsapp`. The app secret comes from
the environment variable `BENCH_APP_SECRET` (never from argv, so it is not in `ps` output).

- `bare` is the ceiling: no signature check, no parsing, no persistence.
- `pywa` is pywa's own webhook path as a pywa bot would run it: `WhatsApp(...).run()` with
  `validate_updates=True` and the app secret (HMAC check before the 200), then, in the
  background task pywa schedules, duplicate check, JSON parse and typed-update construction for
  the registered no-op message and status handlers. Nothing is persisted. The pywa mode imports
  only pywa/uvicorn/starlette, so it also runs under a separate venv's interpreter.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

WEBHOOK_PATH = "/api/v1/webhooks/whatsapp"
HEALTH_PATH = "/api/v1/health"
SECRET_ENV = "BENCH_APP_SECRET"
PHONE_NUMBER_ID = "100000000000001"
WABA_ID = "200000000000001"


def run_bare(host: str, port: int) -> None:
    """aiohttp, `web.run_app`, a handler that reads the body and returns 200."""
    from aiohttp import web

    async def webhook(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="OK")

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post(WEBHOOK_PATH, webhook)
    app.router.add_get(HEALTH_PATH, health)
    web.run_app(app, host=host, port=port, print=None, access_log=None, handle_signals=True)


def run_pywa(host: str, port: int, secret: str) -> None:
    """pywa's built-in webhook server with signature validation and no-op handlers."""
    import logging

    from pywa.client import WhatsApp  # type: ignore[import-not-found, unused-ignore]
    from pywa.handlers import (  # type: ignore[import-not-found, unused-ignore]
        MessageHandler,
        MessageStatusHandler,
    )

    logging.getLogger("pywa").setLevel(logging.WARNING)
    wa = WhatsApp(
        phone_id=PHONE_NUMBER_ID,
        token="bench-token-not-used",
        server=None,
        webhook_endpoint=WEBHOOK_PATH,
        verify_token="bench-verify-token",
        validate_updates=True,
        app_secret=secret,
        waba_id=WABA_ID,
    )

    def on_message(_client: Any, _msg: Any) -> None:
        return None

    def on_status(_client: Any, _status: Any) -> None:
        return None

    wa.add_handlers(MessageHandler(on_message), MessageStatusHandler(on_status))
    wa.run(host=host, port=port, log_level="warning")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("bare", "pywa"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    if args.kind == "bare":
        run_bare(args.host, args.port)
        return 0
    secret = os.environ.get(SECRET_ENV, "")
    if not secret:
        print(f"{SECRET_ENV} is not set: the pywa server needs the app secret", file=sys.stderr)
        return 2
    run_pywa(args.host, args.port, secret)
    return 0


if __name__ == "__main__":
    sys.exit(main())
