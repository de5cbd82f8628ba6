"""The self-introduction's name frame: a company or team known by its place in the opening."""

from __future__ import annotations

from dataclasses import replace

import pytest
from talk import opening_checklist

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.flowrules import NameFrame
from phraseguard.engine.name_frame import NameFrameMatcher
from phraseguard.engine.normalize import Normalizer
from phraseguard.speech.transcript import Role, Utterance


def _said(flow: CallFlow, first_line: str) -> bool | None:
    conv = [Utterance(first_line, Role.AGENT), Utterance("嗯", Role.CUSTOMER),
            Utterance("好的", Role.AGENT)]
    return flow.check(conv).checklist["self-introduction"]


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon, timing=False)


@pytest.mark.parametrize("line", [
    "您好，95598供电服务热线，很高兴为您服务。",
    "你好，12306客服中心，请讲。",
    "欢迎致电东江水务请问有什么可以帮您",  # a recogniser's line: no punctuation
    "老百姓大药房请问需要什么药",  # no greeting at all
    "你好，港华燃气，请问有咩可以帮你？",  # Cantonese offer
    "您好，市第一人民医院预约挂号中心。",  # the name ends the opening
    "您好，中国联通，很高兴为您服务，请问有什么可以帮您？",
    "喂，你好，成都燃气哈，有啥子事嘛？",  # a particle after the name
    "京东客服 我是东东 请讲",  # the name, then the agent's own
    # (session 18, callflow train20) a company said bare, then straight into business
    "哎您好，长城宽带，咱家网咋的了？",
    "中通快递，你的件到楼下了，家里有人吗？",
    "中通快递你的件到楼下了家里有人吗",  # recogniser output: the agent turns to the customer
    "喂，你好嘛，成都自来水96968，你说嘛。",
    "喂，您好，这是建业物业客服中心，您说。",  # a lead before the name
    "喂，我这万达影城中街店的，你昨儿晚上落这儿一个包。",
    "哎，满堂红地产，你说吧。",
    # (callflow train21) a station, a utility's office, after-sales, a lead of 我 or 俺
    "喂，嘉里物流旺角站。",
    "喂你好这里是城关供电所你是那个河西村张德明家吧",
    "侬好，格力售后，啥事体？",
    "喂，我滴滴司机啊，你搁哪儿呢？我到了。",
    "喂你好美团外卖那个你外卖到了我在东门进不去",
    # (callflow train22) a greeting between the name and the offer; a repair shop; a rider
    "途虎养车您好请问有什么可以帮您",
    "喂，恁好，俺这是老王汽修，恁那车弄好了。",
    "喂美团骑手啊你那个地址是不是写错了",  # (not 饿了么: 么 is never in a name)
    # (session 19, callflow train24/25) the customer addressed first; a small
    # business's bare name; an office; a recorded welcome; 我 + company + 小 + surname
    "刘先生吗？神州租车，您预订的车已经准备好了。",
    "喂，李女士是吧？我这海尔售后的，小刘。",
    "喂，你好，老码头火锅，订位嗦？",
    "喂老王烧烤",
    "晚上好，这里是小林日料，跟您确认一下您今晚的预订。",
    "喂，你好，锦华苑物业管理处。",
    "你好华南理工大学招生办",
    "您好欢迎致电广发信用卡中心本次通话可能会被录音",
    "喂，大哥你好，我链家小刘啊。",
    # (callflow train26/27) a longer address first; an English greeting; a centre
    # then the customer; Shanghainese 额; a surname and how the customer calls them
    "喂，请问是幸福里小区三栋的业主吗？这里是国网城东供电所。",
    "Hello，您好，钉钉技术支持，我是Jason。",
    "喂您好平安车险报案中心 请问车辆出险了吗",
    "喂，侬好，阿拉是大众燃气额，明朝上半天要来做安全检查。",
    "喂，李姐，我是周阿姨，明天给您家做饭的那个。",
    "您好，协和医院预约挂号中心。",
    "喂您好 实验小学教务处",
    # (callflow train28/29) a company then a greeting; a group; a hotline's follow-up call;
    # a company and the role; the company before the customer is asked for
    "喂，您好，小太阳幼儿园您好。",
    "喂滨江水务集团",
    "您好，这里是12345政务服务便民热线回访，请问是杨先生吗？",
    "我们是海润电器的安装师傅，您在网上买的热水器今天到货了。",
    "喂你好这边是平安银行的请问是李女士吗",
    "喂，您好，是李子轩的家长吗？我是他的班主任王老师。",
    "您好，金山办公会员服务，我是客服小艾。",
])
def test_a_name_between_greeting_and_offer_is_a_self_introduction(flow, line) -> None:
    assert _said(flow, line) is True


