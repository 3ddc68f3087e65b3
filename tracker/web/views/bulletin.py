"""调度通报: the month's bulletin as a page — the opening paragraph, the figure tables, red and
amber projects, overdue milestones, who did not report, coordination items, the county
ranking with its formula, what changed since last month — and the office's compile."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from tracker.domain import numbers
from tracker.domain.bulletin import Bulletin
from tracker.domain.messages import render
from tracker.domain.periods import month_label
from tracker.domain.rules import Light
from tracker.i18n import light_label, t
from tracker.services.bulletin import Assessment, Revision
from tracker.services.compile_jobs import CompileState
from tracker.services.cycle import PeriodFacts
from tracker.web import ui
from tracker.web.views.timefmt import local_time


class BulletinIds:
    MONTH = "bl-month"
    STATUS = "bl-status"
    BODY = "bl-body"
    DOWNLOAD = "bl-download"
    DOWNLOAD_FILE = "bl-download-file"
    COMPILE = "bl-compile"
    COMPILE_MODAL = "bl-compile-modal"
    COMPILE_CONFIRM = "bl-compile-confirm"
    COMPILE_STATE = "bl-compile-state"
    COMPILE_BOX = "bl-compile-box"
    COMPILE_WHAT = "bl-compile-what"
    JOB = "bl-job"  # Store: {"period", "started"} of the compile this page started
    TIMER = "bl-timer"
    REFRESH = "bl-refresh"  # Store: bumped when a compile finishes
    # #10: the period's calendar, the office's moves and reopening, the revisions, 考评
    PERIOD_BOX = "bl-period"
    PERIOD_VERSION = "bl-period-version"
    MOVE_OPENS = "bl-move-opens"
    MOVE_DUE = "bl-move-due"
    MOVE_CLOSES = "bl-move-closes"
    MOVE_REASON = "bl-move-reason"
    MOVE_SAVE = "bl-move-save"
    REOPEN_REASON = "bl-reopen-reason"
    REOPEN_SAVE = "bl-reopen-save"
    REVISION = "bl-revision"  # pattern: {"type": REVISION, "index": revision}
    REVISION_FILE = "bl-revision-file"
    ASSESSMENT = "bl-assessment"
    FINAL = "bl-final"
    CHANGES = "bl-changes"
    LIGHTS_CHANGED = "bl-lights-changed"
    NEWLY_OVERDUE = "bl-newly-overdue"
    TITLE = "bl-title"
    REOPENED = "bl-reopened"
    REVISION_REASON = "bl-revision-reason"
    HEADLINE = "bl-headline"
    RED_AMBER = "bl-red-amber"
    OVERDUE = "bl-overdue"
    NOT_REPORTED = "bl-not-reported"
    FORMULA = "bl-formula"
    RANKING = "bl-ranking"
    RANKING_UNITS = "bl-ranking-units"
    LATE_TO_START = "bl-late-to-start"
    COORDINATION = "bl-coordination"
    DATA_PROBLEMS = "bl-data-problems"
    COMPILE_DONE = "bl-compile-done"
    COMPILE_FAILED = "bl-compile-failed"
    COMPILING = "bl-compiling"
    PERIOD_DATES = "bl-period-dates"
    REVISIONS = "bl-revisions"
    ASSESSMENT_COUNTIES = "bl-assessment-counties"
    ASSESSMENT_UNITS = "bl-assessment-units"
    ASSESSMENT_INDICATORS = "bl-assessment-indicators"  # #16: the units' indicator reporting
    # #14: the 考评 in its own box (sent again only when the year changes), the year it shows,
    # the address following the month picked, and the notice for a ?month= with no bulletin
    ASSESSMENT_BOX = "bl-assessment-box"
    YEAR = "bl-year"
    URL_SYNC = "bl-url-sync"
    MONTH_NOTICE = "bl-month-notice"

    @staticmethod
    def figures(key: str) -> str:
        """The table of one figures tab (by_area → bl-by-area)."""
        return f"bl-{key.replace('_', '-')}"

    KPI_PROJECTS = "bl-kpi-projects"
    KPI_YTD = "bl-kpi-ytd"
    KPI_RATE = "bl-kpi-rate"
    KPI_GAP = "bl-kpi-gap"
    KPI_LIGHTS = "bl-kpi-lights"
    KPI_REPORTED = "bl-kpi-reported"
    KPI_MISSING = "bl-kpi-missing"


# (row key, label key, kind); kinds: text | wrap | money | yi | pct | pp | int | ratio | list
FIGURE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("projects", "bulletin.col.projects", "int"),
    ("annual_plan", "col.plan_wan", "money"),
    ("completed_ytd", "col.done_wan", "money"),
    ("rate", "col.rate", "pct"),
    ("gap_pp", "col.gap_pp", "pp"),
    ("own_gap_pp", "bulletin.col.own_gap", "pp"),
    ("light", "col.light", "light"),
    ("new_started", "bulletin.col.new_started", "new_started"),
    ("new_start_rate", "bulletin.col.new_start_rate", "pct"),
    ("resumed", "bulletin.col.resumed", "resumed"),
    ("completed", "bulletin.col.completed", "int"),
    ("late_to_start", "bulletin.col.late_to_start", "int"),
    ("red", "light.red", "int"),
    ("amber", "light.amber", "int"),
    ("green", "light.green", "int"),
    ("reported", "bulletin.col.reported", "reported"),
)
TABLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "red_amber": (
        ("light", "col.light", "light"),
        ("code", "col.code", "text"),
        ("name", "col.name", "text"),
        ("county", "col.county", "text"),
        ("lead_unit", "col.lead_unit", "text"),
        ("reasons", "col.reasons", "list"),
        ("problems", "col.problems", "list"),
    ),
    "overdue_milestones": (
        ("light", "col.light", "light"),
        ("code", "col.code", "text"),
        ("name", "col.name", "text"),
        ("county", "col.county", "text"),
        ("milestone", "col.milestone", "text"),
        ("planned", "col.planned", "text"),
        ("days", "bulletin.col.days_overdue", "int"),
    ),
    "not_reported": (
        ("code", "col.code", "text"),
        ("name", "col.name", "text"),
        ("county", "col.county", "text"),
        ("lead_unit", "col.lead_unit", "text"),
        ("months", "bulletin.col.months_missing", "int"),
    ),
    "late_to_start": (
        ("code", "col.code", "text"),
        ("name", "col.name", "text"),
        ("county", "col.county", "text"),
        ("lead_unit", "col.lead_unit", "text"),
        ("planned_start", "bulletin.col.planned_start", "text"),
        ("days", "bulletin.col.days_late", "int"),
    ),
    "indicator_ranking": (  # #16: the units' reporting of the year's indicator values
        ("rank", "bulletin.col.rank", "int"),
        ("unit", "indicator_span.col.owner", "text"),
        ("indicators", "indicator_span.col.indicators", "int"),
        ("due", "indicator_span.col.due", "int"),
        ("reported", "indicator_span.col.reported", "int"),
        ("on_time", "indicator_span.col.on_time", "int"),
        ("accepted", "indicator_span.col.accepted", "int"),
        ("on_time_rate", "indicator_span.col.on_time_rate", "pct"),
        ("score", "indicator_span.col.score", "score"),
    ),
    "ranking_units": (
        ("rank", "bulletin.col.rank", "int"),
        ("unit", "bulletin.col.unit", "text"),
        ("investment_rate", "bulletin.col.investment_rate", "pct"),
        ("milestone_rate", "bulletin.col.milestone_rate", "pct"),
        ("reporting_rate", "bulletin.col.reporting_rate", "pct"),
        ("score", "bulletin.col.score", "score"),
        ("projects", "bulletin.col.projects", "int"),
    ),
    "coordination": (
        ("code", "col.code", "text"),
        ("name", "col.name", "text"),
        ("county", "col.county", "text"),
        ("text", "ledger.col.text", "wrap"),
        ("owner", "ledger.col.owner", "text"),
        ("level", "ledger.col.level", "level"),
        ("raised_on", "ledger.col.raised_on", "text"),
        ("due_date", "ledger.col.due_date", "text"),
        ("days_open", "ledger.col.days_open", "int"),
    ),
    "ranking": (
        ("rank", "bulletin.col.rank", "int"),
        ("county", "col.county", "text"),
        ("investment_rate", "bulletin.col.investment_rate", "pct"),
        ("milestone_rate", "bulletin.col.milestone_rate", "pct"),
        ("reporting_rate", "bulletin.col.reporting_rate", "pct"),
        ("score", "bulletin.col.score", "score"),
        ("projects", "bulletin.col.projects", "int"),
    ),
    "data_problems": (
        ("code", "col.code", "text"),
        ("name", "col.name", "text"),
        ("county", "col.county", "text"),
        ("problem", "bulletin.col.data_problem", "wrap"),
    ),
    "lights_changed": (
        ("code", "col.code", "text"),
        ("name", "col.name", "text"),
        ("county", "col.county", "text"),
        ("before", "bulletin.col.before", "light"),
        ("after", "bulletin.col.after", "light"),
    ),
}


def month_options(months: Sequence[date], language: str) -> list[dict[str, str]]:
    return [{"value": m.isoformat(), "label": month_label(m, language)} for m in months]


def _figure(fmt: Callable[[Any], str]) -> Callable[[Any], str]:
    """A figure through domain.numbers (the paragraph's rounding, #14); '—' for nothing, or
    for a stored value that is not a finite number."""

    def shown(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            return numbers.DASH
        return fmt(value) if math.isfinite(value) else numbers.DASH

    return shown


def _or_dash(fmt: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: numbers.DASH if value is None else fmt(value)


# kinds printed from the value alone: every figure rounded once, half up, as the paragraph
_PLAIN: dict[str, Callable[[Any], str]] = {
    "money": _figure(lambda v: numbers.amount(v, "wan", grouped=True)),
    "yi": _figure(lambda v: numbers.amount(v, "yi", grouped=True)),
    "pct": _figure(numbers.percent),
    "pp": _figure(numbers.points),
    "score": _figure(lambda v: f"{numbers.rounded(v, 1)}"),
    "int": _or_dash(str),
}


def _ratio(value: Any, kind: str, row: dict[str, Any]) -> str:
    """``done / due`` cells, read from the row."""
    if kind == "started":
        return f"{row.get('started', 0)} / {row.get('due_to_start', 0)}"
    if kind == "reported":
        return f"{row.get('reported', 0)} / {row.get('expected', 0)}"
    if value is None:  # a bulletin frozen before stages were counted has none
        return "—"
    return f"{value} / {row.get('new_due' if kind == 'new_started' else 'continuing')}"


def _light_cell(value: Any, language: str, returned: bool) -> Any:
    """One component (its dot drawn by CSS): a bulletin has a few hundred of these, and each
    component costs the browser on every switch of month (#14)."""
    try:
        light = Light(value)
    except ValueError:
        return str(value or "—")
    label = light_label(light, language)
    if returned:
        label += f" · {t('light.returned', language)}"
    return html.Span(label, className=f"light-cell bl-light bl-light-{light.value}")


def cell(value: Any, kind: str, language: str, row: dict[str, Any] | None = None) -> Any:
    """One value as the bulletin prints it (text only; user text is never markup)."""
    row = row or {}
    if kind in _PLAIN:
        return _PLAIN[kind](value)
    if kind in ("started", "new_started", "resumed", "reported"):
        return _ratio(value, kind, row)
    if kind == "list":
        items = [str(v) for v in (value or []) if v]
        return ("；" if language == "zh" else "; ").join(items) if items else "—"
    if kind == "light":
        return _light_cell(value, language, bool(row.get("returned")))
    if kind == "level":
        return t(f"ledger.level.{value}", language) if value in ("office", "city", "mayor") else "—"
    return "—" if value in (None, "") else str(value)


NUMERIC = {
    "money",
    "yi",
    "pct",
    "pp",
    "int",
    "score",
    "started",
    "reported",
    "new_started",
    "resumed",
}


def _joined(items: Sequence[str], language: str) -> str:
    return ("、" if language == "zh" else ", ").join(items)


def table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str, str]],
    language: str,
    *,
    table_id: str,
    first: tuple[str, str] | None = None,
    empty: str = "bulletin.none",
    total: dict[str, Any] | None = None,
) -> Any:
    """A bulletin table; ``first`` is the group column (key, label) of a figure table."""
    if not rows:
        return dmc.Text(t(empty, language), c="dimmed", size="sm", id=table_id)
    cols = ([(first[0], first[1], "text")] if first else []) + list(columns)

    def tr(r: dict[str, Any], bold: bool = False) -> html.Tr:
        return html.Tr(
            [
                html.Td(
                    cell(r.get(key), kind, language, r),
                    className=" ".join(
                        c
                        for c in (
                            "num" if kind in NUMERIC else "",
                            "bl-wrap" if kind in {"wrap", "list"} else "",
                            # reasons and problems: the bulletin's own text, issued in Chinese
                            "bl-document" if kind == "list" else "",
                        )
                        if c
                    )
                    or None,
                )
                for key, _, kind in cols
            ],
            style={"fontWeight": 600} if bold else None,
        )

    body = [tr(r) for r in rows]
    if total is not None:
        body.append(
            tr({**total, first[0] if first else "key": t("bulletin.total", language)}, True)
        )
    return dmc.ScrollArea(
        dmc.Table(
            [
                html.Thead(
                    html.Tr(
                        [
                            html.Th(
                                t(label, language), className="num" if kind in NUMERIC else None
                            )
                            for _, label, kind in cols
                        ]
                    )
                ),
                html.Tbody(body),
            ],
            striped=True,
            highlightOnHover=True,
            withTableBorder=True,
            horizontalSpacing="sm",
            fz="sm",
            className="bl-table",
            id=table_id,
        ),
        type="auto",
    )


