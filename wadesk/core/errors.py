"""Errors that explain themselves: Graph API errors and wadesk's own (local) errors.

Every error wadesk shows to a user goes through one API, `explain(lang)`, which returns a short
title plus what to do, in English or Russian. Graph errors (`GraphError`) come from Meta's JSON
(`graph_error_from_json`); local errors (`LocalError`, `NetworkError`) are raised by wadesk itself
(24-hour window closed, webhook verify token mismatch, network down, …). Unknown codes still
explain themselves: "WhatsApp error <code>: <message/details>".

The tables live in `wadesk.core.error_catalogue` and are re-exported here. Pure Python: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wadesk.core.error_catalogue import (
    BAD_RESPONSE,
    CALLBACK_MANUAL_SETUP,
    GRAPH_CATALOGUE,
    GRAPH_SUBCODE_CATALOGUE,
    LOCAL_CATALOGUE,
    MEDIA_CHECKSUM_MISMATCH,
    MEDIA_TOO_LARGE,
    MEDIA_TYPE_NOT_ALLOWED,
    NETWORK_UNREACHABLE,
    TIMEOUT_AFTER_SEND,
    VERIFY_TOKEN_MISMATCH,
    WABA_ID_MISSING,
    WINDOW_CLOSED,
    CatalogueEntry,
    ErrorCategory,
    Explanation,
    is_russian,
    lookup,
)

__all__ = [
    "BAD_RESPONSE",
    "CALLBACK_MANUAL_SETUP",
    "GRAPH_CATALOGUE",
    "GRAPH_SUBCODE_CATALOGUE",
    "LOCAL_CATALOGUE",
    "MEDIA_CHECKSUM_MISMATCH",
    "MEDIA_TOO_LARGE",
    "MEDIA_TYPE_NOT_ALLOWED",
    "NETWORK_UNREACHABLE",
    "TIMEOUT_AFTER_SEND",
    "VERIFY_TOKEN_MISMATCH",
    "WABA_ID_MISSING",
    "WINDOW_CLOSED",
    "CatalogueEntry",
    "ErrorCategory",
    "Explanation",
    "GraphError",
    "LocalError",
    "NetworkError",
    "WadeskError",
    "explain_code",
    "graph_error_from_json",
    "is_russian",
    "lookup",
]


class WadeskError(Exception):
    """Base of every error that explains itself to the user via `explain(lang)`."""

    category: ErrorCategory = ErrorCategory.UNKNOWN
    retryable: bool = False
    retry_after_hint: float | None = None

    def explain(self, lang: str = "en") -> str:
        raise NotImplementedError


class GraphError(WadeskError):
    """An error reported by the Graph API (HTTP response or webhook error item)."""

    def __init__(
        self,
        *,
        code: int | None,
        message: str | None = None,
        subcode: int | None = None,
        http_status: int | None = None,
        details: str | None = None,
        fbtrace_id: str | None = None,
        title: str | None = None,
        is_transient: bool | None = None,
        explanation: Explanation | None = None,
    ) -> None:
        self.code = code
        self.subcode = subcode
        self.http_status = http_status
        self.message = message
        self.details = details
        self.fbtrace_id = fbtrace_id
        self.title = title
        entry = lookup(code, subcode)
        if entry is not None:
            self.category = entry.category
            self.retryable = entry.retryable
            self.retry_after_hint = entry.retry_after
            self.explanation: Explanation | None = explanation or entry.explanation
        else:
            transient = bool(is_transient) or (http_status is not None and http_status >= 500)
            self.category = ErrorCategory.TRANSIENT if transient else ErrorCategory.UNKNOWN
            self.retryable = transient
            self.retry_after_hint = None
            self.explanation = explanation
        super().__init__(self._summary())

    @property
    def known(self) -> bool:
        """True when the code is in the catalogue."""
        return lookup(self.code, self.subcode) is not None

    def with_explanation(self, explanation: Explanation) -> GraphError:
        """A copy of this error that explains itself with `explanation` instead."""
        return GraphError(
            code=self.code,
            message=self.message,
            subcode=self.subcode,
            http_status=self.http_status,
            details=self.details,
            fbtrace_id=self.fbtrace_id,
            title=self.title,
            explanation=explanation,
        )

    def explain(self, lang: str = "en") -> str:
        if self.explanation is not None:
            return self.explanation.render(lang)
        prefix = "Ошибка WhatsApp" if is_russian(lang) else "WhatsApp error"
        code = str(self.code) if self.code is not None else "?"
        text = self.details or self.message or self.title
        return f"{prefix} {code}: {text}" if text else f"{prefix} {code}"

    def _summary(self) -> str:
        parts = [self.explain("en")]
        facts = []
        if self.code is not None:
            facts.append(f"code {self.code}" + (f"/{self.subcode}" if self.subcode else ""))
        if self.http_status is not None:
            facts.append(f"HTTP {self.http_status}")
        if self.details and self.explanation is not None:
            facts.append(self.details)
        if self.fbtrace_id:
            facts.append(f"fbtrace_id {self.fbtrace_id}")
        if facts:
            parts.append("(" + "; ".join(facts) + ")")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"GraphError(code={self.code!r}, subcode={self.subcode!r}, "
            f"http_status={self.http_status!r}, category={self.category.value!r})"
        )


class LocalError(WadeskError):
    """An error wadesk detects itself, identified by a string code from `LOCAL_CATALOGUE`."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        entry = LOCAL_CATALOGUE.get(code)
        self.code = code
        self.detail = detail
        if entry is not None:
            self.category = entry.category
            self.retryable = entry.retryable
            self.retry_after_hint = entry.retry_after
        self.explanation: Explanation | None = entry.explanation if entry else None
        text = self.explain("en")
        super().__init__(f"{text} ({detail})" if detail else text)

    def explain(self, lang: str = "en") -> str:
        if self.explanation is not None:
            return self.explanation.render(lang)
        prefix = "Ошибка wadesk" if is_russian(lang) else "wadesk error"
        return f"{prefix} {self.code}: {self.detail}" if self.detail else f"{prefix} {self.code}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r})"


