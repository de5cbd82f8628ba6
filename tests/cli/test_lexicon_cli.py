"""``phraseguard lexicon check`` and ``lexicon show`` through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from phraseguard.cli import cli
from phraseguard.engine.lexicon import default_path


def _run(args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_check_default_exits_0() -> None:
    result = _run(["lexicon", "check", str(default_path())])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert ": ok (" in result.stderr


def test_check_prints_every_problem_as_path_line_message(tmp_path: Path) -> None:
    lex = tmp_path / "bad.toml"
    lex.write_text(
        "[matching]\n"                 # 1
        'max_gap = "x"\n'              # 2
        "\n"                           # 3
        "[[rule]]\n"                   # 4
        'id = "a"\n'                   # 5
        'category = "c"\n'             # 6
        'severity = "awful"\n'         # 7
        'message = "m"\n'              # 8
        'suggestions = ["s"]\n'        # 9
        'variants = ["*q"]\n',         # 10
        encoding="utf-8")
    result = _run(["lexicon", "check", str(lex)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    prefix = str(lex.resolve())
    assert [ln.split(": ", 1)[0] for ln in lines] == [f"{prefix}:2", f"{prefix}:7",
                                                      f"{prefix}:10"]
    assert "wrong type" in lines[0]
    assert "unknown severity" in lines[1]
    assert "gap" in lines[2]


def test_check_toml_syntax_error_has_its_line(tmp_path: Path) -> None:
    lex = tmp_path / "broken.toml"
    lex.write_text('[lexicon]\nname = "x"\nextends = \n', encoding="utf-8")
    result = _run(["lexicon", "check", str(lex)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{lex.resolve()}:3: TOML syntax")


def test_check_several_files_one_bad(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[lexicon]\nextends = "missing.toml"\n', encoding="utf-8")
    result = _run(["lexicon", "check", str(default_path()), str(bad)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{bad.resolve()}:2: extends 'missing.toml', which does not exist"]


def test_check_missing_file(tmp_path: Path) -> None:
    result = _run(["lexicon", "check", str(tmp_path / "absent.toml")])
    assert result.exit_code == 1
    assert "no such lexicon file" in result.stdout


def test_show_lists_every_rule(default_lexicon) -> None:
    result = _run(["lexicon", "show"])
    assert result.exit_code == 0
    assert result.stdout.startswith("lexicon default (default), ")
    listed = [ln.split("  [", 1)[0] for ln in result.stdout.splitlines()
              if ln and not ln.startswith(" ") and "  [" in ln]
    assert listed == [r.id for r in default_lexicon.rules]
    for r in default_lexicon.rules:
        assert r.suggestions[0] in result.stdout


def test_show_json(default_lexicon, tmp_path: Path) -> None:
    result = _run(["lexicon", "show", "--format", "json"])
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["rules"]] == [r.id for r in default_lexicon.rules]
    assert data["digest"] == default_lexicon.digest
    assert all(r["suggestions"] for r in data["rules"])


def test_show_of_an_extending_lexicon(tmp_path: Path) -> None:
    lex = tmp_path / "ours.toml"
    lex.write_text('[lexicon]\nname = "ours"\nextends = "default"\n\n'
                   '[[rule]]\nid = "whatever"\ndisabled = true\n', encoding="utf-8")
    result = _run(["lexicon", "show", "--lexicon", str(lex), "--format", "json"])
    ids = [r["id"] for r in json.loads(result.stdout)["rules"]]
    assert "whatever" not in ids and "give-up" in ids


def test_show_broken_lexicon_exits_2(tmp_path: Path) -> None:
    lex = tmp_path / "bad.toml"
    lex.write_text("[[rule]]\n", encoding="utf-8")
    result = _run(["lexicon", "show", "--lexicon", str(lex)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")


def test_show_says_whether_the_meaning_model_is_on(tmp_path: Path) -> None:
    on = _run(["lexicon", "show"]).stdout.splitlines()[1]
    assert on.startswith("meaning model: ") and "meaning-model.npz" in on and "0.7" in on
    off = tmp_path / "off.toml"
    off.write_text('[lexicon]\nextends = "default"\n[meaning]\nenabled = false\n', "utf-8")
    assert _run(["lexicon", "show", "--lexicon", str(off)]).stdout.splitlines()[1] == (
        "meaning model: off (the rules alone)")
    data = json.loads(_run(["lexicon", "show", "--lexicon", str(off), "--format", "json"]).stdout)
    assert data["meaning"]["enabled"] is False


def test_check_reports_a_missing_meaning_model_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[lexicon]\nextends = "default"\n[meaning]\nmodel = "gone.npz"\n', "utf-8")
    result = _run(["lexicon", "check", str(bad)])
    assert result.exit_code == 1
    assert result.stdout.strip() == f"{tmp_path / 'gone.npz'}: meaning model file not found"


def _lexicon_with(tmp_path: Path, variants: str, matching: str = "") -> Path:
    lex = tmp_path / "ours.toml"
    lex.write_text(
        '[lexicon]\nextends = "default"\n'   # 1-2
        f"{matching}\n"                      # 3
        "[[rule]]\n"                         # 4
        'id = "ours"\n'                      # 5
        'category = "give-up"\n'             # 6
        'severity = "major"\n'               # 7
        'message = "m {x|y}"\n'              # 8: prose, never a pattern
        'suggestions = ["s"]\n'              # 9
        f"variants = {variants}\n",          # 10
        encoding="utf-8")
    return lex


def test_check_warns_at_a_filler_written_as_an_alternative(tmp_path: Path) -> None:
    lex = _lexicon_with(tmp_path, '["没辙了{吧|嗯}", "真{的|}没辙"]')
    result = _run(["lexicon", "check", str(lex)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # One warning, at the filler's line; the empty choice of 真{的|}没辙 is meant.
    assert len(lines) == 1
    assert lines[0].startswith(f"{lex}:10: warning: alternative '嗯' in '没辙了{{吧|嗯}}' is a filler")
    strict = _run(["lexicon", "check", "--strict", str(lex)])
    assert strict.exit_code == 1
    assert strict.stdout == result.stdout


def test_check_warns_in_the_base_when_a_team_adds_a_filler(tmp_path: Path) -> None:
    # 啊 made a filler turns the default lexicon's {吧|啊} groups optional:
    # it still loads (no error), and the warnings say where.
    lex = _lexicon_with(tmp_path, '["真没辙"]', matching='[matching]\nfillers = ["嗯", "呃", "啊"]')
    result = _run(["lexicon", "check", str(lex)])
    assert result.exit_code == 0
    warnings = result.stdout.splitlines()
    assert warnings and all(": warning: alternative '啊'" in w for w in warnings)
    assert all(w.startswith(str(default_path())) for w in warnings)
