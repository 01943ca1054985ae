"""Backups that restore: the database (SQLite online backup or pg_dump), the attachments folder
and a manifest with per-table row counts and the SHA-256 of every file.

A backup is a folder `renda-YYYYMMDD-HHMMSS` under the backup directory; the newest
RENDA_BACKUP_KEEP are kept. It is written under a `.partial` name and renamed when complete, so
a failed backup never counts as one. `restore` checks the checksums before it touches anything
and refuses a database that holds data unless told to replace it; the row counts are checked
inside the restore's own transaction (PostgreSQL) or on the backup file first (SQLite), so a
mismatch changes nothing."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
FORMAT = 1
_NAME = re.compile(r"^renda-\d{8}-\d{6}(-\d+)?$")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


@dataclass(frozen=True)
class RestoreResult:
    folder: Path
    tables: int
    rows: int
    media_files: int


def backup_root() -> Path:
    return Path(settings.RENDA_BACKUP_DIR)


# --- backup -----------------------------------------------------------------------------------


def create_backup(
    *, target: Path | None = None, keep: int | None = None, now: datetime | None = None
) -> Path:
    """Write a complete backup folder under `target` and keep the newest `keep`; returns it."""
    target = Path(target or backup_root())
    keep = settings.RENDA_BACKUP_KEEP if keep is None else keep
    if keep < 1:
        raise BackupError("保留份数至少为 1")
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        raise BackupError("备份不能在数据库事务中进行")
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    target.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".renda-{stamp}-", suffix=".partial", dir=target))
    try:
        database_file = partial / DATABASE_FILES[_vendor(connection)]
        if connection.vendor == "sqlite":
            _dump_sqlite(connection, database_file)
            tables = _sqlite_counts(database_file)
        else:
            tables = _dump_postgresql(connection, database_file)
        media_files = _tar_media(Path(settings.MEDIA_ROOT), partial / MEDIA_TAR)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime(now or timezone.now()).isoformat(),
            "engine": connection.vendor,
            "database_file": database_file.name,
            "tables": tables,
            "media_files": media_files,
            "files": {p.name: _sha256(p) for p in (database_file, partial / MEDIA_TAR)},
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8"
        )
        folder = _free_name(target, f"renda-{stamp}")
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    prune(target, keep)
    return folder


def list_backups(target: Path | None = None) -> list[Path]:
    """Complete backups under `target`, oldest first."""
    target = Path(target or backup_root())
    if not target.is_dir():
        return []
    found = [p for p in target.iterdir() if p.is_dir() and _NAME.match(p.name)]
    return sorted((p for p in found if (p / MANIFEST).is_file()), key=lambda p: p.name)


def prune(target: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups; returns the removed folders."""
    removed = list_backups(target)[:-keep]
    for folder in removed:
        shutil.rmtree(folder)
    return removed


def _vendor(connection) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库")
    return connection.vendor


def _free_name(target: Path, name: str) -> Path:
    folder, n = target / name, 1
    while folder.exists():
        n += 1
        folder = target / f"{name}-{n}"
    return folder


def _dump_sqlite(connection, destination: Path) -> None:
    # The online backup API copies a consistent snapshot while the platform keeps writing
    # (a plain file copy misses what is still in the WAL).
    connection.ensure_connection()
    copy = sqlite3.connect(destination)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()


def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        db.close()


def _dump_postgresql(connection, destination: Path) -> dict[str, int]:
    """pg_dump (custom format) of a snapshot exported by our own transaction, counted in it."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
        _run(
            [
                _pg_tool(connection, "pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={destination}",
                *_pg_connection_args(connection),
            ],
            connection,
            "数据库导出（pg_dump）失败",
        )
    return counts


def _tar_media(media_root: Path, destination: Path) -> int:
    count = 0
    with tarfile.open(destination, "w") as tar:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    count += 1
    return count


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- PostgreSQL tools -------------------------------------------------------------------------


def find_pg_tool(name: str, server_major: int | None = None) -> str | None:
    """The client tool of the server's major version (/usr/lib/postgresql/<major>/bin) if
    installed, else the newest installed version, else the one on PATH."""
    base = Path("/usr/lib/postgresql")
    versions = sorted(
        (int(p.name) for p in base.iterdir() if p.name.isdigit()) if base.is_dir() else [],
        reverse=True,
    )
    if server_major in versions:
        versions.remove(server_major)
        versions.insert(0, server_major)
    for version in versions:
        candidate = base / str(version) / "bin" / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def _pg_tool(connection, name: str) -> str:
    connection.ensure_connection()
    tool = find_pg_tool(name, connection.pg_version // 10000)
    if tool is None:
        raise BackupError(f"找不到 PostgreSQL 工具 {name}，请安装与数据库服务器同版本的客户端")
    return tool


def _pg_connection_args(connection) -> list[str]:
    s = connection.settings_dict
    args = [f"--dbname={s['NAME']}"]
    if s.get("HOST"):
        args.append(f"--host={s['HOST']}")
    if s.get("PORT"):
        args.append(f"--port={s['PORT']}")
    if s.get("USER"):
        args.append(f"--username={s['USER']}")
    return args


def _pg_env(connection) -> dict[str, str]:
    env = dict(os.environ)
    if password := connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(password)
    return env


def _run(args: list[str], connection, failure: str, stdin=None) -> None:
    result = subprocess.run(args, env=_pg_env(connection), stdin=stdin, capture_output=True)
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()
        raise BackupError(f"{failure}：{detail}")


# --- restore ----------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    """The manifest of a backup folder, with every file's checksum verified."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} 不是备份目录：缺少 {MANIFEST}") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"备份清单 {MANIFEST} 已损坏，无法读取") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("备份清单格式不符，无法恢复")
    files = manifest.get("files") or {}
    expected = {manifest.get("database_file"), MEDIA_TAR}
    if set(files) != expected:
        raise BackupError("备份清单所列文件不完整，无法恢复")
    for name, checksum in files.items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"备份文件 {name} 缺失，无法恢复")
        if _sha256(path) != checksum:
            raise BackupError(
                f"备份文件 {name} 的校验和与清单不符（文件已损坏或被改动），未做任何恢复"
            )
    return manifest


