// Issue 11: an agency's logo on its own widget pages, and not on another's.
// Two agencies are added to one deployment by the operator's command line;
// only one is given a logo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from './lib/server.mjs';
import { launch, phonePage } from './lib/browser.mjs';

const KRASIPD = process.env.KRASIPD ?? new URL('../../../build/server/krasipd', import.meta.url).pathname;
// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64');

let server;
let browser;
before(async () => {
  server = await startServer();
  const data = join(server.dir, 'data');
  const logo = join(server.dir, 'logo.png');
  writeFileSync(logo, PNG);
  const add = (slug, prefix, nameEn, extra = []) => execFileSync(KRASIPD, ['agency', 'add', '--fast-kdf',
    '--data-dir', data, '--slug', slug, '--name-th', `อบต.${nameEn}`, '--name-en', nameEn,
    '--case-prefix', prefix, ...extra], { stdio: 'pipe' });
  add('logo-town', 'LT', 'Logo Town', ['--logo', logo]);
  add('plain-town', 'PT', 'Plain Town');
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

async function brandLogo(page, path) {
  await page.goto(`${server.origin}${path}`);
  const img = page.locator('img.brand-logo');
  await img.waitFor();
  return img;
}

test('the widget pages of an agency with a logo show it, named; another agency keeps the emblem', async () => {
  const { context, page } = await phonePage(browser);
  try {
    const img = await brandLogo(page, '/embed/report.html?agency=logo-town');
    await page.locator('img.brand-logo[data-agency-logo]').waitFor();
    assert.equal(await img.getAttribute('src'), '/api/v1/agencies/logo-town/logo');
    assert.equal(await img.getAttribute('alt'), 'อบต.Logo Town');
    await page.waitForFunction(() => document.querySelector('img.brand-logo').complete);
    assert.equal(await img.evaluate((el) => el.naturalWidth), 1, 'the logo loads (CSP, content type)');

    const status = await brandLogo(page, '/embed/status.html?agency=logo-town');
    await page.locator('img.brand-logo[data-agency-logo]').waitFor();
    assert.equal(await status.getAttribute('src'), '/api/v1/agencies/logo-town/logo');

    const other = await brandLogo(page, '/embed/report.html?agency=plain-town');
    // Wait until the page has its agency (its name replaces the default).
    await page.waitForFunction(() => document.querySelector('[data-agency-name]')?.textContent.includes('Plain Town'));
    assert.equal(await page.locator('img.brand-logo[data-agency-logo]').count(), 0);
    // The emblem is in the page itself (a data: URI, one request fewer).
    assert.match(await other.getAttribute('src'), /^data:image\/svg\+xml,/);
    assert.equal(await other.getAttribute('alt'), '');
  } finally {
    await context.close();
  }
});
