"""The project list tab: upload, the job's progress and dry run, the column mapping."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from tracker.domain.messages import render, stored_message
from tracker.i18n import t
from tracker.services.errors import InvalidInput
from tracker.services.import_jobs import JobView
from tracker.web import ui
from tracker.web.views.admin.ids import AdminIds


def list_panel(available: bool, max_mb: int, language: str) -> dmc.Stack:
    if not available:
        upload: Any = dmc.Alert(
            t("import.not_enabled", language), color="gray", variant="light", id=AdminIds.IMPORT_OFF
        )
    else:
        upload = dcc.Upload(
            html.Div(
                [
                    html.Div(t("import.drop", language), className="upload-title"),
                    html.Div(t("import.limits", language, mb=max_mb), className="upload-sub"),
                ]
            ),
            id=AdminIds.UPLOAD,
            accept=".xlsx,.xls,.ods,.xlsm",
            max_size=max_mb * 1024 * 1024,
            multiple=False,
            className="upload-box",
        )
    return dmc.Stack(
        [
            dmc.Paper(
                [
                    dmc.Title(t("import.title", language), order=5, mb="xs"),
                    dmc.Text(t("import.help", language), size="sm", c="dimmed", mb="sm"),
                    upload,
                    html.Div(id=AdminIds.STATUS, className="import-status"),
                    dmc.Button(
                        t("import.confirm", language),
                        id=AdminIds.CONFIRM,
                        disabled=True,
                        mt="sm",
                        color="green",
                    ),
                    dcc.Store(id=AdminIds.JOB),
                    dcc.Interval(id=AdminIds.TIMER, interval=700, disabled=True),
                ],
                withBorder=True,
                p="md",
            ),
            dmc.Paper(
                [
                    dmc.Title(t("export.title", language), order=5, mb="xs"),
                    dmc.Text(t("export.help", language), size="sm", c="dimmed", mb="sm"),
                    dmc.Button(
                        t("export.button", language),
                        id=AdminIds.EXPORT,
                        variant="light",
                        disabled=not available,
                    ),
                    dcc.Download(id=AdminIds.EXPORT_FILE),
                ],
                withBorder=True,
                p="md",
            ),
        ]
    )


def decode_upload(contents: str | None) -> bytes:
    """The bytes of a ``dcc.Upload`` data URL."""
    if not isinstance(contents, str) or "," not in contents:
        raise InvalidInput("import_job.no_file")
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("import_job.unreadable") from exc


def job_status(job: JobView, language: str, *, now_seconds: float) -> Any:
    """Progress while reading, then the dry run's outcome."""
    if job.size >= 1048576:
        size = f"{job.size / 1048576:.1f} MB"
    elif job.size >= 1024:
        size = f"{job.size / 1024:.0f} KB"
    else:
        size = f"{job.size} B"
    head = dmc.Text(
        t("import.file", language, name=job.filename, size=size), size="sm", fw=500, mt="sm"
    )
    if job.active:
        elapsed = max(0, int(now_seconds - job.created_at.timestamp()))
        known = job.progress > 0
        return html.Div(
            [
                head,
                dmc.Progress(
                    value=round(job.progress * 100) if known else 100,
                    animated=True,
                    striped=True,
                    size="lg",
                    mt="xs",
                    id=AdminIds.PROGRESS,
                ),
                dmc.Text(
                    t(
                        "import.stage",
                        language,
                        stage=t(f"import.stage.{job.stage or 'queued'}", language),
                        seconds=elapsed,
                    )
                    + (f" · {job.progress * 100:.0f}%" if known else ""),
                    size="sm",
                    c="dimmed",
                ),
            ]
        )
    parts: list[Any] = [head]
    if job.status == "failed":
        parts.append(dmc.Alert(render(job.error, language), color="red", variant="light", mt="xs"))
    applied = job.status == "applied"
    if applied:  # what was done, in the reader's language (the preview's wording is gone)
        detail = (  # the importer's own line (areas, measures, milestones) is in Chinese
            dmc.Text(job.summary, size="xs", c="dimmed", mt=4)
            if language == "zh" and job.summary.startswith("已导入")
            else None
        )
        parts.append(
            dmc.Alert(
                [
                    t(
                        "import.done_summary",
                        language,
                        created=len(job.created),
                        updated=len(job.updated),
                        unchanged=job.unchanged,
                    ),
                    detail,
                ],
                color="green",
                variant="light",
                mt="xs",
                title=t("import.applied", language),
                id=AdminIds.IMPORT_DONE,
            )
        )
    if job.status == "ready":
        parts.append(
            dmc.Alert(
                _summary(job, language) or t("import.checked", language),
                color="blue" if not job.errors else "orange",
                variant="light",
                mt="xs",
                title=t("import.dry_run", language),
            )
        )
    if job.status == "mapping":
        parts.append(
            dmc.Alert(
                _summary(job, language),
                color="orange",
                variant="light",
                mt="xs",
                title=t("import.mapping_title", language),
                id=AdminIds.MAPPING_ALERT,
            )
        )
        parts.append(mapping_form(job, language, open_=True))
        return html.Div(parts)
    if job.year is not None and job.status in {"ready", "applied"}:
        parts.append(
            dmc.Text(
                f"{t('import.year_used', language)}{'：' if language == 'zh' else ': '}{job.year}"
                + ui.paren(render(job.year_source, language), language),
                size="sm",
                mt="xs",
                id=AdminIds.YEAR_USED,
            )
        )
    if job.status in {"ready", "failed", "applied"} and (
        job.created or job.updated or job.unchanged
    ):
        parts.append(
            dmc.SimpleGrid(
                [
                    _name_list(
                        t(
                            "import.done_created" if applied else "import.created",
                            language,
                            n=len(job.created),
                        ),
                        job.created,
                    ),
                    _name_list(
                        t(
                            "import.done_updated" if applied else "import.updated",
                            language,
                            n=len(job.updated),
                        ),
                        job.updated,
                    ),
                    dmc.Text(t("import.unchanged", language, n=job.unchanged), size="sm"),
                ],
                cols=3,
                mt="xs",
            )
        )
    if job.changes:
        parts.append(_changes(job.changes, language, applied=applied))
    if job.status in {"ready", "applied"} and job.columns:
        parts.append(_unused(job.unused, language))
    if job.warnings and job.status in {"ready", "applied"}:
        parts.append(
            html.Details(
                [
                    html.Summary(t("import.warnings", language, n=len(job.warnings))),
                    html.Ul(
                        [html.Li(render(w, language)) for w in job.warnings[:500]],
                        className="name-list",
                    ),
                ],
                open=True,
                className="import-warnings",
                id=AdminIds.WARNINGS,
            )
        )
    if job.errors:
        parts.append(
            html.Div(
                [
                    dmc.Text(
                        t("import.errors", language, n=len(job.errors)), c="red", fw=500, size="sm"
                    ),
                    html.Ul(
                        [html.Li(render(e, language)) for e in job.errors[:500]],
                        className="error-list",
                    ),
                ],
                className="import-errors",
            )
        )
    if job.status == "ready" and job.columns:
        parts.append(mapping_form(job, language, open_=False))
    return html.Div(parts)


