"""Call flow in a live session (issue #11): greeting reminders when the window closes,
the closing check at the end, dead air and talk-over on two-party input. Scripted
recognisers and the default (Chinese) lexicon; no Vosk."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from test_session import RATE, Collect, ListSource, ScriptedRecognizer, final

from phraseguard.calls.scoring import Scorer
from phraseguard.calls.store import Store
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.live.flow import live_call_flow
from phraseguard.live.session import LiveOptions, LiveSession
from phraseguard.speech.capture import FileSource

NO_GREETING = "请问 有 什么 问题"
GREETING = "您好 我 是 小王 很 高兴 为 您 服务"
FAREWELL = "感谢 您 的 来电 再见"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def matcher(lexicon):
    return Matcher(lexicon)


@pytest.fixture(scope="module")
def flow(lexicon):
    return live_call_flow(lexicon)


class StereoSource(ListSource):
    """Two channels of 0.1 s blocks (interleaved), like a stereo --input file."""

    channels = 2

    def read(self, timeout: float) -> bytes | None:
        block = super().read(timeout)
        return None if block is None else block * 2


def run(lexicon, matcher, flow, source, agent_script, *, customer_script=None, store=None,
        agent_at_finish=(), **options):
    sink = Collect()
    customer = ScriptedRecognizer(customer_script or {})
    s = LiveSession(source, lambda rate: ScriptedRecognizer(agent_script, agent_at_finish),
                    matcher, Scorer(lexicon), store=store, sinks=[sink], flow=flow,
                    customer_recognizer_for=(lambda rate: customer) if customer_script
                    else None,
                    options=LiveOptions(warmup_seconds=0, **options))
    return s.run(), sink


def minor(lexicon) -> float:
    return float(lexicon.scoring.deductions["minor"])


def test_missing_greeting_is_reminded_when_its_window_closes_and_closing_at_the_end(
        lexicon, matcher, flow, tmp_path):
    store = Store.open(tmp_path / "pg.db")
    summary, sink = run(lexicon, matcher, flow, ListSource(200),
                        {5: [final(NO_GREETING, 0.3)]}, store=store, agent="alice")
    reminders = sink.of("reminder")
    assert [(r.rule_id, r.at_end, r.utterance) for r in reminders] == [
        ("greeting", False, 0), ("self-introduction", False, 0), ("closing", True, 0)]
    # The first window is the first 15 s of the agent's speech (from 0.3 s): the
    # reminder comes on the block that closes it, by audio time.
    assert reminders[0].t == pytest.approx(15.3)
    assert reminders[0].message == "no greeting in the first 15 s"
    assert (reminders[0].time_start, reminders[0].time_end) == pytest.approx((0.3, 15.3))
    assert reminders[0].kind == "missing" and reminders[0].suggestion
    assert reminders[2].message.startswith("no farewell in the last 30 s")
    assert summary.checklist == {"greeting": False, "self-introduction": False,
                                 "closing": False}
    # Saved like score saves them: hits on the utterance, same deductions.
    expected = 100 - 3 * minor(lexicon)
    assert summary.score == expected == reminders[-1].score
    (call,) = store.calls()
    assert call.score == expected
    rows = store.hits(call=call.pk)
    assert sorted((h.rule_id, h.utterance, h.kind, h.counted) for h in rows) == [
        ("closing", 0, "missing", True), ("greeting", 0, "missing", True),
        ("self-introduction", 0, "missing", True)]
    store.close()


def test_greeting_and_farewell_said_in_time_give_no_reminder(lexicon, matcher, flow):
    summary, sink = run(lexicon, matcher, flow, ListSource(200),
                        {5: [final(GREETING, 0.3)], 120: [final(FAREWELL, 10.0)]})
    assert sink.of("reminder") == [] and sink.of("timing") == []
    assert summary.checklist == {"greeting": True, "self-introduction": True, "closing": True}
    assert summary.score == 100


def test_call_flow_off_gives_no_reminders(lexicon, matcher):
    summary, sink = run(lexicon, matcher, None, ListSource(200),
                        {5: [final(NO_GREETING, 0.3)]})
    assert sink.of("reminder") == [] and summary.checklist == {}
    assert summary.score == 100


CUSTOMER = {
    25: [final("喂 你好 我 想 问 一下 订单", 0.2)],  # 0.2 - 2.25 s
    137: [final("我 的 快递 一直 没 到 怎么 回事 啊", 11.0)],  # 11.0 - 13.65 s
}
AGENT = {
    100: [final(GREETING, 8.0)],  # 5.75 s after the customer stopped: dead air
    135: [final("好的 我 帮 您 查 一下", 11.5)],  # cuts in at 11.5, both until 13.25
}


def test_two_party_input_gives_dead_air_and_talk_over_events(lexicon, matcher, flow,
                                                             tmp_path):
    store = Store.open(tmp_path / "pg.db")
    summary, sink = run(lexicon, matcher, flow, StereoSource(160), AGENT,
                        customer_script=CUSTOMER, store=store, agent_channel="left")
    timing = sink.of("timing")
    assert [(e.rule_id, e.utterance) for e in timing] == [("dead-air", 1), ("talk-over", 2)]
    dead, over = timing
    assert (dead.time_start, dead.time_end) == pytest.approx((2.25, 8.0), abs=0.01)
    assert "waited 5.8 s" in dead.message
    assert dead.t == pytest.approx(10.0)  # as soon as the agent's utterance was final
    assert (over.time_start, over.time_end) == pytest.approx((11.5, 13.25), abs=0.01)
    # The customer's utterance came after the agent's: talk-over waits for it.
    assert over.t == pytest.approx(13.7)
    # The customer's speech is saved (not scored); the agent greeted in time.
    assert [(u.index, u.text.split()[0]) for u in sink.of("utterance")] == [
        (0, "喂"), (1, "您好"), (2, "好的"), (3, "我")]
    assert summary.checklist["greeting"] is True
    (call,) = store.calls()
    roles = [u.role.value for u in store.transcript(call.pk).utterances]
    assert roles == ["customer", "agent", "agent", "customer"]
    rows = {h.rule_id: h for h in store.hits(call=call.pk)}
    assert {"dead-air", "talk-over", "closing"} <= set(rows)
    assert rows["dead-air"].time_start == pytest.approx(2.25, abs=0.01)
    assert call.score == summary.score == 100 - 3 * minor(lexicon)
    store.close()


def test_talk_over_is_attached_to_the_agent_even_when_the_customer_is_heard_first(
        lexicon, matcher, flow):
    # Same call, but the talk-over's agent utterance is the later final: index 2
    # is then the customer's, 3 the agent's.
    agent = {100: AGENT[100], 140: AGENT[135]}
    _, sink = run(lexicon, matcher, flow, StereoSource(160), agent,
                  customer_script=CUSTOMER, agent_channel="right")
    over = sink.of("timing")[-1]
    assert over.rule_id == "talk-over" and over.utterance == 3


def test_one_party_input_has_no_dead_air_or_talk_over(lexicon, matcher, flow):
    # The agent's side alone (a headset): the same long silences are not dead
    # air, since nobody knows when the customer spoke.
    summary, sink = run(lexicon, matcher, flow, ListSource(160), AGENT,
                        agent_channel="left")
    assert sink.of("timing") == []
    (notice,) = sink.of("warning")
    assert "one channel" in notice.message and "agent only" in notice.message
    assert summary.warnings == [notice.message]


def test_stereo_input_file_keeps_the_channels_apart_and_is_recorded_in_stereo(
        lexicon, matcher, flow, tmp_path):
    wav = tmp_path / "call.wav"
    t = np.arange(RATE) / RATE
    left = (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2")
    sf.write(wav, np.stack([left, np.zeros_like(left)], axis=1), RATE, subtype="PCM_16")
    src = FileSource(wav, fast=True, two_channels=True)
    assert src.channels == 2
    assert FileSource(wav, fast=True).channels == 1  # mixed down unless asked
    agent_fed: list[bytes] = []
    customer_fed: list[bytes] = []

    class Recorder(ScriptedRecognizer):
        def __init__(self, into: list[bytes]) -> None:
            super().__init__({})
            self.into = into

        def feed(self, pcm: bytes):
            self.into.append(pcm)
            return super().feed(pcm)

    record = tmp_path / "rec.wav"
    LiveSession(src, lambda rate: Recorder(agent_fed), matcher, Scorer(lexicon), flow=flow,
                customer_recognizer_for=lambda rate: Recorder(customer_fed),
                options=LiveOptions(warmup_seconds=0, agent_channel="left",
                                    record=record)).run()
    agent = np.frombuffer(b"".join(agent_fed), dtype="<i2")
    customer = np.frombuffer(b"".join(customer_fed), dtype="<i2")
    assert agent.tolist() == left.tolist()  # the left channel, whole, in order
    assert not customer.any()
    data, rate = sf.read(record, dtype="int16")
    assert data.shape == (RATE, 2) and data[:, 0].tolist() == left.tolist()


def test_live_call_flow_leaves_slow_start_out(lexicon):
    checks = {r.check for r in live_call_flow(lexicon).timing.rules}
    assert "slow-start" not in checks and {"dead-air", "talk-over"} <= checks
    assert any(r.check == "slow-start" for r in lexicon.flow.timing)


def test_live_call_flow_shares_the_session_matchers_tables(lexicon):
    from phraseguard.speech.transcript import Role, Utterance

    matcher = Matcher(lexicon)
    flow = live_call_flow(lexicon, tables=matcher.tables)
    assert flow.required.tables is matcher.tables
    call = [Utterance("您好，我是客服小王，很高兴为您服务", Role.AGENT, 0.0, 3.0)]
    said = flow.check(call).checklist
    assert said == live_call_flow(lexicon).check(call).checklist
    assert said.get("greeting") and said.get("self-introduction")