def _kpi(value: str, label: str, kid: str) -> html.Div:
    return html.Div(
        [
            html.Div(value, className="bl-kpi-value", id=kid),
            html.Div(label, className="bl-kpi-label"),
        ],
        className="bl-kpi",
    )


def kpis(b: Bulletin, language: str) -> dmc.SimpleGrid:
    totals = b.totals
    missing = int(totals.get("expected", 0)) - int(totals.get("reported", 0))
    return dmc.SimpleGrid(
        [
            _kpi(
                str(totals.get("projects", 0)),
                t("kpi.projects", language),
                BulletinIds.KPI_PROJECTS,
            ),
            _kpi(
                cell(totals.get("completed_ytd"), "yi", language),
                t("kpi.investment", language) + ui.paren(t("unit.yi", language), language),
                BulletinIds.KPI_YTD,
            ),
            _kpi(
                cell(totals.get("rate"), "pct", language),
                t("col.rate", language),
                BulletinIds.KPI_RATE,
            ),
            _kpi(
                cell(totals.get("gap_pp"), "pp", language),
                t("kpi.gap", language),
                BulletinIds.KPI_GAP,
            ),
            _kpi(
                f"{totals.get('red', 0)} / {totals.get('amber', 0)} / {totals.get('green', 0)}",
                t("kpi.lights", language),
                BulletinIds.KPI_LIGHTS,
            ),
            _kpi(
                f"{totals.get('reported', 0)} / {totals.get('expected', 0)}",
                t("bulletin.col.reported", language),
                BulletinIds.KPI_REPORTED,
            ),
            _kpi(str(missing), t("bulletin.not_reported_n", language), BulletinIds.KPI_MISSING),
        ],
        cols={"base": 2, "sm": 4, "lg": 7},
        spacing="sm",
    )


