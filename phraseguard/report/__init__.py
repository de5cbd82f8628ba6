"""Report writers.

``SCORE_WRITERS`` maps a format name to the writer class for score results
(what ``phraseguard score`` and ``phraseguard report`` print or save): each
has ``extension`` and ``write(results, fp)``. Every name except ``text``
becomes a ``--<name> FILE`` option of those commands, so registering a writer
here (``html``) is all it takes to offer it.
"""

from __future__ import annotations

from phraseguard.report.html import HtmlWriter
from phraseguard.report.score_csv import CsvWriter
from phraseguard.report.score_json import JsonWriter
from phraseguard.report.score_text import TextWriter
from phraseguard.report.writer import ResultWriter

SCORE_WRITERS: dict[str, type[ResultWriter]] = {
    TextWriter.name: TextWriter,
    JsonWriter.name: JsonWriter,
    CsvWriter.name: CsvWriter,
    HtmlWriter.name: HtmlWriter,
}


def get_score_writer(name: str) -> ResultWriter:
    """A writer for ``name``; KeyError lists the known formats."""
    try:
        return SCORE_WRITERS[name]()
    except KeyError:
        raise KeyError(f"unknown format {name!r} (use {', '.join(SCORE_WRITERS)})") from None


__all__ = ["SCORE_WRITERS", "ResultWriter", "get_score_writer"]
