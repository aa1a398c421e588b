"""`lexaug feed`: mix, tokenize and pack training text into `.npy` shards plus `report.json`."""

from __future__ import annotations

import click

from lexaug import defaults
from lexaug_cli.options import max_line_mb_option


@click.command("feed")
@click.option("--tokenizer", "tokenizer_dir", required=True, type=click.Path(file_okay=False),
              help="Folder of a transformers tokenizer (save_pretrained); loaded offline.")
@click.option("--block-size", type=int, required=True, help="Tokens per block.")
@click.option("--source", "sources", multiple=True, metavar="PATH[:WEIGHT]",
              help="A text (.txt, one record per line), JSONL (.jsonl) or table (.tsv whose header names a text "
                   "column: its text cells; another .tsv is CoNLL) file, real or already synthesized, with its "
                   "sampling weight (default 1). Repeatable.")
@click.option("--synthesize", "synth", multiple=True, metavar="SRC_PATH[:WEIGHT]",
              help="A source-language corpus synthesized on the fly with --lang/--lexicon/--mode. Repeatable.")
@click.option("--lang", "langs", multiple=True, help="Target language of --synthesize (as in `lexaug synthesize`).")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(dir_okay=False),
              help="Bilingual lexicon file(s) for --synthesize (default: the catalog cache).")
@click.option("--samples", type=int, default=1, show_default=True,
              help="--synthesize: K different draws of every record (ids <id>#<k>, as `lexaug synthesize --samples`).")
@click.option("--lexicon-lenient", is_flag=True, help="Skip malformed lexicon rows (as in `lexaug synthesize`).")
@click.option("--mode", type=click.Choice(["substitute", "codeswitch"]), default=defaults.SYNTH_MODE,
              show_default=True, help="Synthesis mode of --synthesize.")
@click.option("--rate", type=float, default=None, help="Synthesis replacement rate (as in `lexaug synthesize`).")
@click.option("--src-lang", default=defaults.SRC_LANG, show_default=True, help="Language of --synthesize corpora.")
@click.option("--text-field", default=None,
              help=f"JSONL sources: the field holding the text (default {defaults.JSONL_FIELD!r}).")
@max_line_mb_option
@click.option("--line-by-line", is_flag=True, help="One padded/truncated block per text instead of packing.")
@click.option("--stopping", type=click.Choice(["exhausted", "cycle"]), default=defaults.FEED_STOPPING,
              show_default=True, help="exhausted: an epoch covers each record once; cycle: sources repeat so "
                                      "the weights hold throughout (needs --max-blocks).")
@click.option("--shuffle-buffer", type=int, default=defaults.FEED_SHUFFLE_BUFFER, show_default=True,
              help="Records per source in the shuffle buffer (0: file order).")
@click.option("--seed", type=int, default=defaults.SEED, show_default=True, help="Seed of mixing, shuffling, synthesis.")
@click.option("--epochs", type=int, default=None, help="Epochs to write (exhausted; default 1).")
@click.option("--max-blocks", type=int, default=None, help="Stop after this many blocks.")
@click.option("--rank", type=int, default=0, show_default=True, help="Write only this rank's shard of the stream.")
@click.option("--world-size", type=int, default=1, show_default=True, help="Number of ranks.")
@click.option("--synth-workers", type=int, default=defaults.FEED_SYNTH_WORKERS,
              help="Producer processes for reading, mixing and on-the-fly synthesis (0: in this process; default: 1 "
                   "with --synthesize on >= 2 cores, else 0). Output is identical for any value.")
@click.option("--blocks-per-shard", type=int, default=defaults.FEED_BLOCKS_PER_SHARD, show_default=True,
              help="Blocks per .npy shard file.")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted run in --output from its last written shard (checkpoint.json); same "
                   "options required. The shards are those an uninterrupted run writes.")
@click.option("--output", "output_dir", required=True, type=click.Path(file_okay=False),
              help="Output folder: index.json, input_ids-NNNNN.npy, attention_mask-*, special_tokens_mask-*, "
                   "report.json.")
def feed(tokenizer_dir: str, block_size: int, sources: tuple[str, ...], synth: tuple[str, ...],
         langs: tuple[str, ...], lexicons: tuple[str, ...], mode: str, rate: float | None, src_lang: str,
         text_field: str | None, line_by_line: bool, stopping: str, shuffle_buffer: int, seed: int,
         epochs: int | None, max_blocks: int | None, rank: int, world_size: int, synth_workers: int,
         blocks_per_shard: int, resume: bool, output_dir: str, lexicon_lenient: bool, samples: int,
         max_line_mb: float) -> None:
    """Mix real, synthesized and on-the-fly synthesized text; tokenize; pack into fixed-size blocks.

    \b
    Example:
      lexaug feed --tokenizer tok/ --block-size 128 --source real.txt:0.5 \\
        --synthesize english.txt:0.5 --lang xx --lexicon en_xx.tsv --max-blocks 10000 --output feed/

    Load the shards with numpy (np.load) or datasets (Dataset.from_dict(lexaug.feed.load_shards(DIR))).
    """
    from lexaug.feed.cli_run import FeedOptions, run_feed

    options = FeedOptions(
        tokenizer=tokenizer_dir, block_size=block_size, sources=sources, synth=synth, langs=langs,
        lexicons=lexicons, synth_mode=mode, rate=rate, src_lang=src_lang, text_field=text_field,
        line_by_line=line_by_line, stopping=stopping, shuffle_buffer=shuffle_buffer, seed=seed, epochs=epochs,
        max_blocks=max_blocks, rank=rank, world_size=world_size, synth_workers=synth_workers,
        blocks_per_shard=blocks_per_shard, lexicon_lenient=lexicon_lenient, samples=samples,
        max_line_mb=max_line_mb,
    )
    click.echo(run_feed(options, output_dir, resume=resume), err=True)
