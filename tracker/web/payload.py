"""What a callback receives is JSON that anyone signed in can forge (every callback is a
public endpoint): these read it without trusting its shape, so a list where a dict belongs
or a float where an id belongs is treated as missing, never as an error (#12)."""

from __future__ import annotations

from typing import Any

from tracker.domain.inputs import parse_id


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def dicts(value: Any) -> list[dict[str, Any]]:
    """The JSON objects in ``value`` if it is a list, else none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def first_dict(value: Any) -> dict[str, Any]:
    """The first JSON object of a list (a grid's selected row), else an empty one."""
    found = dicts(value)
    return found[0] if found else {}


def as_id(value: Any) -> int | None:
    """A record id or version number (see ``tracker.domain.inputs.parse_id``)."""
    return parse_id(value)


def as_text(value: Any) -> str | None:
    """``value`` if it is a string, else None."""
    return value if isinstance(value, str) else None