@pytest.mark.parametrize("line", [
    "您好，很高兴为您服务",  # nothing in the name's place
    "尊敬的商家朋友，请问有什么可以帮您的呢?",  # an address
    "您好，在的，请问有什么可以帮您",  # presence
    "[订单x]请问是这个订单吗",  # the chat data's placeholder
    "您好，客服中心，请讲",  # a role with no name
    "喂你好自来水公司",  # the kind of company, no offer after it
    "您好，请问有什么可以帮您",
    "亲，请问有什么可以帮助到您",
    "对的，请问有什么可以帮您？",  # an answer, not a name
    "客服和您说的是买新单换此单~",  # 您说 inside a sentence is no offer of help
    # (session 18) the company as the subject of a written sentence, not a phrase of its own
    "您好,北京联通目前针对符合条件的公众宽带用户进行宽带提速,不是临时的哟.",
    "如所开通的宽带/固话、手机号码等业务不再继续使用,需要提供机主身份证",  # a list, no pause
    "喂，那个快递，放门口了啊",  # pointing at a thing
    "嗯这边是药房您说",  # the kind of place, not which
    "您好宠物医院您说",
    "你好，嘛事儿您说。",
    "对对您说",  # an answer before the offer
    "麦麦童鞋 你说的哪个视频捏？",  # an address in chat slang
    "嗯我们这边是来通知一下的就是您家那个水表下周二要统一换",  # why the call, not who
    "不足之处,我司会再完善及改进的,您再关注使用情况",  # 之处 is no office
    "喂，你好，教务处。",  # a department
    "您好,每个基站的建立都要经过严格选址",  # a sentence, not a name
    "喂，您好，是8栋302的孙先生吗？我是物业这边的。",  # a department, no company
    # (callflow train22) a role, a vague department, the job — no name
    "我是贷款机构这边的，关于您的一笔网贷借款",
    "喂我是司机啊你在哪个位置",
    "喂，你好嘛，我是你叫的那个车哈，我到了",
    "喂你好我是那个快递站的你有个件地址写得不全",
    "喂，李女士吗？我们是明天给您搬家的师傅。",
    # (session 19, callflow train24/25) a kind of company or a role, no name
    "我是自来水公司的，通知您一下，明天要停水。",
    "喂我是送外卖的你下来拿一下吧",
    "我是售后上门的师傅，空调那个单子。",
    "嗯对我是物业的你说",
    "喂是明天搬家那个吧我是搬家师傅跟你确认一下地址",
    "您好，我这边是自来水公司的抄表员，您家水表在屋里。",
    "您好我是客服请问有什么可以帮您",
    "喂，我是救援的，你车在哪个位置？",
    "侬好，物业管理处。",
    "好的，我让小王给您回电。",  # a colleague who will act
    # (callflow train26/27) a department, a duty, a centre, a local worker, an apology
    "您好销售部请讲",
    "喂打扰一下我是会员中心的",
    "我这边是负责您那笔分期账务的，您的账单已经逾期五天了。",
    "喂，张姐，我是给您家做水电的那个师傅。",
    "喂，你好，俺是咱这片儿的电工，来收电费嘞。",
    "喂，你好，是李大爷不是？俺这边是营业厅哩，恁那个套餐到期了。",
    "你好 这里是 游戏客服 请问有什么可以帮你",
    "唔好意思啊。你讲下个行程系几点？",
    "您找的张经理不在，我让他回您电话。",
    "在手机屏幕上方的孔处.",
    # (callflow train28/29) a role, a price, the kind of company
    "您好，我是值班护士，您说。",
    "喂是王梓涵妈妈吗我是她班主任",
    "洗牙的话我们这边是一百二十八包括抛光的",
    "您好，是5栋1单元302的业主吗？我是这边物业的，跟您说一下物业费的事。",
    "喂哥你好我这边是那个家装公司的就是看您这个小区刚交房",
    "您好这边有什么可以帮到您",
    "售后保修三年的哦，我们是有相关的售后工作人员审核的",
])
def test_addresses_roles_and_empty_places_are_not_names(flow, line) -> None:
    assert _said(flow, line) is False


def test_with_a_configured_company_only_its_name_counts_in_the_frame(default_lexicon) -> None:
    known = CallFlow(default_lexicon, company=["京东"], timing=False)
    assert _said(known, "您好，中国联通，很高兴为您服务") is False
    assert _said(known, "您好，京东，很高兴为您服务") is True


