"""The sample list the project office provided (read from the shared folder, not copied)."""

from __future__ import annotations

from collections import Counter

import pytest

from tracker.excel.parse_list import parse_project_list
from tracker.excel.rows import ParsedList

from .factories import shared_samples_dir


@pytest.fixture(scope="module")
def sample() -> ParsedList:
    path = shared_samples_dir() / "project_list_sample.xlsx"
    if not path.exists():
        pytest.skip(f"sample list not found at {path}")
    return parse_project_list(path.read_bytes(), path.name)


def test_the_sample_parses_to_31_projects_without_errors_or_warnings(sample: ParsedList) -> None:
    assert len(sample.projects) == 31
    assert sample.errors == []
    assert sample.warnings == []


def test_the_sample_covers_the_four_focus_areas(sample: ParsedList) -> None:
    assert Counter(p.area for p in sample.projects) == {
        "绿色低碳发展": 10,
        "推动旅游产业": 5,
        "生态环境保护": 7,
        "创新驱动发展": 9,
    }


def test_the_sample_measures_sit_under_their_areas(sample: ParsedList) -> None:
    measures = {(p.area, p.measure) for p in sample.projects}
    assert measures == {
        ("绿色低碳发展", "推进蔗糖产业循环经济发展"),
        ("绿色低碳发展", "发展清洁能源"),
        ("绿色低碳发展", "推广绿色建筑与交通"),
        ("推动旅游产业", "建设民族文化旅游小镇"),
        ("推动旅游产业", "打造边境旅游线路"),
        ("生态环境保护", "推进河湖生态治理"),
        ("生态环境保护", "加强生物多样性保护"),
        ("生态环境保护", "实施土壤与农业面源污染防治"),
        ("创新驱动发展", "建设科技创新平台"),
        ("创新驱动发展", "突破特色产业关键技术"),
        ("创新驱动发展", "推进数字乡村建设"),
    }


def test_every_sample_project_has_four_milestones_in_order(sample: ParsedList) -> None:
    for project in sample.projects:
        assert [m.name for m in project.milestones] == [
            "完成前期手续",
            "开工建设",
            "主体工程完工",
            "竣工验收",
        ]
        assert project.planned_start is not None and project.planned_finish is not None
        assert project.planned_start <= project.milestones[0].planned
        assert project.milestones[-1].planned == project.planned_finish


def test_the_first_sample_project_is_read_field_by_field(sample: ParsedList) -> None:
    first = sample.projects[0]
    assert (first.name, first.county, first.nature, first.lead_unit) == (
        "双江蔗糖循环经济产业园项目",
        "双江县",
        "新建",
        "市发展改革委",
    )
    assert (first.contact_person, first.contact_phone) == ("李明", "0883-2111265")
    assert str(first.total_investment) == "1500.00"
    assert {year: str(amount) for year, amount in first.annual_plans.items()} == {2022: "519.00"}
    assert (first.sheet, first.row, first.code) == ("项目清单", 4, None)


def test_the_sample_counties_are_all_known_short_names(sample: ParsedList) -> None:
    assert {p.county for p in sample.projects} <= {
        "临翔区", "凤庆县", "云县", "永德县", "镇康县", "双江县", "耿马县", "沧源县", "市直",
    }  # fmt: skip
