"""The periods survey results are published for: a semester (January-June, July-December) or
a year, counted on the venue's local calendar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from proctor import local_time

PATTERN = re.compile(r"^(?P<year>20\d\d)(?:-S(?P<half>[12]))?$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    half: int | None = None  # 1: January-June, 2: July-December, None: the whole year

    @classmethod
    def parse(cls, text: str) -> Period:
        found = PATTERN.match(text.strip().upper())
        if found is None:
            raise ValueError(f"not a period (2026-S1, 2026-S2 or 2026): {text!r}")
        half = found.group("half")
        return cls(int(found.group("year")), int(half) if half else None)

    @classmethod
    def containing(cls, at: datetime, zone: str) -> Period:
        """The semester `at` falls in, on `zone`'s calendar."""
        day = local_time.local(at, zone).date()
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def chosen(cls, text: str | None, at: datetime, zone: str) -> Period:
        """The period a reader typed, or without one the semester `at` falls in (ValueError
        for text that is not a period)."""
        return cls.parse(text) if text else cls.containing(at, zone)

    def __str__(self) -> str:
        return f"{self.year}-S{self.half}" if self.half else str(self.year)

    @property
    def first_month(self) -> date:
        return date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def after_last_month(self) -> date:
        """The first day after the period."""
        return date(self.year + 1, 1, 1) if self.half != 1 else date(self.year, 7, 1)

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """The period's first instant and the first instant after it, in UTC."""
        return (
            local_time.day_start(self.first_month, zone),
            local_time.day_start(self.after_last_month, zone),
        )

    def label(self, language: str) -> str:
        if self.half is None:
            return str(self.year) if language == "en" else f"Tahun {self.year}"
        if language == "en":
            return f"{'January-June' if self.half == 1 else 'July-December'} {self.year}"
        return f"Semester {'I' if self.half == 1 else 'II'} {self.year}"
