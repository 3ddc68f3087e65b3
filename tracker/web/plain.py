"""Dash components built as the plain dicts Dash sends, for pages drawn on every request.

A Dash component costs its construction (``_explicitize_args`` and ``Component.__init__``
check every argument) and, when the answer is encoded, a call back into Python
(``to_plotly_json``) for each one: on the project page, a few hundred components, that was
more than half the request's CPU (#15). What the browser gets for a component is only
``{"props": …, "type": …, "namespace": …}``, the props in the order of the class's
``_prop_names`` (``children`` always, as ``None`` when not given, for classes that have it).
``html``, ``dcc`` and ``dmc`` here build that dict directly, with the same call as the real
class (``plain.dmc.Badge("x", color="red")``), so a view switches by its import; orjson
writes the dicts without calling back (tracker/web/fastjson.py).

What they give up: the argument checks (an unknown prop, or a ``data-*`` or ``aria-*`` one,
raises ``KeyError``), and the object: a view that builds with them must not read or set
attributes of what it built.
``as_components()`` makes them build the real classes again, for the tests that compare
the two encodings of a page (tests/web/test_plain_components.py).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any

import dash_mantine_components as _dmc
from dash import dcc as _dcc
from dash import html as _html

Plain = dict[str, Any]  # a component as built here: {"props", "type", "namespace"}
_NOT_GIVEN = object()
_REAL: contextvars.ContextVar[bool] = contextvars.ContextVar("tracker_plain_real", default=False)


@contextlib.contextmanager
def as_components() -> Iterator[None]:
    """Within: the builders return the real Dash components (tests compare the two)."""
    token = _REAL.set(True)
    try:
        yield
    finally:
        _REAL.reset(token)


def _builder(kind: type) -> Callable[..., Any]:
    names: list[str] | None = None
    position: dict[str, int] = {}
    orders: dict[tuple[str, ...], tuple[str, ...]] = {}  # the given props -> sent order
    has_children = False
    sent_type = sent_namespace = ""

    def build(children: Any = _NOT_GIVEN, /, **props: Any) -> Any:
        nonlocal names, position, has_children, sent_type, sent_namespace
        if "children" in props:
            children = props.pop("children")
        if _REAL.get() or names is None:
            real = kind(**props) if children is _NOT_GIVEN else kind(children, **props)
            if names is None:  # the first call: learn the class from a real instance
                sent_type, sent_namespace = real._type, real._namespace
                position = {name: i for i, name in enumerate(real._prop_names)}
                has_children = "children" in position
                names = real._prop_names
            if _REAL.get():
                return real
        given = tuple(props)
        order = orders.get(given)
        if order is None:
            for name in given:
                if name not in position:
                    raise KeyError(f"{kind.__name__} has no prop {name!r}")
            named = (*given, "children") if has_children else given
            order = orders[given] = tuple(sorted(named, key=position.__getitem__))
        if has_children:
            props["children"] = None if children is _NOT_GIVEN else children
        elif children is not _NOT_GIVEN:
            raise TypeError(f"{kind.__name__} takes no children")
        sent = {name: props[name] for name in order}
        return {"props": sent, "type": sent_type, "namespace": sent_namespace}

    build.__name__ = kind.__name__
    build.__doc__ = f"``{kind.__module__}.{kind.__name__}`` as the dict Dash sends."
    return build


class _Namespace:
    """``plain.html.Div`` and the like: each class's builder, made on first use."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Callable[..., Any]:
        kind = getattr(self._module, name)
        built = _builder(kind)
        setattr(self, name, built)
        return built


html = _Namespace(_html)
dcc = _Namespace(_dcc)
dmc = _Namespace(_dmc)
