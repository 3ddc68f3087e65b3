"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

Import jobs, the project list import, backups and restores (the services).
"""

TEXTS: dict[str, tuple[str, str]] = {
    # import jobs
    "import_job.importer_missing": (
        "导入功能尚未启用（缺少项目清单导入模块），请联系系统管理员",
        "Importing is not enabled (the project list importer is missing); ask the administrator",
    ),
    "import_job.no_file": ("请上传项目清单文件", "Upload the project list file"),
    "import_job.bad_type": (
        "不支持的文件类型：{name}（请上传 .xlsx、.xls 或 .ods）",
        "Unsupported file type: {name} (upload .xlsx, .xls or .ods)",
    ),
    "import_job.unreadable": ("上传的文件无法读取", "The uploaded file cannot be read"),
    "import_job.empty_file": ("文件是空的", "The file is empty"),
    "import_job.too_big": (
        "文件太大：{size:.1f} MB，最大 {limit:.0f} MB",
        "The file is too large: {size:.1f} MB, at most {limit:.0f} MB",
    ),
    "import_job.not_found": ("导入任务不存在", "No such import job"),
    "import_job.gone": (
        "该清单已确认导入或已失效，请重新上传",
        "This list was already imported or has expired; upload it again",
    ),
    "import_job.gone_refresh": (
        "该清单已确认导入或已失效，请刷新后重试",
        "This list was already imported or has expired; refresh and try again",
    ),
    "import_job.has_errors": (
        "清单有错误，请修改后重新上传",
        "The list has errors; correct them and upload it again",
    ),
    "import_job.refused": (
        "清单有错误，未写入任何数据",
        "The list has errors; nothing was written",
    ),
    "import_job.interrupted": (
        "处理中断（服务曾重启或超时），请重新上传",
        "Processing stopped (the service restarted or timed out); upload the list again",
    ),
    "import_job.crashed": ("读取失败：{error}", "Reading failed: {error}"),
    "import_job.bad_mapping": (
        "列的对应关系无效，请重新选择",
        "The column mapping is not valid; choose again",
    ),
    "import_job.bad_year": ("年份无效：{year}", "Not a year: {year}"),
    "import_job.year_range": (
        "年份应在 1990 到 2100 之间：{year}",
        "The year must be between 1990 and 2100: {year}",
    ),
    "import_job.changed": (
        "该清单刚被修改过，请刷新后重试",
        "This list was just changed; refresh and try again",
    ),
    # the project list import
    "plan_import.no_rows": ("清单中没有任何项目行", "The list holds no project rows"),
    "plan_import.unknown_field": (
        "“{header}={target}”：不知道“{target}”是哪个字段；可用：{choices}、忽略",
        "“{header}={target}”: “{target}” is not a field; use one of {choices}, or ignore",
    ),
    "plan_import.name_field": ("项目名称", "Project name"),
    "plan_import.same_project": ("与第{row}行是同一项目", "The same project as row {row}"),
    "plan_import.same_name": (
        "系统中有多个同名项目，请在清单中填写项目编号",
        "Several projects have this name; give the project code in the list",
    ),
    # backups and restores
    "backup.manifest_unreadable": (
        "校验清单 {where} 无法读取：{error}",
        "The checksum manifest {where} cannot be read: {error}",
    ),
    "backup.not_manifest": (
        "{where} 不是本系统的备份校验清单",
        "{where} is not a checksum manifest of this system's backups",
    ),
    "backup.no_client": (
        "找不到 {name}：请安装 PostgreSQL 客户端（Debian: postgresql-client）",
        "{name} was not found: install the PostgreSQL client (Debian: postgresql-client)",
    ),
    "backup.tool_failed": ("{what} 失败：{detail}", "{what} failed: {detail}"),
    "backup.is_folder": (
        "{target} 是一个文件夹：请给出备份文件名，或用 --dir",
        "{target} is a folder: give a backup file name, or use --dir",
    ),
    "backup.no_tables": (
        "数据库尚未初始化（没有本系统的表）：先运行 init，或检查 DATABASE_URL",
        "The database is not set up (none of this system's tables): run init, or check DATABASE_URL",
    ),
    "backup.not_backup": (
        "{source} 不是有效的备份文件：{error}",
        "{source} is not a valid backup file: {error}",
    ),
    "backup.corrupt": ("{source} 已损坏：{detail}", "{source} is damaged: {detail}"),
    "backup.missing_tables": (
        "{source} 不是本系统的备份（缺少表：{tables}）",
        "{source} is not a backup of this system (tables missing: {tables})",
    ),
    "backup.wrong_database": (
        "{source} 是 {database} 的备份，不能恢复到 {dialect} 数据库",
        "{source} is a {database} backup; it cannot be restored into a {dialect} database",
    ),
    "backup.checksum": (
        "{source} 与备份时的校验值不一致（文件已损坏或被替换），未恢复任何数据",
        "{source} does not match its checksum at backup time (damaged or replaced); "
        "nothing was restored",
    ),
    "backup.missing_file": ("备份文件不存在：{source}", "The backup file does not exist: {source}"),
    "backup.not_pg_backup": (
        "{source} 不是有效的 PostgreSQL 备份文件：{error}",
        "{source} is not a valid PostgreSQL backup file: {error}",
    ),
}
