"""phraseguard lexicon evaluate: a lexicon measured on a QA team's labelled turns."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from phraseguard.cli import cli
from tests.engine.labelled import write_labels

# One of each outcome for the rules alone, at major: a listed phrase caught,
# a violation said in words no rule lists (missed), a harmless 没关系 left
# alone, a minor limit (a positive at minor only), and a give-up the next
# turn rescues (benign in the dialogue; flagged if read alone).
ROWS = [
    ("我的快递怎么还没到", "这个我们不管的", "", "major", "responsibility"),
    ("能便宜点吗", "嗯嗯好的亲", "", "major", "brush_off"),
    ("退款到了吗", "没关系的，我帮您处理", "", "benign", "none"),
    ("能改地址吗", "这个没办法修改", "", "minor", "limit"),
    ("东西坏了", "这个确实没办法解决", "我帮您申请换货，今天就给您寄", "benign", "none"),
]


def _run(tmp_path: Path, *args: str, table=ROWS):
    labels = write_labels(tmp_path / "held.tsv", table)
    return CliRunner().invoke(cli, ["lexicon", "evaluate", "--no-config", str(labels), *args])


def test_counts_caught_missed_and_false_alarms_at_major_and_minor(tmp_path) -> None:
    result = _run(tmp_path, "--no-meaning", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["turns"] == 5 and out["labels"] == {"major": 2, "minor": 1, "benign": 2}
    assert out["meaning"] is False
    assert out["results"]["major"] == {"precision": 1.0, "recall": 0.5, "caught": 1,
                                       "false_alarms": 0, "missed": 1, "silent": 3}
    # At minor the bare limit is a positive too, and it is caught.
    assert out["results"]["minor"]["caught"] == 2
    assert out["results"]["minor"]["missed"] == 1


def test_errors_name_the_file_line_and_what_went_wrong(tmp_path) -> None:
    result = _run(tmp_path, "--no-meaning", "--errors")
    assert result.exit_code == 0, result.output
    assert "judged wrongly at major (1):" in result.stdout
    assert "held.tsv:3: missed major (brush_off): 嗯嗯好的亲" in result.stdout


def test_a_false_alarm_lists_the_hit_that_fired(tmp_path) -> None:
    table = [("能退吗", "这个我们不管的", "", "benign", "none")]
    result = _run(tmp_path, "--no-meaning", "--errors", table=table)
    assert "held.tsv:2: false alarm (benign): 这个我们不管的  <- disclaim-responsibility" \
        in result.stdout


def test_min_recall_fails_the_run_below_it(tmp_path) -> None:
    assert _run(tmp_path, "--no-meaning", "--min-recall", "0.4").exit_code == 0
    result = _run(tmp_path, "--no-meaning", "--min-recall", "0.9")
    assert result.exit_code == 1
    assert "below --min-precision / --min-recall" in result.stderr


def test_the_lexicons_meaning_model_is_used_unless_told_not_to(tmp_path) -> None:
    with_model = json.loads(_run(tmp_path, "--format", "json").stdout)
    assert with_model["meaning"] is True and "meaning model" in with_model["judged_by"]
    alone = json.loads(_run(tmp_path, "--no-meaning", "--format", "json").stdout)
    assert alone["judged_by"].endswith("rules alone")


def test_a_bad_label_is_a_one_line_error_with_file_and_line(tmp_path) -> None:
    table = [("x", "你好", "", "maybe", "")]
    result = _run(tmp_path, table=table)
    assert result.exit_code == 2
    assert "held.tsv:2: label 'maybe' is not one of major, minor, benign" in result.output