def status_badge(b: Bulletin, language: str) -> dmc.Badge:
    label = t("bulletin.final" if b.final else "bulletin.draft", language)
    if b.revision > 1:
        label += f" · {t('bl.revision', language, rev=b.revision)}"
    return dmc.Badge(
        label,
        color="indigo" if b.final else "gray",
        variant="filled" if b.final else "light",
        size="lg",
        id=BulletinIds.FINAL,
    )


def _figure_tabs(b: Bulletin, language: str) -> dmc.Tabs:
    groups = (
        ("by_area", "bulletin.by_area", "col.area"),
        ("by_measure", "bulletin.by_measure", "col.measure"),
        ("by_county", "bulletin.by_county", "col.county"),
        ("by_lead_unit", "bulletin.by_lead_unit", "col.lead_unit"),
    )
    return dmc.Tabs(
        [
            dmc.TabsList([dmc.TabsTab(t(label, language), value=key) for key, label, _ in groups]),
            *[
                dmc.TabsPanel(
                    table(
                        getattr(b, key),
                        FIGURE_COLUMNS,
                        language,
                        table_id=BulletinIds.figures(key),
                        first=("key", first),
                        total=b.totals if key != "by_lead_unit" else None,
                    ),
                    value=key,
                    pt="xs",
                )
                for key, _, first in groups
            ],
        ],
        value="by_area",
        keepMounted=False,
    )


