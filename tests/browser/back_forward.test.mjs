// A shared phone: after a reporter leaves the receipt or the status page,
// the next person to press Back must not see the tracking code or the
// complaint. Two ways back are tested: the page is loaded again (Krasip
// serves it no-store, which keeps today's Chromium from caching it), and
// the page comes back from the back/forward cache (as browsers that do keep
// no-store pages would do; simulated by rewriting the header to no-cache),
// where the page must have emptied itself on pagehide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage } from './lib/browser.mjs';
import { DESCRIPTION, fileComplaint, checkStatus, formReady } from './lib/form.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch({ backForwardCache: true }); });
after(async () => { await browser?.close(); await server?.stop(); });

async function newPage({ cached }) {
  const { context, page } = await phonePage(browser);
  // Records, inside the page, whether it came back from the back/forward cache.
  await page.addInitScript(() => {
    window.addEventListener('pageshow', (e) => { if (e.persisted) window.__restoredFromCache = true; });
  });
  if (cached) {
    await page.route('**/embed/*.html', async (route) => {
      const response = await route.fetch();
      assert.equal(response.headers()['cache-control'], 'no-store');
      await route.fulfill({ response, headers: { ...response.headers(), 'cache-control': 'no-cache' } });
    });
  }
  return { context, page };
}

async function pageText(page) {
  return page.evaluate(() => document.body.innerText + [...document.querySelectorAll('input, textarea')].map((i) => i.value).join(' '));
}

async function leaveAndComeBack(page, urlPattern) {
  await page.goto(`${server.origin}/`);
  await page.goBack({ waitUntil: 'commit' });
  // A page restored from the cache fires no load event: wait on the document.
  await page.waitForURL(urlPattern, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.readyState !== 'loading');
  return page.evaluate(() => window.__restoredFromCache === true);
}

function assertGone(text, code) {
  assert.ok(!text.includes(code), 'the code is gone');
  assert.ok(!text.includes(code.replaceAll('-', '')), 'the code is gone, without dashes too');
  assert.ok(!text.includes(DESCRIPTION), 'the complaint is gone');
}

for (const cached of [false, true]) {
  const how = cached ? 'from the back/forward cache' : 'loaded again';
  test(`Back to the receipt (${how}) shows neither the tracking code nor the complaint`, async () => {
    const { context, page } = await newPage({ cached });
    await page.goto(`${server.origin}/embed/report.html`);
    await formReady(page);
    const { code } = await fileComplaint(page);
    assert.ok((await pageText(page)).includes(code), 'the receipt shows the code');

    const restored = await leaveAndComeBack(page, /\/embed\/report\.html$/);
    // A receipt page restored from the cache starts afresh: it reloads.
    if (cached && restored) await page.waitForFunction(() => window.__restoredFromCache !== true);
    await formReady(page);
    assertGone(await pageText(page), code);
    assert.equal(await page.locator('#receipt').isVisible(), false);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test(`Back to the status page (${how}) shows neither the tracking code nor the complaint`, async () => {
    const { context, page } = await newPage({ cached });
    await page.goto(`${server.origin}/embed/report.html`);
    await formReady(page);
    const { code } = await fileComplaint(page);

    await page.goto(`${server.origin}/embed/status.html`);
    await checkStatus(page, code);
    assert.equal(await page.locator('#sub-description').innerText(), DESCRIPTION);

    const restored = await leaveAndComeBack(page, /\/embed\/status\.html$/);
    // The point of each variant is the way back it names.
    assert.equal(restored, cached, cached ? 'restored from the cache' : 'loaded again');
    await page.locator('#tracking-code').waitFor();
    assertGone(await pageText(page), code);
    assert.equal(await page.locator('#status-result').isVisible(), false);
    assert.equal(await page.locator('#tracking-code').inputValue(), '');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
}
