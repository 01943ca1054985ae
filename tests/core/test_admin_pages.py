"""Every table the admin maintains opens for the admin role: list and add pages."""

import pytest
from django.contrib import admin
from django.urls import reverse

from renda.core.deadlines import calendar_changed


@pytest.mark.django_db
def test_every_admin_list_and_add_page_renders(client, personas):
    client.force_login(personas.admin)
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.has_add_permission(type("R", (), {"user": personas.admin})()):
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            assert client.get(add).status_code == 200, add


@pytest.mark.django_db
def test_entering_a_year_announces_the_calendar_change(
    client, personas, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, years, **kwargs):
        received.append(set(years))

    calendar_changed.connect(listener)
    try:
        client.force_login(personas.admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("admin:core_calendaryear_add"),
                {
                    "year": 2027,
                    "note": "国办发明电〔2026〕X号",
                    "entered_at_0": "2026-11-27",
                    "entered_at_1": "10:00:00",
                },
            )
        assert response.status_code == 302
    finally:
        calendar_changed.disconnect(listener)
    assert received == [{2027}]


@pytest.mark.django_db
def test_timeline_is_read_only_in_admin(client, personas, org):
    from renda.core.actions import record_event

    event = record_event(target=org.unit, actor=personas.admin, verb="x", summary="记录")
    client.force_login(personas.admin)
    delete = reverse("admin:core_timelineevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
