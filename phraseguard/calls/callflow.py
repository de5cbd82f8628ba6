"""Call-flow hits in a scored call: missing required items and timing events.

The engine's :class:`~phraseguard.engine.callflow.CallFlow` returns call-level
:class:`~phraseguard.engine.conversation.FlowHit` values; here they join the
matcher's per-utterance hits, each on the utterance its window or event
belongs to, so the scorer, the store and every report treat them like any
other hit (same rule id, same deduction path). Their place in time rides in
``hit.extra["time"]`` because they have no text span to time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from phraseguard.calls.rows import FLOW_DIGEST_SUFFIX
from phraseguard.engine.callflow import CallFlow, CallFlowResult
from phraseguard.engine.hit import Hit
from phraseguard.engine.lexicon import Lexicon
from phraseguard.speech.transcript import Transcript


def flow_lexicon(lexicon: Lexicon, call_flow: bool) -> Lexicon:
    """The lexicon as a call scored with (``call_flow``) or without call flow records it.

    Scored with call-flow rules is another result than without: the digest
    says so, so a call scored without them is scored again, not skipped, when
    they are switched on (``score``), and a live call says how it was scored.
    """
    if not (call_flow and lexicon.flow):
        return lexicon
    return dataclasses.replace(lexicon, digest=lexicon.digest + FLOW_DIGEST_SUFFIX)


def with_place(f) -> Hit:
    """The flow hit's Hit, carrying its (start, end) seconds when it has them."""
    if f.start is None or f.end is None:
        return f.hit
    return dataclasses.replace(f.hit, extra={**f.hit.extra, "time": (f.start, f.end)})


def add_flow_hits(flow: CallFlow | None, transcript: Transcript, hits: Sequence[list[Hit]], *,
                  agent: str | None = None, unknown_is_agent: bool = True) -> CallFlowResult:
    """Check the call's flow and append its hits to ``hits[utterance]`` (in place).

    The result's ``found`` is empty: a scored call keeps its missing items'
    hits, not where the items said were (``CallFlow.check(locate=False)``).
    """
    if flow is None or not flow:
        return CallFlowResult()
    result = flow.check(transcript.utterances, agent=agent, unknown_is_agent=unknown_is_agent,
                        locate=False)
    for f in result.hits:
        if f.utterance is not None:
            hits[f.utterance].append(with_place(f))
    return result
