"""The project page's site photos: upload and 'use this photo's place' (wiring only; the
layout is tracker/web/views/photos.py, the rules tracker/services/photos.py)."""

from __future__ import annotations

import base64
import binascii

import dash
from dash import ALL, Input, Output, State, ctx, no_update

from tracker.i18n import t
from tracker.services import photos
from tracker.web import notices, ui
from tracker.web.context import actor, lang, read, today, write
from tracker.web.context import ctx as web
from tracker.web.outcome import attempt, refusal_text
from tracker.web.views import photos as view
from tracker.web.views.photos import PhotoIds as Ids
from tracker.web.views.project import ProjectIds

NOTIFY = notices.output("project")  # the project page's notice store (no request on open)


def photo_section(project_id, timeline=None):
    """The section for the project page's layout (None when the reader may not see it);
    ``timeline``: the photos already read by the page."""
    if timeline is None:
        loaded = attempt(lambda: read(photos.timeline, actor=actor(), project_id=project_id))
        if not loaded:
            return None
        timeline = loaded.value
    return view.section(timeline, lang(), max_mb=int(web().settings.PHOTO_MAX_MB))


def _uploads(contents, names) -> list[photos.Upload]:
    """The browser's data URLs as bytes (a part that is not base64 becomes an empty file,
    which the service refuses by name)."""
    out = []
    for content, name in zip(contents or [], names or [], strict=False):
        _, _, payload = str(content).partition(",")
        try:
            data = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            data = b""
        out.append(photos.Upload(str(name or "photo")[:200], data))
    return out


def _target(attach) -> dict[str, str]:
    """The attach box's value: ``r:<report id>`` or ``m:<milestone id>`` (none: the month)."""
    kind, _, key = str(attach or "").partition(":")
    if kind == "r" and key:
        return {"report_id": key}
    if kind == "m" and key:
        return {"milestone_id": key}
    return {}


def _saved_text(saved, language: str) -> str:
    flagged = sum(1 for p in saved if not p.passed)
    if flagged:
        return t("photo.saved_flagged", language, count=len(saved), flagged=flagged)
    return t("photo.saved", language, count=len(saved))


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.BODY, "children"),
        Output(Ids.ERROR, "children"),
        NOTIFY,
        Output(Ids.UPLOAD, "contents"),
        Input(Ids.UPLOAD, "contents"),
        State(Ids.UPLOAD, "filename"),
        State(ProjectIds.PROJECT, "data"),
        State(Ids.MILESTONE, "value"),
        prevent_initial_call=True,
    )
    def upload_photos(contents, names, project_id, attach):
        if not contents:
            return (no_update,) * 4
        language, settings = lang(), web().settings
        done = attempt(
            lambda: write(
                photos.upload,
                actor=actor(),
                project_id=project_id,
                uploads=_uploads(contents, names),
                store=photos.store_for(settings, web().engine),
                limit=photos.limits(settings),
                today=today(),
                **_target(attach),
            )
        )
        if not done:
            return no_update, refusal_text(done.error), done.notice, None
        line = read(photos.timeline, actor=actor(), project_id=project_id)
        notice = ui.notice(_saved_text(done.value, language), ok=True)
        return view.timeline(line, language), "", notice, None

    @app.callback(
        Output(Ids.LOCATION, "children"),
        Output(Ids.VERSION, "data"),
        NOTIFY,
        Input({"type": Ids.LOCATE, "index": ALL}, "n_clicks"),
        State(Ids.VERSION, "data"),
        State(ProjectIds.PROJECT, "data"),
        prevent_initial_call=True,
    )
    def locate_from_photo(_clicks, version, project_id):
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return (no_update,) * 3
        photo_id = ctx.triggered_id["index"]
        done = attempt(
            lambda: write(
                photos.location_from_photo, actor=actor(), photo_id=photo_id, seen_version=version
            ),
            ok=t("location.saved", lang()),
        )
        if not done:
            return no_update, no_update, done.notice
        line = read(photos.timeline, actor=actor(), project_id=project_id)
        return view.location_text(line, lang()), done.value, done.notice
