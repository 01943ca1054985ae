"""The inspection team: appointed members (one leader, consistent with the plan), deputies of
every level invited once the plan is approved, their replies (by themselves, or entered by the
office when they answer by phone), and withdrawing a member."""

from datetime import date

import pytest

from renda.core.errors import DomainError, NotAllowed
from renda.core.models import TimelineEvent
from renda.deputies.models import Level, Mandate
from renda.supervision.actions import inspections as actions
from renda.supervision.models import Inspection, InvitationStatus, TeamMember, TeamRole
from renda.supervision.queries_inspections import inspection_timeline
from tests.core.factories import UserFactory, grant
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.supervision.factories import Mark, refused
from tests.supervision.inspection_builders import TITLE, world_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(supervision, time_machine):
    return world_for(supervision, time_machine)


OFFICE_ONLY = "只有社会建设工作室可以办理该执法检查。"


def reload(inspection: Inspection) -> Inspection:
    return Inspection.objects.get(pk=inspection.pk)


def appoint(world, inspection, **kw):
    return actions.appoint_team_member(acting_user=world.staff, inspection=inspection, **kw)


# -- appointing -----------------------------------------------------------------------------------


def test_appointing_the_leader_fills_the_plans_leader(world):
    inspection = world.draft()
    mark = Mark(inspection)
    member = appoint(world, inspection, role=TeamRole.LEADER, user=world.leader, title="副主任")
    assert (member.name, member.title, member.invitation) == ("李主任", "副主任", "")
    row = reload(inspection)
    assert (row.leader, row.version) == (world.leader, 2)
    assert mark.event().summary == "检查组组长：李主任"


def test_members_by_account_or_by_name(world):
    inspection = world.approved()
    appoint(world, inspection, role=TeamRole.STAFF, user=world.staff)
    expert = appoint(
        world, inspection, role=TeamRole.MEMBER, name=" 赵专家 ", title="区应急管理局退休干部"
    )
    assert (expert.user, expert.name, expert.get_role_display()) == (
        None,
        "赵专家",
        "常委会组成人员",
    )
    assert inspection.team.count() == 2


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"role": TeamRole.DEPUTY, "name": "王安全"}, "人大代表请通过“邀请代表”加入检查组。"),
        ({"role": "chief", "name": "王安全"}, "请选择检查组职责。"),
        ({"role": TeamRole.MEMBER, "name": " "}, "请选择人员或填写姓名。"),
    ],
)
def test_bad_appointments(world, kw, message):
    inspection = world.draft()
    refused(inspection, lambda: appoint(world, inspection, **kw), message)


def test_one_leader_and_the_plans_leader(world, supervision):
    inspection = world.planned()  # the plan names 李主任 as leader
    refused(
        inspection,
        lambda: appoint(world, inspection, role=TeamRole.LEADER, user=world.staff),
        "方案确定的检查组组长是李主任。",
    )
    refused(
        inspection,
        lambda: appoint(world, inspection, role=TeamRole.LEADER, name="无账号的组长"),
        "方案确定的检查组组长是李主任。",
    )
    appoint(world, inspection, role=TeamRole.LEADER, user=world.leader)
    inspection = reload(inspection)
    refused(
        inspection,
        lambda: appoint(world, inspection, role=TeamRole.LEADER, user=supervision.p.admin),
        "检查组已有组长：李主任。",
    )
    refused(
        inspection,
        lambda: appoint(world, inspection, role=TeamRole.MEMBER, user=world.leader),
        "李主任已在检查组中。",
    )
    refused(
        inspection,
        lambda: actions.update_inspection_plan(
            acting_user=world.staff, inspection=inspection, leader=supervision.p.admin
        ),
        "检查组已任命李主任为组长，请先在检查组中调整。",
    )


def test_the_team_is_frozen_before_the_director_meeting_and_after_the_report(world, supervision):
    for inspection, label in ((world.submitted(), "方案待审定"), (world.reported(), "报告已形成")):
        refused(
            inspection,
            lambda inspection=inspection: appoint(world, inspection, role="member", name="赵"),
            f"执法检查当前为“{label}”，不能调整检查组。",
        )
    draft = world.draft(title="另一项")
    refused(
        draft,
        lambda: actions.appoint_team_member(
            acting_user=supervision.p.staff, inspection=draft, role="member", name="赵"
        ),
        OFFICE_ONLY,
        NotAllowed,
    )


