"""Quick replies: validation, the JSON file (atomic save, broken files), variables, filtering."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from wadesk.engine.quick_replies import (
    FILE_NAME,
    MAX_QUICK_REPLIES,
    QuickReply,
    QuickReplyError,
    QuickReplyStore,
    expand,
    filter_replies,
    normalize_shortcut,
    validate,
    variables,
)


def test_shortcuts_are_normalised_and_checked() -> None:
    assert normalize_shortcut(" /Thanks ") == "thanks"
    assert normalize_shortcut("цена-1") == "цена-1"
    for bad in ("", "/", "two words", "x" * 33, "a/b"):
        with pytest.raises(QuickReplyError):
            normalize_shortcut(bad)


def test_validate_refuses_duplicates_empty_text_and_too_many() -> None:
    with pytest.raises(QuickReplyError, match="twice"):
        validate([QuickReply("hi", "a"), QuickReply("/HI", "b")])
    with pytest.raises(QuickReplyError, match="no text"):
        validate([QuickReply("hi", "  ")])
    assert validate([QuickReply("pic", "", "/tmp/a.jpg")])[0].media_path == "/tmp/a.jpg"
    many = [QuickReply(f"r{i}", "t") for i in range(MAX_QUICK_REPLIES + 1)]
    with pytest.raises(QuickReplyError, match="at most"):
        validate(many)


def test_save_then_load_round_trips(tmp_path: Path) -> None:
    store = QuickReplyStore(tmp_path / "data")
    assert store.load() == []
    saved = store.save(
        [QuickReply("/Hours", "We are open 9–18, {{name}}!"), QuickReply("bye", "Bye")]
    )
    assert [r.shortcut for r in saved] == ["hours", "bye"]
    assert store.path.name == FILE_NAME
    assert store.load() == saved
    assert not [p for p in store.path.parent.iterdir() if p.name.startswith(".quick_replies")]


def test_broken_or_partly_invalid_files_load_what_they_can(tmp_path: Path) -> None:
    store = QuickReplyStore(tmp_path)
    store.path.write_text("{not json", encoding="utf-8")
    assert store.load() == []
    store.path.write_text(
        '{"quick_replies": [{"shortcut": "ok", "text": "fine"}, {"shortcut": "ok", "text": "dup"},'
        ' {"shortcut": "bad one", "text": "x"}, 5, {"shortcut": "n", "text": 3}]}',
        encoding="utf-8",
    )
    assert store.load() == [QuickReply("ok", "fine")]


def test_expand_fills_known_variables_and_keeps_unknown_ones() -> None:
    text = "Hi {{name}}, your number {{ phone }} — {{order}}"
    assert variables(text) == ["name", "phone", "order"]
    out = expand(text, {"name": "Анна", "phone": "+79161234567", "order": None})
    assert out == "Hi Анна, your number +79161234567 — {{order}}"


def test_filter_prefers_shortcut_prefix_then_text_matches() -> None:
    replies = [
        QuickReply("price", "Our prices"),
        QuickReply("hours", "Open hours; see price list"),
        QuickReply("pr", "PR"),
    ]
    assert [r.shortcut for r in filter_replies(replies, "pr")] == ["price", "pr", "hours"]
    assert filter_replies(replies, "") == replies


async def test_async_load_and_save_run_in_an_executor(tmp_path: Path) -> None:
    store = QuickReplyStore(tmp_path)
    threads: list[str] = []

    async def blocking(fn, *args):  # type: ignore[no-untyped-def]
        def run():  # type: ignore[no-untyped-def]
            import threading

            threads.append(threading.current_thread().name)
            return fn(*args)

        return await asyncio.get_running_loop().run_in_executor(None, run)

    await store.asave(blocking, [QuickReply("a", "A")])
    assert await store.aload(blocking) == [QuickReply("a", "A")]
    assert threads and all(name != "MainThread" for name in threads)
