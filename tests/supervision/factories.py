"""The supervision world: the personas (tests/conftest.py), a second unit with its own user, a
director and a standing-committee meeting, seven deputies (five district, two municipal), and a
small hand-made version of the Work Safety Law (the parser's own tests use the full texts).

The social-construction office (personas.social_staff) runs the supervision work; personas.unit
answers for org.unit (区住房和城乡建设局), `other_unit_user` for org.other_unit (区城市管理局).
Generic helpers (Mark, refused, state_of, pdf, at) come from tests/plans/factories.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from renda.deputies.models import Deputy, Level
from renda.meetings.models import Meeting
from renda.supervision.models import Law, LawProvision, LawVersion, ProvisionKind
from tests.core.factories import UserFactory, grant
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.plans.factories import APRIL, Mark, at, pdf, refused, state_of  # noqa: F401

ITEMS_21 = [
    "建立健全并落实本单位全员安全生产责任制，加强安全生产标准化建设；",
    "组织制定并实施本单位安全生产规章制度和操作规程；",
    "组织制定并实施本单位安全生产教育和培训计划；",
    "保证本单位安全生产投入的有效实施；",
    "组织建立并落实安全风险分级管控和隐患排查治理双重预防工作机制，督促、检查本单位的"
    "安全生产工作，及时消除生产安全事故隐患；",
    "组织制定并实施本单位的生产安全事故应急救援预案；",
    "及时、如实报告生产安全事故。",
]


def make_law_version(user, *, label: str = "2021年修正") -> LawVersion:
    """安全生产法 with 第一章 (第一条, 第四条 of two clauses) and 第二章 (第二十一条 with its seven
    items, 第二十八条), built by hand as the parser would store it."""
    law, _ = Law.objects.get_or_create(
        title="中华人民共和国安全生产法", defaults={"short_title": "安全生产法"}
    )
    version = LawVersion.objects.create(
        law=law,
        label=label,
        effective_on=date(2021, 9, 1),
        source_text="（测试用节选）",
        imported_by=user,
        article_count=4,
    )
    position = iter(range(1, 1000))

    def add(kind, label, number, text="", parent=None, heading=""):
        return LawProvision.objects.create(
            version=version,
            parent=parent,
            kind=kind,
            label=label,
            number=number,
            heading=heading,
            text=text,
            position=next(position),
            line=number,
        )

    ch1 = add(ProvisionKind.CHAPTER, "第一章", 1, heading="总则")
    add(ProvisionKind.ARTICLE, "第一条", 1, "为了加强安全生产工作，防止和减少生产安全事故……", ch1)
    a4 = add(ProvisionKind.ARTICLE, "第四条", 4, "", ch1)
    add(ProvisionKind.CLAUSE, "第一款", 1, "生产经营单位必须遵守本法和其他有关安全生产的法律……", a4)
    add(ProvisionKind.CLAUSE, "第二款", 2, "平台经济等新兴行业、领域的生产经营单位……", a4)
    ch2 = add(ProvisionKind.CHAPTER, "第二章", 2, heading="生产经营单位的安全生产保障")
    a21 = add(
        ProvisionKind.ARTICLE,
        "第二十一条",
        21,
        "生产经营单位的主要负责人对本单位安全生产工作负有下列职责：",
        ch2,
    )
    for n, text in enumerate(ITEMS_21, start=1):
        labels = "一二三四五六七"
        add(ProvisionKind.ITEM, f"（{labels[n - 1]}）", n, text, a21)
    add(
        ProvisionKind.ARTICLE,
        "第二十八条",
        28,
        "生产经营单位应当对从业人员进行安全生产教育和培训……",
        ch2,
    )
    return version


@dataclass
class Supervision:
    p: object  # Personas
    org: object
    director_meeting: Meeting
    standing_meeting: Meeting
    other_unit_user: object
    deputies: list[Deputy]  # five district deputies, then two municipal

    @property
    def office(self):
        return self.org.social_office

    @property
    def staff(self):
        return self.p.social_staff

    def law_version(self, **kw) -> LawVersion:
        return make_law_version(self.p.admin, **kw)

    def provisions(self, version: LawVersion, kind: str = ProvisionKind.ARTICLE) -> list:
        return list(version.provisions.filter(kind=kind).order_by("position"))


@pytest.fixture
def supervision(personas, org) -> Supervision:
    director = Meeting.objects.create(
        kind=Meeting.Kind.DIRECTOR, term_number=18, number=21, date=date(2026, 3, 10)
    )
    standing = Meeting.objects.create(
        kind=Meeting.Kind.STANDING, term_number=18, number=30, date=date(2026, 9, 24)
    )
    other_unit_user = UserFactory(username="p_unit2", full_name="城管局联络员")
    grant(other_unit_user, "unit", unit=org.other_unit)
    deputies = []
    for n, name in enumerate(["王安全", "李守法", "赵平安", "钱监督", "孙代表"]):
        deputy = DeputyFactory(full_name=name)
        MandateFactory(
            deputy=deputy, street=org.street, group=org.group, electoral_unit=f"第{n + 1}选区"
        )
        deputies.append(deputy)
    for name in ["周市代", "吴市代"]:
        deputy = DeputyFactory(full_name=name)
        MandateFactory(deputy=deputy, level=Level.MUNICIPAL, term_number=16, street=org.street)
        deputies.append(deputy)
    return Supervision(
        p=personas,
        org=org,
        director_meeting=director,
        standing_meeting=standing,
        other_unit_user=other_unit_user,
        deputies=deputies,
    )
