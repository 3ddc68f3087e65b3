"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

The plan slice: projects, milestones, the demo office (refusals raised by the services).
"""

TEXTS: dict[str, tuple[str, str]] = {
    # projects
    "project.missing": ("项目不存在", "No such project"),
    # milestones
    "milestone.missing": ("节点不存在", "No such milestone"),
    "milestone.stale": (
        "保存失败：该节点已被他人修改（您看到的是旧版本），请刷新页面查看最新内容后再保存。",
        "Not saved: someone else changed this milestone after you opened it. Reload the page "
        "to see the latest version, then save again.",
    ),
    "milestone.setting_stale": (
        "该设置已被他人修改，请刷新后重试",
        "Someone else changed this setting; reload and try again",
    ),
    "milestone.field.actual_date": ("实际完成日期", "The actual completion date"),
    "milestone.field.new_date": ("新的计划日期", "The new planned date"),
    "milestone.date_required": ("请填写{what}", "{what} is required"),
    "milestone.done_in_future": (
        "实际完成日期 {day:%Y-%m-%d} 晚于今天，不能预先标记完成",
        "The actual completion date {day:%Y-%m-%d} is after today: a milestone cannot be "
        "marked done in advance",
    ),
    "milestone.done_unlikely": (
        "实际完成日期 {day:%Y-%m-%d} 不合理",
        "The actual completion date {day:%Y-%m-%d} is not plausible",
    ),
    "milestone.reason_required": (
        "调整计划日期必须填写原因",
        "A new planned date needs a reason",
    ),
    "milestone.already_done": (
        "该节点已完成，不能再调整计划日期",
        "This milestone is done; its planned date can no longer change",
    ),
    "milestone.same_date": (
        "新的计划日期与当前计划日期相同",
        "The new planned date is the same as the current one",
    ),
    "milestone.new_date_unlikely": (
        "新的计划日期 {day:%Y-%m-%d} 不合理",
        "The new planned date {day:%Y-%m-%d} is not plausible",
    ),
    "milestone.nothing_pending": (
        "该节点没有待审批的计划调整",
        "This milestone has no new date waiting for approval",
    ),
    # the demo office
    "demo.not_empty": (
        "数据库中已有项目，演示数据只能写入空数据库",
        "The database already holds projects: the demo office can only be written to an "
        "empty database",
    ),
}
