"""Notifications: one per user, once per key, e-mailed from the worker after commit where
configured; a mail failure never undoes the work."""

import pytest
from django.core import mail

from renda.core import notifications
from renda.core.models import Notification
from renda.core.notifications import mark_read, notify, send_notification_emails
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return [
        UserFactory(username="n_zhang", full_name="张", email="zhang@example.org"),
        UserFactory(username="n_li", full_name="李", email=""),
    ]


def test_one_notification_per_active_user(people):
    zhang, li = people
    gone = UserFactory(username="n_gone", is_active=False)
    created = notify(
        users=[zhang, li, zhang, gone, None], title="新交办建议", body="请签收", url="/s/1/"
    )
    assert [(n.user, n.title, n.body, n.url) for n in created] == [
        (zhang, "新交办建议", "请签收", "/s/1/"),
        (li, "新交办建议", "请签收", "/s/1/"),
    ]
    assert Notification.objects.count() == 2


def test_a_key_is_sent_once_per_user(people):
    zhang, li = people
    assert len(notify(users=[zhang], title="提醒", key="s:1:due:15")) == 1
    again = notify(users=[zhang, li], title="提醒", key="s:1:due:15")
    assert [n.user for n in again] == [li]  # zhang had it already
    assert notify(users=[zhang, li], title="提醒", key="s:1:due:15") == []
    assert len(notify(users=[zhang], title="提醒", key="s:1:due:3")) == 1  # another key


def test_without_a_key_every_call_sends(people):
    zhang, _ = people
    notify(users=[zhang], title="消息")
    notify(users=[zhang], title="消息")
    assert Notification.objects.filter(user=zhang).count() == 2


def test_nobody_to_tell_sends_nothing_and_queries_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notify(users=[], title="空", key="k") == []


def test_key_lookup_is_one_query_for_all_recipients(people, django_assert_num_queries):
    users = people + [UserFactory(username=f"n_{i}") for i in range(5)]
    # The key look-up, one insert for all, and reading back what was inserted: no savepoints.
    with django_assert_num_queries(3):
        notify(users=users, title="提醒", key="s:2:overdue")


def test_long_titles_and_keys_are_cut_to_fit(people):
    zhang, _ = people
    (note,) = notify(users=[zhang], title="长" * 250, key="k" * 200)
    assert len(note.title) == 200 and len(note.key) == 150
    # The cut key still makes the reminder idempotent.
    assert notify(users=[zhang], title="长", key="k" * 200) == []


def test_a_concurrent_tick_that_sent_first_is_skipped(people, monkeypatch):
    zhang, li = people
    Notification.objects.create(user=zhang, title="提醒", key="race")
    # This tick's look-up ran before the other tick committed: it saw nothing.
    real_filter = Notification.objects.filter
    monkeypatch.setattr(
        Notification.objects,
        "filter",
        lambda *a, **kw: (
            Notification.objects.none()
            if kw.get("key") == "race" and "created_at" not in kw  # the look-up, not the read-back
            else real_filter(*a, **kw)
        ),
    )
    created = notify(users=[zhang, li], title="提醒", key="race")
    assert [n.user for n in created] == [li]  # the unique constraint refused the duplicate
    monkeypatch.undo()
    assert Notification.objects.filter(user=zhang, key="race").count() == 1


def test_no_mail_unless_configured(people, settings, django_capture_on_commit_callbacks):
    settings.RENDA_EMAIL_NOTIFICATIONS = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(users=people, title="消息")
    assert callbacks == [] and mail.outbox == []


def test_mail_goes_out_after_commit_to_those_with_an_address(
    people, settings, django_capture_on_commit_callbacks
):
    settings.RENDA_EMAIL_NOTIFICATIONS = True
    zhang, li = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = notify(users=people, title="建议已逾期", body="请尽快答复", url="/s/3/")
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()  # the commit: the task runs (immediate backend in tests)
    assert [(m.subject, m.to, m.body) for m in mail.outbox] == [
        ("建议已逾期", ["zhang@example.org"], "请尽快答复\n\n/s/3/")
    ]
    emailed = {n.user: n.emailed_at is not None for n in Notification.objects.all()}
    assert emailed == {zhang: True, li: False}
    assert send_notification_emails([n.pk for n in created]) == 0  # never twice


def test_a_mail_failure_is_logged_and_left_unsent(people, monkeypatch, caplog):
    zhang, _ = people
    (note,) = notify(users=[zhang], title="消息")

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    assert send_notification_emails([note.pk]) == 0
    note.refresh_from_db()
    assert note.emailed_at is None
    assert f"notification e-mail {note.pk} failed" in caplog.text


def test_mark_read(people):
    zhang, li = people
    a, b = notify(users=[zhang], title="一"), notify(users=[zhang], title="二")
    notify(users=[li], title="李的")
    assert mark_read(user=zhang, ids=[a[0].pk]) == 1
    assert mark_read(user=zhang, ids=[a[0].pk]) == 0  # already read
    assert mark_read(user=zhang) == 1  # the rest of zhang's, not li's
    assert Notification.objects.filter(user=li, read_at=None).count() == 1
    assert Notification.objects.get(pk=b[0].pk).read_at is not None
