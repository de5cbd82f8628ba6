"""Live sessions that go wrong while ending: failing sinks and stores, a second Ctrl-C,
a replay whose reader breaks, a device that opens at another rate (no Vosk, no sound)."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile as sf
from test_session import RATE, Collect, ListSource, ScriptedRecognizer, final, partial

from phraseguard.calls.scoring import Scorer
from phraseguard.calls.store import Store
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.errors import AudioError
from phraseguard.live.events import JsonLinesSink
from phraseguard.live.session import LiveOptions, LiveSession
from phraseguard.signals import stop_on_signals
from phraseguard.speech import capture
from phraseguard.speech.capture import DeviceInfo, DeviceSource, FileSource


@pytest.fixture(scope="module")
def lexicon(ko_lexicon: Path):
    return load_lexicon(ko_lexicon)


@pytest.fixture(scope="module")
def matcher(lexicon):
    return Matcher(lexicon)


def make(lexicon, matcher, source, rec, **kwargs) -> LiveSession:
    options = LiveOptions(warmup_seconds=0, **kwargs.pop("options", {}))
    return LiveSession(source, lambda rate: rec, matcher, Scorer(lexicon), options=options,
                       **kwargs)


class LockedStore:
    """A store whose finish_call fails, as a database locked by another writer does."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner

    def begin_call(self, meta, **kwargs):
        return self.inner.begin_call(meta, **kwargs)

    def append_utterance(self, *args, **kwargs):
        return self.inner.append_utterance(*args, **kwargs)

    def finish_call(self, call, **kwargs):
        raise sqlite3.OperationalError("database is locked")


class RaisingSink(Collect):
    """Takes ``ok`` events, then fails on every one (a reader that went away)."""

    def __init__(self, ok: int, exc: Exception) -> None:
        super().__init__()
        self.ok = ok
        self.exc = exc
        self.calls = 0

    def handle(self, event) -> None:
        self.calls += 1
        if len(self.events) >= self.ok:
            raise self.exc
        super().handle(event)


# --- 1. ending: the original error wins, the source is always closed ----------------


def test_store_failure_while_ending_keeps_the_device_error_and_closes_source(
        lexicon, matcher, tmp_path):
    store = LockedStore(Store.open(tmp_path / "pg.db"))
    source = ListSource(10, fail_after=3)
    s = make(lexicon, matcher, source, ScriptedRecognizer({2: [final("판사 님")]}), store=store)
    with pytest.raises(AudioError, match="stopped delivering audio") as info:
        s.run()
    assert any("database is locked" in note for note in info.value.__notes__)
    assert source.stopped and source.closed
    store.inner.close()


def test_store_failure_while_ending_still_closes_source(lexicon, matcher, tmp_path):
    store = LockedStore(Store.open(tmp_path / "pg.db"))
    source = ListSource(4)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        make(lexicon, matcher, source, ScriptedRecognizer({}), store=store).run()
    assert source.closed
    store.inner.close()


def test_sink_failing_on_session_end_does_not_hide_the_error_or_leave_source_open(
        lexicon, matcher, tmp_path):
    store = Store.open(tmp_path / "pg.db")
    source = ListSource(10, fail_after=3)
    broken = RaisingSink(ok=1, exc=BrokenPipeError(32, "Broken pipe"))
    s = make(lexicon, matcher, source, ScriptedRecognizer({}), store=store, sinks=[broken])
    with pytest.raises(AudioError, match="stopped delivering audio"):
        s.run()
    assert source.closed
    (call,) = store.calls()
    assert call.status == "failed" and "stopped delivering audio" in call.failure
    store.close()


# --- 1b. one failing sink is switched off; monitoring goes on ----------------------


def test_failing_sink_is_switched_off_and_reported_once(lexicon, matcher, tmp_path):
    store = Store.open(tmp_path / "pg.db")
    broken = RaisingSink(ok=2, exc=BrokenPipeError(32, "Broken pipe"))
    good = Collect()
    script = {2: [final("판사 님", 0.1)], 4: [partial("드라마")], 6: [final("드라마 하구", 0.5)],
              8: [final("연락 주세요", 1.0)]}
    s = make(lexicon, matcher, ListSource(10), ScriptedRecognizer(script), store=store,
             sinks=[broken, good])
    summary = s.run()
    assert summary.reason == "end_of_input" and summary.utterances == 3
    assert broken.calls == 3  # the failing event, then nothing more
    warnings = good.of("warning")
    assert len(warnings) == 1
    assert "RaisingSink" in warnings[0].message and "Broken pipe" in warnings[0].message
    assert summary.warnings == [warnings[0].message]
    assert [e.text for e in good.of("utterance")] == ["판사 님", "드라마 하구", "연락 주세요"]
    assert good.kinds()[-1] == "session_end"
    (call,) = store.calls()
    assert call.status == "ok" and len(store.transcript(call.pk).utterances) == 3
    store.close()


