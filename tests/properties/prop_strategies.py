"""Hypothesis strategies and helpers shared by the property tests of lexaug's zero-damage guarantee.

What a text corpus may contain here (decided for these tests): any Unicode scalar value except surrogates
(U+D800..U+DFFF, which are not text and cannot be UTF-8 encoded). That includes NUL and other C0 controls,
the byte-order mark, U+2028/U+2029, lone `\\r`, `\\r\\n` and tabs, combining marks in NFD, ZWJ emoji, and
letters of many scripts. `\\n` ends a record in line formats, so the single-line generators leave it out where
a format gives it a meaning; JSON strings may contain anything (it is escaped).
"""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import strategies as st

from lexaug import defaults

WORD = regex.compile(defaults.WORD_PATTERN)

# Words of several scripts, including the hard cases: Devanagari with virama and vowel signs (matras),
# NFD Latin with stacked tone marks (Yoruba), Arabic with harakat, Thai with above/below vowels, CJK,
# mixed case, Greek final sigma, German sharp s, Turkish dotted I, Cherokee (casefold maps to upper),
# the titlecase digraph U+01C5, and ligatures whose case mapping changes the length.
SCRIPT_WORDS = [
    "the", "The", "THE", "a", "A", "lot", "Lot", "of", "McDonald", "mcdonald", "iPhone",
    "नमस्ते", "क्षत्रिय", "हिन्दी", "पत्नी", "श्री",
    unicodedata.normalize("NFD", "ọ̀rẹ́"), unicodedata.normalize("NFD", "Ọmọ"), "ọ̀rẹ́", "e\u0301", "E\u0301\u0323",
    "café", unicodedata.normalize("NFD", "café"), unicodedata.normalize("NFD", "CAFÉ"),
    "العربية", "كَتَبَ", "سلام",
    "ภาษาไทย", "กี่", "น้ำ",
    "漢字", "日本語", "한국어", unicodedata.normalize("NFD", "한국어"),
    "Σίσυφος", "ΣΊΣΥΦΟΣ", "straße", "STRASSE", "İstanbul", "ǅemal", "ﬁne", "Ꭰꭰ", "ꭰ",
    "ß", "ẞ", "ŉ", "Ǆ", "ǆ",
]

GAPS = [" ", "  ", "\t", ", ", ". ", "! ", "?", "'", "’", "-", "—", "\r", "\r\n", "\u2028", "\u2029", "\u00a0",
        "\u200d", "\u200b", "\ufeff", "\x00", "\x01", "\x1f", "0", "42", "३", "٣", "👩\u200d💻", "🇺🇳", "😀",
        "\u0301", "\u093f", "(", ")", "[", "]", "\"", "\\", "{", "}", ":", " : ", "/", "_", "#", "&", "<", ">",
        "ab-cd", "don't", "l'homme"]

# Any scalar value but surrogates; newlines excluded where a format reads them as record separators.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
LINE_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\n")


def _atoms(allow_newline: bool) -> st.SearchStrategy[str]:
    char = ANY_CHAR if allow_newline else LINE_CHAR
    gaps = GAPS + (["\n", "\n\n"] if allow_newline else [])
    words = st.sampled_from(SCRIPT_WORDS)
    return st.one_of(
        words, words,  # twice: about half the atoms are words
        st.sampled_from(gaps),
        st.text(char, min_size=1, max_size=4),
    )


def texts(allow_newline: bool = False, max_atoms: int = 25) -> st.SearchStrategy[str]:
    """Random text assembled from script words, separators and arbitrary characters."""
    return st.lists(_atoms(allow_newline), max_size=max_atoms, min_size=max_atoms // 5).map("".join)


def line_texts(max_atoms: int = 25) -> st.SearchStrategy[str]:
    """Text without `\\n` (one record of a line format)."""
    return texts(False, max_atoms)


def token_texts() -> st.SearchStrategy[str]:
    """A CoNLL token: non-empty, no `\\n`, no TAB or space (the separators), not only whitespace, no leading
    BOM (a BOM opening a file is not part of the first token) and not `-DOCSTART-`."""
    piece = st.one_of(st.sampled_from(SCRIPT_WORDS),
                      st.text(st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp"),
                                            exclude_characters="\n\t\r\ufeff\x0b\x0c\x1c\x1d\x1e\x1f\x85"),
                              min_size=1, max_size=3))
    return st.lists(piece, min_size=1, max_size=3).map("".join).filter(
        lambda t: t.strip() and not t.isspace() and not t.startswith("-DOCSTART-") and not t[0] == "\ufeff"
        and t == t.strip())


