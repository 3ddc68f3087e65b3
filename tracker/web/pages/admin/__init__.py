"""管理 page (the office): the layout here, the callbacks by feature beside it — accounts
and sessions (``users``), light thresholds and reschedule approvals (``settings``), the
project list's import and export (``imports``). Wiring only: every change goes through a
service that checks the actor's permission itself."""

from __future__ import annotations

import dash
from dash import dcc, html

from tracker.i18n import t
from tracker.services.admin import AdminPage, admin_page
from tracker.services.import_jobs import importer_available
from tracker.services.permissions import can
from tracker.web import notices, ui
from tracker.web.context import actor, lang, read
from tracker.web.context import ctx as web
from tracker.web.pages.admin import imports, settings, users
from tracker.web.views import admin as view
from tracker.web.views.admin import AdminIds as Ids


def _users_tab(page: AdminPage, language: str) -> html.Div:
    units = list(page.lead_units)
    return html.Div(
        [
            view.users_grid(page.users, language),
            view.two_columns(
                [view.selected_panel(language, units), view.add_user_form(language, units)]
            ),
            dcc.Store(id=Ids.USERS_REFRESH),
        ]
    )


def _approvals_tab(page: AdminPage, language: str) -> html.Div:
    return html.Div(
        [
            view.approval_form(page.needs_approval, page.approval_version, language),
            ui.section(
                t("approval.pending", language),
                html.Div(view.pending_table(page.pending, language), id=Ids.PENDING),
                mt="md",
            ),
            dcc.Store(id=Ids.PENDING_REFRESH),
        ]
    )


def layout(tab=None, **_query):
    language = lang()
    who = actor()
    if not can(who, "user.manage"):
        return html.Div(ui.denied(t("admin.denied", language)), className="page")
    context = web()
    page = read(admin_page, actor=who, settings=context.settings)
    return html.Div(
        [
            ui.page_title(t("nav.admin", language), t("admin.subtitle", language)),
            view.tabs(
                language,
                _users_tab(page, language),
                view.thresholds_form(page.thresholds, page.thresholds_version, language),
                _approvals_tab(page, language),
                view.list_panel(
                    importer_available(context.importer),
                    int(context.settings.MAX_UPLOAD_MB),
                    language,
                ),
                tab=tab,
            ),
            notices.store("admin"),
        ],
        className="page page-admin",
    )


def register_callbacks(app: dash.Dash) -> None:
    for feature in (users, settings, imports):
        feature.register_callbacks(app)


dash.register_page(
    __name__, path="/admin", title=lambda: t("nav.admin", lang()), order=9, layout=layout
)
