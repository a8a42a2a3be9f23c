"""Analyser, BM25 index, fusion and metric arithmetic of the Q&A retrieval engine."""

from __future__ import annotations

import math
import unicodedata

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from innohub.core.text import fold_diacritics
from innohub.qa.retrieval import lexicon
from innohub.qa.retrieval.analysis import Analyzer
from innohub.qa.retrieval.dense import (
    DenseIndex,
    HybridRetriever,
    reciprocal_rank_fusion,
    similarities,
    standardise,
)
from innohub.qa.retrieval.evaluation import rank_metrics
from innohub.qa.retrieval.index import BM25Index, Passage, Weights, lead

PASSAGES = [
    Passage(
        id="startup-fund",
        title="Quỹ hỗ trợ khởi nghiệp",
        text="Doanh nghiệp khởi nghiệp sáng tạo được hỗ trợ kinh phí ươm tạo tối đa 40 triệu đồng.",
    ),
    Passage(
        id="tech-transfer",
        title="Chuyển giao công nghệ",
        text="Viện nghiên cứu ký hợp đồng chuyển giao công nghệ với doanh nghiệp trong nước.",
    ),
    Passage(
        id="delegation",
        title="Đoàn công tác quốc tế",
        text="Sở tiếp đoàn đại biểu nước ngoài và theo dõi các cam kết hợp tác đã thống nhất.",
    ),
    Passage(
        id="vaccine",
        title="Tiêm chủng",
        text="Người trên 65 tuổi được ưu tiên tiêm vắc xin tại trạm y tế phường.",
    ),
    Passage(
        id="land",
        title="Đất đai",
        text="Người sử dụng đất được cấp giấy chứng nhận quyền sử dụng đất theo quy định.",
    ),
]


# -- analyser -------------------------------------------------------------------------
def test_nfc_and_nfd_input_give_the_same_terms():
    analyzer = Analyzer()
    text = "Trung tâm Khởi nghiệp Đổi mới sáng tạo"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text  # the two inputs really differ byte for byte
    assert analyzer.index_terms(nfd) == analyzer.index_terms(text)
    assert analyzer.query_terms(nfd) == analyzer.query_terms(text)


def test_accented_and_unaccented_words_meet_on_folded_terms():
    analyzer = Analyzer()
    accented = set(analyzer.index_terms("Khởi nghiệp"))
    _, typed_without_marks = analyzer.query_terms("khoi nghiep")
    assert {"~khoi", "~nghiep", "~khoi_nghiep"} <= accented
    assert set(typed_without_marks) <= accented
    assert {"khởi", "nghiệp", "khởi_nghiệp"} <= accented


def test_d_with_stroke_folds_to_d():
    analyzer = Analyzer()
    assert "~dat_dai" in analyzer.index_terms("Đất đai")
    assert "đất_đai" in analyzer.index_terms("ĐẤT ĐAI")  # upper case is lowered first
    assert fold_diacritics("Đường đi") == "Duong di"


def test_query_without_any_diacritic_is_matched_on_folded_terms_only():
    accented, folded = Analyzer().query_terms("khoi nghiep sang tao")
    assert accented == []
    assert "~sang_tao" in folded


def test_bigrams_do_not_cross_punctuation_and_stopwords_stay_in_bigrams():
    terms = Analyzer().accented_terms("Điều 3. Giải thích của luật")
    assert "3_giải" not in terms
    assert "giải_thích" in terms
    assert "của" not in terms  # a stop-word as a unigram
    assert "thích_của" in terms and "của_luật" in terms


def test_hyphen_and_dot_split_syllables():
    assert Analyzer(bigrams=False, folded=False).accented_terms("COVID-19 tại TP.HCM") == [
        "covid",
        "19",
        "tp",
        "hcm",
    ]  # "tại" is a stop-word


# -- index --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def index() -> BM25Index:
    return BM25Index.build(PASSAGES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hỗ trợ khởi nghiệp sáng tạo", "startup-fund"),
        ("ho tro khoi nghiep sang tao", "startup-fund"),
        ("chuyển giao công nghệ", "tech-transfer"),
        ("chuyen giao cong nghe", "tech-transfer"),
        ("đoàn đại biểu nước ngoài", "delegation"),
        ("doan dai bieu nuoc ngoai", "delegation"),
        ("giấy chứng nhận quyền sử dụng đất", "land"),
        ("giay chung nhan quyen su dung dat", "land"),
    ],
)
def test_the_right_passage_ranks_first_with_and_without_diacritics(index, query, expected):
    hits = index.search(query, k=3)
    assert hits[0].id == expected
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))


