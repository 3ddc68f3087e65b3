"""Drafting a month's bulletin as the office issues it (a 公文): the plain ``Bulletin`` and
what the service gathers beside it (last year's same month, next month's milestones, the
office's edits, the settings) in, a ``Document`` out. Pure: no database, no clock.

Every figure is written with ``tracker.domain.numbers`` from the stored value, so the
paragraphs and the annex tables show the same digits (the gap of −6.27 points reads 6.3 in
both). The text is a Chinese 公文 whatever the reader's interface language.

Sections (``Section.key``, stable: the office's edits are stored by key):

* ``overall`` 一、总体情况 — figures, the gap to 序时进度, 新开工/续建/竣工, lights, reporting,
  同比 when last year's same month is known;
* ``progress`` 二、各县（区）和牵头单位进展 — the rankings "由高到低依次为…", the formula named,
  the bottom three named;
* ``problems`` 三、存在问题 — the coordination items grouped by cause (用地、资金、审批、征拆、
  要素保障、其他), the problems the red and amber projects report, and 前期手续 (#17: steps
  past the approving units' limits, the units' lights, starts at risk; 附件8–10);
* ``next_steps`` 四、下步工作 — from the open items, next month's milestones, the red and amber
  projects and the non-reporters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.domain.bulletin import Bulletin
from tracker.domain.document import Column, Document, Section, Table
from tracker.domain.duban import CAUSE_TEXT, CAUSES, LEVEL_TEXT, cause_from_text
from tracker.domain.numbers import AmountUnit, amount, percent, points, points_abs, rounded
from tracker.domain.periods import month_end

SECTION_KEYS: tuple[str, ...] = ("overall", "progress", "problems", "next_steps")
HEADINGS: dict[str, str] = {
    "overall": "一、总体情况",
    "progress": "二、各县（区）和牵头单位进展",
    "problems": "三、存在问题",
    "next_steps": "四、下步工作",
}
UNIT_LABEL: dict[str, str] = {"yi": "亿元", "wan": "万元"}
LIGHT_TEXT = {"red": "红灯", "amber": "黄灯", "green": "绿灯"}
CN_NUM = "一二三四五六七八九十"
BOTTOM = 3  # the ranking's last ones named
LISTED = 8  # items listed by name in a sentence before "等"


@dataclass(frozen=True)
class DraftSettings:
    office: str
    first_issue_no: int = 1  # the 期号 of the year's first month bulletin
    amount_unit: AmountUnit = "yi"
    distribution: tuple[tuple[str, str], ...] = ()  # (("报", "…"), ("送", "…"), ("抄送", "…"))
    signatures: tuple[tuple[str, str], ...] = ()  # (("编辑", "…"), ("审核", "…"), ("签发", "…"))


@dataclass(frozen=True)
class DraftInputs:
    bulletin: Bulletin
    issue_index: int  # 1: the year's first month bulletin
    issued_on: date  # the 定稿 day, else the data date
    rectify_by: date  # 整改时限 of a red/amber project with no dated item of its own
    last_year: Bulletin | None = None  # the same month a year before (frozen if it was)
    next_milestones: tuple[dict[str, Any], ...] = ()  # code, name, county, milestone, planned
    edits: Mapping[str, str] = field(default_factory=dict)  # section key -> the office's text
    frozen: Mapping[str, Any] | None = None  # the texts a 定稿 froze (Bulletin.texts)


def cause_of(row: Mapping[str, Any]) -> str:
    """The item's cause as the ledger records it (a key of ``domain.duban.CAUSES``); an item
    frozen before causes were recorded is placed by the words of its text, as the ledger
    places a new one."""
    given = str(row.get("cause") or "")
    if given in CAUSE_TEXT:
        return given
    return cause_from_text(str(row.get("text") or ""))


def issue_number(period: date, months_of_year: Sequence[date], first_no: int) -> int:
    """第N期: the month's place among the year's month bulletins, counted from ``first_no``
    (a merged 1–2月 is one bulletin; a month not yet listed comes after those before it)."""
    before = {m for m in months_of_year if m.year == period.year and m < period}
    return first_no + len(before)


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _yi(wan: float | None, unit: AmountUnit) -> str:
    return f"{amount(wan, unit)}{UNIT_LABEL[unit]}"


def _names(items: Sequence[str], limit: int = LISTED) -> str:
    shown = "、".join(items[:limit])
    return shown + ("等" if len(items) > limit else "")


# --- 一、总体情况 -----------------------------------------------------------------------------


def _until(b: Bulletin) -> str:
    as_of = date.fromisoformat(b.as_of)
    if as_of >= month_end(b.month):
        return f"{b.month.year}年{b.month.month}月底"
    return cn_date(as_of)


def gap_phrase(gap_pp: float | None, progress: float) -> str:
    """高于/低于序时进度（83.3%）6.3个百分点, or 与序时进度持平: the stored gap rounded once."""
    if gap_pp is None:
        return ""
    shown = rounded(gap_pp, 1)
    if shown == 0:
        return f"与序时进度（{percent(progress)}）持平"
    side = "高于" if shown > 0 else "低于"
    return f"{side}序时进度（{percent(progress)}）{points_abs(gap_pp)}个百分点"


def _stages(t: Mapping[str, Any]) -> str:
    if "new_due" not in t:
        return ""
    parts = []
    if t["new_due"]:
        parts.append(
            f"新开工{t['new_started']}个（应开工{t['new_due']}个），新开工率{percent(t['new_start_rate'])}"
        )
    if t["continuing"]:
        parts.append(
            f"续建{t['continuing']}个，复工{t['resumed']}个，复工率{percent(t['resume_rate'])}"
        )
    parts.append(f"竣工{t['completed']}个")
    if t.get("late_to_start"):
        parts.append(f"应开未开{t['late_to_start']}个")
    return "从建设阶段看，" + "，".join(parts) + "。"


def year_on_year(current: Mapping[str, Any], last: Mapping[str, Any], unit: AmountUnit) -> str:
    """同比: this year's completed investment to the month against last year's."""
    now, before = float(current["completed_ytd"]), float(last["completed_ytd"])
    base = f"上年同期累计完成投资{_yi(before, unit)}"
    if before <= 0:
        return f"同比：{base}。"
    change = (now - before) / before
    word = "增长" if rounded(change * 100, 1) >= 0 else "下降"
    return (
        f"同比：{base}，本年{word}{percent(abs(change))}"
        f"（{'增加' if now >= before else '减少'}{_yi(abs(now - before), unit)}）。"
    )


def overall_text(b: Bulletin, last_year: Bulletin | None, unit: AmountUnit) -> str:
    t = b.totals
    if t["rate"] is None:
        against = "本年度暂无计划投资"
    else:
        against = (
            f"占年度计划{_yi(t['annual_plan'], unit)}的{percent(t['rate'])}，"
            f"{gap_phrase(t['gap_pp'], b.time_progress)}"
        )
    first = (
        f"截至{_until(b)}，{t['projects']}个重大项目年度累计完成投资{_yi(t['completed_ytd'], unit)}，"
        f"{against}；本月完成投资{_yi(t.get('completed_month', 0.0), unit)}，"
        f"开工以来累计完成投资{_yi(t['completed_total'], unit)}。"
    )
    if last_year is not None:
        first += year_on_year(t, last_year.totals, unit)
    second = _stages(t) + (
        f"从灯色看，红灯项目{t['red']}个、黄灯项目{t['amber']}个、绿灯项目{t['green']}个。"
    )
    missing = t["expected"] - t["reported"]
    third = (
        f"本月应报送月度调度表{t['expected']}个项目，已报送{t['reported']}个"
        f"（按时{t['reported_on_time']}个），未报送{missing}个。"
    )
    return "\n".join((first, second, third))


# --- 二、各县（区）和牵头单位进展 ---------------------------------------------------------


def _score(value: float | None) -> str:
    return "—" if value is None else f"{rounded(value, 2)}分"


def _formula_named(formula: str) -> str:
    return formula.split("。", 1)[0]


def ranking_sentence(who: str, ranking: Mapping[str, Any] | None, key: str) -> str:
    rows = list((ranking or {}).get("rows") or [])
    if not rows:
        return f"本月无可排名的{who}。"
    ordered = "、".join(f"{r[key]}（{_score(r['score'])}）" for r in rows)
    text = f"各{who}综合得分由高到低依次为：{ordered}。"
    if len(rows) > BOTTOM:
        bottom = [r[key] for r in rows[-BOTTOM:]]
        text += f"{'、'.join(bottom)}排名后{CN_NUM[BOTTOM - 1]}位，请加大推进力度。"
    return text


def _rates_sentence(rows: Sequence[Mapping[str, Any]]) -> str:
    rated = [r for r in rows if r.get("rate") is not None and r.get("annual_plan")]
    if len(rated) < 2:
        return ""
    best = max(rated, key=lambda r: r["rate"])
    worst = min(rated, key=lambda r: r["rate"])
    return (
        f"投资完成率最高的是{best['key']}（{percent(best['rate'])}），"
        f"最低的是{worst['key']}（{percent(worst['rate'])}）。"
    )


def progress_text(b: Bulletin) -> str:
    formula = _formula_named(b.ranking.get("formula", ""))
    counties = [r for r in b.by_county if r["key"] in {x["county"] for x in b.ranking["rows"]}]
    lines = [
        f"按照{formula}（各项均按本年度计，详见附件2）计算：",
        ranking_sentence("县（区）", b.ranking, "county") + _rates_sentence(counties),
        ranking_sentence("牵头单位", b.ranking_units, "unit") + _rates_sentence(b.by_lead_unit),
    ]
    return "\n".join(lines)


# --- 三、存在问题 ---------------------------------------------------------------------------


def grouped_by_cause(items: Sequence[Mapping[str, Any]]) -> list[tuple[str, list]]:
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for item in items:
        groups[cause_of(item)].append(item)
    return [(CAUSE_TEXT[cause], groups[cause]) for cause in CAUSES if groups.get(cause)]


def problems_text(b: Bulletin) -> str:
    lines: list[str] = []
    groups = grouped_by_cause(b.coordination)
    if groups:
        causes = "、".join(f"{cause}（{len(items)}项）" for cause, items in groups)
        lines.append(f"本月提请协调解决的事项{len(b.coordination)}项，主要集中在{causes}等方面：")
        for n, (cause, items) in enumerate(groups):
            listed = "；".join(f"{i['name']}（{i['county']}）{i['text']}" for i in items[:LISTED])
            more = f"等{len(items)}项" if len(items) > LISTED else ""
            lines.append(f"（{CN_NUM[n]}）{cause}方面。{listed}{more}。")
    else:
        lines.append("本月无提请协调解决的事项。")
    reported = Counter(p for r in b.red_amber for p in dict.fromkeys(r.get("problems") or []))
    if reported:
        top = "；".join(f"{p}（{n}个项目）" for p, n in reported.most_common(5))
        lines.append(f"红灯、黄灯项目{len(b.red_amber)}个，反映的主要问题有：{top}。")
    if b.overdue_milestones:
        lines.append(
            f"逾期未完成节点{len(b.overdue_milestones)}个，其中逾期30天以上"
            f"{sum(1 for m in b.overdue_milestones if m['days'] >= 30)}个。"
        )
    lines.extend(approvals_text(b))
    return "\n".join(lines)


def approvals_text(b: Bulletin) -> list[str]:
    """The 前期手续 paragraph of 三、存在问题 (#17): steps past the approving units' limits by
    unit, the units' lights, the projects whose start the approvals now put at risk."""
    data = b.approvals or {}
    units = data.get("units") or []
    if not units:
        return []
    open_steps = sum(u["in_progress"] + u["overdue"] for u in units)
    late_units = [u for u in units if u["overdue"]]
    parts = [f"前期手续方面。全市重大项目在办前期手续{open_steps}项"]
    if late_units:
        named = "、".join(f"{u['unit']}（{u['overdue']}项）" for u in late_units[:LISTED])
        parts.append(f"，超过审批部门承诺时限{sum(u['overdue'] for u in units)}项，涉及{named}")
        lights = [
            f"{'、'.join(u['unit'] for u in units if u['light'] == light)}亮{LIGHT_TEXT[light]}"
            for light in ("red", "amber")
            if any(u["light"] == light for u in units)
        ]
        parts.append("；" + "，".join(lights) if lights else "")
    else:
        parts.append("，均在审批部门承诺时限内")
    risks = data.get("at_risk") or []
    if risks:
        listed = "；".join(
            f"{r['name']}（{r['county']}）“{r['step']}”超过保开工最迟日期{r['days']}个工作日"
            for r in risks[:LISTED]
        )
        more = f"等{len(risks)}个项目" if len(risks) > LISTED else ""
        parts.append(f"。{len(risks)}个项目前期手续滞后已影响按期开工：{listed}{more}")
    parts.append("（详见附件8至附件10）。")
    return ["".join(parts)]


# --- 四、下步工作 ---------------------------------------------------------------------------


def next_steps_text(b: Bulletin, next_milestones: Sequence[Mapping[str, Any]]) -> str:
    parts: list[str] = []
    if b.coordination:
        owners = Counter(i.get("owner") or "" for i in b.coordination)
        named = _names([o for o, _ in owners.most_common() if o])
        parts.append(
            f"加快协调事项办理。对本月提请协调的{len(b.coordination)}项事项，"
            f"请{named or '各责任单位'}在办理时限内办结并报送办理情况，逾期未办结的按程序升级督办。"
        )
    if next_milestones:
        listed = _names(
            [
                f"{m['name']}“{m['milestone']}”（{m['planned'][5:7].lstrip('0')}月"
                f"{m['planned'][8:10].lstrip('0')}日）"
                for m in next_milestones
            ],
            6,
        )
        parts.append(
            f"抓好下月节点。下月计划完成节点{len(next_milestones)}个，重点是{listed}，"
            "请各县（区）、各牵头单位倒排工期，确保按期完成。"
        )
    if b.red_amber:
        parts.append(
            f"推动红灯、黄灯项目整改。{len(b.red_amber)}个红灯、黄灯项目（附件4）请责任单位"
            "逐项制定整改措施，在整改时限内转为绿灯。"
        )
    if b.not_reported:
        parts.append(
            f"按时报送调度数据。本月未报送的{len(b.not_reported)}个项目（附件6）请于下月"
            "截止日前一并补报，确保数据真实准确。"
        )
    if not parts:
        parts.append("持续抓好项目调度，确保各项节点按期完成。")
    ordinal = ("一是", "二是", "三是", "四是", "五是")
    return "\n".join(f"{ordinal[i]}{p}" for i, p in enumerate(parts))


# --- annexes ----------------------------------------------------------------------------


def _figure_table(
    title: str, who: str, rows: Sequence[Mapping[str, Any]], total: Mapping[str, Any], unit
) -> Table:
    u = UNIT_LABEL[unit]
    columns = (
        Column(who, 16),
        Column("项目数", 5, "right"),
        Column(f"年度计划（{u}）", 9, "right"),
        Column(f"累计完成（{u}）", 9, "right"),
        Column("完成率", 7, "right"),
        Column("较序时（百分点）", 8, "right"),
        Column("红/黄灯", 6, "center"),
    )

    def row(r: Mapping[str, Any]) -> tuple[str, ...]:
        return (
            str(r["key"]),
            str(r["projects"]),
            amount(r["annual_plan"], unit),
            amount(r["completed_ytd"], unit),
            percent(r["rate"]),
            points(r["gap_pp"]),
            f"{r['red']}/{r['amber']}",
        )

    return Table(title, columns, (*map(row, rows), row({**total, "key": "合计"})))


def _ranking_table(title: str, who: str, key: str, ranking: Mapping[str, Any], rows, unit) -> Table:
    figures = {r["key"]: r for r in rows}
    u = UNIT_LABEL[unit]
    columns = (
        Column("排名", 4, "center"),
        Column(who, 14),
        Column(f"累计完成（{u}）", 9, "right"),
        Column("投资完成率", 7, "right"),
        Column("节点按时率", 7, "right"),
        Column("按时报送率", 7, "right"),
        Column("综合得分", 6, "right"),
    )
    body = tuple(
        (
            str(r["rank"]),
            str(r[key]),
            amount(figures.get(r[key], {}).get("completed_ytd"), unit),
            percent(r["investment_rate"]),
            percent(r["milestone_rate"]),
            percent(r["reporting_rate"]),
            "—" if r["score"] is None else f"{rounded(r['score'], 2)}",
        )
        for r in ranking.get("rows", [])
    )
    return Table(title, columns, body, note="注：" + ranking.get("formula", ""))


def _deadlines(b: Bulletin) -> dict[str, str]:
    """A project's 整改时限: its open coordination items' earliest 办理时限."""
    out: dict[str, str] = {}
    for item in b.coordination:
        due = item.get("due_date")
        if due and (item["code"] not in out or due < out[item["code"]]):
            out[item["code"]] = due
    return out


def _responsible(r: Mapping[str, Any]) -> str:
    return "、".join(x for x in (r.get("lead_unit"), r.get("county")) if x)


def _red_amber_table(b: Bulletin, rectify_by: date) -> Table:
    deadlines = _deadlines(b)
    columns = (
        Column("序号", 3, "center"),
        Column("项目名称", 14),
        Column("责任单位", 10),
        Column("灯色", 3, "center"),
        Column("原因及存在问题", 22),
        Column("整改时限", 7, "center"),
    )
    rows = tuple(
        (
            str(n),
            r["name"],
            _responsible(r),
            LIGHT_TEXT.get(r["light"], r["light"]),
            "；".join([*r["reasons"], *(r.get("problems") or [])]),
            cn_date(date.fromisoformat(deadlines.get(r["code"], rectify_by.isoformat()))),
        )
        for n, r in enumerate(b.red_amber, start=1)
    )
    return Table(
        "附件4：红灯、黄灯项目及整改要求",
        columns,
        rows,
        note="注：责任单位为牵头单位、所在县（区）；整改时限为项目协调事项的办理时限，"
        "无协调事项的为下月调度截止日。",
    )


def _simple_tables(b: Bulletin) -> tuple[Table, ...]:
    overdue = Table(
        "附件5：逾期未完成节点",
        (
            Column("序号", 3, "center"),
            Column("项目名称", 14),
            Column("责任单位", 10),
            Column("节点", 10),
            Column("计划完成", 7, "center"),
            Column("逾期天数", 5, "right"),
        ),
        tuple(
            (str(n), m["name"], _responsible(m), m["milestone"], m["planned"], str(m["days"]))
            for n, m in enumerate(b.overdue_milestones, start=1)
        ),
    )
    missing = Table(
        "附件6：未报送月度调度表的项目",
        (
            Column("序号", 3, "center"),
            Column("项目名称", 18),
            Column("责任单位", 14),
            Column("连续未报（月）", 6, "right"),
        ),
        tuple(
            (str(n), r["name"], _responsible(r), str(r["months"]))
            for n, r in enumerate(b.not_reported, start=1)
        ),
    )
    coordination = Table(
        "附件7：提请协调解决的事项",
        (
            Column("序号", 3, "center"),
            Column("项目名称", 12),
            Column("事项", 18),
            Column("类别", 4, "center"),
            Column("责任单位", 9),
            Column("督办", 6, "center"),
            Column("办理时限", 7, "center"),
        ),
        tuple(
            (
                str(n),
                f"{i['name']}（{i['county']}）",
                i["text"],
                CAUSE_TEXT[cause_of(i)],
                i.get("owner") or "待明确",
                LEVEL_TEXT.get(i.get("level") or "", i.get("level") or ""),
                i.get("due_date") or "—",
            )
            for n, i in enumerate(b.coordination, start=1)
        ),
    )
    return overdue, missing, coordination


def _day(iso: str) -> str:
    return cn_date(date.fromisoformat(iso))


def _approval_tables(b: Bulletin) -> tuple[Table, ...]:
    """附件8–10 (#17): the approving units, the steps past their limits, the starts at risk;
    none for a bulletin frozen before #17."""
    data = b.approvals or {}
    if not data.get("units"):
        return ()

    def days(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"

    units = Table(
        "附件8：各审批部门前期手续办理情况",
        (
            Column("序号", 3, "center"),
            Column("审批部门", 12),
            Column("手续数", 4, "right"),
            Column("已办结", 4, "right"),
            Column("办理中", 4, "right"),
            Column("超时", 4, "right"),
            Column("平均用时（工作日）", 7, "right"),
            Column("承诺时限（工作日）", 7, "right"),
            Column("灯色", 3, "center"),
        ),
        tuple(
            (
                str(n),
                u["unit"],
                str(u["steps"]),
                str(u["done"]),
                str(u["in_progress"]),
                str(u["overdue"]),
                days(u["average_days"]),
                days(u["limit_days"]),
                LIGHT_TEXT.get(u["light"], u["light"]),
            )
            for n, u in enumerate(data["units"], start=1)
        ),
        note="注：超时为已受理、超过审批部门承诺时限仍未办结的手续；平均用时为已办结手续从受理到"
        "批复的工作日数（按国家法定节假日和调休计算）；灯色按超时项数（规则见红黄绿灯规则表）。",
    )
    overdue = Table(
        "附件9：超过承诺时限的前期手续",
        (
            Column("序号", 3, "center"),
            Column("项目名称", 14),
            Column("前期手续", 10),
            Column("审批部门", 10),
            Column("时限截止", 9, "center"),
            Column("超时（工作日）", 6, "right"),
        ),
        tuple(
            (
                str(n),
                f"{r['name']}（{r['county']}）",
                r["step"],
                r["unit"],
                _day(r["due"]),
                str(r["days"]),
            )
            for n, r in enumerate(data.get("overdue_steps") or [], start=1)
        ),
    )
    risks = Table(
        "附件10：前期手续滞后影响按期开工的项目",
        (
            Column("序号", 3, "center"),
            Column("项目名称", 14),
            Column("责任单位", 10),
            Column("滞后手续", 10),
            Column("保开工最迟日期", 9, "center"),
            Column("已超过（工作日）", 6, "right"),
        ),
        tuple(
            (str(n), r["name"], _responsible(r), r["step"], _day(r["latest"]), str(r["days"]))
            for n, r in enumerate(data.get("at_risk") or [], start=1)
        ),
        note="注：保开工最迟日期为按前后关系倒排、仍能按计划开工的最迟申报（未申报的）或最迟办结"
        "（已申报的）日期。",
    )
    return units, overdue, risks


def annexes(b: Bulletin, unit: AmountUnit, rectify_by: date) -> tuple[Table, ...]:
    t = b.totals
    return (
        _figure_table("附件1：分领域、分工作举措完成情况", "领域", b.by_area, t, unit),
        _ranking_table(
            "附件2：各县（区）完成情况及综合排名",
            "县（区）",
            "county",
            b.ranking,
            b.by_county,
            unit,
        ),
        _ranking_table(
            "附件3：各牵头单位完成情况及综合排名",
            "牵头单位",
            "unit",
            b.ranking_units or {},
            b.by_lead_unit,
            unit,
        ),
        _red_amber_table(b, rectify_by),
        *_simple_tables(b),
        *_approval_tables(b),
    )


def _with_measures(tables: tuple[Table, ...], b: Bulletin, unit: AmountUnit) -> tuple[Table, ...]:
    """Annex 1 carries the areas, then the measures under them."""
    measures = _figure_table("", "工作举措", b.by_measure, b.totals, unit)
    first = tables[0]
    joined = Table(
        first.title, first.columns, (*first.rows[:-1], *measures.rows[:-1], first.rows[-1])
    )
    return (joined, *tables[1:])


# --- the document -------------------------------------------------------------------------


def drafted_sections(inputs: DraftInputs, unit: AmountUnit) -> dict[str, str]:
    b = inputs.bulletin
    return {
        "overall": overall_text(b, inputs.last_year, unit),
        "progress": progress_text(b),
        "problems": problems_text(b),
        "next_steps": next_steps_text(b, inputs.next_milestones),
    }


def sections_of(inputs: DraftInputs, unit: AmountUnit) -> tuple[Section, ...]:
    """The four sections: frozen texts of a 定稿 as they were frozen; else the office's edit
    where there is one (marked), the fresh draft elsewhere."""
    if inputs.frozen and inputs.frozen.get("sections"):
        stored = inputs.frozen["sections"]
        return tuple(
            Section(k, HEADINGS[k], stored[k]["text"], bool(stored[k].get("edited")))
            for k in SECTION_KEYS
            if k in stored
        )
    drafts = drafted_sections(inputs, unit)
    return tuple(
        Section(k, HEADINGS[k], inputs.edits[k], True)
        if inputs.edits.get(k)
        else Section(k, HEADINGS[k], drafts[k])
        for k in SECTION_KEYS
    )


def _front(inputs: DraftInputs, settings: DraftSettings) -> dict[str, Any]:
    frozen = inputs.frozen or {}
    return {
        "issue_no": frozen.get("issue_no")
        or f"第{settings.first_issue_no + inputs.issue_index - 1}期",
        "date_line": frozen.get("date_line") or cn_date(inputs.issued_on),
        "distribution": tuple(tuple(x) for x in frozen["distribution"])
        if "distribution" in frozen
        else settings.distribution,
        "signatures": tuple(tuple(x) for x in frozen["signatures"])
        if "signatures" in frozen
        else settings.signatures,
    }


def draft(inputs: DraftInputs, settings: DraftSettings) -> Document:
    b = inputs.bulletin
    # a 定稿 keeps the unit it was signed in, so its annexes agree with its frozen text
    unit = (inputs.frozen or {}).get("amount_unit") or settings.amount_unit
    front = _front(inputs, settings)
    stem = b.title.replace("重大项目调度通报", "调度通报")
    return Document(
        title=b.title,
        issue_no=front["issue_no"],
        office=settings.office,
        date_line=front["date_line"],
        sections=sections_of(inputs, unit),
        annexes=_with_measures(annexes(b, unit, inputs.rectify_by), b, unit),
        distribution=tuple((k, v) for k, v in front["distribution"] if v),
        signatures=tuple((k, v) for k, v in front["signatures"] if v),
        status=b.status_label,
        file_stem=f"{stem}（{b.status_label}）" if not b.final else stem,
    )


def frozen_texts(doc: Document, unit: AmountUnit) -> dict[str, Any]:
    """What a 定稿 keeps beside its figures, so its document reads the same later."""
    return {
        "amount_unit": unit,
        "issue_no": doc.issue_no,
        "date_line": doc.date_line,
        "distribution": [list(x) for x in doc.distribution],
        "signatures": [list(x) for x in doc.signatures],
        "sections": {s.key: {"text": s.text, "edited": s.edited} for s in doc.sections},
    }