def changes_section(b: Bulletin, language: str) -> Any:
    c = b.changes
    if not c:
        return dmc.Text(
            t("bulletin.no_previous", language), c="dimmed", size="sm", id=BulletinIds.CHANGES
        )
    previous = date.fromisoformat(c["previous_period"])
    summary = t(
        "bulletin.changes_summary",
        language,
        previous=month_label(previous, language),
        month=cell(c.get("completed_month"), "money", language),
        delta=cell(c.get("completed_ytd_delta"), "money", language),
        red_before=c.get("red_before", 0),
        red=b.totals.get("red", 0),
        amber_before=c.get("amber_before", 0),
        amber=b.totals.get("amber", 0),
        newly=len(c.get("newly_overdue") or []),
    )
    return html.Div(
        [
            dmc.Text(summary, size="sm", mb="xs", id=BulletinIds.CHANGES),
            dmc.Title(t("bulletin.lights_changed", language), order=6, mb=4),
            table(
                c.get("lights_changed") or [],
                TABLES["lights_changed"],
                language,
                table_id=BulletinIds.LIGHTS_CHANGED,
            ),
            dmc.Title(t("bulletin.newly_overdue", language), order=6, mt="sm", mb=4),
            table(
                c.get("newly_overdue") or [],
                TABLES["overdue_milestones"],
                language,
                table_id=BulletinIds.NEWLY_OVERDUE,
            ),
        ]
    )


