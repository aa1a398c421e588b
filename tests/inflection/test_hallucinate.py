"""hallucinate.v1: stems from alignment, random stem characters, same reader, no real pair reproduced."""

from __future__ import annotations

import unicodedata

import pytest

from lexaug.errors import ConfigError
from lexaug.generators.base import make_generator
from lexaug.generators.hallucinate import Hallucinate, alphabet, hallucinate, stem_spans
from lexaug.generators.rng import RecordRng
from lexaug.types import Record

TRAIN = [
    ("walk", "walked", "V;PST"),
    ("talk", "talks", "V;PRS;3;SG"),
    ("sing", "sang", "V;PST"),
    ("umbrella", "umbrellas", "N;PL"),
    ("go", "went", "V;PST"),
]


def _changed_outside_stem(src: tuple[str, str, str], out: tuple[str, str, str]) -> bool:
    """True if `out` differs from `src` anywhere but inside the stems of `src`."""
    lemma, form, _ = src
    spans = stem_spans(lemma, form)
    in_lemma = {ls + k for ls, _, n in spans for k in range(n)}
    in_form = {fs + k for _, fs, n in spans for k in range(n)}
    return (len(out[0]) != len(lemma) or len(out[1]) != len(form)
            or any(a != b for i, (a, b) in enumerate(zip(lemma, out[0])) if i not in in_lemma)
            or any(a != b for i, (a, b) in enumerate(zip(form, out[1])) if i not in in_form))


def test_stem_spans_from_alignment():
    assert stem_spans("walk", "walked") == [(0, 0, 4)]
    assert stem_spans("umbrella", "umbrellas") == [(0, 0, 8)]
    assert stem_spans("sing", "sang") == []  # runs "s" and "ng" are shorter than 3
    assert stem_spans("go", "went") == []
    assert stem_spans("gesehen", "sehen", min_stem=3) == [(2, 0, 5)]
    assert stem_spans("a_bc", "a_bcd") == []  # the aligner's gap symbol inside: no stem


def test_generator_replaces_stem_identically_and_keeps_features():
    gen = make_generator("hallucinate.v1", train=TRAIN)
    assert isinstance(gen, Hallucinate) and gen.name == "hallucinate.v1"
    out = gen.generate(Record(id="0", slots=["walk", "walked", "V;PST"]), RecordRng(7, "0", gen.name))
    assert len(out) == 1
    lemma, form, feats = out[0].slots
    assert feats == "V;PST"
    assert form == lemma + "ed" and len(lemma) == 4
    assert set(lemma) <= set(gen.alphabet)
    assert (lemma, form, feats) != ("walk", "walked", "V;PST")
    assert gen.generate(Record(id="1", slots=["go", "went", "V;PST"]), RecordRng(7, "1", gen.name)) == []
    assert gen.stats["filtered:no_stem"] == 1 and gen.stats["hallucinated"] == 1


def test_letters_only_keeps_marks_and_spaces():
    # combining marks (Hebrew pointing written as NFD-like sequences) and spaces inside a stem stay put
    train = [("ab\u0301cd ef", "ab\u0301cd efs", "N;PL"), ("xyz", "xyzs", "N;PL")]
    made, stats = hallucinate(train, 20, seed=3)
    assert len(made) == 20 and stats["hallucinated"] >= 20
    for lemma, form, feats in made:
        assert feats == "N;PL" and form.endswith("s") and form[:-1] == lemma
        if len(lemma) > 3:  # 8 characters, or 7 where a new letter composed with the mark (NFC)
            decomposed = unicodedata.normalize("NFD", lemma)
            assert "\u0301" in decomposed and lemma[-3] == " " and len(lemma) in (7, 8)
            assert all(unicodedata.category(c).startswith("L") for c in lemma.replace(" ", "").replace("\u0301", "")
                       if unicodedata.category(c) != "Mn")
    assert alphabet(train) == sorted("abcdefsxyz")
    assert " " in alphabet(train, letters_only=False)


def test_hallucinate_many_never_duplicates_and_is_seeded():
    made, stats = hallucinate(TRAIN, 60, seed=1)
    assert len(made) == 60 and len(set(made)) == 60
    real = set(TRAIN)
    assert not real & set(made)
    for triple in made:
        srcs = [t for t in TRAIN if t[2] == triple[2] and len(t[0]) == len(triple[0]) and len(t[1]) == len(triple[1])]
        assert any(not _changed_outside_stem(src, triple) for src in srcs)
    assert stats["rows_without_stem"] == 2  # sing/sang and go/went
    assert hallucinate(TRAIN, 60, seed=1)[0] == made
    assert hallucinate(TRAIN, 60, seed=2)[0] != made


