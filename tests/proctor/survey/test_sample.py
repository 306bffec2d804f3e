"""The minimum sample: Krejcie and Morgan's formula gives their published table."""

from __future__ import annotations

import pytest

from proctor.survey.sample import minimum_sample

# Population -> sample, from Krejcie & Morgan (1970), Table 1, as the guideline reprints it.
TABLE = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 40: 36, 50: 44, 75: 63, 100: 80, 150: 108,
    200: 132, 220: 140, 300: 169, 400: 196, 500: 217, 750: 254, 1000: 278, 1500: 306,
    2000: 322, 3000: 341, 5000: 357, 10000: 370, 20000: 377, 50000: 381, 75000: 382,
    1000000: 384,
}  # fmt: skip


@pytest.mark.parametrize(("population", "sample"), sorted(TABLE.items()))
def test_the_published_table(population: int, sample: int):
    assert minimum_sample(population) == sample


def test_small_and_empty_populations():
    assert minimum_sample(0) == 0
    assert minimum_sample(1) == 1
    assert all(minimum_sample(n) <= n for n in range(1, 60))
    with pytest.raises(ValueError, match="negative"):
        minimum_sample(-1)
