from datetime import date

import pytest

from tests.factories import actor_of, make_project, make_user
from tracker.db import read_session, write_session
from tracker.domain.rules import Light
from tracker.models import ProblemItem
from tracker.services import ledger
from tracker.services.errors import ConflictError, InvalidInput, PermissionDenied


def item(s, project, **over) -> ProblemItem:
    values = dict(
        project_id=project.id,
        kind="problem",
        text="用地手续滞后",
        owner=project.lead_unit,
        due_date=date(2026, 5, 25),
        raised_on=date(2026, 4, 24),
        period=date(2026, 4, 1),
    )
    values.update(over)
    row = ProblemItem(**values)
    s.add(row)
    s.flush()
    return row


@pytest.fixture
def setup(engine):
    with write_session(engine) as s:
        p = make_project(s, county="双江县")
        q = make_project(s, county="临翔区")
        a = item(s, p)
        b = item(s, p, kind="coordination", text="请市财政局协调资金", due_date=date(2026, 5, 1))
        c = item(s, q, due_date=None, raised_on=date(2026, 1, 10))
        actors = {
            "lead": actor_of(make_user(s, "county", county="双江县")),
            "admin": actor_of(make_user(s, "admin")),
        }
        return actors, p.id, q.id, (a.id, b.id, c.id)


def test_the_ledger_lists_open_items_oldest_due_first_with_their_ageing(engine, setup):
    actors, p, q, (a, b, c) = setup
    with read_session(engine) as s:
        lines = ledger.ledger(s, actor=actors["lead"], today=date(2026, 5, 20))
    assert [line.id for line in lines] == [b, a, c]
    assert [line.ageing for line in lines] == [Light.RED, Light.AMBER, Light.RED]
    assert lines[2].days_open == (date(2026, 5, 20) - date(2026, 1, 10)).days
    with read_session(engine) as s:
        assert ledger.open_counts(s) == {p: 2, q: 1}
        assert ledger.open_counts(s, [q]) == {q: 1}
        only_p = ledger.ledger(s, actor=actors["lead"], today=date(2026, 5, 20), project_id=p)
        assert {line.id for line in only_p} == {a, b}


def test_the_office_closes_an_item_out_with_a_note(engine, setup):
    actors, p, _, (a, _, _) = setup
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        ledger.close_item(
            s,
            actor=actors["lead"],
            item_id=a,
            seen_version=1,
            note="已办结",
            today=date(2026, 5, 2),
        )
    with write_session(engine) as s, pytest.raises(InvalidInput, match="说明"):
        ledger.close_item(
            s, actor=actors["admin"], item_id=a, seen_version=1, note=" ", today=date(2026, 5, 2)
        )
    with write_session(engine) as s:
        closed = ledger.close_item(
            s,
            actor=actors["admin"],
            item_id=a,
            seen_version=1,
            note="用地已批复",
            today=date(2026, 5, 2),
        )
        assert (closed.status, closed.closed_on, closed.close_note, closed.version) == (
            "closed",
            date(2026, 5, 2),
            "用地已批复",
            2,
        )
    with write_session(engine) as s, pytest.raises(ConflictError):
        ledger.reopen_item(s, actor=actors["admin"], item_id=a, seen_version=1, note="误销号")
    with read_session(engine) as s:
        assert ledger.open_counts(s).get(p) == 1
        closed_lines = ledger.ledger(
            s, actor=actors["admin"], today=date(2026, 6, 1), status="closed"
        )
        assert [line.ageing for line in closed_lines] == [Light.GREEN]


def test_leads_change_owner_and_due_date_only_the_office_raises_the_督办_level(engine, setup):
    actors, _, q, (a, _, c) = setup
    with write_session(engine) as s:
        changed = ledger.update_item(
            s,
            actor=actors["lead"],
            item_id=a,
            seen_version=1,
            owner="双江县自然资源局",
            due_date=date(2026, 6, 30),
        )
        assert (changed.owner, changed.due_date, changed.version) == (
            "双江县自然资源局",
            date(2026, 6, 30),
            2,
        )
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        ledger.update_item(s, actor=actors["lead"], item_id=a, seen_version=2, level="city")
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        ledger.update_item(s, actor=actors["lead"], item_id=c, seen_version=1, owner="x")  # 临翔区
    with write_session(engine) as s:
        changed = ledger.update_item(
            s,
            actor=actors["admin"],
            item_id=a,
            seen_version=2,
            level="city",
            today=date(2026, 5, 6),
        )
        assert (changed.level, changed.level_by_hand_on) == ("city", date(2026, 5, 6))


def test_coordination_items_open_on_a_day_for_the_bulletin(engine, setup):
    actors, _, _, (_, b, _) = setup
    with write_session(engine) as s:
        ledger.close_item(
            s,
            actor=actors["admin"],
            item_id=b,
            seen_version=1,
            note="资金已拨付",
            today=date(2026, 5, 3),
        )
    with read_session(engine) as s:
        assert [
            line.id
            for line in ledger.coordination_items(
                s, today=date(2026, 6, 1), as_of=date(2026, 4, 30)
            )
        ] == [b]
        assert ledger.coordination_items(s, today=date(2026, 6, 1), as_of=date(2026, 5, 31)) == []
        assert (
            ledger.coordination_items(s, today=date(2026, 6, 1), as_of=date(2026, 4, 1)) == []
        )  # not raised yet


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("1. 用地滞后\n2. 资金缺口", ["用地滞后", "资金缺口"]),
        ("（1）用地滞后；（2）资金缺口。", ["用地滞后", "资金缺口"]),
        ("一、用地滞后\r\n一、用地滞后", ["用地滞后"]),
        ("  ", []),
    ],
)
def test_a_report_s_text_splits_into_items(text, items):
    assert ledger.split_items(text) == items