def words_of(text: str) -> list[str]:
    """The words of `text` as `defaults.WORD_PATTERN` defines them."""
    return WORD.findall(text)


def identity_pairs(text: str, multiword: bool = False) -> list[tuple[str, str]]:
    """(word, word) for every word of `text` (all spellings: mixed case, NFD...); with `multiword`, also every
    pair of neighbouring words joined by one space."""
    words = words_of(text)
    pairs = [(w, w) for w in dict.fromkeys(words)]
    if multiword:
        for a, b in zip(words, words[1:]):
            pairs.append((f"{a} {b}", f"{a} {b}"))
    return pairs


def write_lexicon(path, pairs: list[tuple[str, str]]) -> None:
    """A TSV lexicon file; at least one row so the file is never empty (strict read)."""
    rows = pairs or [("zzzz", "zzzz")]
    path.write_bytes("".join(f"{s}\t{t}\n" for s, t in rows).encode("utf-8"))


# --- whole documents of each corpus format ---------------------------------------------------------------

EOL = st.sampled_from(["\n", "\r\n"])
LABELS = st.sampled_from(["O", "B-PER", "I-PER", "B-LOC", "_", "B-ORG|x"])


def json_string(s: str, data: st.DataObject) -> str:
    """`s` as a JSON string literal, each character written raw or escaped in one of JSON's ways (one drawn
    style for the whole string, or a drawn seed choosing per character: drawing per character was slow)."""
    import random

    style = data.draw(st.sampled_from(["raw", "u", "short", "mixed"]))
    pick = random.Random(data.draw(st.integers(0, 2 ** 16))).choice
    out = ['"']
    short = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
             "/": "\\/"}
    for ch in s:
        how = pick(["raw", "u", "short"]) if style == "mixed" else style
        if how == "short" and ch in short:
            out.append(short[ch])
        elif how != "u" and ch not in '"\\' and ord(ch) >= 0x20:
            out.append(ch)
        elif ch in short and how != "u":
            out.append(short[ch])
        elif ord(ch) > 0xFFFF:
            hi, lo = divmod(ord(ch) - 0x10000, 0x400)
            out.append(f"\\u{0xD800 + hi:04x}\\u{0xDC00 + lo:04X}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    out.append('"')
    return "".join(out)


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=5))


@st.composite
def jsonl_line(draw, field: str = "text") -> str:
    """One JSONL object line (without its terminator) whose `field` holds random text, other fields around it,
    random spacing, and random escapes in the text value."""
    data = draw(st.data())
    text = draw(texts(allow_newline=True, max_atoms=12))
    others = draw(st.dictionaries(st.sampled_from(["id", "label", "meta", "ü", "txt", "lexaug_x"]),
                                  st.one_of(JSON_SCALARS, st.lists(JSON_SCALARS, max_size=3),
                                            st.dictionaries(st.sampled_from(["text", "a"]), JSON_SCALARS,
                                                            max_size=2)), max_size=3))
    keys = list(others) + [field]
    order = draw(st.permutations(keys))
    import json

    ascii_ = draw(st.booleans())
    colon = draw(st.sampled_from([":", ": ", " : "]))
    comma = draw(st.sampled_from([",", ", ", " ,  "]))
    items = []
    for key in order:
        value = json_string(text, data) if key == field else json.dumps(others[key], ensure_ascii=ascii_)
        items.append(f"{json.dumps(key, ensure_ascii=ascii_)}{colon}{value}")
    lead, trail = draw(st.sampled_from(["", " ", "\t"])), draw(st.sampled_from(["", " ", "\t", "\r"]))
    return f"{lead}{{{comma.join(items)}}}{trail}"


def documents(line: st.SearchStrategy[str], blank_ok: bool = True) -> st.SearchStrategy[str]:
    """Lines joined with random terminators; the last line may lack one."""
    @st.composite
    def doc(draw):
        lines = draw(st.lists(st.one_of(line, st.sampled_from([" ", "\t"])) if blank_ok else line,
                              min_size=1, max_size=6))
        ends = [draw(EOL) for _ in lines]
        if draw(st.booleans()):
            ends[-1] = ""
        bom = "\ufeff" if draw(st.integers(0, 3)) == 0 else ""  # Windows tools open files with a BOM
        return bom + "".join(a + b for a, b in zip(lines, ends))
    return doc()


