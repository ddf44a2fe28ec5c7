"""One row per measurement: what was measured, against which baseline, the ratio, the target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    """A benchmark result; ``ok`` is None when there is no target to meet."""

    name: str
    value: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    ok: bool | None = None


def render(rows: list[Row]) -> str:
    """A Markdown table of ``rows``."""
    head = "| benchmark | measured | baseline | ratio | target | met |\n|---|---|---|---|---|---|"
    lines = [head]
    for r in rows:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        met = "" if r.ok is None else ("yes" if r.ok else "NO")
        lines.append(f"| {r.name} | {r.value} | {r.baseline} | {ratio} | {r.target} | {met} |")
    return "\n".join(lines)
