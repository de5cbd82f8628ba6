"""The call flow in the HTML report: each call's checklist, each agent's rates.

A call scored with call-flow rules (``score`` does by default when the
lexicon has them) was *checked* for the lexicon's required items (greeting,
self-introduction, closing); an item is *missing* when the call has a hit of
kind ``missing`` for it, *said* otherwise, exactly as the CSV and JSON
outputs count them (:func:`phraseguard.report.results.call_checklists`).

The page carries this in the compact call columns as one small number a
call, the ``flow`` column: ``-1`` for a call that was not checked, else the
sum of ``2**k`` over the items ``k`` it missed (``0``: every item said), the
items being named in order by the page's ``flow.items``. The page's script
recomputes an agent's rates from it under any filter; the unfiltered rates
are embedded with each agent's summary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from phraseguard.calls.scoring import UNKNOWN_AGENT
from phraseguard.calls.store import ListedCall

#: The ``flow`` column's value for a call that was not checked.
NOT_CHECKED = -1


class FlowColumn:
    """The checklist of every call as the page's ``flow`` column, and the agents' rates.

    ``required`` are the lexicon's required items (so an item no call missed
    is still listed); ``misses`` the ``(call id, item)`` pairs of the store's
    missing-item hits. Items some call missed that ``required`` does not name
    (a lexicon changed since) are listed after them, in first-seen order.
    """

    def __init__(self, required: Sequence[str], misses: Iterable[tuple[int, str]]) -> None:
        self.items: list[str] = list(dict.fromkeys(required))
        self._missed: dict[int, set[str]] = defaultdict(set)
        for call, item in misses:
            self._missed[call].add(item)
            if item not in self.items:
                self.items.append(item)
        self._bit = {item: 1 << k for k, item in enumerate(self.items)}
        self._per_agent: dict[str, list[int]] = defaultdict(list)

    def value(self, call: ListedCall) -> int:
        """The call's ``flow`` column value; also counted in the agent's rates."""
        if not call.flow_checked:
            return NOT_CHECKED
        mask = sum(self._bit[i] for i in self._missed.get(call.pk, ()))
        if call.status == "ok":
            self._per_agent[call.agent or UNKNOWN_AGENT].append(mask)
        return mask

    def rates(self, agent: str) -> dict[str, Any] | None:
        """The agent's checked calls and the share of them with each item said (None
        when none was checked), over the calls :meth:`value` has seen."""
        masks = self._per_agent.get(agent)
        if not masks:
            return None
        return {"calls": len(masks),
                "rates": {i: sum(not m & self._bit[i] for m in masks) / len(masks)
                          for i in self.items}}  # fmt: skip

    def page(self) -> dict[str, Any]:
        """What the page embeds besides the column: the items, in column-bit order."""
        return {"items": self.items}
