"""`set_features`: feature tags enter the encoder without a position of their own."""

from __future__ import annotations

import pytest

from lexaug.inflection.vocab import CharVocab

torch = pytest.importorskip("torch")

from lexaug.inflection.neural_model import (NeuralHParams, build_model, encode, pad_batch,  # noqa: E402
                                            source_positions)

TRIPLES = [("walk", "walked", "V;PST"), ("run", "runs", "V;3;SG;PRS"), ("go", "goes", "V;3;SG;PRS;IND")]
SMALL = dict(layers=1, d_model=32, ffn=64, heads=2, dropout=0.0)


def _model(set_features: bool):
    torch.manual_seed(0)
    vocab = CharVocab.build(TRIPLES)
    net = build_model(len(vocab), NeuralHParams(set_features=set_features, **SMALL))
    with torch.no_grad():  # positions as large as tokens (at initialisation they are ~100 times smaller)
        net.get_encoder().embed_positions.weight.normal_(0.0, 1.0)
    net.eval()
    return vocab, net


def test_source_positions_number_characters_and_give_tags_one_slot():
    vocab = CharVocab.build(TRIPLES)
    ids, _ = pad_batch([vocab.encode_source("walk", "V;PST"), vocab.encode_source("go", "V;3;SG;PRS;IND")])
    assert ids.size(1) == 8
    assert source_positions(ids, [4, 2], 99).tolist() == [[0, 1, 2, 3, 99, 99, 4, 0],
                                                          [0, 1, 99, 99, 99, 99, 99, 2]]


def _states_with_swapped_tags(set_features: bool):
    """Encoder states of `go V;3;SG;PRS;IND` (row 0) and of the same source with its first and last tag
    traded (row 1), and the model."""
    vocab, net = _model(set_features)
    source = vocab.encode_source("go", "V;3;SG;PRS;IND")
    swapped = list(source)
    swapped[2], swapped[5] = swapped[5], swapped[2]
    ids, mask = pad_batch([source, swapped])
    with torch.no_grad():
        return encode(net, ids, mask, [2, 2]).last_hidden_state, net, ids, mask


def test_tag_order_does_not_reach_the_characters_with_set_features():
    states, _, _, _ = _states_with_swapped_tags(True)
    assert torch.allclose(states[0, :2], states[1, :2], atol=1e-5)  # the lemma characters
    assert torch.allclose(states[0, 2], states[1, 5], atol=1e-5)  # a tag's state moves with the tag
    assert torch.allclose(states[0, 6], states[1, 6], atol=1e-5)  # </s>


def test_without_set_features_tag_order_matters_and_the_encoder_is_plain_bart():
    states, net, ids, mask = _states_with_swapped_tags(False)
    with torch.no_grad():
        plain = net.get_encoder()(input_ids=ids, attention_mask=mask).last_hidden_state
    assert torch.equal(states, plain)
    assert (states[0, 2] - states[1, 5]).abs().max() > 0.1  # a tag's state depends on where it stands


def test_set_features_is_saved_with_the_model(tmp_path):
    from lexaug.inflection.neural import NeuralInflector

    train = [(lemma, lemma + "ed", "V;PST") for lemma in ("walk", "talk", "jump", "kick")]
    model = NeuralInflector.train(train, train, max_steps=4, eval_every=2, ensemble=1, hallucinate=0,
                                  set_features=True, **SMALL)
    model.save(tmp_path)
    again = NeuralInflector.load(tmp_path)
    assert again.hparams.set_features is True
    assert again.models[0].config.lexaug_set_features is True
    pairs = [("walk", "V;PST"), ("hop", "V;PST")]
    assert again.predict_many(pairs) == model.predict_many(pairs)
