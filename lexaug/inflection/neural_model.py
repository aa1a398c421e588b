"""The network of the neural inflector: a tiny BART (transformers) trained from scratch on characters.

A BART encoder-decoder is the closest stock `transformers` architecture to the character transformer of
Wu, Cotterell & O'Donnell (2021), the model of the official SIGMORPHON 2021/2022 neural baselines: pre-norm
is not available, but shared input/output embeddings and learned positions are, and on 700 training pairs the
difference is small. The config is built locally (no hub access). Decoding: batched greedy search with the
decoder key/value cache, and beam search through `generate` (scores are summed log-probabilities).
Imports torch and transformers; only the neural modules import this file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

import torch
from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig

from lexaug.inflection.vocab import BOS_ID, EOS_ID, PAD_ID


@dataclass
class NeuralHParams:
    """Size and training hyper-parameters (defaults in `lexaug.defaults.NEURAL_HPARAMS`)."""

    layers: int = 2
    d_model: int = 128
    ffn: int = 512
    heads: int = 4
    dropout: float = 0.3
    batch_size: int = 64
    lr: float = 1e-3
    warmup: int = 400
    label_smoothing: float = 0.1
    max_steps: int = 4000
    eval_every: int = 250
    max_minutes: float = 0.0  # 0: no wall-clock cap (a cap makes the step count machine-dependent)
    max_len: int = 64
    average_last: int = 1  # average the weights of the k best dev checkpoints (1: keep the best)
    actions: bool = True  # decode edit scripts over the lemma (copy/delete/insert) instead of characters

    def to_dict(self) -> dict:
        return asdict(self)


def build_model(vocab_size: int, hp: NeuralHParams) -> BartForConditionalGeneration:
    """A randomly initialised BART of the given size over `vocab_size` tokens."""
    config = BartConfig(
        vocab_size=vocab_size,
        max_position_embeddings=max(hp.max_len * 2, 128),
        encoder_layers=hp.layers,
        decoder_layers=hp.layers,
        encoder_ffn_dim=hp.ffn,
        decoder_ffn_dim=hp.ffn,
        encoder_attention_heads=hp.heads,
        decoder_attention_heads=hp.heads,
        d_model=hp.d_model,
        dropout=hp.dropout,
        attention_dropout=0.0,
        activation_dropout=0.0,
        activation_function="relu",
        scale_embedding=True,
        pad_token_id=PAD_ID,
        bos_token_id=BOS_ID,
        eos_token_id=EOS_ID,
        decoder_start_token_id=BOS_ID,
        forced_eos_token_id=None,
        tie_word_embeddings=True,
    )
    model = BartForConditionalGeneration(config)
    model.generation_config = generation_config(hp.max_len)
    return model


def generation_config(max_len: int) -> GenerationConfig:
    """Plain decoding settings: no forced tokens, no length penalty, no repetition rules."""
    return GenerationConfig(
        decoder_start_token_id=BOS_ID, bos_token_id=BOS_ID, eos_token_id=EOS_ID, pad_token_id=PAD_ID,
        max_length=max_len + 1,
    )


def pad_batch(seqs: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded id tensor and its attention mask."""
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), PAD_ID, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    return ids, (ids != PAD_ID).long()


@torch.no_grad()
def greedy_decode(model, sources: Sequence[Sequence[int]], max_len: int,
                  batch_size: int = 256) -> list[tuple[list[int], float]]:
    """Greedy search for each source: (ids without BOS/EOS, summed log-probability), in input order.

    The encoder runs once per batch and the decoder reuses its key/value cache, so each step costs one token.
    """
    model.eval()
    results: list[tuple[list[int], float]] = []
    for start in range(0, len(sources), batch_size):
        chunk = sources[start:start + batch_size]
        ids, mask = pad_batch(chunk)
        encoder_outputs = model.get_encoder()(input_ids=ids, attention_mask=mask)
        n = len(chunk)
        last = torch.full((n, 1), BOS_ID, dtype=torch.long)
        past = None
        done = torch.zeros(n, dtype=torch.bool)
        scores = torch.zeros(n)
        out = torch.full((n, max_len), PAD_ID, dtype=torch.long)
        for step in range(max_len):
            step_out = model(encoder_outputs=encoder_outputs, attention_mask=mask, decoder_input_ids=last,
                             past_key_values=past, use_cache=True)
            past = step_out.past_key_values
            logp = torch.log_softmax(step_out.logits[:, -1, :].float(), dim=-1)
            best = logp.argmax(-1)
            best = torch.where(done, torch.full_like(best, PAD_ID), best)
            scores += torch.where(done, torch.zeros_like(scores), logp.gather(1, best[:, None]).squeeze(1))
            out[:, step] = best
            done |= best == EOS_ID
            last = best[:, None]
            if bool(done.all()):
                break
        for k, row in enumerate(out.tolist()):
            results.append((_strip([i for i in row if i != PAD_ID]), float(scores[k])))
    return results


def _strip(ids: list[int]) -> list[int]:
    return ids[: ids.index(EOS_ID)] if EOS_ID in ids else ids


@torch.no_grad()
def beam_decode(model, source: Sequence[int], beam: int,
                max_len: int) -> list[tuple[list[int], float]]:
    """The `beam` best hypotheses for one source, best first: (ids without BOS/EOS, summed log-prob)."""
    model.eval()
    ids, mask = pad_batch([source])
    out = model.generate(input_ids=ids, attention_mask=mask, num_beams=beam, num_return_sequences=beam,
                         output_scores=True, return_dict_in_generate=True, do_sample=False, length_penalty=0.0,
                         early_stopping=True,
                         generation_config=generation_config(max_len))
    hyps = [(_strip([i for i in seq.tolist()[1:] if i != PAD_ID]), float(s))
            for seq, s in zip(out.sequences, out.sequences_scores)]
    return sorted(hyps, key=lambda h: -h[1])