def test_json_events_on_a_closed_pipe_do_not_end_the_session(lexicon, matcher, tmp_path):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the dashboard reading `--events -` went away
    fp = os.fdopen(write_end, "w", encoding="utf-8")
    events = JsonLinesSink(fp)
    screen = Collect()
    summary = make(lexicon, matcher, ListSource(6), ScriptedRecognizer({3: [final("판사 님")]}),
                   sinks=[events, screen]).run()
    assert summary.reason == "end_of_input" and summary.utterances == 1
    assert [e.event for e in screen.of("warning")] == ["warning"]
    assert "JsonLinesSink" in screen.of("warning")[0].message
    events.close()  # quiet: it already failed once
    with pytest.raises(OSError):
        fp.close()  # (the buffered line still cannot go anywhere)


def test_when_every_sink_fails_the_warning_goes_to_stderr(lexicon, matcher, capsys):
    broken = RaisingSink(ok=0, exc=OSError(28, "No space left on device"))
    summary = make(lexicon, matcher, ListSource(3), ScriptedRecognizer({}),
                   sinks=[broken]).run()
    assert summary.reason == "end_of_input"
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "No space left on device" in err


# --- 2. a second Ctrl-C ---------------------------------------------------------------


def _sigint() -> None:
    os.kill(os.getpid(), signal.SIGINT)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signals need the main thread")
def test_second_ctrl_c_while_ending_still_finishes_the_call_and_closes_source(
        lexicon, matcher, tmp_path):
    store = Store.open(tmp_path / "pg.db")

    class SlowEnd(ScriptedRecognizer):
        def finish(self):
            self.finished += 1
            _sigint()  # the user gives up on the clean end
            return [final("드라마 하구")]  # never reached: recognition is skipped

    rec = SlowEnd({2: [final("판사 님")]})
    source = ListSource(20, on_read={3: _sigint})  # first Ctrl-C: clean stop
    stop, abort = threading.Event(), threading.Event()
    sink = Collect()
    s = make(lexicon, matcher, source, rec, store=store, sinks=[sink], stop_event=stop,
             abort_event=abort)
    with stop_on_signals(stop.set, abort.set), pytest.raises(KeyboardInterrupt):
        s.run()
    assert stop.is_set() and abort.is_set()
    assert source.closed
    (call,) = store.calls()
    # Not left in_progress: heard speech stays a scored call, the interruption a note.
    assert (call.status, call.failure) == ("ok", "interrupted")
    assert len(store.transcript(call.pk).utterances) == 1
    end = sink.of("session_end")
    assert len(end) == 1 and end[0].error == "interrupted"
    store.close()


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signals need the main thread")
def test_second_ctrl_c_while_draining_skips_the_remaining_recognition(
        lexicon, matcher, tmp_path):
    store = Store.open(tmp_path / "pg.db")
    rec = ScriptedRecognizer({1: [final("판사 님")]}, at_finish=[final("드라마 하구")])
    source = ListSource(50, on_read={2: _sigint, 5: _sigint})
    stop, abort = threading.Event(), threading.Event()
    s = make(lexicon, matcher, source, rec, store=store, stop_event=stop, abort_event=abort)
    with stop_on_signals(stop.set, abort.set), pytest.raises(KeyboardInterrupt):
        s.run()
    assert rec.fed < 50 and rec.finished == 0  # backlog and the last utterance skipped
    assert source.closed
    (call,) = store.calls()
    assert (call.status, call.failure) == ("ok", "interrupted")
    assert len(store.transcript(call.pk).utterances) == 1
    store.close()


def test_request_abort_stops_draining_and_finishes_the_call(lexicon, matcher, tmp_path):
    store = Store.open(tmp_path / "pg.db")
    rec = ScriptedRecognizer({1: [final("판사 님")]}, at_finish=[final("드라마 하구")])
    holder: list[LiveSession] = []
    source = ListSource(50, on_read={3: lambda: holder[0].request_abort()})
    s = make(lexicon, matcher, source, rec, store=store)
    holder.append(s)
    summary = s.run()
    assert summary.error == "interrupted" and rec.finished == 0 and rec.fed == 4
    (call,) = store.calls()
    assert (call.status, call.failure) == ("ok", "interrupted")
    store.close()


# --- 3. a replay whose reader breaks --------------------------------------------------


@pytest.fixture
def wav(tmp_path: Path) -> Path:
    path = tmp_path / "call.wav"
    sf.write(str(path), np.zeros(RATE, dtype="<i2"), RATE, subtype="PCM_16")
    return path


def broken_reader(blocks: int, exc: Exception):
    def read_pcm(path, *, block_seconds, info):
        for _ in range(blocks):
            yield bytes(int(RATE * block_seconds) * 2)
        raise exc

    return read_pcm


