"""Bot runtime paths not covered by test_bots_e2e, end to end with the Cloud API sandbox: a list
row picked by the customer takes that row's branch; a jump to another published flow starts it
with the variables; template and media nodes reach WhatsApp as template and image messages;
the inbox's human switch (`engine.inbox.set_mode`) pauses a bot mid-flow — a waiting question
is not answered (the session is paused) and a pending delay timer is dropped — and switching
back to bot drops the old question: a keyword starts the bot afresh."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.sandbox_engine import SandboxEngine, sandbox_engine
from tests.integration.test_bots_e2e import (
    BUBBLE,
    _settle,
    conversation,
    install,
    texts_to,
    wait_texts,
)
from tests.unit.flow.helpers import build
from wadesk.core.enums import ConversationMode
from wadesk.engine.bots import store as bs


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[SandboxEngine]:
    async with sandbox_engine(tmp_path, pair_rate_per_6s=600.0) as e:
        e.engine.bots.bubble_delay = BUBBLE
        yield e


async def test_a_list_row_takes_its_branch(env: SandboxEngine) -> None:
    flow = build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["shop"]}),
            "pick": (
                "list",
                {
                    "body": "What would you like?",
                    "button": "Menu",
                    "variable": "choice",
                    "rows": [
                        {"id": "cut", "title": "Haircut", "description": "30 min"},
                        {"id": "nails", "title": "Manicure"},
                    ],
                },
            ),
            "cut_t": ("send_text", {"text": "Haircut it is ({{choice}})"}),
            "nails_t": ("send_text", {"text": "Manicure it is ({{choice}})"}),
            "e1": ("end", {}),
            "e2": ("end", {}),
        },
        {("t1", "next"): "pick", ("pick", "cut"): "cut_t", ("pick", "nails"): "nails_t"}
        | {("cut_t", "next"): "e1", ("nails_t", "next"): "e2"},
        variables={"choice": ""},
    )
    await install(env.engine, env.number.id, flow, name="List")
    customer = env.customer(0)
    await customer.say("shop")
    assert await wait_texts(env, 0, 1) == ["What would you like?"]
    sent = env.sandbox.sent_messages[-1].body["interactive"]
    assert sent["type"] == "list" and sent["action"]["button"] == "Menu"
    rows = sent["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == ["f:pick:cut", "f:pick:nails"]
    await customer.pick("Manicure")
    assert (await wait_texts(env, 0, 2))[-1] == "Manicure it is (Manicure)"


async def test_jump_to_another_flow_carries_the_variables(env: SandboxEngine) -> None:
    engine = env.engine
    target = build(
        {
            "start": ("trigger", {"kind": "manual"}),
            "say": ("send_text", {"text": "Flow B about {{topic}}"}),
            "end": ("end", {}),
        },
        {("start", "next"): "say", ("say", "next"): "end"},
        variables={"topic": ""},
    )
    b = await engine.bots.create_flow("B", target)
    await engine.bots.publish(b.id)
    source = build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["faq"]}),
            "set": ("set_variable", {"variable": "topic", "value": "prices"}),
            "go": ("jump", {"flow": str(b.id)}),
        },
        {("t1", "next"): "set", ("set", "next"): "go"},
        variables={"topic": ""},
    )
    await install(engine, env.number.id, source, name="A")
    await env.customer(0).say("faq")
    assert await wait_texts(env, 0, 1) == ["Flow B about prices"]
    conv = await conversation(env, 0)
    await engine.bots.wait_idle()
    record = await engine.store.read(lambda c: bs.load_session(c, conv.id))
    assert record is not None and record.status == "ended"
    assert record.session.variables["topic"] == "prices"


async def test_template_and_media_nodes_reach_whatsapp(env: SandboxEngine) -> None:
    flow = build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["promo"]}),
            "tpl": ("send_template", {"name": "hello_world", "language": "en_US"}),
            "pic": (
                "send_media",
                {"media_kind": "image", "media": "https://example.com/a.jpg", "caption": "New!"},
            ),
            "end": ("end", {}),
        },
        {("t1", "next"): "tpl", ("tpl", "next"): "pic", ("pic", "next"): "end"},
    )
    await install(env.engine, env.number.id, flow, name="Promo")
    await env.customer(0).say("promo")
    assert await wait_texts(env, 0, 2) == ["[template]", "[image]"]
    template, image = [s.body for s in env.sandbox.sent_messages if s.to == env.wa_id(0)]
    assert template["template"]["name"] == "hello_world"
    assert template["template"]["language"]["code"] == "en_US"
    assert image["image"] == {"link": "https://example.com/a.jpg", "caption": "New!"}


async def test_the_inbox_human_switch_pauses_the_bot(env: SandboxEngine) -> None:
    flow = build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["quiz"]}),
            "q1": ("question", {"prompt": "Name?", "variable": "name"}),
            "hi": ("send_text", {"text": "Hi {{name}}"}),
            "end": ("end", {}),
            "t2": ("trigger", {"kind": "keyword", "keywords": ["later"]}),
            "first": ("send_text", {"text": "One moment…"}),
            "wait": ("delay", {"seconds": 1}),
            "second": ("send_text", {"text": "Done waiting."}),
            "end2": ("end", {}),
        },
        {("t1", "next"): "q1", ("q1", "answer"): "hi", ("hi", "next"): "end"}
        | {("t2", "next"): "first", ("first", "next"): "wait", ("wait", "next"): "second"}
        | {("second", "next"): "end2"},
        variables={"name": ""},
    )
    engine = env.engine
    await install(engine, env.number.id, flow, name="Quiz")
    # a waiting question: the owner switches the chat to human in the inbox
    customer = env.customer(0)
    await customer.say("quiz")
    assert await wait_texts(env, 0, 1) == ["Name?"]
    conv = await conversation(env, 0)
    await engine.bots.wait_idle()
    switched = await engine.inbox.set_mode(conv.id, ConversationMode.HUMAN)
    assert switched.mode == ConversationMode.HUMAN
    await customer.say("Ann")
    await env.wait_for(lambda: len(env.sandbox.state.inbound) >= 2)
    await _settle(env)
    assert texts_to(env, 0) == ["Name?"]  # the bot stays quiet
    paused = await engine.store.read(lambda c: bs.load_session(c, conv.id))
    assert paused is not None and paused.status == "paused"
    # back to bot: the old question is dropped, a keyword starts the bot again
    await engine.inbox.set_mode(conv.id, ConversationMode.BOT)
    await customer.say("quiz")
    assert (await wait_texts(env, 0, 2))[-1] == "Name?"

    # a pending delay timer is dropped when the owner takes over
    other = env.customer(1)
    await other.say("later")
    assert await wait_texts(env, 1, 1) == ["One moment…"]
    conv1 = await conversation(env, 1)
    await engine.bots.wait_idle()
    await engine.inbox.set_mode(conv1.id, ConversationMode.HUMAN)
    await asyncio.sleep(1.5)
    await _settle(env)
    assert texts_to(env, 1) == ["One moment…"]
    record = await engine.store.read(lambda c: bs.load_session(c, conv1.id))
    assert record is not None and record.status == "paused"


async def test_an_expired_session_is_dropped(env: SandboxEngine) -> None:
    flow = build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["quiz"]}),
            "q1": ("question", {"prompt": "Name?", "variable": "name"}),
            "hi": ("send_text", {"text": "Hi {{name}}"}),
            "end": ("end", {}),
        },
        {("t1", "next"): "q1", ("q1", "answer"): "hi", ("hi", "next"): "end"},
        variables={"name": ""},
    )
    flow.settings["session_ttl_seconds"] = 1
    await install(env.engine, env.number.id, flow, name="Quiz")
    customer = env.customer(0)
    await customer.say("quiz")
    assert await wait_texts(env, 0, 1) == ["Name?"]
    conv = await conversation(env, 0)
    await env.engine.bots.wait_idle()
    record = await env.engine.store.read(lambda c: bs.load_session(c, conv.id))
    assert record is not None and record.session.expires_at is not None
    await asyncio.sleep(1.2)
    await customer.say("Ann")  # too late: the question expired, "Ann" starts nothing
    await env.wait_for(lambda: len(env.sandbox.state.inbound) >= 2)
    await _settle(env)
    assert texts_to(env, 0) == ["Name?"]
    await customer.say("quiz")  # a keyword starts a new session
    assert (await wait_texts(env, 0, 2))[-1] == "Name?"
    await customer.say("Bob")
    assert (await wait_texts(env, 0, 3))[-1] == "Hi Bob"
