"""A bulletin as the office issues it (a 公文), as plain data: what the drafting builds
and every renderer (.docx, .pdf, the page) draws, the same for a month's bulletin, a
quarter's, a half-year's and a year's, and for a 督办单.

Renderers draw exactly this and decide nothing: headings, numbers (already formatted by
tracker.domain.numbers), ranks and names are all in here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Column:
    label: str  # 项目名称, 年度计划投资（亿元）…
    width: float = 10  # relative width (characters of a CJK body font)
    align: Align = "left"


@dataclass(frozen=True)
class Table:
    """An annex (附件) or a table inside a section: title, header, rows of written cells."""

    title: str  # 附件1：各县（区）重大项目投资完成情况
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""  # 注：… under the table (the formula, the unit, the data date)


@dataclass(frozen=True)
class Picture:
    """A photo set in an annex (#18: a red project's latest site photo, watermarked)."""

    caption: str
    jpeg: bytes


@dataclass(frozen=True)
class Section:
    """One numbered part of the body (一、总体情况 …): plain text, one paragraph a line."""

    key: str  # overall | progress | problems | next_steps (stable: edits are stored by key)
    heading: str  # 一、总体情况
    text: str  # paragraphs separated by "\n"
    edited: bool = False  # the office rewrote it (kept when the figures change; marked)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.text.split("\n") if p.strip())


@dataclass(frozen=True)
class Document:
    title: str  # 2026年10月重大项目调度通报
    issue_no: str  # 第10期 (numbered per year)
    office: str  # the issuing office (OFFICE_NAME)
    date_line: str  # 2026年11月5日 (the date it is issued: the 定稿 day, else the data date)
    sections: tuple[Section, ...]
    annexes: tuple[Table, ...] = ()
    # 报/送/抄送 lines and 编辑/审核/签发, from settings; a label with an empty text is left out
    distribution: tuple[tuple[str, str], ...] = ()  # (("报", "市委、市政府领导"), ("抄送", …))
    signatures: tuple[tuple[str, str], ...] = ()  # (("编辑", "张三"), ("审核", …), ("签发", …))
    status: str = ""  # 未定稿 / 定稿 / 定稿（修订版2）: drafts are marked on every page
    file_stem: str = "调度通报"  # the download's name without extension
    tables_first: tuple[Table, ...] = field(default=())  # tables set inside the body (rare)
    # the red masthead over the title; "" for a document that is not a bulletin (the annual
    # report's indicator tables): then only the title and the date line head the first page
    masthead: str = "重大项目调度通报"
    pictures_title: str = ""  # 附件：红灯项目现场照片 (with ``pictures``)
    pictures: tuple[Picture, ...] = ()
