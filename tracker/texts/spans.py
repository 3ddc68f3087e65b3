"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

Quarter, half-year and year bulletins (一季度 / 上半年 / 前三季度 / 全年): their refusals, and
the sentences and table labels the drafting writes (tracker/services/span_bulletin.py).
Figures arrive already written (tracker.domain.numbers); ``unit`` is 亿元 or 万元.
"""

TEXTS: dict[str, tuple[str, str]] = {
    # refusals
    "span.bad_period": (
        "无法识别调度期“{value}”：应为 年份-Q1（一季度）、年份-H1（上半年）、年份-Q3（前三季度）"
        "或 年份-Y（全年），如 2026-H1",
        "Unknown period “{value}”: use YEAR-Q1 (first quarter), YEAR-H1 (first half), "
        "YEAR-Q3 (first three quarters) or YEAR-Y (full year), e.g. 2026-H1",
    ),
    "span.nothing_frozen": (
        "{year}年{span}还没有已定稿（关账）的月份，不能生成通报：通报只取已定稿月份的数据",
        "No month of {span} {year} has been closed (signed) yet, so there is no bulletin: "
        "it is built from closed months only",
    ),
    "span.bad_format": (
        "不支持的文件类型：{out}（应为 .xlsx、.docx 或 .pdf）",
        "Unsupported file type: {out} (use .xlsx, .docx or .pdf)",
    ),
    # names
    "span.label.Q1": ("一季度", "the first quarter"),
    "span.label.H1": ("上半年", "the first half"),
    "span.label.Q3": ("前三季度", "the first three quarters"),
    "span.label.Y": ("全年", "the full year"),
    "span.next.Q1": ("二季度", "the second quarter"),
    "span.next.H1": ("下半年", "the second half"),
    "span.next.Q3": ("四季度", "the fourth quarter"),
    "span.next.Y": ("{next_year}年", "{next_year}"),
    "span.months_range": ("{end.year}年1–{end.month}月", "January–{end:%B %Y}"),
    "span.month_short": ("{end.month}月", "{end:%B}"),
    "span.unit.yi": ("亿元", "100 million yuan"),
    "span.unit.wan": ("万元", "10k yuan"),
    "span.title": (
        "{year}年{span}重大项目调度通报",
        "Major projects dispatch bulletin: {span} {year}",
    ),
    "span.date_line": ("{day.year}年{day.month}月{day.day}日", "{day:%d %B %Y}"),
    "span.status.incomplete": (
        "数据不全：{months}未定稿",
        "Incomplete: {months} not closed",
    ),
    # headings
    "span.heading.overall": ("一、总体情况", "1. Overview"),
    "span.heading.progress": ("二、各县（区）和牵头单位", "2. Counties and lead units"),
    "span.heading.problems": ("三、存在问题", "3. Problems"),
    "span.heading.next_steps": ("四、下步工作", "4. Next steps"),
    # 一、总体情况
    "span.overall.figures": (
        "截至{end.year}年{end.month}月底，{projects}个重大项目累计完成投资{done}{unit}，"
        "占年度计划{plan}{unit}的{rate}，{against}。",
        "By the end of {end:%B %Y}, the {projects} major projects had completed "
        "{done} ({unit}) of investment, {rate} of the annual plan of {plan}; {against}.",
    ),
    "span.overall.no_plan": (
        "截至{end.year}年{end.month}月底，{projects}个重大项目累计完成投资{done}{unit}，本年度暂无计划投资。",
        "By the end of {end:%B %Y}, the {projects} major projects had completed "
        "{done} ({unit}) of investment; there is no planned investment this year.",
    ),
    "span.against.above": (
        "高于序时进度（{progress}）{gap}个百分点",
        "{gap} points ahead of time progress ({progress})",
    ),
    "span.against.below": (
        "低于序时进度（{progress}）{gap}个百分点",
        "{gap} points behind time progress ({progress})",
    ),
    "span.against.flat": ("与序时进度（{progress}）持平", "level with time progress ({progress})"),
    "span.yoy.none": (
        "无上年同期数据，不作同比。",
        "No figures for the same period last year: no year-on-year comparison.",
    ),
    "span.yoy.from_zero": (
        "上年同期完成投资为0，不计同比增幅。",
        "Nothing was completed in the same period last year: no growth rate.",
    ),
    "span.yoy.up": (
        "比上年同期（{last}{unit}）增加{delta}{unit}，同比增长{pct}",
        "{delta} ({unit}) more than the same period last year ({last}): up {pct} year on year",
    ),
    "span.yoy.down": (
        "比上年同期（{last}{unit}）减少{delta}{unit}，同比下降{pct}",
        "{delta} ({unit}) less than the same period last year ({last}): down {pct} year on year",
    ),
    "span.yoy.flat": (
        "与上年同期（{last}{unit}）持平",
        "level with the same period last year ({last}, {unit})",
    ),
    "span.yoy.rate.up": (
        "；投资完成率较上年同期（{last_rate}）提高{pp}个百分点",
        "; the completion rate is {pp} points above last year's ({last_rate})",
    ),
    "span.yoy.rate.down": (
        "；投资完成率较上年同期（{last_rate}）下降{pp}个百分点",
        "; the completion rate is {pp} points below last year's ({last_rate})",
    ),
    "span.yoy.rate.flat": (
        "；投资完成率与上年同期（{last_rate}）持平",
        "; the completion rate is level with last year's ({last_rate})",
    ),
    "span.overall.stages": (
        "{period}新开工项目{new}个，竣工项目{finished}个；应报月报{expected}份，"
        "按时报送{on_time}份，按时报送率{rate}。",
        "In {period}, {new} projects started and {finished} were finished; {on_time} of "
        "{expected} monthly reports were submitted on time ({rate}).",
    ),
    "span.half.judged": (
        "“双过半”：截至6月30日序时进度{progress}，时间过半；累计完成投资占年度计划的{rate}，"
        "任务{task}，{both}“双过半”。",
        "Double half: time progress at 30 June is {progress}, past half; investment "
        "completed is {rate} of the annual plan, {task}; the double half is {both}.",
    ),
    "span.half.task_done": ("已过半", "past half"),
    "span.half.task_missed": ("未过半", "not past half"),
    "span.half.both_done": ("实现", "achieved"),
    "span.half.both_missed": ("未实现", "not achieved"),
    "span.half.counties_missed": (
        "任务未过半的县（区）{n}个：{names}。",
        "Counties not past half ({n}): {names}.",
    ),
    "span.half.counties_done": ("各县（区）任务均已过半。", "Every county is past half."),
    "span.half.units_missed": (
        "任务未过半的牵头单位{n}个：{names}。",
        "Lead units not past half ({n}): {names}.",
    ),
    "span.half.units_done": ("各牵头单位任务均已过半。", "Every lead unit is past half."),
    "span.half.pending": (
        "6月尚未定稿，“双过半”待上半年数据定稿后判定。",
        "June is not closed yet: the double half is judged once the half-year is signed.",
    ),
    "span.overall.missing": (
        "{months}尚未定稿（关账），本通报数据截至{end.year}年{end.month}月底，不含未定稿月份，待定稿后重新生成。",
        "{months} not closed yet: this bulletin's figures are as of the end of "
        "{end:%B %Y} and leave the open months out; generate it again once they close.",
    ),
    "span.name_score": ("{name}（{score}分）", "{name} ({score})"),
    "span.name_gap": ("{name}（低于{gap}个百分点）", "{name} ({gap} points behind)"),
    # 二、各县（区）和牵头单位
    "span.progress.county_rates": (
        "各县（区）投资完成率由高到低依次为：{names}。",
        "Counties by investment completion, highest first: {names}.",
    ),
    "span.progress.unit_rates": (
        "各牵头单位投资完成率由高到低依次为：{names}。",
        "Lead units by investment completion, highest first: {names}.",
    ),
    "span.progress.county_scores": (
        "{what}，各县（区）综合得分由高到低依次为：{names}",
        "{what}: counties by overall score, highest first: {names}",
    ),
    "span.progress.unit_scores": (
        "{what}，各牵头单位综合得分由高到低依次为：{names}",
        "{what}: lead units by overall score, highest first: {names}",
    ),
    "span.progress.bottom": ("；排名后三位的是{names}", "; the last three are {names}"),
    "span.progress.ranking_what": ("{period}综合排名", "Ranking for {period}"),
    "span.progress.assessment_what": ("{year}年度考评", "Annual assessment {year}"),
    "span.progress.formula": (
        "计分方法：{formula}（详见附件注）",
        "Scoring: {formula} (see the annex notes)",
    ),
    "span.progress.none": (
        "暂无可排名的县（区）和牵头单位。",
        "No county or lead unit to rank yet.",
    ),
    # 三、存在问题
    "span.problem.behind": (
        "投资进度不均衡。{n}个县（区）投资完成率低于序时进度（{progress}）：{names}。",
        "Uneven investment: {n} counties are behind time progress ({progress}): {names}.",
    ),
    "span.problem.late_start": (
        "项目开工不及时。截至{end.month}月底应开未开项目{n}个：{names}。",
        "Late starts: by the end of {end:%B}, {n} projects due to start had not: {names}.",
    ),
    "span.problem.overdue": (
        "节点推进滞后。截至{end.month}月底逾期未完成节点{n}个，涉及项目{projects}个。",
        "Milestones behind: by the end of {end:%B}, {n} milestones of {projects} "
        "projects were overdue.",
    ),
    "span.problem.lights": (
        "部分项目进展滞后。红灯项目{red}个、黄灯项目{amber}个{names}。",
        "Projects behind: {red} red and {amber} amber{names}.",
    ),
    "span.problem.red_names": ("，红灯项目为：{names}", "; the red ones: {names}"),
    "span.problem.reporting": (
        "月报报送不及时。{period}应报月报{expected}份，未按时报送{late}份。",
        "Late reports: in {period}, {late} of {expected} monthly reports came late or not at all.",
    ),
    "span.problem.coordination": (
        "协调事项办结不快。截至{end.month}月底需协调解决事项{n}项尚未办结。",
        "Coordination items open: by the end of {end:%B}, {n} items await a decision.",
    ),
    "span.problem.none": ("未发现需要通报的突出问题。", "No problem to report."),
    "span.more": ("{names}等{n}个", "{names} and others ({n} in all)"),
    # 四、下步工作
    "span.next.target": (
        "紧盯全年目标。{next}要对照年度计划倒排工期、挂图作战，{focus}确保完成年度投资任务。",
        "Keep to the year's target: in {next}, work back from the annual plan on the battle "
        "map; {focus}the year's investment must be completed.",
    ),
    "span.next.target_year": (
        "抓好{next}项目谋划。总结{year}年经验，提前谋划储备{next}重大项目，{focus}确保项目早开工、早见效。",
        "Prepare {next}: learn from {year}, prepare next year's major projects early; "
        "{focus}projects should start early and show results early.",
    ),
    "span.next.focus": ("重点督促{names}加快投资进度，", "press {names} to speed up; "),
    "span.next.start": (
        "加快开工和节点推进。对应开未开项目和逾期节点逐一明确责任单位和整改时限，挂牌督办。",
        "Start on time and keep milestones: give every late start and overdue milestone a "
        "responsible unit and a deadline, under supervision.",
    ),
    "span.next.coordinate": (
        "强化协调督办。对{n}项需协调解决事项分级督办、限时办结。",
        "Settle coordination: escalate the {n} open items by level, each with a deadline.",
    ),
    "span.next.assess": (
        "严格调度考评。各县（区）和牵头单位按时报送月度调度表，{period}排名结果纳入年度考评。",
        "Report and assess: counties and lead units report every month on time; the "
        "ranking for {period} counts in the annual assessment.",
    ),
    "span.next.assess_year": (
        "用好考评结果。{year}年度考评结果按规定通报，并与下一年度项目安排挂钩。",
        "Use the assessment: the {year} results are published and weigh on next year's plan.",
    ),
    # annexes
    "span.annex.counties": (
        "附件{n}：{year}年{span}各县（区）重大项目投资完成情况",
        "Annex {n}: investment by county, {span} {year}",
    ),
    "span.annex.units": (
        "附件{n}：{year}年{span}各牵头单位重大项目投资完成情况",
        "Annex {n}: investment by lead unit, {span} {year}",
    ),
    "span.annex.county_ranking": (
        "附件{n}：{year}年{span}各县（区）综合排名",
        "Annex {n}: county ranking, {span} {year}",
    ),
    "span.annex.unit_ranking": (
        "附件{n}：{year}年{span}各牵头单位综合排名",
        "Annex {n}: lead unit ranking, {span} {year}",
    ),
    "span.annex.county_assessment": (
        "附件{n}：{year}年度各县（区）考评结果",
        "Annex {n}: annual assessment of the counties, {year}",
    ),
    "span.annex.unit_assessment": (
        "附件{n}：{year}年度各牵头单位考评结果",
        "Annex {n}: annual assessment of the lead units, {year}",
    ),
    "span.annex.figures_note": (
        "注：金额单位{unit}；数据截至{end.year}年{end.month}月底，取自已定稿月度通报；完成率 = 累计完成投资 ÷ "
        "年度计划投资；序时进度{progress}；同比 =（本期 − 上年同期）÷ 上年同期，“—”为无上年同期数据。",
        "Note: amounts in {unit}; figures as of the end of {end:%B %Y}, from the "
        "closed monthly bulletins; rate = completed ÷ annual plan; time progress {progress}; "
        "year on year = (this − last year) ÷ last year, “—”: no figures last year.",
    ),
    "span.annex.half_note": (
        "任务过半：累计完成投资 ≥ 年度计划投资的50%。",
        "Past half: completed ≥ 50% of the annual plan.",
    ),
    "span.annex.ranking_note": (
        "注：{formula}数据取自{end.year}年1–{end.month}月已定稿月度通报。",
        "Note: {formula} Figures from the closed monthly bulletins, January–{end:%B %Y}.",
    ),
    "span.col.county": ("县（区）", "County"),
    "span.col.unit": ("牵头单位", "Lead unit"),
    "span.col.projects": ("项目数", "Projects"),
    "span.col.plan": ("年度计划投资（{unit}）", "Annual plan ({unit})"),
    "span.col.completed": ("累计完成投资（{unit}）", "Completed ({unit})"),
    "span.col.rate": ("完成率", "Rate"),
    "span.col.gap": ("较序时进度（百分点）", "Vs time progress (pp)"),
    "span.col.last": ("上年同期完成（{unit}）", "Same period last year ({unit})"),
    "span.col.growth": ("同比增长", "Year on year"),
    "span.col.new": ("新开工", "Started"),
    "span.col.finished": ("竣工", "Finished"),
    "span.col.half": ("任务过半", "Past half"),
    "span.col.rank": ("排名", "Rank"),
    "span.col.investment_rate": ("投资完成率", "Investment"),
    "span.col.milestone_rate": ("节点按时率", "Milestones on time"),
    "span.col.reporting_rate": ("按时报送率", "Reports on time"),
    "span.col.score": ("综合得分", "Score"),
    "span.yes": ("是", "yes"),
    "span.no": ("否", "no"),
    "span.total": ("合计", "Total"),
}
