"""The demo district's 421 deputies of all levels, their mandates and the street groups.

`plan_deputies` is a pure function of its random generator: it returns frozen dataclasses, so
tests can compare two plans, and `build_deputies` only saves what was planned."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from renda.core.idcard import make_id_number
from renda.core.models import Street
from renda.demo.accounts import DEMO_ACCOUNTS, RESERVED_NAMES
from renda.demo.organisation import STREETS, UNITS
from renda.deputies.models import (
    Deputy,
    Gender,
    Group,
    Level,
    Mandate,
    OccupationCategory,
    Party,
)
from renda.deputies.names import pinyin_key, stroke_key

TOTAL_DEPUTIES = 421  # the figure the organ's own work conference gives
REFERENCE_DATE = date(2026, 11, 1)  # the demo's "today" for ages: never the real clock

# Terms and when their mandates began (the first session of each congress).
DISTRICT_TERM, DISTRICT_TERM_START = 18, date(2022, 1, 5)
MUNICIPAL_TERM, MUNICIPAL_TERM_START = 18, date(2022, 1, 18)
PROVINCIAL_TERM, PROVINCIAL_TERM_START = 14, date(2023, 1, 12)
NATIONAL_TERM, NATIONAL_TERM_START = 14, date(2023, 1, 17)

TERMS = {
    Level.DISTRICT: (DISTRICT_TERM, DISTRICT_TERM_START),
    Level.MUNICIPAL: (MUNICIPAL_TERM, MUNICIPAL_TERM_START),
    Level.PROVINCIAL: (PROVINCIAL_TERM, PROVINCIAL_TERM_START),
    Level.NATIONAL: (NATIONAL_TERM, NATIONAL_TERM_START),
}

# Who holds which seats. Counts of current mandates: national 3, provincial 12, municipal 45,
# district 388; 2 provincial deputies are also municipal, 25 municipal deputies also district.
PROFILES: tuple[tuple[str, int], ...] = (
    ("national", 3),
    ("provincial", 10),
    ("provincial_municipal", 2),
    ("municipal_left_district", 2),  # left the district seat (moved, resigned), still municipal
    ("municipal", 16),
    ("municipal_district", 25),
    ("district_left_municipal", 1),  # resigned the municipal seat, still a district deputy
    ("district_by_election", 2),  # elected to the seats the two above left
    ("district", 360),
)

# How the three ended mandates ended, in the order of the profiles that hold them.
DISTRICT_SEATS_LEFT = (
    (date(2023, 9, 15), Mandate.EndReason.MOVED, date(2023, 12, 26)),
    (date(2025, 3, 20), Mandate.EndReason.RESIGNED, date(2025, 6, 18)),
)  # (ended_on, reason, the by-election that filled the seat)
MUNICIPAL_SEAT_LEFT = (date(2024, 11, 20), Mandate.EndReason.RESIGNED)

# District seats per street (sums to the 388 current district mandates).
DISTRICT_SEATS_PER_STREET = (34, 30, 31, 33, 35, 32, 36, 30, 33, 31, 29, 34)

OCCUPATION_QUOTAS = {
    OccupationCategory.OFFICIAL: 126,
    OccupationCategory.BUSINESS: 76,
    OccupationCategory.PROFESSIONAL: 93,
    OccupationCategory.WORKER: 42,
    OccupationCategory.FARMER: 17,
    OccupationCategory.COMMUNITY: 34,
    OccupationCategory.MILITARY: 2,
    OccupationCategory.OTHER: 31,
}
ETHNICITY_QUOTAS = {"回族": 16, "满族": 5, "蒙古族": 3, "朝鲜族": 1}  # the rest 汉族
FEMALE_SHARE = {
    OccupationCategory.OFFICIAL: 0.22,
    OccupationCategory.BUSINESS: 0.20,
    OccupationCategory.PROFESSIONAL: 0.42,
    OccupationCategory.WORKER: 0.30,
    OccupationCategory.FARMER: 0.30,
    OccupationCategory.COMMUNITY: 0.60,
    OccupationCategory.MILITARY: 0.0,
    OccupationCategory.OTHER: 0.35,
}
# (中共党员, democratic parties) shares by occupation; the rest are 群众 or 无党派人士.
PARTY_SHARE = {
    OccupationCategory.OFFICIAL: (0.97, 0.03),
    OccupationCategory.BUSINESS: (0.50, 0.20),
    OccupationCategory.PROFESSIONAL: (0.50, 0.24),
    OccupationCategory.WORKER: (0.65, 0.02),
    OccupationCategory.FARMER: (0.65, 0.0),
    OccupationCategory.COMMUNITY: (0.85, 0.02),
    OccupationCategory.MILITARY: (1.0, 0.0),
    OccupationCategory.OTHER: (0.45, 0.15),
}
DEMOCRATIC_PARTIES = {
    # business people join 民建; teachers 民盟/民进; doctors 农工党; scientists 九三学社
    OccupationCategory.BUSINESS: ((Party.CDNCA, 6), (Party.RCCK, 1), (Party.ZGD, 2)),
    OccupationCategory.PROFESSIONAL: (
        (Party.CDL, 3), (Party.CAPD, 3), (Party.PWDP, 3), (Party.JS, 3), (Party.RCCK, 1),
    ),
}  # fmt: skip
OTHER_DEMOCRATIC = ((Party.RCCK, 1), (Party.CDL, 1), (Party.CDNCA, 1), (Party.CAPD, 1))

# Birth registration areas: Jinan's urban districts (历下 370102 first).
ID_AREAS = (("370102", 40), ("370103", 15), ("370104", 12), ("370105", 13), ("370112", 20))
PHONE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "183",
    "185", "186", "187", "188", "189", "191", "198", "199",
)  # fmt: skip

# Surnames weighted roughly as in Shandong (王、张、李、刘 far ahead).
SURNAMES = (
    ("王", 95), ("张", 85), ("李", 80), ("刘", 70), ("孙", 35), ("赵", 30), ("陈", 25),
    ("杨", 25), ("徐", 20), ("于", 20), ("马", 18), ("高", 18), ("周", 12), ("朱", 12),
    ("郭", 12), ("宋", 12), ("吴", 10), ("韩", 10), ("董", 10), ("姜", 10), ("胡", 8),
    ("曹", 8), ("许", 8), ("吕", 8), ("贾", 8), ("魏", 8), ("田", 8), ("崔", 8), ("黄", 8),
    ("郑", 8), ("冯", 7), ("丁", 7), ("杜", 7), ("任", 7), ("孔", 7), ("孟", 7), ("程", 6),
    ("林", 6), ("苏", 6), ("石", 6), ("梁", 6), ("何", 5), ("谢", 5), ("唐", 5), ("袁", 5),
    ("卢", 5), ("薛", 5), ("范", 5), ("姚", 5), ("郝", 5), ("侯", 5), ("邓", 4), ("傅", 4),
    ("彭", 4), ("蒋", 4), ("蔡", 4), ("阎", 4), ("潘", 4), ("夏", 4), ("白", 4), ("康", 4),
    ("秦", 4), ("史", 4), ("邵", 4), ("段", 4), ("尹", 4), ("常", 4), ("武", 4), ("牛", 4),
    ("颜", 4), ("曲", 4), ("罗", 4), ("沈", 3), ("叶", 3), ("戴", 3), ("方", 3), ("谭", 3),
    ("邹", 3), ("金", 3), ("毛", 3), ("邱", 3), ("江", 3), ("乔", 3), ("贺", 3), ("鞠", 3),
    ("宫", 3), ("房", 3), ("路", 3), ("庞", 3), ("葛", 3), ("耿", 3), ("陆", 2), ("雷", 2),
    ("钱", 2), ("隋", 2), ("逄", 2), ("牟", 2), ("刁", 2), ("申", 2), ("万", 1), ("曾", 1),
    ("单", 1), ("解", 1), ("仇", 1), ("翟", 1), ("乐", 1), ("盖", 1), ("欧阳", 1), ("司马", 1),
    ("诸葛", 1), ("上官", 1),
)  # fmt: skip
# Surnames that sort unusually (compound, or read differently as a surname): every plan has them.
GUARANTEED_SURNAMES = ("欧阳", "司马", "单", "曾", "解", "仇", "翟", "乐", "盖", "万")
ETHNIC_SURNAMES = {
    "回族": (("马", 6), ("金", 2), ("白", 2), ("沙", 1), ("丁", 2), ("穆", 1), ("海", 1)),
    "满族": (("关", 2), ("那", 1), ("佟", 1), ("赵", 1), ("富", 1)),
    "蒙古族": (("包", 2), ("白", 1), ("宝", 1)),
    "朝鲜族": (("金", 2), ("朴", 1), ("崔", 1)),
}

# Given-name characters by generation (born before 1975, 1975–1987, 1988 on): (single, first of
# two, second of two).
GIVEN_NAMES = {
    ("M", 0): ("军强明华刚平勇斌峰林", "建志国文卫永庆德玉振宏立", "国军华民东平生胜林明强峰"),
    ("M", 1): ("伟磊涛斌超辉鹏飞波亮杰锋", "海晓志俊文立新家明春", "涛东峰杰斌刚龙辉波军亮"),
    ("M", 2): ("浩鑫宇帅昊博凯晨阳", "子浩天宇晨一博俊思", "轩然航阳文博鸣宇豪睿"),
    ("F", 0): ("英芳红梅萍兰霞", "秀玉桂丽红凤淑春", "英兰梅芳华霞珍荣"),
    ("F", 1): ("娜敏静丽艳娟燕玲慧莉琳", "晓海春丽雪美静", "燕娟红丽萍玲静敏婷颖"),
    ("F", 2): ("婷雪佳悦欣颖璐倩蕾", "思佳雨梦欣诗雅", "琪怡萱涵瑶雯颖琳彤"),
}

COMMUNITIES = {
    "泉城路街道": ("芙蓉", "贡院", "省府前"),
    "大明湖街道": ("百花洲", "鹊华", "明湖"),
    "趵突泉街道": ("饮虎池", "杆石桥", "剪子巷"),
    "千佛山街道": ("佛山苑", "历山", "千佛山"),
    "文化东路街道": ("山大", "文东", "青龙"),
    "燕山街道": ("燕子山", "和平", "窑头"),
    "龙洞街道": ("龙洞", "东泉", "龙鼎"),
    "智远街道": ("智远", "舜耕", "奥体"),
    "舜华路街道": ("舜华", "新泺", "汉峪"),
    "姚家街道": ("姚家", "辛甸", "荆山"),
    "甸柳街道": ("甸柳一", "甸柳二", "甸柳三"),
    "解放路街道": ("解放东", "和平新村", "山东新村"),
}
# Streets that still have villages; farmers live there.
VILLAGES = {
    "龙洞街道": ("龙洞", "东坞", "土屋"),
    "姚家街道": ("姚家", "王家庄", "辛甸"),
    "智远街道": ("石河", "郭家庄"),
    "燕山街道": ("燕翅山", "窑头"),
}
BRANDS = (
    "泉润", "鲁泰", "明湖", "舜华", "华泉", "历山", "鹊华", "金泉", "恒信", "众诚", "德润",
    "博远", "海川", "新泺", "齐韵", "荣盛", "瑞丰", "汇通", "中泰", "正和", "天成", "宏图",
    "益康", "嘉禾", "同源", "联创", "智汇", "远航", "祥和", "聚鑫",
)  # fmt: skip
INDUSTRIES = (
    "科技", "信息技术", "软件", "置业", "建设工程", "餐饮管理", "商贸", "医药", "物流",
    "文化传媒", "环保科技", "电子", "新能源", "食品", "物业服务", "教育科技", "装饰工程",
    "健康管理", "酒店管理", "汽车销售",
)  # fmt: skip

# Posts only one deputy can hold, for officials aged 45 and over at district level and above.
SENIOR_POSTS = (
    "中共泉城区委书记",
    "泉城区人民政府区长",
    "中共泉城区委副书记",
    "泉城区人民政府常务副区长",
    "泉城区人大常委会副主任",
    "泉城区人民政府副区长",
    "泉城区监察委员会主任",
    "泉城区人民法院院长",
    "泉城区人民检察院检察长",
    "中共泉城区委组织部部长",
    "泉城区人大常委会副主任",
    "中共泉城区委宣传部部长",
    "泉城区人民政府副区长",
    "中共泉城区委统战部部长",
    "中共泉城区委政法委员会书记",
    "泉城区人大常委会副主任",
    "泉城区人民政府副区长",
)
PARTY_ORGAN_POSTS = (
    "中共泉城区委办公室主任",
    "中共泉城区委组织部副部长",
    "中共泉城区委宣传部副部长",
    "中共泉城区委统战部副部长",
    "中共泉城区委政法委员会副书记",
    "中共泉城区委社会工作部部长",
    "中共泉城区委巡察工作领导小组办公室主任",
    "区纪委副书记、区监委副主任",
)
# Units whose heads are senior posts above, or which are enterprises rather than offices.
NO_OFFICIAL_HEAD = {"区监察委员会", "区人民法院", "区人民检察院", "国网济南供电公司泉城供电中心"}


@dataclass(frozen=True)
class MandateSpec:
    level: str
    term_number: int
    electoral_unit: str
    street: str
    group: str | None
    started_on: date
    ended_on: date | None = None
    end_reason: str = ""


@dataclass(frozen=True)
class DeputySpec:
    full_name: str
    gender: str
    ethnicity: str
    birth_date: date
    party: str
    occupation_category: str
    work_position: str
    id_number: str
    phone: str
    mandates: tuple[MandateSpec, ...]
    account: str = ""  # username of the demo account that is this deputy


def group_name(street: str) -> str:
    return f"{street}代表小组"


@dataclass
class _Person:
    """A deputy while being planned (mutable); frozen into a DeputySpec at the end."""

    profile: str
    street: str = ""
    account: str = ""
    full_name: str = ""
    gender: str = ""
    ethnicity: str = "汉族"
    birth_date: date = REFERENCE_DATE
    party: str = ""
    occupation: str = ""
    work_position: str = ""
    id_number: str = ""
    phone: str = ""
    seats: list[dict] = field(default_factory=list)

    @property
    def age(self) -> int:
        born = self.birth_date
        before_birthday = (REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day)
        return REFERENCE_DATE.year - born.year - before_birthday

    @property
    def top_level(self) -> str:
        order = [Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL, Level.DISTRICT]
        return min((s["level"] for s in self.seats), key=order.index)


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _seat(level: str, street: str, **extra) -> dict:
    term, started = TERMS[level]
    seat = {"level": level, "term_number": term, "street": street, "started_on": started}
    seat.update(extra)
    return seat


def plan_deputies(*, rng: random.Random) -> list[DeputySpec]:
    """Plan the 421 deputies and their mandates; same generator state, same plan."""
    people = [_Person(profile) for profile, count in PROFILES for _ in range(count)]
    assert len(people) == TOTAL_DEPUTIES
    linked = [a for a in DEMO_ACCOUNTS if a.deputy is not None]
    plain_district = [p for p in people if p.profile == "district"]
    for person, account in zip(plain_district, linked, strict=False):
        person.account = account.username

    _assign_streets(rng, people, linked)
    _assign_seats(people)
    _assign_occupations(rng, people, linked)
    accounts = {a.username: a for a in linked}
    for person in people:
        if person.account:
            person.gender = accounts[person.account].deputy.gender
        else:
            female = rng.random() < FEMALE_SHARE[person.occupation]
            person.gender = Gender.FEMALE if female else Gender.MALE
        person.birth_date = _birth_date(rng, person)
    _assign_ethnicities(rng, people)
    for person in people:
        person.party = Party.CPC if person.account else _party(rng, person.occupation)
    _assign_names(rng, people, accounts)
    _assign_positions(rng, people, accounts)
    _assign_id_numbers_and_phones(rng, people)
    _assign_electoral_units(rng, people)
    return [_freeze(p) for p in people]


def _assign_streets(rng: random.Random, people: list[_Person], linked) -> None:
    """District deputies get the streets' seat counts; the others a street where they live."""
    slots = [s for s, n in zip(STREETS, DISTRICT_SEATS_PER_STREET, strict=True) for _ in range(n)]
    for account in linked:  # the linked deputies' streets are fixed
        slots.remove(account.deputy.street)
    rng.shuffle(slots)
    by_account = {a.username: a.deputy.street for a in linked}
    needs_slot = {"municipal_left_district", "municipal_district", "district_left_municipal"}
    for person in people:
        if person.account:
            person.street = by_account[person.account]
        elif person.profile in needs_slot or person.profile == "district":
            person.street = slots.pop()
        elif person.profile != "district_by_election":
            person.street = rng.choice(STREETS)
    assert not slots
    # The by-elected deputies take the streets of the seats they fill.
    left = [p for p in people if p.profile == "municipal_left_district"]
    elected = [p for p in people if p.profile == "district_by_election"]
    for leaver, newcomer in zip(left, elected, strict=True):
        newcomer.street = leaver.street


