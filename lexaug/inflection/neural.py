"""`NeuralInflector`: a character-level encoder-decoder (tiny BART, `transformers`, trained from scratch).

Input: lemma characters then one token per feature tag, tags sorted (order-free); output: an edit script over
the lemma, or the form's characters (`actions=False`; a mixed ensemble has members of both kinds).
Training data can be enlarged by hallucination (`lexaug.generators.hallucinate`, Anastasopoulos & Neubig
2019); the model is selected on dev exact-match accuracy. A saved model is a `save_pretrained` directory
(`config.json`, weights) plus `vocab.json` and the `inflector.json` manifest (hyper-parameters, seed,
training log), loadable with `lexaug.inflection.base.load_inflector`. Needs the `neural` extra (torch).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from lexaug import defaults
from lexaug.errors import ConfigError, ResourceError
from lexaug.inflection.base import Inflector, Triple, read_manifest
from lexaug.inflection.neural_groups import MemberGroups, measured_reserve
from lexaug.inflection.neural_members import copy_rows, init_name
from lexaug.inflection.neural_options import (check_hparams, check_member_options, choose_mark_clusters,
                                              choose_tag_parts, move_dev_rows)
from lexaug.inflection.neural_serial import train_members_serial
from lexaug.inflection.vocab import CharVocab

VOCAB_FILE = "vocab.json"


def _torch():
    try:
        import torch
    except ImportError:  # pragma: no cover - depends on the environment
        raise ResourceError("the neural model needs torch: pip install 'lexaug[neural]'") from None
    return torch


FALLBACK_DIR = "fallback_rules"
MEMBER_DIR = "member"  # ensemble members after the first: <model dir>/member1, member2, ...
# Training under a wall-clock budget (`inflect train --minutes`, the benchmark): the clock and dev patience
# stop the run, not a step count.
BUDGET_HPARAMS: dict[str, Any] = {"max_steps": 1_000_000, "patience": 10}
DEVICES = ("cpu", "cuda", "auto")
def resolve_device(device: str) -> str:
    """"cpu", "cuda" or "auto" (cuda when torch sees a GPU, else cpu) -> the torch device name to use."""
    if device not in DEVICES:
        raise ConfigError(f"unknown device {device!r}; choose cpu, cuda or auto")
    if device == "cpu":
        return "cpu"
    available = bool(_torch().cuda.is_available())
    if device == "cuda" and not available:
        raise ConfigError("--device cuda: torch sees no GPU (torch.cuda.is_available() is False); use cpu or auto")
    return "cuda" if available else "cpu"


class NeuralInflector(MemberGroups, Inflector):
    """A trained neural inflection model (see module docstring). Build with `train` or `load`.

    `models` is one network or a list of them (an ensemble, decoded by the members' mean probability).
    `member_actions` says per member whether it writes edit scripts (True) or characters; a *mixed* ensemble
    has both kinds. Its two groups decode apart (each by its members' mean probability) and the candidates of
    both are ranked by (1 - w) * log P_scripts(form) + w * log P_chars(form), `w = char_weight` chosen on dev.
    With a `fallback` rule model, the model's form is replaced by the rule baseline's form where the model
    itself finds the rule form nearly as likely: log P(rule form) + `fallback_margin` >= log P(own form), both
    scored by the model (the margin is chosen on dev at training time). Models saved before the margin
    existed carry `fallback_below` instead: the rule form replaces a prediction whose probability is below it.
    A form that decodes to nothing (a network cut short by its budget, or barely trained) is never given: the
    rule baseline's form takes its place where the model has one, else the lemma; `replaced_empty` counts them
    (last `apply_fallback` call). An empty form would be an empty column, which reads back as "no form".
    """

    name = "neural"

    def __init__(self, models: Any, vocab: CharVocab, hparams: Any, beam: int = defaults.NEURAL_BEAM,
                 info: dict[str, Any] | None = None, fallback: Inflector | None = None,
                 fallback_below: float = 0.0, fallback_margin: float | None = None,
                 member_actions: Sequence[bool] | None = None, char_weight: float = 0.5) -> None:
        self.models = list(models) if isinstance(models, (list, tuple)) else [models]
        self.vocab, self.hparams, self.beam = vocab, hparams, beam
        self.member_actions = [vocab.actions] * len(self.models) if member_actions is None else list(member_actions)
        if len(self.member_actions) != len(self.models):
            raise ConfigError(f"{len(self.member_actions)} member kinds for {len(self.models)} networks")
        self.char_weight = char_weight
        # torch threads while decoding (as in training: on a small shared CPU more threads are much slower)
        self.threads: int | None = defaults.NEURAL_THREADS
        self.info = info or {}
        self.fallback, self.fallback_below, self.fallback_margin = fallback, fallback_below, fallback_margin
        self.replaced_empty = 0  # forms of the last `apply_fallback` call that decoded to nothing (class doc)

    @property
    def model(self) -> Any:
        """The first (or only) network."""
        return self.models[0]

    @classmethod
    def train(cls, train: Sequence[Triple], dev: Sequence[Triple] | None = None, *, seed: int = defaults.SEED,
              threads: int | None = defaults.NEURAL_THREADS, hallucinate: int = defaults.NEURAL_HALLUCINATE,
              real_repeat: int = defaults.NEURAL_REAL_REPEAT, beam: int = defaults.NEURAL_BEAM,
              device: str = "cpu", rule_fallback: bool = defaults.NEURAL_RULE_FALLBACK,
              ensemble: int = defaults.NEURAL_ENSEMBLE, char_members: int | None = None,
              char_hallucinate: int | None = None, char_copy: int = 0,
              char_warm: bool = defaults.NEURAL_CHAR_WARM, char_rescue: float = defaults.NEURAL_CHAR_RESCUE,
              workers: int = defaults.NEURAL_WORKERS,
              measure_reserve: bool = defaults.NEURAL_MEASURE_RESERVE,
              same_script: bool = defaults.HALLUCINATE_SAME_SCRIPT,
              auto_tag_parts: float = defaults.NEURAL_AUTO_TAG_PARTS,
              auto_mark_clusters: bool = defaults.NEURAL_AUTO_MARK_CLUSTERS,
              dev_train: float = defaults.NEURAL_DEV_TRAIN,
              progress: Callable[[str], None] | None = None,
              **hparams: Any) -> "NeuralInflector":
        """Train on (lemma, form, features) triples, selecting on `dev` exact match when given.

        Args:
            train, dev: training and model-selection triples.
            seed: seeds hallucination, initialisation and batch order (same seed + threads: same model).
            threads: `torch.set_num_threads` (None: torch's default).
            hallucinate: number of hallucinated pairs to add (0: none).
            real_repeat: copies of the real pairs, so they are not swamped by hallucinated ones.
            char_hallucinate: hallucinated pairs for the character members instead (the first ones of the
                same draw); None: `defaults.NEURAL_CHAR_HALLUCINATE` (1,000), or `hallucinate` if fewer.
            char_copy: pairs that copy a training word (lemma or form) under the reserved tag `neural_members.COPY_TAG`,
                added to the character members' data (autoencoding, Kann & Schuetze 2017: a character decoder
                must learn to copy the stem before it can inflect; edit-script members copy by construction).
                0: none.
            char_warm: each character member starts from the encoder (and the shared character embeddings)
                of the last edit-script member trained before it, not from random weights: a character decoder
                then starts from encoder states that already tell stem from ending. Members trained at the
                same time (`workers`) have none trained before them and start from random weights; the
                model's info says which member each started from (`init`).
            char_rescue: with `dev`, a character member that starts from random weights and has not reached this
                share of the best edit-script member's dev accuracy by `neural_serial.RESCUE_AT` of its time (of
                its steps without a clock) starts again from the last edit-script member's encoder for the time
                left (as `char_warm`); the member's info records the cold start (`rescue`). 0: never. Needs
                `workers=1`.
            measure_reserve: under a budget, with `dev`, in a mixed ensemble trained one member after another:
                search dev with the edit-script members as soon as they are trained and keep back, for the
                tuning after the character members, 5 times that search's time
                (`neural_groups.TUNING_PER_EDIT_SEARCH`), instead of `reserve_evals` greedy dev evaluations
                of the last member; the weight tuning reuses the search.
            same_script: hallucinated stem letters are drawn from the replaced letter's own script
                (`hallucinate.v1`'s `same_script`).
            auto_tag_parts: with `dev`, turn on `tag_parts` and `tag_whole` when at least this share of dev items
                holds a composite tag never seen whole in training (`vocab.unseen_composite_share`); 0: never.
                The share and the choice go in the model's info (`auto_tag_parts`).
            auto_mark_clusters: turn on `mark_clusters` (edit scripts copy a combining mark only with its letter)
                when the plain alignment moves a mark to another letter in at least one training pair
                (`vocab.moved_mark_pairs`); false: `mark_clusters` as given. The count and the choice go in the
                model's info (`auto_mark_clusters`).
            dev_train: share of the dev rows (a draw seeded by `seed`) moved into the training data before
                anything else (hallucination, vocabulary, the rule fallback); the rest select and tune the
                model. 0: dev is for selection only. The counts go in the model's info (`dev_train`).
            beam: beam width used by `inflect` and `predict_many` (1: batched greedy search).
            device: "cpu", "cuda" or "auto" (GPU when torch sees one); the code path is the same.
            rule_fallback: with `dev`, also train the rule baseline and use its form where the model scores
                it within a margin of its own form, the margin chosen on dev (none when no margin helps).
            ensemble: number of networks trained (seeds `seed`, `seed + 1`, ...) and decoded together by
                their mean probability; under a budget they share it (a member that stops early on dev
                patience leaves its time to the next ones).
            char_members: how many of the `ensemble` members write characters instead of edit scripts (the
                last ones); with both kinds the ensemble is mixed (class doc) and, given `dev`, the weight of
                the character members is chosen on dev. None: `defaults.NEURAL_CHAR_MEMBERS` where the
                ensemble has room for an edit-script member beside them and members write edit scripts
                (`actions`), else 0, so `ensemble=1` or `actions=false` alone keep one kind of member.
            workers: ensemble members trained at the same time, one process each with `threads` torch threads
                (`neural_parallel`; CPU only): with `workers >= ensemble` every member trains for the whole
                budget. 1: one after another in this process.
            progress: called with a line per dev evaluation.
            hparams: fields of `NeuralHParams` (layers, d_model, max_steps, max_minutes, batch_size, ...);
                `max_minutes` bounds the whole call (hallucination, training, dev evaluations, tuning).
        """
        import time

        t0 = time.perf_counter()  # the budget counts from here: importing torch is part of it
        from lexaug.generators.hallucinate import hallucinate as make_hallucinated
        from lexaug.inflection.neural_model import NeuralHParams

        if not train:
            raise ConfigError("the neural model needs at least one training pair")
        fields = {name: f.default for name, f in NeuralHParams.__dataclass_fields__.items()}
        check_hparams(hparams, fields)
        hp = NeuralHParams(**hparams)
        train, dev, moved = move_dev_rows(train, dev, dev_train, seed)
        if moved and progress is not None:
            progress(f"{moved['rows']} of the dev rows join the training data; {moved['selection_rows']} stay "
                     f"for model selection (dev_train={moved['share']:g})")
        hp, auto_parts = choose_tag_parts(hp, train, dev, auto_tag_parts)
        if auto_parts.get("on") and progress is not None:
            progress(f"composite tags enter whole and as their parts: {auto_parts['dev_share']:.1%} of dev items "
                     f"hold one never seen whole in training (auto_tag_parts={auto_parts['threshold']:g})")
        hp, auto_marks = choose_mark_clusters(hp, train, auto_mark_clusters)
        if auto_marks.get("on") and progress is not None:
            progress(f"combining marks stay with their letters in edit scripts: the plain alignment moves a mark to "
                     f"another letter in {auto_marks['moved']} of {auto_marks['pairs']} training pairs "
                     "(auto_mark_clusters)")
        char_members, workers = check_member_options(
            ensemble=ensemble, workers=workers, char_members=char_members, actions=hp.actions,
            hallucinate=hallucinate, char_hallucinate=char_hallucinate, real_repeat=real_repeat, beam=beam,
            char_copy=char_copy, char_rescue=char_rescue,
            flags={"char_warm": char_warm, "measure_reserve": measure_reserve, "same_script": same_script})
        device_name = resolve_device(device)
        if workers > 1 and device_name != "cpu":
            raise ConfigError(f"workers={workers} trains ensemble members in parallel CPU processes; "
                              f"on {device_name} use workers=1")
        member_actions = [hp.actions] * (ensemble - char_members) + [False] * char_members
        copies = copy_rows(train, char_copy, seed) if char_copy and not all(member_actions) else []
        vocab = CharVocab.build(list(train) + copies, actions=hp.actions, tag_parts=hp.tag_parts,
                                tag_whole=hp.tag_whole, mark_clusters=hp.mark_clusters)
        mixed = len(set(member_actions)) > 1
        if not char_members:
            char_hallucinate = hallucinate
        elif char_hallucinate is None:
            char_hallucinate = min(hallucinate, defaults.NEURAL_CHAR_HALLUCINATE)
        real = list(train) * max(1, real_repeat)
        stats: dict[str, int] = {}
        fake: list[Triple] = []
        if max(hallucinate, char_hallucinate) > 0:
            fake, stats = make_hallucinated(train, max(hallucinate, char_hallucinate), seed=seed,
                                            same_script=same_script)
        data = real + fake[:hallucinate]
        member_data = [data if acts else real + fake[:char_hallucinate] + copies for acts in member_actions]
        deadline = t0 + hp.max_minutes * 60 if hp.max_minutes > 0 else None
        # Under a budget the last member (the last round, in parallel) leaves time for the ensemble's own dev
        # decoding (fallback tuning): one dev evaluation per further member. A mixed ensemble also searches dev
        # with both groups at `beam` and scores every candidate under both to choose its weight: the beam-5
        # search alone measured about 5 greedy one-network evaluations on Middle Low German; with 6 more, 5 of
        # 15 languages ended 3.9 to 13.6 s past 600 s (Pomak: 27 s from the last member's end to the run's);
        # with 16, seed 1 ended up to 2.0 s past in 2 of 23 and seed 2 up to 7.6 s past in 4 (Slovak: 45.8 s of
        # tuning). Timed on 6 saved seed-1 models (session 13), the weight and fallback tuning took 14.7 to 26.5
        # times one dev evaluation of the second member (Itelmen 26.5), so 26; with 26, Slovak large ran 601.5 s
        # (tuning 45.9 s, about 27 evaluations), and re-timed on 4 saved models (session 15: Slovak, Itelmen,
        # Pomak, Braj) the tuning took 16.0 to 27.4. So 32: a sixth above the most seen.
        reserve_evals = ensemble - 1 + 32 * mixed
        known = None  # with measure_reserve: the edit-script group's dev candidates, searched before the rest
        searched = measured = 0.0
        rescues: dict[int, dict[str, Any]] = {}  # member index -> its cold start, where `char_rescue` restarted it
        if workers > 1:
            from lexaug.inflection.neural_parallel import train_members_parallel

            nets, logs, starts = train_members_parallel(data, list(dev or []), vocab, hp, seed=seed,
                                                        ensemble=ensemble, workers=workers, threads=threads,
                                                        deadline=deadline, progress=progress,
                                                        member_actions=member_actions, reserve_evals=reserve_evals,
                                                        member_data=member_data, char_warm=char_warm)
        else:
            edit_search = None
            if measure_reserve and deadline is not None and dev and mixed:  # search dev before the character member
                def edit_search(edit_nets: list[Any]) -> tuple[dict[bool, Any], float, float]:
                    return measured_reserve(cls(edit_nets, vocab, hp, beam=beam,
                                                member_actions=[True] * len(edit_nets)), dev)
            serial = train_members_serial(member_data, list(dev or []), vocab, hp, seed=seed,
                                          member_actions=member_actions, threads=threads, device=device_name,
                                          deadline=deadline, reserve_evals=reserve_evals, char_warm=char_warm,
                                          char_rescue=char_rescue, edit_search=edit_search, progress=progress)
            nets, logs, starts, rescues = serial.nets, serial.logs, serial.starts, serial.rescues
            known, searched, measured = serial.known, serial.searched, serial.measured
        log = logs[0]
        info = {"seed": seed, "threads": threads, "workers": workers, "device": device_name,
                "hallucinate": hallucinate, "real_repeat": real_repeat, "hallucination_stats": stats,
                **({"same_script": True} if same_script else {}),
                **({"auto_tag_parts": auto_parts} if auto_parts else {}),
                **({"auto_mark_clusters": auto_marks} if auto_marks else {}),
                **({"dev_train": moved} if moved else {}),
                **({"char_rescue": char_rescue} if char_rescue else {}),
                **({"char_hallucinate": char_hallucinate} if char_hallucinate != hallucinate else {}),
                **({"char_copy": len(copies)} if copies else {}),
                "train_pairs": len(train), "steps": log.steps, "best_dev": log.best_dev, "best_step": log.best_step,
                "averaged": log.averaged, "curve": log.curve, "budget_minutes": hp.max_minutes}
        if ensemble > 1:
            info["ensemble"] = ensemble
            info["members"] = [{"seed": seed + i, "steps": m.steps, "seconds": round(m.seconds, 3),
                                "best_dev": m.best_dev, "best_step": m.best_step, "averaged": m.averaged,
                                "writes": "edit scripts" if member_actions[i] else "characters",
                                "init": init_name(starts[i]), **({"rescue": rescues[i]} if i in rescues else {})}
                               for i, m in enumerate(logs)]
        made = cls(nets, vocab, hp, beam=beam, info=info, member_actions=member_actions)
        trained = time.perf_counter()
        if known:
            info["reserve"] = {"edit_search_seconds": round(searched, 1), "seconds": round(measured, 1)}
        # the tuning stops at the deadline: what it has not reached of dev by then is left out (`BatchClock`)
        dev_forms = made._tune_char_weight(dev, known, deadline) if mixed and dev else None
        if rule_fallback and dev:
            made._tune_fallback(train, dev, dev_forms, deadline)
        cut = [(what, info[key]["dev_items"]) for key, what in (("char_weight_dev", "character weight"),
                                                                 ("fallback_dev", "rule fallback"))
               if "dev_items" in info.get(key, {})]
        if cut and progress is not None:
            progress(f"the budget ran out while tuning on dev ({len(dev or [])} items): "
                     + ", ".join(f"{what} chosen on {n}" for what, n in cut))
        info["tuning_seconds"] = round(time.perf_counter() - trained, 1)  # weight and fallback tuning on dev
        info["seconds"] = round(time.perf_counter() - t0, 1)
        return made

    def inflect(self, lemma: str, features: str) -> list[tuple[str, float]]:
        """Up to `beam` forms with probabilities (exp of summed log-probabilities), best first; forms that
        decode to the same string are merged (probabilities added). A mixed ensemble ranks the union of its
        groups' forms (up to 2 x `beam`) by exp of its weighted score (`score_forms`) and gives the best `beam`."""
        return self._ranked([(lemma, features)], self.beam)[0][:self.beam]

    def predict_scored(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, float]]:
        """The model's best form per (lemma, features) with its probability, in order, without the fallback:
        batched greedy search (beam 1), else beam search."""
        return self._decode(list(pairs), self.beam)

    def predict_many(self, pairs: Iterable[tuple[str, str]]) -> list[str]:
        """Best form per (lemma, features), in order (`predict_scored`, then `apply_fallback`)."""
        pairs = list(pairs)
        return self.apply_fallback(pairs, self.predict_scored(pairs))

    def save(self, directory: str | Path) -> None:
        """`save_pretrained` files, `vocab.json`, and `inflector.json` (hyper-parameters, beam, training log)."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        _quiet_transformers()
        self.models[0].save_pretrained(path)
        for i, net in enumerate(self.models[1:], start=1):  # further ensemble members in their own folders
            net.save_pretrained(path / f"{MEMBER_DIR}{i}")
        self.vocab.save(path / VOCAB_FILE)
        if self.fallback is not None:
            self.fallback.save(path / FALLBACK_DIR)
        self.write_manifest(path, version=1, hparams=self.hparams.to_dict(), beam=self.beam, info=self.info,
                            members=len(self.models), member_actions=self.member_actions,
                            char_weight=self.char_weight,
                            fallback_below=self.fallback_below if self.fallback is not None else 0.0,
                            fallback_margin=self.fallback_margin if self.fallback is not None else None)

    @classmethod
    def load(cls, directory: str | Path) -> "NeuralInflector":
        """Read a directory written by `save` (local files only, never the hub)."""
        _torch()
        _quiet_transformers()
        from transformers import BartForConditionalGeneration

        from lexaug.inflection.neural_model import NeuralHParams, generation_config

        path = Path(directory)
        manifest = read_manifest(path)
        if not (path / VOCAB_FILE).is_file():
            raise ResourceError(f"{path}: no {VOCAB_FILE}; the model directory is incomplete, retrain it")
        known = set(NeuralHParams.__dataclass_fields__)
        hp = NeuralHParams(**{k: v for k, v in manifest.get("hparams", {}).items() if k in known})
        count = manifest.get("members", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ResourceError(f"{path}: inflector.json has members={count!r}, not a positive integer; "
                                "retrain the model")
        nets = []
        for folder in [path] + [path / f"{MEMBER_DIR}{i}" for i in range(1, count)]:
            try:
                net = BartForConditionalGeneration.from_pretrained(folder, local_files_only=True)
            except (OSError, ValueError, RuntimeError) as err:
                raise ResourceError(f"{folder}: the model weights cannot be read "
                                    f"({str(err).splitlines()[0][:200]}); retrain the model") from None
            net.generation_config = generation_config(hp.max_len)
            net.eval()
            nets.append(net)
        try:
            vocab = CharVocab.load(path / VOCAB_FILE)
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
            raise ResourceError(f"{path / VOCAB_FILE}: not a vocabulary written by lexaug "
                                f"({type(err).__name__}); retrain the model") from None
        fallback = None
        below = float(manifest.get("fallback_below", 0.0) or 0.0)
        margin = manifest.get("fallback_margin")
        if margin is not None and (isinstance(margin, bool) or not isinstance(margin, (int, float))
                                   or not math.isfinite(margin)):
            raise ResourceError(f"{path}: inflector.json has fallback_margin={margin!r}, not a number; "
                                "retrain the model")
        if below > 0 or margin is not None:
            from lexaug.inflection.rules import RuleInflector

            fallback = RuleInflector.load(path / FALLBACK_DIR)
        kinds = manifest.get("member_actions", [vocab.actions] * count)
        weight = manifest.get("char_weight", 0.5)
        if (not isinstance(kinds, list) or len(kinds) != count or not all(isinstance(k, bool) for k in kinds)
                or isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight <= 1):
            raise ResourceError(f"{path}: inflector.json has member_actions={kinds!r}, char_weight={weight!r}: "
                                f"expected {count} true/false values and a weight in [0, 1]; retrain the model")
        return cls(nets, vocab, hp, beam=int(manifest.get("beam", 1)),
                   info=manifest.get("info", {}), fallback=fallback, fallback_below=below,
                   fallback_margin=None if margin is None else float(margin), member_actions=kinds,
                   char_weight=float(weight))


def _quiet_transformers() -> None:
    """No progress bars from `transformers` when saving or loading weights (they are not our output)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
