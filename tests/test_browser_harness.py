"""The browser harness can fail: small hand-written pages with known faults are caught, a clean one passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_harness import BrowserError, Report, inspect, missing, png_size, require_browser
from tests.browser_harness import browser_inspect  # noqa: F401  (a fixture, used by name)
from tests.pdf_inspect import text

CLEAN = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clean page</title>
<style>
  body { font: 16px/1.5 sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 40rem; padding: 1rem; }
  a { color: #0645ad; }
  @media (prefers-color-scheme: dark) { body { color: #eee; background: #121212; } a { color: #9cf; } }
  @media print { nav { display: none; } }
</style>
</head>
<body>
<header><h1>Clean page</h1></header>
<nav aria-label="Contents"><ul><li><a href="#doses">Doses</a></li><li><a href="#refs">References</a></li></ul></nav>
<main>
  <section id="doses" aria-labelledby="doses-h"><h2 id="doses-h">Doses</h2>
    <p>A sentence with a citation <a href="#ref-1" id="cite-1">[1]</a>.</p>
    <table><caption>Routes</caption>
      <tr><th scope="col">Route</th><th scope="col">Onset</th></tr>
      <tr><td>IV</td><td>30 s</td></tr></table>
    <img alt="A grey square" width="40" height="40"
         src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='40' height='40'%3E%3Crect width='40' height='40' fill='%23888'/%3E%3C/svg%3E">
  </section>
  <section id="refs" aria-labelledby="refs-h"><h2 id="refs-h">References</h2>
    <ol><li id="ref-1">A source. <a href="#cite-1">Back to text</a></li></ol>
  </section>
  <section aria-labelledby="notes-h"><h2 id="notes-h">Notes</h2>
    NOTES
  </section>
</main>
<footer><p>Last reviewed 2026-12-02</p></footer>
</body>
</html>
""".replace("NOTES", "<p>A paragraph long enough to wrap on a phone, so the page grows taller there.</p>" * 12)


