"""#19: the English interface is English on every page, outside user data.

Each role signs in, switches to English and opens every main page. What the page shows
(``document.body.innerText``) has every piece of user data taken out — the strings the
database holds (project names and codes, counties, units, milestones, approval steps,
reports, ledger items, notifications, …) and the bulletin document's preview, which is issued in Chinese —
and what is left must hold no Han character. Names cut short by the Gantt (``…``) count as
user data by their beginning. The office's one-character mark (OFFICE_REGION) and the
"中文" language switch are the two Chinese words English keeps on purpose.

On each page that offers one, the walk also makes a request the product refuses (bad input,
a forbidden action, something that does not exist) and reads the refusal: English, no Han
character outside user data. Two texts made below the web layer are read too: the change
list of a form that would change a submitted report (the county lead), and an import dry
run's warnings and year (the office). The overview and the battle map only read: nothing
on them can be refused.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD, _sqlite_copy
from tests.services.test_list_import_fields import issue_list
from tests.web.conftest import ARTIFACTS
from tests.web.live import live_server, login
from tracker.db import read_session
from tracker.models import (
    ApprovalStepType,
    ApprovalTemplate,
    Area,
    AuditLog,
    ImportJob,
    Indicator,
    IndicatorSystem,
    IndicatorValue,
    Measure,
    Milestone,
    MonthlyReport,
    Notification,
    Photo,
    ProblemItem,
    Project,
    ProjectStep,
    ReportingPeriod,
    User,
)
from tracker.services import reports as report_service
from tracker.services.auth import Actor
from tracker.web.views.admin.ids import AdminIds
from tracker.web.views.reports.ids import ReportsIds

pytestmark = pytest.mark.browser

HAN = re.compile(r"[\u3400-\u9fff]+")
CODED = {"nature", "status", "kind", "level", "role", "language", "channel", "reason"}
ROLES = {  # username: what the role is
    "yunxian": "county lead",
    "kejiju": "lead unit",
    "leader": "city leader",
    "admin": "office",
}
PAGES = [
    "/",
    "/battle-map",
    "/map",
    "/projects",
    "/projects/{project}",
    "/reports",
    "/ledger",
    "/bulletin",
]
PAGES += ["/indicators", "/indicators/{indicator}", "/sdg"]  # #16
PAGES += ["/approvals"]  # #17: the approving units
OFFICE_PAGES = ["/admin"]
# The bulletin document's preview (title, headline, reasons and problems, the scoring rule):
# issued in Chinese, shown as issued.
EXCLUDED = [".bl-document"]


@pytest.fixture(scope="module")
def english_server(sqlite_demo_template, tmp_path_factory):
    engine = _sqlite_copy(sqlite_demo_template, tmp_path_factory.mktemp("english"))
    with live_server(engine, DEMO_AS_OF) as srv:
        srv.engine = engine
        yield srv
    engine.dispose()


def user_strings(engine) -> list[str]:
    """Every string the database holds that a page may show, longest first."""
    found: set[str] = set()
    with read_session(engine) as s:
        for model in (
            Area,
            Measure,
            Project,
            Milestone,
            MonthlyReport,
            ProblemItem,
            Notification,
            User,
            ReportingPeriod,
            ImportJob,
            AuditLog,
            IndicatorSystem,  # #16: the systems', indicators' and values' own words
            Indicator,
            IndicatorValue,
            # #17: the approval steps' names and units (the catalogue the office keeps and
            # each project's copy), 批复文号 and the approving unit's contact
            ApprovalStepType,
            ApprovalTemplate,
            ProjectStep,
            Photo,  # #18: a photo's file name and who uploaded it
        ):
            for row in s.exec(select(model)):
                for name, value in row.model_dump().items():
                    if name in CODED:  # a coded value the interface must translate
                        continue
                    if name in {"subject", "body"} and getattr(row, "message", None):
                        continue  # a notice kept as messages: the bell renders it, so it is read
                    if isinstance(value, str) and HAN.search(value):
                        found.add(value.strip())
                        # lists the app splits: units, milestones, lines of text
                        found.update(
                            p.strip() for p in re.split(r"[、，,；;\n]", value) if p.strip()
                        )
    return sorted(found, key=len, reverse=True)


def chrome_text(page) -> str:
    """The visible text of the page less the bulletin document preview."""
    return page.evaluate(
        """(excluded) => {
            const hidden = [];
            for (const sel of excluded) {
                for (const el of document.querySelectorAll(sel)) {
                    hidden.push([el, el.style.display]);
                    el.style.display = 'none';
                }
            }
            const text = document.body.innerText;
            for (const [el, display] of hidden) el.style.display = display;
            return text;
        }""",
        EXCLUDED,
    )


def han_left(text: str, data: list[str], region_mark: str) -> list[str]:
    """The Han characters left, in their line, after the user data is taken out."""
    # a name the Gantt cut short: its first characters, then "…"
    starts = {value[:n] for value in data for n in range(2, min(len(value), 40))}
    text = re.sub(
        r"[^\s…]{1,40}…",
        lambda m: " " if m.group(0)[:-1] in starts else m.group(0),
        text,
    )
    for value in data:
        text = text.replace(value, " ")
    left = []
    for line in text.splitlines():
        line = line.replace("中文", " ").strip()
        if line == region_mark:
            continue
        if HAN.search(line):
            left.append(line)
    return sorted(set(left))


def _wait_settled(page) -> None:
    """Dash has rendered the page: no callback is pending and the layout holds content."""
    page.wait_for_selector("#_pages_content > *", state="attached")
    page.wait_for_function(
        "() => !document.querySelector('._dash-loading, ._dash-loading-callback') "
        "&& !document.querySelector('.mantine-Loader-root, .dash-spinner')"
    )
    page.wait_for_load_state("networkidle")


NOTICE = ".mantine-Notification-root"
REFUSAL = ".page-alert"


def _notice(page) -> str:
    """The text of the refusal an action shows, as a toast or in its panel (waiting for it)."""
    shown = f"{NOTICE}, #{ReportsIds.UPLOAD_RESULT} .mantine-Alert-root"
    page.wait_for_selector(shown)
    return " ".join(page.locator(shown).all_inner_texts())


def _page_refusal(page, url: str) -> str:
    """The refusal a page shows for the request at ``url``."""
    page.goto(url)
    _wait_settled(page)
    return page.locator(REFUSAL).first.inner_text()


def _refused_upload(page, selector: str, name: str, data: bytes) -> str:
    page.locator(f"{selector} input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}]
    )
    return _notice(page)


def refusals(page, base: str, user: User, project: int) -> dict[str, str]:
    """One refused request on each page that has something to refuse: path -> its text."""
    texts = {
        "/projects": _page_refusal(page, f"{base}/projects/999999999"),
        "/projects/{project}": _page_refusal(page, f"{base}/projects/{project}?edit=999999999"),
        "/bulletin": _page_refusal(page, f"{base}/bulletin?month=1999-01"),
    }
    if user.role == "viewer":  # the leaders do not report: the page refuses them
        texts["/reports"] = _page_refusal(page, f"{base}/reports")
    else:  # an offline form that is no form
        page.goto(f"{base}/reports")
        _wait_settled(page)
        page.get_by_role("tab", name="Offline (Excel)").click()
        texts["/reports"] = _refused_upload(
            page, f"#{ReportsIds.UPLOAD}", "form.xlsx", b"not a workbook"
        )
    if user.role == "admin":  # an empty file
        page.goto(f"{base}/admin?tab=list")
        _wait_settled(page)
        texts["/admin"] = _refused_upload(page, f"#{AdminIds.UPLOAD}", "list.xlsx", b"")
    else:
        texts["/admin"] = _page_refusal(page, f"{base}/admin")
    return texts


def form_changing_a_submitted_report(engine, user: User) -> tuple[bytes, list[str]]:
    """The lead's November form with this month's amount of a submitted report changed, and
    the strings it holds (user data and the form's own Chinese headings)."""
    actor = Actor.of(user)
    with read_session(engine) as s:
        data = report_service.report_form(
            s, actor=actor, period=NOVEMBER, today=DEMO_AS_OF, settings=english_settings()
        )
        submitted = set(
            s.exec(
                select(Project.code)
                .join(MonthlyReport, col(MonthlyReport.project_id) == Project.id)
                .where(MonthlyReport.period == NOVEMBER, MonthlyReport.status == "submitted")
            )
        )
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    strings = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    for row in sheet.iter_rows(min_row=5):
        if row[0].value in submitted:
            row[6].value = float(row[6].value or 0) + 7  # 本月完成投资
            break
    else:
        raise AssertionError("the lead has no submitted November report")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), strings


