"""`dev_train`: a seeded share of the dev rows joins the training data; the rest stays for model selection and
tuning. In the 2022 small files at least half the test items have a feature set never seen in training, and for
70-100% of them it occurs in dev in 20 of 23 files (Hebrew: all 1,000 items), so the dev rows hold what training
lacks."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lexaug.errors import ConfigError
from lexaug.inflection.neural_options import move_dev_rows
from lexaug_cli.main import cli

DEV = [(f"lemma{i}", f"lemma{i}s", "N;PL" if i % 2 else "V;PST") for i in range(10)]
TRAIN = [("walk", "walked", "V;PST"), ("talk", "talked", "V;PST")]


def test_a_share_of_dev_moves_to_training_and_no_row_is_lost():
    train, dev, info = move_dev_rows(TRAIN, DEV, 0.5, seed=0)
    moved = train[len(TRAIN):]
    assert train[:len(TRAIN)] == TRAIN and len(moved) == 5 and len(dev) == 5
    assert sorted(moved + dev) == sorted(DEV)
    assert info == {"share": 0.5, "rows": 5, "selection_rows": 5}
    assert dev == [row for row in DEV if row not in moved]  # the rows kept for selection stay in file order


def test_the_split_follows_the_seed():
    first = move_dev_rows(TRAIN, DEV, 0.3, seed=1)
    assert move_dev_rows(TRAIN, DEV, 0.3, seed=1) == first
    assert len(first[0]) == len(TRAIN) + 3  # floor(0.3 * 10)
    assert any(move_dev_rows(TRAIN, DEV, 0.3, seed=s)[1] != first[1] for s in range(2, 6))


def test_at_least_one_dev_row_stays_for_selection():
    train, dev, info = move_dev_rows(TRAIN, DEV[:1], 0.9, seed=0)
    assert (train, dev, info) == (TRAIN, DEV[:1], {"share": 0.9, "rows": 0, "selection_rows": 1})
    assert len(move_dev_rows(TRAIN, DEV, 0.99, seed=0)[1]) == 1


def test_share_zero_changes_nothing():
    assert move_dev_rows(TRAIN, DEV, 0, seed=0) == (TRAIN, DEV, {})
    assert move_dev_rows(TRAIN, None, 0, seed=0) == (TRAIN, None, {})


@pytest.mark.parametrize("share, dev, message", [
    (1.0, DEV, "expected a share from 0 up to but not including 1"),
    (-0.1, DEV, "expected a share from 0 up to but not including 1"),
    (True, DEV, "expected a share from 0 up to but not including 1"),
    ("half", DEV, "expected a share from 0 up to but not including 1"),
    (0.5, None, "needs dev rows (--dev)"),
    (0.5, [], "needs dev rows (--dev)"),
])
def test_bad_shares_are_one_config_error(share, dev, message):
    with pytest.raises(ConfigError, match=r"dev_train") as err:
        move_dev_rows(TRAIN, dev, share, seed=0)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_trained_model_learns_from_the_moved_rows_and_says_so():
    pytest.importorskip("torch")
    from test_neural_budget import _rows, _tiny  # noqa: E402  (tests/inflection is on sys.path)

    from lexaug.inflection.neural import NeuralInflector

    dev = [(lemma, lemma + "q", "N;DU") for lemma in ("abc", "bcd", "cde", "def")]  # a tag and a letter only dev has
    model = NeuralInflector.train(_rows(4, 0), dev, seed=0, ensemble=1, dev_train=0.5, beam=1, **_tiny())
    assert model.info["dev_train"] == {"share": 0.5, "rows": 2, "selection_rows": 2}
    assert "[DU]" in model.vocab.stoi and "q" in model.vocab.stoi
    assert model.info["train_pairs"] == len(_rows(4, 0)) + 2
    plain = NeuralInflector.train(_rows(4, 0), dev, seed=0, ensemble=1, beam=1, **_tiny())
    assert "dev_train" not in plain.info and "[DU]" not in plain.vocab.stoi


def test_cli_rejects_a_bad_share_in_one_line_and_writes_no_model(tmp_path):
    (tmp_path / "t.train").write_text("".join(f"{l}\t{f}\t{t}\n" for l, f, t in TRAIN), encoding="utf-8")
    base = ["inflect", "train", "--train", str(tmp_path / "t.train"), "--model", "neural", "--out",
            str(tmp_path / "nn"), "--minutes", "0.1"]
    result = CliRunner().invoke(cli, [*base, "-o", "dev_train=0.5"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "dev_train=0.5 needs dev rows (--dev)" in result.output
    assert not (tmp_path / "nn").exists()