def page(title: str, body: str, lang: str = ' lang="en"', style: str = "") -> str:
    return (f'<!doctype html><html{lang}><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{style}</style></head><body><main><h1>{title}</h1>{body}</main></body></html>")


FAULTY = page("Faulty", lang="", body="""
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <p style="color: #bbb; background: #fff">Faint text</p>
  <a href="#top"><svg width="10" height="10" aria-hidden="true"></svg></a>
  <button type="button"></button>
  <ul><div>not a list item</div></ul>
  <div id="dup">One</div><div id="dup">Two</div><button type="button" aria-labelledby="dup">Go</button>
  <span id="top"></span>""")
DARK_ONLY = page("Dark only", "<p>Readable in light, not in dark.</p>",
                 style="body { color: #111; background: #fff; }"
                       "@media (prefers-color-scheme: dark) { body { color: #333; background: #000; } }")
BROKEN_ANCHOR = page("Broken anchor", '<p><a href="#refs">References</a> <a href="#missing">Gone</a></p>'
                                      '<h2 id="refs">References</h2>')
REMOTE = page("Remote image", '<img alt="A remote picture" src="https://example.org/x.png" width="10" height="10">')
WIDE = page("Too wide", '<pre style="width: 900px">a fixed-width block wider than a phone</pre>')


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    """Inspect a hand-written page once per module: name -> Report."""
    require_browser()
    folder = tmp_path_factory.mktemp("browser")
    done: dict[str, Report] = {}

    def inspect_page(name: str, html: str) -> Report:
        if name not in done:
            source = folder / f"{name}.html"
            source.write_text(html, encoding="utf-8")
            done[name] = inspect(source, folder / name)
        return done[name]

    return inspect_page


def test_clean_page_passes_everything(run) -> None:
    report = run("clean", CLEAN)
    assert report.violations == [], report.describe_violations()
    assert report.internal_links and report.broken_links == []
    assert report.blocked_requests == report.failed_requests == report.console_errors == []
    assert report.page_widths == {"360": 360, "1280": 1280, "360-dark": 360}


def test_screenshots_are_full_pages_at_each_width(run) -> None:
    report = run("clean", CLEAN)
    assert [path.name for path in report.screenshots] == ["clean-360.png", "clean-1280.png", "clean-360-dark.png"]
    sizes = [png_size(path) for path in report.screenshots]
    assert [width for width, _ in sizes] == [360, 1280, 360]
    assert sizes[0][1] > sizes[1][1] > 800  # the whole page, longer than the window, and longer on a phone
    assert report.screenshots[0].read_bytes() != report.screenshots[2].read_bytes()  # dark mode looks different


def test_print_pdf_uses_print_styles(run) -> None:
    report = run("clean", CLEAN)
    printed = text(report.pdf.read_bytes(), footers=True)
    assert "Last reviewed 2026-12-02" in printed
    assert "Contents" not in printed and "Back to text" in printed  # nav hidden by @media print


def test_known_violations_are_reported(run) -> None:
    report = run("faulty", FAULTY)
    found = {v.id for v in report.violations if v.mode == "light"}
    assert {"image-alt", "html-has-lang", "color-contrast", "link-name", "button-name", "list"} <= found
    contrast = next(v for v in report.violations if v.id == "color-contrast")
    assert contrast.impact == "serious" and contrast.nodes[0].html.startswith("<p style=\"color: #bbb")
    assert "insufficient color contrast" in contrast.nodes[0].summary


def test_what_axe_cannot_decide_is_kept_apart(run) -> None:
    # axe 4.14 reports ids repeated in aria-labelledby for review, not as a violation
    report = run("faulty", FAULTY)
    assert "duplicate-id-aria" in {v.id for v in report.incomplete}
    assert "duplicate-id-aria" not in {v.id for v in report.violations}


def test_axe_runs_again_in_dark_mode(run) -> None:
    report = run("dark-only", DARK_ONLY)
    assert [(v.mode, v.id) for v in report.violations] == [("dark", "color-contrast")]


def test_broken_anchor_is_reported(run) -> None:
    report = run("broken-anchor", BROKEN_ANCHOR)
    assert [(link.href, link.resolves) for link in report.internal_links] == [("#refs", True), ("#missing", False)]
    assert report.broken_links == ["#missing"]
    assert report.violations == []


def test_network_request_is_blocked_and_reported(browser_inspect, tmp_path: Path) -> None:  # noqa: F811
    source = tmp_path / "remote.html"
    source.write_text(REMOTE, encoding="utf-8")
    report = browser_inspect(source)
    assert report.screenshots[0] == tmp_path / "browser" / "remote" / "remote-360.png"
    assert report.blocked_requests == ["https://example.org/x.png"]
    assert report.violations == []


def test_sideways_scrolling_shows_in_widths(run) -> None:
    report = run("wide", WIDE)
    assert report.page_widths["360"] > 360
    assert png_size(report.screenshots[0])[0] > 360


def test_missing_file_is_an_error_not_a_pass(tmp_path: Path) -> None:
    require_browser()
    with pytest.raises(BrowserError, match="ERR_FILE_NOT_FOUND"):
        inspect(tmp_path / "absent.html", tmp_path / "out")


@pytest.fixture
def fresh_missing(monkeypatch: pytest.MonkeyPatch):
    """missing() re-read under this test's environment, and forgotten afterwards."""
    missing.cache_clear()
    yield monkeypatch
    missing.cache_clear()


def test_missing_chromium_skips_with_the_install_command(fresh_missing, tmp_path: Path) -> None:
    fresh_missing.setenv("FACTPACK_CHROMIUM", str(tmp_path / "no-chromium"))
    fresh_missing.delenv("FACTPACK_REQUIRE_BROWSER", raising=False)
    reason = missing()
    assert f"no Chromium at {tmp_path / 'no-chromium'}" in reason and "apt-get install -y chromium" in reason
    with pytest.raises(pytest.skip.Exception, match="^browser tests need a browser: .*no Chromium at"):
        require_browser()
    fresh_missing.setenv("FACTPACK_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="^browser tests required but .*no Chromium at"):
        require_browser()


def test_missing_node_says_so(fresh_missing, tmp_path: Path) -> None:
    fresh_missing.setenv("PATH", str(tmp_path))
    assert missing().startswith("node is not on PATH")
