"""Families of the twenty-eighth session (lexicons/README.md, "The customer's words
restated, causes not found, county-town offers (twenty-eighth session)"): the
customer's own 不知道 restated by the agent is no disclaimer, while 原因 as the thing
not found gives no reason; a rhetorical 问谁 is flagged with its question mark;
loss left to fate and a complaint called petty are flagged; a call back, an expert
sent or a colleague who will call clears a disclaimer; a polite formula is no
offer; and a kind of desk, ward or shop names nobody on the phone (callflow
train78-81)."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged
from talk import opening_checklist

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.lexicon import load_lexicon


@pytest.mark.parametrize(("customer", "agent"), [
    ("我不知道怎么换绑手机号", "您说不知道怎么换绑，在设置里点账号安全就能换。"),
    ("不清楚能不能带宠物进店", "您刚才说不清楚能不能带宠物，小型犬装在包里可以进。"),
    ("我不知道发票去哪开", "嗯你说不知道发票去哪开，订单详情最下面就有。"),
])
def test_the_customers_own_words_restated_are_no_disclaimer(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    ("为什么少退了我十块？", "少退的原因我这边查不到呢。"),
    ("为什么我的积分清零了？", "积分清零的原因我们这边也查不出来。"),
    ("这个扣款是怎么回事？", "这个原因我这边也查不出来哦"),
    # rhetorical questions keep their question mark
    ("为什么热水器老是打不着火？", "你问我，我问谁？"),
    ("这药能和降压药一起吃吗？", "你问我我问谁去？"),
    # the loss left to fate; the complaint called petty
    ("我的钱被骗走了，能追回来吗？", "事到如今也只能认栽了。"),
    ("包装盒都压扁了", "东西又没坏，有啥好计较的。"),
    ("外卖晚了四十分钟", "不就晚了一会儿，有什么好生气的。"),
    # second wave (train173-176): ours disowned without 管, no talks, wait, told off, gone for good
    ("电视遥控器坏了", "遥控器是厂家配的，这块不归咱们。"),
    ("行李超重一公斤，能通融下吗？", "超咗就系超咗，冇得倾。"),
    ("师傅说上午来，现在都下午了！", "师傅也忙，您再等着呗。"),
    ("搬家把墙蹭花了", "搬家哪有不蹭的，您也太较真了。"),
    ("提前退租押金能退点吗？", "押金就是泡汤了，谁来都一样。"),
    ("手机数据全丢了", "数据想找回来是不可能的。"),
    ("额度怎么才三万？", "三万就不错了，您还嫌少啊。"),
    # a polite formula before it is no offer
    ("宽带用的是哪家线路？", "您好，很高兴为您服务，这个我是真的说不上来。"),
    ("这个药孕妇能吃吗？", "非常抱歉给您添麻烦了，看了一下，这个我真的不清楚。"),
    # third wave (train177-180): formal finality, fate, petty complaints, formal brush-offs, not known
    ("卡被盗刷了，能追回吗？", "此事本公司确无挽回之策。"),
    ("团费还能拿回来吗？", "这笔钱悬了，您别抱太大指望。"),
    ("明天就要出发，证件还没拿到", "来不及就是来不及，现在谁也救不了。"),
    ("牛奶怎么还没送到？", "才二十分钟而已，急什么啦。"),
    ("手续费也太贵了", "阁下如认为不合理，大可选择其他机构办理。"),
    ("一年涨三次价，我接受不了", "若您无法接受，恕不强留。"),
    ("出国前你们也不提醒我开漫游", "出国开漫游是常识，这个还要我们提醒吗"),
    ("电动车三天就坏了", "便宜没好货嘛，下回买好点的。"),
    ("这个茶能降血糖吗？", "降不降血糖我这边说不上哦"),
    ("我的订单号是多少？", "订单号我这边也调不出来"),
    ("里程为什么没到账？", "未入账的原因本中心暂时没法查明。"),
    ("楼顶那个棚子算不算违建？", "算不算违建，我这边没法下结论。"),
    ("低保被驳回了，家里揭不开锅了", "驳回了就是驳回了，再申请也没戏。"),
    ("包工头欠薪跑了，你们能帮我们要吗？", "那是你们之间的账，热线管不了。"),
    ("门号被停话了，是不是你们搞错？", "停话由系统自动执行，非属本客服权责。"),
])
def test_they_are_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    ("为什么还没退款？", "因为银行系统升级的原因，今天暂时查不到，明天再帮您看。"),
    ("这单怎么延迟了？", "是天气的原因，航班都停了。"),
    ("我的车能开去外地吗？", "可以的，随便您开到哪，在本市网点还车就行。"),
    ("怎么开发票？", "不要紧，点我的再点开票，勿晓得个地方再问我。"),
    ("一日游可以中途自己走吗？", "可以的，签个字随便您中途离开。"),
    ("自驾去边度可以加油？", "沿路都有油站，唔清楚边条路就打俾我。"),
])
def test_a_reason_or_the_customers_leave_is_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


def test_elsewhere_if_too_dear_stays_a_brush_off(matcher) -> None:
    assert _flagged(matcher, "嫌贵随便您去哪买。", customer="你们这个太贵了")


def test_an_errand_asked_for_and_refused_is_a_stated_limit(matcher) -> None:
    # 能不能让师傅顺便把旧床搬走？ asks one thing: its bare refusal is minor, not give-up.
    assert not _flagged(matcher, "这个搬不了哦。", customer="能不能让师傅安装完顺便把旧床搬走？")
    assert _flagged(matcher, "这个搬不了哦。", customer="师傅把我家旧床弄坏了，怎么办？")
    assert not _flagged(matcher, "今天加名，整不了。", customer="房本能不能加我爱人的名字？")


def test_a_meeting_called_an_interview_is_no_brush_off(matcher) -> None:
    # 面谈 sounds like 免谈: no sound-alike of a two-character brush-off is read.
    assert not _flagged(matcher, "也可以找我们预约面谈。", customer="我能申请公积金贷款吗？")


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("仓库里的冻肉现在多少度？", "这个我现在也不知道。", "我去冷库看一眼温度，半小时后给您回个话。"),
    ("我家果树叶子发黄是什么病？", "这个病我们也说不清楚。", "您拍几张照片，我请站里的农技员帮您看看。"),
    ("送货的把我家门撞坏了", "这个我们不管。", "我先登记，让站长今天跟您联系赔偿。"),
    ("司机多收了我二十块", "绕路是司机个人的行为，平台这边不负这个责。", "轨迹我调出来了，多收的二十元今天就退给您。"),
    ("我挂的号停诊了怎么办？", "停诊的原因我们这边不清楚。", "系统已为您自动退号，同时为您保留了周四的号。"),
    ("押金要扣多少？", "要扣多少我现在也不清楚。", "退房那天我们一起验房，没有损坏就全退。"),
    ("打完药边上两垄虫还是多，咋办", "那两垄现在也没啥法子了。", "不过我可以让飞手给你人工补一遍。"),
    ("这个药能和降压药一起吃吗？", "这我可说不好。", "我请驻店药师跟您通话，他看一下成分。"),
    ("团友高反很严重，怎么办？", "高原上就这条件，我们也是鞭长莫及。", "但我已经让领队联系县医院的救护车。"),
    ("导游把我们扔在景区自己走了", "人都走了，我们也拿他没辙。", "我现在就从最近的门店调一位导游过去。"),
    ("蜜月套餐包唔包接送机？", "一时唔清楚。", "我查完合同即刻话你知。"),
])
def test_a_call_back_an_expert_or_a_refund_next_clears_them(matcher, customer, agent,
                                                             next_turn) -> None:
    assert _flagged(matcher, agent, customer=customer)
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.fixture(scope="module")
def flow() -> CallFlow:
    return CallFlow(load_lexicon(), timing=False)


@pytest.mark.parametrize("opening", [
    "喂你好我是药房的您说",
    "您好，我是导诊台的，请问哪里不舒服？",
    "喂，你好，透析室。",
    "您好，发热门诊。",
    "你好，我是这里的咨询员，请讲。",
    "您好，我是上周接您电话的导诊员，给您做个回访。",
    "你好，我哋係做搬屋嘅，有咩需要？",
    "哎你好这边是平台客服请问有什么可以帮您",
    "您好这边是店铺客服",
    "哎李姐啊我是物业的那个你家水管的事",
    "喂您好 这边是预约挂号的 请问是王芳的家属吗",
    "您好，请问是刘先生吗？我是律所的助理。",
    "你好养车门店",
    "您好加油卡客服",
])
def test_a_desk_ward_or_platform_by_its_kind_is_no_self_introduction(flow, opening) -> None:
    assert opening_checklist(flow, opening)["self-introduction"] is False


@pytest.mark.parametrize("opening", [
    "您好，仁和大药房，请问需要什么药？",
    "您好，这边是优选家居店铺客服小林",
    "你好，我是市一医院透析室的护士长王敏。",
])
def test_which_pharmacy_shop_or_ward_is_said_still_counts(flow, opening) -> None:
    assert opening_checklist(flow, opening)["self-introduction"] is True
