import re

from tests.gantt.factories import AS_OF, make_project
from tracker.gantt.figure import build_gantt
from tracker.gantt.html import standalone_html


def test_the_standalone_page_inlines_plotly_js_and_loads_nothing_from_outside():
    page = standalone_html(build_gantt([make_project()], as_of=AS_OF))

    assert page.startswith("<!doctype html>")
    assert '<meta charset="utf-8"' in page
    assert len(page) > 1_000_000  # plotly.js itself is inside
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)


def test_the_standalone_page_keeps_the_figure_height():
    fig = build_gantt([make_project()], as_of=AS_OF)

    page = standalone_html(fig)

    assert f"height:{fig.layout.height}px" in page
