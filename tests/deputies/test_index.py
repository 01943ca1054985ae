"""The deputies' work hub: figures over what the user may see, in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from renda.deputies import actions_activities as actions
from renda.deputies.models import Station, VoterOpinion, VoterOpinionStatus
from tests.deputies.activity_factories import invited


def _opinion(world, station, *, status, due=None, unit=None) -> VoterOpinion:
    return VoterOpinion.objects.create(
        station=station,
        received_on=date(2026, 3, 20),
        voter_name="王大爷",
        subject="背街小巷路灯",
        content="路灯不亮。",
        status=status,
        unit=unit,
        unit_due_on=due,
        recorded_by=world.staff,
    )


def _hub(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("deputies:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_figures_count_what_needs_attention(client, world):
    invited(world)
    actions.request_leave(acting_user=world.li.user, invitation=world.inv(world.li), reason="出差")
    ours = Station.objects.create(name="泉城路联络站", street=world.org.street, address="泉城路1号")
    theirs = Station.objects.create(
        name="大明湖联络站", street=world.org.other_street, address="大明湖路2号"
    )
    _opinion(
        world, ours, status=VoterOpinionStatus.TO_UNIT, unit=world.org.unit, due=date(2026, 3, 30)
    )
    _opinion(world, ours, status=VoterOpinionStatus.ANSWERED)
    _opinion(world, theirs, status=VoterOpinionStatus.REPORTED)
    _opinion(world, theirs, status=VoterOpinionStatus.RECEIVED)

    html = _hub(client, world.staff)
    assert "待举行 <strong>1</strong> 项" in html and "请假待批 1 人次" in html
    assert "启用 <strong>2</strong> 个" in html
    assert "未办结 <strong>3</strong> 件" in html and "单位逾期未答复 1 件" in html
    assert "待反馈选民 1 件" in html and "尚未发布积分通报" in html

    # The street committee sees its own street's stations and opinions only.
    html = _hub(client, world.p.street)
    assert "启用 <strong>1</strong> 个" in html and "未办结 <strong>2</strong> 件" in html


def test_deputies_and_units_have_no_hub(client, world):
    for user in (world.p.deputy, world.p.unit):
        client.force_login(user)
        assert client.get(reverse("deputies:index")).status_code == 403


def test_hub_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    invited(world)
    client.force_login(world.staff)
    client.get(reverse("deputies:index"))
    with django_assert_num_queries(11):
        client.get(reverse("deputies:index"))
