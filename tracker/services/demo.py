"""The demo office: Lincang's plan of 4 areas, 21 measures and 90 projects, with a year
and more of monthly reports, generated deterministically from a seed and an as-of date.

The plan (projects, places, dates, sizes, which projects run late) depends on the seed and
the year only, so the demo built on any day of a year is the same office; what has
happened by the as-of date (starts, milestones reached, reports, slips) follows from it,
drawn from each project's own random stream. Most projects are on track; some are amber (a
milestone a few weeks late, investment behind their own 序时), a few red; two lead units
have stopped reporting; a few projects start later in the year, some with a monthly plan.

Nothing is written that a real office would only have later: reporting periods up to the
as-of month (closed, open or scheduled by their dates), reports only for months whose
reports were due, milestone plan records and frozen bulletins only for closed months.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, select

from tracker.config import Settings, load_settings
from tracker.domain import geo
from tracker.domain.duban import cause_from_text, owner_from_text
from tracker.domain.messages import KeyedError
from tracker.domain.periods import add_months, month_end, month_start, months_between
from tracker.domain.places import CITY_LEVEL, COUNTIES, PLACES
from tracker.models import (
    Area,
    InvestmentPlan,
    Measure,
    Milestone,
    MilestonePlanRecord,
    MonthlyReport,
    ProblemItem,
    Project,
    ReportingPeriod,
    User,
    utcnow,
)
from tracker.services.auth import hash_password, new_password
from tracker.services.bulletin import freeze
from tracker.services.cycle import dates_for, has_own_period
from tracker.services.demo_approvals import add_demo_chains
from tracker.services.demo_indicators import build_indicators
from tracker.services.status import reference_period

CENT = Decimal("0.01")


class DemoRefused(KeyedError, ValueError):
    """The demo office cannot be written here (a ValueError: the CLI says why and stops)."""


# area -> [(measure, lead units, project stems)]
PLAN: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]] = {
    "绿色低碳发展": [
        (
            "推进蔗糖产业循环经济发展",
            ("市工业和信息化局", "市农业农村局"),
            (
                "蔗糖循环经济产业园",
                "甘蔗良种良法示范基地",
                "糖业副产物综合利用",
                "制糖企业节能技改",
                "蔗渣生物质综合利用",
            ),
        ),
        (
            "发展清洁能源",
            ("市发展改革委", "市能源局"),
            ("光伏发电示范", "农村沼气综合利用", "小水电绿色改造", "风电场建设", "分布式能源站"),
        ),
        (
            "推广绿色建筑与交通",
            ("市住房城乡建设局", "市交通运输局"),
            ("城区公交新能源化", "绿色建筑示范小区", "充电基础设施建设", "绿色货运配送示范"),
        ),
        (
            "发展绿色高效农业",
            ("市农业农村局",),
            (
                "生态茶园建设",
                "澳洲坚果提质增效",
                "绿色食品牌基地",
                "高原特色蔬菜基地",
                "咖啡精深加工",
            ),
        ),
        (
            "推进工业节能降碳",
            ("市工业和信息化局",),
            ("电子级四氟化锗中试线", "锗产业节能改造", "园区循环化改造", "工业固废综合利用"),
        ),
        (
            "建设沿边绿色物流通道",
            ("市商务局",),
            ("沿边绿色物流园", "口岸智慧通关", "冷链物流中心", "边民互市贸易区提升"),
        ),
    ],
    "推动旅游产业": [
        (
            "建设民族文化智慧小镇",
            ("市文化和旅游局", "市住房城乡建设局"),
            (
                "佤族文化智慧小镇",
                "民族文化智慧小镇",
                "茶马古道文化小镇",
                "傣族风情小镇",
                "拉祜族文化小镇",
            ),
        ),
        (
            "打造边境旅游精品线路",
            ("市文化和旅游局",),
            ("边境旅游环线", "翁丁古寨保护利用", "南滚河生态旅游线路", "界碑文化旅游带"),
        ),
        (
            "推进智慧旅游建设",
            ("市文化和旅游局", "市科技局"),
            ("智慧旅游服务平台", "景区智慧化改造", "旅游大数据中心", "数字文旅体验馆"),
        ),
        (
            "发展康养旅游",
            ("市卫生健康委", "市文化和旅游局"),
            ("温泉康养基地", "森林康养基地", "民族医药康养园", "茶旅康养综合体"),
        ),
        (
            "完善旅游服务设施",
            ("市文化和旅游局", "市交通运输局"),
            ("旅游厕所与游客中心", "自驾车房车营地", "旅游集散中心", "景区道路提升"),
        ),
    ],
    "生态环境保护": [
        (
            "推进流域水环境综合治理",
            ("市生态环境局", "市水务局"),
            (
                "南汀河流域水环境综合治理",
                "澜沧江支流综合治理",
                "饮用水水源地保护",
                "河湖生态缓冲带建设",
            ),
        ),
        (
            "加强生物多样性保护",
            ("市林草局",),
            (
                "南滚河自然保护区能力建设",
                "亚洲象栖息地保护",
                "珍稀植物种质资源库",
                "生物多样性监测网络",
            ),
        ),
        (
            "推进城乡污水垃圾治理",
            ("市住房城乡建设局", "市生态环境局"),
            ("城镇污水处理提质增效", "农村生活垃圾治理", "农村生活污水治理", "垃圾焚烧发电"),
        ),
        (
            "实施国土绿化和石漠化治理",
            ("市林草局", "市自然资源局"),
            ("国土绿化", "石漠化综合治理", "退化林修复", "森林防火基础设施"),
        ),
        (
            "推进矿山生态修复",
            ("市自然资源局",),
            ("废弃矿山生态修复", "绿色矿山建设", "地质灾害综合治理", "土地综合整治"),
        ),
    ],
    "创新驱动发展": [
        (
            "突破特色产业关键技术",
            ("市科技局",),
            (
                "茶叶精深加工技术研发",
                "核桃高值化利用",
                "中药材规范化种植",
                "蔗糖产业关键技术攻关",
                "咖啡品质提升技术",
            ),
        ),
        (
            "推进数字乡村建设",
            ("市科技局", "市工业和信息化局"),
            ("智慧边境乡村建设示范", "县域数字农业平台", "乡村数字治理平台", "农村电商服务体系"),
        ),
        (
            "建设创新平台",
            ("市科技局",),
            ("院士专家工作站建设", "可持续发展创新研究院", "重点实验室建设", "科技成果转化中心"),
        ),
        (
            "培育科技型企业",
            ("市科技局", "市工业和信息化局"),
            ("科技型企业孵化器", "高新技术企业培育", "众创空间建设", "科技金融服务平台"),
        ),
        (
            "推进跨境科技合作",
            ("市科技局", "市商务局"),
            (
                "跨境科技合作中心",
                "跨境作物产业循环经济技术示范",
                "澜湄农业科技合作园",
                "边境科技特派员服务站",
                "中缅边境农业技术培训基地",
            ),
        ),
    ],
}

MIDDLE_MILESTONES = ("主体工程完工", "设备安装调试", "试运行", "配套设施完工")
NOT_REPORTING_UNITS = ("市能源局", "市卫生健康委")  # a couple of units that stopped reporting
LATE_STARTERS = (16, 60)  # two of the projects planned to start this year miss their start
PROBLEMS = (
    "用地手续办理滞后，影响施工进度",
    "项目资金到位不足，存在资金缺口",
    "雨季施工受阻，工期延后",
    "环评批复尚未取得",
    "征地拆迁协调难度大",
    "设备采购招标流标，需重新组织",
)
COORDINATION = (
    "请市自然资源局协调加快用地报批",
    "请市财政局协调省级专项资金拨付",
    "请市发展改革委协调纳入省重点项目",
    "请市生态环境局加快环评审批",
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    scope: str


def _money(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _prefix(place: str) -> str:
    if place == CITY_LEVEL:
        return "临沧"
    return place[:-1] if len(place) > 2 else place


def _spread(total: Decimal, start: date, finish: date) -> dict[int, Decimal]:
    """Split ``total`` over the years of [start, finish], pro rata to active months."""
    months = months_between(start, finish)
    per_year: dict[int, int] = {}
    for m in months:
        per_year[m.year] = per_year.get(m.year, 0) + 1
    out: dict[int, Decimal] = {}
    remaining = total
    years = sorted(per_year)
    for year in years[:-1]:
        out[year] = _money(total * per_year[year] / len(months))
        remaining -= out[year]
    out[years[-1]] = remaining
    return out


def demo_users(password: str | None = None) -> list[DemoUser]:
    pinyin = (
        "linxiang",
        "fengqing",
        "yunxian",
        "yongde",
        "zhenkang",
        "shuangjiang",
        "gengma",
        "cangyuan",
    )
    users = [DemoUser("admin", password or new_password(), "admin", "示范区建设办公室")]
    users += [
        DemoUser(p, password or new_password(), "county", c)
        for p, c in zip(pinyin, COUNTIES, strict=True)
    ]
    users.append(DemoUser("kejiju", password or new_password(), "unit", "市科技局"))
    users.append(DemoUser("leader", password or new_password(), "viewer", "市领导"))
    return users


def _demo_site(place: str, index: int) -> tuple[float | None, float | None]:
    """Where a demo project is (#18): a point inside its county (city-level projects: in
    临翔区, the city's seat), the same on every build; drawn apart from the demo's random
    sequence, so the rest of the demo office is what it was."""
    county = place if place in COUNTIES else COUNTIES[0]
    found = geo.point_in_county(county, 7919 * index + 17)
    return found if found is not None else (None, None)


def build_demo(
    session: Session,
    *,
    as_of: date,
    seed: int = 2021,
    password: str | None = None,
    settings: Settings | None = None,
) -> list[DemoUser]:
    """Fill an empty database with the demo office; returns the demo logins."""
    if session.exec(select(Project.id).limit(1)).first() is not None:
        raise DemoRefused("demo.not_empty")
    first_month = date(as_of.year - 1, 1, 1)
    plan_rng = random.Random(f"{seed}:{first_month.year}")

    # -- reporting periods up to the as-of month, as the cycle would have left them -------
    settings = settings or load_settings({})
    closed: list[date] = []
    for month in months_between(first_month, as_of):
        if not has_own_period(month, settings):
            continue  # January reported with February
        dates = dates_for(month, settings)
        status = (
            "closed"
            if dates.closes_on <= as_of
            else "open"
            if dates.opens_on <= as_of
            else "scheduled"
        )
        session.add(
            ReportingPeriod(
                period=month,
                opens_on=dates.opens_on,
                due_on=dates.due_on,
                closes_on=dates.closes_on,
                first_month=dates.first_month,
                status=status,
                opened_at=utcnow() if status != "scheduled" else None,
                closed_at=utcnow() if status == "closed" else None,
            )
        )
        if status == "closed":
            closed.append(month)
    session.flush()
    period = reference_period(session, as_of=as_of, settings=settings)
    report_months = [
        p.period
        for p in session.exec(select(ReportingPeriod).order_by(ReportingPeriod.period))
        if p.period <= period
    ]

    # -- areas, measures, project slots --------------------------------------------------
    slots: list[tuple[Area, Measure, int, tuple[str, ...], str]] = []
    measure_no = 0
    for area_no, (area_name, measures) in enumerate(PLAN.items(), start=1):
        area = Area(name=area_name, sort_order=area_no)
        session.add(area)
        session.flush()
        for m_no, (measure_name, units, stems) in enumerate(measures, start=1):
            measure_no += 1
            measure = Measure(area_id=area.id or 0, name=measure_name, sort_order=m_no)
            session.add(measure)
            session.flush()
            count = 5 if measure_no in (1, 2, 4, 7, 17, 21) else 4
            for stem in stems[:count]:
                slots.append((area, measure, measure_no, units, stem))
    assert len(slots) == 90, len(slots)

    rng = plan_rng  # the plan: the same office for every as-of date of the year
    used_names: set[str] = set()
    red_slots = set(rng.sample(range(90), 5))
    amber_slots = set(rng.sample(sorted(set(range(90)) - red_slots), 15))
    reschedule_slots = set(rng.sample(range(90), 12))
    streak_shown = False  # the first red project with a late milestone slipped 3 months running
    per_measure: dict[int, int] = {}
    for index, (area, measure, number, units, stem) in enumerate(slots):
        place = rng.choice(PLACES) if index % 7 else CITY_LEVEL
        name = f"{_prefix(place)}{stem}项目"
        while name in used_names:
            place = rng.choice(PLACES)
            name = f"{_prefix(place)}{stem}项目"
        used_names.add(name)
        per_measure[measure.id or 0] = per_measure.get(measure.id or 0, 0) + 1
        profile = "red" if index in red_slots else "amber" if index in amber_slots else "green"
        lead_unit = rng.choice(units)
        start = add_months(first_month, rng.randint(0, 20))
        if index % 11 == 5:  # a few planned to start later in the year
            start = add_months(date(as_of.year, 1, 1), rng.randint(2, 11))
        duration = rng.randint(12, 36)
        finish = month_end(add_months(start, duration - 1))
        total = _money(
            rng.choice((800, 1500, 2600, 5600, 12000, 28000, 56000, 120000)) * rng.uniform(0.8, 1.3)
        )
        project = Project(
            code=f"LC-{number:02d}-{per_measure[measure.id or 0]:02d}",
            name=name,
            area_id=area.id or 0,
            measure_id=measure.id or 0,
            county=place,
            lead_unit=lead_unit,
            responsible_units=f"{place if place != CITY_LEVEL else '各县（区）'}人民政府",
            contact_person=rng.choice(
                ("李明", "王芳", "张伟", "杨洁", "刀国华", "岩帅", "罕艳", "字金华")
            ),
            contact_phone=f"0883-21{rng.randint(10000, 99999)}",
            scope=f"建设{stem}，总投资约{total / 10000:.2f}亿元。",
            nature="续建" if start < date(as_of.year, 1, 1) else "新建",
            total_investment=total,
            baseline_start=start,
            baseline_finish=finish,
            planned_start=start,
            planned_finish=finish,
            sort_order=index,
        )
        project.latitude, project.longitude = _demo_site(place, index)
        session.add(project)
        session.flush()
        events = random.Random(f"{seed}:{first_month.year}:{index}")  # what happened
        streak_shown |= _add_milestones(
            session,
            events,
            project,
            profile,
            as_of,
            closed,
            rescheduled=index in reschedule_slots,
            slip_streak=profile == "red" and not streak_shown,
            late_starter=index in LATE_STARTERS,
        )
        _add_money(
            session,
            events,
            project,
            profile,
            as_of,
            report_months,
            seasonal=index % 4 == 2,
        )
    session.flush()
    _name_owners(session)
    add_demo_chains(session, as_of=as_of, seed=seed)  # #17: 前期手续 of every project

    users = demo_users(password)
    for user in users:
        session.add(
            User(
                username=user.username,
                display_name=user.scope if user.role != "county" else f"{user.scope}牵头人",
                password_hash=hash_password(user.password),
                role=user.role,
                county=user.scope if user.role == "county" else None,
                lead_unit=user.scope if user.role == "unit" else None,
                email=f"{user.username}@example.lincang.gov.cn",
            )
        )
    session.flush()
    # #16: the zone's indicators, their values reported by the lead units
    build_indicators(session, as_of=as_of, seed=seed)
    # The office froze each closed month's figures when it closed (its bulletin).
    for month in closed:
        freeze(session, period=month, today=as_of, settings=settings)
    return users


def _add_milestones(
    session: Session,
    rng: random.Random,
    project: Project,
    profile: str,
    as_of: date,
    closed: list[date],
    *,
    rescheduled: bool,
    slip_streak: bool,
    late_starter: bool = False,
) -> bool:
    """The project's milestones and their monthly plan records; True when it shows the slip
    streak (asked for, and it has a late milestone with three closes to slip over)."""
    start, finish = project.planned_start, project.planned_finish
    assert start and finish
    count = rng.randint(3, 6)
    names = ["完成前期手续", "开工建设", *MIDDLE_MILESTONES[: count - 3], "竣工验收"]
    span = (finish - start).days
    fractions = [0.08, 0.2] + [0.2 + 0.75 * (i + 1) / (count - 2) for i in range(count - 3)] + [1.0]
    dates = [start + timedelta(days=int(span * f)) for f in fractions]
    dates[-1] = finish
    past = [i for i, d in enumerate(dates) if d < as_of]
    late_index = past[-1] if past and profile != "green" else None
    if late_index is not None:
        lateness = rng.randint(40, 95) if profile == "red" else rng.randint(4, 24)
        floor = dates[late_index - 1] + timedelta(days=1) if late_index else start
        dates[late_index] = max(as_of - timedelta(days=lateness), floor)
    # Projects start when planned (a few days after); a red project whose first milestone
    # (完成前期手续) is the late one has not started: it is late to start (应开未开).
    started = start <= as_of and not (profile == "red" and late_index == 0)
    if late_starter and start < as_of:
        started = False  # planned to start this year and has not (应开未开)
    if started:
        project.actual_start = start + timedelta(days=rng.randint(0, 10))
        if project.actual_start > as_of:
            project.actual_start = as_of
    months = closed  # a milestone's planned date is recorded at each month's close
    streak = slip_streak and late_index is not None and len(months) >= 3
    for seq, (name, planned) in enumerate(zip(names, dates, strict=True), start=1):
        actual = None
        if planned < as_of and seq - 1 != late_index:
            actual = planned + timedelta(
                days=rng.randint(-6, 3) if profile == "green" else rng.randint(0, 12)
            )
            actual = min(actual, as_of)
        baseline = planned
        history: list[tuple[date, date]] = [(m, planned) for m in months]
        if rescheduled and actual is None and seq == len(names):
            planned = add_months(planned, rng.randint(1, 3))
            changed_in = months[-min(rng.randint(1, 4), len(months))] if months else as_of
            history = [(m, baseline if m < changed_in else planned) for m in months]
        if streak and seq - 1 == late_index:
            # baseline fell due earlier; re-planned a month later at each of the last 3 closes
            baseline = add_months(planned, -3)
            history = [
                (m, baseline if i < len(months) - 3 else add_months(baseline, i - len(months) + 4))
                for i, m in enumerate(months)
            ]
            planned = history[-1][1] if history else planned
        milestone = Milestone(
            project_id=project.id or 0,
            seq=seq,
            name=name,
            baseline_date=baseline,
            planned_date=planned,
            actual_date=actual,
        )
        session.add(milestone)
        session.flush()
        for month, as_planned in history:
            if month_end(month) >= (project.baseline_start or month):
                session.add(
                    MilestonePlanRecord(
                        milestone_id=milestone.id or 0, period=month, planned_date=as_planned
                    )
                )
    if rescheduled:
        project.planned_finish = max(
            m.planned_date
            for m in session.exec(select(Milestone).where(Milestone.project_id == project.id))
        )
    if project.planned_finish and project.planned_finish < as_of and profile == "green" and started:
        project.actual_finish = project.planned_finish
    session.add(project)
    return streak


SEASONAL = (1.2, 0.8, 1.3, 1.3, 1.2, 0.6, 0.5, 0.5, 0.6, 1.1, 1.3, 1.6)  # rainy season slows work


def _monthly_plan(amount: Decimal, year: int, active: list[date], seasonal: bool) -> list[Decimal]:
    """The year's plan over its calendar months: even over the active months, or weighted
    by the season (a monthly plan the office stores)."""
    months = [m.month for m in active if m.year == year]
    if not months:
        return [Decimal("0")] * 12
    weights = {m: (SEASONAL[m - 1] if seasonal else 1.0) for m in months}
    total = sum(weights.values())
    split = [
        _money(amount * Decimal(str(weights[m] / total))) if m in weights else Decimal("0")
        for m in range(1, 13)
    ]
    split[months[-1] - 1] += amount - sum(split)  # the last active month takes the cents
    return split


def _name_owners(session: Session) -> None:
    """The unit each coordination item's text names, read once every project (and so every
    lead unit) is in: an item raised while its named unit's projects were still to come
    would read 待明确."""
    units = session.exec(select(Project.lead_unit).distinct()).all()
    items = session.exec(
        select(ProblemItem).where(ProblemItem.kind == "coordination").where(ProblemItem.owner == "")
    ).all()
    for item in items:
        item.owner = owner_from_text(item.text, units)
        session.add(item)
    session.flush()


def _add_money(
    session: Session,
    rng: random.Random,
    project: Project,
    profile: str,
    as_of: date,
    report_months: list[date],
    *,
    seasonal: bool,
) -> None:
    assert project.planned_start and project.planned_finish
    plans = _spread(project.total_investment, project.planned_start, project.planned_finish)
    active = months_between(project.planned_start, project.planned_finish)
    splits = {year: _monthly_plan(amount, year, active, seasonal) for year, amount in plans.items()}
    for year, amount in plans.items():
        session.add(
            InvestmentPlan(
                project_id=project.id or 0,
                year=year,
                amount=amount,
                monthly=[str(v) for v in splits[year]] if seasonal else None,
            )
        )
    if project.actual_start is None:
        return
    factor = {
        "green": rng.uniform(0.97, 1.12),
        "amber": rng.uniform(0.84, 0.92),
        "red": rng.uniform(0.5, 0.68),
    }[profile]
    missing = (
        2
        if project.lead_unit == NOT_REPORTING_UNITS[0]
        else 1
        if project.lead_unit == NOT_REPORTING_UNITS[1]
        else 0
    )
    started = month_start(project.actual_start)
    finished = project.actual_finish
    periods = [p for p in report_months if p >= started and (finished is None or finished >= p)]
    # a period covers its month, or January and February when the office merges them
    covered: dict[date, list[date]] = {}
    for p in periods:
        merged = p.month == 2 and p.replace(month=1) not in report_months
        covered[p] = [m for m in ((p.replace(month=1), p) if merged else (p,)) if m >= started]
    total_so_far = Decimal("0")
    ytd = Decimal("0")
    reporter = project.contact_person
    report_periods = periods
    for i, month in enumerate(report_periods):
        if i == 0 or report_periods[i - 1].year != month.year:
            ytd = Decimal("0")
        amount = Decimal("0")
        for m in covered[month]:
            planned = splits.get(m.year, [Decimal("0")] * 12)[m.month - 1]
            if planned > 0:
                amount += _money(planned * Decimal(str(factor * rng.uniform(0.85, 1.15))))
        ytd += amount
        total_so_far += amount
        if i >= len(report_periods) - missing:
            continue  # this unit stopped reporting
        progress = min(100.0, round(float(total_so_far / project.total_investment) * 100, 1))
        behind = profile != "green"
        report = MonthlyReport(
            project_id=project.id or 0,
            period=month,
            completed_month=amount,
            completed_ytd=ytd,
            completed_total=total_so_far,
            progress_pct=progress,
            progress_text=f"累计完成投资{total_so_far:.2f}万元，形象进度{progress:.0f}%",
            problems=rng.choice(PROBLEMS) if behind else "",
            next_steps="加快推进主体工程建设" if progress < 90 else "做好竣工验收准备",
            coordination=rng.choice(COORDINATION) if profile == "red" else "",
            status="submitted",
            reporter=reporter,
            submitted_at=utcnow(),
            late=rng.random() < 0.05,
        )
        session.add(report)
        latest = len(report_periods) - missing - 1
        if behind and latest - 1 <= i <= latest:
            # the two latest reports raise the ledger (each item its month's, 台账 carried
            # over); an amber project's earlier item was settled the month after
            session.flush()
            settled = i < latest and profile != "red"
            session.add(
                ProblemItem(
                    project_id=project.id or 0,
                    report_id=report.id,
                    kind="problem",
                    text=report.problems,
                    owner=project.lead_unit,
                    cause=cause_from_text(report.problems),
                    due_date=add_months(month, 1).replace(day=25),
                    level="city" if profile == "red" else "office",
                    raised_on=min(month_end(month), as_of),
                    period=month,
                    status="closed" if settled else "open",
                    closed_on=min(add_months(month, 1).replace(day=20), as_of) if settled else None,
                    close_note="已协调解决" if settled else "",
                )
            )
            if report.coordination:
                session.add(
                    ProblemItem(
                        project_id=project.id or 0,
                        report_id=report.id,
                        kind="coordination",
                        text=report.coordination,
                        # the unit the text names when it leads projects, else 待明确
                        owner=owner_from_text(
                            report.coordination,
                            session.exec(select(Project.lead_unit).distinct()).all(),
                        ),
                        cause=cause_from_text(report.coordination),
                        due_date=add_months(month, 1).replace(day=25),
                        level="city",
                        raised_on=min(month_end(month), as_of),
                        period=month,
                    )
                )
