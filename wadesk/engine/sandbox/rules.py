"""Meta's rules as pure checks: access token, object ids, the test-number allowed list, the
24-hour window, throughput and pair-rate token buckets, message shape limits and template
parameters. Each check returns a `GraphError` (Meta's code, type, HTTP status, text) or None.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wadesk.engine.sandbox.state import TokenSpec

WINDOW_SECONDS = 24 * 3600
ERROR_HREF = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"
MESSAGE_TYPES = frozenset(
    {
        "text",
        "image",
        "audio",
        "video",
        "document",
        "sticker",
        "location",
        "contacts",
        "interactive",
        "template",
        "reaction",
    }
)
MEDIA_KINDS = frozenset({"image", "audio", "video", "document", "sticker"})
MEDIA_LIMITS = {
    "audio/aac": 16,
    "audio/amr": 16,
    "audio/mpeg": 16,
    "audio/mp4": 16,
    "audio/ogg": 16,
    "text/plain": 100,
    "application/pdf": 100,
    "application/msword": 100,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": 100,
    "application/vnd.ms-excel": 100,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": 100,
    "application/vnd.ms-powerpoint": 100,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": 100,
    "image/jpeg": 5,
    "image/png": 5,
    "image/webp": 1,
    "video/mp4": 16,
    "video/3gpp": 16,
}
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")

# code → (title, HTTP status, type)
_CATALOGUE: dict[int, tuple[str, int, str]] = {
    1: ("An unknown error occurred", 500, "OAuthException"),
    2: ("Service temporarily unavailable", 503, "OAuthException"),
    4: ("Application request limit reached", 400, "OAuthException"),
    10: ("Application does not have permission for this action", 403, "OAuthException"),
    100: ("Invalid parameter", 400, "OAuthException"),
    190: ("Invalid OAuth access token", 401, "OAuthException"),
    2200: ("Callback verification failed", 400, "OAuthException"),
    130429: ("Rate limit hit", 400, "OAuthException"),
    131000: ("Something went wrong", 500, "OAuthException"),
    131008: ("Required parameter is missing", 400, "OAuthException"),
    131009: ("Parameter value is not valid", 400, "OAuthException"),
    131016: ("Service unavailable", 503, "OAuthException"),
    131026: ("Message undeliverable", 400, "OAuthException"),
    131030: ("Recipient phone number not in allowed list", 400, "OAuthException"),
    131047: ("Re-engagement message", 400, "OAuthException"),
    131051: ("Unsupported message type", 400, "OAuthException"),
    131053: ("Media upload error", 400, "OAuthException"),
    131056: ("(Business Account, Consumer Account) pair rate limit hit", 400, "OAuthException"),
    131057: ("Account in maintenance mode", 503, "OAuthException"),
    132000: (
        "Number of parameters does not match the expected number of params",
        400,
        "OAuthException",
    ),
    132001: ("Template name does not exist in the translation", 404, "OAuthException"),
}


@dataclass(frozen=True)
class GraphError:
    """An error the sandbox answers (sync) or reports in a status webhook (async)."""

    code: int
    title: str
    details: str | None = None
    http_status: int = 400
    type: str = "OAuthException"
    message: str | None = None  # full Graph message; default "(#code) title"
    subcode: int | None = None

    @property
    def full_message(self) -> str:
        return self.message or f"(#{self.code}) {self.title}"

    def response_body(self) -> dict[str, Any]:
        """The synchronous Graph error JSON."""
        error: dict[str, Any] = {
            "message": self.full_message,
            "type": self.type,
            "code": self.code,
        }
        if self.details is not None:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        error["fbtrace_id"] = "A" + secrets.token_urlsafe(16)
        return {"error": error}

    def webhook_error(self) -> dict[str, Any]:
        """The asynchronous shape carried in `statuses[].errors[]`."""
        return {
            "code": self.code,
            "title": self.title,
            "message": self.title,
            "error_data": {"details": self.details or self.title},
            "href": ERROR_HREF,
        }


def error(code: int, details: str | None = None, **overrides: Any) -> GraphError:
    """Meta's error for `code`, with its usual title, HTTP status and type."""
    title, status, kind = _CATALOGUE.get(code, ("Error", 400, "OAuthException"))
    return GraphError(code, title, details, status, kind, **overrides)


# --- tokens and ids -----------------------------------------------------------


