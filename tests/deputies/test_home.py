"""The deputies app's home panels: each appears only when something waits, for the right people,
at a fixed query cost."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from renda.deputies import actions_activities as actions
from renda.deputies.models import Station, VoterOpinion, VoterOpinionStatus
from tests.deputies.activity_factories import invited


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_a_deputy_sees_invitations_awaiting_their_answer(client, world):
    assert "我的活动邀请" not in _home(client, world.p.deputy)
    invited(world)
    html = _home(client, world.p.deputy)
    assert "我的活动邀请" in html and "视察老旧小区改造" in html and "待回复" in html
    actions.sign_up(acting_user=world.p.deputy, invitation=world.inv(world.zhang))
    assert "我的活动邀请" not in _home(client, world.p.deputy)


def test_organisers_see_leave_requests_others_do_not(client, world):
    invited(world)
    assert "代表请假待审批" not in _home(client, world.staff)
    actions.request_leave(
        acting_user=world.li.user, invitation=world.inv(world.li), reason="出差在外"
    )
    html = _home(client, world.staff)
    assert "代表请假待审批" in html and "李代表：视察老旧小区改造" in html and "出差在外" in html
    assert "代表请假待审批" not in _home(client, world.p.leader)
    assert "代表请假待审批" not in _home(client, world.p.unit)
    actions.grant_leave(acting_user=world.staff, invitation=world.inv(world.li), answer="同意")
    assert "代表请假待审批" not in _home(client, world.staff)


def _opinion(world, *, unit, due: date) -> VoterOpinion:
    station = Station.objects.get_or_create(
        name="泉城路街道代表联络站",
        defaults={"street": world.org.street, "address": "泉城路1号"},
    )[0]
    return VoterOpinion.objects.create(
        station=station,
        received_on=date(2026, 3, 20),
        voter_name="王大爷",
        subject="小区加装电梯",
        content="希望尽快推进加装电梯。",
        status=VoterOpinionStatus.TO_UNIT,
        unit=unit,
        unit_due_on=due,
        recorded_by=world.staff,
    )


def test_a_unit_sees_opinions_forwarded_to_it_overdue_marked(client, world):
    assert "选民意见待答复" not in _home(client, world.p.unit)
    _opinion(world, unit=world.org.other_unit, due=date(2026, 4, 20))
    assert "选民意见待答复" not in _home(client, world.p.unit)  # another unit's
    _opinion(world, unit=world.org.unit, due=date(2026, 4, 20))
    html = _home(client, world.p.unit)
    assert "选民意见待答复" in html and "小区加装电梯" in html and "（逾期" not in html
    _opinion(world, unit=world.org.unit, due=date(2026, 3, 25))  # before today (April 1st)
    html = _home(client, world.p.unit)
    assert "选民意见待答复（逾期 1 件）" in html


def test_panels_cost_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    invited(world)
    for deputy in (world.li, world.wang):
        actions.request_leave(acting_user=deputy.user, invitation=world.inv(deputy), reason="开会")
    for user in (world.staff, world.p.deputy):
        client.force_login(user)
        with django_assert_max_num_queries(13):
            assert client.get(reverse("home")).status_code == 200
