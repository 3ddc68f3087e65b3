"""The outbox and its channels, against real peers on loopback: an aiosmtpd server and an
http.server thread standing in for the 企业微信 / 钉钉 group robot."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from tests.factories import actor_of, make_user
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.models import Notification
from tracker.services import bell, notify, unit

DAY = date(2026, 4, 26)
NOW = datetime(2026, 4, 26, 1, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default_policy))
        )
        return "250 OK"


@pytest.fixture
def smtp_peer() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class Robot(BaseHTTPRequestHandler):
    received: list[dict] = []
    answer: tuple[int, dict] = (200, {"errcode": 0, "errmsg": "ok"})

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        type(self).received.append(json.loads(self.rfile.read(length)))
        status, body = type(self).answer
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def robot() -> Iterator[tuple[type[Robot], str]]:
    handler = type(
        "RobotHandler", (Robot,), {"received": [], "answer": (200, {"errcode": 0, "errmsg": "ok"})}
    )
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler, f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=test"
    finally:
        server.shutdown()
        server.server_close()


def user_with_mail(engine, email="lead@example.lincang.gov.cn"):
    with write_session(engine) as s:
        user = make_user(s, "county", county="双江县")
        user.email = email
        s.add(user)
        return user


def test_one_reminder_per_person_per_reason_per_day(engine):
    settings = dispatch_settings(SMTP_HOST="127.0.0.1")
    user = user_with_mail(engine)
    written = []
    for _ in range(3):
        with write_session(engine) as s:
            written.append(
                notify.notify_user(
                    s,
                    user=user,
                    reason="report_due_soon",
                    day=DAY,
                    subject="请填报",
                    body="b",
                    settings=settings,
                )
            )
    assert written == [2, 0, 0]  # in-app and e-mail once, then ignored
    with write_session(engine) as s:
        notify.notify_user(
            s,
            user=user,
            reason="report_due_soon",
            day=DAY + timedelta(days=1),
            subject="请填报",
            body="b",
            settings=settings,
        )
        notify.notify_user(
            s,
            user=user,
            reason="report_due_today",
            day=DAY,
            subject="今日截止",
            body="b",
            settings=settings,
        )
    with read_session(engine) as s:
        keys = sorted(n.dedupe_key for n in s.exec(select(Notification)))
    assert keys == sorted(
        f"{channel}:{user.id}:{reason}:{day}"
        for channel in ("inapp", "email")
        for reason, day in (
            ("report_due_soon", "2026-04-26"),
            ("report_due_soon", "2026-04-27"),
            ("report_due_today", "2026-04-26"),
        )
    )


def test_the_bell_counts_lists_and_marks_read(engine):
    settings = dispatch_settings()
    user = user_with_mail(engine)
    other = user_with_mail(engine, "other@example.org")
    with write_session(engine) as s:
        for reason in ("a", "b", "c"):
            notify.notify_user(
                s, user=user, reason=reason, day=DAY, subject=reason, body="", settings=settings
            )
        notify.notify_user(
            s, user=other, reason="a", day=DAY, subject="a", body="", settings=settings
        )
    me = actor_of(user)
    with read_session(engine) as s:
        assert bell.unread_count(s, user_id=me.id) == 3
        listed = notify.list_notifications(s, actor=me)
        assert {n.subject for n in listed} == {"a", "b", "c"}
        assert all(n.channel == "inapp" for n in listed)  # no SMTP configured: bell only
    with write_session(engine) as s:
        assert notify.mark_read(s, actor=me, ids=[listed[0].id]) == 1
        assert notify.mark_read(s, actor=actor_of(other), ids=[listed[1].id]) == 0  # not theirs
    with read_session(engine) as s:
        assert bell.unread_count(s, user_id=me.id) == 2
        assert len(notify.list_notifications(s, actor=me, unread_only=True)) == 2
    with write_session(engine) as s:
        assert notify.mark_read(s, actor=me) == 2
    with read_session(engine) as s:
        assert bell.unread_count(s, user_id=me.id) == 0
        assert bell.unread_count(s, user_id=other.id) == 1


def test_the_drawer_is_a_plain_result_and_marking_all_read_shows_it_at_once(engine):
    settings = dispatch_settings()
    user = user_with_mail(engine)
    with write_session(engine) as s:
        for reason in ("a", "b"):
            notify.notify_user(
                s, user=user, reason=reason, day=DAY, subject=reason, body="", settings=settings
            )
    me = actor_of(user)
    drawer = unit.read(engine, bell.drawer, actor=me)  # the unit refuses an ORM row
    assert drawer.unread == 2 and {n.subject for n in drawer.notes} == {"a", "b"}
    assert all(n.unread for n in drawer.notes)
    assert drawer.failed is None  # a county lead does not see delivery
    after = unit.write(engine, bell.mark_all_read, actor=me)
    assert after.unread == 0 and not any(n.unread for n in after.notes)
    assert unit.read(engine, bell.unread_count, user_id=me.id) == 0


def test_an_email_reaches_a_real_smtp_server_on_loopback(engine, smtp_peer):
    inbox, port = smtp_peer
    settings = dispatch_settings(
        SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_FROM="tracker@lincang.test"
    )
    user = user_with_mail(engine)
    with write_session(engine) as s:
        notify.notify_user(
            s,
            user=user,
            reason="report_overdue",
            day=DAY,
            subject="月报已逾期",
            body="请尽快填报 3 个项目",
            settings=settings,
        )
    result = notify.deliver_pending(engine, settings, now=NOW)
    assert (result.sent, result.failed) == (1, 0)
    [(rcpt, mail)] = inbox.messages
    assert rcpt == ["lead@example.lincang.gov.cn"]
    assert mail["Subject"] == "月报已逾期" and mail["From"] == "tracker@lincang.test"
    assert "请尽快填报 3 个项目" in mail.get_content()
    with read_session(engine) as s:
        row = s.exec(select(Notification).where(Notification.channel == "email")).one()
        assert (row.status, row.attempts) == ("sent", 1)
    assert notify.deliver_pending(engine, settings, now=NOW + timedelta(hours=1)).sent == 0


@pytest.mark.parametrize(
    ("kind", "shape"),
    [
        ("wecom", lambda body: set(body["markdown"]) == {"content"}),
        ("dingtalk", lambda body: set(body["markdown"]) == {"title", "text"}),
    ],
)
def test_a_group_notice_reaches_the_chat_robot_in_its_json_shape(engine, robot, kind, shape):
    handler, url = robot
    settings = dispatch_settings(WEBHOOK_URL=url, WEBHOOK_KIND=kind)
    with write_session(engine) as s:
        notify.notify_group(
            s,
            reason="report_overdue_group",
            day=DAY,
            subject="未报送情况",
            body="- 双江县：2 个项目",
            settings=settings,
        )
        notify.notify_group(
            s,
            reason="report_overdue_group",
            day=DAY,
            subject="未报送情况",
            body="again",
            settings=settings,
        )
    result = notify.deliver_pending(engine, settings, now=NOW)
    assert result.sent == 1
    [body] = handler.received
    assert body["msgtype"] == "markdown" and shape(body)
    text = body["markdown"].get("content") or body["markdown"]["text"]
    assert "未报送情况" in text and "双江县：2 个项目" in text


def test_a_failing_peer_is_retried_with_backoff_then_marked_failed_for_the_office(engine, robot):
    handler, url = robot
    handler.answer = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    settings = dispatch_settings(WEBHOOK_URL=url, NOTIFY_MAX_ATTEMPTS=3, NOTIFY_RETRY_SECONDS=60)
    smtp_settings = dispatch_settings(
        SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), NOTIFY_MAX_ATTEMPTS=3
    )
    user = user_with_mail(engine)
    with write_session(engine) as s:
        notify.notify_group(s, reason="r", day=DAY, subject="s", body="b", settings=settings)
        admin = actor_of(make_user(s, "admin"))
    now = NOW
    r1 = notify.deliver_pending(engine, settings, now=now)
    assert (r1.sent, r1.retrying) == (0, 1)
    assert (
        notify.deliver_pending(engine, settings, now=now + timedelta(seconds=30)).retrying == 0
    )  # not yet
    with read_session(engine) as s:
        row = s.exec(select(Notification)).one()
        assert row.next_attempt_at == now + timedelta(seconds=60)
        assert "93000" in row.last_error
    r2 = notify.deliver_pending(engine, settings, now=now + timedelta(seconds=60))
    assert r2.retrying == 1
    with read_session(engine) as s:
        assert s.exec(select(Notification)).one().next_attempt_at == now + timedelta(seconds=180)
    r3 = notify.deliver_pending(engine, settings, now=now + timedelta(seconds=180))
    assert r3.failed == 1
    assert len(handler.received) == 3
    # An SMTP server that does not answer at all: refused connection, same path.
    with write_session(engine) as s:
        notify.notify_user(
            s, user=user, reason="r", day=DAY, subject="s", body="b", settings=smtp_settings
        )
    later = now + timedelta(hours=1)
    for step in range(3):
        notify.deliver_pending(engine, smtp_settings, now=later + timedelta(days=step))
    with read_session(engine) as s:
        failed = notify.failed_notifications(s, actor=admin)
        assert [(n.channel, n.status, n.attempts) for n in failed] == [
            ("email", "failed", 3),
            ("webhook", "failed", 3),
        ] or [(n.channel, n.status, n.attempts) for n in failed] == [
            ("webhook", "failed", 3),
            ("email", "failed", 3),
        ]
        assert all(n.last_error for n in failed)
    with write_session(engine) as s:
        again = notify.retry_failed(s, actor=admin, notification_id=failed[0].id, now=later)
        assert (again.status, again.attempts) == ("pending", 0)
