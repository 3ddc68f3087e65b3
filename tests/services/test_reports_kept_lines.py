"""The month's report lines kept per data version (#15): a worker serves the lines it holds
while nothing they read changed, reads again only the lines of the projects a save wrote,
and everything it serves is what a fresh computation gives."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import Engine, event, update
from sqlmodel import select

from tests.services.test_report_upload import APRIL, SETTINGS, TODAY, setup
from tracker import data_version
from tracker.db import read_session, write_session
from tracker.models import MonthlyReport, ProblemItem, Project, ReportingPeriod
from tracker.services.policy import get_thresholds
from tracker.services.reports import ReportValues, grid, report_grid, save_draft, submit_report

_LINES = grid._lines  # the real one, while ``computed`` spies on it


@pytest.fixture
def computed(monkeypatch):
    """The project ids each computation of lines was asked for (None: the whole plan)."""
    asked: list[list[int] | None] = []
    real = grid._lines

    def spy(session, wanted, **given):
        asked.append(None if wanted is None else list(wanted))
        return real(session, wanted, **given)

    monkeypatch.setattr(grid, "_lines", spy)
    return asked


def _grid(engine: Engine, actor) -> list[grid.ReportLine]:
    with read_session(engine) as s:
        return report_grid(s, actor=actor, period=APRIL, today=TODAY, settings=SETTINGS)


def _fresh(engine: Engine, actor) -> list[grid.ReportLine]:
    """The actor's lines computed from scratch, one project at a time (no cache, no batch)."""
    with read_session(engine) as s:
        thresholds, _ = get_thresholds(s, SETTINGS)
        given = {"period": APRIL, "today": TODAY, "thresholds": thresholds}
        office = int(grid._office(actor))
        projects = grid.scoped_projects(s, actor=actor, period=APRIL)
        return [pair[office] for p in projects for pair in _LINES(s, [p.id], **given)]


def _draft(engine: Engine, actor, line: grid.ReportLine, problems: str) -> None:
    with write_session(engine) as s:
        save_draft(
            s,
            actor=actor,
            project_id=line.project_id,
            period=APRIL,
            values=ReportValues(completed_month=None, problems=problems),
            seen_version=line.version,
            today=TODAY,
            settings=SETTINGS,
        )


def test_the_lines_kept_are_the_lines_computed_afresh_for_the_lead_and_the_office(engine):
    lead, admin, codes, theirs = setup(engine)
    for actor in (lead, admin):
        kept = _grid(engine, actor)
        assert kept == _fresh(engine, actor)
        assert _grid(engine, actor) == kept  # served from the cache: the same again
    assert [line.code for line in _grid(engine, lead)] == codes
    assert [line.code for line in _grid(engine, admin)] == [*codes, theirs]


def test_a_reader_gets_its_own_list_of_the_shared_frozen_lines(engine):
    lead, _, _, _ = setup(engine)
    first = _grid(engine, lead)
    first.clear()
    again = _grid(engine, lead)
    assert len(again) == 3
    with pytest.raises(AttributeError):
        again[0].status = "submitted"  # type: ignore[misc]


def test_a_save_in_another_worker_makes_this_one_read_only_the_saved_project_again(
    engine, other_worker, computed
):
    lead, admin, _, _ = setup(engine)
    before = _grid(other_worker, lead)
    _grid(other_worker, admin)
    computed.clear()

    _draft(engine, lead, before[1], "征地滞后")

    after = _grid(other_worker, lead)
    assert computed == [[before[1].project_id]]  # that project only, not the plan
    assert after[1].values.problems == "征地滞后" and after[1].version == 1
    assert after[1].status == "draft"
    assert after[0] is before[0] and after[2] is before[2]  # the others are the ones held
    assert after == _fresh(engine, lead)
    assert _grid(other_worker, admin)[:3] == after  # the office's lines are patched too
    assert computed == [[before[1].project_id]]  # … by the same reading


def test_the_office_may_edit_a_submitted_report_its_county_lead_may_not(engine):
    lead, admin, _, _ = setup(engine)
    line = _grid(engine, lead)[0]
    with write_session(engine) as s:
        submit_report(
            s,
            actor=lead,
            project_id=line.project_id,
            period=APRIL,
            values=ReportValues(
                completed_month=100,
                progress_pct=40,
                progress_text="施工中",
                reporter="李明",
                problems="无",
            ),
            seen_version=0,
            today=TODAY,
            settings=SETTINGS,
        )
    as_lead, as_office = _grid(engine, lead)[0], _grid(engine, admin)[0]
    assert as_lead.status == as_office.status == "submitted"
    assert not as_lead.editable and as_office.editable
    assert [as_lead, as_office] == [_fresh(engine, lead)[0], _fresh(engine, admin)[0]]


