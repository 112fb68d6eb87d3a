"""Readable, translated titles for the values of the registry's "choice" parameters (a trigger's
kind, a question's validation, a condition's operator…): the flow document keeps the stored
value ("new_contact", "ge"), the inspector shows "First message from a new contact" / "Первое
сообщение нового контакта". `ChoiceDelegate` does the same for choice columns of item tables
(a condition's rules and cases): the cell keeps the value, shows its title and is edited with
a combo of the titles."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
)
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget


class ChoiceTitles(QObject):
    """`title(param, value)`: the title of a stored choice value in the UI language (the value
    itself when it has none, e.g. HTTP methods)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._titles: dict[tuple[str, str], str] | None = None

    def _table(self) -> dict[tuple[str, str], str]:
        return {
            ("kind", "any"): self.tr("Any message"),
            ("kind", "keyword"): self.tr("Keyword"),
            ("kind", "regex"): self.tr("Regular expression"),
            ("kind", "new_contact"): self.tr("First message from a new contact"),
            ("kind", "button_payload"): self.tr("Button payload"),
            ("kind", "manual"): self.tr("Only by a jump from another flow"),
            ("match", "exact"): self.tr("The whole message"),
            ("match", "contains"): self.tr("Anywhere in the message"),
            ("match", "starts_with"): self.tr("At the start of the message"),
            ("media_kind", "image"): self.tr("Image"),
            ("media_kind", "video"): self.tr("Video"),
            ("media_kind", "audio"): self.tr("Audio"),
            ("media_kind", "document"): self.tr("Document"),
            ("media_kind", "sticker"): self.tr("Sticker"),
            ("validate", "text"): self.tr("Any text"),
            ("validate", "number"): self.tr("Number"),
            ("validate", "email"): self.tr("Email"),
            ("validate", "phone"): self.tr("Phone number"),
            ("validate", "date"): self.tr("Date"),
            ("validate", "regex"): self.tr("Regular expression"),
            ("validate", "one_of"): self.tr("One of the options"),
            ("mode", "if"): self.tr("If / otherwise"),
            ("mode", "cases"): self.tr("Cases"),
            ("mode", "business_hours"): self.tr("Business hours"),
            ("op", "eq"): self.tr("equals"),
            ("op", "ne"): self.tr("does not equal"),
            ("op", "contains"): self.tr("contains"),
            ("op", "not_contains"): self.tr("does not contain"),
            ("op", "starts_with"): self.tr("starts with"),
            ("op", "gt"): self.tr("greater than"),
            ("op", "ge"): self.tr("at least"),
            ("op", "lt"): self.tr("less than"),
            ("op", "le"): self.tr("at most"),
            ("op", "regex"): self.tr("matches the regular expression"),
            ("op", "is_set"): self.tr("is set"),
            ("op", "is_empty"): self.tr("is empty"),
            ("join", "all"): self.tr("All rules"),
            ("join", "any"): self.tr("Any rule"),
            ("action", "add"): self.tr("Add the label"),
            ("action", "remove"): self.tr("Remove the label"),
        }

    def title(self, param: str, value: str) -> str:
        if self._titles is None:
            self._titles = self._table()
        return self._titles.get((param, value), value)

    def retranslate(self) -> None:
        self._titles = None


class ChoiceDelegate(QStyledItemDelegate):
    """A table column holding one of `choices`: shows titles, edits with a combo of them."""

    def __init__(
        self, param: str, choices: tuple[str, ...], titles: ChoiceTitles, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._param = param
        self._choices = choices
        self._titles = titles

    def displayText(self, value: object, locale: QLocale) -> str:
        return self._titles.title(self._param, str(value or ""))

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        for choice in self._choices:
            combo.addItem(self._titles.title(self._param, choice), choice)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(str(index.data() or ""))))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, str(editor.currentData() or ""))