def _assign_seats(people: list[_Person]) -> None:
    left = iter(DISTRICT_SEATS_LEFT)
    by_election = iter(DISTRICT_SEATS_LEFT)
    for p in people:
        s = p.street
        match p.profile:
            case "national":
                p.seats = [_seat(Level.NATIONAL, s)]
            case "provincial":
                p.seats = [_seat(Level.PROVINCIAL, s)]
            case "provincial_municipal":
                p.seats = [_seat(Level.PROVINCIAL, s), _seat(Level.MUNICIPAL, s)]
            case "municipal":
                p.seats = [_seat(Level.MUNICIPAL, s)]
            case "municipal_left_district":
                ended_on, reason, _ = next(left)
                p.seats = [
                    _seat(Level.MUNICIPAL, s),
                    _seat(Level.DISTRICT, s, ended_on=ended_on, end_reason=reason),
                ]
            case "municipal_district":
                p.seats = [_seat(Level.MUNICIPAL, s), _seat(Level.DISTRICT, s)]
            case "district_left_municipal":
                ended_on, reason = MUNICIPAL_SEAT_LEFT
                p.seats = [
                    _seat(Level.MUNICIPAL, s, ended_on=ended_on, end_reason=reason),
                    _seat(Level.DISTRICT, s),
                ]
            case "district_by_election":
                p.seats = [_seat(Level.DISTRICT, s, started_on=next(by_election)[2])]
            case _:
                p.seats = [_seat(Level.DISTRICT, s)]