@st.composite
def conll_document(draw, sep: str | None = None) -> str:
    """CoNLL / MasakhaNER text: sentences of `token<sep>label[<sep>extra]` lines, blank lines between them
    (one or more), optional -DOCSTART- lines, `\\n` or `\\r\\n`, optional BOM, maybe no final newline."""
    sep = sep or draw(st.sampled_from(["\t", " "]))
    ncols = draw(st.integers(2, 3))
    lines = []
    if draw(st.booleans()):
        lines += [f"-DOCSTART-{sep}O" if ncols == 2 else f"-DOCSTART-{sep}-X-{sep}O", ""]
    for _ in range(draw(st.integers(1, 4))):
        for _ in range(draw(st.integers(1, 5))):
            cols = [draw(token_texts())] + [draw(LABELS) for _ in range(ncols - 1)]
            lines.append(sep.join(cols))
        lines += [""] * draw(st.integers(1, 2))
    if draw(st.booleans()):
        lines = lines[:-1]
    ends = [draw(EOL) for _ in lines]
    if draw(st.booleans()):
        ends[-1] = ""
    bom = "\ufeff" if draw(st.booleans()) else ""
    return bom + "".join(a + b for a, b in zip(lines, ends))


def conllu_form() -> st.SearchStrategy[str]:
    return token_texts().filter(lambda t: "\t" not in t)


@st.composite
def conllu_document(draw) -> str:
    """CoNLL-U sentences: comments (incl. `# text = `), word lines, multiword range lines, empty nodes."""
    out = []
    for s in range(draw(st.integers(1, 3))):
        forms = draw(st.lists(conllu_form(), min_size=1, max_size=5))
        ranges = draw(st.booleans()) and len(forms) >= 2
        out.append(f"# sent_id = {s}")
        surface = " ".join(forms)
        out.append(f"# text = {'XY ' + ' '.join(forms[2:]) if ranges else surface}")
        for i, form in enumerate(forms, 1):
            if ranges and i == 1:
                out.append("1-2\tXY\t_\t_\t_\t_\t_\t_\t_\t_")
            out.append(f"{i}\t{form}\t{form.lower()}\tNOUN\t_\t_\t{i - 1}\tdep\t_\tSpaceAfter=No")
            if draw(st.integers(0, 5)) == 0:
                out.append(f"{i}.1\tghost\t_\t_\t_\t_\t_\t_\t{i}:dep\t_")
        out.append("")
    ends = [draw(EOL) for _ in out]
    bom = "\ufeff" if draw(st.integers(0, 3)) == 0 else ""
    return bom + "".join(a + b for a, b in zip(out, ends))


MASSIVE_TEXT = line_texts(8).map(lambda t: t.replace("[", "(").replace("]", ")"))


@st.composite
def massive_line(draw) -> str:
    """One MASSIVE record line: `annot_utt` with `[slot : value]` brackets and `utt` built from it."""
    import json

    data = draw(st.data())
    n = draw(st.integers(0, 3))
    outside = [draw(MASSIVE_TEXT) for _ in range(n + 1)]
    names = [draw(st.sampled_from(["time", "date", "place_name", "person"])) for _ in range(n)]
    values = [draw(MASSIVE_TEXT) for _ in range(n)]
    annot, utt = [outside[0]], [outside[0]]
    for name, value, after in zip(names, values, outside[1:]):
        annot += [f"[{name} : {value}]", after]
        utt += [value, after]
    fields = {"id": json.dumps(str(draw(st.integers(0, 99)))), "locale": '"en-US"', "intent": '"alarm_set"',
              "utt": json_string("".join(utt), data), "annot_utt": json_string("".join(annot), data)}
    order = draw(st.permutations(list(fields)))
    return "{" + ", ".join(f'"{k}": {fields[k]}' for k in order) + "}"


# one document strategy per corpus format, for the round-trip and identity properties
DOCS = {
    "text": texts(allow_newline=True),
    "jsonl": documents(jsonl_line()),
    "conll": conll_document(),
    "conllu": conllu_document(),
    "massive": documents(massive_line(), blank_ok=False),
}
