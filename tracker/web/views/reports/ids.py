"""Every component id of the reports page."""


class ReportsIds:
    MONTH = "rp-month"
    PERIOD = "rp-period"  # Store: the ISO month shown
    REFRESH = "rp-refresh"  # Store: bumped to reload the grid from the database
    PANELS = "rp-panels"  # Store: bumped to reload the month's counts and the office's lists
    INFO = "rp-info"
    TABS = "rp-tabs"
    GRID = "rp-grid"
    SAVE = "rp-save"
    SUBMIT_SELECTED = "rp-submit-selected"
    SUBMIT_ALL = "rp-submit-all"
    RELOAD = "rp-reload"
    MESSAGES = "rp-messages"
    # offline form
    FORM_COUNTY = "rp-form-county"
    FORM_DOWNLOAD = "rp-form-download"
    FORM_FILE = "rp-form-file"
    UPLOAD = "rp-upload"
    UPLOAD_BOX = "rp-upload-box"
    UPLOAD_DRAFT = "rp-upload-draft"
    UPLOAD_RESULT = "rp-upload-result"
    # the office's review
    REVIEW = "rp-review"
    MISSING = "rp-missing"
    RETURN_OPEN = "rp-return-open"  # pattern: {"type": RETURN_OPEN, "index": project id}
    RETURN_MODAL = "rp-return-modal"
    RETURN_TARGET = "rp-return-target"  # Store: {"project_id", "period", "version"}
    RETURN_WHAT = "rp-return-what"
    RETURN_COMMENT = "rp-return-comment"
    RETURN_CONFIRM = "rp-return-confirm"
    REVIEW_TABLE = "rp-review-table"
    MISSING_TABLE = "rp-missing-table"
    # what the page says
    PERIOD_STATUS = "rp-period-status"
    COUNT = "rp-count"
    LOCKED = "rp-locked"
    RETURNED = "rp-returned"
    PROBLEMS = "rp-problems"
    UPLOAD_OK = "rp-upload-ok"
    UPLOAD_ERRORS = "rp-upload-errors"
    # #18 the phone: the month's projects as cards, a form per project
    PHONE_LIST = "rp-phone-list"
    PHONE_OPEN = "rp-phone-open"  # pattern: {"type": PHONE_OPEN, "index": project id}
    PHONE_MODAL = "rp-phone-modal"
    PHONE_TARGET = "rp-phone-target"  # Store: the project id the form is open on
    PHONE_FIELD = "rp-phone-field"  # pattern: {"type": PHONE_FIELD, "index": field name}
    PHONE_NOTE = "rp-phone-note"  # what the form says: locked, or why a save was refused
    PHONE_SAVE = "rp-phone-save"
    PHONE_SUBMIT = "rp-phone-submit"
