"""Weights a committee can defend: direct numbers, rank order (ROC) or AHP pairwise comparisons.

Each weight set of the settings (``[weights.pilot]``, ``[weights.rollout]``) is written in one of
three forms, and ``method`` says which one counts (the others may stay in the file for
``selector robustness --compare-methods``):

    [weights.pilot]                      # direct: criterion = number (normalised to sum 1)
    success = 0.3
    ...
    order = ["success", "infrastructure", ["staff", "leadership"], "risk"]   # rank: most important first
    method = "rank"                      # "direct", "rank" or "ahp"

    [weights.pilot.ahp]                  # AHP: "a/b" = how much more important a is than b (Saaty 1-9)
    "success/infrastructure" = 3
    "success/risk" = "1/2"
    ...

The kernels below are small numpy functions with their formula in the docstring and no checks;
``parse_weight_set`` validates a TOML table and resolves it into a ``WeightSpec``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from selector.fields import CRITERIA
from selector.i18n import _

METHODS = ("direct", "rank", "ahp")

RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
"""Saaty's random consistency index RI by matrix order n (index n; n = 1, 2 give 0).

Saaty, T.L. (1980) The Analytic Hierarchy Process, McGraw-Hill; also Saaty (1990), EJOR 48, p. 15."""

MAX_WEIGHT = 1e6
"""A direct weight above this is refused (weights are relative: 0.25 or 25, not 1e300)."""

CR_LIMIT = 0.10
"""A consistency ratio above this is a warning: the judgements should be revisited (Saaty)."""


# ---------------------------------------------------------------------------------------------
# Kernels


def rank_order_centroid(n: int) -> np.ndarray:
    """ROC weights for ranks 1..n (1 = most important): w_i = (1/n) sum_{k=i}^{n} 1/k."""
    tail = np.cumsum(1.0 / np.arange(n, 0, -1))[::-1]  # tail[i-1] = sum_{k=i}^{n} 1/k
    return tail / n


def tied_rank_order_centroid(group_sizes: Sequence[int]) -> np.ndarray:
    """ROC weights for a weak order: each criterion of a tied group gets the mean ROC weight of the
    positions the group occupies. Returns one weight per criterion, groups in order."""
    roc = rank_order_centroid(int(sum(group_sizes)))
    out, start = [], 0
    for size in group_sizes:
        out += [roc[start:start + size].mean()] * size
        start += size
    return np.array(out)


def ahp_priorities(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal right eigenvector w of a positive reciprocal matrix A (A w = lambda_max w),
    scaled to sum 1, and lambda_max."""
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    return w / w.sum(), float(values[k].real)


def consistency_ratio(lambda_max: float, n: int) -> tuple[float, float]:
    """CI = (lambda_max - n) / (n - 1) and CR = CI / RI_n (CR = 0 when n <= 2: always consistent)."""
    if n <= 2:
        return 0.0, 0.0
    ci = (lambda_max - n) / (n - 1)
    return ci, ci / RANDOM_INDEX[n]


def judgement_errors(matrix: np.ndarray, w: np.ndarray) -> np.ndarray:
    """e_ij = a_ij w_j / w_i: 1 where judgement a_ij agrees with the priorities; |log e_ij| measures
    how far it is from them (Saaty's way to find the judgement to revise first)."""
    return matrix * w[None, :] / w[:, None]


def sample_simplex_sorted(rng: np.random.Generator, n: int) -> np.ndarray:
    """A weight vector uniform on the simplex {w >= 0, sum w = 1}, sorted decreasingly: uniform on
    the region w_1 >= w_2 >= ... >= w_n (SMAA with a rank order; Lahdelma & Salminen 2001)."""
    return np.sort(rng.dirichlet(np.ones(n)))[::-1]


# ---------------------------------------------------------------------------------------------
# Resolved weight sets


@dataclass(frozen=True)
class AhpResult:
    """Priorities of an AHP matrix with its consistency, over ``criteria`` in matrix order."""

    criteria: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]
    priorities: tuple[float, ...]
    lambda_max: float
    ci: float
    cr: float
    worst: tuple[tuple[str, str, float, float], ...]  # (a, b, judged a/b, implied w_a/w_b), worst first
    judgements: tuple[tuple[str, str, float], ...] = ()  # (a, b, a/b) as given

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_LIMIT

    def warning(self) -> str | None:
        """The warning a planner sees when CR > 0.10, naming the judgements to revisit first."""
        if self.consistent:
            return None
        parts = [_('"{pair}" = {judged} (the weights imply {implied})', pair=f"{a}/{b}", judged=_fmt_judgement(j),
                   implied=f"{implied:.2f}") for a, b, j, implied in self.worst]
        return _("the AHP judgements are inconsistent: CR = {cr} > {limit}; revisit first {pairs}",
                 cr=f"{self.cr:.3f}", limit=f"{CR_LIMIT:.2f}", pairs="; ".join(parts))


