"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

Reading workbooks (tracker/excel): cell values, the file's safety checks, the project list's
rows and columns. ``value`` is what the cell held, quoted back as written.
"""

TEXTS: dict[str, tuple[str, str]] = {
    "cell.date_year": (
        "日期年份不合理：{value}（应在 {low} 至 {high} 年之间）",
        "Implausible year in a date: {value} (should be between {low} and {high})",
    ),
    "cell.date_range": (
        "日期超出可填范围：{value}（应在 {low:%Y-%m-%d} 至 {high:%Y-%m-%d} 之间）",
        "Date outside the range that can be entered: {value} (should be between {low:%Y-%m-%d} and {high:%Y-%m-%d})",
    ),
    "cell.date_unknown": ("无法识别的日期：{value}", "Unrecognised date: {value}"),
    "cell.date_bad_month": (
        "无法识别的日期：{value}（月份应为1～12）",
        "Unrecognised date: {value} (the month should be 1 to 12)",
    ),
    "cell.date_duration": (
        "无法识别的日期：{value}（这是时长，不是日期）",
        "Unrecognised date: {value} (this is a duration, not a date)",
    ),
    "cell.period_unknown": (
        "无法识别的建设年限：{value}",
        "Unrecognised construction period: {value}",
    ),
    "cell.period_form": (
        "无法识别的建设年限：{value}（应写成“2021-2023”或“2021.03-2023.12”）",
        "Unrecognised construction period: {value} (write it as “2021-2023” or “2021.03-2023.12”)",
    ),
    "cell.amount": ("金额", "Amount"),
    "cell.amount_quoted": ("金额“{value}”", "Amount “{value}”"),
    "cell.amount_negative": ("金额不能为负数：{value}", "An amount cannot be negative: {value}"),
    "cell.amount_rounded": (
        "{label}按 {wan} 万元读取（万元保留两位小数）",
        "{label} read as {wan} (10k yuan, kept to two decimals)",
    ),
    "cell.amount_normalised": (
        "金额“{value}”按 {wan} 万元读取（全角字符、千位分隔符已转换）",
        "Amount “{value}” read as {wan} (10k yuan; full-width characters and thousands separators converted)",
    ),
    "cell.amount_unknown": ("无法识别的金额：{value}", "Unrecognised amount: {value}"),
    "cell.amount_unknown_why": (
        "无法识别的金额：{value}（{why}）",
        "Unrecognised amount: {value} ({why})",
    ),
    "cell.why.not_finite": ("不是有效数字", "not a valid number"),
    "cell.why.not_decimal": (
        "不是十进制数字，请填写普通数字",
        "not a decimal number; write a plain number",
    ),
    "cell.why.exponent": (
        "用了科学计数法，请写成普通数字（如 12345.67）",
        "scientific notation; write a plain number (such as 12345.67)",
    ),
    "cell.county_missing": ("缺少建设地点（县区）", "The location (county) is missing"),
    "cell.county_several": (
        "建设地点包含多个县（区）：{value}；跨县项目请填写“{city}”，或拆分为各县的项目",
        "The location names several counties: {value}; for a project across counties write “{city}” (city level), or split it into one project per county",
    ),
    "cell.county_unknown": (
        "无法识别的县（区）：{value}；应为{counties}或{city}",
        "Unrecognised county: {value}; it should be one of {counties} or {city}",
    ),
    "cell.nature_unknown": (
        "建设性质应为“{new}”或“{continuing}”，而不是：{value}",
        "The nature should be “{new}” (new) or “{continuing}” (continuing), not: {value}",
    ),
    "cell.milestone_no_name": ("节点缺少名称：{value}", "A milestone has no name: {value}"),
    "cell.milestone_no_date_hint": (
        "节点“{name}”缺少计划时间（可写成“{name}（2022年3月）”）",
        "Milestone “{name}” has no planned date (write it as “{name} (2022-03)”)",
    ),
    "cell.milestone_no_date": (
        "节点“{name}”缺少计划时间",
        "Milestone “{name}” has no planned date",
    ),
    "cell.milestone_problem": ("节点“{name}”：{detail}", "Milestone “{name}”: {detail}"),
    "cell.planned_unknown": ("计划时间无法识别：{value}", "unrecognised planned date: {value}"),
    "cell.planned_bad_month": (
        "计划时间无法识别：{value}（月份应为1～12）",
        "unrecognised planned date: {value} (the month should be 1 to 12)",
    ),
    "cell.planned_duration": (
        "计划时间无法识别：{value}（这是时长，不是日期）",
        "unrecognised planned date: {value} (this is a duration, not a date)",
    ),
    "workbook.file": ("文件", "The file"),
    "workbook.file_named": ("文件“{name}”", "The file “{name}”"),
    "workbook.empty_bytes": ("{label}是空的（0 字节）", "{label} is empty (0 bytes)"),
    "workbook.too_large": (
        "{label}过大：{size}，上限为 {limit}",
        "{label} is too large: {size}; the limit is {limit}",
    ),
    "workbook.kind_not_allowed": (
        "{label}是.{kind}格式，{hint}",
        "{label} is in .{kind} format; {hint}",
    ),
    "workbook.too_many_members": (
        "{label}包含 {count} 个内部文件，超过上限 {limit} 个，疑似异常文件",
        "{label} holds {count} internal files, more than the limit of {limit}; it looks abnormal",
    ),
    "workbook.vba_macros": (
        "{label}含有宏（vbaProject.bin），出于安全考虑不予导入，请另存为.xlsx",
        "{label} contains macros (vbaProject.bin) and is not imported for safety; save it as .xlsx",
    ),
    "workbook.external_links": (
        "{label}含有指向其他工作簿的外部链接，请先断开链接（数据→编辑链接）并另存后再上传",
        "{label} has external links to other workbooks; break the links (Data → Edit Links), save it and upload again",
    ),
    "workbook.zip_no_workbook": (
        "{label}不是Excel工作簿（压缩包中没有工作簿内容）",
        "{label} is not an Excel workbook (the archive holds no workbook)",
    ),
    "workbook.xlsm": (
        "{label}是启用宏的工作簿（.xlsm），出于安全考虑不予导入，请另存为.xlsx",
        "{label} is a macro-enabled workbook (.xlsm) and is not imported for safety; save it as .xlsx",
    ),
    "workbook.xlsb": (
        "{label}是Excel二进制工作簿（.xlsb），请另存为.xlsx后再上传",
        "{label} is an Excel binary workbook (.xlsb); save it as .xlsx and upload again",
    ),
    "workbook.ods_not_spreadsheet": (
        "{label}不是电子表格（类型为 {mimetype}）",
        "{label} is not a spreadsheet (its type is {mimetype})",
    ),
    "workbook.ods_macros": (
        "{label}含有宏，出于安全考虑不予导入，请删除宏后另存",
        "{label} contains macros and is not imported for safety; remove the macros and save it again",
    ),
    "workbook.ods_no_content": (
        "{label}已损坏：缺少 content.xml",
        "{label} is damaged: content.xml is missing",
    ),
    "workbook.part_size": (
        "{label}中的 {name} 大小异常，疑似异常文件",
        "{label}: the size of {name} is abnormal; the file looks abnormal",
    ),
    "workbook.extent": (
        "{label}的数据区域过大：内容一直延伸到第 {rows} 行、{last_column} 列（{rows}×{columns} 个单元格），疑似异常文件；请删除多余的行列后另存再上传",
        "{label}'s data area is too large: it reaches row {rows}, column {last_column} ({rows}×{columns} cells) and looks abnormal; delete the extra rows and columns, save it and upload again",
    ),
    "workbook.ole_broken": (
        "{label}已损坏或不完整（OLE结构无效），请用Excel重新保存后再上传",
        "{label} is damaged or incomplete (invalid OLE structure); save it again in Excel and upload it",
    ),
    "workbook.encrypted": (
        "{label}已加密（设置了打开密码），请取消密码后再上传",
        "{label} is encrypted (it has an opening password); remove the password and upload again",
    ),
    "workbook.macros": (
        "{label}含有宏，出于安全考虑不予导入，请另存为.xlsx",
        "{label} contains macros and is not imported for safety; save it as .xlsx",
    ),
    "workbook.ole_no_workbook": (
        "{label}不是Excel工作簿（OLE文件中没有工作簿数据）",
        "{label} is not an Excel workbook (the OLE file holds no workbook data)",
    ),
    "workbook.not_workbook": (
        "{label}不是Excel工作簿：{what}",
        "{label} is not an Excel workbook: {what}",
    ),
    "workbook.zip_broken": (
        "{label}已损坏或不完整（压缩包无法打开），请重新保存后再上传",
        "{label} is damaged or incomplete (the archive cannot be opened); save it again and upload it",
    ),
    "workbook.member_too_large": (
        "{label}中的“{part}”解压后有 {size}，超过单个部件的上限 {limit}，疑似异常文件，已拒绝",
        "{label}: “{part}” inflates to {size}, above the limit of {limit} for one part; it looks abnormal and is refused",
    ),
    "workbook.inflated_too_large": (
        "{label}解压后超过 {limit}，疑似压缩炸弹，已拒绝",
        "{label} inflates to more than {limit}; it looks like a zip bomb and is refused",
    ),
    "workbook.word": (
        "{label}是Word文档，不是Excel工作簿",
        "{label} is a Word document, not an Excel workbook",
    ),
    "workbook.powerpoint": (
        "{label}是PowerPoint文档，不是Excel工作簿",
        "{label} is a PowerPoint document, not an Excel workbook",
    ),
    "workbook.content_types": (
        "{label}已损坏：[Content_Types].xml 无法解析",
        "{label} is damaged: [Content_Types].xml cannot be parsed",
    ),
    "workbook.odt": (
        "{label}是文字处理文档（.odt），不是电子表格",
        "{label} is a text document (.odt), not a spreadsheet",
    ),
    "workbook.part_missing": (
        "{label}已损坏：缺少 {name}",
        "{label} is damaged: {name} is missing",
    ),
    "workbook.part_unreadable": (
        "{label}已损坏或不完整：{name} 无法读取",
        "{label} is damaged or incomplete: {name} cannot be read",
    ),
    "workbook.xml_depth": (
        "{label}的“{part}”中XML元素嵌套超过 {limit} 层，疑似异常文件，已拒绝",
        "{label}: XML elements in “{part}” are nested more than {limit} deep; it looks abnormal and is refused",
    ),
    "workbook.xml_tag": (
        "{label}含有长度异常的XML标记，疑似异常文件，已拒绝",
        "{label} holds an XML tag of abnormal length; it looks abnormal and is refused",
    ),
    "workbook.dtd": (
        "{label}含有DTD或实体声明，疑似异常文件，已拒绝",
        "{label} holds a DTD or entity declaration; it looks abnormal and is refused",
    ),
    "workbook.doc": (
        "{label}是Word文档（.doc），不是Excel工作簿",
        "{label} is a Word document (.doc), not an Excel workbook",
    ),
    "workbook.ratio": (
        "{label}中的“{part}”压缩比异常（{ratio:.0f}:1），疑似压缩炸弹，已拒绝",
        "{label}: “{part}” has an abnormal compression ratio ({ratio:.0f}:1); it looks like a zip bomb and is refused",
    ),
    "workbook.member_broken": (
        "{label}已损坏或不完整（“{part}”无法解压），请重新保存后再上传",
        "{label} is damaged or incomplete (“{part}” cannot be inflated); save it again and upload it",
    ),
    "workbook.part_dtd": (
        "{label}的“{part}”含有DTD或实体声明，疑似异常文件，已拒绝",
        "{label}: “{part}” holds a DTD or entity declaration; it looks abnormal and is refused",
    ),
    "workbook.xlm_macros": (
        "{label}含有Excel 4.0宏表，出于安全考虑不予导入",
        "{label} contains Excel 4.0 macro sheets and is not imported for safety",
    ),
    "workbook.hint.list": (
        "请上传.xlsx、.xls或.ods格式的清单",
        "upload the list as .xlsx, .xls or .ods",
    ),
    "workbook.hint.form": (
        "请上传本系统下载的月度调度表（.xlsx）",
        "upload the monthly report form downloaded from this system (.xlsx)",
    ),
    "workbook.other.pdf": (
        "这是PDF文件，请上传.xlsx、.xls或.ods格式的清单",
        "this is a PDF file; upload the list as .xlsx, .xls or .ods",
    ),
    "workbook.other.html": (
        "这是网页（HTML）格式，常见于从系统导出的“假.xls”，请用Excel打开后另存为.xlsx再导入",
        "this is a web page (HTML), as some systems export a “fake .xls”; open it in Excel, save it as .xlsx and import that",
    ),
    "workbook.other.xml2003": (
        "这是Excel 2003 XML格式，请用Excel打开后另存为.xlsx再导入",
        "this is the Excel 2003 XML format; open it in Excel, save it as .xlsx and import that",
    ),
    "workbook.other.rtf": (
        "这是RTF文档，请上传.xlsx、.xls或.ods格式的清单",
        "this is an RTF document; upload the list as .xlsx, .xls or .ods",
    ),
    "workbook.other.text": (
        "这是文本文件（例如CSV或被改了扩展名的文件），请用Excel打开后另存为.xlsx再导入",
        "this is a text file (a CSV, say, or a file whose extension was changed); open it in Excel, save it as .xlsx and import that",
    ),
    "workbook.other.unknown": (
        "无法识别的文件格式，请上传.xlsx、.xls或.ods格式的清单",
        "the file format is not recognised; upload the list as .xlsx, .xls or .ods",
    ),
    "list.extension_differs": (
        "文件扩展名为.{suffix}，实际是.{kind}格式，已按实际格式读取",
        "The file name ends in .{suffix} but the file is .{kind}; it was read as .{kind}",
    ),
    "list.unreadable": ("{label}无法读取：{why}", "{label} cannot be read: {why}"),
    "list.empty": (
        "{label}是空的：工作簿中没有任何内容",
        "{label} is empty: the workbook holds nothing",
    ),
    "row.duplicate": ("与{where}重复（{what}）", "Same as {where} ({what})"),
    "list.hidden_sheet": ("已忽略隐藏的工作表“{sheet}”", "Hidden sheet “{sheet}” ignored"),
    "list.sheet_unreadable": (
        "{label}的工作表“{sheet}”无法读取：{why}",
        "{label}: sheet “{sheet}” cannot be read: {why}",
    ),
    "list.sheet_no_header": (
        "工作表“{sheet}”中没有找到项目清单表头，已忽略",
        "No project list header found in sheet “{sheet}”; ignored",
    ),
    "list.sheet_no_projects": (
        "工作表“{sheet}”有项目清单表头，但表头下没有项目",
        "Sheet “{sheet}” has a project list header but no projects below it",
    ),
    "row.name_missing": ("缺少项目名称", "The project name is missing"),
    "row.finish_before_start": (
        "计划完工时间（{finish:%Y-%m-%d}）早于计划开工时间（{start:%Y-%m-%d}）",
        "The planned finish ({finish:%Y-%m-%d}) is before the planned start ({start:%Y-%m-%d})",
    ),
    "row.actual_finish_before_start": (
        "实际完工时间（{finish:%Y-%m-%d}）早于实际开工时间（{start:%Y-%m-%d}）",
        "The actual finish ({finish:%Y-%m-%d}) is before the actual start ({start:%Y-%m-%d})",
    ),
    "row.target_cumulative": (
        "“{text}”是累计投资目标，未导入（不是节点，也不是年度计划）",
        "“{text}” is a cumulative investment target and was not imported (it is neither a milestone nor a yearly plan)",
    ),
    "row.plan_from_target": (
        "{year}年计划投资取自工作目标“{text}”：{amount:,.2f} 万元",
        "The {year} planned investment was taken from the target “{text}”: {amount:,.2f} (10k yuan)",
    ),
    "list.no_area_column": (
        "工作表“{sheet}”第{line}行的表头中找不到“{column}”列，表中也没有“{example}”这样的领域分组行：请指明哪一列是所属领域",
        "The header in row {line} of sheet “{sheet}” has no “{column}” (area) column, and the sheet has no area group rows such as “{example}”: say which column is the area",
    ),
    "list.no_measure_column": (
        "工作表“{sheet}”第{line}行的表头中找不到“{column}”列，表中也没有“{example}”这样的举措分组行：请指明哪一列是工作举措",
        "The header in row {line} of sheet “{sheet}” has no “{column}” (measure) column, and the sheet has no measure group rows such as “{example}”: say which column is the measure",
    ),
    "row.no_area_group": (
        "项目不在任何领域分组（“{example}”）之下，缺少所属领域",
        "The project is under no area group (“{example}”): its area is missing",
    ),
    "row.no_measure_group": (
        "项目不在任何举措分组（“{example}”）之下，缺少工作举措",
        "The project is under no measure group (“{example}”): its measure is missing",
    ),
    "list.no_column": (
        "工作表“{sheet}”第{line}行的表头中找不到“{hint}”列，请指明哪一列是{field}",
        "The header in row {line} of sheet “{sheet}” has no “{hint}” column: say which column is {field}",
    ),
    "row.area_missing": ("缺少所属领域", "The area is missing"),
    "row.measure_missing": ("缺少工作举措", "The measure is missing"),
    "row.planned_without_name": (
        "有计划时间（{value}）但缺少节点名称",
        "A planned date ({value}) without a milestone name",
    ),
    "row.target_differs": (
        "工作目标“{text}”中的年度投资 {amount:,.2f} 万元与{year}年计划投资 {planned:,.2f} 万元不一致，以计划投资列为准，请核实",
        "The yearly investment {amount:,.2f} (10k yuan) in the target “{text}” differs from the {year} planned investment {planned:,.2f} (10k yuan); the planned investment column is used, please check",
    ),
    "list.sheet_year_differs": (
        "工作表“{sheet}”的本年度按{year}，与其他工作表不同",
        "Sheet “{sheet}” takes the current year as {year}, unlike the other sheets",
    ),
    "row.target_skipped": (
        "“{text}”{problem}，未生成节点",
        "“{text}” {problem}; no milestone was made",
    ),
    "row.done_without_name": (
        "有完成时间（{day:%Y-%m-%d}）但缺少节点名称",
        "A completion date ({day:%Y-%m-%d}) without a milestone name",
    ),
    "list.no_header": (
        "未找到项目清单表头：需要至少包含“{name}”列，以及{others}等列中的几列，且表头位于工作表的前15行",
        "No project list header found: a sheet needs a “{name}” (project name) column and several of {others} (area, measure, location, total investment, planned start) within its first 15 rows",
    ),
    "list.reader_encrypted": (
        "文件已加密，请取消密码后再上传",
        "the file is encrypted; remove the password and upload it again",
    ),
    "list.reader_broken": (
        "文件已损坏或格式不受支持，请用Excel重新保存为.xlsx后再上传",
        "the file is damaged or its format is not supported; save it again as .xlsx in Excel and upload that",
    ),
    "list.sheet_says": ("工作表“{sheet}”：{what}", "Sheet “{sheet}”: {what}"),
    "row.line": ("第{row}行", "row {row}"),
    "row.same_code": ("项目编号“{code}”相同", "the same project code “{code}”"),
    "row.same_name": (
        "项目名称“{name}”和建设地点相同",
        "the same project name “{name}” and location",
    ),
    "row.at_row": ("工作表“{sheet}”第{row}行", "Sheet “{sheet}” row {row}"),
    "row.error_at_row": (
        "工作表“{sheet}”第{row}行：{message}",
        "Sheet “{sheet}” row {row}: {message}",
    ),
    "row.error_at_row_field": (
        "工作表“{sheet}”第{row}行（{field}）：{message}",
        "Sheet “{sheet}” row {row} ({field}): {message}",
    ),
    "row.error_at_cell": (
        "工作表“{sheet}”第{row}行{column}列：{message}",
        "Sheet “{sheet}” row {row} column {column}: {message}",
    ),
    "row.error_at_cell_field": (
        "工作表“{sheet}”第{row}行{column}列（{field}）：{message}",
        "Sheet “{sheet}” row {row} column {column} ({field}): {message}",
    ),
    # a list's fields as the importer names them (Field's values)
    "column.field.SEQ": ("序号", "Sequence no."),
    "column.field.CODE": ("项目编号", "Project code"),
    "column.field.NAME": ("项目名称", "Project name"),
    "column.field.AREA": ("所属领域", "Focus area"),
    "column.field.MEASURE": ("工作举措", "Work measure"),
    "column.field.COUNTY": ("建设地点", "County (location)"),
    "column.field.NATURE": ("建设性质", "New / continuing"),
    "column.field.LEAD_UNIT": ("牵头单位", "Lead unit"),
    "column.field.RESPONSIBLE_UNITS": ("责任单位", "Responsible units"),
    "column.field.IMPLEMENTER": ("实施主体", "Implementing body / owner"),
    "column.field.CITY_LEADER": ("市级责任领导", "Responsible city leader"),
    "column.field.CONTACT_PERSON": ("责任人", "Contact person"),
    "column.field.CONTACT_PHONE": ("联系电话", "Contact phone"),
    "column.field.CONTACT": ("责任人及联系方式", "Contact person and phone"),
    "column.field.SCOPE": ("建设内容及规模", "Scope"),
    "column.field.TOTAL_INVESTMENT": ("总投资", "Total investment"),
    "column.field.ANNUAL_PLAN": ("年度计划投资", "This year's planned investment"),
    "column.field.COMPLETED_BEFORE": ("截至上年底累计完成投资", "Completed before this year"),
    "column.field.PLANNED_START": ("计划开工时间", "Planned start"),
    "column.field.PLANNED_FINISH": ("计划完工时间", "Planned finish"),
    "column.field.ACTUAL_START": ("实际开工时间", "Actual start"),
    "column.field.ACTUAL_FINISH": ("实际完工时间", "Actual finish"),
    "column.field.PERIOD": ("建设年限", "Construction period"),
    "column.field.MILESTONE_NAME": ("节点名称", "Milestone name"),
    "column.field.MILESTONE_DATE": ("节点计划时间", "Milestone date"),
    "column.field.MILESTONE_ACTUAL": ("节点实际完成时间", "Milestone done on"),
    "column.field.MILESTONES_TEXT": ("节点", "Milestones / targets (text)"),
    "column.field.APPROVAL": ("前期手续办结时间", "Approval date (pre-construction permits)"),
    "column.field.REMARK": ("备注", "Remark"),
    # why a column is read or not (the mapping step's notes)
    "column.by_values": ("按内容识别：{kind}", "recognised by its values: {kind}"),
    "column.kind.county": ("多为县（区）名", "mostly county names"),
    "column.kind.nature": ("多为“新建”“续建”", "mostly new / continuing"),
    "column.kind.contact": ("多为“姓名 电话”", "mostly “name phone”"),
    "column.kind.phone": ("多为电话号码", "mostly phone numbers"),
    "column.kind.date": ("多为日期", "mostly dates"),
    "column.kind.amount": ("多为金额", "mostly amounts"),
    "column.kind.dated_text": ("多为带时间的文字", "mostly text with dates"),
    "column.kind.text": ("文字", "text"),
    "column.duplicate": (
        "与{first}列重复（都是“{field}”），已使用{first}列",
        "the same as column {first} (both “{field}”); column {first} is used",
    ),
    "column.no_milestone_name": ("没有对应的节点名称列", "no milestone name column goes with it"),
    "column.ignored_by_office": ("导入时选择不导入", "set not to be imported"),
    # an item of a target cell that gave neither a milestone nor an amount
    "target.no_amount": ("投资目标没有写金额", "is an investment target without an amount"),
    "target.no_date": ("没有写完成时间", "has no completion date"),
    "target.date_only": ("只有时间，没有写节点内容", "has only a date, no milestone"),
    # which year 本年度 means (tracker/excel/years.py)
    "year.from_title": ("标题“{text}”", "the title “{text}”"),
    "year.from_sheet": ("工作表名“{text}”", "the sheet name “{text}”"),
    "year.from_header": ("表头“{text}”", "the header “{text}”"),
    "year.given": ("导入时指定", "given at import"),
    "year.chosen": ("{year}年（{source}）", "{year} ({source})"),
    "year.disagrees": (
        "{source}写的是{year}年，本年度按{chosen}处理",
        "{source} says {year}; the current year is taken as {chosen}",
    ),
}
