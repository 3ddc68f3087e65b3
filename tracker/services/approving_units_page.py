"""The approving units page (#17): per 审批部门, its lights under the office's thresholds.

A use case of its own so the page makes one ``read``: the thresholds in force
(``policy.current_thresholds``) and ``approvals.approving_units`` in one session.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from tracker.config import Settings
from tracker.services.approvals import UnitRow, approving_units
from tracker.services.auth import Actor
from tracker.services.policy import current_thresholds


def approving_units_page(
    session: Session, *, actor: Actor, today: date, settings: Settings
) -> list[UnitRow]:
    """Every approving unit with its counts, average working days and light, worst first."""
    return approving_units(
        session, actor=actor, today=today, thresholds=current_thresholds(session, settings)
    )
