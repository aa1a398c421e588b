"""What each member of a neural ensemble trains on and starts from: copy pairs for the character members
(`char_copy`), the member whose encoder a character member starts from (`char_warm`) and the dev accuracy a
character member must reach before it is started again from there (`char_rescue`). No torch."""

from __future__ import annotations

import random
from typing import Any, Sequence

from lexaug.errors import ConfigError
from lexaug.inflection.base import Triple
from lexaug.inflection.vocab import nfc

COPY_TAG = "LEXAUG_COPY"  # feature tag of `char_copy` pairs (never a UniMorph tag)


def copy_rows(train: Sequence[Triple], count: int, seed: int) -> list[Triple]:
    """`count` pairs (word, word, `COPY_TAG`) over the distinct NFC lemmas and forms of `train`, in a seeded
    order, cycling through them when `count` is larger."""
    words = sorted({nfc(word) for lemma, form, _ in train for word in (lemma, form) if word})
    for _, _, features in train:
        if COPY_TAG in features.split(";"):
            raise ConfigError(f"char_copy: the training data uses the reserved tag {COPY_TAG}; drop char_copy")
    random.Random(seed).shuffle(words)
    return [(words[i % len(words)], words[i % len(words)], COPY_TAG) for i in range(count)] if words else []


def last_edit_member(member_actions: Sequence[bool]) -> int | None:
    """Index of the last edit-script member among those trained so far (None: none)."""
    edits = [i for i, acts in enumerate(member_actions) if acts]
    return edits[-1] if edits else None


def rescue_bar(share: float, earlier_actions: Sequence[bool], earlier_logs: Sequence[Any]) -> float | None:
    """`char_rescue`'s bar for the next character member: `share` of the best dev accuracy (%) of the edit-script
    members trained before it (their `TrainLog`s); None where there is nothing to judge by (share 0, no
    edit-script member before it, or none with a dev accuracy)."""
    edits = [log.best_dev for acts, log in zip(earlier_actions, earlier_logs) if acts and log.best_dev is not None]
    if not share or not edits:
        return None
    return share * max(edits)


def init_name(start: int | None) -> str:
    """How a member's weights started, for the model's info (`char_warm`)."""
    return "random" if start is None else f"encoder of member {start + 1}"