def body(b: Bulletin, language: str, *, text: Any = None) -> html.Div:
    """Everything below the page's header, for one month; ``text``: the 公文's sections
    (#14, views.bulletin_text), set after the figures at a glance."""
    ranking = b.ranking or {}
    as_of = date.fromisoformat(b.as_of)
    return html.Div(
        [
            dmc.Group(
                [
                    # the document as issued (title, headline): Chinese in either language
                    dmc.Title(b.title, order=3, id=BulletinIds.TITLE, className="bl-document"),
                    status_badge(b, language),
                    dmc.Text(
                        t("bulletin.as_of", language, date=ui.day_label(as_of, language)),
                        size="sm",
                        c="dimmed",
                    ),
                ],
                gap="sm",
                mb="xs",
            ),
            *(
                [
                    dmc.Alert(
                        t(
                            "bl.reopened_note",
                            language,
                            label=b.period_label or month_label(b.month, language),
                            reason=b.revision_reason,
                            rev=b.revision,
                        ),
                        color="violet",
                        variant="light",
                        mb="xs",
                        id=BulletinIds.REOPENED,
                    )
                ]
                if not b.final and b.revision > 1
                else []
            ),
            *(
                [
                    dmc.Text(
                        t("bl.revision_reason", language, reason=b.revision_reason),
                        size="sm",
                        c="dimmed",
                        mb="xs",
                        id=BulletinIds.REVISION_REASON,
                    )
                ]
                if b.final and b.revision > 1 and b.revision_reason
                else []
            ),
            html.P(b.headline, className="bl-headline bl-document", id=BulletinIds.HEADLINE),
            kpis(b, language),
            text,
            ui.section(t("bulletin.figures", language), _figure_tabs(b, language), mt="md"),
            ui.section(
                t("bulletin.red_amber", language, n=len(b.red_amber)),
                table(b.red_amber, TABLES["red_amber"], language, table_id=BulletinIds.RED_AMBER),
                mt="md",
            ),
            ui.section(
                t("bulletin.overdue", language, n=len(b.overdue_milestones)),
                table(
                    b.overdue_milestones,
                    TABLES["overdue_milestones"],
                    language,
                    table_id=BulletinIds.OVERDUE,
                ),
                mt="md",
            ),
            dmc.SimpleGrid(
                [
                    ui.section(
                        t("bulletin.not_reported", language, n=len(b.not_reported)),
                        table(
                            b.not_reported,
                            TABLES["not_reported"],
                            language,
                            table_id=BulletinIds.NOT_REPORTED,
                            empty="bulletin.all_reported",
                        ),
                    ),
                    ui.section(
                        t("bulletin.ranking", language),
                        dmc.Text(
                            [
                                t("bulletin.formula", language, formula=""),
                                html.Span(ranking.get("formula", ""), className="bl-document"),
                            ],
                            className="bl-formula",
                            mb="xs",
                            id=BulletinIds.FORMULA,
                        ),
                        table(
                            ranking.get("rows") or [],
                            TABLES["ranking"],
                            language,
                            table_id=BulletinIds.RANKING,
                        ),
                        dmc.Title(t("bl.units_ranking", language), order=6, mt="sm", mb=4),
                        table(
                            (b.ranking_units or {}).get("rows") or [],
                            TABLES["ranking_units"],
                            language,
                            table_id=BulletinIds.RANKING_UNITS,
                        ),
                    ),
                ],
                cols={"base": 1, "xl": 2},
                spacing="md",
                mt="md",
            ),
            ui.section(
                t("bl.late_to_start", language) + ui.paren(str(len(b.late_to_start)), language),
                table(
                    b.late_to_start,
                    TABLES["late_to_start"],
                    language,
                    table_id=BulletinIds.LATE_TO_START,
                ),
                mt="md",
            ),
            ui.section(
                t("bulletin.coordination", language, n=len(b.coordination)),
                table(
                    b.coordination,
                    TABLES["coordination"],
                    language,
                    table_id=BulletinIds.COORDINATION,
                ),
                mt="md",
            ),
            ui.section(t("bulletin.changes", language), changes_section(b, language), mt="md"),
            data_problems_section(b, language),
        ]
    )


