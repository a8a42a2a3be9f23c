"""Backups of the database and the uploaded files in one archive, and their restore.

An archive (`innohub-YYYYMMDD-HHMMSS.tar.gz`) holds `manifest.json` first, then the database
and every uploaded file under `media/`. The manifest names the archive format, the version of
innohub, the database's vendor, the migrations applied, the row count of every table and the
SHA-256 and size of every other member. A restore reads the whole archive and checks all of it
(every member listed and matching its checksum, nothing unlisted, no path leaving the archive,
no migration this code does not know) before it changes anything.

- PostgreSQL: `pg_dump --format=custom` run in the snapshot of a REPEATABLE READ transaction that
  also counts the rows (so the counts are those of the dump even while the site serves); restored
  by `pg_restore` piped into one `psql --single-transaction`: all of it or nothing.
- SQLite: the online backup API (a consistent copy while the site serves), restored with the
  same API page by page into the target file.
- Uploaded files: read through the default storage (a folder, or an S3-compatible bucket via
  django-storages), written back through a storage: the configured one, a folder (`--media-root`)
  or another bucket on the same S3 endpoint (`--bucket`). Only what the storage holds is backed
  up: on S3, the local MEDIA_ROOT's caches (the Q&A's index copies) are not, being rebuilt.

Why our own code rather than a library (django-dbbackup): it does not keep the row counts and
the migrations with the dump, checks no archive before restoring and leaves the snapshot
consistency of counts and dump to the operator; the work itself is done by pg_dump/pg_restore
and SQLite's backup API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import posixpath
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import environ
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection
from django.utils.module_loading import import_string
from storages.backends.s3 import S3Storage

FORMAT = 1
ARCHIVE_RE = re.compile(r"^innohub-(\d{8})-(\d{6})\.tar\.gz$")
MANIFEST = "manifest.json"
PG_DUMP_MEMBER = "database/postgresql.dump"
SQLITE_MEMBER = "database/sqlite3.db"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused, with a message for the operator."""


# what a storage raises when it cannot be read or written: a folder's, or S3's (django-storages, boto3)
STORAGE_ERRORS: tuple[type[Exception], ...] = (BotoCoreError, ClientError)


# --- Where the database is -------------------------------------------------------------------


@dataclass(frozen=True)
class DatabaseTarget:
    vendor: str  # "postgresql" or "sqlite"
    sqlite_path: str = ""
    conninfo: str = ""  # libpq connection string

    @classmethod
    def from_settings(cls, db: dict[str, Any]) -> DatabaseTarget:
        engine = db["ENGINE"]
        if engine == "django.db.backends.sqlite3":
            return cls("sqlite", sqlite_path=str(db["NAME"]))
        if engine == "django.db.backends.postgresql":
            from psycopg.conninfo import make_conninfo

            params = {"dbname": db.get("NAME"), "user": db.get("USER"), "password": db.get("PASSWORD"),
                      "host": db.get("HOST"), "port": str(db.get("PORT") or "")}
            return cls("postgresql", conninfo=make_conninfo(**{k: v for k, v in params.items() if v}))
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")

    @classmethod
    def from_url(cls, url: str) -> DatabaseTarget:
        return cls.from_settings(environ.Env.db_url_config(url))

    @classmethod
    def current(cls) -> DatabaseTarget:
        return cls.from_settings(connection.settings_dict)


def _tables_and_counts(cursor: Any, vendor: str) -> dict[str, int]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names read from the catalogue
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _applied_migrations(cursor: Any) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


def table_counts(target: DatabaseTarget) -> dict[str, int]:
    """Row count of every table of the target database (empty dict: no tables)."""
    if target.vendor == "postgresql":
        import psycopg

        with psycopg.connect(target.conninfo) as conn, conn.cursor() as cursor:
            return _tables_and_counts(cursor, "postgresql")
    if target.sqlite_path == str(connection.settings_dict["NAME"]):
        with connection.cursor() as cursor:  # this process's database (the tests' is in memory)
            return _tables_and_counts(cursor, "sqlite")
    if not Path(target.sqlite_path).exists():
        return {}
    db = sqlite3.connect(target.sqlite_path)
    try:
        return _tables_and_counts(db.cursor(), "sqlite")
    finally:
        db.close()


