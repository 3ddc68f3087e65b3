"""The bulletin (调度通报) as plain, JSON-safe data: what the service builds, the snapshot
stores, the Excel layer renders and the web page shows. See tracker/services/bulletin.py
for what each row holds."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

WAN_PER_YI = 10000  # 1 亿元 = 10,000 万元
PAYLOAD_VERSION = 1


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

    @property
    def month(self) -> date:
        return date.fromisoformat(self.period)

    @property
    def title(self) -> str:
        return f"{self.month.year}年{self.month.month}月重大项目调度通报"

    @property
    def status_label(self) -> str:
        return "定稿" if self.final else "未定稿"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, final: bool) -> Bulletin:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["final"] = final
        return cls(**known)


def bulletin_filename(period: date) -> str:
    return f"调度通报-{period:%Y-%m}.xlsx"
