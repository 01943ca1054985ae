"""Evidence through the API: upload (multipart), then complete — the same action as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.core.models import TimelineEvent
from renda.plans.models import Evidence, PlanItem
from tests.plans.factories import pdf
from tests.plans.matrix_api import BASE

pytestmark = pytest.mark.django_db


def upload(client, user, item, **data):
    client.force_login(user)
    return client.post(f"{BASE}/items/{item.pk}/evidence", data=data)


def test_upload_then_complete(client, planning):
    p = planning.p
    item = planning.in_progress()
    response = upload(client, p.social_staff, item, purpose="result", files=[pdf("报告.pdf")])
    assert response.status_code == 201, response.content
    assert [e["name"] for e in response.json()["evidence"]] == ["报告.pdf"]
    evidence = Evidence.objects.get(item=item)
    assert evidence.purpose == "result" and evidence.uploaded_by == p.social_staff
    event = TimelineEvent.objects.for_object(item).last()
    assert event.verb == "add_evidence" and event.summary == "上传成果佐证：报告.pdf"
    done = client.post(
        f"{BASE}/items/{item.pk}/complete",
        data={
            "result_statement": "报告经常委会审议",
            "version": PlanItem.objects.get(pk=item.pk).version,
        },
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "completed"


def test_upload_refused(client, planning):
    p = planning.p
    item = planning.in_progress()
    version = PlanItem.objects.get(pk=item.pk).version
    # Another office's staff may not; a file that is not what its name says is refused.
    response = upload(client, p.staff, item, purpose="result", files=[pdf()])
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = upload(client, p.social_staff, item, purpose="result", files=[fake])
    assert response.status_code == 400 and response.json()["code"] == "invalid_upload"
    response = upload(client, p.social_staff, item, purpose="nonsense", files=[pdf()])
    assert response.status_code == 400 and response.json()["message"] == "佐证材料的用途不正确。"
    response = upload(client, p.social_staff, item, purpose="result")
    assert response.status_code == 422
    assert not Evidence.objects.filter(item=item).exists()
    assert PlanItem.objects.get(pk=item.pk).version == version
