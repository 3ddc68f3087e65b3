"""The demo office's indicators (#16): 39 创新能力监测, 102 SDGs 进展 and 30 可持续发展规划
indicators for 临沧, with several years of values, targets, some missing and some off track.
``build_demo`` calls ``build_indicators`` after the plan and the users exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

SYSTEMS: tuple[tuple[str, str], ...] = (
    ("innovation", "创新能力监测"),
    ("sdg", "SDGs 进展"),
    ("plan", "可持续发展规划"),
)


@dataclass(frozen=True)
class DemoIndicators:
    systems: dict[str, int]  # system code -> indicators
    values: int


def build_indicators(session: Session, *, as_of: date, seed: int = 2021) -> DemoIndicators:
    """Fill the three systems, their targets, goals, links and values (as accepted, a few
    waiting for review, some missing)."""
    raise NotImplementedError
