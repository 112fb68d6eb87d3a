"""Where the GUI finds its files (icons, style sheet, translations).

`resource_path(*parts)` resolves a path under the `resources/` folder, both when running from a
source checkout and from a PyInstaller bundle (where the folder is unpacked under
`sys._MEIPASS`).
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The `resources/` folder: inside the PyInstaller bundle, else next to the package."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file under `resources/`, e.g. `resource_path("icons", "inbox.svg")`."""
    return resources_root().joinpath(*parts)
