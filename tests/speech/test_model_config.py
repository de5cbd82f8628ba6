"""The per-session copy of a model's configuration (speech/model_config.py), on
stand-in model folders: the installed model is never changed, the option is
set exactly once, old layouts are mirrored into the new one, and the copy is
gone when the block ends, on error too."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

import pytest

from phraseguard.errors import ConfigError, ModelError
from phraseguard.speech import model_config
from phraseguard.speech.model_config import (
    FRAMES_PER_CHUNK,
    check_frames_per_chunk,
    derived_model,
    live_frames_per_chunk,
    load_decoding_settings,
    read_option,
    rewrite_model_conf,
)

OPTION = {FRAMES_PER_CHUNK: "21"}


def new_layout_model(folder: Path, model_conf: str | None) -> Path:
    (folder / "am").mkdir(parents=True)
    (folder / "am" / "final.mdl").write_bytes(b"acoustic model" * 100)
    (folder / "conf").mkdir()
    (folder / "conf" / "mfcc.conf").write_text("--sample-frequency=16000\n")
    if model_conf is not None:
        (folder / "conf" / "model.conf").write_text(model_conf)
    (folder / "graph" / "phones").mkdir(parents=True)
    (folder / "graph" / "HCLr.fst").write_bytes(b"\x00" * 1000)
    (folder / "graph" / "phones" / "word_boundary.int").write_text("1 nonword\n")
    (folder / "ivector").mkdir()
    (folder / "ivector" / "final.ie").write_bytes(b"\x01" * 500)
    (folder / "README").write_text("a stand-in model\n")
    return folder


def tree_state(folder: Path) -> dict[str, tuple]:
    """Every entry under ``folder``: kind, mode, mtime and content hash (links: target)."""
    state = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root, name)
            st = p.lstat()
            if stat.S_ISLNK(st.st_mode):
                content = os.readlink(p)
            elif stat.S_ISREG(st.st_mode):
                content = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                content = None
            state[str(p.relative_to(folder))] = (stat.S_IFMT(st.st_mode), st.st_mode & 0o7777,
                                                 st.st_mtime_ns, content)
    return state


def make_read_only(folder: Path) -> None:
    for root, dirs, files in os.walk(folder, topdown=False):
        for name in files:
            os.chmod(Path(root, name), 0o444)
        for name in dirs:
            os.chmod(Path(root, name), 0o555)
    os.chmod(folder, 0o555)


@pytest.fixture
def session_tmp(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_copy_leaves_a_read_only_install_byte_identical(tmp_path, session_tmp):
    model = new_layout_model(tmp_path / "model", "--beam=10.0\n--max-active=3000\n")
    make_read_only(model)
    before = tree_state(model)
    with derived_model(model, OPTION, parent=session_tmp) as derived:
        conf = (derived / "conf" / "model.conf").read_text()
        # Reading through the mirror reaches the installed files.
        assert (derived / "am" / "final.mdl").read_bytes() == b"acoustic model" * 100
    assert tree_state(model) == before
    assert read_option(conf, FRAMES_PER_CHUNK) == "21"
    assert "--beam=10.0" in conf and "--max-active=3000" in conf
    assert leftovers(session_tmp) == []


def test_every_entry_but_model_conf_links_to_the_installed_model(tmp_path, session_tmp):
    model = new_layout_model(tmp_path / "model", "--beam=10.0\n")
    with derived_model(model, OPTION, parent=session_tmp) as derived:
        assert sorted(p.name for p in derived.iterdir()) == sorted(p.name for p in model.iterdir())
        for name in ("am", "graph", "ivector", "README"):
            assert (derived / name).is_symlink()
            assert (derived / name).resolve() == (model / name).resolve()
        assert not (derived / "conf").is_symlink()  # a real folder: its model.conf is ours
        assert (derived / "conf" / "mfcc.conf").resolve() == (model / "conf" / "mfcc.conf")
        own = derived / "conf" / "model.conf"
        assert own.is_file() and not own.is_symlink()


def test_an_existing_value_is_replaced_once_in_either_spelling():
    text = ("# tuned\n--frames-per-chunk=51\n--beam=10.0  # keep\n"
            "--frames_per_chunk=30\n--endpoint.rule2.min-trailing-silence=0.5\n")
    out = rewrite_model_conf(text, OPTION)
    lines = out.splitlines()
    assert [x for x in lines if "per" in x and "chunk" in x] == ["--frames-per-chunk=21"]
    assert lines[:2] == ["# tuned", "--beam=10.0  # keep"]
    assert "--endpoint.rule2.min-trailing-silence=0.5" in lines
    assert read_option(out, "frames_per_chunk") == "21"


def test_the_option_is_added_when_the_model_conf_lacks_it(tmp_path, session_tmp):
    model = new_layout_model(tmp_path / "model", "--beam=10.0\n--lattice-beam=2.0")
    with derived_model(model, {FRAMES_PER_CHUNK: "9"}, parent=session_tmp) as derived:
        conf = (derived / "conf" / "model.conf").read_text()
    assert conf == "--beam=10.0\n--lattice-beam=2.0\n--frames-per-chunk=9\n"


def test_a_model_without_model_conf_gets_vosk_built_in_options(tmp_path, session_tmp):
    model = new_layout_model(tmp_path / "model", None)
    with derived_model(model, OPTION, parent=session_tmp) as derived:
        conf = (derived / "conf" / "model.conf").read_text().splitlines()
    legacy = list(load_decoding_settings().legacy_model_conf)
    assert conf == legacy + ["--frames-per-chunk=21"]
    assert "--beam=13.0" in conf and "--frame-subsampling-factor=3" in conf
    assert not (model / "conf" / "model.conf").exists()


def test_an_old_layout_model_is_mirrored_into_the_new_layout(tmp_path, session_tmp):
    model = tmp_path / "old"
    model.mkdir()
    for name in ("final.mdl", "mfcc.conf", "HCLG.fst", "words.txt", "word_boundary.int",
                 "global_cmvn.stats", "README"):
        (model / name).write_text(name)
    (model / "ivector").mkdir()
    (model / "ivector" / "final.ie").write_text("ie")
    before = tree_state(model)
    with derived_model(model, OPTION, parent=session_tmp) as derived:
        expect = {"am/final.mdl": "final.mdl", "conf/mfcc.conf": "mfcc.conf",
                  "graph/HCLG.fst": "HCLG.fst", "graph/words.txt": "words.txt",
                  "graph/phones/word_boundary.int": "word_boundary.int",
                  "am/global_cmvn.stats": "global_cmvn.stats", "README": "README",
                  "ivector/final.ie": "ie"}
        for new, content in expect.items():
            assert (derived / new).read_text() == content, new
        conf = (derived / "conf" / "model.conf").read_text()
    assert conf.splitlines()[-1] == "--frames-per-chunk=21"
    assert "--max-active=7000" in conf
    assert tree_state(model) == before
    assert leftovers(session_tmp) == []


def test_the_copy_is_removed_when_the_block_raises(tmp_path, session_tmp):
    model = new_layout_model(tmp_path / "model", "--beam=10.0\n")
    before = tree_state(model)
    with pytest.raises(RuntimeError, match="boom"), \
            derived_model(model, OPTION, parent=session_tmp) as derived:
        assert derived.is_dir()
        raise RuntimeError("boom")
    assert not derived.exists()
    assert leftovers(session_tmp) == []
    assert tree_state(model) == before


def test_a_copy_that_cannot_be_built_is_removed_and_named(tmp_path, session_tmp, monkeypatch):
    model = new_layout_model(tmp_path / "model", "--beam=10.0\n")
    calls = {"n": 0}
    real = Path.symlink_to

    def flaky(self, target, target_is_directory=False):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(self, target, target_is_directory)

    monkeypatch.setattr(Path, "symlink_to", flaky)
    with pytest.raises(ModelError, match="No space left on device") as err, \
            derived_model(model, OPTION, parent=session_tmp):
        pytest.fail("the block must not run")
    assert str(model) in str(err.value)
    assert leftovers(session_tmp) == []


def test_an_unwritable_temporary_folder_is_a_clear_error(tmp_path):
    model = new_layout_model(tmp_path / "model", "--beam=10.0\n")
    missing = tmp_path / "no-such-folder"
    with pytest.raises(ModelError, match="no-such-folder: cannot create"), \
            derived_model(model, OPTION, parent=missing):
        pytest.fail("the block must not run")


def test_the_default_folder_is_the_system_temporary_folder(tmp_path, session_tmp, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(session_tmp))
    model = new_layout_model(tmp_path / "model", "--beam=10.0\n")
    with derived_model(model, OPTION) as derived:
        assert derived.parent == session_tmp
        assert derived.name.startswith(model_config.TEMP_PREFIX)
    assert leftovers(session_tmp) == []


def test_a_folder_that_is_not_a_model_is_refused(tmp_path):
    (tmp_path / "conf").mkdir()
    with pytest.raises(ModelError, match="not a Vosk model folder"), \
            derived_model(tmp_path, OPTION):
        pytest.fail("the block must not run")


def test_frames_per_chunk_range_and_default():
    settings = load_decoding_settings()
    assert check_frames_per_chunk(0) == 0
    assert check_frames_per_chunk(settings.min_frames_per_chunk) == settings.min_frames_per_chunk
    assert check_frames_per_chunk(settings.max_frames_per_chunk) == settings.max_frames_per_chunk
    for bad in (settings.min_frames_per_chunk - 1, settings.max_frames_per_chunk + 1, -5, True,
                "21"):
        with pytest.raises(ConfigError, match="frames per chunk must be 0"):
            check_frames_per_chunk(bad)  # type: ignore[arg-type]
    assert live_frames_per_chunk(None) == settings.frames_per_chunk
    assert live_frames_per_chunk(0) is None  # the model as installed, no copy
    assert live_frames_per_chunk(33) == 33


def test_a_broken_decoding_file_names_itself(tmp_path):
    bad = tmp_path / "decoding.toml"
    bad.write_text("[live]\nframes_per_chunk = 15\n")  # no [limits]
    with pytest.raises(ModelError, match="decoding.toml: cannot read the decoding settings"):
        load_decoding_settings(bad)
    bad.write_text(model_config.DECODING_FILE.read_text().replace(
        "frames_per_chunk = ", "frames_per_chunk = 9000 # ", 1))
    with pytest.raises(ConfigError, match="decoding.toml"):
        load_decoding_settings(bad)
