"""``app:server`` with every request run inside a frame named after its kind, for
``benchmarks/load.py --profile``: gunicorn (under py-spy) loads ``benchmarks.profiled_app:server``
instead of ``app:server``. Request counts and CPU per kind go to LOAD_PROFILE_DIR (see
benchmarks/profiling.py). The product never imports this."""

import os
from pathlib import Path

from app import server
from benchmarks.profiling import Profiled, Totals

_out = Path(os.environ["LOAD_PROFILE_DIR"])
_out.mkdir(parents=True, exist_ok=True)
server.wsgi_app = Profiled(server.wsgi_app, Totals(_out))