def _fmt_judgement(value: float) -> str:
    if value >= 1:
        return f"{value:g}"
    return f'"1/{1 / value:g}"'


def ahp(criteria: Sequence[str], judgements: Mapping[tuple[str, str], float], worst: int = 3) -> AhpResult:
    """AHP on the given criteria from one judgement per pair {(a, b): a_ab}, in either orientation
    (a_ba = 1 / a_ab fills the other half). ``worst`` names the judgements farthest from the priorities."""
    index = {c: i for i, c in enumerate(criteria)}
    n = len(criteria)
    matrix = np.ones((n, n))
    for (a, b), value in judgements.items():
        matrix[index[a], index[b]] = value
        matrix[index[b], index[a]] = 1.0 / value
    w, lam = ahp_priorities(matrix)
    ci, cr = consistency_ratio(lam, n)
    errors = judgement_errors(matrix, w)
    pairs = sorted(((abs(math.log(errors[index[a], index[b]])), a, b) for a, b in judgements),
                   key=lambda t: (-t[0], index[t[1]], index[t[2]]))
    worst_pairs = tuple((a, b, float(judgements[a, b]), float(w[index[a]] / w[index[b]]))
                        for err, a, b in pairs[:worst] if err > 1e-9)
    return AhpResult(tuple(criteria), tuple(tuple(float(x) for x in row) for row in matrix),
                     tuple(float(x) for x in w), lam, ci, cr, worst_pairs,
                     tuple((a, b, float(v)) for (a, b), v in judgements.items()))


def roc_weights(order: Sequence[Sequence[str]]) -> dict[str, float]:
    """Rank-order-centroid weights of a weak order (groups of tied criteria, most important first)."""
    w = tied_rank_order_centroid([len(g) for g in order])
    flat = [c for group in order for c in group]
    return {c: float(x) for c, x in zip(flat, w)}


def order_of(weights: Mapping[str, float]) -> tuple[tuple[str, ...], ...]:
    """The weak order stated by numeric weights: criteria with weight > 0, heaviest first, equal
    weights tied (compared after rounding to 12 decimals), ties in the canonical criteria order."""
    groups: dict[float, list[str]] = {}
    for c in CRITERIA:
        value = weights.get(c, 0.0)
        if value > 0:
            groups.setdefault(round(value, 12), []).append(c)
    return tuple(tuple(groups[v]) for v in sorted(groups, reverse=True))


@dataclass(frozen=True)
class WeightSpec:
    """One weight set as the committee wrote it and as it resolves.

    ``weights`` are the weights in use (by ``method``), over the criteria named, not yet normalised.
    ``direct``, ``order`` and ``ahp`` are whichever forms the file gave (for comparisons).
    """

    kind: str
    method: str
    weights: Mapping[str, float]
    direct: Mapping[str, float] | None = None
    order: tuple[tuple[str, ...], ...] | None = None
    ahp: AhpResult | None = None

    @property
    def rank_order(self) -> tuple[tuple[str, ...], ...]:
        """The stated rank order, or the one the weights in use imply."""
        return self.order if self.order is not None else order_of(self.weights)

    @property
    def cr(self) -> float | None:
        return self.ahp.cr if self.ahp is not None else None

    def warning(self) -> str | None:
        if self.ahp is None:
            return None
        text = self.ahp.warning()
        return f"[weights.{self.kind}] {text}" if text else None

    def by_method(self) -> dict[str, dict[str, float]]:
        """The weights each method gives for this set: direct, rank, ahp (those available) and equal."""
        out: dict[str, dict[str, float]] = {}
        if self.direct:
            out["direct"] = dict(self.direct)
        out["rank"] = roc_weights(self.rank_order)
        if self.ahp is not None:
            out["ahp"] = dict(zip(self.ahp.criteria, self.ahp.priorities))
        used = [c for group in self.rank_order for c in group]
        out["equal"] = {c: 1.0 / len(used) for c in CRITERIA if c in used}
        return out

    def to_toml(self) -> dict[str, Any]:
        """The ``[weights.<kind>]`` table that gives this spec back (numbers, order, ahp, method)."""
        if self.method == "direct" and self.order is None and self.ahp is None:
            return dict(self.weights)
        table: dict[str, Any] = dict(self.direct or {})
        table["method"] = self.method
        if self.order is not None:
            table["order"] = [g[0] if len(g) == 1 else list(g) for g in self.order]
        if self.ahp is not None:
            table["ahp"] = {f"{a}/{b}": v for a, b, v in self.ahp.judgements}
        return table


