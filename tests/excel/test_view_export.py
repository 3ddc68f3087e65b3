import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tracker.excel.view_export import table_workbook


@pytest.mark.parametrize(
    "text", ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")']
)
def test_user_text_that_looks_like_a_formula_stays_text(text):
    data = table_workbook("项目", ["项目名称"], [[text]])
    ws = load_workbook(io.BytesIO(data)).active
    cell = ws["A2"]
    assert cell.value == text and cell.data_type == "s"


def test_numbers_and_dates_keep_their_types():
    data = table_workbook(
        "项目", ["总投资", "计划开工"], [[Decimal("1200.50"), date(2026, 3, 1)]], caption="截至"
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "截至"
    assert ws["A4"].value == 1200.5
    assert ws["B4"].value.date() == date(2026, 3, 1)
