"""phraseguard lexicon train-meaning: a QA team's own labelled turns become a model."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from phraseguard.cli import cli
from tests.engine.labelled import rows, write_labels


def _run(args: list[str]):
    return CliRunner().invoke(cli, ["lexicon", "train-meaning", "--no-config", *args])


# Give-ups said with 歇菜, a word no rule lists: only a model trained on them reads it.
ROWS = rows("歇菜")


def _labels(tmp_path: Path, table=ROWS) -> Path:
    return write_labels(tmp_path / "labels.tsv", table)


def test_a_trained_model_is_used_by_the_lexicon_that_names_it(tmp_path):
    benign = tmp_path / "ordinary.txt"
    benign.write_text("好的亲\n您稍等\n", "utf-8")
    result = _run([str(_labels(tmp_path)), "--benign", str(benign), "-o",
                   str(tmp_path / "ours.npz")])
    assert result.exit_code == 0, result.output
    assert "classes disclaim-knowledge, give-up" in result.stderr
    lex = tmp_path / "ours.toml"
    lex.write_text('[lexicon]\nextends = "default"\n[meaning]\nmodel = "ours.npz"\n'
                   "min_confidence = 0.5\n", "utf-8")
    script = tmp_path / "s.txt"
    script.write_text("唉，这回彻底歇菜\n", "utf-8")  # no rule lists 歇菜: only the model reads it
    out = CliRunner().invoke(cli, ["lint", "-q", "--no-config", "--meaning", "--lexicon",
                                   str(lex), "--format", "json", str(script)])
    findings = json.loads(out.stdout)
    assert [f["rule_id"] for f in findings] == ["give-up"]


def test_a_file_without_the_columns_is_an_error_naming_it(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some lines\n", "utf-8")
    result = _run([str(bad), "-o", str(tmp_path / "m.npz")])
    assert result.exit_code == 2
    assert f"{bad}: expected tab-separated columns" in result.stderr
    assert not (tmp_path / "m.npz").exists()


def test_a_bad_label_or_category_names_the_file_and_line(tmp_path):
    path = _labels(tmp_path, [*ROWS, ("x", "y", "", "severe", "giving_up")])
    result = _run([str(path), "-o", str(tmp_path / "m.npz")])
    assert result.exit_code == 2 and f"{path}:11: label 'severe'" in result.stderr
    path = _labels(tmp_path, [*ROWS, ("x", "y", "", "major", "rude")])
    result = _run([str(path), "-o", str(tmp_path / "m.npz")])
    assert result.exit_code == 2 and f"{path}:11: category 'rude'" in result.stderr


def test_an_output_in_a_missing_folder_is_an_error_naming_it(tmp_path):
    out = tmp_path / "no" / "m.npz"
    result = _run([str(_labels(tmp_path)), "-o", str(out)])
    assert result.exit_code == 2 and f"{out}: cannot write the model" in result.stderr
