"""#19: no visible label is cut short on the main pages, in Chinese and in English, on a
1366×768 laptop and a 1920×1080 desk screen.

A label is clipped when its box is narrower than its text (``scrollWidth > clientWidth``:
"Ambe", "Greer", "All countie" in English before #19). Labels, buttons, badges, tabs,
segmented controls, navigation links, input labels and KPI captions are checked; so is the
value shown inside a fixed-width control (a Mantine select or date input), whose text is
measured against the room the control leaves it. Grid column headers (ellipsis with a
tooltip by design) and user data in table cells are not labels; a grid's coded columns (the
light, the report's status, the stage) are.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD, _sqlite_copy
from tests.web.conftest import ARTIFACTS
from tests.web.live import live_server, login
from tracker.db import read_session
from tracker.models import Indicator, Project

pytestmark = pytest.mark.browser

VIEWPORTS = {"1366": (1366, 768), "1920": (1920, 1080)}
PAGES = ["/", "/battle-map", "/projects", "/projects/{project}", "/reports", "/ledger", "/bulletin"]
PAGES += ["/indicators", "/indicators/{indicator}", "/sdg", "/indicator-entry"]  # #16
ADMIN_PAGES = ["/admin"]
LEAD = "yunxian"  # a county lead: the overview, the battle map and the report grid of 云县
LEAD_PAGES = ["/", "/battle-map", "/reports", "/ledger"]

LABELS = ", ".join(
    [
        "button",
        "label",
        "[role=tab]",
        ".mantine-Badge-label",
        ".mantine-Button-label",
        ".mantine-SegmentedControl-label",
        ".mantine-Tabs-tabLabel",
        ".mantine-NavLink-label",
        ".mantine-InputWrapper-label",
        ".mantine-Chip-label",
        ".mantine-Checkbox-label",
        ".mantine-Radio-label",
        ".mantine-Switch-label",
        ".mantine-Accordion-label",
        ".mantine-Pill-label",
        ".nav-link",
        ".brand-title",
        ".user-scope",
        ".kpi-label",
        ".page-title",
    ]
)

CLIPPED = """(labels) => {
    const found = [];
    const visible = (el) => {
        if (!el.getClientRects().length) return false;
        const style = getComputedStyle(el);
        return style.visibility !== 'hidden' && style.display !== 'none';
    };
    const name = (el) => (el.id ? '#' + el.id : el.className && el.className.baseVal === undefined
        ? el.tagName.toLowerCase() + '.' + String(el.className).split(' ')[0] : el.tagName);
    for (const el of document.querySelectorAll(labels)) {
        if (!visible(el) || el.closest('.ag-root-wrapper, .js-plotly-plot, [data-clip-ok]')) continue;
        const text = (el.innerText || '').trim();
        if (!text || el.clientWidth === 0) continue;
        if (el.scrollWidth > el.clientWidth + 1) {
            found.push(`${name(el)} "${text.slice(0, 40)}" ${el.scrollWidth}>${el.clientWidth}`);
        }
    }
    // a grid's coded columns (light, status, stage, level, kind): labels, not user data
    const coded = '.ag-cell[col-id*="light"], .ag-cell[col-id*="status"], '
        + '.ag-cell[col-id*="stage"], .ag-cell[col-id*="level"], .ag-cell[col-id*="kind"]';
    for (const cell of document.querySelectorAll(coded)) {
        if (!visible(cell)) continue;
        const text = (cell.innerText || '').trim();
        for (const el of [cell, ...cell.querySelectorAll('*')]) {
            if (text && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
                found.push(`grid ${cell.getAttribute('col-id')} "${text.slice(0, 40)}" ${el.scrollWidth}>${el.clientWidth}`);
                break;
            }
        }
    }
    // a value inside a fixed-width control: its text against the room the control leaves
    const canvas = document.createElement('canvas').getContext('2d');
    for (const input of document.querySelectorAll('input.mantine-Input-input, button.mantine-Input-input')) {
        if (!visible(input) || input.closest('.ag-root-wrapper')) continue;
        const text = ((input.tagName === 'INPUT' ? input.value || input.placeholder
            : input.innerText) || '').trim();
        if (!text) continue;
        const style = getComputedStyle(input);
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const width = canvas.measureText(text).width;
        if (width > room + 1) {
            found.push(`${name(input)} value "${text.slice(0, 40)}" ${Math.ceil(width)}>${Math.floor(room)}`);
        }
    }
    return found;
}"""


@pytest.fixture(scope="module")
def clip_server(sqlite_demo_template, tmp_path_factory):
    engine = _sqlite_copy(sqlite_demo_template, tmp_path_factory.mktemp("clipping"))
    with read_session(engine) as s:
        first = s.exec(select(Project).order_by(Project.sort_order)).first()
        indicator = s.exec(select(Indicator).order_by(Indicator.id)).first()
    with live_server(engine, DEMO_AS_OF) as srv:
        srv.project = first.id
        srv.indicator = indicator.id
        yield srv
    engine.dispose()


def _settled(page) -> None:
    page.wait_for_selector("#_pages_content > *", state="attached")
    page.wait_for_function(
        "() => !document.querySelector('._dash-loading, ._dash-loading-callback')"
    )
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_no_visible_label_is_clipped(browser, clip_server, language, size):
    width, height = VIEWPORTS[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20000)
    found: dict[str, list[str]] = {}
    try:
        for username, pages in (("admin", PAGES + ADMIN_PAGES), (LEAD, LEAD_PAGES)):
            page.goto(f"{clip_server.url}/lang/{language}?next=/login")
            login(page, clip_server.url, username, DEMO_PASSWORD)
            _settled(page)
            page.goto(f"{clip_server.url}/lang/{language}?next=/")
            _settled(page)
            for path in pages:
                path = path.format(project=clip_server.project, indicator=clip_server.indicator)
                page.goto(f"{clip_server.url}{path}")
                _settled(page)
                clipped = page.evaluate(CLIPPED, LABELS)
                if clipped:
                    found[f"{username} {path}"] = sorted(set(clipped))
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(
                        path=str(
                            ARTIFACTS
                            / f"clipped_{language}_{size}_{username}{path.replace('/', '_')}.png"
                        )
                    )
            page.click(".logout-button")
            page.wait_for_url("**/login**")
    finally:
        context.close()
    assert not found, f"clipped labels ({language}, {width}×{height}):\n" + "\n".join(
        f"  {path}: {items}" for path, items in found.items()
    )
