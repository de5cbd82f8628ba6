"""``phraseguard lint`` through CliRunner: exact output, exit codes, formats, config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from phraseguard.cli import cli, main

KNOW = ("major disclaim-knowledge: Disclaims knowledge of what the customer asked instead of "
        "finding out")
RESP = "critical disclaim-responsibility: Disclaims responsibility: the customer hears 'not our problem'"
KNOW_TIP = "→ 我帮您确认一下，请稍等"
RESP_TIP = "→ 这个问题我来帮您跟进，我帮您转给负责的同事"
# Every finding ends with why it counted.
EXCUSE = "nothing in this turn excuses it"
KNOW_WHY = f"[why: listed phrase 「不知道」; {EXCUSE}; nothing offered in this or the agent's next turn]"
# (the script's next line does not take it on: eighteenth session, disclaim-responsibility
# reads the next turn too)
RESP_WHY = f"[why: listed phrase 「跟我们没关系」; {EXCUSE}; nothing offered in this or the agent's next turn]"

SCRIPT = (
    "您好，请问有什么可以帮您？\n"
    "这个退款什么时候到账，小妹也不知道呢。\n"
    "不知道您还有其他问题吗？\n"
    "银行那边的事跟我们没关系。\n"
    "培训：不要说“不清楚”。 phraseguard: ignore\n"
)


def _run(args: list[str], input: str | bytes | None = None, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, args, input=input, catch_exceptions=False)
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(cli, args, input=input, catch_exceptions=False)


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "script.txt"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.txt"
    path.write_text("您好，请问有什么可以帮您？\n没关系哦\n", encoding="utf-8")
    return path


def test_text_output_lines_are_exact(script: Path) -> None:
    result = _run(["lint", "--no-config", str(script)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{script}:2:15: {KNOW} 「不知道」 {KNOW_TIP}  {KNOW_WHY}",
        f"{script}:4:7: {RESP} 「跟我们没关系」 {RESP_TIP}  {RESP_WHY}",
    ]
    assert "2 findings (1 critical, 1 major) in 1 file" in result.stderr


def test_homophone_is_reported_with_kind_and_confidence(tmp_path: Path) -> None:
    path = tmp_path / "asr.txt"
    path.write_text("我布知道\n", encoding="utf-8")
    result = _run(["lint", "--no-config", str(path)])
    assert result.stdout.splitlines() == [
        f"{path}:1:2: {KNOW} 「布知道」 (homophone 0.85) {KNOW_TIP}  [why: homophone match of "
        f"「不知道」; {EXCUSE}; nothing offered in this turn, and no next agent turn]"]


def test_clean_file_exits_0(clean: Path) -> None:
    result = _run(["lint", "--no-config", str(clean)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no findings in 1 file" in result.stderr


def test_quiet_drops_the_summary(clean: Path) -> None:
    result = _run(["lint", "--no-config", "-q", str(clean)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_missing_file_exits_2_and_other_files_are_linted(script: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = _run(["lint", "--no-config", str(missing), str(script)])
    assert result.exit_code == 2
    assert f"{missing}: error: no such file or directory" in result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_binary_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00\x01\x02\x03")
    result = _run(["lint", "--no-config", str(path)])
    assert result.exit_code == 2
    assert "binary" in result.stderr


def test_broken_lexicon_exits_2(tmp_path: Path, clean: Path) -> None:
    lex = tmp_path / "bad.toml"
    lex.write_text('[[rule]]\nid = "x"\nseverity = "awful"\n', encoding="utf-8")
    result = _run(["lint", "--no-config", "--lexicon", str(lex), str(clean)])
    assert result.exit_code == 2
    assert "Error:" in result.stderr and "awful" in result.stderr


def test_main_returns_the_exit_code(script: Path, clean: Path, tmp_path: Path, capsys) -> None:
    assert main(["lint", "--no-config", str(clean)]) == 0
    assert main(["lint", "--no-config", str(script)]) == 1
    assert main(["lint", "--no-config", str(tmp_path / "nope.txt")]) == 2
    assert main(["lint", "--no-config", "--format", "yaml", str(clean)]) == 2
    capsys.readouterr()


def test_fail_on_never_exits_0(script: Path) -> None:
    result = _run(["lint", "--no-config", "--fail-on", "never", str(script)])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


def test_fail_on_critical_ignores_major(tmp_path: Path) -> None:
    path = tmp_path / "major.txt"
    path.write_text("我不知道\n", encoding="utf-8")
    result = _run(["lint", "--no-config", "--fail-on", "critical", str(path)])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1


def test_min_severity_critical_filters(script: Path) -> None:
    result = _run(["lint", "--no-config", "--min-severity", "critical", str(script)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{script}:4:7: {RESP} 「跟我们没关系」 {RESP_TIP}  {RESP_WHY}"]


def test_json_format(script: Path) -> None:
    result = _run(["lint", "--no-config", "--format", "json", str(script)])
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [(i["line"], i["column"], i["end_column"], i["rule_id"]) for i in items] == [
        (2, 15, 18, "disclaim-knowledge"), (4, 7, 13, "disclaim-responsibility")]
    first = items[0]
    for key in ("path", "line", "column", "end_column", "rule_id", "severity", "message",
                "matched", "kind", "confidence", "suggestions"):
        assert key in first
    assert first["path"] == str(script)
    assert first["severity"] == "major"
    assert first["matched"] == "不知道"
    assert first["kind"] == "exact"
    assert first["confidence"] == 1.0
    assert first["suggestions"][0] == "我帮您确认一下，请稍等"


def test_json_format_clean_is_an_empty_list(clean: Path) -> None:
    result = _run(["lint", "--no-config", "-f", "json", str(clean)])
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_sarif_format(script: Path, tmp_path: Path) -> None:
    missing = tmp_path / "gone.txt"
    result = _run(["lint", "--no-config", "--format", "sarif", str(script), str(missing)])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["version"] == "2.1.0"
    [run] = doc["runs"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert {"disclaim-knowledge", "disclaim-responsibility", "give-up", "whatever"} <= set(
        rule_ids)
    regions = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"])
               for r in run["results"]]
    assert [(rid, reg["startLine"], reg["startColumn"], reg["endColumn"])
            for rid, reg in regions] == [("disclaim-knowledge", 2, 15, 18),
                                        ("disclaim-responsibility", 4, 7, 13)]
    for r in run["results"]:
        assert rule_ids[r["ruleIndex"]] == r["ruleId"]
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert str(missing) in note["message"]["text"]
    assert run["invocations"][0]["executionSuccessful"] is False


def test_stdin(tmp_path: Path) -> None:
    result = _run(["lint", "--no-config", "-"], input="好的\n这个我们不管\n".encode())
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:2:3: critical disclaim-responsibility:")


def test_stdin_gb18030(tmp_path: Path) -> None:
    result = _run(["lint", "--no-config", "-f", "json", "-"],
                  input="这个我们不管\n".encode("gb18030"))
    assert [i["matched"] for i in json.loads(result.stdout)] == ["我们不管"]


def test_output_file(script: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = _run(["lint", "--no-config", "-f", "json", "-o", str(out), str(script)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 2


def test_folder_is_linted_recursively(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("我们不管\n", encoding="utf-8")
    (tmp_path / "a" / "two.md").write_text("随便你\n", encoding="utf-8")
    (tmp_path / "a" / "three.bin").write_bytes(b"\x00")
    result = _run(["lint", "--no-config", "-f", "json", str(tmp_path / "a")])
    assert result.exit_code == 1
    assert [Path(i["path"]).name for i in json.loads(result.stdout)] == ["one.txt", "two.md"]


def test_config_file_is_found_upward_from_the_current_folder(tmp_path: Path,
                                                            monkeypatch) -> None:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    (repo / "phraseguard.toml").write_text(
        'min_severity = "critical"\nformat = "json"\n', encoding="utf-8")
    (repo / "scripts" / "s.txt").write_text("我不知道\n这个我们不管\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # above the project: its settings are not found from here
    assert len(_run(["lint", str(repo / "scripts" / "s.txt")]).stdout.splitlines()) == 2
    monkeypatch.chdir(repo / "scripts")  # inside it: found upward
    result = _run(["lint", str(repo / "scripts" / "s.txt")])
    assert result.exit_code == 1
    assert [i["rule_id"] for i in json.loads(result.stdout)] == ["disclaim-responsibility"]
    ignored = _run(["lint", "--no-config", str(repo / "scripts" / "s.txt")])
    assert len(ignored.stdout.splitlines()) == 2


def test_config_lexicon_relative_to_the_config_file(tmp_path: Path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    (repo / "qa").mkdir(parents=True)
    (repo / "qa" / "words.toml").write_text(
        '[lexicon]\nextends = "default"\n\n[[rule]]\nid = "refuse"\ncategory = "shirking"\n'
        'severity = "major"\nmessage = "Refuses"\nsuggestions = ["我帮您看看"]\n'
        'phrases = ["不给办"]\n', encoding="utf-8")
    (repo / "phraseguard.toml").write_text('lexicon = "qa/words.toml"\n', encoding="utf-8")
    (repo / "s.txt").write_text("这个不给办\n", encoding="utf-8")
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    result = _run(["lint", "-f", "json", str(repo / "s.txt")])
    assert [i["rule_id"] for i in json.loads(result.stdout)] == ["refuse"]


def test_explicit_config_option(tmp_path: Path, script: Path) -> None:
    cfg = tmp_path / "settings.toml"
    cfg.write_text('fail_on = "never"\n', encoding="utf-8")
    assert _run(["lint", "--config", str(cfg), str(script)]).exit_code == 0


def test_broken_config_exits_2(tmp_path: Path, clean: Path) -> None:
    cfg = tmp_path / "settings.toml"
    cfg.write_text("colour = 1\n", encoding="utf-8")
    result = _run(["lint", "--config", str(cfg), str(clean)])
    assert result.exit_code == 2
    assert str(cfg) in result.stderr


def test_unwritable_output_exits_2_with_a_one_line_error(script: Path, tmp_path: Path) -> None:
    result = _run(["lint", "-o", str(tmp_path / "no-such-folder" / "out.json"), str(script)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("Error: ")
    assert "no-such-folder" in result.output and "Traceback" not in result.output
