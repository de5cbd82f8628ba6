"""The live front door: build a session from the command's choices and run it.

Checks the cheap things first so a mistake fails in a second, not after the
model has loaded: the lexicon, where the model is and whether its language
is the lexicon's, the device (or input file), and only then loads the model.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from phraseguard.calls.scoring import Scorer
from phraseguard.live.events import Sink
from phraseguard.live.parts import LiveOptions, SessionSummary
from phraseguard.live.session import LiveSession
from phraseguard.speech.audio import SAMPLE_RATE
from phraseguard.speech.capture import (
    MAX_BACKLOG_SECONDS,
    AudioSource,
    DeviceSource,
    FileSource,
    resolve_device,
)

#: Default results store, the same file ``phraseguard score`` writes.
DEFAULT_DB = "phraseguard.db"


def model_sample_rate(model_path: str | Path) -> int:
    """The rate a Vosk model was trained at (``--sample-frequency`` in conf/mfcc.conf).

    Kaldi's default, 16 kHz, when the model does not say. Capture asks the
    device for this rate so Vosk has nothing to resample.
    """
    conf = Path(model_path) / "conf" / "mfcc.conf"
    try:
        for line in conf.read_text(encoding="utf-8").splitlines():
            key, _, value = line.strip().partition("=")
            if key == "--sample-frequency" and value.strip():
                return int(float(value))
    except (OSError, ValueError):
        pass
    return SAMPLE_RATE


def run_live(
    *,
    device: str | None = None,
    input_path: str | Path | None = None,
    fast: bool = False,
    model: str | Path | None = None,
    model_config: str | Path | None = None,
    lexicon: str | Path | None = None,
    db: str | Path | None = DEFAULT_DB,
    record: str | Path | None = None,
    agent: str | None = None,
    team: str | None = None,
    sinks: Sequence[Sink] = (),
    stop_event: threading.Event | None = None,
    abort_event: threading.Event | None = None,
    max_backlog_seconds: float = MAX_BACKLOG_SECONDS,
    frames_per_chunk: int | None = None,
    call_flow: bool = False,
    company: Sequence[str] = (),
    agent_channel: str | None = None,
    allow_language_mismatch: bool = False,
    say: Callable[[str], None] = lambda line: None,
) -> SessionSummary:
    """Monitor a device (or play ``input_path`` through the same pipeline) until stopped.

    Raises PhraseguardError subclasses: LexiconErrors, AudioError (no such
    device, cannot open it, device lost mid-session: the session is saved
    first), ModelError (no model). ``frames_per_chunk``: the recogniser's
    chunk size in 10 ms frames (None: the default in speech/decoding.toml; 0:
    the model's own), applied to a per-session copy of the model's configuration.
    ``call_flow``: also check the lexicon's call-flow rules (reminders, the
    closing check, timing events; ``company`` fills ``{company}``).
    ``agent_channel`` ("left"/"right"): a two-channel input carries both
    parties, each recognised on its own (a one-channel input is the agent).
    ``say`` gets the model line and any warning (the CLI prints them on
    stderr); a model in another language than the lexicon raises
    LanguageMismatchError before anything opens, unless ``allow_language_mismatch``.
    """
    from phraseguard.calls.callflow import flow_lexicon
    from phraseguard.calls.store import Store
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.engine.meaning_files import use_meaning
    from phraseguard.live.flow import live_call_flow
    from phraseguard.speech.asr import Recognizer, SpeechEngine
    from phraseguard.speech.audio import channel_index
    from phraseguard.speech.language import start_of_run
    from phraseguard.speech.model_config import live_frames_per_chunk
    from phraseguard.speech.models import resolve_model

    lex = flow_lexicon(load_lexicon(lexicon), call_flow)
    if agent_channel is not None:
        channel_index(agent_channel)  # a bad value fails before the model loads
    chunk = live_frames_per_chunk(frames_per_chunk)
    info = resolve_model(model, config_value=model_config)
    # A Korean model never hears a Chinese lexicon's phrases: every session
    # would look clean. Refused here, before the model loads, as score does.
    for line in start_of_run(info, lex.source, lex.language,
                             allow_mismatch=allow_language_mismatch):
        say(line)
    rate = model_sample_rate(info.path)
    source: AudioSource
    two = agent_channel is not None
    if input_path is not None:
        source = FileSource(input_path, fast=fast, max_backlog_seconds=max_backlog_seconds,
                            two_channels=two)
    else:
        source = DeviceSource(resolve_device(device), preferred_rate=rate,
                              max_backlog_seconds=max_backlog_seconds, two_channels=two)
    matcher = Matcher(lex)
    use_meaning(matcher)  # read when the agent's next utterance comes (or pending_seconds pass)
    # The call-flow matchers share the session matcher's tables (loaded once).
    flow = (live_call_flow(lex, company=company, tables=matcher.tables)
            if call_flow and lex.flow else None)
    engine = SpeechEngine(info.path, partials=True, frames_per_chunk=chunk)
    customer: dict[int, Recognizer] = {}

    def customer_recognizer(rate: int) -> Recognizer:
        # Its own recogniser on the same model; no partials (it never alerts).
        if rate not in customer:
            customer[rate] = Recognizer(engine.model, rate, words=True, partials=False)
        return customer[rate]

    store = Store.open(db) if db else None
    try:
        session = LiveSession(
            source, engine.recognizer, matcher, Scorer(lex), store=store, sinks=sinks,
            flow=flow, customer_recognizer_for=customer_recognizer if two else None,
            options=LiveOptions(
                agent=agent, team=team, record=Path(record) if record else None,
                model_name=f"{info.name} ({info.path})", lexicon_name=lex.source,
                lexicon_digest=lex.digest, rule_count=len(lex.rules),
                db_path=str(db) if db else None, min_confidence=lex.scoring.min_confidence,
                pending_seconds=lex.dialogue.pending_seconds, agent_channel=agent_channel,
            ),
            stop_event=stop_event, abort_event=abort_event,
        )  # fmt: skip
        return session.run()
    finally:
        if store is not None:
            store.close()
