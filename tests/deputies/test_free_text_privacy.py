"""Personal data written into a voter's opinion's free text (issue 12, item 9): a warning at entry
that does not block saving, and the text masked on the page, the API and the export for those who
may not see the voter's contact (the station's street sees it whole)."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renda.core.privacy import mask_free_text, personal_data_in
from renda.deputies import actions_stations as actions
from tests.deputies.station_factories import stations_fixture  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

ID_NUMBER = "370102195001011234"
CONTENT = f"我是刘大爷，身份证{ID_NUMBER}，电话13912345678，家住芙蓉街12号院3号楼，楼道灯坏了。"
MASKED_CONTENT = (
    "我是刘大爷，身份证370102********1234，电话139****5678，家住芙蓉街12****，楼道灯坏了。"
)
RESULT = "已与刘大爷（0531-86012345）约定，在芙蓉街12号院3号楼更换灯具。"
MASKED_RESULT = "已与刘大爷（053****2345）约定，在芙蓉街12****更换灯具。"
API = "/api/v1/deputies/stations/opinions"


def test_what_counts_as_personal_data_in_free_text():
    assert personal_data_in(CONTENT, address="芙蓉街12号院3号楼") == [
        "身份证号码",
        "电话号码",
        "住址",
    ]
    assert personal_data_in("固话(0531)86012345") == ["电话号码"]
    assert personal_data_in("电话 05318601234") == ["电话号码"]
    # Amounts, counts, dates and longer digit runs are not phones or ID numbers.
    clean = "投资35000000元，惠及12345678户，2026年4月1日，编号1381234123412345678901。"
    assert personal_data_in(clean, address="3号") == []
    assert mask_free_text(clean) == clean
    # The person's own phone, however written, and their address verbatim.
    assert mask_free_text("回电 138-0531-0001", phone="138-0531-0001") == "回电 138****0001"
    assert mask_free_text(CONTENT, address="芙蓉街12号院3号楼") == MASKED_CONTENT


@pytest.fixture
def answered(stations):
    s = stations
    opinion = s.to_unit(content=CONTENT)
    return actions.answer_opinion(acting_user=s.p.unit, opinion=opinion, result=RESULT)


def test_the_opinion_page_masks_free_text_for_those_who_may_not_see_the_contact(
    client, stations, answered
):
    url = reverse("deputies:opinion", args=[answered.pk])
    client.force_login(stations.street)
    street = client.get(url).content.decode()
    assert f'data-field="content">{CONTENT}</dd>' in street
    assert f'data-field="result">{RESULT}</dd>' in street
    for user in (stations.p.unit, stations.p.leader, stations.p.deputy):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert f'data-field="content">{MASKED_CONTENT}</dd>' in page, user
        assert f'data-field="result">{MASKED_RESULT}</dd>' in page
        assert ID_NUMBER not in page and "13912345678" not in page and "86012345" not in page


def test_the_api_masks_free_text_for_those_who_may_not_see_the_contact(client, stations, answered):
    client.force_login(stations.street)
    whole = client.get(f"{API}/{answered.pk}").json()
    assert (whole["content"], whole["result"]) == (CONTENT, RESULT)
    client.force_login(stations.p.unit)
    masked = client.get(f"{API}/{answered.pk}").json()
    assert (masked["content"], masked["result"]) == (MASKED_CONTENT, MASKED_RESULT)
    listed = client.get(API).json()["items"]
    assert [row["content"] for row in listed] == [MASKED_CONTENT]


def test_the_export_masks_free_text_for_those_who_may_not_see_the_contact(
    client, stations, answered
):
    def rows(user):
        client.force_login(user)
        response = client.get(reverse("deputies:opinion_export"))
        return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))

    [row] = rows(stations.street)[2:]
    assert (row[7], row[12]) == (CONTENT, RESULT)
    [row] = rows(stations.p.leader)[2:]
    assert (row[7], row[12]) == (MASKED_CONTENT, MASKED_RESULT)
    assert ID_NUMBER not in str(row)


def test_entry_warns_without_blocking_on_the_page(client, stations):
    s = stations
    opinion = s.to_unit()
    client.force_login(s.p.unit)
    response = client.post(
        reverse("deputies:unit_answer", args=[opinion.pk]),
        {"result": RESULT, "version": opinion.version},
        follow=True,
    )
    opinion.refresh_from_db()
    assert opinion.status == "answered" and opinion.result == RESULT  # saved
    html = response.content.decode()
    assert "alert-warning" in html
    assert "提示：“办理结果”中含有电话号码、住址。" in html
    clean = s.to_unit()
    response = client.post(
        reverse("deputies:unit_answer", args=[clean.pk]),
        {"result": "已更换灯具。", "version": clean.version},
        follow=True,
    )
    assert "alert-warning" not in response.content.decode()


def test_entry_warns_without_blocking_on_the_api(client, stations):
    s = stations
    client.force_login(s.street)
    body = {
        "station_id": s.station.pk,
        "reception_id": s.reception.pk,
        "voter_name": "刘大爷",
        "voter_phone": "13912345678",
        "voter_address": "芙蓉街12号院3号楼",
        "subject": "楼道灯坏了",
        "content": CONTENT,
    }
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["content"] == CONTENT  # the street sees its own entry whole
    assert created["warnings"] == [
        "提示：“意见内容”中含有身份证号码、电话号码、住址。无权查看联系方式的人员看到的将是"
        "遮挡后的内容；如非必要，请删去。"
    ]
    note = {"method": "电话", "note": "已电话告知，表示满意。", "version": created["version"]}
    answer = client.post(
        f"{API}/{created['id']}/answer",
        {"result": "已更换灯具。", "version": created["version"]},
        content_type="application/json",
    ).json()
    assert answer["status"] == "answered" and answer["warnings"] == []
    note["version"] = answer["version"]
    reported = client.post(
        f"{API}/{created['id']}/report-back", note, content_type="application/json"
    ).json()
    assert reported["status"] == "reported" and reported["warnings"] == []