def _swap_occupations(
    people: list[_Person], *, wrong: Callable, right: Callable, reverse: bool = False
) -> None:
    """For each person for whom `wrong` holds, trade categories with someone for whom `right`
    holds (deterministic: first candidate in list order, or last with `reverse`)."""
    partners = people[::-1] if reverse else people
    for person in people:
        if person.account or not wrong(person):
            continue
        for other in partners:
            if other is not person and not other.account and right(other, person):
                person.occupation, other.occupation = other.occupation, person.occupation
                break


def _assign_occupations(rng: random.Random, people: list[_Person], linked) -> None:
    quotas = Counter(OCCUPATION_QUOTAS)
    accounts = {a.username: a for a in linked}
    for person in people:
        if person.account:
            quotas[accounts[person.account].deputy.occupation_category] -= 1
    pool = [category for category, n in OCCUPATION_QUOTAS.items() for _ in range(quotas[category])]
    rng.shuffle(pool)
    for person in people:
        if person.account:
            person.occupation = accounts[person.account].deputy.occupation_category
        else:
            person.occupation = pool.pop()
    farmer = OccupationCategory.FARMER
    # Farmers live in the streets that still have villages.
    # Partners are sought from the end of the list (district deputies), so the swap does not
    # push farmers up to the higher levels.
    _swap_occupations(
        people,
        reverse=True,
        wrong=lambda p: p.occupation == farmer and p.street not in VILLAGES,
        right=lambda o, p: o.street in VILLAGES and o.occupation != farmer,
    )
    # National deputies elected from a district are usually grassroots people.
    grassroots = {
        OccupationCategory.WORKER,
        OccupationCategory.PROFESSIONAL,
        OccupationCategory.BUSINESS,
    }
    _swap_occupations(
        people,
        wrong=lambda p: p.profile == "national" and p.occupation not in grassroots,
        right=lambda o, p: o.profile == "district" and o.occupation in grassroots,
    )


