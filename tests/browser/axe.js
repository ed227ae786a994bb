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
const path = require('path');
const url = require('url');

const chromium = require('./chromium');

const fail = chromium.failer('axe.js');
const { puppeteer, axeSource } = chromium.modules(fail);

const [pagePath, outDir] = process.argv.slice(2);
if (!pagePath || !outDir) fail('usage: node tests/browser/axe.js PAGE.html OUTDIR');

const { WIDTHS } = chromium;

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const { browser, close } = await chromium.launch(puppeteer, fail);
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
      const found = await chromium.axe(page, axeSource, ['violations', 'incomplete']);
      out.runs.push({
        name: w.name,
        width: w.width,
        scrollWidth,
        screenshot: shot,
        violations: found.violations,
        incomplete: found.incomplete,
      });
    }
    out.requests = requests;
    await page.goto(target, { waitUntil: 'load' });
    const pdf = path.join(outDir, 'print.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    out.pdf = pdf;
  } finally {
    await close();
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
})().catch((e) => fail(e.stack || String(e)));
