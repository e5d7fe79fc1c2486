// Open one HTML file in headless Chromium the way a reader would, and report what a browser sees.
//
// Usage: node inspect.mjs FILE.html OUT_DIR
// Prints one JSON object on stdout (see tests/browser_harness.py for its fields); writes the
// screenshots and the print PDF into OUT_DIR. Exits 2, with the reason on stderr, when the page
// cannot be inspected at all. Chromium is FACTPACK_CHROMIUM or /usr/bin/chromium.

import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const WIDTHS = [360, 1280];
const HEIGHT = 800;
const STEP_TIMEOUT_MS = 15_000;
// Flags a root, offline machine needs; Playwright makes a fresh --user-data-dir for every launch.
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];
// URLs a self-contained page may load: its own file, files beside it, and inline data.
const LOCAL = /^(file|data|blob|about):/;

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

async function main([htmlArg, outArg]) {
  if (!htmlArg || !outArg) throw new Error("usage: node inspect.mjs FILE.html OUT_DIR");
  const html = path.resolve(htmlArg);
  const out = path.resolve(outArg);
  await mkdir(out, { recursive: true });
  const stem = path.basename(html).replace(/\.html?$/i, "");

  const browser = await chromium.launch({
    executablePath: process.env.FACTPACK_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: STEP_TIMEOUT_MS,
  });
  try {
    const context = await browser.newContext({
      viewport: { width: WIDTHS[0], height: HEIGHT }, deviceScaleFactor: 1, serviceWorkers: "block",
      colorScheme: "light", reducedMotion: "reduce",
    });
    const report = await inspectPage(context, html, out, stem);
    await context.close();
    return report;
  } finally {
    await browser.close();
  }
}

async function inspectPage(context, html, out, stem) {
  const blocked = [];
  const failed = [];
  const consoleErrors = [];
  // Every request leaves through here: anything that is not local is refused and reported.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (LOCAL.test(url)) return route.continue();
    blocked.push(url);
    return route.abort("blockedbyclient");
  });
  context.on("weberror", (error) => consoleErrors.push(`uncaught: ${error.error().message}`));
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.on("console", (msg) => { if (msg.type() === "error") consoleErrors.push(msg.text()); });
  page.on("requestfailed", (request) => {
    if (LOCAL.test(request.url())) failed.push(`${request.url()} (${request.failure()?.errorText})`);
  });
  await page.goto(pathToFileURL(html).href, { waitUntil: "load" });

  const looks = await lookInBothSchemes(page, out, stem);

  await page.setViewportSize({ width: WIDTHS[1], height: HEIGHT });
  await page.emulateMedia({ media: "print", colorScheme: "light" });
  const pdf = path.join(out, `${stem}-print.pdf`);
  await page.pdf({ path: pdf, format: "A4", printBackground: true, preferCSSPageSize: true });

  return {
    file: html, ...looks, pdf,
    blocked_requests: blocked, failed_requests: failed,
    internal_links: await internalLinks(page), console_errors: consoleErrors,
  };
}

// axe in light and dark, and a full-page screenshot at each width (dark: the phone width only).
async function lookInBothSchemes(page, out, stem) {
  const violations = [];
  const incomplete = [];
  const screenshots = [];
  const pageWidths = {};
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ media: "screen", colorScheme: scheme });
    await page.setViewportSize({ width: WIDTHS[0], height: HEIGHT });  // axe sees the phone layout
    const result = await runAxe(page);
    violations.push(...result.violations.map((v) => rule(v, scheme)));
    incomplete.push(...result.incomplete.map((v) => rule(v, scheme)));
    for (const width of scheme === "light" ? WIDTHS : [WIDTHS[0]]) {
      const key = `${width}${scheme === "dark" ? "-dark" : ""}`;
      await page.setViewportSize({ width, height: HEIGHT });
      screenshots.push(path.join(out, `${stem}-${key}.png`));
      await page.screenshot({ path: screenshots.at(-1), fullPage: true, animations: "disabled" });
      pageWidths[key] = await page.evaluate(() => document.documentElement.scrollWidth);
    }
  }
  return { violations, incomplete, screenshots, page_widths: pageWidths };
}

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE_SOURCE);
  return page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: "tag", values: tags }, resultTypes: ["violations", "incomplete"],
  }), WCAG_TAGS);
}

function rule(result, mode) {
  return {
    mode, id: result.id, impact: result.impact, help: result.help,
    nodes: result.nodes.map((node) => ({
      target: node.target.map(String), html: node.html.slice(0, 300), summary: node.failureSummary ?? "",
    })),
  };
}

// A same-document link resolves when an element carries the id it names (the fragment decoded).
function internalLinks(page) {
  return page.$$eval('a[href^="#"]', (links) => links.map((a) => {
    const raw = a.getAttribute("href").slice(1);
    let id = raw;
    try { id = decodeURIComponent(raw); } catch { /* a malformed escape names no element */ }
    return { href: a.getAttribute("href"), resolves: id !== "" && document.getElementById(id) !== null };
  }));
}

try {
  process.stdout.write(JSON.stringify(await main(process.argv.slice(2))) + "\n");
} catch (error) {
  process.stderr.write(`inspect.mjs: ${error.message}\n`);
  process.exit(2);
}