def _birth_date(rng: random.Random, person: _Person) -> date:
    """Ages 28–65 at the reference date, most around 50; military officers 40–55."""
    if person.occupation == OccupationCategory.MILITARY:
        years = rng.uniform(40, 55)
    else:
        years = rng.triangular(28, 66, 50)
    born = REFERENCE_DATE - timedelta(days=int(years * 365.2425))
    # Clamp to whole ages 28–65 (the float above can land a day either side).
    earliest = date(REFERENCE_DATE.year - 66, REFERENCE_DATE.month, REFERENCE_DATE.day)
    latest = date(REFERENCE_DATE.year - 28, REFERENCE_DATE.month, REFERENCE_DATE.day)
    return min(max(born, earliest + timedelta(days=1)), latest)


def _assign_ethnicities(rng: random.Random, people: list[_Person]) -> None:
    candidates = [i for i, p in enumerate(people) if not p.account]
    chosen = rng.sample(candidates, sum(ETHNICITY_QUOTAS.values()))
    labels = [e for e, n in ETHNICITY_QUOTAS.items() for _ in range(n)]
    for index, label in zip(chosen, labels, strict=True):
        people[index].ethnicity = label


def _party(rng: random.Random, occupation: str) -> str:
    cpc, democratic = PARTY_SHARE[occupation]
    roll = rng.random()
    if roll < cpc:
        return Party.CPC
    if roll < cpc + democratic:
        return _weighted(rng, DEMOCRATIC_PARTIES.get(occupation, OTHER_DEMOCRATIC))
    if occupation in (OccupationCategory.PROFESSIONAL, OccupationCategory.OTHER):
        return Party.INDEPENDENT if rng.random() < 0.5 else Party.NONE
    return Party.NONE


