"""Numbers administration beyond add/remove: editing a number, its stored check results, the
overview the Numbers page shows, and re-running checks that could not run offline.

Check results are kept (without secrets) in the number row's ``settings_json`` under the key
``"checks"``: ``{"at": iso, "states": {key: state}, "facts": {...}}``; other keys of that JSON
belong to other features and are preserved. Store functions here are sync functions on a
SQLAlchemy `Connection` (run them through `Store.read` / `Store.write`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, func, select, update

from wadesk.core.enums import Direction, MessageType
from wadesk.core.models import Number
from wadesk.core.validation import ValidationError, normalize_phone, validate_graph_id
from wadesk.engine.checks import CheckResult, CheckState, NumberDraft
from wadesk.engine.secrets import SecretKind
from wadesk.engine.store.convert import to_number
from wadesk.engine.store.errors import DuplicateNumberError, NotFoundError
from wadesk.engine.store.tables import conversation_t, message_t, number_t

if TYPE_CHECKING:
    from wadesk.engine.service import Engine

log = logging.getLogger("wadesk.numbers")

CHECKS_KEY = "checks"
TEST_NUMBER_LIMIT = 250


@dataclass(frozen=True)
class NumberOverview:
    """One row of the Numbers page."""

    number: Number
    last_webhook_at: datetime | None = None
    checked_at: datetime | None = None
    check_states: dict[str, str] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    business_initiated_24h: int = 0

    @property
    def checks_state(self) -> str:
        """ "ok", "warning", "failed", "not_checked" or "" (never checked), worst first."""
        states = set(self.check_states.values())
        for state in ("failed", "not_checked", "warning"):
            if state in states:
                return state
        return "ok" if states else ""

    @property
    def quality_rating(self) -> str:
        return self.facts.get("quality_rating", "")

    @property
    def messaging_tier(self) -> str:
        return self.facts.get("messaging_limit_tier", "")

    @property
    def tier_limit(self) -> int | None:
        """Business-initiated conversations allowed per 24 h (None when unlimited/unknown)."""
        tier = self.messaging_tier.upper()
        if self.facts.get("test_number") == "yes" and not tier:
            return TEST_NUMBER_LIMIT
        digits = "".join(ch for ch in tier if ch.isdigit())
        if not digits:
            return None
        value = int(digits)
        return value * 1000 if tier.endswith("K") else value


def _settings(raw: str | None) -> dict[str, Any]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


# -- store functions ---------------------------------------------------------------------------


def overview(conn: Connection, *, now: datetime | None = None) -> list[NumberOverview]:
    """Every number with its stored checks, last webhook and business-initiated count."""
    since = (now or datetime.now(UTC)) - timedelta(hours=24)
    counts_q = (
        select(conversation_t.c.number_id, func.count(func.distinct(conversation_t.c.contact_id)))
        .select_from(
            message_t.join(conversation_t, message_t.c.conversation_id == conversation_t.c.id)
        )
        .where(
            and_(
                message_t.c.direction == Direction.OUTBOUND.value,
                message_t.c.type == MessageType.TEMPLATE.value,
                message_t.c.timestamp >= since,
            )
        )
        .group_by(conversation_t.c.number_id)
    )
    counts = {int(row[0]): int(row[1]) for row in conn.execute(counts_q)}
    result = []
    for row in conn.execute(select(number_t).order_by(number_t.c.label)).mappings():
        number = to_number(row)
        checks = _settings(row["settings_json"]).get(CHECKS_KEY)
        checks = checks if isinstance(checks, dict) else {}
        states = checks.get("states")
        facts = checks.get("facts")
        result.append(
            NumberOverview(
                number=number,
                last_webhook_at=row["last_webhook_at"],
                checked_at=_parse_time(checks.get("at")),
                check_states={str(k): str(v) for k, v in states.items()}
                if isinstance(states, dict)
                else {},
                facts={str(k): str(v) for k, v in facts.items()} if isinstance(facts, dict) else {},
                business_initiated_24h=counts.get(number.id, 0),
            )
        )
    return result


def save_checks(
    conn: Connection, phone_number_id: str, results: Iterable[CheckResult], *, now: datetime
) -> None:
    """Store the final check states and facts of a number (no secrets, no texts)."""
    row = (
        conn.execute(
            select(number_t.c.id, number_t.c.settings_json).where(
                number_t.c.phone_number_id == phone_number_id
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFoundError(f"no number with Phone Number ID {phone_number_id}")
    states: dict[str, str] = {}
    facts: dict[str, str] = {}
    for result in results:
        states[result.key.value] = result.state.value
        facts.update({k: v for k, v in result.facts.items() if k not in ("wamid",)})
    settings = _settings(row["settings_json"])
    settings[CHECKS_KEY] = {"at": now.isoformat(), "states": states, "facts": facts}
    conn.execute(
        update(number_t)
        .where(number_t.c.id == row["id"])
        .values(settings_json=json.dumps(settings))
    )


def update_row(
    conn: Connection,
    label: str,
    *,
    new_label: str,
    phone: str,
    phone_number_id: str,
    waba_id: str,
) -> Number:
    current = conn.execute(select(number_t).where(number_t.c.label == label)).mappings().first()
    if current is None:
        raise NotFoundError(f"no number labelled {label!r}")
    clash = (
        conn.execute(
            select(number_t.c.label).where(
                ((number_t.c.label == new_label) | (number_t.c.phone_number_id == phone_number_id))
                & (number_t.c.id != current["id"])
            )
        )
        .mappings()
        .first()
    )
    if clash is not None:
        raise DuplicateNumberError(f"the label or Phone Number ID is used by {clash['label']!r}")
    values: dict[str, Any] = {
        "label": new_label,
        "phone": phone,
        "phone_number_id": phone_number_id,
        "waba_id": waba_id,
    }
    if phone_number_id != current["phone_number_id"] or waba_id != current["waba_id"]:
        settings = _settings(current["settings_json"])
        settings.pop(CHECKS_KEY, None)  # they were about another number
        values["settings_json"] = json.dumps(settings)
    conn.execute(update(number_t).where(number_t.c.id == current["id"]).values(**values))
    row = conn.execute(select(number_t).where(number_t.c.id == current["id"])).mappings().one()
    return to_number(row)


# -- engine-level operations -------------------------------------------------------------------


def validate_fields(
    label: str, phone: str, phone_number_id: str, waba_id: str
) -> tuple[str, str, str, str]:
    """Checked and normalised label, E.164 phone, ids; raises ValidationError."""
    label = label.strip()
    if not label:
        raise ValidationError("label", "Give the number a label, e.g. 'Salon'.")
    return (
        label,
        normalize_phone(phone),
        validate_graph_id("phone_number_id", phone_number_id, "Phone Number ID"),
        validate_graph_id("waba_id", waba_id, "WhatsApp Business Account ID"),
    )


async def update_number(
    engine: Engine,
    label: str,
    *,
    new_label: str | None = None,
    phone: str,
    phone_number_id: str,
    waba_id: str,
    access_token: str | None = None,
    app_secret: str | None = None,
) -> Number:
    """Edit a number; empty/None secrets keep the stored ones (moved if the id changed)."""
    new, phone_e164, pnid, waba = validate_fields(
        new_label if new_label is not None else label, phone, phone_number_id, waba_id
    )
    old = await engine.store.read(partial(_get_by_label, label=label))
    if old is None:
        raise NotFoundError(f"No number labelled '{label}'.")
    secrets = engine.secrets
    for kind, given in (
        (SecretKind.ACCESS_TOKEN, access_token),
        (SecretKind.APP_SECRET, app_secret),
    ):
        value = (given or "").strip()
        if not value and pnid != old.phone_number_id:
            stored: str | None = await engine.blocking(secrets.get, kind, old.phone_number_id)
            value = stored or ""
        if value:
            await engine.blocking(secrets.set, kind, pnid, value)
    number = await engine.store.write(
        partial(
            update_row,
            label=label,
            new_label=new,
            phone=phone_e164,
            phone_number_id=pnid,
            waba_id=waba,
        )
    )
    if pnid != old.phone_number_id:
        for kind in (SecretKind.ACCESS_TOKEN, SecretKind.APP_SECRET):
            await engine.blocking(secrets.delete, kind, old.phone_number_id)
    await engine.clients.invalidate(old.phone_number_id)
    await engine.clients.invalidate(pnid)
    await engine.reload_numbers()
    log.info("Number updated: %s", new)
    return number


def _get_by_label(conn: Connection, label: str) -> Number | None:
    row = conn.execute(select(number_t).where(number_t.c.label == label)).mappings().first()
    return to_number(row) if row is not None else None


async def draft_for(engine: Engine, number: Number) -> NumberDraft | None:
    """A draft with the stored secrets of a saved number (None when they are missing)."""
    token = await engine.blocking(
        engine.secrets.get, SecretKind.ACCESS_TOKEN, number.phone_number_id
    )
    secret = await engine.blocking(
        engine.secrets.get, SecretKind.APP_SECRET, number.phone_number_id
    )
    if not token:
        return None
    return NumberDraft(
        number.label, number.phone, number.phone_number_id, number.waba_id, token, secret or ""
    )


async def recheck_pending(engine: Engine) -> int:
    """Re-run the checks of numbers with results "not yet checked"; returns how many ran."""
    ran = 0
    for item in await engine.store.read(overview):
        if not item.number.active or "not_checked" not in item.check_states.values():
            continue
        draft = await draft_for(engine, item.number)
        if draft is None:
            continue
        results = await engine.check_number(draft)
        ran += 1
        if any(r.state is CheckState.NOT_CHECKED for r in results):
            break  # still offline: try again later
    return ran
