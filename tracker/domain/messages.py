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
from types import MappingProxyType
from typing import Any


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


def msg(key: str, /, **params: Any) -> Message:
    return Message(key, MappingProxyType(dict(params)))


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
