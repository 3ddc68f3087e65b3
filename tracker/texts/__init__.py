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
"""

from tracker.texts import (
    admin,
    common,
    dispatch,
    excel,
    imports,
    ledger,
    media,
    plan,
    reports,
    spans,
)

MODULES = (common, admin, reports, dispatch, plan, imports, excel, ledger, spans, media)
