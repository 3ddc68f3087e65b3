"""The catalogue's texts for messages raised below the web layer, one module per feature.

``tracker.i18n.CATALOGUE`` holds the interface's labels and merges these: errors and notes
that domain rules, services and the Excel layer raise as keys (``tracker.domain.messages``).
Each module's ``TEXTS`` maps a key to its (Chinese, English) pair; a key lives in one module
only (tests/meta/test_house_rules.py checks both languages, the parameters and uniqueness).

- common: refusals any feature raises (stale versions, permissions, not found, values)
- admin: accounts, sessions, settings, reschedule approvals
- reports: the monthly report, its form and its checks
- dispatch: periods, the bulletin, the ledger, reminders
- ledger: causes, the third 督办 level, escalation notices, the 督办单 (#14)
- plan: projects, milestones, the battle map, the plan's own values
- imports: import jobs, plan imports, backups and restores (the services)
- excel: reading workbooks: values, cells, headers, the list's rows (the Excel layer and
  the domain's value rules)
- media: site photos, project locations, the map page (#18)
- spans: quarter, half-year and year bulletins (their refusals and drafted sentences)
- indicators: the zone's indicators (#16): fields, directions, reasons, SDG goals, refusals
- indicator_files: the indicators as files: the workbook, its import, the annual tables (#16)
- indicator_cycle: indicator values' Excel form, requests and reminders, the bulletin's
  indicators and their 考评 (#16)
- indicator_pages: the indicators list, an indicator's page, the SDG view (#16)
- exchange: working days, the critical path, MS Project XML and the iCalendar feed (#17)
- approvals: 前期手续 steps and links, the start-at-risk light, the approving units (#17)
- chains: #17 on screen and in print: the map's 前期 chains, steps and links, 审批部门
- phone: the county lead's pages on a phone (#18): navigation, a report per project
"""

from tracker.texts import (
    admin,
    approvals,
    chains,
    common,
    dispatch,
    excel,
    exchange,
    imports,
    indicator_cycle,
    indicator_files,
    indicator_pages,
    indicators,
    ledger,
    media,
    phone,
    plan,
    reports,
    spans,
)

MODULES = (
    common,
    admin,
    reports,
    dispatch,
    plan,
    imports,
    excel,
    ledger,
    spans,
    approvals,
    chains,
    exchange,
    indicator_cycle,
    indicator_files,
    indicator_pages,
    indicators,
    media,
    phone,
)
