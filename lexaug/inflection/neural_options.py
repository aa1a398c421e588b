"""Checks of the neural inflector's options (hyper-parameters, the ensemble's counts and flags), the choice of how
composite feature tags enter the model and of whether edit scripts keep combining marks with their letters
(`auto_mark_clusters`), the share of dev rows moved into training (`dev_train`), the character-member rescue's bar
(`char_rescue`). Pure Python (no torch)."""

from __future__ import annotations

import dataclasses
import math
import random
from typing import Any, Sequence

from lexaug import defaults
from lexaug.errors import ConfigError
from lexaug.inflection.vocab import moved_mark_pairs, unseen_composite_share

Triple = tuple[str, str, str]


def check_hparams(values: dict[str, Any], fields: dict[str, Any]) -> None:
    """Reject unknown hyper-parameter names, and values of the wrong type or out of range, with one `ConfigError`
    line.

    `fields` maps names to their defaults (the dataclass defaults give the expected types).
    """
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(f"unknown neural option(s) {', '.join(unknown)}; known: {', '.join(sorted(fields))}")
    for key, value in values.items():
        default = fields[key]
        if isinstance(default, bool):
            ok = isinstance(value, bool)
            kind = "true or false"
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
            kind = "an integer"
        else:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            kind = "a number"
        if not ok:
            raise ConfigError(f"option {key}={value!r}: expected {kind} (e.g. -o {key}={default!r})".replace(
                "True", "true").replace("False", "false"))
    positive = ("layers", "d_model", "ffn", "heads", "batch_size", "max_steps", "eval_every", "max_len",
                "average_last")
    merged = {**fields, **values}
    for key in positive:
        if merged[key] < 1:
            raise ConfigError(f"option {key}={merged[key]}: must be at least 1")
    for key in ("warmup", "patience", "max_minutes", "length_alpha", "lr"):
        if merged[key] < 0:
            raise ConfigError(f"option {key}={merged[key]}: must not be negative")
    if not 0 <= merged["dropout"] < 1 or not 0 <= merged["label_smoothing"] < 1:
        raise ConfigError("options dropout and label_smoothing must lie in [0, 1)")
    if merged["lr"] == 0:
        raise ConfigError("option lr=0: the model would not learn; give a positive learning rate")
    if merged["d_model"] % merged["heads"]:
        raise ConfigError(f"option d_model={merged['d_model']} is not a multiple of heads={merged['heads']}")


def choose_tag_parts(hp: Any, train: Sequence[Triple], dev: Sequence[Triple] | None,
                     auto_tag_parts: float) -> tuple[Any, dict[str, Any]]:
    """`hp` with `tag_parts` and `tag_whole` turned on when `auto_tag_parts` > 0 and at least that share of `dev`
    items holds a composite tag never seen whole in `train`; the decision for the model's info ({} when no
    decision was made). Raises ConfigError for `tag_whole` without `tag_parts` or a share outside [0, 1]."""
    if hp.tag_whole and not hp.tag_parts:
        raise ConfigError("option tag_whole=true keeps composite tags whole beside their parts: "
                          "add -o tag_parts=true")
    if isinstance(auto_tag_parts, bool) or not isinstance(auto_tag_parts, (int, float)) \
            or not 0 <= auto_tag_parts <= 1:
        raise ConfigError(f"option auto_tag_parts={auto_tag_parts!r}: expected a share between 0 and 1 "
                          "(e.g. -o auto_tag_parts=0.05; 0: never)")
    if not (auto_tag_parts and dev and not hp.tag_parts):
        return hp, {}
    share = unseen_composite_share(train, dev)
    decision = {"threshold": auto_tag_parts, "dev_share": round(share, 4), "on": share >= auto_tag_parts}
    if decision["on"]:
        hp = dataclasses.replace(hp, tag_parts=True, tag_whole=True)
    return hp, decision


