"""`wadesk sandbox ...`: play a simulated customer on a running sandbox over its `/_sandbox/`
control endpoints (say, tap, pick, image, location, react) and look at its state.

    python -m wadesk.engine.sandbox.cli --url http://127.0.0.1:8790 say 79161234567 "Привет"
"""

from __future__ import annotations

import argparse
import base64
import json
import mimetypes
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

URL_ENV = "WADESK_SANDBOX_URL"
DEFAULT_URL = "http://127.0.0.1:8790"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wadesk sandbox", description="Act as a customer on a running wadesk sandbox."
    )
    parser.add_argument(
        "--url",
        default=os.environ.get(URL_ENV, DEFAULT_URL),
        help=f"sandbox base URL (default: ${URL_ENV} or {DEFAULT_URL})",
    )
    parser.add_argument("--number", help="business phone_number_id (default: the first one)")
    sub = parser.add_subparsers(dest="command", required=True)

    say = sub.add_parser("say", help="the customer sends a text")
    say.add_argument("wa_id")
    say.add_argument("text", nargs="+")
    say.add_argument("--reply-to", help="wamid the text replies to")

    for name, what in (("tap", "button"), ("pick", "row")):
        cmd = sub.add_parser(name, help=f"the customer taps a {what} (by id or title)")
        cmd.add_argument("wa_id")
        cmd.add_argument(what)
        cmd.add_argument("--on", help=f"wamid of the message with the {what} (default: latest)")

    image = sub.add_parser("image", help="the customer sends an image file")
    image.add_argument("wa_id")
    image.add_argument("path", type=Path)
    image.add_argument("--caption")

    location = sub.add_parser("location", help="the customer shares a location")
    location.add_argument("wa_id")
    location.add_argument("latitude", type=float)
    location.add_argument("longitude", type=float)
    location.add_argument("--name")
    location.add_argument("--address")

    react = sub.add_parser("react", help="the customer reacts to a message")
    react.add_argument("wa_id")
    react.add_argument("message_id")
    react.add_argument("emoji", nargs="?", default="", help="omit to remove the reaction")

    sub.add_parser("state", help="print the sandbox state as JSON")
    sub.add_parser("counters", help="print the sandbox counters as JSON")
    return parser


def _action_body(args: argparse.Namespace) -> dict[str, Any]:
    command = args.command
    if command == "say":
        return {"text": " ".join(args.text), "reply_to": args.reply_to}
    if command == "tap":
        return {"button": args.button, "on": args.on}
    if command == "pick":
        return {"row": args.row, "on": args.on}
    if command == "image":
        data = args.path.read_bytes()
        mime = mimetypes.guess_type(args.path.name)[0] or "image/jpeg"
        return {
            "data_base64": base64.b64encode(data).decode(),
            "mime_type": mime,
            "caption": args.caption,
        }
    if command == "location":
        return {
            "latitude": args.latitude,
            "longitude": args.longitude,
            "name": args.name,
            "address": args.address,
        }
    return {"message_id": args.message_id, "emoji": args.emoji}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; 0 on success, 1 when the sandbox refuses it, 2 on usage/connection
    problems. Prints the new wamid (or the JSON asked for) on stdout."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    base = str(args.url).rstrip("/")
    try:
        with httpx.Client(timeout=10.0) as client:
            if args.command in ("state", "counters"):
                response = client.get(f"{base}/_sandbox/{args.command}")
            else:
                body = {k: v for k, v in _action_body(args).items() if v is not None}
                if args.number:
                    body["phone_number_id"] = args.number
                response = client.post(
                    f"{base}/_sandbox/customers/{args.wa_id}/{args.command}", json=body
                )
    except OSError as exc:
        print(f"error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    except httpx.HTTPError as exc:
        print(f"error: cannot reach the sandbox at {base}: {exc}", file=sys.stderr)
        return 2
    try:
        payload = response.json()
    except ValueError:
        payload = {"error": response.text}
    if response.status_code != 200:
        message = payload.get("error") if isinstance(payload, dict) else payload
        print(f"error: {message}", file=sys.stderr)
        return 1
    if args.command in ("state", "counters"):
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(payload["wamid"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
