"""Helpers shared by the speech tests: generated signals and reference transcripts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf


def reference_transcripts(folder: Path) -> dict[str, str]:
    """file name -> reference transcript, from a shared ``transcripts.tsv``."""
    rows = (line.split("\t") for line in folder.joinpath("transcripts.tsv")
            .read_text(encoding="utf-8").splitlines()[1:] if line.strip())
    return {r[0]: r[1] for r in rows}


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
