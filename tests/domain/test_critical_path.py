"""The critical path against networks worked out by hand on the 2026 calendar.

Holidays used: 中秋 Friday 25 September; 国庆 1–7 October (Saturday 10 October worked).
"""

from datetime import date

import pytest

from tracker.domain.critical_path import Activity, Link, LinkType, NetworkError, schedule

D = date


def _parallel() -> tuple[list[Activity], list[Link]]:
    """可研 5 days, then 用地 4 days and (3 days later) 环评 2 days in parallel, then 开工."""
    activities = [
        Activity("A", 5, "可研批复"),
        Activity("B", 4, "用地批复"),
        Activity("C", 2, "环评"),
        Activity("K", 0, "开工"),
    ]
    links = [Link("A", "B"), Link("A", "C", lag=3), Link("B", "K"), Link("C", "K")]
    return activities, links


def test_parallel_paths_across_the_holidays_the_longer_one_drives_the_start():
    activities, links = _parallel()
    result = schedule(activities, links, today=D(2026, 9, 21), targets={"K": None})
    # A: 21–24 Sep, 25th off, 28th → 21–28 Sep. B: 29, 30 Sep, 8, 9 Oct.
    # C: 3 working days after A (29, 30 Sep, 8 Oct), starts 9 Oct, works Saturday the 10th.
    assert result.early == {
        "A": (D(2026, 9, 21), D(2026, 9, 28)),
        "B": (D(2026, 9, 29), D(2026, 10, 9)),
        "C": (D(2026, 10, 9), D(2026, 10, 10)),
        "K": (D(2026, 10, 12), D(2026, 10, 12)),
    }
    path = result.targets["K"]
    assert path.early_date == D(2026, 10, 12)
    assert path.path == ("A", "C", "K")
    assert path.total_float == 0
    assert path.timings["B"].total_float == 1  # B may finish on the worked Saturday
    assert path.timings["B"].late_finish == D(2026, 10, 10)
    assert not path.timings["B"].critical and path.timings["C"].critical


def test_the_latest_dates_keep_the_planned_start():
    activities, links = _parallel()
    result = schedule(activities, links, today=D(2026, 9, 21), targets={"K": D(2026, 10, 14)})
    path = result.targets["K"]
    assert path.total_float == 2  # 12 → 14 October: two working days to spare
    timings = path.timings
    assert (timings["C"].late_start, timings["C"].late_finish) == (D(2026, 10, 12), D(2026, 10, 13))
    # A must leave C its lag of 3 working days (30 Sep, 8, 9 Oct) before the 12th
    assert (timings["A"].late_start, timings["A"].late_finish) == (D(2026, 9, 23), D(2026, 9, 30))
    assert (timings["B"].late_start, timings["B"].late_finish) == (D(2026, 10, 9), D(2026, 10, 13))
    assert timings["K"].late_start == D(2026, 10, 14)
    assert path.late == ()


def test_a_step_past_its_latest_start_is_named_and_the_start_slips():
    activities, links = _parallel()
    result = schedule(activities, links, today=D(2026, 9, 24), targets={"K": D(2026, 10, 14)})
    path = result.targets["K"]
    # A may start on the 23rd at the latest; not started on the 24th, 开工 slips to the 15th
    assert path.late == ("A",)
    assert path.early_date == D(2026, 10, 15)
    assert path.total_float == -1


def test_actual_dates_replace_the_plan_and_unfinished_work_ends_today_at_the_earliest():
    activities = [
        Activity("A", 20, "可研批复", actual_start=D(2026, 9, 1), actual_finish=D(2026, 9, 30)),
        Activity("P", 10, "规划许可", actual_start=D(2026, 10, 26)),
        Activity("S", 3, "水保"),
        Activity("X", 5, "施工许可"),
        Activity("K", 0, "开工"),
    ]
    links = [
        Link("A", "P"),
        Link("P", "S", LinkType.SS, 2),
        Link("P", "X"),
        Link("S", "X"),
        Link("X", "K"),
    ]
    result = schedule(activities, links, today=D(2026, 11, 2), targets={"K": None})
    assert result.early["A"] == (D(2026, 9, 1), D(2026, 9, 30))
    assert result.early["P"] == (D(2026, 10, 26), D(2026, 11, 6))  # 10 working days
    assert result.early["S"] == (D(2026, 11, 2), D(2026, 11, 4))  # SS +2 is past: today
    assert result.early["K"] == (D(2026, 11, 16), D(2026, 11, 16))
    path = result.targets["K"]
    assert path.path == ("P", "X", "K")
    assert path.timings["S"].total_float == 2  # may finish on the 6th (5th, 6th to spare)
    assert path.timings["A"].done and not path.timings["P"].done

    activities[2] = Activity(
        "S", 3, "水保", actual_start=D(2026, 11, 2), actual_finish=D(2026, 11, 4)
    )
    late = schedule(activities, links, today=D(2026, 11, 9), targets={"K": D(2026, 11, 16)})
    # 规划许可 should have finished on the 6th; still open on Monday the 9th it ends that
    # day at the earliest, 施工许可 starts the 10th and 开工 slips to the 17th
    assert late.targets["K"].late == ("P",)
    assert late.early["P"][1] == D(2026, 11, 9)
    assert late.early["K"][0] == D(2026, 11, 17)
    assert late.targets["K"].timings["X"].late_start == D(2026, 11, 9)  # not yet past