def test_the_frame_reads_normalised_text_and_keeps_its_limits() -> None:
    frame = NameFrame(greetings=("您好",), offers=("请讲",), name_ends=("中心",),
                      not_in_name=("我",), not_a_name=("客服中心",), min_chars=2, max_chars=6)
    m = NameFrameMatcher(frame, Normalizer())
    assert NameFrameMatcher(frame, Normalizer(), ("顺丰",)).name("您好，顺丰速运，请讲") == "顺丰速运"
    assert NameFrameMatcher(frame, Normalizer(), ("顺丰",)).name("您好，中通快递，请讲") is None
    assert m.name("您好，順豐速運，請講") == "顺丰速运"  # traditional folds, punctuation drops
    assert m.name("您 好 顺丰 请讲") == "顺丰"
    assert m.name("您好，一二三四五六七，请讲") is None  # longer than max_chars
    assert m.name("您好，丰，请讲") is None  # shorter than min_chars
    assert m.name("您好，我是谁，请讲") is None  # not_in_name
    assert m.name("您好，客服中心") is None  # not_a_name, though it ends like a name
    assert m.name("您好，福田服务中心") == "福田服务中心"
    # A particle may follow the name only when the frame lists it; a filler in
    # not_in_name (it folds to nothing) rejects no name.
    with_particle = NameFrame(greetings=("您好",), offers=("请讲",), name_particles=("哈",),
                              not_in_name=("嗯",))
    assert NameFrameMatcher(with_particle, Normalizer(fillers="嗯")).name("您好，顺丰哈，请讲") == "顺丰"
    # Unlisted, the particle is part of the name (the default lexicon keeps 哈 out of names).
    assert m.name("您好，顺丰哈，请讲") == "顺丰哈"


def test_a_name_ending_in_a_trade_needs_a_pause_or_the_customer_after_it() -> None:
    frame = NameFrame(greetings=("您好",), trades=("快递",), trade_then=("你",),
                      leads=("这是",), not_in_name=("我",))
    m = NameFrameMatcher(frame, Normalizer())
    assert m.name("您好，中通快递，家里有人吗") == "中通快递"  # a comma after the name
    assert m.name("中通快递") == "中通快递"  # the whole utterance
    assert m.name("中通快递你的件到了") == "中通快递"  # trade_then
    assert m.name("您好这是中通快递，放门口了") == "中通快递"  # a lead before the name
    assert m.name("中通快递目前暂停揽收") is None  # the company as a sentence's subject
    assert m.name("中通快递/圆通快递都可以") is None  # a slash is no pause
    assert m.name("您好，快递，家里有人吗") is None  # nothing before the trade
    # Without trade_then the recogniser's run-on opening is no name.
    bare = NameFrameMatcher(NameFrame(trades=("快递",)), Normalizer())
    assert bare.name("中通快递你的件到了") is None


def test_an_address_asked_before_the_name_leaves_the_opening_to_come() -> None:
    frame = NameFrame(greetings=("您好", "喂"), trades=("快递", "租车", "银行"),
                      trade_then=("您", "的"), leads=("这里是", "这边是", "我这"),
                      not_in_name=("您", "的", "吗"),
                      addresses=("先生", "女士"), address_asks=("吗", "是吧"))
    m = NameFrameMatcher(frame, Normalizer())
    assert m.name("刘先生吗？神州租车，您预订的车已经准备好了") == "神州租车"
    # The address never swallows a company said before it.
    assert m.name("喂您好这边是平安银行的请问是李女士吗") == "平安银行"
    # What may stand before the address word is the frame's address_chars.
    long_address = "喂，请问是幸福里小区三栋的女士吗？这里是城东快递，您的件到了"
    assert m.name(long_address) == "城东快递"
    short = NameFrameMatcher(replace(frame, address_chars=3), Normalizer())
    assert short.name(long_address) is None
    assert m.name("喂，李女士是吧？您好，我这中通快递，放门口了") == "中通快递"
    assert m.name("刘先生的快递，放门口了") is None  # no ask: not an address
    assert m.name("王女士吗？您的快递到了") is None  # the customer's thing, not a name
    assert m.only_greets("喂，请问是王女士吗？")
    assert not m.only_greets("王女士，您的快递到了")
    # Without the frame's addresses the outbound opening is no name.
    plain = NameFrameMatcher(NameFrame(greetings=("您好",), trades=("租车",), not_in_name=("吗",)),
                             Normalizer())
    assert plain.name("刘先生吗？神州租车，您预订的车已经准备好了") is None


