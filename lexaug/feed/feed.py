"""`Feed`: the streaming pretraining feed (mix -> shard -> shuffle -> synthesize -> tokenize -> pack).

One `Feed` object describes the stream; iterating it yields blocks (dicts of `input_ids`, `attention_mask`,
`special_tokens_mask`, lists of ints) for this process's shard: `rank * num_workers + worker_id` of
`world_size * num_workers`. The stream is a pure function of (sources, tokenizer, block size, mode, seed,
shard, epoch), so two runs give identical blocks, and `state_dict()` taken between two blocks restores the
exact continuation: source positions (pass and records emitted, the shuffle buffer replayed), the mixing
random state, the pending (not yet packed) tokens and the report counts. See `mixing` for the epoch semantics
and `tokenize_pack` for the block layout.
"""

from __future__ import annotations

import itertools
import sys
from typing import Any, Iterator, Sequence, cast

from lexaug import defaults
from lexaug.errors import ConfigError
from lexaug.feed.batches import FILTERED, RECORDS_IN, REPLACED, TEXTS, WORDS, prefetched, produce
from lexaug.feed.mixing import STOPPING, Mixer
from lexaug.feed.report import SourceStats, build_report
from lexaug.feed.tokenize_pack import Packer, batch_encoder, load_tokenizer

STATE_VERSION = 1


def resolve_worker(worker_id: int | None, num_workers: int | None) -> tuple[int, int]:
    """(worker_id, num_workers): the explicit values when given, else torch's `get_worker_info()` inside a
    DataLoader worker (read only when torch is already imported), else (0, 1)."""
    if worker_id is not None or num_workers is not None:
        if worker_id is None or num_workers is None:
            raise ConfigError("give both worker_id and num_workers, or neither")
        return int(worker_id), int(num_workers)
    torch = sys.modules.get("torch")
    if torch is not None:
        info = torch.utils.data.get_worker_info()
        if info is not None:
            return int(info.id), int(info.num_workers)
    return 0, 1


class _Run:
    """The live state of one iteration over one shard."""

    def __init__(self, feed: "Feed", shard: int, num_shards: int):
        self.feed, self.shard, self.num_shards = feed, shard, num_shards
        self.mixer = Mixer(feed.sources, shard=shard, num_shards=num_shards, buffer_size=feed.shuffle_buffer,
                           seed=feed.seed, stopping=feed.stopping, epochs=feed.epochs)
        self.mixer.begin(feed.epoch, start_epoch=feed.epoch)
        self.packer = Packer(feed.tokenizer, feed.block_size, feed.mode)
        self.stats = [SourceStats() for _ in feed.sources]
        self.blocks = 0
        self.dropped = 0
        self.snapshot = self.mixer.state()  # mixer state after the last batch consumed (the producer runs ahead)

    def iterate(self) -> Iterator[dict[str, list[int]]]:
        feed, packer, stats = self.feed, self.packer, self.stats
        encode, unk = feed.encode, feed.unk_id
        for block in packer.blocks():  # blocks already complete when the state was saved
            self.blocks += 1
            yield block
        for batch in prefetched(produce(self.mixer, feed.sources, feed.batch_size, feed.synth_workers),
                                feed.prefetch):
            for st, delta in zip(stats, batch.deltas):
                st.records_in += delta[RECORDS_IN]
                st.filtered += delta[FILTERED]
                st.replaced += delta[REPLACED]
                st.words += delta[WORDS]
                st.records += delta[TEXTS]
            self.snapshot = batch.snapshot
            if batch.texts:
                encoded = encode(batch.texts)
                owners = batch.owners
                if type(owners) is int:  # one source: count per batch
                    st = stats[owners]
                    st.tokens += sum(map(len, encoded))
                    if unk is not None:
                        st.unk += sum(map(list.count, encoded, itertools.repeat(unk, len(encoded))))
                    st.truncated_tokens += packer.add_batch(encoded)
                else:
                    for ids, i in zip(encoded, cast("list[int]", owners)):  # not an int: a list
                        st = stats[i]
                        st.tokens += len(ids)
                        if unk is not None:
                            st.unk += ids.count(unk)
                        st.truncated_tokens += packer.add(ids)
                for block in packer.blocks():
                    self.blocks += 1
                    yield block
        self.dropped += packer.pending_tokens()  # the tail that cannot fill a block when the stream ends
        packer.load({"ids": [], "flags": [], "lines": [], "truncated": packer.truncated})

    def state(self) -> dict[str, Any]:
        feed = self.feed
        return {"version": STATE_VERSION, "shard": self.shard, "num_shards": self.num_shards, "seed": feed.seed,
                "block_size": feed.block_size, "mode": feed.mode, "sources": [s.name for s in feed.sources],
                "mixer": self.snapshot, "packer": self.packer.state(),
                "stats": [st.as_dict() for st in self.stats], "blocks": self.blocks, "dropped": self.dropped}

    def load(self, state: dict[str, Any]) -> None:
        feed = self.feed
        if state.get("version") != STATE_VERSION:
            raise ConfigError(f"feed state version {state.get('version')!r} is not {STATE_VERSION}")
        for key, mine in (("shard", self.shard), ("num_shards", self.num_shards), ("seed", feed.seed),
                          ("block_size", feed.block_size), ("mode", feed.mode),
                          ("sources", [s.name for s in feed.sources])):
            if state[key] != mine:
                raise ConfigError(f"feed state was saved with {key}={state[key]!r}, this feed has {mine!r}; "
                                  "resume with the same sources, seed, block size, mode and shard")
        self.mixer.load(state["mixer"])
        self.snapshot = state["mixer"]
        self.packer.load(state["packer"])
        self.stats = [SourceStats.from_dict(d) for d in state["stats"]]
        self.blocks, self.dropped = state["blocks"], state["dropped"]