def test_a_query_matching_nothing_returns_no_hits(index):
    assert index.search("blockchain", k=5) == []
    assert index.search("", k=5) == []
    assert index.search("?!", k=5) == []


def test_k_larger_than_the_corpus_returns_every_matching_passage(index):
    hits = index.search("doanh nghiệp", k=50)
    assert {h.id for h in hits} == {"startup-fund", "tech-transfer"}


def _weight(index, syllable, found_in):
    """What a folded syllable weighs in ``coverage``, by hand: idf times general rarity."""
    n = len(index.passage_ids)
    return math.log(1 + (n - found_in + 0.5) / (found_in + 0.5)) * lexicon.rarity(syllable)


def test_coverage_is_the_share_of_the_questions_rare_syllables_a_passage_holds(index):
    position = {pid: i for i, pid in enumerate(index.passage_ids)}
    # "blockchain" is in no passage: it counts as rare as a syllable one passage uses
    assert lexicon.rarity("blockchain") > lexicon.rarity("tiem")
    held = sum(_weight(index, s, 1) for s in ("tiem", "vac", "xin"))
    whole = held + _weight(index, "blockchain", 1)
    for query in ["tiêm vắc xin blockchain", "tiem vac xin blockchain"]:
        shares = index.coverage(query, [position["vaccine"], position["startup-fund"]])
        assert shares.tolist() == pytest.approx([held / whole, 0.0])
    assert index.coverage("tiêm vắc xin", [position["vaccine"]])[0] == pytest.approx(1.0)
    assert index.coverage("?!", [position["vaccine"]]).tolist() == [0.0]
    # the words a question is asked with count for nothing: "ở đâu" is only how one asks
    assert index.coverage("tiêm vắc xin ở đâu, phí bao nhiêu ạ", [position["vaccine"]])[0] == pytest.approx(
        held / (held + _weight(index, "phi", 1))
    )


def test_a_passage_sharing_only_common_words_with_the_query_is_left_out_below_the_floor(index):
    query = "chuyển giao công nghệ cho doanh nghiệp"
    assert [h.id for h in index.search(query, k=5)] == ["tech-transfer", "startup-fund", "delegation"]
    # "chuyển", "giao", "nghệ" are in one passage of five; "công", "doanh", "nghiệp" in two
    # ("cho" is a stop-word). startup-fund holds "doanh nghiệp", delegation only "công".
    weight = {s: _weight(index, s, 1) for s in ("chuyen", "giao", "nghe")}
    weight |= {s: _weight(index, s, 2) for s in ("cong", "doanh", "nghiep")}
    total = sum(weight.values())
    position = {pid: i for i, pid in enumerate(index.passage_ids)}
    held = index.coverage(query, [position["tech-transfer"], position["startup-fund"], position["delegation"]])
    assert held.tolist() == pytest.approx([1.0, (weight["doanh"] + weight["nghiep"]) / total, weight["cong"] / total])
    assert held[1] > held[2]
    accented_only = BM25Index.build(PASSAGES, analyzer=Analyzer(folded=False))  # same shares, read on its own terms
    assert accented_only.coverage(query, [position["tech-transfer"], position["startup-fund"]]).tolist() == pytest.approx(held[:2].tolist())
    for typed in (query, fold_diacritics(query)):
        hits = index.search(typed, k=5, min_coverage=held[1])
        assert [(h.id, h.rank) for h in hits] == [("tech-transfer", 1), ("startup-fund", 2)]
        hits = index.search(typed, k=5, min_coverage=held[1] + 0.01)
        assert [(h.id, h.rank) for h in hits] == [("tech-transfer", 1)]


def test_a_folded_syllable_whose_forms_are_equally_common_is_read_alike_in_any_order():
    # "bán" and "bàn" are each in one passage: the tie goes to the first in alphabetical
    # order, whatever order the vocabulary holds them in (it follows string hashing)
    one = [Passage(id="a", text="Cửa hàng bán máy tính."), Passage(id="b", text="Phòng họp có bàn dài.")]
    for passages in (one, one[::-1]):
        assert BM25Index.build(passages).restore_diacritics([["ban"]]) == [["bàn"]]


