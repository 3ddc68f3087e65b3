"""The one upload guard: refuse hostile or unreadable workbook files before they cost memory.

Every uploaded workbook (the project list, the monthly report form, anything later) passes
``guard_upload`` before any parser sees it. Everything here looks at raw bytes: the format
is decided by magic bytes, never by the file name; zip containers (.xlsx, .ods) are judged
by their central directory (member count, each member's size, the total, the compression
ratio) and then inflated once, under those caps, to confirm the sizes they declare; every
XML part is streamed once to refuse DTDs and entity declarations and to bound the nesting
depth; OLE2 containers (.xls) are walked sector by sector. The sheet extents are measured
too, because the readers allocate a dense grid from the first to the last cell with a
value: a single cell at XFD1048576 would otherwise ask for gigabytes and abort the process.
Macros, external links and encryption are refused.

Each kind of upload has its own ``Limits`` (``LIST_LIMITS``, ``FORM_LIMITS``). Every
refusal is a ``ListFileError`` carrying a catalogue message (texts in tracker/texts/excel.py):
``str(error)`` is the Chinese sentence, ``error.render("en")`` the English one.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from typing import IO

import openpyxl
from defusedxml import ElementTree as SafeET

from tracker.domain.messages import Message, msg
from tracker.excel.rows import ListFileError

# openpyxl parses XML with the standard library unless defusedxml is importable; the
# flag is decided when openpyxl is first imported. Refuse to run without it rather than
# parse untrusted XML with entity expansion enabled.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - depends on the environment
    raise ImportError("openpyxl runs without defusedxml: install defusedxml to use Excel files")

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MiB


class WorkbookKind(StrEnum):
    XLSX = "xlsx"
    XLS = "xls"
    ODS = "ods"


ALL_KINDS = frozenset(WorkbookKind)


@dataclass(frozen=True)
class Limits:
    """Caps applied to an uploaded workbook; the defaults suit a project office's lists."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_members: int = 2_000  # zip members; a real .xlsx has a few dozen
    max_uncompressed: int = 200 * MiB  # sum over all zip members
    max_member: int = 120 * MiB  # any one zip member, inflated
    max_ratio: int = 200  # uncompressed / compressed, for members over 1 MiB
    max_sheet_cells: int = 4_000_000  # rows x columns of the grid the reader will allocate
    max_xml_depth: int = 256  # element nesting in any XML part (real workbooks stay under 30)
    kinds: frozenset[WorkbookKind] = ALL_KINDS  # formats this upload may be
    # said when the format is not allowed
    kind_hint: Message = msg("workbook.hint.list")


LIST_LIMITS = Limits()
# The monthly report form is an .xlsx this system wrote: at most 2,000 rows of 18 columns.
FORM_LIMITS = Limits(
    max_uncompressed=64 * MiB,
    max_member=48 * MiB,
    max_sheet_cells=200_000,
    kinds=frozenset({WorkbookKind.XLSX}),
    kind_hint=msg("workbook.hint.form"),
)


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RATIO_MIN_SIZE = 1 * MiB
CHUNK = 1 * MiB
MAX_TAG = 1 * MiB

XLSX_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
}
MACRO_MAIN_TYPES = {
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.addin.macroEnabled.main+xml",
}
XLSB_MAIN_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main+xml"
ODS_MIMETYPES = {
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet-template",
}


def guard_upload(data: bytes, filename: str = "", *, limits: Limits = LIST_LIMITS) -> WorkbookKind:
    """Return the real format of an uploaded workbook, or raise ``ListFileError`` saying why
    it is refused. Runs before any parser allocates anything for the file."""
    label = file_label(filename)
    if not data:
        raise ListFileError("workbook.empty_bytes", label=label)
    if len(data) > limits.max_bytes:
        raise ListFileError(
            "workbook.too_large",
            label=label,
            size=_size_text(len(data)),
            limit=_size_text(limits.max_bytes),
        )
    head = data[:8]
    if head.startswith(ZIP_MAGIC):
        kind = _zip_kind(data, label, limits)
    elif head == OLE_MAGIC:  # also the container of an encrypted .xlsx: say that first
        kind = WorkbookKind.XLS
        _check_ole(data, label, limits)
    else:
        raise ListFileError("workbook.not_workbook", label=label, what=_describe_other(data))
    if kind not in limits.kinds:
        raise ListFileError(
            "workbook.kind_not_allowed", label=label, kind=kind.value, hint=limits.kind_hint
        )
    return kind


