"""Mixed ensembles (`char_members`): edit-script members and character members, ranked together."""

from __future__ import annotations

import json
import math

import pytest

from lexaug.errors import ConfigError, ResourceError

torch = pytest.importorskip("torch")

from test_neural import TINY, _task  # noqa: E402


@pytest.fixture(scope="module")
def mixed():
    from lexaug.inflection.neural import NeuralInflector

    train, test = _task()
    model = NeuralInflector.train(train, test[:40], seed=0, threads=1, hallucinate=0, real_repeat=1, beam=3,
                                  ensemble=2, char_members=1, max_steps=200, **TINY)
    return model, test


@pytest.mark.slow
def test_members_write_scripts_then_characters_and_the_weight_is_chosen_on_dev(mixed):
    model, _ = mixed
    assert model.member_actions == [True, False]
    assert [m["writes"] for m in model.info["members"]] == ["edit scripts", "characters"]
    assert [v.actions for v, _, _ in model.groups()] == [True, False]
    tried = model.info["char_weight_dev"]["dev_accuracy"]
    assert set(tried) == {"0.5", "0.25", "0.75", "0.0", "1.0"}
    assert model.char_weight == model.info["char_weight_dev"]["weight"]
    assert tried[str(model.char_weight)] == max(tried.values())
    weights = [w for _, _, w in model.groups()]
    assert weights == [1.0 - model.char_weight, model.char_weight]


@pytest.mark.slow
def test_candidates_of_both_groups_are_ranked_by_the_weighted_score(mixed):
    model, test = mixed
    lemma, _, feats = test[0]
    ranked = model._ranked([(lemma, feats)], model.beam)[0]
    forms = [form for form, _ in ranked]
    per_group = model._group_candidates([(lemma, feats)], beam=3)
    union = {form for group in per_group for form, _ in group[0]}
    assert set(forms) == union and len(forms) == len(union)  # the union, each form once
    assert len(union) > model.beam  # both groups found forms of their own here: `inflect` gives the best 3
    assert model.inflect(lemma, feats) == ranked[:model.beam]
    scores = model.score_forms([(lemma, feats)] * len(forms), forms)
    assert [p for _, p in ranked] == pytest.approx([math.exp(s) for s in scores], rel=1e-5)
    assert scores == sorted(scores, reverse=True)
    by_group = model._group_scores([(lemma, feats)] * len(forms), forms)
    w = model.char_weight
    assert scores == pytest.approx([(1 - w) * a + w * c for a, c in zip(*by_group)])


@pytest.mark.slow
def test_mixed_model_learns_and_round_trips(mixed, tmp_path):
    from lexaug.inflection.base import load_inflector

    model, test = mixed
    pairs = [(lemma, feats) for lemma, _, feats in test]
    predicted = model.predict_many(pairs)
    assert sum(p == g for p, (_, g, _) in zip(predicted, test)) / len(test) > 0.9
    model.save(tmp_path / "m")
    manifest = json.loads((tmp_path / "m" / "inflector.json").read_text())
    assert manifest["member_actions"] == [True, False] and manifest["char_weight"] == model.char_weight
    loaded = load_inflector(tmp_path / "m")
    assert loaded.member_actions == [True, False] and loaded.predict_many(pairs) == predicted
    manifest["member_actions"] = [True]
    (tmp_path / "m" / "inflector.json").write_text(json.dumps(manifest))
    with pytest.raises(ResourceError, match="member_actions"):
        load_inflector(tmp_path / "m")


def test_one_kind_of_member_scores_as_its_ensemble():
    """Without character members the model is one group of weight 1: `score_forms` is the ensemble's own
    teacher-forced score, as the rule fallback has always used it."""
    from lexaug.inflection.neural import NeuralInflector
    from lexaug.inflection.neural_model import score_targets

    train, test = _task()
    model = NeuralInflector.train(train[:80], None, seed=1, threads=1, hallucinate=0, real_repeat=1, beam=1,
                                  ensemble=2, char_members=0, max_steps=4, **TINY)
    assert model.member_actions == [True, True] and len(model.groups()) == 1
    pairs = [(lemma, feats) for lemma, _, feats in test[:6]]
    forms = [form for _, form, _ in test[:6]]
    vocab = model.vocab
    direct = score_targets(model.models, [vocab.encode_source(*p) for p in pairs],
                           [vocab.encode_target(f, p[0]) for f, p in zip(forms, pairs)],
                           [len(p[0]) for p in pairs], vocab.actions)
    assert model.score_forms(pairs, forms) == direct


@pytest.mark.parametrize("options, message", [
    (dict(ensemble=2, char_members=3), "at most ensemble=2"),
    (dict(ensemble=2, char_members=1, actions=False), "drop char_members"),
    (dict(char_members=-1), "char_members=-1"),
])
def test_bad_char_members(options, message):
    from lexaug.inflection.neural import NeuralInflector

    with pytest.raises(ConfigError, match=message):
        NeuralInflector.train([("walk", "walked", "V;PST")], **options)


