"""The demo set-up of the sandbox: one business number ("Demo Salon"), random credentials per
run, three customers (one Russian-speaking), and a few realistic message templates.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from typing import Any

from wadesk.engine.sandbox.state import (
    SCOPE_MESSAGING,
    JSONDict,
    SandboxConfig,
    SandboxCustomer,
    SandboxNumber,
    TokenSpec,
)

DEMO_CUSTOMERS = (
    ("15550101001", "Maria Garcia"),
    ("447700900123", "James Wilson"),
    ("79161234567", "Анна Смирнова"),
)


def _numeric_id() -> str:
    return str(10**14 + secrets.randbelow(9 * 10**14))


def _token() -> str:
    """Shaped like a Meta access token (so log redaction recognises it)."""
    return "EAA" + secrets.token_urlsafe(96).replace("-", "").replace("_", "")[:120]


def demo_templates() -> list[JSONDict]:
    """Templates in Graph's shape: approved (en_US and ru), one rejected, one pending."""

    def quick_replies(*titles: str) -> JSONDict:
        return {
            "type": "BUTTONS",
            "buttons": [{"type": "QUICK_REPLY", "text": title} for title in titles],
        }

    return [
        {
            "name": "hello_world",
            "language": "en_US",
            "status": "APPROVED",
            "category": "UTILITY",
            "parameter_format": "POSITIONAL",
            "components": [
                {"type": "HEADER", "format": "TEXT", "text": "Hello World"},
                {
                    "type": "BODY",
                    "text": "Welcome and congratulations!! This message demonstrates your "
                    "ability to send a WhatsApp message notification from the Cloud API.",
                },
                {"type": "FOOTER", "text": "WhatsApp Business Platform sample message"},
            ],
        },
        {
            "name": "appointment_reminder",
            "language": "en_US",
            "status": "APPROVED",
            "category": "UTILITY",
            "parameter_format": "POSITIONAL",
            "components": [
                {
                    "type": "BODY",
                    "text": "Hi {{1}}, this is a reminder of your appointment at Demo Salon "
                    "on {{2}}. Can you make it?",
                    "example": {"body_text": [["Maria", "Friday 10:00"]]},
                },
                quick_replies("Confirm", "Reschedule"),
            ],
        },
        {
            "name": "appointment_reminder",
            "language": "ru",
            "status": "APPROVED",
            "category": "UTILITY",
            "parameter_format": "POSITIONAL",
            "components": [
                {
                    "type": "BODY",
                    "text": "Здравствуйте, {{1}}! Напоминаем о записи в Demo Salon {{2}}. "
                    "Вы придёте?",
                    "example": {"body_text": [["Анна", "в пятницу в 10:00"]]},
                },
                quick_replies("Подтвердить", "Перенести"),
            ],
        },
        {
            "name": "summer_sale",
            "language": "en_US",
            "status": "REJECTED",
            "category": "MARKETING",
            "rejected_reason": "PROMOTIONAL",
            "components": [{"type": "BODY", "text": "50% off everything!!! Buy now!!!"}],
        },
        {
            "name": "loyalty_card",
            "language": "en_US",
            "status": "PENDING",
            "category": "MARKETING",
            "components": [
                {"type": "BODY", "text": "Hi {{1}}, you have {{2}} points on your card."}
            ],
        },
    ]


def demo_config(
    *, phone_number_id: str | None = None, waba_id: str | None = None, **overrides: Any
) -> SandboxConfig:
    """A fresh demo configuration (new ids and credentials each call).

    `phone_number_id` / `waba_id` fix the business number's ids (the desktop demo keeps them
    stable across runs so its data dir is re-used); by default they are random.

    The first token (`config.access_token`) is a never-expiring SYSTEM_USER token; a 24-hour
    USER token and a token without `whatsapp_business_management` are configured too.
    Keyword arguments replace fields of the result (e.g. `status_delays=(0, 0, 0)`).
    """
    now = int(time.time())
    number = SandboxNumber(
        phone_number_id=phone_number_id or _numeric_id(),
        waba_id=waba_id or _numeric_id(),
        display_phone_number="+1 555-010-0100",
        verified_name="Demo Salon",
    )
    tokens = {
        _token(): TokenSpec(type="SYSTEM_USER", expires_at=0),
        _token(): TokenSpec(type="USER", expires_at=now + 24 * 3600, issued_at=now),
        _token(): TokenSpec(type="SYSTEM_USER", scopes=[SCOPE_MESSAGING]),
    }
    customers = [SandboxCustomer(wa_id, name) for wa_id, name in DEMO_CUSTOMERS]
    config = SandboxConfig(
        numbers=[number],
        access_tokens=tokens,
        app_secret=secrets.token_hex(16),
        customers=customers,
        app_id=_numeric_id(),
        test_number=True,
        allowed_recipients={c.wa_id for c in customers},
        templates=demo_templates(),
    )
    return dataclasses.replace(config, **overrides) if overrides else config
