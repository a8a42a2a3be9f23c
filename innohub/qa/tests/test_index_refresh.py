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
