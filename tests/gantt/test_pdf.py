import re
import shutil
import subprocess
from datetime import date

import pytest

from tests.gantt.factories import AS_OF, make_project
from tests.gantt.sample import sample_projects
from tracker.gantt.pdf import gantt_pdf, register_cjk_font

TITLE = "临沧市重大项目实施甘特图"

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="needs poppler-utils (pdftotext, pdfinfo)",
)


def pages_text(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "gantt.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]  # pdftotext ends every page with a form feed


def media_boxes(pdf: bytes, tmp_path) -> list[tuple[float, float]]:
    path = tmp_path / "boxes.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", "-box", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    boxes = re.findall(r"Page\s+\d+ MediaBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", out)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


@pytest.fixture(scope="module")
def plan():
    return sample_projects(90)


@pytest.fixture(scope="module")
def pdf(plan):
    return gantt_pdf(plan, as_of=AS_OF, title=TITLE, time_progress=0.414)


def test_the_pdf_is_a_vector_document_not_a_picture(pdf):
    assert pdf.startswith(b"%PDF-")
    assert b"/Subtype /Image" not in pdf


@needs_poppler
def test_every_page_is_a3_landscape(pdf, tmp_path):
    boxes = media_boxes(pdf, tmp_path)

    assert len(boxes) >= 2  # 90 projects do not fit one page
    for width, height in boxes:
        assert width == pytest.approx(1190.55, abs=0.01)
        assert height == pytest.approx(841.89, abs=0.01)


@needs_poppler
def test_every_page_repeats_the_header_legend_axis_and_its_number(pdf, tmp_path):
    pages = pages_text(pdf, tmp_path)

    for number, page in enumerate(pages, start=1):
        assert TITLE in page
        assert "截至 2022-05-31" in page
        assert "序时进度 41.4%" in page
        for legend in ("红灯", "黄灯", "绿灯", "基线", "节点逾期", "节点未到期", "今天"):
            assert legend in page
        assert "项目名称" in page and "牵头单位" in page
        assert "2022年" in page
        # pdftotext drops the spaces around "/" between CJK glyphs
        assert f"第{number}/{len(pages)}页" in re.sub(r"\s", "", page)


@needs_poppler
def test_every_project_name_appears_exactly_once(pdf, plan, tmp_path):
    text = "".join(pages_text(pdf, tmp_path))

    counts = {p.name: text.count(p.name) for p in plan}
    assert {name: n for name, n in counts.items() if n != 1} == {}
    assert re.search(r"[\u4e00-\u9fff]", text)


@needs_poppler
def test_a_page_that_starts_inside_a_group_repeats_its_header_as_continued(pdf, tmp_path):
    later_pages = pages_text(pdf, tmp_path)[1:]

    assert later_pages
    assert all("（续）" in page for page in later_pages)


@needs_poppler
def test_the_pdf_draws_user_text_as_plain_text(tmp_path):
    p = make_project(name="<script>alert(1)</script>项目", county="耿马县")

    text = "".join(pages_text(gantt_pdf([p], as_of=AS_OF, title="标题"), tmp_path))

    assert "<script>alert(1)</script>项目" in text


@needs_poppler
@pytest.mark.parametrize("group_by", ["measure", "county", "lead_unit", "light", None])
def test_any_grouping_prints_each_project_once(group_by, tmp_path):
    projects = sample_projects(30)

    text = "".join(
        pages_text(gantt_pdf(projects, as_of=AS_OF, title="T", group_by=group_by), tmp_path)
    )

    assert all(text.count(p.name) == 1 for p in projects)


@needs_poppler
def test_an_empty_plan_still_prints_one_page_with_its_header(tmp_path):
    pages = pages_text(gantt_pdf([], as_of=AS_OF, title="空计划"), tmp_path)

    assert len(pages) == 1
    assert "空计划" in pages[0]


def test_the_shipped_cjk_font_is_used_and_embedded_in_the_pdf(tmp_path):
    assert register_cjk_font() == "GanttCJK0", "the font shipped in tracker/gantt/fonts"
    data = gantt_pdf([make_project(name="临翔区蔗糖循环经济产业园项目")], as_of=AS_OF, title="挂图")
    assert b"/FontFile2" in data  # TrueType outlines embedded, not a viewer substitute
    if shutil.which("pdffonts"):
        path = tmp_path / "g.pdf"
        path.write_bytes(data)
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        cjk = [line for line in listing.splitlines() if "WenQuanYi" in line or "GanttCJK" in line]
        assert cjk and all(" yes " in line for line in cjk), listing


def test_a_font_that_cannot_be_loaded_falls_back_to_the_standard_cid_font():
    assert register_cjk_font("/nonexistent/font.ttf") == "STSong-Light"


@needs_poppler
def test_x_range_narrows_the_axis(tmp_path):
    p = make_project(planned_start=date(2021, 1, 1), planned_finish=date(2024, 12, 31))

    text = "".join(
        pages_text(
            gantt_pdf([p], as_of=AS_OF, title="T", x_range=(date(2022, 1, 1), date(2022, 12, 31))),
            tmp_path,
        )
    )

    assert "2022年" in text and "2021年" not in text and "2024年" not in text


@needs_poppler
def test_a_project_with_open_problems_prints_their_number_at_its_rows_end(tmp_path):
    busy = make_project(id=1, code="LC-01", name="甲项目", open_problems=3)
    quiet = make_project(id=2, code="LC-02", name="乙项目", open_problems=0)
    many = make_project(id=3, code="LC-03", name="丙项目", open_problems=120)

    (text,) = pages_text(gantt_pdf([busy, quiet, many], as_of=AS_OF, title=TITLE), tmp_path)

    lines = {
        p.name: next(line for line in text.splitlines() if p.name in line)
        for p in (busy, quiet, many)
    }
    assert re.search(r"%\s+3$", lines["甲项目"].rstrip())  # after the progress, far right
    assert lines["乙项目"].rstrip().endswith("%")  # no badge
    assert lines["丙项目"].rstrip().endswith("99+")
    assert "未解决问题" in text  # in the legend
