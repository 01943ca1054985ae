"""Backups that restore (issue 12, item 11): backup -> destroy -> restore -> verify, on the engine
the suite runs on; a restore that does not match its manifest refuses and changes nothing."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from renda.core import backup
from renda.core.actions import record_event
from renda.core.models import TimelineEvent, Unit, User
from renda.core.ticks import registered
from tests.core.test_timeline_guard import assert_append_only

TABLE = TimelineEvent._meta.db_table
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _tools_present():
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        major = connection.pg_version // 10000
        missing = [
            t for t in ("pg_dump", "pg_restore", "psql") if not backup.find_pg_tool(t, major)
        ]
        if missing:
            pytest.skip(f"PostgreSQL client tools not installed: {', '.join(missing)}")


@pytest.fixture
def backups(settings, tmp_path):
    settings.RENDA_BACKUP_DIR = tmp_path / "backups"
    return settings.RENDA_BACKUP_DIR


@pytest.fixture
def data(org, personas):
    """Committed rows, a timeline event and an attachment: what a backup must bring back."""
    event = record_event(target=org.unit, actor=personas.staff, verb="test", summary="交办")
    attachment = settings.MEDIA_ROOT / "suggestions" / "2026" / "答复函.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.4 answer letter")
    return event, attachment


def _state():
    return {
        "users": sorted(User.objects.values_list("username", flat=True)),
        "units": sorted(Unit.objects.values_list("name", flat=True)),
        "events": sorted(TimelineEvent.objects.values_list("id", "summary")),
        "media": sorted(
            (str(p.relative_to(settings.MEDIA_ROOT)), p.read_bytes())
            for p in settings.MEDIA_ROOT.rglob("*")
            if p.is_file()
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_destroy_restore_verify(data, backups):
    event, attachment = data
    before = _state()
    call_command("backup", verbosity=0)
    [folder] = backup.list_backups()
    manifest = json.loads((folder / backup.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"][TABLE] == 1 and manifest["tables"]["core_user"] == len(
        before["users"]
    )
    assert manifest["media_files"] == 1
    assert set(manifest["files"]) == {manifest["database_file"], backup.MEDIA_TAR}

    # Destroy: the database emptied, the attachments gone.
    call_command("flush", interactive=False, verbosity=0)
    attachment.unlink()
    assert _state() != before

    call_command("restore", str(folder), verbosity=0)
    ContentType.objects.clear_cache()  # the restored content types are the backup's
    assert _state() == before
    restored = TimelineEvent.objects.get(pk=event.pk)
    assert (
        restored.content_type.get_object_for_this_type(pk=restored.object_id).name
        == "区住房和城乡建设局"
    )

    assert_append_only(event.pk)  # the restored timeline is still append-only
    assert TimelineEvent.objects.get(pk=event.pk).summary == "交办"


@pytest.mark.django_db(transaction=True)
def test_restore_over_data_needs_the_replace_flag(data, backups):
    folder = backup.create_backup()
    User.objects.create_user("added_after_backup")
    before = _state()
    with pytest.raises(CommandError) as error:
        call_command("restore", str(folder), verbosity=0)
    assert "--replace" in str(error.value)
    assert _state() == before

    call_command("restore", str(folder), replace=True, verbosity=0)
    assert not User.objects.filter(username="added_after_backup").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_that_does_not_match_its_manifest(data, backups):
    folder = backup.create_backup()
    User.objects.create_user("added_after_backup")
    settings.MEDIA_ROOT.joinpath("new.txt").write_text("新附件")
    before = _state()
    manifest_path = folder / backup.MANIFEST
    original = manifest_path.read_text(encoding="utf-8")
    manifest = json.loads(original)

    # A changed file: its checksum no longer matches.
    media_tar = folder / backup.MEDIA_TAR
    media_tar.write_bytes(media_tar.read_bytes() + b"\0")
    with pytest.raises(CommandError) as error:
        call_command("restore", str(folder), replace=True, verbosity=0)
    assert "media.tar 的校验和与清单不符" in str(error.value)
    assert _state() == before
    media_tar.write_bytes(media_tar.read_bytes()[:-1])

    # Row counts that the database file does not have: refused before or inside the restore's
    # transaction, so the live database keeps its rows.
    manifest["tables"][TABLE] += 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("restore", str(folder), replace=True, verbosity=0)
    assert "行数与备份清单不符" in str(error.value) and TABLE in str(error.value)
    assert _state() == before

    # No manifest at all.
    manifest_path.unlink()
    with pytest.raises(CommandError) as error:
        call_command("restore", str(folder), replace=True, verbosity=0)
    assert "缺少 manifest.json" in str(error.value)
    assert _state() == before


@pytest.mark.django_db(transaction=True)
def test_backup_keeps_the_newest_copies(data, backups):
    made = [
        backup.create_backup(keep=2, now=datetime(2026, 12, day, 2, 0, tzinfo=SHANGHAI))
        for day in (1, 2, 3)
    ]
    assert [p.name for p in made] == [
        "renda-20261201-020000",
        "renda-20261202-020000",
        "renda-20261203-020000",
    ]
    assert backup.list_backups() == made[1:]
    assert not made[0].exists()
    assert not [p for p in backups.iterdir() if p.name.endswith(".partial")]


@pytest.mark.django_db(transaction=True)
def test_the_worker_backs_up_nightly_when_enabled(data, backups, settings):
    tick = registered()["nightly_backup"]
    night = datetime(2026, 12, 8, 2, 30, tzinfo=SHANGHAI)
    assert tick(night) == 0 and backup.list_backups() == []  # off unless RENDA_BACKUP_NIGHTLY

    settings.RENDA_BACKUP_NIGHTLY = True
    settings.RENDA_BACKUP_HOUR = 2
    settings.RENDA_BACKUP_KEEP = 2
    assert tick(datetime(2026, 12, 8, 1, 59, tzinfo=SHANGHAI)) == 0  # before the hour
    assert tick(night) == 1
    assert tick(night.replace(hour=23)) == 0  # once a day, even if the tick runs again
    assert tick(night.replace(day=9)) == 1
    assert tick(night.replace(day=10)) == 1
    assert [p.name for p in backup.list_backups()] == [
        "renda-20261209-023000",
        "renda-20261210-023000",
    ]
