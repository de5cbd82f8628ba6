"""The call a live session makes: scored utterance by utterance, saved as it goes.

The call is opened ``in_progress`` in the store when capture starts; each
final utterance is scored by the same :class:`~phraseguard.calls.scoring.Scorer`
a batch uses and committed at once with the running score, so a crash loses
at most the utterance being spoken; :meth:`LiveCall.finish` closes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from phraseguard.calls.rows import CallMeta
from phraseguard.calls.scoring import Deduction, Scorer, UtteranceScore
from phraseguard.engine.hit import Hit
from phraseguard.live.parts import LiveOptions, StoreLike
from phraseguard.speech.transcript import Utterance


class LiveCall:
    """The session's running score, and its call in the store (when there is one)."""

    def __init__(self, scorer: Scorer, store: StoreLike | None, options: LiveOptions) -> None:
        self.scorer = scorer
        self.store = store
        self.options = options
        self.pk: int | None = None
        self.deductions: list[Deduction] = []
        self.utterances = 0
        self._heard: list[Utterance] = []
        self._finished = False

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

    def add(self, utterance: Utterance, hits: Sequence[Hit]) -> UtteranceScore:
        """Score a final utterance and save it with the call's new totals."""
        scored = self.scorer.score_utterance(self.utterances, utterance, hits)
        self.deductions.extend(scored.deductions)
        self._heard.append(utterance)
        if self.store is not None and self.pk is not None:
            self.store.append_utterance(
                self.pk, utterance, hits, scored, score=self.score,
                agent_talk_seconds=self.scorer.talk_seconds(self._heard))
        self.utterances += 1
        return scored

    def finish(self, *, duration: float, failure: str | None) -> None:
        """Close the call in the store (once, however often the end is resumed)."""
        if self.store is None or self.pk is None or self._finished:
            return
        self.store.finish_call(
            self.pk, duration=duration,
            audio_path=str(self.options.record) if self.options.record else None,
            failure=failure)
        self._finished = True
