// What the browser scripts share: loading puppeteer-core and axe-core, finding Debian's
// chromium, launching it headless with a throw-away profile, and running axe-core on a page.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

/// Ends the script with exit code 2 and a message naming it.
function failer(script) {
  return (msg) => {
    process.stderr.write(`${script}: ${msg}\n`);
    process.exit(2);
  };
}

/// The node modules, or the message to install them.
function modules(fail) {
  try {
    return { puppeteer: require('puppeteer-core'), axeSource: require('axe-core').source };
  } catch (e) {
    return fail(`node modules missing (${e.message}); run: bash .ci/install-tools.sh`);
  }
}

/// The widths every page is looked at.
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

/// Headless Chromium on a fresh profile; `close()` ends it and removes the profile.
async function launch(puppeteer, fail) {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const executablePath = candidates.find((p) => p && fs.existsSync(p));
  if (!executablePath) fail('chromium not found; run: bash .ci/install-tools.sh');
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
  const close = async () => {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { browser, close };
}

/// axe-core's findings on the page as it stands: violations (and, when asked, the ids of the
/// rules it could not decide).
async function axe(page, axeSource, resultTypes) {
  await page.addScriptTag({ content: axeSource });
  // eslint-disable-next-line no-undef
  const res = await page.evaluate(async (types) => axe.run(document, { resultTypes: types }), resultTypes);
  return {
    violations: res.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
    })),
    incomplete: res.incomplete.map((v) => v.id),
  };
}

module.exports = { failer, modules, WIDTHS, launch, axe };
