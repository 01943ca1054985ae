"""Stored control characters and formula-like text in the deputies' work: the voters' opinions
export and the yearly PDF archive still download and carry the text as inert text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renda.deputies.archive import archive_pdf, render_archive_document
from renda.deputies.models import Activity, Station, VoterOpinion
from renda.deputies.queries_record import record_of
from tests.core.writers import PAYLOADS, assert_neutralised_xlsx, dirty
from tests.deputies.record_factories import YEAR
from tests.deputies.station_factories import stations_fixture  # noqa: F401 (fixture "stations")
from tests.deputies.test_archive import text_of

pytestmark = pytest.mark.django_db

HYPERLINK, PLUS, MINUS, AT, DDE = PAYLOADS


def test_voters_opinions_export(client, stations):
    s = stations
    words = s.record()
    VoterOpinion.objects.filter(pk=words.pk).update(
        voter_name=dirty(PLUS), subject=dirty(HYPERLINK), content=dirty(DDE)
    )
    forwarded = s.to_unit()
    VoterOpinion.objects.filter(pk=forwarded.pk).update(subject=dirty(AT))
    Station.objects.filter(pk=s.station.pk).update(name=dirty(MINUS))
    client.force_login(s.street)
    response = client.get(reverse("deputies:opinion_export"))
    assert response.status_code == 200
    assert_neutralised_xlsx(response.content, PAYLOADS)


def test_archive_pdf(record_world):
    research = record_world.research
    Activity.objects.filter(pk=research.pk).update(title=f"调研{dirty(DDE)}")
    assert archive_pdf(record_world.zhang, YEAR).startswith(b"%PDF-")
    text = text_of(render_archive_document(record_of(record_world.zhang, YEAR)))
    assert "调研=cmd|' /C calc'!A0" in text
