"""Call-flow families from the twenty-first session's phone calls (callflow
train34: openings that look like an introduction and are not; train35:
outbound calls and endings): a shop's bare name at pick-up, a kind of line or
a role with no name, somebody else named, and the parting wishes said on the
phone."""

from __future__ import annotations

import pytest
from talk import a, c, opening_checklist
from talk import closed_with as _closed

from phraseguard.engine.callflow import CallFlow


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)


def _introduced(flow: CallFlow, *agent_opening: str) -> bool | None:
    return opening_checklist(flow, *agent_opening)["self-introduction"]


@pytest.mark.parametrize("line", [
    "喂，甜心烘焙。",            # a small shop's bare name, ending in its trade
    "喂，顺利冷气。",
    "喂，安居智能锁售后。",       # 智能 inside a name: 能 alone no longer keeps it out
    "喂，顺丰的，你有个件到了。",  # a courier named bare, then 的 and the customer
    "喂邮政的你有个挂号信在那个邮局",
])
def test_a_shops_bare_name_at_pick_up_counts(flow, line) -> None:
    assert _introduced(flow, line) is True


@pytest.mark.parametrize("opening", [
    ("喂，供热这块儿，你说吧。",),                       # the area of work
    ("喂 公交卡服务 你讲",),                              # a kind of line
    ("你好，是刘女士吗？我是前台，提醒您明天下午三点有洗牙的预约。",),  # a role, then the clause ends
    ("喂对这边是燃气报修",),
    ("您好，这里是空调售后服务中心，请问是孙先生吗？",),   # two kinds and a centre
    ("系呀，你好，有咩可以帮到你？", "唔该你讲下个户口号码。"),  # Cantonese "please"
])
def test_a_kind_of_line_or_a_role_without_a_name_does_not_count(flow, opening) -> None:
    assert _introduced(flow, *opening) is False


@pytest.mark.parametrize("opening", [
    ("您好 请问有什么可以帮您", "这个问题的话我帮您转到技术支持 技术那边是工程师小罗 他会一步一步教您操作"),
    ("喂，哪位嘛？", "邓姐嗦，我帮你问下修图的小杨哈。"),
    ("您好，请问是陈桂芳女士吗？", "提醒您明天上午9点30分在我们医院骨科有李主任的门诊预约"),
])
def test_somebody_else_named_is_not_the_agent_introducing_themselves(flow, opening) -> None:
    assert _introduced(flow, *opening) is False


@pytest.mark.parametrize("line", [
    "喂李总是吧我是那个钉钉那边的客户成功经理嗯小邹",  # 那边的 before the agent's own name
    "哎，大哥，我这旮旯是家美装饰的，姓马。",          # northeastern 这旮旯 = 这边
])
def test_the_agents_own_company_and_name_still_count(flow, line) -> None:
    assert _introduced(flow, line) is True


@pytest.mark.parametrize("line", [
    "好的黄阿姨 给你留着了 下午过来拿就行 您多保重啊",
    "莫客气，你好生保重哈。",
    "嗯，路上慢点。",
    "谢谢您的耐心等候，餐点到了请您慢用喔。",
    "不客气，祝孩子考上理想的学校。",
])
def test_parting_wishes_said_on_the_phone_are_a_closing(flow, line) -> None:
    assert _closed(flow, line) is True


@pytest.mark.parametrize("line", ["请确保重要文件已经备份。", "好的，那就先这样。"])
def test_words_that_only_contain_a_wish_are_no_closing(flow, line) -> None:
    assert _closed(flow, line) is False


@pytest.mark.parametrize("line", ["喂，快递，你有个件到了。", "喂，冷气。"])
def test_a_trade_word_alone_is_no_name_where_a_brand_is(flow, line) -> None:
    assert _introduced(flow, line) is False


@pytest.mark.parametrize("opening", [
    ("喂老北京烤鸭",),                                     # a bare name, ending the opening
    ("喂你好鲜果时光",),
    ("听得到您好花语花坊",),
    ("喂，哪位？这里是云雾茶庄。",),                        # who is calling, then the name
    ("喂您好请问是杜先生吗这边是车之美汽车美容",),          # the customer asked, then the name
    ("你好，呢度係陶陶居，请问有咩可以帮到你？",),          # Cantonese 呢度係 = 这里是
    ("您好这里是夕阳红养老院",),
    ("喂您好这边是美年大健康请问是孙丽女士吗",),            # outbound: the name, then who is called
])
def test_a_small_shop_answering_with_its_name_counts(flow, opening) -> None:
    assert _introduced(flow, *opening) is True


