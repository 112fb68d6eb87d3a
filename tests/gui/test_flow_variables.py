"""The editor's Variables panel and the jump inspector: declaring, describing, renaming (with
the uses in nodes) and deleting variables through undo commands that restore the model exactly;
an "undefined variable" problem leads to the panel with the name offered; variable fields offer
the declared names; a jump's targets are combos of the flow's nodes and of the other flows, with
a dangling target shown as missing; screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QComboBox

from tests.gui.flow_samples import salon_flow
from wadesk.flow import Node, to_json
from wadesk.ui.flows.commands import AddNode, Connect, EditConfig, RenameVariable, SetVariable
from wadesk.ui.flows.editor import FlowEditor
from wadesk.ui.flows.problems import NODE_ROLE
from wadesk.ui.flows.variables import VariablesModel


@pytest.fixture
def editor(app: QApplication, qtbot: Any) -> Any:
    ed = FlowEditor(salon_flow(), lang="en")
    qtbot.addWidget(ed)
    ed.resize(1500, 860)
    ed.show()
    qtbot.waitExposed(ed)
    ed.view.resetTransform()
    ed.view.centerOn(QPointF(600, 0))
    yield ed
    ed.shutdown()


def test_variables_model(qtmodeltester: Any, editor: FlowEditor) -> None:
    model = editor.variables.model
    editor.flow.set_variable("email", "", "The customer's e-mail")
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(1, 0).data() == "email"
    assert model.index(1, 2).data() == "The customer's e-mail"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Default value"
    assert model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable


def test_panel_edits_are_undo_commands_that_restore_the_model_exactly(
    editor: FlowEditor,
) -> None:
    flow, stack = editor.flow, editor.stack
    model: VariablesModel = editor.variables.model
    original = to_json(flow)
    editor.show_variables()
    assert editor.side_tabs.currentWidget() is editor.variables

    name = editor.variables.add_variable()  # declared at the end, name editor open
    assert name == "variable1" and [v.name for v in flow.variables] == ["date", "variable1"]
    editor.variables.table.closePersistentEditor(model.index(1, 0))
    assert model.setData(model.index(1, 0), "city")  # rename
    assert model.setData(model.index(1, 1), "Riga")  # default
    assert model.setData(model.index(1, 2), "Where the customer lives")
    assert not model.setData(model.index(1, 1), "Riga")  # no change, no command
    assert [(v.name, v.default, v.description) for v in flow.variables] == [
        ("date", "", ""),
        ("city", "Riga", "Where the customer lives"),
    ]
    # refusals: a bad name, a duplicate
    assert not model.setData(model.index(1, 0), "2 words")
    assert "not a valid variable name" in editor.variables.message.text()
    assert not model.setData(model.index(1, 0), "date")
    assert "already a variable “date”" in editor.variables.message.text()
    after_edits = to_json(flow)
    assert stack.count() == 4 and editor.dirty

    # renaming renames the uses, in one step
    flow_text = dict(flow.node("greet").config)
    stack.push(EditConfig(flow, "greet", {**flow_text, "text": "Hi! See you on {{ date }}."}))
    before_rename = to_json(flow)
    assert model.setData(model.index(0, 0), "visit_date")
    assert flow.node("ask_date").config["variable"] == "visit_date"
    assert flow.node("greet").config["text"] == "Hi! See you on {{ visit_date }}."
    assert [v.name for v in flow.variables] == ["visit_date", "city"]  # same position
    stack.undo()
    assert to_json(flow) == before_rename
    stack.redo()
    assert flow.node("ask_date").config["variable"] == "visit_date"
    stack.undo()
    stack.undo()
    assert to_json(flow) == after_edits

    # delete the first one; undo puts it back in its place with its description
    editor.variables.select("date")
    editor.variables.remove_selected()
    assert [v.name for v in flow.variables] == ["city"]
    after_delete = to_json(flow)
    stack.undo()
    assert to_json(flow) == after_edits
    while stack.canUndo():
        stack.undo()
    assert to_json(flow) == original and not editor.dirty
    assert model.rowCount() == 1  # the panel follows undo
    while stack.canRedo():
        stack.redo()
    assert to_json(flow) == after_delete  # the delete was redone last


def test_commands_undo_exactly(editor: FlowEditor) -> None:
    flow, stack = editor.flow, editor.stack
    flow.set_variable("a", 1, "one")
    flow.set_variable("b", 2)
    for cmd in (
        SetVariable(flow, "a", 5),  # keeps the description
        SetVariable(flow, "new", "x", description="d"),
        SetVariable(flow, "a", remove=True),
        RenameVariable(flow, "a", "z"),
    ):
        before = to_json(flow)
        stack.push(cmd)
        after = to_json(flow)
        assert after != before
        stack.undo()
        assert to_json(flow) == before
        stack.redo()
        assert to_json(flow) == after
        stack.undo()
    stack.push(SetVariable(flow, "a", 5))
    assert flow.variable("a") is not None and flow.variable("a").description == "one"  # type: ignore[union-attr]


def test_undefined_variable_problem_leads_to_the_panel(
    editor: FlowEditor, artifacts_dir: Path
) -> None:
    flow = editor.flow
    editor.stack.push(AddNode(flow, Node("bye", "send_text", {"text": "Bye {{nick}}"}, (960, 300))))
    editor.stack.push(Connect(flow, "prices", "next", "bye"))
    editor.validate()
    problems = editor.problems_list
    row = next(
        i
        for i, p in enumerate(problems.problems)
        if p.code == "undefined_variable" and p.subject == "nick"
    )
    item = problems.item(row)
    assert item.data(NODE_ROLE) == "bye" and "declare it under Variables" in item.text()
    problems.itemClicked.emit(item)
    assert editor.scene.selected_node_ids() == ["bye"]
    assert editor.side_tabs.currentWidget() is editor.variables
    offer = editor.variables.offer_button
    assert offer.isVisible() and offer.text() == "Declare “nick”"
    assert editor.grab().save(str(artifacts_dir / "flow-editor-variables.png"))
    offer.click()
    assert flow.variable("nick") is not None and not offer.isVisible()
    editor.validate()
    assert not [p for p in editor.problems if p.code == "undefined_variable"]
    editor.stack.undo()
    assert flow.variable("nick") is None


def test_variable_fields_offer_the_declared_names(editor: FlowEditor) -> None:
    flow = editor.flow
    flow.set_variable("email")
    editor.select_node("ask_date")
    combo = editor.inspector.fields["variable"]
    assert isinstance(combo, QComboBox) and combo.isEditable()
    assert [combo.itemText(i) for i in range(combo.count())] == ["date", "email"]
    assert combo.currentText() == "date"
    combo.setCurrentIndex(1)
    assert flow.node("ask_date").config["variable"] == "email"
    editor.inspector.set_field("variable", "brand_new")
    assert flow.node("ask_date").config["variable"] == "brand_new"
    assert combo.completer() is not None
    # a variable declared in the panel shows up in the open form
    editor.variables.model.add("phone")
    combo = editor.inspector.fields["variable"]
    assert isinstance(combo, QComboBox) and combo.findText("phone") >= 0


def test_jump_targets_are_combos_and_dangling_targets_show_as_missing(
    editor: FlowEditor, artifacts_dir: Path
) -> None:
    flow, stack = editor.flow, editor.stack
    editor.set_flow_choices({"2": "Returns", "3": "Opening hours"}, {"1", "2", "3"})
    stack.push(AddNode(flow, Node("jmp", "jump", {}, (960, 300))))
    stack.push(Connect(flow, "prices", "next", "jmp"))
    editor.select_node("jmp")
    nodes = editor.inspector.fields["node"]
    flows = editor.inspector.fields["flow"]
    assert isinstance(nodes, QComboBox) and isinstance(flows, QComboBox)
    values = [nodes.itemData(i) for i in range(nodes.count())]
    assert values[0] == "" and set(values[1:]) == {n.id for n in flow.nodes} - {"jmp"}
    assert nodes.itemText(nodes.findData("menu")).startswith("Reply buttons: ")
    assert nodes.itemText(nodes.findData("menu")).endswith("(menu)")
    assert [flows.itemText(i) for i in range(flows.count())] == [
        "— none —",
        "Returns",
        "Opening hours",
    ]
    nodes.setCurrentIndex(nodes.findData("menu"))
    assert flow.node("jmp").config["node"] == "menu"
    editor.inspector.set_field("flow", "3")
    assert flow.node("jmp").config["flow"] == "3"
    assert stack.command(stack.count() - 1).text() == "Edit"
    # a dangling node target: kept in the combo, marked missing, flagged by validation
    stack.push(EditConfig(flow, "jmp", {"node": "ghost", "flow": "9"}))
    nodes = editor.inspector.fields["node"]
    flows = editor.inspector.fields["flow"]
    assert isinstance(nodes, QComboBox) and isinstance(flows, QComboBox)
    assert nodes.currentText() == "⚠ Missing node “ghost”" and nodes.property("missing")
    assert flows.currentText() == "⚠ Missing flow “9”" and flows.property("missing")
    codes = {(p.node_id, p.code) for p in editor.validate()}
    assert ("jmp", "bad_config") in codes and ("jmp", "missing_flow") in codes
    assert editor.inspector.grab().save(str(artifacts_dir / "flow-inspector-jump.png"))
    # the node list follows the flow
    stack.push(AddNode(flow, Node("later", "end", {}, (1200, 300))))
    nodes = editor.inspector.fields["node"]
    assert isinstance(nodes, QComboBox) and nodes.findData("later") >= 0


def test_condition_rules_offer_the_declared_variables(editor: FlowEditor) -> None:
    flow = editor.flow
    flow.set_variable("email")
    rules = [{"variable": "date", "op": "eq", "value": "x"}]
    editor.stack.push(
        AddNode(flow, Node("cond", "condition", {"mode": "if", "rules": rules}, (960, 300)))
    )
    editor.select_node("cond")
    table = editor.inspector.fields["rules"]
    grid = table.table  # type: ignore[attr-defined]
    column = [p.name for p in table.param.item_params].index("variable")  # type: ignore[attr-defined]
    index = grid.model().index(0, column)
    grid.setCurrentIndex(index)
    grid.edit(index)
    combo = grid.indexWidget(index) or grid.viewport().findChild(QComboBox)
    assert isinstance(combo, QComboBox) and combo.isEditable()
    assert [combo.itemText(i) for i in range(combo.count())] == ["date", "email"]
    assert combo.currentText() == "date"
    combo.setCurrentIndex(1)
    grid.commitData(combo)
    grid.closeEditor(combo, grid.itemDelegate().EndEditHint.NoHint)
    assert flow.node("cond").config["rules"][0]["variable"] == "email"