def direct_spec(kind: str, weights: Mapping[str, float]) -> WeightSpec:
    return WeightSpec(kind, "direct", dict(weights), direct=dict(weights))


def weights_text(specs: Sequence[WeightSpec]) -> str:
    """What ``selector weights`` prints: per weight set its method, its normalised weights and the CR."""
    lines: list[str] = []
    for spec in specs:
        total = sum(spec.weights.values()) or 1.0
        head = _("[weights.{kind}]  method: {method}", kind=spec.kind, method=spec.method)
        if spec.method == "rank":
            head += " " + _("(rank-order centroid of {order})",
                            order=" > ".join(" = ".join(g) for g in spec.rank_order))
        if spec.ahp is not None:
            a = spec.ahp
            verdict = _("consistent") if a.consistent else _("INCONSISTENT")
            head += "  " + _("AHP: lambda_max {lambda_max}, CI {ci}, CR {cr} ({verdict}, limit {limit})",
                             lambda_max=f"{a.lambda_max:.4f}", ci=f"{a.ci:.4f}", cr=f"{a.cr:.4f}", verdict=verdict,
                             limit=f"{CR_LIMIT:.2f}")
            if spec.method != "ahp":
                head += " " + _("[not in use]")
        lines.append(head)
        width = max(len(c) for c in CRITERIA)
        for c in CRITERIA:
            if c in spec.weights:
                lines.append(f"  {c.ljust(width)}  {spec.weights[c] / total:.4f}")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


# ---------------------------------------------------------------------------------------------
# Parsing one [weights.<kind>] table

_TABLE_KEYS = ("method", "order", "ahp")
_RECIPROCAL = re.compile(r"^\s*1\s*/\s*([1-9])\s*$")


def parse_weight_set(kind: str, given: Mapping[str, Any], bad: Callable[[str, str | None, str, str], None],
                     suggest: Callable[[str, Sequence[str]], str]) -> WeightSpec | None:
    """Validate one ``[weights.<kind>]`` table; report problems through ``bad(section, key, message, fix)``.

    Returns the resolved spec, or None when the table has problems (the caller keeps the defaults).
    """
    section = f"weights.{kind}"
    ok = True

    def fail(sec: str, key: str | None, message: str, fix: str) -> None:
        nonlocal ok
        ok = False
        bad(sec, key, message, fix)

    direct: dict[str, float] = {}
    for key, value in given.items():
        if key in _TABLE_KEYS:
            continue
        if key not in CRITERIA:
            fail(section, key, _("unknown criterion '{name}'", name=key), suggest(key, CRITERIA + _TABLE_KEYS))
        elif (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
              or value < 0 or value > MAX_WEIGHT):
            fail(section, key, _("weight {key} = {value} is not a number from 0 to {limit}", key=key, value=repr(value),
                                 limit=f"{MAX_WEIGHT:,.0f}"), _("write a number >= 0, e.g. 0.25"))
        else:
            direct[key] = float(value)
    no_other_form = "order" not in given and "ahp" not in given
    if ok and sum(direct.values()) <= 0 and (direct or no_other_form):
        fail(section, None, _("the {kind} weights are all zero (or none is given)", kind=kind),
             _("give at least one criterion a weight > 0"))

    order = _parse_order(section, given.get("order"), fail, suggest) if "order" in given else None
    ahp_result = _parse_ahp(f"{section}.ahp", given.get("ahp"), fail, suggest) if "ahp" in given else None

    forms = [m for m, present in (("direct", bool(direct)), ("rank", "order" in given), ("ahp", "ahp" in given)) if present]
    method = given.get("method")
    if method is None:
        if len(forms) > 1:
            fail(section, None, _("[weights.{kind}] gives several forms ({forms}) but no method", kind=kind,
                                  forms=", ".join(forms)),
                 _('say which one counts, e.g. method = "{method}"', method=forms[-1]))
            return None
        method = forms[0] if forms else "direct"
    elif not isinstance(method, str) or method not in METHODS:
        fail(section, "method", _("method = {value} is not one of {methods}", value=repr(method), methods=", ".join(METHODS)),
             _('write method = "direct", "rank" or "ahp"'))
        return None
    elif method not in forms:
        what = {"direct": _("criterion = weight lines"), "rank": _("an order = [...] list"),
                "ahp": _("a [weights.{kind}.ahp] table of judgements", kind=kind)}[method]
        fail(section, "method", _('method = "{method}" but the table has no {what}', method=method, what=what),
             _("add {what}", what=what))
        return None
    if not ok:
        return None
    if method == "direct":
        weights = direct
    elif method == "rank":
        weights = roc_weights(order)
    else:
        weights = dict(zip(ahp_result.criteria, ahp_result.priorities))
    return WeightSpec(kind, method, weights, direct=direct or None, order=order, ahp=ahp_result)


