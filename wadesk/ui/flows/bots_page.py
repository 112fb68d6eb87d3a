"""The Bots page: the bots table (number, flow, triggers, on/off, published revision, today's
counts; switching on a bot whose flow has problems is refused with the list) and the flow
workspace (flow list with revisions + the visual editor with its simulator). Everything goes
through the engine's bot commands (`engine.bots`, see `wadesk.engine.bots.commands`); the
slots spawn coroutines, and the coroutines are public so tests can await them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wadesk.engine.bots.models import Bot, BotError, BotSettings
from wadesk.flow import Flow, Problem
from wadesk.ui.flows.bot_form import BotForm
from wadesk.ui.flows.bots_model import BotRow, BotsModel
from wadesk.ui.flows.editor import FlowEditor, show_flow_message
from wadesk.ui.flows.flow_list import FlowList
from wadesk.ui.flows.items import summary_of
from wadesk.ui.setup.common import ui_language
from wadesk.ui.tasks import Tasks

if TYPE_CHECKING:
    from wadesk.engine.service import Engine

log = logging.getLogger("wadesk.ui.bots")


class BotsPage(QWidget):
    """Signals: `refreshed()` after the tables were reloaded (tests)."""

    refreshed = Signal()

    def __init__(self, engine: Engine | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BotsPage")
        self.engine = engine
        self.lang = ui_language()
        self.tasks = Tasks()
        self.flow_id: int | None = None
        self.numbers: dict[int, str] = {}
        self.flow_names: dict[int, str] = {}
        self.flow_triggers: dict[int, str] = {}
        self._refresh_generation = 0
        self._build()
        self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._supported():
            self.tasks.spawn(self._refresh_quietly())

    async def _refresh_quietly(self) -> None:
        try:
            await self.refresh()
        except Exception as exc:  # the engine may not be started yet; the next show retries
            log.info("Bots page not refreshed: %r", exc)

    def _supported(self) -> bool:
        return self.engine is not None and hasattr(self.engine, "bots")

    # -- layout ------------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)

        bots = QWidget(self.tabs)
        bl = QVBoxLayout(bots)
        bl.setContentsMargins(16, 12, 16, 12)
        self.title = QLabel(bots)
        self.title.setStyleSheet("font-size: 18px; font-weight: 600;")
        bl.addWidget(self.title)
        bar = QHBoxLayout()
        self.new_bot_button = QPushButton(bots)
        self.edit_bot_button = QPushButton(bots)
        self.active_button = QPushButton(bots)
        self.edit_flow_button = QPushButton(bots)
        self.delete_bot_button = QPushButton(bots)
        self.refresh_button = QPushButton(bots)
        for b in (
            self.new_bot_button,
            self.edit_bot_button,
            self.active_button,
            self.edit_flow_button,
            self.delete_bot_button,
            self.refresh_button,
        ):
            bar.addWidget(b)
        bar.addStretch(1)
        bl.addLayout(bar)

        self.bot_form = BotForm(bots)  # creates and edits bots
        self.new_bot_box = self.bot_form
        self.bot_name = self.bot_form.name
        self.bot_number = self.bot_form.number
        self.bot_flow = self.bot_form.flow
        self.bot_priority = self.bot_form.priority
        self.create_bot_button = self.bot_form.save_button
        self.cancel_bot_button = self.bot_form.cancel_button
        self.bot_form.hide()
        bl.addWidget(self.bot_form)

        self.model = BotsModel(self)
        self.table = QTableView(bots)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.edit_selected_flow())
        bl.addWidget(self.table, 1)
        self.message = QLabel(bots)
        self.message.setObjectName("FlowMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        bl.addWidget(self.message)
        self.tabs.addTab(bots, "")

        flows = QSplitter(Qt.Orientation.Horizontal, self.tabs)
        self.flow_list = FlowList(flows)
        self.editor = FlowEditor(lang=self.lang, parent=flows)
        self.editor.setEnabled(False)
        flows.setStretchFactor(1, 1)
        flows.setSizes([230, 1100])
        self.tabs.addTab(flows, "")

        self.new_bot_button.clicked.connect(self.show_new_bot)
        self.edit_bot_button.clicked.connect(self.show_edit_bot)
        self.bot_form.submitted.connect(self._bot_form_submitted)
        self.bot_form.triggers_requested.connect(self.edit_triggers)
        self.active_button.clicked.connect(self._toggle_active_clicked)
        self.edit_flow_button.clicked.connect(self.edit_selected_flow)
        self.delete_bot_button.clicked.connect(self._delete_bot_clicked)
        self.refresh_button.clicked.connect(lambda: self.tasks.spawn(self.refresh()))
        fl = self.flow_list
        fl.flow_selected.connect(lambda fid: self.tasks.spawn(self.open_flow(fid)))
        fl.create_requested.connect(lambda: self.tasks.spawn(self.create_flow()))
        fl.rename_requested.connect(lambda fid, n: self.tasks.spawn(self.rename_flow(fid, n)))
        fl.duplicate_requested.connect(lambda fid: self.tasks.spawn(self.duplicate_flow(fid)))
        fl.delete_requested.connect(lambda fid: self.tasks.spawn(self.delete_flow(fid)))
        fl.import_requested.connect(lambda p: self.tasks.spawn(self.import_flow(Path(p))))
        fl.export_requested.connect(lambda fid, p: self.tasks.spawn(self.export_flow(fid, Path(p))))
        fl.rollback_requested.connect(lambda rid: self.tasks.spawn(self.rollback(rid)))
        self.editor.save_requested.connect(lambda: self.tasks.spawn(self.save()))
        self.editor.publish_requested.connect(lambda: self.tasks.spawn(self.publish()))

    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Bots"))
        self.tabs.setTabText(1, self.tr("Flows"))
        self.title.setText(self.tr("Bots"))
        self.new_bot_button.setText(self.tr("New bot"))
        self.edit_bot_button.setText(self.tr("Edit bot…"))
        self.edit_flow_button.setText(self.tr("Edit flow"))
        self.delete_bot_button.setText(self.tr("Delete"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.bot_form.retranslate()
        self._update_buttons()

    def show_message(self, text: str, kind: str = "info") -> None:
        show_flow_message(self.message, text, kind)

    def problem_lines(self, problems: tuple[Problem, ...] | list[Problem]) -> str:
        lines = []
        for p in problems:
            text = p.message_ru if self.lang == "ru" else p.message_en
            lines.append(f"• {p.node_id}: {text}" if p.node_id else f"• {text}")
        return "\n".join(lines)

    # -- bots --------------------------------------------------------------------------------------

    def selected_bot(self) -> Bot | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        return row.bot if row is not None else None

    def select_bot(self, bot_id: int) -> None:
        row = self.model.row_of(bot_id)
        if row >= 0:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        bot = self.selected_bot()
        buttons = (
            self.edit_bot_button,
            self.active_button,
            self.edit_flow_button,
            self.delete_bot_button,
        )
        for b in buttons:
            b.setEnabled(bot is not None)
        on = bot is not None and bot.active
        self.active_button.setText(self.tr("Switch off") if on else self.tr("Switch on"))

    async def refresh(self) -> None:
        """Reload bots, flows and numbers. Refreshes may overlap (a button, a show event, an
        action's own); one that finishes after a newer one started drops what it read, so an
        older snapshot (a flow deleted since) never overwrites a newer one."""
        engine = self.engine
        if engine is None:
            return
        self._refresh_generation += 1
        generation = self._refresh_generation
        cmds = engine.bots
        flows = await cmds.flows()
        numbers = await engine.list_numbers()
        bots = await cmds.bots()
        number_labels = {n.id: n.label for n in numbers if n.id is not None}
        flow_names = {f.id: f.name for f in flows}
        flow_triggers: dict[int, str] = {}
        for info in flows:  # the triggers each flow's latest revision runs on
            if info.latest_revision is not None:
                latest = (await cmds.revisions(info.id))[0]
                _rev, published = await cmds.revision(latest.id)
                flow_triggers[info.id] = self.triggers_text(published)
        rows = []
        for bot in bots:
            triggers = ""
            if bot.published_revision_id is not None:
                _rev, published = await cmds.revision(bot.published_revision_id)
                triggers = self.triggers_text(published)
            stats = await cmds.bot_stats(bot.id)
            rows.append(
                BotRow(
                    bot,
                    number=number_labels.get(bot.number_id, str(bot.number_id)),
                    flow=flow_names.get(bot.flow_id, str(bot.flow_id)),
                    triggers=triggers,
                    stats=stats,
                )
            )
        if generation != self._refresh_generation:
            return  # a newer refresh has started: it shows what is current
        self.numbers, self.flow_names, self.flow_triggers = number_labels, flow_names, flow_triggers
        selected = self.selected_bot()
        self.model.set_rows(rows)
        if selected is not None:
            self.select_bot(selected.id)
        self.flow_list.set_flows(flows, select=self.flow_id)
        self._update_flow_choices()
        self._fill_new_bot_choices()
        self._update_buttons()
        self.refreshed.emit()

    def triggers_text(self, flow: Flow) -> str:
        registry = self.editor.registry
        return "; ".join(summary_of(t, registry.find("trigger")) for t in flow.triggers)

    def _fill_new_bot_choices(self) -> None:
        self.bot_form.set_choices(self.numbers, self.flow_names, self.flow_triggers)

    def show_new_bot(self) -> None:
        self._fill_new_bot_choices()
        self.bot_form.start_create()

    def show_edit_bot(self) -> None:
        """Open the form on the selected bot (name, number, flow, priority; triggers)."""
        bot = self.selected_bot()
        if bot is None:
            return
        self._fill_new_bot_choices()
        self.bot_form.start_edit(bot)

    def _bot_form_submitted(self) -> None:
        values = self.bot_form.values()
        if values is None:
            return
        v = values
        if self.bot_form.bot_id is None:
            self.tasks.spawn(
                self.create_bot(v.name, v.number_id, v.flow_id, v.priority, v.settings)
            )
        else:
            self.tasks.spawn(
                self.edit_bot(
                    self.bot_form.bot_id,
                    name=v.name,
                    number_id=v.number_id,
                    flow_id=v.flow_id,
                    priority=v.priority,
                    settings=v.settings,
                )
            )

    async def edit_bot(
        self,
        bot_id: int,
        *,
        name: str,
        number_id: int,
        flow_id: int,
        priority: int,
        settings: BotSettings | None = None,
    ) -> Bot | None:
        """Save the form's values through `engine.bots.update_bot`; a refusal is shown in the
        form (which stays open) and returns None."""
        assert self.engine is not None
        try:
            values: dict[str, object] = {"settings": settings} if settings is not None else {}
            bot = await self.engine.bots.update_bot(
                bot_id,
                name=name,
                number_id=number_id,
                flow_id=flow_id,
                priority=priority,
                **values,
            )
        except BotError as exc:
            text = self.tr("The bot could not be saved: %1").replace("%1", str(exc))
            if exc.problems:
                text += "\n" + self.problem_lines(exc.problems)
            self.bot_form.show_error(text)
            return None
        self.bot_form.hide()
        self.show_message(self.tr("Bot “%1” saved.").replace("%1", bot.name))
        await self.refresh()
        self.select_bot(bot.id)
        return bot

    def edit_triggers(self, flow_id: int) -> None:
        """Open `flow_id` in the editor with its first trigger node selected."""
        self.tabs.setCurrentIndex(1)
        self.tasks.spawn(self._open_triggers(flow_id))

    async def _open_triggers(self, flow_id: int) -> None:
        await self.open_flow(flow_id)
        triggers = self.editor.flow.triggers
        if triggers:
            self.editor.select_node(triggers[0].id)

    async def create_bot(
        self,
        name: str,
        number_id: int,
        flow_id: int,
        priority: int = 0,
        settings: BotSettings | None = None,
    ) -> Bot | None:
        assert self.engine is not None
        try:
            bot = await self.engine.bots.create_bot(
                name, number_id=number_id, flow_id=flow_id, priority=priority, settings=settings
            )
        except BotError as exc:
            self.bot_form.show_error(
                self.tr("The bot could not be created: %1").replace("%1", str(exc))
            )
            return None
        self.bot_form.hide()
        self.bot_name.clear()
        self.show_message(
            self.tr("Bot “%1” created. Publish its flow, then switch it on.").replace("%1", name)
        )
        await self.refresh()
        self.select_bot(bot.id)
        return bot

    def _toggle_active_clicked(self) -> None:
        bot = self.selected_bot()
        if bot is not None:
            self.tasks.spawn(self.set_active(bot.id, not bot.active))

    async def set_active(self, bot_id: int, active: bool) -> bool:
        """Switch a bot on/off; refusal shows the problems of its published flow."""
        assert self.engine is not None
        try:
            bot = await self.engine.bots.set_bot_active(bot_id, active)
        except BotError as exc:
            if exc.problems:
                text = self.tr("This bot cannot be switched on: its published flow has problems.")
                self.show_message(f"{text}\n{self.problem_lines(exc.problems)}", "error")
            else:
                self.show_message(
                    self.tr("This bot cannot be switched on: publish its flow first."), "error"
                )
            return False
        self.show_message(
            (self.tr("“%1” is on.") if bot.active else self.tr("“%1” is off.")).replace(
                "%1", bot.name
            )
        )
        await self.refresh()
        return True

    def _delete_bot_clicked(self) -> None:
        bot = self.selected_bot()
        if bot is not None:
            self.tasks.spawn(self.delete_bot(bot.id))

    async def delete_bot(self, bot_id: int) -> None:
        assert self.engine is not None
        await self.engine.bots.delete_bot(bot_id)
        await self.refresh()

    def edit_selected_flow(self) -> None:
        bot = self.selected_bot()
        if bot is not None:
            self.tabs.setCurrentIndex(1)
            self.tasks.spawn(self.open_flow(bot.flow_id))

    # -- flows -------------------------------------------------------------------------------------

    async def open_flow(self, flow_id: int) -> None:
        assert self.engine is not None
        if flow_id == self.flow_id:
            return
        if self.flow_id is not None and self.editor.dirty:
            await self.save()
        draft = await self.engine.bots.draft(flow_id)
        self.flow_id = flow_id
        self.editor.set_flow(draft)
        if flow_id not in self.flow_names:
            self.flow_names = {f.id: f.name for f in await self.engine.bots.flows()}
        self._update_flow_choices()
        self.editor.setEnabled(True)
        self.editor.show_message("")
        self.flow_list.set_revisions(await self.engine.bots.revisions(flow_id))
        if self.flow_list.current_id() != flow_id:
            self.flow_list.set_flows(await self.engine.bots.flows(), select=flow_id)

    def _update_flow_choices(self) -> None:
        """Offer the other flows to the editor's jump nodes; every flow id counts as existing."""
        others = {str(fid): name for fid, name in self.flow_names.items() if fid != self.flow_id}
        self.editor.set_flow_choices(others, {str(fid) for fid in self.flow_names})

    async def save(self) -> bool:
        if self.engine is None or self.flow_id is None:
            return False
        await self.engine.bots.save_draft(self.flow_id, self.editor.flow)
        self.editor.mark_saved()
        return True

    async def publish(self) -> bool:
        """Save the draft and publish it; refused publishes show the problems in the editor."""
        if self.engine is None or self.flow_id is None:
            return False
        await self.save()
        self.editor.validate()
        try:
            rev, problems = await self.engine.bots.publish(self.flow_id)
        except BotError as exc:
            self.editor.show_problems(
                list(exc.problems),
                self.tr("Publishing is blocked: fix %n problem(s) first.", "", len(exc.problems)),
            )
            return False
        text = self.tr("Published as revision %1.").replace("%1", str(rev.revision))
        if problems:
            text += " " + self.tr("%n warning(s) remain.", "", len(problems))
        self.editor.show_message(text)
        self.flow_list.set_revisions(await self.engine.bots.revisions(self.flow_id))
        await self.refresh()
        return True

    async def create_flow(self, name: str | None = None) -> int:
        assert self.engine is not None
        names = set(self.flow_names.values())
        if name is None:
            i = 1
            name = self.tr("New flow")
            while name in names:
                i += 1
                name = self.tr("New flow %1").replace("%1", str(i))
        info = await self.engine.bots.create_flow(name)
        await self.open_flow(info.id)
        await self.refresh()
        return info.id

    async def rename_flow(self, flow_id: int, name: str) -> None:
        assert self.engine is not None
        try:
            await self.engine.bots.rename_flow(flow_id, name)
        except BotError as exc:
            self.editor.show_message(str(exc), "error")
        if flow_id == self.flow_id:
            self.editor.flow.rename(name)
        await self.refresh()

    async def duplicate_flow(self, flow_id: int) -> int:
        assert self.engine is not None
        if flow_id == self.flow_id and self.editor.dirty:
            await self.save()
        info = await self.engine.bots.duplicate_flow(flow_id)
        await self.open_flow(info.id)
        await self.refresh()
        return info.id

    async def delete_flow(self, flow_id: int) -> bool:
        assert self.engine is not None
        try:
            await self.engine.bots.delete_flow(flow_id)
        except BotError as exc:
            self.editor.show_message(
                self.tr("The flow could not be deleted: %1").replace("%1", str(exc)), "error"
            )
            return False
        if flow_id == self.flow_id:
            self.flow_id = None
            self.editor.set_flow(Flow("draft"))
            self.editor.setEnabled(False)
        await self.refresh()
        return True

    async def import_flow(self, path: Path) -> int | None:
        assert self.engine is not None
        try:
            info = await self.engine.bots.import_flow(path)
        except BotError:
            self.editor.show_message(
                self.tr("%1 is not a wadesk flow file.").replace("%1", path.name), "error"
            )
            return None
        await self.open_flow(info.id)
        await self.refresh()
        return info.id

    async def export_flow(self, flow_id: int, path: Path) -> None:
        assert self.engine is not None
        if flow_id == self.flow_id and self.editor.dirty:
            await self.save()
        await self.engine.bots.export_flow(flow_id, path)
        self.editor.show_message(self.tr("Exported to %1.").replace("%1", str(path)))

    async def rollback(self, revision_id: int) -> None:
        assert self.engine is not None
        if self.flow_id is None:
            return
        flow_id = self.flow_id
        await self.engine.bots.rollback(flow_id, revision_id)
        self.flow_id = None
        await self.open_flow(flow_id)
        self.editor.show_message(self.tr("The draft now matches the chosen revision."))

    def shutdown(self) -> None:
        self.tasks.cancel_all()
        self.editor.shutdown()
