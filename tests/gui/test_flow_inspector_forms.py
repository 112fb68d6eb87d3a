"""The inspector builds a form for every node type from the registry's parameter schema: one
field per parameter that applies (a field of the right kind), labels in the editor's language
(Russian titles from the registry), choices that switch other parameters on and off rebuild
the form, and every edit goes through the undo stack; choice values are shown by title, in
the UI language (the stored value stays the same), also in the condition rules' operator
column. Screenshots of two forms in Russian."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QPointF
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from wadesk.flow import Flow, to_json
from wadesk.flow.registry import NodeType
from wadesk.ui.flows.editor import FlowEditor
from wadesk.ui.flows.inspector import ItemTable

WIDGETS: dict[str, type[QWidget]] = {
    "multiline": QPlainTextEdit,
    "json": QPlainTextEdit,
    "strings": QPlainTextEdit,
    "mapping": QPlainTextEdit,
    "hours": QPlainTextEdit,
    "int": QSpinBox,
    "float": QDoubleSpinBox,
    "bool": QCheckBox,
    "choice": QComboBox,
    "variable": QComboBox,
    "node": QComboBox,
    "flow": QComboBox,
    "list": ItemTable,
}


@pytest.fixture(params=["en", "ru"])
def editor(request: Any, app: QApplication, qtbot: Any) -> Any:
    ed = FlowEditor(Flow("forms", "Forms"), lang=request.param)
    qtbot.addWidget(ed)
    ed.resize(1400, 900)
    ed.show()
    yield ed
    ed.shutdown()


def label_of(editor: FlowEditor, widget: QWidget) -> str:
    form = editor.inspector.widget().findChild(QFormLayout)
    assert form is not None
    label = form.labelForField(widget)
    assert isinstance(label, QLabel)
    return label.text()


def check_form(editor: FlowEditor, node_type: NodeType, node_id: str) -> None:
    inspector = editor.inspector
    config = {**node_type.defaults(), **editor.flow.node(node_id).config}
    expected = [p.name for p in node_type.params if p.applies(config)]
    assert list(inspector.fields) == expected, node_type.name
    for p in node_type.params:
        if p.name not in inspector.fields:
            continue
        widget = inspector.fields[p.name]
        assert isinstance(widget, WIDGETS.get(p.kind, QLineEdit)), (node_type.name, p.name)
        title = p.title_ru if editor.lang == "ru" else p.title_en
        assert label_of(editor, widget) == title + (" *" if p.required else "")


def test_every_node_type_gets_its_form(editor: FlowEditor) -> None:
    flow, registry = editor.flow, editor.registry
    empty = to_json(flow)
    types = list(registry)
    assert len(types) == 16
    for i, node_type in enumerate(types):
        node_id = editor.add_node(node_type.name, QPointF(300.0 * (i % 4), 220.0 * (i // 4)))
        editor.select_node(node_id)
        assert editor.inspector.node_id == node_id
        check_form(editor, node_type, node_id)
        # every value of a choice that other parameters depend on rebuilds the form
        deciders = {p.when[0] for p in node_type.params if p.when is not None}
        for p in node_type.params:
            if p.kind != "choice" or p.name not in deciders:
                continue
            for value in p.choices:
                if p.name not in editor.inspector.fields:
                    break
                editor.inspector.set_field(p.name, value)
                assert flow.node(node_id).config.get(p.name) == value
                check_form(editor, node_type, node_id)
    assert len(flow.nodes) == 16
    while editor.stack.canUndo():
        editor.stack.undo()
    assert to_json(flow) == empty


def test_screenshots_of_russian_forms(app: QApplication, qtbot: Any, artifacts_dir: Path) -> None:
    from wadesk.ui.i18n import Translator

    translator = Translator(app)
    translator.set_language("ru")
    ed = FlowEditor(Flow("forms", "Forms"), lang="ru")
    qtbot.addWidget(ed)
    ed.resize(1400, 900)
    ed.show()
    try:
        trigger = ed.add_node("trigger", QPointF(0, 300))
        ed.select_node(trigger)
        kind = ed.inspector.fields["kind"]
        assert isinstance(kind, QComboBox)
        titles = [kind.itemText(i) for i in range(kind.count())]
        assert titles[:4] == [
            "Любое сообщение",
            "Ключевое слово",
            "Регулярное выражение",
            "Первое сообщение нового контакта",
        ]
        kind.setCurrentIndex(kind.findData("new_contact"))
        assert ed.flow.node(trigger).config["kind"] == "new_contact"  # the value is stored
        for name in ("http_request", "condition"):
            node_id = ed.add_node(name, QPointF(0, 0))
            ed.select_node(node_id)
            if name == "condition":
                ed.inspector.set_field(
                    "rules",
                    [
                        {"variable": "age", "op": "ge", "value": "18"},
                        {"variable": "city", "op": "contains", "value": "Berlin"},
                    ],
                )
                table = ed.inspector.fields["rules"]
                assert isinstance(table, ItemTable)
                op = [p.name for p in table.param.item_params].index("op")
                delegate = table.table.itemDelegateForColumn(op)
                shown = [
                    delegate.displayText(table.table.item(r, op).text(), QLocale())
                    for r in range(2)
                ]
                assert shown == ["не меньше", "содержит"]
                assert [r["op"] for r in table.items()] == ["ge", "contains"]
                mode = ed.inspector.fields["mode"]
                assert isinstance(mode, QComboBox) and mode.currentText() == "Если / иначе"
            QApplication.processEvents()
            assert ed.inspector.grab().save(str(artifacts_dir / f"flow-inspector-{name}-ru.png"))
    finally:
        translator.set_language("en")
        ed.shutdown()
