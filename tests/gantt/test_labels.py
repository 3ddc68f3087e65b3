import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.config import ROOT
from tracker.gantt.labels import display_width, resolve_labels, shorten
from tracker.i18n import CATALOGUE, gantt_labels


def reference_shorten(text: str, width: int) -> str:
    def columns(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    if columns(text) <= width:
        return text
    used = 0
    for i, ch in enumerate(text):
        used += columns(ch)
        if used > width - 1:
            return text[:i] + "…"
    return text


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("临沧", 4, "临沧"),
        ("临沧市", 4, "临…"),
        ("LC-0001 临翔区城市生活垃圾焚烧发电建设项目", 20, "LC-0001 临翔区城市…"),
        ("abcdef", 4, "abc…"),
        ("", 3, ""),
    ],
)
def test_shorten_cuts_by_display_columns_and_marks_the_cut(text, width, expected):
    assert shorten(text, width) == expected


@given(st.text(alphabet="ab -0临沧市县（）《》\x01\x02é", max_size=40), st.integers(1, 40))
def test_shorten_agrees_with_a_character_by_character_walk(text, width):
    assert shorten(text, width) == reference_shorten(text, width)
    assert display_width(shorten(text, width)) <= max(width, 1)


@given(
    st.text(alphabet="LC-0123 ", max_size=12),
    st.text(alphabet="临翔区（２批）ＡＢ，《》 5a", max_size=40),
    st.integers(1, 60),
)
def test_shorten_agrees_with_the_walk_on_code_then_chinese_labels(code, name, width):
    # The shapes the fast paths take: Latin then wide, and Latin and wide mixed.
    text = f"{code}{name}"
    assert shorten(text, width) == reference_shorten(text, width)


def test_the_callers_labels_override_the_chinese_defaults_key_by_key():
    labels = resolve_labels({"today": "Today"})

    assert labels["today"] == "Today"
    assert labels["light.red"] == "红灯"


def test_the_battle_maps_wording_has_one_source_the_catalogue():
    # every text the charts draw is a "gantt.*" key of the catalogue, in both languages
    for language, index in (("zh", 0), ("en", 1)):
        labels = gantt_labels(language)
        assert labels == {k[6:]: pair[index] for k, pair in CATALOGUE.items() if k[:6] == "gantt."}
    assert resolve_labels(None) == gantt_labels("zh")
    assert resolve_labels(None)["title"] == "重大项目挂图作战"  # the page's title, also in print
    assert gantt_labels("en")["title"] == "Major projects battle map"
    source = (ROOT / "tracker" / "gantt").rglob("*.py")
    assert not [p.name for p in source if "红灯" in p.read_text(encoding="utf-8")]