def test_save_and_load_round_trip_gives_the_same_results(index, tmp_path):
    index.save(tmp_path / "idx")
    loaded = BM25Index.load(tmp_path / "idx")
    assert loaded.passage_ids == index.passage_ids
    assert loaded.analyzer == index.analyzer
    assert loaded.weights == index.weights
    for query in ("tiêm vắc xin người trên 65 tuổi", "tiem vac xin", "chuyển giao"):
        assert loaded.search(query, k=5) == index.search(query, k=5)
    mapped = BM25Index.load(tmp_path / "idx", mmap=True)
    assert mapped.search("tiem vac xin", k=5) == index.search("tiem vac xin", k=5)


def test_loading_a_directory_without_an_index_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="holds no innohub retrieval index"):
        BM25Index.load(tmp_path)


def test_building_over_no_passages_is_refused():
    with pytest.raises(ValueError, match="no passages"):
        BM25Index.build([])


def test_scores_match_a_plain_bm25s_retrieval_for_unweighted_terms():
    # Our scoring, term by term, must give what bm25s itself gives for the same terms.
    import bm25s

    analyzer = Analyzer(bigrams=False, folded=False, stopwords=frozenset())
    index = BM25Index.build(PASSAGES, analyzer=analyzer, lead_repeats=0)
    model = bm25s.BM25(k1=1.2, b=0.75)
    model.index([analyzer.index_terms(p.indexed_text) for p in PASSAGES], show_progress=False)
    query = "người được cấp giấy chứng nhận"
    expected = model.get_scores(analyzer.accented_terms(query))
    assert np.allclose(index.scores(query), expected, atol=1e-5)



def test_a_passage_that_opens_with_the_subject_outranks_one_that_mentions_it_in_passing():
    # The same words in another order, "giá thuốc" once in each: only where it stands
    # differs. Without the lead counted again the two tie, and corpus order puts the
    # passage that mentions it in passing (after its first 20 words) first.
    body = "hồ sơ nộp tại bộ phận một cửa của sở y tế trong giờ hành chính từ thứ hai đến thứ sáu hằng tuần"
    passages = [
        Passage(id="passing", text=f"{body}, giá thuốc kể cả hồ sơ"),
        Passage(id="about", text=f"giá thuốc kể cả hồ sơ, {body}"),
    ]
    flat = BM25Index.build(passages, lead_repeats=0)
    assert [h.id for h in flat.search("giá thuốc")] == ["passing", "about"]
    assert flat.scores("giá thuốc")[0] == pytest.approx(flat.scores("giá thuốc")[1])
    led = BM25Index.build(passages)
    assert [h.id for h in led.search("giá thuốc")] == ["about", "passing"]
    assert [h.id for h in led.search("gia thuoc")] == ["about", "passing"]
    assert lead("một hai ba bốn", words=2) == "một hai"


def test_a_word_repeated_in_a_long_question_does_not_outweigh_the_rest_of_it():
    # Citizens tell a story and repeat its words: "tiêm" five times here, the question
    # ("giấy chứng nhận") once. Counted in full, the repeats rank the passage that only
    # says "tiêm" first; BM25's query-side saturation (k3) counts each repeat less.
    passages = [
        Passage(id="schedule", text="Lịch tiêm: tiêm buổi sáng, tiêm buổi chiều và tiêm cả chủ nhật."),
        Passage(id="certificate", text="Giấy chứng nhận được cấp tại trạm y tế phường nơi bạn cư trú."),
        Passage(id="other", text="Hồ sơ xin giấy phép kinh doanh nộp tại bộ phận một cửa."),
    ]
    question = (
        "Em tiêm một lần, tiêm lần hai, tiêm lần ba, tiêm nhắc, tiêm đủ rồi thì xin giấy "
        "chứng nhận ở đâu?"
    )
    saturated = BM25Index.build(passages)
    assert saturated.weights.k3 == 1.2
    in_full = saturated.with_weights(Weights(k3=None))
    assert [h.id for h in in_full.search(question)][0] == "schedule"
    for typed in (question, fold_diacritics(question)):
        assert [h.id for h in saturated.search(typed)] == ["certificate", "other", "schedule"]
    assert Weights().repeats(1) == 1.0
    assert Weights().repeats(5) == pytest.approx(5 * 2.2 / 6.2)
    assert Weights(k3=None).repeats(5) == 5.0


