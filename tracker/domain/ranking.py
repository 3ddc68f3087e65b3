"""县区 and 牵头单位 rankings used in the bulletin and the yearly 考评. Pure.

Every component is counted within the year: investment completion against the year's plan,
the milestones due this year (by their approved date) done on time, and the monthly
reports of this year submitted by their due day. A county or unit with nothing to count in
a component (no plan this year, no milestone due, no report expected) gets "—" there, and
the other components' weights are scaled up to make 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

COMPONENTS: tuple[str, ...] = ("investment", "milestones", "reporting")


@dataclass(frozen=True)
class Weights:
    """Weights in percent of the three components (normally adding up to 100)."""

    investment: float = 50.0
    milestones: float = 30.0
    reporting: float = 20.0

    def of(self, component: str) -> float:
        return float(getattr(self, component))

    def formula(self) -> str:
        i, m, r = (f"{self.of(c):g}" for c in COMPONENTS)
        return (
            f"综合得分 =（投资完成率×{i} + 节点按时率×{m} + 按时报送率×{r}）÷ 参与计分的权重之和。"
            "各项均按本年度计：投资完成率 = 本年累计完成投资 ÷ 本年计划投资（超过100%按100%计）；"
            "节点按时率 = 本年已到期节点（按批准计划日期）中按时完成的比例；"
            "按时报送率 = 本年各月应报月报中按截止日报送的比例。"
            "某项无可考核内容（无本年计划投资、本年无到期节点或无应报月报）的记“—”，不参与计分，"
            f"其余权重按比例放大：如无到期节点，综合得分 =（投资完成率×{i} + 按时报送率×{r}）÷ "
            f"{self.of('investment') + self.of('reporting'):g}。"
            "县（区）与牵头单位分别排名。"
        )


def _part(rate: float | None) -> float | None:
    """A rate as points out of 100, capped to 0..100; None when there is nothing to count."""
    if rate is None:
        return None
    return max(0.0, min(rate, 1.0)) * 100


def score(rates: Mapping[str, float | None], weights: Weights) -> float | None:
    """综合得分 out of 100 over the components that have something to count (their weights
    re-normalised), rounded to two decimals; None when no component counts."""
    weighted = [
        (weights.of(c), part)
        for c in COMPONENTS
        if (part := _part(rates.get(c))) is not None and weights.of(c) > 0
    ]
    total_weight = sum(w for w, _ in weighted)
    if total_weight <= 0:
        return None
    return round(sum(w * part for w, part in weighted) / total_weight, 2)


def rank_order(
    scores: Mapping[str, float | None], order: tuple[str, ...] = ()
) -> list[tuple[int | None, str]]:
    """(rank, key) best first; equal scores share a rank (1, 2, 2, 4); ties keep ``order``;
    a key without a score comes last without a rank."""
    position = {key: i for i, key in enumerate(order)}
    scored = sorted(
        (k for k in scores if scores[k] is not None),
        key=lambda k: (-(scores[k] or 0.0), position.get(k, len(position)), k),
    )
    out: list[tuple[int | None, str]] = []
    for i, key in enumerate(scored):
        rank = out[-1][0] if out and scores[key] == scores[out[-1][1]] else i + 1
        out.append((rank, key))
    unscored = sorted(
        (k for k in scores if scores[k] is None),
        key=lambda k: (position.get(k, len(position)), k),
    )
    return out + [(None, k) for k in unscored]
