"""Sentence-level evaluation of the HSL detector on labelled sentences (R-PLAN-11).

A data file ``tests/rules/data/hsl_<name>.tsv`` holds one sentence a line:
``label<TAB>domain<TAB>style<TAB>sentence`` (UTF-8, no header), label 1 for
health-care text, 0 for social care. A sentence is *predicted* positive when
the detector returns any hit. Run it to see the figures and every miss::

    PYTHONPATH=. python -m tests.rules.hsl_eval [tests/rules/data/hsl_dev.tsv …]
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from delaktig.rules.hsl import Hit, find_health_care_text

DATA = Path(__file__).resolve().parent / "data"
DEV = DATA / "hsl_dev.tsv"
DOMAINS = frozenset({"hemtjanst", "lss", "boendestod", "socialpsykiatri", "missbruk", "sabo"})
STYLES = frozenset({"formal", "note", "person", "typo"})


@dataclass(frozen=True)
class Example:
    label: bool
    domain: str
    style: str
    sentence: str
    line: int


@dataclass(frozen=True)
class Evaluation:
    name: str
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    #: (example, hits): the health-care sentences not found and the false alarms.
    missed: tuple[Example, ...]
    false_alarms: tuple[tuple[Example, tuple[Hit, ...]], ...]

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        positives = self.true_positives + self.false_negatives
        return self.true_positives / positives if positives else 1.0

    def report(self) -> str:
        lines = [
            f"{self.name}: P={self.precision:.3f} R={self.recall:.3f} "
            f"(TP {self.true_positives}, FP {self.false_positives}, "
            f"FN {self.false_negatives}, TN {self.true_negatives})"
        ]
        lines += [f"  missed  {e.line:4}: {e.sentence}" for e in self.missed]
        lines += [
            f"  flagged {e.line:4}: {e.sentence}  <- " + ", ".join(h.term for h in hits)
            for e, hits in self.false_alarms
        ]
        return "\n".join(lines)


def load(path: Path) -> list[Example]:
    """The examples of one data file; a malformed line raises ``ValueError``."""
    examples = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        fields = raw.split("\t")
        if len(fields) != 4:
            raise ValueError(f"{path.name}:{number}: expected 4 tab-separated fields")
        label, domain, style, sentence = fields
        if label not in ("0", "1") or domain not in DOMAINS or style not in STYLES:
            raise ValueError(f"{path.name}:{number}: bad label, domain or style")
        if not sentence.strip():
            raise ValueError(f"{path.name}:{number}: empty sentence")
        examples.append(Example(label == "1", domain, style, sentence, number))
    return examples


def evaluate(
    examples: Sequence[Example],
    name: str = "",
    detector: Callable[[str], list[Hit]] = find_health_care_text,
) -> Evaluation:
    tp = fp = fn = tn = 0
    missed: list[Example] = []
    false_alarms: list[tuple[Example, tuple[Hit, ...]]] = []
    for example in examples:
        hits = tuple(detector(example.sentence))
        if example.label and hits:
            tp += 1
        elif example.label:
            fn += 1
            missed.append(example)
        elif hits:
            fp += 1
            false_alarms.append((example, hits))
        else:
            tn += 1
    return Evaluation(name, tp, fp, fn, tn, tuple(missed), tuple(false_alarms))


def evaluation_files() -> list[Path]:
    """Every evaluation file other than the development set (a held-out set, say)."""
    return sorted(path for path in DATA.glob("hsl_*.tsv") if path != DEV)


def main(argv: Sequence[str]) -> int:  # pragma: no cover - a developer's tool
    paths = [Path(arg) for arg in argv] or [DEV]
    for path in paths:
        examples = load(path)
        print(evaluate(examples, path.name).report())
        for style in sorted(STYLES):
            subset = [e for e in examples if e.style == style]
            if subset:
                result = evaluate(subset, f"  style {style}")
                print(f"{result.name}: P={result.precision:.3f} R={result.recall:.3f}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
