"""The photo route: ``/media/photos/<id>/<full|thumb>.jpg``, served only to a reader who may
see the photo's project (the service decides; anyone else gets the same 404 as for a photo
that does not exist). The files' content addresses are never part of any URL."""

from __future__ import annotations

import hashlib

from flask import Flask, Response, abort, request

from tracker.services import photos
from tracker.services.errors import NotFound
from tracker.web.context import actor, lang, read
from tracker.web.context import ctx as web

PATH = "/media/photos/<int:photo_id>/<size>.jpg"


def photo_url(photo_id: int, size: str = "thumb") -> str:
    return f"/media/photos/{int(photo_id)}/{size}.jpg"


def install_media(server: Flask) -> None:
    @server.get(PATH)
    def photo_image(photo_id: int, size: str) -> Response:
        language = lang()
        try:
            data = read(
                photos.image,
                actor=actor(),
                photo_id=photo_id,
                size=size,
                store=photos.store_for(web().settings, web().engine),
                language=language,
            )
        except NotFound:
            abort(404)
        etag = hashlib.sha256(data).hexdigest()[:32]
        if request.if_none_match.contains(etag):
            return Response(status=304)
        response = Response(data, mimetype="image/jpeg")
        response.set_etag(etag)
        # private: the reader's permission decides; revalidated, since a project's name
        # (in the watermark) or the reader's rights may change
        response.headers["Cache-Control"] = "private, no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Disposition"] = f'inline; filename="photo-{photo_id}-{size}.jpg"'
        return response
