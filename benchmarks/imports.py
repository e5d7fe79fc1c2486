"""Which outputs import ReportLab or open the font files? One build per output, with `--only OUTPUT`.

Each build runs as `python -X importtime -m generator build CONTENT --only OUTPUT --out TMP`, with
PYTHONPROFILEIMPORTTIME=1 so that worker processes, however started, report their imports too. A
`sitecustomize` module put first on PYTHONPATH installs, in every Python process of the build, an
audit hook that reports each file opened whose name ends in .ttf, .otf or .ttc. A module counts as
ReportLab's if its name is `reportlab` or starts with `reportlab.`, or is `_rl_accel`.

Usage: python benchmarks/imports.py [CONTENT.yaml]   (default: the shipped content)
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from _harness import ROOT, SHIPPED, build_command

OUTPUTS = ("handout", "patient", "cards", "anki", "html")
MARK = "imports.py font opened: "
SITECUSTOMIZE = f"""\
import os, sys

def _hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if path.lower().endswith((".ttf", ".otf", ".ttc")):
            sys.stderr.write({MARK!r} + path + "\\n")

sys.addaudithook(_hook)
"""
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+\d+ \| \s*(\S+)$", re.MULTILINE)  # self us, module


def build(content: Path, output: str, tmp: Path) -> str:
    """The stderr of a build of one output, with import times and font opens; exits if it fails."""
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(tmp), os.environ.get("PYTHONPATH")])),
                        "PYTHONPROFILEIMPORTTIME": "1"}
    command = build_command([content], tmp / output, "--only", output)
    command[1:1] = ["-X", "importtime"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stdout}{done.stderr}")
    return done.stderr


def summary(stderr: str) -> tuple[str, str]:
    """(ReportLab imported?, fonts opened?), each `no` or `yes (...)`."""
    modules = [(int(us), name) for us, name in IMPORT_LINE.findall(stderr)
               if name == "_rl_accel" or name.split(".")[0] == "reportlab"]
    fonts = sorted({Path(line[len(MARK):]).name for line in stderr.splitlines() if line.startswith(MARK)})
    imported = f"yes ({len(modules)} modules, {sum(us for us, _ in modules) / 1000:.0f} ms)" if modules else "no"
    return imported, f"yes ({', '.join(fonts)})" if fonts else "no"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", type=Path, default=SHIPPED, help="a content file (default: shipped)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="factpack-imports-") as tmp:
        (Path(tmp) / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        rows = [(output, *summary(build(args.content.resolve(), output, Path(tmp)))) for output in OUTPUTS]
    print(f"{'--only':<9}{'ReportLab imported':<30}fonts opened")
    for output, imported, fonts in rows:
        print(f"{output:<9}{imported:<30}{fonts}")


if __name__ == "__main__":
    main()
