"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

The value rules (tracker/domain/inputs.py): what a number, date or text a person gives must be.
``label`` is the field's name (a Message, or as another feature wrote it); ``value`` the
refused value quoted back (``shown``).
"""

TEXTS: dict[str, tuple[str, str]] = {
    # numbers
    "value.not_finite": ("{label}“{value}”不是有效数字", "{label} “{value}” is not a valid number"),
    "value.not_decimal": (
        "{label}“{value}”不是十进制数字，请填写普通数字",
        "{label} “{value}” is not a decimal number; write a plain number",
    ),
    "value.exponent": (
        "{label}“{value}”用了科学计数法，请写成普通数字（如 12345.67）",
        "{label} “{value}” is in scientific notation; write a plain number (such as 12345.67)",
    ),
    "value.not_number": ("{label}“{value}”不是数字", "{label} “{value}” is not a number"),
    "value.read_as": (
        "{label}“{value}”按 {number} 读取（{changes}）",
        "{label} “{value}” read as {number} ({changes})",
    ),
    "value.change.full_width": ("全角字符已按半角读取", "full-width characters read as half-width"),
    "value.change.grouping": ("千位分隔符已去掉", "thousands separators removed"),
    "value.change.both": (
        "全角字符已按半角读取，千位分隔符已去掉",
        "full-width characters read as half-width, thousands separators removed",
    ),
    "value.negative": (
        "{label}不能为负数（填报为 {value}）",
        "{label} cannot be negative (given {value})",
    ),
    "value.above_ceiling": (
        "{label} {value} 万元超过上限 {ceiling} 万元，请核对金额与单位（1 亿元 = 10,000 万元）",
        "{label} {value} (10k yuan) is above the ceiling of {ceiling} (10k yuan); check the "
        "amount and its unit (100 million yuan = 10,000 × 10k yuan)",
    ),
    "value.amount_cents": (
        "{label} {value} 最多保留两位小数（万元）",
        "{label} {value} may have at most two decimals (10k yuan)",
    ),
    "value.percent_range": (
        "{label}应在 0 到 100 之间（填报为 {value}）",
        "{label} must be between 0 and 100 (given {value})",
    ),
    "value.percent_cents": (
        "{label} {value} 最多保留两位小数",
        "{label} {value} may have at most two decimals",
    ),
    "value.unusable.completed_month": (
        "本月完成投资（{value}）",
        "Investment this month ({value})",
    ),
    "value.unusable.completed_ytd": (
        "年度累计完成投资（{value}）",
        "Investment this year to date ({value})",
    ),
    "value.unusable.completed_total": (
        "开工以来累计完成投资（{value}）",
        "Investment since the start ({value})",
    ),
    "value.unusable.progress_pct": ("形象进度（{value}）", "Progress ({value})"),
    # dates
    "value.date_range": (
        "{label} {day:%Y-%m-%d} 超出可填范围（{low:%Y-%m-%d} 至 {high:%Y-%m-%d}）",
        "{label} {day:%Y-%m-%d} is outside the range that can be entered "
        "({low:%Y-%m-%d} to {high:%Y-%m-%d})",
    ),
    "value.date_format": (
        "{label}格式不正确：{value}",
        "{label} is not in the right format: {value}",
    ),
    "value.date_iso": (
        "{label}格式不正确：“{value}”（应为 YYYY-MM-DD）",
        "{label} is not in the right format: “{value}” (should be YYYY-MM-DD)",
    ),
    "value.date_invalid": ("{label}“{value}”不是有效日期", "{label} “{value}” is not a valid date"),
    # text
    "value.text_format": ("{label}格式不正确", "{label} is not in the right format"),
    "value.text_one_line": (
        "{label}只能填写一行，不能包含换行或制表符",
        "{label} must be one line, without line breaks or tabs",
    ),
    "value.text_control": (
        "{label}含有不可见的控制字符（第 {position} 个字符，U+{code}），请删除后重试",
        "{label} holds an invisible control character (character {position}, U+{code}); "
        "remove it and try again",
    ),
    "value.text_too_long": (
        "{label}不能超过 {limit} 字（现为 {length} 字）",
        "{label} may be at most {limit} characters (it is {length})",
    ),
    "value.text_required": ("请填写{label}", "Please fill in {label}"),
    # the fields the value rules name (TEXT_RULES, STORED_FIGURES)
    "label.project.code": ("项目编号", "Project code"),
    "label.project.name": ("项目名称", "Project name"),
    "label.project.lead_unit": ("牵头单位", "Lead unit"),
    "label.project.responsible_units": ("责任单位", "Responsible units"),
    "label.project.contact_person": ("责任人", "Person responsible"),
    "label.project.contact_phone": ("联系电话", "Contact phone"),
    "label.project.scope": ("建设内容及规模", "Scope and scale"),
    "label.area.name": ("所属领域", "Area"),
    "label.measure.name": ("所属举措", "Measure"),
    "label.milestone.name": ("节点名称", "Milestone name"),
    "label.report.progress_text": ("形象进度说明", "Progress description"),
    "label.report.milestone_status": ("节点完成情况", "Milestone status"),
    "label.report.problems": ("存在问题", "Problems"),
    "label.report.next_steps": ("下步工作计划", "Next steps"),
    "label.report.coordination": ("需协调解决事项", "Matters needing coordination"),
    "label.report.reporter": ("填报人", "Reported by"),
    "label.report.return_comment": ("退回原因", "Reason for return"),
    "label.milestone.note": ("备注", "Note"),
    "label.milestone.reason": ("调整原因", "Reason for the change"),
    "label.problem.text": ("问题内容", "Problem"),
    "label.problem.owner": ("责任单位", "Unit responsible"),
    "label.problem.close_note": ("办结情况说明", "Closing note"),
    "label.user.username": ("用户名", "User name"),
    "label.user.display_name": ("姓名", "Name"),
    "label.user.email": ("邮箱", "Email"),
    "label.user.lead_unit": ("牵头单位", "Lead unit"),
    "label.user.password": ("密码", "Password"),
    "label.completed_month": ("本月完成投资", "Investment this month"),
    "label.completed_ytd": ("年度累计完成投资", "Investment this year to date"),
    "label.completed_total": ("开工以来累计完成投资", "Investment since the start"),
    "label.progress_pct": ("形象进度", "Progress"),
}
