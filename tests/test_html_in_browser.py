"""The shipped web edition in a real browser (headless Chromium): axe-core finds no WCAG 2.1 A/AA
violation in light or dark mode, every internal link lands, nothing is fetched from the network, the
page fits a 360 px phone without sideways scrolling, and it prints. Skips, saying what is missing,
where the browser cannot be installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_harness import Report, browser_inspect, png_size  # noqa: F401  (browser_inspect is a fixture)
from tests.conftest import KETAMINE, MINIMAL
from tests import pdf_inspect


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generator.cli import main

    out = tmp_path_factory.mktemp("web")
    assert main(["build", str(KETAMINE), "--only", "html", "--out", str(out)]) == 0
    return out / "ketamine.html"


def test_the_shipped_page_has_no_accessibility_violation(shipped: Path, browser_inspect) -> None:  # noqa: F811
    report: Report = browser_inspect(shipped)
    assert report.violations == [], report.describe_violations()
    repeated = [found for found in report.incomplete if found.id.startswith("duplicate-id")]
    assert repeated == [], "\n".join(map(str, repeated))
    assert report.internal_links and report.broken_links == []
    assert report.blocked_requests == report.failed_requests == report.console_errors == []
    assert report.page_widths == {"360": 360, "1280": 1280, "360-dark": 360}  # no sideways scrolling on a phone
    assert {png_size(shot)[0] for shot in report.screenshots} == {360, 1280}
    printed = pdf_inspect.text(report.pdf.read_bytes())
    assert "Contents" not in printed.split("Key points")[0]  # the contents list is for screens; paper has pages
    assert "For patients: Ketamine for anesthesia or sedation" in printed


def test_the_minimal_page_has_no_accessibility_violation(tmp_path: Path, browser_inspect) -> None:  # noqa: F811
    from generator.cli import main

    assert main(["build", str(MINIMAL), "--only", "html", "--out", str(tmp_path)]) == 0
    report: Report = browser_inspect(tmp_path / "demo-topic.html")
    assert report.violations == [], report.describe_violations()
    assert report.broken_links == [] and report.page_widths["360"] == 360
