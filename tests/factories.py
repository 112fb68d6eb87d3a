"""Builders of Meta-shaped webhook bodies for tests (the same shapes as tests/data/webhooks)."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

PNID = "106540352242922"
WABA = "102290129340398"
DISPLAY = "15550783881"
APP_SECRET = "test-app-secret-0123456789"
ACCESS_TOKEN = "EAAtesttoken" + "x" * 40
VERIFY_TOKEN = "verify-token-for-tests"

_counter = itertools.count(1)


def wamid() -> str:
    return f"wamid.TEST{next(_counter):08d}{time.monotonic_ns() % 100000:05d}"


def envelope(value: dict[str, Any], *, waba: str = WABA, field: str = "messages") -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": waba, "changes": [{"field": field, "value": value}]}],
    }


def text_message(
    body: str = "Hello",
    *,
    wa_id: str = "16505551234",
    name: str = "Sheena Nelson",
    message_id: str | None = None,
    pnid: str = PNID,
    ts: int | None = None,
) -> dict[str, Any]:
    return envelope(
        {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": DISPLAY, "phone_number_id": pnid},
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "messages": [
                {
                    "from": wa_id,
                    "id": message_id or wamid(),
                    "timestamp": str(ts or int(time.time())),
                    "type": "text",
                    "text": {"body": body},
                }
            ],
        }
    )


def status(
    message_id: str, state: str, *, recipient: str = "16505551234", pnid: str = PNID
) -> dict[str, Any]:
    return envelope(
        {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": DISPLAY, "phone_number_id": pnid},
            "statuses": [
                {
                    "id": message_id,
                    "status": state,
                    "timestamp": str(int(time.time())),
                    "recipient_id": recipient,
                }
            ],
        }
    )


def encode(payload: dict[str, Any]) -> bytes:
    """Serialise like Meta: compact JSON with escaped unicode."""
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode()


async def add_salon_number(engine: Any) -> Any:
    """Configure the "Salon" number (PNID, WABA, ACCESS_TOKEN, APP_SECRET) on a started
    Engine; returns the Number."""
    return await engine.add_number(
        label="Salon",
        phone="+1 555 078 3881",
        phone_number_id=PNID,
        waba_id=WABA,
        access_token=ACCESS_TOKEN,
        app_secret=APP_SECRET,
    )