def file_label(filename: str) -> Message:
    """How a refusal names the uploaded file: 文件“名称”, or 文件 when it has no name."""
    return msg("workbook.file_named", name=filename) if filename else msg("workbook.file")


def check_workbook_bytes(
    data: bytes, filename: str = "", *, limits: Limits | None = None
) -> WorkbookKind:
    """The guard with the project list's limits (or ``limits``)."""
    return guard_upload(data, filename, limits=limits or LIST_LIMITS)


def _size_text(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:.1f} MB"
    return f"{n / 1024:.0f} KB"


def _describe_other(data: bytes) -> Message:
    start = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"%pdf"):
        return msg("workbook.other.pdf")
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<html" in start:
        return msg("workbook.other.html")
    if (
        start.startswith(b"<?xml")
        and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]
    ):
        return msg("workbook.other.xml2003")
    if start.startswith(b"{\\rtf"):
        return msg("workbook.other.rtf")
    sample = data[:2048]
    try:
        sample.decode("utf-8")
        return msg("workbook.other.text")
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("gb18030")
        return msg("workbook.other.text")
    except UnicodeDecodeError:
        return msg("workbook.other.unknown")


# ---------------------------------------------------------------------------- zip (.xlsx, .ods)


def _zip_kind(data: bytes, label: Message, limits: Limits) -> WorkbookKind:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ListFileError("workbook.zip_broken", label=label) from exc
    if len(infos) > limits.max_members:
        raise ListFileError(
            "workbook.too_many_members", label=label, count=len(infos), limit=limits.max_members
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ListFileError("workbook.encrypted", label=label)
        total += info.file_size
        if info.file_size > limits.max_member:
            raise ListFileError(
                "workbook.member_too_large",
                label=label,
                part=info.filename[:80],
                size=_size_text(info.file_size),
                limit=_size_text(limits.max_member),
            )
        if total > limits.max_uncompressed:
            raise ListFileError(
                "workbook.inflated_too_large",
                label=label,
                limit=_size_text(limits.max_uncompressed),
            )
        if info.file_size > RATIO_MIN_SIZE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise ListFileError(
                    "workbook.ratio", label=label, part=info.filename[:80], ratio=ratio
                )
    names = {info.filename for info in infos}
    lower_names = {name.lower() for name in names}
    if "mimetype" in names:
        kind = _classify_ods(archive, label, lower_names)
    else:
        kind = _classify_xlsx(archive, label, names, lower_names)
    if kind in limits.kinds:
        _inflate_and_measure(archive, infos, kind, label, limits)
    return kind


def _classify_xlsx(
    archive: zipfile.ZipFile, label: Message, names: set[str], lower_names: set[str]
) -> WorkbookKind:
    if any(name.endswith("vbaproject.bin") for name in lower_names):
        raise ListFileError("workbook.vba_macros", label=label)
    if any(name.startswith("xl/externallinks/") for name in lower_names):
        raise ListFileError("workbook.external_links", label=label)
    if "[Content_Types].xml" not in names:
        if "word/document.xml" in names:
            raise ListFileError("workbook.word", label=label)
        raise ListFileError("workbook.zip_no_workbook", label=label)
    main_types = _content_types(archive, label)
    if main_types & MACRO_MAIN_TYPES:
        raise ListFileError("workbook.xlsm", label=label)
    if XLSB_MAIN_TYPE in main_types:
        raise ListFileError("workbook.xlsb", label=label)
    if not main_types & XLSX_MAIN_TYPES:
        if "word/document.xml" in names:
            raise ListFileError("workbook.word", label=label)
        if "ppt/presentation.xml" in names:
            raise ListFileError("workbook.powerpoint", label=label)
        raise ListFileError("workbook.zip_no_workbook", label=label)
    return WorkbookKind.XLSX


def _content_types(archive: zipfile.ZipFile, label: Message) -> set[str]:
    raw = _read_small(archive, "[Content_Types].xml", label)
    try:
        root = SafeET.fromstring(raw)
    except Exception as exc:  # defusedxml raises its own errors for DTDs and entities
        raise ListFileError("workbook.content_types", label=label) from exc
    found: set[str] = set()
    for element in root:
        content_type = element.get("ContentType", "")
        if content_type.endswith("main+xml") or "externalLink" in content_type:
            found.add(content_type)
    if any("externalLink" in t for t in found):
        raise ListFileError("workbook.external_links", label=label)
    return found


def _classify_ods(archive: zipfile.ZipFile, label: Message, lower_names: set[str]) -> WorkbookKind:
    mimetype = _read_small(archive, "mimetype", label).decode("ascii", "replace").strip()
    if mimetype not in ODS_MIMETYPES:
        if "opendocument.text" in mimetype:
            raise ListFileError("workbook.odt", label=label)
        raise ListFileError("workbook.ods_not_spreadsheet", label=label, mimetype=mimetype[:80])
    if "meta-inf/manifest.xml" in lower_names:
        manifest = _read_small(archive, "META-INF/manifest.xml", label)
        if b"encryption-data" in manifest:
            raise ListFileError("workbook.encrypted", label=label)
    if any(name.startswith(("basic/", "scripts/")) for name in lower_names):
        raise ListFileError("workbook.ods_macros", label=label)
    if "content.xml" not in lower_names:
        raise ListFileError("workbook.ods_no_content", label=label)
    return WorkbookKind.ODS


def _read_small(archive: zipfile.ZipFile, name: str, label: Message) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError as exc:
        raise ListFileError("workbook.part_missing", label=label, name=name) from exc
    if info.file_size > 4 * MiB:
        raise ListFileError("workbook.part_size", label=label, name=name)
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ListFileError("workbook.part_unreadable", label=label, name=name) from exc


# Cell references that may lie far from A1: three-letter columns, columns from EA on, or
# rows with five or more digits. Normal lists never match, so the exact measurement below
# runs only on large or suspicious sheets.
_FAR_REF = re.compile(rb'r="(?:[A-Z]{3}|[E-Z][A-Z][0-9]|[A-Z]{0,2}[0-9]{5})')
# A row or cell whose first attribute is not its reference is placed by counting, which
# the far-reference pattern cannot see; such sheets are measured exactly too.
_UNREFERENCED = re.compile(rb'<(?:c|row)(?:/?>|\s(?!r="))')
_UNREFERENCED_PREFIXED = re.compile(rb':(?:c|row)(?:/?>|\s(?!r="))')
_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{0,4})([0-9]{1,8})["']""")


