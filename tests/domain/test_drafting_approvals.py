"""The bulletin's 前期手续 paragraph and annexes (#17), from hand-made bulletin data."""

from datetime import date

from tracker.domain.bulletin import Bulletin
from tracker.domain.drafting import annexes, approvals_text

UNITS = [
    {
        "unit": "市生态环境局",
        "steps": 9,
        "in_progress": 1,
        "overdue": 3,
        "late_to_submit": 0,
        "done": 5,
        "average_days": 37.0,
        "limit_days": 30.0,
        "light": "red",
    },
    {
        "unit": "市水务局",
        "steps": 4,
        "in_progress": 2,
        "overdue": 1,
        "late_to_submit": 1,
        "done": 1,
        "average_days": 15.0,
        "limit_days": 20.0,
        "light": "amber",
    },
    {
        "unit": "市住房和城乡建设局",
        "steps": 4,
        "in_progress": 0,
        "overdue": 0,
        "late_to_submit": 0,
        "done": 4,
        "average_days": None,
        "limit_days": None,
        "light": "green",
    },
]
RISK = {
    "code": "LC-01-01",
    "name": "沧源国土绿化项目",
    "county": "沧源县",
    "lead_unit": "市自然资源局",
    "step": "用地预审与选址意见书",
    "latest": "2026-08-24",
    "days": 65,
}
OVERDUE = {
    "code": "LC-02-01",
    "name": "云县污水处理项目",
    "county": "云县",
    "step": "环境影响评价批复",
    "unit": "市生态环境局",
    "due": "2026-10-30",
    "days": 20,
}


def bulletin(approvals) -> Bulletin:
    empty: dict = {}
    return Bulletin(
        period="2026-11-01",
        as_of="2026-11-28",
        final=False,
        headline="",
        time_progress=0.9,
        totals={
            "key": "合计",
            "projects": 0,
            "annual_plan": 0,
            "completed_ytd": 0,
            "rate": None,
            "gap_pp": None,
            "red": 0,
            "amber": 0,
        },
        by_area=[],
        by_measure=[],
        by_county=[],
        by_lead_unit=[],
        red_amber=[],
        overdue_milestones=[],
        not_reported=[],
        coordination=[],
        ranking=empty,
        changes=None,
        approvals=approvals,
    )


def test_the_paragraph_counts_open_steps_names_late_units_their_lights_and_the_starts_at_risk():
    [text] = approvals_text(
        bulletin({"units": UNITS, "overdue_steps": [OVERDUE], "at_risk": [RISK]})
    )
    assert text.startswith("前期手续方面。全市重大项目在办前期手续7项")  # 1+3 + 2+1
    assert "超过审批部门承诺时限4项，涉及市生态环境局（3项）、市水务局（1项）" in text
    assert "市生态环境局亮红灯，市水务局亮黄灯" in text
    assert (
        "1个项目前期手续滞后已影响按期开工：沧源国土绿化项目（沧源县）“用地预审与选址意见书”超过保开工最迟日期65个工作日"
        in text
    )
    assert text.endswith("（详见附件8至附件10）。")


def test_without_late_steps_the_paragraph_says_all_are_within_the_limits():
    calm = [dict(u, overdue=0, light="green") for u in UNITS]
    [text] = approvals_text(bulletin({"units": calm, "overdue_steps": [], "at_risk": []}))
    assert "均在审批部门承诺时限内" in text and "影响按期开工" not in text


def test_a_bulletin_frozen_before_approvals_keeps_its_seven_annexes_and_no_paragraph():
    old = bulletin({})
    assert approvals_text(old) == []
    assert [t.title[:4] for t in annexes(old, "yi", date(2026, 12, 10))][-1] == "附件7："


def test_the_annexes_list_the_units_the_overdue_steps_and_the_starts_at_risk():
    tables = annexes(
        bulletin({"units": UNITS, "overdue_steps": [OVERDUE], "at_risk": [RISK]}),
        "yi",
        date(2026, 12, 10),
    )
    units, overdue, risks = tables[-3:]
    assert units.title == "附件8：各审批部门前期手续办理情况"
    assert units.rows[0] == ("1", "市生态环境局", "9", "5", "1", "3", "37.0", "30.0", "红灯")
    assert units.rows[2][6:] == ("—", "—", "绿灯")
    assert overdue.rows == (
        (
            "1",
            "云县污水处理项目（云县）",
            "环境影响评价批复",
            "市生态环境局",
            "2026年10月30日",
            "20",
        ),
    )
    assert risks.rows[0][2:] == (
        "市自然资源局、沧源县",
        "用地预审与选址意见书",
        "2026年8月24日",
        "65",
    )
