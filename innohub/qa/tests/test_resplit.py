"""``manage.py qa_resplit``: documents split again with today's rules, nothing lost."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from innohub.activity.models import Event
from innohub.qa import services
from innohub.qa.models import Citation, Passage
from innohub.qa.tests.factories import AnswerFactory

DECISION = """Điều 6. Nội dung chi được hỗ trợ
1. Chi thuê chuyên gia tư vấn.
2. Không hỗ trợ chi lương thường xuyên.

Chương III. TRÌNH TỰ XÉT CHỌN

Điều 8. Hồ sơ đề nghị hỗ trợ
1. Đơn đề nghị hỗ trợ theo mẫu.
"""
OLD_SPLIT = "2. Không hỗ trợ chi lương thường xuyên. Chương III. TRÌNH TỰ XÉT CHỌN"


@pytest.fixture
def document(users, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.knowledge_document_upload(
            actor=users["officer"], title="Quy định hỗ trợ", number="1208/QĐ-SKHCN",
            file=SimpleUploadedFile("qd.txt", DECISION.encode()),
        )  # fmt: skip
    # as an earlier version of the splitter left it: the next chapter's title in the clause
    Passage.objects.filter(document=document, article="6", clause="2").update(text=OLD_SPLIT)
    return document


def resplit(*args: str) -> str:
    out = StringIO()
    call_command("qa_resplit", *args, stdout=out)
    return out.getvalue()


def clause_text(document) -> str:
    return Passage.objects.get(document=document, article="6", clause="2").text


def test_a_document_split_by_older_rules_is_split_again_and_audited(document):
    answer = AnswerFactory()
    passage = Passage.objects.get(document=document, article="6", clause="2")
    Citation.objects.create(answer=answer, number=1, passage=passage, document=document, quote=OLD_SPLIT, place="Điều 6, Khoản 2")

    out = resplit()
    assert f"#{document.pk} 1208/QĐ-SKHCN Quy định hỗ trợ: re-split, 3 → 3 passages" in out
    assert "1 document(s) changed, 0 unreadable, of 1" in out
    assert clause_text(document) == "2. Không hỗ trợ chi lương thường xuyên."
    event = Event.objects.get(action="knowledge_document.resplit")
    assert event.target_id == str(document.pk)
    # the published answer keeps what it quoted
    citation = Citation.objects.get(answer=answer)
    assert citation.quote == OLD_SPLIT and citation.place == "Điều 6, Khoản 2"

    # a second run finds nothing to do and records nothing
    assert "unchanged (3 passages)" in resplit()
    assert Event.objects.filter(action="knowledge_document.resplit").count() == 1


def test_a_dry_run_changes_nothing(document):
    out = resplit("--dry-run")
    assert "would be re-split, 3 → 3 passages" in out and "1 document(s) would change" in out
    assert clause_text(document) == OLD_SPLIT
    assert not Event.objects.filter(action="knowledge_document.resplit").exists()


def test_a_file_that_cannot_be_read_again_leaves_its_document_as_it_was(document):
    document.file.storage.delete(document.file.name)
    with pytest.raises(CommandError, match="1 document\\(s\\) could not be read again"):
        resplit()
    document.refresh_from_db()
    assert document.status == "ready" and clause_text(document) == OLD_SPLIT
    assert Passage.objects.filter(document=document).count() == 3


def test_an_unknown_document_is_refused(document):
    with pytest.raises(CommandError, match="no ready document with id 999"):
        resplit("--document", "999", "--document", str(document.pk))
    assert clause_text(document) == OLD_SPLIT