XML_PARTS = (".xml", ".rels")
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
DEPTH_SLICE = 16 * 1024
_NOT_MARKUP = bytes(b for b in range(256) if b not in b"</>:\"'")  # see _XmlWatch.count


def _inflate_and_measure(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    kind: WorkbookKind,
    label: Message,
    limits: Limits,
) -> None:
    """Inflate every member once under the declared sizes; check every XML part on the way.

    zipfile stops at the size a member declares and then checks its CRC, so a member that
    lies about its size fails here instead of inflating without bound inside the reader.
    Every XML part is checked for DTDs, entity declarations and nesting depth, and every
    XML part of an .xlsx is measured, not only xl/worksheets/: the relationships may point
    a sheet anywhere in the package.
    """
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename.lower()
        try:
            if kind is WorkbookKind.ODS and name == "content.xml":
                _measure_ods_content(archive, info, label, limits)
            elif name.endswith(XML_PARTS):
                watch = _XmlWatch(info.filename, label, limits)
                with archive.open(info) as stream:
                    suspicious = watch.read(stream, far_refs=kind is WorkbookKind.XLSX)
                if suspicious:
                    with archive.open(info) as stream:
                        _measure_xlsx_sheet(stream, label, limits)
            else:
                with archive.open(info) as stream:
                    while stream.read(CHUNK):
                        pass
        except ListFileError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise ListFileError(
                "workbook.member_broken", label=label, part=info.filename[:80]
            ) from exc


