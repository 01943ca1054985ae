"""The roster's upkeep pages: add and edit a person, add, correct and end a seat, the import page;
the deputy page's seat history and timeline, with a constant number of queries."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.deputies import actions
from renda.deputies.models import Deputy, Mandate
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.deputies.test_imports import good_rows, workbook

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "full_name": "陈红",
    "gender": "F",
    "ethnicity": "汉族",
    "birth_date": "1949-12-31",
    "party": "none",
    "occupation_category": "farmer",
    "id_number": "11010519491231002X",
    "phone": "13700001111",
    "level": "district",
    "term_number": "18",
    "started_on": "2022-01-06",
}


@pytest.fixture
def roster(personas):
    """The persona 张代表's ID number is freed for the new person of these tests."""
    Deputy.objects.filter(pk=personas.deputy.deputy.pk).update(id_number="")
    return personas


def test_add_deputy_page(client, roster, org):
    client.force_login(roster.staff)
    page = client.get(reverse("deputies:add_deputy"))
    assert page.status_code == 200 and "新增代表" in page.content.decode()
    response = client.post(
        reverse("deputies:add_deputy"),
        {**NEW_PERSON, "street": org.street.pk, "group": org.group.pk},
    )
    deputy = Deputy.objects.get(full_name="陈红")
    assert response.status_code == 302 and response.url == reverse(
        "deputies:detail", args=[deputy.pk]
    )
    assert deputy.mandates.get().group == org.group


def test_add_deputy_with_bad_data_shows_the_field_and_saves_nothing(client, roster, org):
    client.force_login(roster.staff)
    response = client.post(reverse("deputies:add_deputy"), {**NEW_PERSON, "gender": "M"})
    assert response.status_code == 400
    assert response.context["form"].errors["gender"] == ["性别与身份证号不符"]
    assert not Deputy.objects.filter(full_name="陈红").exists()


def test_other_offices_may_not_open_the_upkeep_pages(client, personas):
    client.force_login(personas.social_staff)
    assert client.get(reverse("deputies:add_deputy")).status_code == 403
    assert client.get(reverse("deputies:import")).status_code == 403
    deputy = personas.deputy.deputy
    response = client.get(reverse("deputies:update_deputy", args=[deputy.pk]))
    assert response.status_code == 403
    assert "代表名册由人事代表工作室维护" in response.content.decode()
    before = Deputy.objects.filter(pk=deputy.pk).values().get()
    response = client.post(
        reverse("deputies:update_deputy", args=[deputy.pk]),
        {**NEW_PERSON, "full_name": "张代表", "version": 1},
    )
    assert response.status_code == 403
    assert Deputy.objects.filter(pk=deputy.pk).values().get() == before


def test_street_staff_read_but_do_not_edit(client, personas):
    client.force_login(personas.street)
    deputy = personas.deputy.deputy
    html = client.get(reverse("deputies:detail", args=[deputy.pk])).content.decode()
    assert "修改代表信息" not in html and 'id="no-actions"' in html
    assert "新增代表" not in client.get(reverse("deputies:list")).content.decode()
    mandate = deputy.mandates.get()
    assert client.get(reverse("deputies:end_mandate", args=[mandate.pk])).status_code == 403


