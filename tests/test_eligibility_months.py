"""How a month is counted (docs/eligibility.md): calendar months from the first date, the rest as a fraction of
the month that follows, four decimals rounded down. The edges: month ends, leap years, the day a threshold
is reached, and the same day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inclusion_kg.eligibility.months import add_months, months_between


@pytest.mark.parametrize(
    "since, until, months",
    [
        (date(2025, 10, 1), date(2025, 10, 1), "0.0000"),  # the same day
        (date(2025, 3, 15), date(2025, 9, 15), "6.0000"),  # six calendar months exactly
        (date(2025, 3, 15), date(2025, 9, 16), "6.0333"),  # and 1 day of the 30 from 15 Sept to 15 Oct
        (date(2025, 3, 15), date(2025, 9, 14), "5.9677"),  # 30 days of the 31 from 15 Aug to 15 Sept
        (date(2025, 4, 1), date(2025, 10, 1), "6.0000"),  # "more than six months" not yet met
        (date(2025, 3, 31), date(2025, 10, 1), "6.0322"),  # 6 months end on 30 Sept; 1 day of 31 more
        (date(2025, 1, 31), date(2025, 2, 28), "1.0000"),  # a month after 31 January ends on 28 February
        (date(2024, 1, 31), date(2024, 2, 29), "1.0000"),  # 29 February in a leap year
        (date(2024, 1, 31), date(2024, 2, 28), "0.9655"),  # 28 days of the 29 from 31 January to 29 February
        (date(2025, 1, 31), date(2025, 3, 31), "2.0000"),  # counted from the first date, not chained
        (date(2024, 8, 31), date(2025, 2, 28), "6.0000"),
        (date(2023, 10, 1), date(2025, 10, 1), "24.0000"),
    ],
)
def test_months_between(since, until, months):
    assert months_between(since, until) == Decimal(months)


def test_add_months_ends_on_the_last_day_when_the_day_does_not_exist():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 2) == date(2025, 3, 31)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)


def test_a_later_date_is_refused():
    with pytest.raises(ValueError):
        months_between(date(2025, 10, 2), date(2025, 10, 1))


def test_every_day_adds_the_same_share_of_its_month():
    since, previous = date(2025, 1, 10), Decimal(-1)
    for day in range(1, 60):
        until = date.fromordinal(since.toordinal() + day)
        months = months_between(since, until)
        assert months > previous  # never stands still, never goes back
        previous = months