def _parse_order(section, raw, fail, suggest) -> tuple[tuple[str, ...], ...] | None:
    fix = _('list criteria from most to least important, ties in an inner list: ["success", ["staff", "leadership"], "risk"]')
    if not isinstance(raw, list) or not raw:
        fail(section, "order", _("order = {value} is not a non-empty list of criteria", value=repr(raw)), fix)
        return None
    groups, seen, good = [], set(), True
    for item in raw:
        group = item if isinstance(item, list) else [item]
        if not group or not all(isinstance(c, str) for c in group):
            fail(section, "order", _("order entry {value} is not a criterion or a list of tied criteria", value=repr(item)), fix)
            good = False
            continue
        for c in group:
            if c not in CRITERIA:
                fail(section, "order", _("unknown criterion '{name}' in order", name=c), suggest(c, CRITERIA))
                good = False
            elif c in seen:
                fail(section, "order", _("criterion '{name}' appears twice in order", name=c), _("list each criterion once"))
                good = False
            seen.add(c)
        groups.append(tuple(group))
    return tuple(groups) if good else None


def _judgement_value(value: Any) -> float | None:
    """A Saaty-scale judgement: a number in [1/9, 9] or a text '1/k' with k in 1..9."""
    if isinstance(value, str):
        m = _RECIPROCAL.match(value)
        if m:
            return float(Fraction(1, int(m.group(1))))
        try:
            value = float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError, OverflowError):  # "1e400" is a Fraction too big for a float
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value) if 1 / 9 - 1e-9 <= value <= 9 + 1e-9 else None


def _parse_ahp(section, raw, fail, suggest) -> AhpResult | None:
    if not isinstance(raw, dict) or not raw:
        fail(section, None, _("[{section}] must be a table of judgements", section=section), _('write e.g. "success/risk" = 3'))
        return None
    judgements: dict[tuple[str, str], float] = {}
    good = True
    for key, value in raw.items():
        a, sep, b = key.partition("/")
        a, b = a.strip(), b.strip()
        if not sep or not a or not b:
            fail(section, key, _("judgement key '{key}' is not \"criterion/criterion\"", key=key),
                 _('write e.g. "success/risk" = 3'))
            good = False
            continue
        unknown = [c for c in (a, b) if c not in CRITERIA]
        for c in unknown:
            fail(section, key, _("unknown criterion '{name}' in judgement '{key}'", name=c, key=key), suggest(c, CRITERIA))
        if unknown:
            good = False
            continue
        if a == b:
            fail(section, key, _("judgement '{key}' compares a criterion with itself", key=key), _("remove it (it is always 1)"))
            good = False
            continue
        if (a, b) in judgements or (b, a) in judgements:
            fail(section, key, _("the pair {a}, {b} is judged twice", a=a, b=b),
                 _("keep one of the two (the other is its reciprocal)"))
            good = False
            continue
        number = _judgement_value(value)
        if number is None:
            fail(section, key, _("judgement {key} = {value} is not on Saaty's scale 1/9 .. 9", key=key, value=repr(value)),
                 _('write a number from 1 to 9, or "1/3" when the second criterion is the more important'))
            good = False
            continue
        judgements[a, b] = number
    named = [c for c in CRITERIA if any(c in pair for pair in judgements)]
    if good and len(named) < 2:
        fail(section, None, _("AHP needs at least two criteria"), _('write e.g. "success/risk" = 3'))
        return None
    missing = [f'"{a}/{b}"' for i, a in enumerate(named) for b in named[i + 1:]
               if (a, b) not in judgements and (b, a) not in judgements]
    if missing:
        fail(section, None, _("{count} pair(s) of the criteria judged are not compared: {pairs}", count=len(missing),
                              pairs=", ".join(missing)),
             _("give every pair once (the upper triangle of the matrix)"))
        good = False
    if not good:
        return None
    return ahp(named, judgements)
