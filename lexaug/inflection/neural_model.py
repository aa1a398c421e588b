"""The network of the neural inflector: a tiny BART (transformers) trained from scratch on characters.

A BART encoder-decoder is the closest stock `transformers` architecture to the character transformer of
Wu, Cotterell & O'Donnell (2021), the model of the official SIGMORPHON 2021/2022 neural baselines (post-norm
here, pre-norm there). The config is built locally (no hub access). Targets are edit scripts over the lemma
(see `vocab`); the decoder's input at each step is the embedding of its previous output plus the embedding
of the lemma character under the script's pointer and the encoder state there (`decoder_embeds`).
Decoding: batched greedy search and beam search, both with the decoder key/value cache (scores are summed
log-probabilities), for one model or an ensemble (members' mean next-token probability).
Imports torch and transformers; only the neural modules import this file.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import Iterator, Sequence

import torch
from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig
from transformers.modeling_outputs import BaseModelOutput

from lexaug.inflection.vocab import BOS_ID, COPY_ID, DEL_ID, EOS_ID, PAD_ID


@dataclass
class NeuralHParams:
    """Size and training hyper-parameters (the defaults are these field defaults; `-o key=value` sets them)."""

    layers: int = 2
    d_model: int = 128
    ffn: int = 512
    heads: int = 4
    dropout: float = 0.2
    batch_size: int = 32
    lr: float = 2e-3
    warmup: int = 200
    label_smoothing: float = 0.1
    max_steps: int = 4000
    eval_every: int = 200
    max_minutes: float = 0.0  # 0: no wall-clock cap (a cap makes the step count machine-dependent)
    max_len: int = 64
    average_last: int = 1  # average the weights of the k best dev checkpoints (1: keep the best)
    patience: int = 0  # stop after this many dev evaluations without improvement, once dev is above 0% (0: never)
    actions: bool = True  # decode edit scripts over the lemma (copy/delete/insert) instead of characters
    length_alpha: float = 0.0  # beam search: rank finished hypotheses by log-prob / length**alpha (0: raw)
    set_features: bool = False  # feature tags read as a set: no position of their own (see `encode`)
    tag_parts: bool = False  # composite tags (`AT+ABL`) enter as their parts (`vocab.split_features`)
    tag_whole: bool = False  # with tag_parts: the composite enters whole too (an unseen one: parts only)
    mark_clusters: bool = False  # edit scripts copy a combining mark only with its letter (`vocab.edit_script`)

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
    config.lexaug_set_features = hp.set_features  # saved in config.json with the rest; read by `encode`
    model = BartForConditionalGeneration(config)
    model.generation_config = generation_config(hp.max_len)
    return model


def generation_config(max_len: int) -> GenerationConfig:
    """Plain decoding settings: no forced tokens, no length penalty, no repetition rules."""
    return GenerationConfig(
        decoder_start_token_id=BOS_ID, bos_token_id=BOS_ID, eos_token_id=EOS_ID, pad_token_id=PAD_ID,
        max_length=max_len + 1,
    )


def pad_batch(seqs: Sequence[Sequence[int]], device: torch.device | str = "cpu") -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded id tensor and its attention mask, on `device`."""
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), PAD_ID, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    ids = ids.to(device)
    return ids, (ids != PAD_ID).long()


def model_device(model) -> torch.device:
    """The device the model's weights are on."""
    return next(model.parameters()).device


def source_positions(src: torch.Tensor, lemma_lens: Sequence[int], tag_position: int) -> torch.Tensor:
    """Encoder positions of padded sources laid out as lemma characters, feature tags, `</s>`: the characters
    0..n-1, `</s>` n, and every tag the one position `tag_position`. Tags then carry no order and no
    dependence on the lemma's length, so a feature bundle never seen in training is made of tags each seen
    in the same place."""
    positions = torch.full(src.shape, tag_position, dtype=torch.long)
    lengths = (src != PAD_ID).sum(1).tolist()
    for row, (n, m) in enumerate(zip(lemma_lens, lengths)):
        n = min(n, tag_position - 1)
        positions[row, :n] = torch.arange(n)
        positions[row, m - 1] = n  # </s>
        positions[row, m:] = 0  # padding (masked out)
    return positions.to(src.device)