def _generation(born: date) -> int:
    return 0 if born.year < 1975 else 1 if born.year < 1988 else 2


def _given_name(rng: random.Random, gender: str, born: date) -> str:
    single, first, second = GIVEN_NAMES[(gender, _generation(born))]
    if rng.random() < 0.3:
        return rng.choice(single)
    while True:
        given = rng.choice(first) + rng.choice(second)
        if given[0] != given[1]:  # no 国国: doubled names are a different, rarer pattern
            return given


def _assign_names(rng: random.Random, people: list[_Person], accounts) -> None:
    plain = [i for i, p in enumerate(people) if not p.account and p.ethnicity == "汉族"]
    forced = dict(
        zip(rng.sample(plain, len(GUARANTEED_SURNAMES)), GUARANTEED_SURNAMES, strict=True)
    )
    used = set(RESERVED_NAMES)
    for index, person in enumerate(people):
        if person.account:
            person.full_name = accounts[person.account].full_name
            continue
        for _ in range(1000):
            if index in forced:
                surname = forced[index]
            elif person.ethnicity in ETHNIC_SURNAMES and rng.random() < 0.6:
                surname = _weighted(rng, ETHNIC_SURNAMES[person.ethnicity])
            else:
                surname = _weighted(rng, SURNAMES)
            name = surname + _given_name(rng, person.gender, person.birth_date)
            if name not in used:
                break
        used.add(name)
        person.full_name = name
    # One pair of namesakes (同名) in different streets, as every real roster has: lists must
    # tell them apart by street, birth date or ID number, never by name.
    first = next(p for p in people if p.profile == "district" and p.street == STREETS[3])
    second = next(
        p
        for p in people
        if p.profile == "district"
        and p.street == STREETS[8]
        and p.gender == first.gender
        and _generation(p.birth_date) == _generation(first.birth_date)
        and not p.account
        and not p.full_name.startswith(GUARANTEED_SURNAMES)
    )
    second.full_name = first.full_name


