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
