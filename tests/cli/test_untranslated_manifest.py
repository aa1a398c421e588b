"""Every synthesize manifest lists the most frequent untranslated words (`counts.untranslated`): by lookup key,
identical for any --workers, consistent with tokens - replaced, words inside a multiword match not counted, and
marked approximate when a bound cut the list."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lexaug import defaults
from lexaug.engines.local import ChunkResult, Totals
from lexaug_cli.main import cli


def _run(tmp_path, name, corpus, lexicon, *extra):
    out = tmp_path / f"{name}.txt"
    result = CliRunner().invoke(cli, ["synthesize", "--lang", "xx", "--lexicon", str(lexicon), "--input", str(corpus),
                                      "--output", str(out), *map(str, extra)])
    assert result.exit_code == 0, result.output
    return json.loads((tmp_path / f"{name}.txt.manifest.json").read_text())["counts"]


@pytest.mark.parametrize("generator", ["substitute.v3", "substitute.v2", "substitute.v1"])
def test_untranslated_same_for_1_and_2_workers_on_sib200(shared_data, tmp_path, generator):
    corpus = tmp_path / "sib.txt"  # the SIB-200 English training sentences, one per line
    rows = (shared_data / "sib200" / "eng_Latn" / "train.tsv").read_text(encoding="utf-8").splitlines()[1:]
    corpus.write_text("".join(r.split("\t")[-1] + "\n" for r in rows), encoding="utf-8")
    lexicon = shared_data / "lexicons" / "gatitos" / "en_wo.tsv"
    one = _run(tmp_path, "one", corpus, lexicon, "--generator", generator, "--workers", 1)
    two = _run(tmp_path, "two", corpus, lexicon, "--generator", generator, "--workers", 2, "--chunk-records", 97)
    assert one["untranslated"] == two["untranslated"]
    u = one["untranslated"]
    assert u["exact"] is True and len(u["top"]) == defaults.UNTRANSLATED_TOP and u["distinct"] > 500
    counts = [n for _, n in u["top"]]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 10
    assert all(w == w.lower() for w, _ in u["top"])  # lookup keys: `The` and `the` are one word
    # every token is translated or untranslated: the full tracked list adds up (exact here)
    full = Totals()
    from lexaug.synthesis import SynthesisOptions, build

    gen = build(SynthesisOptions(langs=("xx",), lexicons=(str(lexicon),), generator=generator)).generator
    from lexaug.generators.substitute import Substitute

    assert isinstance(gen, Substitute)
    gen.untranslated = __import__("collections").Counter()
    texts = corpus.read_text(encoding="utf-8").splitlines()
    gen.run_texts(list(map(str, range(len(texts)))), texts, 0)
    words, cut = gen.take_untranslated()
    full.add(ChunkResult(untranslated=(words, cut)))
    assert sum(full.untranslated.values()) == one["tokens"] - one["replaced"]
    assert sorted(full.untranslated.items(), key=lambda kv: (-kv[1], kv[0]))[:50] == [tuple(x) for x in u["top"]]


def test_case_folded_multiword_and_rate(tmp_path):
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text("dog\tmbwa\na lot\tmengi\n", encoding="utf-8")
    corpus = tmp_path / "in.txt"
    corpus.write_text("The dog and THE dog\nthe dog ate a lot\n", encoding="utf-8")
    counts = _run(tmp_path, "out", corpus, lexicon)
    # `a` and `lot` are inside the multiword match `a lot`: translated, not counted
    assert counts["untranslated"] == {"top": [["the", 3], ["and", 1], ["ate", 1]], "distinct": 3, "exact": True}
    half = _run(tmp_path, "half", corpus, lexicon, "--rate", 0.5)
    # words the rate leaves out are not untranslated words; the others are counted as usual
    assert {w for w, _ in half["untranslated"]["top"]} <= {"the", "and", "ate", "a", "lot"}
    assert sum(n for _, n in half["untranslated"]["top"]) <= 5


def test_bounds_make_the_list_approximate(tmp_path, monkeypatch):
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text("dog\tmbwa\n", encoding="utf-8")
    corpus = tmp_path / "in.txt"
    words = ["k" + "abcdefghij"[i % 10] + "abc"[i // 10] for i in range(30)]
    corpus.write_text("".join(f"dog {w} {('red', 'tan', 'sky')[i % 3]} zz\n" for i, w in enumerate(words)),
                      encoding="utf-8")
    exact = _run(tmp_path, "exact", corpus, lexicon)["untranslated"]
    assert exact["exact"] is True and exact["distinct"] == 34
    assert exact["top"][:5] == [["zz", 30], ["red", 10], ["sky", 10], ["tan", 10], ["kaa", 1]]
    monkeypatch.setattr(defaults, "UNTRANSLATED_PER_CHUNK", 3)
    cut = _run(tmp_path, "cut", corpus, lexicon)["untranslated"]
    assert cut == {"top": [["zz", 30], ["red", 10], ["sky", 10]], "distinct": 3, "exact": False}
    totals = Totals()
    monkeypatch.setattr(defaults, "UNTRANSLATED_TRACKED", 4)
    totals.add(ChunkResult(untranslated=({"a": 5, "b": 4, "c": 3, "d": 2, "e": 1}, False)))
    assert totals.untranslated_exact is False and dict(totals.untranslated) == {"a": 5, "b": 4}
