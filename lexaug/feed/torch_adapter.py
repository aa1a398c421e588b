"""A torch `IterableDataset` over a `Feed` (torch is imported only when this adapter is built).

Each DataLoader worker gets a copy of the feed and reads its own shard through
`torch.utils.data.get_worker_info()`, so `DataLoader(as_torch_dataset(feed), num_workers=W)` covers every
record once per epoch across ranks and workers. Call `dataset.set_epoch(n)` before each epoch. The dataset has
`state_dict()`/`load_state_dict()`, the protocol of `torchdata.stateful_dataloader.StatefulDataLoader`, which
saves and restores them in each worker.
"""

from __future__ import annotations

from typing import Any


_CLASS: Any = None


def _dataset_class() -> Any:
    """Build the IterableDataset subclass once (torch imported here, not at `import lexaug.feed`)."""
    global _CLASS
    if _CLASS is not None:
        return _CLASS
    import torch
    from torch.utils.data import IterableDataset

    class FeedDataset(IterableDataset):
        """`lexaug.feed.Feed` as a torch IterableDataset (see `lexaug.feed.torch_adapter`)."""

        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.feed = inner

        def __iter__(self):
            for block in self.feed:
                yield {k: torch.tensor(v, dtype=torch.long) for k, v in block.items()}

        def set_epoch(self, epoch: int) -> None:
            self.feed.set_epoch(epoch)

        def state_dict(self) -> dict[str, Any]:
            return self.feed.state_dict()

        def load_state_dict(self, state: dict[str, Any]) -> None:
            self.feed.load_state_dict(state)

    # Module-level name so spawned DataLoader workers can unpickle it (module __getattr__ rebuilds it).
    FeedDataset.__module__, FeedDataset.__qualname__ = __name__, "FeedDataset"
    _CLASS = FeedDataset
    return _CLASS


def __getattr__(name: str) -> Any:
    if name == "FeedDataset":
        return _dataset_class()
    raise AttributeError(name)


def as_torch_dataset(feed: Any) -> Any:
    """Wrap `feed` in a `torch.utils.data.IterableDataset` yielding dicts of `torch.long` tensors
    (`input_ids`, `attention_mask`, `special_tokens_mask`, each of shape [block_size])."""
    return _dataset_class()(feed)
