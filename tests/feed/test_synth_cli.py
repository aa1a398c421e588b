"""On-the-fly synthesis inside the feed, the `lexaug feed` command, and its shards read back with numpy and
`datasets`."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from lexaug.feed import CorpusSource, Feed, SynthSource, load_shards, to_dataset
from lexaug.feed.sources import parse_weighted
from lexaug_cli.main import cli

LEXICON = "cat\tpaka\ndog\tmbwa\ndog\tkelb\nthe\tle\nsat\tkaa\n"


@pytest.fixture()
def lexicon(tmp_path):
    path = tmp_path / "en_xx.tsv"
    path.write_text(LEXICON, encoding="utf-8")
    return path


def substitute(lexicon_path, seed=0):
    from lexaug.synthesis import SynthesisOptions, build

    return build(SynthesisOptions(langs=("swa",), lexicons=(str(lexicon_path),), seed=seed)).generator


def test_parse_weighted():
    assert parse_weighted("a.txt:0.25") == ("a.txt", 0.25)
    assert parse_weighted("a.txt") == ("a.txt", 1.0)
    assert parse_weighted("C:/data/a.txt") == ("C:/data/a.txt", 1.0)


def test_synth_source_texts_match_the_generator(tiny_dir, lexicon):
    gen = substitute(lexicon)
    source = SynthSource(str(tiny_dir / "a.txt"), generator=gen, seed=4)
    assert source.name == "a.txt+substitute.v3"
    feed = Feed([source], tiny_dir / "tok", 8, mode="line", shuffle_buffer=0, seed=4, epochs=2)
    got = [b["input_ids"] for b in feed]
    from lexaug.io import read_records

    expected = [r.slots[0] for r in gen.run(read_records(tiny_dir / "a.txt"), seed=4)]
    assert expected[0] == "le paka kaa." and expected[3] == "paka and mbwa"  # v2: cats -> cat, dogs -> dog
    tok = feed.tokenizer
    for ids, text in zip(got[:5], expected):  # epoch 0 = exactly what `lexaug synthesize --seed 4` writes
        inner = tok(text, add_special_tokens=False)["input_ids"][:6]
        assert ids == [tok.cls_token_id, *inner, tok.sep_token_id] + [tok.pad_token_id] * (6 - len(inner))
    rep = feed.report()["sources"][0]
    # epoch 0 + epoch 1: 5 records each; replaced words: the cat sat | dog | the dog sat the cat | cats dogs
    # (substitute.v2 lemma fallback) | the
    assert rep["records_in"] == 10 and rep["replaced"] == 2 * (3 + 1 + 5 + 2 + 1)
    assert rep["unk"] == 2 * (3 + 1 + 5 + 2 + 1)  # each replaced word is a pseudo-word the tokenizer lacks


def test_synth_epoch1_draws_fresh_translations(tiny_dir, lexicon, tmp_path):
    path = tmp_path / "dogs.txt"
    path.write_text("dog\n" * 40, encoding="utf-8")
    source = SynthSource(str(path), generator=substitute(lexicon), seed=1)
    by_epoch = []
    from lexaug.io import read_records

    for epoch in (0, 1):
        texts = [t for r in read_records(path) for t, _ in source.texts(r, epoch, 0)]
        assert set(texts) == {"mbwa", "kelb"}
        by_epoch.append(texts)
    assert by_epoch[0] != by_epoch[1]


def test_cli_writes_shards_numpy_and_datasets_read_them(tiny_dir, lexicon, tmp_path):
    out = tmp_path / "feed"
    result = CliRunner().invoke(cli, [
        "feed", "--tokenizer", str(tiny_dir / "tok"), "--block-size", "6", "--source", f"{tiny_dir / 'b.txt'}:2",
        "--synthesize", f"{tiny_dir / 'a.txt'}:1", "--lang", "swa", "--lexicon", str(lexicon), "--seed", "3",
        "--epochs", "2", "--blocks-per-shard", "5", "--output", str(out)])
    assert result.exit_code == 0, result.output
    index = json.loads((out / "index.json").read_text())
    report = json.loads((out / "report.json").read_text())
    # 2 epochs of (a: 18 tokens + 5 separators, b: 10 + 3) = 72 stream tokens, 4 per block -> 18 blocks
    assert index["blocks"] == report["blocks"] == 18 and report["dropped_tail_tokens"] == 0
    assert [s["blocks"] for s in index["shards"]] == [5, 5, 5, 3]
    assert [s["name"] for s in report["sources"]] == ["b.txt", "a.txt+substitute.v3"]
    assert [s["records"] for s in report["sources"]] == [6, 10]
    assert report["synthesis"]["generator"] == "substitute.v3"
    arrays = load_shards(out)
    ids = np.load(out / "input_ids-00000.npy")
    assert ids.dtype == np.int32 and ids.shape == (5, 6)
    assert arrays["input_ids"].shape == (18, 6) and (arrays["attention_mask"] == 1).all()
    assert (arrays["input_ids"][:, 0] == index["special_tokens"]["start"]).all()
    assert (arrays["input_ids"][:, -1] == index["special_tokens"]["end"]).all()
    # the same blocks as the library gives
    gen = substitute(lexicon, seed=3)
    feed = Feed([CorpusSource(str(tiny_dir / "b.txt"), 2.0), SynthSource(str(tiny_dir / "a.txt"), 1.0, generator=gen,
                                                                          seed=3)], tiny_dir / "tok", 6, seed=3,
                epochs=2)
    assert arrays["input_ids"].tolist() == [b["input_ids"] for b in feed]
    datasets = pytest.importorskip("datasets")
    ds = to_dataset(out)
    assert isinstance(ds, datasets.Dataset) and ds.num_rows == 18
    assert ds[7]["input_ids"] == arrays["input_ids"][7].tolist()


def test_cli_errors(tiny_dir, tmp_path):
    runner = CliRunner()
    base = ["feed", "--tokenizer", str(tiny_dir / "tok"), "--block-size", "8", "--output", str(tmp_path / "o")]
    res = runner.invoke(cli, base)
    assert res.exit_code == 1 and "give at least one --source" in res.output
    res = runner.invoke(cli, base + ["--source", str(tiny_dir / "a.txt"), "--stopping", "cycle"])
    assert res.exit_code == 1 and "--max-blocks" in res.output
    res = runner.invoke(cli, base + ["--synthesize", str(tiny_dir / "a.txt")])
    assert res.exit_code == 1 and "--lang" in res.output
    res = runner.invoke(cli, base + ["--source", str(tiny_dir / "nope.txt:2")])
    assert res.exit_code == 1 and "nope.txt: source file not found" in res.output


def test_jsonl_source_field_and_errors_surface_from_the_thread(tiny_dir, tmp_path):
    from lexaug.errors import FormatError

    good = tmp_path / "s.jsonl"
    good.write_text('{"text": "the cat sat.", "id": 1}\n{"text": "a dog ran"}\n', encoding="utf-8")
    feed = Feed([CorpusSource(str(good))], tiny_dir / "tok", 16, mode="line")
    tok = feed.tokenizer
    assert sorted(b["input_ids"][1:4] for b in feed) == sorted(
        [tok("the cat sat.", add_special_tokens=False)["input_ids"][:3], tok("a dog ran", add_special_tokens=False)["input_ids"]])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "the cat"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(FormatError, match="bad.jsonl, line 2"):
        list(Feed([CorpusSource(str(bad))], tiny_dir / "tok", 16, prefetch=2))


def test_text_fast_path_matches_the_text_reader(tmp_path):
    from lexaug.io import read_records

    path = tmp_path / "crlf.txt"
    path.write_bytes(b"one\r\ntwo\n\nfour \xc3\xa9\r\nfive")
    source = CorpusSource(str(path))
    for shard, shards in ((0, 1), (1, 3), (2, 3)):
        got = [(i, r.slots, r.payload) for i, r in source.records(shard, shards)]
        want = [(int(r.id), r.slots, r.payload) for r in read_records(path) if int(r.id) % shards == shard]
        assert got == want
    assert [r.slots[0] for _, r in source.records(0, 1)] == ["one", "two", "", "four é", "five"]


@pytest.mark.slow
def test_synthesis_in_worker_processes_gives_the_same_blocks(tiny_dir, lexicon):
    def run(workers):
        gen = substitute(lexicon, seed=2)
        sources = [CorpusSource(str(tiny_dir / "b.txt")), SynthSource(str(tiny_dir / "a.txt"), generator=gen, seed=2)]
        feed = Feed(sources, tiny_dir / "tok", 5, seed=2, epochs=3, batch_size=2, synth_workers=workers)
        return list(feed), feed.report()["sources"]

    blocks, report = run(0)
    assert run(1) == (blocks, report) and len(blocks) > 20


def test_resume_with_on_the_fly_synthesis(tiny_dir, lexicon):
    gen = substitute(lexicon, seed=5)

    def make():
        return Feed([CorpusSource(str(tiny_dir / "b.txt")), SynthSource(str(tiny_dir / "a.txt"), generator=gen, seed=5)],
                    tiny_dir / "tok", 5, seed=5, epochs=2, batch_size=2, shuffle_buffer=2)

    whole = make()
    full = list(whole)
    expected_report = whole.report()["sources"]
    for k in range(0, len(full), 3):
        feed = make()
        it = iter(feed)
        head = [next(it) for _ in range(k)]
        resumed = make()
        resumed.load_state_dict(json.loads(json.dumps(feed.state_dict())))
        assert head + list(resumed) == full
        assert resumed.report()["sources"] == expected_report  # the counts resume too


@pytest.mark.slow
def test_producer_process_raises_the_format_error_with_its_place(tiny_dir, tmp_path):
    from lexaug.errors import FormatError

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "the cat"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(FormatError, match="bad.jsonl, line 2"):
        list(Feed([CorpusSource(str(bad))], tiny_dir / "tok", 16, synth_workers=1))
    # two producers, batches of 2 (each makes every other batch): the same blocks as in-process
    sources = [CorpusSource(str(tiny_dir / "a.txt")), CorpusSource(str(tiny_dir / "b.txt"))]
    blocks = list(Feed(sources, tiny_dir / "tok", 5, seed=1, epochs=2, batch_size=2))
    assert list(Feed(sources, tiny_dir / "tok", 5, seed=1, epochs=2, batch_size=2, synth_workers=2)) == blocks


def test_texts_batch_equals_generate_per_record_on_kjv(shared_data):
    """Plain lines go through `run_texts` (no record objects); texts and replaced counts are those of the
    per-record `texts`, for substitute, codeswitch and a filtering substitute (which takes the record path)."""
    from lexaug.generators import CodeSwitch, Substitute
    from lexaug.loaders.lexicon import Lexicon
    from lexaug.types import Record

    path = shared_data / "text" / "kjv_verses.txt"
    lex = Lexicon.read(shared_data / "bench" / "lex_en_xx.tsv")
    lines = path.read_text(encoding="utf-8").split("\n")[1000:1300]
    indices = list(range(1000, 1300))
    makers = [lambda: Substitute(lex), lambda: CodeSwitch(lex, rate=0.3, sentence_rate=0.5),
              lambda: Substitute(lex, min_replacements=12)]
    for make in makers:
        got, replaced = SynthSource(str(path), generator=make(), seed=3).texts_batch(indices, lines, 1, 0)
        ref = SynthSource(str(path), generator=make(), seed=3)
        per = [ref.texts(Record(str(i), [t]), 1, 0) for i, t in zip(indices, lines)]
        assert [g if type(g) is list else [g] for g in got] == [[t for t, _ in p] for p in per]
        assert replaced == sum(n for p in per for _, n in p) > 1000
    assert [] in got and any(g for g in got)  # some verses have fewer than 12 replaced words
