"""`tag_parts` (and `tag_whole`): composite feature tags (`AT+ABL`) enter the model as their parts, so a composite never seen whole
in training is made of known tokens instead of `<unk>` (slp 2022: 68 of its 79 test items hold a tag never
seen whole in the 700 training rows, 27 with parts)."""

from __future__ import annotations

import pytest

from lexaug.inflection.vocab import UNK_ID, CharVocab, split_features

ROWS = [("talo", "talolta", "N;AT+ABL;SG"), ("talo", "talossa", "N;IN+ESS;SG"), ("kala", "kalat", "N;NOM;PL")]


def test_split_features_parts_split_composites_only_when_asked():
    assert split_features("N;AT+ABL;SG") == ["AT+ABL", "N", "SG"]
    assert split_features("N;AT+ABL;SG", parts=True) == ["ABL", "AT", "N", "SG"]
    assert split_features("V;ARGAC3S+ARGNO3S;AT;SBJV", parts=True) == ["ARGAC3S", "ARGNO3S", "AT", "SBJV", "V"]
    assert split_features("N;+;SG", parts=True) == ["N", "SG"]  # an empty part is no tag


def test_an_unseen_composite_of_seen_parts_has_no_unknown_token():
    whole, parts = CharVocab.build(ROWS), CharVocab.build(ROWS, tag_parts=True)
    assert "[AT+ABL]" in whole.stoi and "[AT+ABL]" not in parts.stoi and "[ABL]" in parts.stoi
    unseen = "N;IN+ABL;SG"  # IN and ABL are each seen, never together
    assert UNK_ID in whole.encode_source("talo", unseen)
    assert UNK_ID not in parts.encode_source("talo", unseen)
    assert parts.with_actions(not parts.actions).tag_parts  # the character members' vocabulary keeps it


def test_without_composites_the_vocabulary_and_sources_are_unchanged():
    rows = [("walk", "walked", "V;PST"), ("run", "runs", "V;3;SG;PRS")]
    whole, parts = CharVocab.build(rows), CharVocab.build(rows, tag_parts=True)
    assert whole.itos == parts.itos
    assert [whole.encode_source(l, f) for l, _, f in rows] == [parts.encode_source(l, f) for l, _, f in rows]


def test_saved_and_reloaded_vocabulary_keeps_tag_parts(tmp_path):
    CharVocab.build(ROWS, tag_parts=True).save(tmp_path / "v.json")
    assert CharVocab.load(tmp_path / "v.json").tag_parts
    (tmp_path / "old.json").write_text('{"tokens": ["a"], "actions": true}', encoding="utf-8")  # before the option
    assert not CharVocab.load(tmp_path / "old.json").tag_parts


@pytest.mark.parametrize("whole", [False, True])
def test_trained_model_reloads_with_tag_parts_and_predicts_the_same(tmp_path, whole):
    pytest.importorskip("torch")
    from test_neural_budget import _tiny  # noqa: E402  (tests/inflection is on sys.path)

    from lexaug.inflection.base import load_inflector
    from lexaug.inflection.neural import NeuralInflector

    rows = [(stem, stem + suffix, feats) for stem in ("talo", "kala", "koira", "kissa", "puu", "maa")
            for suffix, feats in (("lta", "N;AT+ABL;SG"), ("ssa", "N;IN+ESS;SG"), ("sta", "N;IN+ABL;SG"))]
    model = NeuralInflector.train(rows[:-1], rows[:4], seed=0, ensemble=1, tag_parts=True, tag_whole=whole,
                                  **_tiny())
    assert model.vocab.tag_parts and "[AT+ESS]" not in model.vocab.stoi  # never seen whole
    assert ("[IN+ABL]" in model.vocab.stoi) == whole == model.vocab.tag_whole
    model.save(tmp_path / "m")
    again = load_inflector(tmp_path / "m")
    assert again.vocab.tag_parts and again.vocab.tag_whole == whole
    pairs = [("maa", "N;IN+ABL;SG"), ("talo", "N;AT+ESS;SG")]  # an unseen composite; parts seen, never together
    assert again.predict_many(pairs) == model.predict_many(pairs)


def test_whole_and_parts_keep_the_composite_and_drop_only_an_unseen_one():
    assert split_features("N;SG+PL", parts=True, whole=True) == ["N", "PL", "SG", "SG+PL"]
    assert split_features("N;SG+PL", whole=True) == ["N", "SG+PL"]  # whole alone is the default input
    both = CharVocab.build(ROWS, tag_parts=True, tag_whole=True)
    assert {"[AT+ABL]", "[AT]", "[ABL]"} <= set(both.stoi)
    seen = both.encode_source("talo", "N;AT+ABL;SG")
    assert both.stoi["[AT+ABL]"] in seen and both.stoi["[ABL]"] in seen
    unseen = both.encode_source("talo", "N;IN+ABL;SG")  # IN and ABL each seen, never together
    assert UNK_ID not in unseen and unseen == both.encode_source("talo", "N;IN;ABL;SG")
    assert UNK_ID in both.encode_source("talo", "N;XYZ;SG")  # an unseen plain tag stays <unk>
    assert both.with_actions(not both.actions).tag_whole


