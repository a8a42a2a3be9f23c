"""The dense-vector cache: vectors are reused for the same encoder and passage texts."""

from __future__ import annotations

import numpy as np

from innohub.qa.retrieval.dense import DenseIndex, passages_fingerprint
from innohub.qa.retrieval.index import Passage
from innohub.qa.tests.test_retrieval import PASSAGES, _KeywordEncoder


class _CountingEncoder(_KeywordEncoder):
    def __init__(self, name: str = "test-keywords") -> None:
        self.name = name
        self.passages_encoded = 0

    def encode_passages(self, texts):
        self.passages_encoded += len(texts)
        return self._encode(texts)


def test_second_call_reads_the_saved_vectors_without_encoding(tmp_path):
    encoder = _CountingEncoder()
    first = DenseIndex.load_or_build(tmp_path, PASSAGES, encoder=encoder)
    assert encoder.passages_encoded == 5
    again = DenseIndex.load_or_build(tmp_path, PASSAGES, encoder=encoder)
    assert encoder.passages_encoded == 5  # nothing encoded the second time
    assert again.passage_ids == first.passage_ids
    np.testing.assert_array_equal(np.asarray(again.vectors), first.vectors)


def test_only_passages_whose_text_changed_are_encoded_again(tmp_path):
    encoder = _CountingEncoder()
    first = DenseIndex.load_or_build(tmp_path, PASSAGES, encoder=encoder)
    # One text edited, one passage added, and the rest renumbered and reordered (as a
    # new version of a document gives its passages new ids): only two texts are new.
    edited = [
        Passage(id="new-land", title="Đất đai", text="Thu hồi đất để xây trường học."),
        *[Passage(id=f"v2-{p.id}", title=p.title, text=p.text) for p in reversed(PASSAGES[:4])],
        Passage(id="extra", title="Đoàn công tác", text="Đoàn công tác khởi hành ngày 22/11/2026."),
    ]
    again = DenseIndex.load_or_build(tmp_path, edited, encoder=encoder)
    assert encoder.passages_encoded == 5 + 2
    assert again.passage_ids == [p.id for p in edited]
    for position, passage in enumerate(reversed(PASSAGES[:4]), start=1):
        np.testing.assert_array_equal(again.vectors[position], first.vectors[PASSAGES.index(passage)])
    np.testing.assert_array_equal(again.vectors, _CountingEncoder().encode_passages([p.indexed_text for p in edited]))
    # What was saved is complete: the same passages next time need nothing encoded.
    DenseIndex.load_or_build(tmp_path, edited, encoder=encoder)
    assert encoder.passages_encoded == 7


def test_another_encoder_or_an_old_cache_encode_everything_again(tmp_path):
    encoder = _CountingEncoder()
    DenseIndex.load_or_build(tmp_path, PASSAGES, encoder=encoder)
    other = _CountingEncoder(name="another-model")
    DenseIndex.load_or_build(tmp_path, PASSAGES, encoder=other)
    assert other.passages_encoded == 5
    # A directory saved without a fingerprint and text hashes (older format) is not trusted.
    DenseIndex.build(PASSAGES, encoder=encoder).save(tmp_path)
    DenseIndex.load_or_build(tmp_path, PASSAGES, encoder=encoder)
    assert encoder.passages_encoded == 15


def test_fingerprint_depends_on_ids_texts_and_order_only():
    a, b = PASSAGES[0], PASSAGES[1]
    assert passages_fingerprint([a, b]) == passages_fingerprint([a, b])
    assert passages_fingerprint([a, b]) != passages_fingerprint([b, a])
    # id/text boundaries are length-prefixed: "ab"+"c" is not "a"+"bc".
    assert passages_fingerprint([Passage(id="ab", text="c")]) != passages_fingerprint(
        [Passage(id="a", text="bc")]
    )


def test_vectors_that_cannot_be_saved_are_still_used(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should go", "utf-8")
    encoder = _CountingEncoder()
    built = DenseIndex.load_or_build(blocker / "vectors", PASSAGES, encoder=encoder)
    assert built.passage_ids == [p.id for p in PASSAGES] and encoder.passages_encoded == 5
    assert "passage vectors not saved" in caplog.text