def bearer_token(authorization: str | None, query_token: str | None = None) -> str | None:
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return query_token or None


def check_token(
    tokens: Mapping[str, TokenSpec], token: str | None, now: float, scope: str | None = None
) -> GraphError | None:
    """190 for a missing/unknown/revoked/expired token; 10 when it lacks `scope`."""
    if not token:
        return error(190, message="An access token is required to request this resource.")
    spec = tokens.get(token)
    if spec is None or not spec.valid:
        return error(190, message="Invalid OAuth access token - Cannot parse access token")
    if spec.expired(now):
        when = datetime.fromtimestamp(spec.expires_at, UTC).strftime("%A, %d-%b-%y %H:%M:%S UTC")
        current = datetime.fromtimestamp(now, UTC).strftime("%A, %d-%b-%y %H:%M:%S UTC")
        return error(
            190,
            message=f"Error validating access token: Session has expired on {when}. "
            f"The current time is {current}.",
            subcode=463,
        )
    if scope is not None and scope not in spec.scopes:
        return error(10, details=f"The access token does not have the {scope} permission")
    return None


def unknown_object(object_id: str, method: str = "post") -> GraphError:
    """Meta's answer for an id that does not exist (or the token cannot see)."""
    return GraphError(
        100,
        "Invalid parameter",
        http_status=400,
        type="GraphMethodException",
        message=(
            f"Unsupported {method} request. Object with ID '{object_id}' does not exist, "
            "cannot be loaded due to missing permissions, or does not support this operation. "
            "Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api"
        ),
        subcode=33,
    )


def check_allowed_recipient(test_number: bool, allowed: set[str], wa_id: str) -> GraphError | None:
    if test_number and wa_id not in allowed:
        return error(131030, f"Recipient phone number not in allowed list: {wa_id}")
    return None


def window_open(last_inbound_at: float | None, now: float) -> bool:
    """The customer service window: open for 24 h after the customer's last message."""
    return last_inbound_at is not None and now - last_inbound_at < WINDOW_SECONDS


def window_error() -> GraphError:
    return error(
        131047,
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number.",
    )


class TokenBucket:
    """A token bucket: `capacity` burst, refilled at `rate` tokens per second."""

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self._tokens = capacity
        self._stamp: float | None = None

    def take(self, now: float) -> bool:
        if self._stamp is not None:
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


def throughput_error(per_second: float) -> GraphError:
    return error(
        130429,
        f"Message failed to send because there were too many messages sent from this phone number in a short period of time (limit {per_second:g}/s).",
    )


def pair_rate_error() -> GraphError:
    return error(
        131056,
        "Message failed to send because there were too many messages sent from this phone "
        "number to the same phone number in a short period of time.",
    )


# --- message shape ------------------------------------------------------------


def _too_long(field: str, value: object, limit: int) -> GraphError | None:
    if isinstance(value, str) and len(value) > limit:
        return error(100, f"Param {field} must be at most {limit} characters long.")
    return None


def _required(field: str) -> GraphError:
    return error(131008, f"The parameter {field} is required.")


def validate_message(body: Mapping[str, Any]) -> GraphError | None:
    """Shape checks of an outbound message (not templates' parameters, see check_template)."""
    if body.get("messaging_product") != "whatsapp":
        return error(100, "The parameter messaging_product is required and must be 'whatsapp'.")
    to = body.get("to")
    if not isinstance(to, str) or not to.strip():
        return _required("to")
    digits = "".join(ch for ch in to if ch.isdigit())
    if not 6 <= len(digits) <= 15 or re.search(r"[^\d+\s().-]", to):
        return error(100, f"Invalid parameter: '{to}' is not a valid phone number.")
    kind = body.get("type", "text")
    if kind not in MESSAGE_TYPES:
        return error(
            100, f"Param type must be one of {{{', '.join(sorted(MESSAGE_TYPES))}}} - got {kind}."
        )
    payload = body.get(kind)
    if kind == "contacts":
        return _validate_contacts(payload)
    if not isinstance(payload, Mapping):
        return _required(kind)
    return _validate_payload(kind, payload)


