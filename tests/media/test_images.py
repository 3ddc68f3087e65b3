"""The intake of an uploaded photo: facts read, device identifiers gone, hostile files
refused before they are decoded (tracker/media/images.py)."""

import io
import tracemalloc
from datetime import datetime

import pytest
from PIL import Image

from tests import photos
from tracker.media import images
from tracker.media.store import MediaStore

LIMITS = {"max_bytes": 15 * 1024 * 1024, "max_pixels": 50_000_000}


def test_a_camera_photo_keeps_its_time_and_place_and_loses_its_device_identifiers():
    data = photos.site_jpeg(datetime(2026, 6, 10, 10, 30), photos.SHUANGJIANG)
    assert b"SN-0042-SECRET" in data and b"TestPhone" in data
    photo = images.read_photo(data, **LIMITS)
    assert photo.taken_at == datetime(2026, 6, 10, 10, 30)
    assert (photo.lat, photo.lon) == pytest.approx(photos.SHUANGJIANG, abs=1e-5)
    for stored in (photo.full, photo.thumb):
        assert b"SN-0042-SECRET" not in stored and b"TestPhone" not in stored
        assert b"Zhang San" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == "JPEG"
            assert dict(image.getexif()) == {}
    with Image.open(io.BytesIO(photo.thumb)) as thumb:
        assert max(thumb.size) == images.THUMB_SIDE


def test_a_photo_taken_sideways_is_stored_upright():
    data = photos.site_jpeg(None, None, size=(400, 300), orientation=6)
    photo = images.read_photo(data, **LIMITS)
    assert (photo.width, photo.height) == (300, 400)


@pytest.mark.parametrize(
    ("make", "key"),
    [
        (photos.bomb_png, "photo.err.bomb"),
        (photos.huge_dimension_png, "photo.err.bomb"),
        (photos.renamed_text, "photo.err.not_image"),
        (photos.polyglot_jpeg_zip, "photo.err.polyglot"),
        (photos.polyglot_jpeg_html, "photo.err.polyglot"),
        (lambda: b"\xff\xd8\xff" + b"\x00" * 500, "photo.err.unreadable"),
    ],
    ids=["bomb", "huge-dimension", "renamed-text", "jpeg+zip", "jpeg+html", "broken-jpeg"],
)
def test_a_hostile_file_is_refused_without_decoding_it(make, key):
    data = make()
    tracemalloc.start()
    try:
        with pytest.raises(images.ImageRefused) as refused:
            images.read_photo(data, **LIMITS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.message.key == key
    assert peak < 5 * 1024 * 1024  # the bomb decodes to ~900 MB; refusing it costs < 5 MB


def test_a_photo_over_the_pixel_setting_is_refused_by_its_header():
    data = photos.site_jpeg(None, None, size=(3000, 2000))
    with pytest.raises(images.ImageRefused) as refused:
        images.read_photo(data, max_bytes=LIMITS["max_bytes"], max_pixels=5_000_000)
    assert refused.value.message.key == "photo.err.too_many_pixels"
    assert refused.value.message.params["width"] == 3000


def test_a_file_over_the_size_cap_is_refused_before_anything_else():
    with pytest.raises(images.ImageRefused) as refused:
        images.read_photo(b"\xff\xd8\xff" + b"\x00" * 2000, max_bytes=1000, max_pixels=10**6)
    assert refused.value.message.key == "photo.err.too_big"


def test_heic_is_converted_when_pillow_heif_is_installed_else_refused_clearly():
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 200)).save(out, "HEIF")
    photo = images.read_photo(out.getvalue(), **LIMITS)
    assert photo.source_format == "HEIF" and (photo.width, photo.height) == (320, 240)


def test_the_watermark_band_is_added_below_the_photo():
    data = images.read_photo(photos.site_jpeg(None, None, size=(800, 600)), **LIMITS).full
    marked = images.watermark(data, ["T-0001 测试项目", "拍摄时间 2026-06-10 10:30", "拍摄地点 …"])
    with Image.open(io.BytesIO(marked)) as image:
        assert image.width == 800 and image.height > 600
        band = image.crop((0, 600, 800, image.height)).convert("L")
        pixels = band.tobytes()
        assert sum(p > 200 for p in pixels) > 200  # white text on the dark band
        assert sum(p < 50 for p in pixels) > len(pixels) // 2


def test_the_store_is_content_addressed_and_refuses_other_names(tmp_path):
    store = MediaStore(tmp_path)
    digest = store.put(b"abc")
    assert digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert store.put(b"abc") == digest and list(store.digests()) == [digest]
    assert store.get(digest) == b"abc"
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")
