"""The frame around every page: header, navigation, user and scope, language, the bell.

The frame is the same for every user of a role in a language (``FrameKey``): it is built
from the key alone, so /_dash-layout can serve it from a cache (``tracker.web.http_cache``).
What belongs to the signed-in user (name, scope, the bell's count, the date, the period,
the logout form's token) is filled in by ``user_frame`` when the page loads.
"""

from __future__ import annotations

from dataclasses import dataclass

import dash
import dash_mantine_components as dmc
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update

from tracker.i18n import t
from tracker.services.auth import Actor
from tracker.services.bell import unread_count
from tracker.services.cycle import CurrentPeriod, PeriodState, dates_label
from tracker.services.frame import frame
from tracker.services.permissions import is_scoped, may_somewhere
from tracker.web import ui
from tracker.web.auth import csrf_token
from tracker.web.context import actor, ctx, lang, read, today
from tracker.web.views import bell as bell_view

BELL_REFRESH_MS = 60_000
# #18: below Mantine's "sm" (48em) the navigation folds away behind the burger
NAVBAR = {"width": 180, "breakpoint": "sm", "collapsed": {"mobile": True}}


class ShellIds:
    NOTIFY = "shell-notify"  # the one notification container every page sends to
    BELL = "shell-bell"  # the bell: an indicator whose label is the unread count
    BELL_TIMER = "shell-bell-timer"
    USER = "shell-user"
    USER_NAME = "shell-user-name"
    USER_SCOPE = "shell-user-scope"
    AS_OF = "shell-as-of"
    CSRF = "shell-csrf"  # the logout form's token
    LANG = "shell-lang"
    LANG_ZH = "lang-zh"
    LANG_EN = "lang-en"
    LOGOUT = "shell-logout"
    CALENDAR = "shell-calendar"  # the user's calendar feed page (/calendar, #17)
    MARK = "shell-mark"  # the first character of OFFICE_REGION
    OFFICE = "shell-office"  # OFFICE_NAME (OFFICE_NAME_EN in English)
    PERIOD = "shell-period"  # the current reporting period, at the foot of the navigation
    PAGES_LOCATION = "_pages_location"  # Dash's own location of the pages (dash.dash._ID_LOCATION)
    APP = "shell-app"  # the AppShell: its navbar collapses on a phone (#18)
    BURGER = "shell-burger"  # the phone's menu button (below the navbar's breakpoint)


# (label key, href, action the actor must be allowed, active match). Colleagues add their
# pages (battle map, dispatch) here.
NAV_ITEMS: list[tuple[str, str, str, str]] = [
    ("nav.overview", "/", "project.view", "exact"),
    ("nav.battle_map", "/battle-map", "project.view", "exact"),
    ("map.nav", "/map", "project.view", "exact"),  # #18: 项目一张图
    ("nav.projects", "/projects", "project.view", "exact"),
    ("nav.reports", "/reports", "report.edit", "exact"),
    ("nav.ledger", "/ledger", "project.view", "exact"),
    ("nav.bulletin", "/bulletin", "bulletin.view", "exact"),
    ("nav.indicators", "/indicators", "indicator.view", "partial"),  # #16
    ("nav.sdg", "/sdg", "indicator.view", "exact"),  # #16
    ("nav.indicator_entry", "/indicator-entry", "indicator.enter", "exact"),  # #16
    ("nav.approvals", "/approvals", "approval.view", "exact"),  # #17 审批部门
    ("nav.admin", "/admin", "user.manage", "partial"),
]


@dataclass(frozen=True)
class FrameKey:
    """What decides the frame's content: the role (its navigation) and the language."""

    role: str
    language: str


def frame_key() -> FrameKey | None:
    """The frame of this request's user; None for nobody signed in."""
    who = actor()
    return None if who.id is None else FrameKey(who.role, lang())


def _scope_label(who: Actor, language: str) -> str:
    role = t(f"role.{who.role}", language)
    place = who.county or who.lead_unit or ""
    return f"{role} · {place}" if place else role


def bell(count: int, language: str) -> dmc.Indicator:
    return dmc.Indicator(
        dmc.ActionIcon(
            html.Span(className="icon-bell"),
            id=bell_view.BellIds.BUTTON,
            variant="subtle",
            color="gray",
            size="lg",
            **{"aria-label": t("shell.notifications", language)},
        ),
        id=ShellIds.BELL,
        label=str(count),
        disabled=count == 0,
        size=16,
        color="red",
        offset=4,
    )


def _nav(role: str, language: str) -> list:
    who = Actor(id=None, username="", role=role)  # the role's grants, nobody's own data
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


