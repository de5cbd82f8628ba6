"""The call-flow check's shortcuts give what the plain computation gives.

The required check is made fast by checking only the window's utterances,
stopping at the first one that holds the item, taking only a line's first
hit (``Matcher.first``), remembering what each rule found in a text and
loading the matchers' tables once. Each test here computes the same thing
the slow, obvious way (every utterance of the call scanned in full by a
freshly built matcher, windows worked out independently) and asks for the
same checklist, the same hits and the same place found, on dialogues built
from how real agents open and close (the corpus's canned chat lines, phone
openings, farewells, near misses) and, where ../shared/corpus is present,
on real dialogues.
"""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.name_frame import NameFrameMatcher
from phraseguard.speech.transcript import Role, Utterance, Word

_REPO = Path(__file__).resolve().parents[2]
# ../shared/corpus beside the checkout (or beside a worktree's parent folder).
CORPUS = next((p for p in (_REPO.parent / "shared" / "corpus",
                           _REPO.parent.parent / "shared" / "corpus") if p.is_dir()),
              _REPO.parent / "shared" / "corpus")


def U(text: str, role: str = "agent") -> Utterance:  # noqa: N802 - reads like the class
    return Utterance(text, Role(role))


# What agents say first, mid-call and last in the corpus (JD and Weibo chat,
# call-centre phone openings), near misses included; some in traditional
# characters or spaced like recogniser output.
OPENINGS = [
    "有什么问题我可以帮您处理或解决呢?", "您好", "您好，很高兴为您服务，请问有什么可以帮您？",
    "请问您是咨询之前的问题还是有其他的问题需要处理呢?", "尊敬的商家，您好!欢迎咨询京东物流商家在线客服~",
    "您好，我是3021号客服，很高兴为您服务", "你好，我是客服小王", "亲爱的您好，小妹在的呢",
    "您好像没有下单呢", "您好，京东客服很高兴为您服务", "在的呢亲", "您好，這裡是客服中心，敝姓李",
    "您 好 我 是 客服 小 李", "我是说这个订单", "工号1024为您服务", "还请您稍等，正在为您查询~",
    "[订单编号]", "亲，您好，我是您的专属客服顾问", "你好你好，请讲", "我是小编，有问题可以私信哦",
]
MIDDLE = [
    "我帮您查一下", "这个我不太清楚", "已经给您处理好了", "您的快递预计明天送达", "好的", "是的",
    "麻烦您提供一下订单号", "这边帮您申请退款了", "您好，请问还在吗", "稍等一下哦",
]
CLOSINGS = [
    "请问还有其他还可以帮到您的吗?", "感谢您对京东的支持，祝您生活愉快，再见!",
    "很高兴遇到您这么善解人意的客户，请问还有其他还可以帮到您的吗?", "好的", "是的",
    "还辛苦您给小妹打个评价呢~点击表情栏旁边的“+”哦。", "感谢您的来电，如果以后还有什么问题请随时与我们联系，再见",
    "感謝您的來電，再見", "谢谢您的耐心等待", "再见", "祝您生活愉快", "不客气，有问题随时联系我们",
    "感 谢 您 的 来 电 再 见", "拜拜", "欢迎下次光临",
]
CUSTOMER = ["我的快递还没到", "什么时候能到", "好的", "没有了，谢谢", "嗯", "喂?", "在吗"]


def dialogues(n: int, seed: int) -> list[list[Utterance]]:
    """Corpus-like dialogues: agent and customer alternating (now and then an
    agent says two messages running), openings and closings drawn from the
    lists, some timed (a few seconds an utterance)."""
    rnd = random.Random(seed)
    out = []
    for k in range(n):
        length = rnd.randint(1, 9)
        conv: list[Utterance] = []
        for j in range(length):
            if rnd.random() < 0.8:
                conv.append(U(rnd.choice(CUSTOMER), "customer"))
            pool = OPENINGS if j == 0 else CLOSINGS if j == length - 1 else MIDDLE
            conv.append(U(rnd.choice(pool)))
            if rnd.random() < 0.3:
                conv.append(U(rnd.choice(OPENINGS if j < 2 else CLOSINGS)))
        if k % 3 == 0:  # timed, like a recording; half with word times too
            t = rnd.uniform(0, 4)
            for i, u in enumerate(conv):
                end = t + 0.4 * len(u.text) + 0.5
                words: tuple[Word, ...] = ()
                if k % 2 == 0:  # two characters a word, spread over the utterance
                    parts = [u.text[j:j + 2] for j in range(0, len(u.text), 2)]
                    step = (end - t) / max(1, len(parts))
                    words = tuple(Word(w, t + n * step, t + (n + 1) * step)
                                  for n, w in enumerate(parts))
                conv[i] = dataclasses.replace(u, start=t, end=end, words=words)
                t = end + rnd.uniform(0.2, 3.0)
        out.append(conv)
    return out


