from datetime import date
from decimal import Decimal

import pytest

from tracker.domain.rollups import BY_COUNTY, ProjectFigures, rollup, summarize
from tracker.domain.rules import Light, Thresholds
from tracker.domain.schedule import StageFacts


def fig(
    county: str,
    plan: int,
    done: int,
    light: Light,
    *,
    due_amount: int = 0,
    planned: date | None = date(2026, 3, 1),
    started: date | None = date(2026, 3, 5),
    finished: date | None = None,
    progress: bool = True,
) -> ProjectFigures:
    return ProjectFigures(
        project_id=0,
        area="a",
        measure="m",
        county=county,
        lead_unit="u",
        annual_plan=Decimal(plan),
        completed_ytd=Decimal(done),
        started=started is not None,
        due_to_start=planned is not None,
        light=light,
        due_amount=Decimal(due_amount),
        stage=StageFacts(planned, started, finished, progress),
        as_of=AS_OF,
    )


AS_OF = date(2026, 9, 30)


def test_rollup_by_county_adds_money_counts_lights_and_rates():
    rows = [
        fig("云县", 100, 80, Light.GREEN, due_amount=75),
        fig("云县", 300, 120, Light.RED, due_amount=300),
        fig("临翔区", 200, 190, Light.AMBER, started=None),
    ]
    by = {r.key: r for r in rollup(rows, BY_COUNTY, time_progress=0.75, order=["临翔区", "云县"])}
    assert list(by) == ["临翔区", "云县"]
    yun = by["云县"]
    assert (yun.projects, yun.annual_plan, yun.completed_ytd) == (2, Decimal(400), Decimal(200))
    assert yun.rate == pytest.approx(0.5)
    assert yun.gap_pp == pytest.approx(-25.0)  # against the office's 序时进度 (75%)
    assert yun.due_share == pytest.approx(375 / 400)  # its own: what its projects owe
    assert yun.own_gap_pp == pytest.approx(50 - 93.75)
    assert (yun.red, yun.amber, yun.green) == (1, 0, 1)
    assert by["临翔区"].new_start_rate == 0.0
    assert by["临翔区"].late_to_start == 1


def test_a_group_is_coloured_by_the_investment_rule_against_its_own_due_share():
    t = Thresholds()  # amber from 10 pp behind, red from 20 pp
    on_track = summarize("a", [fig("云县", 100, 60, Light.RED, due_amount=65)], 0.75)
    assert on_track.light(t) is Light.GREEN  # 5 pp behind its own due: green, whatever the
    # office-wide 序时进度 (75%) says and even with a red project in it
    assert on_track.gap_pp == pytest.approx(-15.0)
    amber = summarize("a", [fig("云县", 100, 55, Light.GREEN, due_amount=65)], 0.75)
    assert amber.light(t) is Light.AMBER  # exactly 10 pp
    red = summarize("a", [fig("云县", 100, 45, Light.GREEN, due_amount=65)], 0.75)
    assert red.light(t) is Light.RED  # exactly 20 pp
    nothing_due = summarize("a", [fig("云县", 100, 0, Light.GREEN, due_amount=0)], 0.75)
    assert nothing_due.light(t) is Light.GREEN and nothing_due.own_gap_pp is None


def test_stage_counts_in_a_rollup():
    rows = [
        fig("云县", 1, 1, Light.GREEN, planned=date(2026, 2, 1), started=date(2026, 2, 3)),
        fig("云县", 1, 1, Light.GREEN, planned=date(2026, 4, 1), started=None),  # 应开未开
        fig("云县", 1, 1, Light.GREEN, planned=date(2026, 12, 1), started=None),  # not yet due
        fig("云县", 1, 1, Light.GREEN, planned=date(2024, 1, 1), started=date(2024, 1, 1)),
        fig(
            "云县",
            1,
            0,
            Light.GREEN,
            planned=date(2024, 1, 1),
            started=date(2024, 2, 1),
            progress=False,
        ),
        fig(
            "云县",
            1,
            1,
            Light.GREEN,
            planned=date(2023, 1, 1),
            started=date(2023, 1, 1),
            finished=date(2026, 6, 30),
        ),
    ]
    r = summarize("云县", rows, 0.75)
    assert (r.new_started, r.new_due, r.new_start_rate) == (1, 2, 0.5)
    assert (r.continuing, r.resumed) == (3, 2)  # the one finished this year still counts
    assert r.completed == 1
    assert r.late_to_start == 1
