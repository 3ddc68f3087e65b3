"""``python -m tests.prod.hooked_scheduler``: ``python -m schedules`` with the fault tests'
pauses (tests/prod/hooks.py) attached."""

import runpy

from tests.prod import hooks

if __name__ == "__main__":
    hooks.install()
    runpy.run_module("schedules", run_name="__main__", alter_sys=True)
