"""审批部门 page (/approvals, #17): wiring only; read-only, no callbacks."""

from __future__ import annotations

import dash

from tracker.i18n import t
from tracker.services.approving_units_page import approving_units_page
from tracker.web import ui
from tracker.web.context import actor, ctx, lang, read, today
from tracker.web.outcome import attempt, refusal_text
from tracker.web.views import approving_units as view


def layout(**_query):
    language = lang()
    loaded = attempt(
        lambda: read(approving_units_page, actor=actor(), today=today(), settings=ctx().settings)
    )
    if not loaded:
        return ui.denied(refusal_text(loaded.error))
    return view.page(loaded.value, language)


def register_callbacks(app: dash.Dash) -> None:
    """The page has no callbacks: it is read when opened."""


dash.register_page(
    __name__,
    path="/approvals",
    title=lambda: t("nav.approvals", lang()),
    order=6,
    layout=layout,
)