def _phone_links(language: str) -> html.Div:
    """What the phone's header has no room for, at the foot of the folded navigation: the
    calendar feed and the language (the same links as the header's, which a phone hides)."""
    return html.Div(
        [
            html.A(t("shell.calendar", language), href="/calendar", className="lang-link"),
            html.Span("|", className="lang-sep"),
            html.A("中文", href="/lang/zh", className="lang-link"),
            html.Span("|", className="lang-sep"),
            html.A("EN", href="/lang/en", className="lang-link"),
        ],
        className="nav-phone-links",
    )


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
    key = frame_key()
    if key is None:  # nobody signed in: only Dash's start-up validation sees this
        return ui.provider(html.Div(dash.page_container), lang())
    return frame_layout(key)


def frame_layout(key: FrameKey) -> dmc.MantineProvider:
    """The frame for ``key``: nothing in it is the user's own (``user_frame`` fills that)."""
    language = key.language
    header = dmc.Group(
        [
            dmc.Group(
                [
                    dmc.Burger(
                        id=ShellIds.BURGER,
                        opened=False,
                        hiddenFrom="sm",
                        size="md",
                        className="nav-burger",
                        **{"aria-label": t("shell.menu", language)},
                    ),
                    html.Div(ctx().office_mark, className="brand-mark", id=ShellIds.MARK),
                    html.Div(
                        [
                            html.Div(
                                ctx().office_name(language),
                                className="brand-org",
                                id=ShellIds.OFFICE,
                            ),
                            html.Div(t("app.title", language), className="brand-title"),
                        ],
                        className="brand-text",
                    ),
                ],
                gap="sm",
                wrap="nowrap",
                className="header-left",
            ),
            dmc.Group(
                [
                    dmc.Text(
                        id=ShellIds.AS_OF,
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
                    bell(0, language),
                    html.A(
                        t("shell.calendar", language),
                        href="/calendar",
                        className="lang-link",
                        id=ShellIds.CALENDAR,
                        title=t("calendar.title", language),
                    ),
                    html.Div(
                        [
                            html.Div(id=ShellIds.USER_NAME, className="user-name"),
                            html.Div(id=ShellIds.USER_SCOPE, className="user-scope"),
                        ],
                        id=ShellIds.USER,
                        className="user-box",
                    ),
                    html.Form(
                        [
                            dcc.Input(id=ShellIds.CSRF, type="hidden", name="csrf_token", value=""),
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
                className="header-right",
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
                        *_nav(key.role, language),
                        dmc.Text(
                            size="xs",
                            c="dimmed",
                            className="nav-foot",
                            id=ShellIds.PERIOD,
                        ),
                        _phone_links(language),
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
        navbar=NAVBAR,
        padding="md",
        id=ShellIds.APP,
    )
    return ui.provider(shell, language)


def register_callbacks(app: dash.Dash) -> None:
    from tracker.web import bell as bell_drawer  # it imports ShellIds from here

    bell_drawer.register_callbacks(app)
    # #18: the phone's burger folds the navbar (assets/phone.js); nothing leaves the browser
    app.clientside_callback(
        ClientsideFunction(namespace="phone", function_name="navbar"),
        Output(ShellIds.APP, "navbar"),
        Input(ShellIds.BURGER, "opened"),
        State(ShellIds.APP, "navbar"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="phone", function_name="closeMenu"),
        Output(ShellIds.BURGER, "opened"),
        Input(ShellIds.PAGES_LOCATION, "pathname"),
        Input(ShellIds.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ShellIds.BELL, "label"),
        Output(ShellIds.BELL, "disabled"),
        Output(ShellIds.USER_NAME, "children"),
        Output(ShellIds.USER_SCOPE, "children"),
        Output(ShellIds.AS_OF, "children"),
        Output(ShellIds.PERIOD, "children"),
        Output(ShellIds.CSRF, "value"),
        Input(ShellIds.BELL_TIMER, "n_intervals"),
    )
    def user_frame(n):
        """The signed-in user's part of the frame when the page loads; then the bell's
        count each time the timer ticks."""
        who = actor()
        if n:
            count = read(unread_count, user_id=who.id)
            return str(count), count == 0, *[no_update] * 5
        language, day = lang(), today()
        shown = read(frame, user_id=who.id, today=day, settings=ctx().settings)
        period = [  # one line per part: the period, then its due, close or next
            html.Span(part, style={"display": "block"})
            for part in _period_label(shown.period, language).split(" · ")
        ]
        return (
            str(shown.unread),
            shown.unread == 0,
            who.label,
            _scope_label(who, language),
            t("shell.as_of", language, date=ui.day_label(day, language)),
            period,
            csrf_token(),
        )
