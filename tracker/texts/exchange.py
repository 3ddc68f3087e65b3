"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

Working days, the critical path (#17) and the exchange of the plan: MS Project XML
(MSPDI) and the iCalendar feed (tracker/domain/workdays.py, tracker/domain/critical_path.py,
tracker/exchange/).
"""

TEXTS: dict[str, tuple[str, str]] = {
    # working days
    "workdays.outside": (
        "日期 {day} 超出工作日历的范围（{first:%Y-%m-%d} 至 {last:%Y-%m-%d}）",
        "The date {day} is outside the working-day calendar ({first:%Y-%m-%d} to {last:%Y-%m-%d})",
    ),
    # the critical path
    "critical_path.cycle": (
        "前后关系构成了循环：{steps}。循环中的步骤无法排出先后，请删除其中一条关联",
        "The links form a cycle: {steps}. Steps in a cycle cannot be put in order: remove "
        "one of these links",
    ),
    "critical_path.duplicate": (
        "步骤或节点“{activity}”重复出现",
        "The step or milestone “{activity}” appears twice",
    ),
    "critical_path.bad_duration": (
        "“{activity}”的工期 {duration} 个工作日无效：工期不能为负数",
        "“{activity}”: a duration of {duration} working days is not valid (it cannot be negative)",
    ),
    "critical_path.unknown_activity": (
        "关联 {predecessor} → {successor} 指向不存在的步骤或节点“{activity}”",
        "The link {predecessor} → {successor} names “{activity}”, which is not a step or "
        "milestone of the project",
    ),
    "critical_path.unknown_target": (
        "目标节点“{target}”不在该项目的步骤和节点中",
        "The target “{target}” is not one of the project's steps or milestones",
    ),
    # MS Project XML (MSPDI)
    "exchange.not_xml": (
        "文件不是可读取的 XML：{detail}",
        "The file is not readable XML: {detail}",
    ),
    "exchange.not_mspdi": (
        "文件不是 MS Project XML（根元素为 {root}，应为 Project）",
        "The file is not MS Project XML (its root element is {root}, not Project)",
    ),
    "exchange.code_missing": (
        "任务“{task}”（UID {uid}）没有编码：请在字段“{field}”（Text1）中填写项目、步骤或节点的编码",
        "The task “{task}” (UID {uid}) has no code: fill in the field “{field}” (Text1) "
        "with the project's, step's or milestone's code",
    ),
    "exchange.duplicate_code": (
        "编码“{code}”出现了不止一次（任务“{task}”）",
        "The code “{code}” appears more than once (task “{task}”)",
    ),
    "exchange.outline": (
        "任务“{task}”（UID {uid}）的大纲级别 {level} 不符合：项目应为第 1 级（摘要任务），"
        "步骤和节点应为第 2 级",
        "The task “{task}” (UID {uid}) is at outline level {level}: projects must be at "
        "level 1 (summary tasks), steps and milestones at level 2",
    ),
    "exchange.outside_project": (
        "任务“{task}”（UID {uid}）不在任何项目（摘要任务）之下",
        "The task “{task}” (UID {uid}) is not under a project (a summary task)",
    ),
    "exchange.missing": (
        "任务“{task}”（UID {uid}）缺少 {element}",
        "The task “{task}” (UID {uid}) has no {element}",
    ),
    "exchange.bad_value": (
        "任务“{task}”（UID {uid}）的 {element} 值“{value}”无法识别",
        "The task “{task}” (UID {uid}): {element} “{value}” cannot be read",
    ),
    "exchange.unknown_predecessor": (
        "任务“{task}”的前置任务“{predecessor}”不在文件中",
        "The task “{task}” names a predecessor “{predecessor}” that is not in the file",
    ),
    "exchange.link_type": (
        "任务“{task}”（UID {uid}）的关联类型 {type} 不支持：只支持完成-开始（FS）和开始-开始（SS）",
        "The task “{task}” (UID {uid}) has a {type} link: only finish-to-start (FS) and "
        "start-to-start (SS) links are supported",
    ),
}
