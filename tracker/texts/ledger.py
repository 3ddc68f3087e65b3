"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

Ledger (#14): the causes of items, the third 督办 level, the responsible unit still to be
named, the escalation notices and the 督办单.
"""

TEXTS: dict[str, tuple[str, str]] = {
    # causes (domain.duban.CAUSES)
    "ledger.cause.land": ("用地", "Land"),
    "ledger.cause.funds": ("资金", "Funding"),
    "ledger.cause.approval": ("审批", "Approvals"),
    "ledger.cause.demolition": ("征拆", "Land acquisition and demolition"),
    "ledger.cause.factors": ("要素保障", "Supplies and utilities"),
    "ledger.cause.other": ("其他", "Other"),
    "ledger.col.cause": ("问题成因", "Cause"),
    "ledger.all_causes": ("全部成因", "All causes"),
    "ledger.err.cause": (
        "问题成因应为用地、资金、审批、征拆、要素保障或其他",
        "The cause must be land, funding, approvals, acquisition and demolition, supplies or other",
    ),
    # the third 督办 level (the first two are in tracker/i18n.py)
    "ledger.level.mayor": ("市长督办", "Mayor's follow-up"),
    # the responsible unit not yet known
    "ledger.owner_unknown": ("待明确", "To be named"),
    "ledger.owner_hint": (
        "未从内容中识别出责任单位，请办公室明确",
        "No responsible unit found in the text: the office names one",
    ),
    # the 督办单
    "ledger.duban.docx": ("督办单（Word）", "Follow-up notice (Word)"),
    "ledger.duban.pdf": ("督办单（PDF）", "Follow-up notice (PDF)"),
    "ledger.duban.issued": ("督办单 {number} 已生成", "Follow-up notice {number} issued"),
    "ledger.err.duban_closed": (
        "该事项已销号，不再出具督办单",
        "This item is closed: no follow-up notice is issued for it",
    ),
    "duban.title": ("重大项目协调事项督办单", "Major projects: follow-up notice"),
    "duban.field": ("项目", "Item"),
    "duban.content": ("内容", "Details"),
    "duban.project": ("项目名称", "Project"),
    "duban.county": ("所属县（区）", "County"),
    "duban.lead_unit": ("牵头单位", "Lead unit"),
    "duban.kind": ("事项类别", "Kind"),
    "duban.text": ("督办事项", "Matter"),
    "duban.cause": ("问题成因", "Cause"),
    "duban.owner": ("责任单位", "Unit responsible"),
    "duban.level": ("督办级别", "Follow-up level"),
    "duban.raised_on": ("提出日期", "Raised on"),
    "duban.due_date": ("整改时限", "Deadline"),
    "duban.days_open": ("已历时（天）", "Days open"),
    "duban.none": ("未定", "not set"),
    "duban.request_heading": ("督办要求", "What is asked"),
    "duban.request": (
        "请{owner}高度重视，明确专人负责，于{due}前办结，并将办理情况书面报送{office}；"
        "逾期未办结的，按程序提级督办。",
        "{owner}: please assign a person in charge, settle the matter by {due} and report in "
        "writing to {office}; an item not settled by then is followed up one level "
        "higher.",
    ),
    # escalation notices (the daily job's name in the office's list of job runs)
    "job.duban_escalation": ("督办升级", "Follow-up escalation"),
    "notify.reason.duban_escalation": ("督办升级", "Follow-up escalated"),
    "duban.escalated.subject": (
        "督办升级：{code} {name}（{level}）",
        "Follow-up escalated: {code} {name} ({level})",
    ),
    "duban.escalated.digest_subject": ("督办升级：{n} 项", "Follow-ups escalated: {n}"),
    "duban.escalated.item": (
        "{code} {name}\n事项：{text}\n责任单位：{owner}\n已历时 {days} 天，整改时限 {due}；"
        "督办级别由{before}升为{level}。",
        "{code} {name}\nItem: {text}\nUnit responsible: {owner}\nOpen {days} days, "
        "deadline {due}; follow-up raised from {before} to {level}.",
    ),
}
