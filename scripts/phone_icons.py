"""Draw the installable app's icons (#18): assets/icons/icon-192.png and icon-512.png, the
office's mark (the first character of OFFICE_REGION, 临 by default) white on the brand's
indigo. Run once when the mark changes: ``python scripts/phone_icons.py [mark]``; the PNGs are
committed and served from /assets (offline, no CDN)."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = (43, 58, 140)  # --tracker-brand in assets/app.css
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"  # fonts-noto-cjk
OUT = Path(__file__).resolve().parent.parent / "assets" / "icons"


def icon(mark: str, size: int) -> Image.Image:
    image = Image.new("RGB", (size, size), BRAND)  # a full square: "maskable" crops it
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, int(size * 0.5), index=2)  # the SC face of the collection
    draw.text((size / 2, size / 2), mark, fill="white", font=font, anchor="mm")
    return image


def main(mark: str = "临") -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(mark, size).save(OUT / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main(*sys.argv[1:2])
