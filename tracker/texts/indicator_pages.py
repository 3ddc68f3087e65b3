"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

Indicator pages (#16): the indicators list, an indicator's page (trend, values, entry and
review), the SDG view and the overview's indicators summary. The indicators' own rules and
refusals are in tracker/texts/indicators.py.
"""

TEXTS: dict[str, tuple[str, str]] = {
    # navigation
    "nav.indicators": ("指标监测", "Indicators"),
    "nav.sdg": ("SDG 进展", "SDG progress"),
    "nav.indicator_entry": ("指标填报", "Enter indicator values"),
    # the entry grid
    "indv.entry_subtitle": (
        "本单位负责的指标及应报期别；填写数值和数据来源后点“保存并报送”，由示范区办公室审核",
        "The indicators your unit is responsible for and the periods they owe: fill in the"
        " value and its source, then save and send them to the office for review",
    ),
    "indv.entry_save": ("保存并报送", "Save and send"),
    "indv.entry_count": ("共 {n} 条应报数据", "{n} values owed"),
    "indv.entry_none": ("没有需要填报的指标", "No indicator values to enter"),
    "indv.entry_nothing": ("没有修改需要保存", "Nothing changed to save"),
    "indv.entry_saved": ("已报送 {n} 条，等待办公室审核", "{n} sent: the office will review them"),
    # the entry page's Excel form (download, fill, upload back: all or nothing)
    "indv.form_download_title": ("下载指标数据填报表", "Download the indicator values form"),
    "indv.form_download_help": (
        "表中列出应报的指标和期别，已有数据已预填；灰色列请勿修改，填好本期值、数据来源后在下方上传。",
        "It lists the indicators and the periods owed, prefilled with what is stored; do not"
        " change the grey columns. Fill in the values and sources, then upload it below.",
    ),
    "indv.form_unit": ("责任单位", "Responsible unit"),
    "indv.form_upload_title": ("上传填好的指标数据填报表", "Upload the filled values form"),
    "indv.form_submitted": (
        "已报送 {n} 条指标数据（{skipped} 行未填本期值，未处理）",
        "{n} values sent ({skipped} rows with no value skipped)",
    ),
    "indv.form_saved": (
        "已保存 {n} 条草稿（{skipped} 行未填本期值，未处理）",
        "{n} drafts saved ({skipped} rows with no value skipped)",
    ),
    "indv.form_revised": ("；{n} 条已采纳数据已修订", "; {n} accepted values revised"),
    "indv.form_refused": (
        "填报表有 {n} 处错误，未写入任何数据",
        "{n} errors in the form: nothing was written",
    ),
    "indv.form_done": ("指标数据填报表已导入：{n} 条", "Values form applied: {n} values"),
    # the list
    "indv.subtitle": (
        "创新能力监测、SDGs 进展、可持续发展规划三类指标的最新值、目标与亮灯",
        "Innovation capacity, SDG progress and sustainable-development plan indicators:"
        " latest values, targets and lights",
    ),
    "indv.search": ("搜索指标名称或编号", "Search indicator name or code"),
    "indv.all_systems": ("全部体系", "All systems"),
    "indv.all_units": ("全部责任单位", "All responsible units"),
    "indv.all_goals": ("全部 SDG 目标", "All SDG goals"),
    "indv.only_missing": ("只看缺数", "Only with missing values"),
    "indv.only_pending": ("只看待审核", "Only awaiting review"),
    "indv.state_missing": ("缺 {n} 期", "{n} missing"),
    "indv.state_pending": ("{n} 条待审核", "{n} awaiting review"),
    "indv.count": ("共 {n} 项指标", "{n} indicators"),
    "indv.no_rows": ("没有符合条件的指标", "No indicator matches these filters"),
    "indv.col.light": ("亮灯", "Light"),
    "indv.col.code": ("编号", "Code"),
    "indv.col.name": ("指标名称", "Indicator"),
    "indv.col.system": ("体系", "System"),
    "indv.col.unit": ("单位", "Unit"),
    "indv.col.responsible": ("责任单位", "Responsible unit"),
    "indv.col.latest": ("最新值", "Latest value"),
    "indv.col.period": ("期别", "Period"),
    "indv.col.target": ("2025年目标", "Target 2025"),
    "indv.col.gap": ("进度差（百分点）", "Gap (pp)"),
    "indv.col.sdg": ("SDG 目标", "SDG goals"),
    "indv.col.state": ("状态", "Status"),
    "indv.col.reasons": ("亮灯原因", "Why this light"),
    # an indicator's page
    "indv.title": ("指标", "Indicator"),
    "indv.back": ("返回指标列表", "Back to the indicators"),
    "indv.facts": ("指标说明", "About this indicator"),
    "indv.targets": ("目标值", "Targets"),
    "indv.trend": ("走势与目标", "Trend against target"),
    "indv.no_values": ("尚无数据", "No values yet"),
    "indv.values": ("填报记录", "Values entered"),
    "indv.projects": ("关联项目", "Linked projects"),
    "indv.no_projects": ("暂无关联项目", "No linked projects"),
    "indv.measures": ("关联举措", "Linked measures"),
    "indv.entry": ("填报数值", "Enter a value"),
    "indv.entry_hint": (
        "报送后由示范区办公室审核；已采纳的数值修改须说明原因",
        "The office reviews what you submit; changing an accepted value needs a reason",
    ),
    "indv.period": ("期别", "Period"),
    "indv.value": ("数值", "Value"),
    "indv.value_source": ("数据来源", "Source"),
    "indv.note": ("说明", "Note"),
    "indv.reason": ("修改原因", "Reason for the change"),
    "indv.evidence": ("佐证材料", "Evidence"),
    "indv.evidence_pick": ("选择佐证文件（可选）", "Choose an evidence file (optional)"),
    "indv.submit": ("报送", "Submit"),
    "indv.saved.submitted": ("已报送，等待办公室审核", "Submitted: the office will review it"),
    "indv.saved.accepted": ("已修订并采纳", "Revised and accepted"),
    "indv.saved.draft": ("已保存草稿", "Saved as a draft"),
    "indv.saved.returned": ("已保存", "Saved"),
    "indv.accepted_msg": ("已采纳，指标亮灯已更新", "Accepted: the indicator's light is updated"),
    "indv.returned_msg": ("已退回，责任单位将收到通知", "Returned: the unit is told"),
    "indv.review": ("审核", "Review"),
    "indv.accept": ("采纳", "Accept"),
    "indv.return": ("退回", "Return"),
    "indv.return_comment": ("退回意见", "Why it is returned"),
    "indv.col.entered_by": ("填报人", "Entered by"),
    "indv.col.entered_at": ("填报时间", "Entered"),
    "indv.col.status": ("审核状态", "Review"),
    "indv.col.comment": ("意见", "Comment"),
    "indv.fig.value": ("实际值", "Value"),
    "indv.fig.target": ("目标", "Target"),
    "indv.fig.path": ("目标路径", "Path to target"),
    "indv.fig.pending": ("待审核", "Awaiting review"),
    # the SDG view
    "indv.sdg_title": ("SDG 进展", "SDG progress"),
    "indv.sdg_subtitle": (
        "17 个可持续发展目标，按对应指标的亮灯着色；点击查看该目标的指标",
        "The 17 Sustainable Development Goals, coloured by their indicators' lights;"
        " click a goal to see them",
    ),
    "indv.sdg_counts": (
        "{n} 项指标 · 红 {red} · 黄 {amber} · 绿 {green} · 缺数 {missing}",
        "{n} indicators · red {red} · amber {amber} · green {green} · missing {missing}",
    ),
    "indv.sdg_empty": ("暂无对应指标", "No indicators yet"),
    # the overview's summary
    "indv.summary": ("指标监测", "Indicators"),
    "indv.state_missing_n": ("缺数 {n}", "missing {n}"),
    "indv.summary_pending": ("待审核 {n} 条", "{n} awaiting review"),
    "indv.summary_worst": ("落后最多的红灯指标", "Red indicators furthest behind"),
    "indv.summary_open": ("查看指标", "Open the indicators"),
    "indv.summary_sdg": ("SDG 进展", "SDG progress"),
}
