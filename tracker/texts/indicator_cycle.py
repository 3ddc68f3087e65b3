"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

Indicator values through the month's machinery (#16): the values Excel form a responsible
unit downloads and uploads back (tracker/excel/indicator_form.py), the scheduler's requests,
reminders and escalation for values due by frequency (tracker/services/indicator_cycle.py),
and the indicators in the annual bulletin and the 考评 (tracker/services/span_bulletin.py).
"""

TEXTS: dict[str, tuple[str, str]] = {
    # the form as a file
    "indicator_form.hint": (
        "请上传本系统下载的指标数据填报表（.xlsx）",
        "upload the indicator values form downloaded from this system (.xlsx)",
    ),
    "indicator_form.unreadable": (
        "无法读取该文件，请上传本系统下载的指标数据填报表（.xlsx）",
        "The file cannot be read: upload the indicator values form downloaded from this "
        "system (.xlsx)",
    ),
    "indicator_form.no_sheet": (
        "这不是本系统下载的指标数据填报表（缺少“指标数据填报表”工作表）",
        "This is not an indicator values form from this system (its values sheet is missing)",
    ),
    "indicator_form.not_ours": (
        "这不是本系统下载的指标数据填报表",
        "This is not an indicator values form from this system",
    ),
    "indicator_form.damaged": (
        "填报表中的隐藏信息已损坏，请重新下载",
        "The form's hidden details are damaged: download it again",
    ),
    "indicator_form.headers_changed": (
        "填报表的表头被修改过，请重新下载后填写（不要增删列）",
        "The form's headings were changed: download it again and fill it in (do not add or "
        "remove columns)",
    ),
    "indicator_form.too_many_rows": (
        "填报表行数过多（超过 {limit} 行）",
        "The form has too many rows (more than {limit})",
    ),
    "indicator_form.extra_cell": (
        "表头以外的列中有内容（{value}），不会导入：请只在白色列填写",
        "There is something in a column outside the form ({value}); it would not be imported: "
        "fill in the white columns only",
    ),
    # the form's rows
    "indicator_form.col.value": ("本期值", "value"),
    "indicator_form.col.source": ("数据来源", "source"),
    "indicator_form.col.note": ("说明", "note"),
    "indicator_form.col.reason": ("修订原因", "reason for the revision"),
    "indicator_form.value_too_large": (
        "{label}“{value}”过大，请检查计量单位",
        "{label} “{value}” is too large: check the unit",
    ),
    "indicator_form.too_many_places": (
        "{label}“{value}”的小数位过多（最多 {places} 位）",
        "{label} “{value}” has too many decimals (at most {places})",
    ),
    "indicator_form.bad_period": (
        "无法识别统计期“{value}”（请勿删改灰色列）",
        "The period “{value}” cannot be read (do not change the grey columns)",
    ),
    "indicator_form.missing_code": (
        "缺少指标编号（请勿删改灰色列）",
        "The indicator code is missing (do not change the grey columns)",
    ),
    "indicator_form.duplicate": (
        "指标 {code} 的 {period} 数据与第{first}行重复",
        "Indicator {code} for {period} repeats row {first}",
    ),
    "indicator_form.version_changed": (
        "版本号被修改，请重新下载填报表",
        "The version number was changed: download the form again",
    ),
    "indicator_form.value_missing": (
        "填写了数据来源或说明，但本期值为空：请填写本期值，或清空该行",
        "A source or a note is filled in but the value is blank: enter the value or clear the row",
    ),
    # applying the form (the service)
    "indicator_form.no_indicator": (
        "系统中没有编号为 {code} 的指标",
        "There is no indicator with the code {code}",
    ),
    "indicator_form.out_of_scope": (
        "指标 {code} 不由您的单位报送，不能导入",
        "Indicator {code} is not one your unit reports: it cannot be imported",
    ),
    "indicator_form.wrong_period": (
        "指标 {code} 按{frequency}报送，统计期 {period} 不符",
        "Indicator {code} reports {frequency}; the period {period} does not fit",
    ),
    "indicator_form.future_period": (
        "统计期 {period} 尚未结束，还不能填报",
        "The period {period} has not ended yet: its value cannot be entered",
    ),
    "indicator_form.stale": (
        "该指标数据在下载后已被修改，请重新下载填报表后再填写",
        "This value changed after the form was downloaded: download the form again",
    ),
    "indicator_form.under_review": (
        "该指标数据已报送待审核，不能用填报表修改（改动：{changes}）；如需更正请联系示范区建设办公室退回",
        "This value is submitted and awaits review: a form cannot change it (changes: "
        "{changes}); ask the office to return it first",
    ),
    "indicator_form.reason_needed": (
        "该指标数据已采纳，修改需填写修订原因",
        "This value was accepted: changing it needs a reason for the revision",
    ),
    "indicator_form.refused": (
        "填报表有 {n} 处错误，未导入任何数据：请按提示改正后重新上传",
        "The form has {n} errors and nothing was imported: correct them and upload it again",
    ),
    "indicator_form.change": ("{field}由 {old} 改为 {new}", "{field} {old} → {new}"),
    "indicator_form.unit_all": ("全部", "all units"),
    # notices: the bell's label of each reason, the jobs' names
    "notify.reason.indicator_request": ("请报送监测指标数据", "Indicator values requested"),
    "notify.reason.indicator_due_soon": ("指标数据即将截止", "Indicator values due soon"),
    "notify.reason.indicator_due_today": ("指标数据今天截止", "Indicator values due today"),
    "notify.reason.indicator_overdue": ("指标数据已逾期", "Indicator values overdue"),
    "notify.reason.indicator_escalation": ("指标逾期未报汇总", "Overdue indicator values (office)"),
    "job.indicator_request": ("请报指标数据", "Request indicator values"),
    "job.indicator_reminders": ("指标催报提醒", "Indicator reminders"),
    "indicator_notice.request.subject": (
        "请报送{period}监测指标数据（{due:%m月%d日}前）",
        "Please report the indicators for {period} (due {due:%d %B})",
    ),
    "indicator_notice.request.body": (
        "您单位负责的 {n} 项指标需报送{period}数据，截止 {due:%Y-%m-%d}：\n{listing}{more}\n"
        "可在“监测指标”页面逐项填报，或下载指标数据填报表填好后上传。",
        "{n} indicators your unit owns are to report for {period}, due {due:%Y-%m-%d}:\n"
        "{listing}{more}\nEnter them on the Indicators page, or download the values form, "
        "fill it in and upload it.",
    ),
    "indicator_notice.due_soon.subject": (
        "提醒：监测指标数据将于{due:%m月%d日}截止报送",
        "Reminder: indicator values are due on {due:%d %B}",
    ),
    "indicator_notice.due_today.subject": (
        "提醒：监测指标数据今天（{due:%m月%d日}）截止报送",
        "Reminder: indicator values are due today ({due:%d %B})",
    ),
    "indicator_notice.overdue.subject": (
        "催报：监测指标数据已逾期（截止 {due:%m月%d日}）",
        "Overdue: indicator values were due on {due:%d %B}",
    ),
    "indicator_notice.owing.body": (
        "以下 {n} 项指标数据尚未报送：\n{listing}{more}",
        "{n} indicator values have not been reported yet:\n{listing}{more}",
    ),
    "indicator_notice.line": (
        "- {code} {name}（{period}，截止 {due:%Y-%m-%d}）",
        "- {code} {name} ({period}, due {due:%Y-%m-%d})",
    ),
    "indicator_notice.more": ("\n- ……等共 {total} 项", "\n- … {total} in all"),
    "indicator_notice.escalation.subject": (
        "指标数据逾期未报：{n} 项",
        "Indicator values overdue: {n}",
    ),
    "indicator_notice.escalation.body": (
        "已过截止日仍未报送的指标数据：{summary}。\n{listing}{more}",
        "Indicator values past their due day and still not reported: {summary}.\n{listing}{more}",
    ),
    "indicator_notice.unit_count": ("{unit} {n} 项", "{unit} {n}"),
    # the annual bulletin and the 考评
    "indicator_span.heading": ("五、监测指标情况", "5. Indicators"),
    "indicator_span.none": (
        "示范区尚未建立监测指标体系。",
        "The zone keeps no indicators yet.",
    ),
    "indicator_span.overall": (
        "示范区跟踪{systems}共{total}项监测指标。截至{day:%Y年%m月%d日}，"
        "{green}项达到序时目标（绿灯），{amber}项略有滞后（黄灯），{red}项明显滞后（红灯）；"
        "{missing}项有应报未报（或未采纳）的数据。",
        "The zone tracks {total} indicators ({systems}). As of {day:%d %B %Y}, {green} are on "
        "track (green), {amber} slightly behind (amber) and {red} well behind (red); {missing} "
        "lack a value due (or accepted).",
    ),
    "indicator_span.system": ("{name}{n}项", "{name}: {n}"),
    "indicator_span.red": (
        "明显滞后的指标有：{names}。",
        "Well behind: {names}.",
    ),
    "indicator_span.reporting": (
        "{year}年应报指标数据{due}项，已报{reported}项，其中按时报送{on_time}项"
        "（按时报送率{rate}）、已审核采纳{accepted}项。",
        "{due} indicator values were due in {year}: {reported} reported, {on_time} on time "
        "({rate}), {accepted} accepted.",
    ),
    "indicator_span.units_behind": (
        "报送不及时的责任单位：{names}。",
        "Units late with their values: {names}.",
    ),
    "indicator_span.formula": (
        "指标报送考评：按时报送率（按时报送数 ÷ 应报数）× 70% + 采纳率（采纳数 ÷ 应报数）× 30%，"
        "由高到低排名。",
        "Indicator reporting score: on-time rate (on time ÷ due) × 70% + acceptance rate "
        "(accepted ÷ due) × 30%, ranked from high to low.",
    ),
    "indicator_span.assessment_title": (
        "各责任单位监测指标报送",
        "Indicator reporting by responsible unit",
    ),
    "indicator_span.annex.systems": (
        "附件{n}：{year}年监测指标情况表",
        "Annex {n}: indicators, {year}",
    ),
    "indicator_span.annex.units": (
        "附件{n}：{year}年度各责任单位监测指标报送考评",
        "Annex {n}: indicator reporting by responsible unit, {year} assessment",
    ),
    "indicator_span.annex.systems_note": (
        "灯号按各指标相对目标的序时进度判定（有年度目标的按年度目标，否则按基期值至目标年线性推算）；"
        "数据截至 {day:%Y年%m月%d日}，只计已采纳的数据。",
        "Lights judge each indicator against its target (its yearly target where set, else "
        "linear from the baseline to the target year); values as of {day:%d %B %Y}, accepted "
        "values only.",
    ),
    "indicator_span.annex.units_note": (
        "{formula}应报数为{year}年内截止日已到的指标数据；数据截至{day:%Y年%m月%d日}。",
        "{formula} Due: the values whose due day in {year} had come; as of {day:%d %B %Y}.",
    ),
    "indicator_span.col.system": ("指标体系", "System"),
    "indicator_span.col.code": ("编号", "Code"),
    "indicator_span.col.name": ("指标名称", "Indicator"),
    "indicator_span.col.unit": ("单位", "Unit"),
    "indicator_span.col.latest": ("最新值", "Latest"),
    "indicator_span.col.period": ("统计期", "Period"),
    "indicator_span.col.baseline": ("基期值", "Baseline"),
    "indicator_span.col.target": ("{year}年目标", "{year} target"),
    "indicator_span.col.light": ("灯号", "Light"),
    "indicator_span.col.owner": ("责任单位", "Responsible unit"),
    "indicator_span.col.rank": ("排名", "Rank"),
    "indicator_span.col.indicators": ("指标数", "Indicators"),
    "indicator_span.col.due": ("应报", "Due"),
    "indicator_span.col.reported": ("已报", "Reported"),
    "indicator_span.col.on_time": ("按时", "On time"),
    "indicator_span.col.accepted": ("采纳", "Accepted"),
    "indicator_span.col.on_time_rate": ("按时报送率", "On-time rate"),
    "indicator_span.col.score": ("得分", "Score"),
    "indicator_span.light.green": ("绿", "green"),
    "indicator_span.light.amber": ("黄", "amber"),
    "indicator_span.light.red": ("红", "red"),
    "indicator_span.col.missing": ("缺报期数", "Missing"),
    "indicator_span.more": ("{names}等{n}项", "{names} and others ({n} in all)"),
}
