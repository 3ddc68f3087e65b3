"""#17: the 前期 chains on the battle map and in its PDF."""

import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pytest

from tests.gantt.factories import AS_OF, make_milestone, make_project
from tests.gantt.sample import sample_chain, sample_projects
from tracker.gantt.chains import CHAIN_META, CRITICAL_COLOUR, STEP_COLOURS, lanes
from tracker.gantt.figure import build_gantt, row_keys
from tracker.gantt.pdf import gantt_pdf
from tracker.gantt.rows import GanttChain, GanttLink, GanttStep, fit_to_range


def step(key, start, finish, *, state="not_started", critical=False, float_days=None, **kw):
    return GanttStep(
        key=key,
        id=kw.pop("id", int(key[1:])),
        name=kw.pop("name", f"手续{key}"),
        unit=kw.pop("unit", "市自然资源和规划局"),
        start=start,
        finish=finish,
        state=state,
        critical=critical,
        float_days=float_days,
        **kw,
    )


# 可研 → 用地批复 → 施工许可 → 开工建设 (critical), 环评 in parallel with float
CHAIN = GanttChain(
    steps=(
        step("s1", date(2021, 9, 1), date(2021, 9, 30), state="done", critical=True, float_days=0),
        step("s2", date(2021, 10, 1), date(2021, 11, 15), state="done", critical=True, float_days=0),
        step("s3", date(2021, 9, 10), date(2021, 10, 20), state="done", float_days=12,
             name="环评批复", unit="市生态环境局", latest_finish=date(2021, 11, 5)),
        step("s4", date(2021, 11, 16), date(2021, 12, 20), state="overdue", critical=True,
             float_days=0, name="施工许可"),
    ),
    links=(
        GanttLink("s1", "s2", critical=True),
        GanttLink("s1", "s3", "SS"),
        GanttLink("s2", "s4", critical=True),
        GanttLink("s3", "s4", lag=3),
        GanttLink("s4", "m:开工建设", critical=True),
    ),
    target="开工建设",
)  # fmt: skip


def chained(**overrides):
    start = make_milestone(name="开工建设", baseline=date(2022, 1, 10), planned=date(2022, 1, 10))
    return make_project(**{"chain": CHAIN, "milestones": (start,), **overrides})


def chain_trace(fig, name, kind):
    found = [
        t
        for t in fig.data
        if t.meta == CHAIN_META
        and t.name == name
        and t.type == kind
        and getattr(t, "mode", None) != "markers"
    ]
    assert len(found) == 1, [(t.name, t.type) for t in fig.data]
    return found[0]


def test_lanes_put_parallel_steps_apart_and_a_sequence_on_one_lane():
    lane_of, count = lanes(CHAIN)
    assert lane_of["s1"] == lane_of["s2"] == lane_of["s4"] == 0  # one after another
    assert lane_of["s3"] == 1  # 环评 runs beside 可研 and 用地批复
    assert count == 2


def test_the_chain_is_drawn_on_its_project_row_with_the_critical_path_highlighted():
    plain = make_project(name="无手续项目")
    project = chained(name="有手续项目")
    fig = build_gantt([plain, project], as_of=AS_OF, group_by=None)
    keys = row_keys(fig)
    assert keys == [plain.id, project.id]  # the chains add no rows and no row keys
    row = keys.index(project.id)

    critical = chain_trace(fig, "关键路径", "bar")
    others = chain_trace(fig, "前期手续", "bar")
    assert {round(y) for y in [*critical.y, *others.y]} == {row}  # inside the project's row
    assert [c[1] for c in critical.customdata] == ["手续s1", "手续s2", "施工许可"]
    assert [c[1] for c in others.customdata] == ["环评批复"]
    assert critical.marker.line.color == CRITICAL_COLOUR
    assert others.marker.line.color != CRITICAL_COLOUR
    # fills by status: 施工许可 is overdue
    assert critical.marker.color[2] == STEP_COLOURS["overdue"]
    # a click opens the step on its project page
    assert critical.customdata[2][0] == f"/projects/{project.id}?step=4"
    # float and the latest finish in the hover
    assert others.customdata[0][4:] == [12, "2021-11-05"]
    assert critical.customdata[0][4] == 0
    assert "总时差 %{customdata[4]} 个工作日" in critical.hovertemplate
    assert "最迟完成 %{customdata[5]}" in others.hovertemplate
    assert "关键路径上" in critical.hovertemplate and "关键路径上" not in others.hovertemplate