class _XmlWatch:
    """DTDs, entity declarations and element depth of one XML part, read once in pieces.

    Depth is counted from the tags' first characters (bytes.count, no parsing): after
    every slice of about 16 KiB of XML the running depth must stay within the limit. A processing
    instruction or comment counts as an opening tag, so the count errs towards refusing.
    DTDs and entity declarations are looked for up to the root element (the only place a
    DTD may stand; parsers refuse one anywhere else).
    """

    def __init__(
        self, part: str, label: Message, limits: Limits, *, prefixed: bool = False
    ) -> None:
        self.part = part[:80]
        self.label = label
        self.limit = limits.max_xml_depth
        self.depth = 0
        self.rooted = False
        self.prefixed = prefixed  # element names carry a prefix (.ods): see ``count``

    def read(self, stream: IO[bytes], *, far_refs: bool) -> bool:
        """Check the whole part; True when an .xlsx sheet in it needs measuring exactly."""
        found = False
        for piece in _tags(stream, self.label):
            self.feed(piece)
            if far_refs and not found:
                found = bool(
                    _FAR_REF.search(piece)
                    or _UNREFERENCED.search(piece)
                    or _UNREFERENCED_PREFIXED.search(piece)
                )
        return found

    def feed(self, piece: bytes) -> None:
        """Account for ``piece``, which must not split a tag."""
        if not self.rooted:  # a DTD is only allowed before the root element
            if b"<!DOCTYPE" in piece or b"<!ENTITY" in piece:
                raise ListFileError("workbook.part_dtd", label=self.label, part=self.part)
            self.rooted = _ELEMENT_START.search(piece) is not None
        self.count(piece)

    def count(self, piece: bytes, start: int = 0, end: int | None = None) -> None:
        """Add the depth change of ``piece[start:end]`` (which must not split a tag),
        checking it after every slice.

        depth change = tags - 2 x closing tags - self-closing tags. The counting is done on
        the markup characters alone (< / > : and quotes, a tenth of the bytes), where
        "/>" ends every self-closing tag and every closing tag without a prefix ("</c>"
        becomes "</>", like "<c/>"), and "</:" starts a closing tag with a prefix
        ("</table:table-cell>" becomes "</:>"). So: tags - closing - "</:" - "/>", with the
        closing tags counted on the XML itself ("</"). In an .ods (``prefixed``), whose
        names all carry a prefix, that count is skipped and an unprefixed "</>" is taken
        as self-closing, which can only make the depth look larger.
        """
        count = piece.count
        stop = len(piece) if end is None else end
        prefixed = self.prefixed
        while start < stop:
            cut = piece.find(b"<", start + DEPTH_SLICE, stop) if start + DEPTH_SLICE < stop else -1
            if cut < 0:
                cut = stop
            marks = piece[start:cut].translate(None, _NOT_MARKUP)
            with_prefix = marks.count(b"</:")
            tags, ends = marks.count(b"<"), marks.count(b"/>")
            if prefixed:
                self.add(tags - 2 * with_prefix - ends)
            else:  # every closing tag, from the XML: "/>" also ended those without a prefix
                self.add(tags - count(b"</", start, cut) - with_prefix - ends)
            start = cut

    def add(self, change: int) -> None:
        self.depth += change
        if self.depth > self.limit:
            raise ListFileError(
                "workbook.xml_depth", label=self.label, part=self.part, limit=self.limit
            )


