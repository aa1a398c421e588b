"""Feed throughput with on-the-fly synthesis beside tokenization alone of the same text, in the same run.

    python benchmarks/bench_feed.py [--text PATH] [--lexicon PATH] [--lines N] [--repeat 2] [--block-size 128]

Setup: a WordPiece tokenizer (vocabulary 8000) trained here on the KJV verses plus their synthesized version,
saved with `save_pretrained` and loaded back offline. Rows (each the best of `--repeat` interleaved rounds):

  tokenize only       the synthesized texts, pre-computed, tokenized in batches of 256 with the same encoder the
                      feed uses (the baseline)
  feed, synthesis     `Feed` over the plain KJV file with a `SynthSource` (substitute.v1, lex_en_xx.tsv):
                      read, shard, shuffle (buffer 10,000), synthesize, tokenize, pack, count the report;
                      synthesis runs inline (default), again in a prefetch thread (prefetch=2), and in one
                      spawned worker process (synth_workers=1; its CPU time is not counted: compare wall)
  tokenize plain      the plain KJV texts, tokenized the same way (second baseline)
  feed, plain         `Feed` over the plain file (no synthesis)

Overhead = (feed - tokenize only) / tokenize only, on CPU time of this process (all threads; less distorted by
other load on a shared machine than wall time, which is printed too). Each column is its best over the rounds. Target: synthesis overhead under 15%.
Set TOKENIZERS_PARALLELISM=false to measure the setting of DataLoader workers (one tokenizer thread each).
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lexaug.feed import CorpusSource, Feed, SynthSource  # noqa: E402
from lexaug.feed.tokenize_pack import batch_encoder  # noqa: E402

DATA = Path(os.environ.get("LEXAUG_SHARED_DATA") or ROOT.parent / "shared" / "data")


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(fn) -> tuple[float, float, int]:
    w, c = time.perf_counter(), cpu()
    tokens = fn()
    return time.perf_counter() - w, cpu() - c, tokens


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
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--block-size", type=int, default=128)
    args = ap.parse_args()

    from lexaug.io import read_records
    from lexaug.synthesis import SynthesisOptions, build

    work = Path(tempfile.mkdtemp(prefix="bench_feed_"))
    lines = Path(args.text).read_text(encoding="utf-8").splitlines()
    if args.lines:
        lines = lines[: args.lines]
    text_path = work / "corpus.txt"
    text_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gen = build(SynthesisOptions(langs=("xx",), lexicons=(args.lexicon,), seed=0)).generator
    synthesized = [r.slots[0] for r in gen.run(read_records(text_path), seed=0)]
    tokenizer = train_tokenizer(lines + synthesized, work / "tok")
    encode = batch_encoder(tokenizer)

    def tokenize(texts: list[str]):
        def run() -> int:
            return sum(len(ids) for i in range(0, len(texts), 256) for ids in encode(texts[i:i + 256]))
        return run

    def feed(synth: bool, prefetch: int = 0, workers: int = 0):
        def run() -> int:
            source = SynthSource(str(text_path), generator=gen, seed=0) if synth else CorpusSource(str(text_path))
            f = Feed([source], tokenizer, args.block_size, seed=0, prefetch=prefetch, synth_workers=workers)
            for _ in f:
                pass
            return f.report()["total"]["tokens"]
        return run

    rows = {"tokenize only (synthesized text)": tokenize(synthesized), "feed, on-the-fly synthesis": feed(True),
            "feed, synthesis, prefetch thread": feed(True, prefetch=2),
            "feed, synthesis in 1 worker process": feed(True, workers=1),
            "tokenize plain text": tokenize(lines), "feed, plain text": feed(False)}
    best: dict[str, tuple[float, float, int]] = {}
    for _ in range(args.repeat):
        for label, fn in rows.items():
            w, c, n = timed(fn)
            old = best.get(label, (w, c, n))
            best[label] = (min(w, old[0]), min(c, old[1]), n)  # best wall and best cpu, each over the rounds
    mb = sum(len(x.encode()) + 1 for x in lines) / 1e6
    print(f"feed benchmark: {len(lines):,} lines ({mb:.1f} MB) of {Path(args.text).name}, lexicon "
          f"{Path(args.lexicon).name}, block size {args.block_size}, best of {args.repeat}")
    print(f"tokenizer threads: {os.environ.get('TOKENIZERS_PARALLELISM', 'default (all cores)')}; "
          f"{os.cpu_count()} cpus; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':36} {'tokens':>10} {'wall s':>8} {'cpu s':>8} {'tokens/s (wall)':>16} {'tokens/s (cpu)':>15}")
    for label, (w, c, n) in best.items():
        print(f"{label:36} {n:>10,} {w:>8.2f} {c:>8.2f} {n / w:>16,.0f} {n / c:>15,.0f}")
    for feed_row, base_row in (("feed, on-the-fly synthesis", "tokenize only (synthesized text)"),
                               ("feed, synthesis, prefetch thread", "tokenize only (synthesized text)"),
                               ("feed, synthesis in 1 worker process", "tokenize only (synthesized text)"),
                               ("feed, plain text", "tokenize plain text")):
        fc, bc = best[feed_row][1], best[base_row][1]
        fw, bw = best[feed_row][0], best[base_row][0]
        print(f"overhead of {feed_row!r} over {base_row!r}: {100 * (fc - bc) / bc:+.1f}% cpu, "
              f"{100 * (fw - bw) / bw:+.1f}% wall")


if __name__ == "__main__":
    main()
