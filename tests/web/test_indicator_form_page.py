"""#16 over HTTP (no browser): the indicator values form on /indicator-entry — a unit
downloads its form, fills it in with Excel (openpyxl here) and uploads it back; every row
error is shown with its sheet, row and column and nothing is written; a viewer and a hostile
file are refused."""

from __future__ import annotations

import base64
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge
from tests.web.signin import sign_in
from tests.web.test_authorization_matrix import snapshot, upload_url
from tracker.config import load_settings
from tracker.db import read_session
from tracker.domain.periods import SHANGHAI
from tracker.excel.indicator_form import FIRST_ROW, LETTER, SHEET
from tracker.models import Indicator, IndicatorValue, User
from tracker.web.app import create_app
from tracker.web.views.indicator_entry import EntryIds

UNIT = "市科技局"


class Browser:
    """One signed-in user's client, calling the page's callbacks as the browser would."""

    def __init__(self, engine, username: str) -> None:
        self.app = create_app(load_settings(env={}), engine, today=lambda: DEMO_AS_OF)
        self.client = self.app.server.test_client()
        with read_session(engine) as s:
            user = s.exec(select(User).where(User.username == username)).one()
        sign_in(self.client, engine, user)
        self.client.get("/login")

    def call(self, name: str, values: dict) -> dict:
        body = forge(self.app, name, values)
        response = self.client.post("/_dash-update-component", json=body)
        assert response.status_code in (200, 204), response.get_data(as_text=True)[:300]
        if response.status_code == 204:
            return {}
        return json.loads(response.get_data(as_text=True))["response"]

    def download(self, lead_unit: str | None = None) -> tuple[str, bytes, dict]:
        answer = self.call(
            "download_indicator_form",
            {f"{EntryIds.FORM_DOWNLOAD}.n_clicks": 1, f"{EntryIds.FORM_UNIT}.value": lead_unit},
        )
        sent = answer.get(EntryIds.FORM_FILE, {}).get("data")
        if not sent:
            return "", b"", answer
        return sent["filename"], base64.b64decode(sent["content"]), answer

    def upload(self, data: bytes, *, draft: bool = False, name: str = "指标数据填报表.xlsx"):
        return self.call(
            "upload_indicator_form",
            {
                f"{EntryIds.UPLOAD}.contents": upload_url(data),
                f"{EntryIds.UPLOAD}.filename": name,
                f"{EntryIds.UPLOAD_DRAFT}.checked": draft,
            },
        )


def _lines(data: bytes) -> list[dict]:
    """The form's rows as a reader sees them (with their row number)."""
    sheet = load_workbook(io.BytesIO(data))[SHEET]
    out = []
    for r in range(FIRST_ROW, sheet.max_row + 1):
        line = {key: sheet[f"{letter}{r}"].value for key, letter in LETTER.items()}
        if line["code"]:
            out.append({**line, "row": r})
    return out


