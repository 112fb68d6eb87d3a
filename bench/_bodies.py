"""Realistic ~2 KB WhatsApp webhook bodies for the ingest benchmark, and the corpus file wrk reads.

`make_bodies(n)` returns `n` distinct, Meta-shaped (`whatsapp_business_account`) POST bodies for
one number (phone_number_id 100000000000001, WABA 200000000000001): about 60 % inbound text
messages with unique wamids from a few hundred customers (contacts with profile names, some
replies with `context`, some first messages with a Click-to-WhatsApp `referral`), and 40 %
status batches (sent / delivered / read for outbound wamids, each with `conversation` and
`pricing`). Bodies are padded with such realistic fields, never junk, to about `target` bytes.

`write_corpus(path, bodies, secret)` writes one `<X-Hub-Signature-256>\\t<compact JSON>` line per
body; the generated wrk Lua script loads that file once and cycles through it.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PHONE_NUMBER_ID = "100000000000001"
WABA_ID = "200000000000001"
DISPLAY_PHONE = "15550100001"
DEFAULT_TARGET_BYTES = 2150
DEFAULT_CUSTOMERS = 300

_FIRST = (
    "Sheena Olga Ivan Maria José Aiko Priya Lukas Amara Chen Fatima Diego Noor Sven Aleksandr "
    "Yuki Grace Omar Elena Tomás Ngozi Hannah Raj Ingrid Kofi Mei Pavel Lucía Ahmed Zara"
).split()
_LAST = (
    "Nelson Petrova Kowalski García Tanaka Sharma Müller Okafor Wang Haddad López Rahman "
    "Lindqvist Ivanov Suzuki Kim Said Rossi Novak Mensah Li Horvat Fernández Ali Patel"
).split()
_SENTENCES = (
    "Hi, I ordered a pair of running shoes last week and the tracking page still says pending.",
    "Could you check whether order 48213 has left the warehouse?",
    "Also, is it possible to change the delivery address to my office on Baker Street?",
    "I will be away from Thursday until Monday, so a Tuesday delivery would be ideal.",
    "By the way the size chart on your site says 42 but the box I got last time said 41.",
    "Do you have the blue model back in stock? Your newsletter said it would return in May.",
    "Thanks a lot for the quick answer yesterday, that really helped!",
    "Can I pay on delivery or only by card?",
    "My friend recommended your shop, she bought the leather bag and loves it.",
    "Please send me the invoice as a PDF, our accounting department needs it for the refund.",
    "Is there a discount if I order three of the same item?",
    "What are your opening hours on public holidays?",
)
_AD_HEADLINES = (
    ("Spring sale: 30% off running shoes", "Tap to chat with our team and get your size."),
    ("Free delivery this weekend", "Message us on WhatsApp to order before Sunday midnight."),
    ("New leather collection", "Ask us anything about the new bags and wallets."),
)


@dataclass(frozen=True, slots=True)
class Customer:
    """A simulated WhatsApp user writing to the bench number."""

    wa_id: str
    name: str
    user_id: str


def _customers(rng: random.Random, count: int) -> list[Customer]:
    out: list[Customer] = []
    for i in range(count):
        wa_id = f"4477009{i:05d}"  # UK drama range: never a real subscriber
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        user_id = f"GB.{rng.getrandbits(63):019d}"
        out.append(Customer(wa_id=wa_id, name=name, user_id=user_id))
    return out


def _wamid(phone: str, serial: int, rng: random.Random) -> str:
    """A wamid shaped like Meta's: base64 of a protobuf-ish blob with the phone and a hex id."""
    blob = (
        b"\x18\x0b"
        + phone.encode()
        + b"\x15\x02\x00\x12\x18\x14"
        + f"{serial:08X}{rng.getrandbits(48):012X}".encode()
        + b"\x00"
    )
    return "wamid." + base64.b64encode(blob).decode()


