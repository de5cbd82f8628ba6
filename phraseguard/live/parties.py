"""Two parties on one input: the agent's channel and the customer's, kept apart.

A headset carries the agent alone. A stereo recording played with
``--input FILE --agent-channel left|right``, or a two-channel device (a
call-centre tap with the agent on one side), carries both: each channel then
goes to its own recogniser, so the customer's speech is known and the call
flow can time dead air and talk-over. Blocks are 16-bit little-endian PCM,
interleaved when there are two channels.
"""

from __future__ import annotations

import numpy as np

from phraseguard.speech.audio import channel_index, mix_down, to_pcm_bytes


def _frames(block: bytes, channels: int) -> np.ndarray:
    usable = len(block) // (2 * channels) * channels
    return np.frombuffer(block[: usable * 2], dtype="<i2").reshape(-1, channels)


def mixed(block: bytes, channels: int) -> bytes:
    """An interleaved block mixed down to one channel (one party, or nobody said)."""
    return to_pcm_bytes(mix_down(_frames(block, channels)))


class TwoParties:
    """Splits interleaved stereo blocks into (agent, customer) mono blocks."""

    def __init__(self, agent_channel: str) -> None:
        self.agent = channel_index(agent_channel)
        self.customer = 1 - self.agent

    def split(self, block: bytes) -> tuple[bytes, bytes]:
        frames = _frames(block, 2)
        return (np.ascontiguousarray(frames[:, self.agent]).tobytes(),
                np.ascontiguousarray(frames[:, self.customer]).tobytes())
