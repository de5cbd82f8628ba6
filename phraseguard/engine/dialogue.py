"""Judging hits in the conversation: the customer's turn before, the agent's turn after.

QA judges what the agent meant in the call, not one line alone. A give-up
("没办法呢") followed in the agent's next turn by "我帮您申请一下" is not giving
up; "不知道" counts as disclaiming knowledge when the customer asked something.
The matcher judges one line (its ``[rule.unless]`` scopes up to
``utterance``); this module applies the two scopes that need other turns:

* ``unless.next_turn``: a pattern found in the agent's next turn resolves the
  hit (an offer, a reason, an escalation);
* ``unless.customer`` / ``requires.customer``: patterns looked for in the
  customer's turn just before.

Pure: turns and hits in, judged hits out, each with a ``reason`` that says why
it counted. Only lines that already have a hit are looked at by the rules;
with a meaning model (engine/meaning.py), an agent turn where no rule's form
is written is read by the model, and what it flags is judged here like a
rule's hit, with the agent's next turn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from phraseguard.engine.hit import Hit, MatchKind, one_per_span
from phraseguard.engine.lexicon import Lexicon, Rule
from phraseguard.engine.normalize import Normalizer, keep_questions
from phraseguard.engine.pattern import Node, condition_keys, parse, to_regex
from phraseguard.engine.regex_programs import KeptProgram, restore

if TYPE_CHECKING:  # numpy, which the model needs, is not imported by lint without --meaning
    from phraseguard.engine.meaning import MeaningModel

AGENT = "agent"
CUSTOMER = "customer"


class _TextKeys:
    """The character pairs (and characters) of the text last looked at.

    Every turn condition of a judge asks about the same turn in a row: the
    pairs are worked out once per text, and each condition then asks one
    set question instead of looking for each of its anchors.
    """

    __slots__ = ("_text", "_keys")

    def __init__(self) -> None:
        self._text: str | None = None
        self._keys: frozenset[str] = frozenset()

    def of(self, text: str) -> frozenset[str]:
        """Every character and every pair of neighbouring characters in ``text``."""
        if text is not self._text:
            self._text = text
            self._keys = frozenset(text) | frozenset(text[i:i + 2] for i in range(len(text) - 1))
        return self._keys


class _Condition:
    """One turn-condition pattern, compiled only when a text could match it.

    A rule's conditions run to hundreds of patterns (the shared [lists]), and
    compiling them all cost about 0.4 s of a one-line lint's start. Every
    match of a pattern contains one of its anchor texts (pattern.anchor_texts),
    so a text holding none of their first two characters is answered without
    the regex, and most patterns are never compiled in a short run. (Looking
    for each anchor in turn, a first draft, made a long lint 40% slower: the
    pairs are one set question per pattern.) The regex and keys come from the
    compiled lexicon the cache folder keeps where the judge is given them
    (``prepared``), and its program from the kept regex programs, so a first
    give-up neither parses nor compiles.
    """

    __slots__ = ("pattern", "keys", "_text_keys", "_program", "_regex")

    def __init__(self, pattern: str, keys: frozenset[str] | None,
                 text_keys: _TextKeys | None = None, program: KeptProgram | None = None) -> None:
        #: The regex source (as ``re.Pattern.pattern``), for callers that
        #: join conditions into one alternation.
        self.pattern = pattern
        #: The first two characters of each anchor (None: every text is searched).
        self.keys = keys
        self._text_keys = text_keys or _TextKeys()
        self._program = program
        self._regex: re.Pattern | None = None

    @classmethod
    def from_nodes(cls, nodes: list[Node], max_gap: int, text_keys: _TextKeys | None = None
                   ) -> _Condition:
        """The condition of a parsed pattern."""
        return cls(to_regex(nodes, max_gap=max_gap), condition_keys(nodes), text_keys)

    def _ready(self, text: str) -> re.Pattern | None:
        """The compiled regex, or None when ``text`` lacks every anchor."""
        if self.keys is not None and self.keys.isdisjoint(self._text_keys.of(text)):
            return None
        if self._regex is None:
            self._regex = restore(self.pattern, self._program)
        return self._regex

    def search(self, text: str) -> re.Match | None:
        """The pattern's first match in ``text`` (as ``re.Pattern.search``)."""
        regex = self._ready(text)
        return None if regex is None else regex.search(text)

    def remove(self, text: str) -> str:
        """``text`` with every match of the pattern taken out."""
        regex = self._ready(text)
        return text if regex is None else regex.sub("", text)


