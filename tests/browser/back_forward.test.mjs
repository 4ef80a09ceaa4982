// A shared phone: after a reporter leaves the receipt or the status page,
// the next person to press Back must not see the tracking code or the
// complaint, whether the browser restores the page from its back/forward
// cache (the pages wipe themselves on pagehide) or loads it again (no-store).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage } from './lib/browser.mjs';
import { DESCRIPTION, fileComplaint, checkStatus, formReady } from './lib/form.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

// Records, inside the page, whether it came back from the back/forward
// cache, so the test can say which of the two ways it went.
async function watchRestores(page) {
  await page.addInitScript(() => {
    window.addEventListener('pageshow', (e) => { if (e.persisted) window.__restoredFromCache = true; });
  });
}

async function pageText(page) {
  return page.evaluate(() => document.body.innerText + [...document.querySelectorAll('input, textarea')].map((i) => i.value).join(' '));
}

test('Back after the receipt shows neither the tracking code nor the complaint', async (t) => {
  const { context, page } = await phonePage(browser);
  await watchRestores(page);
  await page.goto(`${server.origin}/embed/report.html`);
  await formReady(page);
  const { code } = await fileComplaint(page);
  assert.ok((await pageText(page)).includes(code), 'the receipt shows the code');

  await page.goto(`${server.origin}/`);
  await page.goBack();
  await page.waitForURL(/\/embed\/report\.html$/);
  await formReady(page);
  const restored = await page.evaluate(() => window.__restoredFromCache === true);
  t.diagnostic(restored ? 'came back from the back/forward cache' : 'loaded again');
  const text = await pageText(page);
  assert.ok(!text.includes(code), 'the code is gone');
  assert.ok(!text.includes(code.replaceAll('-', '')), 'the code is gone, without dashes too');
  assert.ok(!text.includes(DESCRIPTION), 'the complaint is gone');
  assert.equal(await page.locator('#receipt').isVisible(), false);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('Back after a status lookup shows neither the tracking code nor the complaint', async (t) => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/report.html`);
  await formReady(page);
  const { code } = await fileComplaint(page);

  await watchRestores(page);
  await page.goto(`${server.origin}/embed/status.html`);
  await checkStatus(page, code);
  assert.equal(await page.locator('#sub-description').innerText(), DESCRIPTION);

  await page.goto(`${server.origin}/`);
  await page.goBack();
  await page.waitForURL(/\/embed\/status\.html$/);
  await page.locator('#tracking-code').waitFor();
  const restored = await page.evaluate(() => window.__restoredFromCache === true);
  t.diagnostic(restored ? 'came back from the back/forward cache' : 'loaded again');
  const text = await pageText(page);
  assert.ok(!text.includes(DESCRIPTION), 'the complaint is gone');
  assert.ok(!text.includes(code) && !text.includes(code.replaceAll('-', '')), 'the code is gone');
  assert.equal(await page.locator('#status-result').isVisible(), false);
  assert.equal(await page.locator('#tracking-code').inputValue(), '');
  assert.deepEqual(page.problems, []);
  await context.close();
});
