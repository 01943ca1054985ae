"""Stations, receptions and voters' opinions reached through the real actions.

Today is APRIL (2026-04-01). The street station is personas.street's; a reception held today
invites personas.deputy (张代表) and 李代表, both of that street."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from renda.core.models import User
from renda.deputies import actions_stations as actions
from renda.deputies.actions_stations import OpinionFields, StationFields
from renda.deputies.models import Activity, Deputy, Station, VoterOpinion
from renda.suggestions.models import Category
from tests.deputies.activity_factories import deputy_with_login
from tests.plans.factories import APRIL, at

LATER = APRIL + timedelta(days=9)  # a reception ahead


def station_fields(org, **overrides) -> StationFields:
    values = dict(
        kind=Station.Kind.STATION,
        name="泉城路街道代表联络站",
        street=org.street,
        address="泉城路街道芙蓉社区党群服务中心二楼",
        phone="0531-86012345",
        opening_hours="每月第一个周三上午",
    )
    return StationFields(**{**values, **overrides})


def opinion_fields(**overrides) -> OpinionFields:
    values = dict(
        voter_name="刘大爷",
        voter_phone="13805310001",
        voter_address="芙蓉街12号院3号楼",
        subject="老旧小区加装电梯",
        content="我们楼住了不少七八十岁的老人，上下六楼很困难，希望尽快推动加装电梯。",
        received_on=None,
        received_by=None,
        reception=None,
    )
    return OpinionFields(**{**values, **overrides})


@dataclass
class Stations:
    org: object
    p: object
    station: Station  # 泉城路街道代表联络站
    home: Station  # 代表之家 (the organ's)
    reception: Activity  # today, at the station: 张代表 and 李代表
    zhang: Deputy
    li: Deputy
    wang: Deputy  # of the other street

    @property
    def street(self) -> User:
        return self.p.street

    @property
    def staff(self) -> User:
        return self.p.staff

    def record(self, **overrides) -> VoterOpinion:
        """An opinion at today's reception, received by 张代表, entered by the street."""
        values = {"reception": self.reception, "received_by": self.zhang, **overrides}
        return actions.record_opinion(
            acting_user=self.street, station=self.station, values=opinion_fields(**values)
        )

    def to_unit(self, **overrides) -> VoterOpinion:
        return actions.forward_to_unit(
            acting_user=self.street,
            opinion=self.record(**overrides),
            unit=self.org.unit,
            due_on=APRIL + timedelta(days=21),
        )

    def to_suggestion(self) -> VoterOpinion:
        return actions.forward_as_suggestion(
            acting_user=self.staff, opinion=self.record(), category=category()
        )

    def answered(self) -> VoterOpinion:
        return actions.answer_opinion(
            acting_user=self.p.unit,
            opinion=self.to_unit(),
            result="已纳入今年老旧小区改造计划，6月底前完成加装电梯意见征询。",
        )

    def reported(self) -> VoterOpinion:
        return actions.report_back(
            acting_user=self.street,
            opinion=self.answered(),
            method="电话",
            note="已电话告知刘大爷办理结果，表示满意。",
        )


def category(name: str = "城乡建设") -> Category:
    return Category.objects.get(name=name)


def schedule(s: Stations, *, day: date = LATER, deputies=None, station=None, user=None):
    return actions.schedule_reception(
        acting_user=user or s.street,
        station=station or s.station,
        date=day,
        starts_at=time(9, 0),
        ends_at=time(11, 30),
        deputies=deputies if deputies is not None else [s.zhang, s.li],
    )


@pytest.fixture(name="stations")
def stations_fixture(org, personas, time_machine) -> Stations:
    time_machine.move_to(at(APRIL), tick=False)
    zhang = personas.deputy.deputy
    li = deputy_with_login("李代表", street=org.street, group=org.group)
    wang = deputy_with_login("王代表", street=org.other_street)
    station = actions.add_station(acting_user=personas.street, values=station_fields(org))
    home = actions.add_station(
        acting_user=personas.staff,
        values=station_fields(
            org,
            kind=Station.Kind.HOME,
            name="泉城区人大代表之家",
            street=None,
            address="泉城区政务服务中心三楼",
        ),
    )
    s = Stations(org, personas, station, home, None, zhang, li, wang)
    s.reception = schedule(s, day=APRIL)
    return s
