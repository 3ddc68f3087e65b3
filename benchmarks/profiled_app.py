"""``app:server`` with every request profiled per kind, for ``benchmarks/load.py --profile``:
gunicorn loads ``benchmarks.profiled_app:server`` instead of ``app:server``. The profile files
go to LOAD_PROFILE_DIR (see benchmarks/profiling.py). The product never imports this."""

import os
from pathlib import Path

from app import server
from benchmarks.profiling import Profiled, Sampler

_out = Path(os.environ["LOAD_PROFILE_DIR"])
_out.mkdir(parents=True, exist_ok=True)
server.wsgi_app = Profiled(server.wsgi_app, Sampler(_out))
