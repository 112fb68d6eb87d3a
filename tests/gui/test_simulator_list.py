"""The simulator shows a list message as WhatsApp would (body, the list button, one choice per
row), a tapped row takes that row's branch and fills the list's variable, the current node is
highlighted while the list waits, and a list WhatsApp would refuse (11 rows) is flagged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from wadesk.flow import Flow, Node
from wadesk.ui.flows.editor import FlowEditor


def list_flow(rows: int = 3) -> Flow:
    flow = Flow("lst", "List")
    flow.set_variable("service", "")
    flow.add_nodes(
        [
            Node("start", "trigger", {"kind": "any"}),
            Node(
                "pick",
                "list",
                {
                    "body": "What would you like?",
                    "button": "Services",
                    "variable": "service",
                    "rows": [{"id": f"r{i}", "title": f"Service {i}"} for i in range(1, rows + 1)],
                },
                (300, 0),
            ),
            Node("one", "send_text", {"text": "First: {{service}}"}, (600, 0)),
            Node("other", "send_text", {"text": "Other: {{service}}"}, (600, 200)),
        ]
    )
    flow.connect("start", "next", "pick")
    flow.connect("pick", "r1", "one")
    for i in range(2, rows + 1):
        flow.connect("pick", f"r{i}", "other")
    return flow


def test_list_rows_are_choices_and_take_their_branch(
    app: QApplication, qtbot: Any, artifacts_dir: Path
) -> None:
    ed = FlowEditor(list_flow(), lang="en")
    qtbot.addWidget(ed)
    ed.resize(1500, 860)
    ed.show()
    ed.show_simulator(True)
    try:
        sim = ed.simulator
        sim.send_text("hello")
        bot = [t for w, t in sim.transcript if w == "bot"]
        assert bot == ["What would you like?\n\n☰ Services"]
        assert [b.text() for b in sim.choice_buttons] == ["Service 1", "Service 2", "Service 3"]
        assert ed.scene.highlighted == "pick"
        QApplication.processEvents()
        assert sim.grab().save(str(artifacts_dir / "flow-simulator-list.png"))
        button = sim.button_for("Service 3")
        assert button is not None
        button.click()
        assert [t for w, t in sim.transcript if w == "bot"][-1] == "Other: Service 3"
        variables = {
            sim.variables.topLevelItem(i).text(0): sim.variables.topLevelItem(i).text(1)
            for i in range(sim.variables.topLevelItemCount())
        }
        assert variables["service"] == "Service 3"
        sim.restart()
        sim.send_text("again")
        button = sim.button_for("Service 1")
        assert button is not None
        button.click()
        assert [t for w, t in sim.transcript if w == "bot"][-1] == "First: Service 1"
    finally:
        ed.shutdown()


def test_a_list_whatsapp_would_refuse_is_flagged(app: QApplication, qtbot: Any) -> None:
    ed = FlowEditor(list_flow(rows=11), lang="en")
    qtbot.addWidget(ed)
    ed.show_simulator(True)
    try:
        sim = ed.simulator
        sim.send_text("hello")
        errors = [t for w, t in sim.transcript if w == "error"]
        assert errors and "WhatsApp would reject this message" in errors[0]
        assert not any(w == "bot" for w, _t in sim.transcript)
    finally:
        ed.shutdown()
