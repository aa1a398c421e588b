"""Training loop of the neural inflector: seeded, length-bucketed batches, label-smoothed cross-entropy,
AdamW with warm-up and linear decay, model selection on dev exact-match accuracy (greedy decoding).

Reproducible: the same data, hyper-parameters, seed and thread count give the same weights, as long as the
run stops on `max_steps` (a `max_minutes` cap stops wherever the clock says, which depends on the machine).
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import torch
import torch.nn.functional as F

from lexaug.inflection.neural_model import (NeuralHParams, build_model, greedy_decode, pad_batch, pointer_positions,
                                            teacher_forced_logits)
from lexaug.inflection.vocab import PAD_ID, CharVocab, nfc


@dataclass
class TrainLog:
    """What a training run did: steps, seconds, dev accuracy per evaluation, the selected checkpoint."""

    steps: int = 0
    seconds: float = 0.0
    best_dev: float | None = None
    best_step: int | None = None
    curve: list[tuple[int, float]] = field(default_factory=list)
    averaged: bool = False
    eval_seconds: float = 0.0  # duration of the last dev evaluation
    gave_up: bool = False  # stopped by `give_up`: dev still below the bar at the point


def _batches(examples: Sequence[tuple[Any, ...]], batch_size: int, rng: random.Random) -> list[list[int]]:
    """One epoch of batches: shuffle, sort pools of 50 batches by length (little padding), shuffle batches."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start:start + pool], key=lambda i: (len(examples[i][0]), len(examples[i][1])))
        batches += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def dev_accuracy(model, vocab: CharVocab, dev: Sequence[tuple[str, str, str]], max_len: int) -> float:
    """Exact-match accuracy (%, NFC) of greedy predictions on (lemma, form, features) triples."""
    if not dev:
        return 0.0
    hyps = greedy_decode(model, [vocab.encode_source(l, f) for l, _, f in dev], [len(nfc(l)) for l, _, _ in dev],
                         max_len, vocab.actions)
    right = sum(vocab.decode(ids, lemma) == nfc(form) for (ids, _), (lemma, form, _) in zip(hyps, dev))
    return 100.0 * right / len(dev)


def stalled(curve: Sequence[tuple[int, float]], patience: int) -> bool:
    """Dev patience has run out: none of the last `patience` evaluations beat the best before them. A model
    that has not yet got one dev form right is not stalled but not started (a character model can spend
    thousands of steps at 0% before it starts): it trains on until its time or steps run out."""
    if patience <= 0 or len(curve) <= patience or max(acc for _, acc in curve) == 0.0:
        return False
    return max(acc for _, acc in curve[-patience:]) <= max(acc for _, acc in curve[:-patience])


def below_bar_at(give_up: tuple[float, float], step: int, max_steps: int, start: float, end: float | None,
                 curve: Sequence[tuple[int, float]]) -> bool:
    """`give_up` = (share, bar): the point (`share` of the time from `start` to `end`, or of `max_steps` without
    an end) is reached and no dev evaluation in `curve` reached `bar` %."""
    share, bar = give_up
    reached = time.perf_counter() >= start + share * (end - start) if end is not None else step >= share * max_steps
    return reached and max(acc for _, acc in curve) < bar


