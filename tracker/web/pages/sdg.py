"""SDG 进展 (/sdg, #16): the 17 goals as tiles; each opens its indicators. No callbacks:
the tiles are links to the indicators page filtered to their goal."""

from __future__ import annotations

import dash
from dash import html

from tracker.i18n import t
from tracker.services.indicators import sdg_tiles
from tracker.web import ui
from tracker.web.context import actor, lang, read, today
from tracker.web.views import sdg as view


def layout(**_query):
    language = lang()
    goals = read(sdg_tiles, actor=actor(), as_of=today())
    return html.Div(
        [
            ui.page_title(t("indv.sdg_title", language), t("indv.sdg_subtitle", language)),
            view.tiles([view.tile(goal, language) for goal in goals]),
        ],
        className="page page-sdg",
    )


def register_callbacks(app: dash.Dash) -> None:
    """Nothing to wire: every tile is a link."""


dash.register_page(__name__, path="/sdg", title=lambda: t("indv.sdg_title", lang()), layout=layout)