@pytest.mark.parametrize("options, kinds", [
    (dict(), [True, True, False]),  # the default: 3 members, the last writes characters
    (dict(ensemble=2), [True, False]),
    (dict(ensemble=1), [True]),  # no room for both kinds: one edit-script network, as asked
    (dict(actions=False), [False, False, False]),  # every member writes characters already: no error
    (dict(char_members=0), [True, True, True]),  # the plain ensemble
])
def test_default_mix_follows_the_ensemble_and_actions(options, kinds):
    """`char_members` left out is `defaults.NEURAL_CHAR_MEMBERS` (1) only where the ensemble keeps an
    edit-script member beside it; `ensemble=1` or `actions=false` alone are not refused and not changed."""
    from lexaug import defaults
    from lexaug.inflection.neural import NeuralInflector

    assert defaults.NEURAL_CHAR_MEMBERS == 1
    train, _ = _task()
    model = NeuralInflector.train(train[:30], None, seed=0, threads=1, hallucinate=0, real_repeat=1, beam=1,
                                  max_steps=1, **{**TINY, **options})
    assert model.member_actions == kinds


@pytest.mark.slow
def test_weight_is_tuned_on_what_decoding_gives(mixed):
    """Each weight's dev accuracy is that of decoding dev at the model's beam with that weight, and the dev
    forms handed to the fallback tuning are those of decoding at the chosen weight."""
    from lexaug.inflection.vocab import nfc

    model, test = mixed
    dev = test[:40]
    pairs = [(lemma, feats) for lemma, _, feats in dev]
    gold = [nfc(form) for _, form, _ in dev]
    assert model.beam == 3
    saved_info, chosen = dict(model.info), model.char_weight
    forms = model._tune_char_weight(dev)
    tried = model.info["char_weight_dev"]["dev_accuracy"]
    model.info = saved_info
    assert model.char_weight == chosen
    assert forms == [form for form, _ in model._decode(pairs, beam=3)]
    try:
        for weight, accuracy in tried.items():
            model.char_weight = float(weight)
            decoded = [form for form, _ in model._decode(pairs, beam=3)]
            assert math.isclose(accuracy, 100.0 * sum(f == g for f, g in zip(decoded, gold)) / len(dev))
    finally:
        model.char_weight = chosen


def test_decoding_uses_the_model_threads_and_gives_torch_its_setting_back(monkeypatch):
    """On a busy 2-core machine, decoding with torch's default 2 threads was about 20 times slower than with 1
    (an untrained mixed model: 46 s against 2.4 s for one beam search), so decoding uses `threads` as training
    does, and leaves torch's own setting as it found it."""
    from lexaug.inflection import neural_model
    from lexaug.inflection.neural import NeuralInflector

    train, test = _task()
    model = NeuralInflector.train(train[:40], None, seed=0, threads=1, hallucinate=0, real_repeat=1, beam=1,
                                  ensemble=1, max_steps=2, **TINY)
    seen = []
    real = neural_model.greedy_decode

    def spy(*args, **kwargs):
        seen.append(torch.get_num_threads())
        return real(*args, **kwargs)

    monkeypatch.setattr(neural_model, "greedy_decode", spy)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        model.predict_many([(lemma, feats) for lemma, _, feats in test[:3]])
        assert seen == [1] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


@pytest.fixture
def seen(monkeypatch) -> list[tuple[bool, list]]:
    """(writes edit scripts?, training pairs) of every member `train_model` trains, in order."""
    from lexaug.inflection import neural_train

    calls: list[tuple[bool, list]] = []
    real_train = neural_train.train_model

    def spy(train, dev, vocab, *args, **kwargs):
        calls.append((vocab.actions, list(train)))
        return real_train(train, dev, vocab, *args, **kwargs)

    monkeypatch.setattr(neural_train, "train_model", spy)
    return calls


def test_char_hallucinate_gives_the_character_members_fewer_pairs(seen):
    """`char_hallucinate`: the character members train on the real pairs and the first `char_hallucinate`
    hallucinated pairs of the same draw; the edit-script members on all `hallucinate`; left out, with
    `hallucinate` under the default cap (next test), every member trains on the same data."""
    from lexaug.inflection.neural import NeuralInflector

    train, _ = _task()
    rows = train[:30]
    model = NeuralInflector.train(rows, None, seed=0, threads=1, hallucinate=40, char_hallucinate=10, real_repeat=2,
                                  beam=1, ensemble=3, char_members=1, max_steps=1, **TINY)
    assert [acts for acts, _ in seen] == [True, True, False]
    scripts, chars = seen[0][1], seen[2][1]
    assert seen[1][1] == scripts and len(scripts) == 2 * 30 + 40 and len(chars) == 2 * 30 + 10
    assert chars == scripts[:70]  # the real pairs, then the first 10 hallucinated ones
    assert model.info["char_hallucinate"] == 10 and model.info["hallucinate"] == 40
    seen.clear()
    plain = NeuralInflector.train(rows, None, seed=0, threads=1, hallucinate=40, real_repeat=2, beam=1, ensemble=3,
                                  char_members=1, max_steps=1, **TINY)
    assert [len(data) for _, data in seen] == [100, 100, 100] and "char_hallucinate" not in plain.info
    default_data = seen[0][1]
    seen.clear()  # more pairs for the character member: the edit-script members' data is still the default's
    NeuralInflector.train(rows, None, seed=0, threads=1, hallucinate=40, char_hallucinate=60, real_repeat=2, beam=1,
                          ensemble=3, char_members=1, max_steps=1, **TINY)
    assert seen[0][1] == seen[1][1] == default_data and len(seen[2][1]) == 2 * 30 + 60
    with pytest.raises(ConfigError, match="char_hallucinate=-1"):
        NeuralInflector.train(rows, None, char_hallucinate=-1, **TINY)


