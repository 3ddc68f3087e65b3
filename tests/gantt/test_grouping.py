from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.gantt.factories import make_project
from tracker.domain.rollups import group_summary as rollup
from tracker.gantt.grouping import group_key, visible_rows


def keys(listing):
    return [r.key for r in listing.rows]


def test_grouping_by_measure_nests_areas_measures_and_projects_in_arrival_order():
    a = make_project(id=1, area="绿色低碳发展", measure="发展清洁能源")
    b = make_project(id=2, area="推动旅游产业", measure="推进茶旅融合")
    c = make_project(id=3, area="绿色低碳发展", measure="推进绿色制造")
    d = make_project(id=4, area="绿色低碳发展", measure="发展清洁能源")

    listing = visible_rows([a, b, c, d])

    assert keys(listing) == [
        "area:绿色低碳发展",
        "measure:绿色低碳发展/发展清洁能源",
        "project:1",
        "project:4",
        "measure:绿色低碳发展/推进绿色制造",
        "project:3",
        "area:推动旅游产业",
        "measure:推动旅游产业/推进茶旅融合",
        "project:2",
    ]
    assert [r.level for r in listing.rows] == [0, 1, 2, 2, 1, 2, 0, 1, 2]


@pytest.mark.parametrize(
    ("group_by", "field", "values"),
    [
        ("county", "county", ["云县", "临翔区"]),
        ("lead_unit", "lead_unit", ["市水务局", "市科学技术局"]),
    ],
)
def test_grouping_by_county_or_lead_unit_gives_one_level_of_groups(group_by, field, values):
    projects = [
        make_project(id=1, **{field: values[0]}),
        make_project(id=2, **{field: values[1]}),
        make_project(id=3, **{field: values[0]}),
    ]

    listing = visible_rows(projects, group_by=group_by)

    assert keys(listing) == [
        f"{group_by}:{values[0]}",
        "project:1",
        "project:3",
        f"{group_by}:{values[1]}",
        "project:2",
    ]
    assert [r.level for r in listing.rows] == [0, 1, 1, 0, 1]
    assert listing.rows[0].label == values[0]


def test_grouping_by_light_puts_red_first_and_skips_empty_lights():
    projects = [
        make_project(id=1, light="green"),
        make_project(id=2, light="red"),
        make_project(id=3, light="green"),
    ]

    listing = visible_rows(projects, group_by="light")

    assert keys(listing) == ["light:red", "project:2", "light:green", "project:1", "project:3"]
    assert listing.rows[0].label == "红灯"


def test_light_group_labels_follow_the_callers_wording():
    listing = visible_rows(
        [make_project(light="amber")], group_by="light", labels={"light.amber": "Amber"}
    )

    assert listing.rows[0].label == "Amber"


def test_a_project_without_lead_unit_is_grouped_as_unassigned():
    listing = visible_rows([make_project(lead_unit="")], group_by="lead_unit")

    assert listing.rows[0].key == "lead_unit:"
    assert listing.rows[0].label == "（未填）"


def test_an_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="group_by"):
        visible_rows([make_project()], group_by="colour")


def test_a_collapsed_group_shows_only_its_summary_row():
    projects = [
        make_project(id=1, measure="发展清洁能源"),
        make_project(id=2, measure="推进绿色制造"),
    ]
    folded = "measure:绿色低碳发展/发展清洁能源"

    listing = visible_rows(projects, collapsed=frozenset({folded}))

    assert keys(listing) == [
        "area:绿色低碳发展",
        folded,
        "measure:绿色低碳发展/推进绿色制造",
        "project:2",
    ]
    assert listing.rows[1].collapsed
    assert listing.rows[1].summary.count == 1
    assert listing.project_count == 1


def test_collapsing_an_area_hides_its_measures_and_projects():
    projects = [make_project(id=1), make_project(id=2, area="生态环境保护", measure="治理水土流失")]

    listing = visible_rows(projects, collapsed=frozenset({"area:绿色低碳发展"}))

    assert keys(listing) == [
        "area:绿色低碳发展",
        "area:生态环境保护",
        "measure:生态环境保护/治理水土流失",
        "project:2",
    ]


def test_a_group_rolls_up_span_investment_weighted_progress_and_worst_light():
    projects = [
        make_project(
            planned_start=date(2022, 3, 1),
            planned_finish=date(2022, 10, 31),
            progress=0.2,
            weight=3000,
            light="amber",
        ),
        make_project(
            planned_start=date(2021, 11, 1),
            planned_finish=date(2023, 6, 30),
            progress=1.0,
            weight=1000,
            light="green",
        ),
    ]

    summary = rollup(projects)

    assert summary.start == date(2021, 11, 1)
    assert summary.finish == date(2023, 6, 30)
    assert summary.progress == pytest.approx((0.2 * 3000 + 1.0 * 1000) / 4000)
    assert summary.light == "amber"
    assert summary.count == 2


def test_rolled_up_progress_is_a_plain_mean_when_no_project_has_an_investment():
    summary = rollup([make_project(progress=0.2, weight=0), make_project(progress=0.6, weight=0)])

    assert summary.progress == pytest.approx(0.4)


def test_one_red_project_turns_its_group_red():
    summary = rollup([make_project(light="green"), make_project(light="red")])

    assert summary.light == "red"


