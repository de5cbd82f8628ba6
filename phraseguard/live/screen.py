"""What the agent sees during a live session: a rich screen, or plain lines.

:class:`LiveScreen` is a full-terminal view redrawn a few times a second: the
device and model in use, an input level meter, the rolling transcript with
forbidden phrases highlighted, the latest alert with the phrasing to use
instead (and why it counted), call-flow reminders and timing events, and the
session's running score and counts. :class:`PlainLines`
prints one line per alert, reminder, timing event, utterance and session start/end for logs and pipes
(used when the output is not a terminal). Both are sinks of
:mod:`phraseguard.live.events`; neither knows anything about audio.
"""

from __future__ import annotations

from collections import deque
from typing import TextIO

from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from phraseguard.live.events import (
    Alert,
    Event,
    FlowEvent,
    Notice,
    Partial,
    Pending,
    Retract,
    SessionEnd,
    SessionStart,
    Status,
    UtteranceDone,
)

#: Final utterances kept on screen.
TRANSCRIPT_LINES = 8
#: The level meter spans this range of dBFS (speech sits around -30..-10).
METER_FLOOR_DBFS = -60.0
METER_WIDTH = 30
#: Screen redraws per second (rich's refresh thread).
REFRESH_PER_SECOND = 8

SEVERITY_STYLE = {"critical": "bold white on red", "major": "bold red", "minor": "yellow",
                  "info": "cyan"}


def clock(seconds: float | None) -> str:
    """``mm:ss.s`` for a time in the session."""
    if seconds is None:
        return "--:--.-"
    minutes, secs = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes):02d}:{secs:04.1f}"


