"""Stored values that cannot be used (#12), on SQLite and PostgreSQL: a legacy row may hold
NaN or Infinity (PostgreSQL's numeric and float keep them), inf (SQLite keeps a huge number
as a float), a negative amount or a date in year 9999. Statuses, the bulletin, the close,
the battle map and the report grid compute around it and name it."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

from sqlalchemy import text

from tests.factories import make_project, make_report, make_user
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.domain.rules import Thresholds
from tracker.models import Milestone
from tracker.services import cycle
from tracker.services.auth import SYSTEM, Actor
from tracker.services.battle_map import ViewState, battle_map
from tracker.services.bulletin import build_bulletin, freeze
from tracker.services.reports import report_grid
from tracker.services.status import project_statuses

OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)
TODAY = date(2026, 11, 28)
SETTINGS = load_settings(env={})


def _bad_values(engine) -> dict[str, str]:
    """What each backend can hold that the input rules refuse."""
    if engine.dialect.name == "postgresql":
        return {"money": "'NaN'", "huge": "99999999999999.99", "pct": "'Infinity'"}
    return {"money": "9e999", "huge": "1e27", "pct": "9e999"}


def _reported(s, project, period, month, ytd, total, pct):
    """A submitted report of ``project`` for ``period``: the month, year-to-date and total
    amounts (万元) and the progress percentage."""
    return make_report(
        s,
        project,
        period,
        completed_month=Decimal(month),
        completed_ytd=Decimal(ytd),
        completed_total=Decimal(total),
        progress_pct=pct,
    )


def _plan(engine):
    with write_session(engine) as s:
        row = cycle.ensure_period(s, period=NOVEMBER, settings=SETTINGS)
        row.status = "open"
        s.add(row)
        good = make_project(
            s, county="云县", annual_plan={2026: 1000}, milestones=[("开工建设", date(2026, 3, 31))]
        )
        bad = make_project(
            s, county="云县", annual_plan={2026: 1000}, milestones=[("竣工验收", date(2027, 6, 30))]
        )
        far = make_project(s, county="云县", annual_plan={2026: 1000})
        _reported(s, good, OCTOBER, 100, 100, 100, 10.0)
        _reported(s, good, NOVEMBER, 50, 150, 150, 20.0)
        _reported(s, bad, OCTOBER, 100, 100, 100, 10.0)
        november = _reported(s, bad, NOVEMBER, 1, 101, 101, 11.0)
        draft = make_report(s, far, NOVEMBER, status="draft", completed_month=Decimal(1))
        lead = make_user(s, "county", county="云县")
        milestone = s.exec(
            text("SELECT id FROM milestone WHERE project_id = :p").bindparams(p=bad.id)
        ).scalar()  # type: ignore[call-overload]
        ids = {
            "good": good.id,
            "bad": bad.id,
            "far": far.id,
            "report": november.id,
            "draft": draft.id,
            "milestone": milestone,
        }
        lead_actor = Actor.of(lead)
    bad_sql = _bad_values(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                f"UPDATE monthlyreport SET completed_month = {bad_sql['money']}, completed_ytd = {bad_sql['huge']} WHERE id = :i"
            ),
            {"i": ids["report"]},
        )
        conn.execute(
            text(
                f"UPDATE monthlyreport SET completed_month = {bad_sql['money']}, progress_pct = {bad_sql['pct']} WHERE id = :i"
            ),
            {"i": ids["draft"]},
        )
        conn.execute(
            text("UPDATE milestone SET planned_date = '9999-12-31' WHERE id = :i"),
            {"i": ids["milestone"]},
        )
        conn.execute(
            text("UPDATE project SET planned_finish = '9999-12-31' WHERE id = :i"),
            {"i": ids["far"]},
        )
    return ids, lead_actor


def test_figures_leave_out_what_cannot_be_used_and_say_so(engine):
    ids, _ = _plan(engine)
    with read_session(engine) as s:
        statuses = {
            st.project.id: st
            for st in project_statuses(s, as_of=TODAY, thresholds=Thresholds(), period=NOVEMBER)
        }
    bad, good = statuses[ids["bad"]], statuses[ids["good"]]
    assert bad.completed_ytd == Decimal(100)  # October's, the last usable
    assert bad.data_problems and "2026年11月月报" in bad.data_problems[0]
    english = bad.problem_messages[0].render("en")
    assert english.startswith("Report of 2026-11: ") and not re.search(r"[\u3400-\u9fff]", english)
    assert good.completed_ytd == Decimal(150) and not good.data_problems


def test_the_bulletin_and_the_close_compute_around_a_bad_value(engine):
    ids, _ = _plan(engine)
    with read_session(engine) as s:
        bulletin = build_bulletin(s, actor=SYSTEM, period=NOVEMBER, today=TODAY, settings=SETTINGS)
    assert bulletin.totals["completed_ytd"] == 250.0  # 150 + the bad project's October 100
    assert [row["problem"][:10] for row in bulletin.data_problems] == ["2026年11月月报"]
    json.dumps(bulletin.to_dict(), allow_nan=False)
    with write_session(engine) as s:
        snapshot = freeze(s, period=NOVEMBER, today=date(2026, 12, 5), settings=SETTINGS)
    json.dumps(snapshot.payload, allow_nan=False)


def test_the_battle_map_leaves_out_dates_outside_the_plan_and_says_which(engine):
    ids, _ = _plan(engine)
    with read_session(engine) as s:
        data = battle_map(s, actor=SYSTEM, as_of=TODAY, thresholds=Thresholds(), view=ViewState())
    drawn = {p.id for p in data.projects}
    assert ids["good"] in drawn and ids["bad"] in drawn and ids["far"] not in drawn
    assert {(o.what, o.day) for o in data.outside} == {
        ("milestone", date(9999, 12, 31)),
        ("planned_finish", date(9999, 12, 31)),
    }
    assert data.span[1].year < 2100
    with read_session(engine) as s:
        milestone = s.get(Milestone, ids["milestone"])
    bad_row = next(p for p in data.projects if p.id == ids["bad"])
    assert milestone.name not in {m.name for m in bad_row.milestones}


def test_the_grid_blanks_an_unusable_stored_value_and_says_so(engine):
    ids, lead = _plan(engine)
    with read_session(engine) as s:
        lines = {
            x.project_id: x
            for x in report_grid(s, actor=lead, period=NOVEMBER, today=TODAY, settings=SETTINGS)
        }
    draft = lines[ids["far"]]
    assert draft.values.completed_month is None and draft.values.progress_pct is None
    assert "本月完成投资" in str(draft.notice) and "形象进度" in str(draft.notice)


def test_a_url_window_outside_1990_to_2100_is_ignored_not_drawn():
    view = ViewState.from_query("zoom=custom&from=2020-01-01&to=9999-12-31")
    assert view.zoom == "plan" and view.x_range is None
    kept = ViewState.from_query("zoom=custom&from=2020-01-01&to=2100-12-31")
    assert kept.x_range == (date(2020, 1, 1), date(2100, 12, 31))
