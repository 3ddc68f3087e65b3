"""The battle map's wording, and text fitting helpers.

The wording comes from the one catalogue (``tracker.i18n``, keys ``gantt.*``): a caller
passes the mapping for its reader's language (``gantt_labels("en")``); any key it leaves
out falls back to the catalogue's Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tracker.i18n import gantt_labels


def resolve_labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    """The catalogue's Chinese wording overlaid with the caller's."""
    merged = gantt_labels("zh")
    if labels:
        merged.update(labels)
    return merged


# The East Asian Wide and Fullwidth ranges that occur in practice (Hangul, CJK
# radicals and punctuation, kana, CJK ideographs and extensions, fullwidth forms).
_WIDE_BMP = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
)
_WIDE = re.compile(f"[{_WIDE_BMP}\U00020000-\U0003fffd]")
# The usual label: a Latin code, then Chinese. The width then follows from where the
# Latin part ends, with no walk over the characters.
_LATIN_THEN_WIDE = re.compile(f"([\x00-\x7f]*)[{_WIDE_BMP}]*")
# Latin and wide BMP characters in any order: the width of a prefix is then
# (its UTF-8 length + its length) / 2, as each such wide character takes three bytes.
_LATIN_AND_WIDE = re.compile(f"[\x00-\x7f{_WIDE_BMP}]*")
_ellipsis_widths: dict[str, int] = {}


def display_width(text: str) -> int:
    """Columns the text takes in a monospace-like layout: CJK counts two, Latin one."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text))


def shorten(text: str, width: int, ellipsis: str = "…") -> str:
    """Cut text to at most ``width`` display columns, marking the cut with an ellipsis."""
    if 2 * len(text) <= width:
        return text
    taken = _ellipsis_widths.get(ellipsis)
    if taken is None:
        taken = _ellipsis_widths[ellipsis] = display_width(ellipsis)
    room = width - taken
    if text.isascii():
        return text if len(text) <= width else text[: max(room, 0)] + ellipsis
    latin = _LATIN_THEN_WIDE.fullmatch(text)
    if latin is not None:  # columns: 1 for each of the first `narrow` characters, then 2
        narrow = latin.end(1)
        if 2 * len(text) - narrow <= width:
            return text
        cut = max(room, 0)
        return text[: cut if cut <= narrow else narrow + (cut - narrow) // 2] + ellipsis
    if _LATIN_AND_WIDE.fullmatch(text) is not None:
        n = len(text)
        if len(text.encode()) + n <= 2 * width:
            return text
        # the longest prefix of at most `room` columns: at least room // 2 characters
        limit = 2 * max(room, 0)
        low, high = min(limit // 4, n), min(limit // 2, n)
        while low < high:
            mid = (low + high + 1) // 2
            if len(text[:mid].encode()) + mid <= limit:
                low = mid
            else:
                high = mid - 1
        return text[:low] + ellipsis
    if "\x01" in text or "\x02" in text:
        return _shorten_slowly(text, width, room, ellipsis)
    # One column per character: a wide character becomes "\x01\x02", so the cut can be
    # found by slicing instead of walking the text in Python.
    columns = _WIDE.sub("\x01\x02", text)
    if len(columns) <= width:
        return text
    cut = max(room, 0)
    if cut and columns[cut - 1] == "\x01":  # do not split a wide character
        cut -= 1
    return text[: cut - columns.count("\x02", 0, cut)] + ellipsis


def _shorten_slowly(text: str, width: int, room: int, ellipsis: str) -> str:
    if display_width(text) <= width:
        return text
    used = 0
    for i, ch in enumerate(text):
        used += display_width(ch)
        if used > room:
            return text[:i] + ellipsis
    return text


def wrap_label(text: str, width: int) -> list[str]:
    """Break ``text`` into as few lines as its ``width`` display columns need, two at most
    (a longer text widens its lines instead), of about equal width. Never breaks inside a
    Latin word such as a project code; a space at a break is dropped."""
    total = display_width(text)
    if total <= width:
        return [text]
    target = -(-total // 2)  # two balanced lines
    best = None
    used = 0
    for i, ch in enumerate(text[:-1]):
        used += display_width(ch)
        after = text[i + 1]
        if ch.isascii() and ch.isalnum() and after.isascii() and after.isalnum():
            continue  # inside a Latin word
        if ch == "-" and after.isascii() and after.isalnum():
            continue  # LC-01-01 stays one word
        first, second = text[: i + 1].rstrip(), text[i + 1 :].lstrip()
        if not first or not second:
            continue
        worst = max(display_width(first), display_width(second))
        if best is None or worst < best[0]:
            best = (worst, first, second)
        if used >= target and best is not None and best[0] <= target + 2:
            break
    return [text] if best is None else [best[1], best[2]]
