"""gunicorn's settings for `gunicorn app:server` (read from the working directory, or -c).

Everything comes from the tracker's own settings (the environment, /etc/tracker/tracker.env
under systemd): the address from TRACKER_HOST / TRACKER_PORT (127.0.0.1:8050, behind nginx),
worker processes and threads from WEB_WORKERS / WEB_THREADS, and logging in LOG_FORMAT for
gunicorn's own messages and its access log as well as the app's. Options on gunicorn's
command line still win over this file.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tracker.config import SettingsError, load_settings, require_database_url  # noqa: E402
from tracker.logs import gunicorn_logconfig  # noqa: E402

try:
    require_database_url()
    _settings = load_settings()
except SettingsError as exc:  # a clear line instead of gunicorn's traceback
    raise SystemExit(f"tracker: {exc}") from None

wsgi_app = "app:server"
bind = [f"{_settings.TRACKER_HOST}:{_settings.TRACKER_PORT}"]
workers = _settings.WEB_WORKERS
threads = _settings.WEB_THREADS
worker_class = "gthread"
timeout = 120  # the longest request: the A3 PDF of a large plan
graceful_timeout = 30
proc_name = "tracker-web"
logconfig_dict = gunicorn_logconfig(_settings.LOG_FORMAT, _settings.LOG_LEVEL)

# gunicorn's control socket (gunicornc) goes into systemd's RuntimeDirectory (/run/tracker);
# never into the checkout or the home folder, which the service cannot write.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")
else:
    control_socket_disable = True


def pre_fork(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """Start a new worker's heartbeat at its spawn. gunicorn times a worker out by comparing
    its heartbeat file's mtime with time.monotonic(), but a fresh file carries the wall-clock
    time of its creation: on a clock that runs ahead of the wall clock (a VM restored from a
    snapshot, libfaketime in the tests' date runs) every booting worker looked hung and was
    killed in a loop; on a normal clock a worker stuck while booting was never timed out."""
    worker.tmp.notify()