# -- fusion -------------------------------------------------------------------------------
def test_reciprocal_rank_fusion_by_hand():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "d"]], k=1)
    # a: 1/2 = 0.5; b: 1/3 + 1/2 = 0.833; c: 1/4 + 1/3 = 0.583; d: 1/4 = 0.25
    assert [h.id for h in fused] == ["b", "c", "a", "d"]
    assert fused[0].score == pytest.approx(1 / 3 + 1 / 2)
    assert fused[3].score == pytest.approx(0.25)
    assert [h.rank for h in fused] == [1, 2, 3, 4]


def test_reciprocal_rank_fusion_weights_and_limit():
    fused = reciprocal_rank_fusion([["a", "b"], ["b", "a"]], weights=[1.0, 3.0], k=0, limit=1)
    # a: 1/1 + 3/2 = 2.5; b: 1/2 + 3/1 = 3.5
    assert [(h.id, h.score) for h in fused] == [("b", 3.5)]
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])


class _KeywordEncoder:
    """A stand-in encoder: one dimension per topic word, so similarities are known."""

    name = "test-keywords"
    vocabulary = ("vắc", "đất", "công", "khởi", "đoàn")

    def _encode(self, texts):
        rows = np.array(
            [[float(word in t.lower()) for word in self.vocabulary] for t in texts],
            dtype=np.float32,
        )
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1, norms)

    encode_queries = _encode
    encode_passages = _encode


def test_similarities_run_on_one_blas_thread_and_leave_the_setting_as_it_was():
    # BLAS threads left spinning after the product slowed the encoder's next query
    # five-fold on two cores; the product is done on one thread, and only it.
    def blas_threads() -> list[int]:
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]

    seen: list[list[int]] = []

    class Recording(np.ndarray):
        def __matmul__(self, other):  # records the thread setting during the product
            seen.append(blas_threads())
            return np.asarray(self).__matmul__(other)

    before = blas_threads()
    vectors = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    scores = similarities(vectors.view(Recording), np.array([[0.6, 0.8]], dtype=np.float32))
    assert scores.tolist() == pytest.approx([0.6, 1.0])
    assert before and seen == [[1] * len(before)]
    assert blas_threads() == before


def test_dense_index_save_load_and_search(tmp_path):
    dense = DenseIndex.build(PASSAGES, encoder=_KeywordEncoder(), batch_size=2)
    assert dense.vectors.shape == (5, 5)
    dense.save(tmp_path)
    loaded = DenseIndex.load(tmp_path)
    assert loaded.encoder_name == "test-keywords"
    top = loaded.search_vector(_KeywordEncoder().encode_queries(["đất"])[0], k=2)
    assert top[0].id == "land"


class _RecordingEncoder(_KeywordEncoder):
    def __init__(self):
        self.queries = []

    def encode_queries(self, texts):
        self.queries.extend(texts)
        return self._encode(texts)


class _LandEncoder(_KeywordEncoder):
    """Whatever the query, points to the land passage: BM25 and dense disagree."""

    def encode_queries(self, texts):
        return self._encode(["đất"] * len(texts))


@pytest.mark.parametrize("fusion", ["rrf", "convex"])
def test_hybrid_retriever_encodes_folded_queries_with_restored_accents(index, fusion):
    encoder = _RecordingEncoder()
    hybrid = HybridRetriever(
        lexical=index,
        dense=DenseIndex.build(PASSAGES, encoder=encoder),
        encoder=encoder,
        fusion=fusion,
    )
    assert hybrid.search("tiêm vắc xin", k=3)[0].id == "vaccine"
    assert hybrid.search("tiem vac xin", k=3)[0].id == "vaccine"
    # The stand-in encoder only knows "vắc" with its marks: the folded query reached
    # it restored.
    assert encoder.queries == ["tiêm vắc xin", "tiêm vắc xin"]


