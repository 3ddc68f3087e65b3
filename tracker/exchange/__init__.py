"""Exchange of the plan with other tools, no database (like tracker/excel): plain plans in,
bytes out, and back.

- ``mspdi``: MS Project XML (MSPDI): projects as summary tasks, steps and milestones as
  tasks, links as predecessor links; and the reading of such a file back into a plan.
- ``ical``: an iCalendar feed of a user's milestones and steps due.
"""

from tracker.domain.messages import KeyedError


class ExchangeError(KeyedError):
    """A file that cannot be read as a plan: the message names the task and element."""
