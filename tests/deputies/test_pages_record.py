"""Record pages: the year's record and its PDF (who may see whose), the deputy's own phone-first
pages, and the public profiles that anyone may read and that leak nothing private."""

from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse

from renda.deputies.models import Deputy
from tests.deputies.activity_factories import deputy_with_login
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.deputies.record_factories import (
    YEAR,
    held,
    street_user_of,
    suggestions_led_by,
)

# The record fixture (not in the package's conftest, which other helpers own).

pytestmark = pytest.mark.django_db

ZHANG_ID_NUMBER = "11010519491231002X"
ZHANG_PHONE = "13912345678"


def record_url(deputy: Deputy, year: int | None = None) -> str:
    url = reverse("deputies:record", args=[deputy.pk])
    return f"{url}?year={year}" if year else url


def archive_url(deputy: Deputy, year: int = YEAR) -> str:
    return reverse("deputies:record_archive", args=[deputy.pk, year])


# ---------------------------------------------------------------------------------------------
# The record of a year


def test_the_record_page_shows_every_section_of_the_year(client, record_world):
    client.force_login(record_world.p.staff)
    response = client.get(record_url(record_world.zhang))
    assert response.status_code == 200
    record = response.context["record"]
    assert record.year == YEAR and record.full_name == "张代表"
    html = response.content.decode()
    for section in ("meetings", "activities", "suggestions", "receptions", "trainings"):
        assert f'id="section-{section}"' in html
    for title in ("区十八届人大五次会议", "视察老旧小区", "关于增设停车位的建议", "履职培训"):
        assert title in html
    assert "一份草稿" not in html and "不予立案的建议" not in html and "去年视察" not in html
    assert html.count('data-outcome="absent"') == 1
    assert response.context["years"][0] == YEAR
    assert archive_url(record_world.zhang) in html


def test_another_year_is_picked_with_the_year_parameter(client, record_world):
    client.force_login(record_world.p.staff)
    html = client.get(record_url(record_world.zhang, YEAR - 1)).content.decode()
    assert "去年视察" in html and "去年的建议" in html and "视察老旧小区</td>" not in html
    # A year out of range falls back to this year rather than failing.
    assert client.get(record_url(record_world.zhang, 1900)).context["record"].year == YEAR


@pytest.mark.parametrize("role", ["admin", "leader", "staff", "street", "deputy"])
def test_who_may_read_zhangs_record(client, personas, role):
    client.force_login(personas.by_role()[role])
    zhang = personas.deputy.deputy
    assert client.get(record_url(zhang)).status_code == 200
    assert client.get(archive_url(zhang)).status_code == 200


def test_units_are_refused_and_strangers_sent_to_log_in(client, personas):
    zhang = personas.deputy.deputy
    client.force_login(personas.unit)
    assert client.get(record_url(zhang)).status_code == 403
    assert client.get(archive_url(zhang)).status_code == 403
    client.logout()
    assert client.get(record_url(zhang)).status_code == 302
    assert client.get(archive_url(zhang)).status_code == 302


def test_a_deputy_sees_only_their_own_record(client, world):
    client.force_login(world.p.deputy)
    assert client.get(record_url(world.li)).status_code == 404
    assert client.get(archive_url(world.li)).status_code == 404


def test_a_street_committee_sees_only_its_streets_deputies(client, world):
    client.force_login(world.p.street)
    assert client.get(record_url(world.li)).status_code == 200
    assert client.get(record_url(world.wang)).status_code == 404  # another street's deputy
    assert client.get(archive_url(world.wang)).status_code == 404
    other = street_user_of(world.org.other_street)
    client.force_login(other)
    assert client.get(record_url(world.wang)).status_code == 200
    assert client.get(record_url(world.zhang)).status_code == 404


def test_the_archive_downloads_with_the_deputys_name(client, world):
    client.force_login(world.p.staff)
    response = client.get(archive_url(world.zhang, 2026))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert quote("张代表-2026年履职档案.pdf") in response["Content-Disposition"]
    assert client.get(archive_url(world.zhang, 1999)).status_code == 404
    assert client.get(archive_url(world.zhang, 2030)).status_code == 404


def test_the_record_page_query_count_does_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    client.force_login(world.p.staff)
    url = record_url(world.zhang, 2026)
    with django_assert_num_queries(14) as few:
        assert client.get(url).status_code == 200
    for n in range(4):
        held(world, kind="visit", day=date(2026, 4, 20 + n), attended=[world.zhang])
    held(world, kind="session", day=date(2026, 5, 10), leave=[world.zhang], half_days=2)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["record"].activities) == 4


# ---------------------------------------------------------------------------------------------
# The deputy's own pages