def _unit_titles(name: str) -> tuple[str, str]:
    if name.endswith("人民法院"):
        return "院长", "副院长"
    if name.endswith("人民检察院"):
        return "检察长", "副检察长"
    if name.endswith("大队"):
        return "大队长", "副大队长"
    if name.startswith("共青团"):
        return "书记", "副书记"
    if name in ("区总工会", "区妇女联合会"):
        return "主席", "副主席"
    if name.endswith("联合会"):
        return "理事长", "副理事长"
    if name.endswith(("委员会", "办公室", "中心")):
        return "主任", "副主任"
    return "局长", "副局长"


def _position_candidate(rng: random.Random, person: _Person) -> tuple[str, int]:
    """One plausible post for this person and how many deputies may share it."""
    street = person.street
    community = rng.choice(COMMUNITIES[street])
    brand = rng.choice(BRANDS)
    match person.occupation:
        case OccupationCategory.OFFICIAL:
            # Heads of bodies are 42 or older, deputy heads 32 or older; the young are clerks.
            units = [u.name for u in UNITS if u.name not in NO_OFFICIAL_HEAD]
            if person.age < 32:
                return rng.choice(
                    [(f"{street}办事处一级科员", 2), (f"{rng.choice(units)}四级主任科员", 1)]
                )
            street_titles = [
                ("党工委副书记", 2, 0),
                ("办事处副主任", 3, 0),
                ("人大工委副主任", 1, 0),
                ("党工委书记", 1, 42),
                ("办事处主任", 1, 42),
                ("人大工委主任", 1, 42),
                ("党工委委员、武装部部长", 1, 0),
            ]
            roll = rng.random()
            if roll < 0.45:
                title, cap, _ = rng.choice([t for t in street_titles if person.age >= t[2]])
                return f"{street}{title}", cap
            if roll < 0.55 and person.age >= 42:
                return rng.choice(PARTY_ORGAN_POSTS), 1
            unit = rng.choice(units)
            head, deputy = _unit_titles(unit)
            if person.age >= 42 and rng.random() < 0.4:
                return f"{unit}{head}", 1
            return f"{unit}{deputy}", 2
        case OccupationCategory.BUSINESS:
            prefix = rng.choice(("济南", "济南", "山东"))
            suffix = rng.choice(("有限公司", "有限公司", "股份有限公司", "集团有限公司"))
            title = rng.choice(
                ("董事长", "总经理", "董事长兼总经理", "执行董事、总经理", "党支部书记、董事长")
            )
            return f"{prefix}{brand}{rng.choice(INDUSTRIES)}{suffix}{title}", 1
        case OccupationCategory.PROFESSIONAL:
            school = rng.choice(
                ("实验小学", "第一中学", "第二中学", "第五中学", "外国语学校", f"{street[:-2]}小学")
            )
            return rng.choice(
                [
                    (f"区人民医院{rng.choice(('主任医师', '副主任医师', '护士长'))}", 3),
                    (f"区中医医院{rng.choice(('主任医师', '副主任医师'))}", 3),
                    ("区妇幼保健院主任医师", 2),
                    ("区疾病预防控制中心副主任医师", 2),
                    (f"{street}社区卫生服务中心主任", 1),
                    (f"泉城区{school}校长", 1),
                    (f"泉城区{school}{rng.choice(('高级教师', '一级教师'))}", 2),
                    (f"山东{brand}律师事务所{rng.choice(('主任', '合伙人律师'))}", 1),
                    (f"济南{brand}会计师事务所注册会计师", 1),
                    (f"山东建筑大学{rng.choice(('教授', '副教授'))}", 2),
                    (f"济南大学{rng.choice(('教授', '副教授'))}", 2),
                    (f"济南{brand}建筑设计院有限公司高级工程师", 1),
                    ("区文化馆副研究馆员", 1),
                    ("区融媒体中心主任记者", 1),
                ]
            )
        case OccupationCategory.WORKER:
            return rng.choice(
                [
                    (
                        f"济南公交集团有限公司{rng.choice(('K', ''))}{rng.randint(1, 150)}路驾驶员",
                        1,
                    ),
                    ("区环卫服务中心环卫工人", 3),
                    (f"济南{brand}机械有限公司{rng.choice(('高级技师', '车间主任', '班组长'))}", 1),
                    (f"国网济南供电公司泉城供电中心{rng.choice(('运维班班长', '配电运维工'))}", 1),
                    (f"济南{brand}物业服务有限公司{rng.choice(('维修班班长', '保洁主管'))}", 1),
                    (f"济南{brand}食品有限公司{rng.choice(('生产线班组长', '质检员'))}", 1),
                    (f"济南{brand}快递有限公司快递员", 1),
                ]
            )
        case OccupationCategory.FARMER:
            villages = VILLAGES.get(street)
            if not villages:
                return f"济南{brand}果蔬种植专业合作社理事长", 1
            village = rng.choice(villages)
            return rng.choice(
                [
                    (f"{street}{village}村村民", 3),
                    (f"{street}{village}村种植大户", 2),
                    (f"{street}{village}村党支部书记、村委会主任", 1),
                    (f"济南{brand}果蔬种植专业合作社理事长", 1),
                ]
            )
        case OccupationCategory.COMMUNITY:
            return rng.choice(
                [
                    (f"{street}{community}社区党委书记、居委会主任", 1),
                    (f"{street}{community}社区党委副书记", 1),
                    (f"{street}{community}社区居委会副主任", 2),
                    (f"{street}{community}社区网格员", 2),
                ]
            )
        case OccupationCategory.MILITARY:
            return rng.choice(
                [
                    ("泉城区人民武装部部长", 1),
                    ("泉城区人民武装部政治委员", 1),
                    ("泉城区人民武装部副部长", 1),
                ]
            )
        case _:
            return rng.choice(
                [
                    ("区工商业联合会副主席", 1),
                    ("区个体劳动者协会会长", 1),
                    ("区慈善总会副会长", 1),
                    ("区作家协会主席", 1),
                    ("区书法家协会副主席", 1),
                    ("区归国华侨联合会副主席", 1),
                    (f"{street}{community}社区志愿服务队队长", 1),
                    ("退休职工" if person.age >= 55 else "自由职业者", 3),
                    ("自由职业者", 3),
                ]
            )