def test_paging_limits_project_rows_and_repeats_the_headers_of_their_groups():
    projects = [make_project(id=i) for i in range(1, 8)]

    first = visible_rows(projects, page=0, page_size=3)
    last = visible_rows(projects, page=2, page_size=3)

    assert first.page_count == 3
    assert keys(first)[:2] == ["area:绿色低碳发展", "measure:绿色低碳发展/发展清洁能源"]
    assert [r.key for r in first.rows if not r.is_group] == ["project:1", "project:2", "project:3"]
    assert keys(last) == ["area:绿色低碳发展", "measure:绿色低碳发展/发展清洁能源", "project:7"]
    # the header's rollup still covers the whole group, not only this page
    assert last.rows[1].summary.count == 7


def test_a_page_number_past_the_end_shows_the_last_page():
    listing = visible_rows([make_project(id=i) for i in range(1, 5)], page=99, page_size=3)

    assert listing.page == 1
    assert [r.key for r in listing.rows if not r.is_group] == ["project:4"]


def test_a_collapsed_group_sits_on_the_page_of_the_project_that_follows_it():
    projects = [
        make_project(id=1, measure="甲"),
        make_project(id=2, measure="甲"),
        make_project(id=3, measure="乙"),
        make_project(id=4, measure="丙"),
    ]
    folded = frozenset({"measure:绿色低碳发展/乙"})

    first = visible_rows(projects, collapsed=folded, page=0, page_size=2)
    second = visible_rows(projects, collapsed=folded, page=1, page_size=2)

    assert "measure:绿色低碳发展/乙" not in keys(first)
    assert keys(second) == [
        "area:绿色低碳发展",
        "measure:绿色低碳发展/乙",
        "measure:绿色低碳发展/丙",
        "project:4",
    ]


def test_with_everything_collapsed_there_is_one_page_of_group_rows():
    projects = [make_project(id=1), make_project(id=2, area="创新驱动发展", measure="培育企业")]
    folded = frozenset({"area:绿色低碳发展", "area:创新驱动发展"})

    listing = visible_rows(projects, collapsed=folded, page_size=10)

    assert listing.page_count == 1
    assert keys(listing) == ["area:绿色低碳发展", "area:创新驱动发展"]


def test_group_keys_stay_unambiguous_when_names_contain_slashes():
    assert group_key("measure", "a/b", "c") != group_key("measure", "a", "b/c")
    assert (
        group_key("measure", "绿色低碳发展", "发展清洁能源") == "measure:绿色低碳发展/发展清洁能源"
    )


@settings(max_examples=60, deadline=None)
@given(
    plan=st.lists(
        st.tuples(st.sampled_from("ABC"), st.sampled_from("xyz")), min_size=0, max_size=30
    ),
    page_size=st.integers(min_value=1, max_value=8),
    folded=st.sets(st.sampled_from(["area:A", "area:B", "measure:A/x", "measure:C/z"])),
)
def test_every_visible_project_lands_on_exactly_one_page_in_order(plan, page_size, folded):
    projects = [make_project(id=i + 1, area=a, measure=m) for i, (a, m) in enumerate(plan)]
    whole = visible_rows(projects, collapsed=frozenset(folded))
    count = visible_rows(projects, collapsed=frozenset(folded), page_size=page_size).page_count
    pages = [
        visible_rows(projects, collapsed=frozenset(folded), page=n, page_size=page_size)
        for n in range(count)
    ]

    paged_projects = [r.key for page in pages for r in page.rows if not r.is_group]
    assert paged_projects == [r.key for r in whole.rows if not r.is_group]
    assert all(sum(1 for r in page.rows if not r.is_group) <= page_size for page in pages)
    # every group row of the whole listing shows on some page, and pages keep the order
    assert {r.key for page in pages for r in page.rows} == {r.key for r in whole.rows}
    order = {key: i for i, key in enumerate(keys(whole))}
    for page in pages:
        assert [order[k] for k in keys(page)] == sorted(order[k] for k in keys(page))


def test_without_grouping_the_projects_are_listed_flat_in_the_order_given():
    projects = [make_project(id=3), make_project(id=1, area="创新驱动发展"), make_project(id=2)]

    listing = visible_rows(projects, group_by=None, page_size=2)

    assert keys(listing) == ["project:3", "project:1"]
    assert [r.level for r in listing.rows] == [0, 0]
    assert listing.page_count == 2


def test_a_battle_map_group_and_an_overview_group_of_the_same_projects_take_the_same_colour():
    # one rollup (tracker.domain.rollups): the map's group row and the overview's chart agree
    from decimal import Decimal

    from tracker.domain.rollups import ProjectFigures, summarize
    from tracker.domain.rules import Light, Thresholds

    limits = Thresholds()
    members = [
        make_project(completed_ytd=300.0, annual_plan=1000.0, due_amount=600.0, light="green"),
        make_project(completed_ytd=100.0, annual_plan=1000.0, due_amount=600.0, light="amber"),
    ]
    figures = [
        ProjectFigures(
            project_id=p.id,
            area=p.area,
            measure=p.measure,
            county=p.county,
            lead_unit=p.lead_unit,
            annual_plan=Decimal(str(p.annual_plan)),
            completed_ytd=Decimal(str(p.completed_ytd)),
            started=True,
            due_to_start=True,
            light=Light(p.light),
            due_amount=Decimal(str(p.due_amount)),
        )
        for p in members
    ]
    overview = summarize("area", figures, 0.5)
    row = visible_rows(members, thresholds=limits).rows[0].summary

    assert row.light == overview.light(limits).value
    assert (row.red, row.amber, row.green) == (overview.red, overview.amber, overview.green)
