"""Points pages: the table (filters, street scope, constant queries, the Excel export of exactly
the filtered rows), one deputy's quarters, who needs a talk, the public bulletins and the
publishing page."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renda.deputies.actions_points import publish_bulletin
from renda.deputies.models import ActivityKind, PointBulletin
from tests.deputies import points_factories
from tests.deputies.activity_factories import deputy_with_login
from tests.deputies.factories import GroupFactory, MandateFactory
from tests.deputies.points_factories import Q1_DAY

pytestmark = pytest.mark.django_db
pw = points_factories.pw  # the fixture

POINTS = reverse("deputies:points")


@pytest.fixture
def other(pw):
    """A deputy of the other street, in a group of their own, with a good year."""
    group = GroupFactory(name="大明湖街道代表小组", street=pw.org.other_street)
    deputy = deputy_with_login("赵其他", street=pw.org.other_street, group=group)
    for _ in range(7):
        pw.suggestion(deputy)  # 81
    pw.activity(ActivityKind.VISIT, absent=[pw.li])  # 李: 57
    return deputy


def table(response) -> dict[str, tuple[str, str, str]]:
    """deputy name -> (quarter points, year points, band) as the page shows them."""
    content = response.content.decode()
    rows = {}
    for chunk in content.split('<tr data-deputy="')[1:]:
        name = chunk.split("</a>")[0].rsplit(">", 1)[1]
        period = chunk.split("data-period>")[1].split("<")[0]
        year = chunk.split("data-year>")[1].split("<")[0]
        band = chunk.split('data-band="')[1].split('"')[0]
        rows[name] = (period, year, band)
    return rows


def test_staff_see_every_current_district_deputy(client, pw, other):
    client.force_login(pw.staff)
    response = client.get(POINTS, {"year": 2026, "quarter": 2})
    assert response.status_code == 200
    assert table(response) == {
        "张代表": ("0.0", "60.0", "fair"),
        "李代表": ("-3.0", "57.0", "poor"),
        "赵其他": ("21.0", "81.0", "good"),
    }
    assert "publish-link" in response.content.decode()


def test_filters_by_quarter_group_street_and_band(client, pw, other):
    client.force_login(pw.p.leader)
    assert table(client.get(POINTS, {"year": 2026, "quarter": 1}))["赵其他"] == (
        "0.0",
        "60.0",
        "fair",
    )
    year = table(client.get(POINTS, {"year": 2026, "quarter": ""}))
    assert year["赵其他"] == ("21.0", "81.0", "good")
    assert set(table(client.get(POINTS, {"group": pw.org.group.pk}))) == {"张代表", "李代表"}
    assert set(table(client.get(POINTS, {"street": pw.org.other_street.pk}))) == {"赵其他"}
    assert set(table(client.get(POINTS, {"year": 2026, "quarter": 2, "band": "poor"}))) == {
        "李代表"
    }
    ranked = table(client.get(POINTS, {"year": 2026, "quarter": 2, "sort": "points"}))
    assert list(ranked) == ["赵其他", "张代表", "李代表"]
    assert "publish-link" not in client.get(POINTS).content.decode()


def test_a_street_sees_its_own_deputies_only(client, pw, other):
    client.force_login(pw.p.street)
    assert set(table(client.get(POINTS, {"year": 2026, "quarter": 2}))) == {"张代表", "李代表"}
    other_page = reverse("deputies:deputy_points", args=[other.pk])
    assert client.get(other_page).status_code == 404


def test_the_table_takes_constant_queries(client, pw, other, django_assert_num_queries):
    client.force_login(pw.staff)
    params = {"year": 2026, "quarter": 2}
    with django_assert_num_queries(31):
        client.get(POINTS, params)
    for _ in range(6):
        MandateFactory(street=pw.org.street, group=pw.org.group)
    with django_assert_num_queries(31):
        assert len(table(client.get(POINTS, params))) == 9


def test_export_holds_exactly_the_filtered_rows(client, pw, other):
    client.force_login(pw.staff)
    params = {"year": 2026, "quarter": 2, "group": pw.org.group.pk}
    response = client.get(reverse("deputies:point_export"), params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == "2026年第2季度代表履职积分"
    headers = [c.value for c in sheet[2]]
    assert headers[:3] == ["姓名", "代表小组", "街道"]
    assert headers[-3:] == ["本期积分", "年度累计积分", "等次"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"张代表", "李代表"}
    li = rows["李代表"]
    assert li[1] == "泉城路街道代表小组"
    assert li[headers.index("无故缺席活动")] == 1
    assert li[-3:] == (-3, 57, "差")
    band = client.get(reverse("deputies:point_export"), {**params, "band": "fair"})
    names = [
        r[0]
        for r in load_workbook(BytesIO(band.content)).active.iter_rows(min_row=3, values_only=True)
    ]
    assert names == ["张代表"]


def test_a_deputy_sees_their_own_quarters_and_no_one_elses(client, pw, other):
    pw.activity(ActivityKind.TRAINING, Q1_DAY, attended=[pw.zhang])
    client.force_login(pw.p.deputy)
    response = client.get(reverse("deputies:deputy_points", args=[pw.zhang.pk]), {"year": 2026})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-quarter-points="1">2.0<' in content
    assert 'data-year-points="2">62.0<' in content
    assert 'data-band="4">较好<' in content
    others = reverse("deputies:deputy_points", args=[pw.li.pk])
    assert client.get(others).status_code == 404


def test_talks_list_the_reasons(client, pw, other):
    for _ in range(3):
        pw.suggestion(pw.zhang)
    pw.activity(ActivityKind.VISIT, Q1_DAY, absent=[pw.zhang])
    pw.activity(ActivityKind.TRAINING, absent=[pw.zhang])  # 69, two absences
    client.force_login(pw.p.leader)
    response = client.get(reverse("deputies:point_talks"), {"year": 2026})
    content = response.content.decode()
    assert response.status_code == 200
    assert f'data-deputy="{pw.zhang.pk}"' in content
    assert "本年度无故缺席活动 2 次（达到 2 次）" in content
    assert "年度积分 57.0 分，低于 60.0 分" in content  # 李
    assert f'data-deputy="{other.pk}"' not in content


def test_talks_take_constant_queries(client, pw, other, django_assert_num_queries):
    client.force_login(pw.staff)
    with django_assert_num_queries(20):
        client.get(reverse("deputies:point_talks"), {"year": 2026})
    for _ in range(5):
        MandateFactory(street=pw.org.street)
    with django_assert_num_queries(20):
        client.get(reverse("deputies:point_talks"), {"year": 2026})


def test_bulletins_are_public_and_show_names_groups_points_and_bands_only(client, pw, other):
    bulletin = publish_bulletin(acting_user=pw.staff, year=2026, quarter=2, note="第二季度通报")
    response = client.get(reverse("deputies:point_bulletins"))
    assert response.status_code == 200
    assert "2026年第2季度代表履职积分通报" in response.content.decode()
    detail = client.get(reverse("deputies:point_bulletin", args=[bulletin.pk]))
    content = detail.content.decode()
    assert detail.status_code == 200
    for shown in ("赵其他", "大明湖街道代表小组", "81.0", "好", "第二季度通报"):
        assert shown in content
    for private in (pw.zhang.phone, "无故缺席", "id_number", "timeline"):
        assert private not in content


def test_bulletin_pages_take_constant_queries(client, pw, other, django_assert_num_queries):
    bulletin = publish_bulletin(acting_user=pw.staff, year=2026, quarter=2)
    with django_assert_num_queries(3):  # the congress (page header), count, page
        client.get(reverse("deputies:point_bulletins"))
    with django_assert_num_queries(4):  # the bulletin, the congress, the rows' count, a page
        client.get(reverse("deputies:point_bulletin", args=[bulletin.pk]))


def test_publishing_from_the_page(client, pw, other):
    url = reverse("deputies:publish_bulletin")
    client.force_login(pw.staff)
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="quarter"' in form.content.decode()
    response = client.post(url, {"year": 2026, "quarter": 3, "note": "请传达"})
    bulletin = PointBulletin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deputies:point_bulletin", args=[bulletin.pk])
    assert bulletin.rows.count() == 3
    again = client.post(url, {"year": 2026, "quarter": 3})
    assert again.status_code == 400
    assert "2026年第3季度积分通报已发布，不能重复发布。" in again.content.decode()
    early = client.post(url, {"year": 2026, "quarter": 4})
    assert early.status_code == 400
    assert "季度结束后才能发布积分通报" in early.content.decode()
    assert client.post(url, {"year": "", "quarter": 9}).status_code == 400
    assert PointBulletin.objects.count() == 1


def test_staff_of_another_office_may_not_publish(client, pw):
    client.force_login(pw.p.social_staff)
    url = reverse("deputies:publish_bulletin")
    assert client.get(url).status_code == 403
    response = client.post(url, {"year": 2026, "quarter": 1})
    assert response.status_code == 403
    assert not PointBulletin.objects.exists()


def test_the_publish_form_proposes_the_last_ended_quarter(client, pw):
    client.force_login(pw.p.admin)
    content = client.get(reverse("deputies:publish_bulletin")).content.decode()
    assert 'value="2026"' in content
    assert '<option value="3" selected>' in content
