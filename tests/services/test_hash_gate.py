"""Password hashes run in a bounded, lower-priority pool: a login burst queues instead of
taking every core; a failing hash frees its slot; the hashes themselves are unchanged."""

from __future__ import annotations

import os
import threading

import pytest

from tracker.config import SettingsError, load_settings
from tracker.services.auth import HashGate, hash_password, verify_password


def test_no_more_hashes_run_at_once_than_the_gate_has_slots():
    gate = HashGate(slots=2, nice=0)
    lock, go = threading.Lock(), threading.Event()
    running, most, started = [0], [0], threading.Semaphore(0)

    def work() -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        started.release()
        go.wait()
        with lock:
            running[0] -= 1
        return 1

    results: list[int] = []
    callers = [threading.Thread(target=lambda: results.append(gate.run(work))) for _ in range(6)]
    for caller in callers:
        caller.start()
    assert started.acquire(timeout=30) and started.acquire(timeout=30)  # two are in
    go.set()
    for caller in callers:
        caller.join(timeout=30)
    gate.close()
    assert results == [1] * 6, "every caller got its answer"
    assert most[0] == 2, "two ran side by side, never a third"


def test_a_failing_hash_frees_its_slot_and_reaches_its_caller():
    gate = HashGate(slots=1, nice=0)

    def broken() -> int:
        raise ValueError("bad hash")

    with pytest.raises(ValueError, match="bad hash"):
        gate.run(broken)
    assert gate.run(lambda: 7) == 7, "the one slot is free again"
    gate.close()


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="Linux thread priorities")
def test_hashes_run_at_a_lower_priority_than_the_caller_and_the_caller_keeps_its_own():
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    gate = HashGate(slots=1, nice=5, idle=False)
    theirs = gate.run(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    gate.close()
    assert theirs == min(19, mine + 5)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling policies")
def test_idle_hashes_run_sched_idle_and_the_caller_keeps_its_policy():
    mine = os.sched_getscheduler(0)
    gate = HashGate(slots=1, nice=10)  # idle by default
    theirs = gate.run(lambda: os.sched_getscheduler(threading.get_native_id()))
    assert gate.run(lambda: verify_password(hash_password("pw"), "pw")), "hashes as before"
    gate.close()
    assert theirs == os.SCHED_IDLE
    assert os.sched_getscheduler(0) == mine


def test_idle_hashing_is_a_setting_that_reads_as_yes_or_no():
    assert load_settings(env={"LOGIN_HASH_IDLE": "true"}).LOGIN_HASH_IDLE is True
    assert load_settings(env={}).LOGIN_HASH_IDLE is True, "the default: SCHED_IDLE"
    assert load_settings(env={"LOGIN_HASH_IDLE": "false"}).LOGIN_HASH_IDLE is False
    with pytest.raises(SettingsError):
        load_settings(env={"LOGIN_HASH_IDLE": "sometimes"})


def test_without_slots_the_hash_runs_in_the_callers_thread():
    gate = HashGate(slots=0, nice=10)
    assert gate.run(threading.get_ident) == threading.get_ident()


def test_passwords_check_as_before_through_the_gate():
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "wrong")
    assert not verify_password("not a hash", "wrong"), "an error inside the pool is an answer"


@pytest.mark.parametrize("env", [{"LOGIN_HASH_SLOTS": "-1"}, {"LOGIN_HASH_NICE": "20"}])
def test_settings_out_of_range_are_refused(env):
    with pytest.raises(SettingsError):
        load_settings(env=env)
