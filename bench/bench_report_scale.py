"""Reports over a month of a 200-agent centre: 200,000 stored calls.

    python bench/bench_report_scale.py [--calls 200000] [--utterances 16] [--repeats 5]
                                       [--store PATH]

Builds a results store of ``--calls`` calls (``tests/report/synthetic_store.py``:
200 agents in 20 teams over 30 days, timed transcripts, hits of the default
lexicon's rules; direct ``executemany`` inserts, about two minutes here) or
reuses ``--store PATH`` when that file exists (it is built there otherwise,
and kept). Then measures, in one run:

- the text summary, ``phraseguard report --db STORE`` as a user runs it
  (median wall time, target < 2 s), against the same CLI's start-up alone
  (``phraseguard --version``) as the baseline;
- writing ``report --html`` (a page and its folder of transcripts): time, the
  page's size (target < 20 MB) and the whole folder's;
- opening the page from disk in headless Chromium (loaded and painted, and
  the script's ``pg-ready`` mark; target < 2 s), against a plain static page
  of the same size (text paragraphs, no script) as the baseline;
- opening one call: from the click until its transcript, loaded from its
  shard file, is drawn (the page's ``pg-call-N`` mark), each time on a
  freshly loaded page so the shard is not cached.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "report"))
sys.path.insert(0, str(REPO / "bench"))

from bench_report import baseline_page, open_ms  # noqa: E402
from browser_driver import chromium_missing, launch_chromium  # noqa: E402
from synthetic_store import bulk_store  # noqa: E402

from phraseguard.calls.store import Store  # noqa: E402
from phraseguard.report.html import HtmlWriter  # noqa: E402
from phraseguard.report.html_files import files_folder  # noqa: E402
from phraseguard.report.results import load_results  # noqa: E402

TARGET_SUMMARY_S = 2.0
TARGET_PAGE_BYTES = 20_000_000
TARGET_OPEN_MS = 2000.0

# Open the first call on the page; resolves with ms from the click until its
# transcript is drawn (the page marks pg-call-<index> then).
_OPEN_CALL = """
const done = arguments[arguments.length - 1];
const item = document.querySelector('details.call');
const mark = 'pg-call-' + item.dataset.call;
const t0 = performance.now();
item.querySelector('summary').click();
(function poll() {
  const m = performance.getEntriesByName(mark);
  if (m.length && item.querySelector('.call-body')) return done(m[0].startTime - t0);
  setTimeout(poll, 2);
})();
"""


def _cli(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "phraseguard", *args], check=True,
                   stdout=subprocess.DEVNULL, cwd=REPO)  # fmt: skip
    return time.perf_counter() - started


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--utterances", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--store", type=Path, help="reuse (or build and keep) this store")
    args = parser.parse_args(argv)
    reason = chromium_missing()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="pg-bench-scale-") as tmp:
        root = Path(tmp)
        db = args.store or root / "month.db"
        if db.exists():
            print(f"store: reusing {db}")
        else:
            started = time.perf_counter()
            bulk_store(db, calls=args.calls, utterances=args.utterances)
            print(f"store: {args.calls} calls x {args.utterances} utterances built in "
                  f"{time.perf_counter() - started:.0f} s ({db.stat().st_size / 1e6:.0f} MB)")
        with Store.open(db, create=False) as store:
            calls = sum(store.count_calls().values())

        _cli(["report", "--db", str(db), "--no-config"])  # warm the file cache
        summary = [_cli(["report", "--db", str(db), "--no-config"]) for _ in range(args.repeats)]
        startup = [_cli(["--version"]) for _ in range(args.repeats)]

        started = time.perf_counter()
        with Store.open(db, create=False) as store:
            results = load_results(store)
        page = root / "out" / "month.html"
        page.parent.mkdir()
        HtmlWriter().write_path(results, page)
        written = time.perf_counter() - started
        page_bytes = page.stat().st_size
        folder_bytes = _size(files_folder(page))
        shard_files = sum(1 for _ in files_folder(page).rglob("*.js"))
        baseline = baseline_page(root / "baseline.html", page_bytes)

        driver = launch_chromium(root / "profile")
        driver.set_script_timeout(60)
        try:
            open_ms(driver, page, report=True)  # warm-up: first start of the renderer
            runs, opened = [], []
            for _ in range(args.repeats):
                runs.append(open_ms(driver, page, report=True))
                opened.append(float(driver.execute_async_script(_OPEN_CALL)))
            base = [open_ms(driver, baseline, report=False)[0] for _ in range(args.repeats)]
        finally:
            driver.quit()

    med = statistics.median
    settled = [r[0] for r in runs]
    ready = [r[1] for r in runs if r[1] is not None]
    ok = {
        "summary": med(summary) < TARGET_SUMMARY_S,
        "size": page_bytes < TARGET_PAGE_BYTES,
        "open": med(settled) < TARGET_OPEN_MS,
    }

    def verdict(key: str) -> str:
        return "met" if ok[key] else "MISSED"

    print(f"calls in the store: {calls}")
    print(f"text summary, phraseguard report (median of {args.repeats}): {med(summary):.2f} s "
          f"[{min(summary):.2f}-{max(summary):.2f}] (target < {TARGET_SUMMARY_S:.0f} s: "
          f"{verdict('summary')})")
    print(f"  baseline, the CLI's start-up alone (phraseguard --version): {med(startup):.2f} s; "
          f"the summary's own work: {med(summary) - med(startup):.2f} s")
    print(f"HTML report written in {written:.1f} s: page {page_bytes / 1e6:.2f} MB "
          f"(target < {TARGET_PAGE_BYTES / 1e6:.0f} MB: {verdict('size')}), folder "
          f"{folder_bytes / 1e6:.0f} MB in {shard_files} transcript files "
          f"({(page_bytes + folder_bytes) / 1e6:.0f} MB in all)")
    print(f"page open, loaded and painted (median of {args.repeats}): {med(settled):.0f} ms "
          f"[{min(settled):.0f}-{max(settled):.0f}] (target < {TARGET_OPEN_MS:.0f} ms: "
          f"{verdict('open')}); script ready (pg-ready): {med(ready):.0f} ms")
    print(f"  baseline, a plain static page of the same size: {med(base):.0f} ms "
          f"[{min(base):.0f}-{max(base):.0f}]; ratio report / baseline: "
          f"{med(settled) / med(base):.2f}")
    print(f"opening a call, click to its transcript drawn from its shard file (median): "
          f"{med(opened):.0f} ms [{min(opened):.0f}-{max(opened):.0f}]")
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
