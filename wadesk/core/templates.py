"""Message templates as wadesk keeps them (synced from the WABA): a plain dataclass with the
few derived facts the UI and the send dialog need (approved?, body text, parameter count)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

_POSITIONAL = re.compile(r"\{\{\s*(\d+)\s*\}\}")
_NAMED = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    """One template (name + language) of a number's WhatsApp Business Account."""

    id: int
    number_id: int
    name: str
    language: str
    status: str
    category: str | None = None
    components: tuple[Mapping[str, Any], ...] = ()
    graph_id: str | None = None
    parameter_format: str | None = None
    quality: str | None = None
    rejected_reason: str | None = None
    synced_at: datetime | None = None

    @property
    def approved(self) -> bool:
        return self.status.upper() == "APPROVED"

    def component(self, kind: str) -> Mapping[str, Any] | None:
        """The first component of this type (HEADER, BODY, FOOTER, BUTTONS), if any."""
        for item in self.components:
            if str(item.get("type", "")).upper() == kind.upper():
                return item
        return None

    @property
    def body_text(self) -> str:
        body = self.component("BODY")
        text = body.get("text") if body else None
        return text if isinstance(text, str) else ""

    @property
    def body_parameters(self) -> list[str]:
        """The body's placeholders in order of first use: "1", "2", … or named ones."""
        pattern = _NAMED if (self.parameter_format or "").upper() == "NAMED" else _POSITIONAL
        seen: list[str] = []
        for match in pattern.finditer(self.body_text):
            if match.group(1) not in seen:
                seen.append(match.group(1))
        return seen