def test_a_bare_address_counts_only_first_of_all() -> None:
    frame = NameFrame(greetings=("您好", "你好啊", "喂", "哎"), trades=("售后", "快递"),
                      trade_then=("的", "您", "你"), leads=("我", "我这"),
                      not_in_name=("您", "你", "我", "姐", "哥"),
                      bare_addresses=("大姐", "哥"))
    m = NameFrameMatcher(frame, Normalizer())
    assert m.name("哎，大姐，我海尔售后的，约一下明儿个给你装热水器。") == "海尔售后"
    assert m.name("喂，大姐你好啊，我美的售后的，明天上午给你装空调哈。") == "美的售后"
    assert m.name("王哥，我这中通快递，放门口了") == "中通快递"  # a surname before it
    # Not inside what the agent says: more than one character before the address.
    assert m.name("跟您说大姐我海尔售后的") is None
    assert m.only_greets("喂，大姐。")
    # Without the frame's bare_addresses the opening is no name.
    plain = NameFrameMatcher(replace(frame, bare_addresses=()), Normalizer())
    assert plain.name("哎，大姐，我海尔售后的，约一下明儿个给你装热水器。") is None


def test_a_greeting_may_stand_between_the_name_and_the_offer() -> None:
    frame = NameFrame(greetings=("您好",), offers=("请问有什么可以帮",), not_in_name=("您",))
    m = NameFrameMatcher(frame, Normalizer())
    assert m.name("途虎养车您好请问有什么可以帮您") == "途虎养车"
    assert m.name("您好途虎养车请问有什么可以帮您") == "途虎养车"
    assert m.name("您好您好请问有什么可以帮您") is None  # greetings only, no name


def test_a_trade_name_counts_only_where_the_agent_opens(default_lexicon) -> None:
    flow = CallFlow(default_lexicon, timing=False)

    def said(*agent_lines: str) -> bool | None:
        conv = []
        for line in agent_lines:
            conv += [Utterance(line, Role.AGENT), Utterance("嗯", Role.CUSTOMER)]
        return flow.check(conv).checklist["self-introduction"]

    # After greetings alone the opening is still to come (喂，您好。 → 这里是长城宽带).
    assert said("喂，您好。", "您好，这里是长城宽带，您别着急，请问您的宽带账号是多少？") is True
    # After a real first message the same words answer a question (chat).
    assert said("亲，请问有什么可以帮您？", "中通快递，单号在订单详情里") is False
    assert said("中通快递，你的件到楼下了，家里有人吗？") is True


def test_only_greets_reads_greetings_and_nothing_else() -> None:
    frame = NameFrame(greetings=("喂", "您好"), offers=("请讲",))
    m = NameFrameMatcher(frame, Normalizer())
    assert m.only_greets("喂，您好。")
    assert not m.only_greets("您好，请讲")
    assert not NameFrameMatcher(NameFrame(offers=("请讲",)), Normalizer()).only_greets("喂")


def test_a_bare_name_said_first_counts_only_with_a_greeting_listed_after_it() -> None:
    frame = NameFrame(greetings=("喂",), offers=("请讲",), bare_name_chars=4,
                      greetings_after_name=("您好",), not_in_name=("女士",))
    m = NameFrameMatcher(frame, Normalizer())
    assert m.name("悠然瑜伽，您好。") == "悠然瑜伽"
    assert m.name("悠然瑜伽") is None  # alone: any short reply (好的收到) would count
    assert m.name("李秀英女士，您好。") is None  # an address, not a name
    assert m.name("悠然，您好。") is None  # shorter than bare_name_chars
    assert m.name("悠然瑜伽，这边是前台，您好。") is None  # two phrases
    without = NameFrame(greetings=("喂",), offers=("请讲",), bare_name_chars=4)
    assert NameFrameMatcher(without, Normalizer()).name("悠然瑜伽，您好。") is None


def test_a_bare_name_after_a_greeting_may_have_a_greeting_after_it_too() -> None:
    # (session 34, callflow train120: Cantonese 喂，金满楼，你好。 — the shop's name between two greetings)
    frame = NameFrame(greetings=("喂", "你好"), offers=("请讲",), bare_name_chars=3,
                      greetings_after_name=("你好",), not_in_name=("先生",))
    m = NameFrameMatcher(frame, Normalizer())
    assert m.name("喂，金满楼，你好。") == "金满楼"
    assert m.name("喂，金满楼你好") == "金满楼"
    assert m.name("喂，王先生，你好。") is None  # an address, not a name
    assert m.name("喂，你好。") is None  # greetings only
    plain = NameFrame(greetings=("喂", "你好"), offers=("请讲",), bare_name_chars=3)
    assert NameFrameMatcher(plain, Normalizer()).name("喂，金满楼，你好。") is None