def _fill(data: bytes, edits: dict[tuple[int, str], object]) -> bytes:
    """Type into the form: (row, column key) -> value."""
    book = load_workbook(io.BytesIO(data))
    for (row, key), value in edits.items():
        book[SHEET][f"{LETTER[key]}{row}"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _open_lines(data: bytes) -> list[dict]:
    """Rows the unit still owes: no value stored yet (未填报)."""
    return [line for line in _lines(data) if line["status"] == "未填报" and line["value"] is None]


def _stored(engine, code: str, period: date) -> IndicatorValue | None:
    with read_session(engine) as s:
        return s.exec(
            select(IndicatorValue)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(Indicator.code == code, IndicatorValue.period == period)
        ).first()


def _period(key: object) -> date:
    """A form's 统计期 (2025 | 2025Q3 | 2025-07) as the period's first day."""
    text = str(key)
    if "Q" in text:
        year, quarter = text.split("Q")
        return date(int(year), 3 * int(quarter) - 2, 1)
    if "-" in text:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    return date(int(text), 1, 1)


def _text(node) -> str:
    return json.dumps(node, ensure_ascii=False)


def test_a_unit_downloads_its_form_fills_a_value_and_uploads_it_back(demo_engine):
    unit = Browser(demo_engine, "kejiju")
    name, data, _answer = unit.download()
    assert name.endswith(".xlsx") and UNIT in name and "20261128" in name
    with read_session(demo_engine) as s:
        own = {i.code for i in s.exec(select(Indicator).where(Indicator.lead_unit == UNIT))}
    lines = _lines(data)
    assert lines and {line["code"] for line in lines} <= own  # only its own indicators
    line = _open_lines(data)[0]
    filled = _fill(data, {(line["row"], "value"): 12.5, (line["row"], "source"): "市统计局年鉴"})
    answer = unit.upload(filled)
    result = _text(answer[EntryIds.UPLOAD_RESULT])
    # the drafts and returned values prefilled in the form are sent with it
    waiting = [x for x in lines if x["status"] in ("草稿", "已退回") and x["value"] is not None]
    assert EntryIds.UPLOAD_OK in result and f"已报送 {1 + len(waiting)} 条指标数据" in result
    period = _period(line["period"])
    stored = _stored(demo_engine, line["code"], period)
    assert stored is not None
    assert (stored.status, stored.value, stored.source) == ("submitted", 12.5, "市统计局年鉴")
    # stamped on the day the app runs on (the demo's pinned day), not the machine's clock
    assert stored.submitted_at.astimezone(SHANGHAI).date() == DEMO_AS_OF
    # the grid is drawn again: the line now waits for the office's review
    grid = answer[EntryIds.GRID]["rowData"]
    sent = [r for r in grid if r["code"] == line["code"] and r["period"] == period.isoformat()]
    assert sent and sent[0]["status"] == "待审核" and not sent[0]["editable"]
    assert answer[EntryIds.UPLOAD_BOX]["children"]["props"]["id"] == EntryIds.UPLOAD  # fresh box


def test_a_form_saved_as_drafts_is_not_sent(demo_engine):
    unit = Browser(demo_engine, "kejiju")
    _name, data, _answer = unit.download()
    line = _open_lines(data)[0]
    answer = unit.upload(_fill(data, {(line["row"], "value"): 3}), draft=True)
    assert "条草稿" in _text(answer[EntryIds.UPLOAD_RESULT])
    stored = _stored(demo_engine, line["code"], _period(line["period"]))
    assert stored is not None and stored.status == "draft" and stored.submitted_at is None


def test_a_bad_row_is_shown_with_sheet_row_and_column_and_nothing_is_written(demo_engine):
    unit = Browser(demo_engine, "kejiju")
    _name, data, _answer = unit.download()
    good, bad = _open_lines(data)[:2]
    filled = _fill(data, {(good["row"], "value"): 7, (bad["row"], "value"): "约五成"})
    before = snapshot(demo_engine)
    answer = unit.upload(filled)
    assert snapshot(demo_engine) == before  # all or nothing: the good row is not written
    shown = answer[EntryIds.UPLOAD_RESULT]
    text = _text(shown)
    assert EntryIds.UPLOAD_ERRORS in text and EntryIds.UPLOAD_OK not in text
    assert "填报表有 1 处错误，未写入任何数据" in text
    cells = [c["props"]["children"] for c in _cells(shown)]
    assert cells[:3] == [SHEET, str(bad["row"]), f"{LETTER['value']} 本期值"]
    assert cells[3]  # the reason
    assert EntryIds.GRID not in answer  # nothing changed: the grid is left as it is


def _cells(node) -> list[dict]:
    """The error table's body cells, in order."""
    found: list[dict] = []
    if isinstance(node, dict):
        if node.get("type") == "Td":
            found.append(node)
        for value in node.values():
            found += _cells(value)
    elif isinstance(node, list):
        for value in node:
            found += _cells(value)
    return found


def test_the_office_downloads_one_unit_s_form_or_every_unit_s(demo_engine):
    office = Browser(demo_engine, "admin")
    name, one, _answer = office.download("市林草局")
    with read_session(demo_engine) as s:
        forest = {
            i.code for i in s.exec(select(Indicator).where(Indicator.lead_unit == "市林草局"))
        }
    codes = {line["code"] for line in _lines(one)}
    assert "市林草局" in name and codes and codes <= forest
    name, every, _answer = office.download()
    assert "全部" in name and codes < {line["code"] for line in _lines(every)}


def test_a_viewer_is_refused_both_and_nothing_is_written(demo_engine):
    _name, data, _answer = Browser(demo_engine, "kejiju").download()
    line = _open_lines(data)[0]
    filled = _fill(data, {(line["row"], "value"): 5})
    viewer = Browser(demo_engine, "leader")
    name, content, answer = viewer.download()
    assert (name, content) == ("", b"") and "权限" in _text(answer)
    before = snapshot(demo_engine)
    answer = viewer.upload(filled)
    assert snapshot(demo_engine) == before
    assert "权限" in _text(answer[EntryIds.UPLOAD_RESULT]) and EntryIds.GRID not in answer


@pytest.mark.parametrize(
    "case", ["zip bomb (ratio)", "CSV renamed .xlsx", "macros (vbaProject.bin)", "empty upload"]
)
def test_a_hostile_file_is_refused_with_its_reason_and_nothing_is_written(demo_engine, case):
    from tests.hostile_catalogue import CASES

    build, words = CASES[case]
    data, filename = build()
    unit = Browser(demo_engine, "kejiju")
    before = snapshot(demo_engine)
    answer = unit.upload(data, name=filename)
    assert snapshot(demo_engine) == before
    shown = _text(answer.get(EntryIds.UPLOAD_RESULT, {}))
    assert words in shown, shown[:400]
    assert EntryIds.GRID not in answer


def test_a_value_sent_on_the_page_is_stamped_on_the_app_s_day(demo_engine):
    """The grid's save goes through the same rule as the form (the office's pinned day)."""
    unit = Browser(demo_engine, "kejiju")
    _name, data, _answer = unit.download()
    line = _open_lines(data)[0]
    period = _period(line["period"])
    with read_session(demo_engine) as s:
        indicator = s.exec(select(Indicator).where(Indicator.code == line["code"])).first()
    row = {
        "indicator_id": indicator.id,
        "code": line["code"],
        "period": period.isoformat(),
        "period_label": str(line["period"]),
        "value": "9",
        "source": "年鉴",
        "note": "",
        "version": None,
        "editable": True,
        "orig": {"value": "", "source": "", "note": ""},
    }
    answer = unit.call(
        "save_indicator_entries",
        {f"{EntryIds.SAVE}.n_clicks": 1, f"{EntryIds.GRID}.rowData": [row]},
    )
    assert "已报送 1 条" in _text(answer)
    stored = _stored(demo_engine, line["code"], period)
    assert stored.submitted_at.astimezone(SHANGHAI).date() == DEMO_AS_OF
