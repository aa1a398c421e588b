"""`lexaug feed` as a library call: options -> sources (synthesis built with `lexaug.synthesis.build`) ->
`Feed` -> shards and `report.json` (see `lexaug.feed.writer` for the folder layout)."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lexaug import __version__, defaults
from lexaug.errors import ConfigError
from lexaug.feed.writer import verify_shards, write_json_atomic

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")  # sources that --text-field applies to


@dataclass
class FeedOptions:
    """What a `lexaug feed` run depends on (the CLI's options, one field each)."""

    tokenizer: str
    block_size: int
    sources: tuple[str, ...] = ()
    synth: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    lexicons: tuple[str, ...] = ()
    synth_mode: str = defaults.SYNTH_MODE
    rate: float | None = None
    src_lang: str = defaults.SRC_LANG
    text_field: str | None = None
    line_by_line: bool = False
    stopping: str = defaults.FEED_STOPPING
    shuffle_buffer: int = defaults.FEED_SHUFFLE_BUFFER
    seed: int = defaults.SEED
    epochs: int | None = None
    max_blocks: int | None = None
    rank: int = 0
    world_size: int = 1
    synth_workers: int | None = defaults.FEED_SYNTH_WORKERS
    blocks_per_shard: int = defaults.FEED_BLOCKS_PER_SHARD
    lexicon_lenient: bool = False  # --synthesize: skip malformed lexicon rows (as `synthesize --lexicon-lenient`)
    samples: int = 1  # --synthesize: K draws of every record, ids <id>#<k> (as `synthesize --samples`)
    max_line_mb: float = defaults.MAX_LINE_MB  # longest input line read, in MB (as `synthesize --max-line-mb`)


def build_sources(options: FeedOptions) -> tuple[list[Any], dict[str, Any] | None]:
    """The feed sources of `options`, and the synthesis signature (None without --synthesize)."""
    from lexaug.feed.sources import CorpusSource, SynthSource, parse_weighted

    if not options.sources and not options.synth:
        raise ConfigError("give at least one --source or --synthesize")
    if not options.synth:
        unused = [name for name, given in (("--lang", options.langs), ("--lexicon", options.lexicons),
                                           ("--rate", options.rate is not None),
                                           ("--mode", options.synth_mode != defaults.SYNTH_MODE),
                                           ("--samples", options.samples != 1),
                                           ("--src-lang", options.src_lang != defaults.SRC_LANG)) if given]
        if unused:
            verb = "applies" if len(unused) == 1 else "apply"
            raise ConfigError(f"{', '.join(unused)} {verb} only to --synthesize sources, and none is given; add "
                              "--synthesize SRC_PATH[:WEIGHT], or drop " + ", ".join(unused))
    fmt_opts = {"field": options.text_field} if options.text_field else {}
    sources: list[Any] = []
    for spec in options.sources:
        path, weight = parse_weighted(spec)
        opts = fmt_opts if path.endswith(JSONL_SUFFIXES) else {}
        sources.append(CorpusSource(path, weight, format_options=opts, max_line_mb=options.max_line_mb))
    signature = None
    if options.synth:
        from lexaug.generators.samples import check_samples
        from lexaug.synthesis import SynthesisOptions, build

        if not options.langs:
            raise ConfigError("--synthesize needs --lang (and --lexicon, or a cached lexicon)")
        check_samples(options.samples)
        built = build(SynthesisOptions(langs=options.langs, mode=options.synth_mode, src_lang=options.src_lang,
                                       lexicons=options.lexicons, rate=options.rate, seed=options.seed,
                                       lexicon_lenient=options.lexicon_lenient))
        signature = {**built.generator.signature(), "targets": list(built.targets),
                     "lexicon_sha256": built.lexicon_sha256}
        if options.samples > 1:
            signature["samples"] = options.samples
        for spec in options.synth:
            path, weight = parse_weighted(spec)
            opts = fmt_opts if path.endswith(JSONL_SUFFIXES) else {}
            sources.append(SynthSource(path, weight, format_options=opts, max_line_mb=options.max_line_mb,
                                       generator=built.generator, seed=options.seed, samples=options.samples))
    total = sum(s.weight for s in sources)  # as the mixer adds them
    if not math.isfinite(total):
        raise ConfigError(f"the source weights sum to {total} (overflow: "
                          f"{', '.join(repr(s.weight) for s in sources)}); use smaller weights, only their ratios "
                          "matter (e.g. 1 and 3)")
    return sources, signature


CHECKPOINT = "checkpoint.json"  # in the output folder while a run is under way: what `--resume` continues from


def _checksum(data: dict[str, Any]) -> str:
    """sha256 of a checkpoint's content (its canonical JSON), stored beside it: any edit or damage shows."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, allow_nan=False).encode("utf-8")).hexdigest()


def _inputs(options: FeedOptions, signature: dict[str, Any] | None) -> dict[str, Any]:
    """What the stream depends on besides the options: each source file's size and modification time, the
    tokenizer folder's sha256 (its files are small) and the synthesis signature (lexicon sha256 included)."""
    from lexaug.feed.sources import parse_weighted

    files = {}
    for spec in (*options.sources, *options.synth):
        path = parse_weighted(spec)[0]
        st = Path(path).stat()
        files[path] = [st.st_size, st.st_mtime_ns]
    digest = hashlib.sha256()
    folder = Path(options.tokenizer)
    for file in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(file.name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return json.loads(json.dumps({"files": files, "tokenizer": digest.hexdigest(), "synthesis": signature}))


def _same_inputs(saved: Any, now: dict[str, Any], options: FeedOptions, fix: str) -> None:
    """ConfigError naming the first input that changed since the checkpoint was written."""
    if not isinstance(saved, dict):
        raise ConfigError(f"{CHECKPOINT}: no record of the inputs; {fix}")
    for path, stat in now["files"].items():
        if saved.get("files", {}).get(path) != stat:
            raise ConfigError(f"{path}: source file changed since the interrupted run (size or modification time); "
                              f"restore it, or {fix}")
    if saved.get("tokenizer") != now["tokenizer"]:
        raise ConfigError(f"{options.tokenizer}: tokenizer folder changed since the interrupted run; restore it, "
                          f"or {fix}")
    if saved.get("synthesis") != now["synthesis"]:
        lexicons = ", ".join(options.lexicons) or "the cached lexicon"
        raise ConfigError(f"{lexicons}: the synthesis (lexicon sha256 or generator settings) changed since the "
                          f"interrupted run; restore it, or {fix}")


def _read_checkpoint(output_dir: str, options: FeedOptions, inputs: dict[str, Any]) -> dict[str, Any]:
    """The checkpoint of `output_dir`, checked: its own checksum, the options and inputs (`_inputs`), and every
    shard it lists (sizes and sha256). Raises ConfigError naming the damaged or changed file and the fix."""
    path = Path(output_dir) / CHECKPOINT
    fix = f"delete the folder {output_dir} (or pick another --output) and rerun without --resume"
    if not path.is_file():
        raise ConfigError(f"{output_dir}: no {CHECKPOINT} to resume from (a run writes it after each shard); "
                          "run without --resume")
    try:
        checkpoint = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        what = "empty" if path.stat().st_size == 0 else f"not valid JSON ({str(err).splitlines()[0][:120]})"
        raise ConfigError(f"{path}: checkpoint is {what}: damaged or truncated; {fix}") from None
    if not isinstance(checkpoint, dict) or not {"options", "inputs", "shards", "feed_state", "sha256"} \
            <= set(checkpoint) or not isinstance(checkpoint["options"], dict):
        raise ConfigError(f"{path}: not a lexaug feed checkpoint (expected options, inputs, shards, feed_state "
                          f"and sha256); {fix}")
    recorded = checkpoint.pop("sha256")
    if recorded != _checksum(checkpoint):
        raise ConfigError(f"{path}: checkpoint content does not match its sha256 (edited or damaged); {fix}")
    saved, now = checkpoint["options"], json.loads(json.dumps(asdict(options)))
    # every option shapes the stream except where synthesis runs (same blocks for any --synth-workers) and the
    # bound on line length (a run stopped at a long line continues with a raised --max-line-mb)
    changed = sorted(k for k in set(saved) | set(now)
                     if saved.get(k) != now.get(k) and k not in ("synth_workers", "max_line_mb"))
    if changed:
        raise ConfigError(f"{path}: the interrupted run had other options ({', '.join(changed)}); resume with the "
                          "same options, or write to another --output folder")
    _same_inputs(checkpoint["inputs"], inputs, options, fix)
    blocks = verify_shards(output_dir, checkpoint["shards"], fix=fix)
    state = checkpoint["feed_state"]
    if not isinstance(state, dict) or state.get("blocks") != blocks:
        raise ConfigError(f"{path}: the checkpoint's shards hold {blocks:,} blocks, its feed state "
                          f"{state.get('blocks') if isinstance(state, dict) else None!r}; {fix}")
    return checkpoint


def _write_checkpoint(output_dir: str, options: FeedOptions, inputs: dict[str, Any], feed: Any, writer: Any) -> None:
    """The feed's state after the blocks of the shards written so far, with the shards' sizes and sha256, the
    inputs' fingerprint and a checksum of its own (renamed into place: never half-written)."""
    data: dict[str, Any] = {"options": asdict(options), "inputs": inputs, "shards": writer.shards,
                            "feed_state": feed.state_dict()}
    data = json.loads(json.dumps(data))  # the JSON form, as `_read_checkpoint` sees it
    data["sha256"] = _checksum(data)
    write_json_atomic(Path(output_dir) / CHECKPOINT, data)


MAX_BLOCK_SIZE = 1 << 20  # tokens per block: far above any model's context, far below what exhausts memory


def _check_ranges(options: FeedOptions) -> None:
    """Option values out of range, or options that would do nothing: ConfigError naming the option."""
    if options.block_size > MAX_BLOCK_SIZE:
        raise ConfigError(f"--block-size {options.block_size:,} is above {MAX_BLOCK_SIZE:,} tokens; give the "
                          "model's context length (e.g. 512)")
    if options.world_size < 1:
        raise ConfigError(f"--world-size must be >= 1, got {options.world_size}")
    if options.shuffle_buffer < 0:
        raise ConfigError(f"--shuffle-buffer must be >= 0 (0: file order), got {options.shuffle_buffer}")
    from lexaug.feed.sources import parse_weighted

    paths = [parse_weighted(spec)[0] for spec in (*options.sources, *options.synth)]
    if options.text_field and not any(path.endswith(JSONL_SUFFIXES) for path in paths):
        raise ConfigError("--text-field only applies to JSONL sources (.jsonl, .jsonl.gz, .jsonl.zst), and none "
                          "is given; drop --text-field")


def missing_folders(path: str | Path) -> list[Path]:
    """`path` and those of its parent folders that do not exist yet, deepest first (what `mkdir -p` makes)."""
    out = []
    folder = Path(path).absolute()
    while not folder.exists() and folder != folder.parent:
        out.append(folder)
        folder = folder.parent
    return out


def run_feed(options: FeedOptions, output_dir: str, *, resume: bool = False) -> str:
    """Run the feed for one rank and write its shards and report under `output_dir`; returns a summary line.

    After each shard the feed's state goes to `checkpoint.json`; with `resume`, a run that was interrupted
    continues from its last shard and writes exactly the shards an uninterrupted run writes."""
    from lexaug.feed.feed import Feed
    from lexaug.feed.tokenize_pack import Packer
    from lexaug.feed.writer import ShardWriter

    _check_ranges(options)
    if options.epochs is not None and options.epochs < 1:
        raise ConfigError(f"--epochs must be >= 1 (default 1), got {options.epochs}")
    if options.max_blocks is not None and options.max_blocks < 1:
        raise ConfigError(f"--max-blocks must be >= 1, got {options.max_blocks}")
    if options.stopping == "cycle" and options.max_blocks is None:
        raise ConfigError("--stopping cycle never ends by itself: give --max-blocks")
    if options.stopping == "cycle" and options.epochs is not None:
        raise ConfigError("--epochs counts exhausted epochs; with --stopping cycle use --max-blocks")
    start = time.perf_counter()
    sources, signature = build_sources(options)
    feed = Feed(sources, options.tokenizer, options.block_size, mode="line" if options.line_by_line else "packed",
                seed=options.seed, rank=options.rank, world_size=options.world_size,
                shuffle_buffer=options.shuffle_buffer, stopping=options.stopping, synth_workers=options.synth_workers,
                epochs=None if options.stopping == "cycle" else (options.epochs or 1))
    shards = None
    inputs = _inputs(options, signature)
    if resume:
        checkpoint = _read_checkpoint(output_dir, options, inputs)
        try:
            feed.load_state_dict(checkpoint["feed_state"])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, ConfigError) as err:
            raise ConfigError(f"{Path(output_dir) / CHECKPOINT}: the saved feed state does not fit this feed "
                              f"({type(err).__name__}: {err}); delete the folder {output_dir} (or pick another "
                              "--output) and rerun without --resume") from None
        shards = checkpoint["shards"]
    elif (Path(output_dir) / CHECKPOINT).exists():
        raise ConfigError(f"{output_dir} holds an interrupted feed ({CHECKPOINT}): add --resume to continue it, or "
                          "choose an empty --output folder")
    made = missing_folders(output_dir)
    try:
        writer = ShardWriter(output_dir, options.block_size, options.blocks_per_shard, shards=shards,
                             on_flush=lambda w: _write_checkpoint(output_dir, options, inputs, feed, w))
        left = None if options.max_blocks is None else max(0, options.max_blocks - writer.blocks)
        for block in itertools.islice(feed, left):
            writer.add(block)
        writer.finish()
    except BaseException:  # a bad record, Ctrl-C: no empty folder left behind (one holding a checkpoint stays)
        for folder in made:
            try:
                folder.rmdir()
            except OSError:  # not empty
                break
        raise
    report = feed.report()
    elapsed = time.perf_counter() - start
    tok = feed.tokenizer
    packer = Packer(tok, options.block_size, feed.mode)
    report.update(lexaug_version=__version__, command="feed", options=asdict(options), synthesis=signature,
                  elapsed_s=round(elapsed, 3))
    write_json_atomic(Path(output_dir, "report.json"), report, indent=2, ensure_ascii=False)
    writer.close({"mode": feed.mode, "tokenizer": str(options.tokenizer),
                  "special_tokens": {"start": packer.start, "end": packer.end,
                                     "pad": getattr(tok, "pad_token_id", None),
                                     "unk": getattr(tok, "unk_token_id", None)},
                  "seed": options.seed, "rank": options.rank, "world_size": options.world_size,
                  "report": "report.json"})
    Path(output_dir, CHECKPOINT).unlink(missing_ok=True)
    total = report["total"]
    return (f"feed: {report['blocks']:,} blocks of {options.block_size} tokens from {total['records']:,} texts "
            f"({total['tokens']:,} tokens, fertility {total['fertility']:.3f}, unknown {100 * total['unk_rate']:.2f}%)"
            f"; {elapsed:.1f} s -> {output_dir}")

