"""Lists generated the way other offices make them: headings built from the recognition
rules' parts in wordings no other test uses, columns shuffled, units in headings and on a
unit line, targets written as text, contacts combined. Each must import with every filled
column used or reported, and give the projects it was made from."""

from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tracker.excel.parse_list import parse_project_list

from .factories import convert_with_libreoffice, xlsx_bytes

TESTS = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve()

# Parts of each heading, from the terms the rules look for (recognize.py). A heading is a
# prefix and a key term (and a suffix): “项目落地” + “位置”, “包保市” + “领导”.
PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "name": (("重点", "拟建", "储备", "入库", "申报"), ("项目名称", "工程名称", "项目名")),
    "area": (("所属产业", "重点建设", "产业", "归口"), ("领域",)),
    "measure": (("对应工作", "具体", "支撑", "落实"), ("举措", "措施")),
    "county": (
        ("项目落地", "拟建", "具体建设", "项目实施", "工程"),
        ("地点", "位置", "所在地", "属地", "县市区"),
    ),
    "code": (("入库", "系统", "项目库", "备案"), ("编码", "代码", "赋码")),
    "total": (("规划", "预计", "批复", "项目计划"), ("总投资", "投资总额")),
    "plan": (("本年度", "今年", "当年"), ("计划投资", "投资计划", "计划完成投资")),
    "before": (
        ("截至上年底", "至上年末", "开工至上年底", "截止上年末", "以前年度"),
        ("累计完成投资", "累计完成投资额", "累计已完成投资"),
    ),
    "contact": (("责任人及", "联系人及", "负责人及", "经办人及"), ("联系方式", "手机号码", "电话")),
    "targets": (("年度", "全年"), ("工作目标", "目标任务", "进度安排", "推进计划")),
    "leader": (("包保市", "挂钩市", "市级联系", "分管市"), ("领导",)),
    "implementer": (("项目", "本项目", "具体"), ("实施主体", "业主单位", "建设单位")),
    "remark": (("其他", "补充", "附加"), ("备注",)),
    "start": (("计划", "预计", "拟"), ("开工年月", "开工日期", "开工时间")),
    "finish": (("计划", "预计", "拟"), ("建成时间", "竣工日期", "完工年月")),
    "person": (("现场", "具体", "项目单位"), ("经办人", "联系人", "负责人")),
    "phone": (("办公", "移动", "值班"), ("电话", "手机")),
    "milestone": (("关键", "重要", "控制性"), ("节点一",)),
}
COUNTIES = ("永德县", "镇康县", "沧源佤族自治县", "临沧市临翔区", "耿马县孟定镇")
SHORT = {"沧源佤族自治县": "沧源县", "临沧市临翔区": "临翔区", "耿马县孟定镇": "耿马县"}
PEOPLE = (("岩温", "0883-6123456"), ("刀丽", "13908831234"), ("杨光", "0883-7654321"))
UNKNOWN = ("推进情况简述", "督导口径", "前期工作进展")


def used_elsewhere() -> str:
    """Every other test's source, so a generated wording can be checked against them."""
    return "\n".join(
        p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py") if p.resolve() != HERE
    )


OTHER_TESTS = used_elsewhere()


def wording(rng: random.Random, key: str) -> str:
    prefixes, terms = PARTS[key]
    choices = [p + t for p in prefixes for t in terms if p + t not in OTHER_TESTS]
    assert choices, f"every wording of {key} is used elsewhere"
    return rng.choice(choices)


@dataclass
class Layout:
    """One generated list and what it must read back as."""

    data: bytes
    filename: str
    year: int
    expected: list[dict[str, object]]
    headings: list[str]
    unknown: str | None
    notes: list[str] = field(default_factory=list)


