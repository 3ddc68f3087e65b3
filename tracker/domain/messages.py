"""Messages for the user as a catalogue key with parameters, rendered in the reader's language.

Domain rules, services and the Excel layer never write a sentence for the user: they raise
(or return) a ``Message`` — a key of the catalogue (``tracker.i18n``, texts in
``tracker/texts/``) and its parameters. The web renders it in the signed-in user's language,
the CLI and logs in Chinese (``str()``), so a message reads the same everywhere and an
English reader never sees a Chinese error.

A parameter that is itself a ``Message`` (a field's label, say) is rendered in the same
language before it is put in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar


@dataclass(frozen=True)
class Message:
    key: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def render(self, lang: str = "zh") -> str:
        from tracker.i18n import t  # the catalogue sits above the domain (it names its rules)

        params = {
            name: value.render(lang) if isinstance(value, Message) else value
            for name, value in self.params.items()
        }
        return t(self.key, lang, **params)

    def __str__(self) -> str:
        return self.render("zh")

    # --- stored as JSON (an import job's result, a notification) ----------------------------

    KINDS: ClassVar[dict[str, type[Message]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Message.KINDS[cls.__name__] = cls  # a subclass renders its own way: restore it as such

    def to_dict(self) -> dict[str, Any]:
        """The message as plain JSON: its key and its parameters, nested messages, dates and
        decimals tagged so that ``from_dict`` gives back a message that renders the same."""
        data: dict[str, Any] = {
            "key": self.key,
            "params": {name: _encode(value) for name, value in self.params.items()},
        }
        if type(self) is not Message:
            data["kind"] = type(self).__name__
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        """The message ``to_dict`` stored (``KeyError``/``TypeError`` when it is not one)."""
        kind = Message.KINDS.get(str(data.get("kind", "")), Message)
        params = {str(k): _decode(v) for k, v in dict(data.get("params") or {}).items()}
        return kind(str(data["key"]), MappingProxyType(params))


def _encode(value: Any) -> Any:
    if isinstance(value, Message):
        return {"$message": value.to_dict()}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


_DECODERS = {
    "$message": Message.from_dict,
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$decimal": Decimal,
}


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        if tag in _DECODERS:
            return _DECODERS[tag](inner)
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


def stored_message(value: Any) -> Message | str:
    """A stored message back (``Message.to_dict``); anything else (a row written before the
    message was stored, plain text) as its text."""
    if isinstance(value, Mapping) and "key" in value:
        try:
            return Message.from_dict(value)
        except (KeyError, TypeError, ValueError):
            pass
    return "" if value is None else str(value)


def msg(key: str, /, **params: Any) -> Message:
    return Message(key, MappingProxyType(dict(params)))


@dataclass(frozen=True)
class Listing(Message):
    """Several messages as one parameter, joined the reader's way: 甲、乙 / a, b."""

    def render(self, lang: str = "zh") -> str:
        zh, en = self.params.get("separators", ("、", ", "))
        separator = zh if lang == "zh" else en
        return separator.join(render(item, lang) for item in self.params.get("items", ()))


def listing(items: Any, *, zh: str = "、", en: str = ", ") -> Listing:
    """``items`` (messages or plain text) joined by ``zh`` for a Chinese reader, ``en`` else."""
    return Listing("listing", MappingProxyType({"items": tuple(items), "separators": (zh, en)}))


class KeyedError(Exception):
    """An error whose text for the user is a catalogue ``Message``.

    ``KeyedError("report.period_closed", period="2026年3月")``; ``str(error)`` is the Chinese
    text (CLI, logs, Chinese tests), ``error.render("en")`` the English one.
    """

    def __init__(self, key: str | Message, /, **params: Any) -> None:
        self.message = key if isinstance(key, Message) else msg(key, **params)
        super().__init__(self.message.key)

    @property
    def key(self) -> str:
        return self.message.key

    @property
    def params(self) -> Mapping[str, Any]:
        return self.message.params

    def render(self, lang: str = "zh") -> str:
        return self.message.render(lang)

    def __str__(self) -> str:
        return self.message.render("zh")


def render(error: BaseException | Message | str, lang: str = "zh") -> str:
    """Any message or error for the user in ``lang`` (a plain string stays as written)."""
    if isinstance(error, (Message, KeyedError)):
        return error.render(lang)
    return str(error)
