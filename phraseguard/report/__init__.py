"""Report writers.

``SCORE_WRITERS`` maps a format name to the writer class for score results
(what ``phraseguard score`` and ``phraseguard report`` print or save): each
is a :class:`~phraseguard.report.writer.ReportWriter` (``extension``,
``write(results, fp)``, ``write_path(results, path)``). Every name except ``text``
becomes a ``--<name> FILE`` option of those commands, so registering a writer
here (``html``) is all it takes to offer it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phraseguard.report.writer import ReportWriter

if TYPE_CHECKING:
    SCORE_WRITERS: dict[str, type[ReportWriter]]


def _score_writers() -> dict[str, type[ReportWriter]]:
    found = globals().get("SCORE_WRITERS")
    if found is not None:
        return found
    from phraseguard.report.html import HtmlWriter
    from phraseguard.report.score_csv import CsvWriter
    from phraseguard.report.score_json import JsonWriter
    from phraseguard.report.score_text import TextWriter

    found = globals()["SCORE_WRITERS"] = {
        TextWriter.name: TextWriter,
        JsonWriter.name: JsonWriter,
        CsvWriter.name: CsvWriter,
        HtmlWriter.name: HtmlWriter,
    }
    return found


def __getattr__(name: str) -> Any:
    # SCORE_WRITERS is built on first use: importing a lint format
    # (phraseguard.report.lint_formats) imports this package, and a cold
    # ``phraseguard lint`` must not pay for the HTML writer and the calls
    # store it imports.
    if name == "SCORE_WRITERS":
        return _score_writers()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_score_writer(name: str) -> ReportWriter:
    """A writer for ``name``; KeyError lists the known formats."""
    writers = _score_writers()
    try:
        return writers[name]()
    except KeyError:
        raise KeyError(f"unknown format {name!r} (use {', '.join(writers)})") from None


__all__ = ["SCORE_WRITERS", "ReportWriter", "get_score_writer"]