def test_convex_fusion_lets_dense_vectors_overturn_a_weak_lexical_lead(index):
    # Given a query whose words only one passage holds (BM25 alone ranks it first) and
    # an encoder that points to another passage, when BM25 gets a 0.3 share, then the
    # encoder's passage wins: each score is the shares' sum of z-scores over the corpus.
    encoder = _LandEncoder()
    dense = DenseIndex.build(PASSAGES, encoder=encoder)
    hybrid = HybridRetriever(
        lexical=index, dense=dense, encoder=encoder, fusion="convex", lexical_share=0.3
    )
    assert index.search("tiêm vắc xin", k=1)[0].id == "vaccine"
    hits = hybrid.search("tiêm vắc xin", k=2)
    assert [h.id for h in hits] == ["land", "vaccine"]

    def z(values):
        values = np.asarray(values, dtype=np.float64)
        return (values - values.mean()) / values.std()

    expected = 0.3 * z(index.scores("tiêm vắc xin")) + 0.7 * z(
        dense.vectors @ encoder.encode_queries(["x"])[0]
    )
    ids = [p.id for p in PASSAGES]
    assert hits[0].score == pytest.approx(expected[ids.index("land")], rel=1e-5)
    assert hits[1].score == pytest.approx(expected[ids.index("vaccine")], rel=1e-5)


def test_a_query_without_diacritics_gives_bm25_its_own_share(index):
    # The encoder reads accents the index guessed for a folded query, so BM25 counts
    # for restored_lexical_share there and for lexical_share when accents were typed.
    encoder = _LandEncoder()
    dense = DenseIndex.build(PASSAGES, encoder=encoder)
    hybrid = HybridRetriever(
        lexical=index, dense=dense, encoder=encoder, lexical_share=0.2, restored_lexical_share=0.6
    )
    ids = [p.id for p in PASSAGES]
    cosine = standardise(dense.vectors @ encoder.encode_queries(["x"])[0])

    def expected(query, share):
        return share * standardise(index.scores(query)) + (1 - share) * cosine

    for query, share, other in (("tiêm vắc xin", 0.2, 0.6), ("tiem vac xin", 0.6, 0.2)):
        hits = hybrid.search(query, k=2)
        for hit in hits:
            assert hit.score == pytest.approx(expected(query, share)[ids.index(hit.id)], rel=1e-5)
            assert hit.score != pytest.approx(expected(query, other)[ids.index(hit.id)], rel=1e-3)
    # with BM25 at 0.6 the passage holding the words comes first again
    assert hybrid.search("tiem vac xin", k=1)[0].id == "vaccine"
    assert hybrid.search("tiêm vắc xin", k=1)[0].id == "land"


def test_standardise_is_all_zeros_when_every_score_is_equal():
    assert standardise(np.full(4, 2.5)).tolist() == [0.0, 0.0, 0.0, 0.0]
    assert standardise(np.array([1.0, 3.0])).tolist() == [-1.0, 1.0]


def test_a_question_in_another_language_is_found_by_its_vector_alone(index):
    # "land use certificate" shares no term with any passage; the (stand-in) encoder
    # reads it as being about land, as a multilingual encoder reads English.
    dense = DenseIndex.build(PASSAGES, encoder=_LandEncoder())
    query = "land use certificate"
    assert not index.scores(query).any()
    assert HybridRetriever(lexical=index, dense=dense, encoder=_LandEncoder()).search(query) == []
    across = HybridRetriever(lexical=index, dense=dense, encoder=_LandEncoder(), cross_lingual=True)
    assert across.search(query, k=2)[0].id == "land"
    assert len(across.search(query, k=2)) == 2


def test_hybrid_retriever_refuses_mismatched_indexes(index):
    encoder = _KeywordEncoder()
    with pytest.raises(ValueError, match="same passages"):
        HybridRetriever(
            lexical=index, dense=DenseIndex.build(PASSAGES[:2], encoder=encoder), encoder=encoder
        )
    with pytest.raises(ValueError, match="unknown fusion"):
        HybridRetriever(lexical=index, fusion="max")


# -- metrics ------------------------------------------------------------------------------
def test_rank_metrics_on_a_hand_made_case():
    rankings = [
        ["a", "x", "y"],  # relevant at rank 1
        ["x", "y", "b", "z"],  # relevant at rank 3
        ["x"] * 5 + ["c"],  # relevant at rank 6: in the top 10, not the top 5
        ["x", "y"],  # never found
    ]
    relevant = [frozenset({"a"}), frozenset({"b", "q"}), frozenset({"c"}), frozenset({"d"})]
    figures = rank_metrics(rankings, relevant)
    assert figures["recall@1"] == pytest.approx(1 / 4)
    assert figures["recall@5"] == pytest.approx(2 / 4)
    assert figures["recall@10"] == pytest.approx(3 / 4)
    # (1/1 + 1/3 + 1/6 + 0) / 4 = 1.5 / 4 = 0.375
    assert figures["mrr@10"] == pytest.approx(0.375)


