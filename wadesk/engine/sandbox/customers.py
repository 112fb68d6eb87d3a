"""Scripted customers: a `Customer` says text, taps a button, picks a list row, sends an image
or a location, or reacts — each action becomes an inbound webhook to the registered callback
(and opens the 24-hour window), exactly as if a WhatsApp user had done it.
"""

from __future__ import annotations

import asyncio
import base64
import mimetypes
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from wadesk.engine.sandbox.rules import find_template, template_quick_replies
from wadesk.engine.sandbox.state import JSONDict, SandboxCustomer, SandboxState, SentMessage


class SandboxUsageError(ValueError):
    """A scripted action that cannot happen (unknown customer, no such button, …)."""


class CustomerHost(Protocol):
    """What a customer needs from the sandbox."""

    state: SandboxState

    def deliver_inbound(self, phone_number_id: str, wa_id: str, message: JSONDict) -> str: ...


class Customer:
    """One simulated WhatsApp user talking to one business number."""

    def __init__(self, host: CustomerHost, profile: SandboxCustomer, phone_number_id: str) -> None:
        self._host = host
        self.profile = profile
        self.phone_number_id = phone_number_id

    @property
    def wa_id(self) -> str:
        return self.profile.wa_id

    @property
    def name(self) -> str:
        return self.profile.name

    def _send(self, message: JSONDict) -> str:
        return self._host.deliver_inbound(self.phone_number_id, self.wa_id, message)

    async def say(self, text: str, *, reply_to: str | None = None) -> str:
        """A text message (optionally quoting `reply_to`)."""
        message: JSONDict = {"type": "text", "text": {"body": text}}
        if reply_to:
            message["context"] = {"from": self._business_digits(), "id": reply_to}
        return self._send(message)

    async def tap(self, button: str, on: str | None = None) -> str:
        """Tap a reply button (by id or title) of message `on`, else of the latest message sent
        to this customer that has buttons (interactive reply buttons or template quick replies)."""
        sent = self._find(on, _has_buttons, "buttons")
        if sent.type == "interactive":
            for item in sent.body["interactive"]["action"]["buttons"]:
                reply = item.get("reply") or {}
                if button in (reply.get("id"), reply.get("title")):
                    return self._send(
                        {
                            "type": "interactive",
                            "context": self._context(sent),
                            "interactive": {
                                "type": "button_reply",
                                "button_reply": {"id": reply["id"], "title": reply["title"]},
                            },
                        }
                    )
        else:
            for payload, title in self._quick_replies(sent):
                if button in (payload, title):
                    return self._send(
                        {
                            "type": "button",
                            "context": self._context(sent),
                            "button": {"payload": payload, "text": title},
                        }
                    )
        raise SandboxUsageError(f"message {sent.wamid} has no button '{button}'")

    async def pick(self, row: str, on: str | None = None) -> str:
        """Pick a list row (by id or title) of list message `on`, else of the latest list."""
        sent = self._find(on, _is_list, "a list")
        for section in sent.body["interactive"]["action"]["sections"]:
            for item in section.get("rows") or []:
                if row in (item.get("id"), item.get("title")):
                    reply = {"id": item["id"], "title": item["title"]}
                    if item.get("description"):
                        reply["description"] = item["description"]
                    return self._send(
                        {
                            "type": "interactive",
                            "context": self._context(sent),
                            "interactive": {"type": "list_reply", "list_reply": reply},
                        }
                    )
        raise SandboxUsageError(f"list message {sent.wamid} has no row '{row}'")

    async def image(
        self,
        image: str | Path | bytes,
        caption: str | None = None,
        *,
        mime_type: str | None = None,
    ) -> str:
        """An image (file path or bytes); the bytes become downloadable media on the sandbox."""
        if isinstance(image, bytes):
            data, mime = image, mime_type or "image/jpeg"
        else:
            path = Path(image)
            try:
                data = await asyncio.to_thread(path.read_bytes)
            except OSError as exc:
                raise SandboxUsageError(f"cannot read image {path}: {exc.strerror}") from None
            mime = mime_type or mimetypes.guess_type(path.name)[0] or "image/jpeg"
        item = self._host.state.add_media(data, mime, phone_number_id=self.phone_number_id)
        payload: JSONDict = {"id": item.id, "mime_type": mime, "sha256": item.sha256}
        if caption:
            payload["caption"] = caption
        return self._send({"type": "image", "image": payload})

    async def location(
        self,
        latitude: float,
        longitude: float,
        name: str | None = None,
        address: str | None = None,
    ) -> str:
        payload: JSONDict = {"latitude": latitude, "longitude": longitude}
        if name:
            payload["name"] = name
        if address:
            payload["address"] = address
        return self._send({"type": "location", "location": payload})

    async def react(self, wamid: str, emoji: str) -> str:
        """React to a message (`emoji=""` removes the reaction)."""
        return self._send({"type": "reaction", "reaction": {"message_id": wamid, "emoji": emoji}})

    # helpers ----------------------------------------------------------------------
    def _business_digits(self) -> str:
        number = self._host.state.number(self.phone_number_id)
        return number.digits if number else self.phone_number_id

    def _context(self, sent: SentMessage) -> JSONDict:
        return {"from": self._business_digits(), "id": sent.wamid}

    def _find(
        self, wamid: str | None, wanted: Callable[[SentMessage, SandboxState], bool], what: str
    ) -> SentMessage:
        state = self._host.state
        if wamid is not None:
            sent = state.sent_message(wamid)
            if sent is None or sent.to != self.wa_id:
                raise SandboxUsageError(f"no message {wamid} was sent to {self.wa_id}")
            if not wanted(sent, state):
                raise SandboxUsageError(f"message {wamid} has no {what}")
            return sent
        for sent in reversed(state.sent):
            if sent.to == self.wa_id and sent.phone_number_id == self.phone_number_id:
                if wanted(sent, state):
                    return sent
        raise SandboxUsageError(f"no message with {what} was sent to {self.wa_id}")

    def _quick_replies(self, sent: SentMessage) -> list[tuple[str, str]]:
        payload = sent.body["template"]
        template = find_template(
            self._host.state.templates,
            str(payload.get("name")),
            str((payload.get("language") or {}).get("code")),
        )
        return template_quick_replies(template, payload) if template else []


