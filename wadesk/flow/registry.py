"""Node-type registry of the bot flow: each node type with its parameter schema and outputs.

A `NodeType` declares what the editor shows (titles in English and Russian, a category for the
palette), the parameters its inspector form is generated from (`Param`), the output handles a
node of that type has for a given config, and whether the engine pauses on it. The registry is
built by `default_registry()`; there is no module-level instance. WhatsApp limits (3 buttons,
20-char titles, 10 list rows, …) are encoded as `max_len` / `max_items` on the parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

PARAM_KINDS = frozenset(
    {
        "text",  # one line of text, {{variables}} allowed
        "multiline",  # several lines of text, {{variables}} allowed
        "int",
        "float",
        "bool",
        "choice",  # one of `choices`
        "list",  # list of objects, each described by `item_params`
        "strings",  # list of strings
        "mapping",  # str -> str
        "variable",  # a variable name
        "regex",  # a regular expression
        "node",  # id of a node of the same flow
        "flow",  # id of another flow
        "json",  # JSON text, {{variables}} allowed inside strings
        "timezone",  # IANA time-zone name
        "hours",  # mapping day ("mon".."sun") -> "HH:MM-HH:MM[,HH:MM-HH:MM]"
    }
)

# WhatsApp limits (cloud-api.md §9).
TEXT_BODY_MAX = 4096
CAPTION_MAX = 1024
INTERACTIVE_BODY_MAX = 1024
HEADER_FOOTER_MAX = 60
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
MAX_BUTTONS = 3
LIST_BUTTON_MAX = 20
LIST_ROW_TITLE_MAX = 24
LIST_ROW_DESCRIPTION_MAX = 72
LIST_ROW_ID_MAX = 200
MAX_LIST_ROWS = 10
# Choice ids are sent as "f:<node_id>:<choice_id>"; keep both short enough for every limit.
CHOICE_ID_MAX = 64

QUESTION_KINDS = ("text", "number", "email", "phone", "date", "regex", "one_of")
TRIGGER_KINDS = ("any", "keyword", "regex", "new_contact", "button_payload", "manual")
CONDITION_OPS = (
    "eq",
    "ne",
    "contains",
    "not_contains",
    "starts_with",
    "gt",
    "ge",
    "lt",
    "le",
    "regex",
    "is_set",
    "is_empty",
)
MEDIA_KINDS = ("image", "video", "audio", "document", "sticker")
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a node type; the editor builds its inspector form from these.

    `when` makes a parameter apply only when another parameter has one of the given values
    (e.g. `pattern` only when `validate` is "regex"); a required parameter that does not apply
    is not required.
    """

    name: str
    kind: str
    required: bool = False
    default: Any = None
    max_len: int | None = None
    choices: tuple[str, ...] = ()
    title_en: str = ""
    title_ru: str = ""
    min_items: int | None = None
    max_items: int | None = None
    item_params: tuple[Param, ...] = ()
    when: tuple[str, tuple[str, ...]] | None = None

    def applies(self, config: Mapping[str, Any]) -> bool:
        if self.when is None:
            return True
        other, values = self.when
        return config.get(other) in values


@dataclass(frozen=True, slots=True)
class Handle:
    """An output handle of a node; an edge leaves a node through one handle.

    An `optional` handle may stay unconnected without a validation warning (the engine ends
    the session when it is taken).
    """

    name: str
    title_en: str
    title_ru: str
    optional: bool = False


OutputsFn = Callable[[Mapping[str, Any]], list[Handle]]


@dataclass(frozen=True, slots=True)
class NodeType:
    """A kind of node.

    - `waits`: the engine pauses on this node until an event resumes it (a reply, a timer, an
      HTTP result).
    - `breaks_loops`: a cycle through such a node cannot run away (it waits for the user or for
      time to pass); HTTP waits but does not break loops.
    - `free_form`: the node sends a free-form message (allowed only inside the 24-hour window).
    """

    name: str
    title_en: str
    title_ru: str
    category: str
    params: tuple[Param, ...]
    outputs: OutputsFn
    waits: bool = False
    breaks_loops: bool = False
    free_form: bool = False
    # the names of the parameters that have a default (computed once; the engine checks a
    # node's config against it on every step instead of building the defaults)
    default_names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = frozenset(p.name for p in self.params if p.default is not None)
        object.__setattr__(self, "default_names", names)

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    def defaults(self) -> dict[str, Any]:
        """A config with every parameter at its default (what a new node starts with)."""
        return {p.name: _copy_default(p.default) for p in self.params if p.default is not None}


class UnknownNodeType(KeyError):
    """No node type of that name is registered."""


class Registry:
    """Node types by name, in palette order."""

    def __init__(self, types: tuple[NodeType, ...] = ()) -> None:
        self._types: dict[str, NodeType] = {}
        for t in types:
            self.register(t)

    def register(self, node_type: NodeType) -> None:
        if node_type.name in self._types:
            raise ValueError(f"node type {node_type.name!r} is already registered")
        for p in node_type.params:
            _check_param(node_type.name, p)
        self._types[node_type.name] = node_type

    def get(self, name: str) -> NodeType:
        try:
            return self._types[name]
        except KeyError:
            raise UnknownNodeType(name) from None

    def find(self, name: str) -> NodeType | None:
        return self._types.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[NodeType]:
        return iter(self._types.values())

    def __len__(self) -> int:
        return len(self._types)

    def names(self) -> tuple[str, ...]:
        return tuple(self._types)

    def outputs(self, type_name: str, config: Mapping[str, Any]) -> list[Handle]:
        """Output handles of a node; an unknown type has none."""
        t = self._types.get(type_name)
        return t.outputs(config) if t is not None else []


def _copy_default(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy_default(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_default(v) for v in value]
    return value


def _check_param(type_name: str, p: Param) -> None:
    if p.kind not in PARAM_KINDS:
        raise ValueError(f"{type_name}.{p.name}: unknown parameter kind {p.kind!r}")
    for item in p.item_params:
        _check_param(type_name, item)


def default_registry() -> Registry:
    """A fresh registry with every built-in node type, in palette order."""
    from wadesk.flow.nodetypes import builtin_node_types

    return Registry(builtin_node_types())
