"""The organisation of the demo congress: the standing committee, its offices, the street work
committees and the handling units. Fixed reference data: no randomness needed."""

from __future__ import annotations

from dataclasses import dataclass

from renda.core.models import Congress, Office, Street, Unit

CONGRESS_NAME = "济南市泉城区人民代表大会常务委员会"
CONGRESS_SHORT_NAME = "泉城区人大常委会"
REGION = "泉城区"
TERM_NUMBER = 18
DEPUTY_AFFAIRS_OFFICE = "人事代表工作室"


@dataclass(frozen=True)
class OfficeSpec:
    name: str
    short_name: str
    kind: str


@dataclass(frozen=True)
class UnitSpec:
    name: str
    short_name: str
    kind: str


G, W = Office.Kind.GENERAL, Office.Kind.WORKING
OFFICES: tuple[OfficeSpec, ...] = (
    OfficeSpec("办公室", "办公室", G),
    OfficeSpec("研究室", "研究室", G),
    OfficeSpec("人事代表工作室", "人代室", W),
    OfficeSpec("法制工作室", "法制室", W),
    OfficeSpec("财经工作室", "财经室", W),
    OfficeSpec("社会建设工作室", "社建室", W),
    OfficeSpec("城建环保工作室", "城环室", W),
)

STREETS: tuple[str, ...] = (
    "泉城路街道",
    "大明湖街道",
    "趵突泉街道",
    "千佛山街道",
    "文化东路街道",
    "燕山街道",
    "龙洞街道",
    "智远街道",
    "舜华路街道",
    "姚家街道",
    "甸柳街道",
    "解放路街道",
)

GOV, OTHER = Unit.Kind.GOVERNMENT, Unit.Kind.OTHER
# Vertically managed bodies (tax, the environment branch, fire rescue), people's organisations and
# utilities are "other"; the district government's own departments are "government".
UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("区政府办公室", "区政府办", GOV),
    UnitSpec("区发展和改革局", "区发改局", GOV),
    UnitSpec("区教育和体育局", "区教体局", GOV),
    UnitSpec("区科学技术局", "区科技局", GOV),
    UnitSpec("区工业和信息化局", "区工信局", GOV),
    UnitSpec("公安泉城分局", "公安泉城分局", GOV),
    UnitSpec("区民政局", "区民政局", GOV),
    UnitSpec("区司法局", "区司法局", GOV),
    UnitSpec("区财政局", "区财政局", GOV),
    UnitSpec("区人力资源和社会保障局", "区人社局", GOV),
    UnitSpec("区自然资源局", "区自然资源局", GOV),
    UnitSpec("区住房和城乡建设局", "区住建局", GOV),
    UnitSpec("区城市管理局", "区城管局", GOV),
    UnitSpec("区交通运输局", "区交通局", GOV),
    UnitSpec("区水务局", "区水务局", GOV),
    UnitSpec("区农业农村局", "区农业农村局", GOV),
    UnitSpec("区商务局", "区商务局", GOV),
    UnitSpec("区文化和旅游局", "区文旅局", GOV),
    UnitSpec("区卫生健康委员会", "区卫健委", GOV),
    UnitSpec("区退役军人事务局", "区退役军人局", GOV),
    UnitSpec("区应急管理局", "区应急局", GOV),
    UnitSpec("区审计局", "区审计局", GOV),
    UnitSpec("区市场监督管理局", "区市场监管局", GOV),
    UnitSpec("区统计局", "区统计局", GOV),
    UnitSpec("区医疗保障局", "区医保局", GOV),
    UnitSpec("区信访局", "区信访局", GOV),
    UnitSpec("区大数据局", "区大数据局", GOV),
    UnitSpec("区行政审批服务局", "区审批局", GOV),
    UnitSpec("区投资促进局", "区投促局", GOV),
    UnitSpec("区园林和林业绿化局", "区园林局", GOV),
    UnitSpec("区民族宗教事务局", "区民宗局", GOV),
    UnitSpec("区人民防空办公室", "区人防办", GOV),
    UnitSpec("区机关事务服务中心", "区机关事务中心", GOV),
    UnitSpec("市生态环境局泉城分局", "生态环境泉城分局", OTHER),
    UnitSpec("国家税务总局济南市泉城区税务局", "区税务局", OTHER),
    UnitSpec("区消防救援大队", "区消防救援大队", OTHER),
    UnitSpec("区总工会", "区总工会", OTHER),
    UnitSpec("区妇女联合会", "区妇联", OTHER),
    UnitSpec("共青团泉城区委员会", "团区委", OTHER),
    UnitSpec("区残疾人联合会", "区残联", OTHER),
    UnitSpec("国网济南供电公司泉城供电中心", "泉城供电中心", OTHER),
    UnitSpec("区监察委员会", "区监委", Unit.Kind.SUPERVISORY),
    UnitSpec("区人民法院", "区法院", Unit.Kind.COURT),
    UnitSpec("区人民检察院", "区检察院", Unit.Kind.PROCURATORATE),
)


@dataclass
class Organisation:
    congress: Congress
    offices: dict[str, Office]
    streets: list[Street]
    units: dict[str, Unit]


def build_organisation(*, session_number: int) -> Organisation:
    """Save the congress (row 1), its offices, the street work committees and the units.

    The congress row goes in first so that a second, concurrent build fails at once on its
    primary key instead of half-way through."""
    congress = Congress.objects.create(
        pk=1,
        name=CONGRESS_NAME,
        short_name=CONGRESS_SHORT_NAME,
        region=REGION,
        level=Congress.Level.DISTRICT,
        term_number=TERM_NUMBER,
        session_number=session_number,
    )
    offices = Office.objects.bulk_create(
        Office(name=o.name, short_name=o.short_name, kind=o.kind, sort_order=(i + 1) * 10)
        for i, o in enumerate(OFFICES)
    )
    streets = Street.objects.bulk_create(
        Street(name=name, sort_order=(i + 1) * 10) for i, name in enumerate(STREETS)
    )
    units = Unit.objects.bulk_create(
        Unit(name=u.name, short_name=u.short_name, kind=u.kind, sort_order=(i + 1) * 10)
        for i, u in enumerate(UNITS)
    )
    by_name = {o.name: o for o in offices}
    congress.deputy_affairs_office = by_name[DEPUTY_AFFAIRS_OFFICE]
    congress.save(update_fields=["deputy_affairs_office"])
    return Organisation(
        congress=congress,
        offices=by_name,
        streets=streets,
        units={u.name: u for u in units},
    )
