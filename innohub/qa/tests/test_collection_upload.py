"""Choosing a knowledge-base document's collection when it is uploaded (issue 33): each
collection has its own fusion weight, so an officer says what kind of text a document is;
a new version keeps its document's collection unless the officer chooses another."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from innohub.activity.models import Event
from innohub.core.errors import ApplicationError
from innohub.qa import services
from innohub.qa.models import Collection, KnowledgeDocument
from innohub.qa.tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

TEXT = "Điều 1. Phạm vi\n1. Áp dụng cho doanh nghiệp khởi nghiệp sáng tạo.".encode()


def _file(name: str = "hd.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, TEXT)


def _selected(html: str) -> str:
    select = re.search(r'<select name="collection"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the form has no collection box"
    chosen = re.findall(r'<option value="(\w+)"[^>]*selected', select.group(1))
    return chosen[0] if chosen else ""


def test_the_upload_form_offers_the_collections_legal_documents_first(client_for):
    html = client_for("officer").get("/qa/knowledge/").content.decode()
    assert "Bộ sưu tập" in html and _selected(html) == Collection.LEGAL
    for label in ("Văn bản pháp luật", "Hướng dẫn, thủ tục", "Hỏi đáp"):
        assert f">{label}</option>" in html


def test_an_officer_uploads_a_document_into_the_collection_chosen(client_for):
    officer = client_for("officer")
    response = officer.post("/qa/knowledge/", {"title": "Hỏi đáp về khởi nghiệp", "collection": Collection.ANSWERS, "file": _file()})
    assert response.status_code == 302
    document = KnowledgeDocument.objects.get()
    assert document.collection == Collection.ANSWERS
    assert Event.objects.get(action="knowledge_document.uploaded").after["collection"] == Collection.ANSWERS
    page = officer.get(response["Location"]).content.decode()
    assert "<dd>Hỏi đáp</dd>" in page  # the document's page says which collection it is in


def test_without_a_choice_a_document_goes_to_legal_documents(client_for):
    assert client_for("officer").post("/qa/knowledge/", {"title": "Quyết định", "file": _file()}).status_code == 302
    assert KnowledgeDocument.objects.get().collection == Collection.LEGAL


def test_a_collection_that_does_not_exist_is_refused_and_nothing_is_stored(client_for):
    response = client_for("officer").post("/qa/knowledge/", {"title": "Hướng dẫn", "collection": "recipes", "file": _file()})
    assert response.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not KnowledgeDocument.objects.exists() and not Event.objects.filter(action__startswith="knowledge_document").exists()


def test_the_service_refuses_an_unknown_collection_too(users):
    with pytest.raises(ApplicationError) as refused:
        services.knowledge_document_upload(actor=users["officer"], title="Hướng dẫn", collection="recipes", file=_file())
    assert refused.value.code == "collection_invalid"
    assert not KnowledgeDocument.objects.exists()


def test_the_new_version_form_keeps_the_documents_collection_by_default(client_for):
    """Given a guide in force, its page's new-version form has its collection chosen; a
    new version posted as the form comes (or without the box) stays a guide; one posted
    with another collection goes there."""
    guide = DocumentFactory(title="Hướng dẫn nộp hồ sơ", collection=Collection.GUIDES)
    officer = client_for("officer")
    assert _selected(officer.get(f"/qa/knowledge/{guide.pk}/").content.decode()) == Collection.GUIDES

    kept = officer.post(f"/qa/knowledge/{guide.pk}/", {"title": guide.title, "collection": Collection.GUIDES, "file": _file("v2.txt")})
    assert kept.status_code == 302
    second = KnowledgeDocument.objects.get(replaces=guide)
    assert (second.version, second.collection) == (2, Collection.GUIDES)
    assert _selected(officer.get(f"/qa/knowledge/{second.pk}/").content.decode()) == Collection.GUIDES

    # not yet read: a file sent again without the box keeps the collection too
    assert officer.post(f"/qa/knowledge/{second.pk}/", {"title": guide.title, "file": _file("v2b.txt")}).status_code == 302
    second.refresh_from_db()
    assert second.collection == Collection.GUIDES and KnowledgeDocument.objects.count() == 2


def test_a_new_version_may_move_to_another_collection(client_for):
    faq = DocumentFactory(title="Giải đáp thắc mắc", collection=Collection.LEGAL)
    response = client_for("officer").post(f"/qa/knowledge/{faq.pk}/", {"title": faq.title, "collection": Collection.ANSWERS, "file": _file("v2.txt")})
    assert response.status_code == 302
    assert KnowledgeDocument.objects.get(replaces=faq).collection == Collection.ANSWERS
    faq.refresh_from_db()
    assert faq.collection == Collection.LEGAL  # the version in force is not changed by its successor's upload


def test_a_new_version_with_an_unknown_collection_is_refused(client_for):
    guide = DocumentFactory(collection=Collection.GUIDES)
    response = client_for("officer").post(f"/qa/knowledge/{guide.pk}/", {"title": guide.title, "collection": "x", "file": _file("v2.txt")})
    assert response.status_code == 400
    assert KnowledgeDocument.objects.count() == 1
