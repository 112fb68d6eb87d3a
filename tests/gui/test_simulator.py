"""The simulator runs the draft with the real step engine: a 3-branch flow (keyword → buttons →
each branch) with the current node highlighted on the canvas, variables and trace shown;
WhatsApp limits enforced; delays fast-forwarded; HTTP nodes answered with a typed mock, a
failure, or a real call (after confirmation) to a loopback server; screenshot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.flow_samples import salon_flow
from wadesk.flow import Flow, Node
from wadesk.ui.flows.editor import FlowEditor


@pytest.fixture
def editor(app: QApplication, qtbot: Any) -> Any:
    ed = FlowEditor(salon_flow(), lang="en")
    qtbot.addWidget(ed)
    ed.resize(1500, 860)
    ed.show()
    ed.show_simulator(True)
    yield ed
    ed.shutdown()


def bot_texts(editor: FlowEditor) -> list[str]:
    return [t for who, t in editor.simulator.transcript if who == "bot"]


def tap(editor: FlowEditor, title: str) -> None:
    button = editor.simulator.button_for(title)
    assert button is not None, title
    button.click()


def test_three_branches_with_the_current_node_highlighted(
    editor: FlowEditor, artifacts_dir: Path
) -> None:
    sim, scene = editor.simulator, editor.scene
    assert sim.isVisible()
    sim.send_text("good morning")
    assert "No trigger of this flow matches" in sim.transcript[-1][1]
    assert scene.highlighted is None
    # keyword → greeting → buttons; waits on the menu
    sim.input.setText("Hi")
    sim.send_button.click()
    assert bot_texts(editor) == [
        "Hi Simulator! Welcome to Bella Salon.",
        "How can we help you today?",
    ]
    assert [b.text() for b in sim.choice_buttons] == ["Book", "Prices", "Talk to a person"]
    assert scene.highlighted == "menu"
    item = scene.node_item("menu")
    assert item is not None and item.highlighted
    # branch 1: prices → back to the menu
    tap(editor, "Prices")
    assert bot_texts(editor)[-2:] == [
        "Haircut 25 €, colouring from 60 €, manicure 20 €.",
        "How can we help you today?",
    ]
    assert scene.highlighted == "menu"
    # branch 2: book → question → confirmation → hand-off
    tap(editor, "Book")
    assert scene.highlighted == "ask_date"
    sim.send_text("2026-03-14")
    assert "Great, we noted 2026-03-14" in bot_texts(editor)[-2]
    assert bot_texts(editor)[-1] == "One moment, a person from the salon will answer you."
    assert any("Handed off to a person" in t for _w, t in sim.transcript)
    assert scene.highlighted is None  # handed off: no current node
    variables = {
        sim.variables.topLevelItem(i).text(0): sim.variables.topLevelItem(i).text(1)
        for i in range(sim.variables.topLevelItemCount())
    }
    assert variables["date"] == "2026-03-14"
    trace = [sim.trace.item(i).text() for i in range(sim.trace.count())]
    assert any(t.startswith("menu") for t in trace)
    assert sim.grab().save(str(artifacts_dir / "flow-simulator.png"))
    editor.view.fit_to_view()
    # branch 3: a new run, "Talk to a person"
    sim.restart()
    sim.send_text("hello")
    tap(editor, "Talk to a person")
    notes = [t for w, t in sim.transcript if w == "note"]
    assert "Handed off to a person: Customer asked for a person" in notes
    # the editor with the simulator open, waiting on the question
    sim.restart()
    sim.send_text("book")
    tap(editor, "Book")
    assert editor.scene.highlighted == "ask_date"
    QApplication.processEvents()
    assert editor.grab().save(str(artifacts_dir / "flow-editor-simulator.png"))


def test_limits_delays_and_http(app: QApplication, qtbot: Any) -> None:
    flow = Flow("t", "T")
    flow.add_nodes(
        [
            Node("s", "trigger", {"kind": "any"}),
            Node("wait", "delay", {"seconds": 30}),
            Node(
                "menu",
                "buttons",
                {"body": "Pick", "buttons": [{"id": "a", "title": "A title far too long here"}]},
            ),
            Node(
                "http",
                "http_request",
                {"method": "GET", "url": "http://127.0.0.1:9/x", "response_map": {"n": "count"}},
            ),
            Node("ok", "send_text", {"text": "ok {{n}}"}),
            Node("err", "send_text", {"text": "failed"}),
        ]
    )
    flow.set_variable("n", "")
    flow.connect("s", "next", "wait")
    flow.connect("wait", "next", "http")
    flow.connect("http", "ok", "ok")
    flow.connect("http", "error", "err")
    flow.connect("ok", "next", "menu")
    ed = FlowEditor(flow, lang="en")
    qtbot.addWidget(ed)
    sim = ed.simulator
    ed.show_simulator(True)
    sim.send_text("anything")
    assert any("Delay of 30 s skipped" in t for _w, t in sim.transcript)
    assert sim.pending_http is not None and not sim.http_panel.isHidden()
    assert "GET http://127.0.0.1:9/x" in sim.http_label.text()
    assert ed.scene.highlighted == "http"
    sim.send_text("hello?")  # the bot is busy with the request
    assert "waiting for the HTTP request" in sim.transcript[-1][1]
    sim.http_body.setPlainText('{"count": 7}')
    sim.http_mock_button.click()
    assert "ok 7" in [t for w, t in sim.transcript if w == "bot"]
    assert "WhatsApp would reject this message" in sim.transcript[-1][1]
    # the error branch
    sim.restart()
    sim.send_text("again")
    sim.http_error_button.click()
    assert [t for w, t in sim.transcript if w == "bot"][-1] == "failed"
    ed.shutdown()


@pytest.mark.qasync
async def test_real_http_call_after_confirmation(app: QApplication) -> None:
    import asyncio

    async def handler(_request: web.Request) -> web.Response:
        return web.json_response({"count": 3})

    server = web.Application()
    server.router.add_get("/count", handler)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    flow = Flow("t", "T")
    flow.set_variable("n", "")
    flow.add_nodes(
        [
            Node("s", "trigger", {"kind": "any"}),
            Node(
                "http",
                "http_request",
                {"url": f"http://127.0.0.1:{port}/count", "response_map": {"n": "count"}},
            ),
            Node("ok", "send_text", {"text": "count={{n}}"}),
            Node("err", "end"),
        ]
    )
    flow.connect("s", "next", "http")
    flow.connect("http", "ok", "ok")
    flow.connect("http", "error", "err")
    ed = FlowEditor(flow, lang="en")
    try:
        sim = ed.simulator
        ed.show_simulator(True)
        sim.send_text("go")
        box = sim.ask_real_call()
        assert box is not None and box.isVisible()
        box.done(QMessageBox.StandardButton.Yes.value)
        await asyncio.wait_for(sim.tasks.wait(), 10)
        assert "count=3" in [t for w, t in sim.transcript if w == "bot"]
    finally:
        ed.shutdown()
        ed.deleteLater()
        await runner.cleanup()
