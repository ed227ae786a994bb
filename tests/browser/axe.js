#!/usr/bin/env node
// Opens an HTML file in headless Chromium (Debian's `chromium`), takes full-page screenshots at
// desktop (1280 px) and phone (390 px) widths, prints it to PDF with the page's own print
// stylesheet, runs the axe-core rules at both widths and prints one JSON document to stdout:
//
//   { "runs": [ { "name": "desktop", "width": 1280, "scrollWidth": …, "screenshot": "…",
//                 "violations": [ … ], "incomplete": [ "rule-id", … ] }, … ],
//     "pdf": "…/print.pdf" }
//
// Usage: node tests/browser/axe.js PAGE.html OUTDIR
// Installed by .ci/install-tools.sh (npm ci in tests/browser; apt-get install chromium).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const url = require('url');

function fail(msg) {
  process.stderr.write(`axe.js: ${msg}\n`);
  process.exit(2);
}

let puppeteer, axeSource;
try {
  puppeteer = require('puppeteer-core');
  axeSource = require('axe-core').source;
} catch (e) {
  fail(`node modules missing (${e.message}); run: bash .ci/install-tools.sh`);
}

const [pagePath, outDir] = process.argv.slice(2);
if (!pagePath || !outDir) fail('usage: node tests/browser/axe.js PAGE.html OUTDIR');

const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const executablePath = candidates.find((p) => p && fs.existsSync(p));
if (!executablePath) fail('chromium not found; run: bash .ci/install-tools.sh');

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'xxgk-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir: profile,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      `--user-data-dir=${profile}`,
    ],
  });
  const out = { runs: [] };
  try {
    const page = await browser.newPage();
    // The page must need nothing from outside: any request other than the file itself fails the
    // test (reported as `requests`).
    const requests = [];
    const target = url.pathToFileURL(path.resolve(pagePath)).href;
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      if (req.url() !== target) requests.push(req.url());
      req.continue();
    });
    for (const w of WIDTHS) {
      await page.setViewport({ width: w.width, height: w.height, deviceScaleFactor: 1 });
      await page.goto(target, { waitUntil: 'load' });
      const shot = path.join(outDir, `${w.name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.addScriptTag({ content: axeSource });
      const res = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        axe.run(document, { resultTypes: ['violations', 'incomplete'] }),
      );
      out.runs.push({
        name: w.name,
        width: w.width,
        scrollWidth,
        screenshot: shot,
        violations: res.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
        })),
        incomplete: res.incomplete.map((v) => v.id),
      });
    }
    out.requests = requests;
    await page.goto(target, { waitUntil: 'load' });
    const pdf = path.join(outDir, 'print.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    out.pdf = pdf;
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
})().catch((e) => fail(e.stack || String(e)));
