"""Required phrases: greeting, self-introduction and closing, in their windows."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from talk import U, a, c

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.hit import MatchKind
from phraseguard.engine.lexicon import load_lexicon


@dataclass
class W:
    text: str
    start: float
    end: float


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)


def _check(flow: CallFlow, conv, **kw) -> dict[str, bool | None]:
    return flow.check(conv, **kw).checklist


GOOD = [a("您好，我是3021号客服，很高兴为您服务"), c("我的快递还没到"), a("我帮您查一下"),
        c("好的谢谢"), a("感谢您的来电，如果以后还有什么问题请随时与我们联系，再见")]


@pytest.mark.parametrize("conv, expected", [
    (GOOD, {"greeting": True, "self-introduction": True, "closing": True}),
    # Traditional characters (the standard's own script).
    ([a("您好，我是客服小王"), c("嗯"), a("感謝您的來電，再見")],
     {"greeting": True, "self-introduction": True, "closing": True}),
    # Chat openings with no greeting word: an offer of help is not a greeting.
    ([a("有什么问题我可以帮您处理或解决呢?"), c("查快递"), a("请问还有其他还可以帮到您的吗?")],
     {"greeting": False, "self-introduction": False, "closing": False}),
    # Real corpus forms.
    ([a("您好，京东客服工号:[数字]小辣椒，很高兴为您服务!"), c("在吗"),
      a("感谢您对京东的支持，祝您生活愉快，再见!")],
     {"greeting": True, "self-introduction": True, "closing": True}),
    ([a("您好这边是您的专属客服小敏。"), c("好"), a("如有疑问请您随时与我们联系.")],
     {"greeting": True, "self-introduction": True, "closing": True}),
    # Look-alikes: 您好评 (your good review), 工作人员的工号 (someone else's number).
    ([a("您好评价是不支持删除的呢，请提供工作人员的工号"), c("哦"), a("好的")],
     {"greeting": False, "self-introduction": False, "closing": False}),
])
def test_checklist_of_text_conversations(flow, conv, expected) -> None:
    assert _check(flow, conv) == expected


def test_greeting_in_second_agent_message_counts(flow) -> None:
    # The QA policy: the first two agent messages (a chat's first message is
    # often the system's offer of help). It was the first turn only before.
    second = [a("请问有什么可以帮您"), c("查快递"), a("您好，我是客服小李"), c("好"), a("再见")]
    assert _check(flow, second) == {"greeting": True, "self-introduction": True,
                                    "closing": True}


def test_greeting_in_third_agent_message_does_not_count(flow) -> None:
    # Counted in messages, not turns: two agent messages in a row are two.
    late = [a("有什么问题我可以帮您处理或解决呢?"), c("查快递"), a("还请您稍等"),
            a("您好，我是客服小李，查到了"), c("好"), a("好的"), c("嗯"), a("再见")]
    assert _check(flow, late) == {"greeting": False, "self-introduction": False,
                                  "closing": True}


def test_closing_counts_in_the_last_two_agent_turns_only(flow) -> None:
    early = [a("您好"), c("嗯"), a("再见"), c("等等"), a("还有问题"), c("嗯"), a("好的"),
             c("嗯"), a("嗯")]
    assert _check(flow, early)["closing"] is False
    assert _check(flow, early[:5])["closing"] is True


def test_missing_item_is_a_hit_placed_on_its_window(flow) -> None:
    conv = [a("请问有什么可以帮您"), c("查快递"), a("好的")]
    result = flow.check(conv)
    by_rule = {f.rule_id: f for f in result.hits}
    assert set(by_rule) == {"greeting", "self-introduction", "closing"}
    greet = by_rule["greeting"]
    assert greet.reason == "no greeting in the first 2 agent messages"
    assert greet.hit.kind is MatchKind.MISSING and greet.hit.matched == ""
    assert (greet.hit.start, greet.hit.end) == (0, 0)
    assert greet.utterance == 0 and greet.start is None
    closing = by_rule["closing"]
    assert closing.reason == "no farewell in the last 2 agent messages"
    assert closing.utterance == 2 and closing.window == (0, 2)
    assert greet.hit.suggestion and closing.hit.severity.label == "minor"


def test_timed_windows_are_seconds_of_agent_speech(flow) -> None:
    # The self-introduction comes 20 s after the agent's first words: too late.
    conv = [a("您好", 1.0, 2.0), c("喂 你好", 2.5, 3.5), a("请问有什么可以帮您", 4.0, 6.0),
            c("查快递", 7.0, 8.0), a("好的 我是 客服 小王", 21.0, 23.0),
            c("好", 24.0, 25.0), a("再见", 40.0, 41.0)]
    result = flow.check(conv)
    assert result.checklist == {"greeting": True, "self-introduction": False, "closing": True}
    (miss,) = [f for f in result.hits if f.rule_id == "self-introduction"]
    assert miss.reason == "no self-introduction in the first 15 s"
    assert (miss.start, miss.end) == (1.0, 16.0)
    # Within 15 s it counts, even in the agent's third turn (a phone call's
    # "喂?" splits the agent's opening into turns).
    conv[4] = a("好的 我是 客服 小王", 12.0, 14.0)
    assert flow.check(conv).checklist["self-introduction"] is True


def test_a_last_window_longer_than_the_call_starts_at_the_call_start(flow) -> None:
    # 30 s of closing window in a 12 s call: its place is 0-12 s, never before 0
    # (a report's timeline and its player seek to it).
    conv = [a("您好 我是 客服 小王", 1.0, 3.0), c("查快递", 4.0, 6.0), a("好的", 8.0, 12.0)]
    (miss,) = [f for f in flow.check(conv).hits if f.rule_id == "closing"]
    assert (miss.start, miss.end) == (0.0, 12.0)


def test_spaced_recogniser_output_and_homophones_match(flow) -> None:
    conv = [a("您 好 我 是 三 零 二 一 号 客 服"), c("嗯"), a("祝 您 生 活 愉 快 在 见")]
    assert _check(flow, conv) == {"greeting": True, "self-introduction": True, "closing": True}
    # 再见 heard as 在见 (same toneless pinyin) on its own.
    assert _check(flow, [a("您好"), c("嗯"), a("好的 在 见")])["closing"] is True


def test_agent_placeholder_uses_the_calls_agent_and_name_like_forms(tmp_path) -> None:
    lex = tmp_path / "lex.toml"
    lex.write_text("""
