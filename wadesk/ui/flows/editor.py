"""`FlowEditor`: the whole editor for one flow draft — toolbar (undo/redo, fit, auto-layout,
snap, validate, save, publish, simulator), palette, canvas, inspector, problems list and the
simulator pane. Dirty state comes from the undo stack's clean state. Saving and publishing are
requests (`save_requested`, `publish_requested`) the Bots page carries out through the engine;
`publish()` validates first and refuses (showing the problems, selecting the node) on errors.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from wadesk.flow import Flow, Problem, Registry, default_registry, validate
from wadesk.ui.flows import clipboard
from wadesk.ui.flows.commands import Disconnect as DisconnectCmd
from wadesk.ui.flows.commands import MoveNodes, Paste, RemoveNodes
from wadesk.ui.flows.inspector import Inspector
from wadesk.ui.flows.interactions import AddNodePopup, add_node_at
from wadesk.ui.flows.layout import auto_layout
from wadesk.ui.flows.palette import Palette
from wadesk.ui.flows.problems import ProblemsList
from wadesk.ui.flows.scene import FlowScene
from wadesk.ui.flows.simulator import Simulator
from wadesk.ui.flows.variables import VariablesPanel
from wadesk.ui.flows.view import FlowView

VALIDATE_DELAY_MS = 250


def show_flow_message(label: QLabel, text: str, kind: str = "info") -> None:
    """Show `text` in a `FlowMessage` label as info or error (colours from the theme's style
    sheet, so they follow light and dark); hide the label when `text` is empty."""
    kind = kind if kind in ("info", "error") else "info"
    if label.property("kind") != kind:
        label.setProperty("kind", kind)
        label.style().unpolish(label)
        label.style().polish(label)
    label.setText(text)
    label.setVisible(bool(text))


class FlowEditor(QWidget):
    """Signals: `dirty_changed(bool)`, `save_requested()`, `publish_requested()`."""

    dirty_changed = Signal(bool)
    save_requested = Signal()
    publish_requested = Signal()

    def __init__(
        self,
        flow: Flow | None = None,
        registry: Registry | None = None,
        *,
        lang: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("FlowEditor")
        if lang is None:
            from wadesk.ui.setup.common import ui_language

            lang = ui_language()
        self.lang = lang
        self.registry = registry or default_registry()
        self.stack = QUndoStack(self)
        self.stack.cleanChanged.connect(self._on_clean_changed)
        self._flow = flow or Flow("draft", "Draft")
        self.problems: list[Problem] = []
        self.known_flows: frozenset[str] | None = None  # ids of the flows that exist (jumps)
        self._unsubscribe_flow: list[object] = []
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate)
        self.popup: AddNodePopup | None = None
        self._build()
        self.set_flow(self._flow)
        self.retranslate()

    # -- layout ------------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("FlowToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        outer.addWidget(self.toolbar)

        self.undo_action = self.stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.stack.createRedoAction(self)
        self.redo_action.setShortcuts(  # StandardKey.Redo alone is only Ctrl+Y on Linux
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
        )
        self.fit_action = QAction(self)
        self.fit_action.setShortcut(QKeySequence("Ctrl+0"))
        self.layout_action = QAction(self)
        self.snap_action = QAction(self)
        self.snap_action.setCheckable(True)
        self.validate_action = QAction(self)
        self.save_action = QAction(self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.publish_action = QAction(self)
        self.simulator_action = QAction(self)
        self.simulator_action.setCheckable(True)
        self.variables_action = QAction(self)
        self.delete_action = QAction(self)
        self.delete_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence(Qt.Key.Key_Backspace)]
        )
        self.copy_action = QAction(self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.cut_action = QAction(self)
        self.cut_action.setShortcut(QKeySequence.StandardKey.Cut)
        self.paste_action = QAction(self)
        self.paste_action.setShortcut(QKeySequence.StandardKey.Paste)
        self.duplicate_action = QAction(self)
        self.duplicate_action.setShortcut(QKeySequence("Ctrl+D"))
        self.select_all_action = QAction(self)
        self.select_all_action.setShortcut(QKeySequence.StandardKey.SelectAll)
        for action in (self.undo_action, self.redo_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.fit_action, self.layout_action, self.snap_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.validate_action, self.variables_action, self.simulator_action):
            self.toolbar.addAction(action)
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.state_label = QLabel(self.toolbar)
        self.state_label.setObjectName("FlowState")
        self.state_label.setObjectName("Hint")
        self.state_label.setContentsMargins(8, 0, 8, 0)
        self.toolbar.addWidget(self.state_label)
        self.toolbar.addAction(self.save_action)
        self.toolbar.addAction(self.publish_action)
        for action in (
            self.delete_action,
            self.copy_action,
            self.cut_action,
            self.paste_action,
            self.duplicate_action,
            self.select_all_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        for action in (self.undo_action, self.redo_action, self.save_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)  # in the toolbar only, the shortcut needs the toolbar's focus

        self.message = QLabel(self)
        self.message.setObjectName("FlowMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(self.splitter, 1)
        self.palette = Palette(self.registry, self.lang, self.splitter)
        self.view = FlowView(self.splitter)
        right = QSplitter(Qt.Orientation.Vertical, self.splitter)
        self.inspector = Inspector(self._flow, self.registry, self.stack, self.lang, right)
        self.side_tabs = QTabWidget(right)
        self.side_tabs.setDocumentMode(True)
        problems_box = QWidget(self.side_tabs)
        pl = QVBoxLayout(problems_box)
        pl.setContentsMargins(0, 4, 0, 0)
        self.problems_title = QLabel(problems_box)
        self.problems_title.setStyleSheet("font-weight: 600; padding: 2px 6px;")
        pl.addWidget(self.problems_title)
        self.problems_list = ProblemsList(self.lang, problems_box)
        pl.addWidget(self.problems_list)
        self.side_tabs.addTab(problems_box, "")
        self.variables = VariablesPanel(self._flow, self.stack, self.side_tabs)
        self.side_tabs.addTab(self.variables, "")
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        self.simulator = Simulator(self.registry, self.lang, self.splitter)
        self.simulator.hide()
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([160, 760, 280, 340])

        self.fit_action.triggered.connect(self.view.fit_to_view)
        self.layout_action.triggered.connect(self.auto_layout)
        self.snap_action.toggled.connect(self._set_snap)
        self.validate_action.triggered.connect(self.validate)
        self.save_action.triggered.connect(self.save_requested)
        self.publish_action.triggered.connect(self.publish)
        self.simulator_action.toggled.connect(self.show_simulator)
        self.delete_action.triggered.connect(self.delete_selected)
        self.copy_action.triggered.connect(self.copy)
        self.cut_action.triggered.connect(self.cut)
        self.paste_action.triggered.connect(lambda: self.paste())  # not paste(checked)
        self.duplicate_action.triggered.connect(self.duplicate)
        self.select_all_action.triggered.connect(self.select_all)
        self.palette.type_activated.connect(self._add_at_center)
        self.problems_list.node_requested.connect(self.select_node)
        self.problems_list.variable_requested.connect(self.show_variables)
        self.variables_action.triggered.connect(lambda: self.show_variables(""))
        self.view.add_node_requested.connect(self.show_add_popup)
        self.simulator.current_node_changed.connect(self._on_sim_node)

    def _on_clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)
        self._update_state()

    def retranslate(self) -> None:
        self.fit_action.setText(self.tr("Fit"))
        self.fit_action.setToolTip(self.tr("Fit the whole flow in view (Ctrl+0)"))
        self.layout_action.setText(self.tr("Auto-layout"))
        self.snap_action.setText(self.tr("Snap to grid"))
        self.validate_action.setText(self.tr("Check"))
        self.save_action.setText(self.tr("Save draft"))
        self.publish_action.setText(self.tr("Publish"))
        self.simulator_action.setText(self.tr("Test in simulator"))
        self.variables_action.setText(self.tr("Variables"))
        self.variables_action.setToolTip(self.tr("Declare the flow's variables"))
        self.side_tabs.setTabText(0, self.tr("Problems"))
        self.side_tabs.setTabText(1, self.tr("Variables"))
        self.variables.retranslate()
        self.delete_action.setText(self.tr("Delete"))
        self.copy_action.setText(self.tr("Copy"))
        self.cut_action.setText(self.tr("Cut"))
        self.paste_action.setText(self.tr("Paste"))
        self.duplicate_action.setText(self.tr("Duplicate"))
        self.select_all_action.setText(self.tr("Select all"))
        self.undo_action.setText(self.tr("Undo"))
        self.redo_action.setText(self.tr("Redo"))
        self._update_state()

    # -- document ----------------------------------------------------------------------------------

    @property
    def flow(self) -> Flow:
        return self._flow

    @property
    def scene(self) -> FlowScene:
        return self._scene

    @property
    def dirty(self) -> bool:
        return not self.stack.isClean()

    def set_flow(self, flow: Flow) -> None:
        """Edit `flow` (a fresh undo history, clean)."""
        old = getattr(self, "_scene", None)
        for unsubscribe in self._unsubscribe_flow:
            unsubscribe()  # type: ignore[operator]
        self.stack.clear()
        self._flow = flow
        self._scene = FlowScene(flow, self.registry, self.stack, self.lang)
        self._scene.setParent(self)
        self._scene.snap_to_grid = self.snap_action.isChecked()
        self._scene.node_selected.connect(self.inspector.show_node)
        self.view.setScene(self._scene)
        if old is not None:
            old.detach()
            old.deleteLater()
        self.inspector.set_flow(flow)
        self.variables.set_flow(flow)
        self._unsubscribe_flow = [
            flow.flow_changed.connect(self._validate_timer.start),
            flow.flow_changed.connect(self.view.minimap.invalidate),
        ]
        self.simulator.set_flow(flow)
        self.view.minimap.invalidate()
        self.stack.setClean()
        self.validate()
        QTimer.singleShot(0, self.view, self.view.fit_to_view)
        self._update_state()

    def mark_saved(self) -> None:
        self.stack.setClean()
        self._update_state()

    def _update_state(self) -> None:
        errors = sum(1 for p in self.problems if p.severity == "error")
        parts = [self.tr("Unsaved changes") if self.dirty else self.tr("Saved")]
        if errors:
            parts.append(self.tr("%n problem(s)", "", errors))
        self.state_label.setText(" · ".join(parts))

    def show_message(self, text: str, kind: str = "info") -> None:
        show_flow_message(self.message, text, kind)

    # -- validation / publish ----------------------------------------------------------------------

    def validate(self) -> list[Problem]:
        self._validate_timer.stop()
        self.problems = validate(self._flow, self.registry, flows=self.known_flows)
        self._scene.set_problems(self.problems)
        self.problems_list.set_problems(self.problems)
        errors = sum(1 for p in self.problems if p.severity == "error")
        warnings = len(self.problems) - errors
        self.problems_title.setText(
            self.tr("Problems: %1 errors, %2 warnings")
            .replace("%1", str(errors))
            .replace("%2", str(warnings))
        )
        self._update_state()
        return self.problems

    def set_flow_choices(
        self, others: Mapping[str, str], known: Collection[str] | None = None
    ) -> None:
        """The flows a jump may start (id → name, without this one) and the ids of every flow
        that exists (a jump to another id is flagged as missing); re-validates."""
        self.known_flows = frozenset(known) if known is not None else None
        self.inspector.set_flow_choices(others)
        self.validate()

    def show_variables(self, name: str = "") -> None:
        """Show the Variables tab; with `name` (an undefined variable) offer to declare it."""
        self.side_tabs.setCurrentWidget(self.variables)
        self.variables.offer(name)

    def show_problems(self, problems: list[Problem], heading: str) -> None:
        """Show `problems` (e.g. returned by the engine), select the first node with one."""
        self.problems_list.set_problems(problems)
        self.show_message(heading, "error")
        first = next((p.node_id for p in problems if p.node_id), None)
        if first:
            self.select_node(first)

    def publish(self) -> bool:
        """Validate; with errors refuse (problems shown, node selected), else request publish."""
        errors = [p for p in self.validate() if p.severity == "error"]
        if errors:
            self.show_problems(
                errors,
                self.tr("Publishing is blocked: fix %n problem(s) first.", "", len(errors)),
            )
            return False
        self.show_message("")
        self.publish_requested.emit()
        return True

    # -- selection and editing ---------------------------------------------------------------------

    def select_node(self, node_id: str) -> None:
        item = self._scene.node_item(node_id)
        if item is None:
            return
        self._scene.select_nodes([node_id])
        self.view.centerOn(item)
        self.inspector.show_node(node_id)

    def select_all(self) -> None:
        self._scene.select_nodes(n.id for n in self._flow.nodes)

    def delete_selected(self) -> None:
        ids = self._scene.selected_node_ids()
        edges = [e for e in self._scene.selected_edges() if e.source not in ids]
        if not ids and not edges:
            return
        self.stack.beginMacro(self.tr("Delete"))
        for e in edges:
            self.stack.push(DisconnectCmd(self._flow, e.source, e.handle))
        if ids:
            self.stack.push(RemoveNodes(self._flow, ids))
        self.stack.endMacro()

    def copy(self) -> bool:
        return clipboard.copy_to_clipboard(self._flow, self._scene.selected_node_ids())

    def cut(self) -> None:
        if self.copy():
            self.delete_selected()

    def paste(self, offset: tuple[float, float] = (40.0, 40.0)) -> list[str]:
        data = clipboard.read_clipboard()
        if data is None:
            return []
        return self._paste(data, offset)

    def duplicate(self) -> list[str]:
        ids = self._scene.selected_node_ids()
        if not ids:
            return []
        return self._paste(clipboard.fragment(self._flow, ids), (40.0, 40.0))

    def _paste(self, data: dict[str, object], offset: tuple[float, float]) -> list[str]:
        nodes, edges = clipboard.instantiate(self._flow, self.registry, data, offset)  # type: ignore[arg-type]
        if not nodes:
            return []
        self.stack.push(Paste(self._flow, nodes, edges))
        ids = [n.id for n in nodes]
        self._scene.select_nodes(ids)
        self._scene.update_scene_rect()
        return ids

    def auto_layout(self) -> None:
        heights = {i.node_id: i.height for i in self._scene.node_items()}
        positions = auto_layout(self._flow, self.registry, heights)
        old = {nid: self._flow.node(nid).position for nid in positions}
        new = {nid: pos for nid, pos in positions.items() if pos != old[nid]}
        if new:
            self.stack.push(
                MoveNodes(self._flow, {k: old[k] for k in new}, new, self.tr("Auto-layout"))
            )
        self._scene.update_scene_rect()
        self.view.fit_to_view()

    def _set_snap(self, on: bool) -> None:
        self._scene.snap_to_grid = on

    def add_node(self, type_name: str, pos: QPointF) -> str:
        node = add_node_at(self._scene, type_name, pos)
        self._scene.select_nodes([node.id])
        return node.id

    def _add_at_center(self, type_name: str) -> None:
        center = self.view.mapToScene(self.view.viewport().rect().center())
        self.add_node(type_name, center)

    def show_add_popup(self, scene_pos: QPointF) -> AddNodePopup:
        popup = AddNodePopup(self.registry, self.lang, self)
        popup.chosen.connect(lambda name: self.add_node(name, scene_pos))
        global_pos = self.view.viewport().mapToGlobal(self.view.mapFromScene(scene_pos))
        popup.move(global_pos)
        popup.show()
        popup.search.setFocus()
        self.popup = popup
        return popup

    # -- simulator ---------------------------------------------------------------------------------

    def show_simulator(self, on: bool) -> None:
        if self.simulator_action.isChecked() != on:
            self.simulator_action.setChecked(on)
            return
        self.simulator.setVisible(on)
        if on:
            self.simulator.restart()
        else:
            self._scene.highlight(None)

    def _on_sim_node(self, node_id: str) -> None:
        self._scene.highlight(node_id or None)
        item = self._scene.node_item(node_id) if node_id else None
        if item is not None:
            self.view.ensureVisible(item, 40, 40)

    def shutdown(self) -> None:
        self._validate_timer.stop()
        self.variables.detach()
        self.simulator.shutdown()
        self._scene.detach()
