"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

The indicators as files (#16): reading an indicator workbook (tracker/excel/indicators.py),
importing it (tracker/services/indicator_files.py) and the annual report's tables (.xlsx,
.docx). ``value`` is what the cell held, quoted back as written.
"""

TEXTS: dict[str, tuple[str, str]] = {
    # the file as a whole
    "indicator_file.no_header": (
        "{label}中没有找到指标表：没有一个工作表的表头含“指标名称”（及“计量单位”“目标值”“2023年”等列）",
        "{label} holds no indicator table: no sheet has a header naming the indicator "
        "(indicator name) beside columns such as unit, target or a year",
    ),
    "indicator_file.sheet_no_header": (
        "工作表“{sheet}”没有含“指标名称”的表头，已跳过",
        "Sheet “{sheet}” has no header naming the indicator (indicator name): skipped",
    ),
    "indicator_file.no_rows": (
        "文件中没有任何指标或数值",
        "The file holds no indicator and no value",
    ),
    # columns
    "indicator_file.column_unknown": (
        "表头无法识别，未导入",
        "Header not recognised: not imported",
    ),
    "indicator_file.column_computed": (
        "由系统根据数值和目标计算，不从文件读取",
        "Worked out by the system from values and targets: not read from the file",
    ),
    "indicator_file.column_seq": ("序号，不导入", "Row numbers: not imported"),
    # cells
    "indicator_file.not_a_number": (
        "无法识别的数值：{value}（应为数字，如 2.48 或 0.3%；没有数值请留空或填“—”）",
        "Not a number: {value} (write a number such as 2.48 or 0.3%; leave it blank or write "
        "“—” when there is no value)",
    ),
    "indicator_file.not_a_year": (
        "无法识别的年份：{value}（应为如 2020 的四位年份）",
        "Not a year: {value} (write four digits, e.g. 2020)",
    ),
    "indicator_file.not_a_rank": (
        "无法识别的全省排名：{value}（应为正整数，如 13）",
        "Not a rank in the province: {value} (write a whole number, e.g. 13)",
    ),
    "indicator_file.bad_direction": (
        "无法识别的指标方向：{value}（应为 正向、逆向 或 区间）",
        "Unknown direction: {value} (higher is better, lower is better, or a band)",
    ),
    "indicator_file.bad_frequency": (
        "无法识别的更新频率：{value}（应为 年度、季度 或 月度）",
        "Unknown frequency: {value} (annual, quarterly or monthly)",
    ),
    "indicator_file.bad_band": (
        "无法识别的目标区间：{value}（应为“下限~上限”，如 3~5）",
        "Unknown target band: {value} (write “low~high”, e.g. 3~5)",
    ),
    "indicator_file.bad_goal": (
        "无法识别的SDG目标：{value}（应为 1 至 17 的数字，多个用“、”分隔）",
        "Unknown SDG goal: {value} (numbers 1 to 17, several separated by commas)",
    ),
    "indicator_file.bad_sdg_target": (
        "无法识别的SDG具体目标：{value}（应为如 9.5 或 6.a）",
        "Unknown SDG target: {value} (write e.g. 9.5 or 6.a)",
    ),
    "indicator_file.too_long": (
        "内容过长（最多 {limit} 字）",
        "Too long (at most {limit} characters)",
    ),
    "indicator_file.control_characters": (
        "含有不可见的控制字符，请删除后重新上传",
        "Contains invisible control characters: remove them and upload again",
    ),
    "indicator_file.no_name": ("缺少指标名称", "The indicator's name is missing"),
    "indicator_file.no_code": ("缺少指标编号", "The indicator's code is missing"),
    "indicator_file.value_without_year": (
        "数值列的表头没有写年份（应为如“2023年”），无法知道是哪一年的数值",
        "The value column's header names no year (write e.g. “2023”): which year is it?",
    ),
    "indicator_file.year_column_not_annual": (
        "该指标按季度或月度更新，年度列不能填数值：请在“指标数值”表中按期间填写",
        "This indicator is quarterly or monthly: give its values per period on the "
        "values sheet, not in a year column",
    ),
    "indicator_file.bad_period": (
        "无法识别的期间：{value}（应为如 2024年、2024年二季度 或 2024年5月）",
        "Unknown period: {value} (write e.g. 2024, 2024Q2 or 2024-05)",
    ),
    "indicator_file.value_without_indicator": (
        "缺少指标编号和指标名称，不知道是哪个指标的数值",
        "Neither the indicator's code nor its name is given: whose value is this?",
    ),
    "indicator_file.duplicate": (
        "指标“{code}”重复：与工作表“{sheet}”第{row}行相同",
        "Indicator “{code}” appears twice: it is also on sheet “{sheet}” row {row}",
    ),
    "indicator_file.value_conflict": (
        "同一指标同一期间的数值与工作表“{sheet}”第{row}行不一致",
        "This indicator's value for the same period differs from sheet “{sheet}” row {row}",
    ),
    # the import (service)
    "indicator_file.unknown_indicator": (
        "没有编号或名称为“{code}”的指标{where}",
        "No indicator has the code or name “{code}”{where}",
    ),
    "indicator_file.in_system": ("（指标体系“{system}”）", " (system “{system}”)"),
    "indicator_file.ambiguous_indicator": (
        "编号“{code}”在多个指标体系中都有（{systems}）：请加“指标体系”列",
        "The code “{code}” exists in several systems ({systems}): add a column naming the system",
    ),
    "indicator_file.unknown_measure": (
        "没有名为“{name}”的工作举措",
        "No work measure is named “{name}”",
    ),
    "indicator_file.unknown_project": (
        "没有编号或名称为“{name}”的项目",
        "No project has the code or name “{name}”",
    ),
    "indicator_file.period_frequency": (
        "期间“{period}”与指标的更新频率（{frequency}）不符",
        "The period “{period}” does not fit the indicator's frequency ({frequency})",
    ),
    "indicator_file.value_pending": (
        "该期数值正在审核中（{status}）：请先在系统中审核或退回，再导入",
        "This period's value is under review ({status}): accept or return it in the system "
        "before importing",
    ),
    "indicator_file.revision_reason": (
        "由文件“{filename}”导入",
        "Imported from the file “{filename}”",
    ),
    "indicator_file.summary": (
        "{head}：新建指标 {created} 项，更新 {updated} 项，无变化 {unchanged} 项；"
        "新建指标体系 {systems} 个；数值新增 {values_created} 个、修订 {values_revised} 个、"
        "无变化 {values_unchanged} 个；错误 {errors} 处；未使用的列 {unused} 列",
        "{head}: {created} indicators new, {updated} changed, {unchanged} unchanged; "
        "{systems} systems new; values: {values_created} new, {values_revised} revised, "
        "{values_unchanged} unchanged; {errors} errors; {unused} columns not used",
    ),
    "indicator_file.head_dry": ("预演（未写入）", "Dry run (nothing written)"),
    "indicator_file.head_refused": ("有错误（未写入任何数据）", "Errors (nothing written)"),
    "indicator_file.head_done": ("已导入", "Imported"),
    # the workbook
    "indicator_file.sheet_note": (
        "{as_of}。年度数值同时列在“{sheet}”表（含数据来源、全省排名、说明），修改时两处须一致",
        "{as_of}. Yearly values are also listed on the “{sheet}” sheet (with source, rank "
        "and note): change both alike",
    ),
    # the annual report's tables (.docx)
    "indicator_file.doc_title": (
        "{year}年国家可持续发展议程创新示范区监测指标情况",
        "The innovation demonstration zone's monitoring indicators, {year}",
    ),
    "indicator_file.doc_overall": (
        "本报告收录{systems}，共{total}项指标。截至{as_of}，已有{year}年数据的{reported}项，"
        "其中进展正常的{green}项、预警的{amber}项、滞后的{red}项；尚缺{year}年数据的{missing}项。",
        "This report covers {systems}: {total} indicators. As of {as_of}, {reported} have "
        "figures for {year}: {green} on track, {amber} with a warning, {red} behind; {missing} "
        "lack figures for {year}.",
    ),
    "indicator_file.doc_system_count": ("{name}指标{count}项", "{count} {name} indicators"),
    "indicator_file.doc_heading": ("一、指标总体情况", "1. The indicators overall"),
    "indicator_file.doc_annex": (
        "附表{number}：{name}指标（{count}项）",
        "Table {number}: {name} indicators ({count})",
    ),
    "indicator_file.doc_note": (
        "注：数值为经市可持续发展办审核确认的数据，按季度、月度更新的指标列当年最近一期数据；"
        "“—”表示暂无数据。进展按当年目标或自基期至目标年份线性推算的序时目标评价。",
        "Note: values as accepted by the office; quarterly and monthly indicators show the "
        "year's latest period; “—” means no value yet. Progress is judged against the year's "
        "target, else the straight path from the baseline to the target year.",
    ),
}
