"""Lint throughput on real agent text, against a raw Aho-Corasick scan.

    python bench/bench_lint.py [--repeat 5]

Lints every agent utterance of ../shared/corpus (about 46,000 lines) as one
text file through the real front door (decoding, normalising, candidate
search, verification, context rules, word boundaries), and times a plain
pyahocorasick scan for the lexicon's literal phrases over the same text in
the same run. Prints medians in MB/s (UTF-8 bytes) and the ratio. One
process, one core. The target is >= 10 MB/s for full matching.

Also times a cold ``phraseguard lint`` of a one-page script (a fresh
process each time; target <= 1 s).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SCRIPT = ROOT / "examples" / "scripts" / "refund_script.txt"


def agent_text() -> str:
    lines = []
    for f in sorted(CORPUS.glob("*.jsonl")):
        with f.open(encoding="utf-8") as fp:
            for line in fp:
                d = json.loads(line)
                if d["role"] == "agent":
                    lines.append(d["text"].replace("\n", " "))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}; nothing to measure")
        return 0
    sys.path.insert(0, str(ROOT))
    import ahocorasick

    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.lint.linter import LintOptions, lint_file

    text = agent_text()
    data = text.encode("utf-8")
    mb = len(data) / 1e6
    lexicon = load_lexicon()
    matcher = Matcher(lexicon)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "agent_lines.txt"
        path.write_bytes(data)

        full: list[float] = []
        findings = 0
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = lint_file(str(path), matcher, LintOptions())
            full.append(time.perf_counter() - t)
            findings = len(result.findings)

        automaton = ahocorasick.Automaton()
        for rule in lexicon.rules:
            for phrase in rule.phrases:
                automaton.add_word(phrase, rule.id)
        automaton.make_automaton()
        raw: list[float] = []
        raw_hits = 0
        for _ in range(args.repeat):
            t = time.perf_counter()
            decoded = path.read_bytes().decode("utf-8")
            raw_hits = sum(1 for _ in automaton.iter(decoded))
            raw.append(time.perf_counter() - t)

        cold: list[float] = []
        if SCRIPT.exists():
            for _ in range(args.repeat):
                t = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "phraseguard", "lint", "-q", str(SCRIPT)],
                    cwd=ROOT,
                    capture_output=True,
                    check=False,
                )
                cold.append(time.perf_counter() - t)

    f_med, r_med = statistics.median(full), statistics.median(raw)
    print(f"agent text: {text.count(chr(10)):,} lines, {mb:.1f} MB")
    print(
        f"phraseguard lint (full matching): {mb / f_med:7.1f} MB/s  median {f_med:.3f} s, "
        f"{findings} findings (target >= 10 MB/s)"
    )
    print(
        f"raw Aho-Corasick (phrases only):  {mb / r_med:7.1f} MB/s  median {r_med:.3f} s, "
        f"{raw_hits} substring hits"
    )
    print(f"ratio full/raw speed: {r_med / f_med:.2f}")
    if cold:
        print(
            f"cold 'phraseguard lint' of a one-page script: median {statistics.median(cold):.2f} s "
            f"(target <= 1 s; runs: {', '.join(f'{c:.2f}' for c in cold)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