def _validate_payload(kind: str, payload: Mapping[str, Any]) -> GraphError | None:  # noqa: C901
    if kind == "text":
        if not isinstance(payload.get("body"), str) or not payload["body"]:
            return _required("text['body']")
        return _too_long("text['body']", payload["body"], 4096)
    if kind in MEDIA_KINDS:
        if not payload.get("id") and not payload.get("link"):
            return _required(f"{kind}['id'] or {kind}['link']")
        if "caption" in payload and kind in ("audio", "sticker"):
            return error(100, f"Param {kind}['caption'] is not supported for {kind}.")
        return _too_long(f"{kind}['caption']", payload.get("caption"), 1024)
    if kind == "location":
        for key in ("latitude", "longitude"):
            if not isinstance(payload.get(key), int | float | str):
                return _required(f"location['{key}']")
        return None
    if kind == "reaction":
        if not isinstance(payload.get("message_id"), str) or not payload["message_id"]:
            return _required("reaction['message_id']")
        if "emoji" not in payload:
            return _required("reaction['emoji']")
        return None
    if kind == "interactive":
        return validate_interactive(payload)
    if kind == "template":
        if not isinstance(payload.get("name"), str):
            return _required("template['name']")
        language = payload.get("language")
        if not isinstance(language, Mapping) or not isinstance(language.get("code"), str):
            return _required("template['language']['code']")
    return None


def _validate_contacts(payload: object) -> GraphError | None:
    if not isinstance(payload, list) or not payload:
        return _required("contacts")
    if len(payload) > 257:
        return error(131009, "A contacts message can carry at most 257 contacts.")
    for i, contact in enumerate(payload):
        name = contact.get("name") if isinstance(contact, Mapping) else None
        if not isinstance(name, Mapping) or not name.get("formatted_name"):
            return _required(f"contacts[{i}]['name']['formatted_name']")
    return None


def validate_interactive(payload: Mapping[str, Any]) -> GraphError | None:
    kind = payload.get("type")
    body = payload.get("body")
    body_text = body.get("text") if isinstance(body, Mapping) else None
    if not isinstance(body_text, str) or not body_text:
        return _required("interactive['body']['text']")
    if err := _too_long("interactive['body']['text']", body_text, 4096 if kind == "list" else 1024):
        return err
    footer = payload.get("footer")
    if isinstance(footer, Mapping) and (err := _too_long("footer['text']", footer.get("text"), 60)):
        return err
    header = payload.get("header")
    if isinstance(header, Mapping) and (err := _too_long("header['text']", header.get("text"), 60)):
        return err
    action = payload.get("action")
    if not isinstance(action, Mapping):
        return _required("interactive['action']")
    if kind == "button":
        return _validate_buttons(action.get("buttons"))
    if kind == "list":
        return _validate_list(action)
    if kind == "cta_url":
        params = action.get("parameters")
        if not isinstance(params, Mapping) or not params.get("url"):
            return _required("action['parameters']['url']")
        return _too_long("action['parameters']['display_text']", params.get("display_text"), 20)
    return error(100, f"Param interactive['type'] is not supported: {kind}")


def _validate_buttons(buttons: object) -> GraphError | None:
    if not isinstance(buttons, Sequence) or not buttons:
        return _required("action['buttons']")
    if len(buttons) > 3:
        return error(131009, f"Buttons count is {len(buttons)}; a message can have at most 3.")
    titles: set[str] = set()
    for i, button in enumerate(buttons):
        reply = button.get("reply") if isinstance(button, Mapping) else None
        if not isinstance(reply, Mapping) or not reply.get("id") or not reply.get("title"):
            return _required(f"action['buttons'][{i}]['reply']['id'/'title']")
        title = str(reply["title"])
        if len(title) > 20:
            return error(131009, f"Button title length is {len(title)}; the maximum is 20.")
        if len(str(reply["id"])) > 256:
            return error(131009, "Button id is longer than 256 characters.")
        if title in titles:
            return error(131009, f"Button titles must be unique: '{title}' is repeated.")
        titles.add(title)
    return None


