"""live with the rules that read the customer's turn (``needs_customer``): on
two-party input the customer's chase before "请您耐心等待" makes it a violation,
alerted once the agent's next utterance offers nothing; with the agent's voice
alone the same words are never alerted. Scripted recognisers and the default
(Chinese) lexicon; no Vosk."""

from __future__ import annotations

from test_live_callflow import StereoSource, run
from test_session import ListSource, final

from tests.engine.recording_model import RecordingModel

# (the default lexicon and its matcher: tests/conftest.py's session fixtures)
CHASE = {25: [final("快递 五 天 了 还 没 到 到底 什么 时候 送", 0.2)]}
WAIT = {60: [final("亲 请 您 耐心 等待 哦", 4.0)], 120: [final("请问 还有 其他 问题 吗", 10.0)]}


def test_a_bare_wait_after_the_customers_chase_is_alerted(default_lexicon, matcher) -> None:
    _, sink = run(default_lexicon, matcher, None, StereoSource(200), WAIT, customer_script=CHASE,
                  agent_channel="left")
    alerts = [a for a in sink.of("hit") if a.rule_id == "wait-without-action"]
    assert len(alerts) == 1
    assert "the customer's turn before" in alerts[0].reason


def test_with_the_agents_voice_alone_it_is_never_alerted(default_lexicon, matcher) -> None:
    _, sink = run(default_lexicon, matcher, None, ListSource(200), WAIT)
    assert [a for a in sink.of("hit") if a.rule_id == "wait-without-action"] == []


def test_an_offer_in_the_next_utterance_resolves_it(default_lexicon, matcher) -> None:
    agent = {60: [final("亲 请 您 耐心 等待 哦", 4.0)],
             120: [final("我 已经 帮 您 联系 站点 加急 了", 10.0)]}
    _, sink = run(default_lexicon, matcher, None, StereoSource(200), agent, customer_script=CHASE,
                  agent_channel="left")
    assert [a for a in sink.of("hit") if a.rule_id == "wait-without-action"] == []


def test_the_meaning_model_reads_an_utterance_with_the_customers_turn_before(
        default_lexicon) -> None:
    from phraseguard.engine.matcher import Matcher

    matcher = Matcher(default_lexicon)
    model = RecordingModel()
    matcher.dialogue.use_meaning(model, matcher.mentions)  # type: ignore[arg-type]
    agent = {60: [final("嗯 好 的", 4.0)]}  # no rule matches: the model reads it
    run(default_lexicon, matcher, None, StereoSource(200), agent, customer_script=CHASE,
        agent_channel="left")
    assert model.customers == ["快递 五 天 了 还 没 到 到底 什么 时候 送"]
