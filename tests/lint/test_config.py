"""Config files: phraseguard.toml found upward, [tool.phraseguard], errors naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from phraseguard.errors import ConfigError
from phraseguard.settings import Config, find_config, load_config


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_phraseguard_toml_is_found_upward(tmp_path: Path) -> None:
    cfg = _write(tmp_path / "phraseguard.toml", 'min_severity = "major"\n')
    script = _write(tmp_path / "a" / "b" / "script.txt", "好的")
    assert find_config(script) == cfg
    assert find_config(script.parent) == cfg
    loaded = load_config(script)
    assert loaded.source == cfg
    assert loaded.min_severity == "major"


def test_nearest_config_wins(tmp_path: Path) -> None:
    _write(tmp_path / "phraseguard.toml", 'min_severity = "major"\n')
    inner = _write(tmp_path / "team" / "phraseguard.toml", 'min_severity = "critical"\n')
    assert load_config(tmp_path / "team" / "x.txt").source == inner
    assert load_config(tmp_path / "team" / "x.txt").min_severity == "critical"


def test_tool_phraseguard_in_pyproject(tmp_path: Path) -> None:
    py = _write(tmp_path / "pyproject.toml",
                '[project]\nname = "x"\n\n[tool.phraseguard]\nfail_on = "critical"\n'
                'exclude = ["drafts/**"]\n')
    cfg = load_config(tmp_path / "sub" / "s.txt")
    assert cfg.source == py
    assert cfg.fail_on == "critical"
    assert cfg.exclude == ("drafts/**",)


def test_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    outer = _write(tmp_path / "phraseguard.toml", 'format = "json"\n')
    _write(tmp_path / "repo" / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(tmp_path / "repo" / "s.txt") == outer


def test_phraseguard_toml_beats_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    toml = _write(tmp_path / "phraseguard.toml", 'format = "json"\n')
    _write(tmp_path / "pyproject.toml", '[tool.phraseguard]\nformat = "sarif"\n')
    assert find_config(tmp_path) == toml


def test_explicit_config_is_used(tmp_path: Path) -> None:
    _write(tmp_path / "phraseguard.toml", 'format = "json"\n')
    other = _write(tmp_path / "elsewhere" / "settings.toml", 'format = "sarif"\n')
    cfg = load_config(tmp_path, explicit=other)
    assert cfg.source == other
    assert cfg.format == "sarif"


def test_no_config_is_all_defaults(tmp_path: Path) -> None:
    # tmp_path has no config above it unless the machine has one in / or /tmp.
    if find_config(tmp_path) is not None:
        pytest.skip("a config file exists above the temporary folder")
    assert load_config(tmp_path) == Config()


def test_sections_group_settings(tmp_path: Path) -> None:
    cfg = _write(tmp_path / "phraseguard.toml",
                 '[lint]\nmin_severity = "minor"\n\n[score]\ndb = "qa.db"\njobs = 2\n')
    loaded = load_config(explicit=cfg)
    assert (loaded.min_severity, loaded.db, loaded.jobs) == ("minor", "qa.db", 2)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('colour = "red"\n', "unknown setting"),
        ("min_severity = 3\n", "wrong type"),
        ('min_confidence = "high"\n', "wrong type"),
        ("jobs = true\n", "wrong type"),
        ('exclude = "drafts/**"\n', "wrong type"),
        ("exclude = [1, 2]\n", "glob"),
        ("lexicon = \n", "TOML"),
    ],
)
def test_bad_setting_is_a_config_error_naming_the_file(tmp_path: Path, text: str,
                                                       fragment: str) -> None:
    cfg = _write(tmp_path / "phraseguard.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert str(cfg) in str(info.value)
    assert fragment in str(info.value)


def test_bad_setting_in_pyproject_names_pyproject(tmp_path: Path) -> None:
    py = _write(tmp_path / "pyproject.toml", "[tool.phraseguard]\nmin-severity = 2\n")
    with pytest.raises(ConfigError, match="wrong type") as info:
        load_config(tmp_path)
    assert str(py) in str(info.value)


def test_missing_explicit_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(explicit=tmp_path / "absent.toml")


def test_relative_lexicon_path_is_resolved_against_the_config_file(tmp_path: Path,
                                                                   monkeypatch) -> None:
    cfg = _write(tmp_path / "repo" / "phraseguard.toml", 'lexicon = "qa/words.toml"\n')
    monkeypatch.chdir(tmp_path)
    loaded = load_config(explicit=cfg)
    assert loaded.lexicon == "qa/words.toml"
    assert loaded.path(loaded.lexicon) == str((tmp_path / "repo" / "qa" / "words.toml").resolve())
    assert loaded.path("default") == "default"
    assert loaded.path(str(tmp_path / "abs.toml")) == str(tmp_path / "abs.toml")
    assert loaded.path(None) is None
