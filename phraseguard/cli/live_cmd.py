"""``phraseguard devices`` and ``phraseguard live``: coaching on the agent's headset.

Thin: parse the options, build the sinks (screen or plain lines, JSON Lines),
turn SIGINT/SIGTERM into a clean stop, call :func:`phraseguard.live.run.run_live`.
"""

from __future__ import annotations

import contextlib
import sys
import threading

import click

from phraseguard.cli.options import (
    agent_channel_option,
    allow_language_mismatch_option,
    call_flow_on,
    call_flow_option,
    db_option,
    lexicon_option,
    model_option,
    settings_options,
)


@click.command("devices")
def devices() -> None:
    """List the audio input devices phraseguard live can listen on.

    \b
    The device marked * is the system's default input, used when `live` is
    started without --device. Pass either the index or part of the name:
      phraseguard live --device 3
      phraseguard live --device "USB Headset"
    """
    from phraseguard.speech.capture import list_devices

    found = list_devices()
    if not found:
        click.echo("No audio input devices found.")
        return
    click.echo(f"  {'#':>3}  {'channels':>8}  {'rate':>7}  name")
    for d in found:
        mark = "*" if d.is_default else " "
        click.echo(
            f"{mark} {d.index:>3}  {d.channels:>8}  {d.default_rate:>7.0f}  {d.name}"
            + (f"  ({d.host_api})" if d.host_api else "")
        )


@click.command("live")
@click.option("--device", "-d", metavar="ID|NAME",
              help="Input device: index or part of its name (see `phraseguard devices`). "
                   "Default: the system's default input.")
@model_option
@lexicon_option
@click.option("--agent", "-a", metavar="NAME", help="Agent name saved with the session.")
@click.option("--team", metavar="NAME", help="Team name saved with the session.")
@click.option("--events", metavar="FILE|-",
              help="Also write every event as JSON Lines to FILE (appended), or - for stdout.")
@db_option
@click.option("--record", metavar="FILE.wav", type=click.Path(dir_okay=False),
              help="Keep the session's audio in this WAV file.")
@click.option("--input", "input_path", metavar="FILE", type=click.Path(dir_okay=False),
              help="Play a recording through the live pipeline instead of a device "
                   "(demos, training, reproducing a report). Real-time pace.")
@click.option("--fast", is_flag=True, help="With --input: as fast as possible, not real time.")
@click.option("--max-backlog", metavar="SECONDS", type=click.FloatRange(min=1.0),
              default=600.0, show_default=True,
              help="Audio allowed to wait for the recogniser before blocks are dropped "
                   "(and counted). Caps memory if the machine cannot keep up.")
@click.option("--plain", is_flag=True,
              help="Print one line per alert and utterance even on a terminal.")
@click.option("--frames-per-chunk", type=click.IntRange(min=0), metavar="N",
              help="Audio the recogniser takes in at once, in 10 ms frames: smaller alerts "
                   "sooner for a little more CPU. 0 keeps the model's own setting. "
                   "Default: `frames_per_chunk` in phraseguard.toml, else the measured "
                   "default (README, Measured). The installed model is never changed.")
@call_flow_option("dead air and talk-over when the input carries both parties, fast "
                  "speech): a reminder when the greeting or self-introduction has not come "
                  "by the end of its window, the closing checked when the session ends",
                  "phraseguard live --agent alice --call-flow")
