"""Light and dark looks of the app: palettes, the one style sheet, and tinted SVG icons.

`ThemeManager` follows the OS colour scheme (`QStyleHints.colorScheme()`) unless the user picked
light or dark in Settings. It applies the Fusion style, a `QPalette` and
`resources/style/wadesk.qss`, whose `$name` variables are replaced by the colours of the current
`ThemeColors`. Icons are single-colour SVGs (`fill="currentColor"`) rendered in the colour the
caller asks for, so the same files work on light and dark backgrounds.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from enum import StrEnum

from PySide6.QtCore import QByteArray, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from wadesk.ui.resources import resource_path

ACCENT = "#25D366"
ACCENT_DARK = "#128C7E"


class ThemeMode(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"

    @classmethod
    def parse(cls, value: object) -> ThemeMode:
        try:
            return cls(str(value))
        except ValueError:
            return cls.SYSTEM


@dataclass(frozen=True, slots=True)
class ThemeColors:
    """The colours the style sheet and the icons use (names match the `$variables`)."""

    window: str
    surface: str
    surface_alt: str
    nav: str
    nav_hover: str
    nav_selected: str
    text: str
    muted: str
    border: str
    accent: str
    accent_strong: str
    accent_text: str
    on_accent: str
    selection: str
    error_bg: str
    error_text: str
    info_bg: str
    info_text: str


LIGHT = ThemeColors(
    window="#F0F2F5",
    surface="#FFFFFF",
    surface_alt="#F7F8FA",
    nav="#FFFFFF",
    nav_hover="#F0F2F5",
    nav_selected="#E7F8EE",
    text="#111B21",
    muted="#667781",
    border="#DDE1E4",
    accent=ACCENT,
    accent_strong=ACCENT_DARK,
    accent_text="#008069",
    on_accent="#FFFFFF",
    selection="#C8F1D8",
    error_bg="#FDECEC",
    error_text="#B42318",
    info_bg="#E7F8EE",
    info_text="#0B5E4F",
)

DARK = ThemeColors(
    window="#0B141A",
    surface="#111B21",
    surface_alt="#182229",
    nav="#111B21",
    nav_hover="#1F2C33",
    nav_selected="#1F3A33",
    text="#E9EDEF",
    muted="#8696A0",
    border="#2A3942",
    accent=ACCENT,
    accent_strong="#00A884",
    accent_text="#25D366",
    on_accent="#0B141A",
    selection="#1F5B4B",
    error_bg="#3B1F22",
    error_text="#FFB4AB",
    info_bg="#14332C",
    info_text="#9DE8C4",
)

_VARIABLE = re.compile(r"\$([a-z_]+)")


def render_stylesheet(template: str, colors: ThemeColors) -> str:
    """Replace every `$name` in the style sheet with the colour of that name (`$icons` is the
    icons folder, for `url()`s)."""
    values = asdict(colors)
    values["icons"] = resource_path("icons").as_posix()

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"wadesk.qss uses an unknown colour variable ${name}")
        return str(values[name])

    return _VARIABLE.sub(substitute, template)


def build_palette(colors: ThemeColors) -> QPalette:
    """A Fusion palette matching the style sheet."""
    pal = QPalette()
    c = QColor
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        pal.setColor(group, QPalette.ColorRole.Window, c(colors.window))
        pal.setColor(group, QPalette.ColorRole.WindowText, c(colors.text))
        pal.setColor(group, QPalette.ColorRole.Base, c(colors.surface))
        pal.setColor(group, QPalette.ColorRole.AlternateBase, c(colors.surface_alt))
        pal.setColor(group, QPalette.ColorRole.Text, c(colors.text))
        pal.setColor(group, QPalette.ColorRole.Button, c(colors.surface))
        pal.setColor(group, QPalette.ColorRole.ButtonText, c(colors.text))
        pal.setColor(group, QPalette.ColorRole.ToolTipBase, c(colors.surface))
        pal.setColor(group, QPalette.ColorRole.ToolTipText, c(colors.text))
        pal.setColor(group, QPalette.ColorRole.PlaceholderText, c(colors.muted))
        pal.setColor(group, QPalette.ColorRole.Highlight, c(colors.accent_strong))
        pal.setColor(group, QPalette.ColorRole.HighlightedText, c("#FFFFFF"))
        pal.setColor(group, QPalette.ColorRole.Link, c(colors.accent_text))
        pal.setColor(group, QPalette.ColorRole.Mid, c(colors.border))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(disabled, role, c(colors.muted))
    return pal


def render_icon(
    name: str, color: str, size: int = 24, *, selected_color: str | None = None
) -> QIcon:
    """An icon from `resources/icons/<name>.svg`, drawn in `color` (for `currentColor`);
    with `selected_color`, the icon's Selected mode is drawn in that colour."""
    path = resource_path("icons", f"{name}.svg")
    try:
        svg = path.read_text(encoding="utf-8")
    except OSError:
        return QIcon()
    icon = QIcon()
    states = [(color, QIcon.Mode.Normal)]
    if selected_color is not None:
        states.append((selected_color, QIcon.Mode.Selected))
    for fill, mode in states:
        renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", fill).encode("utf-8")))
        for scale in (1, 2):
            pixmap = QPixmap(QSize(size * scale, size * scale))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter, QRectF(0, 0, size * scale, size * scale))
            painter.end()
            pixmap.setDevicePixelRatio(scale)
            icon.addPixmap(pixmap, mode)
    return icon