def _agent_said(conv: list[Utterance]) -> list[int]:
    return [i for i, u in enumerate(conv) if u.role is Role.AGENT]


def _reference_window(rule, conv: list[Utterance]) -> tuple[list[int], float | None, float | None]:
    """The rule's window worked out from its definition (lexicons/README.md)."""
    said = _agent_said(conv)
    timed = any(u.start is not None for u in conv)
    if rule.window == "anywhere":
        return said, None, None
    if timed and rule.seconds:
        if rule.window == "first":
            start = conv[said[0]].start
            end = start + rule.seconds
            return [i for i in said if conv[i].start < end], start, end
        end = max(conv[i].end for i in said)
        start = max(0.0, end - rule.seconds)
        return [i for i in said if conv[i].end > start], start, end
    if rule.messages:
        n = rule.messages
        return (said[:n] if rule.window == "first" else said[-n:]), None, None
    runs: list[list[int]] = []  # agent turns: runs of agent utterances
    for i in said:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    n = rule.turns or 1
    chosen = runs[:n] if rule.window == "first" else runs[-n:]
    return [i for r in chosen for i in r], None, None


def _reference(fresh: CallFlow, conv: list[Utterance]) -> dict[str, tuple | None]:
    """Per rule: (utterance, hit) where it was found, else None; every utterance of
    the call scanned in full by ``fresh``'s matcher of the rule (``scan``, never
    ``first``, nothing remembered)."""
    lexicon = fresh.lexicon
    out: dict[str, tuple | None] = {}
    for index, rule in enumerate(lexicon.flow.required):
        matcher = fresh.required._matcher(index, None)
        every = [matcher.scan(u.text) for u in conv]  # the whole call
        if rule.name_frame is not None:
            # A name found by its place comes after the rule's phrases, as the whole utterance.
            frame = NameFrameMatcher(rule.name_frame, fresh.required.tables.norm,
                                     fresh.required.company)
            names = [frame.name(u.text) for u in conv]
            every = [[*hits, fresh.required._frame_hit(index, u.text, name)] if name else hits
                     for hits, u, name in zip(every, conv, names, strict=True)]
        window, start, end = _reference_window(rule, conv)
        out[rule.id] = None
        for ui in window:
            # A hit counts where it was said (its words), inside the window's seconds.
            spans = [(h, conv[ui].time_of(h.start, h.end) or (None, None)) for h in every[ui]]
            inside = [h for h, (a, b) in spans
                      if not (start is not None and b is not None and b <= start)
                      and not (end is not None and a is not None and a >= end)]
            if inside:
                out[rule.id] = (ui, inside[0])
                break
    return out


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)


@pytest.fixture(scope="module")
def fresh(default_lexicon) -> CallFlow:
    """Another CallFlow, its own matchers and tables, used only through ``scan``."""
    return CallFlow(default_lexicon)


# The default windows, and others: a self-introduction window of other
# seconds than the greeting's (rules alike in everything else share a
# window), a closing counted in agent turns whose seconds cut through the
# last utterance (a farewell's first phrase outside, its 再见 inside).
OTHER_WINDOWS = """
[lexicon]
extends = "default"
[[required]]
id = "self-introduction"
seconds = 8
[[required]]
id = "closing"
turns = 1
seconds = 3
"""


