"""Settings and families of the thirty-third session (lexicons/README.md,
"Next turns that only reassure, two matters in one spoken turn (thirty-third
session)").

- `[dialogue] hollow_next_turn`: a next turn made only of reassurance (您放心，
  我们会尽快处理的; 已经反馈了; 理解您的心情，请您耐心等待) offers nothing, though
  an offer's words are in it; a next turn that says who does what, or when,
  still resolves.
- `[matching] spoken_sentence_ends` and `spoken_new_matter`: in speech with
  no full stop, help with one matter (我给您催了) does not excuse giving up on
  the next one named after it (门锁那个就没招了).
"""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged
from talk import opening_checklist as _opening

from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.errors import LexiconErrors


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("车锁不上，一直在计费", "锁不上那也没招了。", "您放心，这边会尽快处理。"),
    ("沙发腿装上就晃，你们管不管？", "亲，安装是第三方师傅做的，您联系他们哈",
     "这边已经反馈了亲，会尽快处理的~"),
    ("我的快递显示签收了，可我根本没收到啊", "那是派件员那边的事，跟我们店没啥关系。",
     "您放心，这边已经反馈给上级了。"),
    ("车险理赔材料都交了一个月了，一直没动静", "这个卡在哪儿我也使不上劲。",
     "您的心情我们非常理解，会跟进的。"),
    ("手机刚修完三天又黑屏了", "修了两次都这样，那就真没辙了。", "我们会尽快为您处理的，请您放心。"),
    # (spoken, with fillers)
    ("喂那个我的航班取消了", "嗯航班取消这个我们这边也是没办法", "嗯您放心您放心我们会尽快处理的"),
])
def test_a_next_turn_that_only_reassures_does_not_resolve_a_give_up(
        matcher, customer, agent, next_turn) -> None:
    assert _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("车锁不上，一直在计费", "锁不上那也没招了。", "您放心，我马上给您停止计费，今天之内退回多扣的钱。"),
    ("我的快递显示签收了，可我根本没收到啊", "那是派件员那边的事，跟我们店没啥关系。",
     "已经反馈给站点了，站点今天下午五点前给您回电话。"),
    ("手机刚修完三天又黑屏了", "修了两次都这样，那就真没辙了。", "好的已经登记了，师傅两天内上门。"),
])
def test_a_next_turn_that_says_who_does_what_still_resolves_it(
        matcher, customer, agent, next_turn) -> None:
    assert _flagged(matcher, agent, customer=customer)
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


def test_why_says_the_next_turn_only_reassures(matcher) -> None:
    from phraseguard.engine.explain import explain_turn

    ex = explain_turn(matcher, "锁不上那也没招了。", next_turn="您放心，这边会尽快处理。")
    assert any("only reassures" in n for n in ex.turn_notes)
    assert ex.judged and "only reassures" in ex.judged[0].reason


def test_an_empty_hollow_list_lets_reassurance_resolve_as_before(tmp_path) -> None:
    none = tmp_path / "none.toml"
    none.write_text('[lexicon]\nextends = "default"\n[dialogue]\nhollow_next_turn = []\n', "utf-8")
    m = Matcher(load_lexicon(str(none)))
    assert not _flagged(m, "锁不上那也没招了。", customer="车锁不上",
                        next_turn="您放心，这边会尽快处理。")


def test_a_bad_hollow_pattern_is_reported_with_its_file_and_line(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[lexicon]\nextends = "default"\n[dialogue]\nhollow_next_turn = ["@nosuch"]\n',
                   "utf-8")
    with pytest.raises(LexiconErrors) as err:
        load_lexicon(str(bad))
    assert "bad.toml:4" in str(err.value) and "hollow_next_turn" in str(err.value)


@pytest.mark.parametrize("agent", [
    "嗯押金我给您催了门锁那个那个就没招了",
    "嗯作业那个我帮您重新开了提交口网课卡那个那个就没辙啦",
    "嗯 座位 给 您 换到 靠窗 了 行李 那个 嗯 丢了 就是 丢了 那 也 没辙",
])
def test_help_with_one_matter_in_speech_does_not_excuse_giving_up_on_the_next(
        matcher, agent) -> None:
    assert _flagged(matcher, agent, customer="喂那个我有两个问题")


@pytest.mark.parametrize("agent", [
    # (no new matter named after 了: the same matter goes on)
    "您说的是哪门课呀我这边看您报了三门不太清楚是哪一门",
    "嗯押金那个我给您催了您再等两天要是还没退我直接找房东",
])
def test_speech_that_stays_on_one_matter_keeps_its_excuse(matcher, agent) -> None:
    assert not _flagged(matcher, agent, customer="喂那个我有两个问题")


def test_without_new_matter_or_finished_act_words_a_spoken_sentence_does_not_end(
        tmp_path) -> None:
    none = tmp_path / "none.toml"
    none.write_text('[lexicon]\nextends = "default"\n[matching]\nspoken_new_matter = []\n'
                    'spoken_finished_acts = []\n', "utf-8")
    m = Matcher(load_lexicon(str(none)))
    assert not _flagged(m, "嗯押金我给您催了门锁那个那个就没招了", customer="喂那个我有两个问题")


@pytest.fixture(scope="module")
def flow(default_lexicon):
    from phraseguard.engine.callflow import CallFlow

    return CallFlow(default_lexicon)


