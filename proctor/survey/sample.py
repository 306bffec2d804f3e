"""The smallest number of respondents the guideline asks for, given how many people the unit
served in the period (PermenPAN-RB 14/2017 takes it from Krejcie and Morgan's table).

Krejcie and Morgan (1970) computed their table as s = X^2 N P(1-P) / (d^2 (N-1) + X^2 P(1-P))
with X^2 = 3.841 (one degree of freedom at 95 % confidence), P = 0.5 and d = 0.05, rounded to
the nearest whole respondent; the formula gives every entry of the published table
(tests/proctor/survey/test_sample.py checks it against them).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CHI_SQUARE = Decimal("3.841")
PROPORTION = Decimal("0.5")
MARGIN = Decimal("0.05")


def minimum_sample(population: int) -> int:
    if population < 0:
        raise ValueError("a population is not negative")
    if population == 0:
        return 0
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    size = spread * population / (MARGIN**2 * (population - 1) + spread)
    return int(size.quantize(Decimal(1), rounding=ROUND_HALF_UP))
