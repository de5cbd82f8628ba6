"""Report writers.

``SCORE_WRITERS`` maps a format name to the writer class for score results
(what ``phraseguard score`` and ``phraseguard report`` print or save): each
is a :class:`~phraseguard.report.writer.ReportWriter` (``extension``,
``write(results, fp)``, ``write_path(results, path)``). Every name except ``text``
becomes a ``--<name> FILE`` option of those commands, so registering a writer
here (``html``) is all it takes to offer it.
"""

from __future__ import annotations

from phraseguard.report.html import HtmlWriter
from phraseguard.report.score_csv import CsvWriter
from phraseguard.report.score_json import JsonWriter
from phraseguard.report.score_text import TextWriter
from phraseguard.report.writer import ReportWriter

SCORE_WRITERS: dict[str, type[ReportWriter]] = {
    TextWriter.name: TextWriter,
    JsonWriter.name: JsonWriter,
    CsvWriter.name: CsvWriter,
    HtmlWriter.name: HtmlWriter,
}


def get_score_writer(name: str) -> ReportWriter:
    """A writer for ``name``; KeyError lists the known formats."""
    try:
        return SCORE_WRITERS[name]()
    except KeyError:
        raise KeyError(f"unknown format {name!r} (use {', '.join(SCORE_WRITERS)})") from None


__all__ = ["SCORE_WRITERS", "ReportWriter", "get_score_writer"]