def test_rank_metrics_ignore_hits_after_rank_ten():
    figures = rank_metrics([["x"] * 10 + ["a"]], [frozenset({"a"})])
    assert figures == {"recall@1": 0.0, "recall@5": 0.0, "recall@10": 0.0, "mrr@10": 0.0}


# -- diacritic restoration ------------------------------------------------------------------
def test_folded_query_gets_accents_from_the_corpus_bigrams(index):
    analyzer = index.analyzer
    phrases = analyzer.phrases("tiem vac xin cho nguoi tren 65 tuoi")
    assert index.restore_diacritics(phrases) == [
        ["tiêm", "vắc", "xin", "cho", "người", "trên", "65", "tuổi"]
    ]
    assert index.restored_query("chuyen giao cong nghe") == "chuyển giao công nghệ"
    # Typed with marks: left alone. Unknown words: kept as typed.
    assert index.restored_query("Chuyển giao") == "Chuyển giao"
    assert index.restored_query("blockchain") == "blockchain"


def test_a_folded_question_is_read_as_vietnamese_for_the_encoder(index):
    # The corpus holds none of the asker's words ("tôi", "hỏi", "bao nhiêu", "gì") and
    # has "tối" and "nhiều" in other senses; the reading still comes out right, from
    # general Vietnamese and the phrasing of questions.
    corpus = BM25Index.build(
        [*PASSAGES, Passage(id="evening", text="Buổi tối có nhiều hội thảo, bảo tàng mở cửa tới khuya.")]
    )
    assert corpus.restore_diacritics([["toi"]]) == [["tối"]]  # the corpus's own form
    assert corpus.restored_query("toi muon hoi ho tro khoi nghiep bao nhieu") == (
        "tôi muốn hỏi hỗ trợ khởi nghiệp bao nhiêu"
    )
    # only the marks come back: capitals, punctuation and spacing stay as typed
    assert corpus.restored_query("Cho em hoi  thu tuc nhu the nao vay a?") == (
        "Cho em hỏi thủ tục như thế nào vậy ạ?"
    )
    # the corpus's bigrams still decide its own terms; codes and numbers stay as typed
    assert corpus.restored_query("tiem vac xin COVID-19 o TP.HCM") == "tiêm vắc xin COVID-19 ở TP.HCM"
    assert corpus.likely_reading([[]]) == [[]]


def test_a_folded_stopword_keeps_its_share_of_general_vietnamese():
    # "vì" and "có" are stopwords, never indexed as unigrams, so the corpus cannot count
    # them; a corpus full of "vị" and "cơ" must not outvote them.
    corpus = BM25Index.build(
        [
            Passage(id=f"p{n}", text=f"Đơn vị {n}, vị thuốc số {n}; cơ sở, cơ quan, cơ hội.")
            for n in range(20)
        ]
    )
    reading = corpus.likely_reading([["nghi", "vi", "om"], ["co", "ho", "tro", "khong"]])
    assert [reading[0][1], reading[1][0]] == ["vì", "có"]
    # the corpus's own forms still win where its pairs say so
    assert corpus.likely_reading([["don", "vi"], ["co", "so"]]) == [["đơn", "vị"], ["cơ", "sở"]]


def test_folded_query_terms_hold_restored_accented_terms(index):
    accented, folded, restored = index.query_terms("dat dai")
    assert restored is True
    assert "đất_đai" in accented and "~dat_dai" in folded
    assert index.query_terms("đất đai")[2] is False


def test_respell_writes_the_syllables_into_the_text_as_typed():
    analyzer = Analyzer()
    assert analyzer.respell("Bệnh nhân COVID-19 ở TP.HCM?", ["bệnh", "nhân", "covid", "19", "ở", "tp", "hcm"]) == (
        "Bệnh nhân COVID-19 ở TP.HCM?"
    )
    assert analyzer.respell("Toi  muon hoi: gi?", ["tôi", "muốn", "hỏi", "gì"]) == "Tôi muốn hỏi: gì?"
    # syllables that do not pair one for one with the text are joined instead
    assert analyzer.respell("mot hai", ["một"]) == "một"