def _has_buttons(sent: SentMessage, state: SandboxState) -> bool:
    if sent.type == "interactive":
        interactive = sent.body.get("interactive")
        return isinstance(interactive, Mapping) and interactive.get("type") == "button"
    if sent.type == "template":
        payload = sent.body.get("template") or {}
        template = find_template(
            state.templates,
            str(payload.get("name")),
            str((payload.get("language") or {}).get("code")),
        )
        return bool(template and template_quick_replies(template, payload))
    return False


def _is_list(sent: SentMessage, state: SandboxState) -> bool:
    interactive = sent.body.get("interactive")
    return (
        sent.type == "interactive"
        and isinstance(interactive, Mapping)
        and interactive.get("type") == "list"
    )


async def run_action(customer: Customer, action: str, body: Mapping[str, Any]) -> str:
    if action == "say":
        return await customer.say(str(body["text"]), reply_to=body.get("reply_to"))
    if action == "tap":
        return await customer.tap(str(body["button"]), on=body.get("on"))
    if action == "pick":
        return await customer.pick(str(body["row"]), on=body.get("on"))
    if action == "image":
        image: bytes | str = (
            base64.b64decode(body["data_base64"]) if "data_base64" in body else str(body["path"])
        )
        return await customer.image(image, body.get("caption"), mime_type=body.get("mime_type"))
    if action == "location":
        return await customer.location(
            float(body["latitude"]), float(body["longitude"]), body.get("name"), body.get("address")
        )
    if action == "react":
        return await customer.react(str(body["message_id"]), str(body.get("emoji", "")))
    raise SandboxUsageError(f"unknown action '{action}' (say, tap, pick, image, location, react)")
