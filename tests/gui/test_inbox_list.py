"""The inbox page on a real Engine (real SQLite, webhooks over loopback HTTP, qasync loop):
the conversation list model (qtmodeltester, paging, live reorder without reset, selection
kept), unread badges, filters, search that jumps to the message, the contact panel, and
screenshots in light/dark × English/Russian."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem, QWidget

from tests import factories as f
from tests.integration.conftest import make_engine
from wadesk.core.enums import ConversationMode, ConversationState, MessageType
from wadesk.engine.cloudapi.signature import sign
from wadesk.engine.secrets import SecretKind
from wadesk.engine.service import Engine
from wadesk.engine.store import repo
from wadesk.ui.bridge import EngineBridge
from wadesk.ui.i18n import Translator
from wadesk.ui.inbox.list_delegate import ConversationDelegate, format_list_time, initials
from wadesk.ui.inbox.list_model import ConversationListModel, Role
from wadesk.ui.inbox.page import ConversationPlaceholder, InboxPage
from wadesk.ui.theme import ThemeManager

ANN, BORIS, CARLA, DAN = "15551230001", "79161234567", "34600111222", "447700900123"


class FakeView(QWidget):
    """Stands in for the message view and records what the page asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[int | None] = []
        self.jumped: list[int] = []

    def set_conversation(self, conversation_id: int | None) -> None:
        self.opened.append(conversation_id)

    def jump_to(self, message_id: int) -> None:
        self.jumped.append(message_id)


