"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

Dispatch: reporting periods (the month's cycle), the bulletin, the problem ledger, reminders.
A month is passed as a date (``month``) and worded here; a merged period names its first
and last month.
"""

TEXTS: dict[str, tuple[str, str]] = {
    # how a period is named inside a message
    "period.month_name": ("{month.year}年{month.month}月", "{month:%B %Y}"),
    "period.merged_months": (
        "{month.year}年{first.month}–{month.month}月",
        "{first:%B}–{month:%B %Y}",
    ),
    # the cycle: entering reports, moving days, reopening
    "period.not_scheduled": (
        "{month}的调度填报尚未安排",
        "Reporting for {month} is not scheduled yet",
    ),
    "period.closed_locked": (
        "{month}调度已于{closed:%Y年%m月%d日}截止，月报已锁定，不能再修改；如需更正请联系示范区建设办公室",
        "Reporting for {month} closed on {closed:%Y-%m-%d}; its reports are locked. "
        "To correct one, contact the demonstration zone construction office",
    ),
    "period.not_open_yet": (
        "{month}调度填报尚未开放（{opens:%m月%d日}开放）",
        "Reporting for {month} is not open yet (it opens on {opens:%B %d})",
    ),
    "period.not_found": ("没有{month}的调度期", "There is no reporting period for {month}"),
    "period.changed": (
        "调度期已被他人修改，请刷新后重试（您看到的是旧版本）",
        "Someone else changed this period; refresh and try again (you are seeing an old version)",
    ),
    "period.move_reason_required": (
        "调整调度日期须写明原因",
        "Give a reason for moving the period's days",
    ),
    "period.closed_no_move": (
        "{period}已关账，不能再调整日期",
        "{period} is closed; its days can no longer be moved",
    ),
    "period.day_order": (
        "日期须满足：开放日 ≤ 截止日 < 关账日",
        "The days must satisfy: opening day ≤ due day < closing day",
    ),
    "period.due_before_month": (
        "截止日不能早于所报月份的第一天",
        "The due day cannot be before the first day of the reported month",
    ),
    "period.already_open": (
        "{period}已开放填报，不能再调整开放日",
        "{period} is already open for reporting; its opening day can no longer be moved",
    ),
    "period.day_passed": (
        "{period}的{day_name}（{old:%Y-%m-%d}）已过，不能再调整",
        "The {day_name} of {period} ({old:%Y-%m-%d}) has passed and can no longer be moved",
    ),
    "period.day_in_past": (
        "{day_name}不能调整到已过去的日期（{new:%Y-%m-%d}）",
        "The {day_name} cannot be moved to a day already past ({new:%Y-%m-%d})",
    ),
    "period.day.opens_on": ("开放日", "opening day"),
    "period.day.due_on": ("截止日", "due day"),
    "period.day.closes_on": ("关账日", "closing day"),
    "bl.move_days_required": (
        "调整本期日期：请填写三个日期",
        "Move this period's dates: fill in all three dates",
    ),
    "period.reopen_reason_required": (
        "重新开放已关账月份须写明原因",
        "Give a reason for reopening a closed month",
    ),
    "period.not_closed": (
        "{period}尚未关账，无需重新开放",
        "{period} is not closed; there is nothing to reopen",
    ),
    # the bulletin
    "bulletin.no_revision": (
        "{month}没有第{revision}版通报",
        "There is no revision {revision} of the bulletin for {month}",
    ),
    "bulletin.no_data": (
        "{month}没有调度数据（既无调度期也无月报）",
        "There is no dispatch data for {month} (no reporting period and no reports)",
    ),
    "bulletin.not_started": ("{month}尚未开始", "{month} has not started yet"),
    "bulletin.compile_too_early": (
        "{month}尚未开始，不能生成通报",
        "{month} has not started yet; its bulletin cannot be compiled",
    ),
    "bulletin.compile_interrupted": (
        "计算中断（服务曾重启或超时），请重新计算",
        "The compile was interrupted (the service restarted or timed out); compile again",
    ),
    "bulletin.compile_closed": (
        "{month}已关账，通报已定稿",
        "{month} is closed; its bulletin is final",
    ),
    # the problem ledger
    "ledger.err.not_found": ("问题台账中没有这一项", "This item is not in the problem ledger"),
    "ledger.err.changed": (
        "该问题已被他人修改，请刷新后重试",
        "Someone else changed this item; refresh and try again",
    ),
    "ledger.err.closed_no_edit": (
        "已销号的问题不能修改",
        "A closed item cannot be changed",
    ),
    "ledger.err.text_required": ("问题内容不能为空", "The item's text cannot be empty"),
    "ledger.err.level": (
        "督办级别应为“办公室督办”“分管市领导督办”或“市长督办”",
        "The follow-up level must be the office's, the city leader's or the mayor's",
    ),
    "ledger.err.already_closed": ("该问题已销号", "This item is already closed"),
    "ledger.err.close_note_required": (
        "销号须填写办结情况说明",
        "Closing an item needs a note on how it was resolved",
    ),
    "ledger.err.not_closed": ("该问题未销号", "This item is not closed"),
    "ledger.err.reopen_note_too_long": (
        "重新打开的说明不能超过 {limit} 字",
        "The reopening note can be at most {limit} characters",
    ),
    # reminders
    "notify.err.no_failed": (
        "没有这条发送失败的通知",
        "There is no such failed notification",
    ),
    # the bulletin as a 公文 (#14): its document, the office's section edits, its files
    "bulletin.section_stale": (
        "“{section}”已被其他人修改或恢复为自动起草，本次保存未写入；请复制您的文字，刷新页面后在最新内容上再改",
        "“{section}” was changed or sent back to the draft by someone else; this save was not "
        "written. Copy your text, reload the page and edit the latest version",
    ),
    "bulletin.text_frozen": (
        "{month}通报已定稿，正文不能再修改；如需更正，请先重新打开该月（修订版）",
        "The bulletin for {month} is final; its text can no longer be edited. "
        "To correct it, reopen the month first (a revision)",
    ),
    "bulletin.no_section": (
        "通报没有“{section}”这一部分",
        "The bulletin has no section '{section}'",
    ),
    "label.bulletin.section": ("通报正文", "Bulletin text"),
    "bulletin.format_unknown": (
        "不能生成“{suffix}”格式的通报：请用 .docx（Word）、.pdf 或 .xlsx（Excel）结尾的文件名",
        "Cannot write a bulletin as '{suffix}': name a file ending in .docx (Word), .pdf or "
        ".xlsx (Excel)",
    ),
    "bulletin_text.title": ("通报正文", "Bulletin text"),
    "bulletin_text.hint": (
        "各部分按当期数据自动起草；修改后的部分予以保留并标注“已修改”，未修改的部分随数据变化重新起草。定稿后正文随数据一并冻结。",
        "Each section is drafted from the month's figures; a section you edit is kept and "
        "marked 'edited', the others redraft when the figures change. When signed, the text is "
        "frozen with the figures.",
    ),
    "bulletin_text.edited": ("已修改", "edited"),
    "bulletin_text.drafted": ("自动起草", "drafted"),
    "bulletin_text.frozen": ("已定稿（正文已冻结）", "final (text frozen)"),
    "bulletin_text.save": ("保存", "Save"),
    "bulletin_text.reset": ("恢复自动起草", "Back to the draft"),
    "bulletin_text.saved": ("已保存“{heading}”", "Saved '{heading}'"),
    "bulletin_text.reset_done": ("“{heading}”已恢复为自动起草", "'{heading}' is drafted again"),
    "bulletin_text.download_docx": ("下载通报（Word）", "Download bulletin (Word)"),
    "bulletin_text.download_pdf": ("下载通报（PDF）", "Download bulletin (PDF)"),
    "bulletin_text.download_xlsx": ("下载附表（Excel）", "Download tables (Excel)"),
    # the bulletin page's 公文 panel and downloads (#14)
    "bulletin_text.draft_status": ("草稿（未定稿）", "draft (not signed)"),
    "bulletin_text.frozen_hint": (
        "本月通报已定稿：正文随定稿冻结，与定稿时的数据一致，不再随数据变化。",
        "This month's bulletin is signed: its text is frozen with the figures of that day "
        "and no longer follows changes in the data.",
    ),
    "bulletin_text.reader_draft": (
        "本月通报尚未定稿，以下正文为自动起草的草稿，以定稿为准。",
        "This month's bulletin is not signed yet: the text below is a draft; the signed "
        "bulletin is what counts.",
    ),
    "bulletin_text.no_text": (
        "没有收到这一部分的正文，请刷新页面后重试",
        "No text arrived for this section; refresh the page and try again",
    ),
    "bulletin_text.section.overall": ("一、总体情况", "1. Overall"),
    "bulletin_text.section.progress": (
        "二、各县（区）和牵头单位进展",
        "2. Counties and lead units",
    ),
    "bulletin_text.section.problems": ("三、存在问题", "3. Problems"),
    "bulletin_text.section.next_steps": ("四、下步工作", "4. Next steps"),
    "bulletin_text.download": ("下载本月通报", "Download the month"),
    "bulletin_text.format.docx": ("Word版", "Word"),
    "bulletin_text.format.pdf": ("PDF版", "PDF"),
    "bulletin_text.format.xlsx": ("Excel附表", "Excel tables"),
    "bulletin_span.open": ("季度/半年/全年通报", "Quarter / half / year"),
    "bulletin_span.title": ("季度、半年和全年通报", "Quarter, half-year and year bulletins"),
    "bulletin_span.title_year": ("{year}年季度、半年和全年通报", "Bulletins of {year}"),
    "bulletin_span.hint": (
        "取该年已定稿（关账）月份的数据；未定稿的月份在通报中注明",
        "Built from the year's signed (closed) months; a month not signed yet is named in it",
    ),
    "bulletin_span.Q1": ("一季度", "Q1"),
    "bulletin_span.H1": ("上半年", "H1"),
    "bulletin_span.Q3": ("前三季度", "Q1–Q3"),
    "bulletin_span.Y": ("全年", "Year"),
    # the cycle's notices to accounts (the bell shows them in its reader's language; the
    # e-mail goes in the recipient's); the office's group reads the Chinese
    "notify.open.subject": (
        "{period}月度调度填报已开放，请于{due:%m月%d日}前报送",
        "Reporting for {period} is open: please report by {due:%d %B}",
    ),
    "notify.open.body": (
        "您负责的 {n} 个项目需报送{period}月度调度表：\n{listing}{more}",
        "{n} of your projects are to report for {period}:\n{listing}{more}",
    ),
    "notify.listing_more": ("\n- ……等共 {total} 个项目", "\n- … {total} projects in all"),
    "notify.due_soon.subject": (
        "提醒：{period}月度调度表将于{due:%m月%d日}截止",
        "Reminder: the {period} report is due on {due:%d %B}",
    ),
    "notify.due_today.subject": (
        "提醒：{period}月度调度表今天截止",
        "Reminder: the {period} report is due today",
    ),
    "notify.overdue.subject": (
        "催报：{period}月度调度表已逾期，请尽快报送",
        "Overdue: the {period} report is late, please report now",
    ),
    "notify.owing.body": (
        "以下 {n} 个项目尚未报送：\n{listing}{more}",
        "{n} projects have not reported yet:\n{listing}{more}",
    ),
    "notify.escalation.subject": (
        "{period}月度调度表逾期未报送 {n} 个项目",
        "{period}: {n} projects have not reported by the due day",
    ),
    "notify.escalation.body": (
        "截止日 {due:%Y-%m-%d} 已过，尚未报送：{summary}。\n{listing}{more}",
        "The due day {due:%Y-%m-%d} has passed; not reported: {summary}.\n{listing}{more}",
    ),
    "notify.place_count": ("{place} {n} 个", "{place} {n}"),
    "notify.milestone_due_soon.subject": ("节点即将到期：{n} 个", "Milestones due soon: {n}"),
    "notify.milestone_overdue.subject": ("节点已逾期：{n} 个", "Milestones overdue: {n}"),
    "notify.milestones_overdue_office.subject": (
        "新增逾期节点 {n} 个",
        "New overdue milestones: {n}",
    ),
    "notify.milestone_line": (
        "- {code} {name}：{milestone}（计划 {planned:%Y-%m-%d}）",
        "- {code} {name}: {milestone} (planned {planned:%Y-%m-%d})",
    ),
    "notify.milestone_line_county": (
        "- {code} {name}（{county}）：{milestone}（计划 {planned:%Y-%m-%d}）",
        "- {code} {name} ({county}): {milestone} (planned {planned:%Y-%m-%d})",
    ),
    "notify.bulletin_ready.subject": (
        "{period}调度通报已生成（{kind}）",
        "The {period} bulletin is ready ({kind})",
    ),
    "notify.kind.final": ("定稿", "final"),
    "notify.kind.revision": ("修订版{revision}", "revision {revision}"),
}
