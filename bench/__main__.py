"""Run every benchmark and print one table: ``python -m bench [--quick]``.

Each figure is a ratio against a baseline timed in the same run (interleaved, medians),
or an absolute median where the target is one (a 60 Hz frame). ``--quick`` takes fewer
rounds: good to see that nothing broke, too noisy to judge a target by. A missed target
shows as **no** in the table; the exit status stays 0, as the machines are noisy.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from bench.table import Row, format_table

MODULES = (
    "bench.bench_core",
    "bench.bench_generated",
    "bench.bench_gui",
    "bench.bench_sheet",
    "bench.bench_scale",
    "bench.bench_bundle",
    "bench.bench_limits",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a fast pass")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for name in MODULES:
        start = time.perf_counter()
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows += importlib.import_module(name).run(quick=args.quick)
        print(f"  {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