def test_tiny_alphabet_cannot_avoid_real_pairs():
    # one-letter alphabet: every hallucination reproduces the real pair, so none is produced
    made, stats = hallucinate([("aaa", "aaa.", "X")], 5, seed=0)
    assert made == [] and stats["filtered:real_pair"] > 0


def test_bad_options():
    with pytest.raises(ConfigError):
        Hallucinate(TRAIN, min_stem=0)
    with pytest.raises(ConfigError):
        Hallucinate([("12", "123", "X")])


def test_real_file_hallucinations_pass_reader(shared_data, tmp_path):
    from lexaug.loaders.sigmorphon import read_sigmorphon

    train = read_sigmorphon(shared_data / "sigmorphon2022" / "slk_small.train").triples()
    assert len(train) == 700
    made, stats = hallucinate(train, 1000, seed=0)
    assert len(made) == 1000 and len(set(made)) == 1000
    real = {(unicodedata.normalize("NFC", l), unicodedata.normalize("NFC", f), t) for l, f, t in train}
    assert not real & set(made)
    assert {t for _, _, t in made} <= {t for _, _, t in train}
    path = tmp_path / "slk_hall.train"
    path.write_text("".join(f"{l}\t{f}\t{t}\n" for l, f, t in made), encoding="utf-8")
    back = read_sigmorphon(path).triples()
    assert back == made


def test_cli_hallucinate(tmp_path):
    from click.testing import CliRunner

    from lexaug.loaders.sigmorphon import read_sigmorphon
    from lexaug_cli.main import cli

    train = tmp_path / "x.train"
    train.write_text("".join(f"{l}\t{f}\t{t}\n" for l, f, t in TRAIN) + "\n", encoding="utf-8")
    out = tmp_path / "x.hall"
    result = CliRunner().invoke(cli, ["inflect", "hallucinate", "--train", str(train), "-n", "25",
                                      "--output", str(out), "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "wrote 25 hallucinated pairs" in result.output
    rows = read_sigmorphon(out).triples()
    assert rows == hallucinate(TRAIN, 25, seed=5)[0]
    assert not set(rows) & set(TRAIN)
    bad = CliRunner().invoke(cli, ["inflect", "hallucinate", "--train", str(train), "-n", "0", "--output",
                                   str(out)])
    assert bad.exit_code != 0


def _scripts(word: str) -> set[str]:
    from lexaug.generators.hallucinate import script_of

    return {script_of(ch) for ch in word if unicodedata.category(ch).startswith("L")}


def test_same_script_keeps_two_script_data_apart_and_one_script_data_unchanged(shared_data):
    from lexaug.loaders.sigmorphon import read_training_rows

    gothic = read_training_rows(shared_data / "sigmorphon2022" / "got_small.train")
    assert all(len(_scripts(l)) == 1 and len(_scripts(f)) == 1 for l, f, _ in gothic)  # Gothic or Latin, never both
    mixed, _ = hallucinate(gothic, 300, seed=0)
    kept, stats = hallucinate(gothic, 300, seed=0, same_script=True)
    assert sum(len(_scripts(l)) > 1 for l, _, _ in mixed) > 50  # without it, many words mix the two scripts
    assert all(len(_scripts(l)) == 1 and len(_scripts(f)) == 1 for l, f, _ in kept) and len(kept) == 300
    assert _scripts("".join(l for l, _, _ in kept)) == {"GOTHIC", "LATIN"}  # both scripts still hallucinated
    # one script: the same draws, so the same pairs
    assert hallucinate(TRAIN, 20, seed=3, same_script=True) == hallucinate(TRAIN, 20, seed=3)


def test_cli_hallucinate_same_script(tmp_path, shared_data):
    from click.testing import CliRunner

    from lexaug_cli.main import cli

    out = tmp_path / "h.tsv"
    result = CliRunner().invoke(cli, ["inflect", "hallucinate", "--train",
                                      str(shared_data / "sigmorphon2022" / "got_small.train"), "-n", "50",
                                      "--output", str(out), "--same-script"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 50 and all(len(_scripts(r[0])) == 1 and len(_scripts(r[1])) == 1 for r in rows)


def test_neural_same_script_is_recorded_and_checked():
    pytest.importorskip("torch")
    from test_neural_budget import _tiny  # noqa: E402  (tests/inflection is on sys.path)

    from lexaug.inflection.neural import NeuralInflector

    rows = [(stem, stem + "s", "N;PL") for stem in ("kala", "talo", "koira", "kissa", "sauna", "pallo")]
    model = NeuralInflector.train(rows, seed=0, ensemble=1, same_script=True, **_tiny())
    assert model.info["same_script"] is True and model.info["hallucination_stats"]["hallucinated"] == 40
    with pytest.raises(ConfigError, match="same_script='yes'"):
        NeuralInflector.train(rows, same_script="yes", **_tiny())