def test_a_short_bare_name_needs_a_greeting_and_no_desk_ending() -> None:
    # (session 31, callflow train97: 喂 海底捞, 你好，e代驾 count; 您好报关部, 喂，物流园 and 喂，乜嘢事？ do not)
    frame = NameFrame(greetings=("喂", "您好", "你好"), offers=("请讲",), bare_name_chars=3,
                      greetings_after_name=("您好",), short_bare_name_chars=4,
                      not_in_short_bare_name=("部", "园", "事"))
    m = NameFrameMatcher(frame, Normalizer())
    assert m.name("喂 海底捞") == "海底捞"
    assert m.name("你好，e代驾。") == "e代驾"
    assert m.name("您好报关部") is None
    assert m.name("喂，物流园。") is None
    assert m.name("喂，乜嘢事？") is None
    assert m.name("海底捞，您好。") is None  # a short name said first: any short reply would count
    assert m.name("喂，福满楼宴会部") == "福满楼宴会部"  # long enough: the short test does not apply
    longer = NameFrame(greetings=("喂",), offers=("请讲",), bare_name_chars=3)
    assert NameFrameMatcher(longer, Normalizer()).name("喂，物流园。") == "物流园"


def test_names_may_end_let_a_barred_part_stand_inside_a_name() -> None:
    frame = NameFrame(greetings=("您好", "喂"), offers=("请问有什么可以帮您",),
                      not_in_name=("有",), not_in_bare_name=("在",), not_a_name=("有线", "电视"),
                      bare_name_chars=3)
    plain = NameFrameMatcher(frame, Normalizer())
    assert plain.name("你好，这里是歌华有线，请问有什么可以帮您？") is None  # 有 is barred
    assert plain.name("喂泰和在线") is None  # 在 is barred in a bare name
    words = NameFrameMatcher(replace(frame, names_may_end=("有线", "在线"), leads=("这里是",)),
                             Normalizer())
    assert words.name("您好，这里是歌华有线，请问有什么可以帮您？") == "歌华有线"
    assert words.name("喂泰和在线") == "泰和在线"
    assert words.name("您好有线电视请问有什么可以帮您") is None  # a kind alone still names no one
    assert words.name("您好，没有线索，请问有什么可以帮您") is None  # 有 outside the word still bars


def test_the_default_counts_names_that_hold_you_or_zai(flow) -> None:
    assert _said(flow, "你好，这里是歌华有线，请问有什么可以帮您？") is True
    assert _said(flow, "您好 泰康在线") is True
    assert _said(flow, "喂您好有线电视请问有什么可以帮您") is False


def test_bilingual_desks_greet_and_introduce_in_english(flow) -> None:
    hotel = opening_checklist(flow, "Good afternoon，云璟酒店礼宾部。")
    assert hotel["greeting"] is True and hotel["self-introduction"] is True
    airline = opening_checklist(flow, "Hello，你好，Merlion Airways，this is Rachel speaking。")
    assert airline["self-introduction"] is True
    assert opening_checklist(flow, "喂，我是想问一下")["self-introduction"] is False


@pytest.mark.parametrize("line", [
    "我是拉货的你那个货在哪装啊", "您好，我是积分兑换中心的，您的积分今天就要清零了。",
    "您好，我是墓园的，清明节前有优惠活动。", "喂我是统计局的请问是好再来餐馆吗",
    "您好，车管所业务咨询。", "喂您好我是环保的", "大爷我是抄水表的您家今天有人吗",
])
def test_outbound_callers_naming_only_a_kind_of_office_or_trade_do_not_introduce(flow, line) -> None:
    assert _said(flow, line) is False


@pytest.mark.parametrize("line", [
    "您好 这里是猿辅导 刚才给您打过电话 没接通", "国家电网，您请讲。",
    "您好，我是城关社区卫生服务中心犬伤门诊的护士小许。", "你好，我是阿强，修车的。",
    "你好，呢度係天河区人民法院，请问係咪黄小姐？", "您好，我们是民生银行信用卡中心，请问有什么可以帮您？",
])
def test_returned_calls_roles_with_a_name_and_named_offices_introduce(flow, line) -> None:
    assert _said(flow, line) is True
