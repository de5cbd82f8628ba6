"""JSON that every reader accepts: no ``NaN`` or ``Infinity``.

Python's ``json`` writes non-finite floats as ``NaN``/``Infinity``, which is
not JSON: ``JSON.parse`` in the HTML page and strict parsers elsewhere refuse
the whole document. Transcripts with such times are refused when they are
read, but a store written by an older version may still hold one, so the
writers pass their data through :func:`finite` and dump with
``allow_nan=False``: a missing value is ``null``, never a broken file.
"""

from __future__ import annotations

import math
from typing import Any


def finite(data: Any) -> Any:
    """``data`` with every non-finite float (inf, -inf, nan) replaced by None.

    Dicts, lists and tuples are copied; other values are returned as they are.
    """
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [finite(v) for v in data]
    return data
