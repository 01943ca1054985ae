"""The demo's deputies' home and liaison stations: one 代表之家 in the organ, one 代表联络站 per
street, their reception schedule over 2026 (held receptions with attendance, a few ahead of the
day the demo is looked at) and about thirty voters' opinions in every state, all entered through
the real actions as of the day each move happened.

Looked at on `today` (a week after LAST_DAY) it shows receptions ahead on the public schedule,
opinions waiting to be forwarded, drafts waiting for their deputies, answers waiting to be
reported back, and one opinion overdue at its unit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils import timezone

from renda.core import clock
from renda.core.models import Role, Street, Unit, User
from renda.demo.suggestions import LAST_DAY
from renda.deputies import actions_activities as activities
from renda.deputies import actions_stations as actions
from renda.deputies.actions_stations import OpinionFields, StationFields
from renda.deputies.models import (
    Activity,
    ActivityStatus,
    Deputy,
    Invitation,
    Level,
    Station,
    VoterOpinion,
)
from renda.suggestions import actions as suggestion_actions
from renda.suggestions.models import Category

YEAR = 2026
OFFICE_ACCOUNT, STREET_ACCOUNT, DEPUTY_ACCOUNT = "daibiaoshi", "jiedao", "daibiao"
HOME = "泉城区人大代表之家"
HOME_ADDRESS = "泉城区政务服务中心三楼（黑虎泉北路 120 号）"
# Street stations receive every other month, the home every month.
STATION_MONTHS = (1, 3, 5, 7, 9, 11)
HOME_MONTHS = tuple(range(1, 12))
MORNING, NOON = time(9, 0), time(11, 30)


def _d(month: int, day: int, year: int = YEAR) -> date:
    return date(year, month, day)


def _weekday_from(day: date, weekday: int) -> date:
    """The first `weekday` (0 Monday) on or after `day`."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _station_day(month: int, index: int) -> date:
    """A street's reception day: the first Wednesday or Thursday of the month, after the
    New Year and Spring Festival holidays, spread so two streets rarely share a day."""
    start = _d(month, 8 if month in (1, 2, 5, 10) else 1) + timedelta(days=7 * (index % 3))
    return _weekday_from(start, 2 + index % 2)


def _reception_day(key: str, month: int, index: int) -> date:
    if key == HOME:
        return _weekday_from(_d(month, 8), 1)  # the second Tuesday
    return _station_day(month, index)


@dataclass(frozen=True)
class Voter:
    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class OpinionSpec:
    """One voter's opinion and how far it went: "received", "to_suggestion", "to_unit",
    "answered" (on the spot, after a suggestion or a unit) or "reported"."""

    station: str  # street name, or HOME
    month: int  # the reception it was given at
    voter: Voter
    subject: str
    content: str
    path: str  # "spot", "suggestion", "unit", "none"
    end: str  # the state it is left in
    unit: str = ""
    result: str = ""
    feedback: tuple[str, str] = ("", "")
    overdue: bool = False


def _v(name: str, phone: str, address: str) -> Voter:
    return Voter(name, phone, address)


ZHUJIAN, CHENGGUAN = "区住房和城乡建设局", "区城市管理局"
GONGAN, SHICHANG = "公安泉城分局", "区市场监督管理局"
YUANLIN, WEIJIAN, MINZHENG = "区园林和林业绿化局", "区卫生健康委员会", "区民政局"
QLR, DMH, BTQ, QFS, WHD = "泉城路街道", "大明湖街道", "趵突泉街道", "千佛山街道", "文化东路街道"

