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
