"""Bots end to end: an Engine wired to the Cloud API sandbox (Meta and the customers), a
published and active bot, real webhooks, the real outbox, a local aiohttp server for the HTTP
node. Keyword → buttons → tap → question with retry → HTTP ok/error; hand-off; the owner
typing pauses the bot; restart mid-flow; stale backlog; per-conversation ordering."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tests.integration.sandbox_engine import SandboxEngine, sandbox_engine
from tests.unit.flow.helpers import build
from wadesk.core import outgoing
from wadesk.core.enums import ConversationMode, MessageType
from wadesk.core.events import BotHandedOff, BotTraced
from wadesk.core.models import Conversation
from wadesk.engine.bots import Bot, BotSettings
from wadesk.engine.bots import store as bs
from wadesk.engine.service import Engine
from wadesk.engine.store import repo
from wadesk.flow import Flow

BUBBLE = 0.05


def shop_flow(api: str) -> Flow:
    return build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["menu"]}),
            "menu": (
                "buttons",
                {
                    "body": "Hi {{contact.name}}! Choose:",
                    "buttons": [{"id": "order", "title": "Order"}, {"id": "help", "title": "Help"}],
                },
            ),
            "ask": (
                "question",
                {
                    "prompt": "Your email?",
                    "validate": "email",
                    "variable": "email",
                    "retry_message": "That is not an email.",
                    "max_retries": 2,
                },
            ),
            "crm": (
                "http_request",
                {
                    "method": "POST",
                    "url": f"{api}/leads",
                    "headers": {"X-Key": "secret-api-key"},
                    "body": '{"email": "{{email}}"}',
                    "timeout": 5.0,
                    "response_map": {"ticket": "data.ticket"},
                },
            ),
            "ok": ("send_text", {"text": "Ticket {{ticket}} for {{email}}"}),
            "sorry": ("send_text", {"text": "Sorry, our system is down."}),
            "human": ("handoff", {"reason": "asked for help", "message": "A person will answer."}),
            "bad": ("end", {"reason": "no email"}),
            "bye": ("end", {}),
            "bye2": ("end", {}),
        },
        {
            ("t1", "next"): "menu",
            ("menu", "order"): "ask",
            ("menu", "help"): "human",
            ("ask", "answer"): "crm",
            ("ask", "invalid"): "bad",
            ("crm", "ok"): "ok",
            ("crm", "error"): "sorry",
            ("ok", "next"): "bye",
            ("sorry", "next"): "bye2",
        },
    )


def quiz_flow() -> Flow:
    return build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["quiz"]}),
            "q1": ("question", {"prompt": "Name?", "variable": "name"}),
            "q2": ("question", {"prompt": "City?", "variable": "city"}),
            "done": ("send_text", {"text": "{{name}} from {{city}}"}),
            "end": ("end", {}),
        },
        {("t1", "next"): "q1", ("q1", "answer"): "q2", ("q2", "answer"): "done"}
        | {("done", "next"): "end"},
    )


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
async def api() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    """A local JSON API: POST /leads answers a ticket, or 500 for emails starting with 'fail'."""
    seen: list[dict[str, Any]] = []

    async def leads(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append({"body": body, "key": request.headers.get("X-Key")})
        if str(body.get("email", "")).startswith("fail"):
            return web.json_response({"error": "down"}, status=500)
        return web.json_response({"data": {"ticket": f"T-{len(seen)}"}})

    app = web.Application()
    app.router.add_post("/leads", leads)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", seen
    await runner.cleanup()


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[SandboxEngine]:
    async with sandbox_engine(tmp_path, pair_rate_per_6s=600.0) as e:
        e.engine.bots.bubble_delay = BUBBLE
        yield e


async def install(engine: Engine, number_id: int, flow: Flow, name: str = "Shop") -> Bot:
    info = await engine.bots.create_flow(name, flow)
    await engine.bots.publish(info.id)
    bot = await engine.bots.create_bot(name, number_id=number_id, flow_id=info.id)
    return await engine.bots.set_bot_active(bot.id, True)


def texts_to(env: SandboxEngine, which: int) -> list[str]:
    """What the business sent customer `which`, as text (interactive: the body)."""
    wa_id = env.wa_id(which)
    out = []
    for sent in env.sandbox.sent_messages:
        if sent.to != wa_id:
            continue
        body = sent.body
        if sent.type == "text":
            out.append(body["text"]["body"])
        elif sent.type == "interactive":
            out.append(body["interactive"]["body"]["text"])
        else:
            out.append(f"[{sent.type}]")
    return out


async def wait_texts(env: SandboxEngine, which: int, count: int) -> list[str]:
    return await env.wait_for(lambda: len(texts_to(env, which)) >= count and texts_to(env, which))


async def conversation(env: SandboxEngine, which: int) -> Conversation:
    return await env.wait_for(lambda: env.conversation_of(which))


# -- tests ------------------------------------------------------------------------------------


async def test_keyword_button_question_retry_and_http_ok(
    env: SandboxEngine, api: tuple[str, list[dict[str, Any]]]
) -> None:
    url, seen = api
    bot = await install(env.engine, env.number.id, shop_flow(url))
    customer = env.customer(0)
    await customer.say("Menu")
    texts = await wait_texts(env, 0, 1)
    assert texts == [f"Hi {customer.name}! Choose:"]
    buttons = env.sandbox.sent_messages[-1].body["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["f:menu:order", "f:menu:help"]

    await customer.tap("Order")
    assert (await wait_texts(env, 0, 2))[-1] == "Your email?"
    await customer.react(env.sandbox.sent_messages[-1].wamid, "👍")  # not an answer
    await env.wait_for(lambda: len(env.sandbox.state.inbound) >= 3)
    await _settle(env)
    assert len(texts_to(env, 0)) == 2
    await customer.say("not an email")
    assert (await wait_texts(env, 0, 3))[-1] == "That is not an email."
    await customer.say("ann@example.com")
    texts = await wait_texts(env, 0, 4)
    assert texts[-1] == "Ticket T-1 for ann@example.com"
    assert seen == [{"body": {"email": "ann@example.com"}, "key": "secret-api-key"}]

    conv = await conversation(env, 0)
    await env.engine.bots.wait_idle()
    record = await env.engine.store.read(lambda c: bs.load_session(c, conv.id))
    assert record is not None and record.status == "ended"
    assert record.session.variables["ticket"] == "T-1"
    stats = await env.engine.bots.bot_stats(bot.id)
    assert (stats.running, stats.completed, stats.errors_today) == (0, 1, 0)
    traces = await env.engine.bots.traces(conversation_id=conv.id)
    kinds = [t.type for t in reversed(traces)]
    assert kinds[0] == "session_started" and kinds[-1] == "session_completed"
    assert "invalid" in kinds and "http_result" in kinds
    assert "sent" in kinds  # the wamid of the buttons message came back to the session
    http_run = next(t for t in traces if t.node_id == "crm" and t.type == "run")
    assert http_run.actions[0]["headers"] == ["X-Key"]  # header names only, never values
    assert "secret-api-key" not in repr(traces)
    assert env.of(BotTraced) and all(e.conversation_id == conv.id for e in env.of(BotTraced))
    # bot messages are stored with origin "bot"
    origins = await env.engine.store.read(
        lambda c: c.exec_driver_sql(
            "SELECT DISTINCT origin FROM message WHERE direction = 'outbound'"
        ).all()
    )
    assert origins == [("bot",)]


async def test_http_error_path(env: SandboxEngine, api: tuple[str, list[dict[str, Any]]]) -> None:
    url, _seen = api
    await install(env.engine, env.number.id, shop_flow(url))
    customer = env.customer(0)
    await customer.say("menu")
    await wait_texts(env, 0, 1)
    await customer.tap("Order")
    await wait_texts(env, 0, 2)
    await customer.say("fail@example.com")
    assert (await wait_texts(env, 0, 3))[-1] == "Sorry, our system is down."


async def test_http_unreachable_takes_error_path(env: SandboxEngine) -> None:
    await install(env.engine, env.number.id, shop_flow("http://127.0.0.1:9"))
    customer = env.customer(1)
    await customer.say("menu")
    await wait_texts(env, 1, 1)
    await customer.tap("Order")
    await wait_texts(env, 1, 2)
    await customer.say("bob@example.com")
    assert (await wait_texts(env, 1, 3))[-1] == "Sorry, our system is down."


async def test_handoff_marks_human_and_stops_the_bot(
    env: SandboxEngine, api: tuple[str, list[dict[str, Any]]]
) -> None:
    bot = await install(env.engine, env.number.id, shop_flow(api[0]))
    customer = env.customer(0)
    await customer.say("menu")
    await wait_texts(env, 0, 1)
    await customer.tap("Help")
    assert (await wait_texts(env, 0, 2))[-1] == "A person will answer."
    conv = await env.wait_for(lambda: _human(env, 0))
    handed = await env.wait_for(lambda: env.of(BotHandedOff))
    assert handed[0].conversation_id == conv.id and handed[0].reason == "asked for help"
    await env.engine.bots.wait_idle()
    assert (await env.engine.bots.bot_stats(bot.id)).handed_off == 1

    await customer.say("menu")
    await customer.tap("Order", on=env.sandbox.sent_messages[0].wamid)
    await env.wait_for(lambda: len(env.sandbox.state.inbound) >= 4)
    await _settle(env)
    assert len(texts_to(env, 0)) == 2  # the bot stays quiet

    # switching the conversation back to bot mode lets a keyword start it again
    await env.engine.store.write(
        lambda c: repo.set_conversation_mode(c, conv.id, ConversationMode.BOT)
    )
    await customer.say("menu")
    assert (await wait_texts(env, 0, 3))[-1].endswith("Choose:")


async def test_owner_typing_pauses_the_bot(
    env: SandboxEngine, api: tuple[str, list[dict[str, Any]]]
) -> None:
    await install(env.engine, env.number.id, shop_flow(api[0]))
    customer = env.customer(0)
    await customer.say("menu")
    await wait_texts(env, 0, 1)
    conv = await conversation(env, 0)
    await env.engine.send(
        conv.id,
        body=outgoing.text(env.wa_id(0), "Hi, it's Olga from the salon"),
        text="Hi, it's Olga from the salon",
        type=MessageType.TEXT,
        origin="user",
    )
    assert (await wait_texts(env, 0, 2))[-1] == "Hi, it's Olga from the salon"
    await env.wait_for(lambda: _human(env, 0))
    await env.engine.bots.wait_idle()
    record = await env.engine.store.read(lambda c: bs.load_session(c, conv.id))
    assert record is not None and record.status == "paused"

    await customer.tap("Order")
    await env.wait_for(lambda: len(env.sandbox.state.inbound) >= 2)
    await _settle(env)
    assert len(texts_to(env, 0)) == 2


async def test_restart_mid_flow_resumes_with_the_next_answer(
    tmp_path: Path, api: tuple[str, list[dict[str, Any]]]
) -> None:
    async with sandbox_engine(tmp_path, pair_rate_per_6s=600.0) as env:
        env.engine.bots.bubble_delay = BUBBLE
        await install(env.engine, env.number.id, shop_flow(api[0]))
        customer = env.customer(0)
        await customer.say("menu")
        await wait_texts(env, 0, 1)
        await customer.tap("Order")
        assert (await wait_texts(env, 0, 2))[-1] == "Your email?"
        await env.engine.bots.wait_idle()

        engine = await env.restart()
        engine.bots.bubble_delay = BUBBLE
        await customer.say("ann@example.com")
        assert (await wait_texts(env, 0, 3))[-1] == "Ticket T-1 for ann@example.com"


async def test_stale_backlog_does_not_trigger_the_bot(
    env: SandboxEngine, api: tuple[str, list[dict[str, Any]]]
) -> None:
    bot = await install(env.engine, env.number.id, shop_flow(api[0]))
    real_clock = env.sandbox.config.clock
    env.sandbox.config.clock = lambda: real_clock() - 20 * 60  # sent 20 minutes ago
    customer = env.customer(0)
    await customer.say("menu")
    conv = await conversation(env, 0)
    await env.wait_for(lambda: env.engine.bots.traces(conversation_id=conv.id))
    traces = await env.engine.bots.traces(conversation_id=conv.id)
    assert [t.type for t in traces] == ["stale_ignored"] and traces[0].bot_id == bot.id
    assert texts_to(env, 0) == []

    env.sandbox.config.clock = real_clock
    await customer.say("menu")
    assert (await wait_texts(env, 0, 1))[-1].endswith("Choose:")

    # with process_stale on, an old message is answered
    await env.engine.bots.update_bot(bot.id, settings=BotSettings(process_stale=True))
    env.sandbox.config.clock = lambda: real_clock() - 20 * 60
    other = env.customer(1)
    await other.say("menu")
    assert (await wait_texts(env, 1, 1))[-1].endswith("Choose:")


async def test_two_quick_messages_are_processed_in_order(env: SandboxEngine) -> None:
    await install(env.engine, env.number.id, quiz_flow(), name="Quiz")
    customer = env.customer(0)
    await customer.say("quiz")
    await customer.say("Ann")
    await customer.say("Paris")
    texts = await wait_texts(env, 0, 3)
    assert texts == ["Name?", "City?", "Ann from Paris"]


async def test_delay_timer_survives_a_restart(tmp_path: Path) -> None:
    flow = build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["later"]}),
            "first": ("send_text", {"text": "One moment…"}),
            "wait": ("delay", {"seconds": 1}),
            "second": ("send_text", {"text": "Done waiting."}),
            "end": ("end", {}),
        },
        {("t1", "next"): "first", ("first", "next"): "wait", ("wait", "next"): "second"}
        | {("second", "next"): "end"},
    )
    async with sandbox_engine(tmp_path, pair_rate_per_6s=600.0) as env:
        env.engine.bots.bubble_delay = BUBBLE
        await install(env.engine, env.number.id, flow, name="Later")
        await env.customer(0).say("later")
        await wait_texts(env, 0, 1)
        await env.engine.bots.wait_idle()
        conv = await conversation(env, 0)
        record = await env.engine.store.read(lambda c: bs.load_session(c, conv.id))
        assert record is not None and record.session.waiting_for == "delay"
        assert record.session.wake_at is not None

        engine = await env.restart()  # well within the second: the timer was not due yet
        assert texts_to(env, 0) == ["One moment…"]
        engine.bots.bubble_delay = BUBBLE
        assert (await wait_texts(env, 0, 2))[-1] == "Done waiting."


async def test_question_timeout_takes_the_no_answer_output(env: SandboxEngine) -> None:
    flow = build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["ask"]}),
            "q": (
                "question",
                {"prompt": "Quick, your name?", "variable": "name", "timeout_seconds": 1},
            ),
            "slow": ("send_text", {"text": "Too slow!"}),
            "hi": ("send_text", {"text": "Hi {{name}}"}),
            "e1": ("end", {}),
            "e2": ("end", {}),
        },
        {("t1", "next"): "q", ("q", "timeout"): "slow", ("q", "answer"): "hi"}
        | {("slow", "next"): "e1", ("hi", "next"): "e2"},
    )
    await install(env.engine, env.number.id, flow, name="Ask")
    await env.customer(0).say("ask")
    assert await wait_texts(env, 0, 1) == ["Quick, your name?"]
    assert (await wait_texts(env, 0, 2))[-1] == "Too slow!"
    await env.customer(0).say("Ann")  # too late: the session is over, nothing starts
    await env.wait_for(lambda: len(env.sandbox.state.inbound) >= 2)
    await _settle(env)
    assert texts_to(env, 0) == ["Quick, your name?", "Too slow!"]


async def test_most_specific_trigger_wins_then_priority(env: SandboxEngine) -> None:
    def reply(trigger: dict[str, Any], text: str) -> Flow:
        return build(
            {"t1": ("trigger", trigger), "say": ("send_text", {"text": text}), "end": ("end", {})},
            {("t1", "next"): "say", ("say", "next"): "end"},
        )

    engine, number_id = env.engine, env.number.id
    catch_all = await install(engine, number_id, reply({"kind": "any"}, "Catch-all"), "All")
    await engine.bots.update_bot(catch_all.id, priority=10)
    await install(engine, number_id, reply({"kind": "keyword", "keywords": ["price"]}, "Prices"))
    await install(engine, number_id, reply({"kind": "new_contact"}, "Welcome!"), "New")

    await env.customer(0).say("price")
    assert await wait_texts(env, 0, 1) == ["Prices"]
    await env.customer(1).say("hello")
    assert await wait_texts(env, 1, 1) == ["Welcome!"]
    await env.customer(1).say("hello again")
    assert await wait_texts(env, 1, 2) == ["Welcome!", "Catch-all"]


async def test_contact_field_and_label(env: SandboxEngine) -> None:
    flow = build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["vip"]}),
            "field": ("set_contact_field", {"field": "tier", "value": "gold"}),
            "label": ("label", {"label": "VIP"}),
            "say": ("send_text", {"text": "Welcome to the club, {{contact.tier}} member"}),
            "end": ("end", {}),
        },
        {("t1", "next"): "field", ("field", "next"): "label", ("label", "next"): "say"}
        | {("say", "next"): "end"},
    )
    await install(env.engine, env.number.id, flow, name="VIP")
    await env.customer(0).say("VIP")
    assert await wait_texts(env, 0, 1) == ["Welcome to the club, gold member"]
    conv = await conversation(env, 0)
    rows = await env.engine.store.read(
        lambda c: (
            c.exec_driver_sql(
                "SELECT custom_fields_json FROM contact WHERE id = ?", (conv.contact_id,)
            ).scalar(),
            c.exec_driver_sql(
                "SELECT label.name FROM conversation_label JOIN label ON label.id = label_id"
                " WHERE conversation_id = ?",
                (conv.id,),
            ).all(),
        )
    )
    assert rows == ('{"tier":"gold"}', [("VIP",)])


# -- helpers ----------------------------------------------------------------------------------


async def _human(env: SandboxEngine, which: int) -> Conversation | None:
    conv = await env.conversation_of(which)
    return conv if conv is not None and conv.mode == ConversationMode.HUMAN else None


async def _settle(env: SandboxEngine) -> None:
    """Let webhooks land and the bot finish whatever it would do."""
    await env.sandbox.wait_idle()
    if env.engine.ingest is not None:
        await env.engine.ingest.wait_idle()
    await env.engine.bots.wait_idle()
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        await env.engine.bots.wait_idle()
        await asyncio.sleep(0.05)
