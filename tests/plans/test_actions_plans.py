"""The plan's own moves: draft, edit, submit (only with measurable results), return, approve at
a director meeting (and the party committee where the kind needs it), publish."""

from datetime import date

import pytest

from renda.core.errors import ConflictError, DomainError, NotAllowed
from renda.core.models import TimelineEvent
from renda.meetings.models import Meeting
from renda.plans import actions
from renda.plans.models import Plan, PlanKind, PlanStatus
from tests.plans.factories import Mark, item_fields, refused

pytestmark = pytest.mark.django_db

TITLE = "2026年监督工作计划"
LABEL = {"draft": "起草中", "submitted": "待审定", "approved": "已审定", "published": "已印发"}
# Logged in, but neither the drafting office nor a leader.
OUTSIDERS = ("staff", "street", "deputy", "unit")
NOT_DRAFT = ("submitted", "approved", "published")


def reload(plan: Plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


def create(planning, who="social_staff", **overrides):
    values = {"kind": PlanKind.SUPERVISION, "year": 2026, "title": TITLE}
    values.update(overrides)
    return actions.create_plan(
        acting_user=getattr(planning.p, who), office=planning.office, **values
    )


# -- create_plan ----------------------------------------------------------------------------------


def test_an_office_drafts_its_plan(planning):
    plan = create(planning, title=f"  {TITLE} ")
    assert (plan.status, plan.version, plan.title, plan.created_by) == (
        PlanStatus.DRAFT,
        1,
        TITLE,
        planning.p.social_staff,
    )
    (event,) = TimelineEvent.objects.for_object(plan)
    assert (event.verb, event.summary, event.actor) == (
        "draft",
        f"起草{TITLE}",
        planning.p.social_staff,
    )


@pytest.mark.parametrize("who", [*OUTSIDERS, "leader"])
def test_only_the_office_itself_drafts(planning, who):
    with pytest.raises(NotAllowed) as info:
        create(planning, who=who)
    assert info.value.message == "只能为本机构起草计划。"
    assert not Plan.objects.exists()


def test_one_plan_per_kind_year_and_office(planning):
    planning.draft()
    with pytest.raises(DomainError) as info:
        create(planning, title="又一份")
    assert info.value.message == "社会建设工作室2026年已有监督工作计划。"
    assert Plan.objects.count() == 1
    create(planning, year=2027, title="2027年监督工作计划")  # another year: another plan
    create(planning, kind=PlanKind.STUDY, title="2026年学习考察计划")  # another kind
    assert Plan.objects.count() == 3


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "nonsense"}, "请选择计划类别。"),
        ({"year": 1999}, "年度不正确。"),
        ({"title": "  "}, "请填写计划名称。"),
    ],
)
def test_bad_plan_input_is_refused(planning, overrides, message):
    with pytest.raises(DomainError) as info:
        create(planning, **overrides)
    assert info.value.message == message
    assert not Plan.objects.exists()


# -- update_plan ----------------------------------------------------------------------------------


def test_the_office_edits_its_draft(planning):
    plan = planning.draft()
    mark = Mark(plan)
    actions.update_plan(
        acting_user=planning.p.social_staff,
        plan=plan,
        title="2026年监督工作计划（修订稿）",
        note="按主任会议意见修改",
        version=plan.version,
    )
    after = reload(plan)
    assert (after.title, after.note, after.version) == (
        "2026年监督工作计划（修订稿）",
        "按主任会议意见修改",
        plan.version + 1,
    )
    assert (mark.event().verb, mark.event().summary) == ("edit", "修改计划")


@pytest.mark.parametrize("status", NOT_DRAFT)
def test_a_plan_past_draft_is_not_edited(planning, status):
    plan = planning.plan_in(status)
    refused(
        plan,
        lambda: actions.update_plan(acting_user=planning.p.social_staff, plan=plan, title="新"),
        f"计划当前为“{LABEL[status]}”，已不能直接修改；审定后的事项变更请提出变更申请。",
    )


@pytest.mark.parametrize("who", [*OUTSIDERS, "leader"])
def test_only_the_drafting_office_edits(planning, who):
    plan = planning.draft()
    refused(
        plan,
        lambda: actions.update_plan(acting_user=getattr(planning.p, who), plan=plan, title="新"),
        "只有社会建设工作室可以编写该计划。",
        NotAllowed,
    )


