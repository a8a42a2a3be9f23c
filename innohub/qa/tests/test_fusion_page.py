"""The staff page of the knowledge base's search weights (issue 33): administrators and
managers read each collection's current weight, why it was chosen, on how many pairs, the
cross-validated figures and folds, and every estimate before it; nobody else opens it."""

import pytest
from django.urls import reverse

from innohub.core.roles import Role
from innohub.qa.models import Collection, FusionEstimate

pytestmark = pytest.mark.django_db

URL = "/qa/knowledge/weights/"
FOLDS = [
    {"fold": n, "pairs": 8, "share": 0.0 if n != 3 else 0.1, "mrr": mrr, "bm25_mrr": 0.3, "fusion_mrr": 0.41}
    for n, mrr in enumerate([0.61, 0.58, 0.66, 0.55, 0.65], start=1)
]


def _estimate(collection: str, **fields) -> FusionEstimate:
    values = {"lexical_share": 0.2, "rule": FusionEstimate.Rule.NO_PAIRS, "pairs": 0, **fields}
    return FusionEstimate.objects.create(collection=collection, **values)


def test_reverse_and_the_page_address_agree():
    assert reverse("qa:fusion-weights") == URL


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MANAGER])
def test_administrators_and_managers_read_each_collections_weight_and_folds(client_for, role):
    """Given an older and a newer estimate of the answers collection and one of the legal
    collection, the page shows the newer one as current: its share, the rule in words, the
    pairs, the cross-validated MRR@10 with its interval beside BM25 alone and the default
    fusion, and each fold; a collection never estimated says it uses the default."""
    _estimate(Collection.ANSWERS, lexical_share=0.2, rule=FusionEstimate.Rule.SAFE_DEFAULT, pairs=12,
              cv_mrr=0.41, cv_low=0.33, cv_high=0.49, bm25_mrr=0.3, fusion_mrr=0.41, folds=FOLDS)
    _estimate(Collection.ANSWERS, lexical_share=0.0, rule=FusionEstimate.Rule.CROSS_VALIDATED, pairs=40,
              cv_mrr=0.61, cv_low=0.552, cv_high=0.668, bm25_mrr=0.3, fusion_mrr=0.41, tuned_share=0.0, folds=FOLDS)
    _estimate(Collection.LEGAL, lexical_share=1.0, rule=FusionEstimate.Rule.SAFE_DEFAULT, pairs=9,
              cv_mrr=0.9, cv_low=0.8, cv_high=1.0, bm25_mrr=0.9, fusion_mrr=0.85, folds=FOLDS[:2])

    response = client_for(role).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Trọng số tìm kiếm của cơ sở tri thức" in html
    answers = html.split('id="weight-answers"')[1].split("</section>")[0]
    assert "<strong>0,0</strong>" in answers and "Trọng số chọn bằng kiểm định chéo" in answers
    assert "<dd>40</dd>" in answers
    assert "0,610" in answers and "khoảng tin cậy 95% 0,552–0,668" in answers
    assert "0,300" in answers and "0,410" in answers  # BM25 alone, the default fusion
    assert answers.count("<tr>") == 1 + len(FOLDS) and "0,550" in answers  # a row per fold
    legal = html.split('id="weight-legal"')[1].split("</section>")[0]
    assert "<strong>1,0</strong>" in legal and "chỉ dùng BM25: tắt vectơ ngữ nghĩa" in legal
    guides = html.split('id="weight-guides"')[1].split("</section>")[0]
    assert "<strong>0,2</strong>" in guides and "Chưa ước lượng: khi soạn dùng tỷ trọng mặc định." in guides
    history = html.split('id="history-title"')[1]
    assert history.count("Hỏi đáp") == 2 and "0,330–0,490" in history  # the older estimate is in the history


def test_the_history_is_paginated_newest_first(client_for):
    for n in range(25):
        _estimate(Collection.GUIDES, pairs=n)
    first = client_for(Role.ADMINISTRATOR).get(URL).content.decode().split('id="history-title"')[1]
    second = client_for(Role.ADMINISTRATOR).get(URL + "?page=2").content.decode().split('id="history-title"')[1]
    assert first.count('data-label="Số cặp đã gán nhãn">') == 20 and second.count('data-label="Số cặp đã gán nhãn">') == 5
    assert 'data-label="Số cặp đã gán nhãn">24<' in first and 'data-label="Số cặp đã gán nhãn">0<' in second


@pytest.mark.parametrize("role", [Role.OFFICER, Role.REVIEWER, Role.APPLICANT, Role.VISITOR])
def test_other_roles_are_refused(client_for, role):
    _estimate(Collection.LEGAL)
    assert client_for(role).get(URL).status_code == 403


def test_a_visitor_not_logged_in_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_inbox_links_to_it_for_those_who_may_read_it(client_for):
    assert URL in client_for(Role.MANAGER).get("/qa/inbox/").content.decode()
    assert URL in client_for(Role.ADMINISTRATOR).get("/qa/inbox/").content.decode()
    assert URL not in client_for(Role.OFFICER).get("/qa/inbox/").content.decode()


def test_the_page_changes_nothing(client_for):
    """Read-only: a post is refused and no estimate is written or changed."""
    estimate = _estimate(Collection.LEGAL, lexical_share=1.0)
    assert client_for(Role.ADMINISTRATOR).post(URL, {"lexical_share": "0"}).status_code in (403, 405)
    estimate.refresh_from_db()
    assert estimate.lexical_share == 1.0 and FusionEstimate.objects.count() == 1
