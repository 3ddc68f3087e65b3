"""A self-contained HTML page of a battle-map view (plotly.js inlined: no CDN, no internet)."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False}


def standalone_html(fig: go.Figure, *, post_script: str | None = None) -> str:
    """The figure as one HTML document that opens offline (plotly.js is embedded)."""
    height = fig.layout.height
    return pio.to_html(
        fig,
        include_plotlyjs=True,
        full_html=True,
        config=CONFIG,
        default_width="100%",
        default_height=f"{height}px" if height else "100%",
        post_script=post_script,
        validate=False,
    )
