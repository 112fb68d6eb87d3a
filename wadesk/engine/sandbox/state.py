"""Plain data of the sandbox: its configuration (numbers, tokens, customers, templates, limits)
and its run-time state (sent messages, media, callbacks, counters).

Nothing here does I/O; the server (`server.py`) owns one `SandboxState` per running sandbox.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]

SCOPE_MESSAGING = "whatsapp_business_messaging"
SCOPE_MANAGEMENT = "whatsapp_business_management"
MAX_ALLOWED_RECIPIENTS = 5


@dataclass
class TokenSpec:
    """What `debug_token` says about an access token, and whether the Graph API accepts it.

    `expires_at` is Unix seconds; 0 means it never expires.
    """

    type: str = "SYSTEM_USER"
    expires_at: int = 0
    scopes: list[str] = field(default_factory=lambda: [SCOPE_MESSAGING, SCOPE_MANAGEMENT])
    valid: bool = True
    user_id: str = "100000000000001"
    issued_at: int = field(default_factory=lambda: int(time.time()))

    def expired(self, now: float) -> bool:
        return self.expires_at != 0 and now >= self.expires_at


@dataclass
class SandboxNumber:
    """A business phone number hosted by the sandbox."""

    phone_number_id: str
    waba_id: str
    display_phone_number: str  # formatted like Meta's GET: "+1 555-010-0100"
    verified_name: str
    quality_rating: str = "GREEN"
    throughput_level: str = "STANDARD"

    @property
    def digits(self) -> str:
        """The number as webhooks carry it in `metadata.display_phone_number` (digits only)."""
        return "".join(ch for ch in self.display_phone_number if ch.isdigit())


@dataclass
class SandboxCustomer:
    """A simulated WhatsApp user. `last_inbound_at` (Unix seconds) opens the 24-hour window."""

    wa_id: str
    name: str
    last_inbound_at: float | None = None


@dataclass
class SandboxConfig:
    """Everything a sandbox is started with. Use small delays/limits in tests."""

    numbers: list[SandboxNumber]
    access_tokens: dict[str, TokenSpec]
    app_secret: str
    customers: list[SandboxCustomer] = field(default_factory=list)
    app_id: str = "1000000000000001"
    test_number: bool = True
    allowed_recipients: set[str] = field(default_factory=set)
    throughput_per_second: float = 80.0
    pair_rate_per_6s: float = 1.0
    pair_rate_burst: int = 45
    status_delays: tuple[float, float, float] = (0.05, 0.3, 1.0)
    webhook_retry_backoff: float = 1.0
    webhook_retry_cap: float = 60.0
    webhook_max_attempts: int = 8
    webhook_timeout: float = 10.0
    templates: list[JSONDict] = field(default_factory=list)
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        if not self.numbers:
            raise ValueError("a sandbox needs at least one business number")
        if len(self.allowed_recipients) > MAX_ALLOWED_RECIPIENTS:
            raise ValueError(
                f"a test number allows at most {MAX_ALLOWED_RECIPIENTS} recipients, "
                f"got {len(self.allowed_recipients)}"
            )
        if self.throughput_per_second <= 0 or self.pair_rate_per_6s <= 0:
            raise ValueError("rate limits must be positive")
        if self.pair_rate_burst < 1 or self.webhook_max_attempts < 1:
            raise ValueError("pair_rate_burst and webhook_max_attempts must be at least 1")

    @property
    def access_token(self) -> str:
        """The first configured token that is valid and never expires (else the first one)."""
        for token, spec in self.access_tokens.items():
            if spec.valid and spec.expires_at == 0:
                return token
        return next(iter(self.access_tokens))


@dataclass
class SentMessage:
    """An outbound message the sandbox accepted (answered 200 with a wamid)."""

    wamid: str
    phone_number_id: str
    to: str
    type: str
    body: JSONDict
    accepted_at: float
    failed_code: int | None = None


@dataclass
class InboundRecord:
    """A message a simulated customer sent (delivered as a webhook)."""

    wamid: str
    phone_number_id: str
    wa_id: str
    message: JSONDict


@dataclass
class MediaItem:
    id: str
    data: bytes
    mime_type: str
    filename: str | None = None
    phone_number_id: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Callback:
    url: str
    verify_token: str


@dataclass
class Counters:
    """What happened, for tests and the demo.

    `violations` counts the times a client exceeded a configured limit, keyed by error code
    (130429 throughput, 131056 pair rate, 131030 allowed list, 131047 window).
    """

    violations: Counter[int] = field(default_factory=Counter)
    errors: Counter[int] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)
    webhook_deliveries: int = 0
    webhook_attempts: int = 0
    webhook_failures: int = 0
    webhook_dropped: int = 0

    def as_json(self) -> JSONDict:
        return {
            "violations": {str(k): v for k, v in self.violations.items()},
            "violations_total": sum(self.violations.values()),
            "errors": {str(k): v for k, v in self.errors.items()},
            "accepted": dict(self.accepted),
            "webhook_deliveries": self.webhook_deliveries,
            "webhook_attempts": self.webhook_attempts,
            "webhook_failures": self.webhook_failures,
            "webhook_dropped": self.webhook_dropped,
        }


def digits_of(number: str) -> str:
    """`+1 (650) 555-1234` → `16505551234`."""
    return "".join(ch for ch in number if ch.isdigit())


@dataclass
class SandboxState:
    """Run-time state of one sandbox (mutated only on the event loop)."""

    config: SandboxConfig
    customers: dict[str, SandboxCustomer] = field(default_factory=dict)
    templates: list[JSONDict] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    inbound: list[InboundRecord] = field(default_factory=list)
    media: dict[str, MediaItem] = field(default_factory=dict)
    app_callback: Callback | None = None
    waba_callbacks: dict[str, Callback] = field(default_factory=dict)
    subscribed_wabas: set[str] = field(default_factory=set)
    counters: Counters = field(default_factory=Counters)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        for customer in self.config.customers:
            self.customers[customer.wa_id] = SandboxCustomer(
                customer.wa_id, customer.name, customer.last_inbound_at
            )
        for template in self.config.templates:
            copy = dict(template)
            copy.setdefault("id", self.new_numeric_id())
            self.templates.append(copy)

    # ids -----------------------------------------------------------------
    def new_numeric_id(self) -> str:
        return str(10**15 + secrets.randbelow(9 * 10**15))

    def new_wamid(self, wa_id: str) -> str:
        raw = f"{wa_id}\x15\x02\x00{next(self._seq):08d}{secrets.token_hex(8).upper()}".encode()
        return "wamid." + base64.b64encode(raw).decode()

    # lookups --------------------------------------------------------------
    def number(self, phone_number_id: str) -> SandboxNumber | None:
        for number in self.config.numbers:
            if number.phone_number_id == phone_number_id:
                return number
        return None

    def waba_ids(self) -> list[str]:
        return sorted({n.waba_id for n in self.config.numbers})

    def callback_for(self, waba_id: str) -> Callback | None:
        """Effective callback for `messages` webhooks: the WABA override, else the app's."""
        return self.waba_callbacks.get(waba_id) or self.app_callback

    def sent_message(self, wamid: str) -> SentMessage | None:
        for message in reversed(self.sent):
            if message.wamid == wamid:
                return message
        return None

    def add_media(
        self,
        data: bytes,
        mime_type: str,
        filename: str | None = None,
        phone_number_id: str | None = None,
    ) -> MediaItem:
        item = MediaItem(self.new_numeric_id(), data, mime_type, filename, phone_number_id)
        self.media[item.id] = item
        return item

    def phone_info(self, number: SandboxNumber) -> JSONDict:
        """What `GET /{phone_number_id}` answers (Meta's field names)."""
        hooks: JSONDict = {}
        if self.app_callback:
            hooks["application"] = self.app_callback.url
        if number.waba_id in self.waba_callbacks:
            hooks["whatsapp_business_account"] = self.waba_callbacks[number.waba_id].url
        return {
            "verified_name": number.verified_name,
            "code_verification_status": "NOT_VERIFIED" if self.config.test_number else "VERIFIED",
            "display_phone_number": number.display_phone_number,
            "quality_rating": number.quality_rating,
            "platform_type": "CLOUD_API",
            "throughput": {"level": number.throughput_level},
            "status": "CONNECTED",
            "name_status": "APPROVED",
            "account_mode": "SANDBOX" if self.config.test_number else "LIVE",
            "messaging_limit_tier": "TIER_250" if self.config.test_number else "TIER_2K",
            "is_official_business_account": False,
            "webhook_configuration": hooks,
            "id": number.phone_number_id,
        }

    def dump(self) -> JSONDict:
        """A JSON view of the state for the `/_sandbox/state` control endpoint (no secrets)."""
        return {
            "numbers": [
                {
                    "phone_number_id": n.phone_number_id,
                    "waba_id": n.waba_id,
                    "display_phone_number": n.display_phone_number,
                    "verified_name": n.verified_name,
                }
                for n in self.config.numbers
            ],
            "customers": [
                {"wa_id": c.wa_id, "name": c.name, "last_inbound_at": c.last_inbound_at}
                for c in self.customers.values()
            ],
            "callback": self.app_callback.url if self.app_callback else None,
            "waba_callbacks": {k: v.url for k, v in self.waba_callbacks.items()},
            "sent": [
                {"wamid": m.wamid, "to": m.to, "type": m.type, "body": m.body}
                for m in self.sent[-100:]
            ],
            "inbound": [
                {"wamid": r.wamid, "from": r.wa_id, "type": r.message.get("type")}
                for r in self.inbound[-100:]
            ],
            "media": len(self.media),
            "counters": self.counters.as_json(),
        }
