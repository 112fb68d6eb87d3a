"""Engine-made texts as data (`wadesk.core.messages`): rendering in English and Russian,
parameters, follow-up sentences, and a complete template table; the tunnel's reasons carry a
`Message` next to their English text."""

from __future__ import annotations

import re
from dataclasses import replace

from pyngrok.exception import PyngrokNgrokError, PyngrokNgrokInstallError

from wadesk.core.messages import TEMPLATES, Message, fill, message, template
from wadesk.engine.tunnel import (
    INSTALL_FAILED,
    TOKEN_REJECTED,
    explain_error,
    explain_error_message,
)

_PLACEHOLDER = re.compile(r"{(\w+)}")


def test_render_in_both_languages_with_params_and_follow_ups() -> None:
    down = message("tunnel.agent_died")
    down = replace(down, more=(message("tunnel.retrying", delay="2"),))
    assert down.render("en") == "The ngrok agent stopped unexpectedly. Retrying in 2 s."
    assert down.render("ru_RU") == "Агент ngrok неожиданно остановился. Повтор через 2 с."
    assert str(down) == down.render("en")
    waba = message("check.waba_found", waba=1234, pnid=56)
    assert waba.params == {"waba": "1234", "pnid": "56"}
    assert waba.render("ru") == "Phone Number ID 56 принадлежит бизнес-аккаунту WhatsApp 1234."


def test_missing_params_unknown_codes_and_braces() -> None:
    assert message("check.test_sent").render() == "Test message accepted for +?."
    assert Message("no.such.code", {"a": "1"}).render("ru") == "no.such.code"
    assert fill("{a} and {not closed", {"a": "x"}) == "{a} and {not closed"
    assert fill("a   b\n c {x}", {"x": "y"}) == "a b c y"


def test_render_with_another_template_source_falls_back_to_english() -> None:
    msg = Message("check.subscribed", {}, (message("check.test_number"),))
    table = {"check.subscribed": "SUBSCRIBED"}
    assert msg.render_with(table.get) == (
        "SUBSCRIBED Test number: sends only to up to 5 allowed recipients."
    )


def test_every_template_has_both_languages_with_the_same_placeholders() -> None:
    assert len(TEMPLATES) >= 20
    for code, (en, ru) in TEMPLATES.items():
        assert (en and ru and en != ru) or code == "tunnel.agent_said", code
        assert set(_PLACEHOLDER.findall(en)) == set(_PLACEHOLDER.findall(ru)), code
        assert template(code, "en") == en and template(code, "ru") == ru


def test_tunnel_reasons_are_messages_with_their_english_text() -> None:
    reason, retry = explain_error_message(PyngrokNgrokInstallError("download failed"), None)
    assert reason.code == "tunnel.install_failed" and retry is False
    assert explain_error(PyngrokNgrokInstallError("x"), None) == (INSTALL_FAILED, False)
    rejected = PyngrokNgrokError("boom", ngrok_error="ERR_NGROK_105 authentication failed")
    reason, retry = explain_error_message(rejected, "tok")
    assert reason.code == "tunnel.token_rejected" and reason.render("en") == TOKEN_REJECTED
    assert "ngrok отклонил authtoken" in reason.render("ru")
    odd = PyngrokNgrokError("agent said: Your authtoken: SECRET123 is odd", ngrok_error=None)
    reason, retry = explain_error_message(odd, "SECRET123")
    assert reason.code == "tunnel.ngrok_failed" and retry is True
    assert "SECRET123" not in reason.render("en") and "SECRET123" not in reason.render("ru")