def test_a_stale_version_is_refused_with_409(planning):
    plan = planning.draft()
    stale = plan.version
    actions.update_plan(acting_user=planning.p.social_staff, plan=plan, title="第一人改的")
    error = refused(
        plan,
        lambda: actions.update_plan(
            acting_user=planning.p.social_staff, plan=plan, title="第二人改的", version=stale
        ),
        "该计划已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    assert error.status == 409
    assert reload(plan).title == "第一人改的"


# -- submit_plan ----------------------------------------------------------------------------------


def test_a_measurable_plan_is_submitted_and_the_leaders_told(planning):
    plan = planning.draft(items=2)
    mark = Mark(plan)
    actions.submit_plan(acting_user=planning.p.social_staff, plan=plan, version=plan.version)
    after = reload(plan)
    assert (after.status, after.version) == (PlanStatus.SUBMITTED, plan.version + 1)
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.summary) == (
        "submit",
        "draft",
        "submitted",
        "提交主任会议审定",
    )
    assert mark.notified() == {"p_leader": [f"计划待审定：{TITLE}"]}


def test_items_without_measurable_results_are_named_and_the_plan_stays_a_draft(planning):
    plan = planning.draft(items=0)
    staff = planning.p.social_staff
    for values in (
        item_fields(planning.office, title="安全生产法执法检查"),
        item_fields(planning.office, title="城市管理专题询问", expected_result=" "),
        item_fields(planning.office, title="代表培训", measure=""),
        item_fields(planning.office, title="街道调研", ends_on=None),
    ):
        actions.add_item(acting_user=staff, plan=plan, values=values)
    plan = reload(plan)
    error = refused(
        plan,
        lambda: actions.submit_plan(acting_user=staff, plan=plan),
        "以下事项缺少预期成果、成果衡量方式或完成期限，不能提交："
        "“城市管理专题询问”、“代表培训”、“街道调研”。",
    )
    assert error.field_errors == {"items": "缺少可衡量的成果"}


def test_a_plan_without_items_is_not_submitted(planning):
    plan = planning.draft(items=0)
    refused(
        plan,
        lambda: actions.submit_plan(acting_user=planning.p.social_staff, plan=plan),
        "计划还没有事项，不能提交。",
    )


@pytest.mark.parametrize("status", NOT_DRAFT)
def test_only_a_draft_is_submitted(planning, status):
    plan = planning.plan_in(status)
    refused(
        plan,
        lambda: actions.submit_plan(acting_user=planning.p.social_staff, plan=plan),
        f"计划当前为“{LABEL[status]}”，已不能直接修改；审定后的事项变更请提出变更申请。",
    )


@pytest.mark.parametrize("who", [*OUTSIDERS, "leader"])
def test_only_the_drafting_office_submits(planning, who):
    plan = planning.draft()
    refused(
        plan,
        lambda: actions.submit_plan(acting_user=getattr(planning.p, who), plan=plan),
        "只有社会建设工作室可以编写该计划。",
        NotAllowed,
    )


def test_submit_with_a_stale_version_saves_nothing(planning):
    plan = planning.draft()
    refused(
        plan,
        lambda: actions.submit_plan(
            acting_user=planning.p.social_staff, plan=plan, version=plan.version - 1
        ),
        "该计划已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )


# -- return_plan ----------------------------------------------------------------------------------


def test_a_leader_returns_a_submitted_plan_and_the_office_resubmits(planning):
    plan = planning.submitted()
    mark = Mark(plan)
    actions.return_plan(acting_user=planning.p.leader, plan=plan, reason="事项过多，请精简")
    after = reload(plan)
    assert (after.status, after.return_reason) == (PlanStatus.DRAFT, "事项过多，请精简")
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.note) == (
        "return",
        "submitted",
        "draft",
        "事项过多，请精简",
    )
    assert mark.notified() == {"p_social": [f"计划被退回修改：{TITLE}"]}
    actions.submit_plan(acting_user=planning.p.social_staff, plan=after)
    assert reload(plan).return_reason == ""


@pytest.mark.parametrize("status", ["draft", "approved", "published"])
def test_only_a_submitted_plan_is_returned(planning, status):
    plan = planning.plan_in(status)
    refused(
        plan,
        lambda: actions.return_plan(acting_user=planning.p.leader, plan=plan, reason="再议"),
        "只有待审定的计划可以退回。",
    )


@pytest.mark.parametrize("who", [*OUTSIDERS, "social_staff"])
def test_only_leaders_return_plans(planning, who):
    plan = planning.submitted()
    refused(
        plan,
        lambda: actions.return_plan(acting_user=getattr(planning.p, who), plan=plan, reason="x"),
        "只有常委会领导可以退回计划。",
        NotAllowed,
    )


def test_a_return_needs_a_reason(planning):
    plan = planning.submitted()
    refused(
        plan,
        lambda: actions.return_plan(acting_user=planning.p.leader, plan=plan, reason=" "),
        "请填写退回理由。",
    )