# A turn condition as the compiled lexicon keeps it: its regex, its keys
# (None: every text is searched) and the regex's program where one was kept.
PreparedCondition = tuple[str, "tuple[str, ...] | None", "KeptProgram | None"]


@dataclass(frozen=True)
class Turn:
    """One turn of a conversation: who spoke (agent, customer or unknown) and what.

    ``unknown`` counts as the agent's: a call script's lines are the agent's.
    """

    role: str
    text: str


@dataclass(frozen=True)
class _RuleTurns:
    next_turn: tuple[_Condition, ...]
    customer_unless: tuple[_Condition, ...]
    customer_requires: tuple[_Condition, ...]
    # The customer asked for one particular action: the hit is its rule's
    # ``otherwise`` instead (the matcher judged it there: ``extra["otherwise"]``),
    # unless the customer's turn reports a problem (``customer_keep``).
    customer_downgrade: tuple[_Condition, ...] = ()
    customer_keep: tuple[_Condition, ...] = ()
    # The customer's turn holds one of ``escalate_customer`` (a fault reported)
    # and none of ``escalate_not_customer`` (in the default lexicon, a request
    # for one change): the hit becomes ``escalate_to``'s.
    escalate_to: Rule | None = None
    escalate_customer: tuple[_Condition, ...] = ()
    escalate_not_customer: tuple[_Condition, ...] = ()


