"""Families and settings of the thirty-second session (lexicons/README.md,
"Nothing on record, the agent's own act in the same turn, names that hold 有
or 在 (thirty-second session)").

- A customer asks after something of theirs gone missing or shown wrong and
  the agent answers only that the record is not there (系统里没有您的缴费记录,
  这个单号后台查不到): `disclaim-knowledge-record`, major. The same words answer
  a yes-or-no question (我是不是办过卡？), carry what the absence means or a
  time, or come before an offer in the next turn: no violation. A script line
  has no customer turn, and the rule needs one.
- `[meaning] unless_utterance`: the meaning model's finding is cleared when
  the same turn says the agent takes it on (我今天下午就派人去换).
"""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged

from phraseguard.engine.dialogue import DialogueJudge
from phraseguard.engine.hit import Hit, MatchKind, Severity
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.errors import LexiconErrors

RECORD = "disclaim-knowledge-record"


@pytest.mark.parametrize(("customer", "agent", "rule"), [
    ("我交的停车费怎么还显示没交？", "系统里没有您这笔缴费记录。", RECORD),
    ("我寄的快递到哪了？三天没动了", "这个单号后台查不到。", RECORD),
    ("亲，我的优惠券怎么不见了？", "亲，优惠券记录这边没看到哦~", RECORD),
    ("我昨天充的话费怎么没到账？", "充值明细系统上没显示。", RECORD),
    ("我在网上约的体检，到了前台说没我的名字！", "系统里没有您的预约信息。", RECORD),
    # (我这边看不到 is no-information's, which reads @missing_reports too)
    ("我的积分去哪了？", "积分变动我这边看不到。", "no-information"),
])
def test_nothing_on_record_as_the_whole_answer_to_a_missing_item_is_flagged(
        matcher, customer, agent, rule) -> None:
    assert _flagged(matcher, agent, customer=customer) == {rule}


@pytest.mark.parametrize(("customer", "agent"), [
    # (a yes-or-no question the absence answers)
    ("我是不是在你们这儿办过会员卡？", "系统里没有您的会员记录。"),
    ("我想确认一下预约成功没？", "系统里没有您周三的预约。"),
    # (what the absence means, or a time, in the same turn)
    ("我交的电费怎么没到账？", "系统里暂时没有这笔记录，第三方渠道一般隔天才入账。"),
    ("我的挂号怎么查不到？", "系统里没有您的挂号记录，说明当时没挂上，不会扣费。"),
])
def test_nothing_on_record_that_answers_or_explains_is_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


def test_nothing_on_record_is_excused_by_an_offer_in_the_next_turn(matcher) -> None:
    customer, agent = "我寄的快递到哪了？三天没动了", "这个单号系统里没有中转记录。"
    assert _flagged(matcher, agent, customer=customer)
    assert not _flagged(matcher, agent, customer=customer,
                        next_turn="我马上联系始发网点核实，今天下午五点前给您回电话。")


def test_nothing_on_record_in_a_script_line_needs_the_customers_turn(matcher) -> None:
    assert "disclaim-knowledge-record" not in _flagged(matcher, "系统里没有您这笔缴费记录。")


def _model_hit(text: str) -> Hit:
    """A finding of the meaning model, as it reports one (the whole turn)."""
    return Hit(rule_id="disclaim-responsibility", category="shirking",
               severity=Severity.CRITICAL, message="", suggestions=(),
               phrase="(meaning model)", start=0, end=len(text), matched=text,
               normalized=text, kind=MatchKind.MEANING, confidence=0.9)


@pytest.mark.parametrize("text", [
    "灯具维修是物业负责，我今天下午就派人去换。",
    "电梯坏了您找我们物业就行，我们来联系维保单位，您不用自己去找。",
    "橱柜是厂家装的，出问题您先找我们，我们统一联系厂家。",
])
def test_the_models_finding_is_cleared_when_the_same_turn_takes_it_on(
        default_lexicon, text) -> None:
    judge = DialogueJudge(default_lexicon)
    assert judge.model_excuse(text) is not None
    assert judge.judge([_model_hit(text)], customer="灯坏了找谁") == []