# -- approve_plan ---------------------------------------------------------------------------------


def approve(planning, plan, who="leader", **kw):
    values = {"meeting": planning.meeting, "party_committee_date": date(2026, 2, 10)}
    values.update(kw)
    return actions.approve_plan(acting_user=getattr(planning.p, who), plan=plan, **values)


def test_a_leader_records_the_approval_and_the_owner_offices_are_told(planning):
    plan = planning.submitted(items=2)
    deputy_items = planning.item(plan, 1)
    deputy_items.owner_office = planning.org.deputy_office  # an item another office carries out
    deputy_items.save(update_fields=["owner_office"])
    mark = Mark(plan)
    approve(planning, plan, party_committee_note="区委常委会第5次会议", version=plan.version)
    after = reload(plan)
    assert (
        after.status,
        after.approved_meeting,
        after.party_committee_date,
        after.party_committee_note,
        after.is_binding,
    ) == (PlanStatus.APPROVED, planning.meeting, date(2026, 2, 10), "区委常委会第5次会议", True)
    assert after.approved_at is not None
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.summary) == (
        "approve",
        "submitted",
        "approved",
        "经第十八届人大常委会第3次主任会议审定",
    )
    title = f"计划已审定，请抓好落实：{TITLE}"
    assert mark.notified() == {"p_staff": [title], "p_social": [title]}


def test_an_office_plan_needs_no_party_committee_date(planning):
    plan = planning.submitted(kind=PlanKind.OFFICE)
    approve(planning, plan, party_committee_date=None)
    assert reload(plan).status == PlanStatus.APPROVED


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (PlanKind.WORK_POINTS, "年度工作要点"),
        (PlanKind.SUPERVISION, "监督工作计划"),
        (PlanKind.DEPUTY_WORK, "代表工作计划"),
    ],
)
def test_the_party_committee_date_is_required_where_the_kind_needs_it(planning, kind, label):
    plan = planning.submitted(kind=kind)
    error = refused(
        plan,
        lambda: approve(planning, plan, party_committee_date=None),
        f"{label}还须经区委常委会审定，请填写审定日期。",
    )
    assert "party_committee_date" in error.field_errors


def test_the_meeting_must_be_a_director_meeting(planning):
    plan = planning.submitted()
    standing = Meeting.objects.create(
        kind=Meeting.Kind.STANDING, term_number=18, number=20, date=date(2026, 2, 6)
    )
    refused(
        plan,
        lambda: approve(planning, plan, meeting=standing),
        "计划由主任会议审定，请选择主任会议。",
    )


@pytest.mark.parametrize("status", ["draft", "approved", "published"])
def test_only_a_submitted_plan_is_approved(planning, status):
    plan = planning.plan_in(status)
    refused(
        plan,
        lambda: approve(planning, plan),
        f"计划当前为“{LABEL[status]}”，不能审定。",
    )


@pytest.mark.parametrize("who", [*OUTSIDERS, "social_staff"])
def test_only_leaders_approve(planning, who):
    plan = planning.submitted()
    refused(
        plan, lambda: approve(planning, plan, who=who), "只有常委会领导可以审定计划。", NotAllowed
    )


def test_approve_with_a_stale_version_saves_nothing(planning):
    plan = planning.submitted()
    refused(
        plan,
        lambda: approve(planning, plan, version=plan.version + 1),
        "该计划已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )


# -- publish_plan ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "who", "summary"),
    [
        (PlanKind.SUPERVISION, "social_staff", "印发，并向社会公开"),
        (PlanKind.DEPUTY_WORK, "leader", "印发，并向社会公开"),
        (PlanKind.OFFICE, "social_staff", "印发"),
    ],
)
def test_an_approved_plan_is_published(planning, kind, who, summary):
    plan = planning.approved(kind=kind)
    mark = Mark(plan)
    actions.publish_plan(acting_user=getattr(planning.p, who), plan=plan)
    after = reload(plan)
    assert after.status == PlanStatus.PUBLISHED and after.published_at is not None
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.summary) == (
        "publish",
        "approved",
        "published",
        summary,
    )


@pytest.mark.parametrize("status", ["draft", "submitted", "published"])
def test_only_an_approved_plan_is_published(planning, status):
    plan = planning.plan_in(status)
    refused(
        plan,
        lambda: actions.publish_plan(acting_user=planning.p.social_staff, plan=plan),
        "只有已审定的计划可以印发。",
    )


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_do_not_publish(planning, who):
    plan = planning.approved()
    refused(
        plan,
        lambda: actions.publish_plan(acting_user=getattr(planning.p, who), plan=plan),
        "无权印发该计划。",
        NotAllowed,
    )
