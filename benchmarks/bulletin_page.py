"""The bulletin page (/bulletin) in Chromium: how long switching months takes, and where.

    python3 benchmarks/bulletin_page.py [--switches 6] [--throttle 1 4]

Builds the demo office (90 projects) as of 2026-11-28 in a temporary SQLite file, runs the
app's server in a thread, signs in as the office in Debian's headless Chromium and picks
months in the page's month picker: October (closed, its 定稿) and November (the month in
reporting, built live), back and forth. A switch is timed from the click on the month to
the new month's title on screen with no callback still loading, plus two animation frames
(what was drawn has been painted). Each switch is split into the server's share (the
callbacks' requests as the browser saw them, first request sent to last response read)
and the browser's (the rest: the Dash renderer, React, layout and paint).

``cold`` is the first switch of a fresh browser context (nothing cached, no component
chunk loaded yet); ``warm`` the median of the following ones. ``--throttle 4`` slows
Chromium's main thread four times (DevTools' CPU throttling), an office's older PC or a
machine under load. The table also counts what one switch sends: the callbacks' response
bytes and the Dash components in them, the page's DOM nodes afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.web.live import chromium, live_server, login  # noqa: E402
from tracker.db import make_engine, migrate, write_session  # noqa: E402
from tracker.services.demo import build_demo  # noqa: E402

AS_OF = date(2026, 11, 28)
PASSWORD = "bench-pass-2026"
CLOSED, RUNNING = "2026年10月", "2026年11月"
SHOWN = """
(label) => {
  const title = document.querySelector('#bl-title');
  return title !== null && title.innerText.startsWith(label)
    && document.querySelectorAll('[data-dash-is-loading="true"]').length === 0;
}
"""
FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def components(payload: Any) -> int:
    """Dash components in a callback's JSON response."""
    if isinstance(payload, dict):
        own = 1 if "namespace" in payload and "type" in payload else 0
        return own + sum(components(v) for v in payload.values())
    if isinstance(payload, list):
        return sum(components(v) for v in payload)
    return 0


class Switcher:
    """A signed-in page on the bulletin, picking months and timing each pick."""

    def __init__(self, browser, url: str, throttle: float) -> None:
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(120000)
        self.calls: list[Any] = []
        self.page.on("requestfinished", self._finished)
        login(self.page, url, "admin", PASSWORD, next_path="/bulletin")
        self.page.wait_for_selector("#bl-title")
        self.page.wait_for_function(SHOWN, arg="")
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})

    def _finished(self, request) -> None:
        if "_dash-update-component" in request.url or request.method == "POST":
            self.calls.append(request)

    def switch(self, label: str) -> dict[str, float]:
        page = self.page
        page.click("#bl-month")
        option = page.get_by_role("option", name=label, exact=True)
        option.wait_for()
        self.calls.clear()
        start = time.perf_counter()
        option.click()
        page.wait_for_function(SHOWN, arg=label, polling="raf")
        page.evaluate(FRAMES)
        total = (time.perf_counter() - start) * 1000
        server, sent, shown = 0.0, 0, 0
        if self.calls:
            timings = [(r, r.timing) for r in self.calls]
            server = sum(t["responseEnd"] for _, t in timings)  # each from its start
            for request, _ in timings:
                response = request.response()
                body = response.body() if response is not None else b""
                if os.environ.get("BENCH_VERBOSE"):
                    print(label, json.loads(request.post_data or "{}").get("output"), len(body))
                sent += len(body)
                with contextlib.suppress(ValueError):  # a 204 or an error page
                    shown += components(json.loads(body))
        nodes = page.evaluate("document.getElementsByTagName('*').length")
        return {
            "total": total,
            "server": server,
            "browser": total - server,
            "calls": len(self.calls),
            "kb": sent / 1024,
            "components": shown,
            "nodes": nodes,
        }

    def close(self) -> None:
        self.context.close()


def measure(browser, url: str, throttle: float, switches: int) -> list[tuple[str, dict]]:
    rows: list[tuple[str, dict]] = []
    page = Switcher(browser, url, throttle)
    try:
        rows.append((f"cold → {CLOSED} (closed)", page.switch(CLOSED)))
        rows.append((f"cold → {RUNNING} (running)", page.switch(RUNNING)))
        closed: list[dict] = []
        running: list[dict] = []
        for _ in range(switches):
            closed.append(page.switch(CLOSED))
            running.append(page.switch(RUNNING))
    finally:
        page.close()
    for name, samples in ((f"warm → {CLOSED}", closed), (f"warm → {RUNNING}", running)):
        rows.append((name, {k: statistics.median(s[k] for s in samples) for k in samples[0]}))
        rows.append(
            (name.replace("warm", "warm max"), {k: max(s[k] for s in samples) for k in samples[0]})
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--switches", type=int, default=6, help="warm switches each way")
    parser.add_argument("--throttle", type=float, nargs="+", default=[1.0, 4.0])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate(engine)
        with write_session(engine) as s:
            build_demo(s, as_of=AS_OF, password=PASSWORD)
        results = []
        with live_server(engine, AS_OF) as server, chromium() as browser:
            for rate in args.throttle:
                results.append((rate, measure(browser, server.url, rate, args.switches)))
        engine.dispose()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nBulletin page, demo office (90 projects) as of {AS_OF}, signed in as the office")
    print(f"{os.cpu_count()} CPUs, load average at the end: {load}\n")
    head = (
        f"{'CPU':>4} {'switch':<26}{'total ms':>9}{'server':>8}{'browser':>9}"
        f"{'calls':>6}{'KB':>7}{'comps':>7}{'DOM':>7}"
    )
    print(head)
    print("-" * len(head))
    for rate, rows in results:
        for name, r in rows:
            print(
                f"{rate:>3.0f}x {name:<26}{r['total']:>9.0f}{r['server']:>8.0f}"
                f"{r['browser']:>9.0f}{r['calls']:>6.0f}{r['kb']:>7.0f}"
                f"{r['components']:>7.0f}{r['nodes']:>7.0f}"
            )


if __name__ == "__main__":
    main()