def level_meter(dbfs: float, width: int = METER_WIDTH) -> Text:
    """A bar from METER_FLOOR_DBFS to 0 dBFS: green, yellow near the top, red at clipping."""
    fraction = min(1.0, max(0.0, (dbfs - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS))
    filled = round(fraction * width)
    style = "green" if dbfs < -12 else ("yellow" if dbfs < -3 else "red")
    bar = Text("█" * filled, style=style)
    bar.append("░" * (width - filled), style="grey37")
    bar.append(f" {dbfs:6.1f} dBFS")
    return bar


def highlight(text: str, spans) -> Text:
    """``text`` with each (start, end, ...) span shown as a violation."""
    out = Text(text)
    for span in spans:
        out.stylize("bold white on red", span[0], span[1])
    return out


class LiveScreen:
    """The full-screen view (rich Live) for an agent or a supervisor at a terminal."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()
        self._start: SessionStart | None = None
        self._lines: deque[UtteranceDone] = deque(maxlen=TRANSCRIPT_LINES)
        self._partial: Partial | None = None
        self._held: Pending | None = None  # an utterance whose give-up waits
        self._alert: Alert | FlowEvent | None = None
        self._retracted: set[tuple[int, str, str]] = set()
        self._status: Status | None = None
        self._score = 100.0
        self._alerts = 0
        self._end: SessionEnd | None = None
        self._notices: list[Notice] = []
        self._live = Live(self.render(), console=self.console,
                          refresh_per_second=REFRESH_PER_SECOND, transient=False)
        self._running = False

    def handle(self, event: Event) -> None:
        if isinstance(event, SessionStart):
            self._start = event
            if not self._running:
                self._live.start()
                self._running = True
        elif isinstance(event, Partial):
            self._partial = event
        elif isinstance(event, Pending):
            self._held = event
            self._partial = None
        elif isinstance(event, UtteranceDone):
            self._lines.append(event)
            if self._held is not None and self._held.utterance == event.index:
                self._held = None
            else:
                self._partial = None
            self._score = event.score
        elif isinstance(event, Alert):
            self._alert = event
            self._alerts += 1
        elif isinstance(event, FlowEvent):
            self._alert = event
            self._score = event.score
        elif isinstance(event, Retract):
            self._retracted.add((event.utterance, event.rule_id, event.matched))
        elif isinstance(event, Status):
            self._status = event
        elif isinstance(event, Notice):
            self._notices.append(event)
        elif isinstance(event, SessionEnd):
            self._end = event
            self._score = event.score
        if self._running:
            self._live.update(self.render())

    def close(self) -> None:
        if self._running:
            self._live.update(self.render())
            self._live.stop()
            self._running = False

    # -- drawing ---------------------------------------------------------------

    def render(self) -> Group:
        """What the screen shows now (a rich renderable)."""
        return Group(self._header(), self._transcript(), self._alert_panel(), self._footer())

    def _header(self) -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        s = self._start
        grid.add_row("Input", f"{s.source} @ {s.sample_rate} Hz" if s else "starting…")
        grid.add_row("Model", s.model if s else "")
        grid.add_row("Agent", (s.agent or "-") if s else "")
        level = self._status.level_dbfs if self._status else -120.0
        grid.add_row("Level", level_meter(level))
        return grid

    def _transcript(self) -> Panel:
        body = Text()
        for u in self._lines:
            body.append(f"{clock(u.start)}  ", style="dim")
            body.append(highlight(u.text, [(h.char_start, h.char_end) for h in u.hits]))
            body.append("\n")
        if self._held is not None:
            body.append(f"{clock(self._held.start)}  ", style="dim")
            body.append(self._held.text)
            body.append("  (waiting for the next utterance)\n", style="dim")
        if self._partial is not None:
            body.append(f"{clock(self._partial.t)}  ", style="dim")
            line = highlight(self._partial.text, self._partial.spans)
            line.stylize("italic")
            body.append(line)
        return Panel(body, title="Transcript", border_style="blue")

    def _alert_panel(self) -> Panel:
        a = self._alert
        if a is None:
            return Panel(Text("No forbidden phrase so far.", style="green"), title="Alert",
                         border_style="green")
        if isinstance(a, FlowEvent):
            return self._flow_panel(a)
        retracted = (a.utterance, a.rule_id, a.matched) in self._retracted
        body = Text()
        body.append(f"“{a.matched}”", style=SEVERITY_STYLE.get(a.severity, "bold red"))
        body.append(f"  {a.message}  ({a.rule_id}, {a.severity})\n")
        body.append("Say instead: ", style="bold")
        body.append(a.suggestion or "-", style="bold green")
        if a.reason:
            body.append(f"\nWhy: {a.reason}", style="dim")
        if retracted:
            body.append("\n(not confirmed by the final transcript)", style="dim")
        return Panel(body, title=f"Alert at {clock(a.t)}",
                     border_style="grey50" if retracted else "red")

    def _flow_panel(self, a: FlowEvent) -> Panel:
        body = Text()
        body.append(a.message, style=SEVERITY_STYLE.get(a.severity, "bold red"))
        body.append(f"  ({a.rule_id}, {a.severity})\n")
        body.append("Say: " if a.kind == "missing" else "Try: ", style="bold")
        body.append(a.suggestion or "-", style="bold green")
        title = "Reminder" if a.event == "reminder" else "Timing"
        return Panel(body, title=f"{title} at {clock(a.t)}", border_style="yellow")

    def _footer(self) -> Text:
        st = self._status
        text = Text()
        text.append(f"Score {self._score:g}", style="bold")
        text.append(f"   utterances {self._lines[-1].index + 1 if self._lines else 0}")
        text.append(f"   alerts {self._alerts}")
        if self._retracted:
            text.append(f" ({len(self._retracted)} retracted)")
        if st is not None:
            text.append(f"   heard {clock(st.t)}   backlog {st.backlog_seconds:.1f} s")
            if st.overflows or st.dropped:
                text.append(f"   overflows {st.overflows} dropped {st.dropped}", style="bold red")
        for notice in self._notices:
            text.append(f"\nWarning: {notice.message}", style="bold yellow")
        if self._end is not None:
            text.append(f"\nSession ended ({self._end.reason})", style="bold")
            if self._end.error:
                text.append(f": {self._end.error}", style="red")
        return text


class PlainLines:
    """One line per alert, utterance and session start/end (no terminal needed)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def _print(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def handle(self, event: Event) -> None:
        if isinstance(event, SessionStart):
            self._print(
                f"listening on {event.source} at {event.sample_rate} Hz, model {event.model}, "
                f"lexicon {event.lexicon} ({event.rules} rules), call {event.call_id}"
            )
        elif isinstance(event, Alert):
            why = f" (why: {event.reason})" if event.reason else ""
            self._print(
                f"{clock(event.t)} ALERT {event.rule_id} ({event.severity}): “{event.matched}” "
                f"- {event.message}; say instead: {event.suggestion or '-'}{why}"
            )
        elif isinstance(event, FlowEvent):
            label = "REMINDER" if event.event == "reminder" else "TIMING"
            self._print(f"{clock(event.t)} {label} {event.rule_id} ({event.severity}): "
                        f"{event.message}; say: {event.suggestion or '-'}")
        elif isinstance(event, Pending):
            self._print(f"{clock(event.t)} waiting for the next utterance: "
                        f"{', '.join(event.rule_ids)} in “{event.text}”")
        elif isinstance(event, Retract):
            self._print(f"{clock(event.t)} retracted {event.rule_id}: “{event.matched}” "
                        "not in the final transcript")
        elif isinstance(event, UtteranceDone):
            marks = "".join(f" [{h.rule_id}]" for h in event.hits if h.counted)
            self._print(f"{clock(event.start)} {event.text}{marks}")
        elif isinstance(event, Notice):
            self._print(f"warning: {event.message}")
        elif isinstance(event, SessionEnd):
            tail = f"; error: {event.error}" if event.error else ""
            self._print(
                f"session ended ({event.reason}): score {event.score:g}, "
                f"{event.utterances} utterances, {event.alerts} alerts, "
                f"{event.counted_hits} counted, {event.duration:.1f} s heard, "
                f"{event.overflows} overflows, {event.dropped} dropped{tail}"
            )

    def close(self) -> None:
        self.out.flush()
