from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_system_checks_pass():
    call_command("check")


def test_vendored_assets_are_present_with_licences():
    from pathlib import Path

    vendor = Path(__file__).resolve().parent.parent / "renda" / "core" / "static" / "vendor"
    for name in [
        "bootstrap/bootstrap.min.css",
        "bootstrap/bootstrap.bundle.min.js",
        "htmx/htmx.min.js",
        "echarts/echarts.min.js",
        "bootstrap-icons/fonts/bootstrap-icons.woff2",
    ]:
        assert (vendor / name).stat().st_size > 1000, name
    for library in ["bootstrap", "htmx", "echarts", "bootstrap-icons"]:
        assert (vendor / library / "LICENSE").exists(), library
    assert "5.3.9" in (vendor / "VERSIONS.md").read_text()
