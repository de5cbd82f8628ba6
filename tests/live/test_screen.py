"""The agent's screen and the plain-line log, fed with events (no audio, no Vosk)."""

from __future__ import annotations

import dataclasses
import io

from rich.console import Console

from phraseguard.live.events import (
    Alert,
    Partial,
    Pending,
    Reminder,
    Retract,
    SessionEnd,
    SessionStart,
    Status,
    Timing,
    UtteranceDone,
    UtteranceHit,
)
from phraseguard.live.screen import LiveScreen, PlainLines, clock, highlight, level_meter

START = SessionStart(call_id="live-1", agent="kim", source="#3 Jabra EVOLVE 20", model="vosk-ko",
                     sample_rate=16000, lexicon="default", rules=12, db="pg.db", record=None,
                     wall=0.0)
ALERT = Alert(utterance=0, rule_id="give-up", category="giving_up", severity="critical",
              message="Gives up on the customer", suggestion="我帮您再想想办法",
              suggestions=("我帮您再想想办法",), phrase="没办法解决", matched="没办法解决",
              normalized="没办法解决", kind="exact", confidence=1.0, char_start=3, char_end=9, reason="",
              text="这个 没办法 解决", from_partial=True, time_start=None, time_end=None,
              t=3.25, wall=0.0)
UTTERANCE = UtteranceDone(
    index=0, text="这个问题没办法解决", start=1.5, end=3.4,
    hits=(UtteranceHit("give-up", "没办法解决", 4, 9, 2.1, 3.4, True, 20.0),),
    score=80.0, t=3.9, wall=0.0)
END = SessionEnd(call_id="live-1", reason="stopped", error=None, score=80.0, utterances=1,
                 alerts=1, counted_hits=1, retracted=0, rules={"give-up": 1}, duration=5.0,
                 wall=0.0)


def test_plain_lines_golden():
    out = io.StringIO()
    sink = PlainLines(out)
    for event in (START, Partial(0, "这个", (), 1.0, 0.0), ALERT,
                  Retract(0, "give-up", "没办法解决", 3.9, 0.0), UTTERANCE,
                  Status(-20.0, 0.0, 0, 0, 4.0, 0.0), END):
        sink.handle(event)
    assert out.getvalue() == (
        "listening on #3 Jabra EVOLVE 20 at 16000 Hz, model vosk-ko, lexicon default "
        "(12 rules), call live-1\n"
        "00:03.2 ALERT give-up (critical): “没办法解决” - Gives up on the customer; "
        "say instead: 我帮您再想想办法\n"
        "00:03.9 retracted give-up: “没办法解决” not in the final transcript\n"
        "00:01.5 这个问题没办法解决 [give-up]\n"
        "session ended (stopped): score 80, 1 utterances, 1 alerts, 1 counted, 5.0 s heard, "
        "0 overflows, 0 dropped\n"
    )


def shown(screen: LiveScreen) -> str:
    """The screen's current content as plain text."""
    console = Console(file=io.StringIO(), width=100, record=True)
    console.print(screen.render())
    return console.export_text()


def test_screen_shows_transcript_alert_score_level_and_device():
    screen = LiveScreen(Console(file=io.StringIO(), force_terminal=True, width=100))
    for event in (START, Status(-18.0, 0.3, 2, 0, 3.0, 0.0), Partial(0, "这个 没办法 解决",
                  ((3, 9, "give-up"),), 3.2, 0.0), ALERT):
        screen.handle(event)
    text = shown(screen)
    screen.handle(UTTERANCE)
    screen.handle(END)
    screen.close()
    final = shown(screen)
    assert "#3 Jabra EVOLVE 20 @ 16000 Hz" in text and "vosk-ko" in text and "kim" in text
    assert "-18.0 dBFS" in text
    assert "这个 没办法 解决" in text  # the partial, before the utterance is final
    assert "Say instead: 我帮您再想想办法" in text and "“没办法解决”" in text
    assert "overflows 2" in text
    assert "这个问题没办法解决" in final and "Score 80" in final
    assert "Session ended (stopped)" in final


