"""The inquiry pages: the list (who sees which, filters, paging, query count), arranging an
inquiry, the inquiry page (attendees, questions with answers, votes and rates, the rectification
list, the timeline, only the allowed actions), every action through its page (allowed, refused
with its message and nothing changed, stale), the downloads, and the public page."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from renda.core.models import TimelineEvent
from renda.supervision.actions import inquiries as actions
from renda.supervision.models import Inquiry, InquiryAttendee, InquiryQuestion, Rectification
from tests.supervision.factories import at
from tests.supervision.matrix_inquiries import ANSWER, QUESTION, TOPIC, InquiryWorld

pytestmark = pytest.mark.django_db

DAY = date(2026, 9, 25)
LIST = reverse("supervision:inquiries")
CREATE = reverse("supervision:inquiry_create")
PUBLIC = reverse("supervision:public_inquiries")
EXPORT = reverse("supervision:inquiries_export")
EXPORT_QUERIES = 4


@pytest.fixture
def world(supervision, time_machine) -> InquiryWorld:
    time_machine.move_to(at(DAY), tick=False)
    return InquiryWorld(
        staff=supervision.staff,
        office=supervision.office,
        unit=supervision.org.unit,
        unit_user=supervision.p.unit,
        deputy=supervision.deputies[0],
        meeting=supervision.standing_meeting,
    )


def url(name: str, inquiry: Inquiry) -> str:
    return reverse(f"supervision:{name}", args=[inquiry.pk])


def listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [row.pk for row in response.context["page"].object_list]


def state(inquiry: Inquiry) -> tuple:
    row = Inquiry.objects.filter(pk=inquiry.pk).values().get()
    return (
        row,
        InquiryAttendee.objects.filter(inquiry=inquiry).count(),
        list(InquiryQuestion.objects.filter(inquiry=inquiry).values()),
        Rectification.objects.count(),
        TimelineEvent.objects.count(),
    )


# -- the list -----------------------------------------------------------------------------------


def test_who_sees_which_inquiry(client, world, supervision):
    p = supervision.p
    asked = world.with_question()  # asked by 王安全; 住建局 attends
    other_unit = world.create(topic="城市更新")
    actions.add_attendee(
        acting_user=world.staff,
        inquiry=other_unit,
        unit=supervision.org.other_unit,
        official="刘局长",
        official_title="局长",
    )
    for user in (p.admin, p.leader, p.staff, p.social_staff):
        assert set(listed(client, user)) == {asked.pk, other_unit.pk}
    assert listed(client, p.unit) == [asked.pk]
    assert listed(client, supervision.other_unit_user) == [other_unit.pk]
    assert listed(client, p.deputy) == []  # 张代表 asks nothing
    actions.add_question(
        acting_user=world.staff,
        inquiry=asked,
        asker_kind="deputy",
        asker_deputy=p.deputy.deputy,
        attendee=asked.attendees.get(),
        question="第二问",
    )
    assert listed(client, p.deputy) == [asked.pk]
    client.force_login(p.street)
    assert client.get(LIST).status_code == 403


def test_filters(client, world, supervision, org):
    held = world.held()
    old = world.create(topic="物业管理", year=2025)
    leader = supervision.p.leader
    assert listed(client, leader, year="2025") == [old.pk]
    assert listed(client, leader, status="held") == [held.pk]
    assert listed(client, leader, q="物业") == [old.pk]
    assert listed(client, leader, office=org.deputy_office.pk) == []
    assert set(listed(client, leader, status="nonsense", year="x")) == {held.pk, old.pk}


def test_list_query_count_does_not_grow_with_rows(
    client, world, supervision, django_assert_num_queries
):
    client.force_login(supervision.p.unit)
    world.held()
    with django_assert_num_queries(9):
        response = client.get(LIST)
    assert response.status_code == 200
    world.rectifying()
    world.preparing()
    with django_assert_num_queries(9):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 3


def exported(client, user, **params) -> list[list]:
    """The workbook's rows after the title and the header, dates as dates."""
    client.force_login(user)
    response = client.get(EXPORT, params)
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == ["询问主题", "年度"]
    return [
        [v.date() if isinstance(v, datetime) else v for v in row]
        for row in sheet.iter_rows(min_row=3, values_only=True)
    ]


