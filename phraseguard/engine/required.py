"""Required phrases: what the agent must say, and where in the call.

Each ``[[required]]`` rule of the lexicon (see :mod:`phraseguard.engine.flowrules`)
is compiled into a one-rule :class:`~phraseguard.engine.matcher.Matcher`, so
its phrases match exactly like forbidden ones do: simplified or traditional,
spaced recogniser output, homophones. One matcher per rule, because the
matcher keeps only the longest of overlapping hits and a greeting may
overlap a self-introduction ("京东客服很高兴为您服务").

A rule is checked inside its window: where the conversation has times and
the rule gives ``seconds``, the first (or last) N seconds of the agent's
speech; otherwise the first (or last) N agent messages (utterances, as QA
counts them) or N agent turns; or anywhere. An item found there is ticked on the call's
checklist; an item not found is a :class:`FlowHit` whose reason names the
window ("no self-introduction in the first 15 s").

Placeholders: ``{company}`` is the company names (lexicon ``[callflow]`` or
the config file); unknown, it is any few characters. ``{agent}`` is the
call's agent (manifest or file name) and always any of ``[callflow]
name_like`` (我是3021号客服, 我是小王): when the agent is unknown, any name-like
self-introduction counts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from phraseguard.engine.conversation import (
    AGENT,
    FlowHit,
    Turn,
    UtteranceLike,
    has_times,
    roles,
    turns,
)
from phraseguard.engine.flowrules import RequiredRule, expand, placeholders_in
from phraseguard.engine.hit import Hit, MatchKind
from phraseguard.engine.lexicon import Lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.name_frame import NameFrameMatcher
from phraseguard.engine.pattern import parse, to_regex
from phraseguard.engine.phonetics import Phonetics
from phraseguard.engine.required_lexicon import ANY_COMPANY, EDGE_GAP, rule_lexicon
from phraseguard.engine.tables import MatcherTables
from phraseguard.engine.whole_clause import WholeClausePhrases


@dataclass(frozen=True)
class Found:
    """Where a required item was said."""

    rule_id: str
    utterance: int
    hit: Hit
    start: float | None
    end: float | None


@dataclass(frozen=True)
class RequiredResult:
    """One call's checklist: each required item said (True), missing (False) or
    not decided (None: no agent speech, or a live window still open)."""

    checklist: dict[str, bool | None]
    hits: list[FlowHit] = field(default_factory=list)  # the missing items
    found: dict[str, Found] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Window:
    utterances: tuple[int, ...]  # agent utterances inside it, in order
    start: float | None  # seconds, where the conversation has times
    end: float | None
    describe: str  # "in the first 15 s"
    closed: bool  # no later speech can fall inside it


class RequiredChecker:
    """Checks a lexicon's required rules on whole conversations. Build once."""

    def __init__(self, lexicon: Lexicon, *, company: Sequence[str] | None = None,
                 phonetics: Phonetics | None = None, tables: MatcherTables | None = None) -> None:
        self.lexicon = lexicon
        self.rules: tuple[RequiredRule, ...] = lexicon.flow.required
        self.company = tuple(company) if company else lexicon.flow.settings.company
        self._name_like = lexicon.flow.settings.name_like
        # None: the matchers use the installed pinyin data, whose compiled
        # rules and fold tables come from the cache folder (a passed-in
        # Phonetics has no cache key, so every rule is compiled afresh).
        self._phonetics = phonetics
        # The normaliser, folds and word graph are loaded once for every
        # rule's matcher (``tables``: the caller's forbidden-rule matcher's,
        # when it has one; else loaded here).
        if tables is None:
            tables = MatcherTables(lexicon.matching, phonetics=phonetics)
        self.tables = tables
        self._matchers: dict[tuple[int, tuple[str, ...] | None], Matcher | None] = {}
        self._uses_agent = [any("agent" in placeholders_in(p) for p in (*r.phrases, *r.variants))
                            for r in self.rules]
        # Per rule: its {agent} patterns as one regex for every agent (None: none).
        self._own: dict[int, re.Pattern | None] = {}
        # A call's agent -> the names as {agent} matches them (a batch has a few
        # agents and many calls each).
        self._names: dict[str | tuple[str, ...] | None, tuple[str, ...]] = {}
        self._norm = tables.norm
        self._hesitation = _hesitation_regex(lexicon.flow.settings.hesitations,
                                             lexicon.matching.fillers)
        # What a hesitation is read as: a filler, which normalising drops
        # (as long as what it stands for, so every offset stays where it was).
        self._filler = lexicon.matching.fillers[:1]
        self._hesitation_words = lexicon.flow.settings.hesitations
        self._smooth: dict[str, str] = {}
        # Per rule: the hits of texts already scanned. Openings and closings
        # repeat (a chat system's canned "有什么问题我可以帮您处理或解决呢?",
        # an agent's saved farewell), and scanning is pure, so a text is
        # verified once per rule (bounded: cleared when full).
        self._scanned: list[dict[tuple[str, bool], tuple[Hit, ...]]] = [
            {} for _ in self.rules]
        # Per rule: whether a text holds the item (``check(locate=False)``),
        # and the listed phrases that decide it without the matcher where they
        # stand as a clause of their own ("您好，…", "…，再见!").
        self._said: list[dict[tuple[str, bool], bool]] = [{} for _ in self.rules]
        self._clauses: list[WholeClausePhrases | None] = [None for _ in self.rules]
        # Per (rule, window description): the missing item's hit, the same for
        # every call whose window is described alike.
        self._missing: dict[tuple[int, str], Hit] = {}
        # What decides a rule's window (rules alike in these share one).
        self._spans = [(r.window, r.turns, r.messages, r.seconds) for r in self.rules]
        for i in range(len(self.rules)):
            matcher = self._matcher(i, None)
            if matcher is not None:
                self._clauses[i] = WholeClausePhrases(matcher)
        # Per rule: its name frame (a name known by its place), if it has one;
        # with a configured company, only a name holding it counts.
        self._frames = [None if r.name_frame is None
                        else NameFrameMatcher(r.name_frame, self._norm, self.company)
                        for r in self.rules]

    # ---------------------------------------------------------------- compile

    def _matcher(self, index: int, agent: tuple[str, ...] | None) -> Matcher | None:
        key = (index, None)
        if key not in self._matchers:
            self._matchers[key] = self._compile(self.rules[index], None)
        return self._matchers[key]

    def _own_name(self, index: int) -> re.Pattern | None:
        """The rule's {agent} patterns as one regular expression, for every agent.

        Matched over normalised text (simplified, no spaces or punctuation)
        by :meth:`_says_own_name`, not by a full matcher: a batch has many
        agents, and a matcher per agent would cost a quarter of a second
        each. The agent's own name is therefore matched as written (any
        script, spaced), not by sound. The subject is ``name + NUL + text``
        and {agent} a backreference to the name, so the regex is compiled
        once for every agent of a batch, not once each (normalised text has
        no NUL: it is dropped).
        """
        if index not in self._own:
            rule = self.rules[index]
            values = {"company": self.company or (ANY_COMPANY,),
                      "known_company": self.company, "agent": (_SLOT,)}
            parts = []
            for src in (*rule.phrases, *rule.variants):
                if "{agent}" not in src:
                    continue
                for p in expand(src, values):
                    nodes = parse(EDGE_GAP.sub("", p), normalize=self._norm.fast)
                    regex = to_regex(nodes, max_gap=self.lexicon.matching.max_gap)
                    if _SLOT in regex:
                        parts.append(regex.replace(_SLOT, "(?P=agent)"))
            self._own[index] = re.compile(
                r"(?P<agent>[^\x00]+)\x00[\s\S]*?(?:" + "|".join(parts) + ")") if parts else None
        return self._own[index]

    def _agent_names(self, agent: str | Sequence[str] | None) -> tuple[str, ...]:
        """The call's agent name(s) as {agent} matches them: normalised, longest first."""
        key = agent if agent is None or isinstance(agent, str) else tuple(agent)
        names = self._names.get(key)
        if names is None:
            given = (agent,) if isinstance(agent, str) else tuple(agent or ())
            names = tuple(sorted({self._norm.fast(n) for n in given if n and n.strip()} - {""},
                                 key=len, reverse=True))
            if len(self._names) >= _SCANNED_TEXTS:
                self._names.clear()
            self._names[key] = names
        return names

    def _says_own_name(self, own: re.Pattern, names: tuple[str, ...], text: str) -> bool:
        """Whether ``text`` holds one of the rule's {agent} patterns with one of
        ``names`` (normalised) in it."""
        plain = self._norm.fast(text)
        # The name is in every match: a text without it needs no regex.
        return any(name in plain and own.match(f"{name}\0{plain}") for name in names)

    def _compile(self, rule: RequiredRule, agent: tuple[str, ...] | None) -> Matcher | None:
        # The call's own agent counts besides the name-like forms: the
        # manifest may hold a login ("alice") the agent never says.
        lex = rule_lexicon(self.lexicon, rule, self.company,
                           (*(agent or ()), *self._name_like))
        return None if lex is None else Matcher(lex, phonetics=self._phonetics,
                                                tables=self.tables)

    # ------------------------------------------------------------------ check

    def check(self, utterances: Sequence[UtteranceLike], *,
              agent: str | Sequence[str] | None = None, unknown_is_agent: bool = True,
              final: bool = True, now: float | None = None,
              locate: bool = True, timed: bool | None = None) -> RequiredResult:
        """The checklist of one conversation.

        ``agent`` is the call's agent name(s) for ``{agent}``. ``final=False``
        is a call still going on (``live``): only windows that have closed are
        decided (a first window closes when a later agent turn starts or,
        with times, at ``now`` past its seconds); the others stay None.
        ``locate=False``: only whether each item was said (the checklist and
        the missing items' hits, the same), not where: ``found`` stays empty,
        and a window without times is decided without placing the hit.
        ``timed``: :func:`has_times` of the utterances, when the caller knows it.
        """
        if not self.rules:
            return RequiredResult(checklist={})
        names = self._agent_names(agent)
        speech = _AgentSpeech(utterances, unknown_is_agent)
        if not speech.said:
            note = "call-flow checks skipped: no agent speech"
            return RequiredResult(checklist={r.id: None for r in self.rules}, notes=[note])
        if timed is None:
            timed = has_times(utterances)
        checklist: dict[str, bool | None] = {}
        hits: list[FlowHit] = []
        found: dict[str, Found] = {}
        # Rules with the same window (greeting and self-introduction) share it.
        windows: dict[tuple, _Window] = {}
        for i, rule in enumerate(self.rules):
            win = windows.get(self._spans[i])
            if win is None:
                win = windows[self._spans[i]] = _window(rule, speech, utterances, timed,
                                                        final=final, now=now)
            if not locate and win.start is None and win.end is None:
                said = self._said_in(i, names or None, win, utterances)
            else:
                where = self._find(i, names or None, win, utterances)
                said = where is not None
                if said and locate:
                    found[rule.id] = where
            if said:
                checklist[rule.id] = True
            elif not win.closed:
                checklist[rule.id] = None
            else:
                checklist[rule.id] = False
                hits.append(self._missing_hit(i, win))
        return RequiredResult(checklist=checklist, hits=hits, found=found)

    def _read(self, text: str) -> str:
        """``text`` as the required rules read it: each hesitation (那个 and the
        pause after it) a run of filler as long, so every offset stays put.
        Only the few utterances a window holds are read, each once."""
        if self._hesitation is None or not any(w in text for w in self._hesitation_words):
            return text
        smooth = self._smooth.get(text)
        if smooth is None:
            if len(self._smooth) >= _SCANNED_TEXTS:
                self._smooth.clear()
            smooth = self._smooth[text] = self._hesitation.sub(
                lambda m: self._filler * len(m.group(0)), text)
        return smooth

    def _missing_hit(self, index: int, win: _Window) -> FlowHit:
        hit = self._missing.get((index, win.describe))
        if hit is None:
            hit = self._missing[(index, win.describe)] = _missing_item(
                self.rules[index], win.describe, self.company)
        return _placed(self.rules[index], win, hit)

    def _scan(self, index: int, matcher: Matcher, text: str, *, first: bool
              ) -> tuple[Hit, ...]:
        """The rule's hits in ``text`` (``first``: only the first one, all a window
        without times needs)."""
        seen = self._scanned[index]
        hits = seen.get((text, first))
        if hits is None:
            if first:
                one = matcher.first(text)
                hits = () if one is None else (one,)
            else:
                hits = tuple(matcher.scan(text))
            if len(seen) >= _SCANNED_TEXTS:
                seen.clear()
            seen[(text, first)] = hits
        return hits

    def _said_in(self, index: int, agent: tuple[str, ...] | None, win: _Window,
                 utterances: Sequence[UtteranceLike]) -> bool:
        """``_find(...) is not None`` for a window without times, cheaper: no hit is
        placed, and a listed phrase standing as a clause decides without the matcher."""
        matcher = self._matcher(index, agent)
        own = self._own_name(index) if agent and self._uses_agent[index] else None
        frame = self._frames[index]
        if matcher is None and own is None and frame is None:
            return False
        seen, clauses = self._said[index], self._clauses[index]
        # Whether, not where: a last window is read from its end, where a
        # farewell usually is, so the line before it is mostly not read.
        order = reversed(win.utterances) if self.rules[index].window == "last" \
            else win.utterances
        for ui in order:
            text = self._read(utterances[ui].text)
            opening = frame is not None and _opens(frame, win, ui, utterances)
            said = seen.get((text, opening))
            if said is None:
                if matcher is None:
                    phrase = False
                elif frame is not None and frame.reads_kinds:
                    phrase = bool(self._naming_hits(index, matcher, frame, text, first=True))
                else:
                    phrase = (clauses is not None and clauses.said(text)) or matcher.said(text)
                said = phrase or (frame is not None and frame.name(text, opening=opening) is not None)
                if len(seen) >= _SCANNED_TEXTS:
                    seen.clear()
                seen[(text, opening)] = said
            if said:
                return True
            if own is not None and agent and self._says_own_name(own, agent, text):
                return True
        return False

    def _naming_hits(self, index: int, matcher: Matcher, frame: NameFrameMatcher, text: str,
                     *, first: bool) -> tuple[Hit, ...]:
        """The rule's hits in ``text`` that name someone: not a kind of shop, trade or
        role alone (我是车行的; ``NameFrameMatcher.names_no_one``). ``first``: only the
        first such hit — every hit is scanned only when the first names nobody."""
        def names(h: Hit) -> bool:
            return not frame.names_no_one(h.matched, text[h.end:])

        if first:
            one = self._scan(index, matcher, text, first=True)
            if not one or names(one[0]):
                return one
        hits = tuple(h for h in self._scan(index, matcher, text, first=False) if names(h))
        return hits[:1] if first else hits

    def _own_name_hit(self, index: int, text: str) -> Hit:
        rule = self.rules[index]
        return Hit(rule_id=rule.id, category=rule.category, severity=rule.severity,
                   message=rule.message, suggestions=rule.suggestions, phrase="{agent}",
                   start=0, end=len(text), matched=text, normalized=self._norm.fast(text),
                   kind=MatchKind.VARIANT, confidence=self.lexicon.matching.variant_confidence)

    def _find(self, index: int, agent: tuple[str, ...] | None, win: _Window,
              utterances: Sequence[UtteranceLike]) -> Found | None:
        matcher = self._matcher(index, agent)
        own = self._own_name(index) if agent and self._uses_agent[index] else None
        frame = self._frames[index]
        if matcher is None and own is None and frame is None:
            return None
        # No seconds to hold a hit against: the utterance's first hit decides.
        untimed = win.start is None and win.end is None
        for ui in win.utterances:
            utt = utterances[ui]
            text = self._read(utt.text)
            if own is not None and agent and self._says_own_name(own, agent, text):
                hit = self._own_name_hit(index, utt.text)
                return Found(self.rules[index].id, ui, hit, utt.start, utt.end)
            if matcher is None:
                hits: tuple[Hit, ...] = ()
            elif frame is not None and frame.reads_kinds:
                hits = self._naming_hits(index, matcher, frame, text, first=untimed)
            else:
                hits = self._scan(index, matcher, text, first=untimed)
            for h in hits:
                if (span := _inside(win, utt, h)) is not None:
                    return Found(self.rules[index].id, ui, _as_said(h, utt.text, text), *span)
            # The name frame only where the rule's own phrases did not decide.
            name = frame.name(text, opening=_opens(frame, win, ui, utterances)) \
                if frame is not None else None
            if name is not None:
                h = self._frame_hit(index, text, name)
                if (span := _inside(win, utt, h)) is not None:
                    return Found(self.rules[index].id, ui, _as_said(h, utt.text, text), *span)
        return None

    def _frame_hit(self, index: int, text: str, name: str) -> Hit:
        """The hit of a name found by its place: the whole utterance (the frame is
        matched over normalised text, whose offsets are not kept)."""
        rule = self.rules[index]
        return Hit(rule_id=rule.id, category=rule.category, severity=rule.severity,
                   message=rule.message, suggestions=rule.suggestions, phrase="{name_frame}",
                   start=0, end=len(text), matched=text, normalized=name,
                   kind=MatchKind.VARIANT, confidence=self.lexicon.matching.variant_confidence)


