"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

The approvals slice (#17): 前期手续 steps, their links, the start-at-risk light, the
approving units' view and the bulletin's approvals section and annex.
"""

TEXTS: dict[str, tuple[str, str]] = {
    # a step's status
    "approval.status.not_started": ("未启动", "Not started"),
    "approval.status.in_progress": ("办理中", "In progress"),
    "approval.status.done": ("已办结", "Approved"),
    "approval.status.overdue": ("超时", "Overdue"),
    "approval.kind.FS": ("完成后开始", "Finish to start"),
    "approval.kind.SS": ("同时开始", "Start to start"),
    # the step form's fields
    "label.step.name": ("手续名称", "Step"),
    "label.step.approving_unit": ("审批部门", "Approving unit"),
    "label.step.time_limit_days": ("承诺时限（工作日）", "Time limit (working days)"),
    "label.step.planned_start": ("计划申报日期", "Planned submission"),
    "label.step.planned_finish": ("计划批复日期", "Planned approval"),
    "label.step.actual_start": ("实际受理日期", "Submitted on"),
    "label.step.actual_finish": ("实际批复日期", "Approved on"),
    "label.step.document_number": ("批复文号", "Approval document no."),
    "label.step.contact_person": ("审批部门联系人", "Approving unit contact"),
    "label.step.contact_phone": ("联系电话", "Contact phone"),
    "label.step.note": ("备注", "Note"),
    "label.link.lag_days": ("间隔（工作日）", "Lag (working days)"),
    # refusals
    "approval.step_missing": ("该前期手续不存在", "No such approval step"),
    "approval.link_missing": ("该前后关系不存在", "No such link"),
    "approval.template_missing": ("该手续模板不存在", "No such chain template"),
    "approval.stale": (
        "保存失败：该前期手续已被他人修改（您看到的是旧版本），请刷新页面查看最新内容后再保存。",
        "Not saved: someone else changed this approval step after you opened it. Reload the "
        "page to see the latest version, then save again.",
    ),
    "approval.link_stale": (
        "保存失败：该前后关系已被他人修改，请刷新页面后再保存。",
        "Not saved: someone else changed this link after you opened it. Reload and save again.",
    ),
    "approval.has_steps": (
        "项目“{project}”已有 {count} 项前期手续，不能再套用模板；请逐项修改",
        "Project “{project}” already has {count} approval steps; edit them one by one instead "
        "of applying a template",
    ),
    "approval.no_template": (
        "没有适用于建设性质“{nature}”的手续模板",
        "No chain template fits the nature “{nature}”",
    ),
    "approval.bad_limit": (
        "{field}应为 1 至 365 之间的整数：{value}",
        "{field} must be a whole number from 1 to 365: {value}",
    ),
    "approval.bad_lag": (
        "{field}应为 -250 至 250 之间的整数：{value}",
        "{field} must be a whole number from -250 to 250: {value}",
    ),
    "approval.bad_kind": (
        "前后关系类型应为 FS（完成后开始）或 SS（同时开始）：{value}",
        "A link is FS (finish to start) or SS (start to start), not {value}",
    ),
    "approval.finish_before_start": (
        "{finish}（{finish_day:%Y-%m-%d}）早于{start}（{start_day:%Y-%m-%d}）",
        "{finish} ({finish_day:%Y-%m-%d}) is before {start} ({start_day:%Y-%m-%d})",
    ),
    "approval.actual_in_future": (
        "{field} {day:%Y-%m-%d} 晚于今天，不能预先填写",
        "{field} {day:%Y-%m-%d} is after today: it cannot be entered in advance",
    ),
    "approval.bad_node": (
        "前后关系的一端“{node}”不是本项目的前期手续或节点",
        "The link end “{node}” is not a step or milestone of this project",
    ),
    "approval.self_link": (
        "“{node}”不能与自身建立前后关系",
        "“{node}” cannot be linked to itself",
    ),
    "approval.link_exists": (
        "“{source}”与“{target}”之间已有前后关系",
        "“{source}” and “{target}” are already linked",
    ),
    "approval.cycle": (
        "前后关系形成循环：{steps}；请删除其中一条关系",
        "The links form a cycle: {steps}; remove one of them",
    ),
    # the light rules (the rule table on the thresholds page)
    "reason.start_at_risk": (
        "开工受影响：“{step}”已超过保开工的最迟日期（{latest:%Y-%m-%d}）{days} 个工作日",
        "Start at risk: “{step}” is {days} working days past its latest date "
        "({latest:%Y-%m-%d}) that keeps the planned start",
    ),
    "rule.start_at_risk.name": ("前期手续影响开工", "Start at risk from approvals"),
    "rule.start_at_risk.measure": (
        "未办结的前期手续超过其保开工最迟日期（未申报的为最迟申报日，已申报的为最迟办结日）"
        "的工作日数（取最长者）",
        "Working days an unfinished approval step is past the latest date that keeps the "
        "planned start (its latest submission, or once submitted its latest approval; the "
        "longest)",
    ),
    "rule.start_at_risk.applies": (
        "有前期手续且尚未开工的项目",
        "Projects with approval steps, not yet started",
    ),
    "rule.approval_unit_overdue.name": ("审批部门超时", "Approving unit overdue"),
    "rule.approval_unit_overdue.measure": (
        "审批部门超时未办结的前期手续项数",
        "Approval steps overdue at the approving unit",
    ),
    "rule.approval_unit_overdue.applies": (
        "各审批部门（审批部门视图和调度通报）",
        "Every approving unit (the units' view and the bulletin)",
    ),
    "rule.unit.workdays": ("个工作日", "working days"),
    "rule.unit.items": ("项", "items"),
}
