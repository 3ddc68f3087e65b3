"""``gunicorn tests.prod.hooked_app:server``: the production app with the fault tests' pauses
(tests/prod/hooks.py) attached; gunicorn still reads ./gunicorn.conf.py."""

from tests.prod import hooks

hooks.install()

from app import server  # noqa: E402

__all__ = ["server"]
