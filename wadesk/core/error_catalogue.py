"""The error catalogue's data: categories, English/Russian explanations, and the tables of Graph
API codes and wadesk's own local codes, with whether an automatic retry makes sense.

The "R"/"W" rows of the reference table are retryable, "N" rows are not. The exception classes
that use these tables live in `wadesk.core.errors`. Pure Python; the tables are read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class ErrorCategory(StrEnum):
    """What kind of problem an error is; the UI groups and colours errors by it."""

    AUTH = "auth"
    PERMISSION = "permission"
    RECIPIENT = "recipient"
    POLICY = "policy"
    RATE_LIMIT = "rate_limit"
    TEMPLATE = "template"
    MEDIA = "media"
    TRANSIENT = "transient"
    NETWORK = "network"
    CONFIG = "config"
    UNKNOWN = "unknown"


def is_russian(lang: str) -> bool:
    """True for "ru", "ru_RU", "ru-RU"…; everything else is English."""
    return lang.lower().replace("-", "_").split("_")[0] == "ru"


@dataclass(frozen=True)
class Explanation:
    """A short title and what to do about it, in English and Russian."""

    title_en: str
    title_ru: str
    what_to_do_en: str
    what_to_do_ru: str

    def title(self, lang: str = "en") -> str:
        return self.title_ru if is_russian(lang) else self.title_en

    def what_to_do(self, lang: str = "en") -> str:
        return self.what_to_do_ru if is_russian(lang) else self.what_to_do_en

    def render(self, lang: str = "en") -> str:
        """Title and advice as one line: "Title. What to do"."""
        title = self.title(lang).rstrip(".")
        advice = self.what_to_do(lang)
        return f"{title}. {advice}" if advice else title


@dataclass(frozen=True)
class CatalogueEntry:
    """What wadesk knows about one error code."""

    category: ErrorCategory
    retryable: bool
    explanation: Explanation
    retry_after: float | None = None


def _e(
    category: ErrorCategory,
    retryable: bool,
    title_en: str,
    title_ru: str,
    todo_en: str,
    todo_ru: str,
    retry_after: float | None = None,
) -> CatalogueEntry:
    return CatalogueEntry(
        category, retryable, Explanation(title_en, title_ru, todo_en, todo_ru), retry_after
    )


C = ErrorCategory

_RECHECK_PAYLOAD_EN = "Check the message fields; the details below name the problem."
_RECHECK_PAYLOAD_RU = "Проверьте поля сообщения; подробности ниже указывают на ошибку."
_WAIT_EN = "Meta's servers had a problem; wadesk will retry automatically."
_WAIT_RU = "Сбой на стороне Meta; wadesk повторит попытку автоматически."
_TPL_EN = "Open the template in WhatsApp Manager and check its parameters, then sync templates."
_TPL_RU = "Откройте шаблон в WhatsApp Manager, проверьте параметры и синхронизируйте шаблоны."

_GRAPH: dict[int, CatalogueEntry] = {
    0: _e(C.AUTH, False,
          "The access token is invalid or has expired",
          "Токен доступа недействителен или истёк",
          "Enter a new access token in the number's settings.",
          "Введите новый токен доступа в настройках номера."),
    1: _e(C.UNKNOWN, False,
          "Meta could not process the request",
          "Meta не смогла обработать запрос",
          "Check the request and Meta's status page (metastatus.com).",
          "Проверьте запрос и страницу состояния Meta (metastatus.com)."),
    2: _e(C.TRANSIENT, True,
          "WhatsApp service is temporarily unavailable",
          "Сервис WhatsApp временно недоступен",
          _WAIT_EN, _WAIT_RU),
    3: _e(C.PERMISSION, False,
          "The app lacks a capability or permission for this call",
          "У приложения нет нужной возможности или разрешения",
          "Check the app's permissions in the Meta app dashboard.",
          "Проверьте разрешения приложения в панели Meta."),
    4: _e(C.RATE_LIMIT, True,
          "Too many API calls from this app",
          "Слишком много запросов к API от этого приложения",
          "Wait a few minutes; wadesk will retry later.",
          "Подождите несколько минут; wadesk повторит попытку позже.",
          retry_after=60.0),
    10: _e(C.PERMISSION, False,
           "The token does not have permission for this action",
           "У токена нет разрешения на это действие",
           "Make a system-user token with whatsapp_business_messaging and "
           "whatsapp_business_management, and assign the app and the WhatsApp account to it.",
           "Создайте токен системного пользователя с whatsapp_business_messaging и "
           "whatsapp_business_management и назначьте ему приложение и аккаунт WhatsApp."),
    33: _e(C.CONFIG, False,
           "The Phone Number ID is wrong or the number was deleted",
           "Неверный Phone Number ID, или номер удалён",
           "Copy the Phone Number ID (not the phone number) from Meta's dashboard: "
           "WhatsApp → API Setup.",
           "Скопируйте Phone Number ID (не сам номер телефона) в панели Meta: "
           "WhatsApp → API Setup."),
    100: _e(C.CONFIG, False,
            "Invalid parameter in the request",
            "Недопустимый параметр в запросе",
            "Check the IDs and fields named in the details below.",
            "Проверьте ID и поля, указанные в подробностях ниже."),
    190: _e(C.AUTH, False,
            "The access token has expired",
            "Срок действия токена доступа истёк",
            "Temporary tokens from API Setup last only 24 hours. Make a permanent system-user "
            "token (Business settings → System users → Generate token) and enter it in wadesk.",
            "Временный токен из API Setup действует только 24 часа. Создайте постоянный токен "
            "системного пользователя (Настройки компании → Системные пользователи → Создать "
            "токен) и введите его в wadesk."),
    200: _e(C.PERMISSION, False,
            "Permission not granted or removed",
            "Разрешение не выдано или отозвано",
            "Grant whatsapp_business_messaging and whatsapp_business_management to the token.",
            "Выдайте токену разрешения whatsapp_business_messaging и "
            "whatsapp_business_management."),
    368: _e(C.POLICY, False,
            "The account is temporarily blocked for policy violations",
            "Аккаунт временно заблокирован за нарушение правил",
            "Check Account quality in WhatsApp Manager and follow Meta's instructions.",
            "Проверьте «Качество аккаунта» в WhatsApp Manager и следуйте указаниям Meta."),
    2200: _e(C.CONFIG, False,
             "Meta could not verify the callback URL",
             "Meta не смогла проверить адрес обратного вызова",
             "Make sure wadesk and the tunnel are running and the verify token matches, "
             "then try again.",
             "Убедитесь, что wadesk и туннель запущены и проверочный токен совпадает, "
             "и повторите попытку."),
    80007: _e(C.RATE_LIMIT, True,
              "WhatsApp account API rate limit reached",
              "Достигнут лимит запросов к API для аккаунта WhatsApp",
              "Wait a while; wadesk will retry later.",
              "Подождите немного; wadesk повторит попытку позже.",
              retry_after=60.0),
    130429: _e(C.RATE_LIMIT, True,
               "Too many messages per second from this number",
               "Слишком много сообщений в секунду с этого номера",
               "Sending is slowed down and retried automatically.",
               "Отправка замедляется и повторяется автоматически.",
               retry_after=1.0),
    130472: _e(C.POLICY, False,
               "The recipient is part of a Meta marketing experiment",
               "Получатель участвует в маркетинговом эксперименте Meta",
               "This marketing message was held back by Meta; nothing to fix.",
               "Meta придержала это маркетинговое сообщение; исправлять ничего не нужно."),
    130497: _e(C.POLICY, False,
               "Messaging users in this country is restricted",
               "Отправка сообщений в эту страну ограничена",
               "Check WhatsApp's country restrictions for your business category.",
               "Проверьте ограничения WhatsApp по странам для вашей категории бизнеса."),
    131000: _e(C.TRANSIENT, True,
               "Something went wrong at Meta",
               "Что-то пошло не так на стороне Meta",
               _WAIT_EN, _WAIT_RU),
    131005: _e(C.PERMISSION, False,
               "Access denied",
               "Доступ запрещён",
               "The token lacks a permission; make a system-user token with "
               "whatsapp_business_messaging and whatsapp_business_management.",
               "Токену не хватает разрешения; создайте токен системного пользователя с "
               "whatsapp_business_messaging и whatsapp_business_management."),
    131008: _e(C.CONFIG, False,
               "A required parameter is missing",
               "Отсутствует обязательный параметр",
               _RECHECK_PAYLOAD_EN, _RECHECK_PAYLOAD_RU),
    131009: _e(C.CONFIG, False,
               "A parameter value is not valid",
               "Недопустимое значение параметра",
               "Check the phone number format and the message fields. A just-approved "
               "template may need a few minutes.",
               "Проверьте формат номера и поля сообщения. Только что одобренному шаблону "
               "может понадобиться несколько минут."),
    131016: _e(C.TRANSIENT, True,
               "WhatsApp service is unavailable",
               "Сервис WhatsApp недоступен",
               _WAIT_EN, _WAIT_RU),
    131021: _e(C.RECIPIENT, False,
               "The recipient is the sending number itself",
               "Получатель совпадает с номером отправителя",
               "Send to a different number than your business number.",
               "Отправьте сообщение на другой номер, не на номер компании."),
    131026: _e(C.RECIPIENT, False,
               "The message could not be delivered to this recipient",
               "Сообщение не удалось доставить получателю",
               "The number may not be on WhatsApp, may use an old app, or may have blocked you. "
               "Check the number and contact the person another way.",
               "Номер может быть не в WhatsApp, с устаревшим приложением, или вас "
               "заблокировали. Проверьте номер и свяжитесь с человеком иначе."),
    131030: _e(C.RECIPIENT, False,
               "The recipient is not in the allowed list of the test number",
               "Получатель не в списке разрешённых номеров тестового номера",
               "Add the number and confirm it in Meta's dashboard: WhatsApp → API Setup → To "
               "(up to 5 numbers).",
               "Добавьте номер и подтвердите его в панели Meta: WhatsApp → API Setup → To "
               "(до 5 номеров)."),
    131031: _e(C.POLICY, False,
               "The business account is locked",
               "Бизнес-аккаунт заблокирован",
               "Check the account status in WhatsApp Manager (policy issue or wrong "
               "two-step PIN).",
               "Проверьте состояние аккаунта в WhatsApp Manager (нарушение правил или "
               "неверный PIN двухэтапной проверки)."),
    131037: _e(C.CONFIG, False,
               "The display name is not approved",
               "Отображаемое имя не одобрено",
               "Wait for the display name review or change it in WhatsApp Manager.",
               "Дождитесь проверки отображаемого имени или измените его в WhatsApp Manager."),
    131042: _e(C.CONFIG, False,
               "Payment problem on the business account",
               "Проблема с оплатой в бизнес-аккаунте",
               "Add or fix the payment method in WhatsApp Manager → Payment settings.",
               "Добавьте или исправьте способ оплаты в WhatsApp Manager → Настройки оплаты."),
    131044: _e(C.CONFIG, False,
               "Payment problem (calling)",
               "Проблема с оплатой (звонки)",
               "Fix the payment method in WhatsApp Manager.",
               "Исправьте способ оплаты в WhatsApp Manager."),
    131045: _e(C.CONFIG, False,
               "The phone number is not registered",
               "Номер телефона не зарегистрирован",
               "Register the number for the Cloud API (API Setup, or POST /register with a PIN).",
               "Зарегистрируйте номер в Cloud API (API Setup или POST /register с PIN-кодом)."),
    131047: _e(C.POLICY, False,
               "More than 24 hours have passed since the customer's last message",
               "С последнего сообщения клиента прошло больше 24 часов",
               "Send an approved template; free-form messages are allowed again after "
               "the customer replies.",
               "Отправьте одобренный шаблон; обычные сообщения снова можно отправлять после "
               "ответа клиента."),
    131048: _e(C.POLICY, False,
               "Spam rate limit hit",
               "Сработало ограничение за спам",
               "Send fewer messages and check the number's quality in WhatsApp Manager.",
               "Отправляйте меньше сообщений и проверьте качество номера в WhatsApp Manager."),
    131049: _e(C.POLICY, True,
               "Not delivered to keep the ecosystem healthy",
               "Не доставлено ради здоровья экосистемы",
               "This user got too many marketing messages; try again in 24 hours or later.",
               "Этот пользователь получил слишком много рекламы; повторите через 24 часа "
               "или позже.",
               retry_after=86400.0),
    131050: _e(C.RECIPIENT, False,
               "The user stopped marketing messages",
               "Пользователь отказался от рекламных сообщений",
               "Do not send marketing messages to this user.",
               "Не отправляйте этому пользователю рекламные сообщения."),
    131051: _e(C.CONFIG, False,
               "Unsupported message type",
               "Неподдерживаемый тип сообщения",
               "Send a supported type (text, media, location, contacts, interactive, template).",
               "Отправьте поддерживаемый тип (текст, медиа, геопозиция, контакты, "
               "интерактивное, шаблон)."),
    131052: _e(C.MEDIA, False,
               "The customer's media could not be downloaded",
               "Не удалось скачать медиафайл клиента",
               "Ask the customer to send the file again.",
               "Попросите клиента отправить файл ещё раз."),
    131053: _e(C.MEDIA, False,
               "The media could not be uploaded or processed",
               "Не удалось загрузить или обработать медиафайл",
               "Check the file type and size (image 5 MB, video/audio 16 MB, document 100 MB).",
               "Проверьте тип и размер файла (изображение 5 МБ, видео/аудио 16 МБ, "
               "документ 100 МБ)."),
    131056: _e(C.RATE_LIMIT, True,
               "Too many messages to the same customer in a short time",
               "Слишком много сообщений одному клиенту за короткое время",
               "Wait a few seconds between messages to the same person; wadesk retries "
               "after a pause.",
               "Делайте паузу в несколько секунд между сообщениями одному человеку; wadesk "
               "повторит после паузы.",
               retry_after=6.0),
    131057: _e(C.TRANSIENT, True,
               "The account is in maintenance mode",
               "Аккаунт в режиме обслуживания",
               "Usually lasts about a minute; wadesk will retry.",
               "Обычно длится около минуты; wadesk повторит попытку.",
               retry_after=60.0),
    131062: _e(C.RECIPIENT, False,
               "This message can't be sent to a username (BSUID) recipient",
               "Это сообщение нельзя отправить получателю по имени пользователя (BSUID)",
               "Send to the customer's phone number instead.",
               "Отправьте на номер телефона клиента."),
    131063: _e(C.POLICY, False,
               "Marketing templates are disabled on the Cloud API",
               "Рекламные шаблоны отключены в Cloud API",
               "Use the Marketing Messages API or change the setting in WhatsApp Manager.",
               "Используйте Marketing Messages API или измените настройку в WhatsApp Manager."),
    131064: _e(C.POLICY, False,
               "Messaging limit reached",
               "Достигнут лимит рассылок",
               "Wait until the 24-hour limit resets or raise the limit in WhatsApp Manager.",
               "Дождитесь сброса суточного лимита или повысьте лимит в WhatsApp Manager."),
    132000: _e(C.TEMPLATE, False,
               "The number of template parameters does not match",
               "Число параметров шаблона не совпадает",
               _TPL_EN, _TPL_RU),
    132001: _e(C.TEMPLATE, False,
               "The template does not exist in this language or is not approved",
               "Шаблон не существует на этом языке или не одобрен",
               "Check the template name and language, sync templates, and wait a few minutes "
               "after approval.",
               "Проверьте имя и язык шаблона, синхронизируйте шаблоны и подождите несколько "
               "минут после одобрения."),
    132005: _e(C.TEMPLATE, False,
               "The template text is too long after filling in parameters",
               "Текст шаблона с параметрами слишком длинный",
               "Shorten the parameter values.",
               "Сократите значения параметров."),
    132007: _e(C.TEMPLATE, False,
               "Template formatting policy violated",
               "Нарушены правила оформления шаблона",
               "Remove forbidden characters (new lines, tabs, more than 4 spaces) from "
               "parameters.",
               "Уберите запрещённые символы (переводы строк, табуляции, больше 4 пробелов) "
               "из параметров."),
    132008: _e(C.TEMPLATE, False,
               "A template parameter value is invalid",
               "Недопустимое значение параметра шаблона",
               _TPL_EN, _TPL_RU),
    132012: _e(C.TEMPLATE, False,
               "Template parameter format mismatch",
               "Формат параметра шаблона не совпадает",
               "Use the parameter types the template expects (text, currency, date, media).",
               "Используйте типы параметров, которые ожидает шаблон (текст, валюта, дата, "
               "медиа)."),
    132015: _e(C.TEMPLATE, False,
               "The template is paused because of low quality",
               "Шаблон приостановлен из-за низкого качества",
               "Edit the template in WhatsApp Manager and submit it again.",
               "Отредактируйте шаблон в WhatsApp Manager и отправьте на проверку снова."),
    132016: _e(C.TEMPLATE, False,
               "The template is disabled",
               "Шаблон отключён",
               "Create a new template.",
               "Создайте новый шаблон."),
    132068: _e(C.POLICY, False,
               "The WhatsApp Flow is blocked",
               "WhatsApp Flow заблокирован",
               "Fix the Flow in WhatsApp Manager.",
               "Исправьте Flow в WhatsApp Manager."),
    132069: _e(C.RATE_LIMIT, True,
               "The WhatsApp Flow is throttled",
               "WhatsApp Flow ограничен по частоте",
               "Wait and try again later.",
               "Подождите и повторите позже.",
               retry_after=60.0),
    133004: _e(C.TRANSIENT, True,
               "The registration server is temporarily unavailable",
               "Сервер регистрации временно недоступен",
               _WAIT_EN, _WAIT_RU),
    133005: _e(C.CONFIG, False,
               "The two-step verification PIN is wrong",
               "Неверный PIN двухэтапной проверки",
               "Enter the correct PIN or reset it in WhatsApp Manager.",
               "Введите правильный PIN или сбросьте его в WhatsApp Manager."),
    133010: _e(C.RECIPIENT, False,
               "The phone number is not registered on WhatsApp",
               "Номер телефона не зарегистрирован в WhatsApp",
               "Check the number; it must be registered on WhatsApp (for your own number: "
               "register it in API Setup).",
               "Проверьте номер: он должен быть зарегистрирован в WhatsApp (свой номер "
               "зарегистрируйте в API Setup)."),
    133016: _e(C.RATE_LIMIT, False,
               "Too many registration attempts",
               "Слишком много попыток регистрации",
               "Wait 72 hours before registering the number again.",
               "Подождите 72 часа перед повторной регистрацией номера."),
    135000: _e(C.CONFIG, False,
               "Generic user error",
               "Общая ошибка в запросе",
               _RECHECK_PAYLOAD_EN, _RECHECK_PAYLOAD_RU),
    137000: _e(C.RECIPIENT, False,
               "The recipient's identity key changed",
               "Ключ идентичности получателя изменился",
               "The user reinstalled WhatsApp; send the message again without the identity hash.",
               "Пользователь переустановил WhatsApp; отправьте сообщение снова без хеша "
               "идентичности."),
    2494100: _e(C.TRANSIENT, True,
                "The account is in maintenance mode",
                "Аккаунт в режиме обслуживания",
                "Usually short; wadesk will retry.",
                "Обычно ненадолго; wadesk повторит попытку.",
                retry_after=60.0),
}  # fmt: skip

# Code + subcode entries that say more than the code alone.
_GRAPH_SUB: dict[tuple[int, int], CatalogueEntry] = {
    (100, 33): _GRAPH[33],
    (190, 460): _e(C.AUTH, False,
                   "The access token was invalidated (password changed)",
                   "Токен доступа аннулирован (пароль изменён)",
                   "Make a permanent system-user token and enter it in wadesk.",
                   "Создайте постоянный токен системного пользователя и введите его в wadesk."),
    (190, 467): _e(C.AUTH, False,
                   "The access token is invalid",
                   "Токен доступа недействителен",
                   "Copy the token again (whole string) or make a new system-user token.",
                   "Скопируйте токен заново (целиком) или создайте новый токен системного "
                   "пользователя."),
}  # fmt: skip

_RANGES: tuple[tuple[int, int, CatalogueEntry], ...] = (
    (201, 299, _GRAPH[200]),
    (133000, 133016, _e(C.CONFIG, False,
                        "Phone number registration error",
                        "Ошибка регистрации номера телефона",
                        "Check the number's registration in WhatsApp Manager.",
                        "Проверьте регистрацию номера в WhatsApp Manager.")),
    (139000, 139004, _e(C.CONFIG, False,
                        "WhatsApp Flows API error",
                        "Ошибка API WhatsApp Flows",
                        "Check the Flow definition in WhatsApp Manager.",
                        "Проверьте описание Flow в WhatsApp Manager.")),
    (139100, 139103, _e(C.CONFIG, False,
                        "Block-users API error",
                        "Ошибка API блокировки пользователей",
                        "Check the details below.",
                        "Смотрите подробности ниже.")),
)  # fmt: skip

GRAPH_CATALOGUE: Mapping[int, CatalogueEntry] = MappingProxyType(_GRAPH)
GRAPH_SUBCODE_CATALOGUE: Mapping[tuple[int, int], CatalogueEntry] = MappingProxyType(_GRAPH_SUB)

# Local (non-Graph) codes raised by wadesk itself.
WINDOW_CLOSED = "WINDOW_CLOSED"
VERIFY_TOKEN_MISMATCH = "VERIFY_TOKEN_MISMATCH"
NETWORK_UNREACHABLE = "NETWORK_UNREACHABLE"
TIMEOUT_AFTER_SEND = "TIMEOUT_AFTER_SEND"
MEDIA_TOO_LARGE = "MEDIA_TOO_LARGE"
MEDIA_TYPE_NOT_ALLOWED = "MEDIA_TYPE_NOT_ALLOWED"
MEDIA_CHECKSUM_MISMATCH = "MEDIA_CHECKSUM_MISMATCH"
BAD_RESPONSE = "BAD_RESPONSE"
WABA_ID_MISSING = "WABA_ID_MISSING"
CALLBACK_MANUAL_SETUP = "CALLBACK_MANUAL_SETUP"
TOKEN_MISSING = "TOKEN_MISSING"

_MANUAL_WEBHOOK_EN = (
    "Set the webhook by hand: Meta app dashboard → WhatsApp → Configuration → Webhook → Edit: "
    "paste the callback URL and the verify token shown in wadesk, press Verify and save, "
    "then subscribe to the field `messages`."
)
_MANUAL_WEBHOOK_RU = (
    "Настройте вебхук вручную: панель приложения Meta → WhatsApp → Configuration → Webhook → "
    "Edit: вставьте адрес обратного вызова и проверочный токен из wadesk, нажмите «Verify and "
    "save», затем подпишитесь на поле `messages`."
)

_LOCAL: dict[str, CatalogueEntry] = {
    WINDOW_CLOSED: _e(C.POLICY, False,
                      "The 24-hour customer service window is closed",
                      "24-часовое окно обслуживания закрыто",
                      "Send an approved template; free-form messages are allowed again after "
                      "the customer replies.",
                      "Отправьте одобренный шаблон; обычные сообщения снова можно отправлять "
                      "после ответа клиента."),
    VERIFY_TOKEN_MISMATCH: _e(C.CONFIG, False,
                              "Webhook verification failed: the verify token does not match",
                              "Проверка вебхука не прошла: проверочный токен не совпадает",
                              "Enter the same verify token in Meta's dashboard (WhatsApp → "
                              "Configuration → Webhook) as in wadesk.",
                              "Введите в панели Meta (WhatsApp → Configuration → Webhook) тот "
                              "же проверочный токен, что и в wadesk."),
    NETWORK_UNREACHABLE: _e(C.NETWORK, True,
                            "Could not reach WhatsApp servers; the message was not sent",
                            "Не удалось связаться с серверами WhatsApp; сообщение не отправлено",
                            "Check the internet connection; wadesk will retry.",
                            "Проверьте подключение к интернету; wadesk повторит попытку."),
    TIMEOUT_AFTER_SEND: _e(C.NETWORK, False,
                           "No answer from WhatsApp after sending; the message may or may not "
                           "have been sent",
                           "WhatsApp не ответил после отправки; сообщение могло уйти, а могло "
                           "и нет",
                           "Check the chat on the phone before sending it again.",
                           "Проверьте чат на телефоне, прежде чем отправлять повторно."),
    MEDIA_TOO_LARGE: _e(C.MEDIA, False,
                        "The media file is too large",
                        "Медиафайл слишком большой",
                        "Use a smaller file (image 5 MB, video/audio 16 MB, document 100 MB).",
                        "Используйте файл поменьше (изображение 5 МБ, видео/аудио 16 МБ, "
                        "документ 100 МБ)."),
    MEDIA_TYPE_NOT_ALLOWED: _e(C.MEDIA, False,
                               "This file type is not allowed here",
                               "Этот тип файла здесь не разрешён",
                               "Use a supported format (JPEG/PNG, MP4, OGG/MP3/AAC, PDF/Office).",
                               "Используйте поддерживаемый формат (JPEG/PNG, MP4, OGG/MP3/AAC, "
                               "PDF/Office)."),
    MEDIA_CHECKSUM_MISMATCH: _e(C.MEDIA, True,
                                "The downloaded file is damaged (checksum mismatch)",
                                "Скачанный файл повреждён (контрольная сумма не совпадает)",
                                "Download it again.",
                                "Скачайте файл ещё раз."),
    BAD_RESPONSE: _e(C.UNKNOWN, False,
                     "Unexpected response from WhatsApp",
                     "Неожиданный ответ от WhatsApp",
                     "Check the base URL and Graph version in the settings.",
                     "Проверьте базовый адрес и версию Graph API в настройках."),
    WABA_ID_MISSING: _e(C.CONFIG, False,
                        "The WhatsApp Business Account ID is not set",
                        "Не задан ID бизнес-аккаунта WhatsApp (WABA ID)",
                        "Enter the WABA ID from Meta's dashboard: WhatsApp → API Setup.",
                        "Введите WABA ID из панели Meta: WhatsApp → API Setup."),
    CALLBACK_MANUAL_SETUP: _e(C.PERMISSION, False,
                              "The token may not register the webhook automatically",
                              "Токен не позволяет зарегистрировать вебхук автоматически",
                              _MANUAL_WEBHOOK_EN, _MANUAL_WEBHOOK_RU),
    TOKEN_MISSING: _e(C.CONFIG, False,
                      "No access token is stored for this number",
                      "Для этого номера не сохранён токен доступа",
                      "Open Numbers, edit the number and paste the access token again.",
                      "Откройте «Номера», измените номер и снова вставьте токен доступа."),
}  # fmt: skip

LOCAL_CATALOGUE: Mapping[str, CatalogueEntry] = MappingProxyType(_LOCAL)


def lookup(code: int | None, subcode: int | None = None) -> CatalogueEntry | None:
    """The catalogue entry for a Graph code (and subcode), or None when unknown."""
    if code is None:
        return None
    if subcode is not None and (code, subcode) in _GRAPH_SUB:
        return _GRAPH_SUB[(code, subcode)]
    if code in _GRAPH:
        return _GRAPH[code]
    for low, high, entry in _RANGES:
        if low <= code <= high:
            return entry
    return None