def _tags(stream: IO[bytes], label: Message) -> Iterator[bytes]:
    """Yield the XML text in pieces that never split a tag (attribute values hold no '<')."""
    carry = b""
    while chunk := stream.read(CHUNK):
        buffer = carry + chunk
        cut = buffer.rfind(b"<")
        if cut <= 0:
            carry = buffer
        else:
            yield buffer[:cut]
            carry = buffer[cut:]
        if len(carry) > MAX_TAG:
            raise ListFileError("workbook.xml_tag", label=label)
    if carry:
        yield carry


def _measure_xlsx_sheet(stream: IO[bytes], label: Message, limits: Limits) -> None:
    """Walk rows and cells in order, placing each as the reader does: by its reference,
    or one past the previous cell (row) when it has none."""
    row = col = max_row = max_col = 0
    for piece in _tags(stream, label):
        for name, attributes in _SHEET_TAG.findall(piece):
            ref = _REF.search(attributes) if b"r" in attributes else None
            if name == b"row":
                row = int(ref[2]) if ref else row + 1
                col = 0
                continue
            if ref and ref[1]:
                col = _column_number(ref[1])
                row = int(ref[2])
            else:
                col += 1
            if not attributes.endswith(b"/"):  # <c r="Z9" s="1"/> is a style only: skipped
                if row > max_row:
                    max_row = row
                if col > max_col:
                    max_col = col
    _check_extent(max_row, max_col, label, limits)


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + (byte - 64)
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def _check_extent(max_row: int, max_col: int, label: Message, limits: Limits) -> None:
    if max_row * max_col > limits.max_sheet_cells:
        raise ListFileError(
            "workbook.extent",
            label=label,
            rows=max_row,
            last_column=_column_letters(max_col),
            columns=max_col,
        )


# Rows and cells of an .ods table (closing cell tags are not needed). The usual prefix
# "table" gets a fast pattern; a document that binds the namespace to another prefix, or
# to none, is scanned with a pattern that accepts any prefix.
_ODS_TAG_FAST = re.compile(
    rb"<(?:table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>"
    rb"|/table:(table-row)>)"
)
_ODS_TAG_ANY = re.compile(
    rb"<(?:(?:[A-Za-z_][\w.-]*:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])"
    rb"([^>]*)>|/(?:[A-Za-z_][\w.-]*:)?(table-row)>)"
)
_ODS_TABLE_PREFIX = re.compile(
    rb"xmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*[\"']urn:oasis:names:tc:opendocument:xmlns:table:1\.0"
)
_ROWS_REPEATED = re.compile(rb"number-rows-repeated\s*=\s*[\"']0*(\d{1,12})")
_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated\s*=\s*[\"']0*(\d{1,12})")


def _measure_ods_content(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: Message, limits: Limits
) -> None:
    """Where each table's values end, honouring the repeat attributes.

    A cell counts as a value when it has a value type or any content; LibreOffice writes
    the empty cells that pad every row to the last column self-closed and untyped.
    """
    if info.file_size <= FAST_ODS_SIZE:
        with archive.open(info) as stream:
            content = stream.read()
        prolog = content[: content.find(b"<office:") if b"<office:" in content[:65536] else 65536]
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:  # a DTD can only come first
            raise ListFileError("workbook.dtd", label=label)
        # the table namespace is bound once, on the root, in every real file: look for the
        # binding's other forms only when its URI appears more than once
        once = content.count(_ODS_TABLE_URI) == 1
        head = content[: content.find(_ODS_TABLE_URI) + len(_ODS_TABLE_URI)] if once else b""
        prefixes = _ODS_TABLE_PREFIX.findall(head if once else content)
        if set(prefixes) <= {b"table"}:
            watch = _XmlWatch(info.filename, label, limits, prefixed=True)
            _scan_ods_rows(content, label, limits, watch)
            return
    with archive.open(info) as stream:
        prefixes = _scan_ods(
            stream, _ODS_TAG_FAST, label, limits, _XmlWatch(info.filename, label, limits)
        )
    if not prefixes <= {b"table"}:
        with archive.open(info) as stream:
            _scan_ods(stream, _ODS_TAG_ANY, label, limits)