def choose_mark_clusters(hp: Any, train: Sequence[Triple], auto: bool) -> tuple[Any, dict[str, Any]]:
    """`hp` with `mark_clusters` turned on when `auto` and the plain alignment copies a combining mark off its
    letter in at least one training pair (`vocab.moved_mark_pairs`); a file where no mark moves trains exactly as
    with the option off. Returns the decision for the model's info ({} when none was made: the rule off or the
    option already on). Raises ConfigError for an `auto` that is not true or false."""
    if not isinstance(auto, bool):
        raise ConfigError(f"option auto_mark_clusters={auto!r}: expected true or false "
                          "(e.g. -o auto_mark_clusters=false)")
    if not auto or hp.mark_clusters:
        return hp, {}
    moved = moved_mark_pairs((lemma, form) for lemma, form, _ in train)
    decision = {"moved": moved, "pairs": len(train), "on": moved > 0}
    if decision["on"]:
        hp = dataclasses.replace(hp, mark_clusters=True)
    return hp, decision


def move_dev_rows(train: Sequence[Triple], dev: Sequence[Triple] | None, share: float,
                  seed: int) -> tuple[Sequence[Triple], Sequence[Triple] | None, dict[str, Any]]:
    """Move `share` of the dev rows (a seeded draw, `floor(share * len(dev))` rows) to the end of the training
    rows; the rest, in file order, stay for model selection and tuning. Returns (train, dev, info for the
    model's `dev_train`); share 0: the inputs unchanged and {}. Raises ConfigError for a share outside [0, 1)
    or a share without dev rows."""
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share < 1:
        raise ConfigError(f"option dev_train={share!r}: expected a share from 0 up to but not including 1 "
                          "(e.g. -o dev_train=0.5; 0: dev rows are for selection only)")
    if not share:
        return train, dev, {}
    if not dev:
        raise ConfigError(f"option dev_train={share:g} needs dev rows (--dev) to move into training; "
                          "give --dev or drop the option")
    count = math.floor(share * len(dev))  # below len(dev): at least one row stays for selection
    picked = set(random.Random(seed).sample(range(len(dev)), count))
    moved = [row for i, row in enumerate(dev) if i in picked]
    kept = [row for i, row in enumerate(dev) if i not in picked]
    return list(train) + moved, kept, {"share": share, "rows": count, "selection_rows": len(kept)}


def check_member_options(*, ensemble: Any, workers: Any, char_members: Any, actions: bool, hallucinate: Any,
                         char_hallucinate: Any, real_repeat: Any, beam: Any, char_copy: Any, char_rescue: Any,
                         flags: dict[str, Any]) -> tuple[int, int]:
    """Check the ensemble's options (counts, true/false `flags`, `char_rescue`) with one `ConfigError` line each,
    and return (`char_members`, `workers`): `char_members` None becomes `defaults.NEURAL_CHAR_MEMBERS` where the
    ensemble has room for an edit-script member beside them and members write edit scripts (`actions`), else 0;
    `workers` is at most `ensemble`."""
    if char_members is None:
        wanted = defaults.NEURAL_CHAR_MEMBERS
        char_members = wanted if actions and isinstance(ensemble, int) and ensemble > wanted else 0
    for key, value, low in (("hallucinate", hallucinate, 0), ("real_repeat", real_repeat, 1), ("beam", beam, 1),
                            ("ensemble", ensemble, 1), ("workers", workers, 1), ("char_members", char_members, 0),
                            ("char_hallucinate", hallucinate if char_hallucinate is None else char_hallucinate, 0),
                            ("char_copy", char_copy, 0)):
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ConfigError(f"option {key}={value!r}: expected an integer of at least {low}")
    for key, flag in flags.items():
        if not isinstance(flag, bool):
            raise ConfigError(f"option {key}={flag!r}: expected true or false")
    workers = min(workers, ensemble)
    check_char_rescue(char_rescue, workers)
    if char_members > ensemble:
        raise ConfigError(f"option char_members={char_members}: at most ensemble={ensemble} members")
    if char_members and not actions:
        raise ConfigError("char_members mixes edit-script and character members; with actions=false every "
                          "member writes characters already: drop char_members")
    return char_members, workers


def check_char_rescue(share: float, workers: int) -> None:
    """Reject a `char_rescue` share outside [0, 1], and a rescue with members trained at the same time (it needs
    the edit-script members trained before the character member), with one `ConfigError` line."""
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise ConfigError(f"option char_rescue={share!r}: expected a share between 0 and 1 "
                          "(e.g. -o char_rescue=0.1; 0: never)")
    if share and workers > 1:
        raise ConfigError(f"option char_rescue={share:g} restarts a character member from an edit-script member "
                          f"trained before it; with workers={workers} members train at the same time: use workers=1")