def test_tag_whole_is_saved_and_needs_tag_parts(tmp_path):
    CharVocab.build(ROWS, tag_parts=True, tag_whole=True).save(tmp_path / "v.json")
    assert CharVocab.load(tmp_path / "v.json").tag_whole
    assert not CharVocab.build(ROWS, tag_whole=True).tag_whole  # without parts it means nothing


def test_tag_whole_without_tag_parts_is_one_clear_line(tmp_path):
    from click.testing import CliRunner

    from lexaug_cli.main import cli

    train = tmp_path / "t.tsv"
    train.write_text("".join(f"{l}\t{f}\t{t}\n" for l, f, t in ROWS), encoding="utf-8")
    result = CliRunner().invoke(cli, ["inflect", "train", "--train", str(train), "--model", "neural",
                                      "--out", str(tmp_path / "m"), "-o", "tag_whole=true"])
    assert result.exit_code == 1
    assert "tag_whole=true" in result.output and "tag_parts=true" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "m").exists()


def test_unseen_composite_share_counts_dev_items_only_parts_can_reach():
    from lexaug.inflection.vocab import unseen_composite_share

    dev = [("maa", "maalta", "N;AT+ABL;SG"), ("maa", "maassa", "N;IN+ESS;SG"), ("maa", "maat", "N;NOM;PL"),
           ("maa", "maasta", "N;IN+ABL;SG")]  # AT+ABL and IN+ESS are seen whole; IN+ABL is not
    assert unseen_composite_share(ROWS, dev) == 0.25
    assert unseen_composite_share(ROWS, []) == 0.0


@pytest.mark.parametrize("threshold, on", [(0.2, True), (0.5, False)])
def test_auto_tag_parts_turns_parts_on_from_the_dev_share(threshold, on):
    pytest.importorskip("torch")
    from test_neural_budget import _tiny  # noqa: E402  (tests/inflection is on sys.path)

    from lexaug.errors import ConfigError
    from lexaug.inflection.neural import NeuralInflector

    rows = [(stem, stem + suffix, feats) for stem in ("talo", "kala", "koira", "kissa", "puu", "maa")
            for suffix, feats in (("lta", "N;AT+ABL;SG"), ("ssa", "N;IN+ESS;SG"))]
    dev = [("sauna", "saunasta", "N;IN+ABL;SG"), ("sauna", "saunassa", "N;IN+ESS;SG"),
           ("pallo", "pallolta", "N;AT+ABL;SG")]  # 1 of 3 holds a composite never seen whole
    lines: list[str] = []
    model = NeuralInflector.train(rows, dev, seed=0, ensemble=1, auto_tag_parts=threshold, progress=lines.append,
                                  **_tiny())
    assert model.info["auto_tag_parts"] == {"threshold": threshold, "dev_share": 0.3333, "on": on}
    said = [line for line in lines if line.startswith("composite tags enter whole and as their parts")]
    assert said == ([f"composite tags enter whole and as their parts: 33.3% of dev items hold one never seen whole "
                     f"in training (auto_tag_parts={threshold:g})"] if on else [])
    assert model.vocab.tag_parts == model.vocab.tag_whole == on == model.hparams.tag_parts
    default = NeuralInflector.train(rows, dev, seed=0, ensemble=1, **_tiny())  # the default threshold: 0.05
    assert default.info["auto_tag_parts"] == {"threshold": 0.05, "dev_share": 0.3333, "on": True}
    assert default.vocab.tag_parts and default.vocab.tag_whole
    never = NeuralInflector.train(rows, dev, seed=0, ensemble=1, auto_tag_parts=0, **_tiny())
    assert "auto_tag_parts" not in never.info and not never.vocab.tag_parts
    with pytest.raises(ConfigError, match="auto_tag_parts=2"):
        NeuralInflector.train(rows, dev, auto_tag_parts=2, **_tiny())


def test_only_slp_and_ang_reach_one_in_twenty_on_2022_small(shared_data):
    """The README's claim for `auto_tag_parts=0.05`: on the 2022 small tasks it turns parts on for slp and ang only
    (every other task then trains exactly as the default)."""
    from lexaug.inflection.vocab import unseen_composite_share
    from lexaug.loaders.sigmorphon import read_training_rows

    folder = shared_data / "sigmorphon2022"
    shares = {}
    for train in sorted(folder.glob("*_small.train")):
        lang = train.name.split("_")[0]
        shares[lang] = unseen_composite_share(read_training_rows(train), read_training_rows(folder / f"{lang}.dev"))
    assert len(shares) == 23
    assert {lang for lang, share in shares.items() if share >= 0.05} == {"slp", "ang"}
    assert round(shares["ckt"], 3) == 0.045 and round(shares["itl"], 3) == 0.033  # the nearest below: 1 of 22, 19 of 572
