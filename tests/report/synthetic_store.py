"""A large, realistic results store, written fast: a month of a call centre.

``bulk_store(path, calls=200_000)`` fills a new store (its schema made by
:class:`phraseguard.calls.store.Store`) with ``executemany`` inserts in one
transaction: 200 agents in 20 teams, calls over 30 days during office hours,
timed transcripts with word times, hits of the default lexicon's real rules
(their ids, messages, suggestions and deductions), uncounted hits in the
customer's speech, scores the Scorer's way (start minus deductions, down to
the floor) and a few failed calls. ``bench/bench_report_scale.py`` times the
reports over 200,000 of these calls; the tests use 2,000. Deterministic for
a given seed. About 15 s per 100,000 calls of 16 utterances here.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from phraseguard.calls.store import Store
from phraseguard.engine.lexicon import Lexicon, load_lexicon

WORD_SECONDS = 0.32
GAP_SECONDS = 0.7
CREATED = "2026-11-01T00:00:00+00:00"

SURNAMES = ("wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu")
GIVEN = ("fang", "wei", "na", "min", "jing", "lei", "qiang", "yan", "jun", "tao",
         "yong", "jie", "xia", "gang", "ping", "hui", "hong", "ying", "bin", "hua")  # fmt: skip

AGENT_LINES = (
    "您好 很 高兴 为您 服务", "请问 有 什么 可以 帮 您", "我 帮 您 查询 一下 订单",
    "请 您 稍等 一下", "已经 为您 登记 好 了", "还有 其他 问题 吗", "感谢 您 的 耐心",
    "我 帮您 转给 负责 的 同事", "这边 给您 申请 退款", "预计 明天 送达",
)  # fmt: skip
CUSTOMER_LINES = (
    "我 的 快递 什么 时候 到", "我 想 退款", "这个 商品 有 问题", "好的 谢谢",
    "你们 怎么 回事", "能 不能 快 一点", "我 也 不知道 怎么 弄",
)  # fmt: skip
OFFENCES = ("这个 我 也 {}", "{} 你 自己 去 问 吧", "现在 {} 了", "{} 吧")


@dataclass(frozen=True)
class _Line:
    text: str
    words: tuple[tuple[str, float, float], ...]  # relative to the utterance start
    length: float
    phrase: str | None = None  # the rule phrase inside, when it is one

    @property
    def template(self) -> str:
        # %-formatting a prepared template: json.dumps per utterance would
        # take most of the time of writing 3 million utterances.
        return "[" + ",".join(f'[{json.dumps(w, ensure_ascii=False)},%.3f,%.3f,1.0]'
                              for w, _, _ in self.words) + "]"

    @property
    def span(self) -> tuple[int, int]:
        start = self.text.index(self.phrase)  # type: ignore[arg-type]
        return start, start + len(self.phrase)  # type: ignore[arg-type]

    def time_of(self, start: int, end: int) -> tuple[float, float]:
        """Seconds (relative) of the words covering characters start..end."""
        pos, first, last = 0, None, None
        for w, s, e in self.words:
            if pos < end and pos + len(w) > start:
                first = s if first is None else first
                last = e
            pos += len(w) + 1
        return first, last  # type: ignore[return-value]


def _line(text: str, phrase: str | None = None) -> _Line:
    words = tuple((w, round(i * WORD_SECONDS, 3), round((i + 1) * WORD_SECONDS, 3))
                  for i, w in enumerate(text.split(" ")))  # fmt: skip
    return _Line(text, words, words[-1][2], phrase)


def agent_names(n: int) -> list[str]:
    return [f"{SURNAMES[i % 10]}.{GIVEN[(i // 10) % 20]}{'' if i < 200 else i // 200}"
            for i in range(n)]  # fmt: skip


def bulk_store(path: Path, *, calls: int = 200_000, utterances: int = 16, agents: int = 200,
               teams: int = 20, days: int = 30, seed: int = 11, failed_every: int = 500,
               start: date = date(2026, 10, 1), lexicon: Lexicon | None = None) -> Path:
    """Write a new store at ``path`` (see the module docstring); returns ``path``."""
    lexicon = lexicon or load_lexicon()
    rules = [r for r in lexicon.rules if r.phrases and r.deduction > 0]
    policy = lexicon.scoring
    rnd = random.Random(seed)
    names = agent_names(agents)
    rates = [0.02 + 0.10 * rnd.random() for _ in names]  # violations per agent line
    agent_lines = [_line(t) for t in AGENT_LINES]
    customer_lines = [_line(t, "不知道" if "不知道" in t else None) for t in CUSTOMER_LINES]
    offences = [(r, _line(o.format(r.phrases[0]), r.phrases[0])) for r in rules for o in OFFENCES]
    templates = {line.text: line.template
                 for line in (*agent_lines, *customer_lines, *(o for _, o in offences))}
    knows_not = next((r for r in rules if "不知道" in r.phrases), rules[0])

    Store.open(path).close()  # the schema, exactly as phraseguard makes it
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    call_rows, utt_rows, hit_rows, failure_rows = [], [], [], []
    utt_id = hit_id = 0

    def flush() -> None:
        conn.executemany("INSERT INTO calls (id, call_id, source, path, audio_path, content_hash, "
                         "agent, team, started, duration, agent_talk_seconds, status, failure, "
                         "score, score_start, score_floor, lexicon_digest, lexicon_source, model, "
                         "created, finished) VALUES (?, ?, 'audio', ?, NULL, ?, ?, ?, ?, ?, ?, ?, "
                         "?, ?, ?, ?, ?, 'default', 'vosk-model-small-cn-0.22', ?, ?)",
                         call_rows)  # fmt: skip
        conn.executemany("INSERT INTO utterances (id, call, idx, role, counted, channel, "
                         "start_time, end_time, text, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         utt_rows)  # fmt: skip
        conn.executemany("INSERT INTO hits (id, call, utterance, utterance_idx, hit_idx, rule_id, "
                         "category, severity, message, suggestions, phrase, matched, normalized, "
                         "kind, confidence, char_start, char_end, time_start, time_end, counted, "
                         "points, reason) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, 'exact', "
                         "1.0, ?, ?, ?, ?, ?, ?, ?)", hit_rows)  # fmt: skip
        conn.executemany("INSERT INTO failures (call, stage, error_type, message, created) "
                         "VALUES (?, 'decode', 'AudioError', ?, ?)", failure_rows)
        for rows in (call_rows, utt_rows, hit_rows, failure_rows):
            rows.clear()

    for pk in range(1, calls + 1):
        a = rnd.randrange(agents)
        agent, team = names[a], f"team-{a % teams + 1:02d}"
        day = start + timedelta(days=rnd.randrange(days))
        second = 9 * 3600 + rnd.randrange(9 * 3600)
        started = f"{day.isoformat()}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        call_id = f"{day.strftime('%Y%m%d')}-{pk:06d}"
        path_ = f"/recordings/{day.isoformat()}/{agent}_{call_id}.wav"
        if failed_every and pk % failed_every == 0:
            message = "cannot decode: file is truncated (no data chunk)"
            call_rows.append((pk, call_id, path_, f"hash-{pk}", agent, team, started, None, None,
                              "failed", message, None, None, None, lexicon.digest, CREATED,
                              CREATED))  # fmt: skip
            failure_rows.append((pk, message, CREATED))
            continue
        clock, talk, lost = 0.5, 0.0, 0.0
        for k in range(utterances):
            agent_turn = k % 2 == 0
            rule = None
            if agent_turn and rnd.random() < rates[a]:
                rule, line = rnd.choice(offences)
            elif agent_turn:
                line = rnd.choice(agent_lines)
            else:
                line = rnd.choice(customer_lines)
                rule = knows_not if line.phrase else None
            utt_id += 1
            words = templates[line.text] % tuple(
                clock + t for _, s, e in line.words for t in (s, e))
            role = "agent" if agent_turn else "customer"
            utt_rows.append((utt_id, pk, k, role, int(agent_turn), 0 if agent_turn else 1,
                             round(clock, 3), round(clock + line.length, 3), line.text, words))
            if agent_turn:
                talk += line.length
            if rule is not None:
                hit_id += 1
                cs, ce = line.span
                ts, te = line.time_of(cs, ce)
                points = rule.deduction if agent_turn else 0.0
                lost += points
                hit_rows.append((
                    hit_id, pk, utt_id, k, rule.id, rule.category, rule.severity.label,
                    rule.message, json.dumps(list(rule.suggestions), ensure_ascii=False),
                    line.phrase, line.phrase, line.phrase, cs, ce, round(clock + ts, 3),
                    round(clock + te, 3), int(agent_turn), points,
                    None if agent_turn else "customer speech does not count",
                ))  # fmt: skip
            clock += line.length + GAP_SECONDS
        score = max(policy.floor, policy.start - lost)
        call_rows.append((pk, call_id, path_, f"hash-{pk}", agent, team, started,
                          round(clock + 1.0, 2), round(talk, 3), "ok", None, score, policy.start,
                          policy.floor, lexicon.digest, CREATED, CREATED))  # fmt: skip
        if len(call_rows) >= 5000:
            flush()
    flush()
    conn.execute("COMMIT")
    conn.close()
    return path