def topics(client, user, **params) -> list[str]:
    """The list's rows as the page shows them, in its order."""
    return [Inquiry.objects.get(pk=pk).topic for pk in listed(client, user, **params)]


def test_the_export_holds_exactly_the_filtered_list(client, world, supervision, org):
    closed = world.closed(topic="城市更新")
    world.held()
    world.create(topic="物业管理", year=2025)
    leader = supervision.p.leader
    everything = exported(client, leader)
    assert (
        [r[0] for r in everything]
        == topics(client, leader)
        == ["城市管理工作", "城市更新", "物业管理"]
    )
    assert everything[1] == [
        "城市更新",
        closed.year,
        world.office.name,
        world.meeting.title,
        world.meeting.date,
        "已办结",
        1,
        1,
        1,
    ]
    assert everything[2][3:5] == [world.meeting.title, None]  # not held yet
    for params in ({"year": "2025"}, {"status": "held"}, {"q": "城市"}):
        assert [r[0] for r in exported(client, leader, **params)] == topics(
            client, leader, **params
        )
    assert exported(client, leader, office=org.deputy_office.pk) == []
    # The unit exports only what it sees: the inquiries it attends.
    assert [r[0] for r in exported(client, supervision.p.unit)] == topics(
        client, supervision.p.unit
    )
    client.force_login(supervision.p.street)
    assert client.get(EXPORT).status_code == 403


def test_the_export_link_carries_the_filters(client, world, supervision):
    client.force_login(supervision.p.leader)
    response = client.get(LIST, {"status": "held", "page": "1"})
    assert response.context["export_url"] == f"{EXPORT}?status=held"
    assert f'href="{EXPORT}?status=held"' in response.content.decode()
    assert client.get(LIST).context["export_url"] == EXPORT


def test_export_query_count_does_not_grow_with_rows(
    client, world, supervision, django_assert_num_queries
):
    client.force_login(supervision.p.unit)
    world.held()
    with django_assert_num_queries(EXPORT_QUERIES):
        assert client.get(EXPORT).status_code == 200
    world.rectifying()
    world.preparing()
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(EXPORT)
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    assert sheet.max_row == 2 + 3


def test_the_create_button_only_for_the_offices(client, world, supervision):
    client.force_login(supervision.p.leader)
    assert 'id="create-inquiry"' not in client.get(LIST).content.decode()
    client.force_login(world.staff)
    assert 'id="create-inquiry"' in client.get(LIST).content.decode()


# -- arranging ----------------------------------------------------------------------------------


def test_staff_arrange_an_inquiry(client, world, planning):
    item = planning.item(planning.approved())
    client.force_login(world.staff)
    form = client.get(CREATE).context["form"]
    assert list(form.fields["office"].queryset) == [world.office]
    assert list(form.fields["plan_item"].queryset) == [item]
    response = client.post(
        CREATE,
        {
            "topic": TOPIC,
            "year": "2026",
            "office": world.office.pk,
            "plan_item": item.pk,
            "meeting": world.meeting.pk,
            "background": "群众关注",
        },
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == url("inquiry", inquiry)
    assert (inquiry.topic, inquiry.plan_item, inquiry.meeting) == (TOPIC, item, world.meeting)


def test_bad_input_arranges_nothing(client, world):
    client.force_login(world.staff)
    response = client.post(CREATE, {"topic": "", "year": "1999", "office": world.office.pk})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"topic", "year"}
    assert not Inquiry.objects.exists()


# -- the inquiry page ---------------------------------------------------------------------------