# --- Uploaded files --------------------------------------------------------------------------


def _excluded_prefixes(storage_root: str) -> tuple[str, ...]:
    """Caches kept under the uploads' folder (the Q&A evaluation's vectors in the tests)."""
    cache_dir = str(getattr(settings, "QA_EVAL_CACHE_DIR", "") or "")
    if storage_root and cache_dir and cache_dir.startswith(storage_root.rstrip("/") + "/"):
        return (cache_dir[len(storage_root.rstrip("/")) + 1:].rstrip("/") + "/",)
    return ()


def storage_files(storage: Storage) -> Iterator[str]:
    """Every file's name in a storage, recursively, in a stable order."""
    root = str(getattr(storage, "location", "") or "")
    excluded = _excluded_prefixes(root)

    def walk(folder: str) -> Iterator[str]:
        try:
            dirs, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        for name in sorted(files):
            path = posixpath.join(folder, name) if folder else name
            if not path.startswith(excluded):
                yield path
        for name in sorted(dirs):
            sub = posixpath.join(folder, name) if folder else name
            if not (sub + "/").startswith(excluded):
                yield from walk(sub)

    yield from walk("")


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- Backup ----------------------------------------------------------------------------------


def _version() -> str:
    try:
        return metadata.version("innohub")
    except metadata.PackageNotFoundError:
        return "unknown"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client tools (apt-get install postgresql-client).")
    return path


def _dump_postgresql(target: DatabaseTarget, out: Path) -> tuple[dict[str, int], list[list[str]]]:
    import psycopg

    pg_dump = _tool("pg_dump")
    with psycopg.connect(target.conninfo) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        snapshot = row[0]
        with conn.cursor() as cursor:
            counts = _tables_and_counts(cursor, "postgresql")
            migrations = _applied_migrations(cursor)
        # the dump sees exactly what was counted: the same snapshot, held open until it ends
        result = subprocess.run(  # noqa: S603
            [pg_dump, "--format=custom", "--compress=6", f"--snapshot={snapshot}",
             f"--file={out}", f"--dbname={target.conninfo}"],
            capture_output=True, text=True, check=False,
        )
        conn.rollback()
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts, migrations


def _dump_sqlite(target: DatabaseTarget, out: Path) -> tuple[dict[str, int], list[list[str]]]:
    dest = sqlite3.connect(out)
    try:
        if target.sqlite_path == str(connection.settings_dict["NAME"]):
            connection.ensure_connection()
            source = connection.connection  # the test runner's in-memory database has no other door
            source.backup(dest)
        else:
            source = sqlite3.connect(target.sqlite_path)
            try:
                source.backup(dest)
            finally:
                source.close()
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        cursor = dest.cursor()
        return _tables_and_counts(cursor, "sqlite"), _applied_migrations(cursor)
    finally:
        dest.close()


