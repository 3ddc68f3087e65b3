"""The notification drawer behind the bell: the user's latest messages (unread first), and
for the office the e-mails and group messages that could not be delivered."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_mantine_components as dmc
from dash import html

from tracker.i18n import t
from tracker.services.bell import Note
from tracker.web.views.timefmt import local_time


class BellIds:
    BUTTON = "shell-bell-button"
    DRAWER = "bell-drawer"
    LIST = "bell-list"
    MARK_ALL = "bell-mark-all"
    RETRY = "bell-retry"  # pattern: {"type": RETRY, "index": notification id}
    UNREAD = "bell-unread"
    ITEMS = "bell-items"
    FAILED = "bell-failed"


def reason_label(reason: str, language: str) -> str:
    key = f"notify.reason.{reason}"
    label = t(key, language)
    return "" if label == key else label


def item(n: Note, language: str) -> html.Div:
    unread = n.unread
    return html.Div(
        [
            dmc.Group(
                [
                    html.Span(
                        n.subject_in(language) or reason_label(n.reason, language),
                        className="bell-subject",
                    ),
                    dmc.Badge(t("bell.unread", language), size="xs", color="red")
                    if unread
                    else None,
                ],
                justify="space-between",
                wrap="nowrap",
            ),
            html.Div(n.body_in(language), className="bell-body"),
            html.Div(
                " · ".join(
                    x for x in (local_time(n.created_at), reason_label(n.reason, language)) if x
                ),
                className="bell-meta",
            ),
        ],
        className="bell-item bell-unread" if unread else "bell-item",
    )


def failed_item(n: Note, language: str) -> html.Div:
    channel = t(f"bell.channel.{n.channel}", language)
    return html.Div(
        [
            dmc.Group(
                [
                    html.Span(n.subject_in(language), className="bell-subject"),
                    dmc.Button(
                        t("bell.retry", language),
                        id={"type": BellIds.RETRY, "index": n.id},
                        size="compact-xs",
                        variant="light",
                        color="orange",
                        className="bell-retry",
                    ),
                ],
                justify="space-between",
                wrap="nowrap",
            ),
            html.Div(
                f"{channel} → {n.recipient or '—'} · {t('bell.attempts', language, n=n.attempts)}",
                className="bell-meta",
            ),
            html.Div(n.last_error, className="bell-meta"),
        ],
        className="bell-item",
    )


def content(
    messages: Sequence[Note],
    language: str,
    *,
    unread: int,
    failed: Sequence[Note] | None = None,
) -> html.Div:
    """The drawer's body; ``failed`` is None for those who may not see delivery."""
    head = dmc.Group(
        [
            dmc.Text(
                t("bell.unread_n", language, n=unread), size="sm", c="dimmed", id=BellIds.UNREAD
            ),
            dmc.Button(
                t("notify.mark_all_read", language),
                id=BellIds.MARK_ALL,
                size="xs",
                variant="light",
                disabled=unread == 0,
            ),
        ],
        justify="space-between",
        mb="xs",
    )
    listing: Any = (
        [item(n, language) for n in messages]
        if messages
        else dmc.Text(t("bell.none", language), c="dimmed", size="sm")
    )
    parts: list[Any] = [head, html.Div(listing, id=BellIds.ITEMS)]
    if failed is not None:
        parts += [
            dmc.Divider(
                label=t("bell.failed", language, n=len(failed)), labelPosition="left", my="md"
            ),
            html.Div(
                [failed_item(n, language) for n in failed]
                if failed
                else dmc.Text(t("bell.failed_none", language), c="dimmed", size="sm"),
                id=BellIds.FAILED,
            ),
        ]
    return html.Div(parts)


def drawer(language: str) -> dmc.Drawer:
    return dmc.Drawer(
        html.Div(id=BellIds.LIST),
        id=BellIds.DRAWER,
        title=t("notify.bell", language),
        position="right",
        size="md",
        opened=False,
        className="bell-drawer",  # the whole screen on a phone (assets/phone.css)
    )
