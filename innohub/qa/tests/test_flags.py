"""The Q&A code reads the question workflow's flags, never its state codes: with the
published, merged and rejected states renamed, published answers are still found, shared
with merged questions, counted and e-mailed."""


import pytest
from django.core import mail

from innohub.qa import selectors, workflows
from innohub.qa.models import Answer
from innohub.workflow.spec import WorkflowSpec
from innohub.workflow.tests.renaming import renamed

from .factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

RENAMED = {"published": "da_tra_loi", "merged": "da_gop", "rejected_out_of_scope": "ngoai_pham_vi"}


@pytest.fixture
def renamed_spec(monkeypatch):
    definition = renamed(workflows.QUESTION_WORKFLOW, RENAMED)
    assert workflows.QUESTION.problems(definition) == []
    spec = WorkflowSpec(definition)
    monkeypatch.setattr(workflows, "QUESTION_SPEC", spec)
    return spec


def test_a_published_answer_is_found_by_the_faq_in_the_state_the_spec_flags_published(client, renamed_spec):
    # given an answer whose question is in the renamed published state, and one taken down to be corrected
    answer = AnswerFactory(question=QuestionFactory(state="da_tra_loi"), published_question="Ươm tạo được hỗ trợ bao nhiêu?")
    corrected = AnswerFactory(question=QuestionFactory(state="drafted"), published_question="Câu hỏi đang được sửa")
    # then the public answers, the FAQ page and the answer's own page show the first only
    assert list(Answer.objects.public()) == [answer]
    body = client.get("/qa/").content.decode()
    assert "Ươm tạo được hỗ trợ bao nhiêu?" in body and "Câu hỏi đang được sửa" not in body
    assert client.get(f"/qa/answers/{answer.pk}/").status_code == 200
    assert client.get(f"/qa/answers/{corrected.pk}/").status_code == 404
    # and a question merged into it (the renamed merged state) reads that answer
    duplicate = QuestionFactory(state="da_gop", merged_into=answer.question)
    assert selectors.asker_answer(duplicate) == answer


def test_statistics_count_the_questions_in_the_renamed_published_state_as_answered(users, renamed_spec):
    AnswerFactory(question=QuestionFactory(state="da_tra_loi"))
    QuestionFactory(state="received")
    summary = selectors.statistics_summary(user=users["officer"])
    assert sorted((row["n"], row["answered"]) for row in summary["by_topic"]) == [(1, 0), (1, 1)]


def test_the_asker_is_emailed_the_answer_and_the_rejection_in_the_renamed_states(renamed_spec):
    from innohub.qa.tasks import email_asker

    answered = AnswerFactory(question=QuestionFactory(state="da_tra_loi")).question
    rejected = QuestionFactory(state="ngoai_pham_vi", reject_reason="Không thuộc lĩnh vực của Sở.")
    still_open = QuestionFactory(state="assigned")
    assert email_asker.call(question_id=answered.pk) is True
    assert email_asker.call(question_id=rejected.pk) is True
    assert email_asker.call(question_id=still_open.pk) is False
    assert len(mail.outbox) == 2
    assert "Không thuộc lĩnh vực của Sở." in mail.outbox[1].body