async def until(cond: Callable[[], Any], limit: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not cond():
        if loop.time() > end:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


class Env:
    def __init__(self, engine: Engine, client: httpx.AsyncClient) -> None:
        self.engine = engine
        self.client = client

    async def say(self, wa_id: str, name: str, text: str, ts: int | None = None) -> int:
        body = f.encode(f.text_message(text, wa_id=wa_id, name=name, ts=ts))
        response = await self.client.post(
            "/api/v1/webhooks/whatsapp",
            content=body,
            headers={"X-Hub-Signature-256": sign(body, f.APP_SECRET)},
        )
        assert response.status_code == 200
        # wait for the apply (it runs after the acknowledgement)
        found: list[int] = []

        async def conv_id() -> int | None:
            result = await self.engine.inbox.search(wa_id)
            return result.contacts[0].conversation_id if result.contacts else None

        for _ in range(300):
            cid = await conv_id()
            if cid is not None:
                rows = await self.engine.inbox.rows([cid])
                if rows and rows[0].conversation.last_message_preview == " ".join(text.split()):
                    found.append(cid)
                    break
            await asyncio.sleep(0.01)
        assert found, "the webhook was not applied"
        return found[0]


@asynccontextmanager
async def running(tmp_path: Path) -> AsyncIterator[Env]:
    engine = make_engine(tmp_path / "data")
    engine.secrets.set(SecretKind.VERIFY_TOKEN, "", f.VERIFY_TOKEN)
    await engine.start()
    try:
        await f.add_salon_number(engine)
        assert engine.server is not None
        base = f"http://127.0.0.1:{engine.server.port}"
        async with httpx.AsyncClient(base_url=base) as client:
            yield Env(engine, client)
    finally:
        await engine.stop()


@asynccontextmanager
async def inbox_page(env: Env, view: QWidget | None = None) -> AsyncIterator[InboxPage]:
    bridge = EngineBridge(env.engine.subscribe, interval_ms=10)
    page = InboxPage(env.engine, bridge, None, conversation_view=view or FakeView())
    page.resize(1180, 700)
    page.show()
    await page.start()
    try:
        yield page
    finally:
        page.shutdown()
        bridge.close()
        page.close()
        page.deleteLater()
        bridge.deleteLater()
        await asyncio.sleep(0)


async def three(env: Env) -> tuple[int, int, int]:
    now = int(datetime.now(UTC).timestamp())
    ann = await env.say(ANN, "Ann", "Hello, is the salon open on Sunday?", now - 300)
    boris = await env.say(BORIS, "Борис", "Здравствуйте! Можно записаться на стрижку?", now - 200)
    carla = await env.say(CARLA, "Carla", "Price of a manicure?", now - 100)
    return ann, boris, carla


# -- no loop needed -------------------------------------------------------------------------------


def test_delegate_helpers_and_cached_size_hint(app: QApplication) -> None:
    assert initials("Anna Karenina") == "AK"
    assert initials("борис") == "Б"
    assert initials("+1 555-010-0001") == "#"
    now = datetime.now(UTC)
    assert format_list_time(now) == now.astimezone().strftime("%H:%M")
    assert ":" not in format_list_time(datetime(2020, 1, 2, 12, 0, tzinfo=UTC))
    delegate = ConversationDelegate()
    option = QStyleOptionViewItem()
    option.font = app.font()
    sizes = {delegate.sizeHint(option, QModelIndex()).height() for _ in range(50)}
    assert len(sizes) == 1 and sizes.pop() >= 70
    assert delegate.size_hint_computations == 1
    assert delegate.window_text(0) == "24h window closed"
    assert delegate.window_text(5 * 3600 + 10) == "5 h left"
    assert delegate.window_text(125) == "2 min left"


# -- on the real engine ------------------------------------------------------------------------


@pytest.mark.qasync
async def test_model_pages_lazily_and_passes_qtmodeltester(
    app: QApplication, tmp_path: Path, qtmodeltester: Any
) -> None:
    async with running(tmp_path) as env:
        await three(env)
        await env.say(DAN, "Dan", "Hi there")
        model = ConversationListModel(env.engine.inbox, page_size=2, cache_size=2)
        await model.load()
        assert model.rowCount() == 2 and model.canFetchMore()
        assert model.index(0, 0).data(Role.NAME) == "Dan"
        model.fetchMore()
        assert model.rowCount() == 4 and not model.canFetchMore()
        assert model.index(3, 0).data(Role.LOADED) is False  # asked for, fetched lazily
        await until(lambda: not model.is_busy())
        assert model.index(3, 0).data(Role.NAME) == "Ann"
        assert model.cache_len() <= 2  # bounded: rows 0 and 1 were evicted
        assert model.index(1, 0).data(Role.PHONE) is None  # not cached: fetch requested
        await until(lambda: model.index(1, 0).data(Role.LOADED))
        assert model.index(1, 0).data(Role.PHONE) == "+34 600 11 12 22"
        assert model.index(1, 0).data(Role.WINDOW_LEFT) > 23 * 3600
        assert model.index(1, 0).data(Role.TYPE) == "text"
        qtmodeltester.check(model)
        await until(lambda: not model.is_busy())
        model.deleteLater()


@pytest.mark.qasync
async def test_new_messages_reorder_rows_without_reset_and_keep_selection(
    app: QApplication, tmp_path: Path
) -> None:
    async with running(tmp_path) as env:
        ann, boris, carla = await three(env)
        async with inbox_page(env) as page:
            model = page.model
            assert model.ids() == [carla, boris, ann]
            assert page.select(boris)
            await until(lambda: page.contact_panel.row is not None)
            await until(lambda: model.cached(boris).conversation.unread_count == 0)  # type: ignore[union-attr]
            events: list[str] = []
            model.modelReset.connect(lambda: events.append("reset"))
            model.rowsMoved.connect(lambda *_: events.append("moved"))
            model.rowsInserted.connect(lambda *_: events.append("inserted"))
            resets = model.resets
            await env.say(ANN, "Ann", "Are you there?")
            await until(lambda: model.ids()[0] == ann)
            assert model.ids() == [ann, carla, boris]
            assert "moved" in events and "reset" not in events and model.resets == resets
            assert page.list_view.currentIndex().data(Role.ID) == boris  # selection kept
            await until(lambda: model.index(0, 0).data(Role.UNREAD) == 2)
            assert model.index(0, 0).data(Role.PREVIEW) == "Are you there?"
            # a brand-new customer: inserted at the top with an unread badge
            dan = await env.say(DAN, "Dan", "First time here!")
            await until(lambda: model.ids()[:1] == [dan])
            await until(lambda: model.index(0, 0).data(Role.LOADED))
            assert model.index(0, 0).data(Role.UNREAD) == 1
            assert model.index(0, 0).data(Role.NAME) == "Dan"
            assert "inserted" in events and "reset" not in events
            assert page.list_view.currentIndex().data(Role.ID) == boris
            assert not page.list_view.grab().isNull()  # the delegate paints every row


@pytest.mark.qasync
async def test_filters(app: QApplication, tmp_path: Path) -> None:
    async with running(tmp_path) as env:
        ann, boris, carla = await three(env)
        inbox = env.engine.inbox
        await inbox.set_state(boris, ConversationState.RESOLVED)
        await inbox.set_mode(carla, ConversationMode.HUMAN)
        await inbox.mark_read(ann)
        vip = await inbox.create_label("VIP", "#FF9800")
        await inbox.set_labels(ann, [vip.id])
        async with inbox_page(env) as page:
            model = page.model

            async def shows(key: str, expected: list[int], label: int | None = None) -> None:
                page.set_filter(key, label)
                await until(lambda: model.filter == page.current_filter() and not model.is_busy())
                await until(lambda: model.ids() == expected)

            await shows("unread", [carla, boris])
            await shows("open", [carla, ann])
            await shows("resolved", [boris])
            await shows("bot", [boris, ann])
            await shows("human", [carla])
            await shows("all", [ann], label=vip.id)
            await shows("all", [carla, boris, ann])
            # a filtered-out conversation opened from the tray: the filter goes back to all
            await shows("resolved", [boris])
            await page.open(ann)
            assert page.current_filter().state is None
            assert page.list_view.currentIndex().data(Role.ID) == ann
            await shows("human", [carla])
            assert page.stack.currentWidget() is page.list_view
            await inbox.set_mode(carla, ConversationMode.BOT)  # live: leaves the human filter
            await until(lambda: model.ids() == [])
            assert page.stack.currentWidget() is page.empty_label
            assert "No conversations match" in page.empty_label.text()


@pytest.mark.qasync
async def test_search_finds_messages_and_contacts_and_jumps(
    app: QApplication, tmp_path: Path
) -> None:
    async with running(tmp_path) as env:
        ann, boris, carla = await three(env)
        view = FakeView()
        async with inbox_page(env, view) as page:
            page.search_edit.setText("СТРИЖ")
            await until(lambda: page.search_results is not None)
            assert page.stack.currentWidget() is page.results
            results = page.search_results
            assert results is not None and [m.conversation_id for m in results.messages] == [boris]
            texts = [page.results.item(i).text() for i in range(page.results.count())]
            assert texts[0] == "Messages" and "стрижку" in texts[1]
            page.results.itemClicked.emit(page.results.item(1))
            await until(lambda: view.jumped == [results.messages[0].message_id])
            assert view.opened[-1] == boris
            assert page.list_view.currentIndex().data(Role.ID) == boris
            assert page.stack.currentWidget() is page.list_view and page.search_edit.text() == ""
            # contacts by phone digits
            page.search_edit.setText("+34 600")
            await until(lambda: page.search_results is not None)
            assert page.results.item(0).text() == "Contacts"
            assert page.results.item(1).text() == "Carla"
            page.results.itemClicked.emit(page.results.item(1))
            await until(lambda: page.list_view.currentIndex().data(Role.ID) == carla)
            page.search_edit.setText("zzzqqq")
            await until(
                lambda: page.search_results is not None and page.search_results.text == "zzzqqq"
            )
            assert page.results.item(0).text() == "Nothing found."
            page.search_edit.clear()
            assert page.stack.currentWidget() is page.list_view
            assert ann in page.model.ids()


@pytest.mark.qasync
async def test_contact_panel_edits_persist(app: QApplication, tmp_path: Path) -> None:
    async with running(tmp_path) as env:
        ann, _, _ = await three(env)
        async with inbox_page(env) as page:
            panel = page.contact_panel
            assert page.select(ann)
            await until(lambda: panel.details is not None)
            assert panel.title.text() == "Ann"
            assert panel.profile.text() == "WhatsApp name: Ann"
            assert panel.phone.text() == "+1 555-123-0001"
            assert panel.ids.text() == ANN
            panel.name_edit.setText("Ann (regular)")
            panel.notes_edit.setPlainText("Prefers mornings")
            panel.add_field("Birthday", "12 May")
            assert await panel.save()
            details = await env.engine.inbox.contact(panel.row.contact.id)  # type: ignore[union-attr]
            assert details.contact.local_name == "Ann (regular)"
            assert details.contact.profile_name == "Ann"
            assert details.notes == "Prefers mornings"
            assert dict(details.custom_fields) == {"Birthday": "12 May"}
            await until(lambda: page.model.index_of(ann).data(Role.NAME) == "Ann (regular)")
            # open/resolved and bot/human switches
            panel.resolved_button.click()
            await until(
                lambda: page.model.cached(ann).conversation.state is ConversationState.RESOLVED
            )  # type: ignore[union-attr]
            assert panel.resolved_button.text() == "Reopen"
            panel.bot_check.click()
            await until(lambda: page.model.cached(ann).conversation.mode is ConversationMode.HUMAN)  # type: ignore[union-attr]
            # a new label is created and put on the conversation
            panel.new_label_edit.setText("VIP")
            panel.add_label_button.click()
            await until(lambda: [lab.name for lab in page.model.cached(ann).labels] == ["VIP"])  # type: ignore[union-attr]
            await until(lambda: page.label_combo.count() == 2)
            box = next(iter(panel._label_boxes.values()))
            assert box.isChecked()
            box.click()
            await until(lambda: page.model.cached(ann).labels == ())  # type: ignore[union-attr]
            rows = await env.engine.inbox.rows([ann])
            assert rows[0].conversation.state is ConversationState.RESOLVED
            assert rows[0].conversation.mode is ConversationMode.HUMAN


@pytest.mark.qasync
@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_screenshots(
    app: QApplication, tmp_path: Path, artifacts_dir: Path, language: str, theme: str
) -> None:
    translator = Translator(app)
    themes = ThemeManager(app)
    translator.set_language(language)
    themes.apply(theme)
    try:
        async with running(tmp_path) as env:
            ann, boris, carla = await three(env)
            dan = await env.say(DAN, "Dan", "Do you sell gift cards? I need one for Friday")
            inbox = env.engine.inbox
            vip = await inbox.create_label("VIP", "#FF9800")
            new = await inbox.create_label("New customer", "#2196F3")
            await inbox.set_labels(boris, [vip.id, new.id])
            await inbox.set_labels(ann, [new.id])
            await inbox.set_state(ann, ConversationState.RESOLVED)
            await inbox.set_mode(carla, ConversationMode.HUMAN)
            await env.engine.store.write(
                lambda c: repo.insert_outbound(
                    c,
                    number_id=1,
                    type=MessageType.IMAGE,
                    origin="user",
                    contact_id=3,
                    payload={"image": {"id": "1"}},
                )
            )
            async with inbox_page(env, ConversationPlaceholder()) as page:
                await until(lambda: not page.model.is_busy() and page.model.rowCount() == 4)
                page.select(boris)
                await until(lambda: page.contact_panel.details is not None)
                await asyncio.sleep(0.05)
                image = page.grab()
                path = artifacts_dir / f"inbox-{language}-{theme}.png"
                assert image.save(str(path))
                assert path.stat().st_size > 20_000
                assert dan in page.model.ids()
                if language == "ru":
                    assert page.filter_buttons["unread"].text() == "Непрочитанные"
    finally:
        translator.set_language("en")
        themes.apply("light")
        translator.deleteLater()
        themes.deleteLater()
