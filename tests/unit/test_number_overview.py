"""The Numbers page's overview on a real store: business-initiated conversations of the last
24 hours (templates to distinct customers, per number), the messaging limit they are counted
against (a test number's 250 included), and stored check results without secrets or texts."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests import factories as f
from wadesk.core.enums import MessageType
from wadesk.core.models import Number
from wadesk.engine import number_admin
from wadesk.engine.checks import CheckKey, CheckResult, CheckState
from wadesk.engine.number_admin import TEST_NUMBER_LIMIT, NumberOverview
from wadesk.engine.store import Store, repo
from wadesk.engine.store.columns import MessageOrigin
from wadesk.engine.store.tables import number_t

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = Store(tmp_path / "wadesk.sqlite3")
    await s.open()
    yield s
    await s.close()


async def send(
    store: Store, number_id: int, to: str, kind: MessageType, *, hours_ago: float
) -> None:
    await store.write(
        partial(
            repo.insert_outbound,
            number_id=number_id,
            type=kind,
            origin=MessageOrigin.USER,
            to_wa_id=to,
            text="hello" if kind is MessageType.TEXT else None,
            payload={"name": "hello_world"} if kind is MessageType.TEMPLATE else None,
            now=NOW - timedelta(hours=hours_ago),
        )
    )


async def test_business_initiated_counts_distinct_customers_per_number_in_24_hours(
    store: Store,
) -> None:
    salon = await store.write(lambda c: repo.add_number(c, "Salon", "+15550100100", f.PNID, f.WABA))
    shop = await store.write(lambda c: repo.add_number(c, "Shop", "+15550100200", "2222", f.WABA))
    template = MessageType.TEMPLATE
    await send(store, salon.id, "34600111001", template, hours_ago=1)
    await send(store, salon.id, "34600111001", template, hours_ago=2)  # same customer again
    await send(store, salon.id, "34600111002", template, hours_ago=23.5)
    await send(store, salon.id, "34600111003", template, hours_ago=24.5)  # too old
    await send(store, salon.id, "34600111004", MessageType.TEXT, hours_ago=1)  # not a template
    await send(store, shop.id, "34600111001", template, hours_ago=1)  # the other number
    rows = await store.read(partial(number_admin.overview, now=NOW))
    by_label = {row.number.label: row for row in rows}
    assert [row.number.label for row in rows] == ["Salon", "Shop"]
    assert by_label["Salon"].business_initiated_24h == 2
    assert by_label["Shop"].business_initiated_24h == 1
    # an hour later the 23.5 h old one falls out of the window
    later = await store.read(partial(number_admin.overview, now=NOW + timedelta(hours=1)))
    assert {row.number.label: row.business_initiated_24h for row in later} == {
        "Salon": 1,
        "Shop": 1,
    }


def overview(**facts: str) -> NumberOverview:
    number = Number(1, "Salon", "+15550100100", f.PNID, f.WABA)
    return NumberOverview(number, facts=facts)


@pytest.mark.parametrize(
    ("facts", "limit"),
    [
        ({"messaging_limit_tier": "TIER_250"}, 250),
        ({"messaging_limit_tier": "TIER_1K"}, 1000),
        ({"messaging_limit_tier": "TIER_100K"}, 100_000),
        ({"messaging_limit_tier": "TIER_UNLIMITED"}, None),
        ({"test_number": "yes"}, TEST_NUMBER_LIMIT),
        ({"test_number": "yes", "messaging_limit_tier": "TIER_1K"}, 1000),
        ({}, None),
    ],
)
def test_tier_limit(facts: dict[str, str], limit: int | None) -> None:
    assert overview(**facts).tier_limit == limit


async def test_checks_are_stored_without_secrets_and_other_settings_are_kept(
    store: Store,
) -> None:
    salon = await store.write(lambda c: repo.add_number(c, "Salon", "+15550100100", f.PNID, f.WABA))

    def put_other_setting(conn: Any) -> None:
        conn.execute(
            number_t.update()
            .where(number_t.c.id == salon.id)
            .values(settings_json=json.dumps({"bot": 7}))
        )

    await store.write(put_other_setting)
    results = [
        CheckResult(
            CheckKey.PHONE_NUMBER,
            CheckState.OK,
            facts={"quality_rating": "GREEN", "messaging_limit_tier": "TIER_250"},
        ),
        CheckResult(CheckKey.WEBHOOK, CheckState.WARNING),
        CheckResult(CheckKey.TEST_MESSAGE, CheckState.OK, facts={"wamid": "wamid.SECRETISH"}),
    ]
    await store.write(
        partial(number_admin.save_checks, phone_number_id=f.PNID, results=results, now=NOW)
    )
    [row] = await store.read(partial(number_admin.overview, now=NOW))
    assert row.checks_state == "warning"
    assert row.quality_rating == "GREEN" and row.tier_limit == 250
    assert row.checked_at == NOW
    raw = await store.read(
        lambda conn: conn.execute(
            select(number_t.c.settings_json).where(number_t.c.id == salon.id)
        ).scalar_one()
    )
    stored = json.loads(raw)
    assert stored["bot"] == 7
    assert "wamid" not in json.dumps(stored)
