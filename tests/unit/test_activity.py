"""The event inspector's queries, the log tail and the diagnostics text, on a real store."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from tests import factories as f
from tests.integration.conftest import make_engine
from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.engine import activity
from wadesk.engine.activity import EventFilter, filter_args, get_raw_event, list_raw_events
from wadesk.engine.store import Store
from wadesk.engine.store.raw_events import insert_raw_event, set_raw_event_result

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = Store(tmp_path / "wadesk.sqlite3")
    await s.open()
    yield s
    await s.close()


async def add(
    store: Store,
    body: bytes,
    verdict: SignatureVerdict = SignatureVerdict.VALID,
    result: ProcessingResult = ProcessingResult.APPLIED,
    *,
    detail: str | None = None,
    field: str | None = "messages",
    seconds: int = 0,
) -> int:
    raw_id = await store.write(
        partial(
            insert_raw_event,
            body=body,
            received_at=T0 + timedelta(seconds=seconds),
            verdict=verdict,
            result=ProcessingResult.PENDING if result is not ProcessingResult.REJECTED else result,
            detail=detail,
            field=field,
        )
    )
    if result not in (ProcessingResult.PENDING, ProcessingResult.REJECTED):
        await store.write(
            partial(set_raw_event_result, raw_event_id=raw_id, result=result, detail=detail)
        )
    return raw_id


@pytest.fixture
async def events(store: Store) -> dict[str, int]:
    """Five events of every kind the inspector filters on."""
    return {
        "hello": await add(store, f.encode(f.text_message("Hello there", wa_id="111"))),
        "forged": await add(
            store,
            b'{"object":"whatsapp_business_account","forged":true}',
            SignatureVerdict.INVALID,
            ProcessingResult.REJECTED,
            detail="signature does not match the app secret",
            field=None,
            seconds=1,
        ),
        "privet": await add(store, f.encode(f.text_message("Привет, 100% скидка_")), seconds=2),
        "unknown": await add(
            store,
            f.encode(f.text_message("who?", pnid="999000999")),
            result=ProcessingResult.UNKNOWN_NUMBER,
            detail="unknown phone_number_id 999000999",
            seconds=3,
        ),
        "broken": await add(
            store,
            b"not json \xff at all",
            result=ProcessingResult.ERROR,
            detail="ValueError: boom",
            field="statuses",
            seconds=4,
        ),
    }


async def ids(store: Store, **kwargs: object) -> list[int]:
    rows = await store.read(partial(list_raw_events, **kwargs))
    return [r.id for r in rows]


async def test_newest_first_with_summaries_and_paging(store: Store, events: dict[str, int]) -> None:
    rows = await store.read(list_raw_events)
    assert [r.id for r in rows] == sorted(events.values(), reverse=True)
    forged = next(r for r in rows if r.id == events["forged"])
    assert forged.verdict is SignatureVerdict.INVALID
    assert forged.result is ProcessingResult.REJECTED
    assert forged.detail == "signature does not match the app secret"
    assert forged.size == len(b'{"object":"whatsapp_business_account","forged":true}')
    assert forged.received_at == T0 + timedelta(seconds=1)
    assert not forged.replayable
    assert next(r for r in rows if r.id == events["hello"]).replayable
    page1 = await ids(store, limit=2)
    page2 = await ids(store, limit=2, before_id=page1[-1])
    page3 = await ids(store, limit=2, before_id=page2[-1])
    assert page1 + page2 + page3 == sorted(events.values(), reverse=True)
    assert await ids(store, before_id=min(events.values())) == []


async def test_filters(store: Store, events: dict[str, int]) -> None:
    expected = {
        EventFilter.ALL: set(events.values()),
        EventFilter.ACCEPTED: {events[k] for k in ("hello", "privet", "unknown", "broken")},
        EventFilter.REJECTED: {events["forged"]},
        EventFilter.ERRORS: {events["broken"]},
        EventFilter.UNKNOWN_NUMBER: {events["unknown"]},
    }
    for choice, want in expected.items():
        assert set(await ids(store, **filter_args(choice))) == want, choice
    both = [ProcessingResult.ERROR, ProcessingResult.UNKNOWN_NUMBER]
    assert set(await ids(store, result=both)) == {events["broken"], events["unknown"]}
    chosen = [events["hello"], events["forged"], 10_000]
    assert await ids(store, ids=chosen) == [events["forged"], events["hello"]]
    assert await ids(store, ids=chosen, **filter_args("accepted")) == [events["hello"]]
    assert await ids(store, ids=[]) == []


async def test_search_over_body_field_detail_and_id(store: Store, events: dict[str, int]) -> None:
    assert await ids(store, search="Hello there") == [events["hello"]]
    assert await ids(store, search="hello THERE") == [events["hello"]]  # ASCII case folds
    # Meta escapes non-ASCII: the escaped form is searched too
    assert await ids(store, search="Привет") == [events["privet"]]
    # LIKE wildcards in the term are literal
    assert await ids(store, search="100%") == [events["privet"]]
    assert await ids(store, search="%") == [events["privet"]]
    assert await ids(store, search="_") != list(events.values())
    assert await ids(store, search="does not match") == [events["forged"]]
    assert await ids(store, search="statuses") == [events["broken"]]
    assert await ids(store, search="999000999") == [events["unknown"]]
    assert await ids(store, search=f"#{events['forged']}") == [events["forged"]]
    assert await ids(store, search="no such thing anywhere") == []
    assert await ids(store, search="   ") == await ids(store)
    # search and filter combine
    assert await ids(store, search="who", **filter_args("rejected")) == []


async def test_detail_pretty_prints_json_and_explains_rejections(
    store: Store, events: dict[str, int]
) -> None:
    hello = await store.read(partial(get_raw_event, raw_event_id=events["privet"]))
    assert hello.is_json and not hello.truncated
    assert hello.reason is None
    assert '"body": "Привет, 100% скидка_"' in hello.body
    assert hello.body.count("\n") > 10
    assert json.loads(hello.body)["entry"][0]["id"] == f.WABA
    forged = await store.read(partial(get_raw_event, raw_event_id=events["forged"]))
    assert forged.verdict is SignatureVerdict.INVALID
    assert forged.reason is not None and "app secret" in forged.reason
    broken = await store.read(partial(get_raw_event, raw_event_id=events["broken"]))
    assert not broken.is_json
    assert broken.body == "not json \ufffd at all"
    assert broken.reason == "Applying the event failed: ValueError: boom."
    unknown = await store.read(partial(get_raw_event, raw_event_id=events["unknown"]))
    assert unknown.reason is not None and "999000999" in unknown.reason
    with pytest.raises(KeyError):
        await store.read(partial(get_raw_event, raw_event_id=10_000))


async def test_huge_body_is_cut(store: Store) -> None:
    raw_id = await add(store, b"x" * (activity.MAX_BODY_CHARS + 10))
    detail = await store.read(partial(get_raw_event, raw_event_id=raw_id))
    assert detail.truncated
    assert len(detail.body) == activity.MAX_BODY_CHARS


def test_tail_lines_reads_the_end_and_the_rotated_file(tmp_path: Path) -> None:
    path = tmp_path / "wadesk.log"
    assert activity.tail_lines(path, 10) == []
    path.with_name("wadesk.log.1").write_text(
        "".join(f"old {i}\n" for i in range(5)), encoding="utf-8"
    )
    path.write_text("".join(f"line {i} " + "y" * 200 + "\n" for i in range(2000)), "utf-8")
    tail = activity.tail_lines(path, 3)
    assert [t.split()[:2] for t in tail] == [["line", "1997"], ["line", "1998"], ["line", "1999"]]
    assert len(activity.tail_lines(path, 1500)) == 1500
    path.write_text("new 0\nnew 1\n", encoding="utf-8")
    assert activity.tail_lines(path, 4) == ["old 3", "old 4", "new 0", "new 1"]
    assert activity.tail_lines(path, 4, include_rotated=False) == ["new 0", "new 1"]
    assert activity.tail_lines(path, 0) == []


async def test_diagnostics_contain_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_token = "EnvOverrideAccessToken-9f8e7d6c5b4a"
    ngrok_token = "ngrok-authtoken-2Xy7Qp0Lm5Nb8Vc"
    monkeypatch.setenv("WADESK_ACCESS_TOKEN_555000111", env_token)
    engine = make_engine(tmp_path / "data")
    from wadesk.engine.secrets import SecretKind

    engine.secrets.set(SecretKind.VERIFY_TOKEN, "", f.VERIFY_TOKEN)
    engine.secrets.set(SecretKind.NGROK_AUTHTOKEN, "", ngrok_token)
    await engine.start(serve=False, ingest=False)
    try:
        await f.add_salon_number(engine)
        # a fresh engine knows nothing yet: secrets live only in the keyring / environment
        fresh = make_engine(tmp_path / "data")
        engine.log_file.parent.mkdir(parents=True, exist_ok=True)
        engine.log_file.write_text(
            "2026-03-01 INFO wadesk: started\n"
            f"2026-03-01 ERROR wadesk: token {f.ACCESS_TOKEN} was refused\n"
            f"2026-03-01 ERROR wadesk: secret={f.APP_SECRET} env={env_token}\n"
            f"2026-03-01 INFO wadesk: ngrok {ngrok_token} verify {f.VERIFY_TOKEN}\n"
            "2026-03-01 INFO wadesk: last line\n",
            encoding="utf-8",
        )
        await fresh.start(serve=False, ingest=False)
        try:
            text = await fresh.diagnostics()
        finally:
            await fresh.stop()
    finally:
        await engine.stop()
    for secret in (f.ACCESS_TOKEN, f.APP_SECRET, f.VERIFY_TOKEN, ngrok_token, env_token):
        assert secret not in text
    assert "[redacted]" in text
    assert "wadesk: last line" in text
    assert "wadesk: started" in text
    assert f"Phone Number ID {f.PNID}" in text
    assert "Salon" in text
    assert str(tmp_path / "data") in text
    assert "Python 3." in text
    assert "aiohttp " in text
    assert "[ok] keyring" in text
    assert "webhook server: not running" in text
    assert "tunnel: not configured" in text
    assert '"counts"' in text


def test_describe_tunnel_is_defensive() -> None:
    class Status:
        state = type("S", (), {"value": "up"})()
        public_url = "https://a.ngrok.app"
        reason = None

    class Conn:
        status = Status()

    class Engine:
        connection = Conn()

    assert activity.describe_tunnel(Engine()) == {
        "mode": None,
        "state": "up",
        "public_url": "https://a.ngrok.app",
        "reason": None,
        "reason_message": None,
    }

    class Wrapped:  # the shape of ConnectionStatus: mode + the tunnel's status
        mode = "ngrok"
        tunnel = Status()

    class Conn2:
        status = Wrapped()

    class Engine3:
        connection = Conn2()

    assert activity.describe_tunnel(Engine3()) == {
        "mode": "ngrok",
        "state": "up",
        "public_url": "https://a.ngrok.app",
        "reason": None,
        "reason_message": None,
    }
    assert activity.describe_tunnel(object()) is None

    class Broken:
        def status(self) -> None:
            raise RuntimeError("nope")

    class Engine2:
        connection = Broken()

    assert activity.describe_tunnel(Engine2())["state"] == "unknown"  # type: ignore[index]


def test_library_versions_are_metadata_only() -> None:
    versions = activity.library_versions()
    assert versions["aiohttp"][0].isdigit()
    assert set(versions) >= {"httpx", "SQLAlchemy", "pyngrok", "PySide6"}
