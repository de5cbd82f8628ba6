"""A self-introduction found by where a name stands, not by what it is.

See :class:`phraseguard.engine.flowrules.NameFrame` for the frame the
lexicon gives (``[required.name_frame]``). The frame is matched over the
utterance normalised for candidate search (traditional folded, punctuation,
spaces and fillers dropped), so "您好，12306客服中心，请讲。" and the
recogniser's "您好12306客服中心请讲" read alike.
"""

from __future__ import annotations

import re

from phraseguard.engine.flowrules import NameFrame
from phraseguard.engine.normalize import Normalized, Normalizer

# What ends a spoken phrase in a transcript: a comma, a stop, a question.
_PAUSES = frozenset("，,。.！!？?；;：:～~…")
# The words up to the first pause or space (the clause a bare lead opens).
_FIRST_CLAUSE = re.compile(r"[^，,。.！!？?；;：:～~…\s]*")


class NameFrameMatcher:
    """The name an utterance opens with, by its place in ``frame``. Build once.

    ``company``: the configured company's names, when there are any; a name
    then counts only when it holds one of them (您好，京东，很高兴为您服务 for 京东,
    not 您好，联通，很高兴为您服务).
    """

    def __init__(self, frame: NameFrame, norm: Normalizer, company: tuple[str, ...] = ()
                 ) -> None:
        self._norm = norm
        self._company = tuple(c for c in (norm.fast(n) for n in company) if c)

        def alternation(texts: tuple[str, ...]) -> str:
            folded = sorted({norm.fast(t) for t in texts} - {""}, key=len, reverse=True)
            return "|".join(re.escape(t) for t in folded)

        greetings = alternation(frame.greetings)
        # (possessive: a greeting is never read back as the start of a name)
        plain_lead = f"^(?:{greetings})*+" if greetings else "^"
        leads = [plain_lead]
        # The customer named and asked (刘先生吗？): the ask is required, so
        # 刘先生的快递 is never read past.
        address = (f".{{0,{frame.address_chars}}}?(?:{alternation(frame.addresses)})"
                   f"(?:{alternation(frame.address_asks)})"
                   if frame.addresses and frame.address_asks else "")
        # (哎，大姐，我海尔售后的: no ask, so only first of all — one character
        # before it at most, a surname: 王哥 — never inside what the agent says)
        bare = (f".?(?:{alternation(frame.bare_addresses)})" if frame.bare_addresses else "")
        # (刘先生吗？神州租车: then greeted or not.) Tried only after the plain
        # lead: an address must not swallow a company said before it
        # (这边是平安银行的请问是李女士吗).
        again = f"(?:{greetings})*+" if greetings else ""
        leads += [f"{plain_lead}(?:{opener}{again})" for opener in (address, bare) if opener]
        # (a bare name follows only the leads that say "this is": 我司会尽快处理 is no name)
        bare_leads = [lead + f"(?:{alternation(frame.bare_leads)})?+" if frame.bare_leads else lead
                      for lead in leads]
        if frame.leads:
            leads = [lead + f"(?:{alternation(frame.leads)})?+" for lead in leads]
        size = f"{{{frame.min_chars},{frame.max_chars}}}"
        # Shortest name first: the offer right after it ends it.
        patterns = []
        # (a particle may follow the name before the offer: 成都燃气哈，有啥子事)
        tail = f"(?:{alternation(frame.name_particles)})?" if frame.name_particles else ""
        # (我是说 after a sentence: no offer, so the sentence is no name)
        not_offer = f"(?!{alternation(frame.not_offers)})" if frame.not_offers else ""
        for lead in leads:
            if frame.offers:
                # (a greeting may stand between the name and the offer: 途虎养车您好请问…)
                between = f"(?:{greetings})*" if greetings else ""
                patterns.append(re.compile(
                    f"{lead}(?P<name>.{size}?){tail}{between}{not_offer}"
                    f"(?:{alternation(frame.offers)})"))
            if frame.name_ends:
                patterns.append(re.compile(
                    f"{lead}(?P<name>.{size}?(?:{alternation(frame.name_ends)}))$"))
        self._patterns = tuple(patterns)
        # (a shop answering with its name and nothing after it: 喂，老北京烤鸭),
        # each with whether something must stand before the name — a name
        # alone is any short reply (好的收到), but for a greeting said after it
        # (悠然瑜伽，您好。)
        bare_size = f"{{{frame.bare_name_chars},{frame.max_chars}}}"
        after = alternation(frame.greetings_after_name)
        # (a greeting may close it too: 喂，金满楼，你好。)
        again_after = f"(?:{after})*" if after else ""
        bare_names = [(re.compile(f"{lead}(?P<name>.{bare_size}?){tail}{again_after}$"), True)
                      for lead in bare_leads]
        if after:
            bare_names.append((re.compile(f"^(?P<name>.{bare_size}?)(?:{after})+$"), False))
        self._bare: tuple[tuple[re.Pattern[str], bool], ...] = \
            tuple(bare_names) if frame.bare_name_chars else ()
        self._not_bare = tuple(t for t in (norm.fast(t) for t in frame.not_in_bare_name) if t)
        # (歌华有线, 泰康在线: endings whose 有 / 在 keep no name out)
        self._names_may_end = tuple(sorted(
            {t for t in (norm.fast(t) for t in frame.names_may_end) if t}, key=len, reverse=True))
        # (a short bare name is any three-character reply unless a greeting stands
        # before it and it holds no desk's or place's ending: 喂 海底捞, not 喂，物流园)
        self._short_bare = frame.short_bare_name_chars
        self._not_short_bare = tuple(
            t for t in (norm.fast(t) for t in frame.not_in_short_bare_name) if t)
        # A name ending in a trade needs no offer: a pause after it is enough,
        # or (recogniser output, no punctuation) what turns to the customer.
        # Every trade word after the lead may end it (万达影城中街店的: not 影城).
        self._leads = tuple(re.compile(lead) for lead in leads)
        # (an outbound agent's 喂，请问是王女士吗？ still leaves the opening to come)
        openers = [o for o in (greetings, address, bare) if o]
        self._greets_only = re.compile(f"(?:{'|'.join(openers)})+") if openers else None
        self._trade = re.compile(alternation(frame.trades)) if frame.trades else None
        self._brand = re.compile(alternation(frame.brands)) if frame.brands else None
        # (the search for a trade or a brand starts only where one stands)
        self._ends = re.compile(alternation(frame.trades + frame.brands)) \
            if frame.trades or frame.brands else None
        self._max = frame.max_chars
        then = alternation(frame.greetings + frame.offers + frame.name_particles
                           + frame.trade_then)
        self._then = re.compile(then) if then else None
        # (a filler folds to nothing, and nothing is inside every name)
        self._inside = tuple(t for t in (norm.fast(t) for t in frame.not_in_name) if t)
        # A name made of nothing but these words names no one (信用卡中心), nor
        # with the particles after it that the frame lets through (洗沙发嘞哈).
        particles = (f"(?:{alternation(frame.name_particles)})*"
                     if frame.name_particles else "")
        not_a_name = alternation(frame.not_a_name)
        self._generic = re.compile(f"(?:{not_a_name})+{particles}") if not_a_name else None
        # (the leads longest first: 我这边是 before 我这)
        kinds = alternation(frame.kind_leads)
        self._kind_lead = re.compile(f"(?:{kinds})") if kinds and self._generic else None
        kind_names = alternation(frame.kind_names)
        self._kind_name = re.compile(kind_names) if kind_names else None
        after = alternation(frame.names_after_kind)
        self._name_next = re.compile(after) if after else None
        # (a role may come between the kind and the name: 我是健身房的 | 教练 | 小刚)
        self._kind_next = re.compile(f"(?:{not_a_name})*") if not_a_name else None
        self._min = frame.min_chars
        # A name that is only an address (王总, 王老师嗦, 靓女) with no "this
        # is" before it names the customer the agent greets, not the agent:
        # 王总您好我是您的客户经理 (callflow train67). After a lead it is the
        # agent's own (我是刘老师).
        words = frame.addresses + frame.bare_addresses
        self._address_only = re.compile(
            f".?(?:{alternation(words)})(?:{alternation(frame.address_asks)})*") \
            if words and frame.address_asks else None
        lead_words = alternation(frame.leads + frame.bare_leads)
        self._lead_word = re.compile(lead_words) if lead_words else None

    @property
    def reads_kinds(self) -> bool:
        """Whether :meth:`names_no_one` can hold (``kind_leads`` given)."""
        return self._kind_lead is not None

    def names_no_one(self, matched: str, after: str = "") -> bool:
        """Whether a phrase hit's text (``matched``, as written) opens with a kind
        lead and names nothing after it (我是车行的, 这边是空调安装的师傅), and what
        follows it in the utterance (``after``) starts no name (我是客服 | 小艾)."""
        if self._kind_lead is None or self._generic is None:
            return False
        text = self._norm.fast(matched)
        lead = self._kind_lead.match(text)
        if lead is None:
            return False
        if lead.end() == len(text) and after:
            # (a hit that is the lead alone — Cantonese 我系 — names whatever its
            # clause goes on to say: 我系司机，你边度上车？ is a kind, 我系阿杰 a name)
            clause = _FIRST_CLAUSE.match(after).group(0)
            text, after = text + self._norm.fast(clause), after[len(clause):]
        if self._generic.fullmatch(text, lead.end()) is None:
            return False
        if self._kind_name is not None and self._kind_name.search(text, lead.end()):
            return False
        if self._name_next is not None and after:
            nxt = self._norm.fast(after[:16])
            skip = self._kind_next.match(nxt).end() if self._kind_next is not None else 0
            if self._name_next.match(nxt, skip):
                return False
        return True

    def _addresses_customer(self, name: str, lead_text: str) -> bool:
        """Whether ``name`` is only an address and nothing before it says "this is"."""
        return (self._address_only is not None and self._address_only.fullmatch(name) is not None
                and (self._lead_word is None or self._lead_word.search(lead_text) is None))

    def name(self, text: str, *, opening: bool = True) -> str | None:
        """The name ``text`` opens with (normalised), or None.

        ``opening``: ``text`` opens the agent's side (their first utterance, or
        the first after greetings alone: 喂，您好。 → 您好，这里是长城宽带，…). Only there does a
        name ending in a trade count with nothing but a pause after it: later
        in a chat the same words answer a question (中通快递，单号…; 京东快递哦;
        新疆塔城站), where on the phone they are the agent's first words.
        """
        plain = self._norm.fast(text)
        for pattern in self._patterns:
            m = pattern.match(plain)
            if m is not None and self._is_name(m.group("name")) \
                    and not self._addresses_customer(m.group("name"), plain[:m.start("name")]):
                return m.group("name")
        # (the clause breaks are needed only where some trade word stands)
        if self._ends is not None and opening and self._ends.search(plain):
            name = self._trade_name(self._norm.normalize(text))  # (spaces: no pause)
            if name is not None:
                return name
        return self._bare_name(text, plain) if opening and self._bare else None

    def _bare_name(self, text: str, plain: str) -> str | None:
        """A name that ends the opening after a greeting, an address or one of the
        frame's ``bare_leads`` — or opens it with only one of its
        ``greetings_after_name`` after it — said as one phrase (客服中心，敝姓李 is
        two)."""
        # (most openings end in an offer or a question: the fold already in hand
        # rules them out before the clause breaks are worked out; a chat sticker,
        # which the fold keeps and the breaks drop, takes the careful way)
        if "[" not in text and not any(p.match(plain) for p, _ in self._bare):
            return None
        marked = self._norm.normalize(text)
        for pattern, led in self._bare:
            m = pattern.match(marked.text)
            if m is None or (led and m.start("name") == 0):
                continue
            name, start, end = m.group("name"), m.start("name"), m.end("name")
            if len(name) < self._short_bare and (
                    not led or any(part in name for part in self._not_short_bare)):
                continue
            if self._is_name(name) \
                    and not any(part in self._barred_parts(name) for part in self._not_bare) \
                    and not self._addresses_customer(name, marked.text[:start]) \
                    and not any(b in marked.breaks for b in range(start + 1, end)):
                return name
        return None

    def only_greets(self, text: str) -> bool:
        """Whether ``text`` is nothing but greetings (喂，您好。), or the customer
        addressed and asked (请问是王女士吗？): the agent's opening is still to come
        after it."""
        return self._greets_only is not None and \
            self._greets_only.fullmatch(self._norm.fast(text)) is not None

    def _trade_name(self, marked: Normalized) -> str | None:
        """The name ending in a trade word that a pause, or the customer, follows."""
        text = marked.text
        for lead_pattern in self._leads:
            lead = lead_pattern.match(text)
            if lead is None:
                continue
            start = lead.end()
            for end in self._name_ends_at(text, start):
                if not self._is_name(name := text[start:end]):
                    continue
                if (end == len(text) or self._pause_after(marked, end)
                        or (self._then is not None and self._then.match(text, end))):
                    return name
        return None

    def _name_ends_at(self, text: str, start: int) -> list[int]:
        """Where a name starting at ``start`` may end: after a trade word with
        something before it (长城宽带; 宽带 alone names no one), or after a brand
        standing first (顺丰), in order."""
        ends: set[int] = set()
        if self._trade is not None:
            for trade in self._trade.finditer(text, start + self._min):
                if trade.start() - start > self._max:
                    break
                ends.add(trade.end())
        if self._brand is not None and (brand := self._brand.match(text, start)):
            ends.add(brand.end())
        return sorted(ends)

    @staticmethod
    def _pause_after(marked: Normalized, end: int) -> bool:
        """Whether the text pauses right after normalised ``[..., end)``: a comma or
        a stop, not a slash or an enumeration comma inside a list (宽带/固话)."""
        after = marked.offsets[end - 1] + 1
        return end in marked.breaks and marked.original[after:after + 1] in _PAUSES

    def _barred_parts(self, name: str) -> str:
        """``name`` without the ``names_may_end`` word it ends with, for the
        barred-part tests (歌华有线 → 歌华; 没有线索 keeps its 有)."""
        for word in self._names_may_end:
            if name.endswith(word):
                return name[:-len(word)]
        return name

    def _is_name(self, name: str) -> bool:
        return (len(name) >= self._min
                and not (self._generic is not None and self._generic.fullmatch(name)
                         and not (self._kind_name is not None and self._kind_name.search(name)))
                and not any(part in self._barred_parts(name) for part in self._inside)
                and (not self._company or any(c in name for c in self._company)))
