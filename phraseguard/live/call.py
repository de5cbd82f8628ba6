"""The call a live session makes: scored utterance by utterance, saved as it goes.

The call is opened ``in_progress`` in the store when capture starts. Each
final utterance gets its index when it is heard (:meth:`LiveCall.hear`) and
is scored by the same :class:`~phraseguard.calls.scoring.Scorer` a batch uses
and committed, with the running score, once its hits are settled
(:meth:`LiveCall.settle`). Usually that is at once; an utterance holding a
give-up that the agent's next utterance may still resolve waits for it
(:mod:`phraseguard.live.pending`), and the utterances heard meanwhile (the
customer's, on a two-party input) wait behind it, so the store keeps the
order they were heard in and only ever holds what was alerted. A crash loses
at most those held utterances (``[dialogue] pending_seconds`` of speech) and
the one being spoken.

Call-flow hits decided after their utterance was saved (a greeting window
that closed later, the closing check at the end) are added to it with
:meth:`LiveCall.attach`; :meth:`LiveCall.finish` closes the call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from phraseguard.calls.rows import CallMeta
from phraseguard.calls.scoring import Deduction, Scorer, UtteranceScore
from phraseguard.engine.hit import Hit
from phraseguard.live.parts import LiveOptions, StoreLike
from phraseguard.speech.transcript import Utterance


@dataclass
class Saved:
    """An utterance just committed: its index, hits and their verdicts."""

    index: int
    utterance: Utterance
    hits: list[Hit]
    scored: UtteranceScore


@dataclass
class _Entry:
    utterance: Utterance
    hits: list[Hit] | None = None  # None: not settled yet (a give-up waits)
    later: list[Hit] = field(default_factory=list)  # call-flow hits attached before saving
    saved: bool = False


class LiveCall:
    """The session's running score, and its call in the store (when there is one)."""

    def __init__(self, scorer: Scorer, store: StoreLike | None, options: LiveOptions) -> None:
        self.scorer = scorer
        self.store = store
        self.options = options
        self.pk: int | None = None
        self.deductions: list[Deduction] = []
        self._entries: list[_Entry] = []
        self._next = 0  # the first entry not saved yet
        self._finished = False

    @property
    def utterances(self) -> int:
        """Final utterances heard so far (the index the next one gets)."""
        return len(self._entries)

    @property
    def heard(self) -> list[Utterance]:
        """Every final utterance heard, in the order heard (the call's conversation)."""
        return [e.utterance for e in self._entries]

    @property
    def score(self) -> float:
        return self.scorer.total(self.deductions)

    @property
    def rules(self) -> dict[str, int]:
        """Counted hits per rule."""
        return dict(sorted(Counter(d.rule_id for d in self.deductions).items()))

    def begin(self, call_id: str, source_name: str) -> None:
        if self.store is None:
            return
        o = self.options
        self.pk = self.store.begin_call(
            CallMeta(call_id=call_id, agent=o.agent, team=o.team,
                     date=datetime.now().astimezone().isoformat(timespec="seconds")),
            source="live", path=source_name,
            audio_path=str(o.record) if o.record else None,
            score_start=self.scorer.policy.start, score_floor=self.scorer.policy.floor,
            lexicon_digest=o.lexicon_digest, lexicon_source=o.lexicon_name or None,
            model=o.model_name or None,
        )  # fmt: skip

    def hear(self, utterance: Utterance) -> int:
        """A final utterance was recognised: its index (it is saved once settled)."""
        self._entries.append(_Entry(utterance))
        return len(self._entries) - 1

    def settle(self, index: int, hits: Sequence[Hit]) -> list[Saved]:
        """The utterance's hits are known: save it, and whatever waited behind it."""
        self._entries[index].hits = list(hits)
        saved: list[Saved] = []
        while self._next < len(self._entries) and self._entries[self._next].hits is not None:
            saved.append(self._save(self._next))
            self._next += 1
        return saved

    def attach(self, index: int, hits: Sequence[Hit]) -> UtteranceScore | None:
        """Add call-flow hits to utterance ``index``: saved with it when it is still
        held, else added to the saved utterance (returns their verdicts then)."""
        entry = self._entries[index]
        if not entry.saved:
            entry.later.extend(hits)
            return None
        scored = self.scorer.score_utterance(index, entry.utterance, hits)
        # Deductions number hits within the utterance: these come after its others.
        first = len(entry.hits or ()) + len(entry.later)
        entry.later.extend(hits)
        self.deductions.extend(
            replace(d, hit=d.hit + first) for d in scored.deductions)
        if self.store is not None and self.pk is not None:
            self.store.append_hits(self.pk, index, hits, scored, score=self.score)
        return scored

    def _save(self, index: int) -> Saved:
        entry = self._entries[index]
        hits = [*(entry.hits or ()), *entry.later]
        entry.hits, entry.later = hits, []
        scored = self.scorer.score_utterance(index, entry.utterance, hits)
        self.deductions.extend(scored.deductions)
        entry.saved = True
        if self.store is not None and self.pk is not None:
            self.store.append_utterance(
                self.pk, entry.utterance, hits, scored, score=self.score,
                agent_talk_seconds=self.scorer.talk_seconds(
                    e.utterance for e in self._entries[:index + 1]))
        return Saved(index, entry.utterance, hits, scored)

    def finish(self, *, duration: float, failure: str | None) -> None:
        """Close the call in the store (once, however often the end is resumed)."""
        if self.store is None or self.pk is None or self._finished:
            return
        self.store.finish_call(
            self.pk, duration=duration,
            audio_path=str(self.options.record) if self.options.record else None,
            failure=failure)
        self._finished = True
