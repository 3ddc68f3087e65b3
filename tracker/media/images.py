"""An uploaded photo, from untrusted bytes to the clean JPEGs the app stores and serves.

Refused before they cost memory (every check below runs on the bytes or on the header that
``Image.open`` reads lazily, before a single pixel is decoded):

- more than ``max_bytes``;
- not a JPEG, PNG, WebP or HEIC by its leading bytes (a text, a script, an executable
  renamed ``.jpg``); HEIC only when pillow-heif is installed, else refused with that reason;
- a polyglot: bytes that another program would read as something else (a ZIP's central
  directory at the end, a PDF header near the start, HTML or script markup anywhere);
- more than ``max_pixels`` pixels or a side over ``MAX_SIDE`` by the header (a
  decompression bomb: a small file that decodes to gigabytes; a huge-dimension PNG).

What is kept is a re-encoding of the decoded pixels (JPEG, no EXIF at all: no camera make,
serial numbers, owner names or thumbnails), turned upright by its EXIF orientation. The time
taken and the GPS position are read first and returned to be stored as fields.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from tracker.domain.messages import KeyedError

FONT = Path(__file__).resolve().parent.parent / "gantt" / "fonts" / "wqy-microhei.ttc"
MAX_SIDE = 20_000
FULL_SIDE = 2000  # the stored photo's long edge (a 4000 px camera JPEG decodes at half scale)
THUMB_SIDE = 480  # the timeline's thumbnails
QUALITY = 85
# Pillow's own guard, a backstop behind the setting's limit (checked first, on the header):
# Image.open raises DecompressionBombError beyond twice this, and warns (refused here) beyond it
Image.MAX_IMAGE_PIXELS = 256_000_000

SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
)
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}
MARKUP = re.compile(rb"<(script|html|svg|iframe|body|\?php)[\s>/]", re.IGNORECASE)
ZIP_END = b"PK\x05\x06"


class ImageRefused(KeyedError):
    """An upload that is not a photo the app accepts (a catalogue key and its parameters)."""


@dataclass(frozen=True)
class Photo:
    """What an upload became: the stored JPEGs and the facts read from it."""

    full: bytes
    thumb: bytes
    width: int
    height: int
    source_format: str  # JPEG | PNG | WEBP | HEIF
    taken_at: datetime | None  # local time as the camera wrote it (no time zone)
    lat: float | None
    lon: float | None


@cache
def heif_available() -> bool:
    try:
        import pillow_heif  # noqa: PLC0415 - optional: HEIC is refused without it
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def sniff(data: bytes) -> str | None:
    """The format by the file's leading bytes (never its name or the browser's type)."""
    for signature, name in SIGNATURES:
        if data.startswith(signature):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "HEIF"
    return None


def is_polyglot(data: bytes) -> bool:
    """Bytes another reader would take for something else: a ZIP (its end record sits in
    the last 64 KiB), a PDF (its header in the first KiB), or markup a browser would run."""
    return ZIP_END in data[-66_000:] or b"%PDF-" in data[:1024] or MARKUP.search(data) is not None


def _check_bytes(data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise ImageRefused(
            "photo.err.too_big", size=f"{len(data) / 1048576:.1f}", limit=f"{max_bytes / 1048576:g}"
        )
    kind = sniff(data)
    if kind is None:
        raise ImageRefused("photo.err.not_image")
    if kind == "HEIF" and not heif_available():
        raise ImageRefused("photo.err.heic")
    if is_polyglot(data):
        raise ImageRefused("photo.err.polyglot")
    return kind


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """The image with only its header read; refused by its size before any decoding."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        limit = f"{max_pixels / 1_000_000:g}"
        raise ImageRefused("photo.err.bomb", limit=limit) from None
    except (UnidentifiedImageError, OSError):
        raise ImageRefused("photo.err.unreadable") from None
    width, height = image.size
    if width * height > max_pixels or max(width, height) > MAX_SIDE:
        raise ImageRefused(
            "photo.err.too_many_pixels",
            width=width,
            height=height,
            limit=f"{max_pixels / 1_000_000:g}",
        )
    return image


def _ratio(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:
        return float(value[0]) / float(value[1]) if value[1] else 0.0
    return float(value)


def _coordinate(parts: Any, ref: Any) -> float | None:
    try:
        degrees, minutes, seconds = (_ratio(p) for p in parts)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).upper().startswith(("S", "W")) else value


def _gps(exif: Image.Exif) -> tuple[float | None, float | None]:
    gps = exif.get_ifd(0x8825)
    if not gps or 2 not in gps or 4 not in gps:
        return None, None
    lat, lon = _coordinate(gps[2], gps.get(1, "N")), _coordinate(gps[4], gps.get(3, "E"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    if lat == 0 and lon == 0:  # a camera without a fix writes zeros
        return None, None
    return round(lat, 6), round(lon, 6)


def _taken(exif: Image.Exif) -> datetime | None:
    text = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)  # DateTimeOriginal, DateTime
    if not isinstance(text, str):
        return None
    try:
        return datetime.strptime(text.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def _jpeg(image: Image.Image, side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=QUALITY, optimize=True)  # no exif=: nothing carried over
    return out.getvalue()


def read_photo(data: bytes, *, max_bytes: int, max_pixels: int) -> Photo:
    """Check an upload and make the photo the app keeps, or raise ``ImageRefused``."""
    kind = _check_bytes(data, max_bytes)
    image = _open(data, max_pixels)
    try:
        exif = image.getexif()
        taken_at, (lat, lon) = _taken(exif), _gps(exif)
        # JPEG: decode at 1/2, 1/4 or 1/8 scale when that still gives FULL_SIDE
        fit = FULL_SIDE / max(image.size)
        image.draft("RGB", (math.ceil(image.width * fit), math.ceil(image.height * fit)))
        upright = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ImageRefused("photo.err.unreadable") from None
    finally:
        image.close()
    return Photo(
        full=_jpeg(upright, FULL_SIDE),
        thumb=_jpeg(upright, THUMB_SIDE),
        width=upright.width,
        height=upright.height,
        source_format=kind,
        taken_at=taken_at,
        lat=lat,
        lon=lon,
    )


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(FONT), size)
    except OSError:  # pragma: no cover - the font ships with the product
        return ImageFont.load_default(size)


def watermark(jpeg: bytes, lines: list[str]) -> bytes:
    """The photo with a dark band along its bottom holding ``lines`` (project, time taken,
    place): the evidence travels with every copy shown or exported."""
    with Image.open(io.BytesIO(jpeg)) as source:
        image = source.convert("RGB")
    size = max(12, image.width // 34)
    line_height = int(size * 1.35)
    band = line_height * len(lines) + size // 2
    canvas = Image.new("RGB", (image.width, image.height + band), (20, 24, 28))
    canvas.paste(image, (0, 0))
    draw = ImageDraw.Draw(canvas)
    font = _font(size)
    for i, line in enumerate(lines):
        y = image.height + size // 4 + i * line_height
        draw.text((size // 2, y), line, fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=QUALITY)
    return out.getvalue()
