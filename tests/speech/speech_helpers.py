"""Helpers shared by the speech tests: generated signals and reference transcripts."""

from __future__ import annotations

import hashlib
import random
import zipfile
from pathlib import Path

import numpy as np
import soundfile as sf


def transcripts_column(folder: Path, column: str) -> dict[str, str]:
    """file name -> ``column`` of the clips' ``transcripts.tsv`` (``transcript``:
    what was said; ``recognised``: what the Korean Vosk model returns)."""
    lines = folder.joinpath("transcripts.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = (line.split("\t") for line in lines[1:] if line.strip())
    return {r[0]: r[header.index(column)] for r in rows}


def reference_transcripts(folder: Path) -> dict[str, str]:
    """file name -> reference transcript (what the speaker said)."""
    return transcripts_column(folder, "transcript")


def tone(seconds: float, rate: int, freq: float = 440.0, amp: float = 0.5) -> np.ndarray:
    """A sine tone as float32 samples in [-1, 1]."""
    t = np.arange(round(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def dominant_freq(samples: np.ndarray, rate: int) -> float:
    """The loudest frequency in a 1-D signal (to tell channels apart)."""
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def write_stereo(path: Path, left: np.ndarray, right: np.ndarray, rate: int, **kw) -> Path:
    """Write two mono float signals as one stereo file, padding the shorter one."""
    n = max(len(left), len(right))
    data = np.zeros((n, 2), dtype=np.float32)
    data[: len(left), 0] = left
    data[: len(right), 1] = right
    sf.write(str(path), data, rate, **kw)
    return path


def make_model(folder: Path) -> Path:
    """A folder with the files that make it look like a Vosk model."""
    (folder / "am").mkdir(parents=True)
    (folder / "am" / "final.mdl").write_bytes(b"acoustic model" * 100)
    (folder / "conf").mkdir()
    (folder / "conf" / "mfcc.conf").write_text("--sample-frequency=16000\n")
    (folder / "graph").mkdir()
    (folder / "graph" / "HCLr.fst").write_bytes(b"\x00" * 1000)
    return folder


def model_zip(path: Path, name: str, extra: dict[str, bytes] | None = None) -> tuple[int, str]:
    """Write an archive shaped like an official one; return its (size, sha256)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{name}/", "")
        # Random bytes: like real model files, they do not compress 20:1.
        zf.writestr(f"{name}/am/final.mdl", random.Random(7).randbytes(14000))
        zf.writestr(f"{name}/conf/mfcc.conf", "--sample-frequency=16000\n")
        zf.writestr(f"{name}/graph/HCLr.fst", random.Random(8).randbytes(5000))
        for entry, data in (extra or {}).items():
            zf.writestr(entry, data)
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()
