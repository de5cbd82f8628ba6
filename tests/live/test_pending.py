"""A give-up or "don't know" waits for the agent's next utterance before it alerts
(issue #8, live): scripted recogniser, the default (Chinese) lexicon, no Vosk."""

from __future__ import annotations

import builtins
import io
import json
import marshal
import os
import sqlite3

import pytest
from test_session import Collect, ListSource, ScriptedRecognizer, final, partial

from phraseguard.calls.scoring import Scorer
from phraseguard.calls.store import Store
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.live.events import JsonLinesSink
from phraseguard.live.session import LiveOptions, LiveSession

GIVE_UP = "这个 我们 也 没 办法 呢"  # give-up (major), waits for the next turn
OFFER = "我 帮 您 申请 一下 补偿"  # resolves it
NOTHING = "那 就 这样 吧"  # does not


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def matcher(lexicon):
    return Matcher(lexicon)


def run(lexicon, matcher, script, blocks, *, store=None, at_finish=(), sinks=(), **options):
    sink = Collect()
    s = LiveSession(ListSource(blocks), lambda rate: ScriptedRecognizer(script, at_finish),
                    matcher, Scorer(lexicon), store=store, sinks=[sink, *sinks],
                    options=LiveOptions(warmup_seconds=0, **options))
    return s.run(), sink


def test_give_up_resolved_by_the_next_utterance_never_alerts_and_costs_nothing(
        lexicon, matcher, tmp_path):
    script = {1: [partial("这个 我们 也 没 办法")], 2: [final(GIVE_UP, 0.1)],
              5: [partial("我 帮 您")], 8: [final(OFFER, 2.5)]}
    store = Store.open(tmp_path / "pg.db")
    summary, sink = run(lexicon, matcher, script, 10, store=store)
    assert sink.of("hit") == []
    # Not even highlighted in the partial result.
    assert all(p.spans == () for p in sink.of("partial"))
    (held,) = sink.of("pending")
    assert (held.utterance, held.rule_ids, held.text) == (0, ("give-up",), GIVE_UP)
    # The held utterance is saved (with nothing against it) once the next one settles it.
    assert [(u.index, u.hits) for u in sink.of("utterance")] == [(0, ()), (1, ())]
    assert summary.score == 100 and summary.counted_hits == 0
    (call,) = store.calls()
    assert call.score == 100 and store.hits(call=call.pk) == []
    assert [u.text for u in store.transcript(call.pk).utterances] == [GIVE_UP, OFFER]
    store.close()


def test_give_up_the_next_utterance_does_not_resolve_alerts_then_with_its_reason(
        lexicon, matcher, tmp_path):
    script = {2: [final(GIVE_UP, 0.1)], 8: [final(NOTHING, 2.5)]}
    store = Store.open(tmp_path / "pg.db")
    summary, sink = run(lexicon, matcher, script, 10, store=store)
    (alert,) = sink.of("hit")
    assert (alert.rule_id, alert.utterance, alert.from_partial) == ("give-up", 0, False)
    assert alert.t == pytest.approx(0.8)  # when the next utterance was final, not before
    assert "nothing offered in this or the agent's next turn" in alert.reason
    assert alert.time_start is not None  # the phrase's place in the audio
    kinds = [k for k in sink.kinds() if k in ("pending", "hit", "utterance")]
    assert kinds == ["pending", "hit", "utterance", "utterance"]
    first = sink.of("utterance")[0]
    assert [(h.rule_id, h.counted) for h in first.hits] == [("give-up", True)]
    points = Scorer(lexicon).points_for(alert_hit(matcher))
    assert summary.score == first.score == 100 - points
    (call,) = store.calls()
    (row,) = store.hits(call=call.pk)
    assert (row.rule_id, row.utterance, row.counted, call.score) == (
        "give-up", 0, True, 100 - points)
    assert "next turn" in row.reason
    store.close()


def alert_hit(matcher):
    return next(h for h in matcher.scan(GIVE_UP) if h.rule_id == "give-up")


