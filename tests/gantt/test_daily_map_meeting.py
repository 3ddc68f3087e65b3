"""#19: meeting mode's figure — whole names, even pages, badges in a column of their own."""

from __future__ import annotations

from datetime import date

import pytest

from tests.gantt.factories import AS_OF, make_project
from tracker.gantt.figure import build_gantt, row_keys
from tracker.gantt.labels import display_width, wrap_label
from tracker.gantt.marks import BADGE_AXIS, NARROWEST_PLOT_PX, add_problem_marks

LONG = "镇康跨境作物产业循环经济技术示范项目"  # 18 characters: 45 columns with its code
VERY_LONG = "临沧国家可持续发展议程创新示范区边境跨境产业合作园基础设施建设项目"


def _labels(fig) -> list[str]:
    (trace,) = [t for t in fig.data if t.yaxis == "y2"]
    return list(trace.y)


@pytest.mark.parametrize("name", [LONG, VERY_LONG])
def test_a_meeting_shows_a_project_name_whole(name):
    p = make_project(name=name)
    label = _labels(build_gantt([p], as_of=AS_OF, meeting=True, group_by=None))[0]
    assert "…" not in label
    assert label.replace("<br>", "").replace(" ", "") == f"{p.code}{name}"
    assert label.count("<br>") == (0 if name == LONG else 1)


def test_a_long_label_wraps_into_two_balanced_lines_without_splitting_the_code():
    lines = wrap_label(f"LC-21-02 {VERY_LONG}", 48)
    assert len(lines) == 2 and lines[0].startswith("LC-21-02 ")
    assert abs(display_width(lines[0]) - display_width(lines[1])) <= 3


def test_the_label_column_is_wide_enough_for_the_widest_line():
    p = make_project(name=LONG)
    fig = build_gantt([p], as_of=AS_OF, meeting=True, group_by=None)
    # 18 CJK characters at 16 px and a 9-character code at well over half an em
    assert fig.layout.margin.l >= 18 * 16 + 9 * 0.55 * 16


def test_meeting_pages_share_the_projects_evenly_and_rows_grow_to_fill_the_screen():
    projects = [make_project() for _ in range(27)]
    pages = [build_gantt(projects, as_of=AS_OF, meeting=True, page=i, page_size=18) for i in (0, 1)]
    counts = [sum(isinstance(k, int) for k in row_keys(f)) for f in pages]
    assert sorted(counts) == [13, 14]
    heights = [f.layout.height for f in pages]
    assert min(heights) >= 0.9 * max(heights)


def test_outside_a_meeting_pages_fill_up_as_before():
    projects = [make_project() for _ in range(27)]
    fig = build_gantt(projects, as_of=AS_OF, page=1, page_size=18)
    assert sum(isinstance(k, int) for k in row_keys(fig)) == 9


@pytest.mark.parametrize("meeting", [True, False])
@pytest.mark.parametrize("plot_px", [NARROWEST_PLOT_PX, 800, 1500, 2400])
@pytest.mark.parametrize(
    "window",
    [
        None,
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 10, 1), date(2026, 12, 31)),
        (date(2026, 11, 1), date(2026, 11, 30)),
    ],
)
def test_a_badge_never_reaches_the_bars(meeting, plot_px, window):
    """In px across the plot area: the time axis (where bars are drawn, and clipped) ends
    before the badge disc begins, whatever the zoom and the width of the screen."""
    p = make_project(open_problems=3)
    fig = build_gantt([p], as_of=AS_OF, x_range=window, meeting=meeting)
    add_problem_marks(fig, [p], meeting=meeting)
    (badge,) = [t for t in fig.data if t.xaxis == BADGE_AXIS]
    axis = fig.layout[f"xaxis{BADGE_AXIS[1:]}"]
    lo, hi = axis.domain
    span = axis.range[1] - axis.range[0]
    centre = plot_px * (lo + (hi - lo) * (badge.x[0] - axis.range[0]) / span)
    radius = badge.marker.size / 2 + badge.marker.line.width
    bars_end = plot_px * fig.layout.xaxis.domain[1]
    assert bars_end < centre - radius
    assert centre + radius <= plot_px + fig.layout.margin.r  # inside the figure


def test_in_print_the_time_scale_ends_before_the_badge_column():
    from tracker.gantt.pdf import BADGE_RADIUS, CHART_RIGHT, TIME_RIGHT, _Scale

    scale = _Scale(date(2026, 10, 1), date(2027, 1, 1))
    badge_left = CHART_RIGHT - BADGE_RADIUS - 1.5 - BADGE_RADIUS  # where project_row puts it
    assert scale.x(date(2027, 1, 1)) == TIME_RIGHT < badge_left
