"""The battle map's service (rows from the statuses and the ledger) and its URL codec."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.domain.periods import month_end, time_progress
from tracker.domain.places import PLACES
from tracker.domain.rules import Thresholds
from tracker.models import Area, Milestone, Project, User
from tracker.services import policy
from tracker.services.auth import ANONYMOUS, Actor
from tracker.services.battle_map import (
    DEFAULT_INTERVAL,
    MAX_COLLAPSED,
    BattleMap,
    ViewState,
    battle_map,
    battle_map_page,
    light_counts,
)
from tracker.services.errors import PermissionDenied
from tracker.services.ledger import open_counts
from tracker.services.milestones import mark_done
from tracker.services.status import project_statuses, reference_period

T = Thresholds()
AREAS = ["绿色低碳发展", "推动旅游产业", "生态环境保护", "创新驱动发展"]


def _viewer(engine) -> Actor:
    with read_session(engine) as s:
        return Actor.of(s.exec(select(User).where(User.username == "leader")).one())


def _map(engine, view: ViewState | None = None, *, language: str = "zh") -> BattleMap:
    with read_session(engine) as s:
        return battle_map(
            s,
            actor=_viewer(engine),
            as_of=DEMO_AS_OF,
            thresholds=T,
            view=view or ViewState(),
            language=language,
        )


# --- the service ---------------------------------------------------------------------------


def test_the_battle_map_draws_every_project_of_the_demo_in_plan_order(demo_engine):
    data = _map(demo_engine)
    with read_session(demo_engine) as s:
        statuses = project_statuses(s, as_of=DEMO_AS_OF, thresholds=T)

    assert [p.id for p in data.projects] == [st.project.id for st in statuses]
    assert len(data.projects) == data.total == 90
    assert data.undated == 0
    assert data.areas == AREAS
    assert data.span[0] <= min(p.planned_start for p in data.projects)
    assert data.span[1] >= max(p.planned_finish for p in data.projects)


def test_each_row_carries_the_light_reasons_progress_and_milestone_states_of_its_status(
    demo_engine,
):
    data = _map(demo_engine)
    with read_session(demo_engine) as s:
        statuses = {st.project.id: st for st in project_statuses(s, as_of=DEMO_AS_OF, thresholds=T)}

    for row in data.projects:
        status = statuses[row.id]
        assert row.light == status.light.value
        assert row.progress == pytest.approx(min(status.progress, 1.0))
        assert [m.state for m in row.milestones] == [s.state.value for _, s in status.milestones]
        assert [m.planned for m in row.milestones] == [m.planned_date for m, _ in status.milestones]
        assert len(row.light_reasons) == len(status.reasons)
        assert (row.county, row.lead_unit, row.area, row.measure) == (
            status.project.county,
            status.project.lead_unit,
            status.area,
            status.measure,
        )


def test_open_problems_are_the_ledger_s_open_items_per_project(demo_engine):
    data = _map(demo_engine)
    with read_session(demo_engine) as s:
        counts = open_counts(s)

    assert counts, "the demo has open ledger items"
    assert {p.id: p.open_problems for p in data.projects if p.open_problems} == counts


def test_time_progress_is_that_of_the_reporting_month_the_lights_read(demo_engine):
    data = _map(demo_engine)

    with read_session(demo_engine) as s:
        assert data.period == reference_period(s, as_of=DEMO_AS_OF)
    assert data.time_progress == pytest.approx(time_progress(month_end(data.period)))


@pytest.mark.parametrize(
    ("view", "check"),
    [
        (ViewState(county="云县"), lambda p: p.county == "云县"),
        (ViewState(area="推动旅游产业"), lambda p: p.area == "推动旅游产业"),
        (ViewState(light="red"), lambda p: p.light == "red"),
        (ViewState(lead_unit="市科技局"), lambda p: p.lead_unit == "市科技局"),
        (ViewState(q="光伏"), lambda p: "光伏" in p.name),
        (ViewState(q="lc-02"), lambda p: p.code.startswith("LC-02")),
        (
            ViewState(county="临翔区", area="绿色低碳发展"),
            lambda p: (p.county, p.area) == ("临翔区", "绿色低碳发展"),
        ),
    ],
    ids=["county", "area", "light", "lead_unit", "search", "code", "county+area"],
)
def test_each_filter_keeps_exactly_the_projects_that_match_it(demo_engine, view, check):
    every = _map(demo_engine).projects
    shown = _map(demo_engine, view).projects

    assert shown, "the demo has projects for each of these filters"
    assert [p.id for p in shown] == [p.id for p in every if check(p)]


def test_a_measure_filter_keeps_that_measure_s_projects(demo_engine):
    every = _map(demo_engine).projects
    measure = every[0].measure

    shown = _map(demo_engine, ViewState(measure=measure)).projects

    assert shown and {p.measure for p in shown} == {measure}
    assert len(shown) == sum(1 for p in every if p.measure == measure)


def test_grouping_by_county_lists_the_counties_in_the_office_s_order(demo_engine):
    rows = _map(demo_engine, ViewState(group_by="county")).projects

    order = [PLACES.index(p.county) for p in rows]
    assert order == sorted(order)


def test_meeting_mode_without_an_area_shows_the_first_area_of_the_plan(demo_engine):
    data = _map(demo_engine, ViewState(meeting=True))

    assert data.view.area == AREAS[0]
    assert {p.area for p in data.projects} == {AREAS[0]}


def test_meeting_mode_keeps_an_area_the_link_names(demo_engine):
    data = _map(demo_engine, ViewState(meeting=True, area=AREAS[2]))

    assert data.view.area == AREAS[2]


def test_a_project_without_planned_dates_is_counted_but_not_drawn(demo_engine):
    with write_session(demo_engine) as s:
        project = s.exec(select(Project).order_by(Project.id)).first()
        project.planned_start = None
        s.add(project)
        pid = project.id

    data = _map(demo_engine)

    assert pid not in {p.id for p in data.projects}
    assert data.undated == 1
    assert len(data.projects) == 89


def test_light_reasons_are_worded_in_the_reader_s_language(demo_engine):
    zh = _map(demo_engine, ViewState(light="red")).projects
    en = _map(demo_engine, ViewState(light="red"), language="en").projects

    assert any("逾期" in r or "序时进度" in r for p in zh for r in p.light_reasons)
    assert all(r.isascii() or "“" in r for p in en for r in p.light_reasons)


def test_someone_not_signed_in_gets_no_battle_map(demo_engine):
    with read_session(demo_engine) as s, pytest.raises(PermissionDenied):
        battle_map(s, actor=ANONYMOUS, as_of=DEMO_AS_OF, thresholds=T, view=ViewState())


def _page(engine, settings, *, writing: bool = False) -> BattleMap:
    """``battle_map_page`` in a read session, or in a write session (which never uses the
    caches: what it reads is the data with nothing kept)."""
    with (write_session if writing else read_session)(engine) as s:
        if writing:
            s.connection().exec_driver_sql("UPDATE project SET code = code WHERE id = -1")
        return battle_map_page(
            s,
            actor=_viewer(engine),
            as_of=DEMO_AS_OF,
            view=ViewState(),
            language="zh",
            settings=settings,
        )


def _same(kept: BattleMap, fresh: BattleMap) -> None:
    assert kept.token is not None and fresh.token is None  # one cached, one not
    for name in ("view", "period", "projects", "options", "thresholds", "has_list", "total"):
        assert getattr(kept, name) == getattr(fresh, name), name


def test_the_battle_map_page_kept_per_version_is_what_an_uncached_read_makes(demo_engine):
    settings = load_settings(env={})
    _page(demo_engine, settings)
    _same(_page(demo_engine, settings), _page(demo_engine, settings, writing=True))


def test_new_thresholds_and_a_new_area_reach_the_next_battle_map_page(demo_engine):
    settings = load_settings(env={})
    before = _page(demo_engine, settings)
    with write_session(demo_engine) as s:
        office = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        current, version = policy.get_thresholds(s, settings)
        policy.set_thresholds(
            s,
            actor=office,
            values={"amber_gap_pp": current.amber_gap_pp + 1},
            seen_version=version,
            settings=settings,
        )
        s.add(Area(name="新的领域", sort_order=99))
    after = _page(demo_engine, settings)
    assert after.thresholds.amber_gap_pp == before.thresholds.amber_gap_pp + 1
    assert "新的领域" in after.options.areas and "新的领域" not in before.options.areas
    _same(after, _page(demo_engine, settings, writing=True))


def test_the_kept_filter_choices_refuse_changes(demo_engine):
    options = _page(demo_engine, load_settings(env={})).options
    with pytest.raises(TypeError):
        options.areas.append("x")


def test_light_counts_add_up_to_the_rows(demo_engine):
    rows = _map(demo_engine).projects

    counts = light_counts(rows)

    assert list(counts) == ["red", "amber", "green"]
    assert sum(counts.values()) == len(rows)


# --- the URL codec ---------------------------------------------------------------------------

FULL = ViewState(
    group_by="county",
    collapsed=frozenset({"county:云县", "county:临翔区"}),
    county="云县",
    area="绿色低碳发展",
    measure="发展清洁能源",
    lead_unit="市发展和改革委员会",
    light="amber",
    q="光伏 & <b>",
    zoom="custom",
    x_range=(date(2026, 1, 1), date(2026, 6, 30)),
    page=3,
    meeting=True,
    interval=45,
)


def test_the_plain_view_is_the_bare_address():
    assert ViewState().to_query() == ""
    assert ViewState.from_query("") == ViewState()
    assert ViewState.from_query(None) == ViewState()


def test_a_full_view_survives_the_round_trip_through_the_url():
    query = FULL.to_query()

    assert ViewState.from_query(query) == FULL
    assert ViewState.from_query("?" + query) == FULL


def test_the_url_reads_the_same_from_dash_pages_keyword_arguments():
    # Dash pages hands the layout one string per key, or a list for a repeated key
    parsed = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(FULL.to_query()).items()}

    assert ViewState.from_query(parsed) == FULL


def test_the_url_names_pages_from_one_and_lists_folded_groups_in_a_stable_order():
    query = parse_qs(FULL.to_query())

    assert query["page"] == ["4"]
    assert query["fold"] == sorted(FULL.collapsed)
    assert query["from"] == ["2026-01-01"] and query["to"] == ["2026-06-30"]


def test_a_preset_zoom_keeps_no_dates_in_the_url():
    query = ViewState(zoom="year").to_query()

    assert query == "zoom=year"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("group=colour", ViewState()),
        ("group=", ViewState()),
        ("county=<script>alert(1)</script>", ViewState()),
        ("county=上海市", ViewState()),
        ("light=purple", ViewState()),
        ("zoom=decade", ViewState()),
        ("zoom=custom", ViewState()),  # a custom zoom without dates
        ("zoom=custom&from=2026-06-30&to=2026-01-01", ViewState()),  # backwards
        ("zoom=custom&from=2026-02-30&to=2026-03-31", ViewState()),  # no such day
        (
            "from=2026-01-01&to=2026-03-31",
            ViewState(zoom="custom", x_range=(date(2026, 1, 1), date(2026, 3, 31))),
        ),
        ("zoom=year&from=2026-01-01&to=2026-03-31", ViewState(zoom="year")),
        ("page=0", ViewState()),
        ("page=-2", ViewState()),
        ("page=two", ViewState()),
        ("page=99999999999999", ViewState()),
        ("page=1.5", ViewState()),
        ("meeting=yes", ViewState()),
        ("meeting=1", ViewState(meeting=True)),
        ("every=1", ViewState()),
        ("every=86400", ViewState()),
        ("every=abc", ViewState()),
        ("every=30", ViewState(interval=30)),
        ("fold=project:12", ViewState()),
        ("fold=nonsense", ViewState()),
        ("fold=area:" + "长" * 500, ViewState()),
        ("unknown=1&another=2", ViewState()),
        ("%ZZ=%%", ViewState()),
    ],
)
def test_a_value_that_does_not_parse_is_ignored_and_its_default_used(query, expected):
    assert ViewState.from_query(query) == expected


def test_a_crafted_url_cannot_fold_more_groups_than_the_cap():
    query = "&".join(f"fold=area:{i}" for i in range(MAX_COLLAPSED + 50))

    assert len(ViewState.from_query(query).collapsed) == MAX_COLLAPSED


def test_user_text_in_the_url_is_kept_as_text():
    view = ViewState.from_query({"q": "<img src=x onerror=alert(1)>", "area": "a&b=c"})

    assert view.q == "<img src=x onerror=alert(1)>"
    assert view.area == "a&b=c"
    assert ViewState.from_query(view.to_query()) == view


# A search the text rules accept: no surrogates, controls, noncharacters (Cn holds U+FDD0…)
# or line breaks (a search is one line); those are refused, tested in tests/domain.
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp")),
    min_size=1,
    max_size=30,
).map(str.strip)


@st.composite
def _views(draw) -> ViewState:
    # dates within the input value rules (1990-01-01 to 2100-12-31): 2090 + 3000 days fits
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
    span = draw(st.integers(min_value=1, max_value=3000))
    zoom = draw(st.sampled_from(["plan", "year", "quarter", "custom"]))
    return ViewState(
        group_by=draw(st.sampled_from(["measure", "county", "lead_unit", "light"])),
        collapsed=frozenset(
            # group keys always name a group (areas and measures have names): no "measure:"
            draw(st.lists(_text.filter(bool).map(lambda t: f"measure:{t}"), max_size=5))
        ),
        county=draw(st.sampled_from([None, *PLACES])),
        area=draw(st.one_of(st.none(), _text.filter(bool))),
        light=draw(st.sampled_from([None, "red", "amber", "green"])),
        q=draw(st.one_of(st.just(""), _text)),
        zoom=zoom,
        x_range=(start, date.fromordinal(start.toordinal() + span)) if zoom == "custom" else None,
        page=draw(st.integers(min_value=0, max_value=500)),
        meeting=draw(st.booleans()),
        interval=draw(st.integers(min_value=5, max_value=3600)),
    )


@settings(max_examples=200, deadline=None)
@given(_views())
def test_any_view_survives_the_round_trip(view):
    assert ViewState.from_query(view.to_query()) == view


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["group", "fold", "county", "zoom", "from", "to", "page", "every", "meeting", "q", "x"]
        ),
        st.text(max_size=40),
    )
)
def test_no_query_makes_the_codec_raise(query):
    view = ViewState.from_query(query)

    assert ViewState.from_query(view.to_query()) == view


# --- changes of view ---------------------------------------------------------------------------


def test_a_new_filter_goes_back_to_the_first_page_and_keeps_folded_groups():
    view = ViewState(page=4, collapsed=frozenset({"area:A"}))

    changed = view.with_filters(county="云县")

    assert changed.county == "云县" and changed.page == 0
    assert changed.collapsed == view.collapsed
    assert view.with_filters(county=None) == view  # nothing changed: same page


def test_a_filter_value_that_is_not_valid_clears_the_filter():
    assert ViewState(county="云县").with_filters(county="火星") == ViewState()


def test_another_grouping_forgets_the_folded_groups_of_the_old_one():
    view = ViewState(collapsed=frozenset({"area:A"}), page=2)

    assert view.grouped_by("light") == ViewState(group_by="light")
    assert view.grouped_by("measure") == view
    assert view.grouped_by("nonsense") == view


def test_a_group_folds_and_unfolds_on_clicks():
    key = "measure:绿色低碳发展/发展清洁能源"

    folded = ViewState().toggled(key)

    assert folded.collapsed == {key}
    assert folded.toggled(key) == ViewState()
    assert ViewState().toggled("project:3") == ViewState()
    assert ViewState().toggled(17) == ViewState()


def test_a_meeting_goes_page_by_page_then_area_by_area_and_starts_over():
    view = ViewState(meeting=True, area=AREAS[0])

    assert view.advanced(AREAS, page_count=2) == ViewState(meeting=True, area=AREAS[0], page=1)
    second = view.advanced(AREAS, page_count=1)
    assert second == ViewState(meeting=True, area=AREAS[1])
    last = ViewState(meeting=True, area=AREAS[-1], page=1)
    assert last.advanced(AREAS, page_count=2) == ViewState(meeting=True, area=AREAS[0])


def test_meeting_mode_starts_with_the_first_area_unless_one_is_chosen():
    assert ViewState().in_meeting(True, AREAS) == ViewState(meeting=True, area=AREAS[0])
    chosen = ViewState(area=AREAS[2], page=1)
    assert chosen.in_meeting(True, AREAS) == ViewState(meeting=True, area=AREAS[2], page=1)
    assert ViewState(meeting=True, area=AREAS[1]).in_meeting(False).meeting is False


@pytest.mark.parametrize(
    ("zoom", "window"),
    [
        ("plan", None),
        ("year", (date(2026, 1, 1), date(2026, 12, 31))),
        ("quarter", (date(2026, 10, 1), date(2026, 12, 31))),
    ],
)
def test_a_zoom_preset_is_a_window_around_the_day(zoom, window):
    assert ViewState(zoom=zoom).window(DEMO_AS_OF) == window


def test_the_first_quarter_ends_with_march():
    assert ViewState(zoom="quarter").window(date(2026, 2, 10)) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
    )


def test_a_chosen_window_must_run_forwards():
    view = ViewState().ranged(date(2026, 3, 1), date(2026, 5, 31))

    assert view.zoom == "custom" and view.window(DEMO_AS_OF) == (
        date(2026, 3, 1),
        date(2026, 5, 31),
    )
    assert ViewState().ranged(date(2026, 5, 31), date(2026, 3, 1)) == ViewState()
    assert view.zoomed("year") == ViewState(zoom="year")
    assert ViewState().zoomed("custom") == ViewState()


def test_a_page_number_is_clamped_to_the_pages_there_are():
    assert ViewState().paged(7, page_count=3).page == 2
    assert ViewState().paged(-1).page == 0
    assert ViewState(page=2).paged("3") == ViewState(page=2)
    assert ViewState(page=2).paged(True) == ViewState(page=2)


def test_the_default_meeting_interval_is_twenty_seconds():
    assert DEFAULT_INTERVAL == 20


@pytest.mark.parametrize("junk", [5, 2.5, ["county=云县"], object(), b"county=x"])
def test_something_that_is_no_query_at_all_reads_as_the_plain_view(junk):
    assert ViewState.from_query(junk) == ViewState()  # type: ignore[arg-type]


def test_a_fold_without_a_group_name_is_dropped_from_the_url():
    assert ViewState.from_query(
        {"fold": ["measure:", "measure:发展清洁能源"]}
    ).collapsed == frozenset({"measure:发展清洁能源"})


# --- kept beyond a data version (a write lands between most reads under load) ------------


def _county_map(engine, county: str, settings) -> BattleMap:
    with read_session(engine) as s:
        lead = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        return battle_map_page(
            s,
            actor=lead,
            as_of=DEMO_AS_OF,
            view=ViewState(county=county),
            language="zh",
            settings=settings,
        )


def _fresh_county_map(engine, county: str, settings) -> BattleMap:
    with write_session(engine) as s:  # a write session: nothing kept is used
        s.connection().exec_driver_sql("UPDATE project SET code = code WHERE id = -1")
        lead = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        return battle_map_page(
            s,
            actor=lead,
            as_of=DEMO_AS_OF,
            view=ViewState(county=county),
            language="zh",
            settings=settings,
        )


def _first_milestone(engine, county: str, *, other: bool = False) -> int:
    with read_session(engine) as s:
        county_match = Project.county != county if other else Project.county == county
        query = select(Milestone.id).join(Project, Milestone.project_id == Project.id)
        return s.exec(query.where(county_match).order_by(Milestone.id)).first()


def _done(engine, milestone_id: int) -> None:
    with write_session(engine) as s:
        office = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        milestone = s.get(Milestone, milestone_id)
        mark_done(
            s,
            actor=office,
            milestone_id=milestone_id,
            actual_date=DEMO_AS_OF,
            seen_version=milestone.version,
            today=DEMO_AS_OF,
        )


@pytest.fixture
def two_workers(demo_engine):
    from tracker.db import make_engine

    other = make_engine(str(demo_engine.url))  # another worker: its own caches
    yield demo_engine, other
    other.dispose()


def test_a_county_s_map_is_kept_across_a_save_to_another_county(two_workers, monkeypatch):
    from tracker.services import battle_map as service

    reader, writer = two_workers
    settings = load_settings(env={})
    county = "临翔区"
    before = _county_map(reader, county, settings)
    _done(writer, _first_milestone(writer, county, other=True))
    read = []
    monkeypatch.setattr(service, "_rows", lambda *a, **k: read.append(1) or None)
    after = _county_map(reader, county, settings)
    monkeypatch.undo()
    assert not read and after.token[0] == before.token[0], "the same rows, not read again"
    _same(after, _fresh_county_map(reader, county, settings))


def test_a_save_to_a_project_of_the_county_is_on_its_next_map(two_workers):
    reader, writer = two_workers
    settings = load_settings(env={})
    county = "临翔区"
    _county_map(reader, county, settings)
    milestone_id = _first_milestone(writer, county)
    _done(writer, milestone_id)
    after = _county_map(reader, county, settings)
    shown = [m for p in after.projects for m in p.milestones if m.actual == DEMO_AS_OF]
    assert shown, "the milestone done is drawn done"
    _same(after, _fresh_county_map(reader, county, settings))


def test_a_write_the_map_cannot_trace_to_projects_reads_the_rows_again(two_workers):
    reader, writer = two_workers
    settings = load_settings(env={})
    county = "临翔区"
    before = _county_map(reader, county, settings)
    with write_session(writer) as s:  # another county's project renamed: the project table
        project = s.exec(select(Project).where(Project.county != county)).first()
        project.name = "改名的项目"
    after = _county_map(reader, county, settings)
    assert after.token[0] != before.token[0] or after.projects == before.projects
    _same(after, _fresh_county_map(reader, county, settings))


def _note(engine, milestone_id: int, text: str = "情况说明") -> None:
    from tracker.services.milestones import add_note

    with write_session(engine) as s:
        office = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        milestone = s.get(Milestone, milestone_id)
        add_note(
            s,
            actor=office,
            milestone_id=milestone_id,
            note=text,
            seen_version=milestone.version,
            today=DEMO_AS_OF,
        )


def _plain_map(engine, settings) -> BattleMap:
    with read_session(engine) as s:
        office = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        return battle_map_page(
            s, actor=office, as_of=DEMO_AS_OF, view=ViewState(), language="zh", settings=settings
        )


@pytest.mark.parametrize("county", ["临翔区", None])  # a county's map, the whole plan's
def test_a_note_saved_in_the_view_by_another_worker_keeps_the_rows_without_reading_them(
    two_workers, monkeypatch, county
):
    """A note is not drawn: the rows stay, checked with one read of the noted project's
    milestones, not the statuses; and they are what an uncached read makes."""
    from tracker.services import battle_map as service

    reader, writer = two_workers
    settings = load_settings(env={})
    show = (
        (lambda e: _county_map(e, county, settings))
        if county
        else (lambda e: _plain_map(e, settings))
    )
    before = show(reader)
    _note(writer, _first_milestone(writer, county or "临翔区"))
    read = []
    monkeypatch.setattr(service, "_rows", lambda *a, **k: read.append(1) or None)
    after = show(reader)
    monkeypatch.undo()
    assert not read and after.token[0] == before.token[0], "the same rows, not read again"
    if county:
        _same(after, _fresh_county_map(reader, county, settings))


@pytest.mark.parametrize("county", ["临翔区", None])
def test_a_note_saved_with_a_drawn_change_by_another_worker_is_on_the_next_map(two_workers, county):
    """A write to a milestone of the view that changes a drawn column as well as the note
    (here its name and planned date, written through Core) is read again."""
    reader, writer = two_workers
    settings = load_settings(env={})
    show = (
        (lambda e: _county_map(e, county, settings))
        if county
        else (lambda e: _plain_map(e, settings))
    )
    show(reader)
    milestone_id = _first_milestone(writer, county or "临翔区")
    _note(writer, milestone_id)  # kept across this one
    show(reader)
    with write_session(writer) as s:
        milestone = s.get(Milestone, milestone_id)
        milestone.note, milestone.name = "又一条说明", "改名的节点"
        milestone.planned_date = moved = milestone.planned_date + timedelta(days=1)
    after = show(reader)
    drawn = [m for p in after.projects for m in p.milestones if m.name == "改名的节点"]
    assert [m.planned for m in drawn] == [moved]
    if county:
        _same(after, _fresh_county_map(reader, county, settings))


def test_the_rows_kept_across_a_note_are_read_again_after_a_later_drawn_change(two_workers):
    """Rows kept across a note under a newer version still hold the milestones they were
    made from: a drawn change after that is seen."""
    reader, writer = two_workers
    settings = load_settings(env={})
    county = "临翔区"
    _county_map(reader, county, settings)
    milestone_id = _first_milestone(writer, county)
    _note(writer, milestone_id, "一")
    _county_map(reader, county, settings)
    _note(writer, milestone_id, "二")
    _county_map(reader, county, settings)
    _done(writer, milestone_id)
    after = _county_map(reader, county, settings)
    assert [m for p in after.projects for m in p.milestones if m.actual == DEMO_AS_OF]
    _same(after, _fresh_county_map(reader, county, settings))


def test_the_map_s_milestone_check_reads_every_column_but_the_note_s_bookkeeping():
    """A column added to ``milestone`` is read by the check unless named here on purpose."""
    from tracker.services.battle_map import MILESTONE_NOT_DRAWN

    columns = {c.name for c in Milestone.__table__.c}
    assert MILESTONE_NOT_DRAWN == {"note", "version", "updated_at"} <= columns


def test_what_the_rows_read_besides_the_statuses_is_read_again_after_its_tables_change(
    two_workers,
):
    """The ledger's open counts and the plan's range, kept while their tables are unwritten:
    a new open problem in the county (another worker) and a project finishing later than the
    plan's end are on the next map."""
    from tracker.models import ProblemItem

    reader, writer = two_workers
    settings = load_settings(env={})
    county = "临翔区"
    before = _county_map(reader, county, settings)
    shown = before.projects[0]
    with write_session(writer) as s:
        s.add(ProblemItem(project_id=shown.id, text="新问题", raised_on=DEMO_AS_OF))
    after = _county_map(reader, county, settings)
    row = next(p for p in after.projects if p.id == shown.id)
    assert row.open_problems == shown.open_problems + 1
    _same(after, _fresh_county_map(reader, county, settings))
    later = date(before.span[1].year + 1, 6, 30)
    with write_session(writer) as s:
        project = s.exec(select(Project).where(Project.county != county)).first()
        project.planned_finish = later
    after = _county_map(reader, county, settings)
    assert after.span[1] == month_end(later) and after.span != before.span
    assert after.total == before.total
    _same(after, _fresh_county_map(reader, county, settings))