def encode(net, src: torch.Tensor, src_mask: torch.Tensor, lemma_lens: Sequence[int]):
    """The encoder's output for padded sources. With `set_features` (kept in the model config) the feature
    tags get the positions of `source_positions`: BART's encoder always adds positions 0..len-1 to its input
    vectors, so the input here is token vectors + wanted positions - those positions."""
    encoder = net.get_encoder()
    if not getattr(net.config, "lexaug_set_features", False):
        return encoder(input_ids=src, attention_mask=src_mask)
    table = encoder.embed_positions  # a learned table whose row i + offset is position i
    wanted = source_positions(src, lemma_lens, table.num_embeddings - table.offset - 1)
    default = torch.arange(src.size(1), device=src.device).expand_as(src)
    shift = table.weight[wanted + table.offset] - table.weight[default + table.offset]
    return encoder(inputs_embeds=encoder.embed_tokens(src) + shift, attention_mask=src_mask)


def pointer_positions(lemma_len: int, target: Sequence[int], actions: bool) -> list[int]:
    """Lemma position the edit script has reached before each target token (`<copy>`/`<del>` advance it),
    at most `lemma_len` (the token after the lemma marks its end); all -1 (no pointer) for character targets."""
    if not actions:
        return [-1] * len(target)
    out, pos = [], 0
    for tok in target:
        out.append(min(pos, lemma_len))
        pos += tok in (COPY_ID, DEL_ID)
    return out


def decoder_embeds(model, prev: torch.Tensor, src: torch.Tensor, ptr: torch.Tensor,
                   enc_states: torch.Tensor) -> torch.Tensor:
    """Decoder input vectors (batch, steps, d): embedding of the previous output, plus, where the pointer is
    set (>= 0), the embedding of the source token under it and the encoder state there. The decoder thus
    knows which lemma character it stands on, in context, without learning position arithmetic (the
    hard-attention transducer view of Makarov & Clematide 2018, inside a standard encoder-decoder)."""
    embed = model.get_decoder().embed_tokens
    valid = (ptr >= 0)
    pos = ptr.clamp(min=0)
    under = torch.where(valid, src.gather(1, pos), torch.full_like(pos, PAD_ID))
    state = enc_states.gather(1, pos[..., None].expand(-1, -1, enc_states.size(-1)))
    return embed(prev) + embed(under) + state * valid[..., None]


def members(models) -> list:
    """A model or a sequence of models (an ensemble) as a list of models."""
    return list(models) if isinstance(models, (list, tuple)) else [models]


def ensemble_logp(step_logps: Sequence[torch.Tensor]) -> torch.Tensor:
    """Log of the members' mean next-token probability (one member: its own log-probabilities)."""
    if len(step_logps) == 1:
        return step_logps[0]
    stacked = torch.stack(list(step_logps))
    return torch.logsumexp(stacked, dim=0) - math.log(len(step_logps))


