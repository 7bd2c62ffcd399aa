"""How long plan.xlsx's writer takes for a big sheet, and its peak memory.

    python benchmarks/xlsx_rows.py [--rows 100000]

Writes one sheet of ROWS rows x 8 columns (ids, a Chinese name, units, a yes/no, a date and
a long reason, as the final roster has) through ``staffplan.report.xlsx``'s ``Sheet`` and
``workbook()``, in this process, and prints seconds, peak memory (RSS) and file size.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from staffplan.report.xlsx import Sheet, workbook


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    start_day = date(1990, 1, 1)
    rows = [[f"P{i:06d}", "王伟" if i % 2 else "李娜", f"B{i % 7:02d}-S{i % 13:02d}",
             f"B{i % 7:02d}-S{i % 11:02d}-P{i % 5:02d}", "yes" if i % 3 else "no",
             start_day + timedelta(days=i % 9000), i % 40,
             "moves headquarters unit -> post: staffs post B01-S10-P02; chosen before others"]
            for i in range(args.rows)]
    sheet = Sheet("Final roster", ["officer", "name", "from", "to", "moved", "hired", "years",
                                   "reason"], rows, widths={8: 70})
    t0 = time.perf_counter()
    data = workbook([sheet], datetime(2021, 6, 30))
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.rows:,} rows x 8 columns: {seconds:.2f} s, peak RSS {peak:.0f} MB, "
          f"{len(data) / 1e6:.1f} MB file")


if __name__ == "__main__":
    main()
