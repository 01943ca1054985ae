"""Station and voters' opinion pages: the lists (filters, constant queries), a station's page, the
public reception schedule (anonymous, no private data), an opinion's page (voter contact masked
by role), the Excel export of exactly the filtered rows, the deputy's phone page, and the action
pages (refused and stale moves change nothing)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renda.deputies import actions_stations as actions
from renda.deputies.models import Station, VoterOpinion
from renda.suggestions import actions as suggestion_actions
from renda.suggestions.actions import AssignmentPlan
from renda.suggestions.models import Suggestion
from tests.deputies.station_factories import (
    LATER,
    opinion_fields,
    schedule,
    station_fields,
    stations_fixture,  # noqa: F401 (the fixture "stations")
)
from tests.plans.factories import APRIL, at
from tests.suggestions.factories import answer_draft

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


def _more_stations(s, n):
    for i in range(n):
        station = actions.add_station(
            acting_user=s.street, values=station_fields(s.org, name=f"第{i}联络站")
        )
        schedule(s, station=station)
        actions.record_opinion(
            acting_user=s.street,
            station=station,
            values=opinion_fields(received_on=APRIL),
        )


# ---------------------------------------------------------------------------------------------
# Stations


def test_station_list_counts_in_constant_queries(client, stations, django_assert_num_queries):
    s = stations
    s.to_unit()
    url = reverse("deputies:stations")
    client.force_login(s.staff)
    client.get(url)  # warm the per-process caches
    with django_assert_num_queries(8) as few:
        response = client.get(url)
    html = response.content.decode()
    row = html.split(f'data-station="{s.station.pk}"')[1].split("</tr>")[0]
    assert '<td class="text-end" data-count="upcoming">1</td>' in row
    assert '<td class="text-end" data-count="open">1</td>' in row
    _more_stations(s, 4)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-station="') == 6


def test_station_list_street_sees_its_own(client, stations):
    s = stations
    actions.add_station(
        acting_user=s.staff,
        values=station_fields(s.org, name="大明湖街道代表联络站", street=s.org.other_street),
    )
    html = _get(client, s.street, reverse("deputies:stations")).content.decode()
    assert html.count('data-station="') == 1 and "大明湖街道代表联络站" not in html
    assert 'id="add-station"' in html
    other = Station.objects.get(name="大明湖街道代表联络站")
    assert _get(client, s.street, reverse("deputies:station", args=[other.pk])).status_code == 404
    assert (
        'id="add-station"'
        not in _get(client, s.p.leader, reverse("deputies:stations")).content.decode()
    )


def test_add_station_page(client, stations):
    s = stations
    url = reverse("deputies:add_station")
    data = {
        "kind": "station",
        "name": "泉城路街道第二代表联络站",
        "street": s.org.street.pk,
        "address": "芙蓉社区居委会",
    }
    count = Station.objects.count()
    bad = _post(client, s.street, url, {**data, "address": ""})
    assert bad.status_code == 400 and Station.objects.count() == count
    response = _post(client, s.street, url, data)
    station = Station.objects.get(name="泉城路街道第二代表联络站")
    assert response["Location"] == reverse("deputies:station", args=[station.pk])
    refused = _get(client, s.p.social_staff, url)
    assert refused.status_code == 403 and "可以设立联络站" in refused.content.decode()


def test_station_page_shows_receptions_deputies_opinions_and_actions(
    client, stations, django_assert_num_queries
):
    s = stations
    s.record()
    url = reverse("deputies:station", args=[s.station.pk])
    client.force_login(s.street)
    client.get(url)
    with django_assert_num_queries(14) as few:
        html = client.get(url).content.decode()
    upcoming = html.split('id="upcoming-receptions"')[1].split("</table>")[0]
    assert "李代表、张代表" in upcoming
    assert 'data-action="deactivate_station"' in html
    assert reverse("deputies:schedule_reception", args=[s.station.pk]) in html
    assert html.count('data-opinion="') == 1 and 'id="timeline"' in html
    # More receptions and opinions cost no more queries.
    schedule(s, day=LATER)
    schedule(s, day=LATER + timedelta(days=7), deputies=[s.li])
    s.record(subject="背街小巷路灯")
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('data-opinion="') == 2
    leader = _get(client, s.p.leader, url).content.decode()
    assert 'id="no-actions"' in leader


def test_schedule_page_creates_the_reception(client, stations):
    s = stations
    url = reverse("deputies:schedule_reception", args=[s.station.pk])
    bad = _post(client, s.street, url, {"date": "2026-04-20", "starts_at": "09:00"})
    assert bad.status_code == 400
    response = _post(
        client,
        s.street,
        url,
        {"date": "2026-04-20", "starts_at": "09:00", "deputies": [s.li.pk], "topic": "物业管理"},
    )
    assert response.status_code == 302
    assert s.station.receptions.filter(title="泉城路街道代表联络站接待选民：物业管理").exists()


def test_public_schedule_is_anonymous_and_shows_no_private_data(
    client, stations, django_assert_num_queries
):
    s = stations
    s.record()
    url = reverse("deputies:public_receptions")
    client.logout()
    client.get(url)
    with django_assert_num_queries(4) as few:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    card = html.split(f'data-station="{s.station.pk}"')[1].split("</section>")[0]
    assert "泉城路街道芙蓉社区党群服务中心二楼" in card and "接待代表：李代表、张代表" in card
    for private in ("13912345678", "11010519491231002X", "刘大爷", "13805310001", "芙蓉街12号"):
        assert private not in html
    schedule(s)
    actions.add_station(
        acting_user=s.staff,
        values=station_fields(s.org, name="大明湖街道代表联络站", street=s.org.other_street),
    )
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('data-reception="') == 2 and "大明湖街道代表联络站" in html


# ---------------------------------------------------------------------------------------------
# Opinions


def test_opinion_list_filters_and_constant_queries(client, stations, django_assert_num_queries):
    s = stations
    s.record()
    forwarded = s.to_unit(subject="学校门口接送拥堵")
    url = reverse("deputies:opinions")
    client.force_login(s.street)
    client.get(url)
    with django_assert_num_queries(8) as few:
        html = client.get(url).content.decode()
    assert html.count('data-opinion="') == 2
    for i in range(4):
        s.record(subject=f"菜市场占道{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('data-opinion="') == 6
    html = client.get(url + "?status=to_unit").content.decode()
    assert html.count('data-opinion="') == 1 and "学校门口接送拥堵" in html
    html = client.get(url + f"?station={s.home.pk}").content.decode()
    assert 'data-opinion="' not in html
    assert 'data-opinion="' not in client.get(url + "?overdue=1").content.decode()
    unit = _get(client, s.p.unit, url).content.decode()
    assert unit.count('data-opinion="') == 1 and f'data-opinion="{forwarded.pk}"' in unit


def test_overdue_filter(client, stations, time_machine):
    s = stations
    late = s.to_unit()
    s.record()
    time_machine.move_to(at(APRIL + timedelta(days=30)), tick=False)
    html = _get(client, s.street, reverse("deputies:opinions") + "?overdue=1").content.decode()
    assert html.count('data-opinion="') == 1 and f'data-opinion="{late.pk}"' in html
    assert "data-overdue" in html


def _sheet(response) -> list[tuple]:
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_export_is_exactly_the_filtered_rows_masked_by_role(client, stations):
    s = stations
    s.record()
    s.to_unit(subject="学校门口接送拥堵")
    url = reverse("deputies:opinion_export") + "?status=to_unit"
    response = _get(client, s.street, url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(response)
    assert rows[0][0] == "选民意见" and rows[1][0] == "接待日期"
    [row] = rows[2:]
    assert (
        row[6] == "学校门口接送拥堵" and row[4] == "13805310001" and row[9] == "区住房和城乡建设局"
    )
    [row] = _sheet(_get(client, s.p.leader, url))[2:]
    assert row[4] == "138****0001" and row[5] == "芙蓉街12****"
    assert len(_sheet(_get(client, s.p.leader, reverse("deputies:opinion_export")))) == 4


def test_opinion_page_masks_contact_for_those_who_need_not_see_it(client, stations):
    s = stations
    opinion = s.to_unit()
    url = reverse("deputies:opinion", args=[opinion.pk])
    street = _get(client, s.street, url).content.decode()
    assert '<dd class="col-sm-9" data-field="voter_phone">13805310001</dd>' in street
    assert 'id="timeline"' in street and "转交区住房和城乡建设局办理" in street
    unit = _get(client, s.p.unit, url).content.decode()
    assert '<dd class="col-sm-9" data-field="voter_phone">138****0001</dd>' in unit
    assert 'data-action="unit_answer"' in unit
    other = s.record()
    assert _get(client, s.p.unit, reverse("deputies:opinion", args=[other.pk])).status_code == 404


def test_action_pages_forward_answer_and_report(client, stations):
    s = stations
    opinion = s.record()
    url = reverse("deputies:forward_to_unit", args=[opinion.pk])
    bad = _post(
        client, s.street, url, {"unit": s.org.unit.pk, "due_on": "2026-04-01", "version": 1}
    )
    assert bad.status_code == 400 and "答复期限应晚于今天" in bad.content.decode()
    assert VoterOpinion.objects.get(pk=opinion.pk).status == "received"
    stale = _post(
        client, s.street, url, {"unit": s.org.unit.pk, "due_on": "2026-04-20", "version": 9}
    )
    assert stale.status_code == 409 and VoterOpinion.objects.get(pk=opinion.pk).version == 1
    ok = _post(client, s.street, url, {"unit": s.org.unit.pk, "due_on": "2026-04-20", "version": 1})
    assert ok["Location"] == reverse("deputies:opinion", args=[opinion.pk])
    # The street may not answer for the unit: the page refuses and nothing changes.
    refused = _get(client, s.street, reverse("deputies:answer_opinion", args=[opinion.pk]))
    assert refused.status_code == 403 and 'id="refused-message"' in refused.content.decode()
    _post(
        client,
        s.p.unit,
        reverse("deputies:unit_answer", args=[opinion.pk]),
        {"result": "已办", "version": 2},
    )
    report = reverse("deputies:report_back", args=[opinion.pk])
    _post(client, s.street, report, {"method": "书面", "note": "已书面回复", "version": 3})
    opinion.refresh_from_db()
    assert opinion.status == "reported" and opinion.feedback_method == "书面"


def test_answer_is_prefilled_from_the_suggestions_answer(client, stations):
    s = stations
    opinion = s.to_suggestion()
    suggestion = opinion.suggestion
    suggestion_actions.submit(acting_user=s.zhang.user, suggestion=suggestion)
    suggestion_actions.accept(acting_user=s.staff, suggestion=suggestion)
    suggestion_actions.assign(
        acting_user=s.staff,
        suggestion=suggestion,
        plan=AssignmentPlan(mode=Suggestion.Mode.LEAD, lead_unit=s.org.unit, co_units=()),
    )
    suggestion_actions.sign_for(acting_user=s.p.unit, assignment=suggestion.assignments.get())
    suggestion_actions.answer(
        acting_user=s.p.unit,
        suggestion=Suggestion.objects.get(pk=suggestion.pk),
        draft=answer_draft(text="已将芙蓉街12号院列入加装电梯计划。"),
    )
    html = _get(
        client, s.staff, reverse("deputies:answer_opinion", args=[opinion.pk])
    ).content.decode()
    assert "已将芙蓉街12号院列入加装电梯计划。</textarea>" in html


def test_the_deputy_enters_an_opinion_from_the_phone_page(client, stations):
    s = stations
    url = reverse("deputies:new_opinion")
    html = _get(client, s.li.user, url).content.decode()
    assert f'<option value="{s.reception.pk}">' in html and "form-control-lg" in html
    count = VoterOpinion.objects.count()
    bad = _post(client, s.li.user, url, {"reception": s.reception.pk, "voter_name": "王阿姨"})
    assert bad.status_code == 400 and VoterOpinion.objects.count() == count
    response = _post(
        client,
        s.li.user,
        url,
        {
            "reception": s.reception.pk,
            "voter_name": "王阿姨",
            "subject": "背街小巷路灯",
            "content": "芙蓉街北段三盏路灯坏了三个月。",
        },
    )
    opinion = VoterOpinion.objects.get(subject="背街小巷路灯")
    assert response["Location"] == reverse("deputies:opinion", args=[opinion.pk])
    assert opinion.received_by == s.li and opinion.station == s.station
    # Another deputy's receptions are not offered, and the station's pages stay closed.
    html = _get(client, s.wang.user, url).content.decode()
    assert f'<option value="{s.reception.pk}">' not in html and 'id="no-receptions"' in html
    assert _get(client, s.li.user, reverse("deputies:stations")).status_code == 403
