"""What each file of a batch needs: scoring, nothing (already scored), or a failed row.

:class:`Planner` looks at one :class:`~phraseguard.calls.inputs.Source` at a
time and returns one step; it only READS the store (the run writes):

- :class:`Unreadable`: the file (or folder) cannot be read: a failed call;
- :class:`Duplicate`: the same bytes as an earlier input of this run;
- :class:`AlreadyScored`: scored before with this lexicon (unless ``rescore``);
  only who took the call may need correcting;
- :class:`ToScore`: a :class:`~phraseguard.calls.worker.Job` for a worker, with
  the stored transcript when a recording only needs matching again (same
  model, same channel settings, another lexicon).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from phraseguard.calls.inputs import FilenamePattern, Manifest, Source, call_meta, file_hash
from phraseguard.calls.queries import StoreQueries
from phraseguard.calls.rows import CallMeta
from phraseguard.calls.worker import Job
from phraseguard.errors import InputError, PhraseguardError
from phraseguard.speech.transcript import Role, Transcript


@dataclass(frozen=True)
class Channels:
    """Who speaks where: ``--agent-channel`` for stereo, ``--mono-role`` for one speaker."""

    agent_channel: str | None = None
    mono_role: Role = Role.AGENT


@dataclass(frozen=True)
class Identified:
    """A source with who took the call; ``named`` when a manifest or the pattern gave an agent."""

    source: Source
    meta: CallMeta
    named: bool


@dataclass(frozen=True)
class Unreadable:
    who: Identified
    reason: str
    error_type: str


@dataclass(frozen=True)
class Duplicate:
    who: Identified
    same_as: str  # the earlier input with the same bytes


@dataclass(frozen=True)
class AlreadyScored:
    who: Identified
    pk: int  # the stored call
    meta_changed: bool  # the manifest or pattern now says otherwise: update it


@dataclass(frozen=True)
class ToScore:
    who: Identified
    job: Job


Step = Unreadable | Duplicate | AlreadyScored | ToScore


@dataclass
class Planner:
    """Decides each file's :data:`Step`; remembers the run's hashes to spot copies."""

    store: StoreQueries
    lexicon_digest: str
    channels: Channels = Channels()
    manifest: Manifest | None = None
    pattern: FilenamePattern | None = None
    rescore: bool = False
    retranscribe: bool = False
    model_name: Callable[[], str | None] = lambda: None  # the model a recording would get
    _seen: dict[str, str] = field(default_factory=dict)  # content hash -> first path

    def identify(self, source: Source) -> Identified:
        meta, identified = call_meta(source.path, manifest=self.manifest, pattern=self.pattern)
        return Identified(source, meta, identified and meta.agent is not None)

    def step(self, source: Source) -> Step:
        """What ``source`` needs in this run."""
        who = self.identify(source)
        if source.problem is not None:
            return Unreadable(who, source.problem, "PermissionError")
        try:
            digest = file_hash(source.path)
        except OSError as exc:
            return Unreadable(who, f"cannot read: {exc.strerror or exc}", type(exc).__name__)
        except InputError as exc:  # a URL: no such object, no backend...
            return Unreadable(who, exc.message, type(exc).__name__)
        if digest in self._seen:
            return Duplicate(who, self._seen[digest])
        self._seen[digest] = str(source.path)
        if not self.rescore and self.store.already_scored(digest, self.lexicon_digest):
            row = self.store.find_by_hash(digest)
            assert row is not None
            stored = CallMeta(row.call_id, row.agent, row.team, row.date)
            return AlreadyScored(who, row.pk, meta_changed=stored != who.meta)
        audio = str(source.audio_path) if source.audio_path else None
        job = Job(str(source.path), source.kind, who.meta, digest, audio)
        if source.kind == "audio" and not self.retranscribe:
            reuse = self._stored_transcript(digest, source.path)
            if reuse is not None:
                job = Job(job.path, job.kind, job.meta, digest, audio,
                          transcript=reuse[0], model=reuse[1])
        return ToScore(who, job)

    def _stored_transcript(self, digest: str, path: Path) -> tuple[Transcript, str] | None:
        """The stored transcript of this recording, if it is what transcribing would give.

        Only when the recording was transcribed before (same content), by the
        same model, and its utterances carry the roles and channels the current
        --agent-channel / --mono-role settings would give them.
        """
        row = self.store.find_by_hash(digest)
        if row is None or row.status != "ok" or row.source != "audio" or not row.model:
            return None
        if row.model != self.model_name():
            return None
        transcript = self.store.transcript(row.pk)
        if not transcript.utterances:
            return None  # nothing heard: maybe the settings were wrong; listen again
        from phraseguard.speech import audio

        try:
            channels = audio.probe(path).channels
        except PhraseguardError:
            return None
        if not _fits(transcript, channels, self.channels, audio.channel_index):
            return None
        return transcript, row.model


def _fits(transcript: Transcript, channels: int, settings: Channels,
          channel_index: Callable[[str], int]) -> bool:
    """Whether the stored roles and channels are the ones these settings would give."""
    split = settings.agent_channel is not None and channels == 2
    agent = channel_index(settings.agent_channel) if split else None
    for u in transcript.utterances:
        if split:
            expected = (u.channel, Role.AGENT if u.channel == agent else Role.CUSTOMER)
            if u.channel not in (0, 1) or (u.channel, u.role) != expected:
                return False
        elif u.role is not settings.mono_role or u.channel not in (None, 0):
            return False  # one speaker then: any channel-1 speech was a split
    return True
