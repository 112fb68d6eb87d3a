"""The bot runtime's per-message cost, end to end with the Cloud API sandbox: a number without
an active bot costs no store read per inbound message; the bot commands drop the cached list
at once (a bot switched on answers the very next message); a bot switched on by another
process (a direct store write) is seen after `ACTIVE_BOTS_TTL`; with a bot on, each inbound
message costs one `inbound_context` query and the "first message" answer comes from the
apply."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.integration.sandbox_engine import SandboxEngine, sandbox_engine
from tests.integration.test_bots_e2e import BUBBLE, install, texts_to, wait_texts
from tests.unit.flow.helpers import build
from wadesk.core.events import MessageAdded
from wadesk.engine.bots import active
from wadesk.engine.bots import store as bs
from wadesk.flow import Flow


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[SandboxEngine]:
    async with sandbox_engine(tmp_path, pair_rate_per_6s=600.0) as e:
        e.engine.bots.bubble_delay = BUBBLE
        yield e


def _reply(trigger: dict[str, Any], text: str) -> Flow:
    return build(
        {"t1": ("trigger", trigger), "say": ("send_text", {"text": text}), "end": ("end", {})},
        {("t1", "next"): "say", ("say", "next"): "end"},
    )


def _spy(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    real: Callable[..., Any] = getattr(bs, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(tuple(kwargs.values()))
        return real(*args, **kwargs)

    monkeypatch.setattr(bs, name, spy)
    return calls


async def _stored(env: SandboxEngine, count: int) -> None:
    """Wait until `count` inbound messages were applied, then until the bots are idle."""

    def inbound() -> int:
        return sum(1 for e in env.of(MessageAdded) if e.inbound is not None)

    await env.wait_for(lambda: inbound() >= count)
    await env.engine.bots.wait_idle()


async def test_no_active_bot_costs_no_read_then_a_switched_on_bot_answers_at_once(
    env: SandboxEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = _spy(monkeypatch, "list_bots")
    context = _spy(monkeypatch, "inbound_context")
    for i in range(5):
        await env.customer(0).say(f"hello {i}")
    await _stored(env, 5)
    assert context == []  # no per-message read at all
    assert len(listed) <= 1  # the number's active bots, read once (then cached)
    assert texts_to(env, 0) == []

    await install(env.engine, env.number.id, _reply({"kind": "any"}, "Hi there"), "Any")
    await env.customer(0).say("anyone?")
    assert await wait_texts(env, 0, 1) == ["Hi there"]
    # one query per inbound message, and the apply said whether it was the first
    assert len(context) == 1 and context[0][1] is None


async def test_first_message_trigger_uses_the_apply_answer(
    env: SandboxEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, number_id = env.engine, env.number.id
    await install(engine, number_id, _reply({"kind": "new_contact"}, "Welcome!"), "New")
    context = _spy(monkeypatch, "inbound_context")
    await env.customer(1).say("hello")
    assert await wait_texts(env, 1, 1) == ["Welcome!"]
    await env.customer(1).say("hello again")
    await _stored(env, 2)
    assert texts_to(env, 1) == ["Welcome!"]  # not first any more: no second welcome
    assert [c[1] for c in context] == [None, None]  # the message count was never run


async def test_a_bot_switched_on_elsewhere_is_seen_after_the_ttl(
    env: SandboxEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(active, "ACTIVE_BOTS_TTL", 0.3)
    engine = env.engine
    info = await engine.bots.create_flow("Any", _reply({"kind": "any"}, "Hello from B"))
    await engine.bots.publish(info.id)
    bot = await engine.bots.create_bot("B", number_id=env.number.id, flow_id=info.id)
    await env.customer(0).say("first")
    await _stored(env, 1)
    assert engine.bots._cached_bots(env.number.id) == []  # cached: no active bot
    # another process (the CLI on the same database) switches the bot on
    await engine.store.write(partial(bs.update_bot, bot_id=bot.id, active=True))
    await env.customer(0).say("second")  # may still be inside the TTL: not answered
    await _stored(env, 2)
    await env.wait_for(lambda: engine.bots._cached_bots(env.number.id) is None)
    await env.customer(0).say("third")
    assert (await wait_texts(env, 0, 1))[-1] == "Hello from B"