@torch.no_grad()
def greedy_decode(models, sources: Sequence[Sequence[int]], lemma_lens: Sequence[int], max_len: int,
                  actions: bool, batch_size: int = 256, deadline: float | None = None
                  ) -> list[tuple[list[int], float]]:
    """Greedy search for each source: (ids without BOS/EOS, summed log-probability), in input order.

    `models` is one model or an ensemble (a list): an ensemble picks each token by the members' mean
    probability. Each member's encoder runs once per batch and its decoder reuses its key/value cache, so
    each step costs one token per member. With `deadline` (a `time.perf_counter()` time) the results may
    cover only a prefix of the sources (`BatchClock`).
    """
    nets = members(models)
    for net in nets:
        net.eval()
    results: list[tuple[list[int], float]] = []
    for start in BatchClock(deadline).batches(len(sources), batch_size):
        chunk, lens = sources[start:start + batch_size], list(lemma_lens[start:start + batch_size])
        dev = model_device(nets[0])
        ids, mask = pad_batch(chunk, dev)
        encoded = [encode(net, ids, mask, lens) for net in nets]
        n = len(chunk)
        steps = min(max_len, 2 * ids.size(1) + 10)  # a script is at most lemma + form long
        last = torch.full((n,), BOS_ID, dtype=torch.long, device=dev)
        pos = torch.full((n,), 0 if actions else -1, dtype=torch.long, device=dev)
        limit = torch.tensor(lens, dtype=torch.long, device=dev)
        caches: list = [None] * len(nets)
        done = torch.zeros(n, dtype=torch.bool, device=dev)
        scores = torch.zeros(n, device=dev)
        out = torch.full((n, steps), PAD_ID, dtype=torch.long, device=dev)
        for step in range(steps):
            ptr = torch.minimum(pos, limit) if actions else pos
            step_logps = []
            for m, (net, enc) in enumerate(zip(nets, encoded)):
                embeds = decoder_embeds(net, last[:, None], ids, ptr[:, None], enc.last_hidden_state)
                step_out = net(encoder_outputs=enc, attention_mask=mask, cache=caches[m],
                               decoder_inputs_embeds=embeds, use_cache=True)
                caches[m] = step_out.cache
                step_logps.append(torch.log_softmax(step_out.logits[:, -1, :].float(), dim=-1))
            logp = ensemble_logp(step_logps)
            best = logp.argmax(-1)
            best = torch.where(done, torch.full_like(best, PAD_ID), best)
            scores += torch.where(done, torch.zeros_like(scores), logp.gather(1, best[:, None]).squeeze(1))
            out[:, step] = best
            done |= best == EOS_ID
            last = best
            if actions:
                pos = pos + ((best == COPY_ID) | (best == DEL_ID)).long()
            if bool(done.all()):
                break
        for k, row in enumerate(out.tolist()):
            results.append((_strip([i for i in row if i != PAD_ID]), float(scores[k])))
    return results


def teacher_forced_logits(net, src: torch.Tensor, src_mask: torch.Tensor, tgt: torch.Tensor,
                          tgt_mask: torch.Tensor, pointers: Sequence[Sequence[int]],
                          lemma_lens: Sequence[int]) -> torch.Tensor:
    """Logits (batch, steps, vocab) of `net` reading the padded targets `tgt` shifted right after `<s>`, each
    step with its lemma pointer (`pointer_positions` of each target; the padding gets no pointer). Training
    and `score_targets` both run the decoder this way."""
    ptr = torch.full(tgt.shape, -1, dtype=torch.long)
    for row, positions in enumerate(pointers):
        ptr[row, : len(positions)] = torch.tensor(positions, dtype=torch.long)
    ptr = ptr.to(tgt.device)
    bos = torch.full((tgt.size(0), 1), BOS_ID, dtype=torch.long, device=tgt.device)
    dec_in = torch.cat([bos, tgt[:, :-1]], dim=1)
    enc = encode(net, src, src_mask, lemma_lens)
    return net(encoder_outputs=enc, attention_mask=src_mask, decoder_attention_mask=tgt_mask,
               decoder_inputs_embeds=decoder_embeds(net, dec_in, src, ptr, enc.last_hidden_state),
               use_cache=False).logits


