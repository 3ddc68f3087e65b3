from types import SimpleNamespace

import pytest

from tracker.services.auth import ANONYMOUS, SYSTEM, Actor
from tracker.services.landing import landing_county, landing_filters
from tracker.services.permissions import PERMISSIONS, can, scope_field

SHUANGJIANG = SimpleNamespace(county="双江县", lead_unit="市科技局")
YUNXIAN = SimpleNamespace(county="云县", lead_unit="市农业农村局")

ADMIN = Actor(1, "admin", "admin")
LEAD = Actor(2, "shuangjiang", "county", county="双江县")
UNIT = Actor(3, "kejiju", "unit", lead_unit="市科技局")
VIEWER = Actor(4, "leader", "viewer")


@pytest.mark.parametrize(
    ("actor", "obj", "allowed"),
    [
        (ADMIN, YUNXIAN, True),
        (LEAD, SHUANGJIANG, True),
        (LEAD, YUNXIAN, False),
        (UNIT, SHUANGJIANG, True),
        (UNIT, YUNXIAN, False),
        (VIEWER, SHUANGJIANG, False),
        (ANONYMOUS, SHUANGJIANG, False),
    ],
)
def test_a_milestone_may_be_updated_only_within_the_actor_s_scope(actor, obj, allowed):
    assert can(actor, "milestone.update", obj) is allowed


def test_a_scoped_grant_never_applies_to_global_actions():
    assert can(LEAD, "milestone.update", None) is False


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_anonymous_may_do_nothing_and_viewers_change_nothing(action):
    assert can(ANONYMOUS, action, SHUANGJIANG) is False
    if not action.endswith(".view") and action not in {
        "plan.export",
        "bulletin.view",
        "indicator.export",
    }:
        assert can(VIEWER, action, SHUANGJIANG) is False


def test_the_scheduler_may_run_the_cycle_but_not_approve_reschedules():
    assert can(SYSTEM, "cycle.run")
    assert not can(SYSTEM, "milestone.approve", SHUANGJIANG)


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        can(ADMIN, "project.delete_everything")


@pytest.mark.parametrize(
    ("actor", "field", "overwrites"),
    [(ADMIN, None, True), (SYSTEM, None, True), (LEAD, "county", False), (UNIT, "lead_unit", False)]
    + [(VIEWER, None, False), (ANONYMOUS, None, False)],
)
def test_a_scope_and_the_office_s_overwrite_come_from_the_policy(actor, field, overwrites):
    assert scope_field(actor) == field
    assert can(actor, "report.overwrite") is overwrites


@pytest.mark.parametrize(
    ("actor", "query", "county", "mine"),
    [
        (LEAD, {}, "双江县", False),  # a county lead lands on their county
        (UNIT, {}, None, True),  # a lead unit on the projects it leads
        (ADMIN, {}, None, False),  # the office and the leaders on the whole city
        (VIEWER, {}, None, False),
        (LEAD, {"county": "云县"}, "云县", False),  # a link that names a scope wins
    ],
)
def test_a_page_opens_on_the_actor_s_own_scope(actor, query, county, mine):
    opened = landing_filters(query, actor)
    assert (opened.county, opened.mine) == (county, mine)
    assert landing_county(query, actor).get("county") == county
