"""The satisfaction index (IKM) of a set of answers, as PermenPAN-RB 14/2017 computes it.

Each element's mean (nilai rata-rata, NRR) is taken over the respondents who answered it; the
index is the mean of the element means (the guideline's weighted mean with every weight 1/9,
computed exactly rather than with the rounded 0.111) times 25, on a 25-100 scale. The index is
published to two decimals, rounded half up, and the grade read from that published figure, so
the page and its grade always agree at a band's edge (88.305 is 88.31, grade A).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from proctor.survey.rules import SCALE, Grade, SurveyRules

CONVERSION = 25  # 1-4 perception values to the 25-100 scale
CENT = Decimal("0.01")


def published(value: Fraction) -> Decimal:
    """`value` to two decimals, half up, as the guideline's tables print it."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class ElementResult:
    code: str
    answers: int
    mean: Decimal | None  # on the 1-4 scale; None: nobody answered it
    converted: Decimal | None  # the same times 25


@dataclass(frozen=True)
class IndexResult:
    respondents: int
    elements: tuple[ElementResult, ...]
    index: Decimal | None  # 25.00-100.00; None without answers
    grade: Grade | None

    @property
    def weakest(self) -> ElementResult | None:
        """The element with the lowest mean (the first in the guideline's order on a tie)."""
        rated = [e for e in self.elements if e.mean is not None]
        return min(rated, key=lambda e: e.mean) if rated else None


def grade_of(index: Decimal, rules: SurveyRules) -> Grade:
    for grade in rules.grades:
        if index >= grade.lowest:
            return grade
    return rules.grades[-1]


def compute(answers: Iterable[Mapping[str, int]], rules: SurveyRules) -> IndexResult:
    """The index of `answers` (each element code -> 1..4; an element left out, or one the
    rules no longer hold, does not count)."""
    sums = {e.code: [0, 0] for e in rules.elements}
    respondents = 0
    for answer in answers:
        respondents += 1
        for code, value in answer.items():
            if code in sums and value in SCALE:
                sums[code][0] += value
                sums[code][1] += 1
    means = {code: Fraction(total, count) for code, (total, count) in sums.items() if count}
    elements = tuple(
        ElementResult(
            code,
            sums[code][1],
            published(means[code]) if code in means else None,
            published(means[code] * CONVERSION) if code in means else None,
        )
        for code in sums
    )
    if not means:
        return IndexResult(respondents, elements, None, None)
    index = published(sum(means.values(), Fraction(0)) / len(means) * CONVERSION)
    return IndexResult(respondents, elements, index, grade_of(index, rules))
