"""Sign a Flask test client in as a user without the login form: a real session record, its
token in the client's cookie — what the login form does after the password check."""

from __future__ import annotations

from sqlalchemy import Engine

from tracker.db import write_session
from tracker.models import User, utcnow
from tracker.services.sessions import start_session


def sign_in(client, engine: Engine, user: User, *, ip: str = "127.0.0.1") -> str:
    """Start a session for ``user`` and put its token in ``client``'s cookie; returns it."""
    with write_session(engine) as session:
        stored = session.get(User, user.id)
        assert stored is not None
        token = start_session(session, user=stored, ip=ip, user_agent="test-client", now=utcnow())
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = token
        flask_session["_fresh"] = True
    return token
