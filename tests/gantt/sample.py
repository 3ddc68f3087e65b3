"""Deterministic sample rows shaped like the Lincang plan, for tests, benchmarks and previews
(test data: the app never imports it).

Not demo data for the app (that lives with the seed); only the shape matters here:
4 areas, 21 measures, realistic Chinese names (some long), 3–6 milestones each.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from tracker.domain.places import PLACES
from tracker.gantt.rows import (
    MILESTONE_NODE,
    GanttChain,
    GanttLink,
    GanttMilestone,
    GanttProject,
    GanttStep,
)

AREAS: dict[str, tuple[str, ...]] = {
    "绿色低碳发展": (
        "发展清洁能源",
        "推进绿色制造",
        "建设绿色交通",
        "推广绿色建筑",
        "发展循环经济",
        "推进节能降碳",
    ),
    "推动旅游产业": (
        "打造精品旅游线路",
        "推进茶旅融合",
        "建设边境旅游区",
        "提升旅游公共服务",
        "发展民族文化旅游",
    ),
    "生态环境保护": (
        "保护南汀河流域",
        "治理水土流失",
        "保护生物多样性",
        "推进城乡环境整治",
        "建设森林城市",
    ),
    "创新驱动发展": (
        "建设科技创新平台",
        "培育高新技术企业",
        "推进数字临沧建设",
        "引进培养科技人才",
        "推进科技成果转化",
    ),
}
COUNTIES = PLACES  # the eight counties, then 市直
LEAD_UNITS = (
    "市发展和改革委员会",
    "市科学技术局",
    "市工业和信息化局",
    "市文化和旅游局",
    "市生态环境局",
    "市交通运输局",
    "市住房和城乡建设局",
    "市农业农村局",
    "市林业和草原局",
    "市水务局",
)
SUBJECTS = (
    "城市生活垃圾焚烧发电",
    "光伏发电",
    "甘蔗制糖循环经济产业园",
    "勐库大雪山古茶园保护与茶旅融合示范基地",
    "南汀河流域水环境综合治理",
    "边境口岸物流园",
    "翁丁古寨保护修复",
    "坚果精深加工",
    "智慧城市运营中心",
    "农村人居环境整治",
    "中药材种植加工",
    "生物多样性保护监测网络",
    "石漠化综合治理",
    "高原特色农业科技园",
    "临沧机场改扩建配套",
    "澜沧江沿岸生态修复",
    "乡村振兴示范园",
    "蔗糖产业数字化",
    "滇红茶科技创新中心",
    "佤族司岗里文化旅游区",
    "国家储备林",
    "城市污水处理提质增效",
    "绿色建材产业园",
    "水电站增效扩容",
)
KINDS = ("建设项目", "项目", "工程", "示范工程", "提升改造项目")
MILESTONES = ("前期手续办结", "开工建设", "主体工程完工", "设备安装调试", "竣工验收", "投产运营")


def _name(i: int) -> str:
    # Every (county, subject, kind) triple is used once; past the 1,080 combinations a
    # batch tag goes before the kind, so no name is ever a part of another.
    county = COUNTIES[i % len(COUNTIES)]
    subject = SUBJECTS[(i // len(COUNTIES)) % len(SUBJECTS)]
    kind = KINDS[(i // (len(COUNTIES) * len(SUBJECTS))) % len(KINDS)]
    round_ = i // (len(COUNTIES) * len(SUBJECTS) * len(KINDS))
    tag = f"（{round_ + 1}批）" if round_ else ""
    return f"{county}{subject}{tag}{kind}"


def _month_end(d: date) -> date:
    nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def sample_projects(
    n: int = 90,
    *,
    as_of: date = date(2022, 5, 31),
    milestones: int | None = None,
    seed: int = 7,
) -> list[GanttProject]:
    """``n`` projects spread over 4 areas and 21 measures; ``milestones`` fixes the count."""
    rng = random.Random(seed)
    pairs = [(a, m) for a, ms in AREAS.items() for m in ms]
    out: list[GanttProject] = []
    for i in range(n):
        area, measure = pairs[(i * len(pairs)) // max(n, 1) % len(pairs)]
        start = date(2021, 1, 1) + timedelta(days=rng.randrange(0, 720))
        start = start.replace(day=1)
        finish = _month_end(start + timedelta(days=rng.randrange(150, 1000)))
        slipped = rng.random() < 0.3
        base_finish = (
            _month_end(finish - timedelta(days=rng.randrange(30, 120))) if slipped else finish
        )
        span = (finish - start).days
        count = milestones if milestones is not None else rng.randint(3, 6)
        ms: list[GanttMilestone] = []
        overdue = due_soon = 0
        for k in range(count):
            planned = start + timedelta(days=round(span * (k + 1) / count))
            planned = min(_month_end(planned), finish)
            baseline = planned - timedelta(days=rng.choice((0, 0, 31, 61))) if slipped else planned
            if planned <= as_of and rng.random() < 0.8:
                actual: date | None = min(planned + timedelta(days=rng.randrange(-10, 20)), as_of)
                state = "done"
            elif planned < as_of:
                actual, state = None, "overdue"
                overdue += 1
            elif planned <= as_of + timedelta(days=30):
                actual, state = None, "due_soon"
                due_soon += 1
            else:
                actual, state = None, "future"
            ms.append(
                GanttMilestone(MILESTONES[k % len(MILESTONES)], baseline, planned, actual, state)
            )
        elapsed = min(max((as_of - start).days / max(span, 1), 0.0), 1.0)
        progress = round(min(max(elapsed + rng.uniform(-0.25, 0.1), 0.0), 1.0), 2)
        reasons: list[str] = []
        if overdue:
            reasons.append(f"{overdue}个节点逾期")
        if elapsed - progress > 0.15:
            reasons.append("进度落后于序时进度")
        if due_soon:
            reasons.append(f"{due_soon}个节点临近")
        light = "red" if overdue else ("amber" if reasons else "green")
        started = start <= as_of
        finished = progress >= 1.0 and finish <= as_of
        out.append(
            GanttProject(
                id=1000 + i,
                code=f"LC-{i + 1:04d}",
                name=_name(i),
                area=area,
                measure=measure,
                county=COUNTIES[i % len(COUNTIES)],
                lead_unit=LEAD_UNITS[rng.randrange(len(LEAD_UNITS))],
                light=light,
                light_reasons=tuple(reasons),
                baseline_start=start,
                baseline_finish=base_finish,
                planned_start=start,
                planned_finish=finish,
                actual_start=start + timedelta(days=rng.randrange(0, 20)) if started else None,
                actual_finish=finish if finished else None,
                progress=1.0 if finished else progress,
                weight=float(rng.randrange(500, 200_000)),
                milestones=tuple(ms),
                open_problems=rng.choice((0, 0, 0, 1, 2)),
            )
        )
    return out


# #17: a 前期 chain shaped like the catalogue's (a main line with parallel procedures)
CHAIN_STEPS: tuple[tuple[str, str, int], ...] = (
    ("项目建议书批复", "市发展和改革委员会", 10),
    ("可研批复", "市发展和改革委员会", 20),
    ("用地预审与选址", "市自然资源和规划局", 20),
    ("环评批复", "市生态环境局", 30),
    ("能评审查", "市发展和改革委员会", 15),
    ("水保方案批复", "市水务局", 20),
    ("林地使用许可", "市林业和草原局", 20),
    ("用地批复", "市自然资源和规划局", 30),
    ("规划许可", "市自然资源和规划局", 20),
    ("施工图审查", "市住房和城乡建设局", 20),
    ("招标", "市公共资源交易中心", 25),
    ("施工许可", "市住房和城乡建设局", 7),
)
# (predecessor, successor, kind): the main line 0-1-2-7-8-9-11, parallel 3..6 after 可研
CHAIN_LINKS: tuple[tuple[int, int, str], ...] = (
    (0, 1, "FS"), (1, 2, "FS"), (1, 3, "SS"), (1, 4, "FS"), (1, 5, "FS"), (1, 6, "FS"),
    (2, 7, "FS"), (6, 7, "FS"), (7, 8, "FS"), (8, 9, "FS"), (9, 10, "FS"), (10, 11, "FS"),
    (3, 11, "FS"), (4, 11, "FS"), (5, 11, "FS"),
)  # fmt: skip
CRITICAL_STEPS = frozenset({0, 1, 2, 7, 8, 9, 10, 11})


def sample_chain(project: GanttProject, as_of: date, steps: int = 12) -> GanttChain:
    """A chain of ``steps`` steps (at most 12) ending a week before the project's start,
    with its steps done, in progress, overdue or not started as ``as_of`` falls, the main
    line critical and the parallel procedures with float; the last step leads to 开工."""
    used = CHAIN_STEPS[:steps]
    finish: dict[int, date] = {}
    start: dict[int, date] = {}
    # backwards from the start: a step finishes when its earliest successor starts
    end = project.planned_start - timedelta(days=7)
    for i in reversed(range(len(used))):
        after = [start[s] for p, s, k in CHAIN_LINKS if p == i and s in start and k == "FS"]
        finish[i] = min(after, default=end) - timedelta(days=1 if after else 0)
        start[i] = finish[i] - timedelta(days=used[i][2] * 7 // 5)
    made = []
    for i, (name, unit, _) in enumerate(used):
        s, f = start[i], finish[i]
        state = (
            "done" if f < as_of - timedelta(days=20)
            else "overdue" if f < as_of
            else "in_progress" if s <= as_of
            else "not_started"
        )  # fmt: skip
        critical = i in CRITICAL_STEPS
        made.append(
            GanttStep(
                key=f"s{i}", id=project.id * 100 + i, name=name, unit=unit, start=s, finish=f,
                state=state, critical=critical, float_days=0 if critical else 5 + i,
                latest_finish=f if critical else f + timedelta(days=7 + i),
            )
        )  # fmt: skip
    keys = {i for i in range(len(used))}
    links = [
        GanttLink(f"s{p}", f"s{s}", k, critical=p in CRITICAL_STEPS and s in CRITICAL_STEPS)
        for p, s, k in CHAIN_LINKS
        if p in keys and s in keys
    ]
    starts = [m.name for m in project.milestones if "开工" in m.name]
    if starts and used:
        last = len(used) - 1
        links.append(GanttLink(f"s{last}", MILESTONE_NODE + starts[0], critical=True))
    return GanttChain(steps=tuple(made), links=tuple(links), target=starts[0] if starts else "")
