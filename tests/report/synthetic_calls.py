"""Synthetic scored calls for the report tests and ``bench/bench_report.py``.

Calls are written through the store's own API (``Store.save_call``) with
transcripts, hits and scores built here, so the reports read exactly what a
batch would have saved, without Vosk or the matcher. Deterministic for a
given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import soundfile as sf

from phraseguard.calls.scoring import Scorer
from phraseguard.calls.store import CallMeta, Store
from phraseguard.engine.hit import Hit, MatchKind, Severity
from phraseguard.speech.transcript import Role, Transcript, Utterance, Word

WORD_SECONDS = 0.35
GAP_SECONDS = 0.6


@dataclass(frozen=True)
class RuleSpec:
    id: str
    phrase: str  # words separated by spaces, as Vosk writes Chinese
    severity: Severity
    deduction: float
    message: str
    suggestion: str
    category: str = "shirking"


RULES = (
    RuleSpec("disclaim-knowledge", "不 知道", Severity.MAJOR, 10.0,
             "Disclaims knowledge instead of finding out", "我帮您确认一下，请稍等"),
    RuleSpec("disclaim-responsibility", "我们 不管", Severity.CRITICAL, 20.0,
             "Disclaims responsibility", "这个问题我来帮您跟进"),
    RuleSpec("give-up", "没 办法", Severity.MAJOR, 10.0,
             "Gives up without an alternative", "我帮您看看还有什么办法"),
    RuleSpec("whatever", "随便", Severity.CRITICAL, 20.0,
             "Answers 'whatever'", "我给您推荐一下"),
)  # fmt: skip

AGENT_LINES = (
    "您好 很 高兴 为您 服务", "请问 有 什么 可以 帮 您", "我 帮 您 查询 一下 订单",
    "请 您 稍等 一下", "已经 为您 登记 好 了", "还有 其他 问题 吗", "感谢 您 的 耐心",
)  # fmt: skip
CUSTOMER_LINES = (
    "我 的 快递 什么 时候 到", "我 想 退款", "这个 商品 有 问题", "好的 谢谢",
    "你们 怎么 回事", "能 不能 快 一点",
)  # fmt: skip
OFFENCES = ("这个 我 也 {}", "{} 你 自己 去 问 吧", "现在 {} 了", "{} 吧")


@dataclass(frozen=True)
class _Policy:
    start: float = 100.0
    floor: float = 0.0
    min_confidence: float = 0.5


@dataclass(frozen=True)
class _Lexicon:
    rules: tuple = RULES
    scoring: _Policy = field(default_factory=_Policy)


@dataclass(frozen=True)
class CallSpec:
    """One call to synthesise; ``lines`` are (role, text, rule id or None)."""

    meta: CallMeta
    lines: tuple[tuple[Role, str, str | None], ...]
    path: str
    audio_path: str | None = None
    rule_overrides: dict = field(default_factory=dict)  # rule id -> (message, suggestion)


def timed_utterance(role: Role, text: str, start: float) -> Utterance:
    """Words of ``text`` (space separated) each WORD_SECONDS long from ``start``."""
    words = tuple(
        Word(w, round(start + i * WORD_SECONDS, 3), round(start + (i + 1) * WORD_SECONDS, 3))
        for i, w in enumerate(text.split(" "))
    )
    return Utterance(text, role, words[0].start, words[-1].end, words,
                     channel=0 if role is Role.AGENT else 1)  # fmt: skip


def rule(rule_id: str) -> RuleSpec:
    return next(r for r in RULES if r.id == rule_id)


def hit_for(utt: Utterance, spec: RuleSpec, overrides: dict) -> Hit:
    """The hit of ``spec``'s phrase in ``utt`` (the phrase must be in its text)."""
    start = utt.text.index(spec.phrase)
    end = start + len(spec.phrase)
    message, suggestion = overrides.get(spec.id, (spec.message, spec.suggestion))
    return Hit(spec.id, spec.category, spec.severity, message, (suggestion,), spec.phrase,
               start, end, utt.text[start:end], spec.phrase.replace(" ", ""), MatchKind.EXACT,
               1.0)  # fmt: skip