def test_the_page_shows_everything_and_only_the_allowed_actions(client, world, supervision):
    inquiry = world.rectifying()
    actions.record_question_vote(
        acting_user=world.staff,
        inquiry=inquiry,
        question=world.question(inquiry),
        votes_satisfied=30,
        votes_basic=5,
        votes_unsatisfied=2,
    )
    client.force_login(world.staff)
    response = client.get(url("inquiry", inquiry))
    html = response.content.decode()
    assert QUESTION in html and ANSWER in html and "区住房和城乡建设局" in html
    assert "满意率 <span data-rate>94.6%</span>" in html
    assert "背街小巷保洁" in html and 'data-status="assigned"' in html
    assert "列出整改清单 1 项" in html  # the timeline
    shown = [a.page.name for a in response.context["actions"]]
    assert shown == ["record_question_vote", "list_commitments", "close_inquiry", "publish_inquiry"]
    for user in (supervision.p.unit, supervision.p.staff):
        client.force_login(user)
        response = client.get(url("inquiry", inquiry))
        assert response.context["actions"] == [] and 'id="no-actions"' in response.content.decode()
    client.force_login(supervision.p.leader)
    shown = [a.page.name for a in client.get(url("inquiry", inquiry)).context["actions"]]
    assert shown == ["publish_inquiry"]


def test_an_invisible_inquiry_is_404(client, world, supervision):
    inquiry = world.held()
    client.force_login(supervision.other_unit_user)
    assert client.get(url("inquiry", inquiry)).status_code == 404
    assert client.get(url("inquiry_report_docx", inquiry)).status_code == 404


def test_the_downloads(client, world, supervision):
    inquiry = world.held()
    client.force_login(supervision.p.unit)
    docx = client.get(url("inquiry_report_docx", inquiry))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "wordprocessingml" in docx["Content-Type"]
    xlsx = client.get(url("inquiry_votes_xlsx", inquiry))
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


# -- every action through its page --------------------------------------------------------------


def post(client, user, name: str, inquiry: Inquiry, data=None):
    client.force_login(user)
    return client.post(url(name, inquiry), data or {})


def test_preparing_through_the_pages(client, world, supervision):
    inquiry = world.create()
    staff = world.staff
    response = post(
        client,
        staff,
        "update_inquiry",
        inquiry,
        {"topic": TOPIC, "research": "走访 6 个街道", "meeting": world.meeting.pk, "version": 1},
    )
    assert response.status_code == 302 and response["Location"] == url("inquiry", inquiry)
    assert Inquiry.objects.get(pk=inquiry.pk).research == "走访 6 个街道"
    post(
        client,
        staff,
        "add_attendee",
        inquiry,
        {"unit": world.unit.pk, "official": "张局长", "official_title": "局长"},
    )
    attendee = inquiry.attendees.get()
    post(client, staff, "record_attendance", inquiry, {"attendee": attendee.pk, "attended": "yes"})
    assert InquiryAttendee.objects.get(pk=attendee.pk).attended is True
    post(
        client,
        staff,
        "add_question",
        inquiry,
        {
            "asker_kind": "deputy",
            "asker_deputy": supervision.deputies[0].pk,
            "attendee": attendee.pk,
            "question": QUESTION,
        },
    )
    question = inquiry.questions.get()
    assert question.asker_name == "王安全"
    client.force_login(staff)
    form = client.get(url("update_question", inquiry), {"pick": question.pk}).context["form"]
    assert (form["target"].initial, form["question"].initial) == (question.pk, QUESTION)
    post(
        client,
        staff,
        "update_question",
        inquiry,
        {
            "target": question.pk,
            "asker_kind": "member",
            "asker_name": "常委甲",
            "attendee": attendee.pk,
            "question": "改过的问题",
        },
    )
    question.refresh_from_db()
    assert (question.asker_name, question.question) == ("常委甲", "改过的问题")
    post(client, staff, "record_answer", inquiry, {"target": question.pk, "answer": ANSWER})
    response = post(
        client,
        staff,
        "hold_inquiry",
        inquiry,
        {"held_on": "2026-09-24", "summary": "共提出问题 1 个"},
    )
    assert response.status_code == 302
    assert Inquiry.objects.get(pk=inquiry.pk).status == "held"


def test_removing_through_the_pages(client, world):
    inquiry = world.with_question()
    question = world.question(inquiry)
    response = post(client, world.staff, "remove_question", inquiry, {"target": question.pk})
    assert response.status_code == 302 and not inquiry.questions.exists()
    attendee = inquiry.attendees.get()
    post(client, world.staff, "remove_attendee", inquiry, {"attendee": attendee.pk})
    assert not inquiry.attendees.exists()


