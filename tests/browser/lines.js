#!/usr/bin/env node
// Opens an HTML file in headless Chromium at the given widths and prints, as JSON, the lines
// each table header cell and the title are broken into on screen (characters grouped by the
// top of their box), and what a narrow screen shows of the scroll hint:
//
//   { "390": { "title": ["廊坊市人民政府办公室", …], "cells": [["（三）", "不予", "公开"], …],
//              "hints": { "t3-caption": 21, … } }, … }
//
// Usage: node tests/browser/lines.js PAGE.html 1280 390
'use strict';
const path = require('path');
const url = require('url');
const chromium = require('./chromium');

const fail = chromium.failer('lines.js');
const { puppeteer } = chromium.modules(fail);
const [pagePath, ...widths] = process.argv.slice(2);

(async () => {
  const { browser, close } = await chromium.launch(puppeteer, fail);
  const out = {};
  try {
    const page = await browser.newPage();
    for (const w of widths) {
      await page.setViewport({ width: Number(w), height: 900 });
      await page.goto(url.pathToFileURL(path.resolve(pagePath)).href, { waitUntil: 'load' });
      out[w] = await page.evaluate(() => {
        const linesOf = (el) => {
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          const rows = [];
          let n;
          while ((n = walker.nextNode())) {
            for (let i = 0; i < n.data.length; i++) {
              const r = document.createRange();
              r.setStart(n, i);
              r.setEnd(n, i + 1);
              const b = r.getClientRects()[0];
              if (!b || !n.data[i].trim()) continue;
              let row = rows.find((x) => Math.abs(x.top - b.top) < b.height / 2);
              if (!row) rows.push((row = { top: b.top, text: '' }));
              row.text += n.data[i];
            }
          }
          return rows.sort((a, b) => a.top - b.top).map((x) => x.text);
        };
        const h1 = document.querySelector('h1');
        const hints = {};
        for (const p of document.querySelectorAll('caption p')) {
          hints[p.closest('caption').id] = p.getBoundingClientRect().height;
        }
        return {
          title: h1 ? linesOf(h1) : [],
          cells: [...document.querySelectorAll('th')].map(linesOf),
          hints,
        };
      });
    }
  } finally {
    await close();
  }
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((e) => {
  process.stderr.write(String(e.stack || e) + '\n');
  process.exit(2);
});
