"""Packing invariants, the report's numbers computed by hand, and the numpy collator of transformers."""

from __future__ import annotations

import pytest

from lexaug.errors import ConfigError
from lexaug.feed import CorpusSource, Feed


def tiny_feed(tiny_dir, block_size, **kw):
    sources = [CorpusSource(str(tiny_dir / "a.txt")), CorpusSource(str(tiny_dir / "b.txt"))]
    return Feed(sources, tiny_dir / "tok", block_size, **kw)


def test_report_numbers_by_hand(tiny_dir):
    feed = tiny_feed(tiny_dir, 7)
    blocks = list(feed)
    rep = feed.report()
    a, b = rep["sources"]
    # a.txt: "the cat sat." = the|cat|sat|. (4 tokens, 3 words); 3+6+3+2 more tokens and words; no unknowns.
    assert (a["records"], a["tokens"], a["words"], a["unk"]) == (5, 18, 17, 0)
    assert a["fertility"] == round(18 / 17, 6) and a["unk_rate"] == 0.0
    # b.txt: one|two|three|! (unk: one three !), two three four five (unk 3), five six (unk 2).
    assert (b["records"], b["tokens"], b["words"], b["unk"]) == (3, 10, 9, 8)
    assert b["fertility"] == round(10 / 9, 6) and b["unk_rate"] == 0.8
    assert rep["total"]["tokens"] == 28 and rep["total"]["unk"] == 8
    # stream: 28 text tokens + 8 document separators = 36; 5 per block between [CLS] and [SEP] -> 7 blocks, 1 left
    assert len(blocks) == rep["blocks"] == 7 and rep["dropped_tail_tokens"] == 1
    assert a["share_records"] == 0.625 and b["share_tokens"] == round(10 / 28, 6)


def test_packed_block_invariants(tiny_dir):
    feed = tiny_feed(tiny_dir, 7, shuffle_buffer=0)
    tok = feed.tokenizer
    cls, sep = tok.cls_token_id, tok.sep_token_id
    blocks = list(feed)
    stream = []
    for block in blocks:
        ids = block["input_ids"]
        assert len(ids) == len(block["attention_mask"]) == len(block["special_tokens_mask"]) == 7
        assert block["attention_mask"] == [1] * 7
        assert ids[0] == cls and ids[-1] == sep
        assert block["special_tokens_mask"] == [1 if t in (cls, sep) else 0 for t in ids]
        stream += ids[1:-1]
    # the inner tokens are the texts in draw order, each followed by [SEP]
    order = [name for name, *_ in feed.draws()]
    lines = {"a.txt": iter(["the cat sat.", "a dog ran", "the dog sat on the cat", "cats and dogs", "the end"]),
             "b.txt": iter(["one two three!", "two three four five", "five six"])}
    expected = []
    for name in order:
        expected += tok(next(lines[name]), add_special_tokens=False)["input_ids"] + [sep]
    assert stream == expected[:35]


def test_line_mode_pads_and_truncates(tiny_dir):
    feed = tiny_feed(tiny_dir, 5, mode="line", shuffle_buffer=0)
    tok = feed.tokenizer
    blocks = list(feed)
    assert len(blocks) == 8
    by_text = {tuple(b["input_ids"]) for b in blocks}
    cat = tok("the cat sat.", add_special_tokens=False)["input_ids"]
    assert tuple([tok.cls_token_id] + cat[:3] + [tok.sep_token_id]) in by_text  # 4 tokens cut to 3
    six = tok("five six", add_special_tokens=False)["input_ids"]
    block = next(b for b in blocks if b["input_ids"][1:3] == six)
    assert block["input_ids"] == [tok.cls_token_id, *six, tok.sep_token_id, tok.pad_token_id]
    assert block["attention_mask"] == [1, 1, 1, 1, 0]
    assert block["special_tokens_mask"] == [1, 0, 0, 1, 1]
    rep = feed.report()
    # truncated: a: 4-3 + 6-3 = 4; b: 4-3 + 4-3 = 2
    assert [s["truncated_tokens"] for s in rep["sources"]] == [4, 2]


def test_collator_numpy_without_torch(tiny_dir):
    from transformers import DataCollatorForLanguageModeling

    feed = tiny_feed(tiny_dir, 7)
    collate = DataCollatorForLanguageModeling(feed.tokenizer, mlm_probability=0.5, return_tensors="np")
    blocks = list(feed)
    batch = collate(blocks[:4])
    assert batch["input_ids"].shape == (4, 7) and batch["labels"].shape == (4, 7)
    specials = [[m for m in b["special_tokens_mask"]] for b in blocks[:4]]
    for row, mask in zip(batch["labels"].tolist(), specials):  # special tokens are never masked targets
        assert all(label == -100 for label, m in zip(row, mask) if m)


def test_bad_settings(tiny_dir):
    with pytest.raises(ConfigError, match="no room"):
        tiny_feed(tiny_dir, 2)
    with pytest.raises(ConfigError, match="rank"):
        tiny_feed(tiny_dir, 8, rank=2, world_size=2)
    with pytest.raises(ConfigError, match="mode"):
        tiny_feed(tiny_dir, 8, mode="chunks")
    with pytest.raises(ConfigError, match="stopping"):
        tiny_feed(tiny_dir, 8, stopping="first")
    with pytest.raises(ConfigError, match="not found"):
        CorpusSource(str(tiny_dir / "missing.txt"))


def test_a_table_source_feeds_its_text_column_only(tmp_path):
    """A SIB-200 style `.tsv` (its header names a `text` column) feeds the text cells only: ids and labels never
    reach the tokenizer; the header is an empty text, like a blank line of a `.txt`. A `.tsv` without that header
    is CoNLL (tokens joined with spaces)."""
    from lexaug.feed.sources import text_of

    table = tmp_path / "train.tsv"
    table.write_text("index_id\tcategory\ttext\n7\tsports\tThe dog runs\n8\ttravel\tA house\n", encoding="utf-8")
    source = CorpusSource(str(table))
    assert source.fmt_name == "tsv"
    assert [text_of(r, source.fmt_name) for _, r in source.records(0, 1)] == ["", "The dog runs", "A house"]
    conll = tmp_path / "ner.tsv"
    conll.write_text("The\tO\ndog\tB-ANIM\n\nA\tO\n", encoding="utf-8")
    source = CorpusSource(str(conll))
    assert source.fmt_name == "conll"
    assert [text_of(r, source.fmt_name) for _, r in source.records(0, 1)] == ["The dog", "A"]