def test_a_start_to_start_link_can_drive_the_path():
    activities = [Activity("E", 10, "环评"), Activity("W", 8, "水保"), Activity("K", 0, "开工")]
    links = [Link("E", "W", LinkType.SS, 4), Link("E", "K"), Link("W", "K")]
    result = schedule(activities, links, today=D(2026, 11, 2), targets={"K": None})
    assert result.early["W"] == (D(2026, 11, 6), D(2026, 11, 17))
    assert result.early["K"][0] == D(2026, 11, 18)
    assert result.targets["K"].path == ("E", "W", "K")
    assert result.targets["K"].timings["E"].total_float == 0


def test_two_targets_only_their_own_leads_get_late_dates():
    activities = [
        Activity("A", 3, "可研"),
        Activity("K", 0, "开工"),
        Activity("B", 60, "主体施工"),
        Activity("F", 0, "竣工"),
    ]
    links = [Link("A", "K"), Link("K", "B"), Link("B", "F")]
    result = schedule(
        activities, links, today=D(2026, 11, 2), targets={"K": None, "F": D(2027, 3, 1)}
    )
    assert set(result.targets["K"].timings) == {"A", "K"}
    assert set(result.targets["F"].timings) == {"A", "K", "B", "F"}
    assert result.targets["F"].path == ("A", "K", "B", "F")


def test_a_cycle_is_refused_naming_its_steps_in_order():
    activities, links = _parallel()
    activities.append(Activity("X", 3, "施工许可"))
    links += [Link("K", "X"), Link("C", "A")]  # 可研 → 环评 → 可研; 施工许可 hangs below it
    with pytest.raises(NetworkError) as refused:
        schedule(activities, links, today=D(2026, 9, 21), targets={"K": None})
    text = str(refused.value)
    assert "循环" in text and (
        "可研批复 → 环评 → 可研批复" in text or "环评 → 可研批复 → 环评" in text
    )
    assert "施工许可" not in text and "用地批复" not in text
    assert "cycle" in refused.value.render("en")


@pytest.mark.parametrize(
    ("activities", "links", "key"),
    [
        ([Activity("A", 1)], [Link("A", "Z")], "critical_path.unknown_activity"),
        ([Activity("A", 1), Activity("A", 2)], [], "critical_path.duplicate"),
        ([Activity("A", -1)], [], "critical_path.bad_duration"),
        ([Activity("A", 1)], [Link("A", "A")], "critical_path.cycle"),
    ],
)
def test_a_network_that_cannot_be_scheduled_is_refused(activities, links, key):
    with pytest.raises(NetworkError) as refused:
        schedule(activities, links, today=D(2026, 11, 2), targets={})
    assert refused.value.key == key


# --- any network: the passes keep every link, and the driving path has no slack --------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tracker.domain import workdays  # noqa: E402


@st.composite
def _networks(draw):
    n = draw(st.integers(2, 9))
    durations = draw(st.lists(st.integers(0, 15), min_size=n, max_size=n))
    activities = [Activity(f"N{i}", d) for i, d in enumerate(durations)]
    links = []
    for successor in range(1, n):  # links only forward: no cycle; every node leads to the last
        for predecessor in draw(st.sets(st.integers(0, successor - 1), min_size=1, max_size=3)):
            kind = draw(st.sampled_from([LinkType.FS, LinkType.SS]))
            links.append(Link(f"N{predecessor}", f"N{successor}", kind, draw(st.integers(0, 4))))
    return activities, links


@settings(max_examples=150, deadline=None)
@given(_networks())
def test_every_link_is_kept_and_the_path_to_the_target_has_no_slack(network):
    activities, links = network
    target = activities[-1].id
    result = schedule(activities, links, today=D(2026, 9, 21), targets={target: None})
    index = workdays.index_of
    span = {a.id: a.duration for a in activities}
    early = {k: index(s) for k, (s, _) in result.early.items()}
    path = result.targets[target]
    for link in links:
        if link.type is LinkType.FS:
            assert (
                early[link.successor] >= early[link.predecessor] + span[link.predecessor] + link.lag
            )
        else:
            assert early[link.successor] >= early[link.predecessor] + link.lag
    assert path.total_float == 0 and path.path[-1] == target
    assert all(t.total_float >= 0 for t in path.timings.values())
    assert all(path.timings[k].critical for k in path.path)
