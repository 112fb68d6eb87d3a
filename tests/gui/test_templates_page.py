"""The Templates page against the Cloud API sandbox (the demo engine): empty state, "Sync now"
lists every synced template with status and rejection reason, search and status filter, the
rendered preview, non-approved templates refused with a reason, sync errors explained by the
catalogue, sending a template to a typed number and to a picked contact (the sandbox receives
the parameters), the per-number picker; qtmodeltester on the table; screenshots light/dark ×
en/ru saved to build/test-artifacts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.integration.demo_helpers import demo
from tests.integration.demo_helpers import until as until_async
from wadesk.core.errors import GraphError
from wadesk.core.templates import MessageTemplate
from wadesk.engine.demo import DemoRuntime
from wadesk.engine.store import repo
from wadesk.ui.bridge import EngineBridge
from wadesk.ui.i18n import Translator
from wadesk.ui.templates.form import Param, TemplateForm, build_body, render_preview
from wadesk.ui.templates.model import TEMPLATE_ROLE, TemplateFilter, TemplateTableModel
from wadesk.ui.templates.page import TemplatesPage
from wadesk.ui.theme import ThemeManager

pytestmark = pytest.mark.qasync


async def until(check: Callable[[], Any], seconds: float = 5.0) -> Any:
    async with asyncio.timeout(seconds):
        while True:
            value = check()
            if value:
                return value
            await asyncio.sleep(0.01)


@asynccontextmanager
async def page_on_demo(
    tmp_path: Path, qtbot: Any, before: Callable[[DemoRuntime], Awaitable[None]] | None = None
) -> AsyncIterator[tuple[TemplatesPage, DemoRuntime]]:
    """A shown Templates page on a started demo engine (engine + sandbox); everything is
    stopped in order at the end (page tasks, bridge, engine)."""
    runtime = await demo(tmp_path)
    bridge = EngineBridge(runtime.engine.subscribe, interval_ms=5)
    page: TemplatesPage | None = None
    try:
        if before is not None:
            await before(runtime)
        opened: list[int] = []
        page = TemplatesPage(runtime.engine, bridge, open_conversation=opened.append)
        page.opened = opened  # type: ignore[attr-defined]
        qtbot.addWidget(page)
        page.resize(1000, 640)
        page.show()
        await page.start()
        yield page, runtime
    finally:
        if page is not None:
            if page.dialog is not None:
                page.dialog.tasks.cancel_all()
                await page.dialog.tasks.wait()
            page.shutdown()
            await page.tasks.wait()
            page.hide()
        bridge.close()
        await runtime.stop()


def shown_rows(page: TemplatesPage) -> list[tuple[str, str, str]]:
    out = []
    for r in range(page.proxy.rowCount()):
        out.append(
            (
                page.proxy.index(r, 0).data(),
                page.proxy.index(r, 1).data(),
                page.proxy.index(r, 3).data(),
            )
        )
    return out


async def test_empty_state_then_sync_lists_templates_with_status_and_reason(
    tmp_path: Path, qtbot: Any
) -> None:
    async with page_on_demo(tmp_path, qtbot) as (page, runtime):
        assert page.stack.currentWidget() is page.empty
        assert page.empty_label.text() == "No templates yet — Sync now"
        assert page.empty_sync.isVisible() and page.number_combo.isHidden()

        page.empty_sync.click()
        await until(lambda: not page.syncing and page.model.rowCount())
        assert page.sync_status.text() == "Synced: 5 template(s)."
        assert page.stack.currentWidget() is page.splitter
        assert sorted(shown_rows(page)) == [
            ("appointment_reminder", "en_US", "Approved"),
            ("appointment_reminder", "ru", "Approved"),
            ("hello_world", "en_US", "Approved"),
            ("loyalty_card", "en_US", "Pending review"),
            ("summer_sale", "en_US", "Rejected: promotional content in a non-marketing category"),
        ]
        # search and status filter
        page.search_edit.setText("appoint")
        assert {r[0] for r in shown_rows(page)} == {"appointment_reminder"}
        page.search_edit.clear()
        page.status_combo.setCurrentIndex(3)  # Rejected
        assert [r[0] for r in shown_rows(page)] == ["summer_sale"]
        assert page.current_template().name == "summer_sale"
        assert not page.send_button.isEnabled()
        assert "rejected this template" in page.why_not.text()
        assert "promotional" in page.detail_status.text()
        page.status_combo.setCurrentIndex(2)  # Pending
        assert [r[0] for r in shown_rows(page)] == ["loyalty_card"]
        assert "still reviewing" in page.why_not.text() and not page.send_button.isEnabled()
        assert page.open_send_dialog() is None
        page.status_combo.setCurrentIndex(0)

        # the preview: header, body with numbered variables, footer, buttons
        assert page.select("hello_world")
        html = page.preview.text()
        assert "Hello World" in html and "WhatsApp Business Platform sample message" in html
        assert page.send_button.isEnabled() and page.why_not.isHidden()
        assert page.select("appointment_reminder", "en_US")
        html = page.preview.text()
        assert "{{1}}" in html and "{{2}}" in html and "Confirm" in html and "Reschedule" in html
        assert "UTILITY" not in page.detail_facts.text() and "Utility" in page.detail_facts.text()

        # Meta changed a template: "Sync now" shows it, the selection stays
        for t in runtime.sandbox.state.templates:
            if t["name"] == "loyalty_card":
                t["status"] = "APPROVED"
        page.sync_button.click()
        assert page.busy.isVisible() or page.syncing
        await until(lambda: not page.syncing)
        await until(lambda: ("loyalty_card", "en_US", "Approved") in shown_rows(page))
        assert page.current_template().name == "appointment_reminder"


async def test_sync_error_is_explained_by_the_catalogue(
    tmp_path: Path, qtbot: Any, app: QApplication
) -> None:
    async with page_on_demo(tmp_path, qtbot) as (page, runtime):

        async def broken(number: Any) -> int:
            raise GraphError(code=190, message="Invalid OAuth access token.")

        runtime.engine.sync_templates = broken  # type: ignore[method-assign]
        text = await page.sync()
        assert text == GraphError(code=190).explain("en")
        assert page.sync_status.text() == text and page.busy.isHidden()
        assert "Traceback" not in text
        translator = Translator(app)
        try:
            translator.set_language("ru")
            text = await page.sync()
            assert text == GraphError(code=190).explain("ru")
        finally:
            translator.set_language("en")


async def test_send_to_a_typed_number_reaches_the_sandbox_with_parameters(
    tmp_path: Path, qtbot: Any
) -> None:
    async with page_on_demo(tmp_path, qtbot) as (page, runtime):
        await page.sync()
        assert page.select("appointment_reminder", "en_US")
        dialog = page.open_send_dialog()
        assert dialog is not None and dialog.isVisible()
        # an invalid number is refused in words
        dialog.to_edit.setText("12")
        dialog.send_button.click()
        assert "country code" in dialog.error.text() and dialog.error.isVisible()
        # missing parameters are refused by WhatsApp's rules before anything is queued
        dialog.to_edit.setText("+1 555 010 1001")
        dialog.send_button.click()
        assert dialog.error.isVisible() and dialog.error.text()
        assert not runtime.sandbox.sent_messages
        one = dialog.form.field("body", "1")
        two = dialog.form.field("body", "2")
        assert one is not None and two is not None
        one.setText("Maria")
        two.setText("Friday 10:00")
        assert "<b>Maria</b>" in dialog.form.preview.text()
        dialog.send_button.click()
        await until(lambda: dialog.conversation_id is not None or dialog.error.isVisible())
        assert dialog.error.isHidden(), dialog.error.text()
        sent = await until(lambda: runtime.sandbox.sent_messages)
        assert sent[0].to == "15550101001" and sent[0].type == "template"
        template = sent[0].body["template"]
        assert template["name"] == "appointment_reminder"
        assert template["language"]["code"] == "en_US"
        params = [p["text"] for p in template["components"][0]["parameters"]]
        assert params == ["Maria", "Friday 10:00"]
        # the row in the store carries the preview text
        message = await runtime.engine.store.read(
            lambda c: repo.list_messages(c, dialog.conversation_id)
        )
        assert "Hi Maria, this is a reminder" in (message[-1].text or "")
        assert dialog.open_button.isVisible()
        conv = dialog.conversation_id
        dialog.open_button.click()
        assert page.opened == [conv]  # type: ignore[attr-defined]


async def test_send_to_a_picked_contact(tmp_path: Path, qtbot: Any) -> None:
    async with page_on_demo(tmp_path, qtbot) as (page, runtime):
        number = runtime.engine.demo_number
        assert number is not None
        await runtime.sandbox.customer("79161234567", number.phone_number_id).say("Привет")

        async def has_contact() -> bool:
            found = await runtime.engine.inbox.search("Анна")
            return bool(found.contacts)

        await until_async(has_contact)
        await page.sync()
        assert page.select("hello_world")
        dialog = page.open_send_dialog()
        assert dialog is not None
        dialog.to_edit.setText("Анна")
        await dialog.search("Анна")
        assert dialog.results.count() == 1 and dialog.results.isVisible()
        dialog.results.itemClicked.emit(dialog.results.item(0))
        assert "Анна" in dialog.chosen.text() and dialog.resolve_recipient() == "79161234567"
        dialog.send_button.click()
        sent = await until(lambda: runtime.sandbox.sent_messages)
        assert sent[0].to == "79161234567" and sent[0].body["template"]["name"] == "hello_world"


async def test_number_picker_with_two_numbers(tmp_path: Path, qtbot: Any) -> None:
    added: list[Any] = []

    async def two_numbers(runtime: DemoRuntime) -> None:
        number = runtime.engine.demo_number
        assert number is not None
        await runtime.engine.sync_templates(number.id)
        added.append(
            await runtime.engine.store.write(
                lambda c: repo.add_number(c, "Shop", "+15550100999", "555000111", number.waba_id)
            )
        )

    async with page_on_demo(tmp_path, qtbot, two_numbers) as (page, runtime):
        assert page.number_combo.isVisible() and page.number_combo.count() == 2
        demo_number = runtime.engine.demo_number
        assert demo_number is not None
        assert page.number_id == demo_number.id and page.model.rowCount() == 5
        page.number_combo.setCurrentIndex(page.number_combo.findData(added[0].id))
        page.number_combo.activated.emit(page.number_combo.currentIndex())
        await until(lambda: page.model.rowCount() == 0)
        assert page.stack.currentWidget() is page.empty


def test_table_model_contract_and_filter(qtmodeltester: Any) -> None:
    templates = [
        MessageTemplate(1, 1, "a", "en_US", "APPROVED", "MARKETING", quality="GREEN"),
        MessageTemplate(2, 1, "b", "ru", "REJECTED", "UTILITY", rejected_reason="INVALID_FORMAT"),
        MessageTemplate(3, 1, "c", "en_US", "PAUSED", None),
    ]
    model = TemplateTableModel()
    model.set_templates(templates)
    qtmodeltester.check(model)
    proxy = TemplateFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    assert model.index(0, 4).data() == "High"
    assert model.index(2, 2).data() == "—"
    assert model.index(1, 3).data().startswith("Rejected: invalid format")
    proxy.set_status("PAUSED")
    assert [proxy.index(r, 0).data(TEMPLATE_ROLE).name for r in range(proxy.rowCount())] == ["c"]
    proxy.set_status("")
    proxy.set_search("RU")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "b"


def test_form_preview_and_body(qtbot: Any, app: QApplication) -> None:
    template = MessageTemplate(
        1,
        1,
        "promo",
        "en_US",
        "APPROVED",
        components=(
            {"type": "HEADER", "format": "IMAGE"},
            {"type": "BODY", "text": "Hi {{1}}, <b>{{2}}</b> off"},
            {"type": "FOOTER", "text": "Reply STOP"},
            {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Shop", "url": "x/{{1}}"}]},
        ),
    )
    form = TemplateForm()
    qtbot.addWidget(form)
    form.set_template(template)
    assert [p.place for p in form.fields] == ["header", "body", "body", "button"]
    html = form.preview.text()
    assert "Image" in html and "&lt;b&gt;" in html and "Reply STOP" in html and "Shop" in html
    form.field("body", "1").setText("Ann")  # type: ignore[union-attr]
    assert "Hi Ann" in form.preview_text()
    # the bubble follows the theme live
    themes = ThemeManager(QApplication.instance())  # type: ignore[arg-type]
    light = form.preview.styleSheet()
    try:
        themes.apply("dark")
        QApplication.processEvents()
        assert form.preview.styleSheet() != light and "#005C4B" in form.preview.styleSheet()
    finally:
        themes.apply("light")
        QApplication.processEvents()
    assert form.preview.styleSheet() == light
    values = {Param("body", "1"): "Ann", Param("body", "2"): "10%"}
    assert render_preview(template, values).splitlines()[1] == "Hi Ann, <b>10%</b> off"
    body = build_body(template, "15550101001", {**values, Param("header", "link", media="image"):
                      "https://example.com/a.png", Param("button", "1", index=0): "abc"})  # fmt: skip
    kinds = [c["type"] for c in body["template"]["components"]]
    assert kinds == ["header", "body", "button"]


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_screenshots(
    tmp_path: Path,
    qtbot: Any,
    app: QApplication,
    artifacts_dir: Path,
    language: str,
    theme: str,
) -> None:
    themes = ThemeManager(app)
    translator = Translator(app)
    try:
        themes.apply(theme)
        translator.set_language(language)
        async with page_on_demo(tmp_path, qtbot) as (page, _runtime):
            await asyncio.sleep(0.05)
            empty = artifacts_dir / f"templates-empty-{language}-{theme}.png"
            assert page.grab().save(str(empty))
            await page.sync()
            assert page.select("appointment_reminder", "en_US")
            await asyncio.sleep(0.05)
            path = artifacts_dir / f"templates-{language}-{theme}.png"
            assert page.grab().save(str(path))
            assert path.stat().st_size > 10_000
            page.select("summer_sale")
            await asyncio.sleep(0.02)
            assert page.grab().save(
                str(artifacts_dir / f"templates-rejected-{language}-{theme}.png")
            )
            page.select("appointment_reminder", "en_US")
            dialog = page.open_send_dialog()
            assert dialog is not None
            dialog.to_edit.setText("+1 555 010 1001")
            dialog.form.field("body", "1").setText("Maria")  # type: ignore[union-attr]
            await asyncio.sleep(0.05)
            assert dialog.grab().save(str(artifacts_dir / f"templates-send-{language}-{theme}.png"))
            dialog.reject()
    finally:
        translator.set_language("en")
        themes.apply("light")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_composer_panel_shares_the_form(
    qtbot: Any, app: QApplication, artifacts_dir: Path, theme: str
) -> None:
    from wadesk.engine.sandbox import demo_templates
    from wadesk.ui.inbox.conversation.templates import TemplatePanel

    themes = ThemeManager(app)
    try:
        themes.apply(theme)
        templates = [
            MessageTemplate(
                i,
                1,
                t["name"],
                t["language"],
                t["status"],
                t.get("category"),
                tuple(t["components"]),
                parameter_format=t.get("parameter_format"),
            )
            for i, t in enumerate(demo_templates())
        ]
        panel = TemplatePanel()
        qtbot.addWidget(panel)
        panel.resize(640, 320)
        panel.show()
        panel.set_templates(templates)
        assert isinstance(panel.template_form, TemplateForm)
        assert panel.combo.count() == 3  # approved only
        panel.combo.setCurrentIndex(1)  # appointment_reminder (en_US)
        assert panel.current().name == "appointment_reminder"
        assert panel.field("body", "1") is panel.template_form.field("body", "1")
        panel.field("body", "1").setText("Maria")  # type: ignore[union-attr]
        assert "<b>Maria</b>" in panel.preview.text()
        sent: list[tuple[dict[str, Any], str]] = []
        panel.send_requested.connect(lambda body, text: sent.append((body, text)))
        panel.send_button.click()
        assert not sent and panel.error.isVisible()  # {{2}} is missing
        panel.field("body", "2").setText("Friday")  # type: ignore[union-attr]
        panel.send_button.click()
        assert sent and sent[0][1].startswith("Hi Maria, this is a reminder")
        assert panel.grab().save(str(artifacts_dir / f"composer-template-panel-{theme}.png"))
    finally:
        themes.apply("light")