def _as_said(hit: Hit, said: str, read: str) -> Hit:
    """``hit``, found in ``read`` (``said`` with its hesitations as filler, the
    same length), quoting what was said: reports show 我是那个……嗯，巴蜀装饰的
    小曾, not the filler."""
    if read is said:
        return hit
    return dataclasses.replace(hit, matched=said[hit.start:hit.end])


# What may follow a hesitation word as its pause: clause punctuation, a space
# (a recogniser's pause), an ellipsis or a dash.
_PAUSE = r"[\s,，、…。.．~～—-]"


def _hesitation_regex(words: Sequence[str], fillers: str) -> re.Pattern | None:
    """The regex of a hesitation: one of ``words``, then a pause (at least one
    mark of :data:`_PAUSE`, with fillers around it). None: no words or no
    filler to read them as."""
    if not words or not fillers:
        return None
    filler = "[" + re.escape(fillers) + "]"
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(f"(?:{alts})(?={filler}*{_PAUSE})(?:{_PAUSE}|{filler})+")


def _opens(frame: NameFrameMatcher, win: _Window, ui: int,
           utterances: Sequence[UtteranceLike]) -> bool:
    """Whether window utterance ``ui`` opens the agent's side: nothing but
    greetings before it in the window."""
    return all(frame.only_greets(utterances[u].text) for u in win.utterances if u < ui)


