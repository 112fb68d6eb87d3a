"""Live account checks for one number, in the order the setup wizard shows them.

`run_checks(engine, draft, on_progress)` uses a temporary `CloudApiClient` built from the draft
(base URL and Graph version from the engine's settings; never the client pool, so nothing
unsaved leaks into it) and reports every step through `on_progress` as it starts and ends:

1. ``token``: `/debug_token` — valid, type, expiry (a temporary 24-hour USER token is a warning
   that explains how to make a permanent system-user token), both WhatsApp permissions.
2. ``phone_number``: GET on the Phone Number ID — it exists; display number (compared with
   the typed phone), quality rating, messaging tier, test number or not.
3. ``waba``: GET on the WABA — it exists, the token may use it (granular scopes), and the
   Phone Number ID is one of its numbers (``GET /{WABA}/phone_numbers``).
4. ``subscription``: GET ``/{WABA}/subscribed_apps`` — the app receives the WABA's webhooks.
5. ``webhook``: the round trip — the server listens, a public URL exists (tunnel or manual),
   the callback is registered with the verify token, and Meta's verification GET arrived at
   our server (`engine.verification_requests`) within a timeout.
6. ``test_message`` (only when the draft names a test recipient): sends the ``hello_world``
   template, which shows allowed-list problems of test numbers (131030).

Network failures make the current and every later step ``not_checked`` ("will check when the
network returns"); a failed token makes every later step ``not_checked`` with the "skipped until
the access token works" explanation (each of them needs the token, the webhook registration
too). Every failure or warning carries a `WadeskError` whose `explain(lang)` is the catalogue's
text in English or Russian; a passing step's one-line summary is a `Message` (code + params,
`CheckResult.message`) that the GUI renders in its language; `summary` is its English text.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from wadesk.core.error_catalogue import Explanation
from wadesk.core.errors import GraphError, NetworkError, WadeskError
from wadesk.core.messages import Message, message
from wadesk.core.validation import ValidationError, normalize_phone
from wadesk.engine.cloudapi.client import CloudApiClient
from wadesk.engine.cloudapi.client_types import PhoneNumberInfo, SubscribedApp, TokenInfo
from wadesk.engine.config import WEBHOOK_PATH
from wadesk.engine.tunnel import TunnelState

if TYPE_CHECKING:
    from wadesk.engine.service import Engine

log = logging.getLogger("wadesk.checks")

MESSAGING = "whatsapp_business_messaging"
MANAGEMENT = "whatsapp_business_management"
VERIFICATION_TIMEOUT = 10.0
TEMPORARY_TOKEN_HOURS = 25


class CheckKey(StrEnum):
    TOKEN = "token"
    PHONE_NUMBER = "phone_number"
    WABA = "waba"
    SUBSCRIPTION = "subscription"
    WEBHOOK = "webhook"
    TEST_MESSAGE = "test_message"


class CheckState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"
    NOT_CHECKED = "not_checked"


FINAL_STATES = frozenset({CheckState.OK, CheckState.WARNING, CheckState.FAILED})


class CheckError(WadeskError):
    """A check's finding that explains itself (en/ru), with facts appended to the advice
    (`detail`: a fact as is, or a `Message` rendered in the same language)."""

    def __init__(self, explanation: Explanation, detail: str | Message | None = None) -> None:
        self.explanation = explanation
        self.detail = detail
        super().__init__(self.explain("en"))

    def explain(self, lang: str = "en") -> str:
        text = self.explanation.render(lang)
        detail = self.detail.render(lang) if isinstance(self.detail, Message) else self.detail
        return f"{text} ({detail})" if detail else text


def _x(title_en: str, title_ru: str, todo_en: str, todo_ru: str) -> Explanation:
    return Explanation(title_en, title_ru, todo_en, todo_ru)


_SYSTEM_USER_EN = (
    "Make a permanent system-user token: Meta Business settings → Users → System users → Add "
    "(Admin), assign the app and the WhatsApp account to it, then Generate token with "
    "whatsapp_business_messaging and whatsapp_business_management, expiry Never, and paste it "
    "here."
)
_SYSTEM_USER_RU = (
    "Создайте постоянный токен системного пользователя: Настройки компании Meta → Пользователи "
    "→ Системные пользователи → Добавить (Администратор), назначьте ему приложение и аккаунт "
    "WhatsApp, затем «Создать токен» с whatsapp_business_messaging и "
    "whatsapp_business_management, срок «Никогда», и вставьте его сюда."
)
TEMPORARY_TOKEN = _x(
    "This is a temporary token: it stops working within 24 hours",
    "Это временный токен: он перестанет работать в течение 24 часов",
    _SYSTEM_USER_EN,
    _SYSTEM_USER_RU,
)
TOKEN_EXPIRES = _x(
    "The token has an expiry date",
    "У токена есть срок действия",
    "wadesk stops working when it expires. " + _SYSTEM_USER_EN,
    "Когда он истечёт, wadesk перестанет работать. " + _SYSTEM_USER_RU,
)
TOKEN_INVALID = _x(
    "Meta says the access token is not valid",
    "Meta сообщает, что токен доступа недействителен",
    "Copy the token again (the whole string). " + _SYSTEM_USER_EN,
    "Скопируйте токен заново (целиком). " + _SYSTEM_USER_RU,
)
NO_MESSAGING = _x(
    "The token lacks the whatsapp_business_messaging permission",
    "У токена нет разрешения whatsapp_business_messaging",
    "Without it nothing can be sent. Generate the token again with this permission.",
    "Без него ничего нельзя отправить. Создайте токен заново с этим разрешением.",
)
NO_MANAGEMENT = _x(
    "The token lacks the whatsapp_business_management permission",
    "У токена нет разрешения whatsapp_business_management",
    "Messages can be sent, but wadesk cannot read templates or number quality, nor register "
    "the webhook. Generate the token again with this permission.",
    "Сообщения отправлять можно, но wadesk не сможет читать шаблоны и качество номера и "
    "регистрировать вебхук. Создайте токен заново с этим разрешением.",
)
WABA_NOT_ALLOWED = _x(
    "The token may not use this WhatsApp Business Account",
    "Токену не разрешено работать с этим бизнес-аккаунтом WhatsApp",
    "Check the WABA ID (WhatsApp → API Setup), or assign this WhatsApp account to the system "
    "user and generate the token again.",
    "Проверьте WABA ID (WhatsApp → API Setup) или назначьте этот аккаунт WhatsApp системному "
    "пользователю и создайте токен заново.",
)
PHONE_NOT_IN_WABA = _x(
    "This Phone Number ID does not belong to this WhatsApp Business Account",
    "Этот Phone Number ID не относится к этому бизнес-аккаунту WhatsApp",
    "Copy both IDs from the same page: WhatsApp → API Setup shows the Phone Number ID and the "
    "WhatsApp Business Account ID of the selected number.",
    "Скопируйте оба ID с одной страницы: WhatsApp → API Setup показывает Phone Number ID и "
    "WhatsApp Business Account ID выбранного номера.",
)
PHONE_MISMATCH = _x(
    "Meta reports a different phone number for this Phone Number ID",
    "Для этого Phone Number ID Meta сообщает другой номер телефона",
    "Check that you copied the Phone Number ID of this number (WhatsApp → API Setup → From).",
    "Проверьте, что скопирован Phone Number ID именно этого номера (WhatsApp → API Setup → From).",
)
LOW_QUALITY = _x(
    "The number's quality rating is low",
    "Рейтинг качества номера низкий",
    "Customers block or report your messages; send fewer marketing messages. Details are in "
    "WhatsApp Manager → Phone numbers.",
    "Клиенты блокируют ваши сообщения или жалуются; отправляйте меньше рекламы. Подробности — в "
    "WhatsApp Manager → Номера телефонов.",
)
NOT_SUBSCRIBED = _x(
    "The app is not subscribed to this WhatsApp Business Account yet",
    "Приложение ещё не подписано на этот бизнес-аккаунт WhatsApp",
    "wadesk subscribes it when it registers the webhook (next step). Without a subscription "
    "no messages arrive.",
    "wadesk подпишет его при регистрации вебхука (следующий шаг). Без подписки сообщения не "
    "приходят.",
)
SERVER_NOT_RUNNING = _x(
    "The local webhook server is not running",
    "Локальный сервер вебхуков не запущен",
    "Restart wadesk; if the port is busy, close the other program that uses it.",
    "Перезапустите wadesk; если порт занят, закройте программу, которая его использует.",
)
NO_PUBLIC_URL = _x(
    "There is no public address for the webhook yet",
    "Пока нет публичного адреса для вебхука",
    "Paste your ngrok authtoken (ngrok dashboard → Your Authtoken) or choose “use my own "
    "public URL”, then check again.",
    "Вставьте authtoken ngrok (панель ngrok → Your Authtoken) или выберите «использовать свой "
    "публичный адрес», затем проверьте снова.",
)
NO_VERIFICATION = _x(
    "Meta's verification request did not reach wadesk",
    "Проверочный запрос Meta не дошёл до wadesk",
    "Check that the tunnel forwards to this computer (ngrok status) and that nothing else "
    "answers at the public URL, then check again.",
    "Проверьте, что туннель ведёт на этот компьютер (статус ngrok) и что по публичному адресу "
    "не отвечает другая программа, затем проверьте снова.",
)
OFFLINE = _x(
    "Not checked yet: WhatsApp's servers cannot be reached",
    "Ещё не проверено: серверы WhatsApp недоступны",
    "wadesk will check again automatically when the network returns.",
    "wadesk проверит снова автоматически, когда появится сеть.",
)
SKIPPED = _x(
    "Skipped until the access token works",
    "Пропущено, пока токен доступа не заработает",
    "Fix the access token first, then check again.",
    "Сначала исправьте токен доступа, затем проверьте снова.",
)


@dataclass(frozen=True)
class NumberDraft:
    """What the setup form holds for one number (secrets included; never stored as is)."""

    label: str
    phone: str
    phone_number_id: str
    waba_id: str
    access_token: str
    app_secret: str
    test_recipient: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """One row of the progress list. `facts` holds data for the UI (display number, quality,
    tier, token type, expiry, callback URL…); `summary`/`detail` are English one-liners;
    `message` is the summary of a passing step as a translatable `Message`."""

    key: CheckKey
    state: CheckState
    summary: str = ""
    detail: str = ""
    error: WadeskError | None = None
    facts: dict[str, str] = field(default_factory=dict)
    message: Message | None = None

    def explain(self, lang: str = "en") -> str:
        return self.error.explain(lang) if self.error is not None else ""

    def describe(self, lang: str = "en") -> str:
        """The row's text: the error's explanation, else the summary, in the language."""
        if self.error is not None:
            return self.error.explain(lang)
        if self.message is not None:
            return self.message.render(lang)
        return self.summary


def _passed(key: CheckKey, summary: Message, facts: dict[str, str] | None = None) -> CheckResult:
    return CheckResult(
        key, CheckState.OK, summary.render("en"), "", None, facts or {}, message=summary
    )


class _Offline(Exception):
    """Raised inside a step: the network is down; the step and all later ones are not_checked."""

    def __init__(self, error: NetworkError) -> None:
        super().__init__(str(error))
        self.error = error


def planned_keys(draft: NumberDraft) -> list[CheckKey]:
    keys = [CheckKey.TOKEN, CheckKey.PHONE_NUMBER, CheckKey.WABA, CheckKey.SUBSCRIPTION]
    keys.append(CheckKey.WEBHOOK)
    if draft.test_recipient and draft.test_recipient.strip():
        keys.append(CheckKey.TEST_MESSAGE)
    return keys


async def run_checks(
    engine: Engine,
    draft: NumberDraft,
    on_progress: Callable[[CheckResult], None] | None = None,
    *,
    verification_timeout: float = VERIFICATION_TIMEOUT,
) -> list[CheckResult]:
    """Run every check in order; returns the final result of each (see the module doc)."""
    report = on_progress or (lambda _r: None)
    keys = planned_keys(draft)
    results: dict[CheckKey, CheckResult] = {}

    def emit(result: CheckResult) -> None:
        results[result.key] = result
        try:
            report(result)
        except Exception:
            log.exception("A check progress listener failed")

    for key in keys:
        emit(CheckResult(key, CheckState.PENDING))
    client = CloudApiClient(
        phone_number_id=draft.phone_number_id.strip() or "0",
        access_token=draft.access_token.strip() or "-",
        waba_id=draft.waba_id.strip() or None,
        base_url=engine.settings.graph_base_url,
        version=engine.settings.graph_version,
        timeout=float(engine.settings.extra.get("check_timeout", "15")),
    )
    steps = _Steps(engine, draft, client, emit, verification_timeout)
    offline: NetworkError | None = None
    token_ok = True
    try:
        for key in keys:
            if offline is not None:
                emit(_not_checked(key, offline))
                continue
            if not token_ok:
                emit(
                    CheckResult(
                        key, CheckState.NOT_CHECKED, SKIPPED.title_en, "", CheckError(SKIPPED)
                    )
                )
                continue
            emit(CheckResult(key, CheckState.RUNNING))
            try:
                result = await steps.run(key)
            except _Offline as exc:
                offline = exc.error
                result = _not_checked(key, offline)
            except GraphError as exc:
                result = CheckResult(key, CheckState.FAILED, exc.explain("en"), str(exc), exc)
            except WadeskError as exc:
                result = CheckResult(key, CheckState.FAILED, exc.explain("en"), str(exc), exc)
            if key is CheckKey.TOKEN and result.state is CheckState.FAILED:
                token_ok = False
            emit(result)
        if steps.subscribed_later and CheckKey.SUBSCRIPTION in results:
            previous = results[CheckKey.SUBSCRIPTION]
            if previous.state is CheckState.WARNING:
                emit(_passed(CheckKey.SUBSCRIPTION, message("check.subscribed")))
    finally:
        await client.aclose()
    return [results[key] for key in keys]


def _not_checked(key: CheckKey, error: NetworkError) -> CheckResult:
    return CheckResult(
        key,
        CheckState.NOT_CHECKED,
        OFFLINE.title_en,
        "will check when the network returns",
        CheckError(OFFLINE, error.detail),
    )


def _digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())


class _Steps:
    def __init__(
        self,
        engine: Engine,
        draft: NumberDraft,
        client: CloudApiClient,
        emit: Callable[[CheckResult], None],
        verification_timeout: float,
    ) -> None:
        self.engine = engine
        self.draft = draft
        self.client = client
        self.emit = emit
        self.verification_timeout = verification_timeout
        self.token: TokenInfo | None = None
        self.apps: list[SubscribedApp] | None = None
        self.subscribed_later = False

    async def run(self, key: CheckKey) -> CheckResult:
        step = {
            CheckKey.TOKEN: self.token_check,
            CheckKey.PHONE_NUMBER: self.phone_check,
            CheckKey.WABA: self.waba_check,
            CheckKey.SUBSCRIPTION: self.subscription_check,
            CheckKey.WEBHOOK: self.webhook_check,
            CheckKey.TEST_MESSAGE: self.test_message_check,
        }[key]
        try:
            return await step()
        except NetworkError as exc:
            raise _Offline(exc) from None

    async def token_check(self) -> CheckResult:
        key = CheckKey.TOKEN
        info = await self.client.debug_token()
        self.token = info
        facts = {"type": info.type or "?", "scopes": ", ".join(info.scopes)}
        if info.expires_at is not None:
            facts["expires_at"] = info.expires_at.isoformat()
        if not info.is_valid:
            err = GraphError(code=190, message="debug_token: is_valid is false")
            return CheckResult(key, CheckState.FAILED, err.explain("en"), "", err, facts)
        missing = info.missing_scopes
        if MESSAGING in missing:
            return CheckResult(
                key, CheckState.FAILED, NO_MESSAGING.title_en, "", CheckError(NO_MESSAGING), facts
            )
        if MANAGEMENT in missing:
            return CheckResult(
                key,
                CheckState.WARNING,
                NO_MANAGEMENT.title_en,
                "",
                CheckError(NO_MANAGEMENT),
                facts,
            )
        if info.expires_at is not None:
            left = info.expires_at.timestamp() - time.time()
            when = info.expires_at.strftime("%Y-%m-%d %H:%M UTC")
            temporary = (info.type or "").upper() == "USER" and left <= TEMPORARY_TOKEN_HOURS * 3600
            explanation = TEMPORARY_TOKEN if temporary else TOKEN_EXPIRES
            expiry = CheckError(explanation, message("check.expires", when=when))
            return CheckResult(key, CheckState.WARNING, explanation.title_en, when, expiry, facts)
        return _passed(key, message("check.token_ok", type=info.type or ""), facts)

    async def phone_check(self) -> CheckResult:
        key = CheckKey.PHONE_NUMBER
        info: PhoneNumberInfo = await self.client.phone_number_info()
        facts = {
            "display_phone_number": info.display_phone_number or "",
            "verified_name": info.verified_name or "",
            "quality_rating": info.quality_rating or "UNKNOWN",
            "messaging_limit_tier": info.messaging_limit_tier or "",
            "account_mode": info.account_mode or "",
        }
        test_number = (info.account_mode or "").upper() == "SANDBOX"
        facts["test_number"] = "yes" if test_number else "no"
        summary = message(
            "check.phone" if info.verified_name else "check.phone_unnamed",
            display=info.display_phone_number or "?",
            name=info.verified_name or "",
            quality=facts["quality_rating"],
            tier=info.messaging_limit_tier or "?",
        )
        if test_number:
            summary = Message(summary.code, summary.params, (message("check.test_number"),))
        english = summary.render("en")
        try:
            typed = _digits(normalize_phone(self.draft.phone))
        except ValidationError:
            typed = _digits(self.draft.phone)
        shown = _digits(info.display_phone_number)
        if typed and shown and typed != shown:
            mismatch = message(
                "check.phone_mismatch",
                meta=info.display_phone_number or "?",
                typed=self.draft.phone.strip(),
            )
            detail = mismatch.render("en")
            err = CheckError(PHONE_MISMATCH, mismatch)
            return CheckResult(
                key, CheckState.WARNING, english, detail, err, facts, message=summary
            )
        if (info.quality_rating or "").upper() in ("RED", "YELLOW"):
            err = CheckError(LOW_QUALITY, info.quality_rating)
            return CheckResult(key, CheckState.WARNING, english, "", err, facts, message=summary)
        return _passed(key, summary, facts)

    async def waba_check(self) -> CheckResult:
        key = CheckKey.WABA
        waba = self.draft.waba_id.strip()
        token = self.token
        if token is not None and token.granular_scopes:
            targets = {t for g in token.granular_scopes for t in g.target_ids}
            if targets and waba not in targets:
                err = CheckError(WABA_NOT_ALLOWED, f"WABA {waba}")
                return CheckResult(key, CheckState.FAILED, WABA_NOT_ALLOWED.title_en, "", err)
        # GET /{WABA}/subscribed_apps answers only for an existing WABA the token may manage
        self.apps = await self.client.subscribed_apps()
        pnid = self.draft.phone_number_id.strip()
        if pnid not in await self.client.waba_phone_number_ids():
            err = CheckError(PHONE_NOT_IN_WABA, f"Phone Number ID {pnid}, WABA {waba}")
            return CheckResult(key, CheckState.FAILED, PHONE_NOT_IN_WABA.title_en, "", err)
        return _passed(key, message("check.waba_found", waba=waba, pnid=pnid))

    async def subscription_check(self) -> CheckResult:
        key = CheckKey.SUBSCRIPTION
        apps = self.apps if self.apps is not None else await self.client.subscribed_apps()
        if not apps:
            err = CheckError(NOT_SUBSCRIBED)
            return CheckResult(key, CheckState.WARNING, NOT_SUBSCRIBED.title_en, "", err)
        names = ", ".join(a.name or a.app_id or "?" for a in apps)
        facts = {"apps": names}
        override = next((a.override_callback_uri for a in apps if a.override_callback_uri), None)
        if override:
            facts["callback_url"] = override
        return _passed(key, message("check.subscribed_apps", apps=names), facts)

    async def webhook_check(self) -> CheckResult:
        key = CheckKey.WEBHOOK
        engine = self.engine
        if engine.server is None:
            return CheckResult(
                key,
                CheckState.FAILED,
                SERVER_NOT_RUNNING.title_en,
                "",
                CheckError(SERVER_NOT_RUNNING),
            )
        connection = getattr(engine, "connection", None)
        status = connection.status if connection is not None else None
        url = status.public_url if status is not None else None
        if (
            url is None
            or status is None
            or status.tunnel.state not in (TunnelState.UP, TunnelState.MANUAL)
        ):
            reason = status.tunnel.reason if status is not None else None
            why = status.tunnel.reason_message if status is not None else None
            err = CheckError(NO_PUBLIC_URL, why or reason)
            return CheckResult(key, CheckState.FAILED, NO_PUBLIC_URL.title_en, reason or "", err)
        callback = url + WEBHOOK_PATH
        facts = {"callback_url": callback}
        token = engine.verify_token
        if not token:
            from wadesk.core.errors import LocalError

            err2 = LocalError("VERIFY_TOKEN_MISMATCH", "no verify token")
            return CheckResult(key, CheckState.FAILED, err2.explain("en"), "", err2, facts)
        seen = len(engine.verification_requests)
        await self.client.register_callback(callback, token)
        self.subscribed_later = True
        deadline = asyncio.get_running_loop().time() + self.verification_timeout
        while True:
            arrived = engine.verification_requests[seen:]
            if any(ok for _at, ok in arrived):
                at = next(at for at, ok in arrived if ok)
                facts["verified_at"] = at.isoformat()
                summary = message("check.verified", time=f"{at:%H:%M:%S}", callback=callback)
                return _passed(key, summary, facts)
            if asyncio.get_running_loop().time() >= deadline:
                err = CheckError(NO_VERIFICATION, callback)
                return CheckResult(key, CheckState.FAILED, NO_VERIFICATION.title_en, "", err, facts)
            await asyncio.sleep(0.05)

    async def test_message_check(self) -> CheckResult:
        key = CheckKey.TEST_MESSAGE
        to = _digits(self.draft.test_recipient)
        result = await self.client.send_template(to, "hello_world", "en_US")
        return _passed(key, message("check.test_sent", to=to), {"wamid": result.wamid})
