"""The inspector: a form for the selected node, generated from its type's `Param` schema
(text, multi-line, numbers, switches, choices, string lists, mappings, item tables for buttons /
rows / cases). Every edit goes through an `EditConfig` undo command (typing in one field merges
into one command). The form follows model changes made elsewhere (undo, simulator…).

Variable fields are editable combos offering the declared variables; a jump's "go to node" is a
combo of the flow's nodes and its "start flow" a combo of the other flows (`set_flow_choices`);
a target that no longer exists stays in the combo, marked missing.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wadesk.flow import Flow, Node, NodeType, Param, Registry
from wadesk.ui.flows.choices import ChoiceDelegate, ChoiceTitles
from wadesk.ui.flows.commands import EditConfig
from wadesk.ui.flows.items import ERROR_COLOR, summary_of

Getter = Callable[[], Any]


def _lines(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return ""


def _mapping_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return "\n".join(f"{k}: {v}" for k, v in value.items())
    return ""


def _parse_mapping(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, val = line.partition(":")
        if sep and key.strip():
            out[key.strip()] = val.strip()
    return out


class VariableDelegate(QStyledItemDelegate):
    """Edits a table cell holding a variable name with an editable combo of the declared ones."""

    def __init__(self, names: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = names

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(self._names())
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setEditText(str(index.data() or ""))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText().strip())


class ItemTable(QWidget):
    """Rows of objects (buttons, list rows, rules, cases) with add/remove buttons; columns that
    hold a variable name are edited with a combo of the declared variables (`names`)."""

    def __init__(
        self,
        param: Param,
        lang: str,
        on_change: Callable[[], None],
        names: Callable[[], list[str]] | None = None,
        titles: ChoiceTitles | None = None,
    ) -> None:
        super().__init__()
        self.param = param
        self._on_change = on_change
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(param.item_params), self)
        headers = [
            (p.title_ru if lang == "ru" else p.title_en) or p.name for p in param.item_params
        ]
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(self._changed)
        for column, item_param in enumerate(param.item_params):
            if item_param.kind == "variable" and names is not None:
                self.table.setItemDelegateForColumn(column, VariableDelegate(names, self.table))
            elif item_param.kind == "choice" and titles is not None:
                delegate = ChoiceDelegate(item_param.name, item_param.choices, titles, self.table)
                self.table.setItemDelegateForColumn(column, delegate)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)

    def set_items(self, items: Any) -> None:
        self._loading = True
        rows = [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []
        self.table.setRowCount(len(rows))
        for r, item in enumerate(rows):
            for c, p in enumerate(self.param.item_params):
                value = item.get(p.name)
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.table.setFixedHeight(30 + 28 * max(1, len(rows)))
        full = self.param.max_items is not None and len(rows) >= self.param.max_items
        self.add_button.setEnabled(not full)
        self._loading = False

    def items(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for r in range(self.table.rowCount()):
            item: dict[str, Any] = {}
            for c, p in enumerate(self.param.item_params):
                cell = self.table.item(r, c)
                text = cell.text() if cell is not None else ""
                if text or p.required:
                    item[p.name] = text
            out.append(item)
        return out

    def add_row(self) -> None:
        items = self.items()
        n = len(items) + 1
        ids = {str(i.get("id")) for i in items}
        prefix = {"buttons": "b", "rows": "r", "cases": "c"}.get(self.param.name, "i")
        while f"{prefix}{n}" in ids:
            n += 1
        new: dict[str, Any] = {}
        for p in self.param.item_params:
            if p.name == "id":
                new["id"] = f"{prefix}{n}"
            elif p.name == "title":
                new["title"] = f"Option {n}"
            elif p.default is not None:
                new[p.name] = p.default
        items.append(new)
        self.set_items(items)
        self._on_change()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        items = self.items()
        if 0 <= row < len(items):
            del items[row]
        elif items:
            items.pop()
        self.set_items(items)
        self._on_change()

    def _changed(self, _item: QTableWidgetItem) -> None:
        if not self._loading:
            self._on_change()


class Inspector(QScrollArea):
    """Shows the form of one node (`show_node(node_id)`; "" shows a hint)."""

    def __init__(
        self,
        flow: Flow,
        registry: Registry,
        stack: QUndoStack,
        lang: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("FlowInspector")
        self.setWidgetResizable(True)
        self.registry = registry
        self._stack = weakref.ref(stack)  # no cycle through the stack's commands (PySide GC)
        self.lang = lang
        self.flow = flow
        self.node_id = ""
        self.fields: dict[str, QWidget] = {}
        self._getters: dict[str, Getter] = {}
        self._applies: list[str] = []
        self._committing = False
        self._unsubscribe: Callable[[], None] | None = None
        self.flow_choices: dict[str, str] = {}  # flows a jump may start: id → name
        self.choice_titles = ChoiceTitles(self)
        self.set_flow(flow)

    @property
    def stack(self) -> QUndoStack:
        stack = self._stack()
        assert stack is not None, "the undo stack of this inspector is gone"
        return stack

    def set_flow(self, flow: Flow) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.flow = flow
        unsub = [
            flow.node_config_changed.connect(self._on_config_changed),
            flow.node_removed.connect(self._on_removed),
            flow.node_added.connect(self._on_added),
            flow.variables_changed.connect(self._on_variables_changed),
        ]

        def unsubscribe() -> None:
            for u in unsub:
                u()

        self._unsubscribe = unsubscribe
        self.show_node("")

    def _title(self, obj: Param | NodeType) -> str:
        return (obj.title_ru if self.lang == "ru" else obj.title_en) or obj.name

    # -- building ----------------------------------------------------------------------------------

    def show_node(self, node_id: str) -> None:
        self.node_id = node_id if node_id and self.flow.has_node(node_id) else ""
        self.choice_titles.retranslate()  # in the current UI language
        self.fields = {}
        self._getters = {}
        page = QWidget()
        page.setObjectName("InspectorPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 12, 12, 12)
        if not self.node_id:
            hint = QLabel(self.tr("Select a node to edit it."), page)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #667781;")
            layout.addWidget(hint)
            layout.addStretch(1)
            self._set_page(page)
            self._applies = []
            return
        node = self.flow.node(self.node_id)
        node_type = self.registry.find(node.type)
        title = QLabel(self._title(node_type) if node_type else node.type, page)
        title.setStyleSheet("font-size: 15px; font-weight: 600;")
        layout.addWidget(title)
        sub = QLabel(self.tr("Node id: %1").replace("%1", node.id), page)
        sub.setStyleSheet("color: #667781;")
        layout.addWidget(sub)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        config = self._effective(node, node_type)
        self._applies = []
        if node_type is not None:
            for p in node_type.params:
                if not p.applies(config):
                    continue
                self._applies.append(p.name)
                widget = self._make_field(p, config.get(p.name))
                self.fields[p.name] = widget
                label = self._title(p) + (" *" if p.required else "")
                form.addRow(label, widget)
        layout.addStretch(1)
        self._set_page(page)

    def _set_page(self, page: QWidget) -> None:
        old = self.takeWidget()  # the old form may be emitting the signal that rebuilds it
        if old is not None:
            old.hide()
            old.deleteLater()
        self.setWidget(page)

    def _effective(self, node: Node, node_type: NodeType | None) -> dict[str, Any]:
        return {**(node_type.defaults() if node_type else {}), **node.config}

    def _make_field(self, p: Param, value: Any) -> QWidget:
        name = p.name
        kind = p.kind
        if kind in ("multiline", "json", "strings", "mapping", "hours"):
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            if kind == "strings":
                text = _lines(value)
                edit.setPlaceholderText(self.tr("One per line"))
                self._getters[name] = lambda: [
                    s.strip() for s in edit.toPlainText().splitlines() if s.strip()
                ]
            elif kind in ("mapping", "hours"):
                text = _mapping_text(value)
                edit.setPlaceholderText(self.tr("name: value, one per line"))
                self._getters[name] = lambda: _parse_mapping(edit.toPlainText())
            elif kind == "json" and not isinstance(value, str) and value is not None:
                text = json.dumps(value, ensure_ascii=False, indent=2)
                self._getters[name] = edit.toPlainText
            else:
                text = "" if value is None else str(value)
                self._getters[name] = edit.toPlainText
            edit.setPlainText(text)
            edit.setFixedHeight(84 if kind != "multiline" else 96)
            edit.textChanged.connect(lambda: self._commit(name))
            return edit
        if kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 10_000_000)
            spin.setValue(int(value) if isinstance(value, int) else 0)
            self._getters[name] = spin.value
            spin.valueChanged.connect(lambda _v: self._commit(name))
            return spin
        if kind == "float":
            dspin = QDoubleSpinBox()
            dspin.setRange(0, 1_000_000)
            dspin.setDecimals(1)
            dspin.setValue(float(value) if isinstance(value, int | float) else 0.0)
            self._getters[name] = dspin.value
            dspin.valueChanged.connect(lambda _v: self._commit(name))
            return dspin
        if kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(value))
            self._getters[name] = box.isChecked
            box.toggled.connect(lambda _v: self._commit(name))
            return box
        if kind == "choice":
            combo = QComboBox()
            for choice in p.choices:
                combo.addItem(self.choice_titles.title(p.name, choice), choice)
            index = combo.findData(value)
            combo.setCurrentIndex(max(0, index))
            self._getters[name] = combo.currentData
            combo.currentIndexChanged.connect(lambda _i: self._commit(name))
            return combo
        if kind in ("variable", "node", "flow"):
            return self._make_combo(p, value)
        if kind == "list":
            table = ItemTable(
                p,
                self.lang,
                lambda: self._commit(name),
                names=self.variable_names,
                titles=self.choice_titles,
            )
            table.set_items(value)
            self._getters[name] = table.items
            return table
        line = QLineEdit()
        line.setText("" if value is None else str(value))
        if p.max_len:
            line.setPlaceholderText(self.tr("up to %1 characters").replace("%1", str(p.max_len)))
        self._getters[name] = line.text
        line.textChanged.connect(lambda _t: self._commit(name))
        return line

    def variable_names(self) -> list[str]:
        return [v.name for v in self.flow.variables]

    def set_flow_choices(self, flows: Mapping[str, str]) -> None:
        """The flows a jump may start (id → name); the form is rebuilt to offer them."""
        self.flow_choices = dict(flows)
        if self.node_id:
            self.show_node(self.node_id)

    def target_choices(self, kind: str) -> list[tuple[str, str]]:
        """(value, label) pairs offered by a "node" or "flow" field."""
        if kind == "flow":
            return list(self.flow_choices.items())
        out: list[tuple[str, str]] = []
        for node in self.flow.nodes:
            if node.id == self.node_id:
                continue
            node_type = self.registry.find(node.type)
            title = self._title(node_type) if node_type else node.type
            summary = summary_of(node, node_type).replace("\n", " ").strip()
            if len(summary) > 28:
                summary = summary[:27] + "…"
            out.append(
                (node.id, f"{title}: {summary} ({node.id})" if summary else f"{title} ({node.id})")
            )
        return out

    def _make_combo(self, p: Param, value: Any) -> QComboBox:
        name = p.name
        combo = QComboBox()
        current = value if isinstance(value, str) else ""
        if p.kind == "variable":
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(self.variable_names())
            combo.setEditText(current)
            combo.setToolTip(self.tr("A declared variable, or type a new name"))
            self._getters[name] = lambda: combo.currentText().strip()
            combo.editTextChanged.connect(lambda _t: self._commit(name))
            return combo
        combo.addItem(self.tr("— none —"), "")
        for key, label in self.target_choices(p.kind):
            combo.addItem(label, key)
        index = combo.findData(current)
        if current and index < 0:  # a dangling target: keep it, marked
            missing = (
                self.tr("Missing node “%1”") if p.kind == "node" else self.tr("Missing flow “%1”")
            )
            combo.addItem("⚠ " + missing.replace("%1", current), current)
            index = combo.count() - 1
            combo.setItemData(index, QColor(ERROR_COLOR), Qt.ItemDataRole.ForegroundRole)
            combo.setStyleSheet(f"QComboBox {{ color: {ERROR_COLOR}; }}")
            combo.setProperty("missing", True)
        combo.setCurrentIndex(max(0, index))
        self._getters[name] = combo.currentData
        combo.currentIndexChanged.connect(lambda _i: self._commit(name))
        return combo

    # -- committing ----------------------------------------------------------------------------------

    def _commit(self, name: str) -> None:
        if not self.node_id or not self.flow.has_node(self.node_id):
            return
        node = self.flow.node(self.node_id)
        value = self._getters[name]()
        config = dict(node.config)
        if config.get(name) == value:
            return
        config[name] = value
        self._committing = True
        try:
            self.stack.push(EditConfig(self.flow, self.node_id, config, field=name))
        finally:
            self._committing = False
        node_type = self.registry.find(node.type)
        if node_type is not None:
            effective = self._effective(self.flow.node(self.node_id), node_type)
            applies = [p.name for p in node_type.params if p.applies(effective)]
            if applies != self._applies:
                self.show_node(self.node_id)

    def set_field(self, name: str, value: Any) -> None:
        """Set a field as if typed (tests, simple automation)."""
        widget = self.fields[name]
        if isinstance(widget, QLineEdit):
            widget.setText(str(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText("\n".join(value) if isinstance(value, list) else str(value))
        elif isinstance(widget, QSpinBox | QDoubleSpinBox):
            widget.setValue(value)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox) and widget.isEditable():
            widget.setEditText(str(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, ItemTable):
            widget.set_items(value)
            self._commit(name)

    def _on_config_changed(self, node: Node, _old: dict[str, Any]) -> None:
        if node.id == self.node_id and not self._committing:
            self.show_node(node.id)

    def _on_removed(self, node: Node, _index: int) -> None:
        if node.id == self.node_id:
            self.show_node("")
        elif self._shows_targets():
            self.show_node(self.node_id)

    def _on_added(self, _node: Node, _index: int) -> None:
        if self._shows_targets():
            self.show_node(self.node_id)

    def _shows_targets(self) -> bool:
        node = self.flow.get(self.node_id) if self.node_id else None
        return node is not None and node.type == "jump"

    def _on_variables_changed(self) -> None:
        if self.node_id and not self._committing:
            node_type = self.registry.find(self.flow.node(self.node_id).type)
            if node_type is not None and any(p.kind == "variable" for p in node_type.params):
                self.show_node(self.node_id)