NOVEMBER = date(2026, 11, 1)


def english_settings():
    from tracker.config import load_settings

    return load_settings(env={})


def below_the_web(page, base: str, user: User, engine) -> dict[str, tuple[str, list[str]]]:
    """Texts made below the web layer, each with the user data it quotes."""
    texts: dict[str, tuple[str, list[str]]] = {}
    if user.role == "county":
        data, strings = form_changing_a_submitted_report(engine, user)
        page.goto(f"{base}/reports")
        _wait_settled(page)
        page.get_by_role("tab", name="Offline (Excel)").click()
        page.locator(f"#{ReportsIds.UPLOAD} input[type=file]").set_input_files(
            files=[{"name": "form.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
        )
        page.wait_for_selector(f"#{ReportsIds.UPLOAD_ERRORS}")
        reasons = page.locator(f"#{ReportsIds.UPLOAD_ERRORS} tbody td:last-child")
        texts["a submitted report's change list"] = ("\n".join(reasons.all_inner_texts()), strings)
    if user.role == "admin":
        listing = issue_list()
        book = load_workbook(io.BytesIO(listing))
        strings = [str(v) for row in book.worksheets[0].iter_rows(values_only=True) for v in row]
        strings += [book.worksheets[0].title]
        page.goto(f"{base}/admin?tab=list")
        _wait_settled(page)
        # an .xls name on an .xlsx file: the dry run warns
        page.locator(f"#{AdminIds.UPLOAD} input[type=file]").set_input_files(
            files=[{"name": "list.xls", "mimeType": "application/octet-stream", "buffer": listing}]
        )
        page.wait_for_selector(f"#{AdminIds.WARNINGS}")
        shown = page.locator(f"#{AdminIds.STATUS}").inner_text()
        texts["an import dry run"] = (shown, sorted(set(strings), key=len, reverse=True))
    return texts


@pytest.mark.parametrize("username", list(ROLES))
def test_every_page_is_english_outside_user_data(browser, english_server, username):
    data = user_strings(english_server.engine)
    with read_session(english_server.engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
        mine = select(Project).order_by(Project.sort_order)
        if user.county:
            mine = mine.where(Project.county == user.county)
        if user.lead_unit:
            mine = mine.where(Project.lead_unit == user.lead_unit)
        project = s.exec(mine).first()
        indicator = s.exec(select(Indicator.id).order_by(Indicator.id)).first()
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20000)
    found: dict[str, list[str]] = {}
    try:
        login(page, english_server.url, username, DEMO_PASSWORD)
        _wait_settled(page)
        page.goto(f"{english_server.url}/lang/en?next=/")
        _wait_settled(page)
        pages = PAGES + (OFFICE_PAGES if user.role == "admin" else [])
        for path in pages:
            path = path.format(project=project.id, indicator=indicator)
            page.goto(f"{english_server.url}{path}")
            _wait_settled(page)
            assert page.locator(".logout-button").inner_text().strip() == "Sign out"
            left = han_left(chrome_text(page), data, "临")
            if left:
                found[path] = left
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(
                    path=str(ARTIFACTS / f"english_{username}{path.replace('/', '_')}.png")
                )
        for path, text in refusals(page, english_server.url, user, project.id).items():
            assert text.strip(), f"{path}: no refusal shown"
            left = han_left(text, data, "临")
            if left:
                found[f"refused on {path}"] = left
        for what, (text, quoted) in below_the_web(
            page, english_server.url, user, english_server.engine
        ).items():
            assert text.strip(), f"{what}: nothing shown"
            left = han_left(text, sorted({*data, *quoted}, key=len, reverse=True), "临")
            if left:
                found[what] = left
    finally:
        context.close()
    assert not found, f"Chinese left in the English interface for {ROLES[username]}:\n" + "\n".join(
        f"  {path}: {lines}" for path, lines in found.items()
    )
