"""MS Project XML (MSPDI): what we write, MPXJ reads; what we write, we read back the same."""

import json
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from tracker.domain.critical_path import LinkType
from tracker.exchange import ExchangeError
from tracker.exchange.mspdi import (
    Plan,
    PlanLink,
    PlanProject,
    PlanTask,
    TaskKind,
    read_mspdi,
    write_mspdi,
)

MPXJ_SUMMARY = Path(__file__).with_name("mpxj_summary.py")
CREATED = datetime(2026, 11, 16, 9, 0)
STEP, MILESTONE = TaskKind.STEP, TaskKind.MILESTONE


def _plan() -> Plan:
    road = PlanProject(
        "XM-001",
        "滨江路改造工程",
        (
            PlanTask(
                "XM-001/可研",
                "可研批复",
                STEP,
                date(2026, 9, 1),
                date(2026, 9, 30),
                actual_start=date(2026, 9, 1),
                actual_finish=date(2026, 9, 30),
                notes="审批部门：发改局；批复文号：发改审〔2026〕12号",
            ),
            PlanTask(
                "XM-001/用地",
                "用地批复",
                STEP,
                date(2026, 10, 8),
                date(2026, 11, 4),
                actual_start=date(2026, 10, 8),
            ),
            PlanTask("XM-001/环评", "环评", STEP, date(2026, 10, 12), date(2026, 10, 23)),
            PlanTask("XM-001/开工", "开工建设", MILESTONE, date(2026, 11, 16), date(2026, 11, 16)),
        ),
    )
    school = PlanProject(
        "XM-002",
        "城南小学",
        (
            PlanTask("XM-002/施工许可", "施工许可", STEP, date(2026, 12, 1), date(2026, 12, 14)),
            PlanTask(
                "XM-002/开工",
                "开工建设",
                MILESTONE,
                date(2026, 12, 15),
                date(2026, 12, 15),
                actual_finish=date(2026, 12, 15),
            ),
        ),
    )
    links = (
        PlanLink("XM-001/可研", "XM-001/用地"),
        PlanLink("XM-001/用地", "XM-001/环评", LinkType.SS, 3),
        PlanLink("XM-001/用地", "XM-001/开工", LinkType.FS, 5),
        PlanLink("XM-001/环评", "XM-001/开工"),
        PlanLink("XM-002/施工许可", "XM-002/开工"),
    )
    return Plan((road, school), links, "2026年重点项目")


def test_our_file_reads_back_as_the_same_plan():
    plan = _plan()
    assert read_mspdi(write_mspdi(plan, created=CREATED)) == plan


@pytest.mark.skipif(
    shutil.which("java") is None, reason="no Java runtime (scripts/test.sh installs one)"
)
def test_mpxj_reads_our_file_with_the_same_tasks_links_and_calendar_and_saves_it_back(tmp_path):
    plan = _plan()
    path = tmp_path / "plan.xml"
    path.write_bytes(write_mspdi(plan, created=CREATED))
    days = ["2026-10-01", "2026-10-10", "2026-09-25", "2026-11-16", "2026-11-14"]
    out = subprocess.run(
        [
            sys.executable,
            str(MPXJ_SUMMARY),
            str(path),
            "--rewrite",
            str(tmp_path / "re.xml"),
            *days,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    read = json.loads(out.stdout)
    tasks = [t for t in read["tasks"] if t["uid"] != 0]  # MPXJ may add the file's own summary
    assert len(tasks) == plan.task_count() == 8
    assert sum(len(t["predecessors"]) for t in tasks) == len(plan.links) == 5
    by_code = {t["code"]: t for t in tasks}
    assert by_code["XM-001"]["summary"] and by_code["XM-001"]["level"] == 1
    assert by_code["XM-001/开工"]["milestone"] and by_code["XM-001/开工"]["start"] == "2026-11-16"
    # 8 Oct – 4 Nov in working days: 8, 9, Saturday 10th, three weeks of five, 2–4 Nov
    assert by_code["XM-001/用地"]["duration"] == "21.0d"
    uid = {t["uid"]: t["code"] for t in tasks}
    links = {
        (uid[p["uid"]], code, p["type"], p["lag"])
        for code, t in by_code.items()
        for p in t["predecessors"]
    }
    assert ("XM-001/用地", "XM-001/环评", "SS", "3.0d") in links
    assert ("XM-001/用地", "XM-001/开工", "FS", "5.0d") in links
    # saved again by another tool (MPXJ's MSPDI writer), the file still reads as our plan
    assert read_mspdi((tmp_path / "re.xml").read_bytes()) == plan
    # the calendar: 国庆 and 中秋 off, the swapped Saturday worked
    assert read["working"] == {
        "2026-10-01": False,
        "2026-10-10": True,
        "2026-09-25": False,
        "2026-11-16": True,
        "2026-11-14": False,
    }


def _task_xml(body: str) -> bytes:
    return (
        '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks>'
        "<Task><UID>1</UID><Name>滨江路</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary>"
        "<ExtendedAttribute><FieldID>188743731</FieldID><Value>XM-001</Value></ExtendedAttribute>"
        f"</Task><Task><UID>2</UID><Name>用地批复</Name><OutlineLevel>2</OutlineLevel>{body}</Task>"
        "</Tasks></Project>"
    ).encode()


CODE = (
    "<ExtendedAttribute><FieldID>188743731</FieldID><Value>XM-001/用地</Value></ExtendedAttribute>"
)
DATES = "<Start>2026-10-08T08:00:00</Start><Finish>2026-11-04T17:00:00</Finish>"


@pytest.mark.parametrize(
    ("data", "key", "named"),
    [
        (b"<Project><Tasks>", "exchange.not_xml", ()),
        (b"<Workbook/>", "exchange.not_mspdi", ("Workbook",)),
        (_task_xml(DATES), "exchange.code_missing", ("用地批复", "2", "编码")),
        (
            _task_xml(CODE + "<Start>2026-10-08T08:00:00</Start>"),
            "exchange.missing",
            ("用地批复", "Finish"),
        ),
        (
            _task_xml(CODE + "<Start>8 Oct</Start><Finish>2026-11-04T17:00:00</Finish>"),
            "exchange.bad_value",
            ("用地批复", "Start", "8 Oct"),
        ),
        (
            _task_xml(
                CODE
                + DATES
                + "<PredecessorLink><PredecessorUID>9</PredecessorUID></PredecessorLink>"
            ),
            "exchange.unknown_predecessor",
            ("用地批复", "9"),
        ),
        (
            _task_xml(
                CODE + DATES + "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>0</Type>"
                "</PredecessorLink>"
            ),
            "exchange.link_type",
            ("用地批复", "FF"),
        ),
        (
            _task_xml(CODE.replace("XM-001/用地", "XM-001") + DATES),
            "exchange.duplicate_code",
            ("XM-001",),
        ),
    ],
)
def test_a_file_that_does_not_fit_is_refused_naming_the_task_and_element(data, key, named):
    with pytest.raises(ExchangeError) as refused:
        read_mspdi(data)
    assert refused.value.key == key
    for part in named:
        assert part in str(refused.value)


def test_an_entity_expansion_is_refused_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Project><Title>&b;</Title></Project>'
    )
    with pytest.raises(ExchangeError) as refused:
        read_mspdi(bomb)
    assert refused.value.key == "exchange.not_xml"