@pytest.mark.parametrize("windows", ["default", "other"])
def test_window_check_equals_scanning_the_whole_call(default_lexicon, flow, fresh, windows,
                                                     tmp_path) -> None:
    if windows == "other":
        (tmp_path / "w.toml").write_text(OTHER_WINDOWS, encoding="utf-8")
        lexicon = load_lexicon(tmp_path / "w.toml")
        flow, fresh = CallFlow(lexicon), CallFlow(lexicon)
    lexicon = flow.lexicon
    convs = [c for c in dialogues(150, seed=11) if _agent_said(c)]
    said = {rule.id: 0 for rule in lexicon.flow.required}
    for conv in convs:
        result = flow.check(conv)
        expected = _reference(fresh, conv)
        for rule_id, where in expected.items():
            assert result.checklist[rule_id] is (where is not None), (rule_id, conv)
            if where is not None:
                said[rule_id] += 1
                found = result.found[rule_id]
                assert (found.utterance, found.hit) == where, (rule_id, conv)
        missing = {h.rule_id for h in result.hits} & set(expected)  # not timing events
        assert missing == {r for r, w in expected.items() if w is None}
    # The dialogues hold each item often, and miss it often too.
    assert all(20 < n < len(convs) - 20 for n in said.values()), said


def test_a_call_flow_reused_across_calls_gives_what_a_fresh_one_gives(default_lexicon) -> None:
    # What one CallFlow remembers between calls (texts already scanned, the
    # missing items' hits, agents' name patterns) must not leak into the next.
    convs = [c for c in dialogues(30, seed=5) if _agent_said(c)]
    reused = CallFlow(default_lexicon)
    settings = [dict(), dict(agent="小王"), dict(agent="alice"), dict(final=False, now=6.0),
                dict(unknown_is_agent=False)]
    for k, conv in enumerate(convs * 2):  # each dialogue twice: the second time remembered
        kw = settings[k % len(settings)]
        got = reused.check(conv, **kw)
        want = CallFlow(default_lexicon).check(conv, **kw)
        assert (got.checklist, got.hits, got.found, got.notes) == \
            (want.checklist, want.hits, want.found, want.notes), (kw, conv)


def test_call_flow_on_a_matchers_tables_equals_one_built_alone(default_lexicon, matcher) -> None:
    shared = CallFlow(default_lexicon, tables=matcher.tables)
    alone = CallFlow(default_lexicon)
    assert shared.required.tables is matcher.tables
    for conv in dialogues(40, seed=3):
        a, b = shared.check(conv, agent="小李"), alone.check(conv, agent="小李")
        assert (a.checklist, a.hits, a.found) == (b.checklist, b.hits, b.found)
    lines = [u.text for conv in dialogues(40, seed=4) for u in conv]
    lines += ["这个我们不管，您自己去问吧", "我看不清楚这张图", "这个 小妹 也 布 知道 呢"]
    on_shared = Matcher(default_lexicon, tables=matcher.tables)
    assert [on_shared.scan(t) for t in lines] == [matcher.scan(t) for t in lines]
    assert on_shared.scan_block("\n".join(lines)) == matcher.scan_block("\n".join(lines))


def test_tables_loaded_for_other_settings_are_refused(default_lexicon, matcher, tmp_path) -> None:
    lex = tmp_path / "other.toml"
    lex.write_text('[lexicon]\nextends = "default"\n[matching]\nfillers = "嗯啊"\n',
                   encoding="utf-8")
    other = load_lexicon(lex)
    assert other.matching.fillers != default_lexicon.matching.fillers
    with pytest.raises(ValueError, match="shared matcher tables"):
        Matcher(other, tables=matcher.tables)


def test_first_is_the_first_hit_a_scan_gives(default_lexicon, matcher, flow) -> None:
    # Lines with several, overlapping and near-miss matches: forbidden rules
    # (overlaps, `otherwise` downgrades, homophones, spaced speech) and the
    # required ones.
    lines = [u.text for conv in dialogues(60, seed=9) for u in conv]
    lines += ["这个我们不管，您自己去问吧，我也不知道", "我们不管的，不归我们管，没办法", "这个 小妹 也 布 知道 呢",
              "没 办法 精确", "我不清楚，不知道，也没办法帮你", "您好您好，感谢您的来电，再见，拜拜"]
    lines += [" ".join(t) for t in lines[:80]]  # spaced like recogniser output
    matchers = [matcher, *(m for m in flow.required._matchers.values() if m is not None)]
    several = 0
    for m in matchers:
        for text in lines:
            hits = m.scan(text)
            several += len(hits) > 1
            assert m.first(text) == (hits[0] if hits else None), text
    assert several > 20  # the lines do test the choice among several hits


