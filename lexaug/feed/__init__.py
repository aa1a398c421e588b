"""lexaug.feed: the streaming pretraining feed (mix real, synthesized and on-the-fly synthesized text; shard
across ranks and DataLoader workers; shuffle in a bounded buffer; tokenize with a `transformers` tokenizer;
pack into fixed-size blocks; resume exactly from `state_dict()`).

    from lexaug.feed import CorpusSource, SynthSource, Feed
    feed = Feed([CorpusSource("real.txt", 0.7), CorpusSource("synth.jsonl", 0.3)], "tokenizer_dir", 128)
    for block in feed: ...   # {"input_ids", "attention_mask", "special_tokens_mask"}: lists of block_size ints

torch is imported only by `as_torch_dataset`; numpy only by the shard writer/loader.
"""

from lexaug.feed.feed import Feed, resolve_worker
from lexaug.feed.report import SourceStats, build_report
from lexaug.feed.sources import CorpusSource, SynthSource, parse_weighted
from lexaug.feed.tokenize_pack import Packer, batch_encoder, load_tokenizer
from lexaug.feed.torch_adapter import as_torch_dataset
from lexaug.feed.writer import load_shards, to_dataset, write_blocks

__all__ = ["Feed", "CorpusSource", "SynthSource", "parse_weighted", "Packer", "batch_encoder", "load_tokenizer",
           "SourceStats", "build_report", "as_torch_dataset", "load_shards", "to_dataset", "write_blocks",
           "resolve_worker"]