@pytest.mark.parametrize("write", ["project", "reporting_period", "core_without_projects"])
def test_a_write_the_lines_cannot_trace_makes_the_worker_read_every_line(
    engine, other_worker, computed, write
):
    lead, _, _, _ = setup(engine)
    before = _grid(other_worker, lead)
    computed.clear()
    if write == "project":  # the projects themselves: which report, and what they carry
        with write_session(engine) as s:
            project = s.get(Project, before[0].project_id)
            project.county = "临翔区"
            s.add(project)
    elif write == "reporting_period":  # the month's lock
        with write_session(engine) as s:
            period = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == APRIL)).one()
            period.status = "closed"
            s.add(period)
    else:  # a bulk write: the statement does not say which projects
        with engine.begin() as conn:
            conn.execute(
                update(MonthlyReport)
                .where(MonthlyReport.period == date(2026, 3, 1))
                .values(progress_text="改")
            )
    after = _grid(other_worker, lead)
    assert computed == [None]
    assert after == _fresh(engine, lead)
    if write == "project":
        assert len(after) == 2
    elif write == "reporting_period":
        assert not any(line.editable for line in after)
    else:
        assert all(line.last_progress_text == "改" for line in after)


def test_a_write_to_another_county_s_project_keeps_the_lines_held(engine, other_worker, computed):
    lead, admin, _, _ = setup(engine)
    office = _grid(other_worker, admin)
    before = _grid(other_worker, lead)
    computed.clear()
    _draft(engine, admin, office[3], "其他县的问题")  # 临翔区's project
    after = _grid(other_worker, lead)
    assert computed == [[office[3].project_id]]
    assert all(a is b for a, b in zip(after, before, strict=True))


def test_the_lines_read_only_the_tables_their_invalidation_names(engine):
    """LINES_READS must name every table ``_lines`` reads (with the statuses it takes the
    lights from): a table missing from it would let a write there leave a worker's lines
    stale, since a write to a table outside it is taken to change no line."""
    lead, _, _, _ = setup(engine)
    read: set[str] = set()

    def seen(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        read.update(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', statement, re.IGNORECASE))

    _draft(engine, lead, _grid(engine, lead)[0], "征地滞后")
    with write_session(engine) as s:  # a returned report: its audit entries are read too
        report = s.exec(select(MonthlyReport).where(MonthlyReport.period == APRIL)).first()
        report.status = "returned"
        s.add(report)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        with read_session(engine) as s:
            thresholds, _ = get_thresholds(s, SETTINGS)
            s.connection()  # the transaction's own statements are not the lines'
            read.clear()
            _LINES(s, None, period=APRIL, today=TODAY, thresholds=thresholds)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    read -= {"dataversion", "datachange"}  # the cache's own bookkeeping
    assert "auditlog" in read and "monthlyreport" in read
    assert read <= grid.LINES_READS, read - grid.LINES_READS


def test_a_write_to_a_table_the_lines_do_not_read_keeps_every_line_held(
    engine, other_worker, computed
):
    lead, _, _, _ = setup(engine)
    before = _grid(other_worker, lead)
    computed.clear()
    with write_session(engine) as s:  # a ledger item (as a submission raises), nothing else
        s.add(ProblemItem(project_id=before[0].project_id, text="征地未完成", raised_on=TODAY))
    after = _grid(other_worker, lead)
    assert computed == []
    assert all(a is b for a, b in zip(after, before, strict=True))
    assert after == _fresh(engine, lead)


def test_a_submission_in_another_worker_reads_only_the_submitted_project_again(
    engine, other_worker, computed
):
    """A submission also writes ledger items and notices: tables the lines do not read, so
    it does not make every worker read every line again."""
    lead, admin, _, _ = setup(engine)
    before = _grid(other_worker, lead)
    _grid(other_worker, admin)
    computed.clear()
    with engine.connect() as conn:
        conn.begin()
        since = data_version.current(conn)
    with write_session(engine) as s:
        submit_report(
            s,
            actor=lead,
            project_id=before[1].project_id,
            period=APRIL,
            values=ReportValues(
                completed_month=100,
                progress_pct=40,
                progress_text="施工中",
                reporter="李明",
                problems="征地滞后，需协调",
            ),
            seen_version=before[1].version,
            today=TODAY,
            settings=SETTINGS,
        )
    with engine.connect() as conn:
        conn.begin()
        changed = data_version.changes_between(conn, since, data_version.current(conn))
    assert changed is not None and set(changed) - grid.LINES_READS  # e.g. the ledger's items
    after = _grid(other_worker, lead)
    assert computed == [[before[1].project_id]]
    assert after[1].status == "submitted"
    assert after[0] is before[0] and after[2] is before[2]
    assert after == _fresh(engine, lead)
    assert _grid(other_worker, admin)[:3] == [_fresh(engine, admin)[i] for i in range(3)]