class NetworkError(LocalError):
    """The HTTP request failed below HTTP.

    `reached_server=False`: the request certainly did not leave (connection refused, DNS, connect
    timeout) — safe to retry. `reached_server=True`: it may have been delivered (timeout while
    waiting for the answer) — the message's outcome is unknown.
    """

    def __init__(self, *, reached_server: bool, detail: str | None = None) -> None:
        self.reached_server = reached_server
        super().__init__(TIMEOUT_AFTER_SEND if reached_server else NETWORK_UNREACHABLE, detail)


def explain_code(code: int | str | None, lang: str = "en") -> str:
    """Explain a Graph code (int or digit string) or a local code in `lang` ("en"/"ru")."""
    if isinstance(code, str) and not code.strip().lstrip("-").isdigit():
        return LocalError(code.strip()).explain(lang)
    number = int(code) if code is not None else None
    return GraphError(code=number).explain(lang)


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return None


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)):
        return str(value)
    return None


def _details(value: object) -> str | None:
    if isinstance(value, Mapping):
        return _as_text(value.get("details"))
    return _as_text(value)


def graph_error_from_json(data: object, http_status: int | None = None) -> GraphError:
    """Turn Graph error JSON into a `GraphError`; never raises.

    Accepts the whole body `{"error": {...}}`, the inner error object, or a webhook error item
    `{"code","title","message","error_data":{"details"}}`. Anything else gives an unknown error
    that still says what was received.
    """
    obj: Mapping[str, Any] | None = None
    if isinstance(data, Mapping):
        inner = data.get("error")
        obj = inner if isinstance(inner, Mapping) else data
    if obj is None or not obj:
        shown = repr(data)
        if len(shown) > 200:
            shown = shown[:200] + "…"
        return GraphError(
            code=None, message=f"unreadable error response: {shown}", http_status=http_status
        )
    message = _as_text(obj.get("message")) or _as_text(obj.get("error_user_msg"))
    transient = obj.get("is_transient")
    return GraphError(
        code=_as_int(obj.get("code")),
        subcode=_as_int(obj.get("error_subcode")),
        http_status=http_status,
        message=message,
        details=_details(obj.get("error_data")),
        fbtrace_id=_as_text(obj.get("fbtrace_id")),
        title=_as_text(obj.get("title")) or _as_text(obj.get("error_user_title")),
        is_transient=transient if isinstance(transient, bool) else None,
    )