[lexicon]
extends = "default"
[callflow]
company = ["顺丰", "顺丰速运"]
[[required]]
id = "company-name"
category = "call-flow"
severity = "major"
message = "Names the company"
suggestions = ["您好，欢迎致电顺丰"]
variants = ["{company}"]
window = "first"
turns = 1
""", encoding="utf-8")
    flow = CallFlow(load_lexicon(lex))
    conv = [a("您好，我是晓雯"), c("嗯"), a("再见")]
    # 晓雯 is not name-like: it counts only when the call's agent is 晓雯.
    assert _check(flow, conv)["self-introduction"] is False
    assert _check(flow, conv, agent="晓雯")["self-introduction"] is True
    assert _check(flow, [a("您好，我是小王"), c("嗯")], agent="晓雯")["self-introduction"]
    # The agent's own name in traditional characters or spaced; another name is not it.
    assert _check(flow, [a("您好，我是曉雯"), c("嗯")], agent="晓雯")["self-introduction"]
    assert _check(flow, [a("您 好 我 是 晓 雯"), c("嗯")], agent="晓雯")["self-introduction"]
    assert not _check(flow, [a("您好，我是李华"), c("嗯")], agent="晓雯")["self-introduction"]
    assert _check(flow, [a("您好，顺丰速运为您服务"), c("嗯")])["company-name"] is True
    assert _check(flow, [a("您好"), c("嗯")])["company-name"] is False
    # The config file's company wins over the lexicon's.
    assert CallFlow(load_lexicon(lex), company=["中通"]).check(
        [a("您好，中通快递"), c("嗯")]).checklist["company-name"] is True


@pytest.mark.parametrize(("line", "unknown"), [
    # With no company configured, a name between the greeting and the offer of
    # help counts by its place (the name frame); 这里是京东 names the company
    # with no offer after it: 京东 is one of the frame's brands, names by themselves.
    ("您好，京东很高兴为您服务", True), ("欢迎致电京东，请问有什么可以帮您", True),
    ("您好，这里是京东", True)])
def test_the_company_as_the_speaker_counts_by_name_or_by_its_place(default_lexicon, line,
                                                                   unknown) -> None:
    known = CallFlow(default_lexicon, company=["京东"])
    assert _check(known, [a(line), c("嗯")])["self-introduction"] is True
    assert _check(CallFlow(default_lexicon), [a(line), c("嗯")])["self-introduction"] is unknown


def test_a_short_unknown_name_alone_counts_only_when_configured(default_lexicon) -> None:
    # Two characters with nothing after them: no brand, shorter than a bare name.
    line = [a("您好，这里是云帆"), c("嗯")]
    assert _check(CallFlow(default_lexicon), line)["self-introduction"] is False
    assert _check(CallFlow(default_lexicon, company=["云帆"]), line)["self-introduction"] is True


def test_known_company_never_makes_a_plain_greeting_an_introduction(default_lexicon) -> None:
    for flow in (CallFlow(default_lexicon, company=["京东"]), CallFlow(default_lexicon)):
        assert _check(flow, [a("您好，很高兴为您服务"), c("嗯")])["self-introduction"] is False
    # A configured company is said by its name: another name in its place is not it.
    known = CallFlow(default_lexicon, company=["京东"])
    assert _check(known, [a("您好，联通很高兴为您服务"), c("嗯")])["self-introduction"] is False


def test_known_company_placeholder_drops_its_pattern_without_a_company() -> None:
    from phraseguard.engine.flowrules import expand, placeholders_in

    assert placeholders_in("欢迎致电{known_company}") == {"known_company"}
    assert expand("欢迎致电{known_company}", {"known_company": ()}) == []
    assert expand("欢迎致电{known_company}", {"known_company": ("顺丰",)}) == ["欢迎致电顺丰"]


def test_live_first_window_decided_only_once_closed(flow) -> None:
    conv = [a("请问有什么可以帮您", 0.5, 2.0)]
    open_ = flow.check(conv, final=False, now=5.0).checklist
    assert open_ == {"greeting": None, "self-introduction": None, "closing": None}
    closed = flow.check(conv, final=False, now=16.0)
    assert closed.checklist == {"greeting": False, "self-introduction": False, "closing": None}
    assert {f.rule_id for f in closed.hits} == {"greeting", "self-introduction"}


def test_no_agent_speech_decides_nothing(flow) -> None:
    result = flow.check([c("喂?")])
    assert set(result.checklist.values()) == {None} and not result.hits
    assert result.notes[0] == "call-flow checks skipped: no agent speech"


def test_a_script_without_customer_lines_has_one_turn_per_line(flow) -> None:
    script = [U("您好，我是客服小王"), U("请问有什么可以帮您"), U("再见")]
    assert _check(flow, script) == {"greeting": True, "self-introduction": True,
                                    "closing": True}
    assert _check(flow, script[1:])["greeting"] is False
