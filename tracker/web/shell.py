"""The frame around every page: header, navigation, user and scope, language, the bell."""

from __future__ import annotations

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from tracker.i18n import t
from tracker.services.bell import unread_count
from tracker.services.cycle import CurrentPeriod, PeriodState, dates_label
from tracker.services.frame import frame
from tracker.services.permissions import is_scoped, may_somewhere
from tracker.web import ui
from tracker.web.auth import csrf_token
from tracker.web.context import actor, ctx, lang, read, today
from tracker.web.views import bell as bell_view

BELL_REFRESH_MS = 60_000


class ShellIds:
    NOTIFY = "shell-notify"  # the one notification container every page sends to
    BELL = "shell-bell"  # the bell: an indicator whose label is the unread count
    BELL_TIMER = "shell-bell-timer"
    USER = "shell-user"
    LANG = "shell-lang"
    LANG_ZH = "lang-zh"
    LANG_EN = "lang-en"
    LOGOUT = "shell-logout"
    MARK = "shell-mark"  # the first character of OFFICE_REGION
    OFFICE = "shell-office"  # OFFICE_NAME (OFFICE_NAME_EN in English)
    PERIOD = "shell-period"  # the current reporting period, at the foot of the navigation
    PAGES_LOCATION = "_pages_location"  # Dash's own location of the pages (dash.dash._ID_LOCATION)


# (label key, href, action the actor must be allowed, active match). Colleagues add their
# pages (battle map, dispatch) here.
NAV_ITEMS: list[tuple[str, str, str, str]] = [
    ("nav.overview", "/", "project.view", "exact"),
    ("nav.battle_map", "/battle-map", "project.view", "exact"),
    ("nav.projects", "/projects", "project.view", "exact"),
    ("nav.reports", "/reports", "report.edit", "exact"),
    ("nav.ledger", "/ledger", "project.view", "exact"),
    ("nav.bulletin", "/bulletin", "bulletin.view", "exact"),
    ("nav.admin", "/admin", "user.manage", "partial"),
]


def _scope_label(language: str) -> str:
    who = actor()
    role = t(f"role.{who.role}", language)
    place = who.county or who.lead_unit or ""
    return f"{role} · {place}" if place else role


def bell(count: int) -> dmc.Indicator:
    return dmc.Indicator(
        dmc.ActionIcon(
            html.Span(className="icon-bell"),
            id=bell_view.BellIds.BUTTON,
            variant="subtle",
            color="gray",
            size="lg",
            **{"aria-label": t("shell.notifications", lang())},
        ),
        id=ShellIds.BELL,
        label=str(count),
        disabled=count == 0,
        size=16,
        color="red",
        offset=4,
    )


def _nav(language: str) -> list:
    who = actor()
    links = [
        dmc.NavLink(label=t(key, language), href=href, active=match, className="nav-link")
        for key, href, action, match in NAV_ITEMS
        if may_somewhere(who, action)
    ]
    if is_scoped(who, "milestone.update"):  # the projects in their scope: "mine"
        after_projects = next(
            (i + 1 for i, link in enumerate(links) if link.href == "/projects"), len(links)
        )
        links.insert(
            after_projects,
            dmc.NavLink(
                label=t("nav.mine", language),
                href="/projects?mine=1",
                active="exact-with-search",
                className="nav-link",
            ),
        )
    return links


def _short_day(day, language: str) -> str:
    return f"{day.month}月{day.day}日" if language == "zh" else f"{day.day} {day:%b}"


def _period_label(now: CurrentPeriod, language: str) -> str:
    """The current period by the reporting calendar (``services.cycle.period_now``, the same
    month the reports page opens on): open and due when, past due and closing when, or
    closed and when the next one opens. Not today's month: November reports into December."""
    label = dates_label(now.dates, language)
    if now.state == PeriodState.OPEN:
        return t("period.open", language, period=label, due=_short_day(now.dates.due_on, language))
    if now.state == PeriodState.OVERDUE:
        return t(
            "period.overdue",
            language,
            period=label,
            close=_short_day(now.dates.closes_on, language),
        )
    if now.next is None:  # pragma: no cover - a period follows every month or two
        return label
    return t(
        "period.closed_next",
        language,
        period=label,
        next=dates_label(now.next, language),
        date=_short_day(now.next.opens_on, language),
    )