def data_problems_section(b: Bulletin, language: str) -> Any:
    """Stored values left out of the figures (#12): shown only when there are some."""
    rows = getattr(b, "data_problems", None) or []
    if not rows:
        return None
    return ui.section(
        t("bulletin.data_problems", language, n=len(rows)),
        html.Div(
            [
                dmc.Text(
                    t("bulletin.data_problems_help", language), size="sm", c="dimmed", mb="xs"
                ),
                table(rows, TABLES["data_problems"], language, table_id=BulletinIds.DATA_PROBLEMS),
            ]
        ),
        mt="md",
    )


def compile_controls(language: str, *, visible: bool) -> Any:
    """The office's "compile now": a button, a confirmation, and the progress line."""
    if not visible:
        return html.Div(
            [
                html.Div(id=BulletinIds.COMPILE_STATE),
                dcc.Store(id=BulletinIds.JOB),
                dcc.Interval(id=BulletinIds.TIMER, interval=800, disabled=True),
            ],
            hidden=True,
        )
    return html.Div(
        [
            dmc.Button(
                t("bulletin.compile", language),
                id=BulletinIds.COMPILE,
                color="indigo",
                variant="outline",
            ),
            dmc.Modal(
                [
                    dmc.Text(id=BulletinIds.COMPILE_WHAT, size="sm"),
                    dmc.Group(
                        dmc.Button(
                            t("bulletin.compile_confirm", language),
                            id=BulletinIds.COMPILE_CONFIRM,
                            color="indigo",
                        ),
                        justify="flex-end",
                        mt="md",
                    ),
                ],
                id=BulletinIds.COMPILE_MODAL,
                title=t("bulletin.compile_title", language),
                opened=False,
            ),
            dcc.Store(id=BulletinIds.JOB),
            dcc.Interval(id=BulletinIds.TIMER, interval=800, disabled=True),
        ]
    )


def compile_warning(month: date, language: str) -> str:
    return t("bulletin.compile_warning", language, month=month_label(month, language))


