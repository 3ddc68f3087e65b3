"""Photos for the tests: JPEGs with an EXIF time, GPS position and device identifiers
(Pillow's own Exif API), and the hostile files an upload must refuse cheaply."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import datetime

from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

MAKE, MODEL, SERIAL, OWNER = 0x010F, 0x0110, 0xA431, 0xA430
# a site near the middle of 双江县 (inside the county by tracker/domain/lincang_counties)
SHUANGJIANG = (23.47, 99.83)


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 1000)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 1000)


def site_jpeg(
    taken: datetime | None,
    place: tuple[float, float] | None,
    *,
    size: tuple[int, int] = (1600, 1200),
    colour: tuple[int, int, int] = (90, 140, 80),
    orientation: int | None = None,
) -> bytes:
    """A camera-like JPEG: a scene, DateTimeOriginal, GPS, Make/Model/serial number."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((size[0] // 4, size[1] // 3, size[0] // 2, size[1] - 40), fill=(200, 190, 170))
    draw.polygon(
        [(0, size[1]), (size[0] // 3, size[1] // 2), (size[0], size[1])], fill=(60, 60, 60)
    )
    exif = Image.Exif()
    exif[MAKE] = "TestPhone"
    exif[MODEL] = "TP-18 Pro"
    if orientation:
        exif[0x0112] = orientation
    ifd = exif.get_ifd(0x8769)
    ifd[SERIAL] = "SN-0042-SECRET"
    ifd[OWNER] = "Zhang San"
    if taken is not None:
        ifd[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if place is not None:
        lat, lon = place
        gps = exif.get_ifd(0x8825)
        gps.update(
            {1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)}
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(side: int = 30_000) -> bytes:
    """A decompression bomb: a ~1 MB PNG of side×side grey pixels (900 MP, ~0.9 GB decoded)."""
    raw = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * side
    body = b"".join(raw.compress(row) for _ in range(side)) + raw.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", body)
        + _png_chunk(b"IEND", b"")
    )


def huge_dimension_png(width: int = 1_000_000, height: int = 1_000_000) -> bytes:
    """A tiny file whose header claims 10^12 pixels (its data is a stub)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


def renamed_text() -> bytes:
    """A script saved as photo.jpg."""
    return b"#!/bin/sh\necho not a photo\n" * 40


def polyglot_jpeg_zip() -> bytes:
    """A valid JPEG with a ZIP archive appended (opens as a photo and as an archive)."""
    archive = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.html", "<script>alert(1)</script>")
    return site_jpeg(None, None, size=(200, 150)) + archive.getvalue()


def polyglot_jpeg_html() -> bytes:
    """A valid JPEG whose comment segment holds markup a browser would run."""
    image = Image.new("RGB", (200, 150), (10, 10, 10))
    out = io.BytesIO()
    image.save(out, "JPEG", comment=b"<html><script>alert(document.cookie)</script></html>")
    return out.getvalue()
