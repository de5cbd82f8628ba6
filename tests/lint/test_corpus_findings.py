"""The corpus findings are pinned: a faster scan must find exactly the same.

Every agent line of ``../shared/corpus`` is linted as one text file with a
frozen copy of the default lexicon (``tests/data/corpus_pin_lexicon.toml``,
so rule edits in ``lexicons/default.toml`` do not move the pin; the pin is
about the engine). The findings (line, columns, rule, phrase, kind,
confidence, matched text) are hashed and compared with the committed digest
in ``tests/data/corpus_findings.json``; the per-rule counts there make a
failure readable. The corpus itself is never copied into the repository.

After an intended change in what the engine finds, regenerate with
``PYTHONPATH=. python tests/lint/test_corpus_findings.py --update`` and say
why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PIN = REPO / "tests" / "data" / "corpus_findings.json"
LEXICON = REPO / "tests" / "data" / "corpus_pin_lexicon.toml"


def find_corpus() -> Path | None:
    """``shared/corpus`` beside the checkout or beside a folder above it (worktrees)."""
    for folder in REPO.parents:
        if (folder / "shared" / "corpus").is_dir():
            return folder / "shared" / "corpus"
    return None


def agent_text(corpus: Path) -> str:
    """Every agent utterance, one a line, files in name order (as bench/bench_lint.py)."""
    lines = []
    for f in sorted(corpus.glob("*.jsonl")):
        with f.open(encoding="utf-8") as fp:
            for line in fp:
                d = json.loads(line)
                if d["role"] == "agent":
                    lines.append(d["text"].replace("\n", " "))
    return "\n".join(lines) + "\n"


def corpus_findings(corpus: Path) -> dict:
    """Digest, count and per-rule counts of the lint findings over the corpus."""
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.lint.linter import LintOptions, lint_file

    matcher = Matcher(load_lexicon(LEXICON))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "agent_lines.txt"
        path.write_text(agent_text(corpus), encoding="utf-8")
        result = lint_file(str(path), matcher, LintOptions())
    assert result.error is None, result.error
    rows = [f"{f.line}:{f.column}:{f.end_column}:{f.hit.rule_id}:{f.hit.phrase}:"
            f"{f.hit.kind.value}:{f.hit.confidence}:{f.hit.matched}" for f in result.findings]
    return {
        "findings": len(rows),
        "lines": result.lines,
        "by_rule": dict(sorted(Counter(f.hit.rule_id for f in result.findings).items())),
        "by_kind": dict(sorted(Counter(f.hit.kind.value for f in result.findings).items())),
        "sha256": hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest(),
    }


@pytest.mark.corpus
def test_corpus_findings_are_unchanged() -> None:
    corpus = find_corpus()
    if corpus is None:
        pytest.skip("corpus absent: no shared/corpus beside the checkout")
    pinned = json.loads(PIN.read_text(encoding="utf-8"))
    got = corpus_findings(corpus)
    # Counts first: a difference there says which rule moved.
    assert {k: got[k] for k in ("findings", "lines", "by_rule", "by_kind")} == \
        {k: pinned[k] for k in ("findings", "lines", "by_rule", "by_kind")}
    assert got["sha256"] == pinned["sha256"]


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: PYTHONPATH=. python tests/lint/test_corpus_findings.py --update")
    found = find_corpus()
    if found is None:
        sys.exit("no shared/corpus beside the checkout")
    PIN.write_text(json.dumps(corpus_findings(found), ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    print(f"wrote {PIN}")
