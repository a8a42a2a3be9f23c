"""With background refresh (production's setting), no request waits for the Q&A's BM25 index to
be rebuilt after the knowledge base changed: searches answer from the index the process holds
while the rebuild runs beside, then find the new passage once it is swapped in."""

import threading
import time

import pytest

from innohub.qa import search
from innohub.qa.tests.factories import DocumentFactory, PassageFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the rebuild runs in its own thread and connection

OLD = "Doanh nghiệp khởi nghiệp sáng tạo ở giai đoạn ươm tạo được hỗ trợ không hoàn lại tối đa 80.000.000 đồng."
NEW = "Quỹ phát triển khoa học cho vay ưu đãi lãi suất để đổi mới thiết bị sản xuất."


def _found(query: str) -> list[int]:
    return [f.pk for f in search.search_knowledge(query, k=5)]


@pytest.fixture
def background(settings):
    settings.QA_INDEX_BACKGROUND_REFRESH = True
    search.forget()
    yield
    search.wait_for_refresh()
    search.forget()


def test_a_search_during_a_rebuild_answers_from_the_index_held_then_finds_the_new_passage(background, monkeypatch):
    old = PassageFactory(text=OLD)
    assert _found("giai đoạn ươm tạo hỗ trợ") == [old.pk]  # a process holding none builds it once
    kb = search._indexes["kb"]
    held = kb.value

    # the rebuild is the real one, held at its start until the searches below have been answered
    release, started = threading.Event(), threading.Event()
    build = kb._build

    def held_back_build(version):
        started.set()
        release.wait(30)
        return build(version)

    monkeypatch.setattr(kb, "_build", held_back_build)
    new = PassageFactory(document=DocumentFactory(title="Quy định cho vay ưu đãi"), text=NEW)
    try:
        began = time.monotonic()
        assert new.pk not in _found("cho vay ưu đãi đổi mới thiết bị")  # the index held: the new passage not yet
        assert _found("giai đoạn ươm tạo hỗ trợ") == [old.pk]
        assert time.monotonic() - began < 5  # answered while the rebuild waits, not after it
        assert started.wait(5) and kb.value is held  # the rebuild runs beside, nothing swapped yet
    finally:
        release.set()
    search.wait_for_refresh()
    assert kb.value is not held
    assert _found("cho vay ưu đãi đổi mới thiết bị")[0] == new.pk
    assert old.pk in _found("giai đoạn ươm tạo hỗ trợ")


def test_a_withdrawn_document_leaves_the_index_once_rebuilt_beside(background):
    from django.utils import timezone

    kept, gone = PassageFactory(text=OLD), PassageFactory(document=DocumentFactory(title="Quy định cũ"), text=NEW)
    assert _found("cho vay ưu đãi đổi mới thiết bị")[0] == gone.pk
    type(gone.document).objects.filter(pk=gone.document_id).update(withdrawn_at=timezone.now(), updated_at=timezone.now())
    _found("cho vay ưu đãi đổi mới thiết bị")  # sees the change, starts the rebuild
    search.wait_for_refresh()
    assert gone.pk not in _found("cho vay ưu đãi đổi mới thiết bị")
    assert _found("giai đoạn ươm tạo hỗ trợ") == [kept.pk]


def test_without_background_refresh_the_first_search_after_a_change_finds_it(settings):
    settings.QA_INDEX_BACKGROUND_REFRESH = False
    search.forget()
    PassageFactory(text=OLD)
    _found("giai đoạn ươm tạo")
    new = PassageFactory(document=DocumentFactory(title="Quy định cho vay ưu đãi"), text=NEW)
    assert _found("cho vay ưu đãi đổi mới thiết bị")[0] == new.pk
    search.forget()


def _counting_builds(monkeypatch, kb) -> list:
    """The real build, counted (the test asks whether it ran, not what it returns)."""
    calls: list = []
    build = kb._build

    def counted(version):
        calls.append(version)
        return build(version)

    monkeypatch.setattr(kb, "_build", counted)
    return calls


def test_a_starting_process_loads_the_saved_index_when_it_is_current_and_builds_otherwise(background, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    old = PassageFactory(text=OLD)
    assert search.index_rebuild()["kb"] == 1  # the worker builds and saves it, with its version
    saved = tmp_path / "qa-index" / "kb"
    assert (saved / "version.json").is_file()
    assert not [p.name for p in saved.parent.iterdir() if p.name.startswith(".")]  # nothing half-written left
    kb = search._indexes["kb"]

    # a new process (nothing held): the saved copy is for the database's signature, so it is
    # loaded, and the first search answers from it without building anything
    search.forget()
    builds = _counting_builds(monkeypatch, kb)
    assert kb.available() and not kb.refreshing()
    assert _found("giai đoạn ươm tạo hỗ trợ") == [old.pk]
    assert builds == [] and kb.held_version == search._kb_signature()

    # the knowledge base changed since it was saved: the copy is not used; the index is built
    new = PassageFactory(document=DocumentFactory(title="Quy định cho vay ưu đãi"), text=NEW)
    search.forget()
    assert not kb.available()  # a rebuild started beside; the caller takes another path meanwhile
    search.wait_for_refresh()
    assert len(builds) == 1 and _found("cho vay ưu đãi đổi mới thiết bị")[0] == new.pk

    # an unreadable copy is as good as none: built, never a server error
    (saved / "version.json").write_text(search._version_text(search._kb_signature()), "utf-8")
    for part in saved.iterdir():
        if part.name != "version.json":
            part.write_bytes(b"not an index")
    search.forget()
    assert _found("cho vay ưu đãi đổi mới thiết bị")[0] == new.pk
    assert len(builds) == 2
