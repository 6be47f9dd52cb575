"""How many months lie between two dates (docs/eligibility.md, "How a month is counted").

Calendar months: a month after 15 March is 15 April; when the day does not exist in the later month, the
month ends on that month's last day (a month after 31 January is 28 or 29 February, two months after it
31 March: each is counted from the first date, never chained). The days left after the whole months are
a fraction of the month that follows them (its length in days), so the result grows by the same amount
every day of that month. It is written with four decimals, rounded down: a whole number of months comes
out exact, and a threshold is never reached a day early (the smallest fraction, one day of 31, is 0.0322).
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_DOWN, Decimal

PLACES = Decimal("0.0001")


def add_months(start: date, months: int) -> date:
    """`start` plus whole calendar months, on the last day of the month when the day does not exist."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def months_between(since: date, until: date) -> Decimal:
    """Months from `since` to `until` (not before it): whole calendar months plus the rest as a fraction of
    the next month, rounded down to four decimals."""
    if until < since:
        raise ValueError(f"{until} is before {since}")
    whole = (until.year - since.year) * 12 + until.month - since.month
    while whole > 0 and add_months(since, whole) > until:
        whole -= 1
    start, end = add_months(since, whole), add_months(since, whole + 1)
    fraction = Decimal((until - start).days) / Decimal((end - start).days)
    return (Decimal(whole) + fraction).quantize(PLACES, rounding=ROUND_DOWN)