def layout() -> dmc.MantineProvider:
    """The whole page frame; the current page renders into ``dash.page_container``."""
    language = lang()
    who = actor()
    if who.id is None:  # nobody signed in: only Dash's start-up validation sees this
        return ui.provider(html.Div(dash.page_container), language)
    day = today()
    shown = read(frame, user_id=who.id, today=day, settings=ctx().settings)
    count, now = shown.unread, shown.period
    header = dmc.Group(
        [
            dmc.Group(
                [
                    html.Div(ctx().office_mark, className="brand-mark", id=ShellIds.MARK),
                    html.Div(
                        [
                            html.Div(
                                ctx().office_name(language),
                                className="brand-org",
                                id=ShellIds.OFFICE,
                            ),
                            html.Div(t("app.title", language), className="brand-title"),
                        ]
                    ),
                ],
                gap="sm",
                wrap="nowrap",
            ),
            dmc.Group(
                [
                    dmc.Text(
                        t("shell.as_of", language, date=ui.day_label(day, language)),
                        size="sm",
                        c="dimmed",
                        visibleFrom="md",
                    ),
                    html.Div(
                        [
                            html.A(
                                "中文", href="/lang/zh", className="lang-link", id=ShellIds.LANG_ZH
                            ),
                            html.Span("|", className="lang-sep"),
                            html.A(
                                "EN", href="/lang/en", className="lang-link", id=ShellIds.LANG_EN
                            ),
                        ],
                        id=ShellIds.LANG,
                        className="lang-switch",
                    ),
                    bell(count),
                    html.Div(
                        [
                            html.Div(who.label, className="user-name"),
                            html.Div(_scope_label(language), className="user-scope"),
                        ],
                        id=ShellIds.USER,
                        className="user-box",
                    ),
                    html.Form(
                        [
                            dcc.Input(type="hidden", name="csrf_token", value=csrf_token()),
                            html.Button(
                                t("shell.logout", language),
                                type="submit",
                                className="logout-button",
                            ),
                        ],
                        action="/logout",
                        method="POST",
                        id=ShellIds.LOGOUT,
                    ),
                ],
                gap="md",
                wrap="nowrap",
            ),
        ],
        justify="space-between",
        h="100%",
        px="md",
        wrap="nowrap",
    )
    shell = dmc.AppShell(
        [
            dmc.AppShellHeader(header, className="app-header"),
            dmc.AppShellNavbar(
                dmc.Stack(
                    [
                        *_nav(language),
                        dmc.Text(
                            [  # one line per part: the period, then its due, close or next
                                html.Span(part, style={"display": "block"})
                                for part in _period_label(now, language).split(" · ")
                            ],
                            size="xs",
                            c="dimmed",
                            className="nav-foot",
                            id=ShellIds.PERIOD,
                        ),
                    ],
                    gap=2,
                ),
                p="xs",
                className="app-nav",
            ),
            dmc.AppShellMain(dash.page_container, className="app-main"),
            dmc.NotificationContainer(id=ShellIds.NOTIFY, position="top-right", autoClose=6000),
            bell_view.drawer(language),
            dcc.Interval(id=ShellIds.BELL_TIMER, interval=BELL_REFRESH_MS),
        ],
        header={"height": 60},
        navbar={"width": 180, "breakpoint": "sm"},
        padding="md",
    )
    return ui.provider(shell, language)


def register_callbacks(app: dash.Dash) -> None:
    from tracker.web import bell as bell_drawer  # it imports ShellIds from here

    bell_drawer.register_callbacks(app)

    @app.callback(
        Output(ShellIds.BELL, "label"),
        Output(ShellIds.BELL, "disabled"),
        Input(ShellIds.BELL_TIMER, "n_intervals"),
        prevent_initial_call=True,
    )
    def refresh_bell(_n):
        count = read(unread_count, user_id=actor().id)
        return str(count), count == 0
