"""HTML report size and open time for 1,000 calls, in headless Chromium.

    python bench/bench_report.py [--calls 1000] [--utterances 24] [--repeats 7]

Builds a results store of ``--calls`` synthetic calls (ten agents, two teams,
30 days, ``--utterances`` timed utterances each, written through the store
API, no Vosk), writes the HTML report and opens it from disk in Debian's
headless Chromium (``/usr/bin/chromium`` with ``/usr/bin/chromedriver``).

Reported:
- the report's size (target < 10 MB) and the time to write it;
- the median time from navigation start until the report has loaded and
  painted its first content (the later of the load event and
  first-contentful-paint; target < 2 s), and within it the ``pg-ready``
  performance mark its script sets once the overview, charts, agent cards
  and first page of calls are drawn;
- the same load-and-paint time for a baseline, a plain static HTML page of
  the same size (visible text paragraphs, no script), and the ratio report /
  baseline: what the report costs over just showing that many bytes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "report"))

from browser_driver import chromium_missing, launch_chromium  # noqa: E402
from synthetic_calls import build_store, random_calls  # noqa: E402

from phraseguard.report.html import HtmlWriter  # noqa: E402
from phraseguard.report.results import load_results  # noqa: E402

TARGET_BYTES = 10_000_000
TARGET_SECONDS = 2.0
READY_TIMEOUT = 60.0

_PARAGRAPH = "<p>您好，很高兴为您服务。请问有什么可以帮您？我帮您查询一下订单，请您稍等。</p>\n"


def baseline_page(path: Path, size: int) -> Path:
    """A plain static page of ``size`` bytes: visible text paragraphs, no script."""
    head = "<!doctype html>\n<html><head><meta charset='utf-8'><title>baseline</title></head><body>\n"
    tail = "</body></html>\n"
    unit = len(_PARAGRAPH.encode("utf-8"))
    count = max(0, (size - len(head) - len(tail)) // unit)
    path.write_text(head + _PARAGRAPH * count + tail, "utf-8")
    return path


# Milliseconds from navigation start until the page has loaded AND painted
# its first content: the same yardstick for the report and the baseline.
_SETTLED = """
const nav = performance.getEntriesByType('navigation')[0];
const paint = performance.getEntriesByName('first-contentful-paint');
if (!nav || !nav.loadEventEnd || !paint.length) return null;
return Math.max(nav.loadEventEnd, paint[0].startTime);
"""
_READY = """
const m = performance.getEntriesByName('pg-ready'); return m.length ? m[0].startTime : null;
"""


def _wait_for(driver, script: str, path: Path) -> float:
    deadline = time.monotonic() + READY_TIMEOUT
    while (value := driver.execute_script(script)) is None:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{path} did not finish loading")
        time.sleep(0.01)
    return float(value)


def open_ms(driver, path: Path, *, report: bool) -> tuple[float, float | None]:
    """(ms to loaded and painted, ms to the report's ``pg-ready`` mark or None)."""
    driver.get("about:blank")
    driver.get(path.resolve().as_uri())  # returns after the load event
    settled = _wait_for(driver, _SETTLED, path)
    ready = _wait_for(driver, _READY, path) if report else None
    return settled, ready


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--utterances", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    reason = chromium_missing()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="pg-bench-report-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        store = build_store(root / "bench.db", random_calls(args.calls,
                                                            utterances=args.utterances))
        built = time.perf_counter() - started
        started = time.perf_counter()
        results = load_results(store)
        report = root / "report.html"
        HtmlWriter().write_path(results, report)
        written = time.perf_counter() - started
        store.close()
        size = report.stat().st_size
        baseline = baseline_page(root / "baseline.html", size)

        driver = launch_chromium(root / "profile")
        try:
            open_ms(driver, report, report=True)  # warm-up: first start of the renderer
            runs = [open_ms(driver, report, report=True) for _ in range(args.repeats)]
            base = [open_ms(driver, baseline, report=False)[0] for _ in range(args.repeats)]
        finally:
            driver.quit()

    settled = [r[0] for r in runs]
    ready = [r[1] for r in runs if r[1] is not None]
    open_ms_ = statistics.median(settled)
    base_ms = statistics.median(base)
    met_size = size < TARGET_BYTES
    met_time = open_ms_ < TARGET_SECONDS * 1000
    print(f"calls: {args.calls} ({args.utterances} utterances each); store built in {built:.1f} s")
    print(f"report: {size / 1e6:.2f} MB, written in {written:.2f} s "
          f"(target < {TARGET_BYTES / 1e6:.0f} MB: {'met' if met_size else 'MISSED'})")
    print(f"report open, loaded and painted (median of {args.repeats}): {open_ms_:.0f} ms "
          f"[{min(settled):.0f}-{max(settled):.0f}] "
          f"(target < {TARGET_SECONDS * 1000:.0f} ms: {'met' if met_time else 'MISSED'})")
    print(f"  of which script ready (pg-ready mark, median): {statistics.median(ready):.0f} ms")
    print(f"baseline static page of the same size, loaded and painted (median): {base_ms:.0f} ms "
          f"[{min(base):.0f}-{max(base):.0f}]")
    print(f"ratio report / baseline: {open_ms_ / base_ms:.2f}")
    return 0 if met_size and met_time else 1


if __name__ == "__main__":
    sys.exit(main())
