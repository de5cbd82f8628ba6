"""Speech: audio decoding, speech models, the recogniser seam, transcripts and
capture devices.

Owns: turning sound (a file or a microphone) into a ``Transcript``.
May import: ``phraseguard.engine`` and ``phraseguard.errors``.
"""
