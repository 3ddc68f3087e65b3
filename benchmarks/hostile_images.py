"""Hostile images, with figures (#18): each file through the real photo intake
(``tracker.media.images.read_photo`` with the default settings' limits).

    python -m benchmarks.hostile_images

Per file: its size, what the image header claims, the outcome (the refusal's key), the time,
Python's own peak allocation while it was handled (tracemalloc), and how far the process's
peak resident memory rose above its resident size (Linux VmHWM, reset before each file),
beside a good camera photo (4000x3000 JPEG with EXIF) and what decoding the bomb would cost.
Exits 1 if a hostile file was accepted.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from datetime import datetime

from benchmarks.bad_input import peak_mib, reset_peak, rss_mib
from tests import photos
from tracker.config import load_settings
from tracker.media import images

HOSTILE = {
    "decompression bomb (PNG 30000x30000, 0.9 GP)": photos.bomb_png,
    "huge-dimension PNG header (10^6 x 10^6)": photos.huge_dimension_png,
    "non-image renamed .jpg (a shell script)": photos.renamed_text,
    "polyglot: JPEG + ZIP appended": photos.polyglot_jpeg_zip,
    "polyglot: JPEG with HTML/script comment": photos.polyglot_jpeg_html,
    "truncated JPEG (header only)": lambda: photos.site_jpeg(None, None)[:600],
    "over the size cap (16 MiB of JPEG-looking bytes)": lambda: (
        b"\xff\xd8\xff" + b"\0" * (16 << 20)
    ),
}


def measure(data: bytes, limits: dict) -> tuple[str, float, float, float]:
    reset_peak()
    base = rss_mib()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        images.read_photo(data, **limits)
        outcome = "accepted"
    except images.ImageRefused as refusal:
        outcome = f"refused: {refusal.message.key}"
    elapsed = (time.perf_counter() - started) * 1000
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return outcome, elapsed, traced / 1048576, max(0.0, peak_mib() - base)


def main() -> int:
    settings = load_settings(env={})
    limits = {
        "max_bytes": int(settings.PHOTO_MAX_MB) << 20,
        "max_pixels": int(settings.PHOTO_MAX_MEGAPIXELS) * 1_000_000,
    }
    print(f"limits: {settings.PHOTO_MAX_MB} MiB, {settings.PHOTO_MAX_MEGAPIXELS} MP")
    print(f"{'file':52} {'bytes':>10} {'outcome':34} {'ms':>8} {'py MiB':>7} {'RSS+ MiB':>8}")
    bad = 0
    camera = photos.site_jpeg(datetime(2026, 6, 10, 9), photos.SHUANGJIANG, size=(4000, 3000))
    for name, make in [
        ("good camera photo 4000x3000 (reference)", lambda: camera),
        *HOSTILE.items(),
    ]:
        data = make()
        outcome, ms, traced, rss = measure(data, limits)
        print(f"{name:52} {len(data):>10} {outcome:34} {ms:>8.1f} {traced:>7.1f} {rss:>8.1f}")
        if name in HOSTILE and outcome == "accepted":
            bad += 1
    print("decoding the bomb instead would need ~858 MiB (30000 x 30000 x 1 byte, mode L)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
