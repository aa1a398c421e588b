"""Property: an identity lexicon (every word of the text mapped to itself) reproduces any input exactly, through
the generator API, for `substitute.v1` and `codeswitch.v1` at rate 1.0, with the lexicon built in memory
(`Lexicon.from_pairs`) or read back from a TSV file (`Lexicon.read`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexaug.generators import RecordRng, make_generator
from lexaug.loaders.lexicon import Lexicon
from lexaug.types import Record

from prop_strategies import identity_pairs, line_texts, texts, token_texts, write_lexicon  # noqa: E402

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def generators(lex: Lexicon):
    yield make_generator("substitute", lexicon=lex)
    yield make_generator("codeswitch", lexicons=[lex], rate=1.0, sentence_rate=1.0)


def lexicons(pairs: list[tuple[str, str]]):
    yield Lexicon.from_pairs(pairs or [("zzzz", "zzzz")])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "identity.tsv"
        write_lexicon(path, pairs)
        yield Lexicon.read(path)


def check_identity(records: list[Record], pairs: list[tuple[str, str]], seed: int) -> None:
    want = [list(r.slots) for r in records]
    for lex in lexicons(pairs):
        for gen in generators(lex):
            got = [r.slots for r in gen.run(records, seed)]
            assert got == want, (gen.name, want, got)
            # the per-record path gives the same as the batched path
            single = [gen.generate(r, RecordRng(seed, r.id, gen.name))[0].slots for r in records]
            assert single == want, (gen.name, "generate", want, single)


@SETTINGS
@given(st.lists(line_texts(), min_size=1, max_size=6), st.booleans(), st.integers(0, 3))
def test_identity_line_records(lines, multiword, seed):
    records = [Record(str(i), [line]) for i, line in enumerate(lines)]
    check_identity(records, identity_pairs("\n".join(lines), multiword), seed)


@SETTINGS
@given(texts(allow_newline=True), st.booleans())
def test_identity_multiline_slot(text, multiword):
    check_identity([Record("0", [text])], identity_pairs(text, multiword), 0)


@SETTINGS
@given(st.lists(st.lists(token_texts(), min_size=1, max_size=6), min_size=1, max_size=4), st.booleans(),
       st.data())
def test_identity_token_slots(sentences, multiword, data):
    """CoNLL-like records (one slot per token), some slots frozen."""
    records = []
    for i, toks in enumerate(sentences):
        frozen = data.draw(st.frozensets(st.integers(0, len(toks) - 1), max_size=len(toks)))
        records.append(Record(str(i), list(toks), frozen=frozen))
    text = " ".join(" ".join(t) for t in sentences)
    check_identity(records, identity_pairs(text, multiword), 1)