def compile_state(
    state: CompileState | None, language: str, *, started: float | None, now: float
) -> Any:
    """While the compile runs: a moving bar and the seconds so far; then its outcome."""
    if state is None:
        return None
    if state.status == "done":
        return dmc.Alert(
            t("bulletin.compile_done", language, at=local_time(state.finished_at)),
            color="green",
            variant="light",
            id=BulletinIds.COMPILE_DONE,
        )
    if state.status == "failed":
        return dmc.Alert(
            [
                dmc.Text(t("bulletin.compile_failed", language), size="sm"),
                dmc.Text(render(state.detail, language), size="xs", c="dimmed"),
            ],
            color="red",
            variant="light",
            id=BulletinIds.COMPILE_FAILED,
        )
    elapsed = max(0, int(now - started)) if started else 0
    return html.Div(
        [
            dmc.Text(t("bulletin.compiling", language, seconds=elapsed), size="sm"),
            dmc.Progress(value=100, animated=True, striped=True, size="sm", mt=4),
        ],
        id=BulletinIds.COMPILING,
    )


def started_at(job: Any) -> float | None:
    if isinstance(job, dict):
        try:
            return float(job.get("started"))
        except (TypeError, ValueError):
            return None
    return None


def finished(state: CompileState) -> bool:
    return state.status in {"done", "failed"}


def fresh_since(state: CompileState, started: float | None) -> bool:
    """Whether the state is of this page's compile (not an older run of the month)."""
    if state.status == "none":
        return False
    if started is None or state.finished_at is None:
        return True
    moment = state.finished_at
    return moment.timestamp() >= started - 5 if isinstance(moment, datetime) else True


# --- #10: the period's calendar, the office's say over it, revisions and the 考评 ---------------


def _day(value: date | None, language: str) -> str:
    return ui.day_label(value, language) if value else "—"


def period_panel(
    row: PeriodFacts | None,
    revisions: Sequence[Revision],
    language: str,
    *,
    office: bool,
    today: date,
) -> Any:
    """The month's period: its dates (and why they moved), the office's forms to move them
    or reopen the month, and every frozen revision of its bulletin to download."""
    if row is None:
        return html.Div(id=BulletinIds.PERIOD_VERSION)
    label = ui.period_name(row.label, language)
    moved = []
    if row.dates_reason:
        moved.append(t("bl.moved_by_office", language, reason=row.dates_reason))
    parts: list[Any] = [
        dmc.Group(
            [
                dmc.Text(label, fw=600),
                dmc.Badge(t(f"period.status.{row.status}", language), variant="light"),
                dmc.Text(
                    t(
                        "bl.period_dates",
                        language,
                        opens=_day(row.opens_on, language),
                        due=_day(row.due_on, language),
                        closes=_day(row.closes_on, language),
                    ),
                    size="sm",
                    id=BulletinIds.PERIOD_DATES,
                ),
                *[dmc.Text(m, size="sm", c="dimmed") for m in moved],
            ],
            gap="sm",
        ),
        dcc.Store(id=BulletinIds.PERIOD_VERSION, data=row.version),
    ]
    if revisions:
        parts.append(
            dmc.Group(
                [
                    dmc.Text(t("bl.revisions", language), size="sm", c="dimmed"),
                    *[
                        dmc.Button(
                            t("bl.revision", language, rev=r.revision)
                            + ui.paren(
                                t(
                                    "bl.revision_current" if r.current else "bl.revision_replaced",
                                    language,
                                ),
                                language,
                            ),
                            id={"type": BulletinIds.REVISION, "index": r.revision},
                            variant="subtle",
                            size="compact-sm",
                        )
                        for r in revisions
                    ],
                ],
                gap="xs",
                mt="xs",
                id=BulletinIds.REVISIONS,
            )
        )
    if office and row.status in ("scheduled", "open"):
        parts.append(
            dmc.Accordion(
                dmc.AccordionItem(
                    [
                        dmc.AccordionControl(t("bl.move_title", language)),
                        dmc.AccordionPanel(
                            dmc.Group(
                                [
                                    _date_input(
                                        BulletinIds.MOVE_OPENS,
                                        "bl.opens_on",
                                        row.opens_on,
                                        language,
                                        disabled=row.status != "scheduled",
                                    ),
                                    _date_input(
                                        BulletinIds.MOVE_DUE, "bl.due_on", row.due_on, language
                                    ),
                                    _date_input(
                                        BulletinIds.MOVE_CLOSES,
                                        "bl.closes_on",
                                        row.closes_on,
                                        language,
                                    ),
                                    dmc.TextInput(
                                        id=BulletinIds.MOVE_REASON,
                                        label=t("bl.reason", language),
                                        w=320,
                                        inputProps={"maxLength": 500},
                                    ),
                                    dmc.Button(
                                        t("bl.move", language),
                                        id=BulletinIds.MOVE_SAVE,
                                        variant="light",
                                    ),
                                ],
                                align="flex-end",
                                gap="sm",
                            )
                        ),
                    ],
                    value="move",
                ),
                variant="contained",
                mt="sm",
            )
        )
    if office and row.status == "closed":
        parts.append(
            dmc.Accordion(
                dmc.AccordionItem(
                    [
                        dmc.AccordionControl(t("bl.reopen_title", language)),
                        dmc.AccordionPanel(
                            [
                                dmc.Text(t("bl.reopen_help", language), size="sm", mb="xs"),
                                dmc.Group(
                                    [
                                        dmc.TextInput(
                                            id=BulletinIds.REOPEN_REASON,
                                            label=t("bl.reason", language),
                                            w=360,
                                            inputProps={"maxLength": 500},
                                        ),
                                        dmc.Button(
                                            t("bl.reopen", language),
                                            id=BulletinIds.REOPEN_SAVE,
                                            color="violet",
                                            variant="light",
                                        ),
                                    ],
                                    align="flex-end",
                                    gap="sm",
                                ),
                            ]
                        ),
                    ],
                    value="reopen",
                ),
                variant="contained",
                mt="sm",
            )
        )
    return dmc.Paper(parts, withBorder=True, p="sm", mb="md", className="bl-period")


