"""The search of a pattern's forms: a match across a clause break hides nothing."""

from __future__ import annotations

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.contexts import LazyRegex
from phraseguard.engine.hit import MatchKind
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.raw_matches import FormSearch, Pattern, Seen


def _search() -> FormSearch:
    return FormSearch(load_lexicon().matching, {}, {}, str)


def _pattern(regex: str) -> Pattern:
    return Pattern(rule=0, source=regex, kind=MatchKind.VARIANT, chars=LazyRegex(regex),
                   sound=None, coarse=None, spelled=None, length=2)


def test_a_match_that_crosses_a_break_does_not_hide_one_inside_it():
    # "X.{0,2}Y" first matches X1XY whole; with a break after "X1" that match
    # never counts, and the XY inside it must still be found.
    text = "X1XY"
    found = _search().matches(_pattern("X.{0,2}Y"), text, Seen(text), [],
                              crosses=lambda a, b: a < 2 < b)
    assert [(r.start, r.end) for r in found] == [(2, 4)]


def test_without_a_break_the_leftmost_match_is_kept_as_before():
    text = "X1XY"
    found = _search().matches(_pattern("X.{0,2}Y"), text, Seen(text), [])
    assert [(r.start, r.end) for r in found] == [(0, 4)]


def test_a_closing_after_a_clause_that_starts_a_longer_match_is_found():
    # Found in ../shared/corpus (a Weibo helpdesk reply): the invitation back
    # after 喔！ was hidden by a match that began in the clause before it.
    from tests.engine.talk import a

    flow = CallFlow(load_lexicon(), timing=False)
    lines = [a("您好，请问有什么可以帮您？"),
             a("您好！反馈的问题已有专员联系跟进处理喔！如有疑问可以致电当地10000号核查，谢谢！")]
    assert flow.check(lines).checklist["closing"]
