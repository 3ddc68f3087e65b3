"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

The county lead's pages on a phone (#18): the folded navigation and the monthly report one
project at a time (tracker/web/shell.py, tracker/web/views/reports/phone.py).
"""

TEXTS: dict[str, tuple[str, str]] = {
    "shell.menu": ("菜单", "Menu"),
    "phone.app_short": ("挂图作战", "Tracker"),  # the name under the home screen's icon
    "phone.report_open": ("填报", "Report"),
    "phone.report_view": ("查看", "View"),
    "phone.report_help": (
        "只改本月完成投资时，年度累计与开工累计由系统按上月累计加本月计算。",
        "Change only this month's amount and the year-to-date and total are computed from "
        "last month's plus this month's.",
    ),
    "phone.report_locked": (
        "本月报表不可修改（已关账或无权填报）。",
        "This month's report cannot be changed (closed, or not yours to report).",
    ),
    "phone.carried": (
        "上月年度累计 {ytd} 万元 · 年度计划 {plan} 万元",
        "Last month YTD {ytd} · annual plan {plan} (10k CNY)",
    ),
    "phone.no_rows": ("本月没有需要填报的项目", "No projects to report this month"),
    "phone.submit": ("报送", "Submit"),
}