def restore_backup(folder: Path, *, replace: bool = False) -> RestoreResult:
    """Restore the database and the attachments from `folder`, or refuse and change nothing."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        raise BackupError("恢复不能在数据库事务中进行")
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest['engine']} 数据库，当前为 {connection.vendor}，不能直接恢复"
        )
    if not replace and holds_data(connection):
        raise BackupError("当前数据库已有数据（用户或办理记录）。确需覆盖时，请加参数 --replace")
    expected = {str(k): int(v) for k, v in manifest["tables"].items()}
    database_file = folder / manifest["database_file"]
    if connection.vendor == "sqlite":
        _check_counts(expected, _sqlite_counts(database_file))
        _restore_sqlite(connection, database_file)
    else:
        _restore_postgresql(connection, database_file, expected)
    with connection.cursor() as cursor:
        restored = {n: _count(connection, cursor, n) for n in expected}
    _check_counts(expected, restored, after=True)
    media_files = _restore_media(folder / MEDIA_TAR, Path(settings.MEDIA_ROOT))
    return RestoreResult(folder, len(expected), sum(expected.values()), media_files)


def holds_data(connection) -> bool:
    """A database holds data once it has users or timeline events; a fresh `migrate` has none."""
    from renda.core.models import TimelineEvent, User

    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        tables = [m._meta.db_table for m in (User, TimelineEvent) if m._meta.db_table in present]
        return any(_count(connection, cursor, t) for t in tables)


def _count(connection, cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
    return cursor.fetchone()[0]


def _check_counts(expected: dict[str, int], actual: dict[str, int], after: bool = False) -> None:
    wrong = sorted(n for n in expected if actual.get(n) != expected[n])
    if wrong:
        shown = "、".join(
            f"{n}（清单 {expected[n]}，实际 {actual.get(n, '无此表')}）" for n in wrong[:5]
        )
        where = "恢复后的数据库" if after else "备份文件"
        raise BackupError(f"{where}的行数与备份清单不符：{shown}")


def _restore_sqlite(connection, source: Path) -> None:
    # The backup API replaces the whole live database in one step, under its write lock.
    connection.ensure_connection()
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        backup.backup(connection.connection)
    finally:
        backup.close()


def _restore_postgresql(connection, dump: Path, expected: dict[str, int]) -> None:
    """pg_restore's SQL, replayed by psql in one transaction that ends with the row-count check:
    a failure or a mismatch rolls the whole restore back."""
    script = subprocess.run(
        [_pg_tool(connection, "pg_restore"), "--clean", "--if-exists", "--no-owner", "-f", "-"]
        + [str(dump)],
        capture_output=True,
    )
    if script.returncode != 0:
        raise BackupError("读取数据库备份失败：" + script.stderr.decode("utf-8", "replace").strip())
    check = _postgres_count_check(connection, expected)
    with tempfile.TemporaryFile() as sql:
        sql.write(script.stdout)
        sql.write(check.encode("utf-8"))
        sql.seek(0)
        _run(
            [
                _pg_tool(connection, "psql"),
                "--quiet",
                "--no-psqlrc",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                *_pg_connection_args(connection),
            ],
            connection,
            "数据库恢复失败，已整体回滚，数据库未改动",
            stdin=sql,
        )


def _postgres_count_check(connection, expected: dict[str, int]) -> str:
    lines = []
    for name, count in sorted(expected.items()):
        table = "public." + connection.ops.quote_name(name)
        message = f"恢复后的数据库的行数与备份清单不符：{name}（清单 {count}）"
        lines.append(
            f"  IF (SELECT COUNT(*) FROM {table}) <> {int(count)} THEN "
            f"RAISE EXCEPTION '%', {_sql_literal(message)}; END IF;"
        )
    return "\nDO $renda_check$\nBEGIN\n" + "\n".join(lines) + "\nEND\n$renda_check$;\n"


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _restore_media(tar_path: Path, media_root: Path) -> int:
    """Unpack into a fresh folder beside MEDIA_ROOT, then swap it in; the old one goes last."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent))
    try:
        with tarfile.open(tar_path) as tar:
            members = [m for m in tar.getmembers() if m.isfile()]
            tar.extractall(fresh, members=members, filter="data")
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = None
    if media_root.exists():
        old = media_root.with_name(f".{media_root.name}-replaced-{os.getpid()}")
        media_root.rename(old)
    fresh.rename(media_root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return len(members)


# --- nightly ----------------------------------------------------------------------------------


def nightly_backup(now: datetime) -> int:
    """The worker's tick: once a day from RENDA_BACKUP_HOUR (local time) on, when
    RENDA_BACKUP_NIGHTLY is set; a tick that runs twice finds today's backup and does nothing."""
    if not settings.RENDA_BACKUP_NIGHTLY:
        return 0
    local = timezone.localtime(now)
    if local.hour < settings.RENDA_BACKUP_HOUR:
        return 0
    since = f"renda-{local:%Y%m%d}-{settings.RENDA_BACKUP_HOUR:02d}0000"
    today = f"renda-{local:%Y%m%d}"
    if any(p.name.startswith(today) and p.name >= since for p in list_backups()):
        return 0
    create_backup(now=now)
    return 1