def test_file_reader_failure_is_an_audio_error_naming_the_file(wav, monkeypatch):
    monkeypatch.setattr(capture, "read_pcm", broken_reader(2, OSError(32, "Broken pipe")))
    src = FileSource(wav, fast=True)
    src.start()
    got = []
    with pytest.raises(AudioError, match=r"call\.wav: reading failed.*Broken pipe"):
        for _ in range(100):
            block = src.read(0.5)
            if block is not None:
                got.append(block)
            assert not src.at_end
    assert len(got) == 2  # what was read before the failure comes first
    src.close()


def test_replay_that_fails_half_way_ends_as_an_error(wav, monkeypatch, lexicon, matcher):
    monkeypatch.setattr(capture, "read_pcm",
                        broken_reader(3, FloatingPointError("overflow in cast")))
    src = FileSource(wav, fast=True)
    sink = Collect()
    s = make(lexicon, matcher, src, ScriptedRecognizer({}), sinks=[sink])
    with pytest.raises(AudioError, match="FloatingPointError: overflow in cast"):
        s.run()
    end = sink.of("session_end")[0]
    assert end.reason == "error" and "reading failed" in end.error


# --- 4. the recogniser that hears the call is the warm one ----------------------------


class FakePortAudioError(Exception):
    pass


class FakeStream:
    """Refuses some rates; on start, delivers ``blocks`` blocks through the callback."""

    def __init__(self, refuse, blocks, **kwargs):
        if kwargs["samplerate"] in refuse:
            raise FakePortAudioError("Invalid sample rate [PaErrorCode -9997]")
        self.kwargs = kwargs
        self.blocks = blocks
        self.active = False
        self.closed = False

    def start(self):
        self.active = True
        for i in range(self.blocks):
            pcm = np.full(self.kwargs["blocksize"], i + 1, dtype="<i2").tobytes()
            self.kwargs["callback"](memoryview(pcm), self.kwargs["blocksize"], None,
                                    SimpleNamespace(input_overflow=False))

    def abort(self, ignore_errors=True):
        self.active = False

    def close(self, ignore_errors=True):
        self.closed = True


class RateRecognizer:
    def __init__(self, rate: int, log: list, stop: threading.Event, stop_after: int) -> None:
        self.sample_rate = rate
        self.log = log
        self.stop = stop
        self.stop_after = stop_after
        self.real = 0

    def feed(self, pcm: bytes):
        samples = np.frombuffer(pcm, dtype="<i2")
        if samples.any():  # captured audio (the fake device never sends silence)
            self.real += 1
            self.log.append((self.sample_rate, "audio", int(samples[0])))
            if self.real >= self.stop_after:
                self.stop.set()
        else:
            self.log.append((self.sample_rate, "warmup", len(pcm)))
        return []

    def finish(self):
        self.log.append((self.sample_rate, "finish"))
        return []


def test_recogniser_is_warmed_at_the_rate_the_device_fell_back_to(monkeypatch, lexicon,
                                                                  matcher):
    opened: list[FakeStream] = []

    def stream(**kwargs):
        s = FakeStream({16000}, 3, **kwargs)
        opened.append(s)
        return s

    monkeypatch.setattr(capture, "_sounddevice", lambda: SimpleNamespace(
        RawInputStream=stream, PortAudioError=FakePortAudioError))
    log: list = []
    stop = threading.Event()
    recs: dict[int, RateRecognizer] = {}

    def recognizer_for(rate: int) -> RateRecognizer:
        return recs.setdefault(rate, RateRecognizer(rate, log, stop, stop_after=3))

    source = DeviceSource(DeviceInfo(0, "Headset", 1, 44100.0), preferred_rate=16000)
    s = LiveSession(source, recognizer_for, matcher, Scorer(lexicon), stop_event=stop,
                    options=LiveOptions(warmup_seconds=0.1))
    summary = s.run()
    assert source.sample_rate == 44100 and summary.reason == "stopped"
    at_44k = [entry for entry in log if entry[0] == 44100]
    # Warmed (and reset) before the first captured block, then every block heard.
    assert at_44k == [(44100, "warmup", 4410 * 2), (44100, "finish"),
                      (44100, "audio", 1), (44100, "audio", 2), (44100, "audio", 3),
                      (44100, "finish")]
    assert opened[-1].closed


def test_screens_show_the_warning():
    import io

    from rich.console import Console

    from phraseguard.live.events import Notice
    from phraseguard.live.screen import LiveScreen, PlainLines

    notice = Notice(message="output JsonLinesSink failed and was switched off", wall=0.0)
    out = io.StringIO()
    PlainLines(out).handle(notice)
    assert out.getvalue() == "warning: output JsonLinesSink failed and was switched off\n"
    screen = LiveScreen(Console(file=io.StringIO(), width=100))
    screen.handle(notice)
    console = Console(file=io.StringIO(), width=100)
    console.print(screen.render())
    assert "Warning: output JsonLinesSink failed" in console.file.getvalue()
