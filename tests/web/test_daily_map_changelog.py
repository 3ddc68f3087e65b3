"""#19: the project page's change log names every audited action and field in words.

The keys are read from the writers themselves (the audit calls in ``tracker/services``), so a
new action or field without a label fails here rather than showing its raw key to a user.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.web.daily_map_changes import audit_every_kind, milestones_of
from tracker.domain.approvals import STEPS_BY_CODE
from tracker.models import AuditLog
from tracker.services.approvals import LINK_FIELDS, STEP_FIELDS
from tracker.services.milestones import MILESTONE_FIELDS
from tracker.services.plan_import import PROJECT_FIELDS
from tracker.services.projects import project_history
from tracker.web.views.project import (
    HIDDEN_FIELDS,
    action_label,
    change_label,
    change_lines,
    history_table,
)

SERVICES = Path(__file__).resolve().parents[2] / "tracker" / "services"
LANGUAGES = ("zh", "en")
RAW = re.compile(r"(field|action|entity|changelog)\.[a-z_]+|\[\[?'|\{'|_id\b|[a-z]+_[a-z]+")


PROJECT_ENTITIES = ("project", "milestone", "projectstep", "steplink", "photo")
# a step or link that was deleted leaves no row naming its project: its entries are not found
UNATTRIBUTED = {("projectstep", "delete"), ("steplink", "delete")}


def _audited() -> set[tuple[str, str]]:
    """Every (entity, action) the services write for a project, a milestone, an approval step
    or link (#17) or a site photo (#18)."""
    entities = "|".join(PROJECT_ENTITIES)
    found: set[tuple[str, str]] = set()
    for path in SERVICES.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= {
            (entity, action)
            for action, entity in re.findall(
                r"audit\.(?:record|values)\(\s*(?:session,\s*)?actor,\s*\"(\w+)\",\s*"
                rf"\"({entities})\"",
                text,
            )
        }
        if path.name == "milestones.py":  # milestone writes go through _apply(action=...)
            found |= {("milestone", a) for a in re.findall(r"action=\"(\w+)\"", text)}
    return found


def _audited_actions() -> set[str]:
    return {action for _, action in _audited()}


def _audited_fields() -> set[tuple[str, str]]:
    """Every (entity, field) a project, milestone, step, link or photo audit entry can carry."""
    project = {*PROJECT_FIELDS, "code", "area_id", "measure_id", "milestones", "annual_plans"}
    project |= {"plan_2026", "baseline_start", "baseline_finish", "actual_start"}
    project |= {"latitude", "longitude", "template", "steps", "links"}
    project |= {f"approval_{code}" for code in STEPS_BY_CODE}
    milestone = {*MILESTONE_FIELDS, "pending_date", "pending_reason", "reason", "comment"}
    step = set(STEP_FIELDS) - set(HIDDEN_FIELDS)
    link = set(LINK_FIELDS) - set(HIDDEN_FIELDS)
    photo = {"milestone_id", "period", "flags"}
    return (
        {("project", f) for f in project}
        | {("milestone", f) for f in milestone}
        | {("projectstep", f) for f in step}
        | {("steplink", f) for f in link}
        | {("photo", f) for f in photo}
    )


def test_the_writers_are_found():
    actions = _audited_actions()
    assert {"import_create", "import_update", "start", "mark_done", "note"} <= actions
    assert {"reschedule", "request_reschedule", "approve_reschedule", "reject_reschedule"} <= (
        actions
    )
    assert {("project", "apply_template"), ("project", "locate"), ("photo", "upload")} <= (
        _audited()
    )
    assert {("projectstep", a) for a in ("create", "update", "delete", "import_update")} <= (
        _audited()
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("entity,action", sorted(_audited()))
def test_every_audited_action_has_a_label(entity, action, language):
    label = action_label(action, language, entity)
    assert label not in {f"action.{action}", action_label("no_such_action", language)}


def test_a_step_s_action_says_what_was_done_to_what():
    assert action_label("create", "zh", "projectstep") == "新增前期手续步骤"
    assert action_label("create", "zh", "project") == "新建"
    assert action_label("upload", "en", "photo") == "Uploaded a site photo"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("entity,field", sorted(_audited_fields()))
def test_every_audited_field_has_a_label(entity, field, language):
    label = change_label(entity, field, language)
    assert not RAW.search(label), label
    assert label != change_label(entity, "no_such_field", language)


def test_a_project_name_is_a_project_name_and_a_milestone_name_a_milestone_name():
    assert change_label("project", "name", "zh") == "项目名称"
    assert change_label("milestone", "name", "zh") == "节点名称"
    assert change_label("project", "name", "en") == "Project name"


def test_unknown_keys_read_as_words():
    assert action_label("archive_all", "zh") == "其他变更"
    assert change_label("project", "budget_owner", "en") == "Other field (budget owner)"
    assert change_label("project", "plan_2027", "zh") == "2027年计划投资"


@pytest.mark.parametrize(
    "field,value,language,lines",
    [
        (
            "milestones",
            [["完成前期手续", "2026-04-30"], ["开工建设", "2026-06-30", "2026-07-02"]],
            "zh",
            ["完成前期手续 2026-04-30", "开工建设 2026-06-30（完成 2026-07-02）"],
        ),
        ("milestones", [["开工建设", "2026-06-30", "2026-07-02"]], "en", None),
        ("annual_plans", {"2027": "1000.00", "2026": "500"}, "zh", None),
        ("responsible_units", ["市科技局", "云县人民政府"], "zh", ["市科技局、云县人民政府"]),
        ("total_investment", "1500.00", "zh", ["1,500.00万元"]),
        ("nature", "续建", "en", ["Continuing"]),
        ("note", None, "zh", ["—"]),
        ("kind", "SS", "zh", ["与前项同时开始"]),
        ("period", "2026-11-01", "zh", ["2026年11月"]),
        (
            "flags",
            [{"key": "photo.flag.too_far", "params": {"km": "5.0", "limit": "3"}}],
            "zh",
            ["拍摄地点距项目位置 5.0 公里，超过 3 公里"],
        ),
    ],
)
def test_values_read_as_text(field, value, language, lines):
    shown = change_lines(field, value, language)
    if lines is not None:
        assert shown == lines
    for line in shown:
        assert "[" not in line and "{" not in line and "'" not in line, line
    if field == "annual_plans":
        assert shown == ["2026年 500.00万元", "2027年 1,000.00万元"]
    if language == "en" and field == "milestones":
        assert shown == ["开工建设 2026-06-30 (done 2026-07-02)"]


def _text(component) -> str:
    """The visible text of a Dash component tree (components or the plain dicts of
    tracker.web.plain), cells separated by new lines."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return "\n".join(_text(c) for c in component)
    if isinstance(component, dict):
        return _text(component.get("props", {}).get("children"))
    children = getattr(component, "children", None)
    return _text(children)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_change_log_of_every_kind_reads_in_words(engine, language):
    pid = audit_every_kind(engine)
    with Session(engine) as s:
        # an indicator value's entry (#16) is the office's, never a project's, even when its
        # row id is the project's
        s.add(AuditLog(action="indicator.save", entity="indicatorvalue", entity_id=pid))
        s.commit()
        names = {m.id: m.name for m in milestones_of(engine, pid)}
        entries = project_history(s, project_id=pid, milestone_names=names)
    kinds = {(e.entity, e.action) for e in entries}
    assert kinds >= _audited() - UNATTRIBUTED, _audited() - UNATTRIBUTED - kinds
    assert all(e.entity in PROJECT_ENTITIES for e in entries)
    # the deleted step's id may be given again (SQLite) to the step the import adds: its
    # entries stay out rather than read as that step's
    assert not [e for e in entries if "临时手续" in (e.subject, *(c.after for c in e.changes))]
    assert [e.action for e in entries if e.subject == "项目建议书批复"] == ["import_create"]
    text = _text(history_table(entries, language))
    assert not RAW.search(text.replace("XM-", "")), RAW.search(text)
    if language == "zh":
        assert "项目名称" in text and "责任单位" in text and "工作举措" in text
        assert "完成前期手续 2026-04-30" in text and "发展清洁能源" in text
        assert "2027年 1,200.00万元" in text or "2027年计划投资" in text
        assert "套用前期手续模板" in text and "新增前期手续步骤\n用地预审" in text
        assert "新增手续衔接\n用地预审 → " in text and "前项办结后开始" in text
        assert "批复文号" in text and "双发改〔2026〕12号" in text
        assert "清单导入·新增前期手续\n项目建议书批复" in text
        assert "项目建议书批复（办结时间）" in text
        assert "标注位置" in text and "纬度" in text and "23.47" in text
        assert "上传现场照片" in text and "所属节点" in text
    else:
        assert "Project name" in text and "Responsible units" in text
        assert "Imported (changed)" in text
        assert "Added an approval step\n用地预审" in text and "Uploaded a site photo" in text
        assert "Starts with the other" in text and "Location set" in text
