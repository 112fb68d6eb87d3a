"""The Activity page on a real Engine over loopback: signed and rejected events, raw JSON,
replay, filter and search, live rows, the log view, diagnostics, health; the table model under
qtmodeltester; screenshots in light and dark."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QApplication

from tests import factories as f
from tests.gui.conftest import teardown_shell
from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.engine.activity import RawEventSummary
from wadesk.engine.cloudapi.signature import sign
from wadesk.engine.config import Paths, Settings
from wadesk.engine.logs import SecretRedactor, configure_logging
from wadesk.engine.secrets import SecretKind, SecretStore
from wadesk.engine.service import Engine
from wadesk.engine.store import repo
from wadesk.ui.activity.json_view import DARK_JSON, LIGHT_JSON, JsonView
from wadesk.ui.activity.model import COL_RESULT, COL_VERDICT, SUMMARY_ROLE, RawEventModel
from wadesk.ui.activity.page import ActivityPage
from wadesk.ui.app import WadeskApp

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def summary(
    raw_id: int,
    verdict: SignatureVerdict = SignatureVerdict.VALID,
    result: ProcessingResult = ProcessingResult.APPLIED,
    **kw: Any,
) -> RawEventSummary:
    return RawEventSummary(
        id=raw_id,
        received_at=T0,
        verdict=verdict,
        result=result,
        detail=kw.get("detail"),
        field=kw.get("field", "messages"),
        phone_number_ids=kw.get("pnids", (f.PNID,)),
        size=kw.get("size", 100),
    )


# -- the model and the highlighter on their own ---------------------------------------------------


def test_model_paging_upsert_remove(qtmodeltester: Any) -> None:
    model = RawEventModel()
    requested: list[int] = []
    model.more_requested.connect(requested.append)
    model.reset_rows([summary(i) for i in (10, 9, 8)], exhausted=False)
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert requested == [8]
    assert not model.canFetchMore(QModelIndex())  # one page at a time
    # the tester stays attached and checks every signal of what follows (it also calls
    # fetchMore itself: a page is "requested" again, and answered below)
    qtmodeltester.check(model)
    model.append_page([summary(7), summary(6), summary(8)], exhausted=True)
    assert model.ids() == [10, 9, 8, 7, 6]
    assert not model.canFetchMore(QModelIndex())
    model.set_number_labels({f.PNID: "Salon"})
    assert model.index(0, 2).data() == "Salon"
    # live rows: new ones on top, in the middle when exhausted, updates in place
    model.upsert(
        [
            summary(12),
            summary(11),
            summary(9, SignatureVerdict.VALID, ProcessingResult.ERROR, detail="boom"),
        ]
    )
    assert model.ids() == [12, 11, 10, 9, 8, 7, 6]
    row9 = model.row_of(9)
    assert model.index(row9, COL_RESULT).data() == "error"
    assert model.index(row9, COL_RESULT).data(SUMMARY_ROLE).detail == "boom"
    model.remove_ids([11, 6, 99])
    assert model.ids() == [12, 10, 9, 8, 7]
    model.upsert([summary(5), summary(13, SignatureVerdict.INVALID, ProcessingResult.REJECTED)])
    assert model.ids() == [13, 12, 10, 9, 8, 7, 5]
    assert model.index(0, COL_VERDICT).data() == "bad signature"
    assert model.index(0, COL_VERDICT).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.headerData(COL_VERDICT, Qt.Orientation.Horizontal) == "Signature"
    qtmodeltester.check(model)


def test_model_does_not_insert_below_an_unloaded_gap() -> None:
    model = RawEventModel()
    model.reset_rows([summary(i) for i in (10, 9)], exhausted=False)
    model.upsert([summary(3)])  # older than what is loaded: it comes with the next page
    assert model.ids() == [10, 9]


def token_color(view: JsonView, needle: str) -> QColor:
    """The foreground colour the highlighter gave the first character of `needle`."""
    doc = view.document()
    block = doc.begin()
    while block.isValid():
        pos = block.text().find(needle)
        if pos >= 0:
            for fmt in block.layout().formats():
                if fmt.start <= pos < fmt.start + fmt.length:
                    return fmt.format.foreground().color()
            raise AssertionError(f"{needle!r} has no format")
        block = block.next()
    raise AssertionError(f"{needle!r} not shown")


def test_json_highlighter_colours_tokens_by_theme(qtbot: Any) -> None:
    view = JsonView()
    qtbot.addWidget(view)
    body = '{\n  "messages": [\n    {\n      "id": "wamid.X",\n      "n": -12.5e3,\n'
    body += '      "ok": true,\n      "none": null\n    }\n  ]\n}'
    view.show_body(body, is_json=True)
    assert token_color(view, '"messages"') == QColor(LIGHT_JSON.key)
    assert token_color(view, '"wamid.X"') == QColor(LIGHT_JSON.string)
    assert token_color(view, "-12.5e3") == QColor(LIGHT_JSON.number)
    assert token_color(view, "true") == QColor(LIGHT_JSON.literal)
    assert token_color(view, "null") == QColor(LIGHT_JSON.literal)
    view.set_dark(True)
    assert token_color(view, '"messages"') == QColor(DARK_JSON.key)
    view.show_body("not json: 12 true", is_json=False)
    assert view.document().begin().layout().formats() == []


# -- the page in the running app, on a real engine --------------------------------------------------


@pytest.fixture
def wadesk_logging(tmp_path: Path) -> Iterator[Callable[[SecretRedactor, Path], Path | None]]:
    """configure_logging() for one test; the `wadesk` logger's handlers are put back after."""
    logger = logging.getLogger("wadesk")
    saved = (list(logger.handlers), logger.level, logger.propagate)

    def configure(redactor: SecretRedactor, log_dir: Path) -> Path | None:
        return configure_logging(redactor, log_dir, stderr=False)

    yield configure
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    for handler in saved[0]:
        logger.addHandler(handler)
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


