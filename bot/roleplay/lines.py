"""The debtor's lines: templates with variants, placeholders, and a picker that never repeats a line in a session.

A template is French text with two kinds of markup:

- variants in square brackets, `[Bon|Bref|Écoutez], je vous écoute.`: every combination is a distinct line
  (an empty alternative, `[franchement |]`, makes a word optional);
- placeholders in braces, `{monthly_charges}`, filled from the scenario (amounts are written the spoken way,
  "1 650 €", "42,50 €").

The picker prefers a template not used yet in the session, then an unused variant of a used template, along a
chain of pools (the act's own lines first, then the persona's generic fillers); it repeats a line only when the
whole chain is exhausted.
"""

from __future__ import annotations

import itertools
import random
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

ALTERNATION = re.compile(r"\[([^\[\]]*)\]")
MAX_EXPANSIONS = 500
NARROW_NBSP = "\u202f"
NBSP = "\xa0"


def expansions(template: str) -> list[str]:
    """Every line a template stands for, in a stable order (variants expanded, spaces tidied)."""
    parts = ALTERNATION.split(template)
    literals, choices = parts[0::2], [part.split("|") for part in parts[1::2]]
    lines: list[str] = []
    for combination in itertools.islice(itertools.product(*choices), MAX_EXPANSIONS):
        text = literals[0] + "".join(choice + literal for choice, literal in zip(combination, literals[1:]))
        tidy = re.sub(r"\s{2,}", " ", text).strip()
        tidy = re.sub(r"\s+([,.])", r"\1", tidy)
        if tidy and tidy not in lines:
            lines.append(tidy)
    return lines


def placeholders(template: str) -> set[str]:
    """The placeholder names a template uses; ValueError (in French) on a malformed one."""
    names: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise ValueError(f"accolade mal fermée dans « {template} »") from error
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"variable mal écrite « {{{name}}} » dans « {template} »")
        names.add(name)
    return names


def spoken_euros(amount: Decimal) -> str:
    """`Decimal("1650")` → "1 650 €", `Decimal("42.5")` → "42,50 €" (no cents when they are zero)."""
    quantized = Decimal(amount).quantize(Decimal("0.01"))
    units, cents = f"{abs(quantized):.2f}".split(".")
    groups: list[str] = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    number = NARROW_NBSP.join(groups) + ("" if cents == "00" else f",{cents}")
    return f"{'-' if quantized < 0 else ''}{number}{NBSP}€"


def day_of_month(day: int) -> str:
    return "1er" if day == 1 else str(day)


def render(line: str, values: Mapping[str, str]) -> str:
    return line.format_map(values)


class LinePicker:
    """Draws lines from chains of pools, deterministically for a given random generator, without repeats."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_templates: set[str] = set()
        self.used_lines: Counter[str] = Counter()

    def pick(self, chain: Iterable[Sequence[str]]) -> str:
        pools = [list(pool) for pool in chain if pool]
        if not pools:
            raise ValueError("aucune réplique disponible")
        for pool in pools:
            fresh = [template for template in pool if template not in self.used_templates]
            if fresh:
                template = self.rng.choice(fresh)
                return self._take(template, self.rng.choice(expansions(template)))
        for pool in pools:
            unused = [(t, line) for t in pool for line in expansions(t) if line not in self.used_lines]
            if unused:
                return self._take(*self.rng.choice(unused))
        every = [(t, line) for pool in pools for t in pool for line in expansions(t)]
        least = min(self.used_lines[line] for _, line in every)
        return self._take(*self.rng.choice([(t, line) for t, line in every if self.used_lines[line] == least]))

    def _take(self, template: str, line: str) -> str:
        if line in self.used_lines:  # a fresh template can expand to a line already said through another one
            unused = [other for other in expansions(template) if other not in self.used_lines]
            line = unused[0] if unused else line
        self.used_templates.add(template)
        self.used_lines[line] += 1
        return line
