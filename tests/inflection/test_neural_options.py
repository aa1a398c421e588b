"""The neural inflector's option checks (`neural_options`), called directly: nothing is trained."""

import pytest

from lexaug import defaults
from lexaug.errors import ConfigError
from lexaug.inflection.neural_options import check_hparams, check_member_options


def _fields():
    """The real hyper-parameters' names and defaults (torch is imported, nothing is trained)."""
    from lexaug.inflection.neural_model import NeuralHParams

    return {name: f.default for name, f in NeuralHParams.__dataclass_fields__.items()}


def _members(**changes):
    options = dict(ensemble=3, workers=1, char_members=None, actions=True, hallucinate=0, char_hallucinate=None,
                   real_repeat=1, beam=1, char_copy=0, char_rescue=0.0, flags={"char_warm": True})
    options.update(changes)
    return check_member_options(**options)


def test_hparams_unknown_names_and_bad_values():
    fields = _fields()
    layers = fields["layers"]
    check_hparams({"layers": layers + 1, "actions": False}, fields)  # accepted: no error
    with pytest.raises(ConfigError, match=r"unknown neural option\(s\) nonsense, zeta; known: actions"):
        check_hparams({"zeta": 1, "nonsense": 2}, fields)
    with pytest.raises(ConfigError, match=rf"option layers=2.5: expected an integer \(e.g. -o layers={layers}\)"):
        check_hparams({"layers": 2.5}, fields)
    with pytest.raises(ConfigError, match="expected true or false"):
        check_hparams({"actions": 1}, fields)
    with pytest.raises(ConfigError, match="is not a multiple of heads="):
        check_hparams({"d_model": fields["heads"] * 8 + 1}, fields)


@pytest.mark.parametrize("changes, expected", [
    (dict(), (defaults.NEURAL_CHAR_MEMBERS, 1)),  # the default mix: one character member beside edit scripts
    (dict(ensemble=1), (0, 1)),  # no room for an edit-script member beside it
    (dict(actions=False), (0, 1)),  # every member writes characters already
    (dict(char_members=2), (2, 1)),
    (dict(workers=8), (1, 3)),  # workers at most the ensemble
])
def test_member_options_resolved(changes, expected):
    assert _members(**changes) == expected


@pytest.mark.parametrize("changes, message", [
    (dict(beam=0), r"option beam=0: expected an integer of at least 1"),
    (dict(hallucinate=-1), r"option hallucinate=-1: expected an integer of at least 0"),
    (dict(hallucinate=5, char_hallucinate=-2), r"option char_hallucinate=-2"),
    (dict(ensemble=True), r"option ensemble=True: expected an integer"),
    (dict(real_repeat=1.5), r"option real_repeat=1.5"),
    (dict(flags={"measure_reserve": "yes"}), r"option measure_reserve='yes': expected true or false"),
    (dict(ensemble=2, char_members=3), r"char_members=3: at most ensemble=2"),
    (dict(actions=False, char_members=1), r"drop char_members"),
    (dict(char_rescue=2), r"option char_rescue=2: expected a share between 0 and 1"),
    (dict(char_rescue=0.1, workers=2), r"with workers=2 members train at the same time"),
])
def test_member_options_refused(changes, message):
    with pytest.raises(ConfigError, match=message):
        _members(**changes)
