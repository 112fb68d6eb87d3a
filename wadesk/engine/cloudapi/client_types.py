"""Plain dataclasses the Cloud API client returns: send results, media info, templates, phone
number info, token info, subscribed apps. Each has a lenient `from_json` that accepts the
documented shape and tolerates missing or oddly typed fields (numbers as strings, etc.).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from wadesk.core.errors import BAD_RESPONSE, LocalError

REQUIRED_SCOPES: tuple[str, ...] = ("whatsapp_business_messaging", "whatsapp_business_management")


def _str(value: object) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _first_dict(value: object) -> Mapping[str, Any]:
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return value[0]
    return {}


@dataclass(frozen=True, slots=True)
class SendResult:
    """What Meta answered to a send: the wamid ("accepted" is not "delivered")."""

    wamid: str
    wa_id: str | None = None
    message_status: str | None = None
    user_id: str | None = None
    input: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SendResult:
        message = _first_dict(data.get("messages"))
        contact = _first_dict(data.get("contacts"))
        wamid = _str(message.get("id"))
        if wamid is None:
            raise LocalError(BAD_RESPONSE, "the send response has no message id")
        return cls(
            wamid=wamid,
            wa_id=_str(contact.get("wa_id")),
            message_status=_str(message.get("message_status")),
            user_id=_str(contact.get("user_id")),
            input=_str(contact.get("input")),
        )


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """GET /{media-id}: where to download the media (URL valid ~5 minutes) and what it is."""

    id: str
    url: str
    mime_type: str | None = None
    sha256: str | None = None
    file_size: int | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any], media_id: str) -> MediaInfo:
        url = _str(data.get("url"))
        if url is None:
            raise LocalError(BAD_RESPONSE, "media info has no download URL")
        return cls(
            id=_str(data.get("id")) or media_id,
            url=url,
            mime_type=_str(data.get("mime_type")),
            sha256=_str(data.get("sha256")),
            file_size=_int(data.get("file_size")),
        )


@dataclass(frozen=True, slots=True)
class DownloadResult:
    """A finished download: size in bytes, hex sha256 of the bytes, the response content type."""

    size: int
    sha256: str
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class Template:
    """A message template as listed by GET /{WABA}/message_templates."""

    id: str | None
    name: str
    language: str | None
    status: str | None
    category: str | None
    components: tuple[Mapping[str, Any], ...] = ()
    quality: str | None = None
    rejected_reason: str | None = None
    parameter_format: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Template:
        quality = data.get("quality_score")
        if isinstance(quality, Mapping):
            quality = quality.get("score")
        components = data.get("components")
        return cls(
            id=_str(data.get("id")),
            name=_str(data.get("name")) or "",
            language=_str(data.get("language")),
            status=_str(data.get("status")),
            category=_str(data.get("category")),
            components=tuple(c for c in components if isinstance(c, Mapping))
            if isinstance(components, list)
            else (),
            quality=_str(quality),
            rejected_reason=_str(data.get("rejected_reason")),
            parameter_format=_str(data.get("parameter_format")),
        )


_TIER_FIELDS = (
    "messaging_limit_tier",
    "whatsapp_business_manager_messaging_limit",
    "max_daily_conversations_per_business",
)


@dataclass(frozen=True, slots=True)
class PhoneNumberInfo:
    """GET /{phone-number-id}: how the number looks to Meta."""

    display_phone_number: str | None
    verified_name: str | None
    quality_rating: str | None
    messaging_limit_tier: str | None
    throughput: str | None
    account_mode: str | None
    raw: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PhoneNumberInfo:
        tier = next((_str(data.get(k)) for k in _TIER_FIELDS if _str(data.get(k))), None)
        throughput = data.get("throughput")
        if isinstance(throughput, Mapping):
            throughput = throughput.get("level")
        return cls(
            display_phone_number=_str(data.get("display_phone_number")),
            verified_name=_str(data.get("verified_name")),
            quality_rating=_str(data.get("quality_rating")),
            messaging_limit_tier=tier,
            throughput=_str(throughput),
            account_mode=_str(data.get("account_mode")),
            raw=dict(data),
        )


@dataclass(frozen=True, slots=True)
class GranularScope:
    """A permission and the ids (WABAs, …) it applies to."""

    scope: str
    target_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """GET /debug_token: is the token valid, until when, and with which permissions."""

    is_valid: bool
    type: str | None
    expires_at: datetime | None
    scopes: tuple[str, ...] = ()
    granular_scopes: tuple[GranularScope, ...] = ()
    app_id: str | None = None

    @property
    def missing_scopes(self) -> tuple[str, ...]:
        """Which of the two permissions wadesk needs the token lacks."""
        have = set(self.scopes) | {g.scope for g in self.granular_scopes}
        return tuple(s for s in REQUIRED_SCOPES if s not in have)

    @property
    def never_expires(self) -> bool:
        return self.expires_at is None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TokenInfo:
        expires = _int(data.get("expires_at"))
        scopes = data.get("scopes")
        granular = data.get("granular_scopes")
        grants = []
        if isinstance(granular, list):
            for item in granular:
                if isinstance(item, Mapping) and _str(item.get("scope")):
                    targets = item.get("target_ids")
                    ids = tuple(str(t) for t in targets) if isinstance(targets, list) else ()
                    grants.append(GranularScope(str(item["scope"]), ids))
        return cls(
            is_valid=data.get("is_valid") is True,
            type=_str(data.get("type")),
            expires_at=datetime.fromtimestamp(expires, UTC) if expires else None,
            scopes=tuple(s for s in scopes if isinstance(s, str))
            if isinstance(scopes, list)
            else (),
            granular_scopes=tuple(grants),
            app_id=_str(data.get("app_id")),
        )


@dataclass(frozen=True, slots=True)
class SubscribedApp:
    """An app subscribed to the WABA's webhooks, with its callback override if any."""

    app_id: str | None
    name: str | None
    link: str | None = None
    override_callback_uri: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SubscribedApp:
        api = data.get("whatsapp_business_api_data")
        api = api if isinstance(api, Mapping) else {}
        return cls(
            app_id=_str(api.get("id")),
            name=_str(api.get("name")),
            link=_str(api.get("link")),
            override_callback_uri=_str(data.get("override_callback_uri")),
        )
