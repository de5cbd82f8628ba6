"""LiveSession with a scripted recogniser: events, dedup, store, stop and failure (no Vosk)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
import soundfile as sf

from phraseguard.calls.scoring import Scorer
from phraseguard.calls.store import Store
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.errors import AudioError
from phraseguard.live.events import Event
from phraseguard.live.session import LiveOptions, LiveSession
from phraseguard.speech.asr import Segment
from phraseguard.speech.transcript import Word

RATE = 16000
BLOCK = bytes(RATE // 10 * 2)  # 0.1 s of silence


class ListSource:
    """An AudioSource over a fixed list of blocks; can fail after some of them."""

    def __init__(self, blocks: int, *, fail_after: int | None = None,
                 on_read: dict[int, object] | None = None) -> None:
        self.name = "scripted"
        self.sample_rate = RATE
        self.overflows = 0
        self.dropped = 0
        self.started = self.stopped = self.closed = False
        self._left = blocks
        self._read = 0
        self._fail_after = fail_after
        self._on_read = on_read or {}

    def start(self) -> None:
        self.started = True

    def read(self, timeout: float) -> bytes | None:
        if self._fail_after is not None and self._read >= self._fail_after:
            raise AudioError("input device scripted stopped delivering audio (disconnected?)")
        if self._left <= 0:
            return None
        action = self._on_read.get(self._read)
        if callable(action):
            action()
        self._left -= 1
        self._read += 1
        return BLOCK

    @property
    def at_end(self) -> bool:
        # A device never ends by itself; a stopped one ends once drained. Here
        # "drained" is simply: no blocks left.
        return self._left <= 0

    @property
    def backlog_seconds(self) -> float:
        return self._left * 0.1

    def stop(self) -> None:
        self.stopped = True

    def close(self) -> None:
        self.closed = True


class ScriptedRecognizer:
    """Returns scripted segments on given feed calls (1-based), like Vosk would."""

    def __init__(self, script: dict[int, Sequence[Segment]],
                 at_finish: Sequence[Segment] = ()) -> None:
        self.sample_rate = RATE
        self.script = script
        self.at_finish = list(at_finish)
        self.fed = 0
        self.finished = 0

    def feed(self, pcm: bytes) -> list[Segment]:
        self.fed += 1
        return list(self.script.get(self.fed, ()))

    def finish(self) -> list[Segment]:
        self.finished += 1
        out, self.at_finish = self.at_finish, []
        return out


def partial(text: str) -> Segment:
    return Segment(text=text, final=False)


def final(text: str, start: float = 0.0) -> Segment:
    """A final segment whose words are spaced 0.3 s apart from ``start``."""
    words = tuple(Word(w, start + 0.3 * i, start + 0.3 * i + 0.25, 0.9)
                  for i, w in enumerate(text.split()))
    return Segment(text=text, final=True, words=words, start=words[0].start,
                   end=words[-1].end)


class Collect:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.closed = False

    def handle(self, event: Event) -> None:
        self.events.append(event)

    def close(self) -> None:
        self.closed = True

    def kinds(self) -> list[str]:
        return [e.event for e in self.events if e.event != "status"]

    def of(self, kind: str) -> list:
        return [e for e in self.events if e.event == kind]


@pytest.fixture(scope="module")
def lexicon(ko_lexicon: Path):
    return load_lexicon(ko_lexicon)


@pytest.fixture(scope="module")
def matcher(lexicon):
    return Matcher(lexicon)  # pure: one for the module (its segmenter loads once)


def session(lexicon, source, rec, *, store=None, sinks=(), matcher=None,
            **options) -> LiveSession:
    def recognizer_for(rate: int):
        assert rate == RATE
        return rec

    return LiveSession(source, recognizer_for, matcher or Matcher(lexicon), Scorer(lexicon),
                       store=store, sinks=sinks, options=LiveOptions(warmup_seconds=0, **options))


SCRIPT = {
    2: [partial("친애")],
    3: [partial("친애 하는 판사님")],
    4: [partial("친애 하는 판사 님께")],
    5: [partial("친애하는 판사 님께 라는 법")],
    6: [partial("친애하는 판사 님께 라는 법 관련 드라마")],
    8: [final("친애 하는 판사 님께 라는 법 관련 드라마 하구 있어", 0.3)],
    10: [partial("반사")],
    11: [partial("반사 님")],
    12: [final("반사 님 연락 주세요", 2.0)],
}


def test_alerts_come_from_partials_once_per_occurrence(lexicon, matcher, tmp_path):
    sink = Collect()
    s = session(lexicon, ListSource(14), ScriptedRecognizer(SCRIPT), sinks=[sink],
                store=Store.open(tmp_path / "pg.db"), agent="kim", matcher=matcher)
    summary = s.run()
    hits = sink.of("hit")
    assert [(h.rule_id, h.from_partial, h.utterance) for h in hits] == [
        ("judge", True, 0), ("drama", True, 0), ("contact", False, 1),
    ]
    # The early alerts came on the partials that first held the phrase (feeds
    # 3 and 6: t = 0.3 s and 0.6 s of audio), before the utterance was final.
    assert [h.t for h in hits] == [0.3, 0.6, 1.2]
    kinds = sink.kinds()
    assert kinds.index("hit") < kinds.index("utterance")
    assert kinds[0] == "session_start" and kinds[-1] == "session_end"
    # Final alert knows the phrase's time from the words.
    assert (hits[2].time_start, hits[2].time_end) == pytest.approx((2.6, 2.85))
    assert hits[0].suggestion == "법관이라고 하세요"
    end = sink.of("session_end")[0]
    assert (end.reason, end.utterances, end.alerts, end.counted_hits, end.retracted) == (
        "end_of_input", 2, 3, 3, 0)
    assert end.score == 100 - 10 - 5 - 5 == summary.score
    assert end.rules == {"contact": 1, "drama": 1, "judge": 1}
    assert end.duration == pytest.approx(1.4)


def test_unconfirmed_partial_alert_is_retracted_and_costs_nothing(lexicon, matcher):
    script = {1: [partial("판사 님")], 2: [partial("판사 님께")], 3: [final("반사 님께")]}
    sink = Collect()
    session(lexicon, ListSource(4), ScriptedRecognizer(script), sinks=[sink],
            matcher=matcher).run()
    assert [e.event for e in sink.events if e.event in ("hit", "retract")] == ["hit", "retract"]
    assert sink.of("session_end")[0].score == 100
    assert sink.of("session_end")[0].retracted == 1


def test_each_utterance_is_in_the_store_when_its_event_is_emitted(lexicon, matcher, tmp_path):
    db = tmp_path / "pg.db"
    seen: list[tuple[str, int, float]] = []

    class CheckStore(Collect):
        def handle(self, event: Event) -> None:
            if event.event == "utterance":
                # Another connection (a report, or the file after a crash) sees it now.
                with Store.open(db, create=False) as other:
                    (call,) = other.calls()
                    seen.append((call.status, len(other.transcript(call.pk).utterances),
                                 call.score))

    store = Store.open(db)
    session(lexicon, ListSource(14), ScriptedRecognizer(SCRIPT), store=store,
            sinks=[CheckStore()], agent="kim", matcher=matcher).run()
    assert seen == [("in_progress", 1, 85.0), ("in_progress", 2, 80.0)]
    (call,) = store.calls()
    assert (call.status, call.source, call.agent, call.score, call.hits) == (
        "ok", "live", "kim", 80.0, 3)
    hits = store.hits(call=call.pk)
    assert [(h.rule_id, round(h.time_start, 6)) for h in hits] == [
        ("judge", 0.9), ("drama", 2.4), ("contact", 2.6)]
    store.close()


def test_stop_request_still_recognises_pending_audio(lexicon, matcher):
    stop = threading.Event()
    sink = Collect()
    rec = ScriptedRecognizer({3: [partial("판사")]}, at_finish=[final("판사 님")])
    # The stop arrives while block 5 is read; the source still has blocks queued.
    source = ListSource(8, on_read={4: stop.set})
    s = LiveSession(source, lambda rate: rec, matcher, Scorer(lexicon),
                    sinks=[sink], options=LiveOptions(warmup_seconds=0), stop_event=stop)
    summary = s.run()
    assert source.stopped and source.closed
    assert rec.fed == 8  # every queued block was still recognised
    assert rec.finished == 1  # and the utterance in progress finalised
    assert summary.reason == "stopped"
    assert sink.kinds() == ["session_start", "partial", "hit", "utterance", "session_end"]
    assert sink.of("utterance")[0].text == "판사 님"


def test_device_failure_saves_what_was_heard_then_raises(lexicon, matcher, tmp_path):
    db = tmp_path / "pg.db"
    store = Store.open(db)
    sink = Collect()
    script = {2: [final("판사 님", 0.1)], 4: [partial("드라마")]}
    rec = ScriptedRecognizer(script, at_finish=[final("드라마 하구", 0.5)])
    s = session(lexicon, ListSource(10, fail_after=5), rec, store=store, sinks=[sink],
                record=tmp_path / "rec.wav", matcher=matcher)
    with pytest.raises(AudioError, match="stopped delivering audio"):
        s.run()
    end = sink.of("session_end")[0]
    assert end.reason == "error" and "stopped delivering audio" in end.error
    assert end.utterances == 2  # the one in progress was finalised too
    (call,) = store.calls()
    # What was heard is a scored call (its violations count for the agent);
    # the reason it ended early is kept with it.
    assert call.status == "ok" and "stopped delivering audio" in call.failure
    assert [u.text for u in store.transcript(call.pk).utterances] == ["판사 님", "드라마 하구"]
    assert sum(a.calls for a in store.agent_summaries()) == 1
    # The recording holds the 5 blocks captured before the failure.
    assert sf.info(str(tmp_path / "rec.wav")).frames == 5 * RATE // 10
    store.close()


def test_status_events_report_level_and_backlog(lexicon, matcher):
    sink = Collect()
    session(lexicon, ListSource(3), ScriptedRecognizer({}), sinks=[sink],
            status_interval=0.0, matcher=matcher).run()
    statuses = sink.of("status")
    assert statuses and statuses[0].level_dbfs == -120.0  # silence
    assert statuses[0].backlog_seconds == pytest.approx(0.2)
