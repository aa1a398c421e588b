"""String alignments used by the non-neural SIGMORPHON baseline (Cotterell et al. 2017, CoNLL-SIGMORPHON
shared task, baseline section): a shift ("Hamming") alignment for the prefix/suffix detector and a
Levenshtein alignment with substitution cost 1.1 that splits a lemma/form pair into prefix | stem | suffix.

Gaps are written as ``_`` in aligned strings, as in the published baseline.
"""

from __future__ import annotations

from functools import lru_cache

GAP = "_"


def shift_align(source: str, target: str) -> tuple[str, str]:
    """Align two strings by sliding one against the other, padding with ``_``, minimising mismatches.

    Shifts are tried in the published order (source moved right over target, then target moved right under
    source) and only a strictly better score replaces the best one, so the first best shift wins. Columns
    where both strings hold a pad are dropped. Returns the two padded strings, of equal length.
    """
    ls, lt = len(source), len(target)
    total = ls + lt
    # Shift k: source starts at column k of a (ls + lt)-column grid whose target starts at column ls.
    # A column is a mismatch unless both hold a pad or both hold the same character; with no "_" inside
    # the strings, mismatches = columns covered by either string - equal characters where both overlap.
    candidates = [(k, 0) for k in range(lt + 1)] + [(lt, p) for p in range(ls + 1)]
    best, best_score = candidates[0], total + 1
    plain = GAP not in source and GAP not in target
    for k, p in candidates:
        # source occupies [k, k+ls); target occupies [ls - p, ls - p + lt) (p pads moved to the right).
        t0 = ls - p
        if plain:
            lo, hi = max(k, t0), min(k + ls, t0 + lt)
            union = ls + lt - max(0, hi - lo)
            equal = sum(map(str.__eq__, source[lo - k:hi - k], target[lo - t0:hi - t0])) if hi > lo else 0
            score = union - equal
        else:
            up = GAP * k + source + GAP * (total - k - ls)
            down = GAP * t0 + target + GAP * (total - t0 - lt)
            score = sum(x != y for x, y in zip(up, down))
        if score < best_score:
            best, best_score = (k, p), score
    k, p = best
    t0 = ls - p
    up = GAP * k + source + GAP * (total - k - ls)
    down = GAP * t0 + target + GAP * (total - t0 - lt)
    cols = [(a, b) for a, b in zip(up, down) if a != GAP or b != GAP]
    return "".join(a for a, _ in cols), "".join(b for _, b in cols)


def leading(s: str, symbol: str = GAP) -> int:
    """Number of leading `symbol` characters."""
    return len(s) - len(s.lstrip(symbol))


def trailing(s: str, symbol: str = GAP) -> int:
    """Number of trailing `symbol` characters."""
    return len(s) - len(s.rstrip(symbol))


# Costs in tenths so ties are exact: substitution 1.1, insertion/deletion 1.0.
_SUB, _INDEL = 11, 10


@lru_cache(maxsize=200_000)
def levenshtein_align(source: str, target: str) -> tuple[str, str]:
    """Minimum-cost alignment of `source` to `target` (substitution 1.1, insertion and deletion 1.0).

    Among equal-cost alignments, the one the published baseline finds is returned. That baseline is a
    memoised recursion over (rest of source, rest of target) in floating point, trying match/substitution,
    then insertion (gap in source), then deletion (gap in target), keeping the first minimum; a sub-problem's
    cost is stored as (total - cost so far) at its first visit. Rounding in those sums breaks some exact ties
    differently from exact arithmetic (about 2% of real pairs), which changes the rules it extracts, so the
    float recursion is emulated wherever an exact tie lies on the chosen path; elsewhere an integer DP
    gives the same alignment faster. Returns the two aligned strings (gaps as ``_``), of equal length.
    """
    moves = _exact_moves(source, target)
    if moves is None:
        moves = _float_moves(source, target)
    return _trace(source, target, moves)


