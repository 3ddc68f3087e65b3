"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

The zone's indicators (#16): directions, frequencies, value states, the light's reasons,
the 17 SDG goals, refusals of the indicator services and their notices.
"""

SDG_NAMES: dict[int, tuple[str, str]] = {
    1: ("无贫穷", "No poverty"),
    2: ("零饥饿", "Zero hunger"),
    3: ("良好健康与福祉", "Good health and well-being"),
    4: ("优质教育", "Quality education"),
    5: ("性别平等", "Gender equality"),
    6: ("清洁饮水和卫生设施", "Clean water and sanitation"),
    7: ("经济适用的清洁能源", "Affordable and clean energy"),
    8: ("体面工作和经济增长", "Decent work and economic growth"),
    9: ("产业、创新和基础设施", "Industry, innovation and infrastructure"),
    10: ("减少不平等", "Reduced inequalities"),
    11: ("可持续城市和社区", "Sustainable cities and communities"),
    12: ("负责任消费和生产", "Responsible consumption and production"),
    13: ("气候行动", "Climate action"),
    14: ("水下生物", "Life below water"),
    15: ("陆地生物", "Life on land"),
    16: ("和平、正义与强大机构", "Peace, justice and strong institutions"),
    17: ("促进目标实现的伙伴关系", "Partnerships for the goals"),
}

TEXTS: dict[str, tuple[str, str]] = {
    # catalogue fields
    "indicator.field.system": ("指标体系", "System"),
    "indicator.field.code": ("指标编号", "Code"),
    "indicator.field.name": ("指标名称", "Indicator"),
    "indicator.field.unit": ("计量单位", "Unit"),
    "indicator.field.definition": ("指标解释", "Definition"),
    "indicator.field.direction": ("指标属性", "Direction"),
    "indicator.field.band": ("目标区间", "Target band"),
    "indicator.field.baseline_year": ("基期年份", "Baseline year"),
    "indicator.field.baseline_value": ("基期值", "Baseline value"),
    "indicator.field.target_2025": ("2025年目标值", "Target 2025"),
    "indicator.field.target_2030": ("2030年目标值", "Target 2030"),
    "indicator.field.target_year": ("{year}年目标值", "Target {year}"),
    "indicator.field.lead_unit": ("责任单位", "Responsible unit"),
    "indicator.field.data_source": ("数据来源", "Data source"),
    "indicator.field.frequency": ("统计频次", "Frequency"),
    "indicator.field.goals": ("对应SDG目标", "SDG goals"),
    "indicator.field.sdg_targets": ("对应SDG具体目标", "SDG targets"),
    "indicator.field.measures": ("关联工作举措", "Linked measures"),
    "indicator.field.projects": ("关联项目", "Linked projects"),
    "indicator.field.period": ("统计期", "Period"),
    "indicator.field.value": ("指标值", "Value"),
    "indicator.field.source": ("数据出处", "Source"),
    "indicator.field.note": ("说明", "Note"),
    "indicator.field.province_rank": ("全省排名", "Rank in the province"),
    "indicator.field.status": ("审核状态", "Review status"),
    "indicator.field.attachment": ("佐证材料", "Evidence"),
    "indicator.field.reason": ("原因", "Reason"),
    "indicator.field.latest": ("最新值", "Latest value"),
    "indicator.field.expected": ("应达值", "Expected"),
    "indicator.field.gap": ("进度差（百分点）", "Gap (pp)"),
    "indicator.field.light": ("状态", "Light"),
    "indicator.field.missing": ("缺报期", "Missing periods"),
    # directions, frequencies, value states
    "indicator.direction.higher": ("正向（越高越好）", "Higher is better"),
    "indicator.direction.lower": ("逆向（越低越好）", "Lower is better"),
    "indicator.direction.band": ("区间（保持在目标区间内）", "Within a band"),
    "indicator.frequency.annual": ("年度", "Annual"),
    "indicator.frequency.quarterly": ("季度", "Quarterly"),
    "indicator.frequency.monthly": ("月度", "Monthly"),
    "indicator.status.none": ("未填报", "Not entered"),
    "indicator.status.draft": ("草稿", "Draft"),
    "indicator.status.submitted": ("待审核", "Waiting for review"),
    "indicator.status.returned": ("已退回", "Returned"),
    "indicator.status.accepted": ("已采纳", "Accepted"),
    "indicator.period.annual": ("{year}年", "{year}"),
    "indicator.period.quarterly": ("{year}年第{quarter}季度", "Q{quarter} {year}"),
    "indicator.period.monthly": ("{year}年{month}月", "{month:02d}/{year}"),
    "indicator.basis.year_target": ("年度目标", "the year's target"),
    "indicator.basis.linear": ("按基期至目标年线性推算", "linear from baseline to target"),
    "indicator.basis.band": ("目标区间", "the target band"),
    "indicator.basis.none": ("未设目标", "no target set"),
    "indicator.no_target": ("未设目标值，仅跟踪变化", "No target set: only the trend is followed"),
    # the light's reasons (tracker.domain.indicators.RULES; rendered by i18n.describe_reason)
    "reason.behind_target": (
        "{year}年值 {actual}，应达 {expected}（{target_year}年目标 {target}），"
        "落后目标进度 {gap_abs} 个百分点",
        "{year} value {actual} is {gap_abs} pp behind the expected {expected} "
        "(target {target} in {target_year})",
    ),
    "reason.outside_band": (
        "最新值 {value} 超出目标区间 {low}～{high}（偏离 {pct}%）",
        "Latest value {value} is outside the band {low}–{high} (by {pct}%)",
    ),
    "reason.missing_values": (
        "最近连续 {periods} 期未报送（或未采纳）数据",
        "No accepted value for the latest {periods} periods",
    ),
    "reason.moving_away": (
        "连续 {periods} 期向不利方向变化",
        "Moved the wrong way {periods} periods in a row",
    ),
    # refusals
    "indicator.missing": ("指标不存在", "No such indicator"),
    "indicator.value_missing": ("指标数据不存在", "No such indicator value"),
    "indicator.stale": (
        "保存失败：该指标数据已被他人修改（您看到的是旧版本），请刷新后再操作。",
        "Not saved: someone else changed this value after you opened it. Reload and try again.",
    ),
    "indicator.catalogue_stale": (
        "保存失败：该指标已被他人修改，请刷新后再操作。",
        "Not saved: someone else changed this indicator. Reload and try again.",
    ),
    "indicator.thresholds_stale": (
        "指标亮灯规则已被他人修改，请刷新后重试",
        "Someone else changed the indicator light rules; reload and try again",
    ),
    "indicator.err.thresholds": (
        "亮灯规则的取值不合理（{detail}）：黄灯线须大于0且不高于红灯线",
        "The light rules are not valid ({detail}): each amber edge must be above 0 and at "
        "most its red edge",
    ),
    "indicator.err.period": (
        "统计期“{value}”不是{frequency}指标的统计期（应如 {example}）",
        "“{value}” is not a period of a {frequency} indicator (write it like {example})",
    ),
    "indicator.err.period_future": (
        "统计期 {period} 尚未结束，不能填报",
        "The period {period} has not ended yet: no value can be entered for it",
    ),
    "indicator.err.period_early": (
        "统计期 {period} 早于 {first} 年，不能填报",
        "The period {period} is before {first}: no value can be entered for it",
    ),
    "indicator.err.value_required": ("请填写指标值", "Enter the value"),
    "indicator.err.value": (
        "指标值“{value}”不是有效的数字",
        "The value “{value}” is not a valid number",
    ),
    "indicator.err.rank": (
        "全省排名“{value}”应为 1～200 的整数",
        "The rank in the province “{value}” must be a whole number from 1 to 200",
    ),
    "indicator.err.source_required": (
        "请填写数据出处（如统计年鉴、部门统计报表）",
        "Name the source of the value (a statistical yearbook, a department's return …)",
    ),
    "indicator.err.reason_required": ("请填写原因", "Give a reason"),
    "indicator.err.accepted_needs_revision": (
        "该数据已采纳，修改请走“修订”并说明原因",
        "This value is accepted: change it by revising it with a reason",
    ),
    "indicator.err.not_submitted": (
        "只有待审核的数据可以采纳或退回",
        "Only a value waiting for review can be accepted or returned",
    ),
    "indicator.err.not_accepted": (
        "只有已采纳的数据可以修订",
        "Only an accepted value can be revised",
    ),
    "indicator.err.nothing_to_submit": (
        "该数据已报送，无需重复报送",
        "This value has already been sent",
    ),
    "indicator.err.attachment_type": (
        "佐证材料“{name}”的类型不支持（可用 {types}）",
        "The evidence “{name}” is not a supported type ({types})",
    ),
    "indicator.err.attachment_size": (
        "佐证材料“{name}”超过 {limit} MB",
        "The evidence “{name}” is larger than {limit} MB",
    ),
    "indicator.err.attachment_empty": (
        "佐证材料“{name}”是空文件",
        "The evidence “{name}” is empty",
    ),
    "indicator.err.no_attachment": ("该数据没有佐证材料", "This value has no evidence attached"),
    "indicator.err.at": ("{where}处：{message}", "{where}: {message}"),
    "indicator.err.duplicate_entry": (
        "{code} 的 {period} 数据重复填写",
        "The value of {code} for {period} is given twice",
    ),
    # the catalogue as files give it
    "indicator.err.system_required": ("请填写指标体系", "Name the indicator system"),
    "indicator.err.code_required": ("请填写指标编号", "Give the indicator's code"),
    "indicator.err.name_required": ("请填写指标名称", "Give the indicator's name"),
    "indicator.err.direction": (
        "指标属性“{value}”应为正向、逆向或区间",
        "The direction “{value}” must be higher, lower or band",
    ),
    "indicator.err.frequency": (
        "统计频次“{value}”应为年度、季度或月度",
        "The frequency “{value}” must be annual, quarterly or monthly",
    ),
    "indicator.err.band": (
        "区间指标须填写目标区间的下限和/或上限（下限不大于上限）",
        "A band indicator needs a lower and/or an upper bound (the lower not above the upper)",
    ),
    "indicator.err.goal": (
        "SDG目标“{value}”应为 1～17",
        "The SDG goal “{value}” must be from 1 to 17",
    ),
    "indicator.err.year": ("年份“{value}”不合理", "The year “{value}” is not plausible"),
    "indicator.err.number": (
        "{field}“{value}”不是有效的数字",
        "{field} “{value}” is not a valid number",
    ),
    "indicator.err.unknown_measure": (
        "没有名为“{name}”的工作举措",
        "There is no work measure called “{name}”",
    ),
    "indicator.err.unknown_project": (
        "没有编号为“{code}”的项目",
        "There is no project with the code “{code}”",
    ),
    "indicator.err.unknown_indicator": (
        "{system} 中没有编号为“{code}”的指标",
        "{system} has no indicator with the code “{code}”",
    ),
    "indicator.err.duplicate_code": (
        "{system} 中指标编号“{code}”重复",
        "The code “{code}” appears twice in {system}",
    ),
    "indicator.err.value_status": (
        "审核状态“{value}”应为草稿、待审核、已退回或已采纳",
        "The review status “{value}” must be draft, waiting, returned or accepted",
    ),
    # notices (the bell names the reason)
    "notify.reason.indicator_returned": ("指标数据被退回", "Indicator value returned"),
    "indicator.returned_subject": (
        "指标数据被退回：{code} {name}（{period}）",
        "Indicator value returned: {code} {name} ({period})",
    ),
    "indicator.returned_body": (
        "示范区建设办公室退回了“{name}”{period}的数据，原因：{reason}。请修改后重新报送。",
        "The project office returned the value of “{name}” for {period}: {reason}. Correct "
        "it and send it again.",
    ),
}

TEXTS.update(
    {
        f"sdg.goal.{goal}": (f"目标{goal}：{zh}", f"Goal {goal}: {en}")
        for goal, (zh, en) in SDG_NAMES.items()
    }
)
TEXTS.update({f"sdg.short.{goal}": pair for goal, pair in SDG_NAMES.items()})
