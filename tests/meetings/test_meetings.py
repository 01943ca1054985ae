import datetime

import pytest
from django.urls import reverse

from renda.core.errors import DomainError
from renda.core.models import TimelineEvent
from renda.meetings.actions import register_meeting
from renda.meetings.models import Meeting


@pytest.mark.django_db
def test_register_meeting_writes_the_timeline(personas):
    meeting = register_meeting(
        acting_user=personas.staff,
        kind="director",
        term_number=18,
        number=12,
        date=datetime.date(2026, 3, 2),
    )
    assert meeting.title == "第十八届人大常委会第12次主任会议"
    event = TimelineEvent.objects.for_object(meeting).get()
    assert event.actor == personas.staff and event.summary == "登记第十八届人大常委会第12次主任会议"


def test_titles():
    assert (
        Meeting(kind="standing", term_number=18, number=25).title == "第十八届人大常委会第25次会议"
    )
    assert (
        Meeting(kind="congress", term_number=18, number=5).title == "第十八届人民代表大会第五次会议"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"number": 12}, "duplicate_meeting"),
        ({"number": 0}, "invalid_number"),
        ({"kind": "party"}, "invalid_kind"),
    ],
)
def test_refused_registrations_change_nothing(personas, kwargs, code):
    register_meeting(
        acting_user=personas.staff,
        kind="director",
        term_number=18,
        number=12,
        date=datetime.date(2026, 3, 2),
    )
    before = (Meeting.objects.count(), TimelineEvent.objects.count())
    with pytest.raises(DomainError) as error:
        register_meeting(
            acting_user=personas.staff,
            **{
                "kind": "director",
                "term_number": 18,
                "number": 12,
                "date": datetime.date(2026, 3, 9),
                **kwargs,
            },
        )
    assert error.value.code == code
    assert (Meeting.objects.count(), TimelineEvent.objects.count()) == before


@pytest.mark.django_db
def test_register_page_and_duplicate_error(client, personas):
    client.force_login(personas.staff)
    data = {
        "kind": "standing",
        "term_number": 18,
        "number": 30,
        "date": "2026-12-20",
        "place": "机关三楼会议室",
    }
    response = client.post(reverse("meetings:create"), data)
    meeting = Meeting.objects.get(number=30)
    assert response.status_code == 302 and response["Location"] == reverse(
        "meetings:detail", args=[meeting.pk]
    )
    response = client.post(reverse("meetings:create"), data)
    assert (
        response.status_code == 200
        and "该届次已有同类会议使用这个次数" in response.content.decode()
    )
    assert Meeting.objects.filter(number=30).count() == 1


@pytest.mark.django_db
def test_list_query_count_is_constant(client, personas, django_assert_num_queries):
    client.force_login(personas.leader)
    Meeting.objects.create(
        kind="director", term_number=18, number=1, date=datetime.date(2026, 1, 5)
    )
    with django_assert_num_queries(7) as few:
        client.get(reverse("meetings:list"))
    Meeting.objects.bulk_create(
        [
            Meeting(kind="director", term_number=18, number=n, date=datetime.date(2026, 1, 5))
            for n in range(2, 60)
        ]
    )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("meetings:list"))
    assert len(response.context["page"].object_list) == 30


@pytest.mark.django_db
def test_api_create_and_duplicate(client, personas):
    client.force_login(personas.staff)
    payload = {"kind": "director", "term_number": 18, "number": 7, "date": "2026-04-01"}
    response = client.post("/api/v1/meetings/", payload, content_type="application/json")
    assert (
        response.status_code == 201
        and response.json()["title"] == "第十八届人大常委会第7次主任会议"
    )
    response = client.post("/api/v1/meetings/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "duplicate_meeting",
        "message": "该届次已有同类会议使用这个次数。",
        "errors": [{"field": "number", "message": "次数重复"}],
    }
