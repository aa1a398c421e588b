"""UniMorph feature strings: canonical form, parsing, POS, UniMorph 3 <-> 4 comparable view."""

from __future__ import annotations

import pytest

from lexaug.loaders.features import FeatureError, canonical_features, comparable_features, parse_features


@pytest.mark.parametrize("a, b", [
    ("V;3;SG;PRS", "V;PRS;3;SG"),
    ("V;PRS;NOM(3,SG)", "NOM(SG,3);PRS;V"),
    ("V;IPFV;NOM(MASC;3,SG)", "V;IPFV;NOM(SG,3;MASC)"),
    ("N;NOM(PL;PSS(1,PL))", "N;NOM(PSS(PL,1);PL)"),
    ("V;PST+RMT", "V;RMT+PST"),
    ("MASC/FEM", "FEM/MASC"),
    ("V;V;PST", "PST;V"),
    (" V ; PST ", "V;PST"),
])
def test_canonical_is_order_insensitive(a: str, b: str) -> None:
    assert canonical_features(a) == canonical_features(b)


def test_canonical_strings() -> None:
    assert canonical_features("V;3;SG;PRS") == "3;PRS;SG;V"
    assert canonical_features("V;IPFV;NOM(MASC;3,SG)") == "IPFV;NOM(3,SG;MASC);V"
    assert canonical_features("N;NOM(PL;PSS(1,PL))") == "N;NOM(PL;PSS(1,PL))"
    assert canonical_features("N;PSS(2,SG,FORM)") == "N;PSS(2,FORM,SG)"
    assert canonical_features("V;1;SG;ARGAC2;non{PST}") == "1;ARGAC2;SG;V;non{PST}"
    assert canonical_features("V;REFL/RECP;LGSPEC01") == "LGSPEC01;RECP/REFL;V"


def test_different_bundles_stay_different() -> None:
    assert canonical_features("V;PST") != canonical_features("V;V.PTCP;PST")
    assert canonical_features("NOM(3,SG)") != canonical_features("ACC(3,SG)")
    assert canonical_features("NOM(3;SG)") != canonical_features("NOM(3,SG)")  # groups are kept apart
    assert canonical_features("non{PST}") != canonical_features("PST")


@pytest.mark.parametrize("bad, message", [
    ("V;NOM(3,SG", "unbalanced '('"),
    ("V;NOM3,SG)", "unbalanced ')'"),
    ("V;;PST", "empty feature"),
    ("V;PST;", "empty feature"),
    ("V;NOM(3,)", "empty feature"),
    ("V;PST+", "empty part in composite value"),
    ("(3,SG)", "malformed layer"),
    ("   ", "empty feature string"),
])
def test_malformed_features(bad: str, message: str) -> None:
    with pytest.raises(FeatureError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_features(bad)


@pytest.mark.parametrize("features, pos", [
    ("V;3;SG;PRS", "V"), ("N;PL;PSS3SM", "N"), ("ADJ;SG", "ADJ"), ("V;V.PTCP;PST", "V"),
    ("V.CVB;3;SG;MASC", "V"), ("V.MSDR", "V"), ("PRO;NOM", "PRO"), ("DET;PL", "DET"), ("ADV", "ADV"),
    ("LGSPEC1;SG", None), ("MASC/FEM", None),
])
def test_pos_detection(features: str, pos: str | None) -> None:
    assert parse_features(features).pos == pos


def test_bundle_structure() -> None:
    bundle = parse_features("V;PRS;NOM(3,SG)")
    assert bundle.original == "V;PRS;NOM(3,SG)"
    assert bundle.features == frozenset({"V", "PRS", "NOM(3,SG)"})


@pytest.mark.parametrize("v3, v4", [
    ("V;3;SG;PRS", "V;PRS;NOM(3,SG)"),
    ("V;IPFV;3;SG;MASC", "V;IPFV;NOM(MASC;3,SG)"),
    ("N;PSS3SM", "N;PSS(3,SG,MASC)"),
    ("N;PL;FORM;PSS2S", "N;PL;PSS(2,SG,FORM)"),
    ("V;ARGAC3S", "V;ACC(3,SG)"),
    ("V;ARGAC3SG", "V;ACC(3,SG)"),
    ("N;PL;PSS1P", "N;NOM(PL;PSS(1,PL))"),
])
def test_comparable_bridges_unimorph_3_and_4(v3: str, v4: str) -> None:
    assert comparable_features(v3) == comparable_features(v4)
    assert canonical_features(v3) != canonical_features(v4)


def test_comparable_values() -> None:
    assert comparable_features("V;PRS;NOM(3,SG)") == frozenset({"V", "PRS", "3", "SG"})
    assert comparable_features("N;PSS(2,SG,FORM)") == frozenset({"N", "PSS2S", "FORM"})
    assert comparable_features("V;ACC(1,2)") == frozenset({"V", "ARGAC(1,2)"})  # two persons: kept whole
    assert comparable_features("V;ARGAC3SGHUM") == frozenset({"V", "ARGAC3SGHUM"})


def _feature_column(path) -> list[str]:
    return [line.split("\t")[2] for line in path.read_text(encoding="utf-8").split("\n") if line]


@pytest.mark.parametrize("plain, args, differing", [("eng/eng", "eng/eng.args", 22785),
                                                    ("amh/amh", "amh/amh.args", 38627)])
def test_comparable_maps_every_args_row(shared_data, plain: str, args: str, differing: int) -> None:
    """The `.args` files carry the same rows in the same order; only the agreement notation differs."""
    left = _feature_column(shared_data / "unimorph" / plain)
    right = _feature_column(shared_data / "unimorph" / args)
    assert len(left) == len(right)
    assert sum(canonical_features(a) != canonical_features(b) for a, b in zip(left, right)) == differing
    assert all(comparable_features(a) == comparable_features(b) for a, b in zip(left, right))
