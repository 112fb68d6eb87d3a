"""The built-in node types of the bot flow (trigger, send, buttons, list, question, condition,
set variable / contact field / label, delay, HTTP request, template, hand-off, jump, end).

`builtin_node_types()` returns them in palette order; `registry.default_registry()` registers
them. Each type's output function derives its handles from the node's config (one per button,
per list row, per condition case…).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wadesk.flow.registry import (
    BUTTON_TITLE_MAX,
    CAPTION_MAX,
    CHOICE_ID_MAX,
    CONDITION_OPS,
    HEADER_FOOTER_MAX,
    HTTP_METHODS,
    INTERACTIVE_BODY_MAX,
    LIST_BUTTON_MAX,
    LIST_ROW_DESCRIPTION_MAX,
    LIST_ROW_TITLE_MAX,
    MAX_BUTTONS,
    MAX_LIST_ROWS,
    MEDIA_KINDS,
    QUESTION_KINDS,
    TEXT_BODY_MAX,
    TRIGGER_KINDS,
    Handle,
    NodeType,
    Param,
)

# ---------------------------------------------------------------------------------------------
# Output functions


def _next(_config: Mapping[str, Any]) -> list[Handle]:
    return [Handle("next", "Next", "Далее")]


def _none(_config: Mapping[str, Any]) -> list[Handle]:
    return []


def _item_handles(items: object, fallback: str) -> list[Handle]:
    handles: list[Handle] = []
    seen: set[str] = set()
    if not isinstance(items, list):
        return handles
    for item in items:
        if not isinstance(item, Mapping):
            continue
        hid = item.get("id")
        if not isinstance(hid, str) or not hid or hid in seen:
            continue
        seen.add(hid)
        title = item.get("title")
        label = title if isinstance(title, str) and title else fallback
        handles.append(Handle(hid, label, label))
    return handles


def _buttons_outputs(config: Mapping[str, Any]) -> list[Handle]:
    return _item_handles(config.get("buttons"), "button")


def _list_outputs(config: Mapping[str, Any]) -> list[Handle]:
    return _item_handles(config.get("rows"), "row")


def _question_outputs(config: Mapping[str, Any]) -> list[Handle]:
    handles = [
        Handle("answer", "Answer", "Ответ"),
        Handle("invalid", "Invalid answer", "Неверный ответ", optional=True),
    ]
    timeout = config.get("timeout_seconds")
    if isinstance(timeout, int) and not isinstance(timeout, bool) and timeout > 0:
        handles.append(Handle("timeout", "No answer", "Нет ответа"))
    return handles


def _condition_outputs(config: Mapping[str, Any]) -> list[Handle]:
    if config.get("mode") == "cases":
        handles = _item_handles(config.get("cases"), "case")
        handles.append(Handle("default", "Otherwise", "Иначе"))
        return handles
    return [Handle("true", "Yes", "Да"), Handle("false", "No", "Нет")]


def _http_outputs(_config: Mapping[str, Any]) -> list[Handle]:
    return [Handle("ok", "Success", "Успех"), Handle("error", "Error", "Ошибка")]


# ---------------------------------------------------------------------------------------------
# The default node types


def _p(name: str, kind: str, en: str, ru: str, **kw: Any) -> Param:
    return Param(name=name, kind=kind, title_en=en, title_ru=ru, **kw)


def _trigger() -> NodeType:
    params = (
        _p(
            "kind",
            "choice",
            "Starts on",
            "Запуск",
            required=True,
            default="keyword",
            choices=TRIGGER_KINDS,
        ),
        _p(
            "keywords",
            "strings",
            "Keywords",
            "Ключевые слова",
            required=True,
            min_items=1,
            when=("kind", ("keyword",)),
        ),
        _p(
            "match",
            "choice",
            "Match",
            "Совпадение",
            default="exact",
            choices=("exact", "contains", "starts_with"),
            when=("kind", ("keyword",)),
        ),
        _p("pattern", "regex", "Pattern", "Шаблон", required=True, when=("kind", ("regex",))),
        _p(
            "payload",
            "text",
            "Button payload",
            "Данные кнопки",
            required=True,
            max_len=256,
            when=("kind", ("button_payload",)),
        ),
        _p("case_sensitive", "bool", "Case sensitive", "Учитывать регистр", default=False),
    )
    return NodeType("trigger", "Trigger", "Запуск", "start", params, _next)


def _send_text() -> NodeType:
    params = (
        _p("text", "multiline", "Text", "Текст", required=True, max_len=TEXT_BODY_MAX),
        _p("preview_url", "bool", "Link preview", "Превью ссылок", default=False),
    )
    return NodeType(
        "send_text", "Send text", "Отправить текст", "messages", params, _next, free_form=True
    )


def _send_media() -> NodeType:
    params = (
        _p(
            "media_kind",
            "choice",
            "Media type",
            "Тип медиа",
            required=True,
            default="image",
            choices=MEDIA_KINDS,
        ),
        _p("media", "text", "Media (id, URL or file)", "Медиа (id, URL или файл)", required=True),
        _p(
            "caption",
            "multiline",
            "Caption",
            "Подпись",
            max_len=CAPTION_MAX,
            when=("media_kind", ("image", "video", "document")),
        ),
        _p("filename", "text", "File name", "Имя файла", when=("media_kind", ("document",))),
    )
    return NodeType(
        "send_media", "Send media", "Отправить медиа", "messages", params, _next, free_form=True
    )


_INTERACTIVE_COMMON = (
    _p("header", "text", "Header", "Заголовок", max_len=HEADER_FOOTER_MAX),
    _p("body", "multiline", "Text", "Текст", required=True, max_len=INTERACTIVE_BODY_MAX),
    _p("footer", "text", "Footer", "Подвал", max_len=HEADER_FOOTER_MAX),
    _p("variable", "variable", "Save choice to", "Сохранить выбор в"),
    _p(
        "retry_message",
        "multiline",
        "Reply when no button is chosen",
        "Ответ, если кнопка не выбрана",
        default="Please choose one of the options.",
        max_len=TEXT_BODY_MAX,
    ),
    _p("max_retries", "int", "Retries", "Повторов", default=2),
)


def _buttons() -> NodeType:
    item = (
        _p("id", "text", "Id", "Id", required=True, max_len=CHOICE_ID_MAX),
        _p("title", "text", "Title", "Название", required=True, max_len=BUTTON_TITLE_MAX),
    )
    params = (
        *_INTERACTIVE_COMMON,
        _p(
            "buttons",
            "list",
            "Buttons",
            "Кнопки",
            required=True,
            min_items=1,
            max_items=MAX_BUTTONS,
            item_params=item,
            default=[{"id": "b1", "title": "Yes"}, {"id": "b2", "title": "No"}],
        ),
    )
    return NodeType(
        "buttons",
        "Reply buttons",
        "Кнопки ответа",
        "messages",
        params,
        _buttons_outputs,
        waits=True,
        breaks_loops=True,
        free_form=True,
    )


def _list() -> NodeType:
    item = (
        _p("id", "text", "Id", "Id", required=True, max_len=CHOICE_ID_MAX),
        _p("title", "text", "Title", "Название", required=True, max_len=LIST_ROW_TITLE_MAX),
        _p("description", "text", "Description", "Описание", max_len=LIST_ROW_DESCRIPTION_MAX),
    )
    params = (
        *_INTERACTIVE_COMMON,
        _p(
            "button",
            "text",
            "List button",
            "Кнопка списка",
            required=True,
            default="Choose",
            max_len=LIST_BUTTON_MAX,
        ),
        _p("section_title", "text", "Section title", "Название раздела", max_len=24),
        _p(
            "rows",
            "list",
            "Rows",
            "Строки",
            required=True,
            min_items=1,
            max_items=MAX_LIST_ROWS,
            item_params=item,
            default=[{"id": "r1", "title": "Option 1"}],
        ),
    )
    return NodeType(
        "list",
        "List",
        "Список",
        "messages",
        params,
        _list_outputs,
        waits=True,
        breaks_loops=True,
        free_form=True,
    )


def _question() -> NodeType:
    params = (
        _p("prompt", "multiline", "Question", "Вопрос", required=True, max_len=TEXT_BODY_MAX),
        _p(
            "validate",
            "choice",
            "Expect",
            "Ожидать",
            required=True,
            default="text",
            choices=QUESTION_KINDS,
        ),
        _p("pattern", "regex", "Pattern", "Шаблон", required=True, when=("validate", ("regex",))),
        _p(
            "options",
            "strings",
            "Allowed answers",
            "Допустимые ответы",
            required=True,
            min_items=1,
            when=("validate", ("one_of",)),
        ),
        _p("variable", "variable", "Save answer to", "Сохранить ответ в", required=True),
        _p(
            "retry_message",
            "multiline",
            "Reply to an invalid answer",
            "Ответ на неверный ввод",
            default="Sorry, I did not understand. Please try again.",
            max_len=TEXT_BODY_MAX,
        ),
        _p("max_retries", "int", "Retries", "Повторов", default=2),
        _p(
            "timeout_seconds",
            "int",
            "Wait at most (s, 0 = forever)",
            "Ждать не дольше (с, 0 = всегда)",
            default=0,
        ),
    )
    return NodeType(
        "question",
        "Ask a question",
        "Задать вопрос",
        "messages",
        params,
        _question_outputs,
        waits=True,
        breaks_loops=True,
        free_form=True,
    )


def _condition() -> NodeType:
    rule = (
        _p("variable", "variable", "Variable", "Переменная", required=True),
        _p(
            "op",
            "choice",
            "Comparison",
            "Сравнение",
            required=True,
            default="eq",
            choices=CONDITION_OPS,
        ),
        _p("value", "text", "Value", "Значение"),
    )
    case = (_p("id", "text", "Id", "Id", required=True, max_len=CHOICE_ID_MAX), *rule)
    params = (
        _p(
            "mode",
            "choice",
            "Kind",
            "Вид",
            required=True,
            default="if",
            choices=("if", "cases", "business_hours"),
        ),
        _p(
            "rules",
            "list",
            "Rules",
            "Правила",
            required=True,
            min_items=1,
            item_params=rule,
            when=("mode", ("if",)),
        ),
        _p(
            "join",
            "choice",
            "Combine",
            "Объединение",
            default="all",
            choices=("all", "any"),
            when=("mode", ("if",)),
        ),
        _p(
            "cases",
            "list",
            "Cases",
            "Варианты",
            required=True,
            min_items=1,
            item_params=case,
            when=("mode", ("cases",)),
        ),
        _p(
            "timezone",
            "timezone",
            "Time zone",
            "Часовой пояс",
            default="UTC",
            when=("mode", ("business_hours",)),
        ),
        _p(
            "hours",
            "hours",
            "Opening hours",
            "Часы работы",
            required=True,
            when=("mode", ("business_hours",)),
            default={d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")},
        ),
    )
    return NodeType("condition", "Condition", "Условие", "logic", params, _condition_outputs)


def _set_variable() -> NodeType:
    params = (
        _p("variable", "variable", "Variable", "Переменная", required=True),
        _p("value", "text", "Value", "Значение", default=""),
    )
    return NodeType("set_variable", "Set variable", "Задать переменную", "logic", params, _next)


def _set_contact_field() -> NodeType:
    params = (
        _p("field", "text", "Contact field", "Поле контакта", required=True),
        _p("value", "text", "Value", "Значение", default=""),
    )
    return NodeType(
        "set_contact_field", "Set contact field", "Поле контакта", "logic", params, _next
    )


def _label() -> NodeType:
    params = (
        _p("label", "text", "Label", "Метка", required=True, max_len=64),
        _p("action", "choice", "Action", "Действие", default="add", choices=("add", "remove")),
    )
    return NodeType("label", "Label", "Метка", "logic", params, _next)


def _delay() -> NodeType:
    params = (_p("seconds", "int", "Wait (seconds)", "Пауза (секунды)", required=True, default=5),)
    return NodeType(
        "delay", "Delay", "Пауза", "logic", params, _next, waits=True, breaks_loops=True
    )


def _http_request() -> NodeType:
    params = (
        _p(
            "method",
            "choice",
            "Method",
            "Метод",
            required=True,
            default="GET",
            choices=HTTP_METHODS,
        ),
        _p("url", "text", "URL", "URL", required=True),
        _p("headers", "mapping", "Headers", "Заголовки", default={}),
        _p("body", "json", "JSON body", "Тело JSON", when=("method", ("POST", "PUT", "PATCH"))),
        _p("timeout", "float", "Timeout (s)", "Тайм-аут (с)", default=10.0),
        _p(
            "response_map",
            "mapping",
            "Save response fields (variable → path)",
            "Сохранить поля ответа (переменная → путь)",
            default={},
        ),
        _p("status_variable", "variable", "Save status code to", "Сохранить код ответа в"),
    )
    return NodeType(
        "http_request",
        "HTTP request",
        "HTTP-запрос",
        "integrations",
        params,
        _http_outputs,
        waits=True,
    )


def _send_template() -> NodeType:
    params = (
        _p("name", "text", "Template name", "Имя шаблона", required=True, max_len=512),
        _p("language", "text", "Language", "Язык", required=True, default="en_US"),
        _p("params", "strings", "Body parameters", "Параметры текста", default=[]),
    )
    return NodeType("send_template", "Send template", "Отправить шаблон", "messages", params, _next)


def _handoff() -> NodeType:
    params = (
        _p(
            "reason",
            "text",
            "Reason shown to the agent",
            "Причина для оператора",
            default="The customer asked for a person",
        ),
        _p(
            "message",
            "multiline",
            "Message to the customer",
            "Сообщение клиенту",
            max_len=TEXT_BODY_MAX,
        ),
    )
    return NodeType(
        "handoff",
        "Hand off to a person",
        "Передать человеку",
        "people",
        params,
        _none,
        free_form=True,
    )


def _jump() -> NodeType:
    params = (
        _p("node", "node", "Go to node", "Перейти к узлу"),
        _p("flow", "flow", "Start flow", "Запустить сценарий"),
    )
    return NodeType("jump", "Jump", "Переход", "logic", params, _none)


def _end() -> NodeType:
    params = (_p("reason", "text", "Note", "Заметка", default=""),)
    return NodeType("end", "End", "Конец", "logic", params, _none)


def builtin_node_types() -> tuple[NodeType, ...]:
    """Every built-in node type, in palette order."""
    return (
        _trigger(),
        _send_text(),
        _send_media(),
        _buttons(),
        _list(),
        _question(),
        _condition(),
        _set_variable(),
        _set_contact_field(),
        _label(),
        _delay(),
        _http_request(),
        _send_template(),
        _handoff(),
        _jump(),
        _end(),
    )
