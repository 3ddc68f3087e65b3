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
}
