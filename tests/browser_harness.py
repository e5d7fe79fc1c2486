"""Looking at an HTML file in a real browser: headless Chromium, axe-core, screenshots, links, print.

`inspect(html, out)` runs tests/browser/inspect.mjs (Playwright driving Debian's chromium) and
returns a Report. Tests take the `browser_inspect` fixture, which skips with the reason and the
install command when node, the npm packages or chromium is missing; set FACTPACK_REQUIRE_BROWSER=1
to make that a failure instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

BROWSER_DIR = Path(__file__).parent / "browser"
SCRIPT = BROWSER_DIR / "inspect.mjs"
NPM_PACKAGES = ("axe-core", "playwright-core")
TIMEOUT_S = 60  # one page takes a few seconds; a hung browser must not hang the suite


class BrowserError(Exception):
    """The page could not be inspected at all (the browser failed to start, the file did not load)."""


@dataclass(frozen=True)
class Node:
    target: list[str]  # axe's CSS selector path to the element
    html: str  # the element's opening markup, cut to 300 characters
    summary: str  # axe's "Fix any of the following: ..."


@dataclass(frozen=True)
class Violation:
    mode: str  # "light" or "dark": the prefers-color-scheme axe ran under
    id: str  # the axe rule, e.g. "color-contrast"
    impact: str | None
    help: str
    nodes: list[Node]

    def __str__(self) -> str:
        targets = ", ".join(" ".join(node.target) for node in self.nodes)
        return f"[{self.mode}] {self.id} ({self.impact}): {self.help}: {targets}"


@dataclass(frozen=True)
class Link:
    href: str
    resolves: bool


@dataclass(frozen=True)
class Report:
    violations: list[Violation]  # WCAG 2.0/2.1 A and AA, light and dark
    incomplete: list[Violation]  # what axe could not decide and a person should check
    screenshots: list[Path]  # full-page PNGs: <stem>-360.png, <stem>-1280.png, <stem>-360-dark.png
    pdf: Path  # print media, A4: <stem>-print.pdf
    page_widths: dict[str, int]  # document scroll width per screenshot: wider than the viewport scrolls sideways
    blocked_requests: list[str]  # every non-local URL the page tried to load (all were refused)
    failed_requests: list[str]  # local files the page asked for that did not load
    internal_links: list[Link]  # every a[href^="#"], in document order
    console_errors: list[str]
    seconds: float

    @property
    def broken_links(self) -> list[str]:
        return [link.href for link in self.internal_links if not link.resolves]

    def describe_violations(self) -> str:
        """One line per violation, for an assertion message."""
        return "\n".join(str(violation) for violation in self.violations)


def chromium_path() -> Path:
    return Path(os.environ.get("FACTPACK_CHROMIUM", "/usr/bin/chromium"))


@cache
def missing() -> str | None:
    """Everything the browser tests lack, each with how to install it; None when all is there."""
    lacking = [_node_missing()]
    absent = [name for name in NPM_PACKAGES if not (BROWSER_DIR / "node_modules" / name).is_dir()]
    if absent:
        lacking.append(f"{', '.join(absent)} not in tests/browser/node_modules (run: npm ci --prefix tests/browser)")
    if not os.access(chromium_path(), os.X_OK):
        lacking.append(f"no Chromium at {chromium_path()} (run: apt-get install -y chromium, "
                       "or point FACTPACK_CHROMIUM at a Chromium binary)")
    return "; ".join(reason for reason in lacking if reason) or None


def _node_missing() -> str | None:
    node = shutil.which("node")
    if node is None:
        return "node is not on PATH (install Node.js 20 or newer, e.g. apt-get install -y nodejs npm)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
    major = re.match(r"v(\d+)", version)
    if not major or int(major.group(1)) < 20:
        return f"node {version or '(of unknown version)'} is too old; playwright-core needs Node.js 20 or newer"
    return None


def inspect(html: Path, out: Path, timeout: float = TIMEOUT_S) -> Report:
    """Open `html` in headless Chromium; write screenshots and the print PDF into `out`; report."""
    env = {**os.environ, "FACTPACK_CHROMIUM": str(chromium_path())}
    started = time.monotonic()
    try:
        command = ["node", str(SCRIPT), str(Path(html).resolve()), str(Path(out).resolve())]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, cwd=BROWSER_DIR)
    except subprocess.TimeoutExpired as error:
        raise BrowserError(f"inspecting {html} took over {timeout:g} s") from error
    if done.returncode != 0:
        raise BrowserError(f"inspecting {html} failed (exit {done.returncode}): {done.stderr.strip()}")
    return _report(json.loads(done.stdout), time.monotonic() - started)


def _report(data: dict, seconds: float) -> Report:
    return Report(
        violations=[_violation(item) for item in data["violations"]],
        incomplete=[_violation(item) for item in data["incomplete"]],
        screenshots=[Path(path) for path in data["screenshots"]],
        pdf=Path(data["pdf"]),
        page_widths=data["page_widths"],
        blocked_requests=data["blocked_requests"],
        failed_requests=data["failed_requests"],
        internal_links=[Link(**link) for link in data["internal_links"]],
        console_errors=data["console_errors"],
        seconds=round(seconds, 2),
    )


def _violation(item: dict) -> Violation:
    nodes = [Node(**node) for node in item["nodes"]]
    return Violation(item["mode"], item["id"], item["impact"], item["help"], nodes)


def png_size(png: Path) -> tuple[int, int]:
    """(width, height) in pixels, from the PNG's IHDR chunk."""
    head = Path(png).read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{png} is not a PNG file")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def require_browser() -> None:
    """Skip the calling test, saying what is missing, unless FACTPACK_REQUIRE_BROWSER=1 makes it fail."""
    reason = missing()
    if reason is None:
        return
    if os.environ.get("FACTPACK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but {reason}")
    pytest.skip(f"browser tests need a browser: {reason}")


@pytest.fixture
def browser_inspect(tmp_path: Path) -> Callable[[Path], Report]:
    """inspect() into tmp_path/browser, after skipping when the browser tools are missing."""
    require_browser()
    return lambda html: inspect(html, tmp_path / "browser" / Path(html).stem)