@pytest.mark.parametrize("opening", [
    ("喂您好 我是那个 嗯 雪峰空调售后的小何 请问有什么可以帮您",),
    ("喂，您好嘛，我是那个，巴蜀装饰的小曾。",),
    ("你好，我是那个……嗯，快送外送的外送员小凯啦，你的便当到了。",),
    ("喂 喂 你好 请问 是 周 先生 吧", "我 这 是 那个 林氏 木业 呃 林氏 家居 配送 的 您 买 的 那个 沙发 明天 给 您 送"),
])
def test_a_self_introduction_with_a_hesitation_in_it_counts(flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is True


@pytest.mark.parametrize("opening", [
    # (no name or company after the hesitation)
    ("喂您好 我是那个 嗯 想问一下您家的空调修好了没有",),
    # (a utility's name alone: eight call-flow writers say no, two yes)
    ("喂你好自来水公司",),
])
def test_a_hesitation_or_a_utility_alone_is_no_self_introduction(flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is False


def test_without_hesitation_words_a_pause_after_na_ge_ends_the_clause(tmp_path) -> None:
    from phraseguard.engine.callflow import CallFlow

    none = tmp_path / "none.toml"
    none.write_text('[lexicon]\nextends = "default"\n[callflow]\nhesitations = []\n', "utf-8")
    flow = CallFlow(load_lexicon(str(none)))
    assert _opening(flow, "喂，您好嘛，我是那个，巴蜀装饰的小曾。")["self-introduction"] is False


@pytest.mark.parametrize(("customer", "agent"), [
    ("亲，阅读器翻页老是卡一下，好烦", "亲，墨水屏都这德行，忍忍就习惯了"),
    ("亲，回收的旧手机里我的照片没删，会不会泄露", "亲，自己没清数据的话后果自负哈"),
    ("航班取消了，我明天一早还有会，有什么办法吗？", "航班都取消了，还能咋办呢。"),
    ("喂我卡被冻结了", "嗯冻结是公安冻的您找公安去跟银行这边没得关系"),
    ("车座是坏的，我骑了一路屁股疼。", "那您骑之前不会看看？"),
    # (train238: the fault called what such things do)
    ("新鞋穿一天就磨脚后跟。", "新鞋哪有不磨脚的。"),
    ("新买的手机玩半小时游戏就烫手，正常吗？", "手机玩游戏都会发热，这是通病。"),
    ("亲，电动车骑起来后轮咯噔咯噔响", "骑着骑着就习惯了亲~"),
])
def test_the_session_forms_are_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    # (那个, not 哪个: a limit on one action stays minor)
    ("能上门修吗", "嗯这款手机上门维休那个不支持的"),
    # (a cause or an offer in the same turn)
    ("电饭煲煮的饭底下老是糊。", "电饭煲都会有点锅巴，正常现象，您水放多一点试试，不行我给您换内胆。"),
])
def test_limits_and_explained_faults_are_not_flagged_at_major(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


def test_the_agents_own_first_step_clears_the_models_reading(default_lexicon) -> None:
    from phraseguard.engine.dialogue import DialogueJudge

    judge = DialogueJudge(default_lexicon)
    assert judge.model_excuse("绕不绕路是司机的事，您找他之前我先帮您核对轨迹。") is not None
    assert judge.model_excuse("绕不绕路是司机的事，您找他去。") is None


def test_an_act_done_for_the_customer_ends_a_spoken_sentence(matcher) -> None:
    # (no 那个 before the next matter: the finished act 给您退了 ends it)
    assert _flagged(matcher, "上门 费 已经 给 您 退 了 漏水 修 不好 我们 也 没 办法 了",
                    customer="喂 我 两个 事")
    # (an act of the agent's long before the 了: the same matter goes on)
    assert not _flagged(matcher, "我 帮 您 查 一下 发票 已经 发到 您 的 邮箱 了 可能 在 垃圾邮件 里 "
                                 "您 找 一下 看看", customer="发票 呢")


@pytest.mark.parametrize(("customer", "agent"), [
    ("亲，我被骗转了五千，还能追回来吗？", "亲，转都转出去了，还追得回来吗？"),
    ("我买的药发错了，明天就要吃，来得及换吗？", "明天就要吃，这哪还来得及？"),
    ("冰箱修了两次还是不制冷。", "修两次还不好，那您干脆买新的得了。"),
    ("嗯那个我就是问一下什么时候能装好", "嗯排到了就装了您问这么多干啥呢"),
])
def test_questions_back_and_go_without_it_are_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


def test_the_agent_replacing_it_is_no_brush_off(matcher) -> None:
    assert not _flagged(matcher, "反正都要寄回来检测，我干脆给您直接换个新的吧", customer="耳机坏了")


def test_a_village_post_and_a_name_introduce_the_caller(flow) -> None:
    assert _opening(flow, "他婶子俺是村里的支书老孙恁家那个危房改造的钱批下来了")["self-introduction"] is True


def test_a_self_introduction_found_across_a_hesitation_quotes_what_was_said(flow) -> None:
    from talk import a, c

    said = "喂，您好嘛，我是那个，巴蜀装饰的小曾。"
    result = flow.check([a(said), c("嗯"), a("好的"), c("谢谢"), a("嗯")])
    found = result.found["self-introduction"]
    assert found.utterance == 0
    assert "嗯嗯" not in found.hit.matched and found.hit.matched in said
