"""Monthly report entry: the grid of an actor's projects, drafts, submission, the office's
return, the offline Excel form, and the lock at the period's close.

Scope: a county lead reports for the projects of their county, a lead-unit account for its
unit's, the office for all. Saves are versioned (``UPDATE … WHERE version = :seen``) and
audited. Submissions after the due day are flagged late; a closed period refuses every edit.

- ``grid``: what the page reads (the month's lines, prefilled from last month)
- ``saves``: drafts, submissions and the office's return (one report each)
- ``form``: the offline Excel form, downloaded and uploaded (all or nothing)
- ``history``: a project's reports over the months
- ``page``: the page's use cases (one read per render, one write per action)

The report's rules (its fields, the checks, its states) are ``tracker.domain.reports``.
"""

from tracker.services.reports.form import FormResult, apply_report_form, report_form
from tracker.services.reports.grid import (
    ReportLine,
    ReportValues,
    carried_for,
    prefill,
    previous_report,
    report_grid,
    scoped_projects,
)
from tracker.services.reports.history import report_history, values_dict
from tracker.services.reports.saves import (
    REPORT_RETURNED,
    ReportInvalid,
    check_submission,
    return_report,
    save_draft,
    submit_report,
)

__all__ = [
    "REPORT_RETURNED",
    "FormResult",
    "ReportInvalid",
    "ReportLine",
    "ReportValues",
    "apply_report_form",
    "carried_for",
    "check_submission",
    "prefill",
    "previous_report",
    "report_form",
    "report_grid",
    "report_history",
    "return_report",
    "save_draft",
    "scoped_projects",
    "submit_report",
    "values_dict",
]