class DialogueJudge:
    """Applies a lexicon's cross-turn conditions. Build once per lexicon."""

    def __init__(self, lexicon: Lexicon, *, normalizer: Normalizer | None = None,
                 meaning: MeaningModel | None = None,
                 prepared: Mapping[str, PreparedCondition] | None = None) -> None:
        """``prepared``: condition pattern -> (regex, keys, program), as the
        compiled lexicon keeps them (engine/compiled.py) for ``normalizer``;
        a pattern not in it is parsed here."""
        self._norm = normalizer or Normalizer(fillers=lexicon.matching.fillers)
        self.meaning = meaning
        self._mentions: Callable[[str], bool] | None = None
        self._max_gap = lexicon.matching.max_gap
        # Compiled on first use: most runs judge few rules, and start-up counts.
        self._pending = {r.id: r for r in lexicon.rules if r.turn_conditions()}
        self._waits = frozenset(r.id for r in lexicon.rules if r.unless.next_turn)
        # Rules that speak only after what the customer said (``needs_customer``):
        # a turn where only they matched is still read by the meaning model.
        self._contextual = frozenset(r.id for r in lexicon.rules if r.needs_customer)
        self._customer_gate: _CustomerGate | None = None  # built on first use
        self._rules: dict[str, _RuleTurns] = {}
        self._compiled: dict[str, _Condition] = {}
        self._prepared = prepared or {}
        self._text_keys = _TextKeys()  # shared by every condition: one turn's pairs, worked out once
        # A meaning-model hit has no ``otherwise`` verdict from the matcher:
        # where its rule downgrades by the customer's turn, the judge makes it
        # the ``otherwise`` rule's hit itself (``_model_otherwise``).
        by_id = {r.id: r for r in lexicon.rules}
        self._model_otherwise = {r.id: by_id[r.otherwise] for r in lexicon.rules
                                 if r.downgrade.customer and r.otherwise in by_id}
        self._by_id = by_id
        self._model_unless_patterns = lexicon.meaning.unless_utterance
        self._model_unless: tuple[_Condition, ...] | None = None  # compiled on first model hit
        self._hollow_patterns = lexicon.dialogue.hollow_next_turn
        self._hollow_particles = lexicon.dialogue.hollow_particles + " "
        self._hollow: tuple[_Condition, ...] | None = None  # compiled on first use

    def _turns(self, rule_id: str) -> _RuleTurns | None:
        turns = self._rules.get(rule_id)
        if turns is None and rule_id in self._pending:
            turns = self._rules[rule_id] = self._compile(self._pending[rule_id])
        return turns

    def model_excuse(self, text: str) -> str | None:
        """What in a turn the model flagged clears its finding: the text of
        the first ``[meaning] unless_utterance`` pattern it says (an act of the
        agent's own), or None."""
        if not self._model_unless_patterns:
            return None
        if self._model_unless is None:
            self._model_unless = self._conditions(self._model_unless_patterns)
        return _first_match(self._model_unless, self._text(text))

    def hollow(self, next_turn: str) -> bool:
        """Whether a (normalised) next turn only reassures: it is made of
        ``[dialogue] hollow_next_turn`` phrases and ``hollow_particles``
        alone (您放心，我们会尽快处理的), and so offers nothing, though its words
        are an offer's."""
        if not self._hollow_patterns or not next_turn:
            return False
        if self._hollow is None:
            self._hollow = self._conditions(self._hollow_patterns)
        rest = next_turn
        for cond in self._hollow:
            rest = cond.remove(rest)
        return rest != next_turn and not rest.strip(self._hollow_particles)

    def _conditions(self, pats: tuple[str, ...]) -> tuple[_Condition, ...]:
        """Turn-condition patterns compiled (each parsed once per judge)."""
        out = []
        for p in pats:
            # The shared [lists] recur in most rules' turn conditions.
            cond = self._compiled.get(p)
            if cond is None and (ready := self._prepared.get(p)) is not None:
                regex, keys, program = ready
                cond = self._compiled[p] = _Condition(
                    regex, None if keys is None else frozenset(keys), self._text_keys, program)
            elif cond is None:
                cond = self._compiled[p] = _Condition.from_nodes(
                    parse(p, normalize=self._norm.fast, context=True), self._max_gap,
                    self._text_keys)
            out.append(cond)
        return tuple(out)

    def _compile(self, rule: Rule) -> _RuleTurns:
        comp = self._conditions

        return _RuleTurns(comp(rule.unless.next_turn), comp(rule.unless.customer),
                          comp(rule.requires.customer), comp(rule.downgrade.customer),
                          comp(rule.keep.customer),
                          self._by_id.get(rule.escalate_to) if rule.escalate_to else None,
                          comp(rule.escalate_customer), comp(rule.escalate_not_customer))

    def escalate_by_customer(self, hit: Hit, customer: str | None) -> tuple[Rule, str] | None:
        """For a hit whose rule escalates by the customer's turn (``customer``
        normalised): the rule it becomes and what in that turn reported the
        fault, or None where the turn is unknown, reports none, or holds one of
        ``not_customer``."""
        turns = self._turns(hit.rule_id)
        if customer is None or turns is None or turns.escalate_to is None:
            return None
        fault = _first_match(turns.escalate_customer, customer)
        if fault is None or _first_match(turns.escalate_not_customer, customer) is not None:
            return None
        return turns.escalate_to, fault

    def downgrade_by_customer(self, hit: Hit, customer: str | None
                              ) -> tuple[str | None, str | None]:
        """For a hit whose rule downgrades by the customer's turn (``customer``
        normalised, as :meth:`judge` reads it): what in that turn asked for one
        change (``downgrade.customer``) and what reported a problem
        (``keep.customer``), each None where nothing did. The hit becomes its
        ``otherwise`` where the first holds and the second does not."""
        turns = self._turns(hit.rule_id)
        judged_here = hit.kind is MatchKind.MEANING and hit.rule_id in self._model_otherwise
        if customer is None or turns is None or not turns.customer_downgrade \
                or ("otherwise" not in hit.extra and not judged_here):
            return None, None
        return (_first_match(turns.customer_downgrade, customer),
                _first_match(turns.customer_keep, customer))

    def _model_limit(self, hit: Hit, asked: str) -> Hit:
        """A meaning-model give-up as its rule's ``otherwise`` hit (the matcher
        made none: no rule's form is written), saying why in its reason."""
        return _as_rule(hit, self._model_otherwise[hit.rule_id],
                        f"a stated limit, not {hit.rule_id}: the customer's turn before "
                        f"asked for one change (「{asked}」)")

    def waits_for_next_turn(self, hit: Hit) -> bool:
        """Whether the agent's next turn may still resolve this hit (live holds it back)."""
        return hit.rule_id in self._waits or hit.kind is MatchKind.MEANING

    def use_meaning(self, model: MeaningModel | None,
                    mentions: Callable[[str], bool] | None = None) -> None:
        """Read turns no rule matched with ``model`` (None: the rules alone).

        ``mentions`` (``Matcher.mentions``) says whether a rule's listed form
        is in a turn at all: there the rule's own conditions decided (a
        reason, a harmless sense), and the model does not overrule them.
        """
        self.meaning = model
        self._mentions = mentions

    def read(self, text: str, customer: str | None = None) -> list[Hit]:
        """What the meaning model finds in one agent turn no rule matched, read
        before its next turn (:meth:`read_many`)."""
        return self.read_many([text], [customer])[0]

    def read_many(self, texts: Sequence[str],
                  customers: Sequence[str | None] | None = None) -> list[list[Hit]]:
        """The meaning model's findings in agent turns no rule matched, each read
        without its next turn (with the customer's turn before, ``customers[i]``,
        where known), in one batch ([] without a model, or where a rule's form
        is written and its conditions excused it)."""
        out: list[list[Hit]] = [[] for _ in texts]
        if self.meaning is None:
            return out
        for i, hit in enumerate(self.meaning.hits(texts, customers)):
            # Whether a rule's form is written is asked of the few turns the
            # model flags, not of every turn: the matcher has just scanned them.
            if hit is not None and not (self._mentions is not None and self._mentions(texts[i])):
                out[i] = [hit]
        return out

    def model_reads(self, hits: Sequence[Hit]) -> bool:
        """Whether the meaning model reads a turn with these rule hits: none, or
        only hits of rules that speak after what the customer said
        (``needs_customer``), which say nothing of the turn's words alone."""
        return all(h.rule_id in self._contextual for h in hits)

    def customer_rules_can_count(self, customer: str | None) -> bool:
        """Whether, after this customer turn (None: none known), a rule that
        needs the customer's turn (``needs_customer``) can count: some such
        rule's ``requires.customer`` holds (:meth:`customer_rules_for` says which)."""
        return bool(self.customer_rules_for(customer))

    def customer_rules_for(self, customer: str | None) -> frozenset[str]:
        """The rules that need the customer's turn (``needs_customer``) and can
        count after this one (None: none known): those whose
        ``requires.customer`` holds there. Only they need be searched for in
        the agent's turn (``Matcher.scan(customer_rules=...)``): the others'
        hits would all be dropped, and each such rule searched where it
        cannot count costs the candidates of its forms (a rule for customers
        sent around reads 您可以联系 after every complaint)."""
        if customer is None or not self._contextual:
            return frozenset()
        if self._customer_gate is None:
            self._customer_gate = _CustomerGate.build(self)
        return self._customer_gate.rules_after(self._text(customer))

    def customer_rules_per_turn(self, turns: Sequence[Turn]) -> list[frozenset[str]]:
        """:meth:`customer_rules_for` for each turn of a conversation (the
        customer's turn before each agent turn; empty for customer turns)."""
        out: list[frozenset[str]] = []
        can: frozenset[str] = frozenset()  # before any customer turn: none can count
        for turn in turns:
            if turn.role == CUSTOMER:
                can = self.customer_rules_for(turn.text)
            out.append(can if turn.role != CUSTOMER else frozenset())
        return out

    def judge_turn(self, text: str, hits: Sequence[Hit], *, customer: str | None = None,
                   next_turn: str | None = None) -> list[Hit]:
        """One agent turn judged: its rule hits (:meth:`judge`), with the meaning
        model's reading of it where :meth:`model_reads`."""
        if self.model_reads(hits):
            hits = [*hits, *self.read(text, customer)]
        return self.judge(hits, customer=customer, next_turn=next_turn) if hits else []

    def _text(self, text: str) -> str:
        """Normalised like the matcher's text; a question mark survives as ``?``."""
        return keep_questions(text, self._norm.fast)

    def judge(self, hits: Sequence[Hit], *, customer: str | None = None,
              next_turn: str | None = None) -> list[Hit]:
        """The hits of one agent turn that still count, each with its reason.

        ``customer`` is the customer's turn before (None: not known, e.g. a
        script); ``next_turn`` the agent's next turn (None: there is none,
        the call ended or it did not come in time).
        """
        if not hits:
            return []
        out: list[Hit] = []
        cust = self._text(customer) if customer is not None else None
        nxt = self._text(next_turn) if next_turn is not None else None
        for hit in hits:
            model_hit = hit.kind is MatchKind.MEANING
            if model_hit and self.model_excuse(hit.matched) is not None:
                continue  # the agent takes it on in the same turn
            if model_hit and self.meaning is not None:
                # The model read the turn alone (a hit from wait_confidence
                # on); now it reads the next turn too, and the report needs
                # min_confidence either way (with no next turn, the turn
                # alone). The rule's own cross-turn conditions apply below
                # (an offer the rule knows resolves it, as it resolves the rule).
                # After a request for one change the turn is read without the
                # customer's turn: the weights that read it learnt such bare
                # refusals as no violation (they are minor limits), so they
                # would drop the limit the downgrade below makes of it.
                asked, problem = self.downgrade_by_customer(hit, cust)
                one_change = asked is not None and problem is None
                again = self.meaning.hit(hit.matched, next_turn=next_turn,
                                         customer=None if one_change else customer)
                if again is None:
                    continue
                hit = replace(again, start=hit.start, end=hit.end)
            turns = self._turns(hit.rule_id)
            if turns is None:
                out.append(hit)
                continue
            notes: list[str] = []
            asked, problem = self.downgrade_by_customer(hit, cust)
            if asked is not None and problem is None:
                # The customer asked for one change, which this turn refuses:
                # the rule's ``otherwise`` (a stated limit), as the matcher
                # judged it, or, for the model's reading, made here.
                hit = self._model_limit(hit, asked) if model_hit else hit.extra["otherwise"]
                if hit is None:
                    continue  # as the stated limit it is, this turn excuses it
                if not model_hit:
                    notes.append(f"the customer's turn before: 「{asked}」")
                turns = self._turns(hit.rule_id)
                if turns is None:
                    out.append(replace(hit, reason="; ".join([hit.reason, *notes])))
                    continue
            escalated = self.escalate_by_customer(hit, cust)
            if escalated is not None:
                target, fault = escalated
                hit = _as_rule(hit, target, f"the customer's turn before reports a fault "
                                            f"(「{fault}」) and asks for no particular change: "
                                            f"a bare limit gives up on it, so {target.id}")
                turns = self._turns(target.id)
                if turns is None:
                    out.append(hit)
                    continue
            if cust is None and hit.rule_id in self._contextual:
                continue  # the rule speaks only after what the customer said
            if cust is not None:
                if any(p.search(cust) for p in turns.customer_unless):
                    continue
                if turns.customer_requires:
                    said = _first_match(turns.customer_requires, cust)
                    if said is None:
                        continue
                    notes.append(f"the customer's turn before: 「{said}」"
                                 if hit.rule_id in self._contextual else
                                 f"the customer's turn before asked for it (「{said}」)")
            if turns.next_turn:
                if nxt is not None and any(p.search(nxt) for p in turns.next_turn):
                    if not self.hollow(nxt):
                        continue
                    notes.append("the agent's next turn only reassures "
                                 "([dialogue] hollow_next_turn): nothing offered")
                else:
                    notes.append("nothing offered in this or the agent's next turn"
                                 if nxt is not None
                                 else "nothing offered in this turn, and no next agent turn")
            if model_hit:  # its reason already says what the next turn did
                out.append(hit)
                continue
            reason = "; ".join([hit.reason, *notes]) if hit.reason else "; ".join(notes)
            out.append(replace(hit, reason=reason))
        if any(h.kind is not MatchKind.MEANING for h in out):
            # A rule that counts explains the turn; the model's reading of the
            # same turn (read beside a customer-context rule) would repeat it.
            out = [h for h in out if h.kind is not MatchKind.MEANING]
        return _one_customer_rule_per_span(out, self._contextual)

    def judge_dialogue(self, turns: Sequence[Turn], hits: Sequence[Sequence[Hit]]
                       ) -> list[list[Hit]]:
        """Judged hits per turn for a whole conversation (``hits[i]`` belongs to ``turns[i]``).

        The customer's turn is the last customer turn before; the next turn is
        the next non-empty turn that is not the customer's. Customer turns
        keep no hits: the standard binds the agent.
        """
        # The meaning model reads the agent turns no rule matched, all at once;
        # a turn it flags alone is then judged with its next turn, like a hit.
        before: list[str | None] = []  # the customer's last turn before each turn
        last: str | None = None
        for t in turns:
            before.append(last)
            if t.role == CUSTOMER:
                last = t.text
        silent = [i for i, (t, f) in enumerate(zip(turns, hits, strict=True))
                  if t.role != CUSTOMER and self.model_reads(f)]
        read = dict(zip(silent, self.read_many([turns[i].text for i in silent],
                                               [before[i] for i in silent]), strict=True))
        out: list[list[Hit]] = []
        for i, (turn, found) in enumerate(zip(turns, hits, strict=True)):
            if turn.role == CUSTOMER:
                out.append([])
                continue
            found = [*found, *read.get(i, [])]
            if not found:
                out.append([])
                continue
            nxt = next((t.text for t in turns[i + 1:]
                        if t.role != CUSTOMER and t.text.strip()), None)
            out.append(self.judge(found, customer=before[i], next_turn=nxt))
        return out


