"""The admin page's component ids, and the threshold fields its form edits."""

from __future__ import annotations

from tracker.domain.rules import RULES

# (Thresholds field, label key, edit step): each rule's amber and red edge, from the rule
# table, then the milestone 'due soon' window.
THRESHOLD_FIELDS: tuple[tuple[str, str, float], ...] = (
    *(
        (getattr(rule, edge), f"rule.col.{edge}", rule.step)
        for rule in RULES
        for edge in ("amber", "red")
    ),
    ("due_soon_days", "th.due_soon_days.label", 1),
)


class AdminIds:
    TABS = "ad-tabs"
    # users
    USERS_GRID = "ad-users-grid"
    USERS_REFRESH = "ad-users-refresh"
    ADD_USERNAME = "ad-add-username"
    ADD_NAME = "ad-add-name"
    ADD_ROLE = "ad-add-role"
    ADD_COUNTY = "ad-add-county"
    ADD_UNIT = "ad-add-unit"
    ADD_PASSWORD = "ad-add-password"
    ADD_SAVE = "ad-add-save"
    SELECTED = "ad-selected"
    TOGGLE = "ad-toggle"
    RESET = "ad-reset"
    NEW_PASSWORD = "ad-new-password"
    SCOPE_ROLE = "ad-scope-role"
    SCOPE_COUNTY = "ad-scope-county"
    SCOPE_UNIT = "ad-scope-unit"
    SCOPE_SAVE = "ad-scope-save"
    SESSIONS = "ad-sessions"  # the selected user's active sessions (#12)
    SIGN_OUT = "ad-sign-out"  # end them all
    # thresholds
    TH_PREFIX = "ad-th-"
    TH_VERSION = "ad-th-version"
    TH_SAVE = "ad-th-save"
    RULE_TABLE = "ad-rule-table"
    # reschedule approval
    APPROVAL = "ad-approval"
    APPROVAL_VERSION = "ad-approval-version"
    APPROVAL_SAVE = "ad-approval-save"
    PENDING = "ad-pending"
    PENDING_REFRESH = "ad-pending-refresh"
    APPROVE = "ad-approve"  # pattern: {"type": APPROVE, "index": milestone id, "v": version}
    REJECT = "ad-reject"  # pattern: {"type": REJECT, "index": milestone id, "v": version}
    # project list
    UPLOAD = "ad-upload"
    JOB = "ad-job"
    TIMER = "ad-timer"
    STATUS = "ad-status"
    CONFIRM = "ad-confirm"
    MAP = "ad-map"  # pattern: {"type": MAP, "index": the column's mapping key}
    MAP_YEAR = "ad-map-year"
    REMAP = "ad-remap"
    EXPORT = "ad-export"
    EXPORT_FILE = "ad-export-file"
    # what the panels draw inside themselves
    SESSION_TABLE = "ad-session-table"
    RULE_PREFIX = "rule-"  # one row per light rule: RULE_PREFIX + the rule's code
    RULE_GROUP = "rule-group"
    PENDING_EMPTY = "ad-pending-empty"
    IMPORT_OFF = "ad-import-off"
    PROGRESS = "ad-progress"
    IMPORT_DONE = "ad-import-done"
    MAPPING_ALERT = "ad-mapping-alert"
    YEAR_USED = "ad-year-used"
    WARNINGS = "ad-warnings"
    MAPPING_TABLE = "ad-mapping-table"
    MAPPING = "ad-mapping"
    CHANGES = "ad-changes"
    UNUSED = "ad-unused"

    @staticmethod
    def rule(code: str) -> str:
        return AdminIds.RULE_PREFIX + code

    @staticmethod
    def threshold(name: str) -> str:
        return AdminIds.TH_PREFIX + name
