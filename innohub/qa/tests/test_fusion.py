"""Fusion weights per knowledge-base collection, learnt from the passages officers cited.

Two small collections of real text where one side clearly wins:

* legal articles that restate the same long conditions and differ in one line, the sector
  code they apply to: the encoder averages over the whole text, so their vectors nearly
  coincide (dense alone puts the right article first for 6 questions of 10), while BM25
  keys on the code (10 of 10); fused, the code decides too, so the vectors add nothing
  and the collection ends with BM25 alone;
* published answers asked about in other words than they use, each question sharing words
  with *another* answer: BM25 follows the shared words, the encoder the meaning, and the
  collection ends weighted towards the vectors.
"""

import numpy as np
import pytest
from django.utils import timezone

from innohub.activity.models import Event
from innohub.qa.models import Citation, Collection, FusionEstimate
from innohub.qa.retrieval import fusion
from innohub.qa.tests.factories import (
    AnswerFactory,
    DocumentFactory,
    PassageFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

COMMON = (
    "Tổ chức, cá nhân đề nghị hỗ trợ phải có hồ sơ hợp lệ gồm đơn đề nghị theo mẫu, thuyết minh "
    "nhiệm vụ, dự toán kinh phí, văn bản cam kết bố trí vốn đối ứng, bản sao giấy chứng nhận đăng "
    "ký doanh nghiệp hoặc quyết định thành lập, báo cáo tài chính của năm gần nhất và các tài liệu "
    "chứng minh năng lực thực hiện; hồ sơ được nộp trực tiếp hoặc qua cổng dịch vụ công trực tuyến "
    "trước ngày 30 tháng 6 hằng năm. Hội đồng tư vấn xét chọn đánh giá hồ sơ theo các tiêu chí về "
    "tính cấp thiết, tính mới, tính khả thi, khả năng ứng dụng kết quả và năng lực của tổ chức chủ "
    "trì; kết quả xét chọn được công bố công khai trên trang thông tin điện tử của Sở. Kinh phí "
    "được cấp theo hợp đồng, quyết toán theo quy định về quản lý tài chính đối với nhiệm vụ khoa "
    "học và công nghệ sử dụng ngân sách nhà nước; tổ chức chủ trì chịu trách nhiệm về tính chính "
    "xác của số liệu và sử dụng kinh phí đúng mục đích."
)
CODES = ["4711", "4717", "4771", "4177", "1477", "7141", "7114", "1747", "4117", "7411"]
AMOUNTS = ["60", "40", "80", "120", "70", "90", "150", "50", "30", "110"]
LEGAL = [
    (f"Điều {i + 5}", f"Điều {i + 5}. Doanh nghiệp có mã ngành kinh tế {code} được hỗ trợ một lần tối đa {amount} triệu đồng. {COMMON} {COMMON}")
    for i, (code, amount) in enumerate(zip(CODES, AMOUNTS, strict=True))
]
LEGAL_QUESTIONS = [(f"Mã ngành {code} được hỗ trợ bao nhiêu?", i) for i, code in enumerate(CODES)]
# Answers: questions asked in other words than the answers use, each sharing words with
# another answer: BM25 follows the shared words, the encoder the meaning.
ANSWERS = [
    ("Cách ly", "Người mắc COVID-19 tự theo dõi sức khỏe tại nơi ở trong bảy ngày và hạn chế tiếp xúc với người khác."),
    ("Tiêm chủng trẻ em", "Trẻ từ 5 đến dưới 12 tuổi được tiêm vắc xin phòng COVID-19 liều dành cho trẻ em, cha mẹ ký phiếu đồng ý."),
    ("Khẩu trang", "Nên đeo khẩu trang y tế che kín mũi và miệng ở nơi đông người và trên phương tiện giao thông công cộng."),
    ("Triệu chứng", "Các dấu hiệu thường gặp là sốt, ho khan, đau họng, mệt mỏi và mất vị giác hoặc khứu giác."),
    ("Xét nghiệm", "Có thể tự làm xét nghiệm nhanh kháng nguyên tại nhà bằng que thử được Bộ Y tế cấp phép."),
    ("Rửa tay", "Rửa tay thường xuyên bằng xà phòng với nước sạch ít nhất 20 giây hoặc dùng dung dịch sát khuẩn."),
    ("Điều trị", "Phần lớn người bệnh có triệu chứng nhẹ được điều trị tại nhà, dùng thuốc hạ sốt và uống đủ nước."),
    ("Mũi nhắc lại", "Người trưởng thành được tiêm mũi nhắc lại sau mũi cơ bản cuối cùng ít nhất bốn tháng."),
]
ANSWER_QUESTIONS = [
    ("Bị dương tính thì phải ở yên bao lâu, làm xét nghiệm lại tại nhà khi nào?", 0),
    ("Bé học lớp ba có được chích ngừa như người trưởng thành không?", 1),
    ("Đi xe buýt có phải che mặt không, hay chỉ cần rửa tay bằng dung dịch sát khuẩn?", 2),
    ("Làm sao biết mình đã nhiễm, có cần tự làm xét nghiệm nhanh không?", 3),
    ("Mua bộ kit ở hiệu thuốc về kiểm tra xem có mắc COVID-19 không, rồi theo dõi sức khỏe thế nào?", 4),
    ("Vệ sinh bàn tay thế nào để khỏi lây khi đeo khẩu trang ở nơi đông người?", 5),
    ("Bị nhiễm thì nằm viện hay chữa ở đâu, có cần tiêm mũi nhắc lại không?", 6),
    ("Bao lâu sau liều thứ hai thì chích thêm, trẻ em có được không?", 7),
]


def _collection(collection, title, texts, headings):
    document = DocumentFactory(title=title, collection=collection)
    return [
        PassageFactory(document=document, order=n, article=heading.removeprefix("Điều ").strip(), clause="", heading="", text=text)
        for n, (heading, text) in enumerate(zip(headings, texts, strict=True), start=1)
    ]


def _cite(passage, question_text):
    """A published answer to ``question_text`` that cites ``passage`` (an officer's labelled pair)."""
    answer = AnswerFactory(question=QuestionFactory(text=question_text, state="published"), published_at=timezone.now())
    Citation.objects.create(answer=answer, number=1, passage=passage, document=passage.document, source_label=str(passage.document))
    return answer


def _mrr(search, asked):
    """MRR@10 of drafting's search (the whole knowledge base) over (question, cited passage pk)."""
    ranks = []
    for text, pk in asked:
        found = [f.pk for f in search.search_knowledge(text, k=10, dense=True)]
        ranks.append(1 / (found.index(pk) + 1) if pk in found else 0.0)
    return sum(ranks) / len(ranks)


@pytest.fixture
def two_collections():
    legal = _collection(Collection.LEGAL, "Quy định hỗ trợ theo mã ngành", [t for _, t in LEGAL], [h for h, _ in LEGAL])
    answers = _collection(Collection.ANSWERS, "Hỏi đáp phòng chống COVID-19", [t for _, t in ANSWERS], [h for h, _ in ANSWERS])
    for text, i in LEGAL_QUESTIONS:
        _cite(legal[i], text)
    for text, i in ANSWER_QUESTIONS:
        _cite(answers[i], text)
    return legal, answers


def test_each_collection_gets_the_weight_its_citations_favour(two_collections, dense_retrieval, settings):
    """Given officers' citations in a legal collection that BM25 ranks better and in an answers
    collection that the vectors rank better, when the background task re-estimates the
    weights, then the legal collection ends with BM25 alone (dense off) and the answers
    with more weight on the vectors than the default, each choice recorded with its pairs
    and folds; and drafting's search ranks each passage with its own collection's weight."""
    from innohub.qa import search
    from innohub.qa.tasks import embed_knowledge, estimate_fusion_weights

    settings.QA_FUSION_MIN_PAIRS, settings.QA_FUSION_FOLDS = 6, 5
    legal, answers = two_collections
    assert embed_knowledge.call() == len(legal) + len(answers)
    # with the default weight, drafting's search puts the cited answer first for few of its questions
    before = _mrr(search, [(text, answers[i].pk) for text, i in ANSWER_QUESTIONS])

    assert estimate_fusion_weights.call() == len(Collection.values)

    weights = search.fusion_weights()
    legal_weight, answers_weight = weights[Collection.LEGAL], weights[Collection.ANSWERS]
    assert legal_weight.lexical_share == 1.0 and not legal_weight.dense  # BM25 weighted up: alone
    assert legal_weight.pairs == len(LEGAL_QUESTIONS) and len(legal_weight.folds) == 5
    assert legal_weight.bm25_mrr == 1.0 and legal_weight.bm25_mrr >= legal_weight.fusion_mrr
    assert answers_weight.lexical_share < fusion.DEFAULT_SHARE  # the vectors weighted up
    assert answers_weight.rule == FusionEstimate.Rule.CROSS_VALIDATED and answers_weight.pairs == len(ANSWER_QUESTIONS)
    assert answers_weight.cv_mrr > answers_weight.fusion_mrr > answers_weight.bm25_mrr
    assert answers_weight.cv_low <= answers_weight.cv_mrr <= answers_weight.cv_high
    assert sum(f["pairs"] for f in answers_weight.folds) == len(ANSWER_QUESTIONS)
    assert weights[Collection.GUIDES].rule == FusionEstimate.Rule.NO_PAIRS  # nothing cited there
    assert Event.objects.filter(action="qa.fusion_estimated").count() == len(Collection.values)

    # retrieval now weighs each passage by its collection's weight
    shares = dict(zip(search._get("kb").passage_ids, search._passage_shares(search._get("kb"))[0].tolist(), strict=True))
    assert {shares[f"p{p.pk}"] for p in legal} == {1.0}
    assert {shares[f"p{p.pk}"] for p in answers} == {answers_weight.lexical_share}
    assert _mrr(search, [(text, answers[i].pk) for text, i in ANSWER_QUESTIONS]) > before
    assert _mrr(search, [(text, legal[i].pk) for text, i in LEGAL_QUESTIONS]) == 1.0


def test_no_pair_or_one_pair_keeps_the_default_and_says_so():
    """Given a collection nobody has cited and one with a single cited passage, when the
    weights are re-estimated, then both keep the default weight and say why; a collection
    with pairs but no vectors keeps it too (dense retrieval off)."""
    from innohub.qa import search
    from innohub.qa.tasks import estimate_fusion_weights

    legal = _collection(Collection.LEGAL, "Quy định hỗ trợ theo mã ngành", [t for _, t in LEGAL[:3]], [h for h, _ in LEGAL[:3]])
    answers = _collection(Collection.ANSWERS, "Hỏi đáp phòng chống COVID-19", [t for _, t in ANSWERS[:3]], [h for h, _ in ANSWERS[:3]])
    _cite(answers[0], ANSWER_QUESTIONS[0][0])
    for text, i in LEGAL_QUESTIONS[:3]:
        _cite(legal[i], text)
    # an answer not published (taken down) is no label
    taken_down = _cite(answers[1], ANSWER_QUESTIONS[1][0])
    type(taken_down.question).objects.filter(pk=taken_down.question_id).update(state="drafted")

    estimate_fusion_weights.call()
    weights = search.fusion_weights()
    assert (weights[Collection.GUIDES].rule, weights[Collection.GUIDES].pairs) == (FusionEstimate.Rule.NO_PAIRS, 0)
    assert (weights[Collection.ANSWERS].rule, weights[Collection.ANSWERS].pairs) == (FusionEstimate.Rule.TOO_FEW, 1)
    assert (weights[Collection.LEGAL].rule, weights[Collection.LEGAL].pairs) == (FusionEstimate.Rule.DENSE_OFF, 3)
    for estimate in weights.values():
        assert estimate.lexical_share == fusion.DEFAULT_SHARE and estimate.cv_mrr is None and estimate.folds == []
    assert search.collection_shares() == dict.fromkeys(Collection.values, fusion.DEFAULT_SHARE)
    assert str(FusionEstimate.Rule.TOO_FEW.label) in {"Too few pairs to cross-validate: default kept", "Quá ít cặp để kiểm định chéo: giữ mặc định"}


def test_choose_refuses_to_tune_on_too_little():
    """The rule on its own: no pair and one pair keep the default; two pairs are
    cross-validated but only between BM25 alone and the default fusion under the minimum."""
    assert fusion.choose(None, pairs=0).rule == fusion.NO_PAIRS
    one = fusion.choose(np.ones((1, len(fusion.SHARES))), pairs=1)
    assert (one.share, one.rule, one.cv) == (fusion.DEFAULT_SHARE, fusion.TOO_FEW, None)
    # dense alone wins on both pairs, but two pairs are too few to tune on: the safe default
    table = np.array([[1.0] + [0.5] * 10, [1.0, 1.0, 1.0] + [0.2] * 8])
    two = fusion.choose(table, pairs=2, min_pairs=30)
    assert (two.share, two.rule) == (fusion.DEFAULT_SHARE, fusion.SAFE_DEFAULT) and len(two.folds) == 2
    with pytest.raises(ValueError, match="at least two pairs"):
        fusion.cross_validate(np.ones((1, len(fusion.SHARES))))


def test_administrators_see_the_weights(client_for):
    FusionEstimate.objects.create(
        collection=Collection.ANSWERS, lexical_share=0.0, rule=FusionEstimate.Rule.CROSS_VALIDATED, pairs=40,
        cv_mrr=0.61, cv_low=0.5, cv_high=0.7, bm25_mrr=0.3, fusion_mrr=0.41, tuned_share=0.0,
        folds=[{"fold": 1, "pairs": 8, "share": 0.0, "mrr": 0.61, "bm25_mrr": 0.3, "fusion_mrr": 0.41}],
    )  # fmt: skip
    admin = client_for("administrator")
    listing = admin.get("/admin/qa/fusionestimate/").content.decode()
    assert "Questions and answers" in listing or "Hỏi đáp" in listing
    estimate = FusionEstimate.objects.get()
    page = admin.get(f"/admin/qa/fusionestimate/{estimate.pk}/change/").content.decode()
    assert "0.61" in page and "<table>" in page
    assert admin.post(f"/admin/qa/fusionestimate/{estimate.pk}/change/", {"lexical_share": "1"}).status_code == 403
    assert FusionEstimate.objects.get().lexical_share == 0.0