def save_call(store: Store, spec: CallSpec) -> int:
    """Score and save one synthetic call; returns its id."""
    utts: list[Utterance] = []
    hits: list[list[Hit]] = []
    clock = 0.5
    for role, text, rule_id in spec.lines:
        utt = timed_utterance(role, text, clock)
        clock = utt.end + GAP_SECONDS
        utts.append(utt)
        hits.append([hit_for(utt, rule(rule_id), spec.rule_overrides)] if rule_id else [])
    transcript = Transcript(utts, source=spec.path, duration=round(clock + 1.0, 2))
    score = Scorer(_Lexicon()).score(transcript, hits)
    return store.save_call(spec.meta, transcript, hits, score, source="transcript",
                           path=spec.path, audio_path=spec.audio_path,
                           content_hash=f"synthetic:{spec.path}")  # fmt: skip


AGENTS = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")


def random_calls(n: int, *, seed: int = 7, days: int = 30, utterances: int = 16,
                 start: date = date(2026, 10, 1)) -> list[CallSpec]:
    """``n`` calls by ten agents in two teams over ``days`` days."""
    rnd = random.Random(seed)
    specs = []
    for i in range(n):
        agent = AGENTS[i % len(AGENTS)]
        team = "north" if AGENTS.index(agent) % 2 == 0 else "south"
        day = start + timedelta(days=rnd.randrange(days))
        lines: list[tuple[Role, str, str | None]] = []
        for k in range(utterances):
            if k % 2:
                lines.append((Role.CUSTOMER, rnd.choice(CUSTOMER_LINES), None))
            elif rnd.random() < 0.12 + 0.03 * (AGENTS.index(agent) % 4):
                r = rnd.choice(RULES)
                lines.append((Role.AGENT, rnd.choice(OFFENCES).format(r.phrase), r.id))
            else:
                lines.append((Role.AGENT, rnd.choice(AGENT_LINES), None))
        specs.append(CallSpec(CallMeta(f"{i + 1:04d}", agent, team, day.isoformat()),
                              tuple(lines), f"/calls/{day.isoformat()}_{agent}_{i + 1:04d}.json"))
    return specs


def build_store(path: Path, specs: list[CallSpec]) -> Store:
    """A new store at ``path`` holding ``specs`` (the caller closes it)."""
    store = Store.open(path)
    for spec in specs:
        save_call(store, spec)
    return store


def write_wav(path: Path, seconds: float, *, rate: int = 8000) -> Path:
    """A real mono 16-bit WAV of a quiet 440 Hz tone, ``seconds`` long."""
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), rate,
             subtype="PCM_16")  # fmt: skip
    return path


HOSTILE_SCRIPT = "<script>window.pwned=3;document.title='pwned'</script>"
HOSTILE_IMG = "<img src=x onerror=\"window.pwned=1\">"
HOSTILE_TEXT = f"{HOSTILE_SCRIPT} {HOSTILE_IMG} 这个 我 也 不 知道"
HOSTILE_AGENT = "<img src=x onerror=\"window.pwned=4\">"
HOSTILE_TEAM = "<b onmouseover=\"window.pwned=5\">t</b>"
HOSTILE_CALL_ID = "<script>window.pwned=6</script>"
HOSTILE_PATH = "/calls/<script>window.pwned=7</script>&amp;.json"
HOSTILE_MESSAGE = "<svg onload=\"window.pwned=8\"></svg> says no"
HOSTILE_SUGGESTION = "</script><script>window.pwned=9</script>"


def hostile_call(day: str = "2026-10-02") -> CallSpec:
    """A call whose every name and text is markup that would run if not escaped."""
    lines = (
        (Role.AGENT, "您好 很 高兴 为您 服务", None),
        (Role.CUSTOMER, "我 的 快递 什么 时候 到", None),
        (Role.AGENT, HOSTILE_TEXT, "disclaim-knowledge"),
    )
    return CallSpec(CallMeta(HOSTILE_CALL_ID, HOSTILE_AGENT, HOSTILE_TEAM, day), lines,
                    HOSTILE_PATH,
                    rule_overrides={"disclaim-knowledge": (HOSTILE_MESSAGE, HOSTILE_SUGGESTION)})
