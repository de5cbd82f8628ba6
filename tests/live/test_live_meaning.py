"""live: a turn no rule matched, read by the meaning model, waits for the agent's
next utterance like a give-up (scripted recogniser, default lexicon, no Vosk)."""

from __future__ import annotations

import pytest
from test_session import Collect, ListSource, ScriptedRecognizer, final

from phraseguard.calls.scoring import Scorer
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.meaning_files import use_meaning
from phraseguard.live.session import LiveOptions, LiveSession
from tests.engine.waiting_model import waiting_matcher

NEW_WORDING = "这个嘛 您 心里 应该 有数 吧 反正 不是 我们 这边 造成 的"  # no rule lists it
OFFER = "我 马上 帮 您 联系 负责 的 同事 核实 半小时 内 给 您 回 电话"
NOTHING = "还有 别的 问题 吗"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def matcher(lexicon):
    m = Matcher(lexicon)
    assert use_meaning(m)
    assert m.scan(NEW_WORDING) == []
    return m


def run(lexicon, matcher, script, blocks):
    sink = Collect()
    s = LiveSession(ListSource(blocks), lambda rate: ScriptedRecognizer(script, ()),
                    matcher, Scorer(lexicon), sinks=[sink],
                    options=LiveOptions(warmup_seconds=0))
    return s.run(), sink


def test_model_reading_resolved_by_an_offer_in_the_next_utterance_never_alerts(lexicon, matcher):
    summary, sink = run(lexicon, matcher, {2: [final(NEW_WORDING, 0.1)], 8: [final(OFFER, 2.5)]},
                        10)
    (held,) = sink.of("pending")
    assert held.utterance == 0
    assert sink.of("hit") == [] and summary.score == 100


def test_model_reading_not_resolved_alerts_with_the_model_reason(lexicon, matcher):
    summary, sink = run(lexicon, matcher, {2: [final(NEW_WORDING, 0.1)], 8: [final(NOTHING, 2.5)]},
                        10)
    (alert,) = sink.of("hit")
    assert alert.utterance == 0 and "meaning model" in alert.reason
    assert alert.rule_id in {"give-up", "disclaim-knowledge", "disclaim-responsibility",
                             "brush-off"}
    assert summary.score < 100


def test_a_reading_below_min_confidence_waits_and_alerts_when_the_next_utterance_offers_nothing(
        lexicon):
    m = waiting_matcher(lexicon)
    summary, sink = run(lexicon, m, {2: [final("哎呀", 0.1)], 8: [final(NOTHING, 2.5)]}, 10)
    (held,) = sink.of("pending")
    assert held.utterance == 0
    (alert,) = sink.of("hit")
    assert alert.utterance == 0 and alert.rule_id == "give-up" and "meaning model" in alert.reason


def test_a_reading_below_min_confidence_with_no_next_utterance_never_alerts(lexicon):
    m = waiting_matcher(lexicon)
    summary, sink = run(lexicon, m, {2: [final("哎呀", 0.1)]}, 10)
    assert sink.of("hit") == [] and summary.score == 100
