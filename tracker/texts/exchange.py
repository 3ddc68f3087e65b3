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
    # importing MS Project XML into the plan (tracker/services/exchange.py)
    "exchange.unknown_project": (
        "摘要任务“{task}”的编码“{code}”不是已有项目的编码",
        "The summary task “{task}” has the code “{code}”, which is not a project's code",
    ),
    "exchange.unknown_code": (
        "任务“{task}”的编码“{code}”不是已有步骤或节点的编码（新的步骤请在项目页添加）",
        "The task “{task}” has the code “{code}”, which is not an existing step's or "
        "milestone's (add new steps on the project page)",
    ),
    "exchange.wrong_project": (
        "任务“{task}”（{code}）放在了项目 {project} 之下，但它属于另一个项目",
        "The task “{task}” ({code}) is under the project {project} but belongs to another one",
    ),
    "exchange.wrong_kind": (
        "任务“{task}”（{code}）的类型与系统中的不一致（步骤与节点不能互换）",
        "The task “{task}” ({code}) is of the other kind here (a step cannot become a "
        "milestone, nor the reverse)",
    ),
    "exchange.finish_before_start": (
        "任务“{task}”（{code}）的完成日期早于开始日期",
        "The task “{task}” ({code}) finishes before it starts",
    ),
    "exchange.actual_in_future": (
        "任务“{task}”（{code}）的实际日期 {day:%Y-%m-%d} 晚于今天",
        "The task “{task}” ({code}) has an actual date {day:%Y-%m-%d} after today",
    ),
    "exchange.link_end": (
        "关联 {predecessor} → {successor} 的一端不是已有的步骤或节点",
        "The link {predecessor} → {successor} has an end that is not an existing step or milestone",
    ),
    "exchange.link_across": (
        "关联“{predecessor}”→“{successor}”跨越了两个项目：关联只能在同一项目的步骤和节点之间",
        "The link “{predecessor}” → “{successor}” joins two projects: links join steps and "
        "milestones of one project",
    ),
    "exchange.not_in_file": (
        "{code} 不在文件中，保持不变",
        "{code} is not in the file and stays as it is",
    ),
    "exchange.import_summary": (
        "文件中有 {projects} 个项目、{tasks} 个步骤和节点、{links} 条关联；"
        "{changes} 个步骤或节点有变化，关联新增 {added} 条、修改 {changed} 条、删除 {removed} 条",
        "The file holds {projects} projects, {tasks} steps and milestones, {links} links; "
        "{changes} steps or milestones change, {added} links are added, {changed} changed, "
        "{removed} removed",
    ),
    "exchange.field.name": ("名称", "Name"),
    "exchange.field.planned_start": ("计划开始", "Planned start"),
    "exchange.field.planned_finish": ("计划完成", "Planned finish"),
    "exchange.field.actual_start": ("实际开始（受理）", "Actual start (submitted)"),
    "exchange.field.actual_finish": ("实际完成（办结）", "Actual finish (approved)"),
    "exchange.field.planned_date": ("计划日期", "Planned date"),
    "exchange.field.actual_date": ("实际完成日期", "Actual date"),
    # the calendar feed (tracker/services/calendar_feed.py, tracker/web/calendar_routes.py)
    "feed.calendar_name": ("挂图作战 · {user}", "Project map · {user}"),
    "feed.milestone_title": ("节点：{milestone} · {project}", "Milestone: {milestone} · {project}"),
    "feed.milestone_description": (
        "项目 {code}：节点计划日期 {day:%Y-%m-%d}",
        "Project {code}: milestone planned for {day:%Y-%m-%d}",
    ),
    "feed.step_title": ("【前期】{step} · {project}", "[Approval] {step} · {project}"),
    "feed.step_description": (
        "项目 {code}：审批部门 {unit}，计划办结 {day:%Y-%m-%d}",
        "Project {code}: approving unit {unit}, approval planned for {day:%Y-%m-%d}",
    ),
    "calendar.title": ("我的日历订阅", "My calendar feed"),
    "calendar.explain": (
        "把您负责项目的节点和前期手续办结日期订阅到手机日历：复制下面的私人链接，"
        "在日历应用中选择“添加订阅日历”。链接就是钥匙，请勿转发。",
        "Subscribe your phone calendar to the milestones and approval deadlines of your "
        "projects: copy the private link below and add it as a subscribed calendar. The link "
        "is the key: do not pass it on.",
    ),
    "calendar.new_url": (
        "您的新订阅链接（只显示这一次，旧链接已失效）：",
        "Your new feed link (shown this once; the old link no longer works):",
    ),
    "calendar.first_url": (
        "您的订阅链接（只显示这一次，请现在复制）：",
        "Your feed link (shown this once: copy it now):",
    ),
    "calendar.has_url": (
        "您已有订阅链接。忘记了或泄露了，可以生成新的链接，旧链接随即失效。",
        "You have a feed link. If it is lost or was shared, make a new one: the old link "
        "stops working at once.",
    ),
    "calendar.create": ("生成订阅链接", "Make my feed link"),
    "calendar.reset": ("重新生成链接（旧链接失效）", "Make a new link (ends the old one)"),
    "calendar.back": ("返回", "Back"),
    "shell.calendar": ("日历订阅", "Calendar feed"),
}
