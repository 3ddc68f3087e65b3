"""The printed battle map of a whole province's plan: numbered sheets, an index, tiles."""

import re
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest

from tests.gantt.factories import AS_OF
from tests.gantt.sample import AREAS, sample_projects
from tests.gantt.test_pdf import TITLE, media_boxes, needs_poppler, pages_text
from tracker.gantt.pdf import gantt_pdf

# "第 3 / 120 页 · 行 301–400 · 2026-01 至 2027-12" (pdftotext may drop the spaces)
LABEL = re.compile(
    r"第\s*(\d+)\s*/\s*(\d+)\s*页\s*·\s*(?:行\s*(\d+)–(\d+)\s*·\s*)?"
    r"(\d{4}-\d{2})\s*至\s*(\d{4}-\d{2})"
)
INDEX_ENTRY = re.compile(r"(\S+)\s+(\d+)\s*个项目\s+第\s*(\d+)(?:–(\d+))?\s*页")
ROW = re.compile(r"^\s*(\d+)\s+LC-\d+", re.MULTILINE)


def labels(pages: list[str]) -> dict[int, re.Match]:
    """Chart pages by number, with what their footers say they hold."""
    out = {}
    for page in pages:
        match = LABEL.search(page)
        if match:
            out[int(match.group(1))] = match
    return out


@pytest.fixture(scope="module")
def province():
    return sample_projects(10_000, milestones=5)


@needs_poppler
def test_a_10000_project_plan_prints_every_project_once_on_numbered_sheets(province, tmp_path):
    pdf = gantt_pdf(province, as_of=AS_OF, title=TITLE, time_progress=0.414)
    pages = pages_text(pdf, tmp_path)

    assert len(media_boxes(pdf, tmp_path)) == len(pages)
    chart = labels(pages)
    # about 50 projects a sheet (group headers take some rows), one index sheet first
    assert 190 <= len(pages) <= 215
    assert "索引" in pages[0] and 1 not in chart
    assert sorted(chart) == list(range(2, len(pages) + 1))
    assert {int(m.group(2)) for m in chart.values()} == {len(pages)}
    # the sheets' row ranges run from 1 to 10,000 without a gap or an overlap
    ranges = [(int(chart[n].group(3)), int(chart[n].group(4))) for n in sorted(chart)]
    assert ranges[0][0] == 1 and ranges[-1][1] == 10_000
    assert all(b[0] == a[1] + 1 for a, b in zip(ranges, ranges[1:], strict=False))
    # names hold no spaces: a word count says how often each is printed
    words = Counter(word for page in pages for word in page.split())
    assert [p.name for p in province if words[p.name] != 1] == []


@pytest.fixture(scope="module")
def county_plan():
    return sample_projects(400, milestones=5)


@pytest.fixture(scope="module")
def county_pages(county_plan, tmp_path_factory):
    pdf = gantt_pdf(county_plan, as_of=AS_OF, title=TITLE, time_progress=0.414)
    return pages_text(pdf, tmp_path_factory.mktemp("county"))


@needs_poppler
def test_each_sheet_says_which_rows_and_months_it_holds(county_plan, county_pages):
    start = min(p.planned_start for p in county_plan)
    finish = max(p.planned_finish for p in county_plan)
    for number, match in labels(county_pages).items():
        page = county_pages[number - 1]
        rows = [int(n) for n in ROW.findall(page)]
        assert rows == list(range(int(match.group(3)), int(match.group(4)) + 1))
        first, last = match.group(5), match.group(6)
        assert (first, last) == (f"{start:%Y-%m}", f"{finish:%Y-%m}")  # the whole plan
        assert f"{first[:4]}年" in page and f"{last[:4]}年" in page


def assert_index_is_right(pages: list[str], counts: dict[str, int], index_pages: int) -> None:
    """Every group once in the index, with its count and the sheets that print it."""
    found = [m for page in pages[:index_pages] for m in INDEX_ENTRY.finditer(page)]
    entries = {m.group(1): m for m in found}
    assert len(found) == len(entries)
    assert sorted(entries) == sorted(counts)
    for group, count in counts.items():
        entry = entries[group]
        assert int(entry.group(2)) == count
        first = int(entry.group(3))
        last = int(entry.group(4) or first)
        on = [n for n, page in enumerate(pages, start=1) if n > index_pages and group in page]
        assert on == list(range(first, last + 1)), group
        assert f"{group}（续）" not in pages[first - 1]  # where it starts


@needs_poppler
def test_the_index_lists_every_group_with_the_pages_it_is_on(county_plan, county_pages):
    groups = [*AREAS, *(m for measures in AREAS.values() for m in measures)]
    counts = {g: sum(1 for p in county_plan if g in (p.area, p.measure)) for g in groups}

    assert "索引" in county_pages[0] and "索引" not in county_pages[1]
    assert_index_is_right(county_pages, counts, index_pages=1)


@needs_poppler
def test_an_index_of_hundreds_of_groups_runs_over_several_sheets(tmp_path):
    plan = [
        replace(p, lead_unit=f"单位{i % 400:03d}号")
        for i, p in enumerate(sample_projects(1200, milestones=5))
    ]

    pdf = gantt_pdf(plan, as_of=AS_OF, title=TITLE, group_by="lead_unit")
    pages = pages_text(pdf, tmp_path)

    index_pages = sum(1 for page in pages if "索引" in page)
    assert index_pages >= 2
    assert all("索引" in page for page in pages[:index_pages])
    assert_index_is_right(pages, Counter(p.lead_unit for p in plan), index_pages)


@needs_poppler
def test_a_short_print_has_no_index(tmp_path):
    pages = pages_text(gantt_pdf(sample_projects(90), as_of=AS_OF, title=TITLE), tmp_path)

    assert len(pages) == 3
    assert all("索引" not in page for page in pages)
    assert list(labels(pages)) == [1, 2, 3]


@needs_poppler
def test_a_plan_too_long_for_one_sheet_is_cut_into_columns_of_time(tmp_path):
    plan = sample_projects(120, milestones=5)
    plan[0] = replace(plan[0], planned_finish=date(2030, 12, 31))  # a ten-year plan

    pages = pages_text(gantt_pdf(plan, as_of=AS_OF, title=TITLE), tmp_path)
    chart = labels(pages)

    assert "第 1 列：2021-01 至 2025-12" in pages[0] and "第 2 列：2026-01 至 2030-12" in pages[0]
    numbers = sorted(chart)
    assert numbers == list(range(2, len(pages) + 1)) and len(numbers) % 2 == 0
    for left, right in zip(
        numbers[::2], numbers[1::2], strict=True
    ):  # a band's two sheets side by side
        a, b = chart[left], chart[right]
        assert a.group(3, 4) == b.group(3, 4)
        assert a.group(5, 6) == ("2021-01", "2025-12") and b.group(5, 6) == ("2026-01", "2030-12")
        assert "2022年" in pages[left - 1] and "2022年" not in pages[right - 1]
        assert "2027年" in pages[right - 1]
    text = "".join(pages[1:])
    assert all(text.count(p.name) == 2 for p in plan)  # once in each column of time
