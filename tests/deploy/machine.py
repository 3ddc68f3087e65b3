"""A folder that stands for a fresh Debian machine, and docs/deploy.md's commands run in it.

The guide is written for a whole machine: /opt/tracker, /etc/tracker, the user tracker,
PostgreSQL's database tracker, nginx on ports 80 and 443. Here everything it names is moved
into a fresh folder (``Machine.root``) by plain text substitution of the guide's blocks and
of the files it copies, so several test runs (and the machine's own services) never meet:

- paths: /opt/tracker -> <root>/opt/tracker, and so on for every folder the guide uses;
- the user, PostgreSQL role and database ``tracker`` -> a new name per run (a real system
  user, made by the guide's own ``useradd``);
- PostgreSQL: a cluster of its own on a free port with Debian's authentication (peer on the
  local socket, scram-sha-256 over TCP); ``sudo -u postgres`` gets its socket and port;
- ports: nginx's 80/443 and the two gunicorns' 8050 and 8051 -> free loopback ports.

Every substitution must match something, so the guide and this file cannot drift apart
silently. ``shim.py`` stands in for systemctl, apt-get, git clone and python3 -m venv.
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "deploy.md"
NOT_RUN = re.compile(r"<!--\s*deploy-test:\s*not run\s*\(([^)]*)\)\s*-->")
BLOCK = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)
SERVER_NAME = "tracker.example.gov.cn"
# the bare word tracker where it names the user, its group, the role or the database:
# after a space, "=" or ":" (root:tracker), before a space, a quote or the line's end;
# never `python -m tracker` (the package), /opt/tracker, tracker.env, tracker-web, trackerctl
USER_WORD = re.compile(r"(?<!-m )(?<![^\s=:])tracker(?=$|[\s\"'])", re.M)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


# --- the guide ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    section: str
    text: str
    skipped: str  # why the test does not run it ("" when it does)


def guide_blocks(text: str | None = None) -> list[Block]:
    """Every ```bash block of the guide with its section heading and its not-run reason."""
    text = GUIDE.read_text(encoding="utf-8") if text is None else text
    blocks = []
    for match in BLOCK.finditer(text):
        before = text[: match.start()]
        headings = re.findall(r"^## (.+)$", before, re.M)
        previous = before.rstrip().splitlines()[-1] if before.strip() else ""
        reason = NOT_RUN.search(previous)
        blocks.append(
            Block(
                headings[-1] if headings else "", match.group(1), reason.group(1) if reason else ""
            )
        )
    return blocks


# --- the machine ----------------------------------------------------------------------------


@dataclass
class Machine:
    root: Path
    user: str
    pg_port: int
    pg_password: str
    app_port: int = field(default_factory=free_port)
    login_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    used: set[str] = field(default_factory=set)

    @property
    def pg_dir(self) -> Path:
        return self.root / "pg"

    @property
    def database_url(self) -> str:
        return f"postgresql+psycopg:///{self.user}?host={self.pg_dir}&port={self.pg_port}"

    def admin_url(self, database: str) -> str:
        """The test's own way in: the postgres role over TCP with its password."""
        return (
            f"postgresql+psycopg://postgres:{self.pg_password}@127.0.0.1:{self.pg_port}/{database}"
        )

    def path(self, absolute: str) -> Path:
        return self.root / absolute.lstrip("/")

    def literals(self) -> dict[str, str]:
        r = self.root
        v6 = ipv6_loopback()
        return {
            "postgresql+psycopg:///tracker?host=/var/run/postgresql": self.database_url,
            "sudo -u postgres ": f"sudo -u postgres /usr/bin/env PGHOST={self.pg_dir} PGPORT={self.pg_port} ",
            "tracker_drill": f"{self.user}_drill",
            "/opt/tracker": f"{r}/opt/tracker",
            "/etc/tracker": f"{r}/etc/tracker",
            "/var/lib/tracker": f"{r}/var/lib/tracker",
            "/var/backups/tracker": f"{r}/var/backups/tracker",
            "/etc/systemd/system": f"{r}/etc/systemd/system",
            "/etc/nginx/sites-available": f"{r}/etc/nginx/sites-available",
            "/etc/nginx/sites-enabled": f"{r}/etc/nginx/sites-enabled",
            "/etc/ssl/private/tracker.key": f"{r}/etc/ssl/private/tracker.key",
            "/etc/ssl/certs/tracker.crt": f"{r}/etc/ssl/certs/tracker.crt",
            "/usr/local/bin/trackerctl": f"{r}/usr/local/bin/trackerctl",
            "/root/项目清单.xlsx": f"{r}/root/项目清单.xlsx",
            "127.0.0.1:8050": f"127.0.0.1:{self.app_port}",
            "127.0.0.1:8051": f"127.0.0.1:{self.login_port}",
            "TRACKER_PORT=8050": f"TRACKER_PORT={self.app_port}",
            "https://127.0.0.1/": f"https://127.0.0.1:{self.https_port}/",
            "listen 80 ": f"listen 127.0.0.1:{self.http_port} ",
            "listen 443 ": f"listen 127.0.0.1:{self.https_port} ",
            "listen [::]:80 ": f"listen [::1]:{self.http_port} " if v6 else "# no IPv6: ",
            "listen [::]:443 ": f"listen [::1]:{self.https_port} " if v6 else "# no IPv6: ",
        }

    def substitute(self, text: str) -> str:
        table = self.literals()
        pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))

        def replace(match: re.Match) -> str:
            self.used.add(match.group(0))
            return table[match.group(0)]

        text = pattern.sub(replace, text)
        if USER_WORD.search(text):
            self.used.add("tracker")
        return USER_WORD.sub(self.user, text)

    def unused(self) -> set[str]:
        """Substitutions that matched nothing, here or in shim.py's copies."""
        record = self.root / ".used"
        elsewhere = set(record.read_text().splitlines()) if record.exists() else set()
        return (set(self.literals()) | {"tracker"}) - self.used - elsewhere

    def save(self) -> None:
        """What shim.py needs to make the same substitutions."""
        data = {
            "root": str(self.root),
            "user": self.user,
            "pg_port": self.pg_port,
            "pg_password": self.pg_password,
            "app_port": self.app_port,
            "login_port": self.login_port,
            "http_port": self.http_port,
            "https_port": self.https_port,
        }
        (self.root / ".machine.json").write_text(json.dumps(data))

    def save_used(self) -> None:
        with (self.root / ".used").open("a") as out:
            out.writelines(f"{key}\n" for key in sorted(self.used))

    # --- running the guide ------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        path = f"{self.root}/.bin:{self.root}/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        return {
            "PATH": path,
            "HOME": str(self.root / "root"),
            "LANG": "C.UTF-8",
            "USER": "root",
            "LOGNAME": "root",
            "SHELL": "/bin/bash",
            "TERM": "dumb",
            "DEPLOY_ROOT": str(self.root),
            "DEPLOY_REPO": str(REPO),
            "DEPLOY_NGINX_CONF": str(self.root / "nginx" / "nginx.conf"),
        }

    def run(self, block: str, stdin: str = "", timeout: float = 600) -> subprocess.CompletedProcess:
        """One of the guide's blocks, substituted, with ``bash -euo pipefail`` as root."""
        script = self.substitute(block)
        return subprocess.run(
            ["/bin/bash", "-euo", "pipefail", "-c", script],
            cwd=self.root / "root",
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def as_user(self, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """A command as the service's user (no settings unless given)."""
        return subprocess.run(
            [
                "sudo",
                "-u",
                self.user,
                "/usr/bin/env",
                "-i",
                *[f"{k}={v}" for k, v in (env or {}).items()],
                *argv,
            ],
            cwd="/",
            capture_output=True,
            text=True,
            timeout=300,
        )

    def journal(self, unit: str) -> str:
        path = self.root / "journal" / f"{unit}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    # --- set-up and tear-down ---------------------------------------------------------------

    def build(self) -> Machine:
        """The folders a fresh Debian 12 with the guide's packages has, and the stand-ins."""
        for folder in (
            "root",
            "opt",
            "etc/systemd/system",
            "etc/nginx/sites-available",
            "etc/nginx/sites-enabled",
            "etc/ssl/certs",
            "usr/local/bin",
            "var/lib",
            "var/backups",
            "run",
            "journal",
            "nginx",
            ".bin",
        ):
            self.path(folder).mkdir(parents=True, exist_ok=True)
        self.path("root").chmod(0o700)
        private = self.path("etc/ssl/private")
        private.mkdir(mode=0o710)
        os.chown(private, 0, grp.getgrnam("ssl-cert").gr_gid if _group("ssl-cert") else 0)
        private.chmod(0o710)
        default = self.path("etc/nginx/sites-available/default")
        default.write_text(
            f"server {{ listen 127.0.0.1:{self.http_port} default_server; root /var/www/html; }}\n"
        )
        self.path("etc/nginx/sites-enabled/default").symlink_to(default)
        self._nginx_conf()
        for name in ("systemctl", "apt-get", "git", "python3", "nginx"):
            shim = self.root / ".bin" / name
            shim.write_text(
                "#!/bin/sh\n"
                f'exec /usr/bin/env PYTHONPATH={REPO} {sys.executable} {REPO}/tests/deploy/shim.py {name} "$@"\n'
            )
            shim.chmod(0o755)
        return self

    def _nginx_conf(self) -> None:
        """Debian's /etc/nginx/nginx.conf, its own files moved into the machine's folder."""
        text = Path("/etc/nginx/nginx.conf").read_text()
        nginx = self.root / "nginx"
        text = text.replace("pid /run/nginx.pid;", f"pid {nginx}/nginx.pid;")
        text = text.replace("/var/log/nginx/", f"{nginx}/")
        text = text.replace("/etc/nginx/sites-enabled/", f"{self.root}/etc/nginx/sites-enabled/")
        for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (nginx / folder).mkdir(exist_ok=True)
        temp = "\n".join(
            f"\t{folder}_temp_path {nginx}/{folder};"
            for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        text = text.replace("http {", "http {\n" + temp, 1)
        assert str(self.root) in text and "nginx.pid" in text
        (nginx / "nginx.conf").write_text(text)
        www = pwd.getpwnam("www-data")
        for folder in nginx.iterdir():
            if folder.is_dir():
                os.chown(folder, www.pw_uid, www.pw_gid)

    def stop_everything(self) -> None:
        """Stop what the guide started here (by the pids recorded for them), nothing else."""
        state = self.root / ".systemd"
        for pid_file in state.glob("*.pid") if state.exists() else []:
            with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
                pid = int(pid_file.read_text())
                os.killpg(pid, signal.SIGTERM)
                deadline = time.monotonic() + 20
                while _alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.2)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
        nginx_pid = self.root / "nginx" / "nginx.pid"
        if nginx_pid.exists() and nginx_pid.read_text().strip():
            with contextlib.suppress(ValueError, ProcessLookupError):
                os.kill(int(nginx_pid.read_text()), signal.SIGQUIT)
                time.sleep(1)

    def remove_user(self) -> None:
        if _user(self.user):
            subprocess.run(["userdel", self.user], check=False, capture_output=True)
        if _group(self.user):
            subprocess.run(["groupdel", self.user], check=False, capture_output=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _group(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def new_machine() -> Machine:
    root = Path(tempfile.mkdtemp(prefix="deploytest-", dir="/tmp"))
    root.chmod(0o755)
    name = "trk" + secrets.token_hex(4)
    while _user(name) or _group(name):
        name = "trk" + secrets.token_hex(4)
    return Machine(root=root, user=name, pg_port=free_port(), pg_password=secrets.token_hex(16))


# --- stand-ins used by shim.py --------------------------------------------------------------


def copy_working_tree(source: Path, target: Path) -> None:
    """`git clone` of the working tree: its tracked and new (not ignored) files, as they are
    now; then the same substitutions in the files the guide copies out of docs/deploy/."""
    listed = subprocess.run(
        [
            "/usr/bin/git",
            "-C",
            str(source),
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in listed:
        if not raw:
            continue
        relative = raw.decode()
        origin = source / relative
        if not origin.is_file():
            continue  # deleted in the working tree
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, destination)
    machine = machine_from_env()
    for path in (target / "docs" / "deploy").iterdir():
        path.write_text(machine.substitute(path.read_text(encoding="utf-8")), encoding="utf-8")
    machine.save_used()


def machine_from_env() -> Machine:
    data = json.loads((Path(os.environ["DEPLOY_ROOT"]) / ".machine.json").read_text())
    return Machine(**{k: (Path(v) if k == "root" else v) for k, v in data.items() if k != "used"})


def requirement_closure(requirements: Path) -> list[metadata.Distribution]:
    """The installed distributions that ``pip install -r requirements`` needs (with extras)."""
    environment = default_environment()
    wanted: list[tuple[Requirement, frozenset[str]]] = []
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            wanted.append((Requirement(line), frozenset()))
    found: dict[str, metadata.Distribution] = {}
    extras_seen: dict[str, set[str]] = {}
    while wanted:
        requirement, _ = wanted.pop()
        key = canonicalize_name(requirement.name)
        new_extras = set(requirement.extras) - extras_seen.get(key, set())
        if key in found and not new_extras:
            continue
        try:
            dist = found.get(key) or metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError as exc:
            raise AssertionError(f"{requirement.name} is required but not installed here") from exc
        if not requirement.specifier.contains(dist.version, prereleases=True):
            raise AssertionError(f"{requirement} is required; {dist.version} is installed here")
        found[key] = dist
        extras_seen.setdefault(key, set()).update(requirement.extras)
        for raw in dist.requires or []:
            child = Requirement(raw)
            if child.marker is not None:
                contexts = [{**environment, "extra": e} for e in ["", *extras_seen[key]]]
                if not any(child.marker.evaluate(c) for c in contexts):
                    continue
            wanted.append((child, frozenset()))
    return list(found.values())


def seed_venv(venv: Path, requirements: Path) -> None:
    """Put into ``venv`` what pip would install from ``requirements``, from this machine's
    installed distributions (hard links where possible), with their console scripts."""
    site = next((venv / "lib").glob("python3*/site-packages"))
    for dist in requirement_closure(requirements):
        for relative in dist.files or []:
            if str(relative).startswith(".."):
                continue  # scripts in bin/: written below for this environment
            origin = Path(dist.locate_file(relative))
            if not origin.is_file():
                continue
            destination = site / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            if destination.exists():
                continue
            try:
                os.link(origin, destination)
            except OSError:
                shutil.copy2(origin, destination)
        for entry in dist.entry_points.select(group="console_scripts"):
            module, _, attribute = entry.value.partition(":")
            script = venv / "bin" / entry.name
            head = attribute.split(".")[0]
            script.write_text(
                f"#!{venv}/bin/python3\nimport sys\nfrom {module.strip()} import {head}\n"
                f"if __name__ == '__main__':\n    sys.exit({attribute.strip()}())\n"
            )
            script.chmod(0o755)
