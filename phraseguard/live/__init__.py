"""Live coaching: the session that listens to a headset, one alert per
occurrence, events (JSON Lines) and the terminal screen.

Owns: the live front door.
May import: ``phraseguard.calls`` (store, scoring), ``phraseguard.speech``,
``phraseguard.engine`` and the top-level ``errors`` and ``settings``.
"""
