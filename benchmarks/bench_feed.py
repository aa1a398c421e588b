"""Feed throughput with on-the-fly synthesis beside tokenization alone of the same text, in the same run.

    python benchmarks/bench_feed.py [--text PATH] [--lexicon PATH] [--lines N] [--repeat-corpus K] [--repeat 3]
                                    [--parallelism both|true|false] [--block-size 128]

Setup: a WordPiece tokenizer (vocabulary 8000) trained here on the KJV verses plus their synthesized version,
saved with `save_pretrained` and loaded back offline. `--repeat-corpus K` feeds the corpus K times over (one
file, K copies), which makes the one-off start-up a smaller part of the run. Rows (run interleaved, `--repeat`
rounds, each under both tokenizer thread settings unless `--parallelism` picks one):

  tokenize only       the synthesized texts, pre-computed, tokenized in batches of the feed's batch size (256)
                      with the same encoder the feed uses (the baseline of the synthesis rows)
  feed, synth in-process       `Feed` over the plain file with a `SynthSource` (substitute.v1, lex_en_xx.tsv):
                      read, shard, shuffle (buffer 10,000), synthesize, tokenize, pack, count the report, all in
                      this process (synth_workers=0)
  feed, synth + prefetch thread   the same with the batches made in a background thread (prefetch=2)
  feed, synth in 1 producer    reading, mixing and synthesis in one producer process (synth_workers=1, the
                      default on >= 2 cores), tokenizing and packing here
  tokenize plain / feed, plain text   the same without synthesis (second baseline; the feed in-process)

Columns: `start s` wall seconds until the first block (first batch for the baselines: includes a producer's
start-up); `wall s` whole run; `steady s` wall after the first block; `cpu s` CPU of this (the training)
process, all its threads; `steady cpu` the same after the first block; `child s` CPU of producer processes
(`RUSAGE_CHILDREN`, start-up included); `tok/s` tokens per steady wall second. Each column is its best over the
rounds. Overheads compare each feed row with its baseline under the same thread setting: own CPU and wall of
the whole run, their steady-state values, and total CPU (own + children). The 15% target is about the training
process; a producer runs on another core, and total CPU says what that costs. Wall time needs a free core to
mean anything: see the load average printed. TOKENIZERS_PARALLELISM=false is the setting of DataLoader workers
(one tokenizer thread each); the default lets the Rust tokenizer use all cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lexaug import defaults  # noqa: E402
from lexaug.feed import CorpusSource, Feed, SynthSource  # noqa: E402
from lexaug.feed.tokenize_pack import batch_encoder  # noqa: E402

DATA = Path(os.environ.get("LEXAUG_SHARED_DATA") or ROOT.parent / "shared" / "data")
FIELDS = ("start", "wall", "steady", "cpu", "steady_cpu", "child", "total")


def cpu(who: int = resource.RUSAGE_SELF) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def measure(run: Callable[[], tuple[Iterator[object], Callable[[], int]]]) -> dict[str, float]:
    """Times of one run: `run()` gives (an iterator of units, a function giving the tokens once exhausted)."""
    w0, c0, k0 = time.perf_counter(), cpu(), cpu(resource.RUSAGE_CHILDREN)
    units, tokens = run()
    next(units)
    w1, c1 = time.perf_counter(), cpu()
    for _ in units:
        pass
    w2, c2, k2 = time.perf_counter(), cpu(), cpu(resource.RUSAGE_CHILDREN)
    own, child = c2 - c0, k2 - k0
    return {"start": w1 - w0, "wall": w2 - w0, "steady": w2 - w1, "cpu": own, "steady_cpu": c2 - c1,
            "child": child, "total": own + child, "tokens": tokens()}


def train_tokenizer(lines: list[str], folder: Path):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(lines, trainers.WordPieceTrainer(
        vocab_size=8000, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
    PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                            sep_token="[SEP]", mask_token="[MASK]").save_pretrained(str(folder))
    return AutoTokenizer.from_pretrained(str(folder), local_files_only=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", default=str(DATA / "text" / "kjv_verses.txt"))
    ap.add_argument("--lexicon", default=str(DATA / "bench" / "lex_en_xx.tsv"))
    ap.add_argument("--lines", type=int, default=0, help="use only the first N lines (0: all)")
    ap.add_argument("--repeat-corpus", type=int, default=1, help="feed the corpus K times over (one file)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (best of)")
    ap.add_argument("--parallelism", choices=("both", "true", "false"), default="both",
                    help="TOKENIZERS_PARALLELISM settings to run (the variable is read at each call)")
    ap.add_argument("--block-size", type=int, default=128)
    args = ap.parse_args()

    from lexaug.io import read_records
    from lexaug.synthesis import SynthesisOptions, build

    work = Path(tempfile.mkdtemp(prefix="bench_feed_"))
    lines = Path(args.text).read_text(encoding="utf-8").splitlines()
    if args.lines:
        lines = lines[: args.lines]
    corpus = lines * max(1, args.repeat_corpus)
    text_path = work / "corpus.txt"
    text_path.write_text("\n".join(corpus) + "\n", encoding="utf-8")
    gen = build(SynthesisOptions(langs=("xx",), lexicons=(args.lexicon,), seed=0)).generator
    synthesized = [r.slots[0] for r in gen.run(read_records(text_path), seed=0)]
    tokenizer = train_tokenizer(lines + synthesized[: len(lines)], work / "tok")
    encode = batch_encoder(tokenizer)
    size = defaults.FEED_TOKENIZE_BATCH

    def tokenize(texts: list[str]):
        def run():
            counted = [0]

            def units() -> Iterator[int]:
                for i in range(0, len(texts), size):
                    counted[0] += sum(map(len, encode(texts[i:i + size])))
                    yield i
            return units(), lambda: counted[0]
        return run

    def feed(synth: bool, workers: int = 0, prefetch: int = 0):
        def run():
            source = SynthSource(str(text_path), generator=gen, seed=0) if synth else CorpusSource(str(text_path))
            f = Feed([source], tokenizer, args.block_size, seed=0, batch_size=size, synth_workers=workers,
                     prefetch=prefetch)
            return iter(f), lambda: f.report()["total"]["tokens"]
        return run

    base, plain = "tokenize only (synthesized text)", "tokenize plain text"
    rows = {base: tokenize(synthesized), "feed, synth in-process": feed(True),
            "feed, synth + prefetch thread": feed(True, prefetch=2),
            "feed, synth in 1 producer process": feed(True, workers=1),
            plain: tokenize(corpus), "feed, plain text": feed(False)}
    compare = [(label, base) for label in list(rows)[1:4]] + [("feed, plain text", plain)]
    settings = ("true", "false") if args.parallelism == "both" else (args.parallelism,)
    best: dict[tuple[str, str], dict[str, float]] = {}
    loads = [os.getloadavg()[0]]
    for _ in range(args.repeat):
        for setting in settings:
            os.environ["TOKENIZERS_PARALLELISM"] = setting
            for label, fn in rows.items():
                got = measure(fn)
                old = best.setdefault((setting, label), got)
                for key in FIELDS:
                    old[key] = min(old[key], got[key])
            loads.append(os.getloadavg()[0])
    mb = sum(len(x.encode()) + 1 for x in corpus) / 1e6
    print(f"feed benchmark: {len(corpus):,} lines ({mb:.1f} MB; {Path(args.text).name} x{max(1, args.repeat_corpus)}), "
          f"lexicon {Path(args.lexicon).name}, block size {args.block_size}, batch {size}, best of {args.repeat}")
    print(f"{os.cpu_count()} cpus; load average (1 min) {loads[0]:.1f} before, {min(loads[1:]):.1f}-"
          f"{max(loads[1:]):.1f} during/after the rounds")
    for setting in settings:
        print(f"\nTOKENIZERS_PARALLELISM={setting}"
              f"{' (Rust tokenizer on all cores)' if setting == 'true' else ' (one tokenizer thread)'}")
        print(f"{'':36} {'tokens':>10} {'start s':>7} {'wall s':>6} {'steady s':>8} {'cpu s':>6} "
              f"{'steady cpu':>10} {'child s':>7} {'total':>6} {'tok/s':>10}")
        for label in rows:
            r = best[setting, label]
            print(f"{label:36} {r['tokens']:>10,.0f} {r['start']:>7.2f} {r['wall']:>6.2f} {r['steady']:>8.2f} "
                  f"{r['cpu']:>6.2f} {r['steady_cpu']:>10.2f} {r['child']:>7.2f} {r['total']:>6.2f} "
                  f"{r['tokens'] / r['steady']:>10,.0f}")
        print("overhead over the baseline: own cpu (steady) | wall (steady) | total cpu | start-up s")
        for label, ref in compare:
            f, b = best[setting, label], best[setting, ref]

            def pct(key: str) -> str:
                return f"{100 * (f[key] - b[key]) / b[key]:+.1f}%"
            print(f"  {label:34} {pct('cpu'):>7} ({pct('steady_cpu'):>7}) | {pct('wall'):>7} ({pct('steady'):>7})"
                  f" | {pct('total'):>7} | {f['start']:.2f}")


if __name__ == "__main__":
    main()