def backup_create(*, directory: Path, target: DatabaseTarget | None = None,
                  storage: Storage | None = None, now: dt.datetime | None = None) -> Path:
    """Write an archive of the database and the uploaded files into `directory`; its path.

    Written under a `.partial` name and renamed when complete, so a crash leaves no archive
    that looks finished (and retention never counts one)."""
    target = target or DatabaseTarget.current()
    storage = storage or default_storage
    now = now or dt.datetime.now(dt.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"innohub-{now:%Y%m%d-%H%M%S}.tar.gz"
    final = directory / name
    if final.exists():
        raise BackupError(f"{final} exists already.")
    with tempfile.TemporaryDirectory(prefix="innohub-backup-") as tmp:
        if target.vendor == "postgresql":
            member, dump = PG_DUMP_MEMBER, Path(tmp) / "postgresql.dump"
            counts, migrations = _dump_postgresql(target, dump)
        else:
            member, dump = SQLITE_MEMBER, Path(tmp) / "sqlite3.db"
            counts, migrations = _dump_sqlite(target, dump)
        files: dict[str, dict[str, Any]] = {}
        digest, size = _sha256_file(dump)
        files[member] = {"sha256": digest, "size": size}
        try:
            media_names = list(storage_files(storage))
        except STORAGE_ERRORS as exc:
            raise BackupError(f"The uploads' storage cannot be listed: {exc}") from None
        partial = directory / f".{name}.partial"
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                media_entries: list[tuple[str, str]] = []
                # the files are hashed while they are copied into a spool; the manifest goes first
                spool = Path(tmp) / "media"
                for media_name in media_names:
                    local = spool / media_name
                    local.parent.mkdir(parents=True, exist_ok=True)
                    sha = hashlib.sha256()
                    n = 0
                    try:
                        with storage.open(media_name, "rb") as src, open(local, "wb") as dst:
                            while chunk := src.read(CHUNK):
                                sha.update(chunk)
                                n += len(chunk)
                                dst.write(chunk)
                    except STORAGE_ERRORS as exc:
                        raise BackupError(f"The uploaded file {media_name} cannot be read from the storage: {exc}") from None
                    files[MEDIA_PREFIX + media_name] = {"sha256": sha.hexdigest(), "size": n}
                    media_entries.append((MEDIA_PREFIX + media_name, str(local)))
                manifest = {
                    "format": FORMAT,
                    "innohub_version": _version(),
                    "created_at": now.isoformat(),
                    "database": {"vendor": target.vendor, "member": member},
                    "migrations": migrations,
                    "row_counts": counts,
                    "media_files": len(media_names),
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(now.timestamp())
                tar.addfile(info, io.BytesIO(data))
                tar.add(str(dump), arcname=member, recursive=False)
                for arcname, local_path in media_entries:
                    tar.add(local_path, arcname=arcname, recursive=False)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return final


# --- Reading and checking an archive ---------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    normal = posixpath.normpath(name)
    return normal == name and not name.startswith(("/", "../")) and ".." not in name.split("/")


def known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def archive_check(path: Path, extract_to: Path) -> dict[str, Any]:
    """Read the whole archive into `extract_to` and check it; its manifest. Raises BackupError.

    Checks: a readable, complete gzip'd tar; the manifest first and of this format; every member
    a regular file with a safe name, listed in the manifest with its size and SHA-256; every
    listed member present; no migration applied in the archive that this code lacks (restoring
    a newer database under older code would lose what the newer migrations mean)."""
    try:
        tar = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the `with tar` below, once open
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{path} is not a readable archive: {exc}") from None
    seen: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tar:
            for member in tar:
                if manifest is None:
                    if member.name != MANIFEST or not member.isfile():
                        raise BackupError(f"{path} does not start with its manifest: not an innohub backup.")
                    handle = tar.extractfile(member)
                    assert handle is not None
                    try:
                        manifest = json.loads(handle.read())
                    except ValueError:
                        raise BackupError("The archive's manifest is not valid JSON.") from None
                    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                        raise BackupError(f"The archive's format is {manifest.get('format') if isinstance(manifest, dict) else '?'}; this version reads format {FORMAT}.")
                    continue
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(f"The archive holds an unexpected entry: {member.name!r}.")
                expected = manifest["files"].get(member.name)
                if expected is None:
                    raise BackupError(f"The archive holds {member.name}, which its manifest does not list.")
                if member.name in seen:
                    raise BackupError(f"The archive holds {member.name} twice.")
                handle = tar.extractfile(member)
                assert handle is not None
                local = extract_to / member.name
                local.parent.mkdir(parents=True, exist_ok=True)
                sha, size = hashlib.sha256(), 0
                with open(local, "wb") as out:
                    while chunk := handle.read(CHUNK):
                        sha.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                if sha.hexdigest() != expected["sha256"] or size != expected["size"]:
                    raise BackupError(f"{member.name} does not match its checksum in the manifest: the archive is damaged.")
                seen[member.name] = expected
    except (OSError, tarfile.TarError, EOFError, zlib_error()) as exc:
        raise BackupError(f"{path} is damaged or truncated: {exc}") from None
    if manifest is None:
        raise BackupError(f"{path} is empty.")
    missing = sorted(set(manifest["files"]) - set(seen))
    if missing:
        raise BackupError(f"The archive lacks {len(missing)} listed file(s), e.g. {missing[0]}: it is truncated.")
    newer = sorted({(a, n) for a, n in manifest["migrations"]} - known_migrations())
    if newer:
        app, name = newer[0]
        raise BackupError(
            f"The archive was made by a newer version: its database has {len(newer)} migration(s) this code "
            f"does not know (e.g. {app}.{name}). Install that version (or a later one) and restore again."
        )
    return manifest


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


# --- Restore ---------------------------------------------------------------------------------


def _restore_postgresql(dump: Path, target: DatabaseTarget, *, replace: bool) -> None:
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    # pg_restore writes SQL; psql runs it and the schema reset in ONE transaction, stopping at the
    # first error: the database is either wholly restored or left as it was.
    preamble = "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;\n" if replace else ""
    script = subprocess.run(  # noqa: S603
        [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump)],
        capture_output=True, check=False,
    )
    if script.returncode:
        raise BackupError(f"pg_restore could not read the dump: {script.stderr.decode(errors='replace').strip()}")
    result = subprocess.run(  # noqa: S603
        [psql, "--quiet", "--no-psqlrc", "--set=ON_ERROR_STOP=1", "--single-transaction",
         f"--dbname={target.conninfo}"],
        input=preamble.encode() + script.stdout, capture_output=True, check=False,
    )
    if result.returncode:
        raise BackupError(f"Restoring into PostgreSQL failed, nothing was changed: {result.stderr.decode(errors='replace').strip()}")


def _restore_sqlite(db_file: Path, target: DatabaseTarget) -> None:
    Path(target.sqlite_path).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(db_file)
    dest = sqlite3.connect(target.sqlite_path, timeout=30)
    try:
        source.backup(dest)  # page by page under the destination's write lock: all or nothing
    finally:
        dest.close()
        source.close()


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    tables: int
    rows: int
    media_files: int
    missing_migrations: list[str]


def restore(*, archive: Path, target: DatabaseTarget | None = None, media: Storage | None = None,
            replace: bool = False) -> RestoreReport:
    """Check `archive` whole, then restore its database into `target` and its files into `media`.

    Refuses (changing nothing) a damaged or newer archive, a database of another vendor, and,
    unless `replace`, a target database that has tables or a media storage that holds files."""
    target = target or DatabaseTarget.current()
    media = media if media is not None else default_storage
    with tempfile.TemporaryDirectory(prefix="innohub-restore-") as tmp:
        work = Path(tmp)
        manifest = archive_check(archive, work)
        vendor = manifest["database"]["vendor"]
        if vendor != target.vendor:
            raise BackupError(f"The archive holds a {vendor} database; the target is {target.vendor}. "
                              "Restore into the same kind of database.")
        try:  # a bucket that does not exist or refuses these keys is found before anything changes
            media_holds_files = next(storage_files(media), None) is not None
        except STORAGE_ERRORS as exc:
            raise BackupError(f"The uploads' storage cannot be read, nothing was changed: {exc}") from None
        if not replace:
            existing = table_counts(target)
            if existing:
                raise BackupError(f"The target database is not empty ({len(existing)} tables). "
                                  "Restore into an empty database, or pass --replace to overwrite it.")
            if media_holds_files:
                raise BackupError("The uploads' storage already holds files. Restore into an empty folder or bucket, "
                                  "or pass --replace to overwrite it.")
        dump = work / manifest["database"]["member"]
        if vendor == "postgresql":
            _restore_postgresql(dump, target, replace=replace)
        else:
            _restore_sqlite(dump, target)
        restored = 0
        for name in manifest["files"]:
            if not name.startswith(MEDIA_PREFIX):
                continue
            relative = name[len(MEDIA_PREFIX):]
            try:
                if media.exists(relative):
                    media.delete(relative)
                with open(work / name, "rb") as handle:
                    saved = media.save(relative, File(handle))
            except STORAGE_ERRORS as exc:
                raise BackupError(f"The database is restored, but writing {relative} to the uploads' storage failed "
                                  f"after {restored} file(s): {exc}. Run the restore again with --replace.") from None
            if saved != relative:
                raise BackupError(f"The storage saved {relative} as {saved}.")
            restored += 1
    counts = table_counts(target)
    expected = manifest["row_counts"]
    wrong = {t: (n, counts.get(t)) for t, n in expected.items() if counts.get(t) != n}
    if wrong:
        table, (want, got) = next(iter(wrong.items()))
        raise BackupError(f"After the restore, {len(wrong)} table(s) differ from the manifest, e.g. {table}: {got} rows instead of {want}.")
    missing = sorted(f"{a}.{n}" for a, n in known_migrations() - {(a, n) for a, n in manifest["migrations"]})
    return RestoreReport(manifest=manifest, tables=len(counts), rows=sum(counts.values()),
                         media_files=restored, missing_migrations=missing)


def media_storage_at(root: str | os.PathLike[str]) -> FileSystemStorage:
    return FileSystemStorage(location=str(root))


def media_storage_in_bucket(bucket: str) -> Storage:
    """The configured S3-compatible storage with another bucket (same endpoint, keys, prefix and
    options): where `restore --bucket` writes the files."""
    config: dict[str, Any] = settings.STORAGES["default"]
    backend = import_string(config["BACKEND"])
    if not (isinstance(backend, type) and issubclass(backend, S3Storage)):
        raise BackupError("--bucket needs the uploads on S3-compatible storage (STORAGE_BACKEND=s3); "
                          "use --media-root for a folder.")
    return backend(**{**config.get("OPTIONS", {}), "bucket_name": bucket})


# --- Retention -------------------------------------------------------------------------------


def archive_time(name: str) -> dt.datetime | None:
    match = ARCHIVE_RE.match(name)
    if not match:
        return None
    return dt.datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)