FAST_ODS_SIZE = 64 * MiB
_ODS_TABLE_URI = b"urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_ROW_START = re.compile(rb"<table:table-row(?=[\s/>])")
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])([^>]*)>")
_ODS_TABLE_START = re.compile(rb"<table:table(?=[\s>])[^>]*[^/]>|<table:table>")


def _scan_ods_rows(content: bytes, label: Message, limits: Limits, watch: _XmlWatch) -> None:
    """The same measurement row by row (and the depth over the whole content first).

    A row's cells are at most its length over the length of the shortest cell tag, so a
    row is counted exactly only when that bound could matter; most rows hold no repeats
    once the padding cell at their end is set aside.
    """
    watch.count(content)
    row = max_row = max_col = 0
    pieces = content.split(b"<table:table-row")  # faster than the pattern; then mend
    if any(p[:1] not in _ROW_NAME_ENDS for p in pieces[1:]):  # <table:table-rows> etc.
        pieces = _ODS_ROW_START.split(content)
    for piece in pieces[1:]:
        head_end = piece.find(b">")
        repeat = _repeat_of(piece[:head_end])
        close = piece.rfind(b"</table:table-row>")
        if piece[head_end - 1 : head_end] == b"/" or close < head_end:  # empty, self-closed
            row += repeat
            after = head_end + 1
        else:
            after = end = close
            last = piece.rfind(b"<table:table-cell", head_end, close)
            if last >= 0:
                tail = piece[last:close]
                if tail.endswith(b"/>") and b"value-type" not in tail and tail.count(b"<") == 1:
                    end = last  # the padding to the last column
            row += repeat
            if repeat == 1 and piece.find(b"repeated", head_end, end) < 0:
                last_col = (end - head_end) // _SHORTEST_CELL  # an upper bound
                if last_col and row * max(max_col, last_col) > limits.max_sheet_cells:
                    last_col = piece.count(b"<table:table-cell", head_end, end) + piece.count(
                        b"<table:covered-table-cell", head_end, end
                    )
            else:
                last_col = col = 0
                for attributes in _ODS_CELL.findall(piece, head_end, end):
                    step = 1
                    if b"repeated" in attributes and (m := _COLUMNS_REPEATED.search(attributes)):
                        step = max(1, int(m[1]))
                    col += step
                    if not attributes.endswith(b"/") or b"value-type" in attributes:
                        last_col = col
            if last_col:
                max_row = row
                max_col = max(max_col, last_col)
                _check_extent(max_row, max_col, label, limits)
        if piece.find(b"<table:table", after) >= 0 and _ODS_TABLE_START.search(piece, after):
            row = max_row = max_col = 0  # the next rows belong to a new table


_SHORTEST_CELL = len(b"<table:table-cell/>")
_ROW_NAME_ENDS = (b" ", b"\t", b"\r", b"\n", b"/", b">")


def _scan_ods(
    stream: IO[bytes],
    pattern: re.Pattern[bytes],
    label: Message,
    limits: Limits,
    watch: _XmlWatch | None = None,
) -> set[bytes]:
    prefixes: set[bytes] = set()
    row = col = row_repeat = row_last_col = max_row = max_col = 0
    for piece in _tags(stream, label):
        if watch is not None:
            watch.feed(piece)
        if b"xmlns" in piece:
            prefixes.update(_ODS_TABLE_PREFIX.findall(piece))
        if b"<!DOCTYPE" in piece or b"<!ENTITY" in piece:
            raise ListFileError("workbook.dtd", label=label)
        for name, attributes, closing_row in pattern.findall(piece):
            if closing_row:
                row += row_repeat
                if row_last_col:
                    max_row = row
                    if row_last_col > max_col:
                        max_col = row_last_col
                    _check_extent(max_row, max_col, label, limits)
            elif name == b"table-cell" or name == b"covered-table-cell":
                repeat = 1
                if b"repeated" in attributes and (m := _COLUMNS_REPEATED.search(attributes)):
                    repeat = max(1, int(m[1]))
                col += repeat
                if not attributes.endswith(b"/") or b"value-type" in attributes:
                    row_last_col = col
            elif name == b"table-row":
                col = row_last_col = 0
                row_repeat = _repeat_of(attributes)
                if attributes.endswith(b"/"):  # an empty self-closed row
                    row += row_repeat
            elif not attributes.endswith(b"/"):  # a new table
                row = max_row = max_col = 0
    return prefixes


