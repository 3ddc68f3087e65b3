"""The report page's use cases (services.reports.page), run the way the page runs them:
through the unit of work, with plain results and refusals in the reader's language."""

from __future__ import annotations

import pytest

from tests.factories import actor_of, make_user
from tests.services.test_report_upload import (
    APRIL,
    SETTINGS,
    TODAY,
    fill,
    filled_ok,
    reported,
    setup,
)
from tracker.db import write_session
from tracker.excel.report_form import FormFileError
from tracker.services import unit
from tracker.services.errors import PermissionDenied
from tracker.services.reports import page
from tracker.services.reports.page import FormRefused, PeriodInfo, ReportPage


def test_the_page_is_read_in_one_plain_result(engine):
    lead, _, codes, _ = setup(engine)
    shown = unit.read(
        engine, page.report_page, actor=lead, month=None, today=TODAY, settings=SETTINGS
    )
    assert isinstance(shown, ReportPage) and shown.chosen == APRIL
    assert all(isinstance(p, PeriodInfo) for p in shown.periods)
    assert [line.code for line in shown.screen.lines] == codes
    assert shown.screen.editable and shown.screen.period.status == "open"


def test_an_account_that_does_not_report_is_refused_in_its_language(engine):
    setup(engine)
    with write_session(engine) as s:
        viewer = actor_of(make_user(s, "viewer"))
    with pytest.raises(PermissionDenied) as refused:
        unit.read(
            engine, page.report_screen, actor=viewer, period=APRIL, today=TODAY, settings=SETTINGS
        )
    assert refused.value.render("en") == "You may not enter monthly reports"


def test_a_refused_form_writes_nothing_and_says_every_row(engine):
    lead, _, _, _ = setup(engine)
    data = unit.read(
        engine, page.form_bytes, actor=lead, period=APRIL, today=TODAY, settings=SETTINGS
    )
    bad = filled_ok(2) | {"completed_ytd": 999}
    upload = fill(data, {0: filled_ok(0), 1: filled_ok(1), 2: bad})
    with pytest.raises(FormRefused) as refused:
        unit.write(
            engine, page.upload_form, actor=lead, data=upload, today=TODAY, settings=SETTINGS
        )
    assert refused.value.result.saved == 0 and len(refused.value.result.errors) == 1
    assert "investment this year to date should be" in refused.value.result.errors[
        0
    ].message.render("en")
    assert reported(engine) == []
    good = fill(data, {0: filled_ok(0), 1: filled_ok(1)})
    done = unit.write(
        engine, page.upload_form, actor=lead, data=good, today=TODAY, settings=SETTINGS
    )
    assert done.saved == 2 and len(reported(engine)) == 2


def test_an_empty_or_broken_upload_is_refused_by_the_form_s_guard(engine):
    lead, _, _, _ = setup(engine)
    with pytest.raises(FormFileError):
        unit.write(engine, page.upload_form, actor=lead, data=b"", today=TODAY, settings=SETTINGS)
    assert reported(engine) == []
