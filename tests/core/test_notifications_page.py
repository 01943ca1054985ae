"""The notifications page: the user's own messages, unread ones highlighted and counted in the
navbar, all marked read at once."""

import pytest
from django.urls import reverse

from renda.core.models import Notification
from renda.core.notifications import notify

pytestmark = pytest.mark.django_db

PAGE = reverse("notifications")


def send(user, count: int, **fields):
    for i in range(count):
        notify(users=[user], title=f"消息{i}", url="/suggestions/", key=f"test:{i}", **fields)


def test_lists_only_the_users_own_messages_with_links(client, personas):
    notify(
        users=[personas.unit], title="新交办建议：第3号", url="/suggestions/3/", body="请及时签收"
    )
    notify(users=[personas.deputy], title="您的建议已立案（第1号）", url="/suggestions/1/")
    client.force_login(personas.unit)
    html = client.get(PAGE).content.decode()
    assert '<a href="/suggestions/3/">新交办建议：第3号</a>' in html and "请及时签收" in html
    assert "您的建议已立案" not in html
    assert html.count("data-unread") == 1 and "list-group-item-warning" in html


def test_unread_count_shows_in_the_navbar(client, personas):
    send(personas.staff, 3)
    Notification.objects.filter(title="消息0").update(read_at="2026-03-02T10:00:00+08:00")
    client.force_login(personas.staff)
    html = client.get(reverse("home")).content.decode()
    assert '<span class="badge rounded-pill text-bg-warning" id="unread-badge"' in html
    assert 'aria-label="未读消息">2</span>' in html
    assert "我的消息" in html and "代表建议" in html
    client.force_login(personas.leader)  # nothing unread: no badge
    assert 'id="unread-badge"' not in client.get(reverse("home")).content.decode()


def test_mark_all_read(client, personas):
    send(personas.unit, 2)
    send(personas.deputy, 1)
    client.force_login(personas.unit)
    assert 'id="mark-all-read"' in client.get(PAGE).content.decode()
    response = client.post(reverse("notifications_read"), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    html = response.content.decode()
    assert "已将 2 条消息标为已读。" in html and "data-unread" not in html
    assert 'id="mark-all-read"' not in html
    assert not Notification.objects.filter(user=personas.unit, read_at=None).exists()
    assert Notification.objects.filter(user=personas.deputy, read_at=None).count() == 1
    assert client.get(reverse("notifications_read")).status_code == 405  # changes need POST


def test_a_user_without_roles_has_a_page_too(client, personas):
    client.force_login(personas.nobody)
    response = client.get(PAGE)
    assert response.status_code == 200 and "暂无消息。" in response.content.decode()


def test_pages_hold_thirty_and_the_query_count_is_constant(
    client, personas, django_assert_num_queries
):
    send(personas.deputy, 3)
    client.force_login(personas.deputy)
    with django_assert_num_queries(7) as few:
        response = client.get(PAGE)
    assert len(response.context["page"].object_list) == 3
    Notification.objects.bulk_create(
        [Notification(user=personas.deputy, title=f"提醒{i}") for i in range(40)]
    )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(PAGE)
    assert len(response.context["page"].object_list) == 30
    assert response.context["page"].paginator.count == 43
    assert "page=2" in response.content.decode()
