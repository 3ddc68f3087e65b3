"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

The monthly report: its fields, the checks on a report and a submission, the services'
refusals, and the offline form's row errors.
"""

TEXTS: dict[str, tuple[str, str]] = {
    # the report's fields (tracker.domain.reports.FIELDS)
    "report.field.completed_month": ("本月完成投资", "investment this month"),
    "report.field.completed_ytd": ("年度累计完成投资", "investment this year to date"),
    "report.field.completed_total": ("开工以来累计完成投资", "investment since the start"),
    "report.field.progress_pct": ("形象进度", "physical progress"),
    "report.field.progress_text": ("形象进度说明", "progress description"),
    "report.field.milestone_status": ("节点完成情况", "milestones reached"),
    "report.field.problems": ("存在问题", "problems"),
    "report.field.next_steps": ("下步工作计划", "next steps"),
    "report.field.coordination": ("需协调解决事项", "coordination needed"),
    "report.field.reporter": ("填报人", "reported by"),
    # the checks (tracker.domain.reports)
    "report.check.amount_missing": ("请填写{field}（万元）", "Enter the {field} (10k yuan)"),
    "report.check.progress_missing": ("请填写形象进度（%）", "Enter the physical progress (%)"),
    "report.check.ytd_sum": (
        "年度累计完成投资应为上月累计 {last:.2f} + 本月 {month:.2f} = {expected:.2f} 万元，"
        "填报为 {given:.2f}",
        "investment this year to date should be last month's {last:.2f} + this month's "
        "{month:.2f} = {expected:.2f} (10k yuan); entered {given:.2f}",
    ),
    "report.check.total_sum": (
        "开工以来累计完成投资应为上月累计 {last:.2f} + 本月 {month:.2f} = {expected:.2f} 万元，"
        "填报为 {given:.2f}",
        "investment since the start should be last month's {last:.2f} + this month's "
        "{month:.2f} = {expected:.2f} (10k yuan); entered {given:.2f}",
    ),
    "report.check.total_below_ytd": (
        "开工以来累计完成投资不能小于年度累计完成投资",
        "investment since the start cannot be less than this year's",
    ),
    "report.check.progress_text_missing": ("请填写形象进度说明", "Enter the progress description"),
    "report.check.reporter_missing": ("请填写填报人", "Enter who reports"),
    "report.check.problems_when_red": (
        "该项目为红灯项目（或本月投资严重滞后），须填写存在问题",
        "this project is red (or far behind on this month's investment): describe its problems",
    ),
    # a stored report's values that cannot be used (a legacy row)
    "report.stored_unusable": (
        "原存储的{fields}无法使用，请重新填写",
        "The stored {fields} cannot be used: enter them again",
    ),
    # the services' refusals
    "report.invalid": ("月报未通过检查：{problems}", "The report failed its checks: {problems}"),
    "report.no_permission": ("没有填报月报的权限", "You may not enter monthly reports"),
    "report.project_not_found": ("项目不存在", "No such project"),
    "report.not_due": (
        "项目 {code} 在{period.year}年{period.month}月无需填报（不在本月填报范围内）",
        "Project {code} does not report for {period:%Y-%m} (not in this month's scope)",
    ),
    "report.stale": (
        "该月报已被他人修改，请刷新后重试（您看到的是旧版本）",
        "Someone else changed this report: reload and try again (you saw an older version)",
    ),
    "report.gone": (
        "该月报已被删除或不存在，请刷新后重试",
        "This report was deleted or does not exist: reload and try again",
    ),
    "report.just_saved": (
        "该月报刚由他人保存，请刷新后重试",
        "Someone else has just saved this report: reload and try again",
    ),
    "report.already_submitted": (
        "月报已报送，不能再修改；如需更正请联系示范区建设办公室退回",
        "The report is submitted and can no longer be changed; to correct it, ask the office "
        "to return it",
    ),
    "report.return_needs_reason": ("退回须写明原因", "Say why the report is returned"),
    "report.return_only_submitted": (
        "只能退回已报送的月报",
        "Only a submitted report can be returned",
    ),
    "report.no_period_for": (
        "没有{period.year}年{period.month}月的调度期",
        "There is no reporting period for {period:%Y-%m}",
    ),
    "report.row_failed": (
        "保存失败：这一行未能写入（已记录，请联系示范区建设办公室），本行未保存，其他行不受影响",
        "Not saved: this row could not be written (logged; please tell the office); the other "
        "rows are not affected",
    ),
    # the offline form (tracker.excel.report_form and the form's service)
    "report.form.unreadable": (
        "无法读取该文件，请上传本系统下载的月度调度表（.xlsx）",
        "The file cannot be read: upload the monthly form downloaded from this system (.xlsx)",
    ),
    "report.form.no_sheet": (
        "这不是本系统下载的月度调度表（缺少“月度调度表”工作表）",
        "This is not a monthly form from this system (its report sheet is missing)",
    ),
    "report.form.not_ours": (
        "这不是本系统下载的月度调度表",
        "This is not a monthly form from this system",
    ),
    "report.form.bad_month": (
        "调度表中的月份信息已损坏，请重新下载",
        "The form's month is damaged: download it again",
    ),
    "report.form.headers_changed": (
        "调度表的表头被修改过，请重新下载后填写（不要增删列）",
        "The form's headings were changed: download it again and fill it in (do not add or "
        "remove columns)",
    ),
    "report.form.too_many_rows": (
        "调度表行数过多（超过 {limit} 行）",
        "The form has too many rows (more than {limit})",
    ),
    "report.form.missing_code": (
        "缺少项目编号（请勿删改灰色列）",
        "The project code is missing (do not change the grey columns)",
    ),
    "report.form.duplicate_code": (
        "项目编号 {code} 与第{first}行重复",
        "Project code {code} repeats row {first}",
    ),
    "report.form.version_changed": (
        "版本号被修改，请重新下载填报表",
        "The version number was changed: download the form again",
    ),
    "report.form.no_project": (
        "系统中没有编号为 {code} 的项目",
        "There is no project with the code {code}",
    ),
    "report.form.out_of_scope": (
        "项目 {code} 不在您的填报范围内，不能导入",
        "Project {code} is not one you report for: it cannot be imported",
    ),
    "report.form.stale": (
        "该项目月报在下载后已被修改，请重新下载填报表后再填写",
        "This report changed after the form was downloaded: download the form again and fill it in",
    ),
    "report.form.submitted_changes": (
        "该项目月报已报送，不能用填报表修改（改动：{changes}）；如需更正请联系示范区建设办公室退回后再填报",
        "This report is submitted and cannot be changed by a form (changes: {changes}); to "
        "correct it, ask the office to return it first",
    ),
    # stored figures the status leaves out (services.status, #12)
    "status.unusable_report": (
        "{period.year}年{period.month}月月报：{figures}",
        "Report of {period:%Y-%m}: {figures}",
    ),
    "status.unusable_plan": ("年度计划投资（{value}）", "Annual planned investment ({value})"),
    # the returned report's notice (the bell and the e-mail)
    "report.returned_subject": (
        "{period.year}年{period.month}月月报被退回：{code} {name}",
        "Report for {period:%Y-%m} returned: {code} {name}",
    ),
    "report.returned_body": (
        "{period.year}年{period.month}月月报：{code} {name}\n退回原因：{reason}",
        "Report for {period:%Y-%m}: {code} {name}\nReturned because: {reason}",
    ),
}
