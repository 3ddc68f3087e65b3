import html
import json
import re
import subprocess
import sys
from datetime import date, datetime, timedelta

import plotly.graph_objects as go
import pytest

from tests.gantt.factories import AS_OF, make_milestone, make_project
from tests.gantt.sample import sample_projects
from tracker import palette
from tracker.gantt.figure import DAY_MS, build_gantt, row_keys, row_numbers
from tracker.gantt.grouping import visible_rows
from tracker.gantt.style import LIGHT_COLOURS, MILESTONE_MARKS


def trace(fig: go.Figure, name: str):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, f"expected one trace named {name!r}, got {[t.name for t in fig.data]}"
    return found[0]


def names(fig: go.Figure) -> list[str]:
    return [t.name for t in fig.data]


def strings_in(value) -> list[str]:
    """Every string anywhere in a figure's JSON-able structure."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings_in(k) + strings_in(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings_in(v)]
    if hasattr(value, "tolist"):
        return strings_in(value.tolist())
    return []


def row_of(fig: go.Figure, project_id: int) -> int:
    return row_keys(fig).index(project_id)


def labels_of(fig: go.Figure) -> list[str]:
    """The row labels top to bottom: the categories of the label axis, as drawn."""
    (axis_trace,) = [t for t in fig.data if t.yaxis == "y2"]
    return list(axis_trace.y)


def hover_text(bar, i: int) -> str:
    """The hover box of point ``i`` as plotly.js fills it in, tags turned into lines.

    Knows the template variables the builder uses: %{customdata[k]}, %{hovertext},
    %{fullData.name}, and %{base|fmt} / %{x|fmt} on the date axis (a bar with a base
    ends at base + x milliseconds; a marker sits at x).
    """
    if bar.type == "bar":
        start = datetime.fromisoformat(str(bar.base[i]))
        at = {"base": start, "x": start + timedelta(milliseconds=int(bar.x[i]))}
    else:
        at = {"x": datetime.fromisoformat(str(bar.x[i]))}

    def fill(match: re.Match) -> str:
        key, fmt = match.group(1), match.group(2)
        if key in at:
            return at[key].strftime(fmt)
        if key == "fullData.name":
            return bar.name
        if key == "hovertext":
            return bar.hovertext[i]
        index = re.fullmatch(r"customdata\[(\d+)\]", key)
        assert index, f"unexpected template variable {key!r}"
        return str(bar.customdata[i][int(index.group(1))])

    text = re.sub(r"%\{([^}|]+)(?:\|([^}]*))?\}", fill, bar.hovertemplate)
    text = re.sub(r"<extra>(.*?)</extra>", r"\n[\1]", text)
    text = re.sub(r"<br>", "\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_plan_bars_are_one_trace_per_light_in_colour_blind_safe_hues():
    fig = build_gantt(
        [make_project(id=1, light="red"), make_project(id=2, light="green")], as_of=AS_OF
    )

    red, green = trace(fig, "红灯"), trace(fig, "绿灯")
    assert "黄灯" not in names(fig)  # no amber project, no empty trace
    assert red.marker.color == LIGHT_COLOURS["red"] == palette.LIGHT["red"]
    assert green.marker.color == LIGHT_COLOURS["green"] == palette.LIGHT["green"]
    assert [c[0] for c in red.customdata] == [1]
    assert [c[0] for c in green.customdata] == [2]
    assert red.type == "bar" and red.orientation == "h"


def test_a_plan_bar_starts_at_the_planned_start_and_ends_at_the_planned_finish():
    p = make_project(planned_start=date(2022, 3, 1), planned_finish=date(2022, 8, 31))

    bar = trace(build_gantt([p], as_of=AS_OF), "绿灯")

    assert str(bar.base[0]) == "2022-03-01"
    assert bar.x[0] == (date(2022, 8, 31) - date(2022, 3, 1)).days * DAY_MS


def test_every_row_maps_to_a_project_id_or_group_key_for_clicks():
    fig = build_gantt([make_project(id=7), make_project(id=8)], as_of=AS_OF)

    rows = row_keys(fig)
    assert rows == ["area:绿色低碳发展", "measure:绿色低碳发展/发展清洁能源", 7, 8]
    bar = trace(fig, "绿灯")
    assert [rows[y] for y in row_numbers(bar)] == [c[0] for c in bar.customdata] == [7, 8]
    groups = trace(fig, "汇总")
    assert [c[0] for c in groups.customdata] == rows[:2]
    assert [rows[y] for y in row_numbers(groups)] == rows[:2]


def test_group_summary_bars_span_their_projects_and_take_the_worst_light():
    fig = build_gantt(
        [
            make_project(planned_start=date(2022, 2, 1), planned_finish=date(2022, 6, 30)),
            make_project(
                planned_start=date(2021, 9, 1), planned_finish=date(2023, 3, 31), light="amber"
            ),
        ],
        as_of=AS_OF,
    )

    groups = trace(fig, "汇总")
    assert [str(b) for b in groups.base] == ["2021-09-01", "2021-09-01"]
    assert groups.x[0] == (date(2023, 3, 31) - date(2021, 9, 1)).days * DAY_MS
    assert list(groups.marker.color) == [LIGHT_COLOURS["amber"]] * 2


def test_the_baseline_is_drawn_only_where_it_differs_from_the_plan():
    on_plan = make_project(id=1)
    slipped = make_project(
        id=2,
        baseline_start=date(2022, 1, 1),
        baseline_finish=date(2022, 9, 30),
        planned_finish=date(2022, 12, 31),
    )

    fig = build_gantt([on_plan, slipped], as_of=AS_OF)

    baseline = trace(fig, "基线")
    assert [row_keys(fig)[y] for y in row_numbers(baseline)] == [2]
    assert str(baseline.base[0]) == "2022-01-01"
    assert baseline.x[0] == (date(2022, 9, 30) - date(2022, 1, 1)).days * DAY_MS
    assert baseline.width < trace(fig, "绿灯").width


def test_a_plan_that_never_moved_draws_no_baseline_trace():
    assert "基线" not in names(build_gantt([make_project()], as_of=AS_OF))


def test_the_progress_fill_covers_the_done_share_of_the_bar():
    p = make_project(progress=0.25)

    fig = build_gantt([p], as_of=AS_OF)

    fill = trace(fig, "进度")
    row = row_of(fig, p.id)
    point = row_numbers(fill).index(row)
    assert fill.x[point] == pytest.approx(trace(fig, "绿灯").x[0] * 0.25, abs=1)
    assert fill.hoverinfo == "skip"


@pytest.mark.parametrize("state", ["done", "due_soon", "overdue", "future"])
def test_each_milestone_state_has_its_own_trace_symbol_and_colour(state):
    milestone = make_milestone(state=state, actual=date(2022, 4, 2) if state == "done" else None)

    fig = build_gantt([make_project(milestones=(milestone,))], as_of=AS_OF)

    label = {
        "done": "节点已完成",
        "due_soon": "节点临近",
        "overdue": "节点逾期",
        "future": "节点未到期",
    }
    diamonds = trace(fig, label[state])
    assert diamonds.marker.symbol == MILESTONE_MARKS[state].symbol
    assert diamonds.showlegend is not False
    assert diamonds.mode == "markers"


def test_milestone_states_look_different_from_each_other():
    marks = list(MILESTONE_MARKS.values())

    assert len({m.symbol for m in marks}) == 4
    assert MILESTONE_MARKS["overdue"].fill == palette.LIGHT["red"]  # the one red
    assert MILESTONE_MARKS["future"].symbol.endswith("-open")  # hollow
    assert MILESTONE_MARKS["done"].fill  # filled


def test_a_reached_milestone_sits_at_its_actual_date_and_hover_tells_the_plan():
    done = make_milestone(
        name="开工建设", planned=date(2022, 3, 31), baseline=date(2022, 3, 31),
        actual=date(2022, 4, 12), state="done",
    )  # fmt: skip

    fig = build_gantt([make_project(milestones=(done,))], as_of=AS_OF)

    diamonds = trace(fig, "节点已完成")
    assert str(diamonds.x[0]) == "2022-04-12"
    assert diamonds.hovertext[0] == "开工建设 · 计划 2022-03-31"


def test_actual_start_and_finish_are_marked_where_known():
    fig = build_gantt(
        [
            make_project(id=1, actual_start=date(2022, 1, 10)),
            make_project(id=2, actual_start=date(2022, 1, 3), actual_finish=date(2022, 5, 20)),
            make_project(id=3),
        ],
        as_of=AS_OF,
    )

    assert [str(d) for d in trace(fig, "实际开工").x] == ["2022-01-10", "2022-01-03"]
    assert [str(d) for d in trace(fig, "实际完工").x] == ["2022-05-20"]


def test_the_today_line_is_a_labelled_vertical_line_at_the_as_of_date():
    fig = build_gantt([make_project()], as_of=date(2022, 5, 31))

    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 1
    today = lines[0]
    assert today.x0 == today.x1 == "2022-05-31"
    assert (today.yref, today.y0, today.y1) == ("paper", 0, 1)
    assert any(a.text == "今天 2022-05-31" and a.x == "2022-05-31" for a in fig.layout.annotations)


def test_time_progress_shows_in_the_title_and_where_a_fill_keeping_pace_would_end():
    p = make_project(planned_start=date(2022, 1, 1), planned_finish=date(2022, 12, 31))
    finished = make_project(actual_finish=date(2022, 5, 1), progress=1.0)

    fig = build_gantt([p, finished], as_of=AS_OF, time_progress=0.5)

    assert "序时进度 50.0%" in fig.layout.title.text
    pace = trace(fig, "序时进度位置")
    assert [str(d) for d in pace.x] == [str(date(2022, 1, 1) + timedelta(days=182))]
    assert [row_keys(fig)[y] for y in row_numbers(pace)] == [p.id]


def test_without_time_progress_there_are_no_pace_marks():
    fig = build_gantt([make_project()], as_of=AS_OF)

    assert "序时进度位置" not in names(fig)
    assert "序时进度" not in fig.layout.title.text


PAYLOADS = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">']


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    "field", ["name", "code", "county", "lead_unit", "light_reasons", "area", "measure"]
)
def test_user_text_is_escaped_wherever_plotly_renders_html(field, payload):
    value = (payload,) if field == "light_reasons" else payload
    p = make_project(light="red", milestones=(make_milestone(name=payload),), **{field: value})

    for group_by in ("measure", "county", "lead_unit"):
        fig = build_gantt([p], as_of=AS_OF, group_by=group_by, title=payload)
        # Group keys stay raw: they are data for the web layer, never rendered.
        keys = {k for k in row_keys(fig) if isinstance(k, str)}
        texts = [t for t in strings_in(fig.to_plotly_json()) if t not in keys]
        assert not [t for t in texts if "<script" in t or "<img" in t]
        assert any("&lt;" in t for t in texts)


def test_long_names_are_cut_with_an_ellipsis_on_the_axis_but_whole_in_hover():
    name = "双江拉祜族佤族布朗族傣族自治县勐库大雪山古茶园保护与茶旅融合示范基地建设项目"
    p = make_project(id=5, code="LC-0005", name=name)

    fig = build_gantt([p], as_of=AS_OF)

    label = labels_of(fig)[row_of(fig, 5)]
    assert label.startswith("LC-0005 双江") and label.endswith("…")
    assert len(label) < len(name)
    assert trace(fig, "绿灯").customdata[0][1] == name


def test_hover_of_a_plan_bar_carries_the_essentials():
    p = make_project(
        county="耿马县",
        lead_unit="市水务局",
        light="red",
        light_reasons=("2个节点逾期",),
        progress=0.4,
        open_problems=3,
        actual_start=date(2022, 1, 15),
    )

    bar = trace(build_gantt([p], as_of=AS_OF), "红灯")

    template = bar.hovertemplate
    _, title, who, progress, why, problems, dates = bar.customdata[0]
    assert (who, progress, problems) == ("耿马县 · 市水务局", 40, 3)
    assert "%{base|%Y-%m-%d} → %{x|%Y-%m-%d}" in template
    assert "进度 %{customdata[3]}%" in template
    assert "<br>未解决问题 %{customdata[5]}" in template
    assert (why, dates) == ("：2个节点逾期", "<br>实际 2022-01-15 → …")
    assert title == p.name


def test_a_plan_bar_carries_no_markup_per_point_unless_it_has_dates_to_list():
    # plotly.py sends "<" as \u003c: each "<br>" in the points would cost 12 bytes a bar.
    projects = [
        make_project(id=i, light="red", light_reasons=("1个节点逾期",), open_problems=i)
        for i in range(1, 30)
    ]

    bar = trace(build_gantt(projects, as_of=AS_OF), "红灯")

    assert not [c for c in bar.customdata if any("<" in str(part) for part in c)]


def test_the_hover_box_of_a_plan_bar_reads_every_fact_about_the_project():
    p = make_project(
        name="沧源县<佤族>司岗里文化旅游区建设项目",
        county="沧源县",
        lead_unit="市文化和旅游局",
        light="red",
        light_reasons=("1个节点逾期", "进度落后于序时进度"),
        planned_start=date(2022, 3, 1),
        planned_finish=date(2022, 8, 31),
        baseline_start=date(2022, 3, 1),
        baseline_finish=date(2022, 6, 30),
        actual_start=date(2022, 3, 9),
        progress=0.375,
        open_problems=2,
    )

    bar = trace(build_gantt([p], as_of=AS_OF), "红灯")

    assert hover_text(bar, 0).splitlines() == [
        "沧源县<佤族>司岗里文化旅游区建设项目",
        "沧源县 · 市文化和旅游局",
        "计划 2022-03-01 → 2022-08-31 · 进度 38%",
        "红灯：1个节点逾期；进度落后于序时进度",
        "基线 2022-03-01 → 2022-06-30",
        "实际 2022-03-09 → …",
        "未解决问题 2",
        "[]",
    ]


def test_a_plain_plan_bar_hover_has_no_empty_lines():
    p = make_project(county="", lead_unit="", planned_finish=date(2022, 12, 31))

    bar = trace(build_gantt([p], as_of=AS_OF), "绿灯")

    assert hover_text(bar, 0).splitlines() == [
        p.name,
        "（未填） · （未填）",
        "计划 2022-01-01 → 2022-12-31 · 进度 0%",
        "绿灯",
        "未解决问题 0",
        "[]",
    ]


def test_the_hover_box_of_a_group_reads_its_rollup_and_what_a_click_does():
    projects = [
        make_project(progress=0.5, weight=300.0, planned_start=date(2021, 9, 1)),
        make_project(progress=0.1, weight=100.0, light="amber", planned_finish=date(2023, 3, 31)),
    ]

    fig = build_gantt(
        projects, as_of=AS_OF, collapsed=frozenset({"measure:绿色低碳发展/发展清洁能源"})
    )

    groups = trace(fig, "汇总")
    assert hover_text(groups, 0).splitlines() == [
        "绿色低碳发展（2 个项目）",
        "计划 2021-09-01 → 2023-03-31",
        "投资加权进度 40% · 黄灯（红灯 0 · 黄灯 1 · 绿灯 1）",
        "点击折叠",
        "[]",
    ]
    assert hover_text(groups, 1).splitlines()[-2] == "点击展开"


def test_the_hover_box_of_a_milestone_reads_its_date_name_and_state():
    done = make_milestone(
        name="开工建设", planned=date(2022, 3, 31), baseline=date(2022, 2, 28),
        actual=date(2022, 4, 12), state="done",
    )  # fmt: skip
    future = make_milestone(
        name="竣工验收", planned=date(2022, 12, 31), baseline=date(2022, 12, 31)
    )

    fig = build_gantt([make_project(milestones=(done, future))], as_of=AS_OF)

    assert hover_text(trace(fig, "节点已完成"), 0) == (
        "2022-04-12 开工建设 · 计划 2022-03-31 · 基线 2022-02-28\n[节点已完成]"
    )
    assert hover_text(trace(fig, "节点未到期"), 0) == "2022-12-31 竣工验收\n[节点未到期]"


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"group_by": "county", "time_progress": 0.4},
        {"group_by": "light", "page_size": 30, "page": 1},
        {"group_by": None},
        {"collapsed": frozenset({"area:推动旅游产业", "measure:绿色低碳发展/推进绿色制造"})},
    ],
)
def test_every_bar_that_answers_clicks_carries_its_row_key_first(options):
    fig = build_gantt(sample_projects(120, milestones=4), as_of=AS_OF, **options)

    listing = visible_rows(
        sample_projects(120, milestones=4),
        **{k: v for k, v in options.items() if k in ("group_by", "collapsed", "page", "page_size")},
    )
    rows = [r.key if r.project is None else r.project.id for r in listing.rows]
    clickable = [t for t in fig.data if t.type == "bar" and t.hoverinfo != "skip"]
    assert {t.name for t in clickable} <= {"红灯", "黄灯", "绿灯", "汇总"}
    # one plan or summary bar a row
    assert sorted(y for t in clickable for y in row_numbers(t)) == list(range(len(rows)))
    for bar in clickable:
        assert [c[0] for c in bar.customdata] == [rows[y] for y in row_numbers(bar)]
        assert all(isinstance(c[0], int if bar.name != "汇总" else str) for c in bar.customdata)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"group_by": "lead_unit"},
        {"group_by": None, "page_size": 25, "page": 2},
        {"collapsed": frozenset({"area:生态环境保护"}), "page_size": 40},
    ],
)
def test_rows_and_their_labels_go_top_to_bottom_and_meta_names_the_page(options):
    projects = sample_projects(150, milestones=3)
    listing = visible_rows(
        projects,
        **{k: v for k, v in options.items() if k in ("group_by", "collapsed", "page", "page_size")},
    )

    fig = build_gantt(projects, as_of=AS_OF, **options)
    meta = fig.layout.meta

    assert row_keys(fig) == [r.key if r.project is None else r.project.id for r in listing.rows]
    labels = labels_of(fig)
    assert len(labels) == len(listing.rows)
    for label, row in zip(labels, listing.rows, strict=True):
        if row.project is not None:  # a project row shows its code (and then its name)
            assert label.startswith(row.project.code)
        else:
            assert ("▸" if row.collapsed else "▾") in label
    assert (meta["page"], meta["page_count"]) == (listing.page, listing.page_count)
    assert meta["project_count"] == listing.project_count  # not hidden by collapsing
    assert meta["group_by"] == options.get("group_by", "measure")


def test_a_collapsed_group_draws_its_summary_only():
    projects = [make_project(id=1), make_project(id=2, measure="推进绿色制造")]

    fig = build_gantt(projects, as_of=AS_OF, collapsed=frozenset({"area:绿色低碳发展"}))

    assert row_keys(fig) == ["area:绿色低碳发展"]
    assert [t.name for t in fig.data if t.type == "bar"] == ["汇总", "进度"]
    assert labels_of(fig)[0].startswith("<b><span")
    assert "▸ 绿色低碳发展 (2)" in labels_of(fig)[0]


@pytest.mark.parametrize("group_by", ["measure", "county", "lead_unit", "light", None])
def test_every_grouping_draws_every_project_once(group_by):
    projects = sample_projects(40)

    fig = build_gantt(projects, as_of=AS_OF, group_by=group_by)

    ids = [c[0] for t in fig.data if t.name in ("红灯", "黄灯", "绿灯") for c in t.customdata]
    assert sorted(ids) == sorted(p.id for p in projects)
    assert fig.layout.meta["group_by"] == group_by


def test_paging_sends_only_the_rows_of_the_page():
    projects = sample_projects(5000, milestones=5)

    fig = build_gantt(projects, as_of=AS_OF, page=3, page_size=50)

    bars = [c[0] for t in fig.data if t.name in ("红灯", "黄灯", "绿灯") for c in t.customdata]
    assert len(bars) == 50
    assert fig.layout.meta["page"] == 3
    assert fig.layout.meta["page_count"] == 100
    assert fig.layout.meta["project_count"] == 5000
    assert "第 4 / 100 页" in fig.layout.title.text
    diamonds = sum(len(t.x) for t in fig.data if (t.name or "").startswith("节点"))
    assert diamonds == 50 * 5
    assert len(fig.to_json()) < 120_000


def test_meeting_mode_uses_larger_type_taller_rows_and_outlined_bars():
    projects = [make_project()]

    normal = build_gantt(projects, as_of=AS_OF)
    meeting = build_gantt(projects, as_of=AS_OF, meeting=True)

    assert meeting.layout.font.size > normal.layout.font.size
    assert meeting.layout.title.font.size > normal.layout.title.font.size
    assert meeting.layout.height > normal.layout.height
    assert trace(meeting, "绿灯").marker.line.width > 0


def test_the_caller_can_supply_english_wording():
    english = {"light.green": "Green", "today": "Today", "title": "Battle map", "as_of": "as of"}

    fig = build_gantt([make_project()], as_of=AS_OF, labels=english)

    assert "Green" in names(fig)
    assert fig.layout.title.text.startswith("Battle map")
    assert fig.layout.annotations[0].text == "Today 2022-05-31"


def test_x_range_sets_the_visible_window_through_the_last_day():
    fig = build_gantt([make_project()], as_of=AS_OF, x_range=(date(2022, 1, 1), date(2022, 6, 30)))

    assert list(fig.layout.xaxis.range) == ["2022-01-01", "2022-07-01"]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"meeting": True, "time_progress": 0.4},
        {"group_by": "light", "page_size": 7, "page": 1},
        {"collapsed": frozenset({"area:推动旅游产业"}), "x_range": (date(2021, 1, 1), AS_OF)},
    ],
)
def test_the_figure_passes_plotly_schema_validation(options):
    fig = build_gantt(sample_projects(60), as_of=AS_OF, **options)

    go.Figure(fig.to_plotly_json())  # raises on any property plotly does not know


def test_an_empty_plan_gives_an_empty_but_valid_figure():
    fig = build_gantt([], as_of=AS_OF)

    assert [t for t in fig.data if t.type == "bar"] == []
    assert row_keys(fig) == []
    go.Figure(fig.to_plotly_json())


def test_rows_travel_as_plain_numbers_or_runs_and_dates_as_iso_strings():
    # Plain JSON numbers rather than base64 typed arrays: the ascending row numbers gzip
    # much better that way (benchmarks/gantt.py measures both).
    payload = json.loads(build_gantt(sample_projects(20), as_of=AS_OF).to_json())

    bar = next(t for t in payload["data"] if t["name"] == "绿灯")
    assert isinstance(bar["y"], list) and all(isinstance(y, int) for y in bar["y"])
    assert isinstance(bar["x"], list) and all(isinstance(x, int) for x in bar["x"])
    assert bar["base"][0].count("-") == 2 and len(bar["base"][0]) == 10
    # the labels are sent once, as the categories of the label axis; no row map besides
    assert "meta" not in payload["layout"] or "rows" not in payload["layout"]["meta"]
    assert "labelalias" not in payload["layout"]["yaxis2"]
    assert "categoryarray" not in payload["layout"]["yaxis2"]


def test_a_run_of_consecutive_rows_travels_as_its_first_row_only():
    # The 红黄绿 view lists each light's projects together: each plan trace is one run.
    projects = [make_project(id=i, light="red" if i < 4 else "green") for i in range(1, 8)]

    fig = build_gantt(projects, as_of=AS_OF, group_by="light")
    payload = json.loads(fig.to_json())

    red = next(t for t in payload["data"] if t["name"] == "红灯")
    assert "y" not in red and red["y0"] == 1  # row 0 is the red group's summary
    assert row_numbers(trace(fig, "红灯")) == [1, 2, 3]
    assert row_numbers(trace(fig, "绿灯")) == [5, 6, 7, 8]
    assert row_keys(fig) == ["light:red", 1, 2, 3, "light:green", 4, 5, 6, 7]
    # the group summaries (rows 0 and 4) are not a run: sent as they are
    assert trace(fig, "汇总").y == (0, 4)


def test_the_label_axis_lies_over_the_mark_axis_row_for_row():
    fig = build_gantt(sample_projects(30), as_of=AS_OF)
    n = len(row_keys(fig))

    marks, labels = fig.layout.yaxis, fig.layout.yaxis2
    assert labels.type == "category" and labels.overlaying == "y"
    assert list(marks.range) == list(labels.range) == [n - 0.5, -0.5]  # top row at the top
    assert marks.visible is False and labels.fixedrange and marks.fixedrange
    assert len(labels_of(fig)) == n


def test_rows_with_the_same_label_keep_a_row_each():
    twins = [
        make_project(id=1, code="LC-1", name="光伏"),
        make_project(id=2, code="LC-1", name="光伏"),
    ]

    fig = build_gantt(twins, as_of=AS_OF, group_by=None)

    labels = labels_of(fig)
    assert len(set(labels)) == 2  # two categories, so two rows on the axis
    assert [label.replace("\u200b", "") for label in labels] == ["LC-1 光伏", "LC-1 光伏"]
    assert row_keys(fig) == [1, 2]


def test_the_gantt_package_imports_neither_dash_nor_a_database_layer():
    code = (
        "import sys, tracker.gantt.figure, tracker.gantt.pdf, tracker.gantt.html,"
        " tracker.gantt.slip;"
        "bad = [m for m in ('dash', 'sqlmodel', 'sqlalchemy', 'tracker.db', 'tracker.models')"
        " if m in sys.modules]; print(bad); sys.exit(bool(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