OPINIONS: tuple[OpinionSpec, ...] = (
    OpinionSpec(
        QLR,
        1,
        _v("王秀英", "13605319021", "芙蓉街 32 号院 2 号楼"),
        "老旧小区加装电梯",
        "我们楼建于上世纪八十年代，六层没有电梯，住了二十多位七十岁以上的老人，下楼看病买菜都"
        "很难。去年居民已经自发征求了意见，九成以上同意，就是不知道找谁牵头、补贴怎么申请。",
        "unit",
        "reported",
        ZHUJIAN,
        "已将芙蓉街 32 号院 2 号楼纳入 2026 年既有住宅加装电梯计划，区住建局指导居民成立加装"
        "电梯议事小组，按每部 20 万元标准申请财政补贴，6 月已开工，预计 9 月投入使用。",
        ("电话", "电话告知王秀英办理结果，并邀请她参加加装电梯议事小组，表示满意。"),
    ),
    OpinionSpec(
        QLR,
        1,
        _v("李建国", "13953118807", "曲水亭街 9 号"),
        "背街小巷路灯不亮",
        "曲水亭街北段到百花洲一段有四盏路灯坏了快两个月，晚上黑灯瞎火，老人孩子出门不安全，"
        "游客也多，希望尽快修好。",
        "unit",
        "reported",
        CHENGGUAN,
        "区城管局路灯所已于 1 月 20 日更换损坏灯具 4 盏，并对该片区路灯线路进行了全面检修。",
        ("当面", "在联络站当面反馈，李建国表示路灯已亮，感谢代表。"),
    ),
    OpinionSpec(
        QLR,
        3,
        _v("张桂兰", "13806412235", "西更道街 15 号"),
        "菜市场周边占道经营",
        "芙蓉街菜市场门口早上七点到九点摊贩把菜摊摆到路中间，电动车、行人挤在一起，"
        "经常发生剐蹭，希望规范一下经营秩序。",
        "spot",
        "reported",
        "",
        "街道综合执法中队当场答复：已在市场东侧划定临时疏导点，早高峰安排专人值守，"
        "占道摊位一周内全部入市经营。",
        ("电话", "两周后回访，张桂兰反映早高峰秩序明显好转。"),
    ),
    OpinionSpec(
        QLR,
        3,
        _v("刘明", "15106981176", "泉城路 188 号"),
        "学校门口接送拥堵",
        "省府前街小学放学时家长车辆沿街停放，公交车过不去，孩子从车缝里穿行很危险，"
        "建议设置临时停车接送区，错峰放学。",
        "unit",
        "answered",
        GONGAN,
        "公安泉城分局交警大队已在学校东侧设置限时停车接送区 30 个车位，放学时段安排警力疏导；"
        "区教体局已协调学校分年级错峰 10 分钟放学。",
    ),
    OpinionSpec(
        QLR,
        5,
        _v("赵淑芬", "13064018822", "王府池子街 6 号"),
        "老年助餐点",
        "社区老年人多，子女大多不在身边，希望在附近开一个老年助餐点，价格实惠一点，"
        "腿脚不便的能送餐上门。",
        "suggestion",
        "reported",
        "",
        "代表已将该意见形成建议提交，区民政局答复：2026 年在泉城路街道新建老年助餐点 2 处，"
        "芙蓉社区助餐点已于 8 月运营，80 岁以上老人每餐补贴 3 元。",
        ("当面", "在芙蓉社区助餐点开业时当面告知赵淑芬，她已办理助餐卡。"),
    ),
    OpinionSpec(
        QLR,
        5,
        _v("孙立平", "13969120454", "县西巷 21 号"),
        "雨污管网改造",
        "县西巷一下大雨就积水，污水井冒水，味道很大。希望把这片的雨污管网彻底改造一下。",
        "suggestion",
        "answered",
        "",
        "代表提出的建议已交办区住建局，答复已将县西巷雨污分流改造列入明年城市更新项目，"
        "今年汛期前已先行疏通管道、加装止回阀。",
    ),
    OpinionSpec(
        QLR,
        7,
        _v("周玉梅", "18653128861", "芙蓉街 57 号"),
        "古城区消防通道被占",
        "芙蓉街两侧商户把货物、桌椅堆在巷子里，消防车根本进不来，一旦着火后果不堪设想。",
        "unit",
        "reported",
        CHENGGUAN,
        "区城管局会同消防救援大队开展专项整治，清理占道堆物 46 处，设置消防通道标识 12 处，"
        "纳入日常巡查。",
        ("短信", "已短信告知周玉梅整治情况。"),
    ),
    OpinionSpec(
        QLR,
        11,
        _v("吴国强", "13356677123", "泉城路 96 号"),
        "社区卫生服务站夜间门诊",
        "附近社区卫生服务站下午五点就关门，晚上孩子发烧只能去大医院排队，"
        "希望能开设夜间门诊或者延长服务时间。",
        "unit",
        "to_unit",
        WEIJIAN,
    ),
    OpinionSpec(
        QLR,
        9,
        _v("郑红", "13181728840", "西更道街 3 号"),
        "停车位不足",
        "老城区停车太难，晚上回家转三圈也找不到车位，只能停在消防通道上。周边单位的停车场"
        "晚上空着，能不能错时开放给居民？",
        "suggestion",
        "to_suggestion",
        "",
    ),
    OpinionSpec(
        QLR,
        9,
        _v("马振华", "15662489903", "曲水亭街 28 号"),
        "河道保洁",
        "曲水亭街一段河道里经常有塑料袋、饮料瓶，游客多了以后更明显，希望增加保洁频次。",
        "unit",
        "to_unit",
        CHENGGUAN,
        overdue=True,
    ),
    OpinionSpec(
        QLR,
        11,
        _v("黄丽", "13791082246", "芙蓉街 12 号院"),
        "楼道堆物和电动车充电",
        "楼道里堆满杂物，还有人从楼上拉电线给电动车充电，冬天到了很担心出事。",
        "none",
        "received",
    ),
    OpinionSpec(
        QLR,
        11,
        _v("陈志刚", "18006418870", "泉城路 210 号"),
        "公交站台遮雨棚",
        "泉城路芙蓉街站没有遮雨棚，老人等车下雨天只能淋着，希望增设候车亭。",
        "none",
        "received",
    ),
    OpinionSpec(
        DMH,
        1,
        _v("杨春燕", "13573113391", "大明湖路 77 号"),
        "湖区周边噪音扰民",
        "晚上大明湖东门广场舞音响开得很大，十点以后还有，影响居民休息。",
        "spot",
        "reported",
        "",
        "街道当场答复：已与广场舞团队协商，音量控制在 60 分贝以内，晚上九点半前结束。",
        ("电话", "回访时杨春燕表示晚上已安静。"),
    ),
    OpinionSpec(
        DMH,
        3,
        _v("朱文斌", "13325116640", "明湖东路 18 号"),
        "无障碍设施",
        "明湖东路人行道盲道被共享单车占了，还有几处台阶没有坡道，轮椅过不去。",
        "unit",
        "reported",
        CHENGGUAN,
        "区城管局已规范共享单车停放点 8 处，清理盲道占用；区住建局对 5 处台阶加设坡道。",
        ("电话", "已电话告知朱文斌，他表示将继续监督。"),
    ),
    OpinionSpec(
        DMH,
        5,
        _v("胡秀珍", "13953166102", "百花洲 4 号"),
        "老年大学报名难",
        "老年大学书法班、合唱班每年一开放报名就抢光了，能不能多开几个教学点？",
        "suggestion",
        "to_suggestion",
        "",
    ),
    OpinionSpec(
        DMH,
        7,
        _v("林海", "15863180947", "大明湖路 156 号"),
        "小区物业管理",
        "小区物业服务差，收费却年年涨，业委会成立不起来，希望街道帮助指导成立业委会。",
        "spot",
        "answered",
        "",
        "街道当场答复：社区将于 8 月牵头召开业主大会筹备组会议，指导依法成立业主委员会。",
    ),
    OpinionSpec(
        DMH,
        11,
        _v("何玉兰", "13210563382", "明湖西路 9 号"),
        "社区养老服务",
        "独居老人多，希望社区提供定期上门探访和紧急呼叫服务。",
        "unit",
        "to_unit",
        MINZHENG,
    ),
    OpinionSpec(
        BTQ,
        3,
        _v("高建华", "13406419985", "趵突泉北路 40 号"),
        "景区周边交通拥堵",
        "节假日趵突泉南门一带旅游大巴乱停，居民出行非常困难。",
        "unit",
        "reported",
        GONGAN,
        "交警部门已在景区周边设置旅游大巴临时停靠点，节假日实行单向通行并增派警力。",
        ("书面", "已书面回复高建华。"),
    ),
    OpinionSpec(
        BTQ,
        5,
        _v("罗敏", "18765312208", "剪子巷 11 号"),
        "食品安全",
        "剪子巷一带小餐馆后厨卫生差，有的没有营业执照，希望加强检查。",
        "unit",
        "answered",
        SHICHANG,
        "区市场监管局开展专项检查，检查餐饮单位 37 家，责令整改 9 家，查处无证经营 2 家。",
    ),
    OpinionSpec(
        BTQ,
        11,
        _v("宋立新", "13869107735", "趵突泉北路 8 号"),
        "老旧管道漏水",
        "楼里供水管道老化，经常漏水，一楼住户家墙面都泡坏了。",
        "unit",
        "to_unit",
        ZHUJIAN,
    ),
    OpinionSpec(
        QFS,
        3,
        _v("梁红梅", "13188920151", "千佛山路 22 号"),
        "山体步道安全",
        "千佛山东侧步道有几处护栏松动，台阶破损，早上爬山的人很多，怕出危险。",
        "unit",
        "reported",
        YUANLIN,
        "区园林局已更换松动护栏 120 米，修复破损台阶 36 级，并设置安全提示牌。",
        ("电话", "电话告知梁红梅，她表示已去看过，很满意。"),
    ),
    OpinionSpec(
        QFS,
        7,
        _v("谢国平", "15053171168", "历山路 66 号"),
        "垃圾分类投放点",
        "小区垃圾分类投放点离得太远，而且只在早晚开放，上班族很不方便。",
        "spot",
        "reported",
        "",
        "街道当场答复：将增设 2 处投放点并延长开放时间至晚上九点。",
        ("当面", "在下次接待日当面告知谢国平，投放点已调整。"),
    ),
    OpinionSpec(
        QFS,
        11,
        _v("韩雪", "13345108826", "千佛山路 5 号"),
        "托育服务",
        "年轻父母上班忙，附近没有普惠托育机构，希望社区能办托育点。",
        "none",
        "received",
    ),
    OpinionSpec(
        WHD,
        5,
        _v("唐永刚", "13605402218", "文化东路 51 号"),
        "道路修缮",
        "文化东路辅路坑洼不平，下雨积水，骑车很危险。",
        "unit",
        "reported",
        CHENGGUAN,
        "区城管局已对文化东路辅路 800 米路面进行修补，并疏通雨水口 14 处。",
        ("电话", "已电话告知唐永刚。"),
    ),
    OpinionSpec(
        WHD,
        11,
        _v("冯丽娟", "13853150043", "山师东路 17 号"),
        "学校周边小饭桌",
        "学校周边小饭桌很多，卫生和消防条件参差不齐，家长不放心。",
        "unit",
        "to_unit",
        SHICHANG,
    ),
    OpinionSpec(
        HOME,
        2,
        _v("曹振东", "13905310675", "泉城区燕子山路 3 号"),
        "城市更新征求意见",
        "城市更新项目涉及我们片区，但居民不知道具体方案，希望提前公开、充分听取居民意见。",
        "suggestion",
        "reported",
        "",
        "代表已提出建议，区住建局答复：城市更新方案将在社区公示 30 天，并召开居民听证会。",
        ("书面", "已书面告知曹振东，并邀请其参加听证会。"),
    ),
    OpinionSpec(
        HOME,
        4,
        _v("邓小梅", "13573180096", "泉城区经十路 118 号"),
        "就业技能培训",
        "失业后想学一门技术，但培训班信息不好找，报名门槛也高。",
        "spot",
        "reported",
        "",
        "区人社局在接待现场答复：每月在政务服务中心发布免费职业技能培训目录，可直接报名。",
        ("短信", "已把 6 月培训目录短信发给邓小梅。"),
    ),
    OpinionSpec(
        HOME,
        6,
        _v("彭建军", "18660112257", "泉城区解放路 40 号"),
        "退役军人服务",
        "退役军人服务站工作人员少，办事要跑好几趟，希望提高服务效率。",
        "suggestion",
        "to_suggestion",
        "",
    ),
    OpinionSpec(
        HOME,
        10,
        _v("蒋慧", "13589007712", "泉城区甸柳新村 2 区"),
        "社区医院药品不全",
        "社区医院常用的慢性病药经常缺货，还得跑大医院开药，希望配齐。",
        "none",
        "received",
    ),
)


