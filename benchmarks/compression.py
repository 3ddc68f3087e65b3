"""What compressing the app's dynamic responses costs per request, by codec and level.

    python3 benchmarks/compression.py [--rounds 5]

Flask-Compress compresses every callback answer and page afresh (the files, Dash's layout
and dependencies are compressed once: tracker.web.http_cache). This builds the demo office
in a SQLite file, takes real answers from the app (the page router for the overview, the
project list and the battle map, Dash's dependencies) and times gzip and brotli at several
levels on each: milliseconds per response (median of --rounds) and the compressed size.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import brotli  # noqa: E402 - Flask-Compress's own dependency

from benchmarks.load import run_cli  # noqa: E402
from tests.web.dashcalls import router  # noqa: E402
from tracker.config import load_settings  # noqa: E402
from tracker.db import make_engine  # noqa: E402
from tracker.services.login import LoginPolicy, sign_in  # noqa: E402
from tracker.web.app import create_app  # noqa: E402

CODECS = {
    "gzip 1": lambda b: gzip.compress(b, 1, mtime=0),
    "gzip 6": lambda b: gzip.compress(b, 6, mtime=0),
    "gzip 9": lambda b: gzip.compress(b, 9, mtime=0),
    "br 1": lambda b: brotli.compress(b, quality=1),
    "br 4": lambda b: brotli.compress(b, quality=4),
    "br 5": lambda b: brotli.compress(b, quality=5),
    "br 6": lambda b: brotli.compress(b, quality=6),
    "br 9": lambda b: brotli.compress(b, quality=9),
}
PASSWORD = "compression-2026"


def bodies(folder: str) -> dict[str, bytes]:
    url = f"sqlite:///{folder}/demo.db"
    env = dict(os.environ, DATABASE_URL=url, TRACKER_ENV="development")
    run_cli(env, "init")
    run_cli(env, "demo", "--password", PASSWORD)
    engine = make_engine(url)
    app = create_app(load_settings(env={"DATABASE_URL": url}), engine)
    result = sign_in(
        engine,
        username="admin",
        password=PASSWORD,
        ip="127.0.0.1",
        user_agent="bench",
        policy=LoginPolicy(),
    )
    client = app.server.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = result.token, True
    out = {"GET /_dash-dependencies": client.get("/_dash-dependencies").data}
    for path in ("/", "/projects", "/battle-map"):
        response = client.post("/_dash-update-component", json=router(path))
        out[f"page {path}"] = response.data
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        answers = bodies(folder)
    print(f"{'response':<24} {'KiB':>6} | " + " | ".join(f"{c:>15}" for c in CODECS))
    print(f"{'':<24} {'':>6} | " + " | ".join(f"{'ms':>6} {'KiB':>8}" for _ in CODECS))
    for name, data in answers.items():
        json.loads(data)  # a real JSON answer
        cells = []
        for codec in CODECS.values():
            times = []
            for _ in range(args.rounds):
                began = time.perf_counter()
                packed = codec(data)
                times.append(time.perf_counter() - began)
            cells.append(f"{statistics.median(times) * 1000:>6.1f} {len(packed) / 1024:>8.1f}")
        print(f"{name:<24} {len(data) / 1024:>6.0f} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