def _summary(job: JobView, language: str) -> str:
    """The dry run in a line: the importer's own (Chinese) line for a Chinese reader, else
    the counts in the reader's language."""
    if language == "zh" or not job.summary:
        return job.summary
    if job.status == "mapping":
        unknown = sum(1 for c in job.columns if c.get("how") == "unknown")
        parts = [t("import.unknown_count", language, n=unknown)] if unknown else []
        parts += [t("import.missing", language)] if job.missing else []
        parts += [t("import.year", language)] if job.year_needed and job.year is None else []
        return t("import.mapping_help", language) if not parts else "; ".join(parts)
    return " · ".join(
        [
            t("import.created", language, n=len(job.created)),
            t("import.updated", language, n=len(job.updated)),
            t("import.unchanged", language, n=job.unchanged),
            t("import.unused", language, n=len(job.unused)),
        ]
    )


HOW_KEYS = ("header", "values", "mapping", "ignored", "dropped", "unknown")


def mapping_key_of(column: dict[str, Any], sheets: int) -> str:
    """What a column's choice is keyed by: its heading, or 工作表!列 when it has none."""
    header = str(column.get("header") or "")
    if header:
        return header
    return f"{column.get('sheet', '')}!{column.get('letter', '')}"


def changed_mapping(job: JobView, ids: Sequence[Any], values: Sequence[Any]) -> dict[str, str]:
    """The choices that differ from how the columns are read now (only those are sent and
    remembered: a column the rules already read right is left to the rules)."""
    sheets = len({c.get("sheet") for c in job.columns})
    current = {}
    for column in job.columns:
        field_name = "ignore" if column.get("how") == "ignored" else column.get("field")
        current[mapping_key_of(column, sheets)] = field_name
    chosen: dict[str, str] = {}
    for ident, value in zip(ids, values, strict=False):
        if not isinstance(ident, dict) or not isinstance(value, str) or not value:
            continue
        key = str(ident.get("index", ""))[:200]
        if key and current.get(key) != value:
            chosen[key] = value
    return chosen


