"""The load generator of `live_latency.py`: signed webhook POSTs at a fixed rate, own process.

    python bench/_live_sender.py URL RATE DURATION FIRST_SEQ OUT_FILE

Sends `RATE` inbound text messages per second for `DURATION` seconds (in 10 ms ticks, each
POST its own task on a pooled aiohttp client), message `seq` from customer `customer_of(seq)`
with wamid `wamid.live.<seq>` and a text starting `live <seq>`. Records `time.monotonic()`
just before each POST (CLOCK_MONOTONIC is system-wide on Linux, so the GUI process can compare)
and writes `seq send_time status` lines to OUT_FILE when done.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import sys
import time

APP_SECRET = "bench-app-secret-0123456789"
PNID = "106540352242922"
WABA = "102290129340398"
CUSTOMERS = 200
OPEN_EVERY = 10


def customer_of(seq: int) -> int:
    """Every OPEN_EVERY-th message comes from customer 0 (the open conversation)."""
    return 0 if seq % OPEN_EVERY == 0 else 1 + seq % (CUSTOMERS - 1)


def wa_id(customer: int) -> str:
    return f"4477009{customer:05d}"


def body(seq: int) -> bytes:
    customer = customer_of(seq)
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": WABA,
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": PNID,
                            },
                            "contacts": [
                                {"profile": {"name": f"Live {customer}"}, "wa_id": wa_id(customer)}
                            ],
                            "messages": [
                                {
                                    "from": wa_id(customer),
                                    "id": f"wamid.live.{seq}",
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": f"live {seq} hello, is there a slot today?"},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload).encode()


def headers(data: bytes) -> dict[str, str]:
    digest = hmac.new(APP_SECRET.encode(), data, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


async def send(url: str, rate: int, duration: float, first: int) -> list[tuple[int, float, int]]:
    import aiohttp

    total = int(rate * duration)
    prepared = [(first + i, body(first + i)) for i in range(total)]
    records: list[tuple[int, float, int]] = []
    connector = aiohttp.TCPConnector(limit=64)

    async def post(session: aiohttp.ClientSession, seq: int, data: bytes) -> None:
        sent = time.monotonic()
        try:
            async with session.post(url, data=data, headers=headers(data)) as response:
                await response.read()
                status = response.status
        except Exception:
            status = 0
        records.append((seq, sent, status))

    async with aiohttp.ClientSession(connector=connector) as session:
        tasks: list[asyncio.Task[None]] = []
        start = time.monotonic()
        done = 0
        while done < total:
            due = min(total, int((time.monotonic() - start) * rate) + 1)
            while done < due:
                seq, data = prepared[done]
                tasks.append(asyncio.ensure_future(post(session, seq, data)))
                done += 1
            await asyncio.sleep(0.01)
        await asyncio.gather(*tasks)
    return records


def write(out: str, records: list[tuple[int, float, int]]) -> None:
    with open(out, "w", encoding="utf-8") as fh:
        for seq, sent, status in records:
            fh.write(f"{seq} {sent:.6f} {status}\n")


if __name__ == "__main__":
    url_arg, rate_arg, duration_arg, first_arg, out_arg = sys.argv[1:6]
    write(out_arg, asyncio.run(send(url_arg, int(rate_arg), float(duration_arg), int(first_arg))))