def test_by_default_the_character_members_get_at_most_the_default_number_of_pairs(seen, monkeypatch):
    """Left out, `char_hallucinate` is `defaults.NEURAL_CHAR_HALLUCINATE` (1,000), or `hallucinate` where that is
    fewer; the edit-script members always train on all `hallucinate` pairs."""
    from lexaug import defaults
    from lexaug.inflection.neural import NeuralInflector

    assert defaults.NEURAL_CHAR_HALLUCINATE == 1000
    monkeypatch.setattr(defaults, "NEURAL_CHAR_HALLUCINATE", 10)  # the same rule at the scale of a tiny test
    rows = _task()[0][:30]
    model = NeuralInflector.train(rows, None, seed=0, threads=1, hallucinate=40, real_repeat=2, beam=1, ensemble=3,
                                  char_members=1, max_steps=1, **TINY)
    assert [len(data) for _, data in seen] == [2 * 30 + 40, 2 * 30 + 40, 2 * 30 + 10]
    assert model.info["char_hallucinate"] == 10
    seen.clear()
    few = NeuralInflector.train(rows, None, seed=0, threads=1, hallucinate=6, real_repeat=2, beam=1, ensemble=3,
                                char_members=1, max_steps=1, **TINY)
    assert [len(data) for _, data in seen] == [2 * 30 + 6] * 3 and "char_hallucinate" not in few.info


def test_char_copy_gives_the_character_members_copy_pairs(seen):
    """`char_copy=N`: the character members also train on N pairs that copy a training word (a lemma or a form)
    under the reserved tag `LEXAUG_COPY` (autoencoding: Kann & Schuetze 2017), the edit-script members on the
    same data as without it; left out (0), no member's data or vocabulary changes."""
    from lexaug.inflection.neural import NeuralInflector
    from lexaug.inflection.neural_members import COPY_TAG
    from lexaug.inflection.vocab import nfc

    train, _ = _task()
    rows = train[:30]
    words = {nfc(w) for lemma, form, _ in rows for w in (lemma, form)}
    model = NeuralInflector.train(rows, None, seed=0, threads=1, hallucinate=0, real_repeat=1, char_copy=25, beam=1,
                                  ensemble=3, char_members=1, max_steps=1, **TINY)
    assert [acts for acts, _ in seen] == [True, True, False]
    scripts, chars = seen[0][1], seen[2][1]
    assert seen[1][1] == scripts == list(rows) and chars[:30] == scripts
    copies = chars[30:]
    assert len(copies) == 25 and all(lemma == form and tags == COPY_TAG for lemma, form, tags in copies)
    assert {lemma for lemma, _, _ in copies} <= words and len({lemma for lemma, _, _ in copies}) == 25
    assert model.info["char_copy"] == 25 and f"[{COPY_TAG}]" in model.vocab.stoi
    seen.clear()  # more copies than words: every word, then again in the same order
    NeuralInflector.train(rows, None, seed=0, threads=1, hallucinate=0, real_repeat=1, char_copy=2 * len(words),
                          beam=1, ensemble=3, char_members=1, max_steps=1, **TINY)
    copies = seen[2][1][30:]
    assert copies[:len(words)] == copies[len(words):] and {lemma for lemma, _, _ in copies} == words
    seen.clear()
    plain = NeuralInflector.train(rows, None, seed=0, threads=1, hallucinate=0, real_repeat=1, beam=1, ensemble=3,
                                  char_members=1, max_steps=1, **TINY)
    assert [data for _, data in seen] == [list(rows)] * 3 and "char_copy" not in plain.info
    assert f"[{COPY_TAG}]" not in plain.vocab.stoi
    with pytest.raises(ConfigError, match="char_copy=-1"):
        NeuralInflector.train(rows, None, char_copy=-1, **TINY)
    with pytest.raises(ConfigError, match=COPY_TAG):
        NeuralInflector.train([("a", "b", f"V;{COPY_TAG}")], None, char_copy=1, ensemble=2, **TINY)