@pytest.mark.parametrize("text", [
    "师傅到哪了我也联系不上。",  # (not an act: 联系 failed)
    "您这个件已经反馈给网点了，您等着通知就行。",
    "那不然呢，您想让我给您磕一个？",
])
def test_the_models_finding_stands_without_such_an_act(default_lexicon, text) -> None:
    judge = DialogueJudge(default_lexicon)
    assert judge.model_excuse(text) is None
    assert [h.rule_id for h in judge.judge([_model_hit(text)], customer="怎么回事")] \
        == ["disclaim-responsibility"]


def test_a_lexicon_sets_its_own_acts_and_bad_ones_are_reported(tmp_path) -> None:
    ours = tmp_path / "ours.toml"
    ours.write_text('[lexicon]\nextends = "default"\n[meaning]\nunless_utterance = ["@offers"]\n',
                    "utf-8")
    lex = load_lexicon(str(ours))
    assert len(lex.meaning.unless_utterance) > 1  # the list expanded
    none = tmp_path / "none.toml"
    none.write_text('[lexicon]\nextends = "default"\n[meaning]\nunless_utterance = []\n', "utf-8")
    text = "灯具维修是物业负责，我今天下午就派人去换。"
    assert DialogueJudge(load_lexicon(str(none))).judge([_model_hit(text)], customer="灯坏了")
    bad = tmp_path / "bad.toml"
    bad.write_text('[lexicon]\nextends = "default"\n[meaning]\nunless_utterance = ["@nosuch"]\n',
                   "utf-8")
    with pytest.raises(LexiconErrors) as err:
        load_lexicon(str(bad))
    assert "bad.toml:4" in str(err.value) and "nosuch" in str(err.value)


def test_a_lexicon_that_does_not_extend_the_default_still_loads(tmp_path) -> None:
    """The default's [meaning] settings apply to every lexicon; its lists do not,
    so its unless_utterance is written out, not as a list."""
    own = tmp_path / "own.toml"
    own.write_text('[lexicon]\nname = "own"\n[[rule]]\nid = "x"\nseverity = "major"\n'
                   'category = "c"\nmessage = "m"\nsuggestions = ["s"]\nphrases = ["随便"]\n', "utf-8")
    assert load_lexicon(str(own)).meaning.unless_utterance