def _first_match(patterns: Sequence[_Condition], text: str) -> str | None:
    """The text the first of ``patterns`` to match in ``text`` matched, or None."""
    for p in patterns:
        m = p.search(text)
        if m is not None:
            return m.group(0)
    return None


def _as_rule(hit: Hit, rule: Rule, why: str) -> Hit:
    """``hit`` as ``rule``'s (id, category, severity, message, suggestions),
    with ``why`` added to its reason."""
    return replace(hit, rule_id=rule.id, category=rule.category, severity=rule.severity,
                   message=rule.message, suggestions=rule.suggestions,
                   reason=f"{hit.reason}; {why}")


def _one_customer_rule_per_span(hits: list[Hit], contextual: frozenset[str]) -> list[Hit]:
    """``hits`` with one hit per span among the rules that read the customer's
    turn: the matcher resolves their overlaps rule by rule (overlaps.resolve),
    since which of them counts depends on that turn; once judged, the same
    words are one finding, as they are for every other rule. The longest, then
    the most severe, then the earliest is kept (``hit.one_per_span``)."""
    ctx = [h for h in hits if h.rule_id in contextual]
    if len(ctx) < 2:
        return hits
    keep = {id(ctx[i]) for i in one_per_span(ctx, lambda h: h.end - h.start)}
    return [h for h in hits if h.rule_id not in contextual or id(h) in keep]


