"""The open-problem badges on the battle map's rows, and quotes shown as quotes."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from tests.gantt.factories import AS_OF, make_milestone, make_project
from tracker.gantt.figure import build_gantt, row_keys
from tracker.gantt.marks import BADGE_AXIS, add_problem_marks, badge_trace
from tracker.gantt.slip import slip_trend_figure


def _badges(fig: go.Figure):
    return [t for t in fig.data if t.name == "未解决问题"]


def test_a_project_with_open_problems_gets_a_badge_with_their_number_on_its_row():
    quiet = make_project(id=101, open_problems=0)
    busy = make_project(id=102, open_problems=3)
    fig = build_gantt([quiet, busy], as_of=AS_OF)

    add_problem_marks(fig, [quiet, busy])

    (badge,) = _badges(fig)
    rows = row_keys(fig)
    assert [rows[y] for y in badge.y] == [102]
    assert list(badge.text) == ["3"]
    assert badge.customdata[0][0] == 102  # a click opens the project, as on its bar
    assert "未解决问题" in badge.hovertemplate


def test_no_badge_trace_and_no_extra_axis_when_nothing_is_open():
    p = make_project(open_problems=0)
    fig = build_gantt([p], as_of=AS_OF)
    before = fig.to_plotly_json()

    add_problem_marks(fig, [p])

    assert fig.to_plotly_json() == before


def test_a_folded_group_hides_the_badges_of_its_projects():
    p = make_project(id=201, open_problems=2, measure="发展清洁能源")
    fig = build_gantt([p], as_of=AS_OF, collapsed=frozenset({"measure:绿色低碳发展/发展清洁能源"}))

    add_problem_marks(fig, [p])

    assert _badges(fig) == []


def test_only_rows_on_the_page_get_badges():
    projects = [make_project(id=300 + i, open_problems=1) for i in range(5)]
    fig = build_gantt(projects, as_of=AS_OF, page=1, page_size=2)

    add_problem_marks(fig, projects)

    (badge,) = _badges(fig)
    rows = row_keys(fig)
    assert sorted(rows[y] for y in badge.y) == [302, 303]


def test_badges_sit_on_a_hidden_axis_at_the_right_edge_and_keep_clear_of_the_zoom():
    p = make_project(open_problems=120)
    fig = build_gantt([p], as_of=AS_OF, x_range=(date(2022, 3, 1), date(2022, 4, 30)))

    add_problem_marks(fig, [p], meeting=True)

    (badge,) = _badges(fig)
    assert badge.xaxis == BADGE_AXIS and set(badge.x) == {1.0}
    axis = fig.layout[f"xaxis{BADGE_AXIS[1:]}"]
    assert axis.visible is False and tuple(axis.range) == (0, 1) and axis.domain[1] == 1
    assert fig.layout.xaxis.domain[1] <= axis.domain[0]  # the badges' own column (#19)
    assert fig.layout.xaxis.range[0] == "2022-03-01"  # the dates keep their zoom
    assert list(badge.text) == ["99+"]
    assert badge.marker.size > 17  # bigger in a meeting


def test_the_badge_trace_is_valid_for_plotly():
    trace = badge_trace(
        [0, 2], [[1, "甲", 2], [2, "乙", 5]], ["2", "5"], name="未解决问题", size=17, meeting=False
    )

    go.Scatter(**{k: v for k, v in trace.items() if k != "type"})


def test_names_in_badges_are_escaped_for_plotly_but_quotes_stay_quotes():
    p = make_project(name='<img src=x onerror=alert(1)> "光伏" 项目', open_problems=1)
    fig = build_gantt([p], as_of=AS_OF)

    add_problem_marks(fig, [p])

    (badge,) = _badges(fig)
    assert badge.customdata[0][1] == '&lt;img src=x onerror=alert(1)&gt; "光伏" 项目'


def test_quotes_in_user_text_are_not_turned_into_entities_plotly_would_show():
    name = 'Project "Sun" & the <b>'
    p = make_project(name=name, milestones=(make_milestone(name="it's done"),))

    fig = build_gantt([p], as_of=AS_OF)
    trend = slip_trend_figure([(date(2022, 5, 1), 'phase "one"', date(2022, 9, 30))])

    hover = [c[1] for t in fig.data if t.customdata is not None for c in t.customdata]
    assert 'Project "Sun" &amp; the &lt;b&gt;' in hover
    marks = [h for t in fig.data if t.hovertext is not None for h in t.hovertext]
    assert "it's done" in marks
    assert trend.data[0].name == 'phase "one"'
    assert "&quot;" not in str(fig.to_plotly_json()) + str(trend.to_plotly_json())