def test_update_deputy_page_and_conflict(client, personas):
    deputy = personas.deputy.deputy
    client.force_login(personas.staff)
    form = client.get(reverse("deputies:update_deputy", args=[deputy.pk])).context["form"]
    assert form["full_name"].value() == "张代表" and form["version"].value() == 1
    body = {**NEW_PERSON, "full_name": "张代表", "phone": "13911112222", "version": 1}
    response = client.post(reverse("deputies:update_deputy", args=[deputy.pk]), body)
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert (deputy.phone, deputy.version) == ("13911112222", 2)
    stale = client.post(
        reverse("deputies:update_deputy", args=[deputy.pk]), {**body, "phone": "13933334444"}
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    deputy.refresh_from_db()
    assert deputy.phone == "13911112222"


def test_seat_pages(client, personas, org, time_machine):
    time_machine.move_to(date(2026, 4, 1), tick=False)
    deputy = personas.deputy.deputy
    client.force_login(personas.staff)
    response = client.post(
        reverse("deputies:add_mandate", args=[deputy.pk]),
        {"level": "municipal", "term_number": "18", "started_on": "2022-01-06"},
    )
    assert response.status_code == 302
    municipal = deputy.mandates.get(level="municipal")
    response = client.post(
        reverse("deputies:update_mandate", args=[municipal.pk]),
        {
            "level": "municipal",
            "term_number": "18",
            "electoral_unit": "历下区",
            "started_on": "2022-01-06",
            "version": 1,
        },
    )
    assert response.status_code == 302
    assert Mandate.objects.get(pk=municipal.pk).electoral_unit == "历下区"
    response = client.post(
        reverse("deputies:end_mandate", args=[municipal.pk]),
        {"reason": "moved", "ended_on": "2026-03-31", "version": 2},
    )
    assert response.status_code == 302 and response.url == reverse(
        "deputies:detail", args=[deputy.pk]
    )
    municipal.refresh_from_db()
    assert (municipal.ended_on, municipal.end_reason) == (date(2026, 3, 31), "moved")
    # An ended seat offers nothing more, and its page says why.
    refused = client.get(reverse("deputies:end_mandate", args=[municipal.pk]))
    assert refused.status_code == 403
    bad = client.post(
        reverse("deputies:end_mandate", args=[deputy.mandates.get(level="district").pk]),
        {"reason": "resigned", "ended_on": "2021-01-01", "version": 1},
    )
    assert bad.status_code == 400
    assert bad.context["form"].errors["ended_on"] == ["终止日期不能早于当选日期（2022-01-06）"]


def test_the_deputy_page_shows_the_history_and_the_timeline(client, personas, org, time_machine):
    time_machine.move_to(date(2026, 4, 1), tick=False)
    deputy = personas.deputy.deputy
    old = MandateFactory(
        deputy=deputy, term_number=17, street=org.street, started_on=date(2017, 1, 6)
    )
    actions.end_mandate(
        acting_user=personas.staff, mandate=old, ended_on=date(2021, 12, 31), reason="term_ended"
    )
    client.force_login(personas.staff)
    response = client.get(reverse("deputies:detail", args=[deputy.pk]))
    html = response.content.decode()
    assert "2021-12-31 终止（<span data-end-reason>届满</span>）" in html
    assert "终止代表资格：第17届区人大代表（届满，2021-12-31）" in html  # the timeline
    assert [label for _, links in response.context["mandates"] for label, _ in links] == [
        "修改代表资格",
        "终止代表资格",
    ]  # the current seat only
    assert [a.page.name for a in response.context["actions"]] == ["update_deputy", "add_mandate"]


def test_the_deputy_page_query_count_does_not_grow_with_seats(
    client, personas, org, django_assert_num_queries
):
    deputy = DeputyFactory(full_name="多届代表")
    MandateFactory(deputy=deputy, street=org.street)
    client.force_login(personas.staff)
    url = reverse("deputies:detail", args=[deputy.pk])
    # 10, plus 5 for this year's record summary (queries_record.record_summaries).
    with django_assert_num_queries(15) as few:
        assert client.get(url).status_code == 200
    for term in range(10, 17):
        MandateFactory(deputy=deputy, term_number=term, street=org.street, group=None)
        actions.update_deputy(
            acting_user=personas.staff,
            deputy=deputy,
            person=actions.PersonFields(
                full_name="多届代表",
                gender="M",
                birth_date=date(1975, 5, 1),
                party="cpc",
                occupation_category="professional",
                phone=f"139000000{term}",
            ),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["mandates"]) == 8 and len(response.context["events"]) == 7


def test_import_page(client, personas, org):
    client.force_login(personas.staff)
    page = client.get(reverse("deputies:import"))
    assert page.status_code == 200 and "身份证号" in page.content.decode()
    rows = good_rows()
    rows[3][15] = "二〇二二年"
    upload = SimpleUploadedFile("名册.xlsx", workbook(rows))
    response = client.post(reverse("deputies:import"), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "本次未导入任何代表" in html and "第 6 行" in html and "当选日期" in html
    assert not Deputy.objects.filter(full_name="李建国").exists()
    upload = SimpleUploadedFile("名册.xlsx", workbook(good_rows()))
    response = client.post(reverse("deputies:import"), {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("deputies:list")
    assert "已导入代表资格 4 个：新增代表 3 人" in response.content.decode()


def test_the_list_offers_upkeep_to_the_keepers_only(client, personas):
    client.force_login(personas.staff)
    html = client.get(reverse("deputies:list")).content.decode()
    assert 'id="add-deputy"' in html and 'id="import-roster"' in html
    client.force_login(personas.leader)
    html = client.get(reverse("deputies:list")).content.decode()
    assert 'id="add-deputy"' not in html
