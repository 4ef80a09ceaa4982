// WCAG 2.1 A/AA rules checked by axe-core inside Debian's Chromium, on a phone screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, phonePage } from './lib/browser.mjs';
import { violations } from './lib/axe.mjs';
import { fileComplaint } from './lib/form.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

for (const path of ['/', '/embed/report.html', '/embed/status.html']) {
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

test('every step of the form, the identity fields and the receipt are accessible too', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${server.origin}/embed/report.html`);
  const checked = [];
  await fileComplaint(page, {
    shoot: async (name) => {
      if (name === 'step5-identity') await page.check('#identity-named');
      assert.deepEqual(await violations(page), [], name);
      if (name === 'step5-identity') await page.check('#identity-anonymous');
      checked.push(name);
    },
  });
  assert.deepEqual(checked, ['step1-who', 'step2-what', 'step3-when', 'step4-evidence', 'step5-identity', 'step6-review', 'receipt']);
  await context.close();
});