def _exact_moves(source: str, target: str) -> list[int] | None:
    """Moves (0 diagonal, 1 insertion, 2 deletion) of the exact-cost path, or None if it meets a tie."""
    n, m = len(source), len(target)
    width = m + 1
    cost = [0] * ((n + 1) * width)
    for j in range(m + 1):
        cost[n * width + j] = _INDEL * (m - j)
    for i in range(n - 1, -1, -1):
        row, nxt, si = i * width, (i + 1) * width, source[i]
        cost[row + m] = _INDEL * (n - i)
        right = cost[row + m]  # cost[row + j + 1] while j runs down
        for j in range(m - 1, -1, -1):
            best = cost[nxt + j + 1] if si == target[j] else cost[nxt + j + 1] + _SUB
            other = (right if right < cost[nxt + j] else cost[nxt + j]) + _INDEL
            right = cost[row + j] = best if best < other else other
    moves: list[int] = []
    i = j = 0
    while i < n and j < m:
        diag = cost[(i + 1) * width + j + 1] + (0 if source[i] == target[j] else _SUB)
        ins = cost[i * width + j + 1] + _INDEL
        dele = cost[(i + 1) * width + j] + _INDEL
        best = min(diag, ins, dele)
        if (diag == best) + (ins == best) + (dele == best) > 1:
            return None
        how = 0 if diag == best else 1 if ins == best else 2
        moves.append(how)
        i, j = i + (how != 1), j + (how != 2)
    moves.extend([1] * (m - j) if i == n else [2] * (n - i))
    return moves


def _float_moves(source: str, target: str, sub: float = 1.1, indel: float = 1.0) -> list[int]:
    """Moves of the published floating-point memoised recursion (see `levenshtein_align`)."""
    n, m = len(source), len(target)
    width = m + 1
    rest: list[float | None] = [None] * ((n + 1) * width)
    how = [0] * ((n + 1) * width)

    def visit(i: int, j: int, cost: float) -> float:
        k = i * width + j
        r = rest[k]
        if r is None:
            if i == n:
                total, how[k] = cost + (m - j), 1
            elif j == m:
                total, how[k] = cost + (n - i), 2
            else:
                total = visit(i + 1, j + 1, cost if source[i] == target[j] else cost + sub)
                choice = 0
                b = visit(i, j + 1, cost + indel)
                if b < total:
                    total, choice = b, 1
                c = visit(i + 1, j, cost + indel)
                if c < total:
                    total, choice = c, 2
                how[k] = choice
            r = rest[k] = total - cost
        return cost + r

    visit(0, 0, 0)
    moves: list[int] = []
    i = j = 0
    while i < n or j < m:
        step = how[i * width + j]
        moves.append(step)
        i, j = i + (step != 1), j + (step != 2)
    return moves


def _trace(source: str, target: str, moves: list[int]) -> tuple[str, str]:
    top, bottom = [], []
    i = j = 0
    for step in moves:
        top.append(GAP if step == 1 else source[i])
        bottom.append(GAP if step == 2 else target[j])
        i, j = i + (step != 1), j + (step != 2)
    return "".join(top), "".join(bottom)


def split_affixes(lemma: str, form: str) -> tuple[str, str, str, str, str, str]:
    """Split a lemma/form pair into (lemma prefix, stem, suffix, form prefix, stem, suffix).

    The pair is aligned with `levenshtein_align`; the prefix is the longest run of leading gap columns of
    either string, the suffix the longest run of trailing ones, the stem what lies between. Parts keep their
    ``_`` gaps; lemma and form parts have equal lengths.
    """
    a, b = levenshtein_align(lemma, form)
    lead = max(leading(a), leading(b))
    trail = max(trailing(a), trailing(b))
    end = len(a) - trail
    return a[:lead], a[lead:end], a[end:], b[:lead], b[lead:end], b[end:]
