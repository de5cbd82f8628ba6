"""Recordings at fsspec URLs decode exactly as the same file on disk; bad URLs say why."""

from __future__ import annotations

import uuid
from pathlib import Path

import fsspec  # a test dependency (the cluster extra)
import numpy as np
import pytest

from phraseguard.errors import AudioError, InputError
from phraseguard.speech import audio, remote

KO_FREE = Path(__file__).resolve().parent.parent / "data" / "audio" / "ko-free"
CLIP = KO_FREE / "zeroth_104_003_0294.wav"


@pytest.fixture
def bucket():
    """A fresh memory:// 'bucket' (fsspec's in-process object store), removed afterwards."""
    fs = fsspec.filesystem("memory")
    name = f"/pg-{uuid.uuid4().hex[:8]}"
    yield fs, name
    if fs.exists(name):
        fs.rm(name, recursive=True)


def test_a_url_is_told_from_a_path():
    assert remote.is_url("s3://bucket/calls/a.wav")
    assert remote.is_url("memory://b/a.wav")
    assert remote.is_url("file:///srv/calls/a.wav")
    assert not remote.is_url("calls/a.wav")
    assert not remote.is_url("C:\\calls\\a.wav")
    assert not remote.is_url(Path("s3://bucket/a.wav"))  # a Path is always a path


def test_a_recording_at_a_url_decodes_to_the_same_samples_as_the_file(bucket):
    fs, name = bucket
    fs.pipe(f"{name}/a.wav", CLIP.read_bytes())
    url = f"memory://{name.lstrip('/')}/a.wav"
    info = audio.probe(url)
    local = audio.probe(CLIP)
    assert info.path == url  # the URL is kept whole, not folded into a Path
    assert (info.sample_rate, info.channels, info.frames, info.format) == (
        local.sample_rate, local.channels, local.frames, local.format)
    got = np.concatenate(list(audio.read_blocks(url)))
    want = np.concatenate(list(audio.read_blocks(CLIP)))
    assert got.shape == want.shape and np.array_equal(got, want)
    assert b"".join(audio.read_pcm(url)) == b"".join(audio.read_pcm(CLIP))


def test_a_missing_object_is_a_one_line_error_naming_the_url(bucket):
    _, name = bucket
    url = f"memory://{name.lstrip('/')}/gone.wav"
    with pytest.raises(AudioError, match=r"^memory://.*/gone\.wav: no such object$"):
        audio.probe(url)


def test_an_empty_object_is_an_empty_file(bucket):
    fs, name = bucket
    fs.pipe(f"{name}/empty.wav", b"")
    with pytest.raises(AudioError, match="empty file"):
        audio.probe(f"memory://{name.lstrip('/')}/empty.wav")


def test_an_object_that_is_not_audio_says_which_formats_a_url_may_hold(bucket):
    fs, name = bucket
    fs.pipe(f"{name}/notes.wav", b"this is not a recording\n" * 20)
    with pytest.raises(AudioError, match=r"notes\.wav: cannot decode .*WAV, FLAC, OGG or MP3"):
        audio.probe(f"memory://{name.lstrip('/')}/notes.wav")


def test_an_unknown_protocol_is_named():
    with pytest.raises(AudioError, match=r"^nosuchproto://b/a\.wav: unknown protocol 'nosuchproto://'"):
        audio.probe("nosuchproto://b/a.wav")


def test_a_protocol_whose_backend_is_not_installed_says_which_package_to_install():
    # A registered protocol whose implementation cannot be imported, as s3://
    # is without s3fs: the message names the package to install.
    from fsspec.registry import register_implementation

    register_implementation("pgmissing", "pg_missing_backend_pkg.FileSystem",
                            errtxt="Install pg_missing_backend_pkg", clobber=True)
    with pytest.raises(InputError, match=r"^pgmissing://b/a\.wav: reading pgmissing:// URLs "
                                         r"needs the pg_missing_backend_pkg package"):
        remote.filesystem("pgmissing://b/a.wav")
    with pytest.raises(AudioError, match="pip install pg_missing_backend_pkg"):
        audio.probe("pgmissing://b/a.wav")


def test_a_prefix_expands_to_its_objects_in_order(bucket):
    fs, name = bucket
    for key in ("day2/b.wav", "day1/a.wav", "day1/c.wav"):
        fs.pipe(f"{name}/{key}", b"x")
    base = f"memory://{name.lstrip('/')}"
    found = remote.expand(base)
    # The URL as the user spelled it, plus each object's place below it.
    assert found == [f"{base}/day1/a.wav", f"{base}/day1/c.wav", f"{base}/day2/b.wav"]
    assert remote.expand(base + "/") == found
    assert all(remote.is_url(u) and remote.size(u) == 1 for u in found)
    assert remote.expand(found[0]) == [found[0]]
    with pytest.raises(InputError, match="no such object or prefix"):
        remote.expand(base + "/nothing-here")


def test_file_urls_read_local_files():
    url = CLIP.absolute().as_uri()
    assert url.startswith("file:///")
    assert audio.probe(url).frames == audio.probe(CLIP).frames


@pytest.mark.parametrize(("exc", "kwargs", "message"), [
    (FileNotFoundError(2, "No such file"), {"missing": "no such object"}, "no such object"),
    (FileNotFoundError(2, "No such file"), {}, "cannot read: No such file"),
    (IsADirectoryError(21, "Is a directory"), {"folder": "a folder"}, "a folder"),
    (PermissionError(13, "Forbidden"), {}, "access denied: [Errno 13] Forbidden"),
    (PermissionError(13, "Permission denied"), {"denied": False}, "cannot read: Permission denied"),
    (OSError(5, "I/O error"), {"action": "list"}, "cannot list: I/O error"),
])
def test_an_os_error_while_reading_is_one_input_error_line(exc, kwargs, message):
    with pytest.raises(InputError) as info, remote.input_errors("s3://b/call.wav", **kwargs):
        raise exc
    assert str(info.value) == f"s3://b/call.wav: {message}"
