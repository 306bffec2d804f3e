"""The satisfaction index (IKM) and its grades, against figures computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from proctor.survey.index import compute, grade_of
from proctor.survey.rules import ELEMENTS, SurveyRules

RULES = SurveyRules()
CODES = [e.code for e in ELEMENTS]


def answers(*rows: list[int]) -> list[dict[str, int]]:
    return [dict(zip(CODES, row, strict=True)) for row in rows]


def test_nine_elements_by_hand():
    result = compute(
        answers(
            [4, 3, 3, 4, 3, 3, 4, 3, 3],
            [3, 3, 2, 4, 3, 3, 3, 3, 2],
            [4, 4, 3, 4, 3, 4, 4, 3, 3],
        ),
        RULES,
    )
    # Element sums 11, 10, 8, 12, 9, 10, 11, 9, 8 over 3 respondents; the mean of the means is
    # 88/27 = 3.259259..., times 25 = 81.4815. (With the guideline's rounded weight 0.111 it
    # would read 81.40: the exact 1/9 is what the weight stands for.)
    assert result.respondents == 3
    assert [e.mean for e in result.elements] == [
        Decimal(x) for x in ("3.67", "3.33", "2.67", "4.00", "3.00", "3.33", "3.67", "3.00", "2.67")
    ]
    assert result.elements[3].converted == Decimal("100.00")
    assert result.index == Decimal("81.48")
    assert (result.grade.letter, result.grade.name_id) == ("B", "Baik")
    # Two elements share the lowest mean, 8/3: the first in the guideline's order is named.
    assert result.weakest.code == "completion_time"


def test_all_best_and_all_worst():
    assert compute(answers([4] * 9), RULES).index == Decimal("100.00")
    assert compute(answers([4] * 9), RULES).grade.letter == "A"
    worst = compute(answers([1] * 9, [1] * 9), RULES)
    assert (worst.index, worst.grade.letter) == (Decimal("25.00"), "D")


@pytest.mark.parametrize(
    ("index", "letter"),
    [
        ("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
        ("65.00", "C"), ("64.99", "D"), ("25.00", "D"),
    ],
)  # fmt: skip
def test_band_edges(index: str, letter: str):
    assert grade_of(Decimal(index), RULES).letter == letter


def test_the_published_figure_decides_the_grade_at_an_edge():
    one = SurveyRules(elements=ELEMENTS[:1])
    # 2,661 answers of 4 and 2,339 of 3: mean 17,661/5,000 = 3.5322, index exactly 88.305,
    # published 88.31 (half up; a binary float would print 88.30), grade A as the page shows.
    code = ELEMENTS[0].code
    result = compute([{code: 4}] * 2661 + [{code: 3}] * 2339, one)
    assert result.index == Decimal("88.31")
    assert result.grade.letter == "A"


def test_an_element_nobody_answered_does_not_count():
    rows = [{"requirements": 4, "procedure": 2}, {"requirements": 4, "unknown": 1}]
    result = compute(rows, RULES)
    # requirements 4.00, procedure 2.00: (4 + 2) / 2 * 25 = 75.00
    assert result.index == Decimal("75.00")
    assert result.grade.letter == "C"
    assert result.elements[2].mean is None and result.elements[2].answers == 0
    assert result.weakest.code == "procedure"


def test_no_answers_no_index():
    result = compute([], RULES)
    assert (result.respondents, result.index, result.grade, result.weakest) == (0, None, None, None)


def test_bands_and_elements_come_from_configuration():
    rules = SurveyRules.model_validate(
        {"grades": [
            {"letter": "A", "lowest": "80.00", "name_id": "Baik", "name_en": "Good"},
            {"letter": "B", "lowest": "25.00", "name_id": "Kurang", "name_en": "Poor"},
        ]}
    )  # fmt: skip
    assert grade_of(Decimal("80.00"), rules).letter == "A"
    assert grade_of(Decimal("79.99"), rules).letter == "B"
    with pytest.raises(ValueError, match="best down"):
        SurveyRules.model_validate({"grades": list(reversed(rules.model_dump()["grades"]))})
    with pytest.raises(ValueError, match=r"25\.00"):
        SurveyRules.model_validate(
            {"grades": [{"letter": "A", "lowest": "50.00", "name_id": "x", "name_en": "x"}]}
        )
    with pytest.raises(ValueError, match="differ"):
        SurveyRules(elements=(ELEMENTS[0], ELEMENTS[0]))
