"""县区综合排名 (county ranking) used in the bulletin and the yearly 考评. Pure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    """Weights in percent; they need not add up to 100 (the formula shows them as given)."""

    investment: float = 50.0
    milestones: float = 30.0
    reporting: float = 20.0

    def formula(self) -> str:
        return (
            f"综合得分 = 投资完成率×{self.investment:g}% + 节点按时率×{self.milestones:g}%"
            f" + 按时报送率×{self.reporting:g}%（各项按百分制计，投资完成率超过100%按100%计；"
            "无到期节点或无应报项目的，该项按100%计）"
        )


def _part(rate: float | None) -> float:
    """A rate as points out of 100, capped at 100; no denominator counts as full marks."""
    if rate is None:
        return 100.0
    return max(0.0, min(rate, 1.0)) * 100


def score(
    investment_rate: float | None,
    milestone_rate: float | None,
    reporting_rate: float | None,
    weights: Weights,
) -> float:
    """综合得分 out of 100 (when the weights add up to 100), rounded to two decimals."""
    total = (
        _part(investment_rate) * weights.investment
        + _part(milestone_rate) * weights.milestones
        + _part(reporting_rate) * weights.reporting
    ) / 100
    return round(total, 2)


def rank_order(scores: dict[str, float], order: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """(rank, key) best first; equal scores share a rank (1, 2, 2, 4); ties keep ``order``."""
    position = {key: i for i, key in enumerate(order)}
    keys = sorted(scores, key=lambda k: (-scores[k], position.get(k, len(position)), k))
    out: list[tuple[int, str]] = []
    for i, key in enumerate(keys):
        rank = out[-1][0] if out and scores[key] == scores[out[-1][1]] else i + 1
        out.append((rank, key))
    return out