def _repeat_of(attributes: bytes) -> int:
    if b"repeated" in attributes and (m := _ROWS_REPEATED.search(attributes)):
        return max(1, int(m[1]))
    return 1


# ---------------------------------------------------------------------------- OLE2 (.xls)

_FREE = 0xFFFFFFFF
_END = 0xFFFFFFFE
_MAX_SECTOR = 0xFFFFFFFA

# BIFF record types of cells that hold a value (blank cells are skipped by the reader)
_BIFF_VALUE_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0204, 0x0205, 0x00D6, 0x0406, 0x0003}
_BIFF_MULRK = 0x00BD
_BIFF_BOF = 0x0809
_BIFF_BOF_OLD = {0x0009, 0x0209, 0x0409}
_BIFF_FILEPASS = 0x002F


class _Ole:
    """Just enough of the Compound File Binary format to list streams and read one.

    Every chain walk is bounded by the number of sectors in the file, so a FAT that loops
    or repeats sectors cannot make us read more than the file holds.
    """

    def __init__(self, data: bytes, label: Message) -> None:
        self.data = data
        self.label = label
        if len(data) < 512:
            raise self.broken()
        sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if sector_shift not in (9, 12) or mini_shift != 6:
            raise self.broken()
        self.sector_size = 1 << sector_shift
        self.sector_count = (len(data) + self.sector_size - 1) // self.sector_size - 1
        (_n_fat, first_dir, _tx, self.mini_cutoff, first_minifat, _n_minifat, first_difat, _n) = (
            struct.unpack_from("<8I", data, 0x2C)
        )
        per_sector = self.sector_size // 4
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAX_SECTOR]
        difat = first_difat
        steps = 0
        while difat <= _MAX_SECTOR and len(fat_sectors) <= self.sector_count:
            steps += 1
            if steps > self.sector_count:
                raise self.broken()
            entries = struct.unpack_from(f"<{per_sector}I", self.sector(difat))
            fat_sectors.extend(s for s in entries[:-1] if s <= _MAX_SECTOR)
            difat = entries[-1]
        if len(fat_sectors) > self.sector_count:
            raise self.broken()
        self.fat: list[int] = []
        for sector in fat_sectors:
            self.fat.extend(struct.unpack_from(f"<{per_sector}I", self.sector(sector)))
        directory = self.chain(first_dir, self.fat, self.sector_size, self.sector)
        self.entries: dict[str, tuple[int, int]] = {}  # name -> (start sector, size)
        self.root: tuple[int, int] | None = None
        for offset in range(0, len(directory) - 127, 128):
            name_len = struct.unpack_from("<H", directory, offset + 64)[0]
            kind = directory[offset + 66]
            if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                continue
            name = directory[offset : offset + name_len - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", directory, offset + 116)
            if self.sector_size == 512:
                size &= 0xFFFFFFFF  # version 3 files leave the high half undefined
            if kind == 5:
                self.root = (start, size)
            else:
                self.entries.setdefault(name, (start, size))
        self.first_minifat = first_minifat

    def broken(self) -> ListFileError:
        return ListFileError("workbook.ole_broken", label=self.label)

    def sector(self, index: int) -> bytes:
        start = (index + 1) * self.sector_size
        if index > _MAX_SECTOR or start >= len(self.data):
            raise self.broken()
        return self.data[start : start + self.sector_size].ljust(self.sector_size, b"\0")

    def chain(
        self,
        start: int,
        fat: list[int],
        size: int,
        read: Callable[[int], bytes],
        limit: int = -1,
        max_steps: int | None = None,
    ) -> bytes:
        parts: list[bytes] = []
        sector = start
        # a valid chain visits each sector at most once
        max_steps = self.sector_count if max_steps is None else max_steps
        while sector <= _MAX_SECTOR:
            if len(parts) >= max_steps or sector >= len(fat):
                raise self.broken()
            parts.append(read(sector))
            if 0 <= limit <= len(parts) * size:
                break
            sector = fat[sector]
        return b"".join(parts)

    def stream(self, name: str) -> bytes:
        start, size = self.entries[name]
        if size >= self.mini_cutoff:
            return self.chain(start, self.fat, self.sector_size, self.sector, size)[:size]
        if self.root is None:
            raise self.broken()
        mini_fat_bytes = self.chain(self.first_minifat, self.fat, self.sector_size, self.sector)
        mini_fat = list(struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))
        container = self.chain(self.root[0], self.fat, self.sector_size, self.sector)

        def mini_sector(index: int) -> bytes:
            offset = index * 64
            if offset + 64 > len(container):
                raise self.broken()
            return container[offset : offset + 64]

        steps = len(container) // 64
        return self.chain(start, mini_fat, 64, mini_sector, size, steps)[:size]


