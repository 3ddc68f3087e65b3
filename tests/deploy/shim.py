"""Stand-ins for the few commands of docs/deploy.md this machine cannot run as on a server.

The guide's bash blocks find these first on PATH (tests/deploy/machine.py writes a small
script per name that calls ``shim.py NAME ARGS``):

- ``systemctl``: reads the unit files the guide copied and does what systemd does with
  them: the user and group, working directory, ``EnvironmentFile``, ``Environment``,
  ``RuntimeDirectory`` (+ mode), ``UMask``, ``ExecStartPre``, ``ExecStart``, ``Type=notify``
  (a notify socket; start returns on READY=1), ``Type=oneshot`` (start waits, its exit code
  is the answer), ``ExecReload``, stop with SIGTERM then SIGKILL after ``TimeoutStopSec``.
  Timers are checked with ``systemd-analyze calendar``. ``nginx`` runs Debian's nginx.conf
  pointed at the machine's folders. Output goes to ``<root>/journal/<unit>.log``.
- ``nginx``: the real binary, with the machine's main configuration.
- ``apt-get``: ``install`` checks that each package is installed (scripts/test.sh installs
  them); ``update`` does nothing.
- ``git clone``: copies the working tree (tracked and new files) into the target.
- ``python3``: Debian's /usr/bin/python3; ``-m venv DIR`` is followed by linking into the new
  environment the installed distributions requirements.txt needs, as pip would download
  them (the guide's ``pip install`` then finds every requirement satisfied).

Nothing here is run outside tests/deploy.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(os.environ["DEPLOY_ROOT"])  # the folder that stands for the machine's /
STATE = ROOT / ".systemd"
JOURNAL = ROOT / "journal"
UNITS = ROOT / "etc" / "systemd" / "system"
SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def fail(message: str, code: int = 1) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(code)


# --- unit files -----------------------------------------------------------------------------


def read_unit(name: str) -> dict[str, dict[str, list[str]]]:
    path = UNITS / name
    if not path.is_file():
        fail(f"Unit {name} not found.", 5)
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def unit_name(arg: str) -> str:
    return arg if "." in arg else f"{arg}.service"


def service_value(unit: dict, key: str, default: str = "") -> str:
    values = unit.get("Service", {}).get(key)
    return values[-1] if values else default


# --- state ----------------------------------------------------------------------------------


def pid_file(name: str) -> Path:
    return STATE / f"{name}.pid"


def _alive(path: Path) -> int | None:
    """The pid written in ``path`` when that process still runs."""
    pid = int(path.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def running_pid(name: str) -> int | None:
    path = pid_file(name)
    if not path.exists():
        return None
    pid = _alive(path)
    if pid is None:
        return None
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
        return None
    return pid


def log_for(name: str):
    JOURNAL.mkdir(exist_ok=True)
    return (JOURNAL / f"{name}.log").open("ab")


# --- services -------------------------------------------------------------------------------


def service_env(unit: dict, user: pwd.struct_passwd) -> dict[str, str]:
    from tracker.config import parse_env_file

    env = {
        "PATH": SERVICE_PATH,
        "LANG": "C.UTF-8",
        "USER": user.pw_name,
        "LOGNAME": user.pw_name,
        "HOME": user.pw_dir,
        "SHELL": user.pw_shell,
        "INVOCATION_ID": uuid.uuid4().hex,
    }
    for item in unit.get("Service", {}).get("Environment", []):
        for pair in shlex.split(item):
            key, _, value = pair.partition("=")
            env[key] = value
    for path in unit.get("Service", {}).get("EnvironmentFile", []):
        optional = path.startswith("-")
        path = path.lstrip("-")
        if not Path(path).is_file():
            if optional:
                continue
            fail(f"Failed to load environment files: {path}: No such file or directory")
        env.update(parse_env_file(Path(path).read_text(encoding="utf-8")))
    return env


def runtime_directory(unit: dict, user: pwd.struct_passwd, group: grp.struct_group) -> str:
    name = service_value(unit, "RuntimeDirectory")
    if not name:
        return ""
    path = ROOT / "run" / name
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, user.pw_uid, group.gr_gid)
    path.chmod(int(service_value(unit, "RuntimeDirectoryMode", "0755"), 8))
    return str(path)


def spawn(unit: dict, name: str, argv: list[str], **extra_env: str) -> subprocess.Popen:
    user = pwd.getpwnam(service_value(unit, "User", "root"))
    group = grp.getgrnam(service_value(unit, "Group", grp.getgrgid(user.pw_gid).gr_name))
    env = service_env(unit, user)
    runtime = runtime_directory(unit, user, group)
    if runtime:
        env["RUNTIME_DIRECTORY"] = runtime
    env.update(extra_env)
    with log_for(name) as log:
        return subprocess.Popen(
            argv,
            cwd=service_value(unit, "WorkingDirectory", user.pw_dir),
            env=env,
            user=user.pw_uid,
            group=group.gr_gid,
            extra_groups=[],
            umask=int(service_value(unit, "UMask", "0022"), 8),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def tail(name: str, lines: int = 30) -> str:
    path = JOURNAL / f"{name}.log"
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def start_service(name: str) -> None:
    if running_pid(name):
        return
    unit = read_unit(name)
    kind = service_value(unit, "Type", "simple")
    for command in unit["Service"].get("ExecStartPre", []):
        pre = spawn(unit, name, shlex.split(command))
        if pre.wait() != 0:
            fail(f"{name}: ExecStartPre failed ({pre.returncode}):\n{tail(name)}")
    commands = unit["Service"].get("ExecStart", [])
    if kind == "oneshot":
        for command in commands:
            run = spawn(unit, name, shlex.split(command))
            if run.wait() != 0:
                fail(
                    f"Job for {name} failed because the control process exited with error code "
                    f"({run.returncode}).\n{tail(name)}"
                )
        return
    notify = None
    extra: dict[str, str] = {}
    if kind == "notify":
        STATE.mkdir(exist_ok=True)
        address = STATE / f"{name}.notify"
        address.unlink(missing_ok=True)
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(str(address))
        address.chmod(0o777)
        extra["NOTIFY_SOCKET"] = str(address)
    process = spawn(unit, name, shlex.split(commands[-1]), **extra)
    STATE.mkdir(exist_ok=True)
    pid_file(name).write_text(str(process.pid))
    if notify is not None:
        notify.settimeout(1.0)
        deadline = time.monotonic() + 120
        while True:
            try:
                if b"READY=1" in notify.recv(4096):
                    break
            except TimeoutError:
                pass
            if process.poll() is not None:
                fail(f"{name}: exited ({process.returncode}) before READY=1:\n{tail(name)}")
            if time.monotonic() > deadline:
                fail(f"{name}: no READY=1 within 120 s:\n{tail(name)}")
        notify.close()
    else:
        time.sleep(2)
        if process.poll() is not None:
            fail(f"{name}: exited at once ({process.returncode}):\n{tail(name)}")


def stop_service(name: str) -> None:
    pid = running_pid(name)
    if pid is None:
        return
    unit = read_unit(name)
    timeout = float(service_value(unit, "TimeoutStopSec", "90").rstrip("s"))
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while running_pid(name) and time.monotonic() < deadline:
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):  # what is left of the process group
        os.killpg(pid, signal.SIGKILL)
    pid_file(name).unlink(missing_ok=True)


def reload_service(name: str) -> None:
    pid = running_pid(name)
    if pid is None:
        fail(f"{name} is not active, cannot reload.")
    unit = read_unit(name)
    for command in unit["Service"].get("ExecReload", []):
        subprocess.run(shlex.split(command.replace("$MAINPID", str(pid))), check=True)


# --- timers ---------------------------------------------------------------------------------


def check_timer(name: str) -> list[str]:
    unit = read_unit(name)
    calendars = unit.get("Timer", {}).get("OnCalendar", [])
    if not calendars:
        fail(f"{name}: no OnCalendar=")
    service = name.removesuffix(".timer") + ".service"
    read_unit(service)
    out = []
    for calendar in calendars:
        result = subprocess.run(
            ["systemd-analyze", "calendar", calendar], capture_output=True, text=True
        )
        if result.returncode != 0:
            fail(f"{name}: OnCalendar={calendar} is not valid: {result.stderr}")
        out.append(result.stdout)
    STATE.mkdir(exist_ok=True)
    (STATE / f"{name}.active").write_text("\n".join(calendars))
    return out


# --- nginx ----------------------------------------------------------------------------------


def nginx_args(*extra: str) -> list[str]:
    return [
        "/usr/sbin/nginx",
        "-c",
        os.environ["DEPLOY_NGINX_CONF"],
        "-e",
        str(ROOT / "nginx" / "error.log"),
        *extra,
    ]


def nginx_pid() -> int | None:
    path = ROOT / "nginx" / "nginx.pid"
    if not path.exists() or not path.read_text().strip():
        return None
    return _alive(path)


def nginx(action: str) -> None:
    pid = nginx_pid()
    if action in {"stop", "restart"} and pid:
        subprocess.run(nginx_args("-s", "quit"), check=True)
        deadline = time.monotonic() + 20
        while nginx_pid() and time.monotonic() < deadline:
            time.sleep(0.1)
        pid = None
    if action == "reload":
        if not pid:
            fail("nginx.service is not active, cannot reload.")
        subprocess.run(nginx_args("-s", "reload"), check=True)
    elif action in {"start", "restart"} and not pid:
        test = subprocess.run(nginx_args("-t"), capture_output=True, text=True)
        if test.returncode != 0:
            fail(f"Job for nginx.service failed.\n{test.stderr}")
        subprocess.run(nginx_args(), check=True)


# --- the commands ---------------------------------------------------------------------------


def systemctl(args: list[str]) -> None:
    flags = {a for a in args if a.startswith("-")}
    words = [a for a in args if not a.startswith("-")]
    if not words:
        fail("systemctl: no command")
    command, names = words[0], [unit_name(n) for n in words[1:]]
    if command == "daemon-reload":  # what systemd would refuse to load
        for unit in sorted(UNITS.glob("*.service")) + sorted(UNITS.glob("*.timer")):
            result = subprocess.run(
                ["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True
            )
            if result.returncode != 0 or result.stderr.strip():
                fail(f"systemd-analyze verify {unit.name}:\n{result.stdout}{result.stderr}")
        return
    if command == "enable":
        STATE.mkdir(exist_ok=True)
        for name in names:
            read_unit(name) if name != "nginx.service" else None
            (STATE / f"{name}.enabled").touch()
        if "--now" in flags:
            command = "start"
        else:
            return
    for name in names:
        if name == "nginx.service":
            nginx(command)
        elif name.endswith(".timer"):
            if command in {"start", "restart"}:
                check_timer(name)
            elif command == "list-timers":
                pass
        elif command == "start":
            start_service(name)
        elif command == "stop":
            stop_service(name)
        elif command == "restart":
            stop_service(name)
            start_service(name)
        elif command == "reload":
            reload_service(name)
        elif command == "is-active":
            if not running_pid(name):
                print("inactive")
                raise SystemExit(3)
            print("active")
        elif command == "status":
            pid = running_pid(name)
            print(f"● {name}\n   Active: {'active (running)' if pid else 'inactive (dead)'}")
            print(tail(name, 10))
        else:
            fail(f"systemctl {command}: not understood by tests/deploy/shim.py")
    if command == "list-timers":
        for name in names:
            for text in check_timer(name):
                print(f"{name}\n{text}")


def apt_get(args: list[str]) -> None:
    words = [a for a in args if not a.startswith("-")]
    if words[:1] == ["update"]:
        return
    if words[:1] != ["install"]:
        fail(f"apt-get {' '.join(args)}: not understood by tests/deploy/shim.py")
    missing = []
    for package in words[1:]:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
        ).stdout
        if "install ok installed" not in status:
            missing.append(package)
    if missing:
        fail(f"not installed: {' '.join(missing)} (scripts/test.sh installs the guide's packages)")
    print(f"all installed: {' '.join(words[1:])}")


def git(args: list[str]) -> None:
    if args[:1] != ["clone"] or len(args) != 3:
        fail(f"git {' '.join(args)}: only `git clone URL DIR` is understood here")
    from tests.deploy.machine import copy_working_tree

    copy_working_tree(Path(os.environ["DEPLOY_REPO"]), Path(args[2]))


def python3(args: list[str]) -> None:
    real = ["/usr/bin/python3", *args]
    if args[:2] == ["-m", "venv"]:
        subprocess.run(real, check=True)
        from tests.deploy.machine import seed_venv

        seed_venv(Path(args[-1]), Path(os.environ["DEPLOY_REPO"]) / "requirements.txt")
        return
    os.execv(real[0], real)


def main() -> None:
    name, args = sys.argv[1], sys.argv[2:]
    if name == "systemctl":
        systemctl(args)
    elif name == "nginx":
        os.execv("/usr/sbin/nginx", nginx_args(*args))
    elif name == "apt-get":
        apt_get(args)
    elif name == "git":
        git(args)
    elif name == "python3":
        python3(args)
    else:
        fail(f"no stand-in for {name}")


if __name__ == "__main__":
    main()