def test_removing_members(world):
    inspection = world.planned()
    leader = appoint(world, inspection, role=TeamRole.LEADER, user=world.leader)
    mark = Mark(inspection)
    actions.remove_team_member(acting_user=world.staff, member=leader)
    assert not TeamMember.objects.filter(pk=leader.pk).exists()
    assert reload(inspection).leader is None
    assert mark.event().summary == "李主任不再担任检查组组长"


def test_a_member_who_went_out_stays(world, supervision):
    inspection = world.checked()
    leader = inspection.team.get(role=TeamRole.LEADER)
    refused(
        inspection,
        lambda: actions.remove_team_member(acting_user=world.staff, member=leader),
        "李主任已参加检查活动，不能移出检查组。",
    )
    declined = inspection.team.get(invitation=InvitationStatus.DECLINED)
    refused(
        inspection,
        lambda: actions.remove_team_member(acting_user=supervision.p.staff, member=declined),
        OFFICE_ONLY,
        NotAllowed,
    )
    mark = Mark(inspection)
    actions.remove_team_member(acting_user=world.staff, member=declined)
    assert mark.event().summary == "撤回对李守法代表的邀请"


# -- inviting -------------------------------------------------------------------------------------


def test_deputies_of_every_level_are_invited_and_told(world):
    provincial = DeputyFactory(full_name="郑省代", work_position="省建设厅处长")
    MandateFactory(deputy=provincial, level=Level.PROVINCIAL, term_number=14)
    both = world.deputies[1]  # a district deputy who is also a municipal deputy
    MandateFactory(deputy=both, level=Level.MUNICIPAL, term_number=16)
    inspection = world.approved()
    mark = Mark(inspection)
    members = actions.invite_deputies(
        acting_user=world.staff,
        inspection=inspection,
        deputies=[world.deputies[0], both, world.deputies[6], provincial],
    )
    assert [(m.name, m.level_label, m.invitation) for m in members] == [
        ("张代表", "区人大代表", "invited"),
        ("王安全", "市人大代表、区人大代表", "invited"),
        ("周市代", "市人大代表", "invited"),
        ("郑省代", "省人大代表", "invited"),
    ]
    assert members[3].title == "省建设厅处长" and members[0].role == TeamRole.DEPUTY
    assert all(m.invited_at is not None for m in members)
    assert mark.event().summary == "邀请代表：张代表、王安全、周市代、郑省代（4 名）"
    # Only the deputy with an account can be told in the platform.
    assert mark.notified() == {"p_deputy": [f"邀请您参加执法检查：{TITLE}"]}
    assert reload(inspection).version == inspection.version + 1


def test_invitations_wait_for_the_approved_plan(world):
    inspection = world.planned()
    refused(
        inspection,
        lambda: actions.invite_deputies(
            acting_user=world.staff, inspection=inspection, deputies=world.deputies[:1]
        ),
        "方案经主任会议审定后才能邀请代表。",
    )
    assert not inspection.team.exists()


def test_invitation_refusals(world, supervision):
    inspection = world.approved()
    actions.invite_deputies(
        acting_user=world.staff, inspection=inspection, deputies=world.deputies[1:2]
    )
    inspection = reload(inspection)
    former = world.deputies[3]
    Mandate.objects.filter(deputy=former).update(ended_on=date(2026, 1, 5), end_reason="moved")
    for deputies, message in (
        ([], "请选择要邀请的代表。"),
        ([world.deputies[2], world.deputies[1]], "王安全已受邀参加该执法检查。"),
        ([former], "赵平安没有有效的代表资格，不能邀请。"),
    ):
        refused(
            inspection,
            lambda deputies=deputies: actions.invite_deputies(
                acting_user=world.staff, inspection=inspection, deputies=deputies
            ),
            message,
        )
    assert inspection.team.count() == 1
    refused(
        inspection,
        lambda: actions.invite_deputies(
            acting_user=supervision.p.staff, inspection=inspection, deputies=world.deputies[2:3]
        ),
        OFFICE_ONLY,
        NotAllowed,
    )


# -- replies --------------------------------------------------------------------------------------


def invited(world, inspection=None):
    inspection = inspection or world.approved()
    members = actions.invite_deputies(
        acting_user=world.staff, inspection=inspection, deputies=world.deputies[:3]
    )
    return reload(inspection), members