class _Demo:
    """Who acts, and the stations and receptions built so far."""

    def __init__(self, accounts: dict[str, User], today: date) -> None:
        self.accounts = accounts
        self.today = today
        self.office = accounts[OFFICE_ACCOUNT]
        self.street_user = accounts[STREET_ACCOUNT]
        self.street_ids = self.street_user.roles.street_ids
        self.stations: dict[str, Station] = {}  # street name or HOME -> station
        self.held: dict[tuple[str, int], Activity] = {}  # (station key, month) -> reception

    def keeper(self, station: Station) -> User:
        """The street's own committee where it has a log-in, else the deputy-affairs office."""
        if station.street_id in self.street_ids:
            return self.street_user
        return self.office

    def deputies(self, key: str) -> list[Deputy]:
        """Who may receive there; on 泉城路 the demo deputy comes first, so that her log-in
        shows receptions, check-ins and opinions of her own."""
        rows = Deputy.objects.select_related("user")
        if key == HOME:
            rows = rows.with_active_mandate(level__in=[Level.DISTRICT, Level.MUNICIPAL])
        else:
            rows = rows.with_active_mandate(level=Level.DISTRICT, street__name=key)
        deputies = list(rows.in_stroke_order())
        own = getattr(self.accounts.get(DEPUTY_ACCOUNT), "deputy", None)
        if own in deputies:
            deputies.remove(own)
            deputies.insert(0, own)
        return deputies

    def receiving(self, key: str, turn: int, count: int) -> list[Deputy]:
        deputies = self.deputies(key)
        chosen = _receiving(deputies, turn, count)
        if key == QLR and turn % 3 == 0 and deputies[0] not in chosen:
            chosen = [deputies[0], *chosen[1:]]  # the demo deputy every third time
        return chosen


