"""Property tests of the header parser: however an office decorates a header it knows,
the field is the same; and no header text makes it fail."""

from hypothesis import given
from hypothesis import strategies as st

from tracker.excel.headers import Field, classify_header

# Every wording the importer knew as an exact list before it matched by meaning: each must
# still name the same field (项目业主/业主单位/实施单位/责任主体 now name 实施主体, and
# 联系人电话 the combined contact, which a column of phone numbers alone also fills).
WORDINGS: dict[Field, tuple[str, ...]] = {
    Field.SEQ: ("序号", "排序", "序"),
    Field.CODE: (
        *("项目编号", "编号", "项目代码", "项目编码", "代码", "项目统一代码"),
        *("统一项目代码", "项目赋码", "投资项目代码", "项目id"),
    ),
    Field.NAME: ("项目名称", "项目", "名称", "项目名", "重大项目名称", "重大项目"),
    Field.AREA: ("所属领域", "领域", "重点领域", "领域名称", "所属重点领域"),
    Field.MEASURE: (
        *("工作举措", "举措", "所属举措", "重点举措", "主要举措", "工作措施"),
        *("所属工作举措", "举措名称", "重点工作举措"),
    ),
    Field.COUNTY: (
        *("建设地点", "所在县区", "县区", "县", "实施地点", "所属县区", "所在县"),
        *("所在地", "项目地点", "建设地址", "地点", "县市区", "所属地区", "项目所在地"),
        *("所属县", "属地", "县(区)", "所在县(区)", "所在县市区", "建设地址县区"),
    ),
    Field.NATURE: ("建设性质", "项目性质", "性质", "项目类型"),
    Field.LEAD_UNIT: ("牵头单位", "牵头部门", "市级牵头单位", "牵头", "牵头责任单位"),
    Field.RESPONSIBLE_UNITS: (
        *("责任单位", "配合单位", "责任部门", "配合部门", "协同单位", "参与单位"),
        *("责任主体", "实施单位", "项目业主", "业主单位"),
    ),
    Field.CONTACT_PERSON: ("责任人", "联系人", "负责人", "项目负责人", "具体责任人"),
    Field.CONTACT_PHONE: ("联系电话", "电话", "联系方式", "手机", "手机号码", "联系人电话"),
    Field.SCOPE: (
        *("建设内容", "建设内容及规模", "建设规模及内容", "主要建设内容", "建设规模"),
        *("建设内容和规模", "主要建设内容及规模", "项目建设内容", "建设规模和内容"),
    ),
    Field.TOTAL_INVESTMENT: (
        *("计划总投资", "总投资", "项目总投资", "估算总投资", "总投资额"),
        *("计划总投资额", "投资总额", "项目投资"),
    ),
    Field.PLANNED_START: (
        *("计划开工时间", "开工时间", "开工日期", "计划开工日期", "开工年月"),
        *("计划开工", "开工", "开工年份", "计划开工年月"),
    ),
    Field.PLANNED_FINISH: (
        *("计划完工时间", "竣工时间", "完工时间", "计划竣工时间", "完工日期", "竣工日期"),
        *("计划完工", "计划竣工", "完工", "竣工", "计划完成时间", "完工年月", "竣工年月"),
        *("计划完工日期", "计划竣工日期", "建成时间", "计划建成时间"),
    ),
    Field.PERIOD: (
        *("建设年限", "建设期限", "建设起止年限", "起止年限", "建设周期", "建设起止时间"),
        *("起止时间", "建设期", "实施期限", "实施年限", "建设起止年月", "起止年月"),
    ),
    Field.MILESTONES_TEXT: (
        *("节点", "主要节点", "关键节点", "重要节点", "节点安排", "进度安排", "里程碑"),
        *("节点及时间", "主要节点及时间", "关键节点及时间", "时间节点", "主要时间节点"),
        *("节点计划", "工作节点", "主要节点安排", "关键节点安排", "节点目标", "进度计划"),
        *("形象进度节点", "主要里程碑", "关键时间节点", "节点任务"),
    ),
    Field.REMARK: ("备注", "说明", "备注说明"),
}

WORDINGS[Field.RESPONSIBLE_UNITS] = tuple(
    w
    for w in WORDINGS[Field.RESPONSIBLE_UNITS]
    if w not in {"项目业主", "业主单位", "实施单位", "责任主体"}
)
WORDINGS[Field.IMPLEMENTER] = ("项目业主", "业主单位", "实施单位", "责任主体")
WORDINGS[Field.CONTACT_PHONE] = tuple(w for w in WORDINGS[Field.CONTACT_PHONE] if w != "联系人电话")
WORDINGS[Field.CONTACT] = ("联系人电话",)

