"""#17 over HTTP on the demo office (no browser): the chains switch in the URL, the project
page's 前期手续 section (a step opened by a link, refusals shown), the approving units page."""

from __future__ import annotations

import json

from sqlmodel import select

from tests.web.dashcalls import forge, render
from tests.web.test_battle_map_pages import STATE, _change, _client
from tracker.db import read_session
from tracker.models import Project, ProjectStep, StepLink
from tracker.services.battle_map import ViewState
from tracker.web.views import battle_map as view
from tracker.web.views.battle_map import BattleMapIds as Ids


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _project_with_steps(engine, county: str | None = None) -> tuple[Project, list[ProjectStep]]:
    with read_session(engine) as s:
        query = select(Project).order_by(Project.id)
        if county:
            query = query.where(Project.county == county)
        for project in s.exec(query):
            steps = list(
                s.exec(
                    select(ProjectStep)
                    .where(ProjectStep.project_id == project.id)
                    .order_by(ProjectStep.seq)
                )
            )
            if len(steps) >= 3:
                return project, steps
    raise AssertionError("the demo gives projects a chain")


def test_the_chains_switch_lives_in_the_url():
    shown = ViewState.from_query("chains=1&county=云县")
    assert shown.chains and shown.to_query() == "county=%E4%BA%91%E5%8E%BF&chains=1"
    assert not ViewState.from_query("chains=yes").chains  # anything else is off
    assert ViewState().to_query() == ""
    assert view.next_view(ViewState(), Ids.CHAINS, True, STATE) == ViewState(chains=True)
    assert view.next_view(shown, Ids.CHAINS, False, STATE) == ViewState(county="云县")
    assert view.next_view(ViewState(), Ids.CHAINS, "1", STATE) == ViewState()  # not a bool


def test_switching_the_chains_on_sends_them_with_the_map(demo_engine):
    app, client = _client(demo_engine, "admin")
    response = _change(app, client, f"{Ids.CHAINS}.checked", True)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answer = response.get_json()["response"]
    assert answer[Ids.URL_SYNC]["data"] == "chains=1"
    assert answer[Ids.CHAINS]["checked"] is True
    traces = answer[Ids.CHART]["data"]["data"]
    chained = [t for t in traces if t.get("meta") == "chain"]
    assert {t["name"] for t in chained} >= {"前期手续", "前后衔接"}
    # every step of every drawn project: as many step bars as the demo's dated steps
    with read_session(demo_engine) as s:
        steps = s.exec(select(ProjectStep)).all()
    bars = sum(len(t["base"]) for t in chained if t["type"] == "bar")
    assert bars == sum(1 for x in steps if (x.actual_start or x.planned_start))
    # a step bar opens its step
    address = next(t for t in chained if t["type"] == "bar")["customdata"][0][0]
    assert address.startswith("/projects/") and "?step=" in address


def test_a_step_link_opens_the_project_page_with_its_form_filled(demo_engine):
    project, steps = _project_with_steps(demo_engine)
    app, client = _client(demo_engine, "admin")
    response = render(client, f"/projects/{project.id}", f"?step={steps[1].id}")
    assert response.status_code == 200
    page = response.get_json()["response"]["_pages_content"]["children"]
    text = json.dumps(page, ensure_ascii=False)
    assert '"id": "ps-modal"' in text and '"opened": true' in text
    assert steps[1].name in _strings(page) and project.name in _strings(page)
    assert f"ps-step-row-{steps[1].id}" in text


def test_a_stale_step_save_is_refused_with_the_reason_in_the_form(demo_engine):
    project, steps = _project_with_steps(demo_engine)
    app, client = _client(demo_engine, "admin")
    body = forge(
        app,
        "save_project_step",
        {
            "ps-save.n_clicks": 1,
            "ps-project.data": project.id,
            "ps-form.data": {"step_id": steps[0].id, "version": steps[0].version - 1},
            "ps-name.value": steps[0].name,
            "ps-unit.value": "市发展和改革委员会",
            "ps-limit.value": 20,
        },
    )
    answer = client.post("/_dash-update-component", json=body).get_json()["response"]
    assert "已被他人修改" in answer["ps-form-error"]["children"]
    assert "ps-modal" not in answer  # the form stays open
    with read_session(demo_engine) as s:
        assert s.get(ProjectStep, steps[0].id).version == steps[0].version


def test_a_link_that_closes_a_cycle_is_refused_naming_the_steps(demo_engine):
    with read_session(demo_engine) as s:
        links = [
            (x.project_id, x.from_step_id, x.to_step_id)
            for x in s.exec(select(StepLink))
            if x.from_step_id and x.to_step_id
        ]
        after = {(p, a): [b for q, x, b in links if (q, x) == (p, a)] for p, a, _ in links}
        project_id, first, middle, last = next(
            (p, a, b, c) for p, a, b in links for c in after.get((p, b), []) if c != a
        )  # first → middle → last: last → first closes a cycle
        names = {i: s.get(ProjectStep, i).name for i in (first, middle, last)}
    app, client = _client(demo_engine, "admin")
    body = forge(
        app,
        "add_step_link",
        {
            "ps-link-add.n_clicks": 1,
            "ps-project.data": project_id,
            "ps-link-source.value": f"step:{last}",
            "ps-link-target.value": f"step:{first}",
            "ps-link-kind.value": "FS",
            "ps-link-lag.value": 0,
        },
    )
    answer = client.post("/_dash-update-component", json=body).get_json()["response"]
    notice = answer["ps-notice"]["children"]
    assert "循环" in notice and names[first] in notice and names[last] in notice, notice
    with read_session(demo_engine) as s:
        assert not s.exec(
            select(StepLink).where(StepLink.from_step_id == last, StepLink.to_step_id == first)
        ).first()


def test_a_leader_reads_the_steps_but_gets_no_editing_controls(demo_engine):
    project, steps = _project_with_steps(demo_engine)
    app, client = _client(demo_engine, "leader")
    page = render(client, f"/projects/{project.id}").get_json()["response"]
    text = json.dumps(page, ensure_ascii=False)
    assert steps[0].name in _strings(page)
    assert "只读：您不能修改本项目的前期手续" in _strings(page)
    assert '"type": "ps-add"' not in text and "ps-link-add" not in text


def test_the_approving_units_page_lists_every_unit_with_its_light(demo_engine):
    app, client = _client(demo_engine, "leader")
    page = render(client, "/approvals").get_json()["response"]["_pages_content"]["children"]
    words = _strings(page)
    with read_session(demo_engine) as s:
        units = {x.approving_unit for x in s.exec(select(ProjectStep)) if x.approving_unit}
    assert units <= set(words)
    assert "审批部门前期手续办理情况" in words
    assert {"红灯", "绿灯"} <= set(words)  # the demo has overdue units and clean ones
    # an overdue item links to its step
    assert any(w for w in _strings(page) if w.startswith("/projects/") and "?step=" in w)


def test_the_approving_units_page_is_in_the_navigation():
    from tracker.web.shell import NAV_ITEMS

    assert ("nav.approvals", "/approvals", "approval.view", "exact") in NAV_ITEMS


def test_a_meeting_screen_of_chained_rows_holds_half_as_many_projects():
    assert view.page_size(ViewState(meeting=True, chains=True)) == view.MEETING_PAGE_SIZE // 2
    assert view.page_size(ViewState(meeting=True)) == view.MEETING_PAGE_SIZE
    assert view.page_size(ViewState(chains=True)) is None  # one scrolling map
