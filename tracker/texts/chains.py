"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

#17 on screen and in print: the battle map's 前期 chains (``gantt.chain.*``, read by
tracker/gantt through ``gantt_labels``), the chains switch, the project page's steps and
links, and the approving units page (审批部门).
"""

TEXTS: dict[str, tuple[str, str]] = {
    # the battle map (tracker/gantt/chains.py, tracker/gantt/pdf.py)
    "gantt.chain.steps": ("前期手续", "Approval steps"),
    "gantt.chain.critical_path": ("关键路径", "Critical path"),
    "gantt.chain.links": ("前后衔接", "Dependencies"),
    "gantt.chain.state.not_started": ("未启动", "not started"),
    "gantt.chain.state.in_progress": ("办理中", "in progress"),
    "gantt.chain.state.done": ("已办结", "done"),
    "gantt.chain.state.overdue": ("超时", "overdue"),
    "gantt.chain.float": ("总时差 {days} 个工作日", "float {days} working days"),
    "gantt.chain.latest": ("最迟完成 {day}", "latest finish {day}"),
    "gantt.chain.critical": ("关键路径上", "on the critical path"),
    "gantt.chain.click": ("点击打开此手续", "Click to open this step"),
    # the battle map's switch
    "bm.chains": ("前期手续链", "Approval chains"),
    "bm.chains_hint": (
        "在每个项目行上显示前期手续、衔接箭头和关键路径",
        "Show each project's approval steps, their links and the critical path",
    ),
    # the project page's 前期手续 section (tracker/web/views/project_steps.py)
    "steps.title": ("前期手续与关键路径", "Approval steps and the critical path"),
    "steps.units_link": ("审批部门情况", "Approving units"),
    "steps.none": ("本项目尚未设置前期手续", "This project has no approval steps yet"),
    "steps.no_links": ("尚无前后关系", "No links yet"),
    "steps.links": ("前后关系", "Links"),
    "steps.planned": ("计划申报 → 批复", "Planned submission → approval"),
    "steps.actual": ("实际受理 → 批复", "Submitted → approved"),
    "steps.status": ("状态", "Status"),
    "steps.float": ("总时差", "Float"),
    "steps.float_days": ("{days} 个工作日", "{days} working days"),
    "steps.latest": ("保开工最迟完成", "Latest finish keeping the start"),
    "steps.actions": ("操作", "Actions"),
    "steps.edit": ("编辑", "Edit"),
    "steps.open": ("查看", "View"),
    "steps.add": ("新增手续", "Add a step"),
    "steps.apply": ("按模板生成手续", "Apply the template"),
    "steps.lag": ("间隔 {days} 个工作日", "lag {days} working days"),
    "steps.delete_link": ("删除", "Remove"),
    "steps.link_from": ("前一项", "Predecessor"),
    "steps.link_to": ("后一项", "Successor"),
    "steps.add_link": ("添加前后关系", "Add the link"),
    "steps.target": (
        "{name}：计划 {planned}，按手续最早 {forecast}，余地 {days} 个工作日",
        "{name}: planned {planned}, earliest by the approvals {forecast}, "
        "slack {days} working days",
    ),
    "steps.can_edit": (
        "您可以编辑本项目的前期手续和前后关系（每次修改都有记录）",
        "You may edit this project's approval steps and links (every change is recorded)",
    ),
    "steps.read_only": (
        "只读：您不能修改本项目的前期手续",
        "Read only: you cannot edit these steps",
    ),
    "steps.form_title": ("前期手续", "Approval step"),
    "steps.save": ("保存", "Save"),
    "steps.delete": ("删除此手续", "Remove this step"),
    "steps.saved": ("前期手续已保存", "Approval step saved"),
    "steps.deleted": ("前期手续已删除", "Approval step removed"),
    "steps.link_saved": ("前后关系已添加", "Link added"),
    "steps.link_deleted": ("前后关系已删除", "Link removed"),
    "steps.applied": (
        "已按模板“{template}”生成 {steps} 项手续、{links} 条前后关系",
        "Template “{template}” gave {steps} steps and {links} links",
    ),
    # the approving units page (tracker/web/views/approving_units.py)
    "nav.approvals": ("审批部门", "Approving units"),
    "units.title": ("审批部门前期手续办理情况", "Approval steps by approving unit"),
    "units.subtitle": (
        "按审批部门统计办理中、超时和平均用时；红黄灯按超时项数（阈值见规则表）",
        "Steps in progress and overdue, and average working days, per approving unit; the "
        "light follows the overdue count (thresholds in the rule table)",
    ),
    "units.table": ("各审批部门", "Every approving unit"),
    "units.none": ("尚无前期手续", "No approval steps yet"),
    "units.unit": ("审批部门", "Approving unit"),
    "units.light": ("灯", "Light"),
    "units.steps": ("手续数", "Steps"),
    "units.in_progress": ("办理中", "In progress"),
    "units.overdue": ("超时", "Overdue"),
    "units.late_to_submit": ("逾期未申报", "Late to submit"),
    "units.done": ("已办结", "Approved"),
    "units.average": (
        "平均用时 / 承诺时限（工作日）",
        "Average / committed (working days)",
    ),
    "units.overdue_of": ("{unit}：超时 {n} 项", "{unit}: {n} overdue"),
    "units.project": ("项目", "Project"),
    "units.county": ("县（区）", "County"),
    "units.step": ("手续", "Step"),
    "units.due": ("承诺办结日", "Due"),
    "units.over": ("超时", "Over"),
    "units.days_over": ("{days} 个工作日", "{days} working days"),
    "units.contact": ("联系人", "Contact"),
}