@agent_channel_option
@allow_language_mismatch_option
@settings_options
def live(device, model, lexicon, agent, team, events, db, record, input_path, fast,
         max_backlog, plain, frames_per_chunk, call_flow, agent_channel,
         allow_language_mismatch, settings) -> None:
    """Listen to the agent's headset and alert the moment a forbidden phrase is said.

    Shows what it hears, highlights forbidden phrases, and puts the phrasing
    to use instead in front of the agent, usually before they finish the
    sentence. The running score starts at 100 and loses the lexicon's points
    per violation. Each session is saved as a call in the results store as
    it goes, so `phraseguard report` shows it next to the scored recordings.

    With --call-flow, the agent is reminded when the greeting or the
    self-introduction has not come by the end of its window, and the closing
    is checked when the session ends. When the input carries both parties
    (--agent-channel with a stereo --input recording or a two-channel
    device), each side is recognised on its own and dead air and talk-over
    are reported too; a one-channel input is the agent alone.

    The speech model used is named on standard error first. A model in
    another language than the lexicon (a Korean model with the Chinese
    default lexicon) is refused at once, exit 2, unless
    --allow-language-mismatch: it would never hear a forbidden phrase.

    Stop with Ctrl-C (or SIGTERM): what was already heard is still
    transcribed and saved, and the exit code is 0. A missing device or
    model, or a headset unplugged mid-session, ends with a one-line error
    and exit code 2; what was captured until then is kept.

    \b
    Examples:
      phraseguard live --agent alice
      phraseguard live --device "USB Headset" --agent bob --record bob.wav
      phraseguard live --events alerts.jsonl            # feed a supervisor dashboard
      phraseguard live --input call.wav --fast --events -   # replay a recorded call
      phraseguard live --frames-per-chunk 0             # the model's own chunk size
      phraseguard live --agent alice --call-flow        # greeting reminders, closing check
      phraseguard live --input call.wav --agent-channel left --call-flow   # both parties
      phraseguard devices                               # which devices there are
    """
    from phraseguard.live.events import JsonLinesSink
    from phraseguard.live.run import DEFAULT_DB, run_live
    from phraseguard.live.screen import LiveScreen, PlainLines
    from phraseguard.signals import stop_on_signals
    from phraseguard.speech.model_config import check_frames_per_chunk

    if fast and not input_path:
        raise click.UsageError("--fast only applies to --input FILE")
    if input_path and device:
        raise click.UsageError("use just one of --device or --input")
    sinks = []
    # The JSON stream owns stdout when it is "-"; the screen then goes to stderr.
    screen_out = sys.stderr if events == "-" else sys.stdout
    if events:
        sinks.append(JsonLinesSink(events))
    if not plain and screen_out.isatty():
        from rich.console import Console

        sinks.append(LiveScreen(Console(file=screen_out)))
    else:
        sinks.append(PlainLines(screen_out))
    chunk = frames_per_chunk
    if chunk is None and settings.frames_per_chunk is not None:
        chunk = check_frames_per_chunk(settings.frames_per_chunk,
                                       source=f"{settings.source}: setting 'frames_per_chunk'")
    stop = threading.Event()
    abort = threading.Event()  # a second Ctrl-C: skip the recognition still to do
    try:
        with stop_on_signals(stop.set, abort.set):
            run_live(
                device=device, input_path=input_path, fast=fast, model=model,
                model_config=settings.pick("model"),
                lexicon=settings.pick("lexicon", lexicon),
                db=settings.pick("db", db) or DEFAULT_DB,
                record=record, agent=agent, team=team,
                sinks=sinks, stop_event=stop, abort_event=abort,
                max_backlog_seconds=max_backlog,
                frames_per_chunk=chunk,
                call_flow=call_flow_on(settings, call_flow),
                company=tuple(settings.pick("company") or ()),
                agent_channel=settings.pick("agent_channel", agent_channel),
                allow_language_mismatch=bool(settings.pick("allow_language_mismatch",
                                                           allow_language_mismatch)),
                say=lambda line: click.echo(line, err=True),
            )
    finally:
        _close_sinks(sinks)


def _close_sinks(sinks) -> None:
    """Close every sink; one that fails (it already failed in the session) is only noted."""
    for sink in sinks:
        try:
            sink.close()
        except Exception as exc:  # noqa: BLE001 - the session's own outcome matters more
            with contextlib.suppress(OSError, ValueError):
                click.echo(f"Warning: closing {type(sink).__name__} failed: {exc}", err=True)