@dataclass(frozen=True)
class _CustomerGate:
    """Which rules that need the customer's turn can count after it, found with
    as few searches as it takes: this runs on every customer turn of a call.

    Most such rules share their ``requires.customer`` lists (@pressing,
    @fault_reports), so the rules are grouped by their patterns; one search
    for all of them first (most customer turns match none), then each group,
    smallest first, and a group whose patterns hold all of a group that
    matched needs no search of its own."""

    anyone: re.Pattern | None  # every group's patterns together (None: no group has any)
    always: frozenset[str]  # rules that require nothing of the customer's turn
    groups: tuple[tuple[frozenset[str], re.Pattern, frozenset[str]], ...]  # (sources, pattern, rules)

    @classmethod
    def build(cls, judge: DialogueJudge) -> _CustomerGate:
        by_sources: dict[frozenset[str], set[str]] = {}
        always: set[str] = set()
        for rule_id in sorted(judge._contextual):
            turns = judge._turns(rule_id)
            sources = frozenset(p.pattern for p in turns.customer_requires) if turns else frozenset()
            if sources:
                by_sources.setdefault(sources, set()).add(rule_id)
            else:
                always.add(rule_id)
        def union(sources) -> re.Pattern:
            return re.compile("|".join(f"(?:{src})" for src in sorted(sources)))
        groups = tuple((src, union(src), frozenset(ids))
                       for src, ids in sorted(by_sources.items(), key=lambda kv: len(kv[0])))
        every = frozenset().union(*by_sources) if by_sources else frozenset()
        return cls(union(every) if every else None, frozenset(always), groups)

    def rules_after(self, text: str) -> frozenset[str]:
        """The rules whose ``requires.customer`` holds in ``text`` (normalised)."""
        if self.anyone is None or self.anyone.search(text) is None:
            return self.always
        found = set(self.always)
        matched: list[frozenset[str]] = []
        for sources, pattern, rule_ids in self.groups:
            if any(m <= sources for m in matched) or pattern.search(text) is not None:
                matched.append(sources)
                found.update(rule_ids)
        return frozenset(found)
