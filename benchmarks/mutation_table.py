"""The score of the last `make mutate` per module of handbook/, as a Markdown table, from mutmut's results
in mutants/. Modules with no mutant checked yet are listed as not measured.

A timed-out mutant counts as killed, as mutmut counts it: the tests did not pass. A mutant no test reaches
("no tests": code that only a book build runs) counts against the score, as a survivor does. Mutants excluded with
`# pragma: no mutate` (equivalent ones; see benchmarks/mutation.md) are not generated, so not counted.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion: right near 0 and 1, where the normal one is not."""
    share = successes / trials
    centre = share + z * z / (2 * trials)
    spread = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    return max(0.0, (centre - spread) / (1 + z * z / trials)), min(1.0, (centre + spread) / (1 + z * z / trials))


def sample_report(sample: dict, status_of: dict[str, str]) -> list[str]:
    """The score of the sampled mutants, as an estimate of the package's, and the sample by module."""
    names = sample["mutants"]
    statuses = [status_of.get(name, "not checked") for name in names]
    done = [s for s in statuses if s != "not checked"]
    if not done:
        return []
    killed = sum(s in ("killed", "timeout") for s in done)
    low, high = wilson(killed, len(done))
    lines = [f"\nRandom sample (seed {sample['seed']}): {len(names)} of {sample['population']} mutants, "
             f"{len(done)} checked. Killed {killed} of {len(done)}: **{100 * killed / len(done):.1f} %** "
             f"(95% interval {100 * low:.1f}–{100 * high:.1f} %).\n",
             "| module | sampled | killed | survived | no test reaches it | not checked |", "|---|---|---|---|---|---|"]
    by_module: dict[str, Counter] = {}
    for name, status in zip(names, statuses):
        module = name.split(".x")[0].partition(".")[2]
        module = (module or "__init__") + ".py"
        by_module.setdefault(module, Counter())[status] += 1
    for module, counts in sorted(by_module.items()):
        lines.append(f"| {module} | {sum(counts.values())} | {counts['killed'] + counts['timeout']} | "
                     f"{counts['survived']} | {counts['no tests']} | {counts['not checked']} |")
    return lines


def main(folder: Path = Path("mutants/handbook")) -> int:
    status_of = {}
    rows, totals = [], [0, 0, 0, 0, 0, 0]
    unmeasured = []
    for meta in sorted(folder.glob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        statuses = [status_by_exit_code[code] for code in codes.values()]
        status_of.update(zip(codes, statuses))
        killed, timeout, survived, untested = (statuses.count(s) for s in ("killed", "timeout", "survived", "no tests"))
        checked = killed + timeout + survived + untested
        if not checked:
            unmeasured.append(meta.name.removesuffix(".meta"))
            continue
        left = len(statuses) - checked
        rows.append(f"| {meta.name.removesuffix('.meta')} | {checked} | {killed} | {timeout} | {survived} | "
                    f"{untested} | {left} | {100 * (killed + timeout) / checked:.0f} % |")
        for index, value in enumerate((checked, killed, timeout, survived, untested, left)):
            totals[index] += value
    print("| module | checked | killed | timed out | survived | no test reaches it | not checked | score |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    checked, killed, timeout, survived, untested, left = totals
    if checked:
        print(f"| **all measured** | {checked} | {killed} | {timeout} | {survived} | {untested} | {left} | "
              f"**{100 * (killed + timeout) / checked:.0f} %** |")
    if unmeasured:
        print("\nNot measured:", ", ".join(unmeasured))
    sample = folder.parent / "sample.json"
    if sample.exists():
        print("\n".join(sample_report(json.loads(sample.read_text(encoding="utf-8")), status_of)))
    return 0


if __name__ == "__main__":
    sys.exit(main(*(Path(arg) for arg in sys.argv[1:])))