def make_layout(seed: int) -> Layout:
    rng = random.Random(seed)
    year = rng.choice([2022, 2023, 2024, 2025])
    in_yi = rng.random() < 0.5  # amounts in 亿元
    unit_line = in_yi and rng.random() < 0.5  # ... said on a line above the header
    combined = rng.random() < 0.6  # 责任人及联系方式 in one column
    targets = rng.random() < 0.7  # milestones as target text (else 节点N pairs)
    unknown = rng.choice(UNKNOWN) if rng.random() < 0.5 else None
    unit = "" if unit_line or not in_yi else "（亿元）"
    unit_wan = "" if in_yi else "（万元）"

    columns: list[tuple[str, str]] = [(wording(rng, k), k) for k in ("name", "area", "measure")]
    columns += [(wording(rng, k), k) for k in ("county", "code", "implementer", "leader")]
    columns += [(wording(rng, k) + (unit or unit_wan), k) for k in ("total", "plan", "before")]
    columns += [(wording(rng, k), k) for k in ("start", "finish", "remark")]
    if combined:
        columns.append((wording(rng, "contact"), "contact"))
    else:
        columns += [(wording(rng, "person"), "person"), (wording(rng, "phone"), "phone")]
    if targets:
        columns.append((f"{year}{wording(rng, 'targets')}", "targets"))
    else:
        milestone = wording(rng, "milestone")
        columns += [(milestone, "m1"), (milestone + rng.choice(["完成时限", "计划时间"]), "m1date")]
    if unknown:
        columns.append((unknown, "unknown"))
    rng.shuffle(columns)
    columns.insert(0, ("序号", "seq"))

    expected: list[dict[str, object]] = []
    rows: list[list[object]] = []
    factor = Decimal(10000) if in_yi else Decimal(1)
    for n in range(1, 5):
        person, phone = PEOPLE[n % len(PEOPLE)]
        place = COUNTIES[(seed + n) % len(COUNTIES)]
        total = Decimal(rng.randrange(200, 90000)) / 100  # as written, in the column's unit
        plan = (total / 4).quantize(Decimal("0.01"))
        before = (total / 5).quantize(Decimal("0.01"))
        month = rng.randrange(2, 11)
        values = {
            "seq": n,
            "name": f"生成清单{seed}号项目{n}",
            "area": rng.choice(["绿色低碳发展", "生态环境保护"]),
            "measure": rng.choice(["发展清洁能源", "推进河湖生态治理"]),
            "county": place,
            "code": f"GEN-{seed:02d}-{n:02d}",
            "implementer": f"{SHORT.get(place, place)[:2]}城投公司",
            "leader": rng.choice(["张副市长", "李副市长"]),
            "total": float(total),
            "plan": float(plan),
            "before": float(before),
            "start": date(year, month, 1),
            "finish": date(year + 1, month, 28),
            "remark": f"第{n}批",
            "contact": f"{person} {phone}",
            "person": person,
            "phone": phone,
            "targets": (
                f"{month}月底前完成可研批复；{month + 1}月底前开工建设，"
                f"12月底前完成年度投资{plan}{'亿元' if in_yi else '万元'}"
            ),
            "m1": "开工建设",
            "m1date": f"{year}年{month + 1}月",
            "unknown": f"情况{n}",
        }
        rows.append([values[key] for _, key in columns])
        expected.append(
            {
                "name": values["name"],
                "code": values["code"],
                "county": SHORT.get(place, place),
                "implementer": values["implementer"],
                "city_leader": values["leader"],
                "total_investment": (total * factor).quantize(Decimal("0.01")),
                "annual_plans": {year: (plan * factor).quantize(Decimal("0.01"))},
                "opening_total": (before * factor).quantize(Decimal("0.01")),
                "opening_year": year,
                "planned_start": date(year, month, 1),
                "remark": values["remark"],
                "contact_person": person,
                "contact_phone": phone,
                "milestones": (
                    [
                        ("完成可研批复", _month_end(year, month)),
                        ("开工建设", _month_end(year, month + 1)),
                    ]
                    if targets
                    else [("开工建设", _month_end(year, month + 1))]
                ),
            }
        )
    top: list[list[object]] = [[f"临沧市{year}年重大项目推进清单"]]
    if unit_line:
        top.append(["单位：亿元"])
    rows = [*top, [h for h, _ in columns], *rows]
    data = xlsx_bytes(rows, sheet=rng.choice(["清单", "项目表", "Sheet1"]))
    filename = "list.xlsx"
    if seed % 6 == 5:  # one in six also goes through LibreOffice, as .ods or .xls
        target = "ods" if seed % 12 == 5 else "xls"
        data, filename = convert_with_libreoffice(data, target), f"list.{target}"
    return Layout(data, filename, year, expected, [h for h, _ in columns], unknown)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


SEEDS = list(range(12))


@pytest.mark.parametrize("seed", SEEDS)
def test_a_generated_list_imports_with_every_filled_column_used_or_reported(seed: int) -> None:
    layout = make_layout(seed)
    for heading in layout.headings[1:]:
        assert not re.search(re.escape(heading), OTHER_TESTS), heading
    parsed = parse_project_list(layout.data, layout.filename)
    if layout.unknown:
        assert parsed.needs_input and [c.header for c in parsed.unknown] == [layout.unknown]
        assert parsed.unknown[0].samples == ("情况1", "情况2", "情况3")
        parsed = parse_project_list(
            layout.data, layout.filename, mapping={layout.unknown: "ignore"}
        )
    assert not parsed.needs_input, (parsed.unknown, parsed.missing)
    assert parsed.errors == []
    reported = {c.header for c in parsed.columns}
    assert reported == set(layout.headings), set(layout.headings) ^ reported
    used = {c.header for c in parsed.columns if c.used}
    assert {c.header for c in parsed.unused} == ({layout.unknown} if layout.unknown else set())
    assert used == set(layout.headings) - {layout.unknown}
    assert (parsed.year, parsed.year_source) == (
        layout.year,
        f"标题“临沧市{layout.year}年重大项目推进清单”",
    )
    got = [
        {
            **{key: getattr(p, key) for key in layout.expected[0] if key != "milestones"},
            "milestones": [(m.name, m.planned) for m in p.milestones],
        }
        for p in parsed.projects
    ]
    assert got == layout.expected


def test_the_generator_makes_at_least_ten_different_layouts() -> None:
    layouts = {tuple(make_layout(seed).headings) for seed in SEEDS if seed % 6 != 5}
    assert len(layouts) >= 10