def test_give_up_without_a_next_utterance_is_confirmed_after_pending_seconds_of_audio(
        lexicon, matcher):
    # The utterance's words end at 0.1 + 5 * 0.3 + 0.25 = 1.85 s; 1.0 s later,
    # on the first block at or past 2.85 s of audio (blocks are 0.1 s), it alerts.
    script = {2: [final(GIVE_UP, 0.1)]}
    summary, sink = run(lexicon, matcher, script, 40, pending_seconds=1.0)
    (held,) = sink.of("pending")
    assert held.until == pytest.approx(2.85)
    (alert,) = sink.of("hit")
    assert alert.t == pytest.approx(2.9)
    assert "none within 1 s" in alert.reason
    # The clock is the audio's, not the wall's: the scripted session runs in
    # milliseconds and the alert still waited 1 s of audio.
    assert summary.counted_hits == 1


def test_pending_give_up_is_confirmed_when_the_session_ends(lexicon, matcher):
    summary, sink = run(lexicon, matcher, {}, 3, at_finish=[final(GIVE_UP, 0.1)])
    (alert,) = sink.of("hit")
    assert "no next agent turn" in alert.reason
    kinds = sink.kinds()
    assert kinds.index("hit") < kinds.index("utterance") < kinds.index("session_end")
    assert summary.counted_hits == 1 and summary.utterances == 1


def test_other_rules_alert_from_partials_while_a_give_up_in_the_same_line_waits(
        lexicon, matcher):
    # (whatever: no turn condition. Since the eighteenth session a disclaimer such
    # as 我们不管, and since the twentieth a brush-off such as 爱买不买, waits for the
    # next utterance too, like a give-up.)
    script = {1: [partial("随 你 便")], 2: [partial("随 你 便 我 也 没 办法")],
              3: [final("随 你 便 我 也 没 办法", 0.1)], 6: [final(OFFER, 2.5)]}
    summary, sink = run(lexicon, matcher, script, 8)
    assert [(h.rule_id, h.from_partial) for h in sink.of("hit")] == [
        ("whatever", True)]
    assert sink.of("pending")[0].rule_ids == ("give-up",)
    assert summary.rules == {"whatever": 1}


def test_json_events_carry_pending_and_the_reason(lexicon, matcher, tmp_path):
    out = tmp_path / "events.jsonl"
    sink = JsonLinesSink(out)
    run(lexicon, matcher, {2: [final(GIVE_UP, 0.1)], 8: [final(NOTHING, 2.5)]}, 10,
        sinks=[sink])
    sink.close()
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    pending = next(e for e in lines if e["event"] == "pending")
    assert pending["rule_ids"] == ["give-up"] and pending["until"] > 0
    hit = next(e for e in lines if e["event"] == "hit")
    assert "next turn" in hit["reason"]


def test_first_alert_of_a_session_without_warm_up_opens_no_file(lexicon, monkeypatch):
    """Issue #9/#10: the Matcher loads its tables when built, so the live warm-up
    scan is gone; the first scan, its judging and the alert touch no file."""
    matcher = Matcher(lexicon)  # built before the session, as run_live does
    sink = Collect()
    script = {1: [partial("随 你 便")], 2: [final("随 你 便 我 也 没 办法", 0.1)],
              4: [final(NOTHING, 2.0)]}
    s = LiveSession(ListSource(5), lambda rate: ScriptedRecognizer(script), matcher,
                    Scorer(lexicon), sinks=[sink], options=LiveOptions(warmup_seconds=0))

    def refuse(*args, **kwargs):
        raise AssertionError(f"I/O during the live session: {args[:1]}")

    for target, name in ((builtins, "open"), (io, "open"), (os, "open"),
                         (sqlite3, "connect"), (marshal, "load")):
        monkeypatch.setattr(target, name, refuse)
    s.run()
    monkeypatch.undo()
    assert [(h.rule_id, h.from_partial) for h in sink.of("hit")] == [
        ("whatever", True), ("give-up", False)]
    assert sink.of("hit")[0].t == pytest.approx(0.1)  # on the first block's partial
