"""Live coaching: the session that listens to a headset, one alert per
occurrence, events (JSON Lines) and the terminal screen.

Owns: the live front door (``run.run_live``). ``session`` (LiveSession),
``hearing`` (segments to alerts and utterances), ``call`` (the scored call in
the store), ``alerts``, ``events``, ``fanout`` (sinks), ``screen``, ``parts``
(seams and options).
May import: ``phraseguard.calls`` (store, scoring), ``phraseguard.speech``,
``phraseguard.engine`` and the top-level ``errors``, ``settings``, ``output``
and ``signals``.
"""
