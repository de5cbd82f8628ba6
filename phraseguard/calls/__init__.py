"""Recorded calls: finding the inputs, where calls run, the run itself, the
SQLite store and quality-inspection scoring.

Owns: turning a batch of recordings or transcripts into scored, stored calls.
May import: ``phraseguard.speech``, ``phraseguard.engine``, ``phraseguard.lint``
(file reading) and the top-level ``errors`` and ``settings``.
"""