@torch.no_grad()
def score_targets(models, sources: Sequence[Sequence[int]], targets: Sequence[Sequence[int]],
                  lemma_lens: Sequence[int], actions: bool, batch_size: int = 256,
                  deadline: float | None = None) -> list[float]:
    """Summed log-probability of each target (ids ending in `</s>`) given its source, teacher forced, with
    the ensemble's mean next-token probability at each step (the quantity greedy and beam search maximise).
    With `deadline`, the scores may cover only a prefix of the targets (`BatchClock`)."""
    nets = members(models)
    for net in nets:
        net.eval()
    dev = model_device(nets[0])
    out: list[float] = []
    for start in BatchClock(deadline).batches(len(sources), batch_size):
        chunk_src, chunk_tgt = sources[start:start + batch_size], targets[start:start + batch_size]
        src, src_mask = pad_batch(chunk_src, dev)
        tgt, tgt_mask = pad_batch(chunk_tgt, dev)
        pointers = [pointer_positions(n, target, actions)
                    for target, n in zip(chunk_tgt, lemma_lens[start:start + batch_size])]
        step_logps = []
        for net in nets:
            logits = teacher_forced_logits(net, src, src_mask, tgt, tgt_mask, pointers,
                                           lemma_lens[start:start + batch_size])
            step_logps.append(torch.log_softmax(logits.float(), dim=-1).gather(2, tgt[..., None]).squeeze(-1))
        logp = ensemble_logp(step_logps)  # (batch, steps): per step, log of the members' mean probability
        out += (logp * tgt_mask).sum(1).tolist()
    return out


class BatchClock:
    """Batch starts for `range(0, n, size)` that stop before a batch that would end past `deadline` (a
    `time.perf_counter()` time; None: never stop), judged by how long the previous batch took: the first batch
    is skipped only when the deadline has passed. Without a deadline, or with time enough, the batches are
    exactly those of the plain range, so results are the same to the bit."""

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline

    def batches(self, n: int, size: int) -> Iterator[int]:
        last = 0.0  # seconds the previous batch took
        for start in range(0, n, size):
            began = time.perf_counter()
            if self.deadline is not None and began + last > self.deadline:
                return
            yield start
            last = time.perf_counter() - began


def _strip(ids: list[int]) -> list[int]:
    return ids[: ids.index(EOS_ID)] if EOS_ID in ids else ids


def beam_decode(models, source: Sequence[int], lemma_len: int, beam: int, max_len: int,
                actions: bool, length_alpha: float = 0.0) -> list[tuple[list[int], float]]:
    """The `beam` best finished hypotheses for one source (`beam_decode_many` of that one source)."""
    return beam_decode_many(models, [source], [lemma_len], beam, max_len, actions, length_alpha)[0]


class _Search:
    """The beam search of one source inside `beam_decode_many`: its live hypotheses (tokens, summed
    log-prob, lemma pointer), its finished ones, and how many steps it may still take."""

    def __init__(self, steps: int) -> None:
        self.hyps: list[tuple[list[int], float, int]] = [([], 0.0, 0)]
        self.finished: list[tuple[list[int], float]] = []
        self.steps_left = steps


