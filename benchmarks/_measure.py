"""Run one command and report its wall time and peak memory on stderr as one JSON line.

resource.getrusage(RUSAGE_CHILDREN) accumulates over every child a process ever had, so run.py
cannot ask it about one child; here the only child is the command, and os.wait4 returns that
child's own rusage (ru_maxrss: its peak resident set, in KiB on Linux).

Usage: python benchmarks/_measure.py COMMAND [ARG ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__.strip().splitlines()[-1])
    started = time.perf_counter()
    child = subprocess.Popen(argv)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = code = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    sys.stderr.flush()
    print(json.dumps({"wall_s": wall, "maxrss_kib": usage.ru_maxrss, "returncode": code}), file=sys.stderr)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
