"""Property tests of the header parser: however an office decorates a header it knows,
the field is the same; and no header text makes it fail."""

from hypothesis import given
from hypothesis import strategies as st

from tracker.excel.headers import _SYNONYMS, Field, classify_header

PLAIN_FIELDS = [
    (name, synonym)
    for name, synonyms in _SYNONYMS.items()
    if name is not Field.MILESTONES_TEXT
    for synonym in synonyms
]
decorations = st.tuples(
    st.sampled_from(["", " ", "\u3000", "*", "★"]),  # leading marks offices use
    st.sampled_from(["", "（万元）", "(万元)", "（亿元）", "【必填】", "(单位：万元)", "：", " "]),
)


@given(pair=st.sampled_from(PLAIN_FIELDS), decoration=decorations)
def test_a_known_header_keeps_its_field_however_it_is_decorated(pair, decoration):
    name, synonym = pair
    lead, tail = decoration
    match = classify_header(f"{lead}{synonym}{tail}")
    assert match is not None and match.field is name


@given(
    year=st.integers(1990, 2099),
    form=st.sampled_from(["{y}年计划投资", "{y}年度计划投资", "计划投资{y}年", "{y}年投资计划"]),
    unit=st.sampled_from(["", "（万元）", "(亿元)"]),
)
def test_an_annual_plan_header_gives_its_year(year, form, unit):
    match = classify_header(form.format(y=year) + unit)
    assert match is not None and match.field is Field.ANNUAL_PLAN and match.number == year


CN = {
    1: "一",
    2: "二",
    3: "三",
    4: "四",
    5: "五",
    6: "六",
    7: "七",
    8: "八",
    9: "九",
    10: "十",
    11: "十一",
    12: "十二",
}


@given(
    n=st.integers(1, 12),
    chinese=st.booleans(),
    suffix=st.sampled_from(["计划时间", "时间", "完成时间", "计划完成时间", "日期"]),
)
def test_a_milestone_date_header_gives_its_number(n, chinese, suffix):
    number = CN[n] if chinese else str(n)
    match = classify_header(f"节点{number}{suffix}")
    assert match is not None and match.field is Field.MILESTONE_DATE and match.number == n


@given(text=st.text(max_size=40))
def test_no_header_text_makes_the_parser_fail(text):
    match = classify_header(text)
    assert match is None or isinstance(match.field, Field)