@torch.no_grad()
def beam_decode_many(models, sources: Sequence[Sequence[int]], lemma_lens: Sequence[int], beam: int,
                     max_len: int, actions: bool, length_alpha: float = 0.0, batch_size: int = 128,
                     deadline: float | None = None) -> list[list[tuple[list[int], float]]]:
    """Per source, the `beam` best finished hypotheses, best first: (ids without `</s>`, summed log-prob).

    `models` is one model or an ensemble (a list; next-token scores are the members' mean probability).
    Up to `batch_size` sources are searched together: the live hypotheses of all of them form one decoder
    batch per step (each reading its own source's encoder states), and each member's key/value cache is
    reordered to follow the hypotheses kept. Each source's search is the plain one-source beam search: at
    each step its best `2 * beam` extensions are taken in order until `beam` are live; a source stops when no
    live hypothesis can beat its `beam`-th finished one (log-probs only decrease) or, with `length_alpha` > 0,
    once `beam` have finished, where finished hypotheses are ranked by log-prob / (length + 1) ** alpha
    (length normalisation, which keeps long forms from losing to short ones merely for having more steps);
    the returned scores stay raw summed log-probabilities. A source whose step limit (twice its length + 10,
    at most `max_len`) comes with nothing finished returns its live hypotheses. Scores equal those of a
    one-source search up to float rounding (padded batches round differently), so a near-tie between two
    hypotheses can come out the other way (`benchmarks/bench_beam.py` counts such items).
    Speed: one decoder call per step for the whole batch instead of one per source (`bench_inflection.py`
    decoding figures in README). With `deadline`, the results may cover only a prefix of the sources
    (`BatchClock`).
    """
    nets = members(models)
    for net in nets:
        net.eval()
    dev = model_device(nets[0])

    def rank(h: tuple[list[int], float]) -> float:
        return h[1] / ((len(h[0]) + 1) ** length_alpha) if length_alpha else h[1]

    results: list[list[tuple[list[int], float]]] = []
    for start in BatchClock(deadline).batches(len(sources), batch_size):
        chunk, lens = sources[start:start + batch_size], list(lemma_lens[start:start + batch_size])
        ids, mask = pad_batch(chunk, dev)
        encoded = [encode(net, ids, mask, lens).last_hidden_state for net in nets]
        searches = [_Search(min(max_len, 2 * len(src) + 10)) for src in chunk]
        live = list(range(len(chunk)))  # the sources still searching, in batch order
        caches: list = [None] * len(nets)
        while live:
            rows = [s for s in live for _ in searches[s].hyps]  # the source of each batch row
            row_src = torch.tensor(rows, device=dev)
            hyps = [h for s in live for h in searches[s].hyps]
            last = torch.tensor([h[0][-1] if h[0] else BOS_ID for h in hyps], device=dev)
            ptr = torch.tensor([[min(h[2], lens[s]) if actions else -1] for h, s in zip(hyps, rows)], device=dev)
            row_ids, row_mask = ids[row_src], mask[row_src]
            step_logps = []
            for m, (net, states) in enumerate(zip(nets, encoded)):
                row_states = states[row_src]
                enc = BaseModelOutput(last_hidden_state=row_states)
                embeds = decoder_embeds(net, last[:, None], row_ids, ptr, row_states)
                step_out = net(encoder_outputs=enc, attention_mask=row_mask, cache=caches[m],
                               decoder_inputs_embeds=embeds, use_cache=True)
                caches[m] = step_out.cache
                step_logps.append(torch.log_softmax(step_out.logits[:, -1, :].float(), dim=-1))
            logp = ensemble_logp(step_logps)
            total = logp + torch.tensor([h[1] for h in hyps], device=dev)[:, None]
            width = logp.size(1)
            keep: list[int] = []  # batch rows the next step's hypotheses extend
            still: list[int] = []
            first = 0
            for s in live:
                search = searches[s]
                k = len(search.hyps)
                block = total[first:first + k]
                top = torch.topk(block.reshape(-1), min(beam * 2, block.numel()))
                new_hyps: list[tuple[list[int], float, int]] = []
                for score, flat in zip(top.values.tolist(), top.indices.tolist()):
                    src_h, tok = divmod(flat, width)
                    toks, _, pos = search.hyps[src_h]
                    if tok == EOS_ID:
                        search.finished.append((toks, score))
                    else:
                        new_hyps.append((toks + [tok], score, pos + (tok in (COPY_ID, DEL_ID))))
                        keep.append(first + src_h)
                    if len(new_hyps) >= beam:
                        break
                search.finished.sort(key=lambda h: -rank(h))
                search.finished = search.finished[:beam]
                search.steps_left -= 1
                done = (not new_hyps or search.steps_left == 0
                        or (len(search.finished) >= beam
                            and (length_alpha or new_hyps[0][1] <= search.finished[-1][1])))
                if done:
                    del keep[len(keep) - len(new_hyps):]  # its rows leave the batch
                    if not search.finished:  # nothing ended within the length limit: the live hypotheses
                        search.finished = [(h[0], h[1]) for h in (new_hyps or search.hyps)]
                else:
                    search.hyps = new_hyps
                    still.append(s)
                first += k
            live = still
            if live:
                order = torch.tensor(keep, device=dev)
                for cache in caches:
                    cache.reorder_cache(order)
        results += [sorted(search.finished, key=lambda h: -rank(h))[:beam] for search in searches]
    return results
