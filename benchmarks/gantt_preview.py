"""Render the battle map to files a person can look at (PNG, HTML, PDF).

    python3 benchmarks/gantt_preview.py [OUT_DIR]     # default benchmarks/out/preview

Writes the 90-project view (normal, meeting mode by county, collapsed groups with a
hover box open on a project whose name carries HTML), the slip trend, the A3 PDF and
PNGs of its pages (pdftoppm -r 50). Needs /usr/bin/chromium and poppler-utils.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.gantt import CHROMIUM_ARGS  # noqa: E402
from tests.gantt.sample import sample_projects  # noqa: E402
from tracker.gantt.figure import build_gantt  # noqa: E402
from tracker.gantt.html import standalone_html  # noqa: E402
from tracker.gantt.pdf import gantt_pdf  # noqa: E402
from tracker.gantt.slip import slip_trend_figure  # noqa: E402

AS_OF = date(2022, 5, 31)
TIME_PROGRESS = (AS_OF - date(2022, 1, 1)).days / 365
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"

HOVER_PROJECT = """(id) => {
  const gd = document.querySelector('.plotly-graph-div');
  for (let i = 0; i < gd.data.length; i++) {
    const custom = gd.data[i].customdata || [];
    for (let j = 0; j < custom.length; j++) {
      if (Array.isArray(custom[j]) && custom[j][0] === id) {
        Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: j}]);
        return true;
      }
    }
  }
  return false;
}"""

HOVER_GROUP = """() => {
  const gd = document.querySelector('.plotly-graph-div');
  const i = gd.data.findIndex((t) => t.customdata && typeof t.customdata[0][0] === 'string');
  if (i >= 0) Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: 1}]);
}"""


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/out/preview").resolve()
    out.mkdir(parents=True, exist_ok=True)
    projects = sample_projects(90)
    long_name = "双江拉祜族佤族布朗族傣族自治县勐库大雪山古茶园保护与茶旅融合示范基地建设项目"
    projects[1] = dataclasses.replace(projects[1], name=HOSTILE + long_name)
    slip_history = [
        (date(2022, m, 1), "主体工程完工", date(2022, 6 + max(0, m - 2), 28)) for m in range(1, 7)
    ] + [(date(2022, m, 1), "竣工验收", date(2022, 12, 31)) for m in range(1, 7)]

    views = {
        "gantt": build_gantt(projects, as_of=AS_OF, time_progress=TIME_PROGRESS),
        "gantt_meeting_by_county": build_gantt(
            projects, as_of=AS_OF, time_progress=TIME_PROGRESS, group_by="county",
            meeting=True, page_size=20,
        ),
        "gantt_collapsed_hover": build_gantt(
            projects, as_of=AS_OF, time_progress=TIME_PROGRESS,
            collapsed=frozenset({"area:生态环境保护", "measure:推动旅游产业/推进茶旅融合"}),
        ),
        "slip": slip_trend_figure(slip_history),
    }  # fmt: skip
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, fig in views.items():
            html = out / f"{name}.html"
            html.write_text(standalone_html(fig, post_script="window.__drawn = true;"))
            width = 1920 if "meeting" in name else 1500
            page = browser.new_page(viewport={"width": width, "height": 1000})
            dialogs: list[str] = []
            page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
            page.goto(html.as_uri())
            page.wait_for_function("window.__drawn === true")
            if name.endswith("hover"):
                page.evaluate(HOVER_PROJECT, projects[1].id)
            if name == "gantt_meeting_by_county":
                page.evaluate(HOVER_GROUP)
            page.wait_for_timeout(300)
            page.screenshot(path=str(out / f"{name}.png"), full_page=name == "gantt")
            if dialogs:
                raise SystemExit(f"{name}: script ran from user text: {dialogs}")
            page.close()
        browser.close()

    pdf = out / "gantt.pdf"
    pdf.write_bytes(
        gantt_pdf(
            projects, as_of=AS_OF, title="临沧市重大项目实施甘特图", time_progress=TIME_PROGRESS
        )
    )
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(out / "gantt_pdf")], check=True)
    for path in sorted(out.iterdir()):
        print(path)


if __name__ == "__main__":
    main()
