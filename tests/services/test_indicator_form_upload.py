"""A responsible unit downloads its indicator values form, fills it in Excel and uploads it
back: all or nothing, only its own indicators, never over a value changed since."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from tests.factories import actor_of, make_user
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.excel.indicator_form import (
    FIRST_ROW,
    LETTER,
    SHEET,
    IndicatorFormFileError,
)
from tracker.models import AuditLog, Indicator, IndicatorSystem, IndicatorValue
from tracker.services import indicator_cycle, indicators
from tracker.services.errors import PermissionDenied

TODAY = date(2026, 11, 28)
SETTINGS = dispatch_settings()


def make_catalogue(s) -> dict[str, Indicator]:
    """Two systems; 市科技局 owns an annual and a quarterly indicator, 市林草局 one."""
    innovation = IndicatorSystem(code="innovation", name="创新能力监测", sort_order=1)
    sdg = IndicatorSystem(code="sdg", name="SDGs 进展", sort_order=2)
    s.add(innovation)
    s.add(sdg)
    s.flush()
    made = {
        "rd": Indicator(
            system_id=innovation.id,
            code="CX01",
            name="全社会研发经费投入强度",
            unit="%",
            lead_unit="市科技局",
            data_source="市统计局统计公报",
            frequency="annual",
            baseline_year=2020,
            baseline_value=0.3,
            sort_order=1,
        ),
        "patents": Indicator(
            system_id=innovation.id,
            code="CX02",
            name="每万人口发明专利拥有量",
            unit="件",
            lead_unit="市科技局",
            data_source="市市场监管局专利统计",
            frequency="quarterly",
            baseline_year=2020,
            baseline_value=0.5,
            sort_order=2,
        ),
        "forest": Indicator(
            system_id=sdg.id,
            code="SDG15-1",
            name="森林覆盖率",
            unit="%",
            lead_unit="市林草局",
            frequency="annual",
            baseline_year=2020,
            baseline_value=65.0,
            sort_order=1,
        ),
    }
    for indicator in made.values():
        s.add(indicator)
    s.flush()
    return made


@pytest.fixture
def office(engine):
    with write_session(engine) as s:
        made = make_catalogue(s)
        unit = actor_of(make_user(s, "unit", lead_unit="市科技局", username="keji"))
        forest = actor_of(make_user(s, "unit", lead_unit="市林草局", username="lincao"))
        admin = actor_of(make_user(s, "admin", username="office"))
        viewer = actor_of(make_user(s, "viewer", username="leader"))
        ids = {k: v.id for k, v in made.items()}
    return {"unit": unit, "forest": forest, "admin": admin, "viewer": viewer, **ids}


def download(engine, actor, **kw) -> bytes:
    with read_session(engine) as s:
        return indicator_cycle.indicator_form(s, actor=actor, today=TODAY, **kw)


def rows_of(data: bytes) -> dict[tuple[str, str], int]:
    ws = load_workbook(io.BytesIO(data))[SHEET]
    out = {}
    for r in range(FIRST_ROW, ws.max_row + 1):
        code, period = ws[f"{LETTER['code']}{r}"].value, ws[f"{LETTER['period']}{r}"].value
        if code:
            out[(code, str(period))] = r
    return out


def fill(data: bytes, edits: dict[tuple[str, str, str], object]) -> bytes:
    """Type into the form: (code, period, column) → value."""
    rows = rows_of(data)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    for (code, period, key), value in edits.items():
        ws[f"{LETTER[key]}{rows[(code, period)]}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(engine, actor, data: bytes, **kw):
    with write_session(engine) as s:
        return indicator_cycle.apply_indicator_form(
            s, actor=actor, data=data, filename="指标.xlsx", today=TODAY, settings=SETTINGS, **kw
        )


def stored(engine) -> dict[tuple[int, date], IndicatorValue]:
    with read_session(engine) as s:
        return {(v.indicator_id, v.period): v for v in s.exec(select(IndicatorValue)).all()}


def test_a_unit_s_form_holds_its_own_indicators_and_the_periods_asked(engine, office):
    rows = rows_of(download(engine, office["unit"]))
    codes = {code for code, _ in rows}
    assert codes == {"CX01", "CX02"}  # not 市林草局's forest cover
    # the annual indicator: 2025 (ended, never reported) and 2024 (two years back, missing)
    assert ("CX01", "2025") in rows and ("CX01", "2024") in rows
    # the quarterly one: Q3 2026 is the latest ended quarter; Q4 has not ended
    assert ("CX02", "2026Q3") in rows and ("CX02", "2026Q4") not in rows
    office_rows = rows_of(download(engine, office["admin"], lead_unit="市林草局"))
    assert {code for code, _ in office_rows} == {"SDG15-1"}
    with read_session(engine) as s:
        named = indicator_cycle.indicator_form_file(s, actor=office["unit"], today=TODAY)
    assert named.name == "指标数据填报表-市科技局-20261128.xlsx"
    assert rows_of(named.content) == rows


def test_a_viewer_gets_no_form_and_cannot_upload_one(engine, office):
    with pytest.raises(PermissionDenied):
        download(engine, office["viewer"])
    data = fill(download(engine, office["unit"]), {("CX01", "2025", "value"): 0.35})
    with pytest.raises(PermissionDenied):
        upload(engine, office["viewer"], data)
    assert stored(engine) == {}


def test_the_filled_form_enters_and_submits_the_values(engine, office):
    data = fill(
        download(engine, office["unit"]),
        {
            ("CX01", "2025", "value"): 0.35,
            ("CX01", "2025", "source"): "《2025年临沧市统计公报》",
            ("CX02", "2026Q3", "value"): "１.２",
        },
    )
    result = upload(engine, office["unit"], data)
    assert result.ok, [str(e) for e in result.errors]
    assert result.saved == 2 and result.skipped >= 1
    values = stored(engine)
    rd = values[(office["rd"], date(2025, 1, 1))]
    assert (rd.value, rd.source, rd.status) == (0.35, "《2025年临沧市统计公报》", "submitted")
    patents = values[(office["patents"], date(2026, 7, 1))]
    assert patents.value == pytest.approx(1.2)
    assert patents.source == "市市场监管局专利统计"  # the catalogue's source, prefilled
    with read_session(engine) as s:
        audited = s.exec(select(AuditLog).where(AuditLog.entity == indicators.AUDIT_ENTITY)).all()
    assert len(audited) >= 2
    # sent back unchanged, the same form writes nothing new
    again = upload(engine, office["unit"], fill(download(engine, office["unit"]), {}))
    assert again.ok and again.saved == 0


def test_a_value_without_a_source_is_refused_at_its_column(engine, office):
    data = fill(download(engine, office["admin"]), {("SDG15-1", "2025", "value"): 66.2})
    result = upload(engine, office["admin"], data)
    (problem,) = result.errors
    assert (problem.column, problem.field) == (LETTER["source"], "数据来源")
    assert "请填写数据出处" in str(problem)
    assert stored(engine) == {}


def test_one_bad_row_and_nothing_is_written(engine, office):
    data = fill(
        download(engine, office["unit"]),
        {("CX01", "2025", "value"): 0.35, ("CX02", "2026Q3", "value"): "一点二"},
    )
    result = upload(engine, office["unit"], data)
    assert not result.ok and result.saved == 0
    (problem,) = result.errors
    assert (problem.sheet, problem.column, problem.field) == (SHEET, LETTER["value"], "本期值")
    assert "不是数字" in str(problem) or "不是有效数字" in str(problem)
    assert stored(engine) == {}
    with pytest.raises(indicator_cycle.IndicatorFormRefused), write_session(engine) as s:
        indicator_cycle.upload_indicator_form(
            s, actor=office["unit"], data=data, today=TODAY, settings=SETTINGS
        )
    assert stored(engine) == {}


def test_rows_of_another_unit_are_errors_not_skipped(engine, office):
    office_form = download(engine, office["admin"])  # every unit's rows
    data = fill(office_form, {("CX01", "2025", "value"): 0.35, ("SDG15-1", "2025", "value"): 66.2})
    result = upload(engine, office["unit"], data)
    assert [e.column for e in result.errors] == [LETTER["code"]]
    assert "SDG15-1 不由您的单位报送" in str(result.errors[0])
    assert stored(engine) == {}


def test_a_value_changed_since_the_download_is_not_overwritten(engine, office):
    form = download(engine, office["unit"])
    first = fill(form, {("CX01", "2025", "value"): 0.35})
    assert upload(engine, office["unit"], first, submit=False).ok  # a draft (version 1)
    stale = fill(form, {("CX01", "2025", "value"): 0.40})  # the old download again
    result = upload(engine, office["unit"], stale)
    assert [e.column for e in result.errors] == [LETTER["version"]]
    assert "下载后已被修改" in str(result.errors[0])
    assert stored(engine)[(office["rd"], date(2025, 1, 1))].value == 0.35


def test_an_accepted_value_is_revised_only_with_a_reason(engine, office):
    assert upload(
        engine,
        office["unit"],
        fill(download(engine, office["unit"]), {("CX01", "2025", "value"): 0.35}),
    ).ok
    value = stored(engine)[(office["rd"], date(2025, 1, 1))]
    with write_session(engine) as s:
        indicators.accept_value(
            s, actor=office["admin"], value_id=value.id, seen_version=value.version, today=TODAY
        )
    form = download(engine, office["unit"])
    without = upload(engine, office["unit"], fill(form, {("CX01", "2025", "value"): 0.36}))
    assert [e.column for e in without.errors] == [LETTER["reason"]]
    assert "修订原因" in str(without.errors[0])
    revised = upload(
        engine,
        office["unit"],
        fill(
            form,
            {("CX01", "2025", "value"): 0.36, ("CX01", "2025", "reason"): "统计局年报更正"},
        ),
    )
    assert revised.ok and revised.revised == 1
    after = stored(engine)[(office["rd"], date(2025, 1, 1))]
    assert after.value == pytest.approx(0.36) and after.revision_reason == "统计局年报更正"


def test_a_period_that_has_not_ended_is_refused(engine, office):
    data = fill(download(engine, office["unit"]), {("CX02", "2026Q3", "value"): 1.1})
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    row = rows_of(data)[("CX02", "2026Q3")]
    ws[f"{LETTER['period']}{row}"] = "2026Q4"
    out = io.BytesIO()
    wb.save(out)
    result = upload(engine, office["unit"], out.getvalue())
    assert [e.column for e in result.errors] == [LETTER["period"]]
    assert "尚未结束" in str(result.errors[0])


def test_a_hostile_file_is_refused_before_it_is_read_and_nothing_is_written(engine, office):
    from tests.hostile_catalogue import CASES

    build, words = CASES["zip bomb (ratio)"]
    data, name = build()
    with pytest.raises(IndicatorFormFileError, match=words), write_session(engine) as s:
        indicator_cycle.apply_indicator_form(
            s, actor=office["unit"], data=data, filename=name, today=TODAY, settings=SETTINGS
        )
    assert stored(engine) == {}


def test_the_office_s_due_days_move_what_is_owed_and_when(engine, office):
    """The due days are the indicators' own policy: when the office gives quarters 45 days,
    the third quarter's values are due on 14 November, not 30 October."""
    with read_session(engine) as s:
        before = indicator_cycle.owed_values(s, today=TODAY)
    q3 = [o for o in before if o.code == "CX02" and o.period == date(2026, 7, 1)]
    assert [o.due_on for o in q3] == [date(2026, 10, 30)]
    with write_session(engine) as s:
        indicators.set_thresholds(
            s,
            actor=office["admin"],
            values={"quarterly_due_days": 45},
            seen_version=indicators.thresholds_version(s),
        )
    with read_session(engine) as s:
        after = indicator_cycle.owed_values(s, today=TODAY)
    q3 = [o for o in after if o.code == "CX02" and o.period == date(2026, 7, 1)]
    assert [o.due_on for o in q3] == [date(2026, 11, 14)]
