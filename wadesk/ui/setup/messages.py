"""The GUI's rendering of engine `Message`s (wadesk.core.messages) through Qt's translations.

`render_message(msg)` looks every code up in `translated_templates()` — one
``QCoreApplication.translate("Messages", …)`` call per code, so the Russian lives in the .ts like
every other UI string — and fills the ``{name}`` parameters. Call it whenever a text is shown
or the language changes (never keep the rendered string). Codes the GUI does not know yet fall
back to the engine's English template.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from wadesk.core.messages import Message


def translated_templates() -> dict[str, str]:
    """Every known code's template in the current UI language."""
    return {
        "check.token_ok": QCoreApplication.translate(
            "Messages", "Valid {type} token that never expires, with both permissions."
        ),
        "check.phone": QCoreApplication.translate(
            "Messages", "{display} ({name}), quality {quality}, tier {tier}."
        ),
        "check.phone_unnamed": QCoreApplication.translate(
            "Messages", "{display}, quality {quality}, tier {tier}."
        ),
        "check.test_number": QCoreApplication.translate(
            "Messages", "Test number: sends only to up to 5 allowed recipients."
        ),
        "check.waba_found": QCoreApplication.translate(
            "Messages", "Phone Number ID {pnid} belongs to WhatsApp Business Account {waba}."
        ),
        "check.subscribed_apps": QCoreApplication.translate("Messages", "Subscribed apps: {apps}."),
        "check.subscribed": QCoreApplication.translate("Messages", "App subscribed to the WABA."),
        "check.verified": QCoreApplication.translate(
            "Messages", "Meta's verification request arrived at {time}; callback {callback}"
        ),
        "check.expires": QCoreApplication.translate("Messages", "expires {when}"),
        "check.phone_mismatch": QCoreApplication.translate(
            "Messages", "Meta: {meta}, typed: {typed}"
        ),
        "check.test_sent": QCoreApplication.translate(
            "Messages", "Test message accepted for +{to}."
        ),
        "tunnel.install_failed": QCoreApplication.translate(
            "Messages",
            "ngrok could not be installed (no internet?). The webhook server keeps running; "
            "you can use your own public URL instead.",
        ),
        "tunnel.not_installed": QCoreApplication.translate(
            "Messages",
            "ngrok is not installed (no program at {path}). The webhook server keeps running;"
            " you can use your own public URL instead.",
        ),
        "tunnel.token_rejected": QCoreApplication.translate(
            "Messages",
            "ngrok rejected the authtoken: copy it again from your ngrok dashboard (Your "
            "Authtoken).",
        ),
        "tunnel.token_missing": QCoreApplication.translate(
            "Messages",
            "ngrok needs an authtoken: sign up at ngrok.com, copy Your Authtoken from the "
            "dashboard and paste it into the connection settings.",
        ),
        "tunnel.token_unreadable": QCoreApplication.translate(
            "Messages", "The ngrok authtoken could not be read: {detail}"
        ),
        "tunnel.agent_died": QCoreApplication.translate(
            "Messages", "The ngrok agent stopped unexpectedly."
        ),
        "tunnel.tunnel_gone": QCoreApplication.translate(
            "Messages", "The ngrok tunnel closed unexpectedly."
        ),
        "tunnel.agent_silent": QCoreApplication.translate(
            "Messages", "The ngrok agent stopped answering."
        ),
        "tunnel.agent_check_failed": QCoreApplication.translate(
            "Messages", "The ngrok agent could not be checked ({kind})."
        ),
        "tunnel.agent_said": QCoreApplication.translate("Messages", "(ngrok: {detail})"),
        "tunnel.ngrok_failed": QCoreApplication.translate("Messages", "ngrok failed: {detail}."),
        "tunnel.start_failed": QCoreApplication.translate(
            "Messages", "ngrok could not be started: {detail}."
        ),
        "tunnel.unexpected": QCoreApplication.translate(
            "Messages", "ngrok failed unexpectedly ({kind}: {detail})."
        ),
        "tunnel.supervisor_stopped": QCoreApplication.translate(
            "Messages", "The tunnel supervisor stopped ({kind}). Start the tunnel again."
        ),
        "tunnel.retrying": QCoreApplication.translate("Messages", "Retrying in {delay} s."),
    }


def render_message(msg: Message | None) -> str:
    """`msg` in the current UI language ("" for None)."""
    if msg is None:
        return ""
    return msg.render_with(translated_templates().get)
