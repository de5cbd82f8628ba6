"""Patterns QA staff really write: hundreds of combinations work, loose ones are refused.

A pattern with hundreds of combinations of alternatives must work in lint
and score (it once crashed both with "too many combinations"); a run of
gaps must not make matching exponential (``不***************管`` took more
than 30 s on a 102-character line); whatever the matcher still cannot
match in linear time is refused at load and by ``lexicon check``, with the
file and line. The time bounds are pytest-timeout limits, not assertions on
measured times.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from phraseguard.cli import cli
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.errors import LexiconErrors

REPO = Path(__file__).resolve().parents[2]
NOT_OURS = ("{跟|和|与}{我们|我|咱们|这边|客服|我这边|我们这边|我们公司|公司}"
            "{没关系|无关|没有关系|没啥关系|不相干|没什么关系|扯不上关系|不相关}")


def _lexicon(tmp_path: Path, variant: str, *, name: str = "qa.toml") -> Path:
    path = tmp_path / name
    path.write_text(
        '[lexicon]\nname = "qa"\n\n'   # 1-2
        "[[rule]]\n"                    # 4
        'id = "not-ours"\n'
        'category = "shirking"\n'
        'severity = "critical"\n'
        'message = "Not our business"\n'
        'suggestions = ["我来帮您跟进"]\n'
        f"variants = [{variant!r}]\n",        # 10
        encoding="utf-8")
    return path


@pytest.mark.timeout(60)
def test_hundreds_of_combinations_work_in_the_matcher_and_lint(tmp_path: Path) -> None:
    lex = _lexicon(tmp_path, NOT_OURS)
    matcher = Matcher(load_lexicon(lex))
    hits = matcher.scan("这个跟我们公司没什么关系。")
    assert [(h.rule_id, h.matched) for h in hits] == [("not-ours", "跟我们公司没什么关系")]
    assert [h.rule_id for h in matcher.scan("这边和客服不相干的")] == ["not-ours"]
    assert matcher.scan("好的我帮您查一下") == []
    script = tmp_path / "script.txt"
    script.write_text("您好\n这事与这边无关\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", "--lexicon", str(lex), str(script)])
    assert result.exit_code == 1, result.output
    assert "script.txt:2:3:" in result.output and "not-ours" in result.output


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_hundreds_of_combinations_work_in_score(tmp_path: Path) -> None:
    transcript = tmp_path / "call.json"
    transcript.write_text(
        '{"utterances": [{"role": "agent", "text": "这个 跟 我们 没 什么 关系", '
        '"start": 0.0, "end": 2.0}]}', encoding="utf-8")
    lex = _lexicon(tmp_path, NOT_OURS)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, "-m", "phraseguard", "score", str(transcript), "--lexicon", str(lex),
         "--db", str(tmp_path / "r.db"), "--jobs", "1", "-q", "--mono-role", "agent"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert "died" not in proc.stdout + proc.stderr
    assert "not-ours" in proc.stdout, proc.stdout


@pytest.mark.timeout(20)
def test_a_run_of_gaps_matches_in_linear_time(tmp_path: Path) -> None:
    matcher = Matcher(load_lexicon(_lexicon(tmp_path, "不***************管")))
    line = "不" + "我" * 100 + "好"  # 102 characters, no 管: every way fails
    assert [h for h in matcher.scan(line) if h.rule_id == "not-ours"] == []
    long_line = ("不" + "我" * 100) * 200
    assert [h for h in matcher.scan(long_line) if h.rule_id == "not-ours"] == []
    assert [h.rule_id for h in matcher.scan("不" + "我" * 30 + "管")] == ["not-ours"]


@pytest.mark.parametrize("variant", ["不*99999管", "不*a*b*c*d*e*f*g管", "{去|}{来|}"])
def test_what_cannot_be_matched_in_linear_time_is_refused_with_path_and_line(
        tmp_path: Path, variant: str) -> None:
    lex = _lexicon(tmp_path, variant)
    with pytest.raises(LexiconErrors) as info:
        load_lexicon(lex)
    assert f"{lex}:10:" in str(info.value)
    result = CliRunner().invoke(cli, ["lexicon", "check", str(lex)])
    assert result.exit_code == 1
    assert f"{lex}:10:" in result.output
