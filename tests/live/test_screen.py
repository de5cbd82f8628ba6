"""The agent's screen and the plain-line log, fed with events (no audio, no Vosk)."""

from __future__ import annotations

import io

from rich.console import Console

from phraseguard.live.events import (
    Alert,
    Partial,
    Retract,
    SessionEnd,
    SessionStart,
    Status,
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