def _envelope(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": WABA_ID,
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": DISPLAY_PHONE,
                                "phone_number_id": PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def _contact(c: Customer) -> dict[str, Any]:
    return {"profile": {"name": c.name}, "wa_id": c.wa_id, "user_id": c.user_id}


def _dump(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


class _Generator:
    """Deterministic stream of bodies; all state is local to one instance."""

    def __init__(self, seed: int, customers: int, target: int) -> None:
        self.rng = random.Random(seed)
        self.customers = _customers(self.rng, customers)
        self.target = target
        self.serial = 0
        self.ts = 1_767_000_000
        # Outbound wamids the business "sent", each with the next status Meta will report.
        self.outbound: list[tuple[str, Customer, int]] = []

    def _next_wamid(self, c: Customer) -> str:
        self.serial += 1
        return _wamid(c.wa_id, self.serial, self.rng)

    def _referral(self) -> dict[str, Any]:
        rng = self.rng
        headline, body = rng.choice(_AD_HEADLINES)
        ad_id = f"{rng.getrandbits(52):016d}"
        return {
            "source_url": f"https://fb.me/{rng.getrandbits(40):x}",
            "source_id": ad_id,
            "source_type": "ad",
            "headline": headline,
            "body": body,
            "media_type": "image",
            "image_url": f"https://scontent.xx.fbcdn.net/v/t45.1600-4/{ad_id}_n.jpg",
            "thumbnail_url": f"https://scontent.xx.fbcdn.net/v/t45.1600-4/{ad_id}_s.jpg",
            "ctwa_clid": base64.urlsafe_b64encode(rng.randbytes(45)).decode(),
        }

    def _text(self, c: Customer, first: bool, budget: int) -> dict[str, Any]:
        """A text message whose customer writes distinct sentences up to about `budget` bytes."""
        rng = self.rng
        self.ts += rng.randint(0, 3)
        msg: dict[str, Any] = {
            "from": c.wa_id,
            "from_user_id": c.user_id,
            "id": self._next_wamid(c),
            "timestamp": str(self.ts),
            "type": "text",
        }
        roll = rng.random()
        if first and roll < 0.35:
            msg["referral"] = self._referral()
        elif roll < 0.6 and self.outbound:
            msg["context"] = {"from": DISPLAY_PHONE, "id": rng.choice(self.outbound)[0]}
        budget -= len(_dump(msg)) + 20
        sentences = rng.sample(_SENTENCES, len(_SENTENCES))
        text = sentences.pop()
        while sentences and len(text.encode()) + len(sentences[-1]) < budget:
            text += " " + sentences.pop()
        msg["text"] = {"body": text}
        return msg

    def message(self) -> bytes:
        """Inbound text from one customer (now and then two quick ones batched by Meta)."""
        c = self.rng.choice(self.customers)
        contacts = [_contact(c)]
        count = 1 if self.rng.random() < 0.75 else 2
        budget = (self.target - _ENVELOPE_BYTES - len(_dump(contacts[0]))) // count
        messages = [self._text(c, first=i == 0, budget=budget) for i in range(count)]
        # The business answers; its reply will get statuses later.
        self.outbound.append((self._next_wamid(c), c, 0))
        return _dump(_envelope({"contacts": contacts, "messages": messages}))

    def _status(self, wamid: str, c: Customer, status: str) -> dict[str, Any]:
        self.ts += self.rng.randint(0, 2)
        st: dict[str, Any] = {
            "id": wamid,
            "status": status,
            "timestamp": str(self.ts),
            "recipient_id": c.wa_id,
            "recipient_user_id": c.user_id,
            "conversation": {
                "id": f"{self.rng.getrandbits(128):032x}",
                "origin": {"type": "service"},
            },
            "pricing": {
                "billable": False,
                "pricing_model": "PMP",
                "category": "service",
                "type": "free_customer_service",
            },
        }
        if status == "sent":
            st["conversation"]["expiration_timestamp"] = str(self.ts + 86_400)
            st["biz_opaque_callback_data"] = f"flow:support;node:{self.rng.randint(1, 40)}"
        return st

    def statuses(self) -> bytes:
        """A batch of statuses, each outbound wamid moving sent → delivered → read."""
        rng = self.rng
        statuses: list[dict[str, Any]] = []
        contacts: dict[str, dict[str, Any]] = {}
        size = _ENVELOPE_BYTES
        while size < self.target - 200:
            if not self.outbound:
                c = rng.choice(self.customers)
                self.outbound.append((self._next_wamid(c), c, 0))
            i = rng.randrange(min(len(self.outbound), 50))  # oldest replies first
            wamid, c, step = self.outbound[i]
            st = self._status(wamid, c, _STATUS_STEPS[step])
            statuses.append(st)
            size += len(_dump(st)) + 1
            if c.wa_id not in contacts:
                contacts[c.wa_id] = _contact(c)
                size += len(_dump(contacts[c.wa_id])) + 1
            if step + 1 < len(_STATUS_STEPS):
                self.outbound[i] = (wamid, c, step + 1)
            else:
                del self.outbound[i]
        value = {"contacts": list(contacts.values()), "statuses": statuses}
        return _dump(_envelope(value))


_STATUS_STEPS = ("sent", "delivered", "read")
_ENVELOPE_BYTES = len(_dump(_envelope({"contacts": [], "messages": []})))


def iter_bodies(
    seed: int = 1,
    customers: int = DEFAULT_CUSTOMERS,
    target: int = DEFAULT_TARGET_BYTES,
    message_share: float = 0.6,
) -> Iterator[bytes]:
    """Endless deterministic stream of distinct webhook bodies (messages and status batches)."""
    gen = _Generator(seed, customers, target)
    while True:
        yield gen.message() if gen.rng.random() < message_share else gen.statuses()


def make_bodies(n: int, seed: int = 1, target: int = DEFAULT_TARGET_BYTES) -> list[bytes]:
    """`n` distinct bodies of about `target` bytes each."""
    if n < 1:
        raise ValueError("the corpus needs at least one body")
    it = iter_bodies(seed=seed, target=target)
    return [next(it) for _ in range(n)]


def write_corpus(path: Path, bodies: Sequence[bytes], signatures: Sequence[str]) -> None:
    """Write `<signature>\\t<body>` lines (bodies are compact JSON: no tab, no newline)."""
    if len(bodies) != len(signatures):
        raise ValueError("one signature per body")
    with path.open("wb") as fh:
        for body, sig in zip(bodies, signatures, strict=True):
            fh.write(sig.encode() + b"\t" + body + b"\n")