def _inside(win: _Window, utt: UtteranceLike, hit: Hit) -> tuple[float | None, float | None] | None:
    """Where ``hit`` was said in ``utt`` (seconds, or the utterance's own), when
    that lies inside ``win``'s seconds; None when it lies outside."""
    span = utt.time_of(hit.start, hit.end) if hasattr(utt, "time_of") else None
    start, end = span if span else (utt.start, utt.end)
    if win.start is not None and end is not None and end <= win.start:
        return None
    if win.end is not None and start is not None and start >= win.end:
        return None
    return start, end


# Texts whose hits each rule remembers (see RequiredChecker._scanned).
_SCANNED_TEXTS = 4096
# Stands for the agent's name while a pattern is compiled (plain letters:
# normalising keeps them, and no phrase contains them).
_SLOT = "qqagentslotqq"


class _AgentSpeech:
    """The agent's utterances in one conversation; its turns only when a window needs them."""

    def __init__(self, utterances: Sequence[UtteranceLike], unknown_is_agent: bool) -> None:
        self._utterances = utterances
        self._roles = roles(utterances, unknown_is_agent=unknown_is_agent)
        # Every agent utterance, in order (the utterances of the agent's turns).
        self.said = [i for i, r in enumerate(self._roles) if r == AGENT]
        self._turns: list[Turn] | None = None

    @property
    def turns(self) -> list[Turn]:
        if self._turns is None:
            self._turns = [t for t in turns(self._utterances, of_roles=self._roles)
                           if t.role == AGENT]
        return self._turns