def train_model(train: Sequence[tuple[str, str, str]], dev: Sequence[tuple[str, str, str]], vocab: CharVocab,
                hp: NeuralHParams, seed: int, threads: int | None = None,
                progress: Callable[[str], None] | None = None, device: str = "cpu",
                deadline: float | None = None, reserve_evals: float = 0, encoder: dict | None = None,
                give_up: tuple[float, float] | None = None):
    """Train a model on (lemma, form, features) triples and select it on `dev`.

    Args:
        train: training triples (real data, possibly repeated, plus hallucinated pairs).
        dev: triples for model selection; empty: keep the last weights.
        vocab, hp, seed: vocabulary, hyper-parameters, random seed.
        threads: `torch.set_num_threads` value (None: leave torch's setting).
        progress: called with one line per dev evaluation.
        device: torch device of the model ("cpu", "cuda", ...); the code path is the same.
        deadline: `time.perf_counter()` value by which training (with its final dev evaluations) must be
            over; the loop stops early enough to leave time for the last evaluation and checkpoint
            averaging. None: `hp.max_minutes` from now (0: no cap).
        reserve_evals: further dev evaluations' time to leave before the deadline (a caller's own tuning).
        encoder: a state dict of the encoder (of a network of the same size and vocabulary) to start from;
            with tied embeddings it also sets the decoder's token embeddings. None: random weights.
        give_up: (share, bar): stop at the first dev evaluation at or after `share` of the time to the deadline
            (without one: of `hp.max_steps`) if no evaluation so far reached `bar` % (`log.gave_up`).
    Returns:
        (model in eval mode, TrainLog).
    """
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = build_model(len(vocab), hp)
    if encoder is not None:
        model.get_encoder().load_state_dict(encoder)
    model.to(torch.device(device))  # type: ignore[arg-type]  # transformers types .to() oddly
    examples: list[tuple[list[int], list[int], list[int], int]] = []  # (source, target, pointers, lemma length)
    for lemma, form, feats in train:
        src_ids, tgt_ids = vocab.encode_source(lemma, feats), vocab.encode_target(form, lemma)[: hp.max_len]
        n = len(nfc(lemma))
        examples.append((src_ids, tgt_ids, pointer_positions(n, tgt_ids, vocab.actions), n))
    opt = torch.optim.AdamW(model.parameters(), lr=hp.lr, betas=(0.9, 0.98), weight_decay=0.01)

    def lr_at(step: int) -> float:
        """Linear warm-up, then linear decay to 10% at max_steps or at the time cap, whichever comes first."""
        if step < hp.warmup:
            return (step + 1) / hp.warmup
        done = (step - hp.warmup) / max(1, hp.max_steps - hp.warmup)
        if end is not None:
            done = max(done, (time.perf_counter() - start) / max(1e-9, end - start))
        return max(0.1, 1.0 - 0.9 * done)

    start = time.perf_counter()
    end = deadline if deadline is not None else (start + hp.max_minutes * 60 if hp.max_minutes > 0 else None)
    eval_seconds = 0.0  # duration of the last dev evaluation, kept in reserve before the deadline
    log = TrainLog()
    kept: list[tuple[float, int, dict]] = []  # (dev accuracy, step, weights) of the best checkpoints
    step = 0
    while step < hp.max_steps:
        for batch in _batches(examples, hp.batch_size, rng):
            model.train()
            src, src_mask = pad_batch([examples[i][0] for i in batch], device)
            tgt, tgt_mask = pad_batch([examples[i][1] for i in batch], device)
            logits = teacher_forced_logits(model, src, src_mask, tgt, tgt_mask, [examples[i][2] for i in batch],
                                           [examples[i][3] for i in batch])
            loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt.reshape(-1), ignore_index=PAD_ID,
                                   label_smoothing=hp.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            for group in opt.param_groups:
                group["lr"] = hp.lr * lr_at(step)
            opt.step()
            step += 1
            # reserve: the final evaluation, one for checkpoint averaging, and the caller's own tuning
            out_of_time = end is not None and time.perf_counter() + (3 + reserve_evals) * eval_seconds + 1.0 > end
            # under a clock, evaluate once by 40% of the budget at the latest, to learn what an evaluation
            # costs (an untrained model decodes long strings: the first evaluation can be the slowest)
            first_due = end is not None and not log.curve and time.perf_counter() > start + 0.4 * (end - start)
            if dev and (step % hp.eval_every == 0 or step >= hp.max_steps or out_of_time or first_due):
                t_eval = time.perf_counter()
                acc = dev_accuracy(model, vocab, dev, hp.max_len)
                eval_seconds = time.perf_counter() - t_eval
                log.curve.append((step, acc))
                kept.append((acc, step, copy.deepcopy(model.state_dict())))
                kept = sorted(kept, key=lambda k: (-k[0], -k[1]))[: max(1, hp.average_last)]
                if progress:
                    progress(f"step {step} loss {loss.item():.3f} dev {acc:.2f} "
                             f"({time.perf_counter() - start:.0f}s)")
            no_progress = stalled(log.curve, hp.patience)
            ending = step >= hp.max_steps or out_of_time or no_progress
            just_evaluated = bool(log.curve) and log.curve[-1][0] == step
            log.gave_up = (give_up is not None and just_evaluated and not ending
                           and below_bar_at(give_up, step, hp.max_steps, start, end, log.curve))
            if ending or log.gave_up:
                out_of_time = out_of_time or no_progress or log.gave_up
                break
        if out_of_time:
            break
    log.steps, log.eval_seconds = step, eval_seconds
    if kept:
        best_acc, best_step, best_state = kept[0]
        model.load_state_dict(best_state)
        log.best_dev, log.best_step = best_acc, best_step
        if len(kept) > 1:  # checkpoint averaging, kept only where it does not lose dev accuracy
            avg = {k: sum(s[k].float() for _, _, s in kept) / len(kept) if v.is_floating_point() else v
                   for k, v in best_state.items()}
            model.load_state_dict(avg)
            acc = dev_accuracy(model, vocab, dev, hp.max_len)
            if acc >= best_acc:
                log.best_dev, log.averaged = acc, True
            else:
                model.load_state_dict(best_state)
    log.seconds = time.perf_counter() - start
    model.eval()
    return model, log
