"""The bulletin (调度通报) as plain, JSON-safe data: what the service builds, the snapshot
stores, the Excel layer renders and the web page shows. See tracker/services/bulletin.py
for what each row holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

WAN_PER_YI = 10000  # 1 亿元 = 10,000 万元
PAYLOAD_VERSION = 2  # 2: own 序时, stages, group lights, unit ranking, revisions


@dataclass
class Bulletin:
    period: str  # "YYYY-MM-01"
    as_of: str  # figures as of this day (the month's end once final)
    final: bool  # read from the frozen snapshot
    headline: str
    time_progress: float
    totals: dict[str, Any]
    by_area: list[dict[str, Any]]
    by_measure: list[dict[str, Any]]
    by_county: list[dict[str, Any]]
    by_lead_unit: list[dict[str, Any]]
    red_amber: list[dict[str, Any]]
    overdue_milestones: list[dict[str, Any]]
    not_reported: list[dict[str, Any]]
    coordination: list[dict[str, Any]]
    ranking: dict[str, Any]
    changes: dict[str, Any] | None
    lights: dict[str, str] = field(default_factory=dict)  # project code -> light
    overdue_keys: list[str] = field(default_factory=list)  # "code#seq" of overdue milestones
    # stored values that could not be used, left out of the figures (#12): code, name, county,
    # problem
    data_problems: list[dict[str, Any]] = field(default_factory=list)
    payload_version: int = PAYLOAD_VERSION
    late_to_start: list[dict[str, Any]] = field(default_factory=list)  # 应开未开
    ranking_units: dict[str, Any] | None = None  # the lead units' ranking
    period_label: str = ""  # 2026年10月, or 2026年1–2月 for a merged period
    revision: int = 1  # 1: the first 定稿; 2, 3 …: 修订版
    revision_reason: str = ""  # why the office reopened the month (修订版)
    # the 公文's texts frozen with the figures at 定稿 (domain.drafting.frozen_texts): 期号,
    # date, sections, distribution and signatures; None while live or frozen before #14
    texts: dict[str, Any] | None = None
    # #17 前期手续 (services.approvals.bulletin_section): "units" (approving units with their
    # counts and light), "overdue_steps" (past the units' limits), "at_risk" (starts at risk);
    # empty in bulletins frozen before #17
    approvals: dict[str, Any] = field(default_factory=dict)

    @property
    def month(self) -> date:
        return date.fromisoformat(self.period)

    @property
    def title(self) -> str:
        label = self.period_label or f"{self.month.year}年{self.month.month}月"
        suffix = f"（修订版{self.revision}）" if self.revision > 1 else ""
        return f"{label}重大项目调度通报{suffix}"

    @property
    def status_label(self) -> str:
        if not self.final:
            return "未定稿"
        return "定稿" if self.revision <= 1 else f"定稿（修订版{self.revision}）"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, final: bool) -> Bulletin:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["final"] = final
        return cls(**known)


def bulletin_filename(period: date, revision: int = 1) -> str:
    suffix = f"-修订版{revision}" if revision > 1 else ""
    return f"调度通报-{period:%Y-%m}{suffix}.xlsx"


def default_month(
    months: Sequence[date],
    *,
    in_reporting: date | None,
    reported: bool,
    finals: Sequence[date],
) -> date | None:
    """The month the bulletin page opens on (#14): the month in reporting (the period open
    today) if it has data (a report submitted for it), else the latest 定稿 (frozen
    bulletin), else the latest month there is. ``months``: the months that have a bulletin
    (the picker's); ``finals``: the frozen ones. A month in reporting whose reports have not
    started would show 0 reported against the overview's figures: it is not opened on."""
    if in_reporting is not None and reported and in_reporting in months:
        return in_reporting
    return max(finals, default=None) or max(months, default=None)
