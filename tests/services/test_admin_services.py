"""The admin slice's use cases return plain results and refuse in the reader's language."""

from __future__ import annotations

import dataclasses
import re

import pytest

from tracker.config import load_settings
from tracker.db import write_session
from tracker.services import admin, policy, unit, users
from tracker.services.auth import ANONYMOUS, SYSTEM, Actor
from tracker.services.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from tracker.services.permissions import PERMISSIONS, is_scoped, may_somewhere

CJK = re.compile(r"[\u4e00-\u9fff]")
ADMIN = Actor(1, "admin", "admin")
LEAD = Actor(2, "lead", "county", county="双江县")
UNIT = Actor(3, "unit", "unit", lead_unit="市科技局")
VIEWER = Actor(4, "leader", "viewer")


def test_the_admin_page_is_one_plain_read_without_password_hashes(demo_engine):
    page = unit.read(demo_engine, admin.admin_page, actor=ADMIN, settings=load_settings(env={}))
    assert dataclasses.is_dataclass(page) and page.users
    assert all(isinstance(u, users.UserView) for u in page.users)
    assert "password_hash" not in {f.name for f in dataclasses.fields(users.UserView)}
    assert page.lead_units == tuple(sorted(page.lead_units))
    with pytest.raises(PermissionDenied):
        unit.read(demo_engine, admin.admin_page, actor=VIEWER, settings=load_settings(env={}))


def test_account_changes_return_plain_views_through_the_unit_of_work(sqlite_engine):
    made = unit.write(
        sqlite_engine,
        users.add_user,
        actor=SYSTEM,
        username="zhang",
        password="long-enough-1",
        role="county",
        county="云县",
    )
    assert isinstance(made, users.UserView) and (made.role, made.county) == ("county", "云县")
    off = unit.write(sqlite_engine, users.set_active, actor=SYSTEM, username="zhang", active=False)
    assert (off.active, off.version) == (False, made.version + 1)


@pytest.mark.parametrize(
    ("call", "error", "zh", "en"),
    [
        (
            lambda s: users.add_user(s, actor=SYSTEM, username="x", password="short", role="admin"),
            InvalidInput,
            "密码至少需要 8 个字符",
            "at least 8 characters",
        ),
        (
            lambda s: users.add_user(
                s, actor=SYSTEM, username="x", password="long-enough-1", role="boss"
            ),
            InvalidInput,
            "角色“boss”无效",
            "“boss” is not a role",
        ),
        (
            lambda s: users.set_active(s, actor=SYSTEM, username="nobody", active=False),
            NotFound,
            "用户“nobody”不存在",
            "no user “nobody”",
        ),
        (
            lambda s: users.list_users(s, actor=ANONYMOUS),
            PermissionDenied,
            "请先登录",
            "Please sign in first",
        ),
        (
            lambda s: policy.set_thresholds(
                s, actor=SYSTEM, values={}, seen_version=7, settings=load_settings(env={})
            ),
            ConflictError,
            "阈值已被他人修改",
            "Someone else changed the thresholds",
        ),
        (
            lambda s: policy.set_thresholds(
                s,
                actor=SYSTEM,
                values={"red_gap_pp": 0.5, "amber_gap_pp": 1},
                seen_version=0,
                settings=load_settings(env={}),
            ),
            InvalidInput,
            "黄灯阈值须大于 0",
            "the amber edge must be above 0",
        ),
    ],
)
def test_refusals_read_the_same_in_chinese_and_in_english(sqlite_engine, call, error, zh, en):
    with pytest.raises(error) as caught, write_session(sqlite_engine) as session:
        call(session)
    assert zh in str(caught.value)
    english = caught.value.render("en")
    assert en in english and not CJK.search(english.replace("云县", ""))


def test_a_rule_is_named_in_the_reader_s_language_when_its_edges_are_refused(sqlite_engine):
    with pytest.raises(InvalidInput) as caught, write_session(sqlite_engine) as session:
        policy.set_thresholds(
            session,
            actor=SYSTEM,
            values={"red_gap_pp": 0.5, "amber_gap_pp": 1},
            seen_version=0,
            settings=load_settings(env={}),
        )
    assert not CJK.search(caught.value.render("en"))


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_the_navigation_s_questions_are_answered_by_the_table(action):
    for actor in (ADMIN, LEAD, UNIT, VIEWER, ANONYMOUS):
        grant = PERMISSIONS[action].get(actor.role, "none")
        assert may_somewhere(actor, action) is (grant != "none")
        assert is_scoped(actor, action) is (grant == "scoped")


def test_county_leads_and_lead_units_work_on_their_own_projects_only():
    assert is_scoped(LEAD, "milestone.update") and is_scoped(UNIT, "milestone.update")
    assert not is_scoped(ADMIN, "milestone.update") and not is_scoped(VIEWER, "milestone.update")
    assert may_somewhere(LEAD, "report.edit") and not may_somewhere(VIEWER, "report.edit")
    with pytest.raises(KeyError):
        may_somewhere(ADMIN, "project.delete_everything")