def _validate_list(action: Mapping[str, Any]) -> GraphError | None:
    if not action.get("button"):
        return _required("action['button']")
    if err := _too_long("action['button']", action.get("button"), 20):
        return err
    sections = action.get("sections")
    if not isinstance(sections, Sequence) or not sections:
        return _required("action['sections']")
    if len(sections) > 10:
        return error(131009, "A list can have at most 10 sections.")
    rows = [row for s in sections if isinstance(s, Mapping) for row in s.get("rows") or []]
    if not rows:
        return _required("action['sections'][0]['rows']")
    if len(rows) > 10:
        return error(131009, f"Total row count is {len(rows)}; a list can have at most 10 rows.")
    for row in rows:
        if not isinstance(row, Mapping) or not row.get("id") or not row.get("title"):
            return _required("rows[]['id'/'title']")
        if len(str(row["title"])) > 24:
            return error(131009, "Row title is longer than 24 characters.")
        if len(str(row.get("description") or "")) > 72:
            return error(131009, "Row description is longer than 72 characters.")
    return None


# --- templates ----------------------------------------------------------------


def find_template(
    templates: Sequence[Mapping[str, Any]], name: str, language: str
) -> Mapping[str, Any] | None:
    for template in templates:
        if template.get("name") == name and template.get("language") == language:
            return template
    return None


def _component(template: Mapping[str, Any], kind: str) -> Mapping[str, Any] | None:
    for component in template.get("components") or []:
        if str(component.get("type", "")).upper() == kind:
            return component  # type: ignore[no-any-return]
    return None


def _expected_params(template: Mapping[str, Any], kind: str) -> int:
    component = _component(template, kind)
    if component is None:
        return 0
    if kind == "HEADER" and str(component.get("format", "TEXT")).upper() != "TEXT":
        return 1
    return len(set(_PLACEHOLDER.findall(str(component.get("text") or ""))))


def _given_params(components: object, kind: str) -> int:
    count = 0
    if isinstance(components, Sequence):
        for component in components:
            if isinstance(component, Mapping) and str(component.get("type", "")).upper() == kind:
                count += len(component.get("parameters") or [])
    return count


def check_template(
    templates: Sequence[Mapping[str, Any]], payload: Mapping[str, Any]
) -> tuple[Mapping[str, Any] | None, GraphError | None]:
    """132001 when the template (name + language) is unknown or not approved; 132000 when the
    header/body parameter counts differ from the approved template."""
    name = str(payload.get("name"))
    language = str((payload.get("language") or {}).get("code"))
    template = find_template(templates, name, language)
    if template is None or template.get("status") != "APPROVED":
        return None, error(132001, f"template name ({name}) does not exist in {language}")
    for kind in ("HEADER", "BODY"):
        expected = _expected_params(template, kind)
        given = _given_params(payload.get("components"), kind)
        if expected != given:
            return template, error(
                132000,
                f"{kind.lower()}: number of localizable_params ({given}) does not match the "
                f"expected number of params ({expected})",
            )
    return template, None


def template_quick_replies(
    template: Mapping[str, Any], payload: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """(payload, title) of each quick-reply button of a sent template, in order."""
    buttons = _component(template, "BUTTONS")
    result: list[tuple[str, str]] = []
    if buttons is None:
        return result
    payloads: dict[int, str] = {}
    for component in payload.get("components") or []:
        if isinstance(component, Mapping) and component.get("sub_type") == "quick_reply":
            for param in component.get("parameters") or []:
                if isinstance(param, Mapping) and "payload" in param:
                    payloads[int(component.get("index", 0))] = str(param["payload"])
    for index, button in enumerate(buttons.get("buttons") or []):
        if str(button.get("type", "")).upper() == "QUICK_REPLY":
            title = str(button.get("text", ""))
            result.append((payloads.get(index, title), title))
    return result


def debug_token_data(
    spec: TokenSpec, token: str, now: float, app_id: str, waba_ids: list[str]
) -> dict[str, Any]:
    """The `data` object `GET /debug_token` returns for a known token."""
    data: dict[str, Any] = {
        "app_id": app_id,
        "type": spec.type,
        "application": "wadesk sandbox",
        "data_access_expires_at": spec.expires_at,
        "expires_at": spec.expires_at,
        "is_valid": not spec.expired(now),
        "issued_at": spec.issued_at,
        "scopes": list(spec.scopes),
        "granular_scopes": [
            {"scope": s, "target_ids": list(waba_ids)}
            for s in spec.scopes
            if s.startswith("whatsapp_")
        ],
        "user_id": spec.user_id,
    }
    if spec.expired(now):
        err = check_token({token: spec}, token, now)
        data["error"] = {"code": 190, "message": err.full_message if err else "", "subcode": 463}
    return data