def app_icon() -> QIcon:
    """The application icon (window, tray, about box)."""
    return QIcon(str(resource_path("icons", "app.svg")))


class ThemeManager(QObject):
    """Applies the chosen look to the application and keeps it in sync with the OS.

    Attributes:
        mode: system, light or dark.
        colors: the colours in effect.

    Signals:
        changed(bool): the look was (re)applied; True when it is dark.
    """

    changed = Signal(bool)

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self.mode = ThemeMode.SYSTEM
        self.colors = LIGHT
        self._template = resource_path("style", "wadesk.qss").read_text(encoding="utf-8")
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_style_hints_color_scheme_changed)

    @property
    def is_dark(self) -> bool:
        return self.colors is DARK

    def system_is_dark(self) -> bool:
        scheme = QGuiApplication.styleHints().colorScheme()
        return scheme == Qt.ColorScheme.Dark

    def apply(self, mode: ThemeMode | str) -> None:
        """Switch to `mode` and restyle the whole application."""
        self.mode = ThemeMode.parse(mode)
        if self.mode is ThemeMode.SYSTEM:
            dark = self.system_is_dark()
        else:
            dark = self.mode is ThemeMode.DARK
        self.colors = DARK if dark else LIGHT
        if self._app.style().name().lower() != "fusion":
            self._app.setStyle("Fusion")
        sheet = render_stylesheet(self._template, self.colors)
        if self._app.styleSheet() != sheet:  # restyling every widget is slow; skip if unchanged
            self._app.setPalette(build_palette(self.colors))
            self._app.setStyleSheet(sheet)
        self.changed.emit(dark)

    def icon(self, name: str, *, muted: bool = False, size: int = 24) -> QIcon:
        """A themed icon: text colour (or the muted colour) of the current look."""
        return render_icon(name, self.colors.muted if muted else self.colors.text, size)

    def accent_icon(self, name: str, size: int = 24) -> QIcon:
        return render_icon(name, self.colors.accent_text, size)

    def nav_icon(self, name: str, size: int = 22) -> QIcon:
        """Muted when idle, accent-coloured when its navigation item is selected."""
        return render_icon(name, self.colors.muted, size, selected_color=self.colors.accent_text)

    def _on_style_hints_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.mode is ThemeMode.SYSTEM:
            self.apply(ThemeMode.SYSTEM)


def palette_is_dark(palette: QPalette) -> bool:
    """True when the palette's window colour is dark (the dark look, or a dark OS palette)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


@dataclass(frozen=True, slots=True)
class CanvasColors:
    """The colours of the bot-flow canvas (background, grid dots, node cards, wires, minimap);
    category colours of the node headers are the same in both looks."""

    dark: bool
    background: str
    grid: str
    card: str
    card_border: str
    shadow: str  # #AARRGGBB
    summary: str
    divider: str
    port: str
    edge: str
    select: str
    highlight: str
    minimap: str  # #AARRGGBB
    minimap_border: str


LIGHT_CANVAS = CanvasColors(
    dark=False,
    background="#F4F6F8",
    grid="#D0D6DB",
    card="#FFFFFF",
    card_border="#D0D5DA",
    shadow="#16000000",
    summary="#3B4A54",
    divider="#EEF0F2",
    port="#8696A0",
    edge="#9AA5AE",
    select="#00A884",
    highlight="#25D366",
    minimap="#E6FFFFFF",
    minimap_border="#C9D1D8",
)

DARK_CANVAS = CanvasColors(
    dark=True,
    background="#0E171D",
    grid="#2A3942",
    card="#1F2C34",
    card_border="#34454F",
    shadow="#66000000",
    summary="#C4CDD2",
    divider="#2A3942",
    port="#8696A0",
    edge="#667A86",
    select="#00A884",
    highlight="#25D366",
    minimap="#E6111B21",
    minimap_border="#34454F",
)


def canvas_colors(palette: QPalette) -> CanvasColors:
    """The canvas colours that go with `palette` (the application's, normally)."""
    return DARK_CANVAS if palette_is_dark(palette) else LIGHT_CANVAS
