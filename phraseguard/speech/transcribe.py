"""The transcribe front door: recordings in, transcripts (or one-line failures) out.

``phraseguard transcribe`` parses its options, calls :func:`find_recordings`
and :meth:`Transcription.prepare`, and prints what :meth:`Transcription.run`
yields. A recording that fails is one :class:`Transcribed` with an ``error``
and the others go on; nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from phraseguard.errors import PhraseguardError
from phraseguard.speech import asr
from phraseguard.speech.asr import Progress, SpeechEngine
from phraseguard.speech.transcript import Role, Transcript


@dataclass(frozen=True)
class Recordings:
    """The recordings named on the command line, folders walked."""

    files: tuple[Path, ...]
    failures: tuple[str, ...]  # one line each: a folder without recordings, an unreadable one
    skipped: tuple[str, ...]  # one line each: a FIFO or device found in a folder


@dataclass(frozen=True)
class Transcribed:
    """One recording's transcript, or why it has none (``error``, one line)."""

    path: Path
    transcript: Transcript | None = None
    error: str | None = None


def find_recordings(inputs: Iterable[Path]) -> Recordings:
    """Files as given, folders walked for recordings (:mod:`phraseguard.files`).

    A file is kept even when it is missing or unreadable: it fails later with
    its own message. A folder without recordings, or a subfolder that cannot
    be read, is a failure; a FIFO or device in a folder is skipped.
    """
    from phraseguard.files import Skipped, walk
    from phraseguard.speech.audio import is_audio_file

    files: list[Path] = []
    failures: list[str] = []
    skipped: list[str] = []
    for p in inputs:
        if not p.is_dir():
            files.append(p)
            continue
        found = 0
        for item in walk(p, keep=lambda rel, name: is_audio_file(Path(name))):
            if isinstance(item, Skipped):
                (failures if item.error else skipped).append(f"{item.path}: {item.reason}")
                continue
            files.append(item)
            found += 1
        if not found:
            failures.append(f"{p}: no recordings in this folder")
    return Recordings(tuple(files), tuple(failures), tuple(skipped))


class Transcription:
    """Recordings about to be transcribed by one speech engine.

    Made by :meth:`prepare`, which loads the model only when there is a
    recording to transcribe.
    """

    def __init__(self, files: tuple[Path, ...], engine: SpeechEngine | None) -> None:
        self.files = files
        self._engine = engine

    @classmethod
    def prepare(cls, files: Iterable[Path], *, model: str | None, config_model: str | None,
                lexicon: str | None, allow_mismatch: bool,
                notify: Callable[[str], None]) -> Transcription:
        """Find the model, check its language against the lexicon's, and load it.

        ``notify`` gets the lines a run prints first (the model used, a
        language-mismatch warning) before the model is loaded. Raises
        LanguageMismatchError, ModelError or LexiconError: nothing can be
        transcribed then.
        """
        from phraseguard.engine.lexicon import load_lexicon
        from phraseguard.speech.language import start_of_run
        from phraseguard.speech.models import resolve_model

        files = tuple(files)
        if not files:
            return cls(files, None)
        info = resolve_model(model, config_value=config_model)
        lex = load_lexicon(lexicon)
        for line in start_of_run(info, lex.source, lex.language, allow_mismatch=allow_mismatch):
            notify(line)
        # Looked up when called (asr.SpeechEngine), so a test can stand in a fake engine.
        return cls(files, asr.SpeechEngine(info.path))

    def run(self, *, agent_channel: str | None, mono_role: Role,
            progress: Callable[[Path], Progress | None] | None = None) -> Iterator[Transcribed]:
        """Each recording's :class:`Transcribed`, in order, as it is done.

        ``progress(path)`` gives the callback that follows one recording's
        audio seconds (or None).
        """
        engine = self._engine
        if engine is None:  # no files: nothing was loaded
            return
        for path in self.files:
            try:
                transcript = engine.transcribe(path, agent_channel=agent_channel,
                                               mono_role=mono_role,
                                               progress=progress(path) if progress else None)
            except PhraseguardError as exc:
                yield Transcribed(path, error=_one_line(path, exc))
                continue
            yield Transcribed(path, transcript=transcript)


def _one_line(path: Path, exc: Exception) -> str:
    """The error on one line, naming the file once."""
    message = " ".join(str(exc).split())
    return message if str(path) in message else f"{path}: {message}"
