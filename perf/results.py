"""What a benchmark run collects: measurements, targets (met or not), and how they are printed."""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Target:
    """One promise of the issue, as a measured value against a limit."""

    name: str
    value: float | None
    limit: float
    unit: str = ""
    at_least: bool = False  # True: value >= limit; False: value <= limit
    # Set for the district (--scale 1): speed, ratios and plans. The others (answers, query
    # counts, errors, consistency) hold at every scale.
    timing: bool = False
    # A budget (query counts, plans, rows fetched) rather than a promise of correctness (answers,
    # errors, data, balances): a run that misses only budgets and timings still worked.
    budget: bool = False

    @property
    def met(self) -> bool:
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return False
        return self.value >= self.limit if self.at_least else self.value <= self.limit

    def line(self, *, smoke: bool = False) -> str:
        sign = ">=" if self.at_least else "<="
        shown = "n/a" if self.value is None else _fmt(self.value)
        verdict = "met" if self.met else "MISSED"
        if smoke and self.timing and not self.met:
            verdict = "not met at this scale (a --scale 1 target)"
        return f"{self.name}: {shown}{self.unit} (target {sign} {_fmt(self.limit)}{self.unit}) {verdict}"

    def as_dict(self) -> dict:
        return {**asdict(self), "met": self.met}


def _fmt(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"


@dataclass
class Run:
    """Everything one ``bench`` run measured; written as JSON and printed as tables."""

    meta: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def target(
        self,
        name: str,
        value,
        limit: float,
        unit: str = "",
        *,
        at_least: bool = False,
        timing: bool = False,
        budget: bool = False,
    ) -> Target:
        item = Target(
            name=name, value=value, limit=limit, unit=unit, at_least=at_least, timing=timing, budget=budget
        )
        self.targets.append(item)
        return item

    @property
    def all_met(self) -> bool:
        return all(t.met for t in self.targets)

    def unmet(self, *, smoke: bool = False) -> list[Target]:
        """Targets not met; a smoke run (small scale) holds only those that hold at every scale."""
        return [t for t in self.targets if not t.met and not (smoke and t.timing)]

    def broken(self, *, smoke: bool = False) -> list[Target]:
        """Unmet targets that say the run itself went wrong (not a budget or a speed missed)."""
        return [t for t in self.unmet(smoke=smoke) if not (t.timing or t.budget)]

    def as_dict(self) -> dict:
        return {
            "meta": self.meta,
            "sections": self.sections,
            "targets": [t.as_dict() for t in self.targets],
            "all_targets_met": self.all_met,
            "notes": self.notes,
        }

    def write(self, folder: Path, stamp: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.as_dict(), indent=2, ensure_ascii=False, default=str)
        path = folder / f"bench-{stamp}.json"
        path.write_text(text, encoding="utf-8")
        (folder / "latest.json").write_text(text, encoding="utf-8")
        return path


def table(headers: list[str], rows: list[list], *, align: str | None = None) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    align = align or "l" + "r" * (len(headers) - 1)
    lines = []
    for n, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            parts.append(cell + pad if align[i] == "l" else pad + cell)
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(
        2 if "\u2e80" <= ch <= "\ua4cf" or "\uac00" <= ch <= "\ud7a3" or "\uff00" <= ch <= "\uffef" else 1
        for ch in text
    )
