"""Lint speed, memory and start-up, each against a baseline measured in the same run.

    python bench/bench_lint.py [--repeat 5] [--copies 8] [--wheel]

1. **Throughput.** Every agent utterance of ../shared/corpus (46,117 lines,
   3.2 MB), repeated ``--copies`` times (8: 25.8 MB, the size issue #10
   measured), is linted as one text file through the real front door
   (decoding, normalising, candidate search, verification, context rules,
   word boundaries). A plain pyahocorasick scan of the lexicon's literal
   phrases over the same file (read, decode, scan) is timed in the same run.
   Prints medians in MB/s (UTF-8 bytes) and the ratio; target: lint within
   4x of the raw scan, on one core.
2. **Peak memory** of a fresh process linting that file (VmHWM from /proc,
   reset after start-up; target <= 200 MB).
3. **Start-up.** A ``phraseguard lint`` of a one-page script in a fresh
   process: with an empty cache folder each time (the first run after
   install) and with a warm one. Medians; targets <= 0.5 s and <= 0.25 s,
   against ``python -c pass`` as the floor. With ``--wheel`` the package is
   built as a wheel and installed into a throw-away venv first, so the
   first run is measured as a user gets it (the wheel ships the prebuilt
   tables and the default lexicon compiled; the first run only writes the
   parsed lexicon, see engine/lexicon_cache.py); without it, the checkout
   is measured (its first run with an empty cache builds the tables).

Both parts run with one command; on a shared machine, read the ratios (each
against its baseline from the same run) rather than the absolute times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "scripts" / "refund_script.txt"


def _find_corpus() -> Path:
    """``shared/corpus`` beside the checkout, or beside any folder above it (worktrees)."""
    for folder in ROOT.parents:
        if (folder / "shared" / "corpus").is_dir():
            return folder / "shared" / "corpus"
    return ROOT.parent / "shared" / "corpus"


CORPUS = _find_corpus()

_PEAK = textwrap.dedent("""\
    import sys
    def peak_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.lint.linter import LintOptions, lint_file
    import numpy  # imported by the first large block anyway
    matcher = Matcher(load_lexicon())
    with open("/proc/self/clear_refs", "w") as fp:
        fp.write("5")  # reset the high-water mark
    start = peak_mb()
    result = lint_file(sys.argv[1], matcher, LintOptions())
    print(start, peak_mb(), len(result.findings))
    """)


def agent_text() -> str:
    lines = []
    for f in sorted(CORPUS.glob("*.jsonl")):
        with f.open(encoding="utf-8") as fp:
            for line in fp:
                d = json.loads(line)
                if d["role"] == "agent":
                    lines.append(d["text"].replace("\n", " "))
    return "\n".join(lines) + "\n"


def _timed(cmd: list[str], *, env: dict[str, str], cwd: Path) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.decode()[-500:]}")
    return elapsed


def _wheel_python(tmp: Path, env: dict[str, str]) -> Path:
    """Build the wheel, install it into a venv that sees the machine's packages.

    The build (isolated, as pip does it for users) takes the newest jieba
    and pypinyin from the registry; when the machine has other versions the
    wheel still works, but its first run rebuilds the tables, and the
    figures say which tables it built.
    """
    dist = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist),
                    str(ROOT)], check=True, env=env)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, env=env)
    py = venv / "bin" / "python"
    wheel = next(dist.glob("phraseguard-*.whl"))
    # --force-reinstall: the machine's editable install has the same version.
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall",
                    str(wheel)], check=True, env=env)
    where = subprocess.run([str(py), "-c", "import phraseguard; print(phraseguard.__file__)"],
                           cwd=tmp, env=env, capture_output=True, text=True, check=True)
    if not where.stdout.startswith(str(venv)):
        raise SystemExit(f"the venv imports {where.stdout.strip()}, not the wheel")
    return py


def startup(repeat: int, wheel: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        # Bytecode is written as an installed package has it (pip compiles
        # at install); only the table cache starts empty.
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
        if wheel:
            py, cwd = str(_wheel_python(tmp, env)), tmp  # not the checkout: the installed copy
        else:
            py, cwd = sys.executable, ROOT
            env["PYTHONPATH"] = str(ROOT)
        floor = [_timed([py, "-c", "pass"], env=env, cwd=cwd) for _ in range(repeat)]
        lint = [py, "-m", "phraseguard", "lint", "-q", str(SCRIPT)]
        env["PHRASEGUARD_CACHE"] = str(tmp / "bytecode-run")
        _timed(lint, env=env, cwd=cwd)
        first = []
        for i in range(repeat):
            env["PHRASEGUARD_CACHE"] = str(tmp / f"empty-{i}")
            first.append(_timed(lint, env=env, cwd=cwd))
        built = sorted(p.name for p in (tmp / "empty-0").glob("*")) or ["none"]
        env["PHRASEGUARD_CACHE"] = str(tmp / "warm")
        _timed(lint, env=env, cwd=cwd)
        warm = [_timed(lint, env=env, cwd=cwd) for _ in range(repeat)]
    where = "installed wheel" if wheel else "checkout"
    base, cold, later = (statistics.median(x) for x in (floor, first, warm))
    print(f"start-up ({where}), 'phraseguard lint' of a one-page script, medians of {repeat}:")
    print(f"  python -c pass (floor):       {base:.3f} s")
    print(f"  first run, empty cache:        {cold:.3f} s = {cold / base:.1f}x the floor "
          f"(target <= 0.5 s; what it wrote to the cache: {', '.join(built)})")
    print(f"  later runs, warm cache:        {later:.3f} s = {later / base:.1f}x the floor "
          f"(target <= 0.25 s)")


def throughput(repeat: int, copies: int) -> None:
    sys.path.insert(0, str(ROOT))
    import ahocorasick

    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.lint.linter import LintOptions, lint_file

    text = agent_text() * copies
    data = text.encode("utf-8")
    mb = len(data) / 1e6
    lexicon = load_lexicon()
    matcher = Matcher(lexicon)
    automaton = ahocorasick.Automaton()
    for rule in lexicon.rules:
        for phrase in rule.phrases:
            automaton.add_word(phrase, rule.id)
    automaton.make_automaton()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "agent_lines.txt"
        path.write_bytes(data)
        del data
        full: list[float] = []
        raw: list[float] = []
        findings = raw_hits = 0
        # Interleaved, so both see the same machine load.
        for _ in range(repeat):
            t = time.perf_counter()
            result = lint_file(str(path), matcher, LintOptions())
            full.append(time.perf_counter() - t)
            findings = len(result.findings)
            t = time.perf_counter()
            decoded = path.read_bytes().decode("utf-8")
            raw_hits = sum(1 for _ in automaton.iter(decoded))
            raw.append(time.perf_counter() - t)
            del decoded
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        proc = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True,
                              text=True, env=env, check=True)
        start_mb, peak_mb, peak_findings = map(int, proc.stdout.split())
    f_med, r_med = statistics.median(full), statistics.median(raw)
    print(f"agent text x{copies}: {text.count(chr(10)):,} lines, {mb:.1f} MB")
    print(f"phraseguard lint (full matching): {mb / f_med:7.1f} MB/s  median {f_med:.3f} s, "
          f"{findings} findings")
    print(f"raw Aho-Corasick (phrases only):  {mb / r_med:7.1f} MB/s  median {r_med:.3f} s, "
          f"{raw_hits} substring hits")
    print(f"lint time / raw scan time: {f_med / r_med:.2f}x (target <= 4x)")
    print(f"peak memory linting it in a fresh process: {peak_mb} MB "
          f"({start_mb} MB before linting; {peak_findings} findings; target <= 200 MB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--wheel", action="store_true",
                        help="measure start-up from a freshly built and installed wheel")
    args = parser.parse_args()
    if CORPUS.is_dir():
        throughput(args.repeat, args.copies)
    else:
        print(f"no corpus at {CORPUS}; throughput and memory not measured")
    if SCRIPT.exists():
        startup(args.repeat, args.wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
