"""`BotForm`: the inline panel of the Bots page that creates a bot or edits one (name, number,
flow, priority; the triggers of the chosen flow are shown with a button that opens them in the
flow editor — triggers are trigger nodes of the flow, published with it; late messages: the age
above which a message that arrives late — wadesk was offline — neither starts nor advances the
bot, or "answer them anyway").

The form only collects values; the page sends them to the engine's bot commands and shows the
engine's refusal in the form's own message line (`show_error`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from wadesk.engine.bots.models import DEFAULT_STALE_AFTER, Bot, BotSettings

MAX_PRIORITY = 1000
MAX_STALE_MINUTES = 7 * 24 * 60


@dataclass(frozen=True, slots=True)
class BotValues:
    name: str
    number_id: int
    flow_id: int
    priority: int
    settings: BotSettings = dataclasses.field(default_factory=BotSettings)


class BotForm(QFrame):
    """Signals: `submitted()` (Create / Save clicked), `cancelled()`, `triggers_requested(int)`
    (the flow id whose triggers the user wants to edit)."""

    submitted = Signal()
    cancelled = Signal()
    triggers_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NewBotBox")  # themed in wadesk.qss
        self.bot_id: int | None = None  # None: creating
        self._triggers: dict[int, str] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 10)
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: 600;")
        grid.addWidget(self.heading, 0, 0, 1, 4)
        self.name_label = QLabel(self)
        self.number_label = QLabel(self)
        self.flow_label = QLabel(self)
        self.priority_label = QLabel(self)
        self.name = QLineEdit(self)
        self.number = QComboBox(self)
        self.flow = QComboBox(self)
        self.priority = QSpinBox(self)
        self.priority.setRange(-MAX_PRIORITY, MAX_PRIORITY)
        for col, (label, field) in enumerate(
            (
                (self.name_label, self.name),
                (self.number_label, self.number),
                (self.flow_label, self.flow),
                (self.priority_label, self.priority),
            )
        ):
            grid.addWidget(label, 1, col)
            grid.addWidget(field, 2, col)
            grid.setColumnStretch(col, 0 if field is self.priority else 1)
        trig = QHBoxLayout()
        self.triggers_label = QLabel(self)
        self.triggers_label.setWordWrap(True)
        self.triggers_label.setObjectName("Hint")
        self.triggers_button = QPushButton(self)
        trig.addWidget(self.triggers_label, 1)
        trig.addWidget(self.triggers_button)
        grid.addLayout(trig, 3, 0, 1, 4)
        late = QHBoxLayout()
        self.stale_label = QLabel(self)
        self.stale_minutes = QSpinBox(self)
        self.stale_minutes.setRange(1, MAX_STALE_MINUTES)
        self.process_stale = QCheckBox(self)
        self.process_stale.toggled.connect(lambda on: self.stale_minutes.setEnabled(not on))
        late.addWidget(self.stale_label)
        late.addWidget(self.stale_minutes)
        late.addSpacing(12)
        late.addWidget(self.process_stale)
        late.addStretch(1)
        grid.addLayout(late, 4, 0, 1, 4)
        self._bubble_delay: float | None = None  # kept as it was when editing
        self.error = QLabel(self)
        self.error.setObjectName("BotFormError")  # themed in wadesk.qss
        self.error.setWordWrap(True)
        self.error.hide()
        grid.addWidget(self.error, 5, 0, 1, 4)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        grid.addLayout(buttons, 6, 0, 1, 4)
        self.save_button.clicked.connect(self.submitted)
        self.cancel_button.clicked.connect(self._cancel)
        self.name.returnPressed.connect(self.submitted)
        self.flow.currentIndexChanged.connect(lambda _i: self._show_triggers())
        self.triggers_button.clicked.connect(self._triggers_clicked)
        self.retranslate()

    def retranslate(self) -> None:
        editing = self.bot_id is not None
        self.heading.setText(self.tr("Edit bot") if editing else self.tr("New bot"))
        self.name_label.setText(self.tr("Name"))
        self.number_label.setText(self.tr("Number"))
        self.flow_label.setText(self.tr("Flow"))
        self.priority_label.setText(self.tr("Priority"))
        self.priority.setToolTip(
            self.tr("When several bots on a number match a message, the highest priority wins.")
        )
        self.name.setPlaceholderText(self.tr("Bot name"))
        self.save_button.setText(self.tr("Save") if editing else self.tr("Create"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.triggers_button.setText(self.tr("Edit triggers…"))
        self.stale_label.setText(self.tr("Ignore messages that arrive later than"))
        self.stale_minutes.setSuffix(self.tr(" min"))
        self.process_stale.setText(self.tr("Answer late messages too"))
        late = self.tr(
            "Messages sent while wadesk was offline arrive late; older ones are kept in the "
            "inbox but neither start nor continue the bot."
        )
        for widget in (self.stale_label, self.stale_minutes, self.process_stale):
            widget.setToolTip(late)
        self._show_triggers()

    # -- filling -----------------------------------------------------------------------------------

    def set_choices(
        self,
        numbers: Mapping[int, str],
        flows: Mapping[int, str],
        triggers: Mapping[int, str] | None = None,
    ) -> None:
        """The numbers and flows to choose from (id → label) and each flow's triggers text."""
        number, flow = self.number.currentData(), self.flow.currentData()
        self._triggers = dict(triggers or {})
        self.number.blockSignals(True)
        self.flow.blockSignals(True)
        self.number.clear()
        for nid, label in numbers.items():
            self.number.addItem(label, nid)
        self.flow.clear()
        for fid, name in flows.items():
            self.flow.addItem(name, fid)
        self._select(self.number, number)
        self._select(self.flow, flow)
        self.number.blockSignals(False)
        self.flow.blockSignals(False)
        self._show_triggers()

    def start_create(self) -> None:
        self.bot_id = None
        self.name.clear()
        self.priority.setValue(0)
        self._show_settings(BotSettings())
        self.show_error("")
        self.retranslate()
        self.show()
        self.name.setFocus()

    def start_edit(self, bot: Bot) -> None:
        self.bot_id = bot.id
        self.name.setText(bot.name)
        self._select(self.number, bot.number_id)
        self._select(self.flow, bot.flow_id)
        self.priority.setValue(bot.priority)
        self._show_settings(bot.settings)
        self.show_error("")
        self.retranslate()
        self.show()
        self.name.setFocus()

    def _show_settings(self, settings: BotSettings) -> None:
        minutes = round((settings.stale_after or DEFAULT_STALE_AFTER) / 60)
        self.stale_minutes.setValue(max(1, min(MAX_STALE_MINUTES, minutes)))
        self.process_stale.setChecked(settings.process_stale)
        self.stale_minutes.setEnabled(not settings.process_stale)
        self._bubble_delay = settings.bubble_delay

    def settings(self) -> BotSettings:
        return BotSettings(
            stale_after=self.stale_minutes.value() * 60.0,
            process_stale=self.process_stale.isChecked(),
            bubble_delay=self._bubble_delay,
        )

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value) if value is not None else -1
        if index >= 0:
            combo.setCurrentIndex(index)

    def _show_triggers(self) -> None:
        fid = self.flow.currentData()
        text = self._triggers.get(int(fid), "") if fid is not None else ""
        self.triggers_label.setText(
            self.tr("Triggers: %1").replace("%1", text)
            if text
            else self.tr("Triggers: none published yet")
        )
        self.triggers_button.setEnabled(fid is not None)

    def _triggers_clicked(self) -> None:
        fid = self.flow.currentData()
        if fid is not None:
            self.triggers_requested.emit(int(fid))

    def _cancel(self) -> None:
        self.hide()
        self.cancelled.emit()

    # -- values ------------------------------------------------------------------------------------

    def values(self) -> BotValues | None:
        """name, number_id, flow_id, priority, settings — or None (with the reason shown) if
        incomplete."""
        name = self.name.text().strip()
        number_id = self.number.currentData()
        flow_id = self.flow.currentData()
        if not name or number_id is None or flow_id is None:
            self.show_error(self.tr("Give the bot a name and choose a number and a flow."))
            return None
        return BotValues(name, int(number_id), int(flow_id), self.priority.value(), self.settings())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
