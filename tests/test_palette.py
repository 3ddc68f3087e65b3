"""One palette for the lights, colour-blind safe, taken by every place that draws a light."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from openpyxl.styles import PatternFill

from tracker import palette
from tracker.config import ROOT, load_settings
from tracker.excel.bulletin import LIGHT_FILLS, LIGHT_INK
from tracker.gantt.style import LIGHT_COLOURS
from tracker.web import figures, ui
from tracker.web.app import create_app


def _check_module():
    spec = importlib.util.spec_from_file_location(
        "palette_check", ROOT / "scripts" / "palette_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_the_three_lights_stay_apart_for_colour_blind_readers_and_show_on_white():
    check = _check_module()
    for vision, pairs in check.separation(palette.LIGHT).items():
        assert min(pairs.values()) >= 20, (vision, pairs)
    for colour in palette.LIGHT.values():
        assert check.contrast(colour, "#FFFFFF") >= 3.0  # WCAG 1.4.11, graphics
    for light, colour in palette.LIGHT.items():
        assert check.contrast(colour, palette.ON_LIGHT[light]) >= 4.5  # text on a cell


def test_the_palettes_it_replaced_fail_the_same_check():
    check = _check_module()
    for other in check.OTHERS.values():
        worst = min(
            d
            for vision, pairs in check.separation(other).items()
            if vision != "normal"
            for d in pairs.values()
        )
        assert worst < 20


def test_battle_map_charts_workbooks_and_pages_take_the_one_palette(sqlite_engine):
    assert LIGHT_COLOURS == palette.LIGHT  # the battle map and its PDF
    assert {k: figures.COLORS[k] for k in palette.LIGHTS} == palette.LIGHT  # overview charts
    assert {light.value: c for light, c in ui.LIGHT_COLORS.items()} == palette.LIGHT  # badges
    for light, colour in palette.LIGHT.items():  # the bulletin workbook
        fill: PatternFill = LIGHT_FILLS[light]
        assert fill.fgColor.rgb.endswith(palette.argb(colour))
        assert LIGHT_INK[light] == palette.argb(palette.ON_LIGHT[light])
    app = create_app(load_settings(env={}), sqlite_engine, today=lambda: None)
    css = app.server.test_client().get("/assets/palette.css")  # public, like other styles
    assert css.status_code == 200 and css.mimetype == "text/css"
    for light, colour in palette.LIGHT.items():
        assert f"--tracker-{light}: {colour};" in css.get_data(as_text=True)
    assert '@import url("palette.css");' in (ROOT / "assets" / "app.css").read_text()


FORMER = ("#e03131", "#f08c00", "#2f9e44", "#D55E00", "#E69F00", "#009E73", "FFC7CE", "FFEB9C")


def test_no_light_colour_is_written_anywhere_else():
    places = [
        *(ROOT / "tracker").rglob("*.py"),
        *(ROOT / "assets").glob("*.css"),
        *(ROOT / "assets").glob("*.js"),
    ]
    found = []
    for path in places:
        if path.name == "palette.py" or path.name == "slip.py":
            continue  # slip.py: the slip chart's line colours tell milestones apart, not lights
        text = Path(path).read_text(encoding="utf-8")
        for colour in (*FORMER, *palette.LIGHT.values()):
            if re.search(re.escape(colour), text, re.IGNORECASE):
                found.append(f"{path.relative_to(ROOT)}: {colour}")
    # the dispatch grid's form-error outline is an error colour, not a light
    found = [f for f in found if f != "assets/dispatch.css: #e03131"]
    assert not found, found


PAGE_BACKGROUNDS = ("#FFFFFF", "#F4F6FB", "#F8F9FC")  # the page, and the pale panels (app.css)


def test_a_lights_word_or_number_on_the_page_is_readable_text():
    check = _check_module()
    for light in palette.LIGHTS:
        for background in PAGE_BACKGROUNDS:
            assert check.contrast(palette.TEXT[light], background) >= 4.5, (light, background)
    # dark enough for text, a dark red and a dark amber cannot also stay apart for red/green
    # blind readers: the text always says which light (a word or a chip's name beside it);
    # for everyone else they read as three colours
    assert min(check.separation(palette.TEXT)["normal"].values()) >= 20


def test_the_stylesheets_write_a_light_as_text_only_in_its_text_colour():
    # "color: var(--tracker-amber)" would be amber text at 3:1 on white
    bare = re.compile(r"(?<![-\w])color:\s*var\(--tracker-(red|amber|green)\)")
    found = [
        f"{path.name}: {m.group(0)}"
        for path in (ROOT / "assets").glob("*.css")
        for m in bare.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found
    assert f"--tracker-amber-text: {palette.TEXT['amber']};" in palette.css()


def test_a_light_badge_writes_its_word_in_the_lights_own_ink():
    from tracker.domain.rules import Light

    check = _check_module()
    for light in Light:
        badge = ui.light_badge(light, "zh")
        fill, ink = badge.color, badge.c
        assert (fill, ink) == (palette.LIGHT[light.value], palette.ON_LIGHT[light.value])
        assert check.contrast(fill, ink) >= 4.5