def test_after_the_inquiry_through_the_pages(client, world, supervision):
    inquiry = world.held()
    question = world.question(inquiry)
    staff = world.staff
    post(
        client,
        staff,
        "record_question_vote",
        inquiry,
        {"target": question.pk, "votes_satisfied": 30, "votes_basic": 5, "votes_unsatisfied": 2},
    )
    question.refresh_from_db()
    assert question.votes_satisfied == 30
    response = post(
        client,
        staff,
        "list_commitments",
        inquiry,
        {
            "question_1": question.pk,
            "title_1": "背街小巷保洁",
            "description_1": "建立机制",
            "question_2": question.pk,
            "title_2": "占道经营治理",
            "description_2": "设置疏导点",
            "due_on_2": "2026-11-30",
        },
    )
    assert response.status_code == 302
    assert sorted(inquiry.rectifications.values_list("title", "due_on")) == [
        ("占道经营治理", date(2026, 11, 30)),
        ("背街小巷保洁", date(2026, 12, 25)),
    ]
    world.verify_all(inquiry)
    post(client, staff, "close_inquiry", inquiry, {"result_statement": "整改到位"})
    assert Inquiry.objects.get(pk=inquiry.pk).status == "closed"
    post(client, supervision.p.leader, "publish_inquiry", inquiry)
    assert Inquiry.objects.get(pk=inquiry.pk).is_published


def test_a_refused_action_shows_its_message_and_changes_nothing(client, world):
    inquiry = world.with_question()
    before = state(inquiry)
    response = post(
        client, world.staff, "hold_inquiry", inquiry, {"held_on": "2026-09-24", "summary": "x"}
    )
    assert response.status_code == 400
    assert "以下问题尚未记录回答：第 1 个。" in response.content.decode()
    assert state(inquiry) == before
    response = post(client, world.staff, "list_commitments", inquiry, {"title_1": "无问题"})
    assert response.status_code == 400
    assert response.context["form"].errors["question_1"] == ["请选择对应的问题"]
    assert state(inquiry) == before


def test_another_office_is_refused(client, world, supervision):
    inquiry = world.preparing()
    before = state(inquiry)
    client.force_login(supervision.p.staff)
    response = client.get(url("add_attendee", inquiry))
    assert (
        response.status_code == 403 and "您当前不能进行“增加应询人”。" in response.content.decode()
    )
    response = post(
        client,
        supervision.p.staff,
        "add_attendee",
        inquiry,
        {"unit": world.unit.pk, "official": "王副局长", "official_title": "副局长"},
    )
    assert response.status_code == 403
    assert "只有社会建设工作室可以办理该专题询问。" in response.content.decode()
    assert state(inquiry) == before


def test_a_stale_form_is_refused(client, world):
    inquiry = world.create()
    before = state(inquiry)
    response = post(client, world.staff, "update_inquiry", inquiry, {"topic": "改", "version": 0})
    assert response.status_code == 409 and 'id="conflict-message"' in response.content.decode()
    assert state(inquiry) == before


# -- the public page ----------------------------------------------------------------------------


def test_the_public_see_published_inquiries_only(client, world, django_assert_num_queries):
    published = world.published()
    actions.record_question_vote(
        acting_user=world.staff,
        inquiry=published,
        question=world.question(published),
        votes_satisfied=30,
        votes_basic=5,
        votes_unsatisfied=2,
    )
    world.held()  # not published
    with django_assert_num_queries(5):
        response = client.get(PUBLIC)
    assert [i.pk for i in response.context["page"].object_list] == [published.pk]
    html = response.content.decode()
    assert QUESTION in html and ANSWER in html and "<span data-rate>94.6%</span>" in html
    second = world.rectifying()
    actions.publish_inquiry(acting_user=world.staff, inquiry=second)
    with django_assert_num_queries(5):
        response = client.get(PUBLIC)
    assert "背街小巷保洁" in response.content.decode()
    assert len(response.context["page"].object_list) == 2
