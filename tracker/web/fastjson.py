"""Dash's answers turned into JSON in one pass of orjson, byte for byte what Dash sends.

Dash serialises every callback answer, layout and dependency list with
``plotly.io.json.to_json_plotly``. With orjson installed that first walks the whole value in
Python (``clean_to_json_compatible``: every dict, list and component, ~92,000 calls for one
project page) and only then hands the cleaned copy to orjson: under load it was 25-30 % of
the project page's CPU. Here orjson walks the value itself and calls back into Python only
for what it cannot encode (components, figures, decimals, arrays it cannot take as they
are), with the same conversions as plotly's cleaner, so the text is the same
(tests/web/test_fastjson.py compares every page of the app with plotly's encoder).

``install()`` points Dash's modules at :func:`to_json`; it is idempotent.
"""

from __future__ import annotations

import decimal
from typing import Any

import orjson
from dash.development.base_component import Component

OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
# what plotly's encoder escapes so that the text is safe inside a <script> element
_SWAP = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("/", "\\u002f"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


_PLAIN_TO_JSON = Component.to_plotly_json


def _component(value: Component) -> dict[str, Any]:
    """``Component.to_plotly_json`` without its per-attribute generator expressions (a
    quarter of a page's CPU once the rest is cached): the same props in the same order —
    the component's properties in their order, then the ``data-*``/``aria-*`` ones as set
    (Dash 4 keeps both lists on each instance)."""
    held = value.__dict__
    names = held.get("_prop_names")
    wildcards = held.get("_valid_wildcard_attributes")
    if names is None or wildcards is None:  # another Dash: its own method
        return value.to_plotly_json()
    props = {name: held[name] for name in names if name in held}
    if wildcards:
        marks = tuple(wildcards)
        for name in held:
            if name.startswith(marks):
                props[name] = held[name]
    kind = type(value)
    return {"props": props, "type": kind._type, "namespace": kind._namespace}  # type: ignore[attr-defined]


def _default(value: Any) -> Any:
    """What orjson cannot encode, converted as plotly's ``clean_to_json_compatible`` does."""
    if isinstance(value, Component) and type(value).to_plotly_json is _PLAIN_TO_JSON:
        return _component(value)
    to_json = getattr(value, "to_plotly_json", None)  # components, figures, graph objects
    if to_json is not None:
        return to_json()
    if isinstance(value, decimal.Decimal):
        return float(value)
    to_datetime = getattr(value, "to_pydatetime", None)  # pandas timestamps
    if to_datetime is not None:
        return to_datetime()
    dtype = getattr(value, "dtype", None)
    if dtype is not None and getattr(value, "ndim", None) is not None:  # numpy arrays
        if dtype.kind in "biuf":
            import numpy

            return numpy.ascontiguousarray(value)
        if dtype.kind == "M":
            import numpy

            return numpy.datetime_as_string(value).tolist()
    to_list = getattr(value, "tolist", None)
    if to_list is not None:
        return to_list()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def to_json(value: Any) -> str:
    """``value`` as Dash would send it (``dash._utils.to_json``)."""
    text = orjson.dumps(value, default=_default, option=OPTIONS).decode("utf-8")
    for unsafe, safe in _SWAP:
        if unsafe in text:
            text = text.replace(unsafe, safe)
    return text


def install() -> None:
    """Dash's modules use :func:`to_json` from now on (each imported it by name)."""
    import dash._callback
    import dash._utils
    import dash._validate
    import dash.dash

    for module in (dash._utils, dash._callback, dash._validate, dash.dash):
        if getattr(module, "to_json", None) is not to_json:
            module.to_json = to_json
