"""Lists as other offices send them, through the import service: every filled column used
or reported, the mapping step, remembered mappings, 本年度, and the dry run's field-by-field
changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from tests.excel.factories import xlsx_bytes
from tracker.db import read_session, write_session
from tracker.models import AuditLog, HeaderMapping, InvestmentPlan, Milestone, Project
from tracker.services.auth import SYSTEM
from tracker.services.errors import InvalidInput
from tracker.services.plan_import import import_project_list

D = Decimal

# The list from the issue: a county column headed 项目建设地点, and three filled columns
# the importer used to drop without a word.
ISSUE_HEADER = [
    "序号",
    "项目名称",
    "所属领域",
    "工作举措",
    "项目建设地点",
    "总投资（万元）",
    "本年度计划投资（万元）",
    "截至上年底累计完成投资（万元）",
    "责任人及联系方式",
]


def issue_list(title: str = "临沧市2022年重大项目清单", *, extra: tuple = ()) -> bytes:
    rows: list[list[object]] = [[title], ["单位：万元"], [*ISSUE_HEADER, *(h for h, _ in extra)]]
    people = ["李明 0883-2158535", "王芳（13887654321）", "岩帅 0883-2123456"]
    for n in range(3):
        rows.append(
            [
                n + 1,
                f"云县测试项目{n + 1}",
                "绿色低碳发展",
                "发展清洁能源",
                ["云县", "耿马傣族佤族自治县", "临沧市本级"][n],
                1000 * (n + 1),
                300 + n,
                200 * n if n else None,
                people[n],
                *(values[n] for _, values in extra),
            ]
        )
    return xlsx_bytes(rows)


def run(engine, data: bytes, *, dry_run: bool = False, **kwargs):
    with write_session(engine) as s:
        return import_project_list(
            s, actor=SYSTEM, data=data, filename="清单.xlsx", dry_run=dry_run, **kwargs
        )


def projects(engine) -> dict[str, Project]:
    with read_session(engine) as s:
        return {p.name: p for p in s.exec(select(Project))}


def plans(engine) -> dict[tuple[str, int], Decimal]:
    with read_session(engine) as s:
        names = {p.id: p.name for p in s.exec(select(Project))}
        return {(names[p.project_id], p.year): p.amount for p in s.exec(select(InvestmentPlan))}


def test_the_issues_list_imports_with_every_filled_column_used(engine):
    result = run(engine, issue_list())
    assert result.ok and len(result.created) == 3
    assert result.unused == [] and result.unknown == []
    assert result.year_line() == "本年度按2022年（标题“临沧市2022年重大项目清单”）"
    assert "本年度按2022年" in result.summary()
    stored = projects(engine)
    first, second, third = (stored[f"云县测试项目{n}"] for n in (1, 2, 3))
    assert (first.county, second.county, third.county) == ("云县", "耿马县", "市直")
    assert (first.contact_person, first.contact_phone) == ("李明", "0883-2158535")
    assert (second.contact_person, second.contact_phone) == ("王芳", "13887654321")
    assert (first.opening_total, first.opening_year) == (None, None)
    assert (second.opening_total, second.opening_year) == (D("200.00"), 2022)
    assert plans(engine) == {
        ("云县测试项目1", 2022): D("300.00"),
        ("云县测试项目2", 2022): D("301.00"),
        ("云县测试项目3", 2022): D("302.00"),
    }


def test_without_a_year_anywhere_the_import_asks_for_one_and_takes_it(engine):
    asking = run(engine, issue_list(title="重大项目清单"))
    assert asking.needs_input and asking.year_needed and asking.year is None
    assert projects(engine) == {}
    given = run(engine, issue_list(title="重大项目清单"), year=2023)
    assert given.ok and given.year_line() == "本年度按2023年（导入时指定）"
    assert plans(engine)[("云县测试项目1", 2023)] == D("300.00")
    assert projects(engine)["云县测试项目2"].opening_year == 2023


def test_an_unknown_column_asks_to_be_mapped_then_is_remembered(engine):
    extra = (("推进情况说明", ["已完成选址", "正在编制可研", "已开工"]),)
    asking = run(engine, issue_list(extra=extra))
    assert asking.needs_input and projects(engine) == {}
    [column] = asking.unknown
    assert (column.letter, column.header) == ("J", "推进情况说明")
    assert column.samples == ("已完成选址", "正在编制可研", "已开工")
    assert "REMARK" in column.candidates[:3]

    dry = run(engine, issue_list(extra=extra), dry_run=True, mapping={"推进情况说明": "备注"})
    assert dry.ok and projects(engine) == {}
    with read_session(engine) as s:
        assert s.exec(select(HeaderMapping)).all() == []  # a dry run remembers nothing

    done = run(engine, issue_list(extra=extra), mapping={"推进情况说明": "备注"})
    assert done.ok and projects(engine)["云县测试项目2"].remark == "正在编制可研"
    with read_session(engine) as s:
        [remembered] = s.exec(select(HeaderMapping)).all()
        assert (remembered.header, remembered.field) == ("推进情况说明", "REMARK")
        assert s.exec(select(AuditLog).where(AuditLog.action == "mapping_create")).one()

    again = run(engine, issue_list(extra=extra), dry_run=True)
    assert again.ok and again.remembered == {"推进情况说明": "REMARK"}
    assert [c.how for c in again.columns if c.header == "推进情况说明"] == ["mapping"]


def test_an_ignored_column_is_listed_as_unused_with_three_samples(engine):
    extra = (("内部编码备用", ["A-1", "A-2", "A-3"]),)
    result = run(engine, issue_list(extra=extra), dry_run=True, mapping={"内部编码备用": "忽略"})
    assert result.ok
    [unused] = result.unused
    assert (unused.header, unused.samples, unused.note) == (
        "内部编码备用",
        ("A-1", "A-2", "A-3"),
        "导入时选择不导入",
    )
    assert "未使用的列 1 列" in result.summary()


def test_a_mapping_naming_no_field_is_refused_saying_which(engine):
    with pytest.raises(InvalidInput, match="不知道“进度条”是哪个字段"):
        run(engine, issue_list(), mapping={"项目建设地点": "进度条"})


def test_a_county_column_under_an_unknown_heading_is_found_by_its_values(engine):
    rows = [[], ["序号", "项目名称", "所属领域", "工作举措", "片区", "总投资"]]
    for n, place in enumerate(["云县", "沧源县", "双江拉祜族佤族布朗族傣族自治县"]):
        rows.append([n + 1, f"项目{n}", "绿色低碳发展", "发展清洁能源", place, 100])
    result = run(engine, xlsx_bytes(rows), dry_run=True)
    assert result.ok
    [county] = [c for c in result.columns if c.header == "片区"]
    assert (county.field, county.how) == ("COUNTY", "values")
    assert "县（区）" in county.note


def test_a_re_import_changes_only_the_fields_its_list_carries_and_says_how(engine):
    assert run(engine, issue_list()).ok
    with write_session(engine) as s:
        first = s.exec(select(Project).where(Project.name == "云县测试项目1")).one()
        first.lead_unit = "市能源局"  # set in the app; the list has no 牵头单位 column
        s.add(first)
    changed = xlsx_bytes(
        [
            ["临沧市2022年重大项目清单"],
            ["序号", "项目名称", "所属领域", "工作举措", "项目建设地点", "总投资（万元）"],
            [1, "云县测试项目1", "绿色低碳发展", "发展清洁能源", "云县", 1200],
        ]
    )
    dry = run(engine, changed, dry_run=True)
    assert dry.ok and [c.label for c in dry.changes] == [dry.updated[0]]
    [change] = dry.changes
    assert [(f.label, f.old, f.new) for f in change.fields] == [
        ("总投资（万元）", "1,000.00", "1,200.00")
    ]
    assert run(engine, changed).ok
    stored = projects(engine)["云县测试项目1"]
    assert (stored.total_investment, stored.lead_unit, stored.contact_person) == (
        D("1200.00"),
        "市能源局",
        "李明",
    )


TARGETS = "3月底前完成可研批复；6月底前开工建设；12月底前完成年度投资2.1亿元"


def target_list(plan: object) -> bytes:
    header = ["项目名称", "所属领域", "工作举措", "县（区）", "2022年计划投资（万元）"]
    header += ["2022年度工作目标", "市级责任领导", "至2021年底累计完成投资（亿元）"]
    return xlsx_bytes(
        [
            header,
            ["甲项目", "绿色低碳发展", "发展清洁能源", "永德县", plan, TARGETS, "张三", 1.5],
        ]
    )


def test_target_text_gives_milestones_and_its_investment_target_checks_the_plan(engine):
    result = run(engine, target_list(20000), dry_run=True)
    assert result.ok and result.unused == []
    [warning] = result.warnings
    assert "年度投资 21,000.00 万元与2022年计划投资 20,000.00 万元不一致" in warning
    assert run(engine, target_list(21000)).ok
    stored = projects(engine)["甲项目"]
    assert (stored.city_leader, stored.opening_total, stored.opening_year) == (
        "张三",
        D("15000.00"),
        2022,
    )
    with read_session(engine) as s:
        milestones = s.exec(select(Milestone).order_by(Milestone.seq)).all()
    assert [(m.name, m.planned_date) for m in milestones] == [
        ("完成可研批复", date(2022, 3, 31)),
        ("开工建设", date(2022, 6, 30)),
    ]


def test_an_investment_target_stands_in_for_a_missing_plan_and_says_so(engine):
    result = run(engine, target_list(None))
    assert result.ok
    assert any("2022年计划投资取自工作目标" in w for w in result.warnings)
    assert plans(engine) == {("甲项目", 2022): D("21000.00")}


def test_completion_dates_in_the_list_are_taken_and_a_blank_never_clears_one(engine):
    header = ["项目名称", "所属领域", "工作举措", "建设地点", "节点1", "节点1计划时间"]
    header += ["节点1实际完成时间", "实际开工时间"]
    done = ["甲项目", "绿色低碳发展", "发展清洁能源", "云县", "开工建设", date(2022, 6, 30)]
    assert run(engine, xlsx_bytes([header, [*done, date(2022, 6, 20), date(2022, 6, 20)]])).ok
    with read_session(engine) as s:
        milestone = s.exec(select(Milestone)).one()
        project = s.exec(select(Project)).one()
    assert (milestone.actual_date, project.actual_start) == (date(2022, 6, 20), date(2022, 6, 20))
    assert run(engine, xlsx_bytes([header, [*done, None, date(2022, 6, 20)]])).ok
    with read_session(engine) as s:
        assert s.exec(select(Milestone)).one().actual_date == date(2022, 6, 20)
