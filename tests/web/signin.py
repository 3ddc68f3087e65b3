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


def user_frame(client) -> dict:
    """What the page load's ``user_frame`` callback fills into the frame for ``client``'s
    user (name, scope, bell, date, period, the logout form's token), found the way the
    browser finds it: in /_dash-dependencies."""
    from tracker.web.shell import ShellIds

    callbacks = client.get("/_dash-dependencies").get_json()
    spec = next(c for c in callbacks if f"{ShellIds.CSRF}.value" in c["output"])
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
        for part in spec["output"].strip(".").split("...")
    ]
    inputs = [{"id": i["id"], "property": i["property"], "value": None} for i in spec["inputs"]]
    body = {
        "output": spec["output"],
        "outputs": outputs,
        "inputs": inputs,
        "state": [],
        "changedPropIds": [],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def logout_token(client) -> str:
    """The token the frame's logout form posts."""
    from tracker.web.shell import ShellIds

    return user_frame(client)[ShellIds.CSRF]["value"]