def _assign_positions(rng: random.Random, people: list[_Person], accounts) -> None:
    taken: Counter[str] = Counter()
    for person in people:
        if person.account:
            person.work_position = accounts[person.account].deputy.work_position
            taken[person.work_position] += 1
    senior = list(SENIOR_POSTS)
    for person in people:
        if person.account:
            continue
        if (
            senior
            and person.occupation == OccupationCategory.OFFICIAL
            and person.top_level != Level.NATIONAL
            and person.age >= 45
            and rng.random() < 0.7
        ):
            person.work_position = senior.pop(0)
            continue
        for _ in range(200):
            text, cap = _position_candidate(rng, person)
            if taken[text] < cap:
                break
        taken[text] += 1
        person.work_position = text


def _assign_id_numbers_and_phones(rng: random.Random, people: list[_Person]) -> None:
    used_ids: set[str] = set()
    used_phones: set[str] = set()
    for person in people:
        area = _weighted(rng, ID_AREAS)
        sequence = rng.randrange(500)
        while True:
            number = make_id_number(
                area=area, birth_date=person.birth_date, sequence=sequence, gender=person.gender
            )
            if number not in used_ids:
                break
            sequence = (sequence + 1) % 500
        used_ids.add(number)
        person.id_number = number
        while True:
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in used_phones:
                break
        used_phones.add(phone)
        person.phone = phone