def test_highlight_marks_the_hit_span():
    line = highlight("这个问题没办法解决", [(4, 9)])
    assert [(s.start, s.end, str(s.style)) for s in line.spans] == [(4, 9, "bold white on red")]


def test_clock_and_meter():
    assert clock(None) == "--:--.-"
    assert clock(75.26) == "01:15.3"
    assert level_meter(-120.0).plain.startswith("░")
    assert level_meter(0.0).plain.startswith("█" * 30)
    assert level_meter(-30.0).plain.count("█") == 15


REMINDER = Reminder(utterance=0, rule_id="greeting", category="call-flow", severity="minor",
                    message="no greeting in the first 15 s", suggestion="您好，很高兴为您服务",
                    suggestions=("您好，很高兴为您服务",), phrase="first 15 s", matched="",
                    normalized="", kind="missing", confidence=1.0, char_start=0, char_end=0,
                    reason="", time_start=0.3, time_end=15.3, at_end=False, score=95.0,
                    t=15.3, wall=0.0)
DEAD_AIR = Timing(utterance=1, rule_id="dead-air", category="call-flow", severity="minor",
                  message="dead air: the customer waited 5.8 s for an answer (limit 5 s)",
                  suggestion="请您稍等，我马上帮您查询", suggestions=("请您稍等，我马上帮您查询",),
                  phrase="dead-air", matched="", normalized="", kind="timing", confidence=1.0,
                  char_start=0, char_end=0, reason="", time_start=2.25, time_end=8.0,
                  at_end=False, score=90.0, t=10.0, wall=0.0)
HELD = Pending(utterance=0, text="这个 没 办法 呢", start=1.5, end=2.4, rule_ids=("give-up",),
               until=10.4, t=2.6, wall=0.0)


def test_plain_lines_show_reason_pending_reminder_and_timing():
    out = io.StringIO()
    sink = PlainLines(out)
    why = dataclasses.replace(ALERT, reason="nothing offered in this or the agent's next turn")
    for event in (HELD, why, REMINDER, DEAD_AIR):
        sink.handle(event)
    assert out.getvalue() == (
        "00:02.6 waiting for the next utterance: give-up in “这个 没 办法 呢”\n"
        "00:03.2 ALERT give-up (critical): “没办法解决” - Gives up on the customer; "
        "say instead: 我帮您再想想办法 (why: nothing offered in this or the agent's next turn)\n"
        "00:15.3 REMINDER greeting (minor): no greeting in the first 15 s; "
        "say: 您好，很高兴为您服务\n"
        "00:10.0 TIMING dead-air (minor): dead air: the customer waited 5.8 s for an answer "
        "(limit 5 s); say: 请您稍等，我马上帮您查询\n"
    )


def test_screen_shows_the_held_utterance_the_reason_and_reminders():
    screen = LiveScreen(Console(file=io.StringIO(), force_terminal=True, width=120))
    screen.handle(START)
    screen.handle(HELD)
    text = shown(screen)
    assert "这个 没 办法 呢" in text and "waiting for the next utterance" in text
    assert "No forbidden phrase so far." in text  # held: no alert yet
    screen.handle(dataclasses.replace(ALERT, reason="nothing offered in this or the next turn"))
    assert "Why: nothing offered in this or the next turn" in shown(screen)
    screen.handle(UTTERANCE)  # the held utterance, settled
    assert "waiting for the next utterance" not in shown(screen)
    screen.handle(REMINDER)
    text = shown(screen)
    assert "Reminder at 00:15.3" in text and "no greeting in the first 15 s" in text
    assert "Say: 您好，很高兴为您服务" in text and "Score 95" in text
    screen.handle(DEAD_AIR)
    assert "Timing at 00:10.0" in shown(screen)
    screen.close()
