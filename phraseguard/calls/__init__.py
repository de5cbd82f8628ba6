"""Recorded calls: finding the inputs, planning, where calls run, the run itself,
the SQLite store and quality-inspection scoring.

Owns: turning a batch of recordings or transcripts into scored, stored calls.
``inputs`` (discovery, who took a call, hashing) -> ``plan`` (what each file
needs) -> ``worker`` / ``pool`` (the Executor seam) -> ``run`` (``run_batch``);
``scoring`` (the one Scorer); ``store``, ``schema``, ``rows``, ``queries``
(the store).
May import: ``phraseguard.speech``, ``phraseguard.engine``, ``phraseguard.lint``
(file reading) and the top-level ``errors``, ``settings``, ``files``,
``output`` and ``signals``.
"""
