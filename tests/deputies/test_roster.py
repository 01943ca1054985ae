import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renda.deputies.models import Deputy, Level, Mandate
from renda.deputies.names import stroke_key
from tests.deputies.factories import DeputyFactory, MandateFactory

NAMES = ["王小明", "丁一", "马力", "李四", "欧阳明", "于洋", "万里", "曾国", "张三"]


def make_deputies(count, street, group=None, level=Level.DISTRICT):
    deputies = Deputy.objects.bulk_create(
        [
            Deputy(
                full_name=f"{NAMES[i % len(NAMES)]}{i}",
                gender="F" if i % 3 == 0 else "M",
                birth_date=datetime.date(1970 + i % 30, 1, 1),
                party="cpc",
                occupation_category="worker" if i % 2 else "professional",
                phone=f"138{i:08d}",
                name_stroke_key=stroke_key(f"{NAMES[i % len(NAMES)]}{i}"),
                name_pinyin=f"p{i:04d}",
            )
            for i in range(count)
        ]
    )
    Mandate.objects.bulk_create(
        [
            Mandate(
                deputy=d,
                level=level,
                term_number=18,
                street=street,
                group=group,
                started_on=datetime.date(2022, 1, 6),
            )
            for d in deputies
        ]
    )
    return deputies


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_rows(client, personas, org, django_assert_num_queries):
    client.force_login(personas.staff)
    make_deputies(9, org.street, org.group)
    with django_assert_num_queries(11) as small:
        assert client.get(reverse("deputies:list")).status_code == 200
    make_deputies(411, org.other_street)
    assert Deputy.objects.count() == 421
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("deputies:list"))
    assert response.context["page"].paginator.count == 421
    assert len(response.context["rows"]) == 50


@pytest.mark.django_db
def test_list_sorts_by_surname_strokes_by_default_and_by_pinyin(client, personas, org):
    for name in ["王小明", "丁一", "马力", "于洋", "万里"]:
        MandateFactory(deputy=DeputyFactory(full_name=name), street=org.street)
    client.force_login(personas.staff)
    names = [d.full_name for d, _ in client.get(reverse("deputies:list")).context["rows"]]
    assert names[:5] == ["丁一", "于洋", "万里", "马力", "王小明"]
    names = [
        d.full_name
        for d, _ in client.get(reverse("deputies:list"), {"sort": "pinyin"}).context["rows"]
    ]
    assert (
        names.index("丁一")
        < names.index("马力")
        < names.index("万里")
        < names.index("王小明")
        < names.index("于洋")
    )


@pytest.mark.django_db
def test_filters_and_search(client, personas, org):
    municipal = DeputyFactory(full_name="司马光", occupation_category="business")
    MandateFactory(deputy=municipal, level=Level.MUNICIPAL, street=org.other_street)
    MandateFactory(deputy=municipal, level=Level.DISTRICT, street=org.other_street)
    ended = DeputyFactory(full_name="离任者")
    MandateFactory(
        deputy=ended, street=org.street, ended_on=datetime.date(2024, 5, 1), end_reason="moved"
    )
    client.force_login(personas.leader)

    def names(**params):
        return sorted(
            d.full_name for d, _ in client.get(reverse("deputies:list"), params).context["rows"]
        )

    assert names() == ["司马光", "张代表"]  # ended mandates leave the current roster
    assert names(level="municipal") == ["司马光"]
    assert names(street=org.street.pk) == ["张代表"]
    assert names(group=org.group.pk) == ["张代表"]
    assert names(category="business") == ["司马光"]
    assert names(q="司马") == ["司马光"]
    assert names(q="sima") == ["司马光"]
    assert names(level="national") == []
    assert names(level="nonsense", street="x") == [
        "司马光",
        "张代表",
    ]  # bad filters are ignored, not errors


@pytest.mark.django_db
def test_a_two_level_deputy_is_listed_once_with_both_levels(client, personas, org):
    person = DeputyFactory(full_name="两级代表")
    MandateFactory(deputy=person, level=Level.MUNICIPAL, street=org.street)
    MandateFactory(deputy=person, level=Level.DISTRICT, street=org.street)
    client.force_login(personas.staff)
    rows = [
        row for d, row in client.get(reverse("deputies:list")).context["rows"] if d.pk == person.pk
    ]
    assert len(rows) == 1
    assert rows[0][6] == "市人大代表、区人大代表"


@pytest.mark.django_db
def test_street_staff_see_only_their_street(client, personas, org):
    MandateFactory(deputy=DeputyFactory(full_name="外街道代表"), street=org.other_street)
    client.force_login(personas.street)
    names = [d.full_name for d, _ in client.get(reverse("deputies:list")).context["rows"]]
    assert names == ["张代表"]
    other = Deputy.objects.get(full_name="外街道代表")
    assert client.get(reverse("deputies:detail", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_a_deputy_sees_only_their_own_record(client, personas, org):
    other = DeputyFactory(full_name="别的代表")
    MandateFactory(deputy=other, street=org.street)
    client.force_login(personas.deputy)
    # Their own page (this year's record) links to their details.
    detail_url = reverse("deputies:detail", args=[personas.deputy.deputy.pk])
    assert detail_url in client.get(reverse("deputies:me")).content.decode()
    assert client.get(reverse("deputies:detail", args=[other.pk])).status_code == 404
    html = client.get(reverse("deputies:detail", args=[personas.deputy.deputy.pk])).content.decode()
    assert "13912345678" in html and "11010519491231002X" in html  # their own data, unmasked


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "phone", "id_number"),
    [
        ("admin", "13912345678", "11010519491231002X"),
        ("staff", "13912345678", "11010519491231002X"),  # 人事代表工作室 keeps the roster
        ("street", "13912345678", "110105********002X"),
        ("leader", "139****5678", "110105********002X"),
    ],
)
def test_personal_data_is_masked_unless_the_role_needs_it(client, personas, role, phone, id_number):
    client.force_login(personas.by_role()[role])
    html = client.get(reverse("deputies:detail", args=[personas.deputy.deputy.pk])).content.decode()
    assert phone in html and id_number in html
    listing = client.get(reverse("deputies:list")).content.decode()
    assert phone in listing


@pytest.mark.django_db
def test_other_offices_see_masked_data(client, personas):
    client.force_login(personas.social_staff)
    html = client.get(reverse("deputies:detail", args=[personas.deputy.deputy.pk])).content.decode()
    assert "139****5678" in html and "13912345678" not in html


@pytest.mark.django_db
def test_export_has_exactly_the_filtered_rows_masked_per_role(client, personas, org):
    make_deputies(30, org.other_street)
    client.force_login(personas.leader)
    response = client.get(reverse("deputies:export"), {"street": org.other_street.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 30
    assert sheet.cell(row=2, column=1).value == "姓名"
    assert all("****" in row[13] for row in rows)  # 手机号, masked for a leader
    listed = [
        d.full_name
        for d, _ in client.get(reverse("deputies:list"), {"street": org.other_street.pk}).context[
            "rows"
        ]
    ]
    assert [row[0] for row in rows] == listed


@pytest.mark.django_db
def test_export_query_count_is_constant(client, personas, org, django_assert_max_num_queries):
    make_deputies(200, org.street)
    client.force_login(personas.staff)
    with django_assert_max_num_queries(8):
        client.get(reverse("deputies:export"))