def mapping_form(job: JobView, language: str, *, open_: bool) -> Any:
    """A select per filled column, with its samples: the mapping step."""
    from tracker.excel.recognize import MAPPABLE

    options = [
        {"value": field.name, "label": t(f"import.field.{field.name}", language)}
        for field in MAPPABLE
    ] + [{"value": "ignore", "label": t("import.ignore", language)}]
    sheets = len({c.get("sheet") for c in job.columns})
    rows = []
    for column in job.columns:
        how = str(column.get("how", ""))
        field_name = column.get("field")
        value = field_name if field_name in {o["value"] for o in options} else None
        if how == "ignored":
            value = "ignore"
        unknown = how == "unknown"
        where = str(column.get("letter", ""))
        if sheets > 1:
            where = f"{column.get('sheet', '')} {where}"
        note = t(f"import.how.{how}", language) if how in HOW_KEYS else how
        if column.get("note"):
            note = note + ui.paren(render(stored_message(column["note"]), language), language)
        candidates = [str(c) for c in column.get("candidates") or []]
        ordered = [o for c in candidates for o in options if o["value"] == c] or options
        data = ordered + [o for o in options if o not in ordered]
        rows.append(
            dmc.TableTr(
                [
                    dmc.TableTd(where),
                    dmc.TableTd(column.get("header") or t("import.no_header", language)),
                    dmc.TableTd(" | ".join(column.get("samples") or []), className="text-cell"),
                    dmc.TableTd(
                        dmc.Select(
                            id={"type": AdminIds.MAP, "index": mapping_key_of(column, sheets)},
                            data=data,
                            value=value,
                            searchable=True,
                            allowDeselect=False,
                            size="xs",
                            w=190,
                            error=unknown and not value,
                            comboboxProps={"withinPortal": True},
                        )
                    ),
                    dmc.TableTd(note, c="red" if unknown else "dimmed", fz="xs"),
                ],
                className="map-unknown" if unknown else None,
            )
        )
    head = ("import.col_column", "import.col_header", "import.col_samples")
    head += ("import.col_field", "import.col_how")
    table = dmc.Table(
        [
            dmc.TableThead(dmc.TableTr([dmc.TableTh(t(k, language)) for k in head])),
            dmc.TableTbody(rows),
        ],
        verticalSpacing=4,
        fz="sm",
        id=AdminIds.MAPPING_TABLE,
    )
    year_value = job.given_year or job.year
    body: list[Any] = []
    if job.missing:
        body.append(
            dmc.Alert(
                html.Ul([html.Li(render(m, language)) for m in job.missing]),
                title=t("import.missing", language),
                color="red",
                variant="light",
                mb="xs",
            )
        )
    if open_:
        body.append(dmc.Text(t("import.mapping_help", language), size="sm", c="dimmed", mb="xs"))
    body += [
        table,
        dmc.Group(
            [
                dmc.NumberInput(
                    id=AdminIds.MAP_YEAR,
                    label=t("import.year", language),
                    description=t("import.year_needed", language) if job.year_needed else None,
                    value=year_value,
                    min=1990,
                    max=2100,
                    allowDecimal=False,
                    w=320 if job.year_needed else 160,
                    error=job.year_needed and year_value is None,
                ),
                dmc.Button(t("import.remap", language), id=AdminIds.REMAP, variant="filled"),
            ],
            align="flex-end",
            mt="sm",
        ),
    ]
    return html.Details(
        [
            html.Summary(
                t("import.mapping_title" if open_ else "import.mapping_adjust", language),
                className="mapping-summary",
            ),
            html.Div(body, className="mapping-body"),
        ],
        open=open_,
        id=AdminIds.MAPPING,
        className="import-mapping",
    )


def _changes(changes: Sequence[dict[str, Any]], language: str, *, applied: bool = False) -> Any:
    items = []
    for change in changes[:300]:
        rows = [
            html.Tr([html.Td(label), html.Td(old, className="old"), html.Td("→"), html.Td(new)])
            for label, old, new in change.get("fields", [])
        ]
        items.append(
            html.Details(
                [html.Summary(change.get("label", "")), html.Table(rows, className="diff-table")],
                className="change",
            )
        )
    return html.Div(
        [
            dmc.Text(
                t("import.done_changes" if applied else "import.changes", language),
                size="sm",
                fw=500,
                mt="xs",
            ),
            *items,
        ],
        id=AdminIds.CHANGES,
        className="import-changes",
    )


def _unused(columns: Sequence[dict[str, Any]], language: str) -> Any:
    if not columns:
        return dmc.Text(
            t("import.unused_none", language), size="sm", c="dimmed", mt="xs", id=AdminIds.UNUSED
        )
    rows = [
        html.Tr(
            [
                html.Td(f"{c.get('sheet', '')} {c.get('letter', '')}"),
                html.Td(c.get("header") or t("import.no_header", language)),
                html.Td(" | ".join(c.get("samples") or [])),
                html.Td(render(stored_message(c.get("note", "")), language)),
            ]
        )
        for c in columns
    ]
    return html.Div(
        [
            dmc.Text(t("import.unused", language, n=len(columns)), size="sm", fw=500, mt="xs"),
            html.Table(rows, className="unused-table"),
        ],
        id=AdminIds.UNUSED,
    )


def _name_list(title: str, names: Sequence[str]) -> html.Div:
    return html.Div(
        [
            dmc.Text(title, size="sm", fw=500),
            html.Ul([html.Li(n) for n in names[:200]], className="name-list"),
        ]
    )
