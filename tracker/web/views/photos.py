"""The project page's site photos (形象进度): upload from the camera or the gallery, the
photos month by month with their checks, before and after. Layout only."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from tracker.domain.periods import month_label
from tracker.domain.photos import place_text
from tracker.i18n import t
from tracker.services.photos import PhotoView, Timeline
from tracker.web import ui
from tracker.web.media import photo_url


class PhotoIds:
    SECTION = "ph-section"
    BODY = "ph-body"  # the timeline, re-rendered after an upload
    UPLOAD = "ph-upload"
    MILESTONE = "ph-milestone"
    ERROR = "ph-error"
    REFRESH = "ph-refresh"  # Store: bumped after an upload
    LOCATE = "ph-locate"  # pattern: {"type": LOCATE, "index": photo id}
    VERSION = "ph-version"  # Store: the project's version the page was drawn at
    LOCATION = "ph-location"


def _flags(photo: PhotoView, language: str) -> html.Div:
    if photo.passed:
        return html.Div(
            dmc.Badge(t("photo.passed", language), color="green", variant="light"),
            className="photo-checks passed",
        )
    return html.Div(
        [
            dmc.Badge(t("photo.flagged", language), color="red", variant="light"),
            html.Ul([html.Li(f.render(language)) for f in photo.flags]),
        ],
        className="photo-checks flagged",
    )


def _card(photo: PhotoView, language: str, *, can_locate: bool) -> html.Div:
    taken = f"{photo.taken_at:%Y-%m-%d %H:%M}" if photo.taken_at else t("photo.no_time", language)
    place = place_text(photo.lat, photo.lon) or t("photo.no_place", language)
    locate = None
    if can_locate and photo.lat is not None:
        locate = dmc.Button(
            t("photo.use_location", language),
            id={"type": PhotoIds.LOCATE, "index": photo.id},
            size="compact-xs",
            variant="subtle",
        )
    return html.Div(
        [
            html.A(
                html.Img(
                    src=photo_url(photo.id, "thumb"),
                    alt=taken,
                    className="photo-thumb",
                ),
                href=photo_url(photo.id, "full"),
                target="_blank",
                rel="noopener",
                title=t("photo.open", language),
            ),
            html.Div(taken, className="photo-when"),
            html.Div(place, className="photo-where"),
            html.Div(t("photo.milestone", language, name=photo.milestone), className="photo-ms")
            if photo.milestone
            else None,
            _flags(photo, language),
            locate,
        ],
        className="photo-card",
        **{"data-photo": str(photo.id), "data-passed": "1" if photo.passed else "0"},
    )


def _before_after(line: Timeline, language: str) -> Any:
    if line.before is None or line.after is None:
        return None
    pair = [(t("photo.before", language), line.before), (t("photo.after", language), line.after)]
    return html.Div(
        [
            html.Figure(
                [
                    html.Img(src=photo_url(p.id, "thumb"), alt=label, className="photo-thumb"),
                    html.Figcaption(label),
                ],
                className="photo-pair",
            )
            for label, p in pair
        ],
        className="photo-before-after",
    )


def timeline(line: Timeline, language: str) -> html.Div:
    if not line.months:
        return html.Div(dmc.Text(t("photo.none_yet", language), c="dimmed", size="sm"))
    months = [
        html.Div(
            [
                html.H5(t("photo.month", language, month=month_label(m.period, language))),
                html.Div(
                    [_card(p, language, can_locate=line.can_locate) for p in m.photos],
                    className="photo-grid",
                ),
            ],
            className="photo-month",
        )
        for m in line.months
    ]
    return html.Div([_before_after(line, language), *months])


def location_text(line: Timeline, language: str) -> str:
    where = place_text(*line.location) if line.location else t("location.none", language)
    colon = "：" if language == "zh" else ": "
    return f"{t('location.label', language)}{colon}{where}"


def _location(line: Timeline, language: str) -> html.Div:
    return html.Div(location_text(line, language), id=PhotoIds.LOCATION, className="photo-loc")


def _uploader(line: Timeline, language: str, max_mb: int) -> Any:
    if not line.can_upload:
        return None
    options = [
        {
            "value": f"r:{rid}",
            "label": t("photo.for_report", language, month=month_label(m, language)),
        }
        for rid, m in line.reports
    ] + [
        {"value": f"m:{mid}", "label": t("photo.milestone", language, name=name)}
        for mid, name in line.milestones
    ]
    return html.Div(
        [
            dmc.Select(
                id=PhotoIds.MILESTONE,
                data=options,
                label=t("photo.attach_to", language),
                clearable=True,
                size="sm",
                className="photo-ms-select",
            ),
            dcc.Upload(
                html.Div(t("photo.upload", language), className="photo-drop-text"),
                id=PhotoIds.UPLOAD,
                multiple=True,
                accept="image/*",
                className="photo-drop",
            ),
            dmc.Text(t("photo.upload_hint", language, limit=max_mb), size="xs", c="dimmed"),
            html.Div(id=PhotoIds.ERROR, className="photo-error", role="alert"),
        ],
        className="photo-uploader",
    )


def section(line: Timeline, language: str, *, max_mb: int) -> html.Div:
    return html.Div(
        [
            ui.section(
                t("photo.section", language),
                _location(line, language),
                _uploader(line, language, max_mb),
                html.Div(timeline(line, language), id=PhotoIds.BODY),
            ),
            dcc.Store(id=PhotoIds.REFRESH),
            dcc.Store(id=PhotoIds.VERSION, data=line.project_version),
        ],
        id=PhotoIds.SECTION,
        className="photo-section",
    )
