"""Fixtures for the speech tests: the real Korean Vosk model (loaded once per
session), generated audio, and the committed real-speech clips (``ko_clips``,
from the top-level conftest)."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def ko_engine(ko_model_path: Path):
    """One SpeechEngine (one model load) shared by every real-Vosk test."""
    from phraseguard.speech.asr import SpeechEngine

    t0 = time.perf_counter()
    engine = SpeechEngine(ko_model_path)
    engine.load_seconds = time.perf_counter() - t0  # type: ignore[attr-defined]
    return engine



@pytest.fixture(scope="session")
def espeak_ko(tmp_path_factory) -> Path:
    """Korean speech synthesised by espeak-ng, 16 kHz mono 16-bit."""
    if not shutil.which("espeak-ng") or not shutil.which("sox"):
        pytest.skip("espeak-ng and sox are needed to synthesise speech (apt-get install "
                    "espeak-ng sox)")
    out = tmp_path_factory.mktemp("speech")
    raw = out / "ko_raw.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(raw),
                    "안녕하세요 고객님 무엇을 도와드릴까요 잠시만 기다려 주세요"], check=True)
    wav = out / "ko.wav"
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
    return wav


@pytest.fixture
def server(tmp_path: Path):
    """A local HTTP server on 127.0.0.1 serving tmp_path/www; yields (url_base, folder)."""
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(QuietHandler, directory=str(www))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/models", www
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep test output clean
        pass