PLAIN_FIELDS = [
    (name, synonym)
    for name, synonyms in WORDINGS.items()
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


# --- wordings nobody wrote down: a field's key term with anything neutral around it -----------

KEY_TERMS: dict[Field, tuple[str, ...]] = {
    Field.COUNTY: (
        "建设地点",
        "所在地",
        "属地",
        "县区",
        "区县",
        "县市区",
        "所属县",
        "乡镇",
        "位置",
    ),
    Field.AREA: ("领域",),
    Field.MEASURE: ("举措", "措施"),
    Field.LEAD_UNIT: ("牵头单位", "牵头部门", "主管部门"),
    Field.RESPONSIBLE_UNITS: ("责任单位", "配合单位", "协同部门", "协助单位"),
    Field.IMPLEMENTER: ("业主", "实施主体", "建设单位", "项目法人"),
    Field.CITY_LEADER: ("领导",),
    Field.CONTACT_PERSON: ("责任人", "联系人", "负责人", "经办人"),
    Field.CONTACT_PHONE: ("电话", "手机", "联系方式"),
    Field.SCOPE: ("建设内容", "建设规模"),
    Field.TOTAL_INVESTMENT: ("总投资", "投资总额", "估算投资", "概算投资"),
    Field.PLANNED_START: ("开工时间", "开工日期", "开工年月"),
    Field.PLANNED_FINISH: ("竣工时间", "完工日期", "建成年月"),
    Field.ACTUAL_START: ("实际开工时间",),
    Field.PERIOD: ("建设年限", "起止年限", "建设周期"),
    Field.MILESTONES_TEXT: ("工作目标", "目标任务", "进度安排", "推进计划", "时间节点"),
    Field.REMARK: ("备注",),
    Field.CODE: ("项目编号", "项目代码", "项目编码"),
}
# Characters no rule looks for, and decorations offices add around headings.
FILLER = st.text(alphabet="甲乙丙丁戊己庚辛壬癸", max_size=3)
LEAD = st.sampled_from(["", " ", "\u3000", "*", "★", "※"])
TAIL = st.sampled_from(["", "（万元）", "(亿元)", "【必填】", "(单位：万元)", "：", " ", "（注）"])


@given(
    pair=st.sampled_from([(f, term) for f, terms in KEY_TERMS.items() for term in terms]),
    before=FILLER,
    after=FILLER,
    lead=LEAD,
    tail=TAIL,
)
def test_a_heading_that_keeps_a_fields_key_term_names_that_field(pair, before, after, lead, tail):
    name, term = pair
    match = classify_header(f"{lead}{before}{term}{after}{tail}")
    assert match is not None and match.field is name, (before, term, after)


@given(
    year=st.integers(2000, 2099),
    relative=st.sampled_from(["本年度", "今年", "当年", ""]),
    word=st.sampled_from(["计划投资", "投资计划", "计划完成投资", "投资目标", "计划投资额"]),
    before=FILLER,
    after=FILLER,
    tail=TAIL,
)
def test_a_plan_heading_names_its_year_or_the_lists(year, relative, word, before, after, tail):
    written = f"{before}{relative or f'{year}年'}{word}{after}{tail}"
    match = classify_header(written)
    assert match is not None and match.field is Field.ANNUAL_PLAN, written
    if relative:
        assert (match.number, match.year_offset) == (None, 0)
    else:
        assert (match.number, match.year_offset) == (year, None)


@given(
    end=st.sampled_from(["截至上年底", "至上年末", "截止去年底", "以前年度", "开工至上年底"]),
    year=st.one_of(st.none(), st.integers(2000, 2098)),
    word=st.sampled_from(["累计完成投资", "累计完成投资额", "累计已完成投资"]),
    before=FILLER,
    tail=TAIL,
)
def test_what_was_completed_before_the_year_is_recognised(end, year, word, before, tail):
    written = f"{before}{f'至{year}年底' if year else end}{word}{tail}"
    match = classify_header(written)
    assert match is not None and match.field is Field.COMPLETED_BEFORE, written
    assert (match.number, match.year_offset) == ((year, None) if year else (None, -1))


@given(
    person=st.sampled_from(["责任人", "联系人", "负责人", "经办人"]),
    phone=st.sampled_from(["联系方式", "电话", "联系电话", "手机号码"]),
    joiner=st.sampled_from(["及", "和", "/", "、", ""]),
    bracketed=st.booleans(),
)
def test_a_person_with_a_phone_is_the_combined_contact(person, phone, joiner, bracketed):
    written = f"{person}（{phone}）" if bracketed else f"{person}{joiner}{phone}"
    match = classify_header(written)
    assert match is not None and match.field is Field.CONTACT, written
