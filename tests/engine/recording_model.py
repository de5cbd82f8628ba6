"""A stand-in meaning model that reads nothing and records the customer's turn it
was given with each agent turn (``hits``: the first reading the dialogue judge asks for)."""

from __future__ import annotations


class RecordingModel:
    """Records ``customers`` of every ``hits`` call; finds nothing."""

    def __init__(self) -> None:
        self.customers: list[str | None] = []

    def hits(self, texts, customers=None):
        self.customers.extend(customers or [None] * len(texts))
        return [None] * len(texts)