def retention_plan(names: Iterable[str], *, daily: int, weekly: int, monthly: int = 0) -> tuple[list[str], list[str]]:
    """(kept, deleted) among archive names: the newest archive of each of the `daily` latest
    days that have one, of each of the `weekly` latest ISO weeks and of the `monthly` latest
    months. Names that are not our archives are neither kept nor deleted (left alone)."""
    dated = sorted(((t, n) for n in names if (t := archive_time(n)) is not None), reverse=True)
    keep: set[str] = set()
    for count, period in ((daily, lambda t: t.date()), (weekly, lambda t: t.isocalendar()[:2]),
                          (monthly, lambda t: (t.year, t.month))):
        seen: list[Any] = []
        for when, name in dated:
            key = period(when)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.append(key)
            keep.add(name)
    kept = [n for _t, n in dated if n in keep]
    deleted = [n for _t, n in dated if n not in keep]
    return kept, deleted


def retention_apply(directory: Path, *, daily: int, weekly: int, monthly: int = 0) -> list[str]:
    """Delete the archives the plan does not keep; their names. Keeps at least the newest."""
    names = [p.name for p in directory.iterdir() if p.is_file()]
    _kept, deleted = retention_plan(names, daily=max(daily, 1), weekly=weekly, monthly=monthly)
    for name in deleted:
        (directory / name).unlink()
    return deleted