@pytest.mark.corpus
def test_window_check_equals_scanning_the_whole_call_on_corpus_dialogues(flow, fresh) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent (real dialogues for this check)")
    convs: list[list[Utterance]] = []
    for name in ("jddc2019_sample.jsonl", "stc3_weibo_helpdesk.jsonl", "csds_tods_valtest.jsonl"):
        by_dialog: dict[str, list[tuple[int, Utterance]]] = {}
        with (CORPUS / name).open(encoding="utf-8") as fp:
            for raw in fp:
                o = json.loads(raw)
                role = "agent" if o["role"] == "agent" else "customer"
                by_dialog.setdefault(o["dialog"], []).append(
                    (int(o["turn"]), U(o["text"].replace("\n", " "), role)))
        convs += [[u for _, u in sorted(v, key=lambda t: t[0])]
                  for v in list(by_dialog.values())[:150]]
    for conv in (c for c in convs if _agent_said(c)):
        result = flow.check(conv)
        expected = _reference(fresh, conv)
        for rule_id, where in expected.items():
            found = result.found.get(rule_id)
            assert (None if found is None else (found.utterance, found.hit)) == where, rule_id


def test_matchers_on_shared_tables_keep_their_own_candidate_keys(default_lexicon) -> None:
    # The block folder's table is shared; the keys each matcher's array path
    # looks for first are its own. The call-flow matchers built after this
    # one must not change what it finds in a large block.
    first = Matcher(default_lexicon)
    first.prepare_large_blocks()
    CallFlow(default_lexicon, tables=first.tables)  # three more matchers, other keys
    alone = Matcher(default_lexicon)
    alone.prepare_large_blocks()
    lines = ["您好", "这个不归我们管", "感谢您的来电，再见", "我也不知道呢"] * 1_500
    block = "\n".join(lines)  # large enough for the array path
    assert first.scan_block(block) == alone.scan_block(block)
    assert len(first.scan_block(block)) == 3_000


def test_own_name_is_matched_as_if_spelled_into_each_pattern(default_lexicon) -> None:
    """{agent} is one regex for every agent (the name a backreference); it finds
    what each {agent} pattern with the names spelled in (the obvious way) finds."""
    import re

    from phraseguard.engine.flowrules import expand
    from phraseguard.engine.pattern import parse, to_regex
    from phraseguard.engine.required_lexicon import ANY_COMPANY, EDGE_GAP

    flow = CallFlow(default_lexicon)
    req = flow.required
    norm = req.tables.norm
    names_list = [("alice",), ("Alice",), ("小王",), ("3021",), ("a.b",), ("(x)",), ("王",),
                  ("alice", "小王"), ("ＡＬＩＣＥ",), ("曉雯",)]
    texts = ["我是alice", "我是 Alice，很高兴为您服务", "我叫小王", "客服Alice为您服务", "我是ali",
             "我是alicex", "专员3021为您服务", "我是3021号", "我是a.b", "我是axb", "我是(x)", "我是x",
             "我是王先生", "您好，我是曉雯", "我是晓雯", "我 是 alice", "顾问小王", "管家ＡＬＩＣＥ",
             "alice我是", "我是\x00alice", "他是alice", "我叫 小 王 呀"]
    tried = said = 0
    for index, rule in enumerate(req.rules):
        own = req._own_name(index)
        sources = [s for s in (*rule.phrases, *rule.variants) if "{agent}" in s]
        assert (own is None) == (not sources)
        if own is None:
            continue
        for names in names_list:
            normed = sorted({norm.fast(n) for n in names} - {""}, key=len, reverse=True)
            alts = "|".join(re.escape(n) for n in normed)
            values = {"company": req.company or (ANY_COMPANY,), "agent": (alts,)}
            reference = []
            for src in sources:
                for p in expand(src, {**values, "agent": ("qqslotqq",)}):
                    regex = to_regex(parse(EDGE_GAP.sub("", p), normalize=norm.fast),
                                     max_gap=default_lexicon.matching.max_gap)
                    reference.append(re.compile(regex.replace("qqslotqq", f"(?:{alts})")))
            for text in texts:
                want = any(r.search(norm.fast(text)) for r in reference)
                assert req._says_own_name(own, tuple(normed), text) == want, (names, text)
                tried += 1
                said += want
    assert tried and 0 < said < tried