def _build_stations(demo: _Demo, streets: list[Street]) -> None:
    with clock.as_of(_d(1, 5)):
        demo.stations[HOME] = actions.add_station(
            acting_user=demo.office,
            values=StationFields(
                kind=Station.Kind.HOME,
                name=HOME,
                address=HOME_ADDRESS,
                phone="0531-86123400",
                opening_hours="每月第二个周二上午 9:00—11:30，市、区人大代表轮流接待",
            ),
        )
        for index, street in enumerate(streets):
            station = Station(street=street)
            demo.stations[street.name] = actions.add_station(
                acting_user=demo.keeper(station),
                values=StationFields(
                    kind=Station.Kind.STATION,
                    name=f"{street.name}人大代表联络站",
                    street=street,
                    address=f"{street.name}党群服务中心二楼代表接待室",
                    phone=f"0531-8601{index + 10:02d}00",
                    opening_hours="单月第一个周三或周四上午 9:00—11:30",
                ),
            )


def _receiving(deputies: list[Deputy], turn: int, count: int) -> list[Deputy]:
    if not deputies:
        return []
    start = (turn * count) % len(deputies)
    chosen = [deputies[(start + i) % len(deputies)] for i in range(min(count, len(deputies)))]
    return list(dict.fromkeys(chosen))