def _window(rule: RequiredRule, speech: _AgentSpeech, utterances: Sequence[UtteranceLike],
            timed: bool, *, final: bool, now: float | None) -> _Window:
    """The agent utterances (and seconds) where ``rule`` must be said."""
    said = speech.said
    if rule.window == "anywhere":
        return _Window(tuple(said), None, None, "in the call", final)
    start = end = None
    n = 0
    closed_first = None  # a first window counted in messages: closed by a later message
    if timed and rule.seconds:
        # Recordings: seconds of the agent's speech, whatever the turns (a
        # customer's "喂?" splits a phone opening into several turns).
        times = [(utterances[i].start, utterances[i].end) for i in said
                 if utterances[i].start is not None]
        if rule.window == "first":
            start = times[0][0] if times else 0.0
            end = start + rule.seconds
            idx = tuple(i for i in said if utterances[i].start is None
                        or utterances[i].start < end)
        else:
            end = max(e for _, e in times if e is not None) if times else 0.0
            start = max(0.0, end - rule.seconds)  # never before the call starts
            idx = tuple(i for i in said if utterances[i].end is None or utterances[i].end > start)
        describe = f"in the {rule.window} {rule.seconds:g} s"
    elif rule.messages:
        # Text, counted in messages: each agent utterance (a chat message, a
        # transcript line) on its own, as QA counts them: a chat's first
        # message is often the system's offer of help, the greeting the next.
        n = rule.messages
        idx = tuple(said[:n] if rule.window == "first" else said[-n:])
        describe = (f"in the {rule.window} agent message" if n == 1
                    else f"in the {rule.window} {n} agent messages")
        closed_first = len(said) > n
    else:
        # Text: agent turns (a seconds-only rule falls back to one turn).
        n = rule.turns or 1
        agent_turns = speech.turns
        chosen = agent_turns[:n] if rule.window == "first" else agent_turns[-n:]
        idx = tuple(i for t in chosen for i in t.utterances)
        describe = (f"in the {rule.window} agent turn" if n == 1
                    else f"in the {rule.window} {n} agent turns")
    if final:
        closed = True
    elif rule.window != "first":
        closed = False
    elif closed_first is not None:
        closed = closed_first
    else:
        # A timed window: n is all the agent's turns, so only the clock closes it.
        closed = (n > 0 and len(speech.turns) > n) or (
            start is not None and end is not None and now is not None and now >= end)
    return _Window(idx, start, end, describe, closed)


def _missing_item(rule: RequiredRule, describe: str, company: tuple[str, ...]) -> Hit:
    """The hit of ``rule``'s item missing from a window ``describe`` says."""
    reason = f"{rule.missing} {describe}"
    # A suggestion says the company's name when it is known.
    name = company[0] if company else ""
    suggestions = tuple(s.replace("{company}", name) for s in rule.suggestions)
    return Hit(rule_id=rule.id, category=rule.category, severity=rule.severity, message=reason,
               suggestions=suggestions, phrase=describe.removeprefix("in the "),
               start=0, end=0, matched="", normalized="", kind=MatchKind.MISSING,
               confidence=1.0, extra={"rule_message": rule.message})


def _placed(rule: RequiredRule, win: _Window, hit: Hit) -> FlowHit:
    """The missing item's hit on its window: the window's first utterance (last for a
    ``last`` window)."""
    at = (win.utterances[0] if rule.window != "last" else win.utterances[-1]) \
        if win.utterances else None
    span = (win.utterances[0], win.utterances[-1]) if win.utterances else None
    return FlowHit(hit=hit, utterance=at, start=win.start, end=win.end, window=span)
