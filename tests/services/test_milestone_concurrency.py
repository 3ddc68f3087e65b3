"""Many writers save the same milestone at the same seen version at once: exactly one wins."""

import threading
from datetime import date

import pytest
from sqlmodel import select

from tests.factories import actor_of, make_project, make_user
from tracker.db import read_session, write_session
from tracker.models import AuditLog, Milestone
from tracker.services import milestones
from tracker.services.errors import ConflictError

TODAY = date(2026, 6, 15)
ROUNDS = 3


@pytest.mark.parametrize("writers", [2, 5, 10])
def test_concurrent_saves_at_one_version_give_one_success_and_lose_nothing(engine, writers):
    with write_session(engine) as s:
        project = make_project(s, county="云县", milestones=[("开工建设", date(2026, 5, 1))])
        mid = s.exec(select(Milestone.id).where(Milestone.project_id == project.id)).one()
        actor = actor_of(make_user(s, "county", county="云县"))

    winners: list[tuple[int, str]] = []
    for round_no in range(ROUNDS):
        seen = 1 + round_no
        barrier = threading.Barrier(writers)
        outcomes: list[str] = [""] * writers

        def save(
            index: int,
            seen: int = seen,
            round_no: int = round_no,
            barrier=barrier,
            outcomes=outcomes,
        ) -> None:
            note = f"第{round_no}轮-写入者{index}"
            barrier.wait()
            try:
                with write_session(engine) as session:
                    milestones.add_note(
                        session,
                        actor=actor,
                        milestone_id=mid,
                        note=note,
                        seen_version=seen,
                        today=TODAY,
                    )
                outcomes[index] = note
            except ConflictError:
                outcomes[index] = "conflict"

        threads = [threading.Thread(target=save, args=(i,)) for i in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        wins = [o for o in outcomes if o != "conflict"]
        assert len(wins) == 1, outcomes
        assert outcomes.count("conflict") == writers - 1
        winners.append((seen + 1, wins[0]))
        with read_session(engine) as s:
            m = s.get(Milestone, mid)
            assert (m.version, m.note) == (seen + 1, wins[0])  # the winner's write is what stands

    with read_session(engine) as s:
        log = s.exec(
            select(AuditLog).where(AuditLog.entity == "milestone").order_by(AuditLog.id)
        ).all()
    # zero lost updates: every accepted save is in the log, each based on the one before it
    assert [(e.after["version"], e.after["note"]) for e in log] == winners
    assert [e.before["version"] for e in log] == [1 + r for r in range(ROUNDS)]
