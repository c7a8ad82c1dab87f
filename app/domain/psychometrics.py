"""Reliability of a multi-item scale: Cronbach's alpha, McDonald's omega, item-rest correlations.

Invariants:
- Pure and total: a table of answers (one row per respondent, one column per item)
  in, plain floats out. Ragged rows, non-finite answers, too few respondents or
  items, or a table without the variance a statistic divides by raise
  ``UnusableData``; nothing is dropped, imputed or reverse-keyed here. The
  caller passes complete cases with reverse-keyed items already reversed.
- Alpha and item-total correlations need 2 items, omega 3 (a one-factor model of
  two items is not identified); everything needs 2 respondents.
- Variances and covariances are sample ones (divisor n - 1); correlations are
  Pearson's, so every statistic here is unchanged when a constant is added to all
  answers or all answers are multiplied by a positive constant.
- Omega comes from a one-factor minres (unweighted least squares) fit of the item
  correlation matrix: loadings are standardized and each uniqueness is
  ``1 - loading**2``. A fit that does not converge raises ``NotConverged``
  rather than return an unconverged number.
- Nothing is rounded here; templates round for display.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.errors import DomainError

#: Largest communality the factor fit may give an item. The bound keeps an item's
#: uniqueness at least 0.005, as the ``(0.005, 1)`` bounds on uniquenesses in
#: R psych ``fa`` and factor_analyzer do, so a Heywood case stays finite.
MAX_COMMUNALITY = 0.995
#: The fit has converged when no element of the gradient exceeds this.
GRADIENT_TOLERANCE = 1e-13
#: A step that moves no loading by more than this has stalled: rounding error now
#: outweighs what is left to gain, as where the minimum lies in a flat valley.
STALL_TOLERANCE = 1e-15
#: A stalled fit counts as converged when no element of the gradient exceeds this.
PRECISION_LIMIT = 1e-8
#: Converged loadings farther than this from the leading eigenpair's are a saddle point.
SADDLE_TOLERANCE = 1e-9
#: So is a stationary point where the Hessian has an eigenvalue below minus this.
CURVATURE_TOLERANCE = 1e-8
#: Newton steps allowed before the fit is declared not to converge.
MAX_ITERATIONS = 200
#: Jacobi sweeps allowed for one eigendecomposition; a handful suffice for small matrices.
MAX_SWEEPS = 100


class UnusableData(DomainError, ValueError):
    """The answers cannot give the statistic: ragged, not numbers, too few, or not varying."""


class NotConverged(DomainError, ArithmeticError):
    """The one-factor fit did not settle within ``MAX_ITERATIONS`` steps."""


@dataclass(frozen=True)
class Reliability:
    """Alpha, omega and corrected item-total correlations of one scale, with its size."""

    alpha: float
    omega: float
    item_total: tuple[float, ...]
    n: int
    k: int


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float:
    """Return Cronbach's alpha of a respondents-by-items table.

    Notes
    -----
    ``alpha = k / (k - 1) * (1 - sum_i var(x_i) / var(sum_i x_i))`` with sample
    variances. Alpha is at most 1 and can be negative when items covary
    negatively on balance.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika, 16(3), 297-334.
    """
    columns = _columns(rows, min_items=2)
    k = len(columns)
    total = _variance([math.fsum(row) for row in zip(*columns, strict=True)])
    if total <= 0:
        raise UnusableData("alpha needs the total scores to vary")
    items = math.fsum(_variance(column) for column in columns)
    return k / (k - 1) * (1 - items / total)


def alpha_from_variances(item_variances: Sequence[float], total_variance: float) -> float:
    """Return Cronbach's alpha from the item variances and the variance of the totals.

    Notes
    -----
    The same formula as ``cronbach_alpha``, for when the variances come from
    sums computed elsewhere (a database aggregate) rather than from rows.
    """
    k = len(item_variances)
    if k < 2:
        raise UnusableData("alpha needs at least 2 items")
    if not math.isfinite(total_variance) or total_variance <= 0:
        raise UnusableData("alpha needs the total scores to vary")
    return k / (k - 1) * (1 - math.fsum(item_variances) / total_variance)


def corrected_item_total(rows: Sequence[Sequence[float]]) -> tuple[float, ...]:
    """Return each item's Pearson correlation with the sum of the other items.

    Notes
    -----
    ``r_i = corr(x_i, sum_{j != i} x_j)``: the item is left out of the total so
    that it is not correlated with itself.

    References
    ----------
    Nunnally, J. C., & Bernstein, I. H. (1994). Psychometric theory (3rd ed.),
    ch. 8 (item-total correlations).
    """
    columns = _columns(rows, min_items=2)
    totals = [math.fsum(row) for row in zip(*columns, strict=True)]
    return tuple(
        _correlation(column, [t - x for t, x in zip(totals, column, strict=True)])
        for column in columns
    )


def mcdonald_omega(rows: Sequence[Sequence[float]]) -> float:
    """Return McDonald's omega total from a one-factor minres fit of the item correlations.

    Notes
    -----
    With standardized loadings ``l_i`` and uniquenesses ``u_i = 1 - l_i**2``,
    ``omega = (sum_i l_i)**2 / ((sum_i l_i)**2 + sum_i u_i)``: the share of the
    model-implied variance of the standardized sum score that the common factor
    explains. Loadings are not sign-flipped item by item, so an item that loads
    negatively lowers omega; reverse-key it first. The loadings come from
    ``one_factor_loadings``.

    R psych ``omega`` divides by the observed variance ``sum(R)`` instead of the
    model-implied one and flips negatively loading items; the two agree when the
    one-factor model reproduces every correlation.

    References
    ----------
    McDonald, R. P. (1999). Test theory: A unified treatment. Erlbaum, ch. 6.
    Revelle, W., & Zinbarg, R. E. (2009). Coefficients alpha, beta, omega, and the
    glb. Psychometrika, 74(1), 145-154.
    """
    loadings = one_factor_loadings(rows)
    common = math.fsum(loadings) ** 2
    unique = math.fsum(1 - x * x for x in loadings)
    if common + unique <= 0:
        raise UnusableData("the fitted model gives the total no variance")
    return common / (common + unique)


def one_factor_loadings(rows: Sequence[Sequence[float]]) -> tuple[float, ...]:
    """Return the standardized loadings of a one-factor minres fit, summing to at least 0.

    Notes
    -----
    Minres (unweighted least squares) fits loadings ``l`` to the item
    correlations ``r`` by minimizing ``sum_{i<j} (r_ij - l_i l_j)**2``; the
    diagonal is left out, so each communality is ``h_i = l_i**2``, and no
    communality may exceed ``c = MAX_COMMUNALITY``.

    The reference, factor_analyzer, minimizes over ``h`` in ``[0, c]`` the
    squared distance between ``R`` with ``h`` on its diagonal and its best
    rank-one approximation ``l l'``, ``l = sqrt(lambda_1) v_1`` from the largest
    eigenvalue and its unit eigenvector. R psych ``fa(fm = "minres")`` leaves
    the diagonal out of that distance, which changes nothing unless the bound is
    reached. Minimizing over ``h`` first turns the reference's problem into an
    unbounded one in ``l`` alone (a quarter of the distance)::

        phi(l) = 1/2 sum_{i<j} (r_ij - l_i l_j)**2 + 1/4 sum_i max(l_i**2 - c, 0)**2

    It is solved by Newton's method with a backtracking line search, the
    Hessian shifted where it is not positive definite. Where the line search
    fails, a principal-axis step (``min(l**2, c)`` on the diagonal, then ``l``
    from the leading eigenpair) is taken instead; it never increases ``phi``.
    A stationary point where the Hessian curves downwards is a saddle and is
    left along that direction, so the fit ends at a local minimum. Like both
    packages, the fit starts from the squared multiple correlations (then one
    principal-axis step); when ``R`` is singular, from each item's largest
    absolute correlation. The loadings returned are the leading eigenpair's for
    the final ``h``, as the packages report them; in a Heywood case one can
    exceed 1 in size.

    Two items give ``l_1 l_2 = r_12`` and nothing more, so fewer than three
    raise ``UnusableData``.

    References
    ----------
    Harman, H. H., & Jones, W. H. (1966). Factor analysis by minimizing residuals
    (minres). Psychometrika, 31(3), 351-368.
    Revelle, W. (2024). psych: Procedures for psychological, psychometric, and
    personality research, function ``fa(fm = "minres")``.
    Nocedal, J., & Wright, S. J. (2006). Numerical optimization (2nd ed.), ch. 3
    (line search Newton methods).
    """
    return loadings_from_correlations(_correlations(_columns(rows, min_items=3)))


def loadings_from_correlations(r: Sequence[Sequence[float]]) -> tuple[float, ...]:
    """Return the one-factor minres loadings of a correlation matrix, as ``one_factor_loadings``."""
    r = [[float(x) for x in row] for row in r]
    if len(r) < 3 or any(len(row) != len(r) for row in r):
        raise UnusableData("need a square correlation matrix of at least 3 items")
    if not all(math.isfinite(x) for row in r for x in row):
        raise UnusableData("correlations must be finite")
    loadings = _leading_factor(r, _start(r))
    for _ in range(MAX_ITERATIONS):
        gradient, hessian = _gradient_hessian(r, loadings)
        steepest = max(abs(g) for g in gradient)
        moved = loadings
        if steepest > GRADIENT_TOLERANCE:
            moved = _line_search(r, loadings, _newton_step(hessian, gradient), gradient)
            if moved is None:
                moved = _leading_factor(r, [x * x for x in loadings])
        stalled = _distance(moved, loadings) <= STALL_TOLERANCE
        if steepest <= GRADIENT_TOLERANCE or (stalled and steepest <= PRECISION_LIMIT):
            final = _leading_factor(r, [x * x for x in loadings])
            if _distance(final, loadings) > SADDLE_TOLERANCE:
                moved = final  # not the best rank-one fit for these communalities
            else:
                escaped = _escape_saddle(r, loadings, hessian)
                if escaped is None:
                    return tuple(final)
                moved = escaped
        elif stalled:
            break
        loadings = moved
    raise NotConverged(f"one-factor fit of {len(r)} items did not converge")


def reliability(rows: Sequence[Sequence[float]]) -> Reliability:
    """Compute alpha, omega and the corrected item-total correlations of one scale (3+ items)."""
    columns = _columns(rows, min_items=3)
    return Reliability(
        alpha=cronbach_alpha(rows),
        omega=mcdonald_omega(rows),
        item_total=corrected_item_total(rows),
        n=len(columns[0]),
        k=len(columns),
    )


def reliability_from_moments(
    n: int, sums: Sequence[float], products: Sequence[Sequence[float]]
) -> Reliability:
    """Compute alpha, omega and the item-total correlations from sums a database aggregated.

    Notes
    -----
    ``sums[i]`` is ``sum x_i`` and ``products[i][j]`` is ``sum x_i x_j`` over ``n``
    complete cases, so that no row has to leave the database. The sample covariance
    is ``(products[i][j] - sums[i] sums[j] / n) / (n - 1)``; every statistic of
    ``reliability`` depends on the answers only through it, so the results agree
    with ``reliability`` on the same rows up to rounding. The corrected item-total
    correlation of item ``i`` is ``(sum_j c_ij - c_ii) / sqrt(c_ii var(rest_i))``
    with ``var(rest_i) = sum_{j,l != i} c_jl``.
    """
    k = len(sums)
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise UnusableData("need at least 2 respondents")
    if k < 3 or len(products) != k or any(len(row) != k for row in products):
        raise UnusableData("need at least 3 items and a square table of products")
    c = [
        [(float(products[i][j]) - float(sums[i]) * float(sums[j]) / n) / (n - 1) for j in range(k)]
        for i in range(k)
    ]
    if not all(math.isfinite(x) for row in c for x in row):
        raise UnusableData("sums must be finite")
    if any(c[i][i] <= 0 for i in range(k)):
        raise UnusableData("a correlation needs both variables to vary")
    total = math.fsum(math.fsum(row) for row in c)
    alpha = alpha_from_variances([c[i][i] for i in range(k)], total)
    item_total = []
    for i in range(k):
        rest = total - 2 * math.fsum(c[i]) + c[i][i]
        if rest <= 0:
            raise UnusableData("a correlation needs both variables to vary")
        item_total.append((math.fsum(c[i]) - c[i][i]) / math.sqrt(c[i][i] * rest))
    r = [[c[i][j] / math.sqrt(c[i][i] * c[j][j]) for j in range(k)] for i in range(k)]
    loadings = loadings_from_correlations(r)
    common = math.fsum(loadings) ** 2
    unique = math.fsum(1 - x * x for x in loadings)
    if common + unique <= 0:
        raise UnusableData("the fitted model gives the total no variance")
    return Reliability(
        alpha=alpha, omega=common / (common + unique), item_total=tuple(item_total), n=n, k=k
    )


def _columns(rows: Sequence[Sequence[float]], min_items: int) -> list[list[float]]:
    rows = [list(row) for row in rows]
    if len(rows) < 2:
        raise UnusableData("need at least 2 respondents")
    k = len(rows[0])
    if any(len(row) != k for row in rows):
        raise UnusableData("every respondent must answer the same number of items")
    if k < min_items:
        raise UnusableData(f"need at least {min_items} items")
    for row in rows:
        for value in row:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise UnusableData(f"{value!r} is not a number")
            if not math.isfinite(value):
                raise UnusableData(f"{value!r} is not a finite number")
    return [[float(v) for v in column] for column in zip(*rows, strict=True)]


def _variance(values: Sequence[float]) -> float:
    return _covariance(values, values)


def _covariance(x: Sequence[float], y: Sequence[float]) -> float:
    mx = math.fsum(x) / len(x)
    my = math.fsum(y) / len(y)
    return math.fsum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / (len(x) - 1)


def _correlation(x: Sequence[float], y: Sequence[float]) -> float:
    vx, vy = _variance(x), _variance(y)
    if vx <= 0 or vy <= 0:
        raise UnusableData("a correlation needs both variables to vary")
    return _covariance(x, y) / math.sqrt(vx * vy)


def _correlations(columns: Sequence[Sequence[float]]) -> list[list[float]]:
    k = len(columns)
    r = [[1.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1, k):
            r[i][j] = r[j][i] = _correlation(columns[i], columns[j])
    return r


def _distance(x: Sequence[float], y: Sequence[float]) -> float:
    return max(abs(a - b) for a, b in zip(x, y, strict=True))


def _dot(x: Sequence[float], y: Sequence[float]) -> float:
    return math.fsum(a * b for a, b in zip(x, y, strict=True))


def _start(r: list[list[float]]) -> list[float]:
    """Squared multiple correlations ``1 - 1 / (R^-1)_ii``, or largest |r_ij| if R is singular."""
    k = len(r)
    low = _cholesky(r)
    if low is None:
        return [max(abs(r[i][j]) for j in range(k) if j != i) for i in range(k)]
    return [1 - 1 / _forward_back(low, [float(i == j) for j in range(k)])[i] for i in range(k)]


def _newton_step(hessian: list[list[float]], gradient: list[float]) -> list[float]:
    """Solve ``(H + tau I) d = -g``, the least tried ``tau >= 0`` making it positive definite.

    Nocedal & Wright (2006), algorithm 3.3: the step is then a descent direction.
    """
    k = len(gradient)
    smallest = min(hessian[i][i] for i in range(k))
    tau = 0.0 if smallest > 0 else 1e-3 - smallest
    for _ in range(100):
        shifted = [[x + tau * (i == j) for j, x in enumerate(row)] for i, row in enumerate(hessian)]
        step = _cholesky_solve(shifted, [-g for g in gradient])
        if step is not None:
            return step
        tau = max(2 * tau, 1e-3)
    return [-g for g in gradient]  # steepest descent, which a huge tau tends to anyway


def _cholesky_solve(a: list[list[float]], b: list[float]) -> list[float] | None:
    """Solve ``a x = b`` through ``a = L L'``; None unless ``a`` is clearly positive definite."""
    low = _cholesky(a)
    return None if low is None else _forward_back(low, b)


