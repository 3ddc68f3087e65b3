from decimal import Decimal

import pytest

from tracker.domain.rollups import BY_COUNTY, ProjectFigures, rollup
from tracker.domain.rules import Light


def fig(county: str, plan: int, done: int, light: Light, started=True, due=True) -> ProjectFigures:
    return ProjectFigures(
        project_id=0,
        area="a",
        measure="m",
        county=county,
        lead_unit="u",
        annual_plan=Decimal(plan),
        completed_ytd=Decimal(done),
        started=started,
        due_to_start=due,
        light=light,
    )


def test_rollup_by_county_adds_money_counts_lights_and_rates():
    rows = [
        fig("云县", 100, 80, Light.GREEN),
        fig("云县", 300, 120, Light.RED),
        fig("临翔区", 200, 190, Light.AMBER, started=False),
    ]
    by = {r.key: r for r in rollup(rows, BY_COUNTY, time_progress=0.75, order=["临翔区", "云县"])}
    assert list(by) == ["临翔区", "云县"]
    yun = by["云县"]
    assert (yun.projects, yun.annual_plan, yun.completed_ytd) == (2, Decimal(400), Decimal(200))
    assert yun.rate == pytest.approx(0.5)
    assert yun.gap_pp == pytest.approx(-25.0)
    assert (yun.red, yun.amber, yun.green) == (1, 0, 1)
    assert by["临翔区"].start_rate == 0.0