def _hold(demo: _Demo, station: Station, day: date, deputies: list[Deputy], turn: int):
    """Schedule a week ahead, then on the day everyone checks in but, now and then, one who
    does not come; held, and closed a week later."""
    keeper = demo.keeper(station)
    with clock.as_of(day - timedelta(days=7)):
        activity = actions.schedule_reception(
            acting_user=keeper,
            station=station,
            date=day,
            starts_at=MORNING,
            ends_at=NOON,
            deputies=deputies,
        )
    absent = deputies[-1].pk if turn % 4 == 3 and len(deputies) > 1 else None
    with clock.as_of(day):
        for invitation in activity.invitations.select_related("deputy__user"):
            if invitation.deputy_id == absent:
                continue
            user = invitation.deputy.user
            if user is not None and user.roles.has(Role.DEPUTY):
                activities.check_in(acting_user=user, activity=activity, code=activity.checkin_code)
            else:
                activities.record_attendance(acting_user=keeper, invitation=invitation)
        activities.mark_held(acting_user=keeper, activity=activity)
    closing = day + timedelta(days=7)
    if closing <= LAST_DAY:
        with clock.as_of(closing):
            activities.close_activity(acting_user=keeper, activity=activity)
    return activity


def _schedule_year(demo: _Demo) -> None:
    for index, (key, station) in enumerate(demo.stations.items()):
        if not demo.deputies(key):
            continue
        months = HOME_MONTHS if key == HOME else STATION_MONTHS
        for turn, month in enumerate(months):
            day = _reception_day(key, month, index)
            if day > LAST_DAY:
                continue
            receiving = demo.receiving(key, turn, 3 if key == HOME else 2)
            demo.held[(key, month)] = _hold(demo, station, day, receiving, turn)