def _check_ole(data: bytes, label: Message, limits: Limits) -> None:
    try:
        ole = _Ole(data, label)
    except struct.error as exc:
        raise ListFileError("workbook.ole_broken", label=label) from exc
    names = set(ole.entries)
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise ListFileError("workbook.encrypted", label=label)
    if names & {"_VBA_PROJECT_CUR", "_VBA_PROJECT", "VBA", "Macros"}:
        raise ListFileError("workbook.macros", label=label)
    book = "Workbook" if "Workbook" in names else "Book" if "Book" in names else None
    if book is None:
        if "WordDocument" in names:
            raise ListFileError("workbook.doc", label=label)
        if "PowerPoint Document" in names:
            raise ListFileError("workbook.powerpoint", label=label)
        raise ListFileError("workbook.ole_no_workbook", label=label)
    try:
        stream = ole.stream(book)
    except struct.error as exc:
        raise ole.broken() from exc
    _scan_biff(stream, label, limits)


_RECORD = struct.Struct("<HHHH").unpack_from  # type, length, and a cell's row and column
_SHORT = struct.Struct("<H").unpack_from


def _scan_biff(stream: bytes, label: Message, limits: Limits) -> None:
    """Walk the BIFF records: refuse encryption and macro sheets, measure each sheet."""
    record = _RECORD
    values = _BIFF_VALUE_CELLS
    stream += b"\0\0\0\0"  # so the last record's header reads in one go as well
    pos = 0
    end = len(stream) - 4
    max_row = max_col = 0
    while pos + 4 <= end:
        rtype, length, row, col = record(stream, pos)
        body = pos + 4
        pos = body + length
        if rtype in values:
            if length >= 4:
                if row >= max_row:
                    max_row = row + 1
                if col >= max_col:
                    max_col = col + 1
        elif rtype == _BIFF_MULRK:
            if length >= 6:
                last = _SHORT(stream, body + length - 2)[0]
                max_row = max(max_row, row + 1)
                max_col = max(max_col, last + 1)
        elif rtype == _BIFF_BOF or rtype in _BIFF_BOF_OLD:
            _check_extent(max_row, max_col, label, limits)
            max_row = max_col = 0
            if length >= 4 and col == 0x0040:  # the BOF's substream type
                raise ListFileError("workbook.xlm_macros", label=label)
        elif rtype == _BIFF_FILEPASS:
            raise ListFileError("workbook.encrypted", label=label)
    _check_extent(max_row, max_col, label, limits)