def _cholesky(a: list[list[float]]) -> list[list[float]] | None:
    """Return ``L`` with ``a = L L'``; None unless ``a`` is clearly positive definite."""
    k = len(a)
    scale = max(abs(a[i][i]) for i in range(k)) or 1.0
    low = [[0.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1):
            s = a[i][j] - math.fsum(low[i][m] * low[j][m] for m in range(j))
            if i == j:
                if s <= 1e-12 * scale:
                    return None
                low[i][i] = math.sqrt(s)
            else:
                low[i][j] = s / low[j][j]
    return low


def _forward_back(low: list[list[float]], b: list[float]) -> list[float]:
    k = len(low)
    y = [0.0] * k
    for i in range(k):
        y[i] = (b[i] - math.fsum(low[i][m] * y[m] for m in range(i))) / low[i][i]
    x = [0.0] * k
    for i in reversed(range(k)):
        x[i] = (y[i] - math.fsum(low[m][i] * x[m] for m in range(i + 1, k))) / low[i][i]
    return x


def _objective(r: list[list[float]], f: Sequence[float]) -> float:
    k = len(f)
    off = math.fsum((r[i][j] - f[i] * f[j]) ** 2 for i in range(k) for j in range(i + 1, k))
    over = math.fsum(max(x * x - MAX_COMMUNALITY, 0.0) ** 2 for x in f)
    return off / 2 + over / 4


def _gradient_hessian(
    r: list[list[float]], f: Sequence[float]
) -> tuple[list[float], list[list[float]]]:
    k = len(f)
    squares = math.fsum(x * x for x in f)
    gradient = []
    hessian = [[2 * f[i] * f[j] - r[i][j] for j in range(k)] for i in range(k)]
    for i in range(k):
        over = f[i] * f[i] - MAX_COMMUNALITY
        residual = math.fsum((r[i][j] - f[i] * f[j]) * f[j] for j in range(k) if j != i)
        gradient.append(-residual + f[i] * max(over, 0.0))
        hessian[i][i] = (
            squares - f[i] * f[i] + (3 * f[i] * f[i] - MAX_COMMUNALITY if over > 0 else 0)
        )
    return gradient, hessian


def _line_search(
    r: list[list[float]], f: Sequence[float], step: Sequence[float], gradient: Sequence[float]
) -> list[float] | None:
    """Halve a Newton step until it decreases the objective enough (Armijo); None if it can't.

    Near the minimum the decrease is smaller than the rounding error of the
    objective, so a change too small to measure is judged by the gradient instead.
    """
    here = _objective(r, f)
    slope = _dot(step, gradient)
    steepest = max(abs(g) for g in gradient)
    t = 1.0
    for _ in range(40):
        moved = [x + t * d for x, d in zip(f, step, strict=True)]
        if _distance(moved, f) <= STALL_TOLERANCE:
            return None
        there = _objective(r, moved)
        if there <= here + 1e-4 * t * slope:
            return _oriented(moved)
        unmeasurable = there - here <= 1e-12 * (1 + here)
        if unmeasurable and max(abs(g) for g in _gradient_hessian(r, moved)[0]) < steepest:
            return _oriented(moved)
        t /= 2
    return None


def _escape_saddle(
    r: list[list[float]], f: Sequence[float], hessian: list[list[float]]
) -> list[float] | None:
    """Step from a saddle point along its most negative curvature; None at a minimum."""
    values, vectors = _eigen(hessian)
    low = min(range(len(values)), key=values.__getitem__)
    if values[low] >= -CURVATURE_TOLERANCE:
        return None
    direction = [row[low] for row in vectors]
    here = _objective(r, f)
    t = 1.0
    for _ in range(40):
        for sign in (1.0, -1.0):
            moved = [x + sign * t * d for x, d in zip(f, direction, strict=True)]
            if _objective(r, moved) < here + 1e-4 * values[low] * t * t / 2:
                return _oriented(moved)
        t /= 2
    return None


def _oriented(f: Sequence[float]) -> list[float]:
    return [-x for x in f] if math.fsum(f) < 0 else list(f)


def _leading_factor(r: list[list[float]], h: Sequence[float]) -> list[float]:
    """Loadings ``sqrt(lambda_1) v_1`` of ``R`` with clipped communalities ``h`` on its diagonal."""
    h = [min(max(x, 0.0), MAX_COMMUNALITY) for x in h]
    reduced = [[h[i] if i == j else x for j, x in enumerate(row)] for i, row in enumerate(r)]
    values, vectors = _eigen(reduced)
    top = max(range(len(values)), key=values.__getitem__)
    scale = math.sqrt(max(values[top], 0.0))
    return _oriented([scale * row[top] for row in vectors])


def _eigen(a: list[list[float]]) -> tuple[list[float], list[list[float]]]:
    """Diagonalize a symmetric matrix by cyclic Jacobi rotations; vectors are columns.

    Golub, G. H., & Van Loan, C. F. (2013). Matrix computations (4th ed.), 8.5.
    """
    k = len(a)
    a = [list(row) for row in a]
    v = [[float(i == j) for j in range(k)] for i in range(k)]
    norm = math.fsum(x * x for row in a for x in row)
    for _ in range(MAX_SWEEPS):
        off = math.fsum(a[p][q] ** 2 for p in range(k) for q in range(p + 1, k))
        if off <= 1e-32 * norm:
            break
        for p in range(k - 1):
            for q in range(p + 1, k):
                if a[p][q] == 0:
                    continue
                theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                t = math.copysign(1.0, theta) / (abs(theta) + math.hypot(theta, 1.0))
                c = 1 / math.hypot(t, 1.0)
                s = t * c
                for m in (a, v):
                    for row in m:
                        row[p], row[q] = c * row[p] - s * row[q], s * row[p] + c * row[q]
                a[p], a[q] = (
                    [c * x - s * y for x, y in zip(a[p], a[q], strict=True)],
                    [s * x + c * y for x, y in zip(a[p], a[q], strict=True)],
                )
    return [a[i][i] for i in range(k)], v