def _schedule_ahead(demo: _Demo) -> int:
    """Receptions ahead of the day the demo is looked at: the home and four streets."""
    count = 0
    for offset, key in enumerate([HOME, QLR, DMH, BTQ, QFS]):
        station = demo.stations.get(key)
        if station is None or not demo.deputies(key):
            continue
        day = _weekday_from(demo.today + timedelta(days=5 + 4 * offset), 2 + offset % 2)
        with clock.as_of(LAST_DAY):
            actions.schedule_reception(
                acting_user=demo.keeper(station),
                station=station,
                date=day,
                starts_at=MORNING if offset % 2 == 0 else time(14, 30),
                ends_at=NOON if offset % 2 == 0 else time(17, 0),
                deputies=demo.receiving(key, 9 * offset, 3 if key == HOME else 2),
                topic="年终集中接待" if key == HOME else "",
            )
        count += 1
    return count


def _reception_of(demo: _Demo, spec: OpinionSpec) -> Activity | None:
    exact = demo.held.get((spec.station, spec.month))
    if exact is not None:
        return exact
    earlier = [
        a for (key, month), a in demo.held.items() if key == spec.station and month <= spec.month
    ]
    return earlier[-1] if earlier else None


def _unit_user(unit: Unit) -> User | None:
    return (
        User.objects.filter(is_active=True, memberships__role=Role.UNIT, memberships__unit=unit)
        .order_by("id")
        .first()
    )


def _opinion(demo: _Demo, spec: OpinionSpec, units: dict[str, Unit]) -> None:
    reception = _reception_of(demo, spec)
    if reception is None:
        return
    station = demo.stations[spec.station]
    keeper = demo.keeper(station)
    day = reception.date
    receiver = reception.invitations.filter(attendance=Invitation.Attendance.ATTENDED).first()
    deputy = receiver.deputy if receiver else None
    with clock.as_of(day):
        opinion = actions.record_opinion(
            acting_user=keeper,
            station=station,
            values=OpinionFields(
                voter_name=spec.voter.name,
                voter_phone=spec.voter.phone,
                voter_address=spec.voter.address,
                subject=spec.subject,
                content=spec.content,
                reception=reception,
                received_by=deputy,
            ),
        )
    if spec.end == "received":
        return
    if spec.path == "spot":
        _answer(keeper, opinion, day, spec)
    elif spec.path == "suggestion":
        _via_suggestion(demo, opinion, day, spec)
    elif spec.path == "unit":
        _via_unit(keeper, opinion, day, spec, units)
    if spec.end == "reported":
        method, note = spec.feedback
        with clock.as_of(_later(opinion, 10)):
            actions.report_back(acting_user=keeper, opinion=opinion, method=method, note=note)


