"""月报填报: the month's reports of an actor's projects in one editable grid, the offline
Excel form, and the office's review (return with a comment, who has not reported).

- ``ids``: every component id of the page
- ``month``: the month picker, the month's dates and counts, what a row's state reads as
- ``rows``: grid rows (plain dicts), reading edits back for the service, merging outcomes
- ``grid``: the grid's columns (AG Grid config), the grid and its buttons
- ``form``: the offline form's panel and what an upload did
- ``review``: the office's review and who has not reported

The views take plain results (``tracker.services.reports``), never the database's rows.
"""

from tracker.web.views.reports.form import offline_panel, upload_box, upload_bytes, upload_result
from tracker.web.views.reports.grid import (
    GRID_COLUMNS,
    STATUS_COLORS,
    GridColumn,
    actions,
    column_defs,
    grid,
    grid_height,
    has_return_comments,
)
from tracker.web.views.reports.ids import ReportsIds
from tracker.web.views.reports.month import (
    QUALIFIERS,
    line_state,
    month_options,
    period_info,
    returned_notice,
    state_label,
)
from tracker.web.views.reports.review import (
    missing_list,
    return_modal,
    return_target,
    review_table,
)
from tracker.web.views.reports.rows import (
    ReadRow,
    current_rows,
    decimal_or_none,
    inputs_of,
    is_dirty,
    merge_outcomes,
    messages,
    outcome_summary,
    pick_rows,
    problem_text,
    read_row,
    row,
    rows,
    values_of,
)

__all__ = [
    "GRID_COLUMNS",
    "QUALIFIERS",
    "STATUS_COLORS",
    "GridColumn",
    "ReadRow",
    "ReportsIds",
    "actions",
    "column_defs",
    "current_rows",
    "decimal_or_none",
    "grid",
    "grid_height",
    "has_return_comments",
    "inputs_of",
    "is_dirty",
    "line_state",
    "merge_outcomes",
    "messages",
    "missing_list",
    "month_options",
    "offline_panel",
    "outcome_summary",
    "period_info",
    "pick_rows",
    "problem_text",
    "read_row",
    "return_modal",
    "return_target",
    "returned_notice",
    "review_table",
    "row",
    "rows",
    "state_label",
    "upload_box",
    "upload_bytes",
    "upload_result",
    "values_of",
]
