"""phraseguard: keep forbidden phrases out of customer-service calls.

The engine (lexicon, normalisation, matcher, scoring) is pure and shared by the
three front doors: ``lint`` for written scripts, ``score`` for recorded calls
and ``live`` for the agent's headset.
"""

__version__ = "0.1.0"
