#!/usr/bin/env node
// The clerk's and the office's path through `xxgk serve` in headless Chromium, with axe-core
// on every page at 1280 and 390 px. Driven by tests/integration/serve.rs, which starts the
// server and checks the files saved here with independent tools (pdftotext, calamine, zip).
//
// Usage: node tests/browser/serve.js SETUP_URL INVITE_URL PASSWORD WRONG.xlsx GOOD.xlsx OUTDIR
// Prints one JSON document: { audits: [...], marked: [...], units: [...], files: {...} }.
'use strict';

const fs = require('fs');
const path = require('path');

const chromium = require('./chromium');

const fail = chromium.failer('serve.js');
const { puppeteer, axeSource } = chromium.modules(fail);

const [setupUrl, inviteUrl, password, wrongPath, goodPath, outDir] = process.argv.slice(2);
if (!outDir) fail('usage: node serve.js SETUP_URL INVITE_URL PASSWORD WRONG.xlsx GOOD.xlsx OUTDIR');
const { WIDTHS } = chromium;

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const { browser, close } = await chromium.launch(puppeteer, fail);
  const out = { audits: [], files: {}, marked: [], units: [], consoleErrors: [] };
  try {
    const page = await browser.newPage();
    // axe-core is injected as an inline script, which the server's policy forbids to pages.
    await page.setBypassCSP(true);
    page.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(m.text()); });
    const origin = new URL(inviteUrl).origin;
    page.on('request', (req) => {
      if (!req.url().startsWith(origin) && !req.url().startsWith('data:')) {
        out.consoleErrors.push(`outside request: ${req.url()}`);
      }
    });

    async function audit(name) {
      const url = page.url();
      for (const w of WIDTHS) {
        await page.setViewport({ width: w.width, height: w.height, deviceScaleFactor: 1 });
        await page.goto(url, { waitUntil: 'load' });
        const shot = path.join(outDir, `${name}-${w.name}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        const found = await chromium.axe(page, axeSource, ['violations']);
        out.audits.push({
          name, width: w.width, scrollWidth, screenshot: shot, violations: found.violations,
        });
      }
      await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
    }

    // Saves what a link of the page points at, fetched by the page itself (its cookies).
    async function save(href, file) {
      const b64 = await page.evaluate(async (h) => {
        const r = await fetch(h, { credentials: 'same-origin' });
        const buf = new Uint8Array(await r.arrayBuffer());
        let s = '';
        for (let i = 0; i < buf.length; i += 0x8000) {
          s += String.fromCharCode.apply(null, buf.subarray(i, i + 0x8000));
        }
        return btoa(s);
      }, href);
      const p = path.join(outDir, file);
      fs.writeFileSync(p, Buffer.from(b64, 'base64'));
      return p;
    }

    async function submitAndWait(selector) {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
    }

    // The clerk: the invite link, the template, a wrong workbook, the fixed one, the PDF, 提交.
    await page.goto(inviteUrl, { waitUntil: 'load' });
    await audit('unit');
    const tpl = await page.$eval('a[href$="template.xlsx"]', (a) => a.href);
    out.files.template = await save(tpl, 'template.xlsx');
    // The wrong workbook is dropped onto the page, as a clerk drags it from the desktop: a File
    // made in the page from the workbook's bytes, in a DataTransfer, through the drag events
    // the page's script listens to (dragenter/dragover mark the box, drop uploads it).
    const dropped = fs.readFileSync(wrongPath).toString('base64');
    const [, dragState] = await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.evaluate((b64, name) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const file = new File([bytes], name, {
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        });
        const dt = new DataTransfer();
        dt.items.add(file);
        const zone = document.querySelector('.drop');
        const fire = (type) => zone.dispatchEvent(new DragEvent(type, {
          bubbles: true, cancelable: true, dataTransfer: dt,
        }));
        fire('dragenter');
        fire('dragover');
        const marked = zone.classList.contains('over');
        // false: the page took the drop (preventDefault) instead of the browser opening it.
        const taken = !fire('drop');
        return { marked, taken, unmarked: !zone.classList.contains('over') };
      }, dropped, path.basename(wrongPath)),
    ]);
    out.drop = dragState;
    out.uploads = await page.$$eval('table.list tbody tr', (trs) => trs.map((t) => t.textContent));
    out.marked = await page.$$eval('td[data-marked]', (tds) => tds.map((t) => t.textContent));
    out.wrongStatus = await page.$eval('#result-status', (e) => e.textContent);
    await audit('unit-wrong');
    const input = await page.$('input[type=file]');
    await input.uploadFile(goodPath);
    await submitAndWait('form[enctype] button[type=submit]');
    out.goodStatus = await page.$eval('#result-status', (e) => e.textContent);
    await audit('unit-good');
    const pdf = await page.$eval('a[href$="/pdf"]', (a) => a.href);
    out.files.pdf = await save(pdf, 'report.pdf');
    await submitAndWait('form[action$="/submit"] button');
    out.afterSubmit = await page.$eval('.status', (e) => e.textContent);
    await audit('unit-submitted');

    // The office: set the password, log out, log in, both units, the zip.
    await page.goto(setupUrl, { waitUntil: 'load' });
    await audit('setup');
    await page.type('#password', password);
    await page.type('#password2', password);
    await submitAndWait('form button[type=submit]');
    await submitAndWait('header form button');
    await audit('login');
    await page.type('#password', password);
    await submitAndWait('main form button[type=submit]');
    out.units = await page.$$eval('#units tbody tr', (trs) => trs.map((t) => t.textContent));
    await audit('office');
    const unitLink = await page.$eval('#units tbody a', (a) => a.href);
    await page.goto(unitLink, { waitUntil: 'load' });
    await audit('office-unit');
    await page.goto(`${origin}/admin`, { waitUntil: 'load' });
    const zip = await page.$eval('a[href^="/admin/export.zip"]', (a) => a.href);
    out.files.zip = await save(zip, 'all.zip');
  } finally {
    await close();
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
})().catch((e) => fail(e.stack || String(e)));
