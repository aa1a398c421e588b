"""lexaug.generators: pure, seeded rewriters of corpus records.

Registered names (versioned; `make_generator(name, **params)` builds one):
  "substitute.v1"  word-substitution pseudo-translation (Wang, Ruder & Neubig 2022)
  "substitute.v2"  substitute.v1 + source-side fallbacks: contractions, lemmas, spelling variants, parts
  "substitute.v3"  substitute.v2 + look-alike letters in lexicon targets repaired (Ewe `wᴐ` -> `wɔ`)
  "codeswitch.v1"  code-switching (CoSDA-ML, Qin et al. 2020)
  "codeswitch.v2"  codeswitch.v1 + look-alike letters in lexicon targets repaired (as substitute.v3)
  "morph.v1"       morphology-aware substitution through UniMorph tables
  "morph.v2"       morph.v1 + look-alike letters in lexicon targets repaired (as substitute.v3)
  "hallucinate.v1" hallucinated inflection pairs (Anastasopoulos & Neubig 2019)
"""

from lexaug.generators.base import Generator, available, make_generator, merge_stats, register
from lexaug.generators.codeswitch import CodeSwitch, CodeSwitchV2
from lexaug.generators.hallucinate import Hallucinate
from lexaug.generators.morph import MorphSubstitute, MorphSubstituteV2
from lexaug.generators.rng import RecordRng, rng_for, stable_seed
from lexaug.generators.substitute import Substitute
from lexaug.generators.substitute_versions import SubstituteV2, SubstituteV3
from lexaug.generators.words import WordSpec

__all__ = ["Generator", "available", "make_generator", "merge_stats", "register", "RecordRng", "rng_for",
           "stable_seed", "Substitute", "SubstituteV2", "SubstituteV3", "CodeSwitch", "CodeSwitchV2", "MorphSubstitute",
           "MorphSubstituteV2", "WordSpec", "Hallucinate"]