class Feed:
    """A streaming, sharded, resumable source of packed training blocks (see module docstring).

    Args:
        sources: `CorpusSource` / `SynthSource` objects (weights are relative draw probabilities per record).
        tokenizer: a `transformers` tokenizer, or a local folder for `AutoTokenizer.from_pretrained`.
        block_size: tokens per block.
        mode: "packed" or "line" (see `lexaug.feed.tokenize_pack`).
        seed: seed of mixing and shuffling (and of synthesis in `SynthSource`s, which carry their own).
        rank, world_size: this process's rank among the training processes.
        worker_id, num_workers: DataLoader worker; None reads `torch.utils.data.get_worker_info()`.
        shuffle_buffer: records held by each source's shuffle buffer (0: file order).
        stopping: "exhausted" (epochs cover each record once) or "cycle" (endless; see `lexaug.feed.mixing`).
        epochs: epochs per iteration with "exhausted" (None: endless).
        batch_size: records drawn (then synthesized and tokenized) per batch.
        prefetch: batches read and synthesized ahead in a background thread (0: no thread); the blocks are
            the same either way.
        synth_workers: producer processes that read, mix and synthesize the batches (0: in this process, or
            in the prefetch thread; None: 1 when a source synthesizes on the fly and >= 2 cores are usable,
            see `lexaug.feed.producers.auto_workers`); the blocks are the same either way.
    """

    def __init__(self, sources: Sequence[Any], tokenizer: Any, block_size: int, *,
                 mode: str = defaults.FEED_MODE, seed: int = defaults.SEED, rank: int = 0, world_size: int = 1,
                 worker_id: int | None = None, num_workers: int | None = None,
                 shuffle_buffer: int = defaults.FEED_SHUFFLE_BUFFER, stopping: str = defaults.FEED_STOPPING,
                 epochs: int | None = 1, batch_size: int = defaults.FEED_TOKENIZE_BATCH,
                 prefetch: int = defaults.FEED_PREFETCH, synth_workers: int | None = defaults.FEED_SYNTH_WORKERS):
        if not 0 <= rank < world_size:
            raise ConfigError(f"rank must be in [0, world_size={world_size}), got {rank}")
        if worker_id is not None and num_workers is not None and not 0 <= worker_id < num_workers:
            raise ConfigError(f"worker_id must be in [0, num_workers={num_workers}), got {worker_id}")
        if stopping not in STOPPING:
            raise ConfigError(f"stopping must be one of {', '.join(STOPPING)}, got {stopping!r}")
        if epochs is not None and epochs < 1:
            raise ConfigError(f"epochs must be >= 1 (or None for endless), got {epochs}")
        self.sources = list(sources)
        names = [s.name for s in self.sources]
        if len(set(names)) != len(names):
            raise ConfigError(f"source names must differ (they key the report and the state): {names}")
        self.tokenizer = load_tokenizer(tokenizer)
        self.block_size, self.mode, self.seed = int(block_size), mode, int(seed)
        self.rank, self.world_size = int(rank), int(world_size)
        self.worker_id, self.num_workers = worker_id, num_workers
        self.shuffle_buffer, self.stopping, self.epochs = int(shuffle_buffer), stopping, epochs
        self.batch_size = max(1, int(batch_size))
        self.prefetch = max(0, int(prefetch))
        self.synth_workers = None if synth_workers is None else max(0, int(synth_workers))
        self.epoch = 0
        Packer(self.tokenizer, self.block_size, mode)  # validate block size, mode and pad token now
        self.unk_id = getattr(self.tokenizer, "unk_token_id", None)
        self._run: _Run | None = None
        self._resume: dict[str, Any] | None = None

    @property
    def encode(self):
        enc = self.__dict__.get("_encode")
        if enc is None:
            enc = self.__dict__["_encode"] = batch_encoder(self.tokenizer)
        return enc

    def __getstate__(self) -> dict[str, Any]:  # DataLoader workers get the description, not a live run
        state = dict(self.__dict__)
        state.pop("_encode", None)
        state["_run"] = None
        return state

    def shard(self) -> tuple[int, int]:
        """(this shard, number of shards) = (rank * num_workers + worker_id, world_size * num_workers)."""
        worker, workers = resolve_worker(self.worker_id, self.num_workers)
        return self.rank * workers + worker, self.world_size * workers

    def set_epoch(self, epoch: int) -> None:
        """Start the next iteration at `epoch` (new shuffle and mixing order); forgets a loaded state."""
        self.epoch = int(epoch)
        self._resume = None

    def _new_run(self) -> _Run:
        run = _Run(self, *self.shard())
        if self._resume is not None:
            run.load(self._resume)
            self._resume = None
        return run

    def __iter__(self) -> Iterator[dict[str, list[int]]]:
        self._run = self._new_run()
        return self._run.iterate()

    def draws(self) -> Iterator[tuple[str, int, int, int]]:
        """The mixed record stream of this shard without tokenizing: (source name, record index, epoch,
        pass) per record drawn. For checks of coverage and mixing."""
        run = _Run(self, *self.shard())
        while (draw := run.mixer.next()) is not None:
            yield self.sources[draw[0]].name, draw[1], draw[3], draw[4]

    def state_dict(self) -> dict[str, Any]:
        """JSON-serialisable state of the current iteration (between two blocks), for `load_state_dict`."""
        if self._run is None:
            return self._resume if self._resume is not None else _Run(self, *self.shard()).state()
        return self._run.state()

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Make the next iteration continue exactly where the run that saved `state` stopped."""
        _Run(self, *self.shard()).load(state)  # validate now, not at the first block
        self.epoch = state["mixer"]["start_epoch"]
        self._resume = state
        self._run = None

    def report(self) -> dict[str, Any]:
        """Per-source records, tokens, words, fertility, unknown rate and shares for the current iteration."""
        run = self._run
        if run is None:
            run = _Run(self, *self.shard())
            if self._resume is not None:
                run.load(self._resume)
        return build_report(self.sources, run.stats, blocks=run.blocks, block_size=self.block_size,
                            mode=self.mode, dropped_tail_tokens=run.dropped,
                            pending_tokens=run.packer.pending_tokens(), epoch=run.snapshot["epoch"],
                            extra={"seed": self.seed, "shard": run.shard, "num_shards": run.num_shards,
                                   "stopping": self.stopping, "shuffle_buffer": self.shuffle_buffer})
