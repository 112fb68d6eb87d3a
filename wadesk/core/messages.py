"""Engine-made texts as data: a `Message` is a code plus string parameters, rendered late.

The engine (checks, tunnel, connection) describes what happened with a `Message` instead of an
English sentence, so each surface renders it in its own language: the GUI through Qt's
translations (``wadesk.ui.setup.messages``, re-rendered on a language switch), the CLI and the
logs with `Message.render(lang)` from the English/Russian templates below (the same way the
error catalogue's `Explanation` works). Templates use ``{name}`` placeholders; a missing
parameter renders as ``?``. `more` holds follow-up sentences (e.g. "Retrying in 2 s."),
rendered after the main one, separated by a space.

Pure Python, no I/O; the template table is read-only.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from wadesk.core.error_catalogue import is_russian

TemplateLookup = Callable[[str], "str | None"]
"""A template source: ``lookup(code)`` gives the template, or None for an unknown code."""


@dataclass(frozen=True)
class Message:
    """A translatable engine text: `code` names the template, `params` fill it."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    more: tuple[Message, ...] = ()

    def render(self, lang: str = "en") -> str:
        """The text in English or Russian (unknown codes show the code and parameters)."""
        return self.render_with(lambda code: template(code, lang))

    def render_with(self, lookup: TemplateLookup) -> str:
        """Render with another template source (the GUI passes its translated templates);
        `lookup(code)` returns None for a code it does not know (then English is used)."""
        pattern = lookup(self.code)
        if pattern is None:
            pattern = template(self.code, "en")
        text = fill(pattern, self.params)
        parts = [text] + [m.render_with(lookup) for m in self.more]
        return " ".join(p for p in parts if p)

    def __str__(self) -> str:
        return self.render("en")


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def fill(pattern: str, params: Mapping[str, str]) -> str:
    """``pattern`` with ``{name}`` replaced by `params` (missing ones as ``?``); literal braces
    that are not placeholders are left alone. Runs of whitespace are collapsed."""
    values = _Missing({k: str(v) for k, v in params.items()})
    try:
        text = string.Formatter().vformat(pattern, (), values)
    except (ValueError, IndexError, KeyError, AttributeError):
        text = pattern
    return " ".join(text.split())


def template(code: str, lang: str = "en") -> str:
    """The template of `code` in the language; the code itself when it is unknown."""
    pair = TEMPLATES.get(code)
    if pair is None:
        return code
    return pair[1] if is_russian(lang) else pair[0]


def message(code: str, **params: object) -> Message:
    """Shorthand: ``message("tunnel.retrying", delay=2)``; parameters become strings."""
    return Message(code, {k: str(v) for k, v in params.items()})


# -- the templates: code → (English, Russian) ------------------------------------------------

TEMPLATES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # live checks (wadesk.engine.checks): one-line summaries of passing checks
        "check.token_ok": (
            "Valid {type} token that never expires, with both permissions.",
            "Действующий токен {type} без срока действия, с обоими разрешениями.",
        ),
        "check.phone": (
            "{display} ({name}), quality {quality}, tier {tier}.",
            "{display} ({name}), качество {quality}, уровень {tier}.",
        ),
        "check.phone_unnamed": (
            "{display}, quality {quality}, tier {tier}.",
            "{display}, качество {quality}, уровень {tier}.",
        ),
        "check.test_number": (
            "Test number: sends only to up to 5 allowed recipients.",
            "Тестовый номер: отправляет только 5 разрешённым получателям.",
        ),
        "check.waba_found": (
            "Phone Number ID {pnid} belongs to WhatsApp Business Account {waba}.",
            "Phone Number ID {pnid} принадлежит бизнес-аккаунту WhatsApp {waba}.",
        ),
        "check.subscribed_apps": (
            "Subscribed apps: {apps}.",
            "Подписанные приложения: {apps}.",
        ),
        "check.subscribed": (
            "App subscribed to the WABA.",
            "Приложение подписано на бизнес-аккаунт.",
        ),
        "check.verified": (
            "Meta's verification request arrived at {time}; callback {callback}",
            "Проверочный запрос Meta пришёл в {time}; адрес вебхука {callback}",
        ),
        "check.expires": ("expires {when}", "истекает {when}"),
        "check.phone_mismatch": (
            "Meta: {meta}, typed: {typed}",
            "у Meta: {meta}, введено: {typed}",
        ),
        "check.test_sent": (
            "Test message accepted for +{to}.",
            "Тестовое сообщение для +{to} принято.",
        ),
        # the tunnel (wadesk.engine.tunnel): why it is down
        "tunnel.install_failed": (
            "ngrok could not be installed (no internet?). The webhook server keeps running; "
            "you can use your own public URL instead.",
            "Не удалось установить ngrok (нет интернета?). Сервер вебхуков продолжает работать; "
            "вместо ngrok можно указать свой публичный адрес.",
        ),
        "tunnel.not_installed": (
            "ngrok is not installed (no program at {path}). The webhook server keeps running; "
            "you can use your own public URL instead.",
            "ngrok не установлен (нет программы по пути {path}). Сервер вебхуков продолжает "
            "работать; вместо ngrok можно указать свой публичный адрес.",
        ),
        "tunnel.token_rejected": (
            "ngrok rejected the authtoken: copy it again from your ngrok dashboard "
            "(Your Authtoken).",
            "ngrok отклонил authtoken: скопируйте его заново в панели ngrok (Your Authtoken).",
        ),
        "tunnel.token_missing": (
            "ngrok needs an authtoken: sign up at ngrok.com, copy Your Authtoken from the "
            "dashboard and paste it into the connection settings.",
            "ngrok нужен authtoken: зарегистрируйтесь на ngrok.com, скопируйте Your Authtoken в "
            "панели и вставьте его в настройки подключения.",
        ),
        "tunnel.token_unreadable": (
            "The ngrok authtoken could not be read: {detail}",
            "Не удалось прочитать authtoken ngrok: {detail}",
        ),
        "tunnel.agent_died": (
            "The ngrok agent stopped unexpectedly.",
            "Агент ngrok неожиданно остановился.",
        ),
        "tunnel.tunnel_gone": (
            "The ngrok tunnel closed unexpectedly.",
            "Туннель ngrok неожиданно закрылся.",
        ),
        "tunnel.agent_silent": (
            "The ngrok agent stopped answering.",
            "Агент ngrok перестал отвечать.",
        ),
        "tunnel.agent_check_failed": (
            "The ngrok agent could not be checked ({kind}).",
            "Не удалось проверить агент ngrok ({kind}).",
        ),
        "tunnel.agent_said": ("(ngrok: {detail})", "(ngrok: {detail})"),
        "tunnel.ngrok_failed": ("ngrok failed: {detail}.", "Ошибка ngrok: {detail}."),
        "tunnel.start_failed": (
            "ngrok could not be started: {detail}.",
            "Не удалось запустить ngrok: {detail}.",
        ),
        "tunnel.unexpected": (
            "ngrok failed unexpectedly ({kind}: {detail}).",
            "Неожиданная ошибка ngrok ({kind}: {detail}).",
        ),
        "tunnel.supervisor_stopped": (
            "The tunnel supervisor stopped ({kind}). Start the tunnel again.",
            "Наблюдение за туннелем остановилось ({kind}). Запустите туннель снова.",
        ),
        "tunnel.retrying": ("Retrying in {delay} s.", "Повтор через {delay} с."),
    }
)