async def until(check: Callable[[], bool], what: str, seconds: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for: {what}")
        await asyncio.sleep(0.01)


async def post(url: str, body: bytes, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Hub-Signature-256"] = sign(body, secret)
    async with httpx.AsyncClient() as client:
        return (await client.post(url, content=body, headers=headers)).status_code


def results(page: ActivityPage) -> list[tuple[str, str]]:
    return [(r.verdict.value, r.result.value) for r in page.model.rows()]


@pytest.mark.qasync
async def test_activity_page_on_a_real_engine(
    app: QApplication,
    qsettings: QSettings,
    tmp_path: Path,
    artifacts_dir: Path,
    qtmodeltester: Any,
    wadesk_logging: Callable[[SecretRedactor, Path], Path | None],
) -> None:
    data = tmp_path / "data"
    redactor = SecretRedactor()
    engine = Engine(
        Settings(paths=Paths(data, data / "logs"), port=0),
        secrets=SecretStore(redactor),
        redactor=redactor,
    )
    assert wadesk_logging(redactor, data / "logs") == engine.log_file
    engine.secrets.set(SecretKind.VERIFY_TOKEN, "", f.VERIFY_TOKEN)
    root = WadeskApp(
        app, lambda: engine, settings=qsettings, tray_available=False, bridge_interval_ms=10
    )
    task = asyncio.ensure_future(root.run())
    try:
        await until(lambda: root.engine_started, "engine started")
        page = root.window.page("activity")
        assert isinstance(page, ActivityPage)
        await f.add_salon_number(engine)
        logging.getLogger("wadesk.test").error("Graph refused token %s", f.ACCESS_TOKEN)
        with engine.log_file.open("a", encoding="utf-8") as fh:  # a line from before redaction
            fh.write(f"2026-03-01 12:00:00 ERROR wadesk.old: secret={f.APP_SECRET}\n")
        root.window.resize(1280, 800)
        root.window.show_page("activity")
        await until(lambda: page.loaded, "first load")
        assert page.model.rowCount() == 0
        url = engine.server.url

        # a signed and a rejected event arrive live
        body = f.encode(f.text_message("Hello from the inspector", wa_id="34600111222"))
        assert await post(url, body, f.APP_SECRET) == 200
        forged = f.encode(f.text_message("Forged", wa_id="34600999999"))
        assert await post(url, forged, "not-the-app-secret") == 403
        await until(
            lambda: sorted(results(page)) == [("invalid", "rejected"), ("valid", "applied")],
            "both rows with their verdicts",
        )
        signed_id, rejected_id = sorted(page.model.ids())
        assert page.model.index(page.model.row_of(signed_id), 2).data() == "Salon"
        qtmodeltester.check(page.model)

        # select the signed one: raw JSON shown and highlighted
        assert page.select_id(signed_id)
        await until(lambda: page.detail.shown_id == signed_id, "detail of the signed event")
        view = page.detail.json_view
        assert '"body": "Hello from the inspector"' in view.toPlainText()
        assert token_color(view, '"body"') == QColor(LIGHT_JSON.key)
        assert token_color(view, '"Hello from the inspector"') == QColor(LIGHT_JSON.string)
        assert page.detail.replay_button.isEnabled()
        assert "signed" in page.detail.verdict_value.text()

        # replay: a visible result, still one message stored
        page.detail.replay_button.click()
        await until(lambda: "Replayed" in page.detail.replay_result.text(), "replay result")
        assert "applied" in page.detail.replay_result.text()
        counts = await engine.store.read(repo.counts)
        assert counts["messages"] == 1
        assert counts["raw_events"] == 2

        # the rejected one: no replay, the reason in words
        assert page.select_id(rejected_id)
        await until(lambda: page.detail.shown_id == rejected_id, "detail of the rejected event")
        assert not page.detail.replay_button.isEnabled()
        assert "app secret" in page.detail.reason_value.text()
        assert "bad signature" in page.detail.verdict_value.text()

        # a new event while one is selected: prepended, the selection stays
        body2 = f.encode(f.text_message("Second one", wa_id="34600111222"))
        assert await post(url, body2, f.APP_SECRET) == 200
        await until(lambda: page.model.rowCount() == 3, "third row")
        assert page.model.ids()[0] > signed_id
        assert page.selected_id() == rejected_id
        await until(
            lambda: page.model.rows()[0].result is ProcessingResult.APPLIED, "third applied"
        )

        # filter and search
        combo = page.filter_combo
        combo.setCurrentIndex(combo.findData("rejected"))
        await until(lambda: page.model.ids() == [rejected_id], "rejected filter")
        combo.setCurrentIndex(combo.findData("accepted"))
        await until(lambda: len(page.model.ids()) == 2, "accepted filter")
        assert rejected_id not in page.model.ids()
        combo.setCurrentIndex(combo.findData("errors"))
        await until(lambda: page.model.ids() == [], "errors filter")
        combo.setCurrentIndex(combo.findData("all"))
        page.search_edit.setText("inspector")
        await until(lambda: page.model.ids() == [signed_id], "search")
        page.search_edit.setText("no such text")
        await until(lambda: page.model.ids() == [], "empty search")
        assert "0 events shown" in page.count_label.text()
        page.search_edit.setText("")
        await until(lambda: page.model.rowCount() == 3, "search cleared")

        # health strip
        await page.refresh_health()
        strip = page.health.plain_text()
        assert f"listening on 127.0.0.1:{engine.server.port}" in strip
        assert page.health.server_value.toolTip() == url
        assert "3 received · 1 rejected · 0 failed" in strip

        # copy diagnostics: confirmation, no secret in the clipboard
        page.health.copy_button.click()
        await until(lambda: "copied" in page.health.copy_result.text(), "diagnostics copied")
        copied = QGuiApplication.clipboard().text()
        assert "## Versions" in copied and "Salon" in copied
        for secret in (f.ACCESS_TOKEN, f.APP_SECRET, f.VERIFY_TOKEN):
            assert secret not in copied

        await page.wait_idle()
        await shoot(root, page, artifacts_dir)

        # the log view: redacted lines, including one written before the secret was known
        page.tabs.setCurrentWidget(page.log_view)
        await until(lambda: any("wadesk.old" in line for line in page.log_view.lines), "log")
        log_text = page.log_view.text.toPlainText()
        assert "Graph refused token [redacted]" in log_text
        assert "secret=[redacted]" in log_text
        for secret in (f.ACCESS_TOKEN, f.APP_SECRET):
            assert secret not in log_text
        image = root.window.grab()
        assert image.save(str(artifacts_dir / "activity-log-light.png"))
        page.tabs.setCurrentIndex(0)

        root.window.close()
        assert await asyncio.wait_for(task, 10) == 0
    finally:
        if not task.done():
            root.request_quit()
            await task
        teardown_shell(root)


async def shoot(root: WadeskApp, page: ActivityPage, artifacts_dir: Path) -> None:
    """Screenshots of the events tab (signed event selected) in light and dark."""
    signed = [r.id for r in page.model.rows() if r.verdict is SignatureVerdict.VALID]
    page.select_id(signed[-1])
    await until(lambda: page.detail.shown_id == signed[-1], "detail for the screenshot")
    page.detail.replay_button.click()
    await until(lambda: "Replayed" in page.detail.replay_result.text(), "second replay")
    for theme in ("light", "dark"):
        root.theme.apply(theme)
        await asyncio.sleep(0.05)
        expected = DARK_JSON.key if theme == "dark" else LIGHT_JSON.key
        assert token_color(page.detail.json_view, '"body"') == QColor(expected)
        image = root.window.grab()
        assert image.width() >= 1000
        path = artifacts_dir / f"activity-events-{theme}.png"
        assert image.save(str(path))
        assert path.stat().st_size > 10_000
    root.theme.apply("light")
    root.translator.set_language("ru")
    await until(lambda: page.tabs.tabText(0) == "События вебхуков", "Russian texts")
    assert page.model.headerData(COL_VERDICT, Qt.Orientation.Horizontal) == "Подпись"
    assert "подписано" in page.detail.verdict_value.text()
    assert page.health.copy_button.text() == "Скопировать диагностику"
    # the replay and "copy diagnostics" results are re-rendered, not kept as English strings
    assert page.detail.replay_result.text().startswith(f"Событие №{signed[-1]} повторено:")
    assert page.health.copy_result.text().startswith("Диагностика скопирована в буфер обмена")
    assert root.window.grab().save(str(artifacts_dir / "activity-events-ru-light.png"))
    root.translator.set_language("en")
    await until(lambda: page.tabs.tabText(0) == "Webhook events", "English texts")
    assert page.detail.replay_result.text().startswith(f"Replayed event #{signed[-1]}:")
    assert page.health.copy_result.text().startswith("Diagnostics copied to the clipboard")