def _assign_electoral_units(rng: random.Random, people: list[_Person]) -> None:
    """District seats: numbered constituencies (第N选区) of 2–4 seats, street by street; the
    by-elected deputies sit for the constituency of the seat they fill. Other levels are
    elected by the district congress itself ("泉城区")."""
    number = 0
    seats_by_street: dict[str, list[dict]] = {s: [] for s in STREETS}
    for person in people:
        for seat in person.seats:
            if seat["level"] != Level.DISTRICT:
                seat["electoral_unit"] = "泉城区"
                seat["group"] = None
            elif person.profile != "district_by_election":
                seats_by_street[person.street].append(seat)
    for street in STREETS:
        seats = seats_by_street[street]
        start = 0
        while start < len(seats):
            size = rng.choice((2, 3, 3, 3, 4))
            if len(seats) - (start + size) == 1:  # never leave a one-seat remainder
                size += 1
            number += 1
            for seat in seats[start : start + size]:
                seat["electoral_unit"] = f"第{number}选区"
                seat["group"] = group_name(street)
            start += size
    left = [p for p in people if p.profile == "municipal_left_district"]
    elected = [p for p in people if p.profile == "district_by_election"]
    for leaver, newcomer in zip(left, elected, strict=True):
        old = next(s for s in leaver.seats if s["level"] == Level.DISTRICT)
        newcomer.seats[0]["electoral_unit"] = old["electoral_unit"]
        newcomer.seats[0]["group"] = old["group"]


def _freeze(person: _Person) -> DeputySpec:
    return DeputySpec(
        full_name=person.full_name,
        gender=person.gender,
        ethnicity=person.ethnicity,
        birth_date=person.birth_date,
        party=person.party,
        occupation_category=person.occupation,
        work_position=person.work_position,
        id_number=person.id_number,
        phone=person.phone,
        mandates=tuple(
            MandateSpec(
                level=s["level"],
                term_number=s["term_number"],
                electoral_unit=s["electoral_unit"],
                street=s["street"],
                group=s["group"],
                started_on=s["started_on"],
                ended_on=s.get("ended_on"),
                end_reason=s.get("end_reason", ""),
            )
            for s in person.seats
        ),
        account=person.account,
    )


def build_groups(*, streets: Sequence[Street]) -> dict[str, Group]:
    """One deputy group per street for the current term."""
    groups = Group.objects.bulk_create(
        Group(
            name=group_name(street.name),
            street=street,
            term_number=DISTRICT_TERM,
            sort_order=street.sort_order,
        )
        for street in streets
    )
    return {g.name: g for g in groups}


def build_deputies(
    *,
    rng: random.Random,
    streets: Sequence[Street],
    groups: dict[str, Group],
) -> tuple[list[DeputySpec], dict[str, Deputy]]:
    """Plan and save the deputies and their mandates. Returns the plan and the deputies that
    demo accounts stand for, by username."""
    specs = plan_deputies(rng=rng)
    deputies = save_deputies(specs=specs, streets=streets, groups=groups)
    linked = {s.account: d for s, d in zip(specs, deputies, strict=True) if s.account}
    return specs, linked


def save_deputies(
    *, specs: Sequence[DeputySpec], streets: Sequence[Street], groups: dict[str, Group]
) -> list[Deputy]:
    # bulk_create skips Deputy.save(), so the sort keys are computed here.
    deputies = Deputy.objects.bulk_create(
        Deputy(
            full_name=s.full_name,
            gender=s.gender,
            ethnicity=s.ethnicity,
            birth_date=s.birth_date,
            party=s.party,
            occupation_category=s.occupation_category,
            work_position=s.work_position,
            id_number=s.id_number,
            phone=s.phone,
            name_stroke_key=stroke_key(s.full_name),
            name_pinyin=pinyin_key(s.full_name),
        )
        for s in specs
    )
    street_by_name = {s.name: s for s in streets}
    Mandate.objects.bulk_create(
        Mandate(
            deputy=deputy,
            level=m.level,
            term_number=m.term_number,
            electoral_unit=m.electoral_unit,
            street=street_by_name[m.street],
            group=groups[m.group] if m.group else None,
            started_on=m.started_on,
            ended_on=m.ended_on,
            end_reason=m.end_reason,
        )
        for spec, deputy in zip(specs, deputies, strict=True)
        for m in spec.mandates
    )
    return deputies