def test_links_are_arrows_and_the_critical_ones_stand_out():
    fig = build_gantt([chained()], as_of=AS_OF, group_by=None)
    lines = [t for t in fig.data if t.meta == CHAIN_META and getattr(t, "mode", "") == "lines"]
    heads = [t for t in fig.data if t.meta == CHAIN_META and getattr(t, "mode", "") == "markers"]
    grey, red = lines
    assert red.name == "关键路径" and red.line.color == CRITICAL_COLOUR
    assert grey.name == "前后衔接" and grey.line.color != CRITICAL_COLOUR
    assert red.line.shape == grey.line.shape == "vh"  # across the lanes, then into the step
    # two points a link, then a gap; an arrowhead into each successor, in its colour
    assert list(red.y).count(None) == 3 and list(grey.y).count(None) == 2
    assert len(red.x) == 9 and len(grey.x) == 6
    assert [h.marker.color for h in heads] == [grey.line.color, CRITICAL_COLOUR]
    assert [len(h.x) for h in heads] == [2, 3]
    assert {h.marker.symbol for h in heads} == {"triangle-right"}
    # s1 → s3 is start-to-start: it leaves 可研 at its start, not its finish
    assert list(grey.x)[:2] == ["2021-09-01", "2021-09-10"]
    # the last critical link ends at the 开工建设 diamond, on the row's centre
    assert heads[1].x[-1] == "2022-01-10" and heads[1].y[-1] == 0


def test_chained_rows_are_taller_and_a_map_without_chains_is_unchanged():
    rows = sample_projects(20, milestones=5)
    bare = build_gantt(rows, as_of=AS_OF)
    with_chains = build_gantt([replace(p, chain=sample_chain(p, AS_OF)) for p in rows], as_of=AS_OF)
    assert not [t for t in bare.data if t.meta == CHAIN_META]
    assert with_chains.layout.meta["row_px"] == 2 * bare.layout.meta["row_px"]
    assert row_keys(with_chains) == row_keys(bare)


def test_every_chain_trace_keeps_row_order_for_the_browser_window():
    """assets/battle_map.js slices a trace by its rows: rounded y, a gap on its link's row."""
    rows = [replace(p, chain=sample_chain(p, AS_OF)) for p in sample_projects(30, milestones=5)]
    fig = build_gantt(rows, as_of=AS_OF)
    traces = [t for t in fig.data if t.meta == CHAIN_META]
    assert len(traces) == 6
    for trace in traces:
        seen, last = [], 0
        for y in trace.y:
            last = last if y is None else round(y)
            seen.append(last)
        assert seen == sorted(seen), trace.name


def test_steps_outside_the_plan_range_are_left_out_and_named():
    far = replace(CHAIN.steps[2], start=date(1900, 1, 1))
    project = chained(chain=replace(CHAIN, steps=(*CHAIN.steps[:2], far, CHAIN.steps[3])))
    kept, outside = fit_to_range([project], date(2000, 1, 1), date(2030, 12, 31))
    assert [s.key for s in kept[0].chain.steps] == ["s1", "s2", "s4"]
    assert all("s3" not in (k.predecessor, k.successor) for k in kept[0].chain.links)
    assert [(o.what, o.name) for o in outside] == [("step", "环评批复")]


def test_a_step_with_an_unknown_state_is_refused():
    with pytest.raises(ValueError):
        step("s9", date(2021, 1, 1), date(2021, 2, 1), state="lost")


needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="needs poppler-utils"
)


def _critical_pixels(ppm: bytes) -> int:
    """Pixels of CRITICAL_COLOUR (±24 a channel) in a binary PPM."""
    parts = ppm.split(b"\n", 3)
    width, height = (int(v) for v in parts[1].split())
    pixels = parts[3]
    want = tuple(int(CRITICAL_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    count = 0
    for i in range(0, width * height * 3, 3):
        r, g, b = pixels[i], pixels[i + 1], pixels[i + 2]
        if abs(r - want[0]) < 24 and abs(g - want[1]) < 24 and abs(b - want[2]) < 24:
            count += 1
    return count


@needs_poppler
def test_the_pdf_prints_the_chains_with_the_critical_path_in_its_colour(tmp_path):
    rows = sample_projects(8, milestones=5)
    bare = gantt_pdf(rows, as_of=AS_OF, title="挂图作战")
    printed = gantt_pdf(
        [replace(p, chain=sample_chain(p, AS_OF)) for p in rows], as_of=AS_OF, title="挂图作战"
    )
    shown = {}
    for name, pdf in (("bare", bare), ("chains", printed)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        ppm = subprocess.run(
            ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", str(path)],
            capture_output=True,
            check=True,
        ).stdout
        shown[name] = (text, _critical_pixels(ppm))
    assert "关键路径" in shown["chains"][0] and "前期手续" in shown["chains"][0]
    assert "关键路径" not in shown["bare"][0]
    # the critical path colour is there only when chains are printed
    assert shown["chains"][1] > 20 * max(shown["bare"][1], 10)
