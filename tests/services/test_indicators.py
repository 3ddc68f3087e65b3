"""The zone's indicators (#16): catalogue, values under review, judgement, views."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests.factories import make_measure, make_project, make_user
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.domain.rules import Light
from tracker.models import AuditLog, Indicator, IndicatorValue, Notification
from tracker.services import indicators as svc
from tracker.services.auth import SYSTEM, Actor
from tracker.services.errors import ConflictError, InvalidInput, PermissionDenied

TODAY = date(2026, 11, 28)
KEJIJU = "市科技局"


def spec(code: str, **over) -> svc.IndicatorSpec:
    values = {
        "system": "创新能力监测",
        "code": code,
        "name": f"指标{code}",
        "unit": "%",
        "direction": "higher",
        "baseline_year": 2020,
        "baseline_value": 1.0,
        "targets": {2025: 2.0, 2030: 3.0},
        "lead_unit": KEJIJU,
        "data_source": "市统计局",
        "goals": (9,),
    }
    return svc.IndicatorSpec(**{**values, **over})


def value(code: str, year: int, number: float, system: str = "创新能力监测", **over):
    return svc.ValueSpec(system=system, code=code, period=date(year, 1, 1), value=number, **over)


@pytest.fixture
def office(engine):
    """Two systems, a few indicators with values; the office, a unit and a leader."""
    with write_session(engine) as session:
        make_measure(session, "强化科技创新", "创新驱动发展")
        project = make_project(session, code="LC-21-01", name="临沧科创中心项目")
        admin = Actor.of(make_user(session, "admin", username="office"))
        unit = Actor.of(make_user(session, "unit", username="kejiju", lead_unit=KEJIJU))
        other = Actor.of(make_user(session, "unit", username="nongye", lead_unit="市农业农村局"))
        viewer = Actor.of(make_user(session, "viewer", username="leader"))
        specs = [
            spec("CX-01", measures=("强化科技创新",), projects=("LC-21-01",)),
            spec("CX-02", name="万人发明专利拥有量", unit="件", goals=(9, 17)),
            spec(
                "SDG-06",
                system="SDGs 进展",
                name="集中式饮用水水源地水质达标率",
                direction="band",
                band_low=95.0,
                band_high=100.0,
                targets={},
                goals=(6,),
                lead_unit="市生态环境局",
            ),
        ]
        values = [
            value("CX-01", 2021, 1.2),
            value("CX-01", 2022, 1.4),
            value("CX-01", 2023, 1.6),
            value("CX-01", 2024, 1.8),
            value("CX-02", 2021, 1.0),
            value("CX-02", 2022, 1.05),
            value("CX-02", 2023, 1.1),
            value("CX-02", 2024, 1.1),
            value("SDG-06", 2024, 100.0, system="SDGs 进展"),
        ]
        result = svc.apply_catalogue(session, actor=SYSTEM, specs=specs, values=values, today=TODAY)
        assert (result.created, result.systems_created, result.values_written) == (3, 2, 9)
        ids = {i.code: i.id for i in session.exec(select(Indicator))}
    return {
        "admin": admin,
        "unit": unit,
        "other": other,
        "viewer": viewer,
        "ids": ids,
        "project": project.id,
    }


def _row(engine, actor, code, as_of=TODAY):
    with read_session(engine) as session:
        cat = svc.catalogue(session, actor=actor, as_of=as_of)
    return next(r for r in cat.rows if r.code == code)


def test_the_catalogue_judges_progress_against_the_line_from_baseline_to_target(engine, office):
    on_track = _row(engine, office["viewer"], "CX-01")
    behind = _row(engine, office["viewer"], "CX-02")
    # 2024 on the line from 1.0 (2020) to 2.0 (2025) is 1.8: CX-01 is exactly there
    assert on_track.expected == pytest.approx(1.8)
    assert on_track.latest_value == 1.8 and on_track.gap_pp == pytest.approx(0.0)
    # CX-02 made 0.1 of a way of 1.0 where 0.8 was due: 70 points behind, and missing 2025
    # is not yet due on 2026-11-28? (annual values are due 120 days after the year: it is)
    assert behind.gap_pp == pytest.approx(-70.0)
    assert behind.light is Light.RED
    assert [r.code for r in behind.reasons][0] == "behind_target"
    assert date(2025, 1, 1) in behind.missing


def test_filters_by_system_unit_goal_and_light(engine, office):
    viewer = office["viewer"]
    with read_session(engine) as session:
        by_system = svc.catalogue(
            session, actor=viewer, as_of=TODAY, filters=svc.CatalogueFilter(system="sdg")
        )
        by_goal = svc.catalogue(
            session, actor=viewer, as_of=TODAY, filters=svc.CatalogueFilter(goal="17")
        )
        by_unit = svc.catalogue(
            session,
            actor=viewer,
            as_of=TODAY,
            filters=svc.CatalogueFilter(lead_unit="市生态环境局"),
        )
        reds = svc.catalogue(
            session, actor=viewer, as_of=TODAY, filters=svc.CatalogueFilter(light="red")
        )
    assert [r.code for r in by_system.rows] == ["SDG-06"]
    assert [r.code for r in by_goal.rows] == ["CX-02"]
    assert [r.code for r in by_unit.rows] == ["SDG-06"]
    assert "CX-02" in [r.code for r in reds.rows] and reds.counts["red"] == len(reds.rows)
    assert by_system.total == 3
    assert [s.code for s in by_system.systems] == ["innovation", "sdg"]


def test_a_unit_enters_a_value_the_office_accepts_it_and_the_light_and_tile_change(engine, office):
    unit, admin = office["unit"], office["admin"]
    before = _row(engine, unit, "CX-01")
    assert before.light is Light.AMBER  # 2025 is missing
    with read_session(engine) as session:
        tile = svc.sdg_tiles(session, actor=unit, as_of=TODAY)[8]
    assert tile.goal == 9 and tile.total == 2 and tile.light is Light.RED
    with write_session(engine) as session:
        saved = svc.save_value(
            session,
            actor=unit,
            indicator_id=office["ids"]["CX-01"],
            period="2025",
            value="2.05",
            source="2025年临沧市统计年鉴",
            note="快报数",
            today=TODAY,
        )
    assert saved.status == "submitted"
    assert _row(engine, unit, "CX-01").light is Light.AMBER  # not counted before review
    assert _row(engine, unit, "CX-01").pending == 1
    with write_session(engine) as session:
        assert [v.id for v in svc.pending_values(session, actor=admin)] == [saved.value_id]
        svc.accept_value(
            session, actor=admin, value_id=saved.value_id, seen_version=saved.version, today=TODAY
        )
    after = _row(engine, unit, "CX-01")
    assert after.light is Light.GREEN and after.latest_value == 2.05
    # CX-02 still red: the goal 9 tile is now one red in two (≥ a third red): still red;
    # CX-02 brought in line makes it green
    with write_session(engine) as session:
        saved = svc.save_value(
            session,
            actor=admin,
            indicator_id=office["ids"]["CX-02"],
            period=2025,
            value=2.1,
            source="省科技厅",
            today=TODAY,
        )
        svc.accept_value(
            session, actor=admin, value_id=saved.value_id, seen_version=saved.version, today=TODAY
        )
    with read_session(engine) as session:
        tile = svc.sdg_tiles(session, actor=unit, as_of=TODAY)[8]
        summary = svc.overview_summary(session, actor=unit, as_of=TODAY)
    assert tile.light is Light.GREEN and tile.green == 2
    assert summary.total == 3 and summary.pending_review == 0
    assert [s.code for s in summary.systems] == ["innovation", "sdg"]


def test_a_unit_enters_only_its_own_indicators_and_a_viewer_enters_none(engine, office):
    for actor in (office["other"], office["viewer"]):
        with write_session(engine) as session, pytest.raises(PermissionDenied):
            svc.save_value(
                session,
                actor=actor,
                indicator_id=office["ids"]["CX-01"],
                period="2025",
                value=2,
                source="x",
                today=TODAY,
            )
    with read_session(engine) as session:
        detail = svc.indicator_detail(
            session, actor=office["viewer"], indicator_id=office["ids"]["CX-01"], as_of=TODAY
        )
        mine = svc.indicator_detail(
            session, actor=office["unit"], indicator_id=office["ids"]["CX-01"], as_of=TODAY
        )
    assert not detail.can_enter and not detail.can_review
    assert mine.can_enter and not mine.can_review


def test_the_office_returns_with_a_reason_and_the_unit_is_told(engine, office):
    unit, admin = office["unit"], office["admin"]
    with write_session(engine) as session:
        saved = svc.save_value(
            session,
            actor=unit,
            indicator_id=office["ids"]["CX-01"],
            period="2025",
            value="2.0",
            source="统计快报",
            today=TODAY,
        )
        with pytest.raises(InvalidInput) as refused:
            svc.return_value(
                session,
                actor=admin,
                value_id=saved.value_id,
                seen_version=saved.version,
                reason="  ",
                today=TODAY,
            )
        assert refused.value.key == "indicator.err.reason_required"
        returned = svc.return_value(
            session,
            actor=admin,
            value_id=saved.value_id,
            seen_version=saved.version,
            reason="请附统计年鉴页",
            today=TODAY,
            settings=load_settings(),
        )
    assert returned.status == "returned"
    with read_session(engine) as session:
        notes = session.exec(select(Notification).where(Notification.user_id == unit.id)).all()
        assert any("请附统计年鉴页" in n.body for n in notes)
        detail = svc.indicator_detail(
            session, actor=unit, indicator_id=office["ids"]["CX-01"], as_of=TODAY
        )
    assert detail.values[0].status == "returned"
    assert detail.values[0].return_reason == "请附统计年鉴页"
    # the unit corrects it and sends it again
    with write_session(engine) as session:
        again = svc.save_value(
            session,
            actor=unit,
            indicator_id=office["ids"]["CX-01"],
            period="2025",
            value="2.02",
            source="2025年统计年鉴",
            seen_version=returned.version,
            today=TODAY,
            attachment=svc.AttachmentIn("年鉴第12页.pdf", b"%PDF-1.4 evidence"),
        )
    assert again.status == "submitted"
    with read_session(engine) as session:
        got = svc.attachment_file(session, actor=admin, value_id=again.value_id)
    assert (got.filename, got.content_type, got.data) == (
        "年鉴第12页.pdf",
        "application/pdf",
        b"%PDF-1.4 evidence",
    )


def test_a_stale_save_is_refused_and_nothing_is_overwritten(engine, office):
    unit, admin = office["unit"], office["admin"]
    with write_session(engine) as session:
        saved = svc.save_value(
            session,
            actor=unit,
            indicator_id=office["ids"]["CX-01"],
            period="2025",
            value=2.0,
            source="快报",
            submit=False,
            today=TODAY,
        )
    with write_session(engine) as session:
        svc.submit_value(
            session, actor=unit, value_id=saved.value_id, seen_version=saved.version, today=TODAY
        )
    with write_session(engine) as session, pytest.raises(ConflictError):
        svc.accept_value(
            session, actor=admin, value_id=saved.value_id, seen_version=saved.version, today=TODAY
        )
    with read_session(engine) as session:
        stored = session.get(IndicatorValue, saved.value_id)
        assert stored.status == "submitted" and stored.accepted_value is None


def test_an_accepted_value_is_revised_with_a_reason_and_its_history_is_kept(engine, office):
    unit, admin = office["unit"], office["admin"]
    with read_session(engine) as session:
        detail = svc.indicator_detail(
            session, actor=unit, indicator_id=office["ids"]["CX-01"], as_of=TODAY
        )
    v2024 = next(v for v in detail.values if v.period == date(2024, 1, 1))
    with write_session(engine) as session:
        with pytest.raises(InvalidInput) as refused:
            svc.save_value(
                session,
                actor=unit,
                indicator_id=office["ids"]["CX-01"],
                period="2024",
                value=1.7,
                source="x",
                seen_version=v2024.version,
                today=TODAY,
            )
        assert refused.value.key == "indicator.err.accepted_needs_revision"
        revised = svc.revise_value(
            session,
            actor=unit,
            value_id=v2024.id,
            seen_version=v2024.version,
            value="1.7",
            reason="统计局年报修正",
            today=TODAY,
        )
    assert revised.status == "submitted"
    row = _row(engine, unit, "CX-01")
    assert row.latest_value == 1.8  # the accepted value counts until the office accepts
    with write_session(engine) as session:
        svc.accept_value(
            session, actor=admin, value_id=v2024.id, seen_version=revised.version, today=TODAY
        )
        history = svc.value_history(session, actor=office["viewer"], value_id=v2024.id)
    assert _row(engine, unit, "CX-01").latest_value == 1.7
    assert [h.action for h in history] == ["import", "revise", "accept"]
    assert history[1].after["revision_reason"] == "统计局年报修正"
    assert history[1].before["value"] == 1.8 and history[1].after["value"] == 1.7


@pytest.mark.parametrize(
    ("value", "period", "key"),
    [
        ("abc", "2025", "value.not_number"),
        ("", "2025", "indicator.err.value_required"),
        ("nan", "2025", "value.not_finite"),
        ("2", "2025Q1", "indicator.err.period"),
        ("2", "2027", "indicator.err.period_future"),
        ("2", "2026", "indicator.err.period_future"),  # the year has not ended
    ],
)
def test_a_bad_value_or_period_is_refused_with_what_is_wrong(engine, office, value, period, key):
    with write_session(engine) as session, pytest.raises(InvalidInput) as refused:
        svc.save_value(
            session,
            actor=office["unit"],
            indicator_id=office["ids"]["CX-01"],
            period=period,
            value=value,
            source="x",
            today=TODAY,
        )
    assert refused.value.key == key


def test_several_values_are_saved_all_or_nothing(engine, office):
    ids = office["ids"]
    entries = [
        svc.ValueEntry(ids["CX-01"], date(2025, 1, 1), "2.0", source="年鉴", where="第3行"),
        svc.ValueEntry(ids["CX-02"], date(2025, 1, 1), "两点一", source="年鉴", where="第4行"),
    ]
    with write_session(engine) as session, pytest.raises(InvalidInput) as refused:
        svc.save_values(session, actor=office["unit"], entries=entries, today=TODAY)
    assert "第4行" in str(refused.value) and "两点一" in str(refused.value)
    with read_session(engine) as session:
        assert (
            session.exec(
                select(IndicatorValue).where(IndicatorValue.period == date(2025, 1, 1))
            ).all()
            == []
        )


def test_due_values_and_the_unit_s_entry_rows(engine, office):
    with read_session(engine) as session:
        due = svc.due_values(session, as_of=TODAY)
        rows = svc.entry_rows(session, actor=office["unit"], as_of=TODAY)
    assert {(d.code, d.period) for d in due} == {
        ("CX-01", date(2025, 1, 1)),
        ("CX-02", date(2025, 1, 1)),
        ("SDG-06", date(2025, 1, 1)),
    }
    assert [(r.code, r.period_key, r.source) for r in rows] == [
        ("CX-01", "2025", "市统计局"),
        ("CX-02", "2025", "市统计局"),
    ]


def test_the_detail_shows_trend_targets_and_linked_measures_and_projects(engine, office):
    with read_session(engine) as session:
        detail = svc.indicator_detail(
            session, actor=office["viewer"], indicator_id=office["ids"]["CX-01"], as_of=TODAY
        )
    assert [(t.year, t.value) for t in detail.targets] == [(2025, 2.0), (2030, 3.0)]
    assert [m.name for m in detail.measures] == ["强化科技创新"]
    assert [p.code for p in detail.projects] == ["LC-21-01"]
    trend = {p.year: p for p in detail.trend}
    assert trend[2020].actual == 1.0 and trend[2030].target == 3.0
    assert trend[2027].expected == pytest.approx(2.4)
    assert detail.next_period == date(2025, 1, 1)


def test_the_catalogue_reads_back_as_it_was_written(engine, office):
    with write_session(engine) as session:
        specs = svc.catalogue_specs(session, actor=office["viewer"])
        values = svc.value_specs(session, actor=office["viewer"])
        again = svc.apply_catalogue(
            session, actor=office["admin"], specs=specs, values=values, today=TODAY
        )
    assert (again.created, again.updated, again.unchanged, again.values_written) == (0, 0, 3, 0)
    assert specs[0].measures == ("强化科技创新",) and specs[0].projects == ("LC-21-01",)
    assert specs[2].direction == "band" and specs[2].band_low == 95.0


def test_a_dry_run_writes_nothing_and_a_bad_spec_names_where(engine, office):
    with write_session(engine) as session:
        audits = len(session.exec(select(AuditLog)).all())
        result = svc.apply_catalogue(
            session,
            actor=office["admin"],
            specs=[spec("CX-09"), spec("CX-01", name="改名")],
            values=[value("CX-09", 2024, 1.5)],
            dry_run=True,
            today=TODAY,
        )
        assert (result.created, result.updated, result.values_written) == (1, 1, 1)
    with read_session(engine) as session:
        assert len(session.exec(select(Indicator)).all()) == 3
        assert len(session.exec(select(AuditLog)).all()) == audits
    with write_session(engine) as session, pytest.raises(InvalidInput) as refused:
        svc.apply_catalogue(
            session,
            actor=office["admin"],
            specs=[spec("CX-10", goals=(18,))],
            today=TODAY,
        )
    assert "CX-10" in str(refused.value) and "18" in str(refused.value)
    with write_session(engine) as session, pytest.raises(InvalidInput) as refused:
        svc.apply_catalogue(
            session,
            actor=office["admin"],
            specs=[],
            values=[value("CX-01", 2026, 2.0)],
            today=TODAY,
        )
    assert "CX-01" in str(refused.value) and "2026" in str(refused.value)
    with write_session(engine) as session, pytest.raises(PermissionDenied):
        svc.apply_catalogue(session, actor=office["unit"], specs=[spec("CX-11")], today=TODAY)


def test_judged_rows_are_kept_across_writes_to_other_tables(engine, office, monkeypatch):
    viewer = office["viewer"]
    judged = []
    real = svc._judged_rows
    monkeypatch.setattr(svc, "_judged_rows", lambda *a, **k: judged.append(1) or real(*a, **k))
    with read_session(engine) as session:
        svc.catalogue(session, actor=viewer, as_of=TODAY)
    with write_session(engine) as session:
        make_project(session, name="另一个项目")  # the plan changes, not the indicators
    with read_session(engine) as session:
        svc.catalogue(session, actor=viewer, as_of=TODAY)
    assert len(judged) == 1
    with write_session(engine) as session:
        svc.save_value(
            session,
            actor=office["unit"],
            indicator_id=office["ids"]["CX-01"],
            period="2025",
            value=2.0,
            source="快报",
            today=TODAY,
        )
    with read_session(engine) as session:
        row = next(
            r for r in svc.catalogue(session, actor=viewer, as_of=TODAY).rows if r.code == "CX-01"
        )
    assert len(judged) == 2 and row.pending == 1


def test_only_the_office_reviews_and_its_own_revision_counts_at_once(engine, office):
    unit, admin = office["unit"], office["admin"]
    with write_session(engine) as session:
        saved = svc.save_value(
            session,
            actor=unit,
            indicator_id=office["ids"]["CX-01"],
            period="2025",
            value=2.0,
            source="快报",
            today=TODAY,
        )
        with pytest.raises(PermissionDenied):
            svc.accept_value(
                session,
                actor=unit,
                value_id=saved.value_id,
                seen_version=saved.version,
                today=TODAY,
            )
        with pytest.raises(PermissionDenied):
            svc.pending_values(session, actor=unit)
        accepted = svc.accept_value(
            session, actor=admin, value_id=saved.value_id, seen_version=saved.version, today=TODAY
        )
        revised = svc.revise_value(
            session,
            actor=admin,
            value_id=saved.value_id,
            seen_version=accepted.version,
            value="2.2",
            reason="年报终审数",
            today=TODAY,
        )
    assert revised.status == "accepted"
    assert _row(engine, unit, "CX-01").latest_value == 2.2


@pytest.mark.parametrize(
    ("attachment", "key"),
    [
        (svc.AttachmentIn("run.exe", b"MZ"), "indicator.err.attachment_type"),
        (svc.AttachmentIn("scan.pdf", b""), "indicator.err.attachment_empty"),
        (
            svc.AttachmentIn("big.pdf", b"0" * (svc.MAX_ATTACHMENT_BYTES + 1)),
            "indicator.err.attachment_size",
        ),
    ],
)
def test_an_unfit_attachment_is_refused_and_nothing_is_saved(engine, office, attachment, key):
    with write_session(engine) as session, pytest.raises(InvalidInput) as refused:
        svc.save_value(
            session,
            actor=office["unit"],
            indicator_id=office["ids"]["CX-01"],
            period="2025",
            value=2.0,
            source="快报",
            attachment=attachment,
            today=TODAY,
        )
    assert refused.value.key == key
    with read_session(engine) as session:
        assert (
            session.exec(
                select(IndicatorValue).where(IndicatorValue.period == date(2025, 1, 1))
            ).all()
            == []
        )


def test_a_value_s_history_is_read_by_its_unit_but_not_by_another(engine, office):
    with read_session(engine) as session:
        detail = svc.indicator_detail(
            session, actor=office["unit"], indicator_id=office["ids"]["CX-01"], as_of=TODAY
        )
        value_id = detail.values[0].id
        assert svc.value_history(session, actor=office["unit"], value_id=value_id)
        with pytest.raises(PermissionDenied):
            svc.value_history(session, actor=office["other"], value_id=value_id)


def test_the_office_sets_the_rules_edges_and_the_lights_follow(engine, office):
    admin = office["admin"]
    assert _row(engine, admin, "CX-02").reasons[0].code == "behind_target"
    with write_session(engine) as session:
        with pytest.raises(PermissionDenied):
            svc.set_thresholds(
                session, actor=office["unit"], values={"amber_behind_pp": 80}, seen_version=0
            )
        with pytest.raises(InvalidInput):
            svc.set_thresholds(
                session, actor=admin, values={"amber_behind_pp": 80}, seen_version=0
            )  # above its red edge (25)
        chosen = svc.set_thresholds(
            session,
            actor=admin,
            values={"amber_behind_pp": "80", "red_behind_pp": 90},
            seen_version=0,
        )
    assert (chosen.amber_behind_pp, chosen.red_behind_pp, chosen.red_missing) == (80, 90, 2)
    row = _row(engine, admin, "CX-02")
    assert [r.code for r in row.reasons] == ["missing_values"]  # 70 points behind: below 80
    with write_session(engine) as session, pytest.raises(ConflictError):
        svc.set_thresholds(session, actor=admin, values={"red_missing": 3}, seen_version=0)


def test_the_catalogue_reads_in_bulk_whatever_the_number_of_indicators(engine, office):
    from sqlalchemy import event

    statements: list[str] = []

    def count(*_args) -> None:
        statements.append("x")

    def judged_statements() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            with read_session(engine) as session:
                svc.catalogue(session, actor=office["viewer"], as_of=TODAY)
                svc.sdg_tiles(session, actor=office["viewer"], as_of=TODAY)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    def add(codes: range) -> None:
        with write_session(engine) as session:
            svc.apply_catalogue(
                session,
                actor=office["admin"],
                specs=[spec(f"CX-{n:02d}") for n in codes],
                values=[value(f"CX-{n:02d}", y, 1.5) for n in codes for y in (2022, 2023)],
                today=TODAY,
            )

    judged_statements()  # this worker now holds judged rows of an older version
    add(range(10, 11))
    few = judged_statements()  # 4 indicators
    add(range(11, 41))
    assert judged_statements() == few  # 34 indicators: the same statements as 4
