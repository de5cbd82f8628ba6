"""Linting written scripts: reading text in any encoding and size, walking
folders, and the lint front door.

Owns: turning files and folders into findings.
May import: ``phraseguard.speech`` (transcript reading), ``phraseguard.engine``
and the top-level ``errors`` and ``settings``.
"""
