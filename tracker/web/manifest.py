"""The installable app (#18): ``GET /manifest.webmanifest`` (a web app manifest, signed in like
every page) and its icons in assets/icons (drawn by scripts/phone_icons.py). A phone's
browser offers to add the tracker to the home screen; it opens full screen on the
overview. The page links the manifest with credentials (``LINK``), since it sits behind the
login."""

from __future__ import annotations

import json

from flask import Flask, Response

from tracker.i18n import t
from tracker.web.context import ctx, lang

BRAND = "#2b3a8c"  # --tracker-brand in assets/app.css
LINK = (
    '<link rel="manifest" href="/manifest.webmanifest" crossorigin="use-credentials">'
    f'<meta name="theme-color" content="{BRAND}">'
    '<link rel="apple-touch-icon" href="/assets/icons/icon-192.png">'
)


def manifest(language: str) -> dict:
    return {
        "name": f"{ctx().office_name(language)} · {t('app.title', language)}",
        "short_name": t("phone.app_short", language),
        "lang": "zh-CN" if language == "zh" else "en",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f6fb",
        "theme_color": BRAND,
        "icons": [
            {
                "src": f"/assets/icons/icon-{size}.png",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }


def install_manifest(server: Flask) -> None:
    @server.route("/manifest.webmanifest")
    def web_manifest():
        body = json.dumps(manifest(lang()), ensure_ascii=False)
        return Response(
            body,
            mimetype="application/manifest+json",
            headers={"Cache-Control": "private, no-cache"},
        )


def link_manifest(index_string: str) -> str:
    """Dash's page template with the manifest linked in its head."""
    return index_string.replace("{%favicon%}", "{%favicon%}\n        " + LINK, 1)
