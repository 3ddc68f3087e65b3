"""One way a callback turns a use case's result or refusal into the user's notice.

Every action callback used to repeat: open a session, call the service, catch the service's
error, show ``str(exc)`` (Chinese for everyone). Now it hands the call to ``attempt``:

    done = attempt(lambda: write(users.set_active, actor=actor(), ...),
                   ok=lambda user: t("user.enabled_msg", lang(), username=user.username))
    if not done:
        return no_update, done.notice
    return _stamp(), done.notice

A refusal (``ServiceError``, or a value the domain refused) is rendered in the reader's
language from its catalogue key; anything else is a bug and propagates (logged by Dash).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tracker.domain.messages import KeyedError, render
from tracker.web import ui
from tracker.web.context import lang

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    ok: bool
    value: T | None
    notice: list[dict[str, Any]]
    error: KeyedError | None = None

    def __bool__(self) -> bool:
        return self.ok


def refusal_text(error: BaseException) -> str:
    """A refusal for the reader, in the reader's language."""
    return render(error, lang())


def refused(error: BaseException) -> list[dict[str, Any]]:
    """The red notice for a refusal."""
    return ui.notice(refusal_text(error), ok=False)


def attempt(
    run: Callable[[], T],
    *,
    ok: str | Callable[[T], str] | None = None,
) -> Outcome[T]:
    """Run ``run``; a refusal becomes a red notice, success the green ``ok`` notice (if any)."""
    try:
        value = run()
    except KeyedError as error:
        return Outcome(False, None, refused(error), error)
    if ok is None:
        return Outcome(True, value, [])
    text = ok(value) if callable(ok) else ok
    return Outcome(True, value, ui.notice(text, ok=True))
