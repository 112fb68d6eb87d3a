"""The node palette: node types grouped by category; drag one onto the canvas (or double-click
to add it in the middle of the view: `type_activated(type_name)`)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from wadesk.flow import Registry
from wadesk.ui.flows.interactions import NODE_TYPE_MIME
from wadesk.ui.flows.items import TYPE_GLYPHS, category_color

TYPE_ROLE = Qt.ItemDataRole.UserRole


def type_icon(category: str, glyph: str, size: int = 22) -> QIcon:
    pix = QPixmap(size * 2, size * 2)
    pix.setDevicePixelRatio(2)
    pix.fill(QColor(0, 0, 0, 0))
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(category_color(category))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 6, 6)
    p.setPen(QColor("#FFFFFF"))
    font = p.font()
    font.setBold(True)
    font.setPointSizeF(size * 0.42)
    p.setFont(font)
    p.drawText(0, 0, size, size, Qt.AlignmentFlag.AlignCenter, glyph)
    p.end()
    return QIcon(pix)


class Palette(QTreeWidget):
    type_activated = Signal(str)

    def __init__(self, registry: Registry, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FlowPalette")
        self.registry = registry
        self.lang = lang
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setIconSize(QSize(22, 22))
        self.setIndentation(8)
        self.setRootIsDecorated(False)
        self.itemDoubleClicked.connect(self._on_double_click)
        self.rebuild()

    def category_title(self, category: str) -> str:
        titles = {
            "start": self.tr("Start"),
            "messages": self.tr("Messages"),
            "logic": self.tr("Logic"),
            "integrations": self.tr("Integrations"),
            "people": self.tr("People"),
        }
        return titles.get(category, category)

    def rebuild(self) -> None:
        self.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for t in self.registry:
            group = groups.get(t.category)
            if group is None:
                group = QTreeWidgetItem(self, [self.category_title(t.category)])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setForeground(0, QColor("#667781"))
                groups[t.category] = group
            title = t.title_ru if self.lang == "ru" else t.title_en
            item = QTreeWidgetItem(group, [title])
            item.setIcon(0, type_icon(t.category, TYPE_GLYPHS.get(t.name, "•")))
            item.setData(0, TYPE_ROLE, t.name)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
        self.expandAll()

    def item_for(self, type_name: str) -> QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            for j in range(group.childCount()):
                child = group.child(j)
                if child.data(0, TYPE_ROLE) == type_name:
                    return child
        return None

    @staticmethod
    def mime_for(type_name: str) -> QMimeData:
        data = QMimeData()
        data.setData(NODE_TYPE_MIME, QByteArray(type_name.encode("utf-8")))
        return data

    def startDrag(self, supported: Qt.DropAction) -> None:
        item = self.currentItem()
        type_name = item.data(0, TYPE_ROLE) if item is not None else None
        if not type_name:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mime_for(str(type_name)))
        drag.setPixmap(item.icon(0).pixmap(22, 22))
        drag.exec(Qt.DropAction.CopyAction)

    def _on_double_click(self, item: QTreeWidgetItem, _column: int) -> None:
        type_name = item.data(0, TYPE_ROLE)
        if type_name:
            self.type_activated.emit(str(type_name))
