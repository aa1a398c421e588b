"""Every default value lexaug uses, in one place. The CLI reads these; it does not restate them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypedDict

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
CODESWITCH_CHOOSE = "token"  # with several target lexicons: pick the language per "token" or per "sentence"

# generators (lexaug.generators)
MAX_WEIGHT_SLOTS = 1000  # count weights summing above this are quantised to 1/1000 (largest remainder)
SURFACE_CACHE_SIZE = 500_000  # memoised surface forms per lexicon; cleared when full so memory stays bounded
MORPH_FALLBACK = "lexicon"  # morph.v1: no target form -> plain lexicon translation ("keep": leave the word)


class WordOptions(TypedDict, total=False):
    """Keyword arguments of `lexaug.generators.words.WordSpec` (typed so `WordSpec(**options)` checks)."""

    apostrophes: str
    hyphens: bool
    digits: bool
    pattern: str | None


# Per-language word options (lexaug.generators.words.WordSpec); languages not listed use WORD_PATTERN.
WORD_OPTIONS: dict[str, WordOptions] = {
    "fra": {"apostrophes": "elision", "hyphens": True},
    "ita": {"apostrophes": "elision"},
    "cat": {"apostrophes": "elision", "hyphens": True},
}

# lexicon loading (lexaug.loaders.lexicon)
LEXICON_STRICT = True  # a malformed row raises FormatError; False skips it and counts it by reason
LEXICON_STRIP_ANNOTATIONS = False  # `adrese (verb)` -> `adrese` only when asked
LEXICON_MAX_TARGET_WORDS: int | None = None  # None keeps every target; 3 drops definition-like glosses
LEXICON_EXTRA_COLUMNS = "error"  # or "ignore": use the first two of 3+ tab-separated columns

WORKERS = 1
CHUNK_RECORDS = 2000  # records per work unit handed to a worker process

# synthesize (lexaug.synthesis, lexaug.engines)
SYNTH_MODE = "substitute"  # or "codeswitch"
SUBSTITUTE_RATE = 1.0  # substitute replaces every word it can (Wang et al. 2022)
SUBSTITUTE_GENERATOR = "substitute.v3"  # --mode substitute: v2 adds source-side fallbacks, v3 repairs look-alike letters (bench_usefulness.py)
CODESWITCH_GENERATOR = "codeswitch.v2"  # --mode codeswitch: v2 reads the lexicons with look-alike letters repaired
MORPH_GENERATOR = "morph.v2"  # --morph: v2 reads the lexicon with look-alike letters repaired
SAMPLES = 1  # --samples K: K draws of every record
CLASSIFY_SAMPLES = 3  # evaluate classify: synthetic draws per training example (bench_usefulness.py)
# evaluate classify: fastText character n-grams (minn, maxn); (0, 0) = word features only. 3-5-grams help every
# condition on SIB-200 (bench_usefulness.py --char-ngrams) and on the UD first-person task (bench_classify.py)
CLASSIFY_CHAR_NGRAMS = (3, 5)
IN_FLIGHT_PER_WORKER = 2  # chunks read ahead per worker process: bounds memory whatever the corpus size
MANIFEST_SUFFIX = ".manifest.json"  # manifest written beside the output: <output>.manifest.json
STDOUT_MANIFEST = "lexaug-synthesize.manifest.json"  # manifest path when the output is stdout (-)
PROGRESS_AFTER_S = 1.0  # the stderr progress bar appears only for runs longer than this (and on a tty)

# corpus formats (lexaug.io)
JSONL_FIELD = "text"  # the JSONL field holding the text; dots reach nested keys ("doc.text")
PROVENANCE_KEY = "lexaug"  # key under which JSONL/MASSIVE writers splice a record's provenance
# longest input line read (MiB, UTF-8 bytes): a single line costs ~30x its size in memory while it is rewritten,
# so a longer one is an error naming the file and line (`lexaug synthesize --max-line-mb` raises it)
MAX_LINE_MB = 16
MAX_REPORTED_ERRORS = 10  # messages a lenient read keeps (all skipped records are still counted)


# resources (lexaug.catalog, lexaug.download)
DOWNLOAD_TIMEOUT_S = 60.0  # seconds without data before a download is abandoned
CATALOG_BASE_URL_ENV = "LEXAUG_CATALOG_BASE_URL"  # env var: mirror replacing the scheme and host of catalog URLs

# UniMorph tables (lexaug.loaders.unimorph)
UNIMORPH_STRICT = True  # a malformed row is an error; --lenient skips and counts it

# SIGMORPHON inflection (lexaug.inflection, lexaug.loaders.sigmorphon)
INFLECT_MODEL = "rules"  # or "neural"
INFLECT_COMPAT: str | None = None  # rules: "2020" reproduces the 2020-2022 ports' prefix/suffix detector
INFLECT_CONVENTION = "2022"  # scoring: "2022" positional + partitions, "2017" keyed by (lemma, features)
INFLECT_NORMALIZE: str | None = "NFC"  # forms compared after this normal form; None: raw strings
INFLECT_LAYOUT = "lemma-form-features"  # prediction files, as 2017-2022 gold files; 2023: lemma-features-form


# pretraining feed (lexaug.feed)
FEED_MODE = "packed"  # or "line": one padded/truncated block per text
FEED_STOPPING = "exhausted"  # an epoch covers each record once; "cycle": endless, weights hold throughout
FEED_SHUFFLE_BUFFER = 10_000  # records per source in the shuffle buffer (bounds memory)
FEED_TOKENIZE_BATCH = 256  # records drawn, synthesized and tokenized per batch
FEED_PREFETCH = 0  # batches read and synthesized ahead in a background thread (0: none; synthesis goes to a
#                   producer process by default, which also spares the training process's GIL; see README)
FEED_SYNTH_WORKERS = None  # producer processes (reading, mixing, synthesis); 0: in the feed's own process;
#                           None: 1 when a source synthesizes on the fly and >= 2 cores are usable, else 0
#                           (lexaug.feed.producers.auto_workers; see README "Pretraining feed")
FEED_BLOCKS_PER_SHARD = 10_000  # blocks per .npy shard file written by `lexaug feed`


def lexaug_home() -> Path:
    """Cache root: $LEXAUG_HOME, default ~/.cache/lexaug."""
    return Path(os.environ.get("LEXAUG_HOME") or Path.home() / ".cache" / "lexaug")


def unimorph_home() -> Path:
    """UniMorph cache root shared with the `unimorph` package: $UNIMORPH, default ~/.unimorph (as in unimorph 0.0.4,
    which keeps each language as a git clone in `<root>/<iso>/`, table `<iso>` or `<iso>.1`, `<iso>.2`...)."""
    return Path(os.environ.get("UNIMORPH") or Path.home() / ".unimorph")

# neural inflection (lexaug.inflection.neural) and hallucination (hallucinate.v1)
HALLUCINATE_MIN_STEM = 3  # Anastasopoulos & Neubig 2019
NEURAL_HALLUCINATE = 4000  # hallucinated pairs added to the training data (0: none)
NEURAL_REAL_REPEAT = 2  # copies of the real training pairs beside the hallucinated ones
NEURAL_BEAM = 5
NEURAL_ENSEMBLE = 3  # networks trained with seeds seed, seed+1, ... and decoded together (they share the budget)
# ensemble members that write characters instead of edit scripts (a mixed ensemble; README "2022 small, 3 seeds":
# better than the plain ensemble in most 2022 languages); used where the ensemble also has edit-script members
NEURAL_CHAR_MEMBERS = 1
# hallucinated pairs for those character members (at most `hallucinate`; the first ones of the same draw): with all
# 4,000 the character network often learned nothing (Hebrew, Pomak, Slovak); 1,000 is better than 4,000 in most 2022
# small languages over 3 seeds (benchmarks/results/INFLECTION_LOG.md "Session 18"), but not on 2023 (14 better, 9
# worse, one seed) or 2022 large (4 and 5), where the character network stalled in six files (same log, "Session 19")
NEURAL_CHAR_HALLUCINATE = 1000
# character members start from the encoder of the last edit-script member trained before them (`char_warm`); off
# until measured on every language: a one-seed paired screen of 9 tasks was better in 6, worse in 3
# (benchmarks/results/INFLECTION_LOG.md "Session 20")
NEURAL_CHAR_WARM = False
# A character member (starting from random weights) below this share of the best edit-script member's dev accuracy
# at half its time starts again from that member's encoder (`char_rescue`). Off: paired on the 7 runs whose cold
# character member had learned nothing (2023 amh, arz, heb, heb_unvoc; 2022 large got, poma; 2022 small heb seed 1),
# 0.1 fired in 5 and changed the ensemble by -3.66 to +1.11 (mean -0.40), within the noise of the 2 pairs where it
# did not fire (benchmarks/results/INFLECTION_LOG.md "Session 27")
NEURAL_CHAR_RESCUE = 0.0
# Measure the tuning reserve (the edit-script group's dev search, timed before the character member trains)
# instead of 34 greedy dev evaluations of member 2: in session 20's paired runs the character member trained
# 94-143 s against 190-198 s per edit-script member, tuning took 23-36 s and the runs ended 43-81 s early.
# Off: measured on one task (got, session 21), where its first factor ended the run 8.3 s past the budget.
NEURAL_MEASURE_RESERVE = False
# Hallucinated stem letters drawn from the replaced letter's own script (`hallucinate.v1` `same_script`): off until
# measured (Gothic 2022 writes half its training words in Gothic letters and half in Latin; without it half its
# hallucinated words mix the two)
HALLUCINATE_SAME_SCRIPT = False
# Composite tags enter whole and as parts (`tag_parts`, `tag_whole`) when at least this share of dev items holds a
# composite never seen whole in training (0: never). On since session 24: of the 2022 and 2023 shared tasks it turns
# on for 2022 small slp (14 of 40 dev items; +27.85 in each of 3 paired seeds) and ang (22%; +1.25 over 3) only, and
# trains every other task exactly as before (benchmarks/results/INFLECTION_LOG.md "Session 23", "Session 24")
NEURAL_AUTO_TAG_PARTS = 0.05
# Edit scripts keep each combining mark with its letter (`mark_clusters`) where the plain alignment moves a mark to
# another letter in at least one training pair; a file where no mark moves trains exactly as before. On since session
# 30: of the shared tasks it turns on for 2022 small bra, guj, heb, mag, 2022 large heb, and 2023 afb, arz, heb, klr,
# nav, san (and bel in full); paired (sessions 29-30) better in 8 of 10 tasks, Hebrew's edit-script networks in 6 of
# 6 (benchmarks/results/INFLECTION_LOG.md "Session 29", "Session 30")
NEURAL_AUTO_MARK_CLUSTERS = True
# Share of the dev rows moved into training (`dev_train`; the rest select and tune the model). Off: the official
# baselines the benchmark compares with train on the training rows only
NEURAL_DEV_TRAIN = 0.0
NEURAL_WORKERS = 1  # ensemble members trained at once, one process each (1: one after another)
NEURAL_THREADS = 1  # torch threads; 1 is fastest on small shared CPUs (OpenMP spin contention)
NEURAL_RULE_FALLBACK = True  # rule form where the model scores it within a margin of its own (margin chosen on dev; needs --dev)
NEURAL_MINUTES = 10.0  # `inflect train --model neural`: wall-clock budget per model (hallucination, training, tuning)
NEURAL_DEVICE = "auto"  # cpu, cuda, or auto (cuda when torch sees a GPU)

# synthesize manifests: the most frequent untranslated words (`counts.untranslated`). A chunk reports at most
# UNTRANSLATED_PER_CHUNK distinct words (its most frequent); the run keeps at most UNTRANSLATED_TRACKED (when
# more arrive, the least frequent half is dropped). Either cut makes the list approximate (the manifest says so).
UNTRANSLATED_TOP = 50
UNTRANSLATED_PER_CHUNK = 10_000
UNTRANSLATED_TRACKED = 200_000
