// WCAG 2.1 A/AA rules checked by axe-core inside Debian's Chromium, on a phone screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startServer } from './lib/server.mjs';
import { launch, phonePage } from './lib/browser.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function violations(page) {
  // Injected through the DevTools protocol, so the page's CSP is not loosened.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

for (const path of ['/', '/report.html', '/status.html']) {
  for (const lang of ['th', 'en']) {
    test(`${path} in ${lang} has no WCAG 2.1 AA violations`, async () => {
      const { context, page } = await phonePage(browser);
      await page.goto(`${server.origin}${path}`);
      if (lang === 'en') await page.click('button[data-lang=en]');
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await violations(page), []);
      await context.close();
    });
  }
}

test('the identity fields, once shown, are accessible too', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/report.html`);
  await page.locator('#submit-report:not([disabled])').waitFor();
  await page.check('#identity-named');
  assert.deepEqual(await violations(page), []);
  await context.close();
});