def test_the_deputy_accepts_and_the_office_is_told(world):
    inspection, (member, *_) = invited(world)
    mark = Mark(member)
    member = actions.reply_invitation(
        acting_user=world.deputies[0].user, member=member, accept=True, note=" 准时参加 "
    )
    row = TeamMember.objects.get(pk=member.pk)
    assert (row.invitation, row.reply_note) == (InvitationStatus.ACCEPTED, "准时参加")
    assert row.replied_at is not None
    event = mark.event()
    assert (event.verb, event.summary, event.from_state, event.to_state) == (
        "accept",
        "张代表代表接受邀请",
        "invited",
        "accepted",
    )
    assert (event.from_label, event.to_label) == ("待答复", "已接受")
    assert mark.notified() == {"p_social": [f"张代表代表接受参加执法检查：{TITLE}"]}
    # The inspection's own row is not touched by a deputy's answer.
    assert reload(inspection).version == inspection.version


def test_a_decline_needs_no_reason_and_a_mind_may_change(world):
    _, (member, *_) = invited(world)
    deputy_user = world.deputies[0].user
    actions.reply_invitation(acting_user=deputy_user, member=member, accept=False)
    assert TeamMember.objects.get(pk=member.pk).invitation == InvitationStatus.DECLINED
    refused(
        member,
        lambda: actions.reply_invitation(acting_user=deputy_user, member=member, accept=False),
        "邀请当前为“已谢绝”，不能再谢绝。",
    )
    mark = Mark(member)
    actions.reply_invitation(
        acting_user=deputy_user, member=member, accept=True, note="改期后可参加"
    )
    assert TeamMember.objects.get(pk=member.pk).invitation == InvitationStatus.ACCEPTED
    assert mark.event().from_state == "declined"
    assert len(mark.notified()["p_social"]) == 1


def test_only_the_invited_deputy_replies(world, supervision):
    _, (member, second, _) = invited(world)
    user = UserFactory(username="other_deputy")
    grant(user, "deputy")
    MandateFactory(deputy=DeputyFactory(full_name="别的代表", user=user))
    for who in (world.staff, supervision.p.admin, user):
        refused(
            member,
            lambda who=who: actions.reply_invitation(acting_user=who, member=member, accept=True),
            "只有受邀代表本人可以答复邀请。",
            NotAllowed,
        )
    # A deputy without an account cannot be answered for by anyone else either.
    refused(
        second,
        lambda: actions.reply_invitation(
            acting_user=world.deputies[0].user, member=second, accept=True
        ),
        "只有受邀代表本人可以答复邀请。",
        NotAllowed,
    )


def test_no_reply_once_the_report_is_formed(world):
    inspection = world.reported()
    member = inspection.team.get(deputy=world.deputies[0])
    refused(
        member,
        lambda: actions.reply_invitation(
            acting_user=world.deputies[0].user, member=member, accept=False
        ),
        "执法检查当前为“报告已形成”，不能再答复邀请。",
    )


def test_the_office_enters_a_reply_given_by_phone(world, supervision):
    _, (_, member, _) = invited(world)
    refused(
        member,
        lambda: actions.record_reply_for_deputy(
            acting_user=supervision.p.staff, member=member, accept=True
        ),
        OFFICE_ONLY,
        NotAllowed,
    )
    mark = Mark(member)
    actions.record_reply_for_deputy(
        acting_user=world.staff, member=member, accept=False, note="外出学习"
    )
    row = TeamMember.objects.get(pk=member.pk)
    assert (row.invitation, row.reply_note) == (
        InvitationStatus.DECLINED,
        "电话答复，由社建室干部代为登记：外出学习",
    )
    event = mark.event()
    assert (event.actor, event.summary, event.note) == (
        world.staff,
        "王安全代表谢绝邀请（代为登记）",
        "电话答复，由社建室干部代为登记：外出学习",
    )
    assert mark.notified() == {}
    refused(
        member,
        lambda: actions.record_reply_for_deputy(
            acting_user=world.staff, member=member, accept=False
        ),
        "邀请当前为“已谢绝”，不能再谢绝。",
    )


def test_a_member_who_is_not_a_deputy_has_no_invitation(world):
    inspection = world.approved()
    staff_member = appoint(world, inspection, role=TeamRole.STAFF, user=world.staff)
    with pytest.raises(DomainError) as info:
        actions.record_reply_for_deputy(acting_user=world.staff, member=staff_member, accept=True)
    assert info.value.message == "该邀请不存在或已撤回。"


def test_the_timeline_shows_the_replies(world):
    inspection = world.teamed()
    member_ids = inspection.team.values_list("pk", flat=True)
    summaries = [e.summary for e in inspection_timeline(inspection, member_ids)]
    assert "张代表代表接受邀请" in summaries
    assert "李守法代表谢绝邀请（代为登记）" in summaries
    assert summaries[0] == f"立项：{TITLE}"
    assert TimelineEvent.objects.for_object(inspection).count() < len(summaries)