def test_my_record_is_this_years_summary_with_the_full_record_and_pdf(client, record_world):
    client.force_login(record_world.p.deputy)
    response = client.get(reverse("deputies:me"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.year == YEAR and summary.suggestions_led == 2
    html = response.content.decode()
    zhang = record_world.zhang
    assert reverse("deputies:record", args=[zhang.pk]) in html
    assert archive_url(zhang) in html
    assert reverse("deputies:my_suggestions") in html


def test_my_record_without_a_deputy_record(client, org):
    from tests.core.factories import UserFactory, grant

    user = UserFactory(username="lonely")
    grant(user, "deputy")
    client.force_login(user)
    assert client.get(reverse("deputies:me")).status_code == 404
    assert client.get(reverse("deputies:my_suggestions")).status_code == 404


def test_my_suggestions_lists_led_and_cosigned_with_links_when_openable(client, record_world):
    client.force_login(record_world.p.deputy)
    response = client.get(reverse("deputies:my_suggestions"))
    assert response.status_code == 200
    rows = {s.pk: s for s in response.context["page"].object_list}
    led, cosigned = record_world.led, record_world.cosigned
    # Every suggestion they lead, whatever its state (their own drafts too).
    for name in ("accepted", "cosigned_by_li", "draft", "submitted", "declined", "last_year"):
        assert led[name].pk in rows, name
    assert rows[led["draft"].pk].may_open
    # Co-signed: confirmed, declined and pending are all theirs to see.
    assert {cosigned[k].pk for k in ("confirmed", "declined", "pending")} <= set(rows)
    assert rows[cosigned["pending"].pk].cosign_status == "pending"
    html = response.content.decode()
    assert reverse("suggestions:detail", args=[cosigned["confirmed"].pk]) in html
    assert "李代表独自领衔的建议" not in html  # not theirs
    assert "待您确认" in html and "您已拒绝" in html


def test_another_deputys_draft_is_not_in_my_suggestions(client, world):
    from renda.suggestions.defaults import ensure_default_taxonomies

    ensure_default_taxonomies()
    theirs = suggestions_led_by(world, world.li, world.zhang)
    draft = theirs.draft(title="李代表的草稿", cosign=True)
    client.force_login(world.p.deputy)
    rows = client.get(reverse("deputies:my_suggestions")).context["page"].object_list
    assert draft.pk not in {s.pk for s in rows}


def test_my_suggestions_query_count_is_constant(client, world, django_assert_num_queries):
    from renda.suggestions.defaults import ensure_default_taxonomies

    ensure_default_taxonomies()
    mine = suggestions_led_by(world, world.zhang, world.li)
    mine.accepted(title="第一件", cosign=True)
    client.force_login(world.p.deputy)
    url = reverse("deputies:my_suggestions")
    with django_assert_num_queries(8) as few:
        client.get(url)
    for n in range(4):
        mine.submitted(title=f"又一件{n}", cosign=True)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 5


def test_the_deputy_page_shows_this_years_record_with_links(client, record_world):
    client.force_login(record_world.p.leader)
    zhang = record_world.zhang
    response = client.get(reverse("deputies:detail", args=[zhang.pk]))
    assert response.context["record_summary"].activities.attended == 2
    html = response.content.decode()
    assert 'id="record-link"' in html and archive_url(zhang) in html


# ---------------------------------------------------------------------------------------------
# Public profiles: anyone, no login, nothing private


def test_the_public_list_is_open_to_anyone_and_leaks_nothing(client, record_world):
    response = client.get(reverse("deputies:public_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "张代表" in html and "李代表" in html
    assert "王市代表" not in html  # not a district deputy
    for private in (ZHANG_ID_NUMBER, ZHANG_PHONE, "1949-12-31", "区人民医院"):
        assert private not in html
    rows = response.context["rows"]
    zhang_row = next(row for row in rows if row[0].pk == record_world.zhang.pk)
    assert zhang_row[2].suggestions_led == 2 and zhang_row[2].meetings.attended == 1
    assert "泉城路街道代表小组" in html  # grouped by the deputy group


def test_the_public_list_searches_by_name(client, world):
    response = client.get(reverse("deputies:public_list"), {"q": "李"})
    assert [d.full_name for d, _, _ in response.context["rows"]] == ["李代表"]


def test_the_public_list_query_count_is_constant(client, world, django_assert_num_queries):
    url = reverse("deputies:public_list")
    with django_assert_num_queries(9) as few:
        client.get(url)
    for n in range(6):
        deputy_with_login(f"新代表{n}", street=world.org.street, group=world.org.group)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 8


def test_the_public_profile_shows_seats_and_counts_only(client, record_world):
    zhang = record_world.zhang
    response = client.get(reverse("deputies:public_profile", args=[zhang.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "张代表" in html and "第18届区人大代表" in html and "泉城路街道代表小组" in html
    for private in (ZHANG_ID_NUMBER, ZHANG_PHONE, "1949-12-31", "区人民医院", "13800000000"):
        assert private not in html
    # Counts, not the items: no suggestion title, no activity title.
    assert "关于增设停车位的建议" not in html and "视察老旧小区" not in html
    assert response.context["summary"].suggestions_led == 2


def test_ended_mandates_and_other_levels_have_no_public_profile(client, world):
    ended = DeputyFactory(full_name="已离任代表")
    MandateFactory(
        deputy=ended, started_on=date(2022, 1, 6), ended_on=date(2025, 1, 1), end_reason="moved"
    )
    for deputy in (ended, world.wang):
        url = reverse("deputies:public_profile", args=[deputy.pk])
        assert client.get(url).status_code == 404
    assert "已离任代表" not in client.get(reverse("deputies:public_list")).content.decode()
