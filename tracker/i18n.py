"""The one catalogue of interface text: Simplified Chinese by default, English second.

Layouts and documents call ``t(key, lang)``; no label is written inline elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from tracker.domain.rules import Light, Reason

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

CATALOGUE: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "app.title": ("挂图作战 · 每月调度", "Battle Map · Monthly Dispatch"),
    "light.red": ("红灯", "Red"),
    "light.amber": ("黄灯", "Amber"),
    "light.green": ("绿灯", "Green"),
    "milestone.done": ("已完成", "Done"),
    "milestone.due_soon": ("即将到期", "Due soon"),
    "milestone.overdue": ("已逾期", "Overdue"),
    "milestone.future": ("未到期", "Upcoming"),
    "reason.milestone_overdue": (
        "节点“{name}”逾期 {days} 天",
        "Milestone “{name}” overdue by {days} days",
    ),
    "reason.behind_time_progress": (
        "年度投资完成率低于序时进度 {gap_abs} 个百分点",
        "Investment {gap_abs} pp behind time progress",
    ),
    "reason.missed_reports": (
        "连续 {months} 个月未报送月度调度表",
        "No monthly report for {months} months",
    ),
    "reason.not_started": (
        "计划开工已过 {days} 天仍未开工",
        "Not started {days} days after planned start",
    ),
    "reason.none": ("进展正常", "On track"),
    # --- the monthly dispatch cycle ---
    "report.status.new": ("未填报", "Not started"),
    "report.status.draft": ("草稿", "Draft"),
    "report.status.submitted": ("已报送", "Submitted"),
    "report.status.returned": ("已退回", "Returned"),
    "report.late": ("逾期报送", "Late"),
    "report.locked": ("已锁定", "Locked"),
    "period.status.scheduled": ("未开始", "Scheduled"),
    "period.status.open": ("填报中", "Open"),
    "period.status.closed": ("已关账", "Closed"),
    "ledger.kind.problem": ("存在问题", "Problem"),
    "ledger.kind.coordination": ("需协调事项", "Coordination item"),
    "ledger.level.office": ("办公室督办", "Office follow-up"),
    "ledger.level.city": ("市级督办", "City-level follow-up"),
    "ledger.status.open": ("未销号", "Open"),
    "ledger.status.closed": ("已销号", "Closed"),
    "notify.reason.report_open": ("月报填报已开放", "Monthly reporting opened"),
    "notify.reason.report_due_soon": ("月报即将截止", "Monthly report due soon"),
    "notify.reason.report_due_today": ("月报今天截止", "Monthly report due today"),
    "notify.reason.report_overdue": ("月报已逾期", "Monthly report overdue"),
    "notify.reason.report_escalation": ("逾期未报汇总", "Overdue reports (office)"),
    "notify.reason.milestone_due_soon": ("节点即将到期", "Milestone due soon"),
    "notify.reason.milestone_overdue": ("节点已逾期", "Milestone overdue"),
    "notify.reason.bulletin_ready": ("调度通报已生成", "Bulletin ready"),
    "notify.status.pending": ("待发送", "Pending"),
    "notify.status.sent": ("已发送", "Sent"),
    "notify.status.failed": ("发送失败", "Failed"),
    "notify.bell": ("通知", "Notifications"),
    "notify.mark_all_read": ("全部标为已读", "Mark all as read"),
    "bulletin.title": ("调度通报", "Dispatch bulletin"),
    "bulletin.final": ("定稿", "Final"),
    "bulletin.draft": ("未定稿", "Draft (figures still changing)"),
    "bulletin.download": ("下载通报（Excel）", "Download bulletin (Excel)"),
    "job.open_period": ("开放填报", "Open reporting"),
    "job.reminders": ("催报提醒", "Reminders"),
    "job.milestone_watch": ("节点预警", "Milestone watch"),
    "job.compile_bulletin": ("关账并生成通报", "Close and compile"),
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The label for ``key`` in ``lang`` with ``params`` filled in; the key itself if unknown."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**params) if params else text


def light_label(light: Light, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"light.{light.value}", lang)


def describe_reason(reason: Reason, lang: str = DEFAULT_LANGUAGE) -> str:
    params: Mapping[str, object] = dict(reason.params)
    if "gap" in params:
        params = {**params, "gap_abs": f"{abs(float(params['gap'])):.1f}"}  # type: ignore[arg-type]
    return t(f"reason.{reason.code}", lang, **params)