@pytest.mark.parametrize(("customer", "agent"), [
    ("楼道灯坏了半个月没人修", "楼道灯是供电局的，轮不到我们物业来管。"),
    ("快递放驿站丢了谁负责？", "放驿站以后就是驿站的事啦。"),
    ("业务员当时根本没说有等待期", "那是他个人的事情。"),
    ("我这个病你们只按轻症赔，这怎么行？", "条款就这样，谁来都改不了。"),
    ("亲，我的积分到哪一步了？", "积分进度我这边也查不着呀"),
    # (train220-226)
    ("货全泡水了，怎么办？", "货都泡烂了，没啥可做的。"),
    ("退运手续能办吗？", "亲，这种一般都办不成，您就当这批货没了吧"),
    ("你们的账单又多了三笔杂费，能不能先解释一下？", "有什么好解释的，账单上写的就是要付的。"),
    ("准考证上名字拼错了怎么办", "錯都錯了，還能怎樣？"),
    ("亲，我家猫洗完澡一身伤，你们都不管的吗", "猫咪洗澡就会这样的哦亲"),
    ("专家号怎么永远都抢不到？", "亲，抢不到就说明您手慢呀"),
    ("这单超时四十分钟了骑手电话打不通", "您就再等一会呗，骑手总会到的"),
])
def test_not_ours_nobody_could_and_not_found_in_the_session_forms_are_flagged(
        matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("楼上漏水，楼上不开门", "这是您跟楼上之间的事，您自己找楼上协商。",
     "楼上不开门的话，我们管家可以陪您上门，也先帮您关掉进户水阀。"),
    ("司机多收了钱，他电话在哪看？", "路线是司机自己选的，这个您跟司机沟通。",
     "沟通不了的话，平台按合理路线给您退差价。"),
    ("私教课上受伤了，我该找谁报？", "私教是独立签约的，这事您找教练本人。",
     "我把教练的联系方式和保险公司报案电话都给您，馆里也会出具事发证明。"),
    # (a refusal after a fault, a group chat, a hospice)
    ("我被骗了转了五千，你们能追回来吗", "转出去的钱我们也追不回来",
     "您先报警拿到回执，我们这边配合冻结对方账户。"),
    ("团购的荔枝一半都烂了", "水果这东西烂了就是烂了，没啥好办法呢",
     "大家把烂果拍照发我，烂多少赔多少，今晚统一退到微信里～"),
    ("我爸现在这个情况，大概还有多长时间？", "这个谁也说不好。",
     "我请主治医生今天下午跟您当面聊一聊。"),
    # (session 33: somebody senior sent to look, a case opened)
    ("保养完这车咋还咣咣响？", "这车就这德性，谁修也白扯。",
     "不过您明早开过来，我让技术总监亲自听一下，九点我在门口等您。"),
    ("社保卡丢了里面的钱被人刷了两百，还能追回吗？", "钱已经刷走了，那还能咋办呢，",
     "您先马上挂失，再带身份证去派出所报案，我同时给人社局转一个冒用核查工单。"),
])
def test_the_agents_own_act_in_the_next_turn_excuses_the_turn_before(
        matcher, customer, agent, next_turn) -> None:
    assert _flagged(matcher, agent, customer=customer)
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


def test_not_knowing_with_the_rule_looked_up_in_the_same_turn_is_not_flagged(matcher) -> None:
    assert not _flagged(matcher, "这个我一下子也不知道，我查了今年的考务规定：单科成绩不保留。",
                        customer="初级会计今年过了一科，明年还算吗？")
    assert _flagged(matcher, "这个我也不知道。", customer="初级会计今年过了一科，明年还算吗？")


TWO_PROBLEMS = "积分少了三百，放映机还坏了半场，你们平台怎么说？"


def test_help_with_one_problem_does_not_excuse_giving_up_on_the_other(matcher) -> None:
    # (the help stands in an earlier sentence of the turn: it was for the other problem)
    assert _flagged(matcher, "积分我给您补上了。放映机的事我们也没辙，只能这样了。", customer=TWO_PROBLEMS)
    assert _flagged(matcher, "押金我已经退回了。取消的原因我这边查不到，我也不知道。", customer=TWO_PROBLEMS)
    # (in the same sentence, or after the give-up, it is the remedy, as before)
    assert not _flagged(matcher, "取消的原因我这边也不知道，我帮您问一下影院，今天下午回复您。",
                        customer=TWO_PROBLEMS)


def test_a_clarifying_question_before_not_knowing_still_excuses_it(matcher) -> None:
    assert not _flagged(matcher, "您说的是哪一单呢？小妹这边不是很清楚，麻烦把订单号发我一下哈。",
                        customer="我的订单怎么还没到？")


def test_a_lexicon_can_let_earlier_sentences_excuse_again(tmp_path) -> None:
    ours = tmp_path / "ours.toml"
    ours.write_text('[lexicon]\nextends = "default"\n[matching]\nearlier_sentences_excuse = true\n',
                    "utf-8")
    old = Matcher(load_lexicon(str(ours)))
    assert not _flagged(old, "积分我给您补上了。放映机的事我们也没辙，只能这样了。", customer=TWO_PROBLEMS)


def test_a_meaning_setting_that_is_no_table_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('meaning = 3\n[lexicon]\nextends = "default"\n', "utf-8")
    with pytest.raises(LexiconErrors) as err:
        load_lexicon(str(bad))
    assert "bad.toml:1" in str(err.value) and "must be a table" in str(err.value)
