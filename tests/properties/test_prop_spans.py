"""Properties of span replacement: with a lexicon mapping every word of the text to a marker, the output is the
input with exactly the words (`defaults.WORD_PATTERN`, multiword entries longest first) replaced and every
other character in place; case restoration; determinism."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexaug.generators import make_generator
from lexaug.generators.words import case_class
from lexaug.loaders.lexicon import Lexicon
from lexaug.loaders.lexicon_text import normalize_key
from lexaug.types import Record

from prop_strategies import WORD, line_texts, texts, token_texts, words_of  # noqa: E402

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARK, PAIR_MARK = "X", "Y"


def marker_lexicon(text: str, pairs: bool) -> Lexicon:
    words = words_of(text)
    rows = [(w, MARK) for w in dict.fromkeys(words)]
    if pairs:
        rows += [(f"{a} {b}", PAIR_MARK) for a, b in zip(words, words[1:])]
    return Lexicon.from_pairs(rows or [("zzzz", "zzzz")])


def expected(text: str, pairs: set[str]) -> str:
    """Reference: scan the words left to right; a word and its right neighbour separated by whitespace only
    whose joined key is a pair entry become PAIR_MARK, any other word becomes MARK. A word whose key is the
    marker's own key ("x") is an identity translation and keeps its spelling (lookup.py's documented rule)."""
    found = list(WORD.finditer(text))
    out, pos, i = [], 0, 0
    while i < len(found):
        m = found[i]
        out.append(text[pos:m.start()])
        if i + 1 < len(found):
            gap = text[m.end():found[i + 1].start()]
            key = normalize_key(m.group()) + " " + normalize_key(found[i + 1].group())
            if gap and gap.isspace() and key in pairs:
                out.append(PAIR_MARK)
                pos, i = found[i + 1].end(), i + 2
                continue
        out.append(m.group() if normalize_key(m.group()) == MARK.lower() else MARK)
        pos, i = m.end(), i + 1
    out.append(text[pos:])
    return "".join(out)


def outputs(lex: Lexicon, records: list[Record], seed: int = 0):
    for gen in (make_generator("substitute.v1", lexicon=lex),  # v1 word boundaries (v2: tests/generators)
                make_generator("codeswitch", lexicons=[lex], rate=1.0, sentence_rate=1.0)):
        yield gen.name, [r.slots for r in gen.run(records, seed)]


@SETTINGS
@given(st.lists(line_texts(), min_size=1, max_size=5), st.booleans())
def test_only_words_are_replaced(lines, pairs):
    lex = marker_lexicon("\n".join(lines), pairs)
    pair_keys = {k for k in lex.keys() if " " in k}
    records = [Record(str(i), [line]) for i, line in enumerate(lines)]
    want = [[expected(line, pair_keys)] for line in lines]
    for name, got in outputs(lex, records):
        assert got == want, name


@SETTINGS
@given(texts(allow_newline=True))
def test_non_word_characters_survive_in_place(text):
    """Deleting the words from input and output leaves the same string: nothing between words changed,
    and no combining mark that belongs to a word was left behind (words are never split at a mark)."""
    lex = marker_lexicon(text, False)
    for name, (got,) in outputs(lex, [Record("0", [text])]):
        assert WORD.sub("", got[0]) == WORD.sub("", text), name
        assert all(w in (MARK, "x") for w in words_of(got[0])), name


@SETTINGS
@given(st.lists(st.lists(token_texts(), min_size=1, max_size=5), min_size=1, max_size=3), st.booleans())
def test_token_slots_replace_within_each_slot(sentences, pairs):
    """One slot per token: multiword entries never cross a slot boundary, slot count never changes."""
    lex = marker_lexicon(" ".join(" ".join(s) for s in sentences), pairs)
    pair_keys = {k for k in lex.keys() if " " in k}
    records = [Record(str(i), list(toks)) for i, toks in enumerate(sentences)]
    want = [[expected(t, pair_keys) for t in toks] for toks in sentences]
    for name, got in outputs(lex, records):
        assert got == want, name


CASED = st.sampled_from(["house", "maison", "straße", "éte", "ñandú", "ωμέγα", "день", "ﬁx"])


@SETTINGS
@given(CASED, CASED, st.sampled_from(["lower", "title", "upper"]), st.sampled_from([" ", ", ", "\t"]))
def test_case_restoration(source, target, form, gap):
    """lower/Title/UPPER source words give lower/Title/UPPER targets (the target as written for lower)."""
    word = {"lower": source, "title": source[:1].title() + source[1:], "upper": source.upper()}[form]
    if normalize_key(target) == normalize_key(source):
        return  # an identity translation keeps the word as written
    want = {"lower": target, "title": target[:1].title() + target[1:], "upper": target.upper()}[form]
    lex = Lexicon.from_pairs([(source, target)])
    text = f"{word}{gap}{word}"
    for name, (got,) in outputs(lex, [Record("0", [text])]):
        assert got == [f"{want}{gap}{want}"], (name, case_class(word))


@SETTINGS
@given(st.lists(line_texts(), min_size=1, max_size=8), st.integers(0, 2 ** 32), st.integers(1, 9))
def test_determinism_and_batch_independence(lines, seed, split):
    """Same seed -> same output, whether the records come in one run or in two runs split anywhere."""
    words = words_of(" ".join(lines))
    rows = [(w, t) for w in dict.fromkeys(words) for t in ("uno", "dos", "tres")]
    lex = Lexicon.from_pairs(rows or [("zzzz", "zzzz")])
    records = [Record(str(i), [line]) for i, line in enumerate(lines)]
    for make in (lambda: make_generator("substitute", lexicon=lex),
                 lambda: make_generator("codeswitch", lexicons=[lex], rate=0.5, sentence_rate=0.7)):
        once = [r.slots for r in make().run(records, seed)]
        again = [r.slots for r in make().run(records, seed)]
        cut = split % (len(records) + 1)
        gen = make()
        parts = [r.slots for r in gen.run(records[:cut], seed)] + [r.slots for r in gen.run(records[cut:], seed)]
        assert once == again == parts