def _later(opinion: VoterOpinion, days: int) -> date:
    """`days` after the opinion's last move (its answer), but not after LAST_DAY."""
    opinion.refresh_from_db()
    moved = opinion.answered_at or opinion.forwarded_at
    last = timezone.localdate(moved) if moved else opinion.received_on
    return min(last + timedelta(days=days), LAST_DAY)


def _answer(user: User, opinion: VoterOpinion, day: date, spec: OpinionSpec) -> None:
    with clock.as_of(day):
        actions.answer_opinion(acting_user=user, opinion=opinion, result=spec.result)


def _via_suggestion(demo: _Demo, opinion: VoterOpinion, day: date, spec: OpinionSpec) -> None:
    category = Category.objects.filter(is_active=True, name="城乡建设").first() or (
        Category.objects.filter(is_active=True).first()
    )
    with clock.as_of(min(day + timedelta(days=3), LAST_DAY)):
        actions.forward_as_suggestion(acting_user=demo.office, opinion=opinion, category=category)
    if spec.end == "to_suggestion":
        return
    # The office entered the draft, so it may submit it once the deputy agreed (by phone).
    opinion.refresh_from_db()
    with clock.as_of(min(day + timedelta(days=10), LAST_DAY)):
        suggestion_actions.submit(acting_user=demo.office, suggestion=opinion.suggestion)
    with clock.as_of(min(day + timedelta(days=75), LAST_DAY)):
        actions.answer_opinion(acting_user=demo.office, opinion=opinion, result=spec.result)


def _via_unit(keeper: User, opinion: VoterOpinion, day: date, spec: OpinionSpec, units) -> None:
    unit = units[spec.unit]
    forwarded = min(day + timedelta(days=2), LAST_DAY)
    due = forwarded + timedelta(days=21)
    if spec.overdue:  # forwarded in October, due before the demo is looked at
        forwarded, due = _d(10, 20), _d(11, 10)
    with clock.as_of(forwarded):
        actions.forward_to_unit(
            acting_user=keeper,
            opinion=opinion,
            unit=unit,
            due_on=due,
            note="请与联络站对接，现场核实后书面答复。",
        )
    if spec.end == "to_unit":
        return
    user = _unit_user(unit)
    if user is None:
        return
    with clock.as_of(min(due - timedelta(days=4), LAST_DAY)):
        actions.answer_opinion(acting_user=user, opinion=opinion, result=spec.result)


def save_stations(*, accounts: dict[str, User], today: date) -> dict[str, int]:
    """Build the stations, their year of receptions and the voters' opinions; returns counts
    for the demo's summary. `today` is the day the demo is looked at (after LAST_DAY)."""
    if today <= LAST_DAY:
        raise ValueError(f"the demo is looked at after {LAST_DAY}, not on {today}")
    demo = _Demo(accounts, today)
    streets = list(Street.objects.active().order_by("sort_order", "id"))
    _build_stations(demo, streets)
    _schedule_year(demo)
    ahead = _schedule_ahead(demo)
    units = {u.name: u for u in Unit.objects.all()}
    for spec in OPINIONS:
        _opinion(demo, spec, units)
    states = Counter(VoterOpinion.objects.values_list("status", flat=True))
    return {
        "stations": Station.objects.count(),
        "receptions": sum(1 for _ in demo.held),
        "receptions_ahead": ahead,
        "held": Activity.objects.filter(
            station__isnull=False, status__in=[ActivityStatus.HELD, ActivityStatus.CLOSED]
        ).count(),
        "opinions": sum(states.values()),
        **{f"opinions_{status}": count for status, count in sorted(states.items())},
    }