@pytest.mark.parametrize("opening", [
    ("喂，听不清楚",), ("喂，正在开车",), ("你好，王师傅",),  # a state or a person, not a name
    ("好的收到",),                                          # nothing leads it: any short reply
    ("您好,长按发送按钮即可.",),                            # an instruction in a chat
    ("喂 你好 热力公司",), ("你好，驾校报名处。",), ("喂 出口这边",), ("喂洗车店",),
    ("您好，订餐电话，请问需要订位吗？",),
    ("周一闭馆，您是要预约参观吗？",),                      # when, not who
    ("您好，很高兴为您服务。", "了解，请问您是住在哪一区呢？"),
    ("您好，我是民宿的，您是订了今晚两间房的周先生吗？",),
    ("您好，我是课程顾问，请问您家孩子在学英语吗？",),
    ("您好，是朵朵妈妈吗？我是朵朵的钢琴老师。",),
    ("喂您好我是刚才您打电话的那个开锁的师父我已经到小区门口了",),
    ("您好，请问是孟女士吗？我是蛋糕店的，跟您确认一下明天的订单。",),
    ("喂你好是钱先生吗我是装修公司的负责您家那个工地的",),
])
def test_no_name_in_an_opening_that_only_looks_like_one(flow, opening) -> None:
    assert _introduced(flow, *opening) is False


def test_a_childs_teacher_with_a_surname_still_counts(flow) -> None:
    assert _introduced(flow, "您好，是乐乐妈妈吗？我是乐乐的班主任王老师。") is True


@pytest.mark.parametrize("line", [
    "你过来拿就行，下回有衣服要改还找我。", "来吧来吧，回头常来啊。", "行你过来吧下次有问题直接过来就行",
    "好嘛，下回再来耍哈。", "好的那您考虑好了再联系", "好，听日朝早十点上嚟收，有咩再打嚟啦。",
    "对头，锅底和菜都在里头，慢慢吃哈。",
    # (session 31, callflow train94, train76: see you tomorrow night, in Cantonese and Mandarin; a writer of
    # train59 counts 听日见 for a visit as no farewell, two others count it)
    "唔使客气，听晚见。", "嗯明早见",
    # (callflow train97: Sichuan — come back with the next one)
    "下回有衣服再拿过来嘛。",
])
def test_small_shops_inviting_the_customer_back_is_a_closing(flow, line) -> None:
    assert _closed(flow, line) is True


def test_a_job_done_that_sounds_like_a_greeting_is_no_greeting(flow) -> None:
    # 弄好 sounds like Shanghainese 侬好
    conv = [a("喂，哪位？"), c("我李姐，衣服改好了吗"), a("李姐啊，改好了，昨天就弄好了。")]
    assert flow.check(conv).checklist["greeting"] is False


@pytest.mark.parametrize("opening", [
    ("嗯在的我是萌宝屋的客服小糖",),                       # the greeting's own 的 before 我是
    ("喂亲爱的我是美莱医美的顾问小甜",),
    ("您好，我是智能助手小招，请简单描述您的问题。",),       # a persona by its title
    ("亲，这里是果园直送小店，我是鲜果君",),
    ("您好，这里是途悦旅行，您预订的厦门三日游已出团通知，请查收。",),
    ("喂您好我是Iron Bay健身房的小美请问是陈小姐吗",),     # an English name with a space in it
    ("喂何先生您好這裡是卓健牙科想提醒您明天早上十點洗牙",),  # greeted, then the name, then why
    ("喂您好大力搬家這邊要跟您確認禮拜六的搬家",),
    ("您好，这里是裕廊西市镇理事会。",),
    ("早上好，翔龍航空客戶服務，我是Wing。",),
    ("哈啰，飞马快递，您的包裹需要付关税。",),
    ("您好，港燈電力客戶服務。",),
])
def test_chat_personas_and_calls_outside_the_mainland_count(flow, opening) -> None:
    assert _introduced(flow, *opening) is True


@pytest.mark.parametrize("opening", [
    ("您好,您的意见我们已经收到.希望您能关注花粉助手小D,以便我们后续能够第一时间响应",),  # an account to follow
    ("您好，我是司机，搬家车到楼下了。",), ("我是跑件的，你屋头地址是好多号？",),
    ("您好我是智能客服请说出您要办理的业务",), ("您好～人工客服已接入。",),
    ("您好我是客服專員請問有什麼需要服務的地方",), ("你好这里是乘客服务热线",),
    ("歡迎致電售票組請問需要什麼服務",), ("你好，我是管理处的，有什么事吗？",),
])
def test_roles_bots_and_desks_without_a_name_do_not_count(flow, opening) -> None:
    assert _introduced(flow, *opening) is False


def test_an_invitation_to_speak_up_a_few_words_later_is_a_closing(flow) -> None:
    assert _closed(flow, "好嘞，明儿个就给您发，有事儿随时吱一声！") is True


@pytest.mark.parametrize("opening", [
    ("喂你好你是点了那个麻辣香锅的吧", "我是送外卖的我到你们楼下了那个门禁进不去"),
    ("喂你好我们是卖猕猴桃的那个店就是您买的那个猕猴桃今天要发货了",),
    ("喂家里有人吗我们是燃气公司的明天上门安检",),
    ("喂这边是售票的你说",),
])
def test_a_kind_of_business_then_the_errand_is_no_introduction(flow, opening) -> None:
    assert _introduced(flow, *opening) is False


@pytest.mark.parametrize("last", ["好的 欢迎 欢迎", "好嘞欢迎欢迎到了打电话我出来接你"])
def test_a_welcome_in_is_no_closing(flow, last) -> None:
    # (session 31, callflow train97, train75: 欢迎欢迎 welcomes the customer in; by letters it is near 欢迎光临)
    assert _closed(flow, last) is False
