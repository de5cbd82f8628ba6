"""Calls scored with call flow through the real ``score`` front door, for the report tests.

A folder of transcripts as a QA batch has them: one timed call (Vosk JSON
with roles and word times, and its recording beside it) whose timing events
and missing items are known to the tenth of a second, and plain-text calls
with and without each required item. ``score`` checks call flow by default
(the default lexicon has required and timing rules), so nothing here asks for
it. A lexicon that extends the default one can make a missing item's reason
hostile markup, which the report must show as text.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from synthetic_calls import write_wav

from phraseguard.cli import cli

TIMED_CALL = "0009"  # alice, Vosk JSON with a 40 s recording
TIMED_SECONDS = 40.0
WORD_SECONDS = 0.4

#: (rule id, kind, start, end) of the timed call's call-flow hits: the agent's
#: first words at 6.5 s (slow start, limit 5 s), the customer waiting 11.4 to
#: 18.0 s (dead air, limit 5 s), no self-introduction in the first 15 s of the
#: agent's speech (6.5-21.5 s), no farewell in its last 30 s (0-24 s: the
#: window never starts before the call).
TIMED_EVENTS = {
    ("slow-start", "timing", 0.0, 6.5),
    ("self-introduction", "missing", 6.5, 21.5),
    ("dead-air", "timing", 11.4, 18.0),
    ("closing", "missing", 0.0, 24.0),
}

#: The checklist of every call, by call id.
CHECKLISTS = {
    "0009": {"greeting": True, "self-introduction": False, "closing": False},
    "0010": {"greeting": True, "self-introduction": True, "closing": True},
    "0011": {"greeting": False, "self-introduction": False, "closing": True},
    "0012": {"greeting": True, "self-introduction": True, "closing": False},
}

HOSTILE_MISSING = "<img src=x onerror=\"window.pwned=21\"><b>no farewell</b>"


def _utterance(text: str, role: str, start: float) -> dict:
    words = [{"word": w, "start": round(start + i * WORD_SECONDS, 2),
              "end": round(start + (i + 1) * WORD_SECONDS, 2), "conf": 0.95}
             for i, w in enumerate(text.split())]  # fmt: skip
    return {"text": text, "role": role, "channel": 0 if role == "agent" else 1,
            "start": words[0]["start"], "end": words[-1]["end"], "result": words}


def write_calls(folder: Path) -> Path:
    """The batch: the timed call (and its recording) and three text calls."""
    folder.mkdir(parents=True, exist_ok=True)
    timed = [_utterance("您好 很 高兴 为您 服务", "agent", 6.5),
             _utterance("我 的 快递 什么 时候 到", "customer", 9.0),
             _utterance("我 帮 您 查询 一下", "agent", 18.0),
             _utterance("好的 谢谢", "customer", 21.0),
             _utterance("这个 我 也 不 知道", "agent", 22.0)]  # fmt: skip
    name = f"2026-11-02_alice_{TIMED_CALL}"
    (folder / f"{name}.json").write_text(json.dumps(
        {"source": f"{name}.wav", "duration": TIMED_SECONDS, "utterances": timed},
        ensure_ascii=False), "utf-8")
    write_wav(folder / f"{name}.wav", TIMED_SECONDS)
    texts = {
        "2026-11-02_alice_0010": "客服：您好，我是客服小王\n客户：查快递\n客服：好的，感谢您的来电，再见\n",
        "2026-11-03_bob_0011": "客服：请问有什么可以帮您\n客户：查快递\n客服：好的，再见\n",
        "2026-11-03_bob_0012": "客服：您好，我是客服小李\n客户：我的快递没到\n客服：这个我不知道\n",
    }
    for stem, text in texts.items():
        (folder / f"{stem}.txt").write_text(text, "utf-8")
    return folder


def write_hostile_lexicon(path: Path) -> Path:
    """The default lexicon, with markup as the closing rule's "missing" words."""
    path.write_text('[lexicon]\nextends = "default"\n\n[[required]]\nid = "closing"\n'
                    f"missing = {json.dumps(HOSTILE_MISSING)}\n", "utf-8")
    return path


def score(*args: str) -> str:
    """``phraseguard score ARGS -q --jobs 1 --no-config``; its standard output."""
    result = CliRunner().invoke(cli, ["score", *args, "-q", "--jobs", "1", "--no-config"])
    assert result.exit_code == 0, result.output
    return result.stdout