def _date_input(cid: str, label: str, value: date, language: str, *, disabled: bool = False):
    return dmc.DatePickerInput(
        id=cid,
        label=t(label, language),
        value=value.isoformat(),
        valueFormat="YYYY-MM-DD",
        monthLabelFormat=t("form.month_label", language),
        w=150,
        disabled=disabled,
    )


def _indicator_assessment(a: Assessment, language: str) -> list[Any]:
    """#16: the responsible units' reporting of the year's indicator values, with its formula."""
    if not a.indicators:
        return []
    return [
        dmc.Text(t("indicator_span.assessment_title", language), fw=600, size="sm", mt="md"),
        table(
            list(a.indicators),
            TABLES["indicator_ranking"],
            language,
            table_id=BulletinIds.ASSESSMENT_INDICATORS,
        ),
        dmc.Text(t("indicator_span.formula", language), size="xs", c="dimmed"),
    ]


def assessment_section(a: Assessment, language: str) -> Any:
    """考评: the year's ranking of counties and of lead units from its frozen bulletins."""
    if not a.months:
        return ui.section(
            t("bl.assessment", language, year=a.year),
            dmc.Text(t("bl.assessment_none", language, year=a.year), c="dimmed", size="sm"),
            mt="md",
        )
    notes = [
        dmc.Text(
            t(
                "bl.assessment_from",
                language,
                year=a.year,
                n=len(a.months),
                months=_joined(a.months, language),
                latest=a.latest or "",
            ),
            size="sm",
            c="dimmed",
        )
    ]
    if a.missing:
        notes.append(
            dmc.Text(
                t("bl.assessment_missing", language, months=_joined(a.missing, language)),
                size="sm",
                c="dimmed",
            )
        )
    return ui.section(
        t("bl.assessment", language, year=a.year),
        html.Div(
            [
                *notes,
                dmc.SimpleGrid(
                    [
                        table(
                            a.counties.get("rows") or [],
                            TABLES["ranking"],
                            language,
                            table_id=BulletinIds.ASSESSMENT_COUNTIES,
                        ),
                        table(
                            a.units.get("rows") or [],
                            TABLES["ranking_units"],
                            language,
                            table_id=BulletinIds.ASSESSMENT_UNITS,
                        ),
                    ],
                    cols={"base": 1, "xl": 2},
                    spacing="md",
                    mt="xs",
                ),
                *_indicator_assessment(a, language),
            ],
            id=BulletinIds.ASSESSMENT,
        ),
        mt="md",
    )
