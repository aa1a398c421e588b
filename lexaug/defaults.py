"""Every default value lexaug uses, in one place. The CLI reads these; it does not restate them."""

from __future__ import annotations

import os
from pathlib import Path

# Words: a letter followed by letters and combining marks (never split at a mark: Devanagari, NFD Yoruba).
WORD_PATTERN = r"\p{L}[\p{L}\p{M}]*"

SEED = 0
SRC_LANG = "eng"
CASE_FOLD = True

# substitute
MIN_REPLACEMENTS = 0  # Wang et al. 2022 used 3; 0 keeps every record
WEIGHTING = "uniform"  # or "count"

# codeswitch (CoSDA-ML style)
CODESWITCH_RATE = 0.3
CODESWITCH_SENTENCE_RATE = 1.0

# lexicon loading (lexaug.loaders.lexicon)
LEXICON_STRICT = True  # a malformed row raises FormatError; False skips it and counts it by reason
LEXICON_STRIP_ANNOTATIONS = False  # `adrese (verb)` -> `adrese` only when asked
LEXICON_MAX_TARGET_WORDS: int | None = None  # None keeps every target; 3 drops definition-like glosses
LEXICON_EXTRA_COLUMNS = "error"  # or "ignore": use the first two of 3+ tab-separated columns

WORKERS = 1
CHUNK_RECORDS = 2000  # records per work unit handed to a worker process

# corpus formats (lexaug.io)
JSONL_FIELD = "text"  # the JSONL field holding the text; dots reach nested keys ("doc.text")
PROVENANCE_KEY = "lexaug"  # key under which JSONL/MASSIVE writers splice a record's provenance
MAX_REPORTED_ERRORS = 10  # messages a lenient read keeps (all skipped records are still counted)


def lexaug_home() -> Path:
    """Cache root: $LEXAUG_HOME, default ~/.cache/lexaug."""
    return Path(os.environ.get("LEXAUG_HOME") or Path.home() / ".cache" / "lexaug")


def unimorph_home() -> Path:
    """UniMorph cache root shared with the `unimorph` package: $UNIMORPH, default ~/.unimorph."""
    return Path(os.environ.get("UNIMORPH") or Path.home() / ".unimorph")
