"""The score of the last `make mutate` per module of handbook/, as a Markdown table, from mutmut's results
in mutants/. Modules with no mutant checked yet are listed as not measured.

A timed-out mutant counts as killed, as mutmut counts it: the tests did not pass. A mutant no test reaches
("no tests": code that only a book build runs) counts against the score, as a survivor does. Mutants excluded with
`# pragma: no mutate` (equivalent ones; see benchmarks/mutation.md) are not generated, so not counted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code


def main(folder: Path = Path("mutants/handbook")) -> int:
    rows, totals = [], [0, 0, 0, 0, 0, 0]
    unmeasured = []
    for meta in sorted(folder.glob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].values()
        statuses = [status_by_exit_code[code] for code in codes]
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
    return 0


if __name__ == "__main__":
    sys.exit(main(*(Path(arg) for arg in sys.argv[1:])))
