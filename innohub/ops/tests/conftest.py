"""Fixtures of the operations tests: an empty database of the tests' kind to restore into, and an
S3-compatible HTTP server on 127.0.0.1 (moto's standalone server) with a fresh bucket per test as the
default storage. django-storages and boto3 talk to that server over HTTP exactly as to S3; nothing
is mocked inside the process."""

from __future__ import annotations

import contextlib
import json
import socket
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from config.settings.base import s3_storage
from innohub.ops import backup

S3_REGION = "us-east-1"


@pytest.fixture
def empty_database(tmp_path):
    """The URL of an empty database of the same kind as the tests' (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    config = connection.settings_dict
    name = f"{config['NAME']}_restored"[:63]
    admin = backup.DatabaseTarget.from_settings({**config, "NAME": "postgres"}).conninfo
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    user, password = config.get("USER") or "", config.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    yield f"postgres://{auth}{config.get('HOST') or '127.0.0.1'}:{config.get('PORT') or 5432}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def raw_connection(target: backup.DatabaseTarget):
    """A DB-API connection to a restored database, reading values as Django's connection does."""
    if target.vendor == "sqlite":
        import sqlite3

        conn = sqlite3.connect(target.sqlite_path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    else:
        import psycopg

        conn = psycopg.connect(target.conninfo)
    try:
        yield conn
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def s3_server():
    """The URL of an S3-compatible server (moto) listening on 127.0.0.1, for the whole session."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@dataclass
class Bucket:
    endpoint: str
    name: str
    client: Any  # a boto3 S3 client, to look at the bucket from outside the application

    def object_keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def storage_settings(self) -> dict:
        return s3_storage(bucket_name=self.name, endpoint_url=self.endpoint, region_name=S3_REGION, addressing_style="path")


@pytest.fixture
def s3_credentials(monkeypatch):
    # boto3 reads the keys from the environment, as in production; nothing from ~/.aws or a metadata service
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "innohub-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "innohub-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", S3_REGION)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")


@pytest.fixture
def make_bucket(s3_server, s3_credentials):
    """Creates an empty bucket on the server: ``make_bucket()`` → Bucket."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_server, region_name=S3_REGION)

    def _make() -> Bucket:
        name = f"innohub-{uuid.uuid4().hex[:16]}"
        client.create_bucket(Bucket=name)
        return Bucket(s3_server, name, client)

    return _make


@pytest.fixture
def s3_media(settings, make_bucket, tmp_path):
    """Uploads go to a fresh, empty bucket (the default storage is django-storages' S3Storage);
    MEDIA_ROOT is an empty folder of its own, so that a file landing there would show."""
    bucket = make_bucket()
    settings.MEDIA_ROOT = str(tmp_path / "media-root")
    settings.STORAGES = {**settings.STORAGES, "default": bucket.storage_settings()}
    return bucket


def row_key(row: Any) -> str:
    """A row as text, the same whichever driver's types read it (zone objects, inet addresses)."""
    return json.dumps(row, default=str, sort_keys=True)


def assert_same_rows(tables: Any, target: backup.DatabaseTarget) -> None:
    """Every row of every one of `tables` reads the same in the restored database as in the live one."""
    source = backup.DatabaseTarget.current()
    with raw_connection(target) as restored, (raw_connection(source) if source.vendor == "postgresql" else contextlib.nullcontext(connection)) as live:
        for table in tables:
            cursor = live.cursor()
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the catalogue
            expected = sorted(map(row_key, cursor.fetchall()))
            cursor = restored.cursor()
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            assert sorted(map(row_key, cursor.fetchall())) == expected, table
