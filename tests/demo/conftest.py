"""One demo build for the whole package: `renda demo --if-empty` runs once (it is the slowest
thing in the suite, on PostgreSQL above all), every test here reads it, and it is taken away when
the package is done. Tests that need an empty database live outside this package
(tests/test_demo_rules.py)."""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings

from renda.core.management.commands import demo as demo_command
from renda.demo.build import database_is_empty
from tests.demo.support import FAST_HASHERS, delete_demo


@dataclass(frozen=True)
class DemoBuild:
    summary: object  # renda.demo.build's summary of what was built
    output: str  # what the command printed
    media: Path  # where the demo's evidence files went


@pytest.fixture(scope="package")
def demo_build(django_db_setup, django_db_blocker, tmp_path_factory) -> DemoBuild:
    media = tmp_path_factory.mktemp("media")  # evidence files, never the project's var/
    summaries = []
    real_build = demo_command.build_demo

    def build_and_keep_summary(**kwargs):
        summaries.append(real_build(**kwargs))
        return summaries[-1]

    out = StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
        mock.patch.object(demo_command, "build_demo", build_and_keep_summary),
    ):
        assert database_is_empty()
        call_command("demo", "--if-empty", stdout=out)
    assert len(summaries) == 1
    yield DemoBuild(summary=summaries[0], output=out.getvalue(), media=media)
    with django_db_blocker.unblock():
        delete_demo()


@pytest.fixture
def demo(demo_build):
    """The build's summary (counts by state) for the tests that compare against it."""
    return demo_build.summary


@pytest.fixture
def demo_media(demo_build) -> Path:
    return demo_build.media
