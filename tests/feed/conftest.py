"""Fixtures of the feed tests: tokenizers trained on the fly with the `tokenizers` trainers and saved with
`save_pretrained` (loaded back offline through `AutoTokenizer`), and small corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def save_tokenizer(tok, folder: Path) -> Path:
    """Give a `tokenizers.Tokenizer` a BERT-style template and save it as a transformers tokenizer folder."""
    from tokenizers import processors
    from transformers import PreTrainedTokenizerFast

    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]")
    fast.save_pretrained(str(folder))
    return folder


def wordlevel_tokenizer(lines: list[str], folder: Path) -> Path:
    """A word-level tokenizer (whitespace + punctuation split) whose vocabulary is exactly the words of
    `lines`: every other word is [UNK], which makes counts computable by hand."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(lines, trainers.WordLevelTrainer(special_tokens=SPECIALS, min_frequency=1))
    return save_tokenizer(tok, folder)


def wordpiece_tokenizer(lines: list[str], folder: Path, vocab_size: int = 2000) -> Path:
    """A lower-casing BERT-style WordPiece tokenizer trained on `lines`."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(lines, trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=SPECIALS))
    return save_tokenizer(tok, folder)


TINY_A = ["the cat sat.", "a dog ran", "the dog sat on the cat", "cats and dogs", "the end"]
TINY_B = ["one two three!", "two three four five", "five six"]


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    """Two tiny text sources and a word-level tokenizer that knows the words of a.txt only (and `two`)."""
    folder = tmp_path_factory.mktemp("tiny")
    (folder / "a.txt").write_text("\n".join(TINY_A) + "\n", encoding="utf-8")
    (folder / "b.txt").write_text("\n".join(TINY_B) + "\n", encoding="utf-8")
    wordlevel_tokenizer(TINY_A + ["two"], folder / "tok")
    return folder


@pytest.fixture(scope="session")
def kjv_lines(shared_data) -> list[str]:
    return (shared_data / "text" / "kjv_verses.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def kjv_tokenizer(kjv_lines, tmp_path_factory) -> Path:
    """WordPiece (vocabulary 2000) trained on the first 3000 KJV verses."""
    return wordpiece_tokenizer(kjv_lines[:3000], tmp_path_factory.mktemp("kjvtok"))


@pytest.fixture(scope="session")
def kjv_split(kjv_lines, tmp_path_factory) -> list[Path]:
    """KJV split into three sources: verses 0-9999, 10000-19999, 20000-31099."""
    folder = tmp_path_factory.mktemp("kjvsplit")
    parts = [kjv_lines[:10000], kjv_lines[10000:20000], kjv_lines[20000:]]
    paths = []
    for i, part in enumerate(parts):
        path = folder / f"kjv{i}.txt"
        path.write_text("\n".join(part) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
